"""Indexes built from the fact boxes: what goes in, in which order, with which locators."""

from __future__ import annotations

import re

from anthology.series.resolve import resolve_series
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace

V1 = ('title = "Silent"\nauthor = "A"\ndate = 2026-01-01\n'
      'indexes = ["films", "directors", "actors", "years", "scores"]\n'
      '[series]\nname = "S"\nnumber = 1\n')
V2 = ('title = "Later"\nauthor = "A"\ndate = 2026-01-01\n'
      'indexes = ["films", "directors"]\n[series]\nname = "S"\nnumber = 2\nlast = true\n')


def books(workspace):
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    found = {b.slug: b for b in resolve_series(ws, problems)}
    return found, [p.format(workspace.root) for p in problems]


def text(xhtml: str) -> list[str]:
    """Each entry's words, tags dropped, in document order."""
    entries = re.findall(r'<li class="index-entry">(.*?)(?=<li class="index-entry">|</ul>)',
                         xhtml)
    return [re.sub(r"<[^>]+>", "", e) for e in entries]


def collection(workspace) -> None:
    workspace.volume("v1", V1)
    workspace.volume("v2", V2)
    workspace.write("people.toml", '[[person]]\nname = "Luis García Berlanga"\n'
                                   'sort = "García Berlanga, Luis"\n'
                                   '[[person]]\nname = "Kinugasa Teinosuke"\ninverted = false\n')
    workspace.review("shining", "v1", title="The Shining", year=1980, appraisal=3,
                     judgement="9/10", aka=["Stephen King's The Shining"],
                     facts=[{"Director": "Stanley Kubrick"},
                            {"Stars": "Jack Nicholson, Shelley Duvall"}])
    workspace.review("page", "v1", title="A Page of Madness", year=1926, appraisal=1,
                     judgement="7/10", aka=["Kurutta Ippēji"],
                     facts=[{"Director": "Kinugasa Teinosuke"}])
    workspace.review("verdugo", "v1", title="El verdugo", year=1963, appraisal=2,
                     judgement="9/10", facts=[{"Director": "Luis García Berlanga"}])
    workspace.review("sydow", "v2", title="The Seventh Seal", year=1957, appraisal=4,
                     facts=[{"Director": "Ingmar Bergman"}, {"Stars": "Max von Sydow"}])
    workspace.review("carrie", "v2", title="Carrie", year=1976, appraisal=5,
                     facts=[{"Director": "Brian De Palma"}])


def test_films_in_chicago_order_with_see_entries(workspace) -> None:
    collection(workspace)
    found, problems = books(workspace)
    assert problems == []
    films = next(a for a in found["v1"].appendices if a.id == "index-films")
    assert text(films.xhtml) == [
        "El verdugo (1963),\u00a0El verdugo",
        "Kurutta Ippēji. See Page of Madness,\u00a0A",
        "Page of Madness,\u00a0A (1926),\u00a0A Page of Madness",
        "Shining,\u00a0The (1980),\u00a0The Shining",
        "Stephen King’s The Shining. See Shining,\u00a0The",
    ]
    # A section per letter, each with its heading; the locator is the chapter's whole span.
    assert re.findall(r"<h2 [^>]*>(\w)</h2>", films.xhtml) == ["E", "K", "P", "S"]
    assert 'data-locator="ch-shining" data-span="1"' in films.xhtml
    assert (films.epub_type, films.role) == ("index", "doc-index")


def test_see_references_are_punctuated_and_set_as_chicago_sets_them(workspace) -> None:
    collection(workspace)
    workspace.review("carriage", "v1", title="The Phantom Carriage", year=1921, appraisal=6,
                     aka=["Thy Soul Shall Bear Witness!", "Who Drives the Carriage?",
                          "Körkarlen"])
    found, _ = books(workspace)
    films = next(a for a in found["v1"].appendices if a.id == "index-films").xhtml
    entries = text(films)
    # No full stop after a title that ends in "!" or "?" (Chicago 16.95).
    # (A thin space after an italic "!" or "?": the roman word space alone looks too small.)
    assert "Thy Soul Shall Bear Witness!\u2009 See Phantom Carriage,\u00a0The" in entries
    assert "Who Drives the Carriage?\u2009 See Phantom Carriage,\u00a0The" in entries
    assert "Körkarlen. See Phantom Carriage,\u00a0The" in entries
    # "See" is roman before the italic title it sends the reader to (Chicago 16.22).
    assert '<span class="index-see">See <cite>Phantom Carriage,\u00a0The</cite>' in films
    assert "<i>See</i>" not in films


def test_locators_and_articles_never_start_a_turnover_line_alone(workspace) -> None:
    collection(workspace)
    found, _ = books(workspace)
    films = next(a for a in found["v1"].appendices if a.id == "index-films").xhtml
    # The last locator is bound to the word before it, the article to its title.
    assert "<cite>Shining,\u00a0The</cite> (1980)</span>,\u00a0<a class=\"locator\"" in films
    directors = next(a for a in found["v2"].appendices if a.id == "index-directors").xhtml
    assert re.search(r"\(1980\)</span>,\u00a0<a class=\"locator\"[^>]*>The Shining</a>",
                     directors)
    assert ", <a" not in directors


def test_people_are_inverted_unless_people_toml_says_otherwise(workspace) -> None:
    collection(workspace)
    found, _ = books(workspace)
    directors = next(a for a in found["v1"].appendices if a.id == "index-directors")
    assert [e.split(":")[0] for e in text(directors.xhtml)] == [
        "García Berlanga, Luis", "Kinugasa Teinosuke", "Kubrick, Stanley"]
    # A person points at the fact that credits them, on whatever page it falls.
    assert 'data-locator="ch-shining--fact-0"' in directors.xhtml
    actors = next(a for a in found["v1"].appendices if a.id == "index-actors")
    assert [e.split(":")[0] for e in text(actors.xhtml)] == ["Duvall, Shelley",
                                                            "Nicholson, Jack"]


def test_years_run_in_order_and_scores_highest_first(workspace) -> None:
    collection(workspace)
    found, _ = books(workspace)
    years = next(a for a in found["v1"].appendices if a.id == "index-years")
    assert re.findall(r"<h2 [^>]*>([^<]+)</h2>", years.xhtml) == ["The 1920s", "The 1960s",
                                                                  "The 1980s"]
    scores = next(a for a in found["v1"].appendices if a.id == "index-scores")
    assert re.findall(r"<h2 [^>]*>([^<]+)</h2>", scores.xhtml) == ["9/10", "7/10"]
    assert text(scores.xhtml)[:2] == ["El verdugo (1963),\u00a0El verdugo",
                                      "Shining,\u00a0The (1980),\u00a0The Shining"]


def test_the_last_volume_indexes_the_whole_series(workspace) -> None:
    collection(workspace)
    found, _ = books(workspace)
    directors = next(a for a in found["v2"].appendices if a.id == "index-directors")
    headings = [e.split(":")[0] for e in text(directors.xhtml)]
    assert headings == ["Bergman, Ingmar", "De Palma, Brian", "García Berlanga, Luis",
                        "Kinugasa Teinosuke", "Kubrick, Stanley"]
    # Its own reviews by page, the first volume's with its numeral.
    assert 'data-locator="ch-carrie--fact-0"' in directors.xhtml
    assert 'data-locator="v1#ch-shining--fact-0" data-volume="I"' in directors.xhtml
    assert "a numeral before a page names another volume" in directors.xhtml
    assert [a.id for a in found["v2"].appendices] == ["index-films", "index-directors"]
    # Vol. I is not the last: its index is its own.
    assert "v2#" not in "".join(a.xhtml for a in found["v1"].appendices)


def test_a_volume_without_indexes_has_none_and_values_not_read_are_warnings(workspace) -> None:
    workspace.volume("v1", V1.replace('indexes = ["films", "directors", "actors", "years", '
                                      '"scores"]\n', ""))
    workspace.review("a", "v1", title="Alpha", appraisal=1,
                     facts=[{"Running Time": "long enough"}, {"Director": "Nicolas Cage"}])
    workspace.review("b", "v1", title="Bravo", appraisal=2,
                     facts=[{"Director": "Nicholas Cage"}])
    found, problems = books(workspace)
    assert found["v1"].appendices == ()
    assert any("a.md:5: warning: Running Time:" in p and "printed as written" in p
               for p in problems)
    assert any("b.md:5: warning: 'Nicholas Cage' differs only slightly from 'Nicolas Cage' "
               "(volumes/v1/a.md:6)" in p for p in problems)
