"""End to end: build the repository's sample collection and run the validators on it."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from typer.testing import CliRunner

from anthology.cli import app
from anthology.preflight.validate import ace, epubcheck
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace, volume_reviews
from tests.conftest import REPO
from tests.pdfinfo import fonts_in, page_sizes_in, page_texts

pytestmark = pytest.mark.e2e

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf"}
SAMPLES = sorted(p.parent.name for p in (REPO / "volumes").glob("*/volume.toml"))


@pytest.fixture(scope="module")
def build_dir(sample_build) -> Path:
    return sample_build("digital")


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
    assert [f.format() for f in epubcheck(build_dir / f"{volume}.epub")] == []


@pytest.mark.parametrize("volume", SAMPLES)
def test_ace_finds_no_violations(build_dir: Path, volume: str) -> None:
    # A missing Ace or Chromium raises ValidatorMissing: a failure, never a skip.
    assert [f.format() for f in ace(build_dir / f"{volume}.epub")] == []


def test_builds_are_byte_identical(build_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["build", "--root", str(REPO), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for first in sorted(build_dir.iterdir()):
        assert (tmp_path / first.name).read_bytes() == first.read_bytes(), first.name


@pytest.mark.parametrize("volume", SAMPLES)
def test_page_list_matches_the_print_edition(build_dir: Path, volume: str) -> None:
    texts = page_texts(build_dir / f"{volume}.pdf")
    with zipfile.ZipFile(build_dir / f"{volume}.epub") as archive:
        nav = etree.fromstring(archive.read("EPUB/toc.xhtml"))
        links = nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
        assert len(links) == len(texts)  # every print page is listed, in order
        folios = [t.split()[-1] for t in texts if t.strip()]
        labels = [a.text for a in links]
        assert [f for f in folios if f in labels] == [f for f in labels if f in folios]
        for link in links:
            name, anchor = link.get("href").split("#")
            assert f'id="{anchor}"' in archive.read(f"EPUB/{name}").decode()
    # Each chapter's opening page is marked inside that chapter, as the PDF numbers it.
    problems = Problems()
    ws = load_workspace(REPO, problems)
    book = resolve_book(ws, ws.volume(volume), problems)
    with zipfile.ZipFile(build_dir / f"{volume}.epub") as archive:
        for chapter in book.chapters:
            start = next(i for i, t in enumerate(texts)
                         if f"Appraisal #{chapter.appraisal}" in t and chapter.title in t)
            folio = texts[start].split()[-1]
            document = archive.read(f"EPUB/{chapter.id}.xhtml").decode()
            assert f'id="page-{folio}"' in document, chapter.title


@pytest.mark.parametrize("volume", SAMPLES)
def test_series_and_accessibility_metadata_read_back(build_dir: Path, volume: str) -> None:
    with zipfile.ZipFile(build_dir / f"{volume}.epub") as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
    props = {m.get("property") or m.get("name"): m.text or m.get("content")
             for m in opf.iterfind(".//opf:meta", NS)}
    source = load_workspace(REPO, Problems()).volume(volume).source
    if source.series:
        assert props["belongs-to-collection"] == source.series.name
        assert props["collection-type"] == "series"
        assert props["group-position"] == str(source.series.number)
        assert props["calibre:series"] == source.series.name
        assert props["calibre:series_index"] == str(source.series.number)
    for key in ("schema:accessMode", "schema:accessModeSufficient",
                "schema:accessibilityFeature", "schema:accessibilityHazard",
                "schema:accessibilitySummary", "dcterms:conformsTo"):
        assert props.get(key), key
    # A certifier is named only when the volume names one: the build evaluates nothing.
    assert props.get("a11y:certifiedBy") == source.epub.certified_by


@pytest.mark.parametrize("volume", SAMPLES)
def test_store_cover_beside_each_epub(build_dir: Path, volume: str) -> None:
    with Image.open(build_dir / f"{volume}-cover.jpg") as image:
        assert image.size == (1600, 2560)
    with zipfile.ZipFile(build_dir / f"{volume}.epub") as archive, \
            Image.open(io.BytesIO(archive.read("EPUB/images/cover.jpg"))) as inner:
        assert inner.width * inner.height <= 4_000_000


@pytest.mark.parametrize("volume", SAMPLES)
def test_pdf_is_six_by_nine_with_fonts_embedded(build_dir: Path, volume: str) -> None:
    pdf = build_dir / f"{volume}.pdf"
    checked = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
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
