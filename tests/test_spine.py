"""Spine text (anthology.print.spine) and preflight's reading of it (anthology.preflight.spine):
only where the printer allows it, at least 0.0625 in from each fold, measured on the PDF."""

from __future__ import annotations

import dataclasses

import pytest
import weasyprint

from anthology.preflight.findings import Status
from anthology.preflight.spine import CHECK, measure, spine_row
from anthology.print.geometry import CaseWrap, CoverWrap, Jacket
from anthology.print.jacket import write_jacket
from anthology.print.pdf import Profile
from anthology.print.spine import LARGEST_PT, RULES, spine_text
from anthology.print.wrap import write_cover_wrap
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace

SIXTEENTH = 0.0625


@pytest.fixture(scope="module")
def book_and_theme(tmp_path_factory):
    from tests.conftest import WorkspaceBuilder

    ws = WorkspaceBuilder(tmp_path_factory.mktemp("spine") / "ws")
    ws.volume("v1", 'title = "Night Pieces"\nauthor = "Jonah Whitlock"\ndate = 2026-01-01\n'
                    '[series]\nname = "The Flicker Archive"\nnumber = 2\n')
    ws.review("a", appraisal=1, title="Nosferatu", year=1922)
    problems = Problems()
    workspace = load_workspace(ws.root, problems)
    return resolve_book(workspace, workspace.volumes[0], problems), Theme.for_workspace(ws.root)


@pytest.mark.parametrize(("profile", "pages"), [(Profile.kdp, 78), (Profile.kdp, 84),
                                                (Profile.ingram, 150)])
def test_a_thin_spine_carries_no_text(book_and_theme, tmp_path, profile, pages) -> None:
    # KDP: none under 79 pages, and at 84 (0.189 in) not even a numeral fits the band;
    # Ingram: none on a spine under 0.35 in (150 pages: 0.338 in).
    result = write_cover_wrap(*book_and_theme, tmp_path / "c.pdf", profile, pages, "white")
    assert result.spine.empty
    assert measure(result.path, result.wrap, SIXTEENTH).glyphs == 0
    row = spine_row(result.path, result.wrap, profile)
    assert (row.check, row.figure, row.status) == (CHECK, "no spine text", Status.passed)


def test_a_spine_between_keeps_only_the_volumes_numeral(book_and_theme, tmp_path) -> None:
    result = write_cover_wrap(*book_and_theme, tmp_path / "c.pdf", Profile.kdp, 96, "white")
    assert (result.spine.numeral, result.spine.title, result.spine.author) == ("II", None, None)
    found = measure(result.path, result.wrap, SIXTEENTH)
    assert found.glyphs == 2 and found.least >= SIXTEENTH


@pytest.mark.parametrize(("profile", "pages"), [(Profile.kdp, 108), (Profile.kdp, 400),
                                                (Profile.ingram, 160), (Profile.ingram, 600)])
def test_a_wide_spine_keeps_a_sixteenth_from_each_fold(book_and_theme, tmp_path, profile,
                                                       pages) -> None:
    result = write_cover_wrap(*book_and_theme, tmp_path / "c.pdf", profile, pages, "white")
    spine = result.spine
    assert (spine.numeral, spine.title, spine.author) == ("II", "Night Pieces", "Jonah Whitlock")
    found = measure(result.path, result.wrap, SIXTEENTH)
    assert found.glyphs == len("IINightPiecesJonahWhitlock")
    assert found.least >= SIXTEENTH
    assert abs(found.back - found.front) < 0.01  # the ink, not the line box, is centred
    assert spine_row(result.path, result.wrap, profile).status is Status.passed


def test_the_text_grows_with_the_spine_to_a_largest_size(book_and_theme) -> None:
    book, theme = book_and_theme
    sizes = [spine_text(book, Profile.kdp, CoverWrap((6, 9), pages, "white").spine_box, pages,
                        theme).size for pages in (108, 130, 200, 600)]
    assert sizes == sorted(sizes) and sizes[-1] == LARGEST_PT and sizes[0] < 8


def test_the_hardcovers_case_and_jacket_keep_their_spine_text_clear(book_and_theme,
                                                                    tmp_path) -> None:
    book, theme = book_and_theme
    pages = 400  # a case spine of 0.875 in
    case = write_cover_wrap(book, theme, tmp_path / "case.pdf", Profile.ingram_hardcover, pages)
    jacket = write_jacket(book, theme, tmp_path / "jacket.pdf", pages)
    for result, kind in ((case, CaseWrap), (jacket, Jacket)):
        assert isinstance(result.wrap, kind) and not result.spine.empty
        found = measure(result.path, result.wrap, SIXTEENTH)
        assert found.glyphs > 20 and found.least >= SIXTEENTH
        assert spine_row(result.path, result.wrap, Profile.ingram_hardcover).status \
            is Status.passed


def _hand_made(tmp_path, wrap: CoverWrap, offset: float) -> object:
    """A cover drawn by hand: the words set up the spine `offset` inches from its back fold."""
    spine = wrap.spine_box
    html = f"""<html><head><style>{wrap.css()} @page {{ margin: 0 }} body {{ margin: 0 }}
      div {{ position: absolute; font: 9pt serif; white-space: nowrap; line-height: 1;
             transform-origin: 0 0; transform: rotate(90deg);
             left: {spine.left + offset + 9 / 72}in; top: 2in; }}</style></head>
      <body><div>Night Pieces</div></body></html>"""
    path = tmp_path / "hand.pdf"
    weasyprint.HTML(string=html).write_pdf(path)
    return path


def test_the_row_fails_spine_text_too_near_a_fold(tmp_path) -> None:
    wrap = CoverWrap((6.0, 9.0), 200, "white")  # a 0.45 in spine
    near = spine_row(_hand_made(tmp_path, wrap, 0.02), wrap, Profile.kdp)
    assert near.status is Status.failed and near.value < SIXTEENTH
    assert "from a fold" in near.where[0]
    clear = spine_row(_hand_made(tmp_path, wrap, 0.15), wrap, Profile.kdp)
    assert clear.status is Status.passed and clear.value >= SIXTEENTH


def test_the_row_fails_text_on_a_spine_the_printer_allows_none(tmp_path) -> None:
    wrap = CoverWrap((6.0, 9.0), 150, "white")  # 0.338 in: KDP allows text, Ingram does not
    path = _hand_made(tmp_path, wrap, 0.1)
    assert spine_row(path, wrap, Profile.kdp).status is Status.passed
    ingram = spine_row(path, wrap, Profile.ingram)
    assert ingram.status is Status.failed and "IngramSpark allows none" in ingram.where[0]
    assert RULES[Profile.ingram].limit in ingram.limit


def test_a_volume_without_series_has_no_numeral(book_and_theme) -> None:
    book, theme = book_and_theme
    alone = dataclasses.replace(book, series=None)
    wide = CoverWrap((6, 9), 300, "white")
    assert spine_text(alone, Profile.kdp, wide.spine_box, 300, theme).numeral is None
    thin = CoverWrap((6, 9), 96, "white")  # only a numeral would fit, and there is none
    assert spine_text(alone, Profile.kdp, thin.spine_box, 96, theme).empty
