"""A print edition's page count, for the feed's extent and spine thickness: counted in the
printer's interior that `anthology build --print` wrote, or, when that file is missing or older
than the sources, taken from the layout the build recorded in its cache (kept only while it
was made from the sources as they are now). With neither, the count is left out: an estimate
in a distributor's catalogue is worse than none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from anthology.workspace.publishing import EditionKind

if TYPE_CHECKING:
    from anthology.print.pieces import PieceCache
    from anthology.series.book import Book
    from anthology.workspace.theme import Theme

# The interiors a printer binds each edition from, first choice first (as build names them:
# `<volume>-<profile>.pdf`). A hardcover's text block is Ingram's interior.
PRINTERS: dict[EditionKind, tuple[str, ...]] = {
    EditionKind.paperback: ("kdp", "ingram"),
    EditionKind.hardcover: ("ingram-hardcover", "ingram"),
}


class Unreadable(ValueError):
    """A built file that cannot be read: `path` is where it is."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class PageCount:
    """Every page of the interior; `front` the roman-numbered ones before page 1, where the
    PDF's page labels say; `source` where the count was read, for the report."""

    total: int
    front: int | None
    source: str

    @property
    def main(self) -> int | None:
        """The Arabic-numbered pages (ONIX's "main content page count", the highest folio)."""
        return None if self.front is None else self.total - self.front


def from_pdf(path: Path, source: str) -> PageCount:
    """Count the pages; the front matter from /PageLabels when it opens with a roman range
    followed by an Arabic one starting at 1 (as anthology numbers a book)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        total = len(pdf.pages)
        labels = pdf.Root.get("/PageLabels")
        front = None
        if labels is not None and "/Nums" in labels:
            nums = list(labels.Nums)
            ranges = [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
            if (len(ranges) >= 2 and ranges[0][0] == 0
                    and str(ranges[0][1].get("/S")) in ("/r", "/R")
                    and str(ranges[1][1].get("/S")) == "/D"
                    and int(ranges[1][1].get("/St", 1)) == 1):
                front = ranges[1][0]
    return PageCount(total, front, source)


def newest(paths: Sequence[Path]) -> float:
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def built(book: Book, kind: EditionKind, folder: Path, made_from: float,
          shown: str) -> PageCount | None:
    """From the printer's interior in `folder`, if there and not older than the newest
    source (`made_from`, a modification time); `shown` is how the folder is named. A file
    that is not a PDF is Unreadable."""
    import pikepdf

    for profile in PRINTERS.get(kind, ()):
        path = folder / f"{book.slug}-{profile}.pdf"
        if path.is_file() and path.stat().st_mtime >= made_from:
            try:
                return from_pdf(path, f"{shown}/{path.name}")
            except pikepdf.PdfError as exc:
                raise Unreadable(path, f"not a PDF this can read ({exc})") from exc
    return None


def cached(book: Book, kind: EditionKind, theme: Theme, cache: PieceCache
           ) -> PageCount | None:
    """From the layout a build recorded, while it was made from what the book is now."""
    from anthology.editions import Profile
    from anthology.print.series import book_digests, kept_layouts

    known = {p.value: p for p in Profile}
    for name in PRINTERS.get(kind, ()):
        profile = known.get(name)
        if profile is None:
            continue
        kept = kept_layouts(book_digests([book], theme, profile), profile, cache)
        if book.slug in kept:
            return PageCount(kept[book.slug].count, None, f"the {name} layout in the cache")
    return None
