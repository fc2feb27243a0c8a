"""Read back what print services check in a PDF: page sizes, fonts and their embedding."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

POINTS_PER_INCH = 72


@dataclass(frozen=True)
class FontInfo:
    name: str
    subtype: str
    embedded: bool


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
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[name] = FontInfo(name, subtype, embedded)
    return list(found.values())


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]
