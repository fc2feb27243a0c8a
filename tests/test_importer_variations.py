"""The variations real review pages have (issue 11), one fixture of invented prose for each, in
tests/fixtures/import/variations/: every one is recognised as the same kind of review."""

from __future__ import annotations

from pathlib import Path

import pytest

from anthology.importer.pages import read_page
from anthology.importer.recognise import Dropped, ImportedTrack, Recognition, recognise
from anthology.importer.write import render_source
from anthology.workspace.facts import canonical_key
from anthology.workspace.problems import Problems
from anthology.workspace.sources import load_review

VARIATIONS = Path(__file__).parent / "fixtures" / "import" / "variations"
ORCHARD_TRACKS = (ImportedTrack("Wren Hollow", "Orchard Song"),
                  ImportedTrack("The Quiet Acre", "Windfall"))
ORCHARD_FACTS = ["Release Date", "Genre", "Running Time", "Director", "Stars"]


def page(name: str) -> Recognition:
    return recognise(read_page(VARIATIONS / name).text)


def dropped(result: Recognition, kind: Dropped) -> list[tuple[int, str]]:
    return [(d.number, d.text) for d in result.dropped if d.kind is kind]


def loads(result: Recognition, tmp_path: Path) -> list[str]:
    """The source written for a recognised page is a valid review; returns its warnings."""
    assert result.review is not None
    path = tmp_path / "review.md"
    path.write_text(render_source(result.review), encoding="utf-8")
    problems = Problems()
    assert load_review(path, problems) is not None and problems.errors == []
    return [p.message for p in problems.warnings]


def test_junk_lines_anywhere_in_the_head_are_left_out(tmp_path: Path) -> None:
    result = page("head-junk.txt")
    review = result.review
    assert review is not None
    assert (review.title, review.year, review.appraisal, review.views) == (
        "The Lighthouse Keeper's Daughter", 1971, 640, "Two")
    assert [f.label for f in review.facts] == ORCHARD_FACTS
    assert review.jukebox == (ImportedTrack("The Harbour Lights", "Salt on the Glass"),
                              ImportedTrack("Delia Frost", "Northern Lamp"))
    assert dropped(result, Dropped.IMAGE) == [
        (5, "lighthouse_keepers_daughter_poster_art (12)"),  # between the header and the facts
        (16, "lighthouse_keepers_daughter_still (3)"),  # right after the fact box
        (22, "jukebox_header_image (7)"),  # between the audio heading and its items
        (28, "keepers_daughter_lamp_room.jpg")]  # glued to the start of a paragraph
    assert dropped(result, Dropped.CREDIT) == [(7, "Designed by Mara Quist"),
                                               (18, "Title image by Corwin Hale")]
    assert len(review.essay) == 3 and review.essay[0].startswith("The island has one road")
    assert result.notices == ()
    assert loads(result, tmp_path) == []


def test_a_title_with_a_colon_keeps_its_year_even_when_released_later() -> None:
    review = page("colon-title.txt").review
    assert review is not None
    assert (review.title, review.year) == ("Nightfall Harbour: The Second Tide", 1989)
    assert review.facts[0].value == "January 12, 1990"


def test_a_possessive_title_with_a_curly_apostrophe() -> None:
    review = page("possessive-title.txt").review
    assert review is not None
    assert (review.title, review.year, review.pen_name) == (
        "The Ferryman’s Lantern", 1958, "Ashen Reel")


def test_key_spellings_are_kept_as_written() -> None:
    review = page("key-spellings.txt").review
    assert review is not None
    assert [f.label for f in review.facts] == [
        "Release Date", "Genre", "Sub-Genre", "Budget", "Box-Office", "Running Time",
        "Director", "Producer(s)", "Studio(s)", "Distributor(s)", "Soundtrack",
        "Special Effects", "Visual Effects", "Stars"]
    # Each spelling is still known for what it is.
    assert [canonical_key(f.label) for f in review.facts] == [
        "release_date", "genre", "genre", "budget", "box_office", "running_time", "director",
        "producer", "studio", "distributor", "score", "special_effects", "special_effects",
        "stars"]
    assert review.jukebox == (ImportedTrack("The Vesper Engines", "Cinder Hymn"),)


@pytest.mark.parametrize("name", ["audio-candy.txt", "audio-treat.txt", "audio-popcorn.txt",
                                  "audio-supporting.txt", "audio-listen.txt",
                                  "audio-plain.txt"])
def test_audio_headings(name: str, tmp_path: Path) -> None:
    result = page(name)
    review = result.review
    assert review is not None
    assert review.jukebox == ORCHARD_TRACKS
    assert [f.label for f in review.facts] == ORCHARD_FACTS
    assert len(review.essay) == 2 and result.notices == ()
    # The heading is the jukebox's, not a line of the essay or a caption.
    assert not any(d.number == 12 for d in result.dropped)
    assert loads(result, tmp_path) == []


@pytest.mark.parametrize("name", ["tracks-spacing.txt", "tracks-unnumbered.txt",
                                  "tracks-parenthesis.txt"])
def test_track_numbering_and_spacing(name: str) -> None:
    result = page(name)
    assert result.review is not None and result.review.jukebox == ORCHARD_TRACKS
    assert result.notices == ()


def test_a_track_without_quotation_marks_is_kept_whole_and_flagged(tmp_path: Path) -> None:
    result = page("tracks-unquoted.txt")
    assert result.review is not None
    assert result.review.jukebox == (ImportedTrack("Wren Hollow", "Orchard Song"),
                                     ImportedTrack("The Quiet Acre Windfall", None))
    assert [(n.line, n.message.split(":")[0]) for n in result.notices] == [
        (16, "track '[2] The Quiet Acre Windfall' has no quoted song")]
    assert "- The Quiet Acre Windfall\n" in render_source(result.review)
    assert loads(result, tmp_path) == []


def test_a_pull_quote_inside_the_essay_is_left_out_and_reported() -> None:
    result = page("pull-quote.txt")
    review = result.review
    assert review is not None
    assert len(review.essay) == 3
    assert all("“Every flame" not in paragraph for paragraph in review.essay)
    assert any("Every flame in that shop is somebody’s last evening, she realises" in p
               for p in review.essay)
    assert dropped(result, Dropped.PULL_QUOTE) == [
        (18, "“Every flame in that shop is somebody’s last evening.”")]


@pytest.mark.parametrize(("name", "tracks"), [
    ("truncated-box.txt", ()),
    ("truncated-jukebox.txt", (ImportedTrack("The Gutter Saints", "Lamplight"),
                               ImportedTrack("The Gutt", None))),
])
def test_a_truncated_page_is_a_warning_never_a_crash(name: str, tracks: tuple,
                                                     tmp_path: Path) -> None:
    result = page(name)
    review = result.review
    assert review is not None and review.jukebox == tracks
    assert any("looks truncated" in n.message for n in result.notices)
    assert loads(result, tmp_path) == ["the review has no essay"]
