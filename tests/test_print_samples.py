"""End to end for print: the sample volumes as KDP and Ingram interiors and cover wraps, checked
the way print services check them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from anthology.print.geometry import BOTTOM, OUTSIDE, TOP, PageGeometry, gutter
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace
from tests.conftest import REPO
from tests.pdfinfo import body_and_margin_words, fonts_in, text_extents

pytestmark = pytest.mark.e2e
SAMPLES = sorted(p.parent.name for p in (REPO / "volumes").glob("*/volume.toml"))
PT = 72


@pytest.fixture(scope="module")
def printed(sample_books) -> dict[tuple[str, str], tuple[Path, int]]:
    """Every sample as the build makes its KDP and Ingram interiors, and `anthology cover` its
    cover wraps: (volume, kind) -> (path, pages)."""
    made = {}
    for volume in SAMPLES:
        for profile in ("kdp", "ingram"):
            path = sample_books[profile] / f"{volume}-{profile}.pdf"
            made[(volume, profile)] = (path, len(PdfReader(path).pages))
            made[(volume, f"cover-{profile}")] = (
                sample_books[profile] / f"{volume}-cover-{profile}.pdf", 1)
    return made


def test_qpdf_accepts_every_pdf(printed) -> None:
    for path, _ in printed.values():
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{path.name}: {result.stdout}"


@pytest.mark.parametrize("volume", SAMPLES)
@pytest.mark.parametrize("profile", ["kdp", "ingram"])
def test_interior_pages_fonts_and_no_annotations(printed, volume, profile) -> None:
    path, pages = printed[(volume, profile)]
    reader = PdfReader(path)
    assert len(reader.pages) == pages and pages % 2 == 0
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(6 * PT, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(9 * PT, abs=0.5)
        assert not page.get("/Annots")
    assert len(reader.outline) == 0
    assert all(font.embedded for font in fonts_in(path))


@pytest.mark.parametrize("volume", SAMPLES)
def test_text_stays_inside_the_margins_for_its_page_count(printed, volume) -> None:
    path, pages = printed[(volume, "kdp")]
    page = PageGeometry((6.0, 9.0), False, gutter(pages))
    assert page.inside >= gutter(pages) and page.outside >= OUTSIDE
    inside, outside = page.inside, page.outside
    width, height = 6 * PT, 9 * PT
    for index, extent in enumerate(text_extents(path)):
        if extent is None:
            continue
        left, right = (inside, outside) if index % 2 == 0 else (outside, inside)
        where = f"{path.name} page {index + 1}"
        assert extent.left >= left * PT - 0.5, where
        assert extent.right <= width - right * PT + 0.5, where
        # Running heads and folios sit in the top and bottom margins, 0.5 in from the edge.
        assert extent.top >= 0.5 * PT and extent.bottom <= height - 0.5 * PT, where


@pytest.mark.parametrize("volume", SAMPLES)
def test_blank_pages_carry_no_running_head_or_folio(printed, volume) -> None:
    path, _ = printed[(volume, "kdp")]
    counts = body_and_margin_words(path, TOP * PT, BOTTOM * PT)
    blanks = [i for i, (body, margin) in enumerate(counts) if body == 0]
    assert blanks  # chapters open on right-hand pages, so the samples have blank pages
    for index in blanks:
        assert counts[index][1] == 0, f"{path.name}: blank page {index + 1} has a head or folio"


@pytest.mark.parametrize("volume", SAMPLES)
def test_cover_wraps_fit_their_interiors(printed, volume) -> None:
    for profile in ("kdp", "ingram"):
        path, _ = printed[(volume, f"cover-{profile}")]
        _, pages = printed[(volume, profile)]
        page = PdfReader(path).pages[0]
        assert float(page.mediabox.width) / PT == pytest.approx(12 + pages * 0.002252 + 0.25,
                                                                abs=0.01)
        assert float(page.mediabox.height) / PT == pytest.approx(9.25, abs=0.01)


@pytest.mark.parametrize("volume", SAMPLES)
def test_interiors_are_even_with_at_most_one_blank_page_added(printed, volume) -> None:
    for profile in ("kdp", "ingram"):
        path, pages = printed[(volume, profile)]
        assert pages % 2 == 0
        counts = body_and_margin_words(path, TOP * PT, BOTTOM * PT)
        # An even book gains nothing; an odd one gains one blank left-hand page, never two.
        assert not (counts[-1][0] == 0 and counts[-2][0] == 0), f"{path.name} ends on 2 blanks"


@pytest.mark.parametrize("volume", SAMPLES)
def test_the_ingram_cover_keeps_within_240_percent_ink(printed, volume) -> None:
    import pikepdf

    path, _ = printed[(volume, "cover-ingram")]
    inks = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            space = None
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) in ("cs", "CS"):
                    space = str(operands[0])
                elif str(operator) in ("k", "K") or (
                        str(operator) in ("sc", "scn", "SC", "SCN") and space == "/DeviceCMYK"):
                    inks.append(sum(float(v) for v in operands))
    assert inks, "the cover sets its colours in device CMYK"
    assert max(inks) <= 2.4


@pytest.mark.parametrize("volume", SAMPLES)
def test_front_matter_in_the_conventional_order(printed, volume) -> None:
    path, _ = printed[(volume, "kdp")]
    texts = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
                            capture_output=True, text=True, check=True).stdout.strip()
             for n in range(1, 11)]
    source = load_workspace(REPO, Problems()).volume(volume).source
    # The half-title: the title alone, one line, no folio. (Compared by its last word: a
    # press interior embeds whole fonts, whose ligatures text extraction cannot map back.)
    assert len(texts[0].splitlines()) == 1
    assert texts[0].split()[-1] == source.title.split()[-1]
    assert texts[1] == ""  # its back is blank
    assert source.subtitle.split()[0] in texts[2] and "First published" not in texts[2]
    assert "First published" in texts[3]  # the copyright on the title's back
    contents = next(i for i, t in enumerate(texts) if t.startswith("Contents"))
    assert contents % 2 == 0  # a right-hand page
    assert texts[contents].splitlines()[-1].strip() == ["i", "ii", "iii", "iv", "v", "vi", "vii",
                                                        "viii", "ix"][contents]
    for display in texts[2:4]:  # the title and copyright pages carry no folio
        assert display.splitlines()[-1].strip() not in ("iii", "iv")
