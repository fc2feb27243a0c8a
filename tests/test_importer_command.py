"""`anthology import` as an author meets it: sources that load, a report that accounts for every
line, re-runs that neither duplicate nor overwrite, and bad files that fail alone."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.cli import app
from anthology.importer.write import MANIFEST_NAME, REPORT_NAME
from anthology.workspace.problems import Problems
from anthology.workspace.sources import load_review
from anthology.workspace.volume_source import VolumeSource

FIXTURES = Path(__file__).parent / "fixtures" / "import"
REVIEW_PAGES = sorted(p for p in FIXTURES.glob("*.txt"))
NOT_REVIEWS = {"editorial.txt", "list-post.txt", "q-and-a.txt"}
runner = CliRunner()


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, str]:
    """Every file but the report, which says what the last run did."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != REPORT_NAME}


@pytest.fixture
def volume(tmp_path: Path) -> Path:
    (tmp_path / "ws" / "volumes").mkdir(parents=True)
    return tmp_path / "ws" / "volumes" / "lantern"


def test_text_pages_become_sources_that_load_cleanly(volume: Path) -> None:
    result = run("import", "text", *REVIEW_PAGES, "--into", volume)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in volume.glob("*.md"))
    assert written == ["alien.md", "halloween.md", "suspiria.md", "the-fog.md", "the-thing.md"]
    for path in volume.glob("*.md"):
        problems = Problems()
        review = load_review(path, problems)
        assert review is not None and list(problems) == [], (path.name, list(problems))
    problems = Problems()
    the_thing = load_review(volume / "the-thing.md", problems)
    assert the_thing is not None
    assert the_thing.meta.appraisal == 101 and str(the_thing.meta.judgement) == "9.5/10"
    assert the_thing.meta.views == "Seven"
    assert [f.key for f in the_thing.meta.facts][:6] == [
        "release_date", "genre", "country", "budget", "box_office", "running_time"]
    assert the_thing.meta.facts[9].is_note
    assert [g.byline for g in the_thing.guests] == ["Tomasz Wierzbicki"]
    assert [r.title for r in the_thing.related] == ["Alien", "Halloween", "The Fly"]
    assert the_thing.meta.author == "Jonah Whitlock"
    # The whole workspace checks: the volume.toml written for it is valid.
    check = run("check", "--root", volume.parent.parent)
    assert check.exit_code == 0, check.output


def test_a_missing_volume_toml_is_written_from_what_was_imported(volume: Path) -> None:
    result = run("import", "text", FIXTURES / "alien-appraisal-212.txt", "--into", volume)
    assert result.exit_code == 0
    assert "created" in result.output and "volume.toml" in result.output
    data = tomllib.loads((volume / "volume.toml").read_text())
    source = VolumeSource.model_validate(data)
    assert (source.title, source.author, str(source.date)) == (
        "Lantern", "Jonah Whitlock", "2000-01-01")
    assert source.draft and source.critic == "Velvet Lantern"
    # check (and build) warn about the draft until the author has set title and date.
    checked = run("check", "--root", volume.parent.parent)
    assert checked.exit_code == 0, checked.output
    assert "volume.toml:3: warning: a draft written by 'anthology import'" in checked.output
    # An existing volume.toml is never touched.
    (volume / "volume.toml").write_text('title = "Mine"\nauthor = "Me"\ndate = 2026-01-01\n')
    again = run("import", "text", FIXTURES / "halloween-appraisal-330.txt", "--into", volume)
    assert (volume / "volume.toml").read_text().startswith('title = "Mine"')
    assert "add critic = \"Velvet Lantern\" to" in again.output


def test_the_report_accounts_for_every_left_out_line(volume: Path) -> None:
    result = run("import", "text", *REVIEW_PAGES, "--into", volume)
    report = (volume / REPORT_NAME).read_text()
    assert report.splitlines()[0] == "anthology import report"
    for expected in (
        "line   38  image file name  the-thing-kennel-scene.jpg",
        "line   42  caption          The Thing",
        "line   46  caption          giphy b",
        "line   48  image file name  the-thing-blood-test-02.jpg",
        "line   50  credit           Artwork by Mireille Dufresne",
        "line   70  signature        Jonah Whitlock",
        "line   72  signature        Keeper of The Velvet Lantern",
        "line   74  purchase         Click here to purchase Lantern Light Vol. I & II",
        "line   78  copyright        © Copyright: Velvet Lantern Press™",
        "line   81  comment          1. Watched it again last winter",
        "line   87  boilerplate      This site uses Akismet",
        "line   29  credit           Image courtesy of the Lantern archive.",
        "guests     Tomasz Wierzbicki (2 paragraphs)",
        "related    Alien; Halloween; The Fly",
        "jukebox    4 tracks: Ennio Morricone “Humanity (Part II)”;",
        "facts      16 (1 note): Release Date, Sub-Genre,",
        "line 18: no judgement, and the last paragraph ends mid-sentence",
    ):
        assert expected in report, expected
    for name in NOT_REVIEWS:
        section = report.split(f"== {FIXTURES / name}")[1].split("==")[0]
        assert "skipped    '" in section and "not an appraisal" in section
    # The same report is printed.
    assert "line   42  caption          The Thing" in result.output
    # A report is not a review: the volume loads without it.
    assert not (volume / "import-report.md").exists()


def test_reimport_is_idempotent(volume: Path) -> None:
    first = run("import", "text", *REVIEW_PAGES, "--into", volume)
    assert first.exit_code == 0
    before = snapshot(volume)
    second = run("import", "text", *REVIEW_PAGES, "--into", volume)
    assert second.exit_code == 0
    assert snapshot(volume) == before
    assert "5 unchanged" in second.output


def test_an_edited_source_is_left_alone_unless_forced(volume: Path) -> None:
    page = FIXTURES / "alien-appraisal-212.txt"
    run("import", "text", page, "--into", volume)
    source = volume / "alien.md"
    edited = source.read_text().replace("Four", "Five")
    source.write_text(edited)
    again = run("import", "text", page, "--into", volume)
    assert again.exit_code == 0
    assert source.read_text() == edited
    assert "alien.md: kept: edited since it was imported" in again.output
    forced = run("import", "text", page, "--into", volume, "--force")
    assert forced.exit_code == 0
    assert "views: Four" in source.read_text()
    manifest = json.loads((volume / MANIFEST_NAME).read_text())
    assert manifest["files"]["alien.md"]["sha256"] == hashlib.sha256(
        source.read_bytes()).hexdigest()


def test_a_source_import_did_not_write_is_the_authors(volume: Path) -> None:
    volume.mkdir()
    mine = "---\ntitle: Alien\nyear: 1979\n---\n\nMy own notes.\n"
    (volume / "alien.md").write_text(mine)
    result = run("import", "text", FIXTURES / "alien-appraisal-212.txt", "--into", volume)
    assert result.exit_code == 0
    assert (volume / "alien.md").read_text() == mine
    assert "not written by import" in result.output
    assert sorted(p.name for p in volume.glob("*.md")) == ["alien.md"]  # no duplicate


def test_a_deleted_source_is_not_recreated_unless_forced(volume: Path) -> None:
    page = FIXTURES / "halloween-appraisal-330.txt"
    run("import", "text", page, "--into", volume)
    (volume / "halloween.md").unlink()
    again = run("import", "text", page, "--into", volume)
    assert not (volume / "halloween.md").exists()
    assert "deleted since it was imported" in again.output
    run("import", "text", page, "--into", volume, "--force")
    assert (volume / "halloween.md").exists()


def test_dry_run_writes_nothing(volume: Path) -> None:
    result = run("import", "text", *REVIEW_PAGES, "--into", volume, "--dry-run")
    assert result.exit_code == 0
    assert not volume.exists()
    assert "the-thing.md: would be written" in result.output
    assert "would create" in result.output
    run("import", "text", FIXTURES / "alien-appraisal-212.txt", "--into", volume)
    before = snapshot(volume)
    result = run("import", "text", *REVIEW_PAGES, "--into", volume, "--dry-run", "--force")
    assert snapshot(volume) == before


def test_two_films_with_one_title_get_two_files_and_keep_them(volume: Path,
                                                               tmp_path: Path) -> None:
    pages = []
    for year, number in ((1951, 40), (1982, 101)):
        path = tmp_path / f"thing-{year}.txt"
        path.write_text(f"The Thing ({year})\n\nVelvet Lantern’s Appraisal #{number}\n\n"
                        f"Director: Someone\n\nThe {year} version is a film I have seen and "
                        "have opinions about, at length.\n\nVelvet Lantern’s Judgement: 7/10\n")
        pages.append(path)
    run("import", "text", *pages, "--into", volume)
    assert sorted(p.name for p in volume.glob("*.md")) == ["the-thing-1982.md", "the-thing.md"]
    before = snapshot(volume)
    run("import", "text", *reversed(pages), "--into", volume)
    assert snapshot(volume) == before


def test_a_review_already_in_another_volume_is_not_duplicated(volume: Path) -> None:
    page = FIXTURES / "alien-appraisal-212.txt"
    other = volume.parent / "older"
    run("import", "text", page, "--into", other)
    result = run("import", "text", page, "--into", volume)
    assert "already in another volume" in result.output
    assert not (volume / "alien.md").exists()


def test_bad_files_fail_alone_with_one_line_each(volume: Path, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.write(b"x" * (50 * 1024 * 1024))
    bad = FIXTURES / "bad"
    result = run("import", "text", FIXTURES / "alien-appraisal-212.txt", bad / "binary.txt",
                 bad / "empty.txt", bad / "windows-1252.txt", huge, tmp_path / "missing.txt",
                 "--into", volume)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {bad / 'binary.txt'}: is a binary file (it contains NUL bytes), not a saved page",
        f"error: {bad / 'empty.txt'}: is empty",
        f"error: {huge}: is 50.0 MB; text pages over 5 MB are refused (is it really one saved "
        "review page?)",
        f"error: {tmp_path / 'missing.txt'}: no such file",
    ]
    assert sorted(p.name for p in volume.glob("*.md")) == ["alien.md", "les-diaboliques.md"]
    assert "read as Windows-1252" in (volume / REPORT_NAME).read_text()
    problems = Problems()
    review = load_review(volume / "les-diaboliques.md", problems)
    assert review is not None and not problems.errors
    assert review.meta.jukebox[0].artist == "Édith Piaf"


def test_a_failed_write_leaves_nothing_half_written(volume: Path, monkeypatch) -> None:
    real_replace = os.replace

    def failing_replace(source, target, *args, **kwargs):
        if Path(target).name == "halloween.md":
            raise OSError(28, "No space left on device")
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing_replace)
    result = run("import", "text", FIXTURES / "alien-appraisal-212.txt",
                 FIXTURES / "halloween-appraisal-330.txt", "--into", volume)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "halloween.md: failed (No space left on device)" in result.output
    assert sorted(p.name for p in volume.iterdir() if not p.name.startswith(".import")) == [
        "alien.md", REPORT_NAME, "volume.toml"]
    manifest = json.loads((volume / MANIFEST_NAME).read_text())
    assert list(manifest["files"]) == ["alien.md"]


def test_wordpress_export_imports_published_posts(volume: Path) -> None:
    result = run("import", "wordpress", FIXTURES / "export.xml", "--into", volume)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in volume.glob("*.md")) == ["eraserhead.md", "repulsion.md"]
    problems = Problems()
    eraserhead = load_review(volume / "eraserhead.md", problems)
    assert eraserhead is not None and list(problems) == []
    meta = eraserhead.meta
    assert meta.url == "https://velvetlantern.example/2017/05/06/eraserhead-1977/"
    assert str(meta.published) == "2017-05-06"
    assert meta.tags == ("Appraisals", "midnight movies", "surrealism")
    source = VolumeSource.model_validate(tomllib.loads((volume / "volume.toml").read_text()))
    assert str(source.date) == "2018-10-31"  # the latest post, not today
    report = (volume / REPORT_NAME).read_text()
    for expected in ("draft post 600: Possession (1981)", "private post 601: Audition (1999)",
                     "page 2: About the Lantern", "1 media attachment(s) passed over",
                     "post 400: A Year of Appraisals",
                     "skipped    'A Year of Appraisals': not an appraisal",
                     "(1 reader comment(s) not imported)"):
        assert expected in report, expected
    again = run("import", "wordpress", FIXTURES / "export.xml", "--into", volume)
    assert "2 unchanged" in again.output


def test_hostile_exports_fail_and_good_ones_still_import(volume: Path) -> None:
    bad = FIXTURES / "bad"
    result = run("import", "wordpress", bad / "billion-laughs.xml", bad / "external-entity.xml",
                 bad / "malformed.xml", FIXTURES / "export.xml", "--into", volume)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert [e.split(": ")[1] for e in errors] == [
        str(bad / "billion-laughs.xml"), str(bad / "external-entity.xml"),
        f"{bad / 'malformed.xml'}:4"]
    assert "item 'Half an Export (1999)' could not be read whole" in errors[-1]
    assert (volume / "eraserhead.md").exists()


def test_usage_errors_exit_2(volume: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    result = run("import", "text", FIXTURES / "alien-appraisal-212.txt", "--into", a_file)
    assert result.exit_code == 2
    assert run("import", "text", FIXTURES / "alien-appraisal-212.txt").exit_code == 2
    assert run("import", "text", "--into", volume).exit_code == 2


def test_a_folder_stands_for_its_text_pages(volume: Path, tmp_path: Path) -> None:
    pages = tmp_path / "saved"
    pages.mkdir()
    for name in ("alien-appraisal-212.txt", "editorial.txt"):
        shutil.copy(FIXTURES / name, pages / name)
    result = run("import", "text", pages, "--into", volume)
    assert result.exit_code == 0
    assert "2 files, 1 new, 1 page skipped" in result.output


def test_a_fifo_and_dev_zero_fail_alone(volume: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = run("import", "text", fifo, "/dev/zero", FIXTURES / "alien-appraisal-212.txt",
                 "--into", volume)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert [e.split(": ")[1] for e in errors] == [str(fifo), "/dev/zero"]
    assert (volume / "alien.md").exists()


def test_a_post_nested_too_deep_fails_alone(volume: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.xml"
    text = (FIXTURES / "export.xml").read_text()
    deep = "<item><title>Deep</title><wp:post_type>post</wp:post_type><content:encoded>" \
           "<![CDATA[" + "<span>" * 500 + "]]></content:encoded></item>"
    export.write_text(text.replace("</channel>", deep + "\n</channel>"))
    result = run("import", "wordpress", export, "--into", volume)
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "post 'Deep' not imported: its HTML nests" in errors[0]
    assert errors[0].startswith(f"error: {export}:")
    assert (volume / "eraserhead.md").exists()


def test_an_unforeseen_failure_is_one_line_and_the_other_files_go_on(volume: Path,
                                                                     monkeypatch) -> None:
    import anthology.importer.command as command

    real = command.recognise

    def broken(text: str, **kwargs):
        if text.startswith("Alien (1979)"):
            raise KeyError("a bug in recognition")
        return real(text, **kwargs)

    monkeypatch.setattr(command, "recognise", broken)
    result = run("import", "text", FIXTURES / "alien-appraisal-212.txt",
                 FIXTURES / "halloween-appraisal-330.txt", "--into", volume)
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {FIXTURES / 'alien-appraisal-212.txt'}: could not be imported "
                      "(KeyError: 'a bug in recognition'); please report this"]
    assert (volume / "halloween.md").exists()


def test_a_page_given_to_the_wrong_command_says_which_one(volume: Path) -> None:
    html = FIXTURES / "saved" / "complete" / "the-wake-at-kilbride.html"
    result = run("import", "text", html, FIXTURES / "export.xml", "--into", volume)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {html}: is a page saved as HTML: import it with 'anthology import html'",
        f"error: {FIXTURES / 'export.xml'}: is an RSS or WordPress export: import it with "
        "'anthology import wordpress'"]


def test_into_names_a_volume_or_a_folder_in_volumes(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`--into archive` is the workspace's volumes/archive, from any folder inside it; a
    folder elsewhere would be one no build sees, so it is refused."""
    root = tmp_path / "ws"
    (root / "volumes" / "v1").mkdir(parents=True)
    monkeypatch.chdir(root / "volumes" / "v1")
    page = FIXTURES / "alien-appraisal-212.txt"
    result = run("import", "text", page, "--into", "archive")
    assert result.exit_code == 0, result.output
    assert any((root / "volumes" / "archive").glob("*.md"))
    elsewhere = run("import", "text", page, "--into", tmp_path / "stray")
    assert elsewhere.exit_code == 2 and "a folder elsewhere is in no build" in elsewhere.output
    assert not (tmp_path / "stray").exists()
