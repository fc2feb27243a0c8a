"""Which edition a PDF is, in its metadata: the ISBN a printer's or a distributor's tools read
from the file (XMP `dc:identifier` as a `urn:isbn:` and the document information's `ISBN`).

A printer's interior and cover are the paperback's; the `ingram-hardcover` profile's (its
interior, case and jacket) the hardcover's. The digital PDF names none: an ISBN names one
product in one format, the e-book's is the EPUB's, and the reading PDF is not sold as an
edition of its own.
"""

from __future__ import annotations

import pikepdf

from anthology.editions import Profile
from anthology.series.book import Book


def edition_isbn(book: Book, profile: Profile) -> str | None:
    """The ISBN of the edition a PDF of `profile` is printed as, if the volume names one."""
    if profile.hardcover:
        return book.isbn_hardcover
    return book.isbn_print if profile.is_print else None


def mark_isbn(pdf: pikepdf.Pdf, isbn: str | None) -> None:
    """Record `isbn` (13 digits) in the PDF's metadata; nothing without one. The XMP keeps
    everything else it had (PDF/X identity included), and no date or producer is added, so the
    same book gives the same bytes."""
    if not isbn:
        return
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:identifier"] = f"urn:isbn:{isbn}"
    pdf.docinfo[pikepdf.Name("/ISBN")] = pikepdf.String(isbn)
