"""Pages from shapes: a chapter, the front matter and a whole volume, at a trim.

Everything is counted in lines of body text. The page geometry is the one the print edition
uses (anthology.print.geometry): the body size and measure for the trim and the gutter of the
page count, so the text block of a 5 x 8 in book holds fewer lines of fewer characters than
a 6 x 9 in one. Each part is priced from the theme's spacing (print.css, book.css) and the
constants below were fitted to built books (docs/plan.md says how): a chapter opens on a
right-hand page, so a part of odd length costs a blank page more.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from anthology.planner.backmatter import NO_APPARATUS, Apparatus, appendix_pages
from anthology.planner.measure import Block, Shape
from anthology.print.geometry import BOTTOM, GUTTER_BANDS, POINTS, TOP, PageGeometry, gutter

LEADING = 1.35  # the body's line height (print.css)


@dataclass(frozen=True)
class Fit:
    """The constants fitted to built books (6 x 9 in and 5 x 8 in, the default theme), in
    lines of body text unless said otherwise."""

    em_per_char: float = 0.3760  # the mean advance of EB Garamond's text (narrowed spaces), in ems
    fill: float = 0.975  # of a page's lines that text fills (widows, kept blocks, evened spreads)
    head: float = 5.03  # the chapter's label, title and year, and their margins
    views: float = 1.27
    box: float = 1.63  # the fact box's rules and padding and the space after it
    fact: float = 0.96  # a line of the fact box
    value_em: float = 15.75  # the value column, in ems of the body
    jukebox: float = 2.30  # its title and the space after it
    track: float = 0.893
    heading: float = 2.77  # a heading in an essay, with its space
    gap: float = 0.75  # the space around a list or table
    quote: float = 2.11  # the space around a quotation
    image: float = 12.0
    ending: float = 1.63  # the signature
    judgement: float = 5.20
    guest: float = 4.13  # its heading, byline and the space before it
    related: float = 2.35
    related_item: float = 1.15
    contents_head: float = 7.0  # the contents page's heading
    contents_entry: float = 1.3
    matter_head: float = 7.5  # a foreword's or afterword's heading


FIT = Fit()


@dataclass(frozen=True)
class Page:
    """A page of text at one trim and gutter: the lines it holds and a line's characters."""

    lines: float
    chars: float
    measure_em: float  # the measure in ems of the body size
    geometry: PageGeometry

    @classmethod
    def at(cls, trim: tuple[float, float], pages: int = 300, fit: Fit = FIT) -> Page:
        geometry = PageGeometry(trim, False, gutter(pages))
        body = geometry.body_pt
        height = (trim[1] - TOP - BOTTOM) * POINTS
        measure = geometry.measure * POINTS / body
        return cls(height / (body * LEADING), measure / fit.em_per_char, measure, geometry)

    def wrap(self, chars: int, scale: float = 1.0, width_em: float | None = None) -> int:
        """Lines a text of `chars` characters takes at `scale` of the body size, in a column
        of `width_em` body ems (the measure when None)."""
        width = (width_em if width_em is not None else self.measure_em) / self.measure_em
        per_line = max(8.0, self.chars * width / scale)
        return max(1, math.ceil(chars / per_line))


def text_lines(blocks: Iterable[Block], page: Page, fit: Fit = FIT) -> float:
    """Body lines of running text; the first paragraph is set without an indent."""
    lines = 0.0
    indent = 1.2 / fit.em_per_char  # the paragraph indent, in characters
    for n, block in enumerate(blocks):
        kind = block.kind
        if kind == "p":
            lines += page.wrap(block.chars + (indent if n else 0))
        elif kind in ("h2", "h3"):
            lines += fit.heading + page.wrap(block.chars, 1.1) - 1
        elif kind == "quote":
            lines += fit.quote + page.wrap(block.chars, width_em=page.measure_em - 3)
        elif kind == "item":
            lines += page.wrap(block.chars, width_em=page.measure_em - 2.5)
        elif kind == "row":
            lines += 1.2 * page.wrap(block.chars, 0.9)
        elif kind == "code":
            lines += 1
        elif kind == "note":
            lines += 0.85 * page.wrap(block.chars, 0.85)
        elif kind == "gap":
            lines += fit.gap
        elif kind == "hr":
            lines += 2.5
        elif kind == "image":
            lines += fit.image
    return lines


def chapter_lines(shape: Shape, page: Page, fit: Fit = FIT) -> float:
    """A chapter's body lines: the opening (heading, fact box, jukebox), the essay, the
    judgement and signature, the guest essays and the "Read Also" list."""
    lines = fit.head + (fit.views if shape.views else 0)
    lines += 1.33 * (page.wrap(shape.heading, 1.5) - 1)  # a title too long for a line
    if shape.facts or shape.notes:
        lines += fit.box
        lines += fit.fact * sum(sum(page.wrap(c, 0.92, fit.value_em) for c in group)
                                for group in shape.facts)
        lines += fit.fact * sum(page.wrap(c, 0.92) for c in shape.notes)
    if shape.tracks:
        lines += fit.jukebox + fit.track * sum(
            page.wrap(c, 0.88, page.measure_em - 2) for c in shape.tracks)
    lines += text_lines(shape.essay, page, fit)
    lines += fit.ending + (fit.judgement if shape.judgement else 0)
    for guest in shape.guests:
        lines += fit.guest + text_lines(guest, page, fit)
    if shape.related:
        lines += fit.related + fit.related_item * len(shape.related)
    return lines


def pages_of(lines: float, page: Page, fit: Fit = FIT) -> int:
    return max(1, math.ceil(lines / (page.lines * fit.fill)))


def chapter_pages(shape: Shape, page: Page, fit: Fit = FIT) -> int:
    """The pages a chapter fills, before the blank that may follow it."""
    return pages_of(chapter_lines(shape, page, fit), page, fit)


def even(pages: int) -> int:
    return pages + pages % 2


@dataclass(frozen=True)
class Matter:
    """The author's own front and back matter of a volume, as blocks of text."""

    dedication: bool = False
    foreword: tuple[Block, ...] | None = None
    score_key: tuple[Block, ...] | None = None
    afterword: tuple[Block, ...] | None = None


def front_pages(shapes: Sequence[Shape], matter: Matter, appendices: int, page: Page,
                fit: Fit = FIT) -> int:
    """Half-title and its blank, title page and copyright, the dedication, the contents, the
    foreword and the key to the scores, each opening on a right-hand page; the body starts
    on a right-hand page too, so the front matter is always even."""
    pages = 4 + (2 if matter.dedication else 0)
    entries = sum(page.wrap(s.heading + 6) for s in shapes) + appendices \
        + 0.7 * sum(len(s.guests) for s in shapes) \
        + sum(1 for m in (matter.foreword, matter.score_key, matter.afterword) if m)
    pages += even(pages_of(fit.contents_head + fit.contents_entry * entries, page, fit))
    for text in (matter.foreword, matter.score_key):
        if text is not None:
            pages += even(pages_of(fit.matter_head + text_lines(text, page, fit), page, fit))
    return even(pages)


NO_MATTER = Matter()


@dataclass(frozen=True)
class Estimate:
    """A volume's pages: front matter, each chapter (with its blank), the back matter."""

    front: int
    chapters: tuple[int, ...]
    back: int
    laid_out: int = 0  # chapters whose pages a build gave

    @property
    def pages(self) -> int:
        return self.front + sum(self.chapters) + self.back


Known = Callable[[PageGeometry], Mapping[str, int]]


class Chapters:
    """Each chapter's pages at a page geometry, worked out once: a plan asks for the same
    review's pages many times as it fills volumes. `known` gives, for a geometry, the pages
    of the chapters a build laid out at it, which are used instead of the estimate."""

    def __init__(self, known: Known | None = None, fit: Fit = FIT) -> None:
        self.known, self.fit = known, fit
        self.memo: dict[tuple[str, PageGeometry], tuple[int, bool]] = {}
        self.back: dict = {}  # the back matter's lines of each review (backmatter.py)

    def pages(self, shape: Shape, page: Page) -> tuple[int, bool]:
        """The chapter's pages with the blank after an odd count, and whether a build gave
        them."""
        key = (shape.slug, page.geometry)
        if key not in self.memo:
            real = self.known(page.geometry).get(shape.slug) if self.known else None
            count = real or chapter_pages(shape, page, self.fit)
            self.memo[key] = (even(count), real is not None)
        return self.memo[key]


def estimate_volume(shapes: Sequence[Shape], trim: tuple[float, float],
                    apparatus: Apparatus = NO_APPARATUS, matter: Matter = NO_MATTER,
                    everything: Sequence[Shape] = (), chapters: Chapters | None = None
                    ) -> Estimate:
    """The print edition's page count (the kdp and ingram interiors'); `everything` is what
    a series index covers. The gutter follows the page count, which at narrow trims changes
    the measure: estimated again until the band settles."""
    chapters = chapters or Chapters()
    fit = chapters.fit
    guess = 300
    for _ in range(len(GUTTER_BANDS)):
        page = Page.at(trim, guess, fit)
        counted = [chapters.pages(s, page) for s in shapes]
        back = sum(appendix_pages(shapes, apparatus, page, everything, chapters.back).values())
        if matter.afterword is not None:
            back += even(pages_of(fit.matter_head + text_lines(matter.afterword, page, fit),
                                  page, fit))
        front = front_pages(shapes, matter, apparatus.count(shapes), page, fit)
        found = Estimate(front, tuple(c for c, _ in counted), back,
                         sum(1 for _, real in counted if real))
        if gutter(found.pages) == gutter(guess):
            return found
        guess = found.pages
    return found
