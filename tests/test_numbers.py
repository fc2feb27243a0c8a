"""The Numbers as data: every count equals the one worked out from the source files."""

from __future__ import annotations

from decimal import Decimal

from anthology.series.book import Chapter, FactLine
from anthology.series.numbers import Bar, count_numbers
from anthology.series.resolve import resolve_book
from anthology.workspace.people import load_people
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace
from tests.numbers_kit import expected_tables, write_workspace


def chapters_of(root):
    problems = Problems()
    ws = load_workspace(root, problems)
    book = resolve_book(ws, ws.volumes[0], problems)
    people = load_people(root, problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    return book.chapters, people


def test_every_count_matches_the_sources(workspace) -> None:
    root = write_workspace(workspace)
    chapters, people = chapters_of(root)
    numbers = count_numbers(chapters, people)
    expected = expected_tables(root)
    assert [[b.label, str(b.count)] for b in numbers.scores] == expected["scores"]
    assert [[b.label, str(b.count)] for b in numbers.decades] == expected["decades"]
    assert [[b.label, str(b.count)] for b in numbers.directors] == expected["directors"]
    assert [[b.label, str(b.count)] for b in numbers.actors] == expected["actors"]
    assert [[g.genre, str(g.reviews), str(g.mean)] for g in numbers.genres] == expected["genres"]
    assert [[b.label, str(b.reviews), str(b.mean), str(b.lowest), str(b.highest)]
            for b in numbers.bands] == expected["running-time"]
    # What each chart leaves out is counted, not lost: one review has no judgement, one no
    # year at all, one no director, one no cast, one scored review no genre, and one scored
    # review a running time that cannot be read ("long").
    assert (numbers.reviews, numbers.unscored, numbers.undated) == (9, 1, 1)
    assert (numbers.directors_missing, numbers.actors_missing) == (1, 1)
    assert (numbers.genres_missing, numbers.points_missing) == (1, 1)
    assert len(numbers.points) == 7


def test_people_toml_joins_two_spellings_and_one_box_counts_once(workspace) -> None:
    root = write_workspace(workspace)
    chapters, people = chapters_of(root)
    with_index = {b.label: b.count for b in count_numbers(chapters, people).directors}
    without = {b.label: b.count for b in count_numbers(chapters).directors}
    assert with_index["Jacques Tourneur"] == 3  # "Jaques Tourneur" is an alias
    assert without["Jacques Tourneur"] == 2 and "Jaques Tourneur" not in without
    # Maureen O'Hara is named twice in one fact box: one review.
    assert {b.label: b.count for b in count_numbers(chapters, people).actors}[
        "Maureen O\u2019Hara"] == 2


def chapter(number: int, judgement: str | None, *facts: FactLine, year: int | None = None):
    return Chapter(id=f"ch-{number}", number=number, title=f"Film {number}", year=year,
                   appraisal=number, views=None, author="A", facts=facts, tracks=(),
                   judgement=judgement, essay="", guests=(), related=())


def test_scores_on_two_scales_are_kept_apart_but_ordered_as_one() -> None:
    numbers = count_numbers([chapter(1, "4/5"), chapter(2, "7/10"), chapter(3, "9/10"),
                             chapter(4, "4/5")])
    # No gaps are filled across mixed scales: only the scores given, low to high out of 10.
    assert numbers.scores == (Bar("7/10", 1), Bar("4/5", 2), Bar("9/10", 1))


def test_one_scale_shows_every_whole_score_and_the_halves_given() -> None:
    numbers = count_numbers([chapter(1, "3/4"), chapter(2, "2.5/4")])
    assert [b.label for b in numbers.scores] == ["1/4", "2/4", "2.5/4", "3/4", "4/4"]
    assert [b.count for b in numbers.scores] == [0, 0, 1, 1, 0]


def test_means_are_out_of_ten_and_rounded_half_up() -> None:
    genre = FactLine("Genre", "Horror", "genre")
    numbers = count_numbers([chapter(1, "3/4", genre), chapter(2, "7/10", genre),
                             chapter(3, "6.5/10", genre)])
    # (7.5 + 7 + 6.5) / 3 = 7.0; (7 + 7.25) / 2 = 7.125, to one place 7.1
    assert numbers.genres[0].mean == Decimal("7.0")
    two = count_numbers([chapter(1, "7/10", genre), chapter(2, "2.9/4", genre)])
    assert two.genres[0].mean == Decimal("7.1")
    half = count_numbers([chapter(1, "7/10", genre), chapter(2, "7.5/10", genre)])
    assert half.genres[0].mean == Decimal("7.3")  # 7.25 rounds up, not to even


def test_an_empty_volume_has_nothing_to_chart() -> None:
    numbers = count_numbers([chapter(1, None)])
    assert (numbers.scores, numbers.decades, numbers.directors, numbers.genres,
            numbers.points) == ((), (), (), (), ())
    assert numbers.unscored == 1 and numbers.undated == 1


def test_the_year_comes_from_the_release_date_when_there_is_none() -> None:
    numbers = count_numbers([chapter(1, None, FactLine("Released", "5 May 1933", "release_date")),
                             chapter(2, None, year=1958)])
    assert numbers.decades == (Bar("1930s", 1), Bar("1940s", 0), Bar("1950s", 1))
