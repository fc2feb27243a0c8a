"""The hardcover's dust jacket (`<volume>-jacket-ingram-hardcover.pdf`): IngramSpark's
jacketed case laminate, whose jacket wraps the printed case (the same `CaseWrap` cover: Ingram
prints the case under a jacket too, so one case file serves both bindings).

The jacket is the case's design on a `Jacket` geometry: the same back, spine and front, panels
as wide as the boards plus their hinge, and a 3.25 in flap at each end folded round the boards:
the front flap carries the blurb (the volume's `description`, or the one made from its reviews)
under the hardcover's US price, the back flap `[jacket] flap_author`. The barcode is the
hardcover's, on the back panel.
"""

from __future__ import annotations

from pathlib import Path

from anthology.print.geometry import Jacket, Paper, check_hardcover_trim
from anthology.print.pdf import Profile
from anthology.print.wrap import WrapResult, check_page_count, render_cover
from anthology.series.book import Book
from anthology.workspace.theme import Theme

JACKET_TEMPLATE = "cover-jacket.html"
PROFILE = Profile.ingram_hardcover


def jacket_name(book: Book) -> str:
    return f"{book.slug}-jacket-{PROFILE.value}.pdf"


def jacket_geometry(book: Book, pages: int, paper: Paper | None = None) -> Jacket:
    check_hardcover_trim(book.trim)
    return Jacket(book.trim, pages, paper or book.paper)  # type: ignore[arg-type]


def write_jacket(book: Book, theme: Theme, target: Path, pages: int,
                 paper: Paper | None = None) -> WrapResult:
    """Write the dust jacket for a hardcover interior of `pages` pages."""
    paper = paper or book.paper  # type: ignore[assignment]
    check_page_count(pages, PROFILE, paper)  # type: ignore[arg-type]
    wrap = jacket_geometry(book, pages, paper)
    usd = book.price("hardcover", "USD")
    return render_cover(book, theme, target, PROFILE, wrap, JACKET_TEMPLATE,
                        price=f"${usd:.2f}" if usd is not None else None)
