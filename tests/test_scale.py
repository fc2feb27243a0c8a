"""End to end at the author's scale: a volume of 100 reviews, each with a full fact box and
jukebox, with every index, the soundtrack and the numbers as back matter, built with its
print page list and checked by epubcheck and Ace.

The samples hold a handful of chapters; a real volume holds about a hundred, and some faults
(a page marker in a contents list that runs over several print pages) appear only there.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from anthology.cli import app
from anthology.preflight.validate import ace, epubcheck
from benchmarks.generate import generate

pytestmark = pytest.mark.e2e

REVIEWS = 100
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="module")
def big_epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = generate(tmp_path_factory.mktemp("scale"), REVIEWS, words=120, apparatus=True)
    result = CliRunner().invoke(app, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root / "build" / f"synthetic-{REVIEWS}.epub"


def test_a_volume_of_100_reviews_passes_epubcheck(big_epub: Path) -> None:
    assert [f.format() for f in epubcheck(big_epub)] == []


def test_a_volume_of_100_reviews_passes_ace(big_epub: Path) -> None:
    assert [f.format() for f in ace(big_epub)] == []


def test_the_contents_runs_over_several_print_pages_and_each_is_marked(big_epub: Path) -> None:
    with zipfile.ZipFile(big_epub) as epub:
        toc = etree.fromstring(epub.read("EPUB/toc.xhtml"))
    nav = toc.find(".//x:nav[@epub:type='toc']", NS)
    markers = nav.findall(".//x:span[@epub:type='pagebreak']", NS)
    assert len(markers) >= 3
    # Inside a navigation list a marker may only stand within an entry's link.
    assert all(etree.QName(m.getparent()).localname in {"a", "h1"} for m in markers)


def test_the_back_matter_is_there_at_scale(big_epub: Path) -> None:
    with zipfile.ZipFile(big_epub) as epub:
        names = set(epub.namelist())
        films = etree.fromstring(epub.read("EPUB/index-films.xhtml"))
    assert {f"EPUB/{n}.xhtml" for n in ("soundtrack", "numbers", "index-films",
                                        "index-directors", "index-actors", "index-years",
                                        "index-scores")} <= names
    # Every film is in its index, each with a link to its chapter.
    links = films.findall(".//x:a[@class='locator']", NS)
    assert len(links) == REVIEWS
