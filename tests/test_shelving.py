"""Every EPUB names a description and subjects for the stores' shelves: the author's from
volume.toml, or made plainly from the volume (anthology/series/shelving.py)."""

from __future__ import annotations

from anthology.series.book import Chapter, FactLine
from anthology.series.shelving import description, genres, subjects
from anthology.workspace.volume_source import VolumeSource
from tests.test_epub import OPF, build, package


def chapter(number: int, year: int | None, *genre_lines: str, appraisal: bool = True) -> Chapter:
    facts = tuple(FactLine("Genre", g, "genre") for g in genre_lines)
    return Chapter(id=f"ch-{number}", number=number, title=f"Film {number}", year=year,
                   appraisal=number if appraisal else None, views=None, author="J. W.",
                   facts=facts, tracks=(), judgement=None, essay="", guests=(), related=())


def source(**fields: object) -> VolumeSource:
    return VolumeSource.model_validate({"title": "Night Pieces", "author": "Jonah Whitlock",
                                        "date": "2026-03-01", **fields})


def test_the_volumes_own_words_come_first() -> None:
    given = source(description="Fifty nights at the pictures.", subjects=["Horror films"])
    chapters = [chapter(1, 1931, "Horror"), chapter(2, 1932, "Horror")]
    assert description(given, chapters, "Jonah Whitlock") == "Fifty nights at the pictures."
    assert subjects(given, chapters) == ("Horror films",)


def test_a_description_made_from_the_volume() -> None:
    chapters = [chapter(2, 1945), chapter(1, 1974), chapter(3, 1950)]
    assert description(source(), chapters, "Jonah Whitlock") == \
        "3 appraisals of films from 1945 to 1974 by Jonah Whitlock."
    series = source(series={"name": "The Flicker Archive", "number": 2})
    assert description(series, chapters[:1], "Jonah Whitlock") == \
        "One appraisal of a film from 1945 by Jonah Whitlock. Volume 2 of The Flicker Archive."
    unnumbered = [chapter(1, None, appraisal=False), chapter(2, None, appraisal=False)]
    assert description(source(), unnumbered, "Ann Lee") == "2 reviews of films by Ann Lee."
    assert description(source(), [], "Ann Lee") is None


def test_subjects_are_the_genres_named_most_often() -> None:
    chapters = [chapter(1, 1950, "Film Noir"), chapter(2, 1951, "Horror, Thriller"),
                chapter(3, 1952, "horror"), chapter(4, 1953, "Thriller"),
                chapter(5, 1954, "Film Noir"), chapter(6, 1955, "Western"),
                chapter(7, 1956, "Horror")]
    # Horror three times; Film Noir and Thriller twice (Film Noir met first); Western once.
    assert genres(chapters) == ("Horror", "Film Noir", "Thriller")
    assert subjects(source(), chapters) == ("Film criticism", "Horror", "Film Noir", "Thriller")
    # A book of one review is about that review's genres.
    assert genres([chapter(1, 1950, "Western, Musical")]) == ("Western", "Musical")
    assert subjects(source(), [chapter(1, 1950)]) == ("Film criticism",)


def test_the_epub_carries_them_when_the_volume_gives_none(workspace, tmp_path) -> None:
    workspace.volume("v1", 'title = "Night Pieces"\nauthor = "Jonah Whitlock"\n'
                           'date = 2026-03-01\n')
    workspace.review("a", appraisal=1, year=1931, facts=[{"Genre": "Horror"}])
    workspace.review("b", appraisal=2, year=1944, facts=[{"Genre": "Horror, Film Noir"}])
    opf = package(build(workspace, tmp_path / "b.epub").path)
    assert opf.findtext(".//dc:description", namespaces=OPF) == \
        "2 appraisals of films from 1931 to 1944 by Jonah Whitlock."
    assert [e.text for e in opf.iterfind(".//dc:subject", OPF)] == ["Film criticism", "Horror"]
