"""Execute the book's notebooks into jupyter-cache, with their ``{eval}`` results.

    JUPYTERCACHE=_build/.jupyter_cache python book/_ext/execute.py [--timeout 600]

The prose quotes computed numbers as MyST inline expressions,
``{eval}`f"{half_life:.3g}"```.  JupyterLab (jupyterlab-myst) evaluates them
when a learner runs a Markdown cell; myst-nb 1.4 evaluates them only with a
live kernel (inline execution mode).  This is the bridge to MyST-NB #596/#597
("get eval results from metadata", not released): the notebooks are run here
the way a learner runs them, and every Markdown cell's expressions are
evaluated after the code cells above it, as jupyterlab-myst does (one execute
request, empty code, ``user_expressions`` {"0": expr, "1": ...}); the replies
are stored in jupyterlab-myst's format, ``cell.metadata.user_expressions =
[{"expression": expr, "result": {"status": "ok", "data": {...}, ...}}]``.
jupyter-cache keeps only the code cells of an executed notebook, so the same
lists are also kept in the notebook's metadata (``user_expressions``, by cell
id), which the cache does keep; book/_ext/eval_results.py reads them there.

Everything else is jupyter-cache's own local-parallel executor (one notebook
per core, the cache, the timeout).  A cell error, a timeout or an expression
whose status is not "ok" fails the run: the tracebacks are printed and the
exit status is 1 (the build stops).  The cache matches notebooks by their code
cells only, so a cached notebook whose Markdown expressions changed is dropped
from the cache first, and executed again.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing as mproc
import os
import re
import sys
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from jupyter_cache.cache.db import NbProjectRecord
from jupyter_cache.executors.base import ExecutorRunResult
from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc, JupyterExecutorLocalMproc, ProcessData
from jupyter_cache.executors.utils import ExecutionResult
from jupyter_cache.utils import Timer
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError
from jupyter_core.utils import ensure_async

METADATA_KEY = "user_expressions"
_ROLE = re.compile(r"\{eval\}`([^`]+)`")
# what MyST shows literally: fenced code without a directive, ``code`` spans
_LITERAL = re.compile(r"^(```+|~~~+)(?!\s*\{).*?^\1\s*$|``.+?``", re.S | re.M)


def expressions(markdown: str) -> list[str]:
    """The ``{eval}`` expressions of a Markdown cell, in document order."""
    return _ROLE.findall(_LITERAL.sub("", markdown))


def cell_expressions(cell) -> list[str]:
    """A Markdown cell's expressions, or those of a code cell's figure caption."""
    if cell.cell_type == "markdown":
        return expressions(cell.source)
    if cell.cell_type == "code":
        return expressions(cell.metadata.get("mystnb", {}).get("figure", {}).get("caption", ""))
    return []


def expected(nb) -> dict[str, list[str]]:
    """Cell id -> the expressions of that cell (cells with any)."""
    return {cell.get("id", str(i)): found
            for i, cell in enumerate(nb.cells) if (found := cell_expressions(cell))}


def stored(nb) -> dict[str, list[str]]:
    """Cell id -> the expressions whose results an executed notebook holds."""
    return {
        cell_id: [entry["expression"] for entry in entries]
        for cell_id, entries in nb.metadata.get(METADATA_KEY, {}).items()
    }


class EvalNotebookClient(NotebookClient):
    """nbclient, plus jupyterlab-myst's evaluation of each Markdown cell."""

    async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                 store_history=True):
        if cell.cell_type == "code":
            cell = await super().async_execute_cell(
                cell, cell_index, execution_count, store_history)
            # a figure caption in the cell's metadata (myst-nb's mystnb.figure.caption)
            exprs = expressions(cell.metadata.get("mystnb", {}).get("figure", {}).get("caption", ""))
        elif cell.cell_type == "markdown":
            exprs = expressions(cell.source)
        else:
            exprs = []
        if not exprs:
            return cell
        named = {str(i): expr for i, expr in enumerate(exprs)}
        msg_id = await ensure_async(self.kc.execute(
            code="", silent=False, store_history=False, user_expressions=named))
        reply = await self.async_wait_for_reply(msg_id, cell)
        content = reply["content"]
        if content["status"] != "ok":
            raise CellExecutionError.from_cell_and_msg(cell, content)
        results = [{"expression": named[key], "result": content["user_expressions"][key]}
                   for key in named]
        for entry in results:
            result = entry["result"]
            if result.get("status") != "ok":
                raise CellExecutionError(
                    "\n".join(result.get("traceback", [])) + "\n"
                    f"{{eval}} expression {entry['expression']!r} in Markdown cell "
                    f"{cell.get('id', cell_index)} failed: "
                    f"{result.get('ename', '')}: {result.get('evalue', '')}",
                    result.get("ename", ""), result.get("evalue", ""))
        if cell.cell_type == "markdown":  # (a code cell's metadata is part of the cache's hash)
            cell.metadata[METADATA_KEY] = results
        self.nb.metadata.setdefault(METADATA_KEY, {})[cell.get("id", str(cell_index))] = results
        return cell


def execute_with_expressions(nb, cwd, timeout, allow_errors) -> ExecutionResult:
    """jupyter-cache's ``single_nb_execution``, with the client above."""
    if "execution" in nb.metadata:  # notebook-level overrides, as jupyter-cache reads them
        timeout = nb.metadata.execution.get("timeout", timeout)
        allow_errors = nb.metadata.execution.get("allow_errors", allow_errors)
    nb.metadata.pop(METADATA_KEY, None)
    error = exc_string = None
    timer = Timer()
    with timer:
        try:
            # record_timing=False as jupyter-cache: timings in a code cell's
            # metadata would change the notebook's hash, and nothing would match
            EvalNotebookClient(nb, timeout=timeout, allow_errors=allow_errors,
                               record_timing=False,
                               resources={"metadata": {"path": cwd}}).execute()
        except (CellExecutionError, CellTimeoutError) as err:
            import traceback

            error, exc_string = err, "".join(traceback.format_exc())
    return ExecutionResult(nb, cwd, timer.last_split, error, exc_string)


class EvalWorker(ExecutionWorkerLocalMProc):
    @staticmethod
    def execute(project_nb, data) -> ExecutionResult:
        return execute_with_expressions(project_nb.nb, str(Path(project_nb.uri).parent),
                                        data.timeout, data.allow_errors)


def code_size(record) -> int:
    """Characters of code in a notebook: the longest-running chapters have the most (measured:
    chapters 10 and 8, 20-22 s alone, hold the most code; chapter 1, 6 s, among the least)."""
    nb = nbformat.read(record.uri, as_version=4)
    return sum(len(cell.source) for cell in nb.cells if cell.cell_type == "code")


class EvalExecutor(JupyterExecutorLocalMproc):
    """jupyter-cache's local-parallel executor (one notebook per core), EvalWorker.

    Upstream hands the notebooks to ``Pool.map`` in table-of-contents order and in chunks of two,
    so the longest chapters can start last and run alone at the end, one core idle.  Here each
    worker takes the next notebook as soon as it is free, the biggest first."""

    _EXECUTION_WORKER = EvalWorker

    def run_and_cache(self, *, filter_uris=None, filter_pks=None, timeout=30, allow_errors=False,
                      force=False) -> ExecutorRunResult:
        records = sorted(self.get_records(filter_uris, filter_pks, clear_tracebacks=True), key=code_size,
                         reverse=True)
        mproc.log_to_stderr(self.logger.level)
        jobs = [ProcessData(r.pk, r.uri, self.cache, timeout, allow_errors) for r in records]
        with mproc.Pool() as pool:
            results = list(pool.imap_unordered(self._EXECUTION_WORKER(), jobs, chunksize=1))
        return ExecutorRunResult(
            succeeded=[p for i, p in results if i == 0],
            excepted=[p for i, p in results if i == 1],
            errored=[p for i, p in results if i == 2],
        )


def drop_stale(cache) -> list[str]:
    """Remove cached notebooks whose stored expressions no longer match the source."""
    dropped = []
    for record in cache.list_project_records():
        cached = cache.get_cached_project_nb(record.pk)
        if cached is None:
            continue
        source = cache.get_project_notebook(record.pk).nb
        if expected(source) != stored(cache.get_cache_bundle(cached.pk).nb):
            cache.remove_cache(cached.pk)
            dropped.append(record.uri)
    return dropped


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=int, default=600)
    args = parser.parse_args(argv)
    cache = get_cache(os.environ.get("JUPYTERCACHE", ".jupyter_cache"))
    logger = logging.getLogger("execute")
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    for uri in drop_stale(cache):
        print(f"{{eval}} expressions changed, executing again: {uri}", file=sys.stderr)
    result = EvalExecutor(cache, logger).run_and_cache(timeout=args.timeout)
    failed = result.excepted + result.errored
    for uri in failed:
        tb = NbProjectRecord.record_from_uri(uri, cache.db).traceback
        print(f"\nExecution failed: {uri}\n{tb or '(traceback above)'}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
