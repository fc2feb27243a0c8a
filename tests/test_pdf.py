import re
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from anthology.print.pdf import Profile, ResourceError, write_pdf
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import PACKAGE_THEME, Theme
from anthology.workspace.volume_source import TRIMS
from anthology.workspace.volumes import load_workspace
from tests.conftest import VOLUME_TOML
from tests.pdfinfo import fonts_in, page_sizes_in, page_texts


def book_and_theme(workspace):
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    book = resolve_book(ws, ws.volumes[0], problems)
    assert not problems.errors
    return book, Theme.for_workspace(workspace.root)


def test_six_by_nine_with_embedded_fonts_and_page_numbers(workspace, tmp_path) -> None:
    workspace.volume()
    Image.new("RGB", (60, 40), "teal").save(workspace.root / "volumes" / "v1" / "still.png")
    workspace.review("a", appraisal=1, related=["B"],
                     body="![A teal still](still.png)\n\n" + "Words. " * 400)
    workspace.review("b", appraisal=2)
    result = write_pdf(*book_and_theme(workspace), tmp_path / "b.pdf")
    assert page_sizes_in(result.path) == {(6.0, 9.0)}
    fonts = fonts_in(result.path)
    assert fonts and all(f.embedded for f in fonts)
    assert any("EB-Garamond" in f.name for f in fonts)
    images = {image.data for page in PdfReader(result.path).pages for image in page.images}
    assert len(images) == 1  # the still made it into the print edition
    texts = page_texts(result.path)
    assert len(texts) == result.pages
    # A viewer's page numbers are the printed folios: roman, then arabic from the body.
    labels = PdfReader(result.path).page_labels
    assert labels == list(result.page_map.labels)
    assert labels[0] == "i" and "1" in labels
    # Body folios start at 1 on the first chapter's page.
    first = next(i for i, t in enumerate(texts) if "Appraisal #1" in t)
    assert texts[first].rstrip().endswith("1")


def test_a_stylesheet_may_not_reach_the_network_or_other_files(workspace, tmp_path) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1)
    workspace.write("styles/css/local.css", "")
    book_theme = book_and_theme(workspace)
    # Loading refuses such a stylesheet (tests/test_styles.py); the PDF's fetcher refuses
    # it again, should one reach it.
    workspace.write("styles/css/local.css",
                    '@import url("https://example.org/x.css");\n'
                    'body { background: url("file:///etc/hostname"); }\n')
    target = tmp_path / "b.pdf"
    with pytest.raises(ResourceError) as caught:
        write_pdf(*book_theme, target)
    assert "https://example.org/x.css" in str(caught.value)
    assert "file:///etc/hostname" in str(caught.value)
    assert not target.exists()


def test_a_missing_theme_font_stops_the_build(workspace, tmp_path) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1)
    workspace.write("styles/css/local.css", "")
    book_theme = book_and_theme(workspace)
    workspace.write("styles/css/local.css",
                    '@font-face { font-family: "Gone"; src: url("../fonts/gone.otf"); }\n'
                    'body { font-family: "Gone"; }\n')
    with pytest.raises(ResourceError, match=r"gone\.otf"):
        write_pdf(*book_theme, tmp_path / "b.pdf")


def qpdf_check(path) -> None:
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("trim", sorted(TRIMS))
def test_every_trim_size(workspace, tmp_path, trim: str) -> None:
    workspace.volume("v1", VOLUME_TOML + f'[print]\ntrim = "{trim}"\n')
    workspace.review("a", appraisal=1, body="Words. " * 300)
    result = write_pdf(*book_and_theme(workspace), tmp_path / "b.pdf", Profile.kdp)
    width, height = TRIMS[trim]
    for page in PdfReader(result.path).pages:
        assert float(page.mediabox.width) == pytest.approx(width * 72, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height * 72, abs=0.5)
    qpdf_check(result.path)


def test_bleed_pages_and_trim_boxes(workspace, tmp_path) -> None:
    workspace.volume("v1", VOLUME_TOML + "[print]\nbleed = true\n")
    workspace.review("a", appraisal=1, body="Words. " * 900)
    result = write_pdf(*book_and_theme(workspace), tmp_path / "b.pdf", Profile.kdp)
    pages = PdfReader(result.path).pages
    for index, page in enumerate(pages):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == \
            pytest.approx((6.125 * 72, 9.25 * 72), abs=0.5)
        trim = page.trimbox
        assert (float(trim.width), float(trim.height)) == pytest.approx((432, 648), abs=0.5)
        # No bleed on the binding side: right-hand pages are trimmed flush at the left.
        assert float(trim.left) == pytest.approx(0 if index % 2 == 0 else 9, abs=0.1)
    qpdf_check(result.path)


def test_kdp_interior(workspace, tmp_path) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1, related=["B"], body="Words. " * 300)
    workspace.review("b", appraisal=2)
    result = write_pdf(*book_and_theme(workspace), tmp_path / "b.pdf", Profile.kdp)
    reader = PdfReader(result.path)
    assert len(reader.outline) == 0
    assert all(not page.get("/Annots") for page in reader.pages)
    assert len(reader.pages) % 2 == 0
    assert page_texts(result.path)[-1].strip() == ""  # ends on a blank page
    # Embedded whole, as KDP prefers: each program is the theme's font file, byte for byte.
    sizes = {f.size for f in fonts_in(result.path)}
    theme_fonts = {p.stat().st_size for p in (PACKAGE_THEME / "fonts").glob("*.otf")}
    assert sizes and sizes <= theme_fonts
    assert result.fallback_fonts == ()
    qpdf_check(result.path)


def test_characters_missing_from_the_theme_font_are_reported(workspace, tmp_path) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1, body="Hum along \u266b to the tune.")
    result = write_pdf(*book_and_theme(workspace), tmp_path / "b.pdf")
    assert result.fallback_fonts and "EB Garamond" not in result.fallback_fonts
    # The character itself, and not the space beside it that the fallback font also set.
    assert {c for _, chars in result.glyphs.fallback for c in chars} == {"\u266b"}


def test_digital_pdf_keeps_bookmarks_and_links(workspace, tmp_path) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1, related=["B"])
    workspace.review("b", appraisal=2)
    reader = PdfReader(write_pdf(*book_and_theme(workspace), tmp_path / "b.pdf").path)
    assert len(reader.outline) > 0
    assert any(page.get("/Annots") for page in reader.pages)


def test_ingram_interior_is_pdf_x1a_in_black_ink(workspace, tmp_path) -> None:
    workspace.volume()
    Image.new("RGB", (60, 40), "red").save(workspace.root / "volumes" / "v1" / "still.png")
    workspace.review("a", appraisal=1, related=["B"],
                     body="![A red still](still.png)\n\n" + "Words. " * 300)
    workspace.review("b", appraisal=2)
    result = write_pdf(*book_and_theme(workspace), tmp_path / "b.pdf", Profile.ingram)
    reader = PdfReader(result.path)
    assert reader.metadata["/GTS_PDFXVersion"].startswith("PDF/X-1a")
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/DestOutputProfile"].get_object()["/N"] == 4
    for page in reader.pages:
        content = page.get_contents().get_data()
        assert not re.search(rb"\b(rg|RG)\b", content)  # no RGB colour operators
        assert set(re.findall(rb"(/[\w-]+) (?:cs|CS)\b", content)) <= {b"/DeviceCMYK"}
        for image in page.images:
            assert image.image.mode in ("L", "1")
        assert not page.get("/Annots")
    assert len(reader.pages) % 2 == 0
    qpdf_check(result.path)


def test_the_builds_page_count_warning_uses_preflights_limits() -> None:
    """One set of limits: Ingram binds 18 to 1,200 pages, KDP 24 to 828, in build and
    preflight alike (they once said 24 and 18 for Ingram)."""
    from anthology.preflight.pressfile import PAGE_LIMITS
    from anthology.print.pdf import Profile, page_count_warnings

    for profile, (low, high) in PAGE_LIMITS.items():
        assert page_count_warnings(profile, low) == page_count_warnings(profile, high) == ()
        assert page_count_warnings(profile, low - 1) and page_count_warnings(profile, high + 1)
    assert PAGE_LIMITS[Profile.ingram] == (18, 1200)
    assert page_count_warnings(Profile.digital, 5) == ()
