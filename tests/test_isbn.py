"""ISBNs per edition: validated in volume.toml (a wrong one is a `path:line` error, a 10-digit one
converted), on the copyright page with the edition line, in the OPF and in each PDF's metadata."""

import zipfile

import pikepdf
import pytest
from lxml import etree

from anthology.epub.package import write_epub
from anthology.print.pdf import Profile, write_pdf
from anthology.render.documents import render_print_html
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace

HEAD = 'title = "Night Pieces"\nauthor = "Jonah Whitlock"\ndate = 2026-03-01\n'
IDS = ('[identifiers]\nisbn_ebook = "979-8-9899990-0-2"\nisbn_paperback = "0-306-40615-2"\n'
       'isbn_hardcover = "979-8-9899990-2-6"\n')


def load(workspace, toml: str):
    workspace.volume("v1", toml)
    workspace.review("a", appraisal=1, body="An essay.\n")
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    return ws, problems


def book_of(workspace, toml: str = HEAD + IDS):
    ws, problems = load(workspace, toml)
    book = resolve_book(ws, ws.volumes[0], problems)
    assert not problems.errors, [p.format() for p in problems]
    return book


def test_a_wrong_isbn_is_an_error_at_its_line(workspace) -> None:
    _, problems = load(workspace, HEAD + '\n[identifiers]\nisbn_ebook = "979-8-9899990-0-2"\n'
                                         'isbn_paperback = "978-0-306-40615-8"\n')
    lines = [p.format() for p in problems.errors]
    assert len(lines) == 1
    assert lines[0].endswith("volume.toml:7: error: identifiers.isbn_paperback: "
                             "'978-0-306-40615-8' is not a valid ISBN (wrong length or check "
                             "digit)")


def test_ten_digits_become_thirteen_and_each_edition_keeps_its_own(workspace) -> None:
    book = book_of(workspace)
    assert book.isbn_print == "9780306406157"  # 0-306-40615-2, with 978 and a new check digit
    assert (book.isbn_ebook, book.isbn_hardcover) == ("9798989999002", "9798989999026")
    assert book.identifier == "urn:isbn:9798989999002"


def test_the_edition_line_defaults_to_the_volumes_year(workspace) -> None:
    assert book_of(workspace).edition == "First edition 2026"
    book = book_of(workspace, HEAD + '[edition]\nstatement = "Second edition, revised"\n'
                                     'year = 2027\n')
    assert book.edition == "Second edition, revised 2027"


def copyright_page(book, workspace) -> etree._Element:
    html = render_print_html(book, Theme.for_workspace(workspace.root)).html
    tree = etree.fromstring(html.encode(), etree.HTMLParser())
    return tree.xpath("//section[@id='copyright']")[0]


def test_copyright_page_has_the_edition_and_an_isbn_line_per_edition(workspace) -> None:
    section = copyright_page(book_of(workspace), workspace)
    text = " ".join("".join(section.itertext()).split())
    assert "First edition 2026" in text
    isbn = "\n".join(section.xpath(".//p[@class='isbn']")[0].itertext())
    assert isbn.index("ISBN 979-8-9899990-0-2 (e-book)") \
        < isbn.index("ISBN 978-0-306-40615-7 (paperback)") \
        < isbn.index("ISBN 979-8-9899990-2-6 (hardcover)")


def test_copyright_page_without_isbns_has_no_isbn_line(workspace) -> None:
    section = copyright_page(book_of(workspace, HEAD), workspace)
    assert "ISBN" not in "".join(section.itertext())
    assert "First edition 2026" in "".join(section.itertext())


def test_the_opf_names_the_ebook_and_the_print_source(workspace, tmp_path) -> None:
    book = book_of(workspace)
    path = write_epub(book, Theme.for_workspace(workspace.root), tmp_path / "b.epub").path
    with zipfile.ZipFile(path) as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
    dc = {"dc": "http://purl.org/dc/elements/1.1/"}
    assert opf.findtext(".//dc:identifier", namespaces=dc) == "urn:isbn:9798989999002"
    assert opf.findtext(".//dc:source", namespaces=dc) == "urn:isbn:9780306406157"


def _isbn(path) -> tuple[object, object]:
    with pikepdf.open(path) as pdf:
        return (pdf.open_metadata().get("dc:identifier"),
                str(pdf.docinfo["/ISBN"]) if "/ISBN" in pdf.docinfo else None)


@pytest.mark.e2e
def test_a_printers_pdf_names_the_paperback_and_the_reading_pdf_none(workspace,
                                                                     tmp_path) -> None:
    """The single-document render; the pieced build's PDFs: tests/test_barcode.py; the Ingram
    cover (PDF/X-1a, its XMP extended): tests/test_wrap.py."""
    book = book_of(workspace)
    theme = Theme.for_workspace(workspace.root)
    path = write_pdf(book, theme, tmp_path / "kdp.pdf", Profile.kdp).path
    assert _isbn(path) == ("urn:isbn:9780306406157", "9780306406157")
    assert _isbn(write_pdf(book, theme, tmp_path / "d.pdf").path) == (None, None)
