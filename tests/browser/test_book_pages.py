"""Every page of the built book, opened in Chromium with the network blocked.

One test per page (parametrised over the pages found in ``_build/html``): it
loads; nothing is requested from outside localhost and no local request fails;
MathJax has typeset every formula (no raw TeX left in the visible text, no
MathJax error boxes); every image has loaded with a non-zero size and has alt
text; every form control has an accessible name (computed by Chromium's own
accessibility tree); heading levels never skip; no console error beyond the
allow-list below; then every exercise solution (a dropdown) must be closed
and open on a click. The same visit runs test_a11y.py's axe-core audits (light
then dark) between the two, test_phone_dark.py's chart text check (light)
and figures-on-a-light-card check (dark), and on the Chinese chapters test_zh_edition.py's CJK font
check, so each page is loaded once for all; the pages
are grouped in classes (English/Chinese; chapters 1-3, 4-6, 7-10, the rest) that
pytest-xdist's ``--dist loadscope`` gives to different workers.

A full-page screenshot of each page goes to ``_build/screenshots/`` when the
page fails, and of every page with ``BOOK_SCREENSHOTS=1`` (``make
screenshots``): nothing compares them, and the 36 pages' captures, 4096-px
bands stitched with Pillow, cost more CPU than all the checks (measured).
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from . import test_a11y as a11y
from . import test_phone_dark as phone_dark
from . import test_zh_edition as zh
from .bookbrowser import ALL_SCREENSHOTS, CHROMIUM, CHROMIUM_ARGS, book_pages, full_page_screenshot, screenshot_name
from .conftest import PageLog

PAGES = book_pages()
#: every page captured, not only the failing ones (`make screenshots`)
SCREENSHOTS = ALL_SCREENSHOTS

# Console/page errors that are not the book's fault, each with its reason.
ALLOWED_ERRORS = [
    # sphinx-thebe 0.3.1 (pulled in by jupyter-book) registers its inline
    # config script twice under Sphinx 7, so the second `const` declaration
    # throws. Thebe is off in this book (no launch buttons); nothing reads it.
    re.compile(r"Identifier 'THEBE_JS_URL' has already been declared"),
]

# TeX that must never reach the reader's eyes (outside code blocks).
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\frac\b|\\begin\{|\\end\{|\\alpha\b|\\sum\b|\\sqrt\b|\\mathrm\b|\\left\b")

# Text of the page as a reader sees it, leaving out code, typeset math and scripts.
VISIBLE_PROSE_JS = """
() => {
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'PRE', 'CODE', 'TEXTAREA', 'MJX-CONTAINER', 'MJX-ASSISTIVE-MML']);
  const out = [];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) out.push(child.textContent);
      else if (child.nodeType === Node.ELEMENT_NODE && !skip.has(child.tagName)) walk(child);
    }
  };
  walk(document.body);
  return out.join(' ');
}
"""

MATH_STATE_JS = r"""
async () => {
  const mathNodes = [...document.querySelectorAll('.math')];
  let state = 'absent';
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
    state = 'typeset';
  } else if (window.MathJax) {
    state = 'not-started';
  }
  return {
    state,
    mathNodes: mathNodes.length,
    untypeset: mathNodes.filter(n => !n.querySelector('mjx-container')).map(n => n.textContent.slice(0, 80)),
    containers: document.querySelectorAll('mjx-container').length,
    errors: [...document.querySelectorAll('mjx-merror, [data-mjx-error]')].map(n => n.getAttribute('data-mjx-error') || n.textContent),
    // MathJax's noundefined extension shows an unknown macro as red text
    undefinedMacros: [...document.querySelectorAll('mjx-assistive-mml mtext[mathcolor="red"]')]
                       .map(n => n.textContent).filter(t => t.startsWith('\\')),
    // TeX shown literally, e.g. \text{decay\_rate} rendered as "decay\_rate"
    literalTeX: [...document.querySelectorAll('mjx-assistive-mml mtext:not([mathcolor="red"])')]
                  .map(n => n.textContent).filter(t => t.includes('\\')),
  };
}
"""

IMAGES_JS = """
async () => {
  const imgs = [...document.images];
  for (const img of imgs) img.loading = 'eager';
  await Promise.all(imgs.map(img => img.complete ? null : new Promise(r => { img.onload = img.onerror = r; })));
  return imgs.map(img => ({src: img.currentSrc || img.src, w: img.naturalWidth, h: img.naturalHeight,
                           alt: img.getAttribute('alt')}));
}
"""

# Form controls (and widgets acting as such): each needs an accessible name.
CONTROLS = (
    "button, input:not([type=hidden]), select, textarea, [contenteditable=true], [role=button], "
    "[role=checkbox], [role=combobox], [role=radio], [role=searchbox], [role=slider], "
    "[role=spinbutton], [role=switch], [role=textbox]"
)

# Headings of the main part as a screen reader lists them (visible, not aria-hidden).
HEADINGS_JS = """
() => {
  const main = document.querySelector('main') || document.body;
  return [...main.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')]
    .filter(h => h.checkVisibility() && !h.closest('[aria-hidden="true"]'))
    .map(h => [Number(h.getAttribute('aria-level') || h.tagName.slice(1)), h.textContent.trim().slice(0, 60)]);
}
"""


def unnamed_controls(page) -> list[str]:
    """Controls whose accessible name, as computed by Chromium's accessibility
    tree (what a screen reader announces), is empty. Controls hidden from
    assistive technology (display:none, aria-hidden) are skipped."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        bad = []
        for node_id in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": CONTROLS})["nodeIds"]:
            ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False})["nodes"]
            if not ax or ax[0].get("ignored"):
                continue
            if not str(ax[0].get("name", {}).get("value", "")).strip():
                html = cdp.send("DOM.getOuterHTML", {"nodeId": node_id})["outerHTML"]
                bad.append(f"{ax[0].get('role', {}).get('value')}: {html[:160]}")
        return bad
    finally:
        cdp.detach()


def heading_skips(headings: list[list]) -> list[str]:
    """Headings that go down more than one level, or a main part not opening with h1."""
    problems = []
    previous = 0
    for level, text in headings:
        if level > previous + 1:
            problems.append(f"h{level} {text!r} follows h{previous or '(start)'}")
        previous = level
    return problems


def open_solutions(page) -> list[str]:
    """Exercise solutions (sphinx-exercise dropdowns) are closed, and open on a click."""
    problems = []
    solutions = page.locator("div.solution.dropdown")
    for i in range(solutions.count()):
        solution = solutions.nth(i)
        body = solution.locator(":scope > :not(.admonition-title)").first
        if body.is_visible():
            problems.append(f"solution {i + 1} is open before a click")
            continue
        solution.locator(".admonition-title").click()
        try:
            body.wait_for(state="visible", timeout=5_000)
        except PlaywrightTimeout:
            problems.append(f"solution {i + 1} did not open on a click")
            continue
        if solution.locator("button.toggle-button").get_attribute("aria-expanded") != "true":
            problems.append(f"solution {i + 1}: toggle button not aria-expanded after opening")
    return problems


def test_pages_found():
    """The build has the book's pages (guards against an empty parametrisation)."""
    assert "index.html" in PAGES and "search.html" in PAGES, PAGES
    chapters = [p for p in PAGES if p.startswith("book/")]
    assert len(chapters) >= 10, chapters


# One visit a page serves this module's checks and test_a11y.py's axe audits
# (same viewport, light mode first): a page loaded once instead of twice.
# The pages are grouped in classes so that pytest-xdist's --dist loadscope
# spreads them over the workers (one class = one worker's share).
def _group(page: str) -> str:
    edition = "Chinese" if page.startswith("zh_CN/") else "English"
    chapter = re.search(r"book/(\d\d)_", page)
    if not chapter:
        return f"Test{edition}Rest"
    first = (int(chapter.group(1)) - 1) // 3 * 3 + 1  # three chapters a class, 10 with 7-9
    first = min(first, 7)
    return f"Test{edition}Chapters{first}to{10 if first == 7 else first + 2}"


def _visit(page, page_log, book_url: str, page_path: str, screenshot_dir) -> dict:
    """Every fact the tests below need about one page, in one load."""
    response = page.goto(book_url + page_path, wait_until="load")
    if response is None or not response.ok:
        return {"problems": [f"HTTP {response and response.status}"], "axe": None, "fonts": None}
    if page_path in ("index.html", "zh_CN/index.html"):  # a meta-refresh to the intro
        page.wait_for_url(re.compile(r"book/intro\.html$"))
        page.wait_for_load_state("load")
    problems: list[str] = []

    title = page.title()
    if not title.strip():
        problems.append("empty <title>")

    math = page.evaluate(MATH_STATE_JS)
    if math["mathNodes"] and math["state"] != "typeset":
        problems.append(f"{math['mathNodes']} formulas but MathJax {math['state']}")
    if math["untypeset"]:
        problems.append(f"formulas left untypeset: {math['untypeset'][:5]}")
    if math["mathNodes"] and not math["containers"]:
        problems.append("no mjx-container on a page with math")
    if math["errors"]:
        problems.append(f"MathJax errors: {math['errors'][:5]}")
    if math["literalTeX"]:
        problems.append(f"TeX shown literally in formulas: {sorted(set(math['literalTeX']))[:5]}")
    if math["undefinedMacros"]:
        problems.append(f"undefined TeX macros: {sorted(set(math['undefinedMacros']))}")
    raw = RAW_TEX.findall(page.evaluate(VISIBLE_PROSE_JS))
    if raw:
        problems.append(f"raw TeX visible: {sorted(set(raw))}")

    for img in page.evaluate(IMAGES_JS):
        if img["w"] <= 0 or img["h"] <= 0:
            problems.append(f"image did not load: {img['src'][:100]}")
        if not (img["alt"] or "").strip():
            problems.append(f"image without alt text: {img['src'][:100]}")

    problems += [f"control without a label: {c}" for c in unnamed_controls(page)]
    headings = page.evaluate(HEADINGS_JS)
    if not headings:
        problems.append("no heading in the main landmark")
    problems += [f"heading skips a level: {s}" for s in heading_skips(headings)]

    # as a reader first meets the page: before the solutions are opened
    shot = bool(problems) or SCREENSHOTS
    if shot:
        full_page_screenshot(page, screenshot_dir / screenshot_name(page_path))

    # light (live charts read there too), then dark (figures too), then light again
    live = page_path in phone_dark.LIVE_PAGES
    axe = a11y.audit(page, in_light=lambda p: p.evaluate(phone_dark.CHARTS_JS) if live else None,
                     in_dark=lambda p: p.evaluate(phone_dark.FIGURES_JS)) if page_path in a11y.PAGES else None
    fonts = zh.cjk_fonts(page) if page_path in zh.CJK_PAGES else None

    problems += open_solutions(page)

    problems += [f"outside request: {u}" for u in page_log.outside_requests]
    problems += [f"failed request: {r}" for r in page_log.bad_responses]
    problems += page_log.errors(ALLOWED_ERRORS)
    if problems and not shot:
        full_page_screenshot(page, screenshot_dir / screenshot_name(page_path))
    return {"problems": problems, "axe": axe, "fonts": fonts}


def _pages_class(name: str, pages: list[str]):
    audited = [p for p in pages if p in a11y.PAGES]
    chinese = [p for p in pages if p in zh.CJK_PAGES]
    live = [p for p in pages if p in phone_dark.LIVE_PAGES and p in a11y.PAGES]

    class Pages:
        @pytest.fixture(scope="class")
        @classmethod
        def visits(cls, _chromium, book_url, screenshot_dir):
            """``visit(page)``: the page's facts, gathered on its first call (one
            page in one context for the whole class, reused from page to page:
            half the CPU of a new page each time)."""
            slot = {"log": PageLog(), "page": None}
            done: dict[str, dict] = {}

            def visit(page_path: str) -> dict:
                if page_path not in done:
                    if slot["page"] is None or slot["page"].is_closed():  # first, or after a crash
                        browser = _chromium["browser"]
                        if browser is None or not browser.is_connected():
                            browser = _chromium["browser"] = _chromium["pw"].chromium.launch(
                                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                        slot["context"], slot["page"] = a11y.new_page(browser, slot)
                    slot["log"] = PageLog()
                    done[page_path] = _visit(slot["page"], slot["log"], book_url, page_path, screenshot_dir)
                return done[page_path]

            started = time.perf_counter()
            yield visit
            if slot["page"] is not None and not slot["page"].is_closed():
                slot["context"].close()
            audits = {mode: {p: f["axe"]["violations"][mode] for p, f in done.items() if f["axe"]} for mode in a11y.MODES}
            if any(audits.values()):
                a11y.print_table(audits)
            print(f"\n{name}: {len(done)} pages visited, {time.perf_counter() - started:.1f} s")

        @pytest.mark.parametrize("page_path", pages)
        def test_page(self, visits, page_path):
            problems = visits(page_path)["problems"]
            assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)

        @pytest.mark.parametrize("mode", a11y.MODES)
        @pytest.mark.parametrize("page_path", audited)
        def test_mode_is_applied(self, visits, page_path, mode):
            """Every page really is in the mode audited (else the dark audit proves nothing)."""
            a11y.check_mode_is_applied(page_path, visits(page_path)["axe"]["states"][mode], mode)

        @pytest.mark.parametrize("mode", a11y.MODES)
        @pytest.mark.parametrize("page_path", audited)
        def test_no_serious_or_critical_violations(self, visits, page_path, mode):
            a11y.check_no_serious_or_critical(page_path, visits(page_path)["axe"]["violations"][mode], mode)

        @pytest.mark.parametrize("page_path", audited)
        def test_figures_sit_on_a_light_card_in_dark_mode(self, visits, page_path):
            phone_dark.check_figures_on_a_light_card(page_path, visits(page_path)["axe"]["dark"])

        if live:
            @pytest.mark.parametrize("page_path", live)
            def test_chart_text_is_12px_and_has_a_text_equivalent(self, visits, page_path):
                phone_dark.check_chart_text(page_path, visits(page_path)["axe"]["light"])

        if chinese:
            @pytest.mark.parametrize("page_path", chinese)
            def test_chinese_is_drawn_with_a_cjk_font(self, visits, page_path):
                zh.check_cjk_fonts(page_path, visits(page_path)["fonts"])

    Pages.__name__ = Pages.__qualname__ = name
    return Pages


GROUPS: dict[str, list[str]] = {}
for _page in PAGES:
    GROUPS.setdefault(_group(_page), []).append(_page)
for _name, _pages in GROUPS.items():
    globals()[_name] = _pages_class(_name, _pages)
