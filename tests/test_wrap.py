import dataclasses
import subprocess

import pdfplumber
import pikepdf
import pytest
from pypdf import PdfReader

from anthology.print.pdf import Profile
from anthology.print.wrap import write_cover_wrap
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace

PER_PAGE = {"white": 0.002252, "cream": 0.0025}


@pytest.fixture(scope="module")
def book_and_theme(tmp_path_factory):
    from tests.conftest import WorkspaceBuilder

    ws = WorkspaceBuilder(tmp_path_factory.mktemp("wrap") / "ws")
    ws.volume("v1", 'title = "Night Pieces"\nauthor = "Jonah Whitlock"\ndate = 2026-01-01\n'
                    '[series]\nname = "The Flicker Archive"\nnumber = 2\n')
    ws.review("a", appraisal=1, title="Nosferatu", year=1922)
    ws.review("b", appraisal=2, title="Häxan", year=1922)
    problems = Problems()
    workspace = load_workspace(ws.root, problems)
    return resolve_book(workspace, workspace.volumes[0], problems), Theme.for_workspace(ws.root)


@pytest.mark.parametrize("paper", ["white", "cream"])
@pytest.mark.parametrize("pages", [120, 612])
def test_cover_wrap_size_matches_the_formula(book_and_theme, tmp_path, pages, paper) -> None:
    result = write_cover_wrap(*book_and_theme, tmp_path / "c.pdf", Profile.kdp, pages, paper)
    page = PdfReader(result.path).pages[0]
    expected = (2 * 6 + pages * PER_PAGE[paper] + 0.25, 9 + 0.25)
    assert float(page.mediabox.width) / 72 == pytest.approx(expected[0], abs=0.01)
    assert float(page.mediabox.height) / 72 == pytest.approx(expected[1], abs=0.01)
    assert float(page.trimbox.width) / 72 == pytest.approx(expected[0] - 0.25, abs=0.01)
    # Spine text only from 79 pages: both counts here have it.
    text = page.extract_text()
    assert text.count("Night Pieces") >= 2  # front and spine
    assert subprocess.run(["qpdf", "--check", str(result.path)]).returncode == 0


def test_thin_spine_has_no_text_and_the_barcode_area_is_clear(book_and_theme, tmp_path) -> None:
    result = write_cover_wrap(*book_and_theme, tmp_path / "c.pdf", Profile.kdp, 60, "white")
    wrap = result.wrap
    assert not wrap.spine_text
    with pdfplumber.open(result.path) as pdf:
        page = pdf.pages[0]
        # pdfplumber measures from the media box's top-left; the trim starts 0.125 in in.
        x0 = (wrap.bleed + wrap.barcode_left) * 72
        top = (wrap.bleed + wrap.barcode_top) * 72
        box = (x0, top, x0 + wrap.barcode[0] * 72, top + wrap.barcode[1] * 72)
        inside = [c for c in page.chars if box[0] <= c["x0"] <= box[2]
                  and box[1] <= c["top"] <= box[3]]
        assert inside == []
        spine = ((wrap.bleed + wrap.trim_width) * 72,
                 (wrap.bleed + wrap.trim_width + wrap.spine) * 72)
        assert not [c for c in page.chars if spine[0] <= c["x0"] <= spine[1]]
        back = [c for c in page.chars if c["x0"] < (wrap.bleed + wrap.trim_width) * 72]
        assert len(back) > 40  # the back lists the volume's films


def test_ingram_cover_is_pdf_x1a(book_and_theme, tmp_path) -> None:
    result = write_cover_wrap(*book_and_theme, tmp_path / "c.pdf", Profile.ingram, 200)
    reader = PdfReader(result.path)
    assert reader.metadata["/GTS_PDFXVersion"].startswith("PDF/X-1a")
    assert reader.trailer["/Root"]["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFX"


def test_a_cover_is_for_a_printer(book_and_theme, tmp_path) -> None:
    with pytest.raises(ValueError, match="print profile"):
        write_cover_wrap(*book_and_theme, tmp_path / "c.pdf", Profile.digital, 100)


def test_a_cover_names_its_isbn_and_stays_pdf_x1a(book_and_theme, tmp_path) -> None:
    book, theme = book_and_theme
    book = dataclasses.replace(book, isbn_print="9798989999019")
    result = write_cover_wrap(book, theme, tmp_path / "c.pdf", Profile.ingram, 200)
    with pikepdf.open(result.path) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("dc:identifier") == "urn:isbn:9798989999019"
        assert "PDF/X-1a" in str(meta.get("pdfx:GTS_PDFXVersion"))  # the XMP kept its own
        assert str(pdf.docinfo["/ISBN"]) == "9798989999019"
        assert str(pdf.docinfo["/GTS_PDFXVersion"]).startswith("PDF/X-1a")
    again = write_cover_wrap(book, theme, tmp_path / "d.pdf", Profile.ingram, 200)
    assert again.path.read_bytes() == result.path.read_bytes()  # same book, same bytes
    with pdfplumber.open(result.path) as pdf:  # the barcode's own digits, in its box only
        wrap = result.wrap
        words = [w for w in pdf.pages[0].extract_words() if w["text"].startswith("979-8")]
        assert len(words) == 1
        left = (wrap.bleed + wrap.barcode_left) * 72
        top = (wrap.bleed + wrap.barcode_top) * 72
        assert left <= words[0]["x0"] and words[0]["x1"] <= left + wrap.barcode[0] * 72
        assert top <= words[0]["top"] and words[0]["bottom"] <= top + wrap.barcode[1] * 72


@pytest.mark.parametrize(("series", "lead"), [
    (True, "In this volume of The Flicker Archive, Jonah Whitlock appraises"),
    (False, "In this volume, Jonah Whitlock appraises"),  # issue 18: "of Jonah Whitlock"
])
def test_the_back_cover_lead_reads_with_and_without_a_series(book_and_theme, series,
                                                             lead) -> None:
    from lxml import html as lxml_html

    from anthology.print.geometry import CoverWrap
    from anthology.print.wrap import COVER_TEMPLATE
    from anthology.render.documents import edition_environment, render_template

    book, theme = book_and_theme
    book = book if series else dataclasses.replace(book, series=None)
    page = render_template(edition_environment(theme, "print"), COVER_TEMPLATE, book=book,
                           wrap=CoverWrap(book.trim, 200, "white"), edition="print",
                           back=None, front_image=None, barcode=None)
    text = lxml_html.fromstring(page).find_class("back-lead")[0].text_content()
    assert " ".join(text.split()) == lead


BLURB = ("Before the talkies, the cinema spoke in shadows.\n\n"
         "Written for readers who have seen them and for those who have not yet.")
NOTE = "Jonah Whitlock has written about films for thirty years."


def test_the_blurb_and_the_authors_note_are_on_the_back_when_given(book_and_theme,
                                                                    tmp_path) -> None:
    book, theme = book_and_theme
    book = dataclasses.replace(book, blurb=BLURB, flap_author=NOTE)
    result = write_cover_wrap(book, theme, tmp_path / "c.pdf", Profile.kdp, 200)
    wrap = result.wrap
    with pdfplumber.open(result.path) as pdf:
        page = pdf.pages[0]
        spine = (wrap.bleed + wrap.trim_width) * 72
        words = page.extract_words()
        back = " ".join(w["text"] for w in words if w["x1"] < spine)
        assert "Before the talkies, the cinema spoke in shadows." in back
        assert "Written for readers who have seen them" in back
        assert back.index("shadows.") < back.index("In this volume of The Flicker Archive")
        # The films run in beside a blurb; the note sits at the foot, clear of the barcode.
        assert "(1922) · " in back
        note = next(w for w in words if w["text"] == "thirty")
        assert note["x1"] < (wrap.bleed + wrap.barcode_left) * 72
        assert note["top"] > (wrap.bleed + wrap.barcode_top) * 72


@pytest.mark.parametrize("given", [True, False])
def test_the_back_and_the_jacket_place_the_blurb_only_when_given(book_and_theme, given) -> None:
    from lxml import html as lxml_html

    from anthology.print.geometry import CoverWrap, Jacket
    from anthology.print.jacket import JACKET_TEMPLATE
    from anthology.print.wrap import COVER_TEMPLATE
    from anthology.render.documents import edition_environment, render_template

    book, theme = book_and_theme
    book = dataclasses.replace(book, blurb=BLURB if given else None,
                               description=BLURB if given else "Two appraisals.",
                               flap_author=NOTE if given else None)
    pages = {}
    for template, wrap in ((COVER_TEMPLATE, CoverWrap(book.trim, 200, "white")),
                           (JACKET_TEMPLATE, Jacket(book.trim, 200, "white"))):
        pages[template] = lxml_html.fromstring(render_template(
            edition_environment(theme, "print"), template, book=book, wrap=wrap,
            edition="print", back=None, front_image=None, barcode=None, spine=None,
            price=None))
    wrap_page, jacket = pages[COVER_TEMPLATE], pages[JACKET_TEMPLATE]
    assert bool(wrap_page.find_class("back-blurb")) is given
    assert bool(wrap_page.find_class("back-note")) is given
    assert bool(wrap_page.find_class("run-in")) is given  # else the films one a line
    # The jacket's blurb and note are on its flaps, never on its back panel too.
    assert not jacket.find_class("back-blurb") and not jacket.find_class("back-note")
    flap = jacket.find_class("flap-front")[0].text_content()
    assert ("Before the talkies" in flap) is given
