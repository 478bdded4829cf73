"""The live explorers in Chromium, network blocked: sliders that work with no kernel.

Two kinds of page are checked, each with every outside request aborted:

* every page of the built book that carries a ``decaylib.viz.live`` chart (found
  in ``_build/html``), and each formula chapter must be one of them;
* a page made here from ``decaylib.viz.live``'s own display output for every
  family and the comparison, served beside the built book so that it loads
  the book's vendored Vega runtime exactly as a chapter does.

For each chart: it is drawn; moving each slider with the keyboard changes the
drawn curve (read from the Vega scenegraph); the data read back from the
chart's view after the move equal decaylib's values for the new parameters
(tests/test_live.py's checks, 1e-12 relative); and the time one slider update
takes to re-render is measured over 30 updates and printed (no assertion on
time).
"""
from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pytest
from bookbrowser import ALL_SCREENSHOTS, BOOK_HTML, REPO, full_page_screenshot

from decaylib.viz import embed, live
from test_live import check_comparison, check_explorer, check_matched

# Console errors that are not the charts' fault (same reason as test_book_pages.py).
ALLOWED_ERRORS = [re.compile(r"Identifier 'THEBE_JS_URL' has already been declared")]

#: the formula chapters and the live charts each must show
CHAPTERS = {
    "02_inverse_time": ["inverse_time"],
    "03_exponential": ["exponential"],
    "04_inverse_sqrt": ["inverse_sqrt"],
    # one live chart a chapter (issue 10); the piecewise chart is checked on a page of its own below
    "05_piecewise_step": [("step_decay", "piecewise_constant")],
    "06_comparing": [("matched", "comparison")],  # a tuple: any one of them
}


def live_pages(root: Path = BOOK_HTML) -> list[str]:
    """Pages of the built book whose HTML carries a decaylib.viz.live chart."""
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")
                  if p.relative_to(root).parts[0] not in ("_static", "_sources", "vendor")
                  and "data-decaylib-live" in p.read_text(errors="replace"))


CHARTS_JS = """
() => [...document.querySelectorAll('[data-decaylib-live]')].map(el => ({
  id: el.id, family: el.dataset.decaylibLive, ready: el.dataset.ready === 'true',
  text: el.textContent.slice(0, 300)}))
"""

STATE_JS = """
async (id) => {
  const r = window.__decaylibViews[id], view = r.view;
  await view.runAsync();
  const signals = {};
  for (const p of r.spec.params || []) signals[p.name] = view.signal(p.name);
  const data = {};
  for (const d of r.vgSpec.data) data[d.name] = view.data(d.name).map(row => Object.assign({}, row));
  const lines = [];
  const visit = (mark) => {
    if (mark.marktype === 'line') lines.push(mark.items.map(i => [i.x, i.y]));
    else if (mark.marktype === 'group') for (const g of mark.items) for (const m of g.items || []) visit(m);
  };
  visit(view.scenegraph().root);
  const sliders = [...document.querySelectorAll('#' + id + ' .vega-bindings input[type=range]')].map(
    input => ({name: input.name, label: input.parentElement.querySelector('.vega-bind-name').textContent,
               value: +input.value, min: +input.min, max: +input.max, step: +input.step}));
  return {signals, data, lines, sliders, meta: (r.spec.usermeta || {}).decaylib};
}
"""

# Time one slider update: set the value and fire `input` as the browser does
# for a drag, then wait until Vega has run the dataflow and re-rendered the
# view (`runAsync` resolves after the renderer drew the new scene).  Also
# note whether that happened before the browser's next animation frame, i.e.
# whether the update is on screen in the very next frame.
TIMING_JS = """
async ([id, name, values]) => {
  const view = window.__decaylibViews[id].view;
  const input = document.querySelector('#' + id + ' input[name="' + name + '"]');
  const frame = () => new Promise(resolve => requestAnimationFrame(() => resolve(performance.now())));
  const rendered = [];
  let inNextFrame = 0;
  for (const v of values) {
    await frame();
    const next = frame();
    const t0 = performance.now();
    input.value = v;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    await view.runAsync();
    const t1 = performance.now();
    if (t1 <= await next) inNextFrame += 1;
    if (view.signal(name) !== +input.value) throw new Error('signal did not follow the slider');
    rendered.push(t1 - t0);
  }
  return {rendered, inNextFrame};
}
"""


def chapter_calls(chapter: str) -> list[str]:
    """The live charts a chapter notebook displays (from its code cells)."""
    cells = json.loads((REPO / "book" / f"{chapter}.ipynb").read_text())["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return [m.group(2) or m.group(1)[:-1]
            for m in re.finditer(r"(?:decaylib\.viz\.)?\blive\.(explorer\(\s*[\"']([a-z_]+)[\"']|comparison\(|matched\()", source)]


def test_every_formula_chapter_calls_its_live_chart():
    """The chapter notebooks display the live charts (the page tests below check them drawn)."""
    missing = [f"{chapter}: {' or '.join(chart) if isinstance(chart, tuple) else chart}"
               for chapter, charts in CHAPTERS.items() for chart in charts
               if not set(chart if isinstance(chart, tuple) else [chart]) & set(chapter_calls(chapter))]
    assert not missing, "chapters without their live chart: " + "; ".join(missing)


def open_charts(page, url, page_log, expected: int | None = None):
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "() => { const c = [...document.querySelectorAll('[data-decaylib-live]')];"
        " return c.length > 0 && c.every(e => e.dataset.ready === 'true' || e.textContent.length > 0); }",
        timeout=30_000)
    charts = page.evaluate(CHARTS_JS)
    assert all(c["ready"] for c in charts), f"charts not drawn: {charts}"
    if expected is not None:
        assert len(charts) == expected
    return charts


def check_chart(page, chart):
    """Move each slider; the curve changes and equals decaylib's."""
    cid, family = chart["id"], chart["family"]
    state = page.evaluate(STATE_JS, cid)
    if family == "comparison":
        def check(st):
            check_comparison(st["signals"], st["data"], st["meta"])
    elif family == "matched":
        def check(st):
            check_matched(st["signals"], st["data"], st["meta"])
    else:
        def check(st):
            check_explorer(family, st["signals"], st["data"])
    check(state)
    sliders = state["sliders"]
    assert sliders and [s["name"] for s in sliders] == [
        k for k in state["signals"] if k != "match" and not k.startswith("boundary_sorted_")], (family, sliders)
    for s in sliders:  # each labelled with its vocabulary name
        label = "epochs" if s["name"] == "n" else re.sub(r"_(\d+)$", r"[\1]", s["name"])
        assert s["label"].startswith(f"{label} ("), s  # the name, then what it means
    for s in sliders:
        if family == "matched" and s["name"] == "rate":  # the rule's radio button, then its sliders
            page.locator(f"#{cid} input[type=radio][value='rate']").check()
            after = page.evaluate(STATE_JS, cid)
            assert after["signals"]["match"] == "rate" and after["lines"] != state["lines"], "match did not switch"
            check(after)
            state = after
        key = "ArrowLeft" if s["value"] + 5 * s["step"] > s["max"] else "ArrowRight"
        slider = page.locator(f"#{cid} input[name='{s['name']}']")
        slider.focus()
        for _ in range(5):
            slider.press(key)
        after = page.evaluate(STATE_JS, cid)
        assert after["signals"][s["name"]] != state["signals"][s["name"]], f"{family}: {s['name']} did not move"
        assert after["lines"] != state["lines"], f"{family}: moving {s['name']} left the drawn curve unchanged"
        check(after)
        state = after
    return state


UPDATES = 30


def time_updates(page, chart, name, lo, hi):
    """Median ms of one update over UPDATES, and how many were in the next frame."""
    values = [lo if i % 2 else hi for i in range(UPDATES)]
    times = page.evaluate(TIMING_JS, [chart["id"], name, values])
    return statistics.median(times["rendered"]), times["inNextFrame"]


PAGES = sorted({f"book/{c}.html" for c in CHAPTERS} | set(live_pages()))


@pytest.mark.parametrize("path", PAGES)
def test_live_charts_in_the_book(offline_page, book_url, book_html, page_log, path):
    chapter = Path(path).stem
    expected = chapter_calls(chapter) if (REPO / "book" / f"{chapter}.ipynb").is_file() else None
    if chapter in CHAPTERS:
        assert expected, f"{chapter}.ipynb displays no decaylib.viz.live chart (it should show {CHAPTERS[chapter]})"
    assert (book_html / path).is_file(), f"{path} is not in the built book"
    charts = open_charts(offline_page, book_url + path, page_log)
    if expected is not None:
        assert [c["family"] for c in charts] == expected, "the page does not show the charts its notebook displays"
    for chart in charts:
        check_chart(offline_page, chart)
    first = charts[0]
    state = offline_page.evaluate(STATE_JS, first["id"])
    s = state["sliders"][0]
    rendered, in_frame = time_updates(offline_page, first, s["name"], s["min"], s["max"])
    print(f"\n{path}: {first['family']} chart, slider {s['name']}: median {rendered:.2f} ms from input "
          f"to re-rendered over {UPDATES} updates, {in_frame}/{UPDATES} on screen in the next frame")
    assert page_log.outside_requests == []
    assert page_log.bad_responses == []
    assert page_log.errors(ALLOWED_ERRORS) == []


def _page_of_charts(page, book_url, charts: dict) -> str:
    """A page beside the built book with decaylib's display output of each chart (name -> chart)."""
    scripts = "\n".join(f"<h2>{name}</h2>\n{embed.book_html(c.to_dict())}" for name, c in charts.items())
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>decaylib.viz.live</title>
<script defer src="vendor/vega/vega.min.js"></script>
<script defer src="vendor/vega-lite/vega-lite.min.js"></script>
<script defer src="vendor/vega-embed/vega-embed.min.js"></script>
</head><body><h1>Live charts</h1>
{scripts}
</body></html>"""
    url = book_url + "__decaylib_live_test__.html"
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    return url


class TestPagesOfTheirOwn:
    """Charts on a page made here: a class, so that pytest-xdist's --dist
    loadscope runs it on another worker than the book's pages above."""

    def test_piecewise_boundaries_crossed_by_keyboard_draw_a_valid_schedule(self, offline_page, book_url, page_log):
        """Issue 11: the issue's boundaries[0] = 400 > boundaries[1] = 60, made with the keyboard, and equal
        boundaries: the chart draws the ordered schedule, and its "as code" line is a decaylib call that
        runs and gives that schedule (check_explorer), shown in the chart's text."""
        url = _page_of_charts(offline_page, book_url, {"piecewise": live.explorer("piecewise_constant", epochs=100)})
        (chart,) = open_charts(offline_page, url, page_log, expected=1)
        cid = chart["id"]
        seen = []
        for name, key, expect in (("boundaries_0", "End", "boundaries=[60, 400]"),  # 400 > 60
                                  ("boundaries_1", "End", "boundaries=[400], values=[0.1, 0.001]")):  # equal
            before = offline_page.evaluate(STATE_JS, cid)
            slider = offline_page.locator(f"#{cid} input[name='{name}']")
            slider.focus()
            slider.press(key)
            state = offline_page.evaluate(STATE_JS, cid)
            assert state["signals"][name] == 400 and state["lines"] != before["lines"], name
            check_explorer("piecewise_constant", state["signals"], state["data"])
            shown = " ".join(offline_page.locator(f"#{cid} svg text").all_text_contents())
            assert expect in shown, shown
            start = shown.index("decaylib.")
            seen.append(shown[start:shown.index("])", shown.index("values=", start)) + 2])
        b0, b1 = state["signals"]["boundaries_0"], state["signals"]["boundaries_1"]
        assert (b0, b1) == (400, 400)
        print(f"\npiecewise chart, sliders crossed then equal by keyboard; code lines shown: {seen}")
        assert page_log.outside_requests == []
        assert page_log.errors(ALLOWED_ERRORS) == []


    def test_every_live_chart_on_a_page_of_its_own(self, offline_page, book_url, page_log, screenshot_dir):
        """decaylib.viz.live's display output for every chart, beside the built book.

        The page is served at the book's address (Playwright answers its URL) and
        loads the book's vendored Vega runtime as the chapters do: deferred in
        <head>, then each chart's HTML as decaylib's myst-nb plugin writes it.
        """
        charts = [live.explorer(f) for f in live.FAMILIES] + [live.comparison(), live.matched()]
        scripts = "\n".join(f"<h2>{name}</h2>\n{embed.book_html(c.to_dict())}"
                             for name, c in zip([*live.FAMILIES, "comparison", "matched"], charts))
        html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>decaylib.viz.live</title>
    <script defer src="vendor/vega/vega.min.js"></script>
    <script defer src="vendor/vega-lite/vega-lite.min.js"></script>
    <script defer src="vendor/vega-embed/vega-embed.min.js"></script>
    </head><body><h1>Every live chart</h1>
    {scripts}
    </body></html>"""
        url = book_url + "__decaylib_live_test__.html"
        offline_page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
        found = open_charts(offline_page, url, page_log, expected=len(charts))
        assert [c["family"] for c in found] == [*live.FAMILIES, "comparison", "matched"]
        for chart in found:
            check_chart(offline_page, chart)
        if ALL_SCREENSHOTS:  # nothing compares it: only on request (`make screenshots`)
            full_page_screenshot(offline_page, screenshot_dir / "live_explorers.png")

        report = []
        for chart in found:
            state = offline_page.evaluate(STATE_JS, chart["id"])
            s = state["sliders"][0]
            rendered, in_frame = time_updates(offline_page, chart, s["name"], s["min"], s["max"])
            report.append(f"  {chart['family']:<19} slider {s['name']:<13} median {rendered:5.2f} ms, "
                          f"{in_frame}/{UPDATES} in the next frame")
        print(f"\none slider update, input event to re-rendered chart, {UPDATES} updates each (vendored Vega "
              f"{offline_page.evaluate('vega.version')}, headless Chromium):\n" + "\n".join(report))
        assert page_log.outside_requests == []
        assert page_log.bad_responses == []
        assert page_log.errors(ALLOWED_ERRORS) == []
