"""Preflight's checks, each made to fail: small PDFs laid out by WeasyPrint from tiny HTML, one
fault each, and a sound one that passes everything."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pikepdf
import pytest
import weasyprint
from PIL import Image
from typer.testing import CliRunner

from anthology.cli import app
from anthology.preflight import cover_fit as coverfit
from anthology.preflight import run as press
from anthology.preflight.findings import Finding, Status
from anthology.preflight.pdftext import read_pages
from anthology.preflight.pressfile import fonts, page_boxes, page_count, total_ink, wrap_size
from anthology.preflight.typesetting import Part, end_blanks
from anthology.print.pdf import Profile
from tests.conftest import REPO, WorkspaceBuilder

FONT = REPO / "anthology" / "theme" / "fonts" / "EBGaramond12-Regular.otf"
CHAPTER = Part("chapter", "The Lighthouse Keeper", "Ada Marlow", "8/10")
SENTENCES = (
    "The keeper climbed the stairs each evening with a lamp in one hand and a book in the "
    "other, and he counted the steps aloud so that the sea would know he was coming. ",
    "Nobody had ever told him that the light could be left to itself, and he would not have "
    "believed them if they had. ",
    "In the mornings he wrote down the weather, the ships that passed and the birds that "
    "rested on the rail, in a small careful hand that never changed in forty years. ",
)


def _prose(sentences: int) -> str:
    return "".join(SENTENCES[i % 3] for i in range(sentences))


def _html(body: str, css: str = "", page: str = "6in 9in", margin: str = "0.9in") -> str:
    return (f"<html lang='en'><head><style>@font-face {{ font-family: Body; "
            f"src: url({FONT.as_uri()}); }} @page {{ size: {page}; margin: {margin}; }} "
            "body { font-family: Body; font-size: 12pt; line-height: 1.35; } "
            "p { margin: 0; text-align: justify; text-indent: 1.2em; hyphens: manual; } "
            "h1 { font-size: 18pt; text-align: center; font-weight: normal; } "
            ".facts p { font-size: 10pt; text-indent: 0; } "
            ".judgement, .signature { text-align: center; text-indent: 0; margin-top: 1em; } "
            # As the theme keeps a verdict with the essay's last lines (print.css).
            "p { orphans: 3; widows: 3; } .judgement, .signature { break-before: avoid; } "
            # Narrowed word spaces, so the sound chapter's justified lines do not gap.
            "p { word-spacing: -0.06em; } "
            f".narrow {{ width: 1in; text-align: left; text-indent: 0; margin-top: 1em; }} "
            f"{css}"
            f"</style></head><body>{body}</body></html>")


def _pdf(tmp_path: Path, body: str, name: str = "book.pdf", **style: str) -> Path:
    path = tmp_path / name
    weasyprint.HTML(string=_html(body, **style)).write_pdf(path)
    return path


def chapter(essay: str = "", *, facts: int = 3, ending: str | None = None,
            opener_break: bool = False) -> str:
    """A chapter as the book sets one: title, a small fact box, the essay, its judgement and
    signature. `essay` goes after four sound paragraphs; `ending` replaces the close."""
    box = "".join(f"<p>Fact {n}: a small value set in the fact box</p>" for n in range(facts))
    paragraphs = "".join(f"<p>{_prose(5)}</p>" for _ in range(4))
    start = "<div style='break-before: page'></div>" if opener_break else ""
    close = ending if ending is not None else (
        "<p class='judgement'>Judgement: 8/10</p><p class='signature'>Ada Marlow</p>")
    return (f"<h1>The Lighthouse Keeper</h1><div class='facts'>{box}</div>{start}"
            f"{paragraphs}{essay}{close}")


def findings(path: Path, part: Part = CHAPTER) -> dict[str, Finding]:
    pages = read_pages(path)
    return {f.check: f for f in press.text_checks([part], pages)}


def failing(path: Path, part: Part = CHAPTER) -> set[str]:
    return {name for name, f in findings(path, part).items() if f.status is Status.failed}


def test_a_sound_chapter_passes_every_typesetting_check(tmp_path: Path) -> None:
    found = findings(_pdf(tmp_path, chapter()))
    assert {n for n, f in found.items() if f.status is not Status.passed} == set()
    assert 60 <= found["line length"].value <= 70
    assert found["openers with essay text"].figure == "1 of 1"


def test_a_line_led_by_a_dash_fails(tmp_path: Path) -> None:
    path = _pdf(tmp_path, chapter(f"<p>{_prose(2)}</p><p>\u2013 and so the light went on</p>"
                                  f"<p>{_prose(3)}</p>"))
    assert failing(path) == {"lines led by a dash"}
    assert findings(path)["lines led by a dash"].value == 1


def test_a_signature_after_a_dash_is_no_dash_led_line(tmp_path: Path) -> None:
    path = _pdf(tmp_path, chapter(ending="<p class='judgement'>Judgement: 8/10</p>"
                                         "<p class='signature'>\u2014 Ada Marlow</p>"))
    assert failing(path) == set()


def test_heavy_hyphenation_fails_the_share(tmp_path: Path) -> None:
    lines = "".join(f"the keeper kept a well-<br/>lit lamp {n}<br/>" for n in range(6))
    path = _pdf(tmp_path, chapter(f"<p>{lines}</p>"))
    assert failing(path) == {"hyphenated line ends"}
    assert findings(path)["hyphenated line ends"].value > 8


def test_a_two_letter_fragment_fails(tmp_path: Path) -> None:
    path = _pdf(tmp_path, chapter("<p class='narrow'>re\u00admarkablenesses</p>"))
    # (Its one word ends the paragraph broken too.)
    assert failing(path) == {"hyphenation fragments", "paragraph-final hyphens"}
    assert findings(path)["hyphenation fragments"].where == ("page 2: re-markablenesses",)


def test_three_hyphenated_ends_in_a_row_fail(tmp_path: Path) -> None:
    word = "\u00ad".join(["lant", "erns", "keep", "ers"])
    path = _pdf(tmp_path, chapter(f"<p class='narrow' style='width: 0.45in'>{word}</p>"))
    assert failing(path) == {"hyphenated ends in a row", "paragraph-final hyphens"}
    assert findings(path)["hyphenated ends in a row"].value == 3


def test_loose_lines_warn(tmp_path: Path) -> None:
    """Natural word spaces, greedy breaks and no hyphenation: lines ending before a long word
    stretch their spaces past twice the font's (a warning: a printer takes them)."""
    found = findings(_pdf(tmp_path, chapter(), css="p { word-spacing: 0 }"))["loose lines"]
    assert found.status is Status.warning
    assert found.value > 3
    assert found.where[0].startswith("page ") and "of natural" in found.where[0]


def test_the_natural_space_is_the_fonts_not_the_themes(tmp_path: Path) -> None:
    """Narrowed or widened word spacing is judged against the font's own space (EB
    Garamond's is 0.2 em), read from the space glyphs the file draws; where it draws none
    at a size, from their ratio to the size at another."""
    pages = read_pages(_pdf(tmp_path, chapter(), css="p { word-spacing: -0.06em }"))
    assert {round(x.space, 2) for page in pages for x in page.lines
            if x.size == 12 and x.space} == {2.4}
    narrowed = findings(tmp_path / "book.pdf")["loose lines"]
    assert narrowed.status is Status.passed and "119% of natural" in narrowed.figure
    _pdf(tmp_path, chapter(), css="p { word-spacing: 0.5em }")
    widened = findings(tmp_path / "book.pdf")["loose lines"]
    assert widened.status is Status.warning and widened.value == 100


def test_long_lines_fail_the_measure(tmp_path: Path) -> None:
    path = _pdf(tmp_path, chapter(), page="8.5in 11in", margin="0.6in")
    assert failing(path) == {"line length"}
    assert findings(path)["line length"].value > 70


def test_an_opener_without_essay_text_fails(tmp_path: Path) -> None:
    path = _pdf(tmp_path, chapter(opener_break=True))
    assert failing(path) == {"openers with essay text"}
    assert findings(path)["openers with essay text"].where[0].startswith("page 1: The Light")


def test_an_opener_its_fact_box_fills_fails(tmp_path: Path) -> None:
    """No exemption for a long fact box (issue 18): the layout must make room."""
    path = _pdf(tmp_path, chapter(facts=45))
    found = findings(path)
    assert failing(path) == {"openers with essay text"}
    assert found["openers with essay text"].figure == "0 of 1"
    assert found["openers with essay text"].where[0].startswith(
        "page 1: The Lighthouse Keeper opens with 0 lines of its essay, ")


@pytest.mark.parametrize(("text", "passes"), [(SENTENCES[1], False), (SENTENCES[1] * 2, True)])
def test_an_opener_needs_three_lines_of_essay(tmp_path: Path, text: str, passes: bool) -> None:
    """Two lines of essay, then the page turns: a failure; three or more pass."""
    opening = f"<p style='break-after: page'>{text}</p>"
    path = _pdf(tmp_path, chapter(facts=20).replace("</div>", "</div>" + opening, 1))
    found = findings(path)["openers with essay text"]
    assert (found.status is Status.passed) is passes, found
    if not passes:
        assert " opens with 2 lines of its essay" in found.where[0], found.where


def test_a_chapter_is_found_by_its_title_or_reported_missing(tmp_path: Path) -> None:
    path = _pdf(tmp_path, chapter())
    other = Part("chapter", "A Film Nobody Made", "Ada Marlow")
    assert "was not found" in findings(path, other)["openers with essay text"].where[0]


def test_closing_lines_alone_on_a_page_fail(tmp_path: Path) -> None:
    ending = ("<div style='break-before: page'></div><p class='judgement'>Judgement: 8/10</p>"
              "<p class='signature'>Ada Marlow</p>")
    path = _pdf(tmp_path, chapter(ending=ending))
    assert failing(path) == {"stranded closing lines", "verdicts with essay"}
    assert findings(path)["verdicts with essay"].where == (
        "page 3: the verdict of The Lighthouse Keeper comes with 0 lines of its essay",)


def test_a_verdict_with_two_lines_of_essay_fails(tmp_path: Path) -> None:
    """Two lines of the essay, then the ornament, the judgement and the signature: closing
    lines enough for the old rule, not for the verdict's."""
    ending = ("<div style='break-before: page'></div>"
              "<p>The keeper climbed the stairs each evening with a lamp in one hand and a "
              "book in the other, and so on.</p><p class='ornament'>\u2766</p>"
              "<p class='judgement'>Judgement: 8/10</p><p class='signature'>Ada Marlow</p>")
    path = _pdf(tmp_path, chapter(ending=ending))
    assert failing(path) == {"verdicts with essay"}
    assert findings(path)["verdicts with essay"].figure == "0 of 1"


def test_a_verdict_with_three_lines_of_essay_passes(tmp_path: Path) -> None:
    ending = ("<div style='break-before: page'></div>"
              f"<p>{_prose(2)}</p><p class='ornament'>\u2766</p>"
              "<p class='judgement'>Judgement: 8/10</p><p class='signature'>Ada Marlow</p>")
    path = _pdf(tmp_path, chapter(ending=ending))
    assert failing(path) == set()
    assert findings(path)["verdicts with essay"].figure == "1 of 1"


def test_an_ornament_at_the_foot_of_a_page_fails(tmp_path: Path) -> None:
    """The ornament ends one page and the judgement opens the next (what WeasyPrint did with
    a judgement's ::before block until it was kept whole)."""
    words = [f"w{n:03d}" for n in range(620)]
    fill = f"<p>{' '.join(words)}</p>"
    probe = _pdf(tmp_path, chapter(fill, ending=""), "probe.pdf")
    room = probe_room(probe)
    ending = (f"<p class='ornament' style='margin-top: {room - 30:.0f}pt'>\u2766</p>"
              "<p class='judgement' style='break-before: page'>Judgement: 8/10</p>"
              "<p class='signature'>Ada Marlow</p>")
    path = _pdf(tmp_path, chapter(fill, ending=ending))
    found = findings(path)
    assert "ornaments at a page's foot" in failing(path)
    assert found["ornaments at a page's foot"].value == 1
    assert found["ornaments at a page's foot"].where[0].endswith("\u201c\u2766\u201d")


def test_a_word_broken_across_a_page_turn_fails(tmp_path: Path) -> None:
    lines = "".join(f"the keeper {n} kept a well-<br/>" for n in range(70))
    found = findings(_pdf(tmp_path, chapter(f"<p>{lines} lit lamp.</p>")))
    turns = found["words broken across a page turn"]
    assert turns.status is Status.failed and turns.value >= 1
    assert turns.where[0].startswith("page 2: \u201c") and "well-\u201d / \u201c" in turns.where[0]


def test_a_paragraph_ending_on_a_broken_word_fails(tmp_path: Path) -> None:
    # (Natural word spaces, so the forced break ends a full line and tears nothing.)
    path = _pdf(tmp_path, chapter(f"<p>{_prose(2)} and he came back imme-<br/>diately.</p>"),
                css="p { word-spacing: 0 }")
    assert failing(path) == {"paragraph-final hyphens"}
    assert findings(path)["paragraph-final hyphens"].where[0].endswith(
        "imme-\u201d / \u201cdiately.\u201d")


def test_facing_pages_that_end_apart_fail(tmp_path: Path) -> None:
    """A page ended early by a forced break: its spread ends on two baselines."""
    essay = (f"<p>{_prose(20)}</p><p style='break-before: page'>{_prose(6)}</p>"
             f"<p style='break-before: page'>{_prose(40)}</p>")
    found = findings(_pdf(tmp_path, chapter(essay)))["spreads on one baseline"]
    assert found.status is Status.warning  # a designer's mark, not a printer's rejection
    assert found.figure == "67% (2 of 3)"
    assert found.where == ("pages 4-5: The Lighthouse Keeper, 7.0 lines apart",)


def test_a_long_chapter_of_full_pages_has_even_spreads(tmp_path: Path) -> None:
    found = findings(_pdf(tmp_path, chapter(f"<p>{_prose(90)}</p>")))["spreads on one baseline"]
    assert found.status is Status.passed and found.value == 100.0, found


def probe_room(path: Path) -> float:
    """Points left below the last line of the last page of `path`'s text block."""
    pages = read_pages(path)
    body = [x for x in pages[-1].lines if not x.text.isdigit()]
    full = max(x.bottom for p in pages for x in p.lines if not x.text.isdigit())
    return full - body[-1].bottom


def test_a_signature_alone_at_the_top_of_a_page_fails(tmp_path: Path) -> None:
    ending = ("<p class='signature' style='break-before: page'>Ada Marlow</p>"
              + "".join(f"<p>Read also: another film {n}</p>" for n in range(3)))
    path = _pdf(tmp_path, chapter(ending=ending))
    assert failing(path, Part("chapter", CHAPTER.title, "Ada Marlow")) == {
        "stranded signatures", "verdicts with essay"}


def test_a_judgement_apart_from_its_signature_fails(tmp_path: Path) -> None:
    ending = ("<p class='judgement'>Judgement: 8/10</p><p style='break-before: page'>"
              f"{_prose(2)}</p><p class='signature'>Ada Marlow</p>")
    path = _pdf(tmp_path, chapter(ending=ending))
    assert failing(path) == {"judgement apart from signature"}


# ---- the file: boxes, fonts, pages, the cover -------------------------------------------

def test_boxes_pass_at_the_trim_and_fail_without_a_trimbox(tmp_path: Path) -> None:
    path = _pdf(tmp_path, chapter())
    with pikepdf.open(path) as pdf:
        assert page_boxes(pdf, (6.0, 9.0), False, Profile.kdp).status is Status.passed
        assert page_boxes(pdf, (5.0, 8.0), False, Profile.kdp).status is Status.failed
        del pdf.pages[0].obj["/TrimBox"]
        found = page_boxes(pdf, (6.0, 9.0), False, Profile.kdp)
    assert found.status is Status.failed and found.where == ("page 1: no TrimBox",)


def test_a_bled_page_needs_its_trim_against_the_binding_edge(tmp_path: Path) -> None:
    path = _pdf(tmp_path, "<p>A page with bleed.</p><p style='break-before: page'>Two.</p>",
                page="6.125in 9.25in")
    with pikepdf.open(path) as pdf:
        assert page_boxes(pdf, (6.0, 9.0), True, Profile.kdp).status is Status.failed
        for index, page in enumerate(pdf.pages):  # as the build sets them
            left = 0 if index % 2 == 0 else 9
            page.obj.TrimBox = pikepdf.Array([left, 9, left + 432, 9 + 648])
        assert page_boxes(pdf, (6.0, 9.0), True, Profile.kdp).status is Status.passed


def test_an_unembedded_font_fails(tmp_path: Path) -> None:
    path = _pdf(tmp_path, chapter())
    with pikepdf.open(path) as pdf:
        assert fonts(pdf).status is Status.passed
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and "/FontFile3" in obj:
                del obj["/FontFile3"]
            if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj:
                del obj["/FontFile2"]
        found = fonts(pdf)
    assert found.status is Status.failed and "not embedded" in found.where[0]


def test_an_odd_or_short_page_count_fails_in_print(tmp_path: Path) -> None:
    breaks = "".join("<p style='break-before: page'>A page.</p>" for _ in range(2))
    with pikepdf.open(_pdf(tmp_path, f"<p>One.</p>{breaks}")) as pdf:
        count = len(pdf.pages)
    assert count == 3
    assert page_count(count, Profile.digital, "white").status is Status.passed
    odd = page_count(count, Profile.ingram, "white")
    assert odd.status is Status.failed and "even" in odd.where[0]
    assert page_count(26, Profile.kdp, "white").status is Status.passed
    assert page_count(22, Profile.kdp, "white").status is Status.failed
    assert page_count(22, Profile.ingram, "white").status is Status.passed
    assert page_count(800, Profile.kdp, "cream").status is Status.failed


def test_two_blank_pages_at_the_end_are_one_too_many(tmp_path: Path) -> None:
    blank = "<div style='break-before: page'></div>"
    one = read_pages(_pdf(tmp_path, f"<p>Text.</p><p style='break-before: page'>More.</p>"
                                    f"{blank}&#8203;", name="one.pdf"))
    two = read_pages(_pdf(tmp_path, f"<p>Text.</p>{blank}&#8203;{blank}&#8203;",
                          name="two.pdf"))
    assert [len(p.lines) > 0 for p in one] == [True, True, False]
    assert end_blanks(one).status is Status.passed
    found = end_blanks(two)
    assert found.status is Status.failed and found.where == ("pages 2-3 are blank",)


def _cover(tmp_path: Path, ground: str, image: tuple[int, int, int, int] | None = None) -> Path:
    art = ""
    if image is not None:
        picture = io.BytesIO()
        Image.new("CMYK", (60, 90), image).save(picture, format="JPEG")
        (tmp_path / "art.jpg").write_bytes(picture.getvalue())
        art = f"<img src='{(tmp_path / 'art.jpg').as_uri()}' style='width: 2in'/>"
    html = (f"<style>@page {{ size: 12in 9in; bleed: 0.125in; margin: 0; }} body {{ margin: 0; "
            f"background: {ground}; color: device-cmyk(0 0 0 1); }}</style>{art}<p>Title</p>")
    path = tmp_path / "cover.pdf"
    weasyprint.HTML(string=html).write_pdf(path)
    return path


def test_cover_ink_within_240_percent_passes(tmp_path: Path) -> None:
    with pikepdf.open(_cover(tmp_path, "device-cmyk(0.55 0.5 0.35 0.9)")) as pdf:
        found = total_ink(pdf)
    assert found.status is Status.passed and found.value == pytest.approx(230, abs=0.5)


def test_an_over_inked_cover_fails(tmp_path: Path) -> None:
    with pikepdf.open(_cover(tmp_path, "device-cmyk(0.7 0.7 0.6 0.9)")) as pdf:
        assert total_ink(pdf).value == pytest.approx(290, abs=0.5)


def test_an_over_inked_cover_image_fails(tmp_path: Path) -> None:
    with pikepdf.open(_cover(tmp_path, "device-cmyk(0 0 0 0)", (250, 240, 240, 250))) as pdf:
        found = total_ink(pdf)
    assert found.status is Status.failed and found.value > 350


def test_rgb_cover_colours_count_as_the_build_converts_them(tmp_path: Path) -> None:
    with pikepdf.open(_cover(tmp_path, "rgb(10, 10, 10)")) as pdf:
        assert total_ink(pdf).value == pytest.approx(100 * 3 * 245 / 255, abs=1)


def test_a_wrap_made_for_another_page_count_fails(tmp_path: Path) -> None:
    with pikepdf.open(_cover(tmp_path, "white")) as pdf:
        assert wrap_size(pdf, (6.0, 9.0), 0).status is Status.passed  # 12 in: no spine
        assert wrap_size(pdf, (6.0, 9.0), 200).status is Status.failed
        del pdf.pages[0].obj["/TrimBox"]
        assert wrap_size(pdf, (6.0, 9.0), 0).where == ("the wrap has no TrimBox",)


# ---- the EPUB's cover in a browser --------------------------------------------------------

def _epub(tmp_path: Path, style: str) -> Path:
    picture = io.BytesIO()
    Image.new("RGB", (500, 800), (30, 30, 40)).save(picture, format="JPEG")
    path = tmp_path / "book.epub"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr("META-INF/container.xml", (
            "<?xml version='1.0'?><container version='1.0' xmlns='urn:oasis:names:tc:"
            "opendocument:xmlns:container'><rootfiles><rootfile full-path='EPUB/content.opf' "
            "media-type='application/oebps-package+xml'/></rootfiles></container>"))
        book.writestr("EPUB/content.opf", (
            "<?xml version='1.0'?><package xmlns='http://www.idpf.org/2007/opf' version='3.0'>"
            "<manifest><item id='cover' href='cover.xhtml' media-type='application/xhtml+xml'/>"
            "<item id='img' href='cover.jpg' media-type='image/jpeg'/></manifest>"
            "<spine><itemref idref='cover'/></spine></package>"))
        book.writestr("EPUB/cover.xhtml", (
            "<html xmlns='http://www.w3.org/1999/xhtml'><head><title>Cover</title><style>"
            f"{style}</style></head><body><img src='cover.jpg' alt='Cover'/></body></html>"))
        book.writestr("EPUB/cover.jpg", picture.getvalue())
    return path


needs_browser = pytest.mark.skipif(coverfit.browser() is None,
                                   reason="no Chromium (setup.sh installs it)")


@needs_browser
def test_a_cover_that_fits_passes(tmp_path: Path) -> None:
    style = ("html, body { margin: 0; height: 100%; } img { display: block; margin: 0 auto; "
             "height: 100vh; max-width: 100vw; object-fit: contain; }")
    found = coverfit.cover_fit(_epub(tmp_path, style))
    assert found.status is Status.passed, found.where


@needs_browser
def test_a_cover_that_scrolls_fails(tmp_path: Path) -> None:
    found = coverfit.cover_fit(_epub(tmp_path, "img { width: 500px; }"))
    assert found.status is Status.failed
    assert any("600x800" in where for where in found.where)


def test_without_a_browser_the_cover_check_did_not_run(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(coverfit, "browser", lambda: None)
    found = coverfit.cover_fit(_epub(tmp_path, ""))
    assert found.status is Status.not_run and "could not run" in found.figure


# ---- files: missing or stale, and the command line ---------------------------------------

def test_missing_and_stale_files_are_named_with_the_command_to_run(
        workspace: WorkspaceBuilder) -> None:
    workspace.volume("v1")
    workspace.review("first", "v1", appraisal=1)
    build = workspace.root / "build"
    build.mkdir()
    runner = CliRunner()
    result = runner.invoke(app, ["preflight", "--root", str(workspace.root), "-p", "kdp"])
    assert result.exit_code == 1  # asked for by name, and not built
    assert "v1: kdp not built, not checked: run anthology build v1 --print" in result.output
    (build / "v1-kdp.pdf").write_bytes(b"%PDF")
    (build / "v1-cover-kdp.pdf").write_bytes(b"%PDF")
    old = (workspace.root / "volumes" / "v1" / "first.md").stat().st_mtime - 60
    os.utime(build / "v1-kdp.pdf", (old, old))
    result = runner.invoke(app, ["preflight", "--root", str(workspace.root), "-p", "kdp"])
    assert result.exit_code == 1
    assert "build/v1-kdp.pdf is older than volumes/v1/" in result.output
    assert "v1-cover-kdp.pdf" not in result.output  # newer than the sources and the interior
    os.utime(build / "v1-kdp.pdf")
    os.utime(build / "v1-cover-kdp.pdf")
    result = runner.invoke(app, ["preflight", "--root", str(workspace.root), "-p", "kdp"])
    assert result.exit_code == 1
    assert result.output.startswith("error: build/v1-kdp.pdf could not be read (")
    assert "Traceback" not in result.output


def test_a_cover_older_than_its_interior_is_stale(workspace: WorkspaceBuilder) -> None:
    workspace.volume("v1")
    workspace.review("first", "v1", appraisal=1)
    out = workspace.root / "build"
    out.mkdir()
    for name in ("v1-ingram.pdf", "v1-cover-ingram.pdf"):
        (out / name).write_bytes(b"%PDF")
    later = (out / "v1-ingram.pdf").stat().st_mtime + 60
    os.utime(out / "v1-ingram.pdf", (later, later))
    from anthology.series.resolve import resolve_book
    from anthology.workspace.problems import Problems
    from anthology.workspace.volumes import load_workspace

    ws = load_workspace(workspace.root, Problems())
    volume = ws.volume("v1")
    subject = press.Subject(resolve_book(ws, volume, Problems()), press.sources(ws))
    found = press.stale([subject], [Profile.ingram], out)
    assert [(s.path.name, s.older_than) for s in found] == [
        ("v1-cover-ingram.pdf", out / "v1-ingram.pdf")]
    assert found[0].command == ("build", "v1", "--print")


def test_what_is_not_built_is_listed_and_what_is_built_is_checked(
        workspace: WorkspaceBuilder) -> None:
    """Right after `anthology build`, preflight checks the digital edition and lists the
    printers' files as not built: exit 0, since no check failed (issue 19)."""
    workspace.volume("v1")
    workspace.review("first", "v1", appraisal=1)
    runner = CliRunner()
    root = str(workspace.root)
    assert runner.invoke(app, ["build", "-j", "1", "--root", root]).exit_code == 0
    result = runner.invoke(app, ["preflight", "--root", root])
    assert "v1: kdp, ingram not built, not checked: run anthology build v1 --print" in \
        result.output
    assert "v1, digital: v1.pdf" in result.output
    assert "kdp:" not in result.output.split("not checked")[1]
    as_json = runner.invoke(app, ["preflight", "--root", root, "--format", "json"])
    data = json.loads(as_json.stdout)
    failed = data["summary"]["fail"]
    assert result.exit_code == as_json.exit_code == (1 if failed else 0), result.output
    assert data["not_built"] == [{"volume": "v1", "profiles": ["kdp", "ingram"],
                                  "command": "anthology build v1 --print"},
                                 {"volume": "v1", "profiles": ["store editions"],
                                  "command": "anthology build v1 --stores"}]
    assert "v1: store editions not built, not checked: run anthology build v1 --stores" in \
        result.output
    assert {row["profile"] for row in data["rows"]} == {"digital"}
    digital = runner.invoke(app, ["preflight", "--root", root, "--profile", "digital"])
    assert digital.exit_code == result.exit_code, digital.output  # the editions are optional
    nothing = runner.invoke(app, ["preflight", "--root", root, "--out",
                                  str(workspace.root / "elsewhere")])
    assert nothing.exit_code == 1 and "builds nothing" in nothing.output
