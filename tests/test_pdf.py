import pytest
from PIL import Image
from pypdf import PdfReader

from anthology.pdf import ResourceError, write_pdf
from anthology.problems import Problems
from anthology.resolve import resolve_book
from anthology.theme import Theme
from anthology.volumes import load_workspace
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
    # Body folios start at 1 on the first chapter's page.
    first = next(i for i, t in enumerate(texts) if "Appraisal #1" in t)
    assert texts[first].rstrip().endswith("1")


def test_a_stylesheet_may_not_reach_the_network_or_other_files(workspace, tmp_path) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1)
    workspace.write("styles/css/local.css",
                    '@import url("https://example.org/x.css");\n'
                    'body { background: url("file:///etc/hostname"); }\n')
    target = tmp_path / "b.pdf"
    with pytest.raises(ResourceError) as caught:
        write_pdf(*book_and_theme(workspace), target)
    assert "https://example.org/x.css" in str(caught.value)
    assert "file:///etc/hostname" in str(caught.value)
    assert not target.exists()


def test_a_missing_theme_font_stops_the_build(workspace, tmp_path) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1)
    workspace.write("styles/css/local.css",
                    '@font-face { font-family: "Gone"; src: url("../fonts/gone.otf"); }\n'
                    'body { font-family: "Gone"; }\n')
    with pytest.raises(ResourceError, match=r"gone\.otf"):
        write_pdf(*book_and_theme(workspace), tmp_path / "b.pdf")
