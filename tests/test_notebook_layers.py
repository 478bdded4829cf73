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


#: ``{eval}`expr``` in the prose (MyST inline expressions, jupyterlab-myst and book/_ext/eval_results.py)
EVAL = re.compile(r"\{eval\}`([^`]+)`")


def bound_names(source: str) -> set[str]:
    """The names a code cell binds (assignments, loops, imports, defs, ``global``), magics aside."""
    import ast

    tree = ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line
                               for line in source.split("\n")))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.Global):
            names.update(node.names)
    return names


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_eval_names_are_bound_above_their_prose(path):
    """Run All in JupyterLab renders each Markdown cell when it is reached: every name an
    ``{eval}`` expression reads must be bound by a code cell above it (the hidden proof cell)."""
    import builtins

    late, bound = [], set(dir(builtins))
    for i, c in enumerate(cells(path)):
        src = "".join(c["source"])
        if c["cell_type"] == "code":
            bound |= bound_names(src)
            continue
        if c["cell_type"] != "markdown":
            continue
        for expr in EVAL.findall(src):
            # the names the expression reads (not attribute names, string contents or format specs)
            code = re.sub(r"'[^']*'|\"(?=[^{]*\")[^\"]*\"", "", expr.removeprefix("f").strip("\"'"))
            names = set(re.findall(r"(?<![\w.\"'])([A-Za-z_]\w*)", re.sub(r":[^{}]*}", "}", code)))
            if names - bound:
                late.append(f"cell {i}: {expr} needs {sorted(names - bound)}")
    assert not late, f"{path.name}: {{eval}} before its names are bound:\n  " + "\n  ".join(late)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_glue_in_the_prose(path):
    """Computed numbers are ``{eval}`` expressions: JupyterLab (jupyterlab-myst) does not know
    myst-nb's glue roles and would show their keys where the book shows numbers."""
    found = [f"cell {i}: {m}" for i, c in enumerate(cells(path)) if c["cell_type"] == "markdown"
             for m in re.findall(r"\{glue(?::\w+)?\}`[^`]*`|```\{glue:\w+\}.*", "".join(c["source"]))]
    assert not found, f"{path.name}: glue in the prose:\n  " + "\n  ".join(found)
