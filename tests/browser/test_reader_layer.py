"""The chapters as a learner reads them: short, no proof scaffolding in view,
no raw sympy names, nothing wider than its column (issue 10).

Measured in headless Chromium at 1280x800 (one "screen" = 800 CSS px) on the
built book, after MathJax has typeset and the live charts have drawn, with
every dropdown and folded cell closed, as a reader first meets the page.
The figures go to ``_build/reader-layer.txt`` for the record.
"""
from __future__ import annotations

import re

import pytest

from .bookbrowser import CHROMIUM, CHROMIUM_ARGS, book_pages

CHAPTERS = [p for p in book_pages() if re.match(r"book/\d\d_", p)]

WIDTH, SCREEN = 1280, 800
MAX_SCREENS_PER_CHAPTER = 14
MAX_SCREENS_IN_ALL = 100
MAX_CODE_LINES = 100

#: a visible code line that only a check needs
SCAFFOLDING = re.compile(r"^\s*assert\b|\bglue\(|np\.testing\.|# what the alt text")
#: sympy's own names, which a reader should see as mathematics instead
RAW_SYMPY = re.compile(
    r"\b(?:polygamma|harmonic|zeta|lerchphi|loggamma|Piecewise|Heaviside|floor|Symbol|Rational|Float|Integral|Sum"
    r"|Tuple|Eq|Lambda)\((?=\s*[\w\-+.( ])|\b[A-Za-z]\(oo\)|\(oo\)|\bzoo\b|\b\d{4,}\.0\b")
#: the same names as TeX operators in displayed math (sympy's latex of an unknown function)
RAW_SYMPY_TEX = re.compile(r"\\operatorname\{(?:polygamma|harmonic|lerchphi|loggamma)\}|\\mathrm\{(?:polygamma|harmonic)\}")

# Waits for the live charts themselves ([data-decaylib-live] gets data-ready once
# drawn). It waited on '.decaylib-live', which also matches each chart's
# wrapper (div.output.decaylib-live) that never gets data-ready: 15 s lost on
# every chapter with a chart, 110 s of the module's 130 s.
READY_JS = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  const live = [...document.querySelectorAll('[data-decaylib-live]')];
  const t0 = Date.now();
  while (live.some(el => el.getAttribute('data-ready') !== 'true') && Date.now() - t0 < 15000)
    await new Promise(r => setTimeout(r, 50));
  return live.filter(el => el.getAttribute('data-ready') !== 'true').map(el => el.id);
}
"""

MEASURE_JS = r"""
() => {
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const main = document.querySelector('main') || document.body;
  const codeLines = [];
  for (const pre of main.querySelectorAll('pre')) {
    if (!shown(pre) || pre.closest('.cell_output, .output')) continue;
    codeLines.push(...pre.innerText.replace(/\n$/, '').split('\n'));
  }
  // text a reader sees outside code: prose, tables, outputs (math is read from MathJax below)
  const texts = [];
  const walk = node => {
    for (const c of node.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) texts.push(c.textContent);
      else if (c.nodeType === Node.ELEMENT_NODE) {
        if (['SCRIPT', 'STYLE', 'MJX-CONTAINER', 'CODE'].includes(c.tagName)) continue;
        if (c.tagName === 'PRE' && !c.closest('.cell_output, .output')) continue;
        if (!shown(c)) continue;
        walk(c);
      }
    }
  };
  walk(main);
  const tex = (window.MathJax && MathJax.startup && MathJax.startup.document)
    ? MathJax.startup.document.getMathItemsWithin(main).map(i => i.math) : [];
  const wide = [];
  const column = main.getBoundingClientRect();
  const boxes = main.querySelectorAll('pre, .cell_output, .pst-scrollable-table-container, .table-wrapper, table, .decaylib-live, img');
  for (const el of boxes) {
    if (!shown(el)) continue;
    const longest = (el.innerText || '').split('\n').sort((a, b) => b.length - a.length)[0] || '';
    if (el.scrollWidth > el.clientWidth + 2 && el.tagName !== 'TABLE')
      wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} scrolls: ${el.scrollWidth} > ${el.clientWidth} px: ${longest.slice(0, 70)}`);
    const r = el.getBoundingClientRect();
    if (r.right > column.right + 2)
      wide.push(`${el.tagName.toLowerCase()} ends ${Math.round(r.right - column.right)} px past the column: ${longest.slice(0, 70)}`);
  }
  return {
    height: document.documentElement.scrollHeight,
    pageWidth: document.documentElement.scrollWidth,
    codeLines, text: texts.join(' '), tex: tex.join('\n'), wide,
  };
}
"""


@pytest.fixture(scope="module")
def measured(_chromium, book_url):
    """Every chapter, measured once (in a Chromium of this module's own)."""
    browser = _chromium["pw"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    context = browser.new_context(viewport={"width": WIDTH, "height": SCREEN}, service_workers="block")
    context.route(re.compile(r"^(?!https?://127\.0\.0\.1)"), lambda route: route.abort())
    page = context.new_page()
    out = {}
    for path in CHAPTERS:
        page.goto(book_url + path, wait_until="load")
        not_drawn = page.evaluate(READY_JS)
        assert not not_drawn, f"{path}: live charts not drawn after 15 s: {not_drawn}"
        out[path] = page.evaluate(MEASURE_JS)
    browser.close()
    return out


def test_chapters_found():
    assert len(CHAPTERS) >= 10, CHAPTERS


def test_report(measured, book_html):
    """Write the figures the closing note quotes (always passes once measured)."""
    lines = [f"{'chapter':<32} {'screens':>8} {'code lines':>11} {'scaffolding':>12}"]
    for path, m in measured.items():
        scaff = sum(bool(SCAFFOLDING.search(x)) for x in m["codeLines"])
        lines.append(f"{path:<32} {m['height'] / SCREEN:>8.1f} {len(m['codeLines']):>11} {scaff:>12}")
    total = sum(m["height"] for m in measured.values()) / SCREEN
    lines.append(f"{'all chapters':<32} {total:>8.1f}")
    (book_html.parent / "reader-layer.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def test_the_book_is_short(measured):
    total = sum(m["height"] for m in measured.values()) / SCREEN
    assert total <= MAX_SCREENS_IN_ALL, f"{total:.1f} screens in all (target ≤ {MAX_SCREENS_IN_ALL})"


@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_reads_as_a_chapter(measured, path):
    m = measured[path]
    problems = []
    screens = m["height"] / SCREEN
    if screens > MAX_SCREENS_PER_CHAPTER:
        problems.append(f"{screens:.1f} screens (≤ {MAX_SCREENS_PER_CHAPTER})")
    if len(m["codeLines"]) > MAX_CODE_LINES:
        problems.append(f"{len(m['codeLines'])} visible code lines (≤ {MAX_CODE_LINES})")
    scaffolding = [x.strip() for x in m["codeLines"] if SCAFFOLDING.search(x)]
    if scaffolding:
        problems.append(f"test scaffolding visible: {scaffolding[:5]}")
    raw = sorted(set(RAW_SYMPY.findall(m["text"]))) + sorted(set(RAW_SYMPY_TEX.findall(m["tex"])))
    if raw:
        problems.append(f"raw sympy names a reader sees: {raw[:8]}")
    if m["pageWidth"] > WIDTH:
        problems.append(f"the page scrolls sideways: {m['pageWidth']} px wide")
    problems += [f"wider than its column: {w}" for w in m["wide"][:8]]
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)
