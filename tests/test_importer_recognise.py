"""Recognition: the shapes of lines over eight years of posts, and whole pages (original fixtures
in tests/fixtures/import/, written for these tests in the shape of the real pages)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from anthology.importer.pages import read_page
from anthology.importer.recognise import (
    Dropped,
    ImportedFact,
    ImportedTrack,
    Recognition,
    fact_of,
    is_jukebox_heading,
    is_name,
    recognise,
    split_lines,
    strong_kind,
    text_to_markdown,
    track_of,
)
from anthology.workspace.facts import canonical_key

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def page(name: str) -> Recognition:
    return recognise(read_page(FIXTURES / name).text)


def flat(text: str) -> str:
    return " ".join(text.split())


def dropped(recognition: Recognition, kind: Dropped) -> list[tuple[int, str]]:
    return [(d.number, d.text) for d in recognition.dropped if d.kind is kind]


@pytest.mark.parametrize("line", [
    "Suggested Audio Jukebox ♫",
    "Suggested Audio Jukebox:",
    "Suggested Audio Jukebox",
    "Soundtrack Suggestions:",
    "♫ The Playlist ♫",
    "Suggested Listening",
    "Audio Jukebox –",
    "Jukebox",
    "♫",
    "Recommended Tunes:",
    "The Mixtape",
    "Suggested Audio Jukebox – Café Edition",
])
def test_jukebox_headings_in_their_many_wordings(line: str) -> None:
    assert is_jukebox_heading(line)


@pytest.mark.parametrize("line", [
    "Music: Jerry Goldsmith",
    "Director: John Carpenter",
    "The music does half the work here, and I listened to it twice on the way home.",
    "Leaving Las Vegas",
    "Velvet Lantern’s Judgement: 9/10",
])
def test_other_lines_are_not_jukebox_headings(line: str) -> None:
    assert not is_jukebox_heading(line)


@pytest.mark.parametrize(("line", "artist", "song"), [
    ("[1] Sting “Angel Eyes”", "Sting", "Angel Eyes"),
    ("[12]  John Carpenter    “Contamination”", "John Carpenter", "Contamination"),
    ("1) Sting - Angel Eyes", "Sting", "Angel Eyes"),
    ("2. Kraftwerk – Computer Love", "Kraftwerk", "Computer Love"),
    ("3.Jerry Goldsmith — The Droid", "Jerry Goldsmith", "The Droid"),
    ("(4) Sting “Angel Eyes”", "Sting", "Angel Eyes"),
    ("#5 Sting “Angel Eyes”", "Sting", "Angel Eyes"),
    ("- Sting “Angel Eyes”", "Sting", "Angel Eyes"),
    ('Bauhaus "Bela Lugosi\'s Dead"', "Bauhaus", "Bela Lugosi's Dead"),
    ("Bauhaus “Bela Lugosi’s Dead”", "Bauhaus", "Bela Lugosi’s Dead"),
    ("The Chordettes 'Mr. Sandman'", "The Chordettes", "Mr. Sandman"),
    ("Guns N' Roses ‘Patience’", "Guns N' Roses", "Patience"),
    ("“Angel Eyes” by Sting", "Sting", "Angel Eyes"),
    ("“Angel Eyes” – Sting", "Sting", "Angel Eyes"),
    ("Sting, “Angel Eyes”", "Sting", "Angel Eyes"),
    ("Blue Öyster Cult – (Don’t Fear) The Reaper", "Blue Öyster Cult", "(Don’t Fear) The Reaper"),
    ("10cc – I’m Not in Love", "10cc", "I’m Not in Love"),
    ("1. 10cc “Dreadlock Holiday”", "10cc", "Dreadlock Holiday"),
    ("Popol Vuh – Brüder des Schattens - Söhne des Lichts", "Popol Vuh",
     "Brüder des Schattens - Söhne des Lichts"),
    ("[2] Michael McDonald “Lonely Teardrops”", "Michael McDonald", "Lonely Teardrops"),
])
def test_tracks_split_into_artist_and_song(line: str, artist: str, song: str) -> None:
    track, _ = track_of(line)
    assert track == ImportedTrack(artist, song)


def test_a_numbered_track_that_cannot_be_split_is_flagged_not_invented() -> None:
    assert track_of("[3] Something I cannot place") == (None, True)
    assert track_of("Something I cannot place") == (None, False)


@pytest.mark.parametrize(("line", "label", "value", "key"), [
    ("Run-time: 109 minutes", "Run-time", "109 minutes", "running_time"),
    ("Runtime: 117 minutes", "Runtime", "117 minutes", "running_time"),
    ("Running-Time: 99 minutes", "Running-Time", "99 minutes", "running_time"),
    ("Producer(s): David Foster, Lawrence Turman", "Producer(s)", "David Foster, Lawrence Turman",
     "producer"),
    ("Producers: Gordon Carroll", "Producers", "Gordon Carroll", "producer"),
    ("Countries: United States", "Countries", "United States", "country"),
    ("Countries of Origin: Italy", "Countries of Origin", "Italy", "country"),
    ("Sub-Genre: Body Horror", "Sub-Genre", "Body Horror", "genre"),
    ("Category: Science Fiction Horror", "Category", "Science Fiction Horror", "genre"),
    ("Categories: Giallo", "Categories", "Giallo", "genre"),
    ("Genres: Supernatural Horror", "Genres", "Supernatural Horror", "genre"),
    ("Release Date: June 25, 1982 (US)", "Release Date", "June 25, 1982 (US)", "release_date"),
    ("Released: May 25, 1979 (US)", "Released", "May 25, 1979 (US)", "release_date"),
    ("Score: Ennio Morricone, John Carpenter (uncredited)", "Score",
     "Ennio Morricone, John Carpenter (uncredited)", "score"),
    ("Box Office (US): $19,629,760", "Box Office (US)", "$19,629,760", "box_office"),
    ("Writer(s): John Carpenter", "Writer(s)", "John Carpenter", "screenplay"),
    ("Directed by: Ridley Scott", "Directed by", "Ridley Scott", "director"),
    ("Favourite Snack: Popcorn", "Favourite Snack", "Popcorn", None),
])
def test_fact_labels_keep_the_authors_wording_and_get_a_canonical_key(
        line: str, label: str, value: str, key: str | None) -> None:
    fact = fact_of(line)
    assert fact == ImportedFact(label, value)
    assert canonical_key(fact.label) == key


@pytest.mark.parametrize("line", [
    "Based on a novel by John O’Brien",
    "In three years of writing these, no appraisal has been quite like this one.",
    "Note: this one is spoiler-heavy, so read it after you have seen the film at least once.",
])
def test_prose_and_notes_are_not_labelled_facts(line: str) -> None:
    assert fact_of(line) is None


@pytest.mark.parametrize(("line", "expected"), [
    ("Emilie Flory", True), ("Rosalind Achterberg", True), ("Kwame Asante-Mensah", True),
    ("Ludwig van Beethoven", True), ("— Imogen Castellanos", True),
    ("Keeper of The Velvet Lantern", False), ("giphy c", False), ("Alien", False),
    ("Velvet Lantern’s Judgement: 9/10", False),
])
def test_names_alone_on_a_line(line: str, expected: bool) -> None:
    assert is_name(line) is expected


def test_plain_text_paragraphs_stay_plain_in_markdown() -> None:
    assert text_to_markdown("It was s**t_hot <b>") == "It was s\\*\\*t\\_hot &lt;b>"
    assert text_to_markdown("1995. What a year.") == "1995\\. What a year."
    assert text_to_markdown("# not a heading") == "\\# not a heading"
    assert text_to_markdown("::: not a fence") == "&#58;:: not a fence"


def test_the_classic_page_every_part() -> None:
    result = page("the-thing-appraisal-101.txt")
    review = result.review
    assert review is not None
    assert (review.title, review.year, review.appraisal, review.views) == (
        "The Thing", 1982, 101, "Seven")
    assert review.pen_name == "Velvet Lantern"
    assert [f.label for f in review.facts] == [
        "Release Date", "Sub-Genre", "Countries", "Budget", "Box Office",
        "Run-time", "Director",
        "Producer(s)", "Screenplay", None, "Cinematography", "Score", "Editing", "Studio",
        "Distributor", "Stars"]
    assert review.facts[9].value == (
        "Based on the novella “Who Goes There?” by John W. Campbell Jr.")
    assert review.facts[0].value == "June 25, 1982 (US)"
    assert review.facts[11].value == "Ennio Morricone, John Carpenter (uncredited)"
    assert review.jukebox[2] == ImportedTrack("John Carpenter", "Contamination")
    assert len(review.jukebox) == 4
    assert review.judgement == "9.5/10"
    assert [g.byline for g in review.guests] == ["Tomasz Wierzbicki"]
    assert len(review.guests[0].paragraphs) == 2
    assert review.related == ("Alien", "Halloween", "The Fly")
    assert review.author == "Jonah Whitlock"
    assert len(review.essay) == 5
    # The file name glued to the paragraph is reported; the paragraph is kept without it.
    assert review.essay[3].startswith("The blood test is where")
    assert dropped(result, Dropped.IMAGE) == [(38, "the-thing-kennel-scene.jpg"),
                                              (48, "the-thing-blood-test-02.jpg")]
    assert dropped(result, Dropped.CAPTION) == [(42, "The Thing"), (46, "giphy b")]
    assert dropped(result, Dropped.CREDIT) == [(50, "Artwork by Mireille Dufresne")]
    assert [n for n, _ in dropped(result, Dropped.SIGNATURE)] == [70, 72]
    assert [n for n, _ in dropped(result, Dropped.PURCHASE)] == [74, 76]
    assert [n for n, _ in dropped(result, Dropped.COPYRIGHT)] == [78]
    assert [n for n, _ in dropped(result, Dropped.COMMENT)] == [81, 83]
    assert [n for n, _ in dropped(result, Dropped.BOILERPLATE)] == [85, 87]
    assert result.notices == ()


def test_straight_apostrophes_dashed_tracks_and_other_labels() -> None:
    review = page("alien-appraisal-212.txt").review
    assert review is not None
    assert (review.appraisal, review.pen_name, review.judgement) == (212, "Velvet Lantern",
                                                                     "10/10")
    assert [f.label for f in review.facts] == [
        "Released", "Category", "Country", "Runtime", "Directed by",
        "Producers", "Written by",
        "Music", "Stars"]
    assert review.jukebox == (
        ImportedTrack("Jerry Goldsmith", "Main Title"),
        ImportedTrack("Kraftwerk", "Computer Love"),
        ImportedTrack("Bauhaus", "Bela Lugosi's Dead"),
        ImportedTrack("Jerry Goldsmith", "The Droid"))
    assert review.related == ("The Thing", "Aliens")
    assert review.guests == ()


def test_unnumbered_tracks_under_a_decorated_heading() -> None:
    result = page("halloween-appraisal-330.txt")
    review = result.review
    assert review is not None
    assert review.views == "Too many to count"
    assert [(t.artist, t.song) for t in review.jukebox] == [
        ("John Carpenter", "Halloween Theme"), ("Blue Öyster Cult", "(Don’t Fear) The Reaper"),
        ("The Chordettes", "Mr. Sandman"), ("The Kingsmen", "Louie Louie")]
    assert review.judgement == "8/10"
    assert dropped(result, Dropped.IMAGE) == [(33, "halloween 1978 poster art.jpg")]
    assert dropped(result, Dropped.CAPTION) == [(37, "Halloween")]
    assert [t for _, t in dropped(result, Dropped.BOILERPLATE)] == [
        "Share this:", "Like Loading..."]


def test_two_guest_essays_each_with_its_byline() -> None:
    review = page("suspiria-appraisal-415.txt").review
    assert review is not None
    assert [g.byline for g in review.guests] == ["Rosalind Achterberg", "Kwame Asante-Mensah"]
    assert review.guests[1].paragraphs[0].startswith("My own memory is of a late broadcast")
    assert review.facts[6] == ImportedFact(
        None, "Inspired by Thomas De Quincey’s “Suspiria de Profundis”")
    assert review.facts[8] == ImportedFact("Languages", "English, Italian (dubbed)")
    assert [t.artist for t in review.jukebox] == ["Goblin", "Goblin", "Siouxsie and the Banshees"]


@pytest.mark.parametrize("name", ["editorial.txt", "list-post.txt", "q-and-a.txt"])
def test_pages_that_are_not_appraisals_are_skipped(name: str) -> None:
    result = page(name)
    assert result.review is None
    assert result.skipped is not None and "not an appraisal" in result.skipped


def test_a_truncated_page_imports_with_a_warning() -> None:
    result = page("the-fog-truncated.txt")
    assert result.review is not None
    assert result.review.judgement is None
    assert len(result.review.essay) == 2
    assert result.review.essay[-1].endswith("her voice becomes the film's")
    [notice] = result.notices
    assert notice.line == 18 and "truncated" in notice.message


def test_every_prose_line_of_every_fixture_is_kept() -> None:
    """Essay paragraphs are never dropped: each long line is in the essay or a guest essay, or
    (after the signature) reported as a comment or as site boilerplate."""
    for path in sorted(FIXTURES.glob("*.txt")):
        result = recognise(read_page(path).text)
        if result.review is None:
            continue
        kept = "\n".join(result.review.essay + tuple(
            p for g in result.review.guests for p in g.paragraphs))
        elsewhere = {d.number for d in result.dropped
                     if d.kind in (Dropped.COMMENT, Dropped.BOILERPLATE)}
        for number, line in enumerate(read_page(path).text.split("\n"), start=1):
            if len(line.split()) >= 15 and number not in elsewhere and ":" not in line[:20]:
                assert text_to_markdown(line.strip())[-40:] in kept, (path.name, number)


def test_a_score_beyond_its_scale_is_a_warning_not_a_broken_source() -> None:
    text = ("Deep Red (1975)\n\nVelvet Lantern’s Appraisal #9\n\nDirector: Dario Argento\n\n"
            "A paragraph that is long enough to be prose and ends properly.\n\n"
            "Velvet Lantern’s Judgement: 11/10\n")
    result = recognise(text)
    assert result.review is not None and result.review.judgement is None
    assert any("outside its scale" in n.message for n in result.notices)


def test_wrapped_fact_values_and_a_caption_above_the_box() -> None:
    text = ("Deep Red (1975)\n\nVelvet Lantern’s Appraisal #9\n\nDeep Red poster\n"
            "Director: Dario Argento\nStars: David Hemmings, Daria Nicolodi,\n"
            "Gabriele Lavia, Macha Méril\n\n"
            "A paragraph that is long enough to be prose and ends properly.\n")
    result = recognise(text)
    assert result.review is not None
    assert result.review.facts[-1] == ImportedFact(
        "Stars", "David Hemmings, Daria Nicolodi, Gabriele Lavia, Macha Méril")
    assert [(d.number, d.kind) for d in result.dropped] == [(5, Dropped.CAPTION)]


@pytest.mark.parametrize(("line", "judgement"), [
    ("Velvet Lantern’s Judgement: 10/10", "10/10"),
    ("Velvet Lantern's Judgment: 7.5/10", "7.5/10"),
    ("Velvet Lantern’s Verdict – 8 / 10", "8/10"),
    ("Judgement: 6 out of 10", "6/10"),
])
def test_judgement_wordings(line: str, judgement: str) -> None:
    text = ("Deep Red (1975)\n\nVelvet Lantern’s Appraisal #9\n\nDirector: Dario Argento\n\n"
            f"A paragraph that is long enough to be prose and ends properly.\n\n{line}\n")
    review = recognise(text).review
    assert review is not None and review.judgement == judgement


@pytest.mark.parametrize(("line", "number", "pen"), [
    ("Velvet Lantern’s Appraisal #573", 573, "Velvet Lantern"),
    ("Velvet Lantern's Appraisal # 12", 12, "Velvet Lantern"),
    ("Velvet Lantern’s Appraisal No. 7", 7, "Velvet Lantern"),
    ("Appraisal #40", 40, None),
])
def test_appraisal_wordings(line: str, number: int, pen: str | None) -> None:
    review = recognise(f"Deep Red (1975)\n\n{line}\n\nA paragraph of prose, ending well.\n").review
    assert review is not None and (review.appraisal, review.pen_name) == (number, pen)


def test_hard_wrapped_paragraphs_are_joined_not_taken_for_captions() -> None:
    text = (FIXTURES / "the-thing-appraisal-101.txt").read_text(encoding="utf-8")
    wrapped = "\n".join(
        "\n".join(textwrap.wrap(line, 60)) if len(line.split()) > 15 else line
        for line in text.split("\n"))
    original, rewrapped = recognise(text).review, recognise(wrapped).review
    assert original is not None and rewrapped is not None
    assert [flat(p) for p in rewrapped.essay] == [flat(p) for p in original.essay]
    assert [flat(p) for g in rewrapped.guests for p in g.paragraphs] == [
        flat(p) for g in original.guests for p in g.paragraphs]
    assert (rewrapped.judgement, rewrapped.author) == ("9.5/10", "Jonah Whitlock")


@pytest.mark.parametrize(("text", "kind"), [
    ("some_film_rivers_of_grue (10)", Dropped.IMAGE),
    ("leaving_las_vegas_still", Dropped.IMAGE),
    ("still-02 (3)", Dropped.IMAGE),
    ("poster-1979.jpg", Dropped.IMAGE),
    ("Designed by Mara Quist", Dropped.CREDIT),
    ("Title image by Corwin Hale", Dropped.CREDIT),
    ("Illustrated by Hana Ito", Dropped.CREDIT),
    ("Twenty-one", None),
    ("Nineteen (1999)", None),
    ("Designed by committee, the film never finds its own voice.", None),
])
def test_image_names_and_credits_are_never_prose(text: str, kind: Dropped | None) -> None:
    line = split_lines(text, markdown=False)[0]
    assert strong_kind(line) is kind


def test_labels_in_any_case_are_the_same_facts() -> None:
    """A held-out page with labels in lower and upper case ("release date", "BUDGET") keeps
    every fact under its usual key; none is dropped as a caption or kept as a mere note."""
    recognition = page("held-out/lowercase-labels.txt")
    facts = recognition.review.facts
    keys = [canonical_key(f.label) for f in facts if f.label]
    assert keys == ["release_date", "running_time", "country", "budget", "director", "stars"]
    assert [f for f in facts if f.label is None] == []
    assert not dropped(recognition, Dropped.CAPTION)
    assert facts[0].value == "March 3, 1961"
