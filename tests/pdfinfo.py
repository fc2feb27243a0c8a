"""Read back what print services check in a PDF: page sizes, fonts and their embedding."""

from __future__ import annotations

import functools
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


def text_extents(path: Path) -> list[TextExtent | None]:
    """For every page, the box around all its glyphs (None for a page without text)."""
    import pdfplumber

    extents: list[TextExtent | None] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            extents.append(TextExtent(min(c["x0"] for c in chars), max(c["x1"] for c in chars),
                                      min(c["top"] for c in chars),
                                      max(c["bottom"] for c in chars)) if chars else None)
    return extents


@functools.cache
def body_and_margin_chars(path: Path, top: float, bottom: float) -> list[tuple[int, int]]:
    """Per page: glyphs inside the text block, and glyphs in the top and bottom margins
    (running heads, folios). `top` and `bottom` are the margins in points. Kept per file: the
    print tests read the same interiors several times, and the files do not change."""
    import pdfplumber

    counts = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            body = [c for c in chars
                    if c["top"] >= top - 1 and c["bottom"] <= page.height - bottom + 1]
            counts.append((len(body), len(chars) - len(body)))
    return counts
