"""The Chinese edition (``_build/html/zh_CN``) as its reader meets it.

Every page of it is also loaded by test_book_pages.py (offline, math typeset,
alt texts, console) and link-checked by test_book_site.py, since both walk
every page of the build.  Here: each edition has the same pages; every page
links to itself in the other edition (a visible switch and ``hreflang``
links), and the switch works both ways in the browser; Chinese is drawn with
a CJK font (no box glyphs: the glyphs Chromium drew come from a font that has
them; checked in test_book_pages.py's one visit of each page, with
``cjk_fonts`` and ``check_cjk_fonts`` from here); searching 衰减 finds the chapters (jieba); a live chart's sliders
redraw it on a Chinese page as on an English one.
"""
from __future__ import annotations

import re
import urllib.parse
from html.parser import HTMLParser

import pytest

from .bookbrowser import book_pages
from .test_live_browser import ALLOWED_ERRORS, check_chart, open_charts

ZH = "zh_CN/"
PAGES = book_pages()
EN_PAGES = [p for p in PAGES if not p.startswith(ZH)]
ZH_PAGES = [p for p in PAGES if p.startswith(ZH)]
# jupyter-book's index.html only redirects to the intro
REDIRECTS = {"index.html", f"{ZH}index.html"}
CJK = re.compile(r"[\u4e00-\u9fff]")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.switch, self.alternate, self.lang = [], {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "a" and "edition-switch" in (a.get("class") or "").split():
            self.switch.append(a["href"])
        if tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.alternate[a["hreflang"]] = a["href"]


def _links(book_html, page) -> _Links:
    parser = _Links()
    parser.feed((book_html / page).read_text(encoding="utf-8"))
    return parser


def _resolve(page: str, href: str) -> str:
    return urllib.parse.urljoin("http://x/" + page, href).removeprefix("http://x/")


def test_both_editions_have_every_page():
    assert len(EN_PAGES) >= 15, EN_PAGES
    assert sorted(EN_PAGES) == sorted(p.removeprefix(ZH) for p in ZH_PAGES)


@pytest.mark.parametrize("page", [p for p in PAGES if p not in REDIRECTS and p.endswith(".html")
                                  and not p.endswith(("search.html", "genindex.html"))])
def test_page_links_to_itself_in_the_other_edition(book_html, page):
    links = _links(book_html, page)
    english = page.removeprefix(ZH)
    other = english if page.startswith(ZH) else ZH + english
    assert links.lang == ("zh-CN" if page.startswith(ZH) else "en")
    assert [_resolve(page, h) for h in links.switch] == [other], links.switch
    assert {k: _resolve(page, h) for k, h in links.alternate.items()} == {"en": english, "zh-Hans": ZH + english}


def test_switch_goes_both_ways(offline_page, book_url, page_log):
    page = offline_page
    page.goto(book_url + "book/03_exponential.html")
    page.get_by_role("link", name="中文").click()
    page.wait_for_url("**/zh_CN/book/03_exponential.html")
    assert "指数衰减" in page.locator("h1").first.inner_text()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/book/03_exponential\.html$"))
    assert "/zh_CN/" not in page.url
    assert "Exponential decay" in page.locator("h1").first.inner_text()
    assert page_log.outside_requests == []


# Marks the first element under `sel` whose own text has Chinese; returns that text.
PROBE_JS = """(sel) => {
  for (const e of [document.querySelector(sel), ...document.querySelectorAll(sel + ' *')]) {
    const own = [...(e?.childNodes || [])].filter(n => n.nodeType === 3).map(n => n.data).join('');
    if (/[\\u4e00-\\u9fff]/.test(own)) { e.setAttribute('data-cjk-probe', ''); return own; }
  }
  return null;
}"""


def _fonts(page, selector):
    """The text of the first element under ``selector`` with Chinese of its
    own, and the platform fonts Chromium drew that text with (DevTools)."""
    page.evaluate("() => document.querySelectorAll('[data-cjk-probe]').forEach(e => e.removeAttribute('data-cjk-probe'))")
    text = page.evaluate(PROBE_JS, selector)
    if not text:
        return None, []
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-cjk-probe]"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return text, fonts


#: the pages whose Chinese must be drawn with a CJK font, and where (a selector
#: a page may lack: None)
CJK_PAGES = [p for p in ZH_PAGES if p.startswith(f"{ZH}book/")]
CJK_SELECTORS = ("article.bd-article h1", "article.bd-article p", "nav.bd-links p.caption")


def cjk_fonts(page) -> dict:
    """{selector: (text, platform fonts)} on the loaded page (test_book_pages.py's
    visit of each Chinese page calls it, so that the page is loaded once)."""
    return {selector: _fonts(page, selector) for selector in CJK_SELECTORS}


def check_cjk_fonts(page_path, found):
    """Chromium drew every Chinese glyph under each selector with a CJK font
    (its test runs in test_book_pages.py, one a page: test_chinese_is_drawn_with_a_cjk_font)."""
    for selector in CJK_SELECTORS:
        text, fonts = found[selector]
        if text is None and page_path.endswith("bibliography.html") and " p" in selector:
            continue  # the references only: no paragraph of prose
        assert text, f"{page_path}: no Chinese under {selector}"
        cjk = [f for f in fonts if "CJK" in f["familyName"]]
        chinese = len(CJK.findall(text))
        assert sum(f["glyphCount"] for f in cjk) >= chinese, (
            f"{page_path}: {selector} {text[:40]!r} drawn with {fonts}: not every Chinese glyph from a CJK font")


def test_every_chinese_chapter_is_checked_for_cjk_fonts():
    """The pages test_book_pages.py checks for CJK fonts (guards against an empty list)."""
    assert len(CJK_PAGES) >= 10 and f"{ZH}book/03_exponential.html" in CJK_PAGES, CJK_PAGES


def test_search_finds_the_chapters_in_chinese(offline_page, book_url, page_log):
    page = offline_page
    page.goto(book_url + ZH + "search.html?q=" + urllib.parse.quote("衰减"))
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(state="visible", timeout=15_000)
    page.wait_for_function("() => !document.querySelector('#search-progress')?.textContent.includes('…')"
                           " && document.querySelectorAll('#search-results ul.search li').length > 0")
    hrefs = results.locator("a").evaluate_all("as => as.map(a => a.href)")
    chapters = {m.group(1) for h in hrefs if (m := re.search(r"/zh_CN/book/(\d\d_\w+)\.html", h))}
    assert len(chapters) >= 5, hrefs
    assert page_log.outside_requests == []


def test_live_chart_redraws_on_a_chinese_page(offline_page, book_url, page_log):
    charts = open_charts(offline_page, book_url + ZH + "book/03_exponential.html", page_log)
    assert [c["family"] for c in charts] == ["exponential"]
    check_chart(offline_page, charts[0])
    assert page_log.outside_requests == []
    assert page_log.errors(ALLOWED_ERRORS) == []
