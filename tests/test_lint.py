"""The review linter through `anthology check`: each code has a workspace that triggers it and
one that does not; codes are silenced per review and per workspace; JSON for CI; exit 1 only
on errors. Every workspace is written here, in tmp_path."""

from __future__ import annotations

import json

import pytest
from PIL import Image
from typer.testing import CliRunner

from anthology.cli import app
from anthology.series.findings import CODES
from anthology.series.lint import lint, silence
from anthology.workspace.problems import Problem, Problems, Severity
from anthology.workspace.volumes import load_workspace
from tests.conftest import REPO, WorkspaceBuilder

runner = CliRunner()


def check(ws: WorkspaceBuilder) -> tuple[int, list[dict]]:
    result = runner.invoke(app, ["check", "--format", "json", "--root", str(ws.root)])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)["problems"]


def found(ws: WorkspaceBuilder, code: str) -> list[tuple[str, int, str]]:
    """(path, line, message) of each problem with `code`, checking the line exists."""
    rows = [(p["path"], p["line"], p["message"]) for p in check(ws)[1] if p["code"] == code]
    for path, line, _ in rows:
        assert 0 < line <= len((ws.root / path).read_text().splitlines())
    return rows


def at(ws: WorkspaceBuilder, path: str, line: int) -> str:
    return (ws.root / path).read_text().splitlines()[line - 1].strip()


@pytest.fixture
def ws(workspace: WorkspaceBuilder) -> WorkspaceBuilder:
    workspace.volume("v1")
    return workspace


def test_duplicate_film(ws) -> None:
    ws.volume("v2")
    ws.review("nosferatu", "v1", title="Nosferatu", year=1922, appraisal=1)
    ws.review("nosferatu-again", "v2", title="NOSFERATU", year=1922, appraisal=2)
    ws.review("nosferatu-1979", "v2", title="Nosferatu", year=1979, appraisal=3)
    (row,) = found(ws, "duplicate-film")
    assert row[:2] == ("volumes/v2/nosferatu-again.md", 2)
    assert "also reviewed in v1/nosferatu.md:2" in row[2]


def test_a_film_reviewed_under_its_other_title(ws) -> None:
    ws.review("haxan", title="Häxan", aka=["Witchcraft Through the Ages"], year=1922,
              appraisal=1)
    ws.review("witchcraft", title="Witchcraft Through the Ages", appraisal=2)
    (row,) = found(ws, "duplicate-film")
    assert row[0] == "volumes/v1/witchcraft.md" and "v1/haxan.md" in row[2]


def test_a_remake_is_no_duplicate_film(ws) -> None:
    ws.review("nosferatu", title="Nosferatu", year=1922, appraisal=1)
    ws.review("nosferatu-1979", title="Nosferatu", year=1979, appraisal=2)
    assert found(ws, "duplicate-film") == []


def test_duplicate_appraisal_is_an_error(ws) -> None:
    ws.review("alpha", appraisal=7)
    ws.review("beta", appraisal=7)
    code, problems = check(ws)
    assert code == 1
    (row,) = found(ws, "duplicate-appraisal")
    assert row[0] == "volumes/v1/beta.md" and at(ws, row[0], row[1]) == "appraisal: 7"
    assert "'Alpha'" in row[2]
    assert [p["severity"] for p in problems if p["code"] == "duplicate-appraisal"] == ["error"]


def test_distinct_appraisals(ws) -> None:
    ws.review("alpha", appraisal=7)
    ws.review("beta", appraisal=8)
    assert check(ws) == (0, [])


def _directed(ws: WorkspaceBuilder, first: str, second: str) -> None:
    ws.review("alpha", appraisal=1, facts=[{"Director": first}])
    ws.review("beta", appraisal=2, facts=[{"Genre": "Horror"}, {"Director": second}])
    ws.review("gamma", appraisal=3, facts=[{"Director": second}])


def test_similar_names(ws) -> None:
    _directed(ws, "Nicolas Cage", "Nicholas Cage")
    (row,) = found(ws, "similar-names")
    assert row[0] == "volumes/v1/alpha.md" and at(ws, *row[:2]) == "- Director: Nicolas Cage"
    assert "volumes/v1/beta.md:5 and 1 more" in row[2]  # appraisal, facts, Genre, Director


def test_an_artist_spelt_two_ways_in_the_jukeboxes(ws) -> None:
    ws.review("alpha", appraisal=1, jukebox=[{"artist": "Blue Oyster Cult", "song": "Godzilla"}])
    ws.review("beta", appraisal=2, jukebox=[{"artist": "Blue Öyster Cult", "song": "Burnin"},
                                            {"artist": "Blue Öyster Cult", "song": "Nosferatu"}])
    (row,) = found(ws, "similar-names")
    assert row[0] == "volumes/v1/alpha.md" and at(ws, *row[:2]) == "- artist: Blue Oyster Cult"


def test_names_people_toml_settles(ws) -> None:
    _directed(ws, "Nicolas Cage", "Nicholas Cage")
    ws.write("people.toml", '[[person]]\nname = "Nicolas Cage"\naliases = ["Nicholas Cage"]\n')
    assert found(ws, "similar-names") == []


def test_year_mismatch(ws) -> None:
    ws.review("alpha", year=1922, appraisal=1, facts=[{"Release Date": "4 March 1925"}])
    (row,) = found(ws, "year-mismatch")
    assert at(ws, *row[:2]) == "- Release Date: 4 March 1925"
    assert "1922" in row[2] and "1925" in row[2]


def test_a_release_within_a_year_of_the_title_year(ws) -> None:
    ws.review("alpha", year=1922, appraisal=1, facts=[{"Release Date": "March 1923 (US)"}])
    assert found(ws, "year-mismatch") == []


def test_judgement_on_another_scale(ws) -> None:
    ws.review("alpha", appraisal=1, judgement="8/10")
    ws.review("beta", appraisal=2, judgement="7.5/10")
    ws.review("gamma", appraisal=3, judgement="4/5")
    ws.review("delta", appraisal=4, judgement="2/3")
    ws.review("omega", appraisal=5, judgement="9/10")
    rows = found(ws, "judgement-scale")
    assert [(r[0], at(ws, *r[:2])) for r in rows] == [("volumes/v1/delta.md", "judgement: 2/3"),
                                                      ("volumes/v1/gamma.md", "judgement: 4/5")]
    assert rows[0][2].endswith("write it as 6.7/10") and rows[1][2].endswith("as 8/10")


def test_judgements_on_one_scale(ws) -> None:
    ws.review("alpha", appraisal=1, judgement="8/10")
    ws.review("beta", appraisal=2, judgement="10/10")
    assert found(ws, "judgement-scale") == []


def test_missing_judgement_in_a_volume_that_prints_scores(ws) -> None:
    ws.review("alpha", appraisal=1, judgement="8/10")
    ws.review("beta", appraisal=2, judgement="6/10")
    ws.review("gamma", appraisal=3)
    (row,) = found(ws, "missing-judgement")
    assert row[0] == "volumes/v1/gamma.md" and at(ws, *row[:2]) == "title: Gamma"


def test_no_judgements_in_a_volume_without_scores(ws) -> None:
    ws.review("alpha", appraisal=1)
    ws.review("beta", appraisal=2)
    assert found(ws, "missing-judgement") == []


def test_a_score_key_means_the_volume_prints_scores(workspace) -> None:
    workspace.volume("v1", 'title = "T"\nauthor = "A"\ndate = 2026-01-01\n'
                           'score_key = "Ten is a masterpiece."\n')
    workspace.review("alpha", appraisal=1)
    assert [r[0] for r in found(workspace, "missing-judgement")] == ["volumes/v1/alpha.md"]


@pytest.mark.parametrize(("written", "fix"), [("1 hr 38 min", "write '98 minutes'"),
                                              ("1:38", "write '98 minutes'"),
                                              ("98", "write '98 minutes'")])
def test_running_time_not_in_minutes(ws, written, fix) -> None:
    ws.review("alpha", appraisal=1, facts=[{"Running Time": written}])
    (row,) = found(ws, "running-time")
    assert at(ws, *row[:2]).startswith("- Running Time:") and row[2].endswith(fix)


def test_an_unreadable_running_time_is_one_finding(ws) -> None:
    ws.review("alpha", appraisal=1, facts=[{"Running Time": "about an hour and a half"}])
    rows = [(p["line"], p["code"]) for p in check(ws)[1]]
    assert rows == [(4, "unreadable-fact")]  # the series stage's; no running-time as well
    ws.write("anthology.toml", '[lint]\nignore = ["unreadable-fact"]\n')
    assert check(ws) == (0, [])


def test_running_times_in_minutes(ws) -> None:
    ws.review("alpha", appraisal=1, facts=[
        {"Running Time": "153 minutes (premiere cut); 148 min (2010 restoration)"}])
    ws.review("beta", appraisal=2, facts=[{"Runtime": "98 mins"}])
    ws.review("gamma", appraisal=3, facts=[{"Length": "95′"}])
    assert found(ws, "running-time") == []


def test_track_without_artist_and_song(ws) -> None:
    ws.review("alpha", appraisal=1, jukebox=[{"artist": "Bauhaus", "song": "Dark Entries"},
                                             "Bauhaus - Bela Lugosi's Dead"])
    (row,) = found(ws, "track-incomplete")
    assert at(ws, *row[:2]) == "- Bauhaus - Bela Lugosi's Dead"
    assert "(artist: Bauhaus, song: Bela Lugosi's Dead?)" in row[2]


def test_tracks_with_artist_and_song(ws) -> None:
    ws.review("alpha", appraisal=1, jukebox=[{"artist": "Bauhaus", "song": "Dark Entries"}])
    assert found(ws, "track-incomplete") == []


def test_unknown_fact_label_close_to_a_known_one(ws) -> None:
    ws.review("alpha", appraisal=1, facts=[{"Genre": "Horror"}, {"Runing Time": "90 minutes"}])
    (row,) = found(ws, "unknown-fact")
    assert at(ws, *row[:2]) == "- Runing Time: 90 minutes"
    assert "did you mean 'Running Time'?" in row[2]


def test_the_authors_own_labels_are_left_alone(ws) -> None:
    ws.review("alpha", appraisal=1, facts=[{"Title Song": "X"}, {"Costume Design": "Y"},
                                           {"Running time": "90 minutes"}, "A note"])
    assert found(ws, "unknown-fact") == []


def _image(ws: WorkspaceBuilder, alt: str, **front) -> None:
    Image.new("RGB", (4, 4)).save(ws.root / "volumes" / "v1" / "still.png")
    ws.review("alpha", appraisal=1, body=f"An essay.\n\n![{alt}](still.png)\n", **front)


def test_image_without_alt_text(ws) -> None:
    _image(ws, "")
    code, _ = check(ws)
    assert code == 1
    (row,) = found(ws, "image-alt")
    assert at(ws, *row[:2]) == "![](still.png)"


def test_image_with_alt_text(ws) -> None:
    _image(ws, "A still of the stair")
    assert check(ws) == (0, [])


def test_image_alt_silenced_for_a_decorative_image(ws) -> None:
    _image(ws, "", lint={"ignore": ["image-alt"]})
    assert check(ws) == (0, [])


def test_silenced_per_review(ws) -> None:
    ws.review("alpha", appraisal=1, judgement="8/10")
    ws.review("beta", appraisal=2, lint={"ignore": ["missing-judgement"]})
    ws.review("gamma", appraisal=3, judgement="9/10")
    assert check(ws) == (0, [])


def test_silenced_per_workspace_and_mistyped_codes_are_named(ws) -> None:
    ws.review("alpha", appraisal=1, judgement="8/10", facts=[{"Running Time": "1h 30m"}])
    ws.review("beta", appraisal=2, lint={"ignore": ["missing-judgment"]})
    ws.review("gamma", appraisal=3, judgement="9/10")
    ws.write("anthology.toml", '# house rules\n[lint]\nignore = [\n  "running-time",\n'
                               '  "duplicate-flim",\n]\n')
    code, problems = check(ws)
    assert code == 0
    assert {(p["path"], p["line"], p["code"]) for p in problems} == {
        ("volumes/v1/beta.md", 6, "missing-judgement"),  # at its title: its ignore is mistyped
        ("volumes/v1/beta.md", 5, "lint-config"),
        ("anthology.toml", 5, "lint-config")}
    messages = {p["message"] for p in problems}
    assert any("did you mean 'missing-judgement'?" in m for m in messages)
    assert any("did you mean 'duplicate-film'?" in m for m in messages)


def test_a_broken_anthology_toml_is_an_error_at_its_line(ws) -> None:
    ws.review("alpha", appraisal=1)
    ws.write("anthology.toml", '[lint]\nignroe = ["x"]\n')
    code, problems = check(ws)
    assert code == 1
    assert [(p["path"], p["line"]) for p in problems] == [("anthology.toml", 2)]
    assert "unknown key 'ignroe'" in problems[0]["message"]
    ws.write("anthology.toml", '[lint]\nignore = ["Not A Code"]\n')
    assert check(ws)[0] == 1


def test_unknown_reference_is_silenced_like_the_others(ws, tmp_path) -> None:
    """The series resolution reports it (with its code); silencing is the linter's."""
    ws.review("alpha", appraisal=1, lint={"ignore": ["unknown-reference"]})
    ws.review("beta", appraisal=2)
    workspace = load_workspace(ws.root, Problems())
    made = [Problem(r.path, 3, "reference to 'Gamma' is in no volume", Severity.ERROR,
                    "unknown-reference") for r in workspace.reviews.values()]
    assert [p.path.name for p in silence(made, workspace)] == ["beta.md"]
    ws.write("anthology.toml", '[lint]\nignore = ["unknown-reference"]\n')
    assert list(silence(made, workspace)) == []
    assert CODES["unknown-reference"].severity is Severity.ERROR


def test_text_output_shows_codes_and_warnings_exit_0(ws) -> None:
    ws.review("alpha", appraisal=1, facts=[{"Running Time": "1 hr 38 min"}])
    result = runner.invoke(app, ["check", "--root", str(ws.root)])
    assert result.exit_code == 0
    assert ("volumes/v1/alpha.md:4: warning: '1 hr 38 min' is not in minutes: write "
            "'98 minutes' [running-time]") in result.output
    assert "no errors, 1 warning" in result.output


def test_checking_one_volume_lints_only_its_reviews(ws) -> None:
    ws.volume("v2")
    ws.review("alpha", "v1", appraisal=1, facts=[{"Running Time": "1 hr"}])
    ws.review("beta", "v2", appraisal=1, facts=[{"Running Time": "2 hr"}])
    result = runner.invoke(app, ["check", "v2", "--format", "json", "--root", str(ws.root)])
    paths = {p["path"] for p in json.loads(result.stdout)["problems"]}
    assert paths == {"volumes/v2/beta.md"}  # the duplicate appraisal and its running time


def test_every_code_is_documented() -> None:
    text = (REPO / "docs" / "lint.md").read_text()
    for code in CODES:
        assert f"### `{code}`" in text, code


def test_the_sample_collection_carries_only_its_findings_on_purpose() -> None:
    """Häxan and Charade have no judgement, as their essays explain. Nothing else, in check
    and in the linter alone."""
    result = runner.invoke(app, ["check", "--format", "json", "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    found_here = sorted((p["path"], p["code"]) for p in json.loads(result.stdout)["problems"])
    assert found_here == [("volumes/after-midnight/charade.md", "missing-judgement"),
                          ("volumes/silent-shadows/haxan.md", "missing-judgement")]
    linted = [(p.path.relative_to(REPO).as_posix(), p.code)
              for p in lint(load_workspace(REPO, Problems()))]
    assert sorted(linted) == [row for row in found_here if row[1] == "missing-judgement"]
