"""`anthology init`: a workspace that builds at once into books the stores accept, and that
never overwrites what an author already has."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.cli import app
from anthology.preflight.validate import ace, epubcheck
from anthology.series.resolve import resolve_book
from anthology.starter import create_workspace
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace
from tests.pdfinfo import page_texts

runner = CliRunner()


def test_the_starter_shows_every_part_of_a_review(tmp_path: Path) -> None:
    create_workspace(tmp_path)
    problems = Problems()
    workspace = load_workspace(tmp_path, problems)
    book = resolve_book(workspace, workspace.volumes[0], problems)
    assert list(problems) == []
    assert len(book.chapters) == 2 and book.foreword is not None
    assert all(c.judgement and c.tracks for c in book.chapters)
    assert any(f.label is None for c in book.chapters for f in c.facts)  # a note
    assert any(c.guests for c in book.chapters)
    assert all(link.chapter_id for c in book.chapters for link in c.related)
    assert (tmp_path / ".gitignore").read_text().strip().endswith("/build/")
    assert (tmp_path / "styles" / "README.md").is_file()


def test_init_never_overwrites(tmp_path: Path) -> None:
    mine = tmp_path / "volumes" / "first-volume" / "vampyr.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own review")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert mine.read_text() == "my own review"
    assert "kept  volumes/first-volume/vampyr.md" in result.output
    again = runner.invoke(app, ["init", str(tmp_path)])
    assert "0 files written, 7 kept" in again.output


def test_init_into_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    result = runner.invoke(app, ["init", str(tmp_path / "taken")])
    assert result.exit_code == 1
    assert "error: '" in result.output and "is a file, not a folder" in result.output
    assert not (tmp_path / "volumes").exists()


@pytest.mark.parametrize("link", ["volumes", "styles", "volumes/first-volume"])
def test_init_writes_nothing_through_a_link_that_leads_outside(tmp_path: Path, link) -> None:
    """A folder of the new workspace that is a symbolic link to elsewhere is refused before
    anything is written (issue 20, finding 6)."""
    folder, outside = tmp_path / "ws", tmp_path / "outside"
    outside.mkdir()
    (folder / link).parent.mkdir(parents=True, exist_ok=True)
    (folder / link).symlink_to(outside)
    result = runner.invoke(app, ["init", str(folder)])
    assert result.exit_code == 1
    assert f"error: {link} is a symbolic link to a folder outside the new workspace" \
        in result.output and "nothing was written" in result.output
    assert list(outside.iterdir()) == []
    made = {str(p.relative_to(folder)) for p in folder.rglob("*")}
    assert made == {link, *(str(p) for p in Path(link).parents if str(p) != ".")}


def test_init_follows_a_link_that_stays_inside(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "volumes").symlink_to("elsewhere")
    assert runner.invoke(app, ["init", str(tmp_path)]).exit_code == 0
    assert (tmp_path / "elsewhere" / "first-volume" / "volume.toml").is_file()


@pytest.mark.e2e
def test_a_new_workspace_builds_books_the_validators_accept(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", str(tmp_path)]).exit_code == 0
    result = runner.invoke(app, ["build", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output.lower(), result.output  # a first build is clean
    epub = tmp_path / "build" / "first-volume.epub"
    assert [f.format() for f in epubcheck(epub)] == []
    assert [f.format() for f in ace(epub)] == []
    texts = page_texts(tmp_path / "build" / "first-volume.pdf")
    assert any("Vampyr" in text for text in texts)
