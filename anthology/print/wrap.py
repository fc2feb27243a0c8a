"""The print cover wrap: back, spine and front on one PDF page, sized from the interior.

The spine's width comes from the page count of the rendered interior (for the same profile,
since a print interior may end on an added blank page) and the paper; the whole page carries
0.125 in of bleed all round, and WeasyPrint records the trim in the PDF's TrimBox. A paperback's
wrap is `CoverWrap`; the hardcover's (`ingram-hardcover`) is the case laminate cover, `CaseWrap`,
wrapped round the boards; its dust jacket is anthology.print.jacket, drawn by the same template.
The back carries the edition's ISBN barcode when the volume names that ISBN; the spine what its
printer allows (anthology.print.spine).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from anthology.output import atomic_target
from anthology.print.barcode import Barcode, barcode, paperback_barcode, price_addon
from anthology.print.edition_id import edition_isbn
from anthology.print.geometry import (
    KDP_CREAM_MAX,
    PAGE_LIMITS,
    CaseWrap,
    CoverWrap,
    Panels,
    Paper,
    check_hardcover_trim,
)
from anthology.print.pdf import (
    BOOK_BASE,
    COVER_ART,
    Fetcher,
    Profile,
    finish_file_for_press,
    lay_out,
    render_html,
)
from anthology.print.spine import SpineText, spine_text
from anthology.render.documents import edition_environment, render_template
from anthology.series.book import Book
from anthology.workspace.theme import Theme

COVER_TEMPLATE = "cover-wrap.html"
_INGRAM = ("fonts.css", "cover.css", "cover-ingram.css")
COVER_STYLESHEETS = {Profile.kdp: ("fonts.css", "cover.css"), Profile.ingram: _INGRAM,
                     Profile.ingram_hardcover: _INGRAM}


class PageCountError(ValueError):
    """A page count no printer of the profile binds: its cover would be meaningless (and
    one of 999,999,999 pages a PDF 2.25 million inches wide)."""


def most_pages(profile: Profile, paper: Paper) -> int:
    """The most pages `profile`'s printer binds on `paper` (preflight checks the same)."""
    if profile is Profile.kdp and paper == "cream":
        return KDP_CREAM_MAX
    return PAGE_LIMITS[profile][1]


def check_page_count(pages: int, profile: Profile, paper: Paper) -> None:
    most = most_pages(profile, paper)
    if not 1 <= pages <= most:
        raise PageCountError(f"{profile.value} binds at most {most} pages on {paper} paper, "
                             f"not {pages}")


def cover_geometry(book: Book, profile: Profile, pages: int, paper: Paper | None = None
                   ) -> CoverWrap | CaseWrap:
    """The cover `profile` prints for an interior of `pages` pages: a hardcover's case (at a
    trim Ingram binds as one: TrimError otherwise) or a paperback's wrap."""
    paper = paper or book.paper  # type: ignore[assignment]
    if profile.hardcover:
        check_hardcover_trim(book.trim)
        return CaseWrap(book.trim, pages, paper)  # type: ignore[arg-type]
    return CoverWrap(book.trim, pages, paper)  # type: ignore[arg-type]


def cover_barcode(book: Book, profile: Profile) -> Barcode | None:
    """The edition's barcode: the hardcover's ISBN and hardcover US price for the hardcover,
    else the paperback's; None when the volume names no ISBN for that edition."""
    if profile.hardcover:
        if not book.isbn_hardcover:
            return None
        return barcode(book.isbn_hardcover, price_addon(book.price("hardcover", "USD")))
    return paperback_barcode(book)


@dataclass(frozen=True)
class WrapResult:
    path: Path
    wrap: Panels
    spine: SpineText = field(default_factory=SpineText)  # what the spine carries


def render_cover(book: Book, theme: Theme, target: Path, profile: Profile, wrap: Panels,
                 template: str = COVER_TEMPLATE, **extra: object) -> WrapResult:
    """Draw `wrap` (any cover's geometry) with `template` and write it as `profile`'s press
    file: PDF/X-1a for Ingram, fonts whole, the edition's ISBN in the metadata."""
    # Without an ISBN the box stays empty: KDP prints its own barcode there.
    spine = spine_text(book, profile, wrap.spine_box, wrap.pages, theme)
    html = render_template(
        edition_environment(theme, "print"), template, book=book, wrap=wrap,
        edition="print", back=book.back_cover.xhtml if book.back_cover else None,
        front_image=f"{BOOK_BASE}{COVER_ART}" if book.cover else None,
        barcode=cover_barcode(book, profile), spine=spine, **extra)
    fetcher = Fetcher.for_book(book, theme, "CMYK" if profile.pdfx else None)
    document = render_html(html, theme, COVER_STYLESHEETS[profile], fetcher, wrap.css())
    with atomic_target(target) as temporary:
        document.write_pdf(temporary, full_fonts=True,
                           **({"pdf_variant": "pdf/x-1a"} if profile.pdfx else {}))
        # Bleed all round: CSS did it. The cover names its edition's ISBN, as the interior.
        finish_file_for_press(temporary, theme, profile, None, isbn=edition_isbn(book, profile))
    return WrapResult(target, wrap, spine)


def write_cover_wrap(book: Book, theme: Theme, target: Path, profile: Profile,
                     pages: int | None = None, paper: Paper | None = None) -> WrapResult:
    """Write the cover for `profile` (kdp, ingram or the ingram-hardcover's case); `pages`
    defaults to the interior's own rendered page count, `paper` to the volume's."""
    if not profile.is_print:
        raise ValueError("a cover wrap is for a print profile (kdp, ingram, ingram-hardcover)")
    if profile.hardcover:
        check_hardcover_trim(book.trim)  # before a layout that would be thrown away
    if pages is None:
        pages = len(lay_out(book, theme, profile).document.pages)
    paper = paper or book.paper  # type: ignore[assignment]
    check_page_count(pages, profile, paper)  # type: ignore[arg-type]
    wrap = cover_geometry(book, profile, pages, paper)
    return render_cover(book, theme, target, profile, wrap)
