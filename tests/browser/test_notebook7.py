"""Notebook 7 (`jupyter notebook`) end to end, as test_lab.py does for JupyterLab, on chapter 2.

Chapter 2 has both kinds of explorer (ipywidgets and Vega-Lite): the prose
shows only the raw MyST test_lab.UNAVOIDABLE lists, Run All runs clean, every
control of the Vega-Lite chart moves by keyboard without the notebook taking
the keys, and a kernel restart is announced.  The ipywidgets sliders do NOT
answer the arrow keys in Notebook 7 (a known gap, asserted as such below).
"""

from __future__ import annotations

import time

import pytest

from .bookbrowser import SCREENSHOTS
from .test_lab import (NOTEBOOK, check_ipywidgets, check_raw, check_vega, context, open_notebook,  # noqa: F401
                       raw_myst, restart_and_check_stale, serve, start_run_all, wait_run_all)

CHAPTER = "02_inverse_time.ipynb"


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory):
    yield from serve(tmp_path_factory.mktemp("nb7"), "notebook")


def test_notebook7_prose_keyboard_and_restart(notebook7, context):  # noqa: F811 - the fixture
    base, token = notebook7
    t0 = time.monotonic()
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_notebook(page, base, token, CHAPTER, app="notebook")
        check_raw({CHAPTER: raw_myst(page, CHAPTER)})
        took = wait_run_all(page, start_run_all(page, base, token, CHAPTER, app="notebook"))
        notebook = page.locator(NOTEBOOK)
        moved = check_vega(page, notebook)
        assert moved == 3  # the live chart's lr0, decay_rate and epochs
        restart_and_check_stale(page, notebook)
        # KNOWN GAP (issue 11, open): Notebook 7 takes the arrow keys from a focused ipywidgets
        # slider handle (JupyterLab does not); the slider does not move.  This asserts the gap
        # so that a fix shows up here: then call check_ipywidgets(page, notebook) before the restart.
        slider = notebook.locator(".widget-vbox .widget-slider").first
        value = slider.locator(".widget-readout").inner_text()
        slider.locator(".noUi-handle").click()
        page.keyboard.press("ArrowRight")
        time.sleep(1)
        assert slider.locator(".widget-readout").inner_text() == value
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "notebook7_02_after_restart.png"))
    except Exception:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "notebook7_failure.png"))
        raise
    print(f"\nNotebook 7, {CHAPTER}: Run All {took:.0f} s, {moved} controls moved by keyboard; "
          f"{time.monotonic() - t0:.0f} s in all")
    assert not context.outside
