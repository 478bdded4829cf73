"""The built book as a whole: self-contained, every link resolves, search
works, every chapter has exercises with hidden solutions.

Most tests read the HTML files; the search test drives Chromium with the
network blocked (fixtures in conftest.py). Opening the solutions is checked
page by page in test_book_pages.py.
"""

from __future__ import annotations

import html.parser
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from .bookbrowser import book_pages

# Attributes through which a page makes the browser fetch something.
FETCHING = {
    ("script", "src"), ("link", "href"), ("img", "src"), ("img", "srcset"), ("iframe", "src"),
    ("source", "src"), ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"),
    ("embed", "src"), ("object", "data"), ("input", "src"), ("track", "src"), ("image", "href"),
}
REMOTE = re.compile(r"^\s*(?:https?:)?//", re.I)
CSS_REMOTE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*(?:https?:)?//""", re.I)


class _Page(html.parser.HTMLParser):
    """Collects a page's fetched URLs, its hyperlinks and its ids."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fetched: list[tuple[str, str]] = []  # (tag, url)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.inline_styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag in ("a",) else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for (t, a) in FETCHING:
            if t == tag and attrs.get(a):
                urls = [u.strip().split()[0] for u in attrs[a].split(",") if u.strip()] if a == "srcset" else [attrs[a]]
                self.fetched += [(tag, u) for u in urls]
        if tag == "a" and attrs.get("href") is not None:
            self.links.append(attrs["href"])
        if attrs.get("style"):
            self.inline_styles.append(attrs["style"])
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.inline_styles.append(data)

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False


def parse(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def parsed(book_html):
    pages = book_pages(book_html)
    return {p: parse(book_html / p) for p in pages}


def test_nothing_fetched_from_outside(parsed, book_html):
    """No page or stylesheet makes the browser fetch an http(s) URL
    (plain <a> hyperlinks to the web are fine: the reader chooses to follow them)."""
    problems = []
    for page, doc in parsed.items():
        problems += [f"{page}: <{tag}> {url}" for tag, url in doc.fetched if REMOTE.match(url)]
        problems += [f"{page}: inline style {s[:80]!r}" for s in doc.inline_styles if CSS_REMOTE.search(s)]
    for css in sorted(book_html.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        for m in CSS_REMOTE.finditer(text):
            problems.append(f"{css.relative_to(book_html)}: {text[m.start():m.start() + 80]!r}")
    assert len(parsed) >= 12
    assert not problems, "\n".join(problems)


def test_vendored_runtime_is_served(parsed, book_html):
    """MathJax and the Vega runtime come from the build's vendor/ folder, once a page."""
    for page, doc in parsed.items():
        scripts = [urllib.parse.urlsplit(u).path for tag, u in doc.fetched if tag == "script"]
        names = [s.rsplit("/", 1)[-1] for s in scripts]
        if not names and page in ("index.html", "zh_CN/index.html"):
            continue  # jupyter-book's redirect to the intro: no scripts at all
        for bundle in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js"):
            assert names.count(bundle) == 1, f"{page}: {bundle} loaded {names.count(bundle)} times"
        assert not any("require" in n or "embed-amd" in n for n in names), f"{page}: {names}"
        for s in scripts:
            if "vendor/" in s:
                target = (book_html / page).parent / s
                assert target.resolve().is_file(), f"{page}: {s} missing from the build"
    assert (book_html / "vendor/mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff").is_file()


def test_no_dead_widget_state(book_html):
    """No page carries ipywidgets state: no widget manager is loaded to read it
    (book/_ext/no_widget_state.py), while the chapters do run explorers."""
    pages = {p: (book_html / p).read_text(encoding="utf-8") for p in book_pages(book_html)}
    assert [p for p, text in pages.items() if "application/vnd.jupyter.widget-state+json" in text] == []
    # the explorers' own static pictures stand in for them (ch. 1's path explorer)
    assert sum("decaylib-explorer-static" in text for text in pages.values()) >= 1


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_internal_links_resolve(parsed, book_url):
    """Every internal href and every fetched asset returns 200 from the served
    build, and every #fragment names an id on the target page (cross-references,
    equation and figure numbers, the table of contents, citations)."""
    base = urllib.parse.urlsplit(book_url)
    status: dict[str, int] = {}
    problems = []
    for page, doc in parsed.items():
        page_url = book_url + page
        targets = [(u, "link") for u in doc.links] + [(u, "asset") for _, u in doc.fetched]
        for raw, kind in targets:
            if not raw or raw.startswith(("mailto:", "javascript:", "data:", "tel:")):
                continue
            url = urllib.parse.urljoin(page_url, raw)
            parts = urllib.parse.urlsplit(url)
            if parts.netloc != base.netloc:
                continue  # a hyperlink to the web (assets from outside fail the test above)
            target = parts._replace(query="", fragment="").geturl()
            if target not in status:
                status[target] = _status(target)
            if status[target] != 200:
                problems.append(f"{page}: {kind} {raw} -> HTTP {status[target]}")
                continue
            if kind == "link" and parts.fragment:
                rel = urllib.parse.unquote(parts.path[len(base.path):])
                if rel.endswith("/") or not rel:
                    rel += "index.html"
                fragment = urllib.parse.unquote(parts.fragment)
                if rel in parsed and fragment not in parsed[rel].ids:
                    problems.append(f"{page}: link {raw}: no id {fragment!r} in {rel}")
    assert len(status) > 50, f"only {len(status)} internal URLs found"
    assert not problems, "\n".join(sorted(set(problems)))


def test_search_finds_pages(offline_page, page_log, book_url):
    """Type a query into the search box (Ctrl+K) and get results that link to
    the right chapter; a nonsense word finds nothing."""
    page = offline_page
    page.goto(book_url + "book/intro.html")
    page.keyboard.press("Control+k")
    box = page.locator("#pst-search-dialog input[name=q]")
    box.wait_for(state="visible")
    box.fill("exponential")
    box.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=exponential"))
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(state="visible", timeout=15_000)
    hrefs = results.locator("a").evaluate_all("as => as.map(a => a.href)")
    assert any("03_exponential.html" in h for h in hrefs), hrefs
    page.wait_for_function("() => !document.querySelector('#search-progress')?.textContent.includes('Preparing')")

    page.goto(book_url + "search.html?q=zqxjkvbw")
    page.wait_for_function(
        "() => /did not match|found 0|no results/i.test(document.querySelector('#search-results')?.textContent || '')",
        timeout=15_000,
    )
    assert page.locator("#search-results ul.search li").count() == 0
    assert not page_log.outside_requests
    assert not page_log.bad_responses


def test_every_chapter_has_hidden_solutions(book_html):
    """Every numbered chapter ends with exercises whose solutions are dropdowns
    (sphinx-exercise ``:class: dropdown``); test_book_pages opens each one."""
    chapters = [p for p in book_pages(book_html) if re.match(r"book/\d\d_", p)]
    assert len(chapters) >= 9, chapters
    missing = []
    for page in chapters:
        text = (book_html / page).read_text(encoding="utf-8")
        exercises = len(re.findall(r'<div class="exercise[ "]', text))
        solutions = len(re.findall(r'<div class="solution dropdown[ "]', text))
        if not exercises or solutions < exercises:
            missing.append(f"{page}: {exercises} exercises, {solutions} dropdown solutions")
    assert not missing, "\n".join(missing)
