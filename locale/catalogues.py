"""Keep the Chinese edition's message catalogues in step with the English book.

The English notebooks and pages are the only source; ``locale/zh_CN/
LC_MESSAGES/book/<page>.po`` hold one translation per authored message.

    python locale/catalogues.py update   # fresh .pot from the executed book, then sphinx-intl
    python locale/catalogues.py check    # what is untranslated, fuzzy, stale or broken

``update`` also fills the messages that hold nothing to translate (a display
formula, a number) with their own text.  Computed numbers are ``{eval}``
expressions, the same in both languages: book/_ext/eval_results.py takes their
results from the page's executed notebook, in a translated message too (the
glue roles this tool once rewrote to ``page.ipynb::key`` are gone).

``check`` (also run by tests/test_translations.py) fails on a message that is
missing, empty, fuzzy or stale (in the .po but no longer in the book), and on
a translation whose ``$...$`` math, roles (``{doc}`...```, ``{eq}``, ``{eval}``...)
or inline code differ from its source.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANG = "zh_CN"
PO_DIR = LOCALE / LANG / "LC_MESSAGES"

# what must survive translation unchanged
_MATH = re.compile(r"(?<!\\)\$\$?(?:[^$\\]|\\.)+?\$\$?")
_ROLE = re.compile(r"\{([a-z:]+)\}`([^`]*)`")
_CODE = re.compile(r"(?<![}`])`([^`]+)`")


def nothing_to_translate(msgid: str) -> bool:
    """A display formula, a computed number or symbol: the same in Chinese."""
    if "$" in msgid or _ROLE.search(msgid):
        return False
    words = re.sub(r"\\text\{[^}]*\}|\\[A-Za-z]+", " ", msgid)
    return ("\\" in msgid and not re.search(r"[A-Za-z]{4,}", words)) or not re.search(
        r"[A-Za-z]{2,}", msgid
    )


def tokens(text: str) -> Counter:
    """The math, roles and inline code of a message (a multiset)."""
    found = Counter(m.group(0) for m in _MATH.finditer(text))
    for m in _ROLE.finditer(text):
        role, target = m.groups()
        if role != "eval":  # a link's own words may be translated, its target may not
            target = re.sub(r"^.*<([^<>]*)>$", r"\1", target, flags=re.S)
        found[f"{{{role}}}`{target}`"] += 1
    without_roles = _ROLE.sub(" ", _MATH.sub(" ", text))
    found.update(f"`{m.group(1)}`" for m in _CODE.finditer(without_roles))
    return found


def _page_of(po: Path) -> str:
    return po.relative_to(PO_DIR).with_suffix("").as_posix()


def _read(path: Path):
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def _write(path: Path, catalog) -> None:
    with path.open("wb") as f:
        write_po(f, catalog, width=79, omit_header=False)


def gettext(out: Path) -> Path:
    """Extract fresh .pot files from the executed book into ``out``."""
    env = dict(os.environ, KERAS_BACKEND="jax")
    subprocess.run(
        [sys.executable, str(ROOT / "book/_ext/edition.py"), "gettext", str(out)],
        check=True, env=env, stdout=subprocess.DEVNULL,
    )
    return out / "gettext"


def update() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pot_dir = gettext(Path(tmp))
        # the templates' messages: sphinx.po holds only the interface words the
        # theme's catalogues miss, which sphinx-intl would mark obsolete
        (pot_dir / "sphinx.pot").unlink(missing_ok=True)
        subprocess.run(
            [Path(sys.executable).parent / "sphinx-intl", "update", "-p", str(pot_dir),
             "-l", LANG, "-d", str(LOCALE), "-w", "79"],
            check=True, stdout=subprocess.DEVNULL,
        )
    for po in sorted(PO_DIR.rglob("*.po")):
        catalog = _read(po)
        catalog.obsolete.clear()  # a stale message has no place in the book
        for msg in catalog:
            if not msg.id:
                continue
            if not msg.string and nothing_to_translate(msg.id):
                msg.string = msg.id
        _write(po, catalog)


def problems(pot_dir: Path | None = None) -> list[str]:
    """Every untranslated, fuzzy, stale or broken message, one line each."""
    found = []
    pots = {}
    if pot_dir is not None:
        pots = {p.relative_to(pot_dir).with_suffix("").as_posix(): p
                for p in (pot_dir / "book").rglob("*.pot")}  # not the templates' sphinx.pot
        for page in sorted(set(pots) - {_page_of(p) for p in PO_DIR.rglob("*.po")}):
            found.append(f"{page}: no catalogue")
    for po in sorted(PO_DIR.rglob("*.po")):
        page = _page_of(po)
        catalog = _read(po)
        ids = {m.id for m in catalog if m.id}
        if page in pots:
            fresh = {m.id for m in _read(pots[page]) if m.id}
            found += [f"{page}: missing: {i[:70]!r}" for i in sorted(fresh - ids)]
            found += [f"{page}: stale: {i[:70]!r}" for i in sorted(ids - fresh)]
        found += [f"{page}: obsolete: {m.id[:70]!r}" for m in catalog.obsolete.values()]
        for msg in catalog:
            if not msg.id:
                continue
            where = f"{page}: {msg.id[:60]!r}"
            if not msg.string:
                found.append(f"{where}: untranslated")
            elif msg.fuzzy:
                found.append(f"{where}: fuzzy")
            elif tokens(msg.id) != tokens(msg.string):
                lost = tokens(msg.id) - tokens(msg.string)
                added = tokens(msg.string) - tokens(msg.id)
                found.append(f"{where}: changed {dict(lost)} -> {dict(added)}")
    return found


def main(argv: list[str]) -> int:
    if argv == ["update"]:
        update()
        return 0
    if argv[:1] == ["check"]:
        pages = argv[1:]
        bad = [p for p in problems() if not pages or p.split(":")[0] in pages]
        print("\n".join(bad) or "all messages translated")
        return 1 if bad else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
