"""{eval} in the prose: book/_ext/execute.py stores the results, book/_ext/eval_results.py renders them.

A two-cell notebook in a fresh jupyter-cache: executed, its expression's result
is stored in jupyterlab-myst's shape; an expression that fails fails the run;
a Sphinx build (myst-nb + the extension, execution mode "cache") shows the
value, and a result the cache does not hold is a warning naming the expression.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import execute  # noqa: E402  (book/_ext/execute.py)


def notebook(path: Path, markdown: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("half_life = 10 / 3"),
                nbformat.v4.new_markdown_cell(markdown)]
    nb.cells[1].id = "prose"
    nbformat.write(nb, path)
    return path


def run(cache_dir: Path, nb_path: Path) -> subprocess.CompletedProcess:
    """book/_ext/execute.py over a jupyter-cache holding ``nb_path``, as the Makefile runs it: in a
    process of its own (its executor forks; a pytest worker may hold JAX's threads, and a fork of
    a multithreaded process can deadlock)."""
    from jupyter_cache import get_cache

    get_cache(cache_dir).add_nb_to_project(str(nb_path))
    return subprocess.run([sys.executable, str(ROOT / "book" / "_ext" / "execute.py"), "--timeout", "120"],
                          env={**os.environ, "JUPYTERCACHE": str(cache_dir)}, capture_output=True, text=True)


def test_expressions_parsed_in_order_outside_literals():
    md = ('a {eval}`f"{x:.3g}"` b {eval}`y` ``{eval}`not_me` ``\n\n'
          "```python\n{eval}`nor_me`\n```\n\n:::{note}\n{eval}`z`\n:::")
    assert execute.expressions(md) == ['f"{x:.3g}"', "y", "z"]


def test_results_stored_in_jupyterlab_myst_shape(tmp_path):
    from jupyter_cache import get_cache

    nb_path = notebook(tmp_path / "page.ipynb",
                       'Halves after {eval}`f"{half_life:.3g}"` epochs ({eval}`half_life > 3`).')
    assert run(tmp_path / "cache", nb_path).returncode == 0
    cache = get_cache(tmp_path / "cache")
    record = cache.match_cache_notebook(nbformat.read(nb_path, as_version=4))
    stored = cache.get_cache_bundle(record.pk).nb.metadata["user_expressions"]
    assert stored == {"prose": [
        {"expression": 'f"{half_life:.3g}"',
         "result": {"status": "ok", "data": {"text/plain": "'3.33'"}, "metadata": {}}},
        {"expression": "half_life > 3",
         "result": {"status": "ok", "data": {"text/plain": "True"}, "metadata": {}}}]}
    # a changed expression: the cached notebook is dropped and executed again
    notebook(nb_path, 'Halves after {eval}`f"{half_life:.2f}"` epochs.')
    assert execute.drop_stale(cache) == [str(nb_path)]
    assert run(tmp_path / "cache", nb_path).returncode == 0


def test_failing_expression_fails_the_run(tmp_path):
    nb_path = notebook(tmp_path / "page.ipynb", "Broken: {eval}`half_lif * 2`.")
    done = run(tmp_path / "cache", nb_path)
    assert done.returncode == 1
    err = done.stderr
    assert "half_lif * 2" in err and "NameError" in err


@pytest.fixture(scope="module")
def executed_page(tmp_path_factory):
    """src/page.ipynb executed once into a fresh jupyter-cache, cache/: each role test builds from a copy."""
    root = tmp_path_factory.mktemp("executed")
    (root / "src").mkdir()
    nb_path = notebook(root / "src" / "page.ipynb", 'Halves after {eval}`f"{half_life:.3g}"` epochs.')
    assert run(root / "cache", nb_path).returncode == 0
    return root


@pytest.mark.parametrize("missing", [False, True])
def test_role_renders_the_stored_value(tmp_path, executed_page, missing):
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    shutil.copytree(executed_page / "src", src)
    shutil.copytree(executed_page / "cache", tmp_path / "cache")  # matched by the notebook's code, not its path
    nb_path = src / "page.ipynb"
    (src / "conf.py").write_text(
        f"import sys; sys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\n"
        "extensions = ['myst_nb', 'eval_results']\n"
        "nb_execution_mode = 'cache'\n"
        f"nb_execution_cache_path = {str(tmp_path / 'cache')!r}\n"
        "nb_execution_raise_on_error = True\n")
    (src / "index.md").write_text("# Test\n\n```{toctree}\npage\n```\n")
    if missing:  # the prose gains an expression the execution did not evaluate
        nb = nbformat.read(nb_path, as_version=4)
        nb.cells[1].source += " Also {eval}`half_life * 2`."
        nbformat.write(nb, nb_path)
    warnings = tmp_path / "warnings.txt"
    with warnings.open("w") as w:
        app = Sphinx(str(src), str(src), str(tmp_path / "html"), str(tmp_path / "doctrees"),
                     "html", warning=w, freshenv=True)
        app.build()
    from jupyter_cache import get_cache

    def records(cache):
        return [(r.hashkey, r.created) for r in get_cache(cache).list_cache_records()]

    assert records(tmp_path / "cache") == records(executed_page / "cache")  # read from the copy, nothing executed
    html = (tmp_path / "html" / "page.html").read_text()
    text = warnings.read_text()
    assert "Halves after" in html and ">3.33<" in html and "{eval}" not in html.replace("Also {eval}", "")
    if missing:
        assert "page: {eval} expression 'half_life * 2' has no stored result" in text
    else:
        assert "eval" not in text, text
