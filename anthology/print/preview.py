"""Preview pages of the print edition as PNG images, so an author sees the layout without a
PDF viewer (or on a machine that has none)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pypdfium2

from anthology.output import atomic_target
from anthology.print.pdf import Profile
from anthology.print.pieces import PieceCache, write_pieced
from anthology.series.book import Book
from anthology.workspace.theme import Theme

_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


class PageSpecError(ValueError):
    """A page list the author wrote that cannot be read."""


def parse_pages(spec: str) -> list[int]:
    """'1-8', '3', '2,5,9-11' -> sorted page numbers (1 = the PDF's first page)."""
    pages: set[int] = set()
    for part in spec.split(","):
        match = _RANGE.match(part)
        if not match:
            raise PageSpecError(f"'{part.strip()}' is not a page or a range such as 1-8")
        first, last = int(match[1]), int(match[2] or match[1])
        if first < 1 or last < first:
            raise PageSpecError(f"'{part.strip()}' is not a range of pages from 1")
        pages.update(range(first, last + 1))
    return sorted(pages)


def write_preview(book: Book, theme: Theme, folder: Path, pages: list[int],
                  profile: Profile = Profile.digital, dpi: int = 100,
                  cache: PieceCache | None = None) -> list[Path]:
    """Lay out the volume (reusing cached chapters) and write the chosen pages as
    `<volume>-p<NNN>.png`."""
    with tempfile.TemporaryDirectory(prefix="anthology-preview-") as tmp:
        pdf = write_pieced(book, theme, Path(tmp) / "book.pdf", profile,
                           cache or PieceCache(None))
        beyond = [p for p in pages if p > pdf.pages]
        if beyond:
            raise PageSpecError(f"the book has {pdf.pages} pages; there is no page {beyond[0]}")
        document = pypdfium2.PdfDocument(pdf.path)
        written = []
        try:
            for number in pages:
                bitmap = document[number - 1].render(scale=dpi / 72)
                target = folder / f"{book.slug}-p{number:03d}.png"
                with atomic_target(target) as temporary:
                    bitmap.to_pil().save(temporary, format="PNG")
                written.append(target)
        finally:
            document.close()
    return written
