"""Read a built PDF back as a reader sees it: each page's lines of text, with their size and
place, and the page's boxes. Preflight judges the typesetting from these.

Read with PDFium (fast, and it gives each glyph's size as drawn). A press interior embeds its
fonts whole, and WeasyPrint then gives small capitals and some ligatures no text mapping: such a
glyph reads back as U+FFFD (or as a stray character), one character each, so lengths and line
ends can still be measured where the words cannot be read.
"""

from __future__ import annotations

import ctypes
import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium

UNMAPPED = "\ufffd"


@dataclass(frozen=True)
class Line:
    """One line of text, in points from the page's top-left corner."""

    text: str
    size: float  # the commonest glyph size on the line
    x0: float
    x1: float
    top: float
    bottom: float
    # The gaps between the line's words as drawn (justification stretches them), and the
    # font's own word space where the file draws one (0 where it draws none), in points.
    spaces: tuple[float, ...] = ()
    space: float = 0.0

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(frozen=True)
class PageText:
    number: int  # 1-based, the PDF's own order
    width: float
    height: float
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class _Glyph:
    text: str  # one character; " " for a space
    size: float
    x0: float
    x1: float
    top: float  # of the font's box at this size, not of the ink: the same along a line
    bottom: float
    baseline: float
    spaced: bool  # the file sets a space before it
    space: float = 0.0  # that space glyph's own width, where the file draws one


def _glyphs(text_page: object, height: float) -> Iterator[_Glyph]:
    """The page's characters as drawn, each marked when the file sets a space before it."""
    handle = text_page.raw  # type: ignore[attr-defined]
    box = pdfium.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = pdfium.FS_MATRIX()
    spaced, space = False, 0.0
    for index in range(pdfium.FPDFText_CountChars(handle)):
        code = pdfium.FPDFText_GetUnicode(handle, index)
        text = chr(code)
        if pdfium.FPDFText_IsGenerated(handle, index) == 1:
            continue  # PDFium's guesses: it takes a letter-spaced word for several
        if code in (0x0A, 0x0D, 0xFFFE) or text.isspace():
            spaced = True
            if text == " ":  # a drawn space: its box is the font's advance, unstretched
                pdfium.FPDFText_GetLooseCharBox(handle, index, box)
                space = box.right - box.left
            continue
        if pdfium.FPDFText_HasUnicodeMapError(handle, index) == 1:
            text = UNMAPPED
        elif code == 0x02:
            text = "-"  # PDFium's mark for a hyphen (U+002D) that ends a line
        pdfium.FPDFText_GetLooseCharBox(handle, index, box)
        pdfium.FPDFText_GetCharOrigin(handle, index, x, y)
        pdfium.FPDFText_GetMatrix(handle, index, matrix)
        scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
        size = round(pdfium.FPDFText_GetFontSize(handle, index) * scale, 2)
        yield _Glyph(text, size, box.left, box.right, height - box.top, height - box.bottom,
                     height - y.value, spaced, space)
        spaced, space = False, 0.0


def _lines(glyphs: list[_Glyph]) -> Iterator[Line]:
    """Glyphs sharing a baseline (within a third of their size) make a line, left to right."""
    marks = sorted(glyphs, key=lambda g: (g.baseline, g.x0))
    rows: list[list[_Glyph]] = []
    for glyph in marks:
        row = rows[-1] if rows else None
        if row is not None and abs(glyph.baseline - row[0].baseline) <= max(row[0].size / 3,
                                                                            1):
            row.append(glyph)
        else:
            rows.append([glyph])
    for row in rows:
        row.sort(key=lambda g: g.x0)
        text, last, gaps, spaces = "", None, [], []
        for glyph in row:
            # A word space is a quarter of an em: a space glyph with next to no room (a
            # letter-spaced small capital's stray mapping) is no word break.
            gap = glyph.x0 - last.x1 if last is not None else 0.0
            if last is not None and gap > (0.05 if glyph.spaced else 0.2) * glyph.size:
                text += " "
                gaps.append(gap)
                if glyph.space > 0:
                    spaces.append(glyph.space)
            text += glyph.text
            last = glyph
        size = Counter(g.size for g in row).most_common(1)[0][0]
        yield Line(text, size, min(g.x0 for g in row), max(g.x1 for g in row),
                   min(g.top for g in row), max(g.bottom for g in row), tuple(gaps),
                   statistics.median(spaces) if spaces else 0.0)


def read_pages(path: Path, progress: Callable[[int, int], None] | None = None
               ) -> list[PageText]:
    """Every page's lines; `progress(done, total)` after each page."""
    pages = []
    pdf = pypdfium2.PdfDocument(path)
    try:
        total = len(pdf)
        for index in range(total):
            page = pdf[index]
            text_page = page.get_textpage()
            width, height = page.get_size()
            lines = sorted(_lines(list(_glyphs(text_page, height))), key=lambda x: x.top)
            pages.append(PageText(index + 1, width, height, tuple(lines)))
            text_page.close()
            page.close()
            if progress:
                progress(index + 1, total)
    finally:
        pdf.close()
    return pages
