"""The book as one PDF (``make pdf``, book/_ext/book_pdf.py), read back with pypdf.

The PDF is the one the intro links to, ``<BOOK_HTML>/decay-book.pdf``.  The
references are independent of the script that made it: the reading order is
read from ``_toc.yml`` here, the titles, solutions, charts and TeX sources
from the built HTML pages.

- every page of the book is in it, in the order of ``_toc.yml``: its outline
  has one entry per page, titled as the page's ``<h1>``, at increasing pages,
  and the first PDF page of each starts with the numbered title ("2.
  Inverse-time decay");
- no raw TeX: no formula's TeX source and no ``$$``/``\\(``/``\\[``
  delimiter appears in its text, and a ``\\command`` appears in a page's part
  no more often than in that page's code blocks (chapter 8 prints
  ``rf"\\alpha_1 = ..."`` as Python);
- every exercise solution is printed (open), every live chart drawn (its axis
  titles are in the text, no "could not be drawn"), no screen furniture
  (sidebar, skip link, buttons) and no link to the localhost server it was
  printed from.
"""

from __future__ import annotations

import collections
import html as htmllib
import json
import re
import unicodedata
from pathlib import Path

import pytest

from .bookbrowser import BOOK_HTML, REPO

# each edition prints its own PDF beside its intro (make pdf)
EDITIONS = {"en": BOOK_HTML, "zh_CN": BOOK_HTML / "zh_CN"}
TEX_COMMAND = re.compile(r"\\[A-Za-z]+")
DELIMITERS = ("$$", "\\(", "\\)", "\\[", "\\]")
# Text of the theme's screen-only parts: in the PDF it means a sidebar,
# header or button was printed.
SCREEN_ONLY = ("Skip to main content", "Toggle primary sidebar", "Back to top", "Ctrl+K",
               "Color mode", "Download this page", "Print to PDF", "Toggle hidden content",
               "显示或隐藏章节导航", "颜色模式", "下载此页面", "打印为 PDF")


def toc_pages() -> list[str]:
    """Built paths of the pages of _toc.yml, in reading order."""
    import yaml

    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for e in entries or []:
            if "file" in e:
                files.append(e["file"])
            walk(e.get("sections"))
            walk(e.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [f"{f}.html" for f in files]


def _text(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def html_facts(path: Path) -> dict:
    """What the PDF must show of one built page."""
    src = path.read_text()
    body = src[src.index('<article class="bd-article"'):]
    h1 = re.search(r"<h1>(.*?)</h1>", body, re.S).group(1)
    h1 = re.sub(r'<a class="headerlink".*?</a>', "", h1)
    pre = [htmllib.unescape(re.sub(r"<[^>]+>", "", m)) for m in re.findall(r"<pre>(.*?)</pre>", body, re.S)]
    math = [htmllib.unescape(m) for m in re.findall(r'<span class="math notranslate nohighlight">\\\((.*?)\\\)</span>', body, re.S)]
    math += [htmllib.unescape(m) for m in re.findall(r'<div class="math notranslate nohighlight">\s*\\\[(.*?)\\\]', body, re.S)]
    axes = []
    decoder = json.JSONDecoder()
    specs = [decoder.raw_decode(body, m.end() - 1)[0] for m in re.finditer(r"\bspec = \{", body)]
    for spec in specs:
        titles = set()

        def find(node):
            if isinstance(node, dict):
                x = node.get("encoding", {}).get("x") if isinstance(node.get("encoding"), dict) else None
                if isinstance(x, dict) and isinstance(x.get("title"), str):
                    titles.add(x["title"])
                for v in node.values():
                    find(v)
            elif isinstance(node, list):
                for v in node:
                    find(v)

        find(spec)
        axes.append(sorted(titles))
    visible = _text(re.sub(r"<script.*?</script>", "", body, flags=re.S))
    all_math = htmllib.unescape(" ".join(re.findall(r'class="math notranslate nohighlight">(.*?)</(?:span|div)>', body, re.S)))
    return {
        "alphas": len(re.findall(r"\\alpha(?![A-Za-z])", all_math)),
        "title": unicodedata.normalize("NFKC", _text(h1)),  # as the PDF's text (fixture)
        "visible": unicodedata.normalize("NFKC", visible),
        "solutions": len(re.findall(r'<div class="solution dropdown[ "]', body)),
        "code_commands": collections.Counter(TEX_COMMAND.findall("\n".join(pre))),
        "code_delimiters": {d: sum(p.count(d) for p in pre) for d in DELIMITERS},
        "math": [m.strip() for m in math if "\\" in m and len(m.strip()) >= 8],
        "charts": axes,
    }


@pytest.fixture(scope="module", params=list(EDITIONS))
def book_pdf(request):
    """(reader, text of every page, [(path, facts, first page, end page)])."""
    root = EDITIONS[request.param]
    PDF = root / "decay-book.pdf"
    if not PDF.is_file():
        pytest.fail(f"no {PDF}: run `make pdf` (make test runs it after building the book)")
    from pypdf import PdfReader

    reader = PdfReader(PDF)
    # NFKC: Noto CJK maps some glyphs to Kangxi radicals (⽤ U+2F64 for 用)
    texts = [unicodedata.normalize("NFKC", page.extract_text() or "") for page in reader.pages]
    outline = [item for item in reader.outline if not isinstance(item, list)]
    starts = [reader.get_destination_page_number(item) for item in outline]
    pages = toc_pages()
    parts = []
    for i, path in enumerate(pages):
        start = starts[i] if i < len(starts) else None
        end = starts[i + 1] if i + 1 < len(starts) else len(texts)
        parts.append((path, html_facts(root / path), start, end, outline[i].title if i < len(outline) else None))
    print(f"\n{PDF}: {len(reader.pages)} pages, {PDF.stat().st_size / 1e6:.1f} MB, "
          f"{len(pages)} parts: " + ", ".join(f"{p}@{s + 1 if s is not None else '?'}" for p, _, s, _, _ in parts))
    return reader, texts, parts


def test_every_page_in_reading_order(book_pdf):
    reader, texts, parts = book_pdf
    assert len(reader.pages) >= 2 * len(parts), f"{len(reader.pages)} PDF pages for {len(parts)} book pages"
    outline = [unicodedata.normalize("NFKC", item.title) for item in reader.outline if not isinstance(item, list)]
    assert outline == [facts["title"].split(". ", 1)[-1] if re.match(r"\d+\. ", facts["title"]) else facts["title"]
                       for _, facts, *_ in parts], "PDF outline != the pages' titles in _toc.yml order"
    previous = -1
    for path, facts, start, end, _ in parts:
        assert start is not None and start > previous, f"{path} starts at PDF page {start}, after {previous}"
        previous = start
        first = " ".join(texts[start].split())
        # the title opens the page (pypdf may read a column of labels first: the bibliography;
        # it puts spaces around Latin words in Chinese)
        assert re.sub(r"\s", "", facts["title"]) in re.sub(r"\s", "", first[:300]), f"{path}: its first PDF page opens {first[:120]!r}, no {facts['title']!r}"


def test_no_raw_tex(book_pdf):
    _, texts, parts = book_pdf
    problems = []
    for path, facts, start, end, _ in parts:
        text = "\n".join(texts[start:end])
        flat = " ".join(text.split())
        for cmd, n in collections.Counter(TEX_COMMAND.findall(text)).items():
            if n > facts["code_commands"][cmd]:
                problems.append(f"{path}: {cmd} {n}× in the PDF, {facts['code_commands'][cmd]}× in its code")
        for d in DELIMITERS:
            if text.count(d) > facts["code_delimiters"][d]:
                problems.append(f"{path}: {d!r} {text.count(d)}× in the PDF, {facts['code_delimiters'][d]}× in its code")
        for tex in facts["math"]:
            if " ".join(tex.split()) in flat:
                problems.append(f"{path}: formula printed as TeX: {tex[:60]!r}")
    assert not problems, "\n".join(problems[:20])


def test_formulas_printed_not_blank(book_pdf):
    """A formula left out (blank, e.g. MathJax's lazy typesetting never run) is
    no raw TeX either: count the α the formulas print against the
    ``\\alpha`` in their TeX sources (prose and code add more α, never fewer;
    pypdf's extraction drops the odd glyph in a table, hence 90 %)."""
    _, texts, parts = book_pdf
    low = []
    for path, facts, start, end, _ in parts:
        printed = "\n".join(texts[start:end]).count("α")
        if printed < 0.9 * facts["alphas"]:
            low.append(f"{path}: {printed} α printed, {facts['alphas']} \\alpha in its formulas")
    assert sum(f["alphas"] for _, f, *_ in parts) >= 100, "fewer \\alpha in the book's formulas than expected"
    assert not low, "\n".join(low)


def test_solutions_charts_and_no_screen_furniture(book_pdf):
    reader, texts, parts = book_pdf
    problems = []
    for path, facts, start, end, _ in parts:
        text = " ".join("\n".join(texts[start:end]).split())
        solutions = len(re.findall(r"(?:Solution to\s*Exercise|解答\s*练习) \d+\.\d+", text))
        if solutions != facts["solutions"]:
            problems.append(f"{path}: {solutions} solutions printed, {facts['solutions']} in the page")
        # each drawn chart adds its x-axis title to the text the page already has
        wanted = collections.Counter(t for titles in facts["charts"] for t in titles)
        if any(not titles for titles in facts["charts"]):
            problems.append(f"{path}: a live chart without an x-axis title (test cannot see it drawn)")
        for title, n in wanted.items():
            printed, prose = text.count(title), facts["visible"].count(title)
            if printed < prose + n:
                problems.append(f"{path}: {title!r} {printed}× in the PDF, expected {prose} in the text + {n} "
                                "chart axes: a live chart not drawn")
        for bad in ("could not be drawn", "needs the Vega runtime", *SCREEN_ONLY):
            if bad in text:
                problems.append(f"{path}: {bad!r} printed")
    assert sum(f["solutions"] for _, f, *_ in parts) >= 20, "fewer solutions in the book than expected"
    assert any(f["charts"] for _, f, *_ in parts), "no live chart found in the built pages"
    for number, page in enumerate(reader.pages, 1):
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            uri = str(action.get("/URI", ""))
            if re.match(r"https?://(127\.0\.0\.1|localhost)", uri):
                problems.append(f"PDF page {number}: link to the print server {uri}")
    assert not problems, "\n".join(problems[:20])


def _luminance(css_colour: str) -> float:
    r, g, b = (int(x) / 255 for x in re.findall(r"\d+", css_colour)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_print_stylesheet_in_a_page(offline_page, page_log, book_url):
    """What Ctrl+P prints, on a chapter in dark mode: the print stylesheet is
    linked (media=print) and loaded, the sidebars and header are hidden, the
    code tabs all shown, and the text printed dark on the white paper (the
    light theme, book/_static/print.js)."""
    page = offline_page
    page.emulate_media(color_scheme="dark")
    page.goto(book_url + "book/02_inverse_time.html", wait_until="load")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate("""[...document.styleSheets].some(s => /print\\.css/.test(s.href || '')
                             && s.media.mediaText === 'print' && s.cssRules.length > 0)""")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print", color_scheme="dark")
    shown = page.evaluate("""() => {
      const vis = sel => [...document.querySelectorAll(sel)].map(e => e.checkVisibility());
      const p = document.querySelector('main section p');
      return {sidebar: vis('.bd-sidebar-primary'), header: vis('header.bd-header'),
              secondary: vis('.bd-sidebar-secondary'), buttons: vis('.article-header-buttons'),
              tabs: vis('.sd-tab-content'), text: getComputedStyle(p).color,
              theme: document.documentElement.dataset.theme};
    }""")
    assert not any(shown["sidebar"] + shown["header"] + shown["secondary"] + shown["buttons"]), shown
    assert shown["tabs"] and all(shown["tabs"]), f"code tabs hidden in print: {shown['tabs']}"
    assert shown["theme"] == "light" and _luminance(shown["text"]) < 0.1, shown
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert not page_log.outside_requests
