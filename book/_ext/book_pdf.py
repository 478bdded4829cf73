"""The whole book as one PDF, printed from the built HTML (``make pdf``).

Every page of ``_toc.yml``, in reading order, is opened in Debian's Chromium
(Playwright, ``/usr/bin/chromium``, served from localhost, every outside
request blocked), waited on until MathJax has typeset it, every live chart has
drawn and every image has loaded, then printed with ``page.pdf()``: the print
stylesheet (``book/_static/print.css``) drops the sidebars, header and
buttons; exercise solutions and "deep dive" dropdowns are printed open, as the
book's own print button (sphinx-togglebutton's ``beforeprint``) shows
solutions.  The pages are joined with pypdf into one file with an outline
(one entry per page, its title), and links from one page of the book to
another become links inside the PDF.

    python book/_ext/book_pdf.py [--html _build/html] [--out _build/pdf/decay-book.pdf]

The file is also copied to ``<html>/decay-book.pdf``, where the intro's link
points; the Chinese edition is printed the same way from ``<html>/zh_CN``.
``READY_JS`` is the definition of "page open" that ``benchmarks/run.py
--pages`` times.
"""
from __future__ import annotations

import argparse
import asyncio
import functools
import html as htmllib
import http.server
import io
import os
import re
import shutil
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# as tests/browser/bookbrowser.py: without these Chromium keeps calling Google
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
PDF_NAME = "decay-book.pdf"
LOCAL = re.compile(r"^(?:https?|wss?)://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:/|$)|^(?:data|blob|about):")

# Resolves when the page is open for reading: fonts loaded, MathJax's first
# typeset done (if the page loads MathJax), every live chart drawn or failed
# with its message, every image decoded.  Returns what it waited for.
READY_JS = """
async () => {
  const t0 = performance.now();
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  while (document.readyState !== 'complete') await sleep(10);
  const mathNodes = document.querySelectorAll('.math, .MathJax_Preview, mjx-container').length;
  if (document.querySelector('script[src*="mathjax"]')) {
    while (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) await sleep(10);
    await MathJax.startup.promise;
  }
  const charts = [...document.querySelectorAll('.decaylib-live[id]')];
  const drawn = el => el.getAttribute('data-ready') === 'true' ||
    /could not be drawn|needs the Vega runtime/.test(el.textContent);
  while (!charts.every(drawn)) await sleep(10);
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  await document.fonts.ready;
  return {math: mathNodes, charts: charts.length,
          drawn: charts.filter(el => el.getAttribute('data-ready') === 'true').length,
          images: document.images.length, waited_ms: performance.now() - t0,
          at_ms: performance.now()};  // since navigation start
}
"""

# What printing shows that the screen folds away: exercise solutions (the
# book's own print does this through sphinx-togglebutton's `beforeprint`),
# sphinx-design dropdowns (<details>: deep dives); and, should MathJax ever
# typeset lazily (its ui/lazy extension: only the formulas in view), every
# formula, waited for.
UNFOLD_JS = """
async () => {
  window.dispatchEvent(new Event('beforeprint'));
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const doc = window.MathJax && MathJax.startup && MathJax.startup.document;
  if (doc && doc.lazyTypesetAll) await doc.lazyTypesetAll();
  return document.querySelectorAll('.admonition.toggle-hidden').length;
}
"""


def reading_order(toc: Path = ROOT / "_toc.yml") -> list[str]:
    """The pages of ``_toc.yml`` in reading order, as built paths (``book/intro.html``)."""
    import yaml

    data = yaml.safe_load(toc.read_text())
    files = [data["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in data.get("parts", []):
        walk(part.get("chapters"))
    walk(data.get("chapters"))
    return [f"{Path(f).with_suffix('').as_posix()}.html" for f in files]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve(html: Path):
    """Serve ``html`` on a free localhost port; yields its base URL."""
    handler = functools.partial(_Quiet, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def offline_route(url: str) -> bool:
    """True for a request that must be aborted (anything but localhost)."""
    return not LOCAL.match(url)


def ready(page, timeout_ms: int = 60_000) -> dict:
    """Wait until a (sync Playwright) ``page`` is open for reading (READY_JS)."""
    page.set_default_timeout(timeout_ms)
    return page.evaluate(READY_JS)


PDF_OPTIONS = dict(
    format="A4", print_background=True, outline=True,
    margin={"top": "16mm", "bottom": "16mm", "left": "16mm", "right": "16mm"},
    display_header_footer=True, header_template="<span></span>",
)
# Chromium numbers the pages of each print from 1, so the footer names the
# part as well: "Inverse-time decay · 8" (the 8th page of chapter 2).
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555">'
          '{title} · <span class="pageNumber"></span></div>')


async def print_page(context, url: str) -> tuple[bytes, str, dict]:
    """``url`` printed to PDF (A4), with its title and what it waited for."""
    page = await context.new_page()
    page.set_default_timeout(120_000)
    try:
        await page.goto(url, wait_until="load")
        info = await page.evaluate(READY_JS)
        await page.evaluate(UNFOLD_JS)
        await page.wait_for_timeout(50)  # let the unfolded solutions lay out
        title = await page.evaluate("document.querySelector('main h1')?.innerText ?? document.title")
        title = re.sub(r"[#¶]\s*$", "", title).strip()
        footer = FOOTER.format(title=htmllib.escape(title))
        return await page.pdf(**PDF_OPTIONS, footer_template=footer), title, info
    finally:
        await page.close()


async def print_all(base: str, pages: list[str], workers: int, verbose: bool):
    """Every page printed, ``workers`` at a time; ``[(path, pdf, title)]`` in order."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # light mode: the book on paper is dark text on white, whatever the reader's setting
        context = await browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
        await context.route(offline_route, lambda route: route.abort())
        gate = asyncio.Semaphore(workers)

        async def one(path):
            async with gate:
                t = time.perf_counter()
                pdf, title, info = await print_page(context, base + path)
                if verbose:
                    print(f"  {path:<32} {title[:40]:<40} {info['math']:>4} formulas "
                          f"{info['drawn']}/{info['charts']} charts  {time.perf_counter() - t:.1f} s",
                          flush=True)
                return path, pdf, title

        try:
            return await asyncio.gather(*(one(p) for p in pages))
        finally:
            await browser.close()


def merge(parts: list[tuple[str, bytes, str]], base: str):
    """Join ``(path, pdf, title)`` parts into one pypdf ``PdfWriter``.

    Each part gets an outline entry (its title) with its own outline
    (Chromium's, from the headings) beneath; a link to another page of the
    book (``base + path#fragment``) is turned into a jump inside the PDF, to
    the page holding the fragment when Chromium named it, else to the part's
    first page; other links to ``base`` are dropped.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NullObject, NumberObject

    writer = PdfWriter()
    starts: dict[str, int] = {}
    anchors: dict[tuple[str, str], int] = {}
    for path, data, title in parts:
        reader = PdfReader(io.BytesIO(data))
        start = len(writer.pages)
        starts[path] = start
        for name, dest in reader.named_destinations.items():
            try:
                anchors[(path, str(name).lstrip("/"))] = start + reader.get_destination_page_number(dest)
            except Exception:  # noqa: BLE001 - a destination without a page: skip it
                pass
        writer.append(reader, outline_item=title)
    # External links stay; links to a served page become GoTo actions; other
    # links to the print server (the PDF itself, a notebook's source) would
    # point at a server that is gone: the PDF itself goes to its first page,
    # the others are dropped (their text stays).
    for page in writer.pages:
        annots = page.get("/Annots")
        if not annots:
            continue
        keep = ArrayObject()
        for ref in annots:
            annot = ref.get_object()
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action and action.get("/S") == "/URI" else ""
            if not uri.startswith(base):
                keep.append(ref)
                continue
            split = urllib.parse.urlsplit(uri[len(base):])
            path, frag = urllib.parse.unquote(split.path), urllib.parse.unquote(split.fragment)
            target = 0 if path == PDF_NAME else anchors.get((path, frag), starts.get(path))
            if target is None:
                continue
            keep.append(ref)
            dest = ArrayObject([writer.pages[target].indirect_reference, NameObject("/XYZ"),
                                NullObject(), NullObject(), NumberObject(0)])
            annot[NameObject("/A")] = DictionaryObject({NameObject("/S"): NameObject("/GoTo"),
                                                        NameObject("/D"): dest})
        page[NameObject("/Annots")] = keep
    return writer


def make_pdf(html: Path, out: Path, workers: int = 2, verbose: bool = True) -> dict:
    """Print the book built in ``html`` to ``out`` and copy it into ``html``."""
    t0 = time.perf_counter()
    pages = reading_order()
    missing = [p for p in pages if not (html / p).is_file()]
    if missing:
        raise SystemExit(f"not built: {missing} (run `make book` first)")
    with serve(html) as base:
        parts = asyncio.run(print_all(base, pages, workers, verbose))
        writer = merge(parts, base)
    writer.add_metadata({"/Title": "Learning-rate decay, derived", "/Author": "the decaylib authors"})
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer.write(fh)
    # beside the intro of every edition: the English one and e.g. zh_CN/
    editions = [html]  # each edition prints its own (make pdf)
    for root in editions:
        shutil.copyfile(out, root / PDF_NAME)
    stats = {"pages": len(writer.pages), "bytes": out.stat().st_size, "seconds": time.perf_counter() - t0}
    if verbose:
        print(f"{out}: {stats['pages']} pages, {stats['bytes'] / 1e6:.1f} MB, {stats['seconds']:.0f} s; "
              f"copied to {', '.join(str(r / PDF_NAME) for r in editions)}")
    return stats


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built book")
    p.add_argument("--out", type=Path, default=None, help="default: <html>/../pdf/decay-book.pdf")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="pages printed at once")
    args = p.parse_args(argv)
    html = args.html.resolve()
    make_pdf(html, (args.out or html.parent / "pdf" / PDF_NAME).resolve(), args.workers)


if __name__ == "__main__":
    sys.exit(main())
