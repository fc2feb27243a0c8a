"""Print geometry: trim sizes, margins by page count, bleed, spine width and the cover wrap.

The numbers are the print-on-demand services' rules (KDP's gutter table, the 0.125 in bleed,
the spine per page for white and cream paper), kept in one place so the interior, the cover
and the tests agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

POINTS = 72  # per inch

# KDP: the inside (gutter) margin grows with the page count.
GUTTER_BANDS: tuple[tuple[int, int, float], ...] = (
    (0, 150, 0.375),
    (151, 300, 0.5),
    (301, 500, 0.625),
    (501, 700, 0.75),
    (701, 828, 0.875),
)
MAX_PAGES = 828
MIN_PAGES = 24
# What each printer binds, first to last page: its published limits (KDP: 776 on cream paper).
# The build's warning and preflight's check read the same numbers.
PAGE_LIMITS = {"kdp": (24, 828), "ingram": (18, 1200)}
OUTSIDE = 0.625  # the least outside margin: KDP asks 0.5 in; room for the running head
TOP = 0.8
# The measure: about 65 characters of the book face a line (Bringhurst's 45-75, centred), as
# ems of the body size; the size is the largest from 10 to 12 pt that fits the trim.
MEASURE_EM = 25.0
BODY_PT = (10.0, 12.0)
INSIDE_SHARE = 0.45  # of the side margins; the two inside margins of a spread read as one
BOTTOM = 0.85
BLEED = 0.125
SPINE_PER_PAGE = {"white": 0.002252, "cream": 0.0025}
SPINE_TEXT_FROM = 79  # pages; thinner spines carry no text
BARCODE = (2.0, 1.2)  # inches, kept clear on the back cover

Paper = Literal["white", "cream"]


def gutter(pages: int) -> float:
    """The inside margin for a book of `pages` pages."""
    for low, high, inches in GUTTER_BANDS:
        if low <= pages <= high:
            return inches
    return GUTTER_BANDS[-1][2]


def next_gutter(inside: float, pages: int, tried: set[float]) -> float | None:
    """The inside margin to lay out at next, or None when the layout at `inside` (which gave
    `pages` pages) can stand. The margin and the count chase each other near a band's edge:
    a wider margin adds pages, which may ask for a wider one still, or the wider margin's
    pages fall back into a narrower band. A narrower margin than the count asks for is never
    allowed; a wider one always is. So a wider band is always tried, a narrower one once, and
    where they flip back and forth the wider margin stays: every layout settles."""
    wanted = gutter(pages)
    tried.add(inside)
    if wanted == inside or (wanted < inside and wanted in tried):
        return None
    return wanted


@dataclass(frozen=True)
class PageGeometry:
    """One interior page, in inches: the PDF page box, the body size and the margins of a
    text block set to the measure. `gutter` is the least inside margin the printer asks for
    at the book's page count; the inside margin is never less."""

    trim: tuple[float, float]
    bleed: bool
    gutter: float

    @property
    def size(self) -> tuple[float, float]:
        """KDP's bleed: 0.125 in wider (outside edge only) and 0.25 in taller."""
        width, height = self.trim
        return (width + BLEED, height + 2 * BLEED) if self.bleed else (width, height)

    @property
    def widest(self) -> float:
        """The widest text block the trim allows within the least margins."""
        return self.trim[0] - max(self.gutter, OUTSIDE) - OUTSIDE

    @property
    def body_pt(self) -> float:
        low, high = BODY_PT
        return round(min(high, max(low, self.widest * POINTS / MEASURE_EM)), 2)

    @property
    def measure(self) -> float:
        """The text block's width, in inches."""
        return min(self.widest, MEASURE_EM * self.body_pt / POINTS)

    @property
    def inside(self) -> float:
        sides = self.trim[0] - self.measure
        return round(max(self.gutter, sides * INSIDE_SHARE), 4)

    @property
    def outside(self) -> float:
        return round(self.trim[0] - self.measure - self.inside, 4) + (BLEED if self.bleed
                                                                         else 0)

    @property
    def top(self) -> float:
        return TOP + (BLEED if self.bleed else 0)

    @property
    def bottom(self) -> float:
        return BOTTOM + (BLEED if self.bleed else 0)

    def css(self) -> str:
        """The @page rules for this geometry; right pages have the gutter on the left."""
        width, height = self.size
        return (
            f":root {{ --body-size: {self.body_pt}pt; }}\n"
            f"@page {{ size: {width}in {height}in; margin: {self.top}in {self.outside}in "
            f"{self.bottom}in {self.inside}in; }}\n"
            f"@page :left {{ margin-left: {self.outside}in; margin-right: {self.inside}in; }}\n"
            f"@page :right {{ margin-left: {self.inside}in; margin-right: {self.outside}in; }}\n"
        )


def spine_width(pages: int, paper: Paper) -> float:
    return pages * SPINE_PER_PAGE[paper]


SAFE = 0.25  # text and the barcode stay this far inside the trim and the spine folds


@dataclass(frozen=True)
class CoverWrap:
    """The one-page cover: back, spine and front, with bleed all round (inches). Positions
    are measured from the top-left corner of the trim."""

    trim: tuple[float, float]
    pages: int
    paper: Paper
    bleed: float = BLEED
    safe: float = SAFE
    barcode: tuple[float, float] = BARCODE

    @property
    def trim_width(self) -> float:
        return self.trim[0]

    @property
    def trim_height(self) -> float:
        return self.trim[1]

    @property
    def spine(self) -> float:
        return spine_width(self.pages, self.paper)

    @property
    def trimmed(self) -> tuple[float, float]:
        """The cover once trimmed: back, spine and front."""
        return 2 * self.trim_width + self.spine, self.trim_height

    @property
    def size(self) -> tuple[float, float]:
        """With bleed: 2 x trim width + spine + 0.25 in, by trim height + 0.25 in."""
        width, height = self.trimmed
        return width + 2 * self.bleed, height + 2 * self.bleed

    @property
    def spine_text(self) -> bool:
        return self.pages >= SPINE_TEXT_FROM

    @property
    def barcode_left(self) -> float:
        """The barcode box sits at the bottom of the back cover, towards the spine."""
        return self.trim_width - self.safe - self.barcode[0]

    @property
    def barcode_top(self) -> float:
        return self.trim_height - self.safe - self.barcode[1]

    def css(self) -> str:
        width, height = self.trimmed
        return f"@page {{ size: {width:.4f}in {height:.4f}in; bleed: {self.bleed}in; }}\n"
