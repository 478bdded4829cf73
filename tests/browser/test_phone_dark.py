"""The book on a phone, in dark mode, and by keyboard alone (issue 13).

* Phone (390x844, ``is_mobile``, touch): no page scrolls sideways; every live
  chart fits the column; every table wider than the column scrolls inside its
  own box; a tap on a chart's slider moves it and redraws the curve.
* Dark mode (the theme's own, ``localStorage.theme = "dark"``): the live charts
  are drawn in the dark palette (each curve in its family's
  ``DARK_COLORS`` colour, axis text light with 4.5:1 against the page) and
  re-themed when the reader switches mode, sliders kept; every matplotlib
  figure sits on a light card (its dark ink legible: read in
  test_book_pages.py's visit of each page, in dark mode).
* Text: every chart's text is 12 px or more at desktop width; every chart has
  a text equivalent (``aria-describedby``) naming its curves and read-outs
  (read in test_book_pages.py's visit of each page, in light mode).
* Keyboard: Tab alone reaches an explorer's slider, whose focus ring is
  visible; the arrow keys move it, the curve is redrawn and the text
  equivalent follows.
"""
from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from decaylib.viz.style import DARK_COLORS, contrast

from .bookbrowser import BOOK_HTML, CHROMIUM, CHROMIUM_ARGS, NOT_LOCAL, book_pages, is_local

PAGES = [p for p in book_pages() if not re.search(r'http-equiv="refresh"', (BOOK_HTML / p).read_text()[:500], re.I)]
LIVE_PAGES = [p for p in PAGES if "data-decaylib-live" in (BOOK_HTML / p).read_text()]
EXPLORER_PAGE = "book/03_exponential.html"
PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)

READY_JS = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  const deadline = Date.now() + 20000;
  const charts = () => [...document.querySelectorAll('[data-decaylib-live]')];
  while (charts().some(el => el.dataset.ready !== 'true') && Date.now() < deadline)
    await new Promise(r => setTimeout(r, 50));
  await document.fonts.ready;
  return charts().filter(el => el.dataset.ready === 'true').length === charts().length;
}
"""

CHARTS_JS = """
() => [...document.querySelectorAll('[data-decaylib-live]')].map(el => {
  const svg = el.querySelector('svg.marks'), r = svg.getBoundingClientRect();
  const scale = r.width / svg.width.baseVal.value;
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() && getComputedStyle(t).opacity !== '0');
  const column = el.closest('article, main').getBoundingClientRect();
  const desc = document.getElementById(el.getAttribute('aria-describedby') || '');
  return {id: el.id, left: r.left, right: r.right, width: r.width, columnLeft: column.left, columnRight: column.right,
          minFont: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
          smallest: texts.map(t => [parseFloat(getComputedStyle(t).fontSize) * scale, t.textContent.slice(0, 40)])
                         .sort((a, b) => a[0] - b[0]).slice(0, 3),
          theme: el.dataset.theme, label: el.getAttribute('aria-label'), role: el.getAttribute('role'),
          text: desc ? desc.textContent : null,
          axisFill: [...svg.querySelectorAll('.role-axis-label text, .role-axis-title text')].map(t => getComputedStyle(t).fill),
          strokes: [...svg.querySelectorAll('.mark-line path')].map(p => p.getAttribute('stroke'))};
})
"""


def _rgb_hex(css: str) -> str:
    if css.startswith("#"):
        return css.upper()
    r, g, b = (int(float(x)) for x in re.findall(r"[\d.]+", css)[:3])
    return f"#{r:02X}{g:02X}{b:02X}"


@pytest.fixture(scope="module")
def browser_(_chromium):
    browser = _chromium["browser"]
    if browser is None or not browser.is_connected():
        browser = _chromium["browser"] = _chromium["pw"].chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    return browser


def _context(browser, mode="light", **kw):
    context = browser.new_context(service_workers="block", color_scheme=mode, **kw)
    context.route(NOT_LOCAL, lambda route: route.continue_() if is_local(route.request.url)
                  else route.abort("blockedbyclient"))
    context.add_init_script(f"try {{ localStorage.setItem('theme', {json.dumps(mode)}); }} catch (e) {{}}")
    return context


# the phone facts of a page: its width, and each table with the box it scrolls in
PHONE_JS = """
() => {
  const W = document.documentElement.clientWidth;
  const tables = [...document.querySelectorAll('article table')].filter(t => t.getBoundingClientRect().width > 0).map(t => {
    let box = null;
    for (let a = t.parentElement; a && a.tagName !== 'ARTICLE'; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll') { box = a; break; }
    }
    const b = box && box.getBoundingClientRect();
    return {width: t.scrollWidth, html: t.outerHTML.slice(0, 80),
            box: b ? {left: b.left, right: b.right} : null};
  });
  return {scrollWidth: document.documentElement.scrollWidth, bodyScroll: document.body.scrollWidth,
          viewport: W, tables};
}"""


def _wait_for_change(page, state_js, before, timeout=5_000):
    """Wait (at most ``timeout`` ms, instead of a fixed sleep) until every item
    of the list ``state_js`` returns differs from ``before``."""
    try:
        page.wait_for_function(f"(before) => {{ const now = ({state_js})(); return now.every((x, i) => x !== before[i]); }}",
                               arg=before, timeout=timeout)
    except PlaywrightTimeout:
        pass  # the assertions after it say what did not change


# Three classes, each with one page of its own reused for all its pages
# (a navigation in a warm page costs about half the CPU of one in a new
# context): pytest-xdist's --dist loadscope gives each class its own worker.


def _phone_class(name: str, pages: list[str]):
    class Phone:
        """390x844 with touch."""

        @pytest.fixture(scope="class")
        @classmethod
        def phone_page(cls, browser_):
            context = _context(browser_, **PHONE)
            yield context.new_page()
            context.close()

        @pytest.fixture(scope="class")
        @classmethod
        def phone(cls, phone_page, book_url):
            """{page: facts} for every page at 390x844 with touch."""
            page = phone_page
            started, out = time.perf_counter(), {}
            for name in pages:
                page.goto(book_url + name, wait_until="load")
                assert page.evaluate(READY_JS), name
                out[name] = page.evaluate(PHONE_JS)
                out[name]["charts"] = page.evaluate(CHARTS_JS)
            print(f"\nphone layout of {len(pages)} pages: {time.perf_counter() - started:.1f} s")
            return out

        @pytest.mark.parametrize("name", pages)
        def test_no_page_scrolls_sideways_on_a_phone(self, phone, name):
            facts = phone[name]
            assert facts["viewport"] == 390
            assert facts["scrollWidth"] <= facts["viewport"] and facts["bodyScroll"] <= facts["viewport"], facts

        @pytest.mark.parametrize("name", pages)
        def test_tables_scroll_in_their_own_box_on_a_phone(self, phone, name):
            for table in phone[name]["tables"]:
                if table["width"] > 390 - 32:  # wider than the column: must scroll inside a box within the screen
                    assert table["box"] is not None, table
                    assert table["box"]["left"] >= -0.5 and table["box"]["right"] <= 390.5, table

        @pytest.mark.parametrize("name", [p for p in LIVE_PAGES if p in pages])
        def test_live_charts_fit_the_phone_column(self, phone, name):
            charts = phone[name]["charts"]
            assert charts
            for c in charts:
                assert c["left"] >= c["columnLeft"] - 0.5 and c["right"] <= min(390, c["columnRight"]) + 0.5, c
                # fitted, not shrunk: the text stays readable on the phone too
                assert c["minFont"] >= 11.5, c["smallest"]

        if EXPLORER_PAGE in pages:
            def test_a_tap_on_a_slider_moves_it_and_redraws_the_curve(self, phone_page, book_url):
                page = phone_page
                page.goto(book_url + EXPLORER_PAGE)
                assert page.evaluate(READY_JS)
                slider = page.locator(".decaylib-live .vega-bindings input[type=range]").first
                slider.scroll_into_view_if_needed()
                state = ("() => { const el = document.querySelector('.decaylib-live .vega-bindings input[type=range]');"
                         " return [el.value, document.querySelector('.decaylib-live .mark-line path').getAttribute('d')]; }")
                before = page.evaluate(state)
                box = slider.bounding_box()
                assert box["height"] >= 24, box  # a finger-sized target
                page.touchscreen.tap(box["x"] + box["width"] * 0.15, box["y"] + box["height"] / 2)
                _wait_for_change(page, state, before)
                after = page.evaluate(state)
                assert after[0] != before[0], (before[0], after[0])
                assert after[1] != before[1]

    Phone.__name__ = Phone.__qualname__ = name
    return Phone


# the English and the Chinese pages on two workers (--dist loadscope)
TestPhoneEnglish = _phone_class("TestPhoneEnglish", [p for p in PAGES if not p.startswith("zh_CN/")])
TestPhoneChinese = _phone_class("TestPhoneChinese", [p for p in PAGES if p.startswith("zh_CN/")])


class TestDesktop:
    """1280x900, light mode."""

    @pytest.fixture(scope="class")
    @classmethod
    def light_page(cls, browser_):
        context = _context(browser_, viewport={"width": 1280, "height": 900})
        yield context.new_page()
        context.close()

    def test_keyboard_only_through_an_explorer(self, light_page, book_url):
        page = light_page
        page.goto(book_url + EXPLORER_PAGE)
        assert page.evaluate(READY_JS)
        for presses in range(1, 400):  # Tab alone, from the top of the page
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('.decaylib-live input[type=range]')"):
                break
        else:
            pytest.fail("Tab never reached a live chart's slider")
        state_js = """() => {
          const a = document.activeElement, s = getComputedStyle(a), el = a.closest('.decaylib-live');
          return {name: a.name, value: a.value, outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
                  shadow: s.boxShadow, path: el.querySelector('.mark-line path').getAttribute('d'),
                  text: document.getElementById(el.getAttribute('aria-describedby')).textContent};
        }"""
        before = page.evaluate(state_js)
        assert (before["outline"] != "none" and before["outlineWidth"] >= 2) or before["shadow"] != "none", before
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        # the text equivalent is updated 150 ms after the last move: wait for it
        text_js = ("() => { const el = document.activeElement.closest('.decaylib-live');"
                   " return [document.getElementById(el.getAttribute('aria-describedby')).textContent]; }")
        _wait_for_change(page, text_js, [before["text"]])
        after = page.evaluate(state_js)
        print(f"\nkeyboard: {presses} Tab presses to slider {before['name']}: {before['value']} -> {after['value']}")
        assert after["value"] != before["value"] and after["name"] == before["name"]
        assert after["path"] != before["path"]
        assert after["text"] != before["text"]
        assert f"{before['name']} = " in after["text"]


SLIDER = ".decaylib-live .vega-bindings input[type=range]"


class TestDark:
    """1280x900, every page with live charts opened straight in dark mode (``localStorage.theme``)."""

    @pytest.fixture(scope="class")
    @classmethod
    def dark(cls, browser_, book_url):
        """{page: facts} of every page with live charts: the charts in dark,
        then moved and switched to light."""
        context = _context(browser_, mode="dark", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        out = {}
        for name in LIVE_PAGES:
            page.goto(book_url + name)
            facts = out[name] = {}
            facts["ready"] = page.evaluate(READY_JS)
            facts["theme"] = page.evaluate("document.documentElement.dataset.theme")
            facts["charts"] = page.evaluate(CHARTS_JS)
            # the reader switches to light: the chart follows, its slider keeps its value
            slider = page.locator(SLIDER).first
            slider.focus()
            page.keyboard.press("ArrowRight")
            facts["value"] = slider.input_value()
            page.evaluate("document.documentElement.dataset.theme = 'light'")
            try:
                page.wait_for_function("[...document.querySelectorAll('[data-decaylib-live]')].every("
                                       "el => el.dataset.theme === 'light' && el.dataset.ready === 'true')")
            except PlaywrightTimeout as e:
                facts["switch"] = f"charts not redrawn light: {e}"
                continue
            facts["light"] = page.evaluate(CHARTS_JS)
            facts["value_after"] = page.locator(SLIDER).first.input_value()
        context.close()
        return out

    @pytest.mark.parametrize("name", LIVE_PAGES)
    def test_live_charts_are_dark_in_dark_mode_and_follow_a_switch(self, dark, name):
        facts = dark[name]
        assert facts["ready"]
        assert facts["theme"] == "dark"
        dark_palette = {c.upper() for c in DARK_COLORS.values()}
        for c in facts["charts"]:
            assert c["theme"] == "dark"
            assert c["axisFill"] and all(contrast(_rgb_hex(f), "#121212") >= 4.5 for f in c["axisFill"]), c["axisFill"]
            assert c["strokes"] and {s.upper() for s in c["strokes"]} <= dark_palette, c["strokes"]
        assert "switch" not in facts, facts.get("switch")
        assert all(contrast(_rgb_hex(f), "#FFFFFF") >= 4.5 for c in facts["light"] for f in c["axisFill"])
        assert facts["value_after"] == facts["value"]



def check_chart_text(name, charts):
    """Every live chart's text is 12 px or more at desktop width, and it has a
    text equivalent. Read in test_book_pages.py's visit of each page, in light
    mode at 1280x900 once the charts are drawn (axe's READY_JS):
    test_chart_text_is_12px_and_has_a_text_equivalent there."""
    assert charts, f"{name}: no live chart"
    for c in charts:
        assert c["minFont"] >= 12, c["smallest"]
        assert c["role"] in ("figure", "graphics-document") and c["label"], c  # vega-embed sets the latter
        assert c["text"] and "Curves:" in c["text"] and "α(0) = " in c["text"] and "Read-outs:" in c["text"], c["text"]


# Figures on a light card: read in test_book_pages.py's visit of each page, in
# dark mode (after its axe audit in dark), so that no page is loaded for it alone.
# The card is CSS on html[data-theme="dark"] (book/_static/a11y.css): the same
# whether the page was opened dark or switched to it.
FIGURES_JS = ("() => [...document.querySelectorAll('article img')].filter("
              "i => i.src.includes('_images/')).map(i => [i.src, getComputedStyle(i).backgroundColor])")


def check_figures_on_a_light_card(name, backgrounds):
    for src, bg in backgrounds:
        assert contrast(_rgb_hex(bg), "#121212") > 15, (name, src, bg)


def test_the_book_has_figures_to_check():
    """At least 10 matplotlib figures in the build (test_book_pages.py checks each
    on a light card in dark mode: test_figures_sit_on_a_light_card_in_dark_mode)."""
    seen = sum(len(re.findall(r'<img [^>]*src="[^"]*_images/', (BOOK_HTML / p).read_text())) for p in PAGES)
    assert seen >= 10, seen
