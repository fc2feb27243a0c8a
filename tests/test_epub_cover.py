"""The EPUB's cover page fits the screen whole, without scrolling, on the small and the
landscape screens of e-readers and tablets: rendered in headless Chromium (the system's,
driven by Playwright) from the EPUB's own XHTML and CSS."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.cli import app
from anthology.starter import create_workspace

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.parametrize("screen", [(600, 800), (1024, 768)], ids=["600x800", "1024x768"])
def test_the_cover_fits_the_screen(tmp_path: Path, screen: tuple[int, int]) -> None:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (setup.sh installs it)")
    from playwright.sync_api import sync_playwright

    create_workspace(tmp_path / "ws")
    result = CliRunner().invoke(app, ["build", "--only", "epub", "--root", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    book = tmp_path / "book"
    with zipfile.ZipFile(tmp_path / "ws" / "build" / "first-volume.epub") as epub:
        epub.extractall(book)
    width, height = screen
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto((book / "EPUB" / "cover.xhtml").as_uri())
            page.wait_for_function("document.images[0].complete")
            page.screenshot(path=str(tmp_path / f"cover-{width}x{height}.png"))
            scroll = page.evaluate("[document.documentElement.scrollWidth, "
                                   "document.documentElement.scrollHeight]")
            box = page.locator("img.cover-image").bounding_box()
        finally:
            browser.close()
    assert scroll[0] <= width and scroll[1] <= height  # nothing to scroll to
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= width + 0.5 and box["y"] + box["height"] <= height + 0.5
    assert box["height"] >= 0.95 * height or box["width"] >= 0.95 * width  # and it fills it
