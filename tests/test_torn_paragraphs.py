"""Torn paragraphs: preflight's check, made to fail on small PDFs laid out by WeasyPrint, and
the WeasyPrint line-breaking bug that tore the samples' paragraphs, worked around."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import weasyprint
from weasyprint.layout import inline

from anthology.preflight.findings import Status
from anthology.preflight.pdftext import read_pages
from anthology.print import hyphens, linebreak
from tests.test_preflight import _html, _pdf, _prose, chapter, failing, findings

TORN = "torn paragraphs"
QUOTE_CSS = "blockquote p, blockquote + p { text-indent: 0; }"
RUN = "Films change as we change. On my previous three viewings"


def test_a_sound_chapter_has_no_torn_paragraph(tmp_path: Path) -> None:
    """Paragraph ends, indented paragraphs, a block quote and the flush-left paragraph after
    it, the fact box, the judgement and the signature: no tear."""
    essay = (f"<p>{_prose(2)}</p><p>Short.</p><p>{_prose(1)}</p>"
             f"<blockquote><p>{_prose(1)}</p><p>A quoted line.</p></blockquote>"
             f"<p>{_prose(3)}</p><p>{_prose(2)}</p>")
    path = _pdf(tmp_path, chapter(essay), css=QUOTE_CSS)
    found = findings(path)[TORN]
    assert failing(path) == set()
    assert (found.status, found.value, found.where) == (Status.passed, 0.0, ())


def test_a_forced_break_mid_paragraph_fails(tmp_path: Path) -> None:
    path = _pdf(tmp_path, chapter(f"<p>{_prose(2)} and so<br/>the light went on, as it "
                                  f"had for forty years. {_prose(2)}</p>"))
    found = findings(path)[TORN]
    assert failing(path) == {TORN}
    assert found.value == 1
    assert re.fullmatch(r"page \d: \u201c\u2026.*and so\u201d / \u201cthe light went on.*",
                        found.where[0])


def test_a_tear_at_the_foot_of_a_page_fails(tmp_path: Path) -> None:
    """The short line ends one page, the paragraph goes on flush left on the next."""
    words = [f"w{n:03d}" for n in range(700)]
    sound = _pdf(tmp_path, chapter(f"<p>{' '.join(words)}</p>"), "sound.pdf")
    foot = next(p for p in read_pages(sound) if p.number > 1 and len(p.lines) > 20)
    last = foot.lines[-2] if foot.lines[-1].text.isdigit() else foot.lines[-1]
    cut = words.index(last.text.split()[-3])  # three words go over with the break
    torn = " ".join(words[:cut]) + "<br/>" + " ".join(words[cut:])
    path = _pdf(tmp_path, chapter(f"<p>{torn}</p>"))
    assert findings(sound)[TORN].value == 0
    assert read_pages(path)[foot.number].lines[0].text.startswith(words[cut])  # overleaf
    where = findings(path)[TORN].where
    assert len(where) == 1 and where[0].startswith(f"page {foot.number}: ")
    assert f"{words[cut - 1]}\u201d / \u201c{words[cut]} " in where[0]


def test_a_narrow_block_of_short_lines_is_not_torn(tmp_path: Path) -> None:
    lines = "".join(f"the keeper's lamp {n}<br/>" for n in range(6))
    block = f"<p class='narrow' style='width: 2in; margin-top: 1em'>{lines}</p>"
    path = _pdf(tmp_path, chapter(block))
    assert findings(path)[TORN].value == 0


# ---- the WeasyPrint bug the samples showed ------------------------------------------------

def _measure(tmp_path: Path) -> float:
    """The width, in points, of `RUN` set in the tests' body type."""
    path = _pdf(tmp_path, f"<p style='text-indent: 0; text-align: left'>{RUN}</p>",
                "measure.pdf")
    return read_pages(path)[0].lines[0].width


def _lay_out_lines(tmp_path: Path, body: str, name: str, fixed: bool) -> list[str]:
    """The first two lines of `body`, laid out as the build lays out (with the fix) or by
    WeasyPrint alone."""
    html = weasyprint.HTML(string=_html(body))
    document = (hyphens.lay_out(html, html.render) if fixed else html.render())
    path = tmp_path / f"{name}-{fixed}.pdf"
    document.write_pdf(path)
    return [line.text for line in read_pages(path)[0].lines[:2]]


def _first_lines(tmp_path: Path, measure: float, fixed: bool) -> list[str]:
    """A paragraph whose run of text before a <cite> fits the measure only without the space
    that ends it."""
    body = (f"<p style='width: {measure:.2f}pt; text-indent: 0'>{RUN} <cite>Carnival of "
            "Souls</cite> was a ghost story. This time it felt more like a documentary "
            "about being removed from your own life.</p>")
    return _lay_out_lines(tmp_path, body, "cite", fixed)


def test_weasyprint_alone_tears_a_run_that_fits_but_for_its_space(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inline, "split_first_line", linebreak._ORIGINAL)
    measure = _measure(tmp_path) + 1.0  # a space is some 3 pt at 12 pt
    assert _first_lines(tmp_path, measure, fixed=False) == ["Films", RUN[6:]]


def test_the_build_sets_that_run_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inline, "split_first_line", linebreak._ORIGINAL)
    measure = _measure(tmp_path) + 1.0
    first, second = _first_lines(tmp_path, measure, fixed=True)
    assert (first, second[:17]) == (RUN, "Carnival of Souls")


def _bound_lines(tmp_path: Path, measure: float, fixed: bool) -> list[str]:
    """A paragraph whose last word, an inline element, is bound by a no-break space to the
    run before it (anthology.series.typeset; the span anthology.print.hyphens.protect makes),
    the run fitting the measure but not with the element."""
    body = (f"<p style='width: {measure:.2f}pt; text-indent: 0'>{RUN}\u00a0<span "
            "style='hyphens: manual'>coming</span>.</p>")
    return _lay_out_lines(tmp_path, body, "bound", fixed)


def test_weasyprint_alone_tears_a_run_bound_to_an_element_by_a_no_break_space(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inline, "split_first_line", linebreak._ORIGINAL)
    measure = _measure(tmp_path) + 6.0  # the run and its no-break space fit, not "coming."
    assert _bound_lines(tmp_path, measure, fixed=False)[0] == "Films"


def test_the_build_breaks_that_run_at_its_last_space(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inline, "split_first_line", linebreak._ORIGINAL)
    measure = _measure(tmp_path) + 6.0
    first, second = _bound_lines(tmp_path, measure, fixed=True)
    assert (first, second) == (RUN.rsplit(" ", 1)[0], "viewings coming.")



def _spaced_lines(tmp_path: Path, fixed: bool) -> list[str]:
    """A letter-spaced paragraph (as keeps sets one looser to fill a page) whose first line
    holds `RUN` only as Pango measures it: WeasyPrint adds the letter-spacing once more."""
    spaced = "letter-spacing: 0.02em"
    measured = _pdf(tmp_path, f"<p style='text-indent: 0; text-align: left; {spaced}'>{RUN}</p>",
                    "spaced.pdf")
    measure = read_pages(measured)[0].lines[0].width + 0.6
    body = (f"<p style='width: {measure:.2f}pt; text-indent: 0; {spaced}'>{RUN} and the rest "
            "of the sentence went on for a good while after it.</p>")
    return _lay_out_lines(tmp_path, body, "spaced", fixed)


def test_weasyprint_alone_keeps_one_word_of_a_letter_spaced_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inline, "split_first_line", linebreak._ORIGINAL)
    assert _spaced_lines(tmp_path, fixed=False)[0] == "Films"


def test_the_build_keeps_the_letter_spaced_line_pango_broke(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inline, "split_first_line", linebreak._ORIGINAL)
    assert _spaced_lines(tmp_path, fixed=True)[0] == RUN


def _name_breaks(tmp_path: Path, fixed: bool) -> list[str]:
    """Line ends that break a capitalised word, over a range of measures, in a justified
    paragraph with hyphenation on and names no markup protects."""
    names = ("Scarborough Wolverhampton Gottowt Salmonova Bradbury Castelnuovo "
             "Hilligoss Westmoreland Christensen")
    broken = []
    for width in range(150, 260, 9):
        body = (f"<p style='width: {width}pt; text-indent: 0; hyphens: auto; "
                f"hyphenate-limit-chars: 6 3 3; hyphenate-limit-zone: 0'>{_prose(1)} "
                f"{' and '.join(names.split())} {_prose(1)}</p>")
        html = weasyprint.HTML(string=_html(body))
        document = hyphens.lay_out(html, html.render) if fixed else html.render()
        path = tmp_path / f"names-{width}-{fixed}.pdf"
        document.write_pdf(path)
        broken += [x.text for x in read_pages(path)[0].lines
                   if x.text.endswith("\u2010") and x.text.split()[-1][:1].isupper()]
    return broken


def test_weasyprint_alone_hyphenates_names(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inline, "split_first_line", linebreak._ORIGINAL)
    assert _name_breaks(tmp_path, fixed=False)


def test_the_build_breaks_no_capitalised_word(tmp_path: Path) -> None:
    assert _name_breaks(tmp_path, fixed=True) == []
