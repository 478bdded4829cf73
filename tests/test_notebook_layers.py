"""Every chapter notebook has two layers: what the reader sees, and the proof.

The proof (asserts, glue, consistency checks) lives in code cells that the
HTML drops (tag ``remove-cell``, or ``remove-input`` when the cell draws a
figure the reader sees) and that JupyterLab shows collapsed
(``metadata.jupyter.source_hidden``); nbval still runs them.  These checks
read the notebooks as stored, so they fail before any build does.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))

#: what only a check does; a reader never needs to see it
SCAFFOLDING = re.compile(r"^\s*assert\b|\bglue\(|np\.testing\.|\bmath\.isclose\(|# what the alt text", re.M)
#: tags that keep a cell's code out of the page
HIDING = {"remove-cell", "remove-input", "hide-input", "hide-cell"}
#: tags whose cell's code the reader never sees, not even behind a toggle
REMOVING = {"remove-cell", "remove-input"}


def cells(path):
    return json.loads(path.read_text())["cells"]


def test_chapters_found():
    names = [p.stem for p in CHAPTERS]
    assert len(names) >= 10 and names[0] == "01_why_decay", names


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_scaffolding_is_in_the_proof_layer(path):
    """No assert, glue or testing call in a cell the reader sees."""
    shown = []
    for i, c in enumerate(cells(path)):
        if c["cell_type"] != "code":
            continue
        src = "".join(c["source"])
        tags = set(c.get("metadata", {}).get("tags", []))
        if SCAFFOLDING.search(src) and not tags & REMOVING:
            shown.append(f"cell {i}: {SCAFFOLDING.search(src).group(0).strip()!r}")
    assert not shown, f"{path.name}: test scaffolding in visible cells:\n  " + "\n  ".join(shown)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_hidden_cells_are_collapsed_in_jupyterlab(path):
    """A cell the page hides is collapsed in JupyterLab too, so both readers see the same story."""
    open_ = []
    for i, c in enumerate(cells(path)):
        meta = c.get("metadata", {})
        if set(meta.get("tags", [])) & HIDING and not meta.get("jupyter", {}).get("source_hidden"):
            open_.append(i)
    assert not open_, f"{path.name}: cells hidden on the page but expanded in JupyterLab: {open_}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    """Outputs come from execution (make book, nbval), never from the file."""
    stale = [i for i, c in enumerate(cells(path)) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert not stale, f"{path.name}: cells saved with outputs: {stale}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_imports_decaylib(path):
    assert any("decaylib" in "".join(c["source"]) for c in cells(path) if c["cell_type"] == "code")
