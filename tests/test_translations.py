"""The Chinese edition's catalogues against a fresh extraction of the book.

``locale/catalogues.py`` is the tool; this test runs its check against .pot
files extracted now from the executed book (gettext builder, the same
jupyter-cache as ``make book``), so any English message that is new, changed
or gone shows up as missing or stale; any translation left empty, fuzzy, or
that drops or alters a ``$...$`` span, a role or inline code fails.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
JCACHE = REPO / "_build" / ".jupyter_cache"

spec = importlib.util.spec_from_file_location("catalogues", REPO / "locale" / "catalogues.py")
catalogues = importlib.util.module_from_spec(spec)
spec.loader.exec_module(catalogues)


@pytest.fixture(scope="module")
def pot_dir(tmp_path_factory):
    if not (JCACHE / "executed.stamp").is_file():
        pytest.fail("no executed book in _build/.jupyter_cache: run `make book` (make test builds it first)")
    return catalogues.gettext(tmp_path_factory.mktemp("gettext"))


def test_every_page_has_a_catalogue(pot_dir):
    pages = {p.relative_to(pot_dir).with_suffix("").as_posix() for p in (pot_dir / "book").rglob("*.pot")}
    assert {"book/intro", "book/glossary", "book/01_why_decay", "book/10_practical_guide"} <= pages
    have = {p.relative_to(catalogues.PO_DIR).with_suffix("").as_posix()
            for p in catalogues.PO_DIR.rglob("*.po")}
    assert pages <= have, sorted(pages - have)


def test_every_message_translated_and_current(pot_dir):
    found = catalogues.problems(pot_dir)
    assert not found, f"{len(found)} problems (fix the .po, or `python locale/catalogues.py update` first):\n" + "\n".join(found[:40])


# --- the checker itself can fail -------------------------------------------------

SOURCE = ("With $\\alpha_0$ and `lr0` the half-life is {eval}`f\"{exp_half:.4g}\"` epochs "
          "({eq}`eq-half-life`, {doc}`03_exponential`), {eval}`n_runs` runs.")
E, N = '{eval}`f"{exp_half:.4g}"`', "{eval}`n_runs`"


@pytest.mark.parametrize("translation, ok", [
    (f"取 $\\alpha_0$ 与 `lr0`，半衰期为 {E} 轮（{{eq}}`eq-half-life`，{{doc}}`指数衰减 <03_exponential>`），共 {N} 次。", True),
    (f"取 $\\alpha$ 与 `lr0`，{E}（{{eq}}`eq-half-life`，{{doc}}`03_exponential`）{N}", False),
    (f"取 $\\alpha_0$ 与 `lr`，{E}（{{eq}}`eq-half-life`，{{doc}}`03_exponential`）{N}", False),
    (f"取 $\\alpha_0$ 与 `lr0`，{E.replace('.4g', '.3g')}（{{eq}}`eq-half-life`，{{doc}}`03_exponential`）{N}", False),
    (f"取 $\\alpha_0$ 与 `lr0`，{E}（{{eq}}`eq-half-life`，{{doc}}`03_exponential`）{{eval}}`n_run`", False),
    (f"取 $\\alpha_0$ 与 `lr0`，{E}（{{eq}}`eq-budget`，{{doc}}`03_exponential`）{N}", False),
    (f"取 $\\alpha_0$ 与 `lr0`，{E}（{{doc}}`03_exponential`）{N}", False),
    (f"取 $\\alpha_0$ 与 `lr0`，{E}（{{eq}}`eq-half-life`，{{doc}}`指数 <02_inverse_time>`）{N}", False),
])
def test_tokens_must_survive(translation, ok):
    assert (catalogues.tokens(SOURCE) == catalogues.tokens(translation)) is ok


@pytest.mark.parametrize("msgid, fill", [
    ("\n\\alpha(t) = \\frac{\\alpha_0}{1 + d\\,t}\n", True),
    ("0.9772", True),
    ("95.1 %", True),
    ("\\displaystyle \\text{decay\\_rate}", True),
    ("with $\\alpha_0$ the rate", False),
    ("Exponential decay", False),
    ("{doc}`notation`", False),
])
def test_what_needs_no_translation(msgid, fill):
    assert catalogues.nothing_to_translate(msgid) is fill
