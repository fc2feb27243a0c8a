"""Read a built PDF back as a reader sees it: each page's lines of text, with their size and
place, and the page's boxes. Preflight judges the typesetting from these.

A press interior embeds its fonts whole, and WeasyPrint then gives ligatures and small
capitals no text mapping: such a glyph reads back as U+FFFD, one character each, so lengths and
line ends can still be measured where the words cannot be read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

UNMAPPED = "\ufffd"
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points, PDF coordinates


@dataclass(frozen=True)
class Line:
    """One line of text, in points from the page's top-left corner."""

    text: str
    size: float  # the commonest glyph size on the line
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(frozen=True)
class PageText:
    number: int  # 1-based, the PDF's own order
    width: float
    height: float
    lines: tuple[Line, ...]
    media: Box
    trim: Box | None
    bleed: Box | None


def _box(page: object, key: str) -> Box | None:
    value = page.page_obj.attrs.get(key)  # type: ignore[attr-defined]
    if value is None:
        return None
    from pdfminer.pdftypes import resolve1

    numbers = [float(resolve1(v)) for v in resolve1(value)]
    return (numbers[0], numbers[1], numbers[2], numbers[3]) if len(numbers) == 4 else None


def _text(char: dict) -> str:
    text = char["text"]
    if text.startswith("(cid:"):
        return UNMAPPED
    return " " if text.isspace() else text


def _lines(chars: list[dict]) -> Iterator[Line]:
    """Glyphs sharing a baseline (within a third of their size) make a line, left to right."""
    glyphs = sorted(chars, key=lambda c: (round(c["bottom"], 1), c["x0"]))
    rows: list[list[dict]] = []
    for char in glyphs:
        row = rows[-1] if rows else None
        if row is not None and abs(char["bottom"] - row[0]["bottom"]) <= row[0]["size"] / 3:
            row.append(char)
        else:
            rows.append([char])
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        text, last = "", None
        for char in row:
            piece = _text(char)
            if last is not None and piece != " " and not text.endswith(" ") and (
                    char["x0"] - last["x1"] > 0.15 * char["size"]):
                text += " "
            text += piece
            last = char
        visible = [c for c in row if c["text"].strip()]
        if not visible:
            continue
        size = Counter(round(c["size"], 2) for c in visible).most_common(1)[0][0]
        yield Line(" ".join(text.split()), size, min(c["x0"] for c in visible),
                   max(c["x1"] for c in visible), min(c["top"] for c in visible),
                   max(c["bottom"] for c in visible))


def read_pages(path: Path, progress: Callable[[int, int], None] | None = None
               ) -> list[PageText]:
    """Every page's lines and boxes; `progress(done, total)` after each page."""
    import pdfplumber

    pages = []
    with pdfplumber.open(path) as pdf:
        total = len(pdf.pages)
        for index, page in enumerate(pdf.pages):
            x0, y0, x1, y1 = (float(v) for v in page.page_obj.mediabox)
            media = (x0, y0, x1, y1)
            pages.append(PageText(index + 1, float(page.width), float(page.height),
                                  tuple(sorted(_lines(page.chars), key=lambda x: x.top)),
                                  media, _box(page, "TrimBox"), _box(page, "BleedBox")))
            page.close()
            if progress:
                progress(index + 1, total)
    return pages
