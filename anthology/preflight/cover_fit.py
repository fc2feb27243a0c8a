"""Does the EPUB's cover page fit a reader's screen whole, without scrolling? Its first page is
shown in headless Chromium (the system's, driven by Playwright; never a downloaded browser) at
the screens of a small e-reader and a landscape tablet, from the EPUB's own XHTML and CSS."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from anthology.preflight.findings import Finding, Status

SCREENS = ((600, 800), (1024, 768))
BROWSERS = ("chromium", "chromium-browser")
CHECK = "EPUB cover fits the screen"
LIMIT = "no scrolling at " + ", ".join(f"{w}x{h}" for w, h in SCREENS)
_OPF = "{http://www.idpf.org/2007/opf}"


def browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def _cover_page(book: zipfile.ZipFile) -> str:
    """The first page of the spine: where a reader opens the book."""
    container = etree.fromstring(book.read("META-INF/container.xml"))
    opf_path = container.find(".//{*}rootfile").get("full-path")
    opf = etree.fromstring(book.read(opf_path))
    items = {i.get("id"): i.get("href") for i in opf.iter(f"{_OPF}item")}
    first = next(opf.iter(f"{_OPF}itemref")).get("idref")
    return str(PurePosixPath(opf_path).parent / items[first])


def _extract(book: zipfile.ZipFile, folder: Path) -> None:
    """Only names that stay inside `folder`."""
    for member in book.infolist():
        path = PurePosixPath(member.filename)
        if path.is_absolute() or ".." in path.parts or member.is_dir():
            continue
        target = folder.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(book.read(member))


def cover_fit(epub: Path) -> Finding:
    executable = browser()
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        executable = None
    if executable is None:
        return Finding(CHECK, "could not run: no Chromium (with Playwright) on this machine",
                       LIMIT, Status.not_run)
    faults = []
    with tempfile.TemporaryDirectory(prefix="anthology-cover-") as temporary:
        folder = Path(temporary)
        try:
            with zipfile.ZipFile(epub) as book:
                page_name = _cover_page(book)
                _extract(book, folder)
        except (zipfile.BadZipFile, KeyError, StopIteration, etree.XMLSyntaxError,
                AttributeError) as exc:
            return Finding.judged(CHECK, f"no cover page to show ({exc})", LIMIT, False)
        url = folder.joinpath(*PurePosixPath(page_name).parts).as_uri()
        try:
            with sync_playwright() as p:
                chromium = p.chromium.launch(executable_path=executable)
                try:
                    for width, height in SCREENS:
                        faults += _fits(chromium, url, width, height)
                finally:
                    chromium.close()
        except Error as exc:
            return Finding(CHECK, f"could not run: Chromium failed ({str(exc).splitlines()[0]})",
                           LIMIT, Status.not_run)
    figure = "fits both screens" if not faults else f"{len(faults)} screens scroll"
    return Finding.judged(CHECK, figure, LIMIT, not faults, float(len(faults)), tuple(faults))


def _fits(chromium: object, url: str, width: int, height: int) -> list[str]:
    page = chromium.new_page(viewport={"width": width, "height": height})  # type: ignore
    try:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            "file:") else route.abort())  # nothing from the network, ever
        page.goto(url)
        page.wait_for_function("Array.from(document.images).every(i => i.complete)")
        scroll = page.evaluate("[document.documentElement.scrollWidth, "
                               "document.documentElement.scrollHeight]")
        boxes = page.evaluate("Array.from(document.images).map(i => { const r = "
                              "i.getBoundingClientRect(); return [r.left, r.top, r.right, "
                              "r.bottom]; })")
    finally:
        page.close()
    faults = []
    if scroll[0] > width or scroll[1] > height:
        faults.append(f"{width}x{height}: the page scrolls to {scroll[0]}x{scroll[1]}")
    for left, top, right, bottom in boxes:
        if left < 0 or top < 0 or right > width + 0.5 or bottom > height + 0.5:
            faults.append(f"{width}x{height}: the cover image runs off the screen")
    return faults
