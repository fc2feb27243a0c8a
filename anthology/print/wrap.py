"""The print cover wrap: back, spine and front on one PDF page, sized from the interior.

The spine's width comes from the page count of the rendered interior (for the same profile,
since a print interior may end on an added blank page) and the paper; the whole page carries
0.125 in of bleed all round, and WeasyPrint records the trim in the PDF's TrimBox. The back
carries the paperback's ISBN barcode when the volume has one (anthology.print.barcode).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anthology.output import atomic_target
from anthology.print.barcode import paperback_barcode
from anthology.print.edition_id import edition_isbn
from anthology.print.geometry import CoverWrap, Paper
from anthology.print.pdf import (
    BOOK_BASE,
    COVER_ART,
    Fetcher,
    Profile,
    finish_file_for_press,
    lay_out,
    render_html,
)
from anthology.print.pressfile import KDP_CREAM_MAX, PAGE_LIMITS
from anthology.render.documents import edition_environment, render_template
from anthology.series.book import Book
from anthology.workspace.theme import Theme

COVER_TEMPLATE = "cover-wrap.html"
COVER_STYLESHEETS = {Profile.kdp: ("fonts.css", "cover.css"),
                     Profile.ingram: ("fonts.css", "cover.css", "cover-ingram.css")}


class PageCountError(ValueError):
    """A page count no printer of the profile binds: its cover would be meaningless (and
    one of 999,999,999 pages a PDF 2.25 million inches wide)."""


def most_pages(profile: Profile, paper: Paper) -> int:
    """The most pages `profile`'s printer binds on `paper` (anthology.print.pressfile)."""
    if profile is Profile.kdp and paper == "cream":
        return KDP_CREAM_MAX
    return PAGE_LIMITS[profile][1]


def check_page_count(pages: int, profile: Profile, paper: Paper) -> None:
    most = most_pages(profile, paper)
    if not 1 <= pages <= most:
        raise PageCountError(f"{profile.value} binds at most {most} pages on {paper} paper, "
                             f"not {pages}")


@dataclass(frozen=True)
class WrapResult:
    path: Path
    wrap: CoverWrap


def write_cover_wrap(book: Book, theme: Theme, target: Path, profile: Profile,
                     pages: int | None = None, paper: Paper | None = None) -> WrapResult:
    """Write the cover for `profile` (kdp or ingram); `pages` defaults to the interior's own
    rendered page count, `paper` to the volume's."""
    if not profile.is_print:
        raise ValueError("a cover wrap is for a print profile (kdp or ingram)")
    if pages is None:
        pages = len(lay_out(book, theme, profile).document.pages)
    paper = paper or book.paper  # type: ignore[assignment]
    check_page_count(pages, profile, paper)  # type: ignore[arg-type]
    wrap = CoverWrap(book.trim, pages, paper)  # type: ignore[arg-type]
    # Without an ISBN the box stays empty: KDP prints its own barcode there.
    html = render_template(
        edition_environment(theme, "print"), COVER_TEMPLATE, book=book, wrap=wrap,
        edition="print", back=book.back_cover.xhtml if book.back_cover else None,
        front_image=f"{BOOK_BASE}{COVER_ART}" if book.cover else None,
        barcode=paperback_barcode(book))
    fetcher = Fetcher.for_book(book, theme, "CMYK" if profile is Profile.ingram else None)
    document = render_html(html, theme, COVER_STYLESHEETS[profile], fetcher, wrap.css())
    with atomic_target(target) as temporary:
        document.write_pdf(temporary, full_fonts=True,
                           **({"pdf_variant": "pdf/x-1a"} if profile is Profile.ingram else {}))
        # Bleed all round: CSS did it. The cover names its edition's ISBN, as the interior.
        finish_file_for_press(temporary, theme, profile, None, isbn=edition_isbn(book, profile))
    return WrapResult(target, wrap)
