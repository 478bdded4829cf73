"""axe-core on every page of the built book, in light and in dark colour mode.

axe-core (npm, ``node_modules/axe-core/axe.min.js``, the version pinned in
package-lock.json) is injected into each page from here
(``page.add_script_tag(content=...)``): nothing extra is shipped to readers.
Each page is opened offline (every request not to localhost aborted), after
MathJax has typeset and every live chart is drawn, and axe runs the rules
tagged ``wcag2a``, ``wcag2aa``, ``wcag21aa`` and ``best-practice``.  The test
fails on any violation of impact ``serious`` or ``critical``; lesser ones are
printed.  No rule is disabled.

Dark mode is the theme's own (pydata-sphinx-theme): each page is loaded once,
audited in light mode, switched to dark as the theme's button does it
(``data-theme``, ``data-mode``, ``localStorage.theme``), its live charts
redrawn dark, and audited again.  The page must then really be dark (``<html
data-theme="dark">``, a dark body, every chart redrawn in the dark theme).

The audits run in test_book_pages.py's one visit of each page (same viewport
1280x900, light mode first; its checks before, the solutions opened after),
so that each page is loaded once for both: ``new_page`` and ``audit`` here,
the tests ``test_mode_is_applied`` and ``test_no_serious_or_critical_violations``
there, one a page and mode, with the checks and messages below.  Run
``pytest tests/browser/test_book_pages.py -s`` to see the table of
violations by rule.
"""
from __future__ import annotations

import collections
import json

from .bookbrowser import BOOK_HTML, NOT_LOCAL, REPO, book_pages, is_local

AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
import re
#: every page but the build root's redirect stub (index.html: a meta refresh to
#: book/intro.html, audited as itself)
PAGES = [p for p in book_pages() if not re.search(r'http-equiv="refresh"', (BOOK_HTML / p).read_text()[:500], re.I)]
MODES = ("light", "dark")
TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]
FAILING = ("serious", "critical")

SWITCH_JS = """
(mode) => {
  localStorage.setItem('theme', mode);
  document.documentElement.dataset.theme = mode;
  document.documentElement.dataset.mode = mode;
}
"""

READY_JS = """
async (mode) => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  const deadline = Date.now() + 20000;
  const charts = () => [...document.querySelectorAll('[data-decaylib-live]')];
  const done = el => el.dataset.ready === 'true' && el.dataset.theme === mode;
  while (charts().some(el => !done(el)) && Date.now() < deadline)
    await new Promise(r => setTimeout(r, 50));
  if (window.__decaylibViews) for (const r of Object.values(window.__decaylibViews)) await r.view.runAsync();
  await document.fonts.ready;
  // the theme fades colours on a mode switch: measure the colours it ends on
  await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return {theme: document.documentElement.dataset.theme,
          body: getComputedStyle(document.body).backgroundColor,
          charts: charts().length, ready: charts().filter(done).length};
}
"""

RUN_AXE_JS = """
async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                              summary: (n.failureSummary || '').slice(0, 300)}))}));
}
"""


def _luminance(css_rgb: str) -> float:
    r, g, b = (int(float(x)) for x in css_rgb[css_rgb.index("(") + 1:css_rgb.index(")")].split(",")[:3])
    lin = [(c / 255) / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def new_page(browser, slot):
    """A page (1280x900, light: ``color_scheme`` and ``localStorage.theme``) in
    a context of its own, every request not to localhost aborted; what it does
    is recorded in ``slot["log"]`` (a conftest ``PageLog``)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block",
                                  color_scheme="light")

    def route(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            slot["log"].outside_requests.append(route.request.url)
            route.abort("blockedbyclient")

    context.route(NOT_LOCAL, route)
    context.add_init_script("try { localStorage.setItem('theme', 'light'); } catch (e) {}")
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and slot["log"].console_errors.append(
        f"{m.text} @ {m.location.get('url', '')}"))
    page.on("pageerror", lambda e: slot["log"].page_errors.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and slot["log"].bad_responses.append(f"{r.status} {r.url}"))
    return context, page


_AXE_SOURCE: list[str] = []


def audit(page, in_light=None, in_dark=None) -> dict:
    """axe on the loaded page in light mode, then switched to dark the way the
    theme's own button does it (data-theme/data-mode and localStorage), every
    live chart redrawn dark, and audited again; then back to light.
    (test_phone_dark.py also opens pages straight in dark mode.)
    Returns ``{"violations": {mode: [...]}, "states": {mode: {...}}, "light": in_light(page),
    "dark": in_dark(page)}`` (whatever else the caller reads in each mode, once
    the page is ready in it)."""
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(AXE_JS.read_text())
    page.add_script_tag(content=_AXE_SOURCE[0])
    out = {"violations": {}, "states": {}}
    for mode in MODES:
        if mode != "light":
            page.evaluate(SWITCH_JS, mode)
        out["states"][mode] = page.evaluate(READY_JS, mode)
        if mode == "light":
            out["light"] = in_light(page) if in_light else None
        out["violations"][mode] = page.evaluate(RUN_AXE_JS, TAGS)
    out["dark"] = in_dark(page) if in_dark else None
    page.evaluate(SWITCH_JS, "light")
    page.evaluate(READY_JS, "light")
    return out


def print_table(out):
    counts = collections.Counter()
    for mode, pages in out.items():
        for violations in pages.values():
            for v in violations:
                counts[(mode, v["impact"], v["id"])] += len(v["nodes"])
    print("\naxe violations (mode, impact, rule: nodes)")
    for (mode, impact, rule), n in sorted(counts.items()):
        print(f"  {mode:5} {impact:8} {rule:32} {n}")
    if not counts:
        print("  none")


def check_mode_is_applied(name, state, mode):
    """The page really is in the mode audited (else the dark audit proves nothing)."""
    assert state["theme"] == mode, (name, state)
    lum = _luminance(state["body"])
    assert (lum > 0.8) if mode == "light" else (lum < 0.05), (name, state["body"])
    assert state["ready"] == state["charts"], f"{name}: {state['charts'] - state['ready']} live chart(s) not drawn"


def check_no_serious_or_critical(name, violations, mode):
    bad = []
    for v in violations:
        if v["impact"] in FAILING:
            nodes = "\n      ".join(f"{n['target']}: {n['html']} -- {n['summary']}" for n in v["nodes"][:4])
            bad.append(f"{name} [{v['impact']}] {v['id']} ({len(v['nodes'])} nodes): {v['help']}\n      {nodes}")
    assert not bad, f"{len(bad)} serious/critical axe violations in {mode} mode:\n" + "\n".join(bad)


def test_every_page_is_audited():
    """The pages test_book_pages.py audits (guards against an empty list)."""
    assert len(PAGES) >= 30 and "book/intro.html" in PAGES and "zh_CN/book/intro.html" in PAGES, PAGES


def test_axe_is_the_pinned_version():
    """The engine is the axe-core of package-lock.json, not some other copy."""
    lock = json.loads((REPO / "package-lock.json").read_text())
    version = lock["packages"]["node_modules/axe-core"]["version"]
    assert f"axe v{version}" in AXE_JS.read_text()[:300]
