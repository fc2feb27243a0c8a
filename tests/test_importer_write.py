"""Writing sources: file names that every file system takes and that never collide with the
EPUB's own files, and the draft volume.toml."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from anthology.importer.recognise import ImportedReview
from anthology.importer.saved import SavedImage, copy_images
from anthology.importer.write import (
    MANIFEST_NAME,
    SLUG_LIMIT,
    apply,
    file_slug,
    plan,
    read_manifest,
    review_key,
    sha256,
    volume_toml,
)
from anthology.workspace.volume_source import VolumeSource
from anthology.workspace.writes import WriteRefused


@pytest.mark.parametrize(("title", "slug"), [
    ("Cover", "cover-film"), ("TOC", "toc-film"), ("Titlepage", "titlepage-film"),
    ("Copyright", "copyright-film"), ("NCX", "ncx-film"), ("Nav", "nav-film"),
    ("CSS0", "css0-film"), ("Fontaine", "fontaine-film"), ("Img", "img-film"),
    ("Foreword", "foreword-film"), ("Afterword", "afterword-film"),
    ("Dedication", "dedication-film"), ("The Cover", "the-cover"), ("Alien", "alien"),
])
def test_a_slug_is_never_one_of_the_books_own_names(title: str, slug: str) -> None:
    assert file_slug(title) == slug


def test_cover_2007_is_written_as_cover_film(tmp_path: Path) -> None:
    plans = plan([ImportedReview("Cover", year=2007)], tmp_path, {}, force=False)
    assert plans[0].path.name == "cover-film.md"


def test_a_very_long_title_makes_a_short_file_name(tmp_path: Path) -> None:
    title = "An Extremely Long Title " * 40
    slug = file_slug(title)
    assert len(slug) <= SLUG_LIMIT and not slug.endswith("-") and slug.startswith("an-extremely")
    plans = plan([ImportedReview(title, year=1999, appraisal=12)], tmp_path, {}, force=False)
    (tmp_path / plans[0].path.name).write_text("---\ntitle: x\n---\n")  # the OS takes it
    assert file_slug("x" * 1000) == "x" * SLUG_LIMIT


def test_the_volume_toml_is_a_valid_draft_with_the_pen_name(tmp_path: Path) -> None:
    reviews = [ImportedReview("A", pen_name="Ashen Reel", author="Odile Marchbanks"),
               ImportedReview("B", pen_name="Ashen Reel")]
    text = volume_toml(tmp_path / "ashen-reel", reviews)
    source = VolumeSource.model_validate(tomllib.loads(text))
    assert source.draft and source.critic == "Ashen Reel"
    assert (source.title, source.author, str(source.date)) == (
        "Ashen Reel", "Odile Marchbanks", "2000-01-01")


# --- The manifest names files, never paths (issue 20, finding 2) --------------------------------

def manifest(folder: Path, names: list[str]) -> None:
    files = {name: {"review": "1|alien|1979", "sha256": "0" * 64} for name in names}
    (folder / MANIFEST_NAME).write_text(json.dumps({"files": files}))


@pytest.mark.parametrize(("name", "why"), [
    ("../victim.md", "a path"), ("../../etc/cron.d/x.md", "a path"), ("sub/alien.md", "a path"),
    ("..\\victim.md", "a path"), ("/tmp/victim.md", "an absolute path"),
    ("C:/victim.md", "an absolute path"), ("alien.txt", "not a .md file"),
    ("..", "a path"), ("alien\x00.md", "not a plain file name"),
    ("\x1b[2Jalien.md", "not a plain file name"), (".hidden.md", "not a plain file name"),
    (".md", "not a plain file name"), ("a" * 300 + ".md", "not a plain file name"),
])
def test_a_manifest_entry_that_is_not_a_file_name_is_ignored(tmp_path, name, why) -> None:
    manifest(tmp_path, [name, "alien.md"])
    entries, warning = read_manifest(tmp_path)
    assert list(entries) == ["alien.md"]
    assert warning == (f"{MANIFEST_NAME}: 1 entry ignored ({why}): import writes only the "
                       ".md files of its own folder, by name")
    assert "\x1b" not in warning and "\x00" not in warning  # never echoed


@pytest.mark.parametrize("force", [False, True])
def test_a_path_in_the_manifest_is_never_written(tmp_path, force) -> None:
    folder, victim = tmp_path / "volume", tmp_path / "victim.md"
    folder.mkdir()
    victim.write_text("not import's")
    review = ImportedReview("Alien", year=1979, appraisal=1)
    for name in ("../victim.md", str(victim)):
        files = {name: {"review": review_key(review), "sha256": sha256(victim.read_bytes())}}
        (folder / MANIFEST_NAME).write_text(json.dumps({"files": files}))
        entries, warning = read_manifest(folder)
        assert entries == {} and warning
        done = apply(plan([review], folder, entries, force), folder, entries)
        assert [p.path for p in done] == [folder / "alien.md"]
        assert victim.read_text() == "not import's"


def test_a_volume_whose_images_lead_outside_is_refused_before_anything_is_written(
        tmp_path) -> None:
    folder, outside = tmp_path / "volume", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "images").symlink_to(outside)
    review = ImportedReview("Alien", year=1979, appraisal=1)
    with pytest.raises(WriteRefused, match=r"^images is a symbolic link to a folder outside "
                                           r"the volume folder"):
        apply(plan([review], folder, {}, False), folder, {})
    assert sorted(p.name for p in folder.iterdir()) == ["images"]


def test_saved_images_are_never_copied_through_a_link_out(tmp_path) -> None:
    folder, outside = tmp_path / "volume", tmp_path / "outside"
    outside.mkdir()
    folder.mkdir()
    (folder / "images").symlink_to(outside)
    (tmp_path / "still.png").write_bytes(b"png")
    lines = copy_images((SavedImage(tmp_path / "still.png", "A still"),), "alien", folder,
                        dry_run=False)
    assert lines == ("images/alien-still.png: failed: images is a symbolic link to a folder "
                     "outside the volume folder; anthology writes only inside it (make it a "
                     "plain folder)",)
    assert list(outside.iterdir()) == []
