"""The ``{eval}`` role from stored results: the bridge to MyST-NB #597.

The prose quotes computed numbers as MyST inline expressions,
``{eval}`f"{half_life:.3g}"```, which JupyterLab (jupyterlab-myst) evaluates
in the learner's kernel.  myst-nb 1.4 evaluates ``{eval}`` only with a live
kernel; MyST-NB #596 / PR #597 (reading the results stored in the notebook,
agreed upstream, not released) would make this file unnecessary.

book/_ext/execute.py runs the notebooks into jupyter-cache and stores every
Markdown cell's results in jupyterlab-myst's format (``user_expressions``,
also kept in the notebook metadata by cell id, since the cache keeps only code
cells).  This role takes the result of its expression from the executed
notebook of the page being read (the English source and the Chinese
translations alike) and renders it with myst-nb's own
``render_variable_outputs``, strings without their quotes as myst-nb's
``EvalRoleAny`` does.  A missing, failed or ambiguous result (one expression
with two different values on a page) is a warning naming the page and the
expression, so the ``-W`` build fails.

A result whose data is Markdown (a table, ``IPython.display.Markdown``)
standing alone in its paragraph is rendered as blocks (MyST syntax) in place
of that paragraph, before the translation transform, so its cells are
translated like any other table's.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from docutils import nodes
from docutils.transforms import Transform
from jupyter_cache import get_cache
from myst_nb.core.render import NbElementRenderer
from myst_nb.core.variables import VariableOutput, render_variable_outputs
from myst_nb.ext.utils import RoleBase
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
METADATA_KEY = "user_expressions"  # as book/_ext/execute.py writes it
_RESULTS: dict[tuple[str, str, float], dict[str, list[dict]]] = {}


class eval_block(nodes.General, nodes.Element):
    """Markdown blocks of one result, until HoistEvalBlocks puts them in place."""


def stored_results(env, docname: str) -> dict[str, list[dict]]:
    """Expression -> the distinct results the executed notebook holds for it."""
    path = Path(env.doc2path(docname))
    # the cache myst-nb uses (it resolves an empty nb_execution_cache_path at builder-inited)
    cache_path = str(env.mystnb_config.execution_cache_path)
    key = (cache_path, str(path), path.stat().st_mtime)
    if key not in _RESULTS:
        cache = get_cache(cache_path)
        source = nbformat.read(path, as_version=4)
        try:
            record = cache.match_cache_notebook(source)
        except KeyError:
            executed = {}
        else:
            executed = cache.get_cache_bundle(record.pk).nb.metadata.get(METADATA_KEY, {})
        found: dict[str, list[dict]] = {}
        for entries in executed.values():
            for entry in entries:
                same = found.setdefault(entry["expression"], [])
                if all(json.dumps(r, sort_keys=True) != json.dumps(entry["result"], sort_keys=True)
                       for r in same):
                    same.append(entry["result"])
        _RESULTS[key] = found
    return _RESULTS[key]


class _NoParser:
    """A translated message is parsed without myst-nb's notebook renderer; only
    inline text needs none (render_text_plain_inline uses the data alone)."""


class EvalRoleStored(RoleBase):
    """``{eval}`expr``` with the result stored at execution (not a live kernel)."""

    def run(self):
        env = self.document.settings.env
        docname = env.docname
        results = stored_results(env, docname)
        problem = None
        if self.text not in results:
            problem = "has no stored result (run book/_ext/execute.py)"
        elif len(results[self.text]) > 1:
            problem = "has different results in different cells: bind another name"
        if problem:
            LOGGER.warning(f"{docname}: {{eval}} expression {self.text!r} {problem}",
                           location=(docname, self.line), type="eval", subtype="stored")
            return [nodes.inline(self.rawtext, self.rawtext)], []
        result = results[self.text][0]
        renderer = self.document.get("nb_renderer") or NbElementRenderer(_NoParser(), LOGGER)
        output = VariableOutput(data=result.get("data", {}),
                                metadata={**result.get("metadata", {}), "strip_text_quotes": True},
                                nb_renderer=renderer, vtype="eval")
        if "text/markdown" in output.data and "nb_renderer" in self.document:
            block = eval_block()
            block.extend(render_variable_outputs([output], self.document, self.line, self.source,
                                                 inline=False, render={"markdown_format": "myst"}))
            # the translation transform skips nodes without a source: the table's cells are
            # messages of the page like those of a table written in the notebook
            self.set_source_info(block)
            return [block], []
        if set(output.data) - {"text/plain"} and "nb_renderer" not in self.document:
            LOGGER.warning(f"{docname}: {{eval}} expression {self.text!r}: only text results "
                           "can be used in a translation", location=(docname, self.line))
        rendered = render_variable_outputs([output], self.document, self.line, self.source,
                                           inline=True)
        for node in rendered:  # a value, not prose: "cos" stays "cos" (SmartQuotes runs on
            node["support_smartquotes"] = False  # translated messages, myst-nb's glue did not)
        return rendered, []


class HoistEvalBlocks(Transform):
    """A Markdown result alone in its paragraph replaces that paragraph."""

    default_priority = 15  # before sphinx.transforms.i18n.Locale (20)

    def apply(self, **kwargs):
        for block in list(self.document.findall(eval_block)):
            para = block.parent
            alone = isinstance(para, nodes.paragraph) and all(
                child is block or (isinstance(child, nodes.Text) and not child.strip())
                for child in para.children)
            if alone:
                para.replace_self(block.children)
            else:
                LOGGER.warning("an {eval} result in Markdown must stand alone in its paragraph",
                               location=block)
                block.replace_self(block.children)


def setup(app):
    app.setup_extension("myst_nb")
    app.add_role("eval", EvalRoleStored(), override=True)
    app.add_node(eval_block)
    app.add_transform(HoistEvalBlocks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
