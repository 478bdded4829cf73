"""Every reader (issue 13): the book's own stylesheet, and ARIA roles axe-core accepts.

* ``book/_static/a11y.css`` is added to every page (jupyter-book 1.x only
  picks up a ``_static`` folder next to ``_config.yml``; the book's sources
  live in ``book/``, so the folder and the stylesheet are registered here).
* Sphinx 7 writes the bibliography as ``<div role="list">`` whose entries have
  the deprecated DPUB role ``doc-biblioentry`` (not a ``listitem``): axe-core
  reports a critical ``aria-required-children`` violation.  The entries become
  ``role="listitem"``, which screen readers announce as the list's items.
"""
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "_static"


def _static_path(app, config):
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path.append(str(STATIC))


def _roles(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("config-inited", _static_path)
    app.add_css_file("a11y.css")
    app.connect("html-page-context", _roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
