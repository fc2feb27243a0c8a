"""Property-based tests of the recogniser (hypothesis) on generated pages: never a crash or a hang,
every essay paragraph either in the source or in the report, and facts and tracks recovered
exactly when the page is well formed.

The runs are derandomised (the same pages on every run, so CI is reproducible) and sized to stay
within seconds: 1,500 well-formed pages, 500 of them as exported HTML, and 1,000 pages of random
lines. Each page gets a hang guard of its own (SIGALRM), since hypothesis's deadline is off.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from anthology.importer.convert import html_to_markdown
from anthology.importer.recognise import ImportedFact, ImportedTrack, Recognition, recognise

HANG_GUARD_SECONDS = 10
# IMPORT_PROPERTY_SCALE=10 runs ten times as many pages (25,000), for a longer search.
SCALE = max(1, int(os.environ.get("IMPORT_PROPERTY_SCALE", "1")))
PAGES = settings(deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextmanager
def hang_guard() -> Iterator[None]:
    """Fail a single page that takes far longer than any real page (a hang, not slowness)."""
    def hung(signum, frame):
        raise AssertionError(f"recognition did not finish in {HANG_GUARD_SECONDS} s: a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, HANG_GUARD_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- Well-formed pages -------------------------------------------------------------------------

# Plain words that are no structure word of a page (no "appraisal", "read", "judgement", ...).
VOCABULARY = ("lantern harbour orchard winter fog quiet kettle ferry chapel widow stranger "
              "river shadow candle village sermon lamp island garden mirror letter ghost "
              "stair window field bell tide crow road cellar attic patient slow cold old "
              "strange bright pale long dark small careful").split()
NAMES = ("Aoife Brendan Corrigan Delia Eamon Fenwick Greta Hollis Ingrid Jonah Keely Lena Maeve "
         "Niamh Odile Perrin Rhian Sable Tadhg Ulla Vance Wren Yusuf Zora").split()
FACT_LABELS = ("Release Date", "Genre", "Sub-Genre", "Country of Origin", "Budget",
               "Box Office", "Box-Office", "Running Time", "Director", "Producer(s)",
               "Producers", "Screenplay", "Cinematography", "Score", "Music", "Editing",
               "Studio(s)", "Distributor(s)", "Special Effects", "Visual Effects", "Stars")
HEADINGS = ("Suggested Audio Jukebox ♫", "Suggested Audio Candy ♫", "Suggested Audio Treat:",
            "♫ Suggested Audio Popcorn ♫", "Supporting Audio Jukebox", "Listen to Suggested Audio",
            "Suggested Audio Jukebox")
TRACK_FORMATS = ("[{n}] {artist} “{song}”", "[{n}]  {artist} “{song}”", " [{n}] {artist} “{song}”",
                 "{n}) {artist} “{song}”", "{artist} “{song}”")
JUNK = ("{a}_{b}_poster (12)", "{a}-{b}-still (3)", "Designed by {A} {B}",
        "Title image by {A} {B}", "{a}_{b}.jpg")

# Guests are other people than the critic, whose pen name and signature come from NAMES.
GUEST_NAMES = ("Achterberg Bellweather Castellan Dunleavy Everard Fairclough Gallagher "
               "Hartigan Isherwood Jessop").split()
word = st.sampled_from(VOCABULARY)
name = st.sampled_from(NAMES)
guest_name = st.sampled_from(GUEST_NAMES)


def capitalised(words: list[str]) -> str:
    return " ".join(w.capitalize() for w in words)


def capitalised_words(least: int, most: int) -> st.SearchStrategy[str]:
    """A few capitalised plain words ("Lantern Harbour"), drawn at once."""
    return st.binary(min_size=least, max_size=most).map(
        lambda data: capitalised([VOCABULARY[byte % len(VOCABULARY)] for byte in data]))


def _prose(data: bytes) -> str:
    """Bytes as sentences of plain words: a byte is a word, and every eighth of them (by value)
    ends a sentence, so a page costs hypothesis one draw per paragraph."""
    sentences, current = [], []
    for byte in data:
        current.append(VOCABULARY[byte % len(VOCABULARY)])
        if byte % 8 == 0 and len(current) >= 4:
            sentences.append(" ".join(current).capitalize() + ".")
            current = []
    if current:
        sentences.append(" ".join(current).capitalize() + ".")
    return " ".join(sentences)


def sentences(least: int = 12) -> st.SearchStrategy[str]:
    """A paragraph of prose: sentences of plain words, at least `least` words, ending in '.'."""
    return st.binary(min_size=least, max_size=70).map(_prose)


@dataclass(frozen=True)
class Page:
    text: str
    facts: tuple[ImportedFact, ...]
    tracks: tuple[ImportedTrack, ...]
    essay: tuple[str, ...]
    guests: tuple[tuple[str, tuple[str, ...]], ...]
    judgement: str


@st.composite
def pages(draw) -> Page:
    title = draw(capitalised_words(1, 4))
    if draw(st.booleans()):
        title += ": " + draw(capitalised_words(1, 3))
    year = draw(st.integers(1920, 2024))
    pen = f"{draw(name)} {draw(name)}"
    lines = [f"{title} ({year})", "", f"{pen}’s Appraisal #{draw(st.integers(1, 9999))}", ""]

    def junk() -> list[str]:
        if not draw(st.booleans()):
            return []
        shape = draw(st.sampled_from(JUNK))
        a, b = draw(word), draw(word)
        return ["", shape.format(a=a, b=b, A=a.capitalize(), B=b.capitalize()), ""]

    lines += junk()
    if draw(st.booleans()):
        lines.append(f"Number of Views: {draw(st.sampled_from(['One', 'Two', 'Three']))}")
    labels = draw(st.lists(st.sampled_from(FACT_LABELS), min_size=1, max_size=8, unique=True))
    facts = tuple(ImportedFact(label, draw(capitalised_words(1, 4)))
                  for label in labels)
    lines += [f"{f.label}: {f.value}" for f in facts]
    lines += junk()
    tracks: tuple[ImportedTrack, ...] = ()
    if draw(st.booleans()):
        lines += ["", draw(st.sampled_from(HEADINGS)), ""]
        lines += junk()
        shape = draw(st.sampled_from(TRACK_FORMATS))
        tracks = tuple(
            ImportedTrack(f"{draw(name)} {draw(name)}",
                          draw(capitalised_words(1, 4)))
            for _ in range(draw(st.integers(1, 5))))
        for n, track in enumerate(tracks, start=1):
            lines += [shape.format(n=n, artist=track.artist, song=track.song), ""]
    essay = tuple(draw(st.lists(sentences(), min_size=1, max_size=6)))
    # Prose never repeats a whole paragraph inside another (that is a pull quote).
    keys = [f" {' '.join(p.casefold().replace('.', ' ').split())} " for p in essay]
    assume(not any(i != j and a in b for i, a in enumerate(keys) for j, b in enumerate(keys)))
    for paragraph in essay:
        lines += ["", paragraph, ""]
    judgement = f"{draw(st.integers(0, 10))}/10"
    lines += ["", f"{pen}’s Judgement: {judgement}", ""]
    guests = []
    for _ in range(draw(st.integers(0, 2))):
        paragraphs = tuple(draw(st.lists(sentences(), min_size=1, max_size=3)))
        byline = f"{draw(name)} {draw(guest_name)}"
        lines += [line for p in paragraphs for line in ("", p, "")] + [byline, ""]
        guests.append((byline, paragraphs))
    lines += ["", f"{draw(name)} {draw(name)}", "", f"Keeper of The {pen}", ""]
    return Page("\n".join(lines), facts, tracks, essay, tuple(guests), judgement)


def flat(text: str) -> str:
    return " ".join(text.replace("\\", "").split())


def check_well_formed(page: Page, result: Recognition) -> None:
    review = result.review
    assert review is not None, page.text
    assert review.facts == page.facts, page.text
    assert review.jukebox == page.tracks, page.text
    assert review.judgement == page.judgement
    assert tuple(flat(p) for p in review.essay) == page.essay, page.text
    assert tuple((g.byline, tuple(flat(p) for p in g.paragraphs)) for g in review.guests) == (
        page.guests), page.text


@settings(PAGES, max_examples=1000 * SCALE)
@given(pages())
def test_well_formed_pages_are_recovered_exactly(page: Page) -> None:
    with hang_guard():
        result = recognise(page.text)
    check_well_formed(page, result)


@settings(PAGES, max_examples=500 * SCALE)
@given(pages())
def test_well_formed_pages_exported_as_html_are_recovered_exactly(page: Page) -> None:
    blocks = [b for b in page.text.split("\n\n") if b.strip()]
    html = "".join("<p>" + "<br>".join(block.strip("\n").split("\n")) + "</p>\n"
                   for block in blocks[1:])
    with hang_guard():
        result = recognise(blocks[0] + "\n\n" + html_to_markdown(html), markdown=True)
    check_well_formed(page, result)


# --- Pages of random lines ---------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
LINES = st.one_of(
    TEXT,
    sentences(),
    st.builds(lambda label, value: f"{label}: {value}", st.sampled_from(FACT_LABELS), TEXT),
    st.sampled_from(HEADINGS),
    st.builds(lambda n, a, s: f"[{n}] {a} “{s}”", st.integers(0, 999), TEXT, TEXT),
    st.sampled_from(["", "", "Read The Fog Appraisal", "Crimson Quill’s Judgement: 8/10",
                     "Keeper of The Crimson Quill", "Emilie Flory", "Share this:",
                     "© Copyright: nobody", "giphy c", "::: guest X", "1995. A year.",
                     "Number of Views: Two", "Appraisal #3", "      1. A comment."]),
)


@settings(PAGES, max_examples=1000 * SCALE)
@given(st.lists(LINES, max_size=60), st.booleans())
def test_random_pages_never_crash_and_lose_no_paragraph_silently(lines: list[str],
                                                                 markdown: bool) -> None:
    text = "\n".join(lines)
    with hang_guard():
        result = recognise(text, markdown=markdown)
    if result.review is None:
        assert result.skipped
        return
    review = result.review
    kept = " ".join(flat(p) for p in review.essay)
    kept += " " + " ".join(flat(p) for g in review.guests for p in g.paragraphs)
    kept += " " + " ".join(flat(f.value) for f in review.facts)
    reported = " ".join(flat(d.text) for d in result.dropped)
    for line in lines:
        words = line.split()
        if len(words) >= 12 and line.strip().endswith(".") and "\\" not in line:
            # A generated essay paragraph: in the source, or in the report; never gone.
            assert flat(line) in kept or flat(line) in reported or flat(line) in flat(
                review.title), (line, text)
