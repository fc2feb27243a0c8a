"""At most two hyphenated line ends in a row, in a WeasyPrint layout and in the built book."""

from __future__ import annotations

import itertools
import subprocess
from xml.etree import ElementTree

import pytest
import weasyprint

from anthology.print import hyphens
from anthology.print.pdf import Profile
from anthology.print.pieces import PieceCache, write_pieced
from tests.test_pdf import book_and_theme

LONG = ("understanding photographic extraordinarily cinematographer melancholic "
        "illumination characterisation unquestionable projectionist").split()


def long_words(count: int) -> str:
    return " ".join(itertools.islice(itertools.cycle(LONG), count))


def line_ends(document: weasyprint.Document) -> str:
    """'H' for a line ending in a hyphen, '.' otherwise; '|' between blocks."""
    return "|".join("".join("H" if hyphens._ends_hyphenated(line) else "." for line in run)
                    for run in hyphens.runs(document))


def narrow(text: str) -> weasyprint.HTML:
    return weasyprint.HTML(string=(
        '<html lang="en"><body><p style="hyphens: auto; width: 16em; font-size: 12pt; '
        f'text-align: justify">{text}</p><p>After.</p></body></html>'))


def letters(document: weasyprint.Document) -> str:
    """Every letter laid out, in order, without the hyphens hyphenation added."""
    text = "".join(t.text for page in document.pages  # the text, not the folios
                   for t in hyphens._text_boxes(page._page_box.children[0]))
    return "".join(text.replace("\u2010", "").split())


def test_a_third_hyphenated_line_end_is_laid_out_again() -> None:
    html = narrow(long_words(120))
    first = html.render()
    assert "HHH" in line_ends(first)  # the fixture does break three in a row
    document = hyphens.lay_out(html, html.render)
    ends = line_ends(document)
    assert "HHH" not in ends and ends.count("H") >= 10  # still hyphenated, two at most
    assert hyphens.third_breaks(document) == []
    # Only where the lines end has changed: every word is there, in order.
    assert letters(document) == letters(first)


def test_a_word_broken_at_its_own_hyphen_is_kept_whole() -> None:
    paragraph = ElementTree.fromstring("<p>a late-night show, <em>x</em> a late-night bus</p>")
    count = hyphens.protect(hyphens.Break(paragraph, "late-night", at_hyphen=True))
    assert count == 2
    spans = paragraph.findall("span")
    assert [s.text for s in spans] == ["late-night", "late-night"]
    assert all(s.get("style") == "white-space: nowrap" for s in spans)
    assert "".join(paragraph.itertext()) == "a late-night show, x a late-night bus"
    # Protected already: nothing more to do, so the layout rounds stop.
    assert hyphens.protect(hyphens.Break(spans[0], "late-night", at_hyphen=True)) == 0


def _page_ends(document: weasyprint.Document) -> list[bool]:
    """For each page but the last: does the last line of its text (not its folio) end in a
    hyphen?"""
    return [bool(lines) and hyphens._ends_hyphenated(lines[-1][1]) is not None
            for lines in (list(hyphens._lines(p._page_box.children[0]))
                          for p in document.pages[:-1])]


def test_no_word_is_broken_across_a_page_turn() -> None:
    """Pages of hyphenated text: wherever a page's last line ends in a hyphen, the word is
    laid out again whole (the reader would turn the leaf mid-word)."""
    paragraph = long_words(900)
    html = weasyprint.HTML(string=(
        '<html lang="en"><head><style>@page { size: 4in 3in; margin: 0.3in; @bottom-center { '
        'content: counter(page) } } p { hyphens: '
        f'auto; text-align: justify; orphans: 1; widows: 1 }}</style></head><body><p>{paragraph}'
        "</p></body></html>"))
    first = html.render()
    assert any(_page_ends(first)), "the fixture breaks no word at a page's foot"
    document = hyphens.lay_out(html, html.render)
    assert not any(_page_ends(document))
    assert letters(document) == letters(first)


def test_a_paragraphs_last_word_is_not_broken() -> None:
    """A last line that holds only the end of a hyphenated word ("diately.") is laid out
    again, the word whole."""
    for count in range(4, 80):
        html = narrow(long_words(count))
        first = html.render()
        if hyphens.turn_and_final_breaks(first) and not hyphens.third_breaks(first):
            break
    else:
        raise AssertionError("no paragraph of the fixture ends on a broken word")
    document = hyphens.lay_out(html, html.render)
    assert hyphens.turn_and_final_breaks(document) == []
    assert letters(document) == letters(first)


@pytest.mark.e2e
def test_the_built_interior_never_has_three_in_a_row(workspace, tmp_path) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1, body="\n\n".join(long_words(140) for _ in range(3)))
    book, theme = book_and_theme(workspace)
    result = write_pieced(book, theme, tmp_path / "k.pdf", Profile.kdp, PieceCache(None), 1)
    text = subprocess.run(["pdftotext", str(result.path), "-"], capture_output=True,
                          text=True, check=True).stdout
    ends = "".join("H" if line.rstrip().endswith(("\u2010", "-")) else "."
                   for line in text.splitlines())
    assert ends.count("H") >= 10 and "HHH" not in ends
