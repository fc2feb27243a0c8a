"""Preview pages of the print edition as PNG images, so an author sees the layout without a
PDF viewer (or on a machine that has none)."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pypdfium2

from anthology.output import atomic_target
from anthology.print.pdf import Profile
from anthology.print.pieces import PieceCache, write_pieced
from anthology.series.book import Book
from anthology.workspace.theme import Theme

# A page number of more than nine digits is no page of any book (and int() of thousands of
# digits is an error of its own).
_RANGE = re.compile(r"^\s*([0-9]{1,9})\s*(?:-\s*([0-9]{1,9})\s*)?$")


class PageSpecError(ValueError):
    """A page list the author wrote that cannot be read."""


@dataclass(frozen=True)
class Pages:
    """The pages asked for, as the ranges written (1 = the PDF's first page): never expanded
    before the book's own count bounds them, so `1-100000000` costs nothing."""

    ranges: tuple[tuple[int, int], ...]

    @property
    def last(self) -> int:
        return max(last for _, last in self.ranges)

    def within(self, count: int) -> list[int]:
        """The pages, sorted, once the book is known to have `count` pages."""
        if self.last > count:
            beyond = min(max(first, count + 1) for first, last in self.ranges if last > count)
            raise PageSpecError(f"the book has {count} page{'' if count == 1 else 's'}; "
                                f"there is no page {beyond}")
        return sorted({page for first, last in self.ranges for page in range(first, last + 1)})


def parse_pages(spec: str) -> Pages:
    """'1-8', '3', '2,5,9-11': the pages asked for."""
    ranges = []
    for part in spec.split(","):
        match = _RANGE.match(part)
        if not match:
            raise PageSpecError(f"'{part.strip()[:40]}' is not a page or a range such as 1-8")
        first, last = int(match[1]), int(match[2] or match[1])
        if first < 1 or last < first:
            raise PageSpecError(f"'{part.strip()}' is not a range of pages from 1")
        ranges.append((first, last))
    return Pages(tuple(ranges))


def write_preview(book: Book, theme: Theme, folder: Path, pages: Pages,
                  profile: Profile = Profile.digital, dpi: int = 100,
                  cache: PieceCache | None = None) -> list[Path]:
    """Lay out the volume (reusing cached chapters) and write the chosen pages as
    `<volume>-p<NNN>.png`."""
    with tempfile.TemporaryDirectory(prefix="anthology-preview-") as tmp:
        pdf = write_pieced(book, theme, Path(tmp) / "book.pdf", profile,
                           cache or PieceCache(None))
        numbers = pages.within(pdf.pages)
        document = pypdfium2.PdfDocument(pdf.path)
        written = []
        try:
            for number in numbers:
                bitmap = document[number - 1].render(scale=dpi / 72)
                target = folder / f"{book.slug}-p{number:03d}.png"
                with atomic_target(target) as temporary:
                    bitmap.to_pil().save(temporary, format="PNG")
                written.append(target)
        finally:
            document.close()
    return written
