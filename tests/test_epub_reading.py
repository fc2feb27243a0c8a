"""The sample EPUBs as a reader sees them: paginated by a real reading engine (foliate-js, from
tools/node_modules, in Debian's Chromium driven by Playwright; never a downloaded browser) on a
phone (390x844) and a 6-inch e-reader (600x800), screen by screen.

No screen may hold only a heading (a fact box kept whole once left a phone's first screen with
the chapter's title alone); every text of a chapter is on some screen; the text is not forced
justified; on a tablet given the whole width the measure stays a readable one; a fact's note is
its own sentence to a screen reader. Set ANTHOLOGY_READING_SHOTS to a folder to keep a PNG of
the first screens of every chapter read.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.e2e

FOLIATE = REPO / "tools" / "node_modules" / "foliate-js"
HARNESS = REPO / "tests" / "fixtures" / "reading" / "reader.html"
ORIGIN = "http://reader.invalid/"  # served by Playwright itself: no server, no network
SCREENS = {"390x844": (390, 844), "600x800": (600, 800)}
VOLUMES = ("silent-shadows", "after-midnight")  # the sampler reprints chapters of both
TABLET = (1072, 1448)
MEASURE_EM = 33.5  # epub.css limits the text block to 33em
MEASURE_CHARS = 80


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One browser for the module."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("no chromium on PATH (setup.sh installs it)")
    if not (FOLIATE / "view.js").is_file():
        pytest.skip("no foliate-js in tools/node_modules (setup.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def epubs(sample_build: Any) -> dict[str, Path]:
    return {path.stem: path for path in sample_build("digital").glob("*.epub")}


class Reader:
    """One book open in foliate-js at one screen size."""

    def __init__(self, browser: Any, epub: Path, size: tuple[int, int], *, night: bool = False,
                 max_inline_size: int | None = None) -> None:
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                           color_scheme="dark" if night else "light")
        self.context.route(f"{ORIGIN}**", self._serve(epub))
        self.page = self.context.new_page()
        self.page.goto(f"{ORIGIN}reader.html")
        self.page.wait_for_function("window.readerReady === true")
        self.sections = self.page.evaluate(
            "([url, options]) => reader.open(url, options)",
            [f"{ORIGIN}book.epub", {"night": night, "maxInlineSize": max_inline_size}])
        self.shots = os.environ.get("ANTHOLOGY_READING_SHOTS")
        self.name = f"{epub.stem}-{size[0]}x{size[1]}{'-night' if night else ''}"

    @staticmethod
    def _serve(epub: Path) -> Any:
        def fulfil(route: Any) -> None:
            name = route.request.url.removeprefix(ORIGIN).split("?")[0]
            if name == "reader.html":
                return route.fulfill(body=HARNESS.read_bytes(), content_type="text/html")
            if name == "book.epub":
                return route.fulfill(body=epub.read_bytes(), content_type="application/epub+zip")
            if name.startswith("foliate/"):
                path = (FOLIATE / name.removeprefix("foliate/")).resolve()
                if path.is_file() and FOLIATE.resolve() in path.parents:
                    return route.fulfill(body=path.read_bytes(), content_type="text/javascript")
            return route.fulfill(status=404, body="")
        return fulfil

    def chapters(self) -> Iterator[str]:
        """Opens each chapter in turn at its first screen; yields its file name."""
        for section in self.sections:
            if self.page.evaluate("index => reader.go(index)", section["index"])["kind"] \
                    == "chapter":
                yield section["id"].rsplit("/", 1)[-1]

    def screens(self, chapter: str, shots: int = 2) -> Iterator[dict]:
        """The open chapter's screens, first to last, as the engine shows them."""
        number = 0
        while True:
            screen = self.page.evaluate("reader.screen()")
            number += 1
            if self.shots and number <= shots:
                folder = Path(self.shots) / self.name
                folder.mkdir(parents=True, exist_ok=True)
                self.page.screenshot(path=str(folder / f"{chapter}-{number}.png"))
            yield screen
            if screen["last"]:
                return
            self.page.evaluate("reader.turn()")

    def close(self) -> None:
        self.context.close()


def heading_alone(screen: dict) -> bool:
    return bool(screen["texts"]) and all(text["heading"] for text in screen["texts"])


@pytest.mark.parametrize("volume", VOLUMES)
@pytest.mark.parametrize("size", SCREENS)
def test_no_screen_holds_only_a_heading(chromium: Any, epubs: dict[str, Path], volume: str,
                                        size: str) -> None:
    reader = Reader(chromium, epubs[volume], SCREENS[size])
    alone, missed, read = [], [], 0
    try:
        for chapter in reader.chapters():
            total = reader.page.evaluate("reader.textCount()")
            shown: set[int] = set()
            for screen in reader.screens(chapter):
                shown |= {text["n"] for text in screen["texts"]}
                if heading_alone(screen):
                    alone.append(f"{chapter} screen {screen['page']}: "
                                 + " / ".join(t["text"] for t in screen["texts"]))
            if len(shown) != total:
                missed.append(f"{chapter}: {total - len(shown)} of {total} texts on no screen")
            read += 1
    finally:
        reader.close()
    assert read >= 10, "the volume's chapters were not found in the EPUB"
    assert not alone, "screens holding only a heading:\n" + "\n".join(alone)
    assert not missed, "\n".join(missed)


def test_a_heading_alone_is_caught() -> None:
    assert heading_alone({"texts": [{"text": "The Phantom of the Opera", "heading": True}]})
    assert not heading_alone({"texts": [{"text": "The Phantom", "heading": True},
                                        {"text": "Release Date", "heading": False}]})


def test_a_tablet_given_the_whole_width_keeps_a_readable_measure(
        chromium: Any, epubs: dict[str, Path]) -> None:
    """A reading system that lets the book run the screen's full width (foliate-js limits the
    column itself, so that limit is lifted here): the book's own max-width holds the lines to
    about 70 characters, the pages still paginate whole, and nothing is justified by force."""
    reader = Reader(chromium, epubs["silent-shadows"], TABLET, max_inline_size=2000)
    try:
        chapters = reader.chapters()
        chapter = next(chapters)
        total = reader.page.evaluate("reader.textCount()")
        shown = {t["n"] for screen in reader.screens(chapter) for t in screen["texts"]}
        measured = reader.page.evaluate("reader.measure()")
    finally:
        reader.close()
    assert len(shown) == total
    assert measured["align"] in ("start", "left")
    widths = [m["em"] for m in measured["measures"]]
    chars = sorted(m["chars"] for m in measured["measures"])
    assert widths and max(widths) <= MEASURE_EM
    assert 55 <= chars[len(chars) // 2] <= MEASURE_CHARS


def test_a_fact_note_is_a_sentence_of_its_own(chromium: Any, epubs: dict[str, Path]) -> None:
    """In the text a screen reader speaks or an export copies, a note follows its value after a
    full stop ("Germany. Made for…"), though on screen it sets off on a line of its own."""
    reader = Reader(chromium, epubs["silent-shadows"], SCREENS["600x800"])
    try:
        notes = [note for _ in reader.chapters()
                 for note in reader.page.evaluate("reader.measure()")["notes"]]
    finally:
        reader.close()
    assert len(notes) >= 5
    for note in notes:
        value, _, rest = note.partition("\n")
        assert re.search(r"[.?!]\s*$", value), note
        assert rest.strip(), note


def test_night_mode_keeps_text_and_rules_in_the_readers_colours(
        chromium: Any, epubs: dict[str, Path]) -> None:
    """With the reader's dark scheme, the text and the fact box's rules take its light ink
    (the book sets no colour of its own), and the first chapter still reads screen by screen."""
    reader = Reader(chromium, epubs["silent-shadows"], SCREENS["390x844"], night=True)
    try:
        chapter = next(reader.chapters())
        colours = reader.page.evaluate("reader.colours()")
        screens = list(reader.screens(chapter))
    finally:
        reader.close()
    ink = [int(n) for n in re.findall(r"\d+", colours["text"])[:3]]
    assert sum(ink) / 3 > 180, colours  # light text on the dark page
    assert colours["rule"] == colours["text"]
    assert not any(heading_alone(s) for s in screens)
