"""Sphinx extension: the English and Chinese editions, one click apart.

Both editions are built from the same executed notebooks (``make book``):
English at ``_build/html/``, Chinese at ``_build/html/zh_CN/``.  Every page
gets

- ``<link rel="alternate" hreflang=...>`` to itself in each edition, and
- ``edition_switch`` in the template context, rendered by
  ``book/_templates/language-switch.html`` in the article header: a link to the
  same page in the other edition.

The part captions of ``_toc.yml`` are inserted by sphinx-external-toc after
Sphinx has translated the root page, so they are translated here, from the
root page's own catalogue (where the gettext builder put them).

Interface words: ``locale/<lang>/LC_MESSAGES/sphinx.po`` comes before Sphinx's
and pydata-sphinx-theme's own catalogues (Sphinx puts ``locale_dirs`` first);
sphinx-book-theme's catalogue ``booktheme`` is replaced here by
``locale/<lang>/LC_MESSAGES/booktheme.po`` with the theme's as fallback.
"""

from __future__ import annotations

import io
from gettext import GNUTranslations
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from docutils import nodes
from sphinx import addnodes
from sphinx import locale
from sphinx.locale import init as init_locale
from sphinx.util.i18n import docname_to_domain

# language code -> (folder under the English build, hreflang, switch label)
EDITIONS = {
    "en": ("", "en", "English"),
    "zh_CN": ("zh_CN/", "zh-Hans", "中文"),
}


def _translate_captions(app, doctree: nodes.document) -> None:
    if app.config.language == "en" or app.env.docname != app.config.root_doc:
        return
    dirs = [str(Path(app.srcdir, d)) for d in app.config.locale_dirs]
    domain = docname_to_domain(app.env.docname, app.config.gettext_compact)
    catalog, has_catalog = init_locale(dirs, app.config.language, domain)
    if not has_catalog:
        return
    for toctree in doctree.findall(addnodes.toctree):
        if toctree.get("caption"):
            toctree["caption"] = toctree["rawcaption"] = catalog.gettext(toctree["caption"])


def _theme_catalogue(app) -> None:
    po = Path(app.srcdir, "locale", app.config.language, "LC_MESSAGES", "booktheme.po")
    if not po.is_file():
        return
    with po.open("rb") as f:
        mo = io.BytesIO()
        write_mo(mo, read_po(f))
    mo.seek(0)
    ours = GNUTranslations(mo)
    theirs = locale.translators.get(("general", "booktheme"))
    if theirs is not None:
        ours.add_fallback(theirs)
    locale.translators[("general", "booktheme")] = ours


def _page_context(app, pagename, templatename, context, doctree) -> None:
    here = app.config.language
    depth = pagename.count("/") + (1 if EDITIONS[here][0] else 0)
    to_english_root = "../" * depth
    links, switch = [], []
    for lang, (folder, hreflang, label) in EDITIONS.items():
        href = f"{to_english_root}{folder}{pagename}.html"
        links.append(f'<link rel="alternate" hreflang="{hreflang}" href="{href}" />')
        if lang != here:
            switch.append({"href": href, "hreflang": hreflang, "label": label})
    context["metatags"] = context.get("metatags", "") + "\n".join(links)
    context["edition_switch"] = switch
    if here != "en":  # jupyter-book sets the search box's words in English
        search = locale.get_translation("booktheme")("Search this book...")
        context["theme_search_bar_text"] = search


def setup(app):
    app.connect("doctree-read", _translate_captions, priority=900)
    app.connect("html-page-context", _page_context)
    app.connect("builder-inited", _theme_catalogue)
    app.add_css_file("editions.css")  # book/_static, registered by book/_ext/a11y.py
    return {"parallel_read_safe": True, "parallel_write_safe": True}
