"""JupyterLab end to end, as a reader of `make lab` uses it.

Start JupyterLab on a free localhost port (token, no browser) over a
temporary copy of book/ (so autosave never writes outputs into the repo),
open chapter 3 in Chromium with the network blocked, Run All, then move the
ipywidgets explorer's ``decay_rate`` slider with the keyboard and check that
the curve's picture and the read-outs changed, and that the half-life read
out is decaylib's for the slider's new value.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from .bookbrowser import REPO, SCREENSHOTS, free_port

NOTEBOOK = "02_inverse_time.ipynb"
START_TIMEOUT = 90  # s: server up
RUN_TIMEOUT = 180_000  # ms: Run All of the chapter (kernel start, torch/keras/jax imports; ~45 s here)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """(base URL, token) of a JupyterLab serving a copy of book/."""
    root = tmp_path_factory.mktemp("lab")
    work = root / "book"
    shutil.copytree(REPO / "book", work, ignore=shutil.ignore_patterns("_vendor", ".ipynb_checkpoints"))
    config = root / "config"
    (config / "labconfig").mkdir(parents=True)
    # No "receive Jupyter news?" toast over the notebook.
    (config / "labconfig" / "page_config.json").write_text(
        '{"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": true}}'
    )
    # Render every cell (JupyterLab 4 otherwise detaches the cells scrolled out of view).
    tracker = root / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}')
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTER_RUNTIME_DIR=str(root / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(root / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"),
               KERAS_BACKEND="jax")
    env.pop("MPLBACKEND", None)  # as `make lab`: the kernel's inline backend
    log = open(root / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
         f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={work}", "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"JupyterLab did not start:\n{(root / 'lab.log').read_text()[-3000:]}")
        time.sleep(0.5)
    yield base, token
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def _number(text: str) -> float:
    match = re.search(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", text)
    assert match, text
    return float(match.group())


def test_lab_run_all_and_move_a_slider(lab, offline_page, page_log):
    import decaylib

    base, token = lab
    page = offline_page
    page.set_default_timeout(60_000)
    page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}")
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    notebook.locator(".jp-Cell").first.wait_for()
    try:
        # the kernel has started (status bar: "Python 3 (ipykernel) | Idle")
        page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\|\s*Idle")).first.wait_for(timeout=RUN_TIMEOUT)
        # Run > Run All Cells
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-item", has_text=re.compile(r"^Run All Cells")).click()
        # JupyterLab may still ask which kernel to use: take the proposed one
        select = page.locator(".jp-Dialog .jp-mod-accept")
        try:
            select.wait_for(timeout=3_000)
            select.click()
        except PlaywrightTimeout:
            pass

        def slider_of(name):
            return page.locator(".widget-slider", has=page.locator(".widget-label", has_text=re.compile(rf"^{name}$")))

        # the explorer: the widget box holding a decay_rate slider and the read-out table
        explorer = (notebook.locator(".widget-vbox").filter(has=slider_of("decay_rate"))
                    .filter(has=page.locator("table.decaylib-readout")).first)
        slider = explorer.locator(slider_of("decay_rate")).first
        slider.wait_for(state="visible", timeout=RUN_TIMEOUT)
        # wait until Run All is over (no queued or running "[*]" cell left) ...
        page.wait_for_function(
            """() => {
              const prompts = [...document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent);
              return prompts.length > 0 && !prompts.some(p => p.includes('*'));
            }""",
            timeout=RUN_TIMEOUT,
        )
        # ... with no traceback (JupyterLab shows errors as stderr) and every cell run
        tracebacks = notebook.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
                                      has_text=re.compile(r"Traceback \(most recent call last\)|\w+Error: "))
        assert tracebacks.count() == 0, f"a cell failed:\n{tracebacks.first.inner_text()[-2000:]}"
        prompts = notebook.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
        assert all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts), prompts

        picture = explorer.locator(".widget-html img").first
        readout = explorer.locator("table.decaylib-readout").first
        before = (picture.get_attribute("src"), picture.get_attribute("alt"), readout.inner_text())
        value_before = float(slider.locator(".widget-readout").inner_text())

        handle = slider.locator(".noUi-handle")
        handle.focus()
        for _ in range(10):
            page.keyboard.press("ArrowLeft")
        slider.locator(".widget-readout").filter(has_not_text=re.compile(rf"^{re.escape(f'{value_before:.2f}')}$")).wait_for()
        value_after = float(slider.locator(".widget-readout").inner_text())
        assert value_after < value_before

        # the kernel redraws: picture, alt text and read-outs follow the slider
        page.wait_for_function(
            "([img, old]) => img.getAttribute('src') !== old",
            arg=[picture.element_handle(), before[0]],
            timeout=30_000,
        )
        page.wait_for_function("([el, old]) => el.innerText !== old", arg=[readout.element_handle(), before[2]])
        after = (picture.get_attribute("src"), picture.get_attribute("alt"), readout.inner_text())
        assert after[0] != before[0] and after[0].startswith("data:image/png;base64,")
        assert f"decay_rate={value_after:g}" in after[1], after[1]

        half_life_row = next(line for line in after[2].splitlines() if line.startswith("half-life"))
        lr0 = float(explorer.locator(slider_of("lr0")).locator(".widget-readout").inner_text())
        expected = decaylib.inverse_time(lr0=lr0, decay_rate=value_after).half_life()
        assert _number(half_life_row.split("\t", 1)[-1].split("epochs")[0]) == pytest.approx(expected, rel=1e-3)

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        explorer.screenshot(path=str(SCREENSHOTS / "lab_03_inverse_time_explorer.png"))
    except Exception:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "lab_failure.png"))
        raise
    assert not page_log.outside_requests
