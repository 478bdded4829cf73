"""Build one edition of the book with jupyter-book's own Sphinx set-up.

The jupyter-book 1.x CLI cannot pass a Sphinx setting such as ``language``
(jupyter-book #1791), so the Chinese edition and the message catalogues are
built through ``jupyter_book.sphinx.build_sphinx``, the function the CLI
calls, with the same ``_config.yml`` and two overrides: the language, and the
jupyter-cache the English build already filled (every notebook is executed
once, for both editions).

    python book/_ext/edition.py gettext OUT          # .pot files into OUT
    python book/_ext/edition.py html zh_CN OUT       # the Chinese edition

Both builds run with ``-W -n --keep-going`` like ``make book``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# what _config.yml (or an extension's default) says in English and is not a
# message of any page
SETTINGS = {"zh_CN": {"html_title": "学习率衰减：从推导到实践",
                      "author": "decaylib 作者",
                      "togglebutton_hint": "点击展开",
                      "togglebutton_hint_hide": "点击收起"}}


def build(builder: str, language: str, out: Path, jcache: Path) -> int:
    from jupyter_book.sphinx import build_sphinx

    os.chdir(ROOT)
    overrides = {
        "external_toc_path": "_toc.yml",
        "nitpicky": True,
        "latex_individualpages": False,
        "language": language,
        "nb_execution_cache_path": str(jcache.resolve()),
        **SETTINGS.get(language, {}),
    }
    result = build_sphinx(
        str(ROOT),
        str(out / builder),
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        confoverrides=overrides,
        doctreedir=str(out / ".doctrees"),
        builder=builder,
        warningiserror=True,
        keep_going=True,
    )
    return result if isinstance(result, int) else 1


def main(argv: list[str]) -> int:
    jcache = Path(os.environ.get("JCACHE", ROOT / "_build" / ".jupyter_cache"))
    if argv[:1] == ["gettext"] and len(argv) == 2:
        return build("gettext", "en", Path(argv[1]), jcache)
    if argv[:1] == ["html"] and len(argv) == 3:
        return build("html", argv[1], Path(argv[2]), jcache)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
