"""What a cover's spine carries: the printers' rules for spine text, and the text set to them.

A printer folds a cover to within a sixteenth of an inch, so the spine's text keeps that far
from each fold, and a spine too thin to leave a band between them carries none:
- KDP: spine text only on a book of 79 pages or more, and 0.0625 in from each fold (KDP's
  paperback cover guidelines).
- IngramSpark (the paperback, the hardcover's case and its jacket): Lightning Source allows a
  1/16 in (0.0625 in) shift in production and warns that text on a spine narrower than
  0.35 in (9 mm) may move off it ("Guide for Acceptable Variations in Production").
Within the band, the text is set as a designer would: the volume's numeral (a series volume),
title and author, as large as the band allows up to `LARGEST_PT`; smaller words than
`LEAST_WORDS_PT` would not be read, so the author goes, then the title, leaving the numeral
alone (at `LEAST_NUMERAL_PT` or more), then nothing. The sizes come from the glyphs' own
outlines in the theme's font, and the text is moved so that its ink, not its line box, sits in
the middle of the spine. Preflight measures the result (anthology.preflight.spine).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from anthology.editions import Profile
from anthology.print.geometry import POINTS, SPINE_TEXT_FROM, Box
from anthology.series.book import Book
from anthology.series.pagemap import roman
from anthology.workspace.theme import Theme

FONT_FILE = "EBGaramond12-Regular.otf"  # the cover's face (cover.css)
LARGEST_PT = 12.0
LEAST_WORDS_PT = 7.0
LEAST_NUMERAL_PT = 6.0
SPARE = 0.01  # inches kept beyond the printer's clearance: rounding, anti-aliasing
HEAD = 0.5  # inches kept clear at the spine's head and foot
GAP_EM = 1.5  # between the numeral, the title and the author
AUTHOR_TRACKING = 0.05  # em, the author's letter-spaced small capitals (cover.css)


@dataclass(frozen=True)
class SpineRule:
    """A printer's rule for spine text: none under `least_pages` pages or on a spine narrower
    than `least_width` inches; `clearance` inches from each fold."""

    printer: str
    least_pages: int = 0
    least_width: float = 0.0
    clearance: float = 0.0625

    def allows(self, pages: int, width: float) -> bool:
        return pages >= self.least_pages and width >= self.least_width - 1e-9

    @property
    def limit(self) -> str:
        where = (f"none under {self.least_pages} pages" if self.least_pages else
                 f"none on a spine under {self.least_width:g} in")
        return f"{self.printer}: at least {self.clearance:g} in from each fold; {where}"


_INGRAM = SpineRule("IngramSpark", least_width=0.35)
RULES = {Profile.kdp: SpineRule("KDP", least_pages=SPINE_TEXT_FROM), Profile.ingram: _INGRAM,
         Profile.ingram_hardcover: _INGRAM}


@dataclass(frozen=True)
class SpineText:
    """The spine's words (each None when left off) at `size` points; `shift` (inches, toward
    the front) puts their ink in the middle of the spine. `ink` is its width across the spine,
    in inches."""

    size: float = 0.0
    numeral: str | None = None
    title: str | None = None
    author: str | None = None
    shift: float = 0.0
    ink: float = 0.0

    @property
    def empty(self) -> bool:
        return not (self.numeral or self.title or self.author)


@dataclass(frozen=True)
class _Face:
    """The font's outlines, read once: each glyph's advance and vertical ink extent."""

    path: Path

    @property
    def font(self) -> TTFont:
        return _open(self.path)

    def glyphs(self, text: str, small_caps: bool = False) -> list[str]:
        cmap, swap = self.font.getBestCmap(), _small_caps(self.path) if small_caps else {}
        names = [cmap.get(ord(ch)) for ch in text if not ch.isspace()]
        return [swap.get(n, n) for n in names if n is not None]

    def ink(self, names: list[str]) -> tuple[float, float]:
        """The lowest and highest ink of `names`, in em above the baseline."""
        bounds = [_bounds(self.path, n) for n in names]
        upm = self.font["head"].unitsPerEm
        return (min(b[0] for b in bounds) / upm, max(b[1] for b in bounds) / upm) if bounds \
            else (0.0, 0.0)

    def advance(self, text: str, small_caps: bool = False, tracking: float = 0.0) -> float:
        """The width of `text` in em (kerning left out: it only narrows a line)."""
        hmtx, upm = self.font["hmtx"], self.font["head"].unitsPerEm
        names = self.glyphs(text, small_caps)
        spaces = sum(ch.isspace() for ch in text)
        return (sum(hmtx[n][0] for n in names) / upm + 0.25 * spaces
                + tracking * (len(names) + spaces))

    @property
    def baseline(self) -> float:
        """How far below the middle of a line box the baseline lies, in em (CSS centres the
        font's ascent and descent in the line)."""
        hhea = self.font["hhea"]
        return (hhea.ascent + hhea.descent) / 2 / self.font["head"].unitsPerEm


@cache
def _open(path: Path) -> TTFont:
    return TTFont(str(path), lazy=True)


@cache
def _bounds(path: Path, name: str) -> tuple[float, float]:
    glyphs = _open(path).getGlyphSet()
    pen = BoundsPen(glyphs)
    glyphs[name].draw(pen)
    return (pen.bounds[1], pen.bounds[3]) if pen.bounds else (0.0, 0.0)


@cache
def _small_caps(path: Path) -> dict[str, str]:
    """The font's `smcp` single substitutions: a lower-case glyph to its small capital."""
    font, swap = _open(path), {}
    gsub = font["GSUB"].table if "GSUB" in font else None
    for record in gsub.FeatureList.FeatureRecord if gsub else ():
        if record.FeatureTag != "smcp":
            continue
        for index in record.Feature.LookupListIndex:
            for table in gsub.LookupList.Lookup[index].SubTable:
                table = getattr(table, "ExtSubTable", table)
                swap.update(getattr(table, "mapping", {}) or {})
    return swap


def _face(theme: Theme) -> _Face:
    path = theme.find("fonts", FONT_FILE)
    if path is None:
        raise FileNotFoundError(f"the theme has no font '{FONT_FILE}' for the cover")
    return _Face(Path(path))


def _fit(face: _Face, words: SpineText, band: float, length: float) -> SpineText:
    """`words` at the largest size their ink fits `band` and their run `length` (inches)."""
    names = [*face.glyphs(words.numeral or ""), *face.glyphs(words.title or ""),
             *face.glyphs(words.author or "", small_caps=True)]
    low, high = face.ink(names)
    run = (face.advance(words.numeral or "") + face.advance(words.title or "")
           + face.advance(words.author or "", True, AUTHOR_TRACKING)
           + GAP_EM * (sum(w is not None for w in (words.numeral, words.title, words.author))
                       - 1))
    size = min(LARGEST_PT, band * POINTS / (high - low), length * POINTS / run)
    size = int(size * 4) / 4  # quarter points, rounded down
    # The ink's middle is (high + low) / 2 em above the baseline; line-box down is page left.
    shift = (face.baseline - (high + low) / 2) * size / POINTS
    return SpineText(size, words.numeral, words.title, words.author, round(shift, 4),
                     (high - low) * size / POINTS)


def spine_text(book: Book, profile: Profile, spine: Box, pages: int, theme: Theme
               ) -> SpineText:
    """What `profile`'s printer lets the spine `spine` (of an interior of `pages` pages)
    carry, at the size that keeps it inside the band between the folds."""
    rule = RULES[profile]
    if not rule.allows(pages, spine.width):
        return SpineText()
    face = _face(theme)
    band = spine.width - 2 * (rule.clearance + SPARE)
    length = spine.height - 2 * HEAD
    numeral = roman(book.series.number) if book.series else None
    for words, least in ((SpineText(0, numeral, book.title, book.author), LEAST_WORDS_PT),
                         (SpineText(0, numeral, book.title), LEAST_WORDS_PT),
                         (SpineText(0, numeral), LEAST_NUMERAL_PT)):
        if words.empty or band <= 0:
            continue
        fitted = _fit(face, words, band, length)
        if fitted.size >= least:
            return fitted
    return SpineText()
