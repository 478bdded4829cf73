"""JupyterLab: the prose of the chapters without explorers shows no raw MyST (test_lab.py checks
the chapters it runs, before and after Run All).

A module of its own, with its own JupyterLab server (test_lab.serve), so that pytest-xdist's
``--dist loadscope`` runs it on another worker beside test_lab.py's long Run All.
"""

from __future__ import annotations

import time

from .test_lab import (CHAPTERS, EXPLORER_CHAPTERS, check_raw, context, lab, open_notebook,  # noqa: F401
                       raw_myst)


def test_lab_prose_has_no_raw_myst(lab, context):
    """The chapters test_lab.py's Run All does not open (it counts the others, before and after
    it runs them: one opening per chapter, each costs seconds of JupyterLab rendering)."""
    base, token = lab
    page = context.new_page()
    t0 = time.monotonic()
    seen = {}
    for name in [n for n in CHAPTERS if n not in EXPLORER_CHAPTERS]:
        open_notebook(page, base, token, name)
        seen[name] = raw_myst(page, name)
    print(f"\nraw MyST per chapter (jupyterlab-myst): {seen}; {time.monotonic() - t0:.0f} s")
    check_raw(seen)
    assert not context.outside
