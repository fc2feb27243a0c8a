"""Print geometry: trim sizes, margins by page count, bleed, spine width and the cover wrap.

The numbers are the print-on-demand services' rules (KDP's gutter table, the 0.125 in bleed,
the spine per page for white and cream paper), kept in one place so the interior, the cover
and the tests agree.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal

from anthology.editions import TRIMS

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
# The build's warning and preflight's check read the same numbers. IngramSpark's hardcover:
# 18 pages for every binding (IngramSpark's FAQ), at most 1,200 in black and white ("Hardbacks
# Made Easy", Indie Author Magazine, on IngramSpark's hardcovers).
PAGE_LIMITS = {"kdp": (24, 828), "ingram": (18, 1200), "ingram-hardcover": (18, 1200)}
KDP_CREAM_MAX = 776
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
class Box:
    """A rectangle of a cover, in inches from the top-left corner of its trim."""

    left: float
    top: float
    width: float
    height: float

    @property
    def style(self) -> str:
        return (f"left: {self.left:.4f}in; top: {self.top:.4f}in; width: {self.width:.4f}in; "
                f"height: {self.height:.4f}in;")


class Panels:
    """What the cover template places, for every kind of cover: the back and front faces
    (what shows once bound; text keeps `safe` from their outer edges and `inner` from the
    spine side), the spine, the front's painted area (art fills it, bleed included), the
    flaps (a jacket's) and the barcode box, bottom right of the back face."""

    bleed: float
    safe: float
    barcode: tuple[float, float]
    pages: int
    paper: Paper
    trimmed: tuple[float, float]
    back_face: Box
    front_face: Box
    spine_box: Box
    inner: float
    flaps: tuple[Box, ...] = ()

    @property
    def size(self) -> tuple[float, float]:
        """The page: the trimmed cover with its bleed all round."""
        width, height = self.trimmed
        return width + 2 * self.bleed, height + 2 * self.bleed

    @property
    def spine(self) -> float:
        return self.spine_box.width

    @property
    def spine_text(self) -> bool:
        return self.pages >= SPINE_TEXT_FROM

    @property
    def front(self) -> Box:
        face, b = self.front_face, self.bleed
        right = self.trimmed[0] + b if not self.flaps else face.left + face.width
        return Box(face.left, -b, right - face.left, self.trimmed[1] + 2 * b)

    @property
    def barcode_left(self) -> float:
        face = self.back_face
        return face.left + face.width - self.inner - self.barcode[0]

    @property
    def barcode_top(self) -> float:
        face = self.back_face
        return face.top + face.height - self.safe - self.barcode[1]

    def css(self) -> str:
        width, height = self.trimmed
        return f"@page {{ size: {width:.4f}in {height:.4f}in; bleed: {self.bleed}in; }}\n"


@dataclass(frozen=True)
class CoverWrap(Panels):
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
    def trimmed(self) -> tuple[float, float]:  # type: ignore[override]
        """The cover once trimmed: back, spine and front (with bleed: + 0.25 in each way)."""
        return 2 * self.trim_width + self.spine, self.trim_height

    @property
    def back_face(self) -> Box:  # type: ignore[override]
        return Box(0.0, 0.0, self.trim_width, self.trim_height)

    @property
    def spine_box(self) -> Box:  # type: ignore[override]
        return Box(self.trim_width, 0.0, spine_width(self.pages, self.paper), self.trim_height)

    @property
    def front_face(self) -> Box:  # type: ignore[override]
        return Box(self.trim_width + self.spine, 0.0, self.trim_width, self.trim_height)

    @property
    def inner(self) -> float:  # type: ignore[override]
        return self.safe


# ---- IngramSpark hardcovers ---------------------------------------------------------------
# From IngramSpark's File Creation Guide (casebound cover and dust jacket setup, its trim
# matrix) and its Weight and Spine Width Calculator, as read for a 6 x 9 in book; the jacket's
# panel from an IngramSpark jacket template (5.5 x 8.5 in, 158 pages on creme: panels 5.9375 x
# 8.75 in, spine 0.5 in, flaps 3.25 in, 0.25 in between panel and flap).

# The trims Ingram binds as case laminate (and jacketed) of those anthology offers; 5.25 x 8 in
# and A5 are Ingram paperback trims only.
HARDCOVER_TRIMS = ("5x8", "5.5x8.5", "6x9", "6.14x9.21")
CASE_WRAP = 0.625  # on every outside edge, folded round the board (its outer 0.125 in bleed)
CASE_HINGE = 0.5  # between each board and the spine: nothing that matters goes there
CASE_BOARD = (-0.185, 0.25)  # the board, against the trim: 5 mm narrower, 1/4 in taller
JACKET_FLAP = 3.25
JACKET_TURN = 0.25  # round the board's edge, between each panel and its flap
JACKET_PANEL = (0.4375, 0.25)  # a jacket panel, against the trim
# Case spines by page count, as Ingram's calculator gives them (1/16 in steps, 0.25 in least);
# between these counts interpolated and rounded to the 1/16 in as it rounds; past the last,
# its slope continued. Confirm a new volume's with IngramSpark's cover template generator.
CASE_SPINE: dict[str, tuple[tuple[int, float], ...]] = {
    "cream": ((24, 0.25), (48, 0.25), (100, 0.375), (150, 0.5), (200, 0.625), (240, 0.6875),
              (300, 0.8125), (400, 1.0), (500, 1.25), (600, 1.5), (800, 1.9375)),
    "white": ((24, 0.25), (48, 0.25), (100, 0.3125), (150, 0.375), (200, 0.5), (240, 0.5625),
              (300, 0.6875), (400, 0.875), (500, 1.0625), (600, 1.3125), (800, 1.6875)),
}


class TrimError(ValueError):
    """A trim the printer does not bind in this binding."""


def trim_name(trim: tuple[float, float]) -> str:
    named = {size: name for name, size in TRIMS.items()}
    return named.get(tuple(trim), f"{trim[0]:g} x {trim[1]:g} in")  # type: ignore[arg-type]


def check_hardcover_trim(trim: tuple[float, float]) -> None:
    if trim_name(trim) not in HARDCOVER_TRIMS:
        raise TrimError(f"IngramSpark binds no hardcover at {trim_name(trim)}: its case "
                        f"laminate trims here are {', '.join(HARDCOVER_TRIMS)}")


def case_spine(pages: int, paper: Paper) -> float:
    """The case's spine (and its jacket's), in inches, from Ingram's table (CASE_SPINE)."""
    table = CASE_SPINE[paper]
    (low, below), (high, above) = table[0], table[1]
    for (a, wa), (b, wb) in itertools.pairwise(table):
        low, below, high, above = a, wa, b, wb
        if pages <= b:
            break
    inches = below + (above - below) * (pages - low) / (high - low)
    return max(table[0][1], round(inches * 16) / 16)


@dataclass(frozen=True)
class CaseWrap(Panels):
    """The case laminate cover: printed on one sheet, wrapped round the boards. Its trim is
    the sheet less its 0.125 in bleed, so the wrap's turn-in is CASE_WRAP - bleed."""

    trim: tuple[float, float]
    pages: int
    paper: Paper
    bleed: float = BLEED
    safe: float = SAFE
    barcode: tuple[float, float] = BARCODE

    @property
    def turn(self) -> float:
        return CASE_WRAP - self.bleed

    @property
    def board(self) -> tuple[float, float]:
        return self.trim[0] + CASE_BOARD[0], self.trim[1] + CASE_BOARD[1]

    @property
    def trimmed(self) -> tuple[float, float]:  # type: ignore[override]
        width, height = self.board
        return (2 * (self.turn + width + CASE_HINGE) + self.spine_box.width,
                2 * self.turn + height)

    @property
    def back_face(self) -> Box:  # type: ignore[override]
        width, height = self.board
        return Box(self.turn, self.turn, width + CASE_HINGE, height)

    @property
    def spine_box(self) -> Box:  # type: ignore[override]
        face = self.back_face
        return Box(face.left + face.width, self.turn, case_spine(self.pages, self.paper),
                   face.height)

    @property
    def front_face(self) -> Box:  # type: ignore[override]
        spine, back = self.spine_box, self.back_face
        return Box(spine.left + spine.width, self.turn, back.width, back.height)

    @property
    def inner(self) -> float:  # type: ignore[override]
        return CASE_HINGE + self.safe


@dataclass(frozen=True)
class Jacket(Panels):
    """The dust jacket: back flap, back, spine, front, front flap, with bleed all round."""

    trim: tuple[float, float]
    pages: int
    paper: Paper
    bleed: float = BLEED
    safe: float = SAFE
    barcode: tuple[float, float] = BARCODE
    flap: float = JACKET_FLAP

    @property
    def panel(self) -> tuple[float, float]:
        return self.trim[0] + JACKET_PANEL[0], self.trim[1] + JACKET_PANEL[1]

    @property
    def trimmed(self) -> tuple[float, float]:  # type: ignore[override]
        width, height = self.panel
        return 2 * (self.flap + JACKET_TURN + width) + self.spine_box.width, height

    @property
    def back_face(self) -> Box:  # type: ignore[override]
        width, height = self.panel
        return Box(self.flap + JACKET_TURN, 0.0, width, height)

    @property
    def spine_box(self) -> Box:  # type: ignore[override]
        face = self.back_face
        return Box(face.left + face.width, 0.0, case_spine(self.pages, self.paper),
                   face.height)

    @property
    def front_face(self) -> Box:  # type: ignore[override]
        spine, back = self.spine_box, self.back_face
        return Box(spine.left + spine.width, 0.0, back.width, back.height)

    @property
    def flaps(self) -> tuple[Box, ...]:  # type: ignore[override]
        """The back flap (left, under the back cover) and the front flap (right)."""
        front = self.front_face
        height = self.panel[1]
        return (Box(0.0, 0.0, self.flap, height),
                Box(front.left + front.width + JACKET_TURN, 0.0, self.flap, height))

    @property
    def inner(self) -> float:  # type: ignore[override]
        return CASE_HINGE
