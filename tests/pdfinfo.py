"""Read back what print services check in a PDF: page sizes, fonts and their embedding."""

from __future__ import annotations

import functools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

POINTS_PER_INCH = 72


@dataclass(frozen=True)
class FontInfo:
    name: str
    subtype: str
    embedded: bool
    size: int = 0  # bytes of the embedded font program


def page_sizes_in(path: Path) -> set[tuple[float, float]]:
    reader = PdfReader(path)
    return {(round(float(p.mediabox.width) / POINTS_PER_INCH, 3),
             round(float(p.mediabox.height) / POINTS_PER_INCH, 3)) for p in reader.pages}


def fonts_in(path: Path) -> list[FontInfo]:
    """Every font used on every page, with whether its program is inside the file."""
    reader = PdfReader(path)
    found: dict[str, FontInfo] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        fonts = resources.get_object().get("/Font")
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "?"))
            subtype = str(font.get("/Subtype"))
            if subtype == "/Type3":
                found[name] = FontInfo(name, subtype, True)
                continue
            descriptor = font.get("/FontDescriptor")
            if subtype == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            program = next((descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3")
                            if k in descriptor), None)
            size = len(program.get_object().get_data()) if program is not None else 0
            found[name] = FontInfo(name, subtype, program is not None, size)
    return list(found.values())


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


@dataclass(frozen=True)
class TextExtent:
    """Where a page's text lies, in points from the page's top-left corner."""

    left: float
    right: float
    top: float
    bottom: float


_PAGE = re.compile(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">')


@functools.cache
def _words(path: Path) -> tuple[tuple[float, tuple[tuple[float, float, float, float], ...]], ...]:
    """Per page: its height and the box of every word, in points from the top-left corner, as
    poppler's `pdftotext -bbox` reads them (boxes from the fonts' advances and ascents, not the
    ink, as a layout is measured; C speed, where pdfminer took seconds a volume). Kept per file:
    the print tests read the same interiors several times, and the files do not change."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return tuple((float(height), tuple(tuple(map(float, w)) for w in _WORD.findall(body)))
                 for height, body in _PAGE.findall(out))


def text_extents(path: Path) -> list[TextExtent | None]:
    """For every page, the box around all its words (None for a page without text)."""
    return [TextExtent(min(w[0] for w in words), max(w[2] for w in words),
                       min(w[1] for w in words), max(w[3] for w in words)) if words else None
            for _, words in _words(path)]


def body_and_margin_words(path: Path, top: float, bottom: float) -> list[tuple[int, int]]:
    """Per page: words inside the text block, and words in the top and bottom margins
    (running heads, folios). `top` and `bottom` are the margins in points."""
    counts = []
    for height, words in _words(path):
        body = [w for w in words if w[1] >= top - 1 and w[3] <= height - bottom + 1]
        counts.append((len(body), len(words) - len(body)))
    return counts
