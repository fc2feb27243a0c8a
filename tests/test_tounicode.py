"""Text extracted from a print interior (fonts embedded whole) reads as it was written."""

from __future__ import annotations

import subprocess

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from anthology.print.pdf import Profile
from anthology.print.pieces import PieceCache, write_pieced
from anthology.print.tounicode import complete_to_unicode, glyph_texts
from anthology.workspace.theme import PACKAGE_THEME
from tests.test_pdf import book_and_theme

REGULAR = PACKAGE_THEME / "fonts" / "EBGaramond12-Regular.otf"


def test_feature_glyphs_get_the_text_they_replace() -> None:
    program = REGULAR.read_bytes()
    texts = glyph_texts(program)
    ids = {name: index for index, name in enumerate(TTFont(REGULAR).getGlyphOrder())}
    # EB Garamond joins "ft" and "fi" with contextual forms of the f (before a t, an i).
    assert texts[ids["f._asc"]] == "f" and texts[ids["f._i"]] == "f"
    # A small capital stands for the lower-case letter (smcp), not the capital (c2sc).
    assert texts[ids["a.sc"]] == "a"
    # A ligature the character map gives as a presentation form reads as its letters.
    assert texts[ids["uniFB00"]] == "ff" and texts[ids["uniFB03"]] == "ffi"
    assert texts[ids["A"]] == "A"


TITLE_TOML = """\
title = "After Midnight"
subtitle = "Fifty Afterthoughts"
author = "Jonah Whitlock"
language = "en"
date = 2026-03-01
"""


def extracted(path) -> str:
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True)
    return " ".join(run.stdout.split())


@pytest.mark.e2e
def test_kdp_interior_extracts_ligatures_and_small_capitals(workspace, tmp_path) -> None:
    workspace.volume(toml=TITLE_TOML)
    workspace.review("a", title="The Afterlife Office", appraisal=1,
                     body="Fifteen official staff shuffle after the coffin. " * 30
                     + "\n\nClifford waffles.\n")
    book, theme = book_and_theme(workspace)
    result = write_pieced(book, theme, tmp_path / "k.pdf", Profile.kdp, PieceCache(None), 1)
    text = extracted(result.path)
    assert "After Midnight" in text and "Fifty Afterthoughts" in text
    assert "The Afterlife Office" in text
    # The essay opens in small capitals; each of its words reads back whole.
    assert "Fifteen official staff shuffle after the coffin." in text
    assert "Clifford waffles." in text
    assert "Af er" not in text and "o cial" not in text and "\ufb00" not in text
    # Word for word the text of the digital edition, whose subset fonts map each glyph to the
    # text WeasyPrint drew it for.
    digital = write_pieced(book, theme, tmp_path / "d.pdf", Profile.digital, PieceCache(None),
                           1)
    assert text.split() == extracted(digital.path).split()
    # Done again, nothing changes: every glyph already has its text.
    with pikepdf.open(result.path) as pdf:
        assert complete_to_unicode(pdf) == 0
