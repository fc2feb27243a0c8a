"""Writing sources: file names that every file system takes and that never collide with the
EPUB's own files, and the draft volume.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from anthology.importer.recognise import ImportedReview
from anthology.importer.write import SLUG_LIMIT, file_slug, plan, volume_toml
from anthology.workspace.volume_source import VolumeSource


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
