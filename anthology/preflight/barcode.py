"""Preflight's barcode row: the cover's barcode box read back as a scanner would.

With the edition's ISBN (the paperback's; the hardcover's on its case and jacket) the box must
hold a symbol that decodes (EAN-13 and its EAN-5 add-on) to that ISBN and the price add-on the
edition's US price gives: a cover left over from another ISBN or price fails. Without one, KDP
prints its own barcode there, so the box must be empty.
The box is rendered by PDFium at 300 dpi and decoded by zxing-cpp; without the decoder the row
is `not run`, never a pass.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2
from PIL import Image

from anthology.editions import Profile
from anthology.preflight.findings import Finding, Status
from anthology.print.barcode import price_addon
from anthology.print.geometry import CoverWrap, Panels
from anthology.series.book import Book

CHECK = "barcode"
DPI = 300
INSET = 2.0  # points inside the box's edges, clear of its anti-aliased border
WHITE = 245  # the least luminance that counts as the box's white


def _box(path: Path, wrap: Panels, inset: float = 0.0) -> Image.Image:
    """The barcode box of the cover at `path`, rendered (RGB)."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        page = pdf[0]
        width, height = page.get_size()
        left = (wrap.bleed + wrap.barcode_left) * 72 + inset
        top = (wrap.bleed + wrap.barcode_top) * 72 + inset
        right = left + wrap.barcode[0] * 72 - 2 * inset
        bottom = top + wrap.barcode[1] * 72 - 2 * inset
        bitmap = page.render(scale=DPI / 72,
                             crop=(left, height - bottom, width - right, top))
        return bitmap.to_pil().convert("RGB")
    finally:
        pdf.close()


def barcode_row(book: Book, path: Path, pages: int, profile: Profile = Profile.kdp,
                wrap: Panels | None = None) -> Finding:
    """The barcode box of the cover at `path` (of an interior of `pages` pages): `wrap` is its
    geometry (default: the paperback's wrap), `profile` says whose ISBN and price it bears."""
    wrap = wrap or CoverWrap(book.trim, pages, book.paper)  # type: ignore[arg-type]
    box = f"{wrap.barcode[0]:g} x {wrap.barcode[1]:g} in box"
    edition = "hardcover" if profile.hardcover else "paperback"
    isbn = book.isbn_hardcover if profile.hardcover else book.isbn_print
    if not isbn:
        image = _box(path, wrap, INSET)
        marked = sum(image.convert("L").histogram()[:WHITE])
        share = marked / (image.width * image.height)
        return Finding.judged(CHECK, "the box is empty" if not marked else
                              f"{share:.1%} of the box is marked", f"no ISBN: the {box} empty "
                              "for the printer's barcode", marked == 0, round(share * 100, 2))
    try:
        import zxingcpp
    except ImportError:
        return Finding(CHECK, "not read: zxing-cpp is not installed", f"ISBN {isbn}",
                       Status.not_run)
    addon = price_addon(book.price(edition, "USD"))
    found = zxingcpp.read_barcode(_box(path, wrap), formats=zxingcpp.BarcodeFormat.EAN13,
                                  ean_add_on_symbol=zxingcpp.EanAddOnSymbol.Read)
    limit = f"EAN-13 {isbn} + {addon} in the {box}"
    if found is None or not found.valid:
        return Finding.judged(CHECK, "no barcode could be read in the box", limit, False)
    read, read_addon = found.text[:13], found.extra.get("EanAddOn", "")
    figure = f"reads {read}" + (f" + {read_addon}" if read_addon else ", no add-on")
    return Finding.judged(CHECK, figure, limit, read == isbn and read_addon == addon)
