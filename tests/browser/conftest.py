"""Fixtures for the browser tests: the built book served on localhost, and
Debian's Chromium driven by Playwright with every outside request blocked.

Reusable by any test module in this folder (see README.md here):

``book_html``
    Path of the built book (``_build/html``, or ``$BOOK_HTML``).
``book_url``
    ``http://127.0.0.1:<free port>/``: the built book served for the session.
``browser``
    A Playwright ``Browser`` (Debian's /usr/bin/chromium, headless), one per module.
``outside_requests``
    The list of URLs the current test's page tried to fetch from anywhere but
    localhost. Every such request is aborted; assert the list is empty.
``page_log``
    A :class:`PageLog` with that list plus console errors, uncaught page
    errors and local responses with status >= 400.
``offline_page``
    The module's Playwright ``Page`` (1280x900) in its own context, reused by
    each test of the module from about:blank, with the network blocked as
    above and its events recorded in the test's ``page_log``.
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import os
import re
import threading
from pathlib import Path

import pytest
from .bookbrowser import BOOK_HTML, CHROMIUM, CHROMIUM_ARGS, NOT_LOCAL, is_local

OFFLINE_VIEWPORT = {"width": 1280, "height": 900}

@pytest.fixture(scope="session")
def book_html() -> Path:
    if not (BOOK_HTML / "index.html").is_file():
        pytest.fail(f"no built book at {BOOK_HTML}: run `make book` (make test builds it first)")
    return BOOK_HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="session")
def book_url(book_html: Path):
    """Serve the built book on a free localhost port for the whole session."""
    handler = functools.partial(_QuietHandler, directory=str(book_html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# Module scope: nbval's kernels run on the same xdist worker between browser
# modules, and a Playwright connection kept open across them was seen to die
# ("Target page, context or browser has been closed").
@pytest.fixture(scope="module")
def _chromium():
    """Playwright for the module, and a slot for its one Chromium."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} missing: `make test` installs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        slot = {"pw": pw, "browser": None}
        yield slot
        if slot["browser"] is not None and slot["browser"].is_connected():
            slot["browser"].close()


@pytest.fixture
def browser(_chromium):
    """The module's Chromium, relaunched if an earlier test's crash closed it,
    so one crash fails one test rather than every test after it."""
    current = _chromium["browser"]
    if current is None or not current.is_connected():
        current = _chromium["pw"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        _chromium["browser"] = current
    return current


@dataclasses.dataclass
class PageLog:
    """What a page did that a test may want to assert on."""

    outside_requests: list[str] = dataclasses.field(default_factory=list)
    console_errors: list[str] = dataclasses.field(default_factory=list)
    page_errors: list[str] = dataclasses.field(default_factory=list)
    bad_responses: list[str] = dataclasses.field(default_factory=list)

    def errors(self, allow: list[re.Pattern[str]] = ()) -> list[str]:
        """Console and page errors not matched by an allow-list pattern."""
        found = [f"console: {m}" for m in self.console_errors] + [f"pageerror: {m}" for m in self.page_errors]
        return [m for m in found if not any(p.search(m) for p in allow)]


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def outside_requests(page_log: PageLog) -> list[str]:
    return page_log.outside_requests


@pytest.fixture(scope="module")
def _offline_slot():
    """The module's offline page (made on first use) and the log of the test using it."""
    slot = {"page": None, "log": None}
    yield slot
    if slot["page"] is not None and not slot["page"].is_closed():
        try:
            slot["page"].context.close()
        except Exception:  # the browser went first (a crash): nothing left to close
            pass


def _new_offline_page(browser, slot):
    context = browser.new_context(viewport=OFFLINE_VIEWPORT, service_workers="block")

    # Only requests that are not to localhost reach Python (the pattern is
    # matched in the browser driver, so local requests are not slowed down);
    # is_local() double-checks each one.
    def handler(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            if slot["log"] is not None:
                slot["log"].outside_requests.append(route.request.url)
            route.abort("blockedbyclient")

    def record(kind, text):
        if slot["log"] is not None:
            getattr(slot["log"], kind).append(text)

    context.route(NOT_LOCAL, handler)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and record("console_errors", f"{m.text} @ {m.location.get('url', '')}"))
    page.on("pageerror", lambda e: record("page_errors", str(e)))
    page.on("response", lambda r: r.status >= 400 and record("bad_responses", f"{r.status} {r.url}"))
    return page


@pytest.fixture
def offline_page(browser, page_log: PageLog, _offline_slot):
    """The module's page (1280x900, own context) whose every non-localhost
    request is aborted and recorded in this test's ``page_log``.

    One page for all the tests of a module, each starting from about:blank:
    a navigation in a page that already ran the book's scripts costs half the
    CPU of the same navigation in a new page (measured: 1.3 s against 2.5 s
    of Chromium a chapter, the V8 and style caches of its renderer kept).
    What a test changes on the page itself (media emulation, viewport,
    routes of its own) is undone after it."""
    page = _offline_slot["page"]
    if page is None or page.is_closed() or page.context.browser is not browser or not browser.is_connected():
        page = _offline_slot["page"] = _new_offline_page(browser, _offline_slot)
    _offline_slot["log"] = page_log
    yield page
    _offline_slot["log"] = None  # what the page does from now on is no test's
    if not browser.is_connected() or page.is_closed():
        return
    try:
        page.unroute_all(behavior="ignoreErrors")
        page.emulate_media(media="null", color_scheme="light", reduced_motion="no-preference")  # the defaults
        if page.viewport_size != OFFLINE_VIEWPORT:
            page.set_viewport_size(OFFLINE_VIEWPORT)
        page.goto("about:blank")
    except Exception:  # a page in a bad state: the next test gets a new one
        page.context.close()
        _offline_slot["page"] = None


@pytest.fixture(scope="session")
def screenshot_dir(book_html: Path) -> Path:
    """``_build/screenshots``, beside the html folder (`make test` empties it first)."""
    out = book_html.parent / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    return out

