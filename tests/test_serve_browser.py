"""`anthology serve` end to end: the real command in a subprocess, a real headless Chromium (the
system's, /usr/bin/chromium, driven by Playwright; nothing is downloaded).

An author opens a chapter, edits its review and sees the new sentence without a reload (the
page keeps a marker variable and its scroll position); breaks the YAML and sees the overlay
name the file and line; fixes it and the overlay goes; the print proof is one click away.
URLs that climb out of what the server renders are 404s; Ctrl-C stops it with exit 0.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from anthology.starter import create_workspace

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHAPTER = "v/first-volume/ch-vampyr.xhtml"
# Its last word is long: a short one would be tied to the one before by a no-break space.
SENTENCE = "Seen again on a winter night, the mill scene still grips everybody."


class Served:
    def __init__(self, process: subprocess.Popen, url: str, root: Path) -> None:
        self.process, self.url, self.root = process, url, root

    @property
    def review(self) -> Path:
        return self.root / "volumes" / "first-volume" / "vampyr.md"

    def raw_get(self, path: str, host: str | None = None) -> int:
        """A request with the path exactly as written: a browser would normalise `..`."""
        address, port = self.url.removeprefix("http://").strip("/").split(":")
        connection = http.client.HTTPConnection(address, int(port), timeout=60)
        try:
            connection.request("GET", path, headers={"Host": host} if host else {})
            return connection.getresponse().status
        finally:
            connection.close()


def start_server(root: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])}
    process = subprocess.Popen(
        [sys.executable, "-m", "anthology", "serve", "--port", "0", "--root", str(root)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    line = process.stdout.readline()  # the command prints its URL once it is serving
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if match is None:
        process.kill()
        raise AssertionError(f"no URL from anthology serve: {line!r} {process.stderr.read()}")
    return process, match[0]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (setup.sh installs it)")
    root = tmp_path / "ws"
    create_workspace(root)
    process, url = start_server(root)
    try:
        yield Served(process, url, root)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield chromium
        finally:
            chromium.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_live_preview_in_a_browser(served: Served, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 900, "height": 600})
    page.goto(served.url + CHAPTER)
    page.wait_for_function("window.anthologyPreview !== undefined")
    assert page.locator("h1.chapter-title .title-text").inner_text().startswith("Vampyr")
    page.evaluate("window.scrollTo(0, 250); window.keptMarker = 'not reloaded'")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0

    # An edit to the review: the new sentence appears, in place.
    review = served.review.read_text(encoding="utf-8")
    served.review.write_text(review + f"\n{SENTENCE}\n", encoding="utf-8")
    page.wait_for_function(f"document.body.textContent.includes({SENTENCE!r})", timeout=60_000)
    assert page.evaluate("window.keptMarker") == "not reloaded"
    assert page.evaluate("window.scrollY") == scrolled
    assert page.locator(".overlay").is_hidden()

    # A YAML error: the overlay names the file and line; the last good page stays.
    edit(served.review, "year: 1932", "year: [1932")
    overlay = page.locator(".overlay")
    overlay.wait_for(state="visible", timeout=60_000)
    assert re.search(r"volumes/first-volume/vampyr\.md:\d+: error: invalid YAML",
                     overlay.inner_text())
    assert SENTENCE in page.locator("body").inner_text()
    assert page.evaluate("window.keptMarker") == "not reloaded"

    # Fixed: the overlay goes.
    edit(served.review, "year: [1932", "year: 1932")
    overlay.wait_for(state="hidden", timeout=60_000)
    assert page.evaluate("window.keptMarker") == "not reloaded"

    # The print proof of the chapter, from the print layout, in the same page.
    page.locator("#proof-toggle").click()
    page.wait_for_function(
        "(() => { const host = document.getElementById('anthology-live');"
        " const images = host.shadowRoot.querySelectorAll('.proof img');"
        " return images.length > 0 && [...images].every(i => i.complete && i.naturalWidth > 0);"
        "})()", timeout=90_000)
    assert page.evaluate("window.keptMarker") == "not reloaded"


def test_only_what_it_renders_and_a_clean_stop(served: Served, browser: Browser) -> None:
    for path in ("/v/first-volume/../../../etc/passwd",
                 "/v/first-volume/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/v/first-volume/css/..%2f..%2fvolume.toml",
                 "/%2E%2E/%2E%2E/etc/passwd",
                 "/v/first-volume/vampyr.md",
                 "/volumes/first-volume/volume.toml"):
        assert served.raw_get(path) == 404, path
    assert served.raw_get("/" + CHAPTER) == 200
    assert served.raw_get("/" + CHAPTER, host="attacker.example:80") == 404  # DNS rebinding
    page = browser.new_page()
    response = page.goto(served.url + "v/first-volume/../../etc/passwd")
    assert response.status == 404

    served.process.send_signal(signal.SIGINT)
    out, err = served.process.communicate(timeout=120)  # generous: a busy machine is slow
    assert served.process.returncode == 0, err
    assert "Goodbye" in out
    assert "Traceback" not in err
