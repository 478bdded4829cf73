"""Helpers shared by the browser tests (importable as ``bookbrowser``)."""

from __future__ import annotations

import os
import re
import socket
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BOOK_HTML = Path(os.environ.get("BOOK_HTML", REPO / "_build" / "html")).resolve()
SCREENSHOTS = BOOK_HTML.parent / "screenshots"
#: capture every page, not only failing ones (`BOOK_SCREENSHOTS=1`): nothing
#: compares the captures, and they cost more CPU than the checks themselves
ALL_SCREENSHOTS = os.environ.get("BOOK_SCREENSHOTS", "") not in ("", "0")
CHROMIUM = "/usr/bin/chromium"
# Flags as in the machine notes: without the background-networking ones,
# Chromium keeps trying to reach Google's hosts from a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Every URL but http(s)/ws(s) to localhost (data:, blob: are never routed).
NOT_LOCAL = re.compile(r"^(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:/|$))")
# Directories of the build that hold assets, not pages.
NOT_PAGES = {"_static", "_sources", "_images", "vendor", "_downloads"}
#: the folder of each edition under the English build (book/_ext/editions.py)
EDITIONS = {"en": "", "zh_CN": "zh_CN/"}


def book_pages(root: Path = BOOK_HTML) -> list[str]:
    """Every HTML page of the built book, as sorted paths relative to its root."""
    if not root.is_dir():
        return []
    pages = []
    for path in root.rglob("*.html"):
        rel = path.relative_to(root)
        parts = rel.parts[1:] if f"{rel.parts[0]}/" in EDITIONS.values() else rel.parts
        if parts[0] in NOT_PAGES:
            continue
        pages.append(rel.as_posix())
    return sorted(pages)


def screenshot_name(page: str) -> str:
    """``book/02_inverse_time.html`` -> ``02_inverse_time.png``;
    ``zh_CN/book/02_inverse_time.html`` -> ``zh_CN-02_inverse_time.png``."""
    name = Path(page).with_suffix(".png").name
    first = page.split("/", 1)[0]
    return f"{first}-{name}" if f"{first}/" in EDITIONS.values() else name


def is_local(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# A full-page capture of a 25,000-px chapter in one piece needs one huge
# surface; on CI that crashed Chromium ("Page.screenshot: Target crashed").
# Captured in bands no taller than this and stitched, peak memory stays small.
SCREENSHOT_BAND = 4096


def full_page_screenshot(page, path: Path) -> None:
    """Write a screenshot of the whole page to ``path``.

    The page is captured in horizontal bands of at most ``SCREENSHOT_BAND``
    CSS pixels (``clip`` with ``full_page=True``) and the bands are stitched
    with Pillow, so no single capture is larger than a few screens.
    """
    import io

    from PIL import Image

    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    bands = []
    for top in range(0, height, SCREENSHOT_BAND):
        clip = {"x": 0, "y": top, "width": width, "height": min(SCREENSHOT_BAND, height - top)}
        png = page.screenshot(full_page=True, clip=clip)
        bands.append(Image.open(io.BytesIO(png)))
    sheet = Image.new("RGB", (width, sum(b.height for b in bands)), "white")
    top = 0
    for band in bands:
        sheet.paste(band, (0, top))
        top += band.height
    sheet.save(path)
