"""The Bookland barcode on the back of a print cover: the EAN-13 of the edition's ISBN with the
five-digit price add-on, as vector bars in black ink alone.

The symbol is made by zxing-cpp (its writer is libzint), which encodes the EAN-5 add-on that
python-barcode lacks and writes SVG, inlined into the cover's HTML so WeasyPrint draws it as
paths, never a bitmap. The same library reads a symbol back for preflight (anthology.
preflight.barcode). The add-on follows the Bookland convention: 5 and the price in US cents for a
book with a suggested US price (59999 from $99.99 up), 90000 for one without.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from anthology.print.pdf import PRESS_INK
from anthology.series.book import Book

NO_PRICE = "90000"
HIGHEST = Decimal("99.99")  # and above: 59999 ("$99.99 or more")
# The symbol is 165 modules wide, quiet zones included (EAN-13, gap, EAN-5): 1.90 in at this
# module, within the 2 in box KDP and Ingram keep for it.
MODULE = 0.0115  # inches: 0.292 mm, 88.6% of the nominal 0.33 mm (80% is the least allowed)


def price_addon(usd: Decimal | None) -> str:
    """The EAN-5 add-on: "5" and the US price in cents (24.99 -> 52499), or 90000 without one."""
    if usd is None:
        return NO_PRICE
    cents = int(min(usd, HIGHEST) * 100)
    return f"5{cents:04d}"


@dataclass(frozen=True)
class Digits:
    """Human-readable digits, set by the cover's HTML in the theme's face (with lining figures,
    which SVG text cannot ask for) where zint puts them: a box `width` wide from `left`, its
    text aligned `align`, the top at `top` (inches from the symbol's top-left corner)."""

    text: str
    left: float
    top: float
    width: float
    align: str  # "left", "center" or "right"


@dataclass(frozen=True)
class Barcode:
    """What the cover prints: the ISBN (13 digits), its add-on, the bars as inline SVG and the
    digits under (and, the add-on's, over) them."""

    isbn: str
    addon: str
    svg: str
    digits: tuple[Digits, ...]
    width: float  # inches
    height: float
    digit_size: float  # inches

    @property
    def data(self) -> str:
        """What a scanner reads: the 13 digits, then the add-on's 5."""
        return self.isbn + self.addon


SVG = "http://www.w3.org/2000/svg"
# zint draws the bars 50 modules tall (guards 55), a truncated symbol; the nominal EAN-13 bar is
# 69.24 modules (22.85 mm at 100%). Every bar is lengthened by the difference, the digits under
# the bars moved down with them, so the symbol scans as a full-height one.
FULL_HEIGHT = 19
_BAR = re.compile(r"v(\d+)h")
_ALIGN = {"start": "left", "middle": "center", "end": "right"}
_DIGITS_BOX = 50  # modules: wide enough for six digits
BASELINE = 0.72  # em below the top of a line box of line-height 1 in EB Garamond


def paperback_barcode(book: Book) -> Barcode | None:
    """The paperback's barcode, or None when the volume names no paperback ISBN."""
    if not book.isbn_print:
        return None
    return barcode(book.isbn_print, price_addon(book.price("paperback", "USD")))


def barcode(isbn: str, addon: str) -> Barcode:
    """The EAN-13 of `isbn` (13 digits) with the EAN-5 `addon`, the bars as SVG in inches, drawn
    in `currentColor`, which the SVG's own colour sets to black ink alone (a PDF/X-1a press
    takes no RGB, and 100% K keeps the bars sharp on any press); the white behind them is the
    cover's barcode box."""
    import zxingcpp  # here: preflight reads add-ons (price_addon) without it

    symbol = zxingcpp.create_barcode(f"{isbn}+{addon}", zxingcpp.BarcodeFormat.ISBN)
    text = zxingcpp.write_barcode_to_svg(symbol, add_hrt=True)
    root = etree.fromstring(text[text.index("<svg"):].encode(),
                            etree.XMLParser(resolve_entities=False, no_network=True))
    modules = int(root.get("width"))
    rows = int(root.get("height")) + FULL_HEIGHT
    size = _size(root)
    digits: list[Digits] = []
    for element in list(root.iter()):
        element.attrib.pop("id", None)
        if element.tag == f"{{{SVG}}}text":
            digits.append(_digits(element))
        if element.tag in (f"{{{SVG}}}rect", f"{{{SVG}}}desc", f"{{{SVG}}}text"):
            element.getparent().remove(element)  # the white is the cover's box's
        elif element.tag == f"{{{SVG}}}path":
            element.set("d", _BAR.sub(lambda m: f"v{int(m[1]) + FULL_HEIGHT}h", element.get("d")))
        if element.get("fill") == "#000000":
            element.set("fill", "currentColor")
    width, height = modules * MODULE, rows * MODULE
    root.attrib.update({"color": PRESS_INK, "viewBox": f"0 0 {modules} {rows}",
                        "width": f"{width:.4f}in", "height": f"{height:.4f}in"})
    root.attrib.pop("version", None)
    return Barcode(isbn, addon, etree.tostring(root, encoding="unicode"), tuple(digits),
                   width, height, size * MODULE)


def _size(root: etree._Element) -> float:
    return max((float(t.get("font-size", "10")) for t in root.iter(f"{{{SVG}}}text")),
               default=10.0)


def _digits(element: etree._Element) -> Digits:
    """zint's text, at its baseline `y` and anchor `x` (modules), as a box the HTML sets."""
    size = float(element.get("font-size", "10"))
    x, y = float(element.get("x")), float(element.get("y"))
    if y > 20:  # under the bars, which are now longer; the add-on's digits stay above it
        y += FULL_HEIGHT
    align = _ALIGN[element.get("text-anchor", "start")]
    left = {"left": x, "center": x - _DIGITS_BOX / 2, "right": x - _DIGITS_BOX}[align]
    return Digits((element.text or "").strip(), round(left * MODULE, 4),
                  round((y - BASELINE * size) * MODULE, 4), _DIGITS_BOX * MODULE, align)
