"""Sphinx extension: leave the ipywidgets state out of the built pages.

myst-nb embeds each notebook's saved widget state in its page for a widget
manager to read.  This book loads none (``nb_ipywidgets_js: {}`` in
_config.yml): an explorer shows its static figure and says how to run it
live.  The state is never read, yet it was 48-110 KB of a chapter page (the
chart widget's PNG, the slider models).
"""


def _drop_widget_state(app, doctree):
    # myst-nb keeps a page's scripts in env.nb_metadata[docname]["js_files"]
    meta = getattr(app.env, "nb_metadata", {}).get(app.env.docname, {})
    meta.get("js_files", {}).pop("ipywidgets_state", None)


def setup(app):
    app.connect("doctree-read", _drop_widget_state)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
