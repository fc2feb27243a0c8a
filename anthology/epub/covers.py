"""Covers: the volume's own art, or a typographic cover drawn with Pillow.

Two sizes: one inside the EPUB (under Apple's 4-megapixel limit) and a 1600 x 2560 JPEG for
store upload. The typographic cover is the print cover's front (cover-wrap.html and cover.css)
drawn as a bitmap: the same face, order, colours and rule, its sizes the print's shares of a
6 in front's width and its places the same shares of the height, so a reader who bought the
e-book knows the paperback. Drawn with the theme's own font so it looks the same on every
machine; the JPEG is a pure function of the book's words and the art, so builds stay
reproducible.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, features

from anthology.output import atomic_target
from anthology.series.book import Book
from anthology.series.pagemap import roman
from anthology.workspace.theme import Theme

EPUB_COVER = (1250, 2000)  # 2.5 megapixels: inside Apple's 4-megapixel limit
STORE_COVER = (1600, 2560)  # what KDP, Kobo and Apple ask for
BACKGROUND = (28, 24, 32)  # cover.css --cover-ground, --cover-ink, --cover-accent
INK = (236, 226, 204)
ACCENT = (176, 58, 46)
FONT_FILE = "EBGaramond12-Regular.otf"
ITALIC_FILE = "EBGaramond12-Italic.otf"
PRINT_WIDTH_PT = 432  # the print front these sizes are read from: 6 in
# Small capitals need the font's own (OpenType `smcp`), which Pillow reaches through libraqm.
SMALL_CAPS = features.check("raqm")


@dataclass(frozen=True)
class _Style:
    """One line style of cover.css: its size in points on the print front, tracking in em."""

    size_pt: float
    italic: bool = False
    tracking: float = 0.0
    small_caps: bool = False
    upper: bool = False
    colour: tuple[int, int, int] = INK


SERIES = _Style(14, tracking=0.12, upper=True)
VOLUME = _Style(15, colour=ACCENT)
TITLE = _Style(40)
SUBTITLE = _Style(15, italic=True)
AUTHOR = _Style(20, tracking=0.05, small_caps=True)
HEAD, RULE, FOOT = 0.13, 0.27, 0.13  # .front-head top, .front-text top, .front-author bottom
RULE_WIDTH_PT, RULE_PT, RULE_GAP_PT, SUBTITLE_GAP_PT = 93.6, 1.5, 32.4, 21.6  # 1.3, 0.45, 0.3 in
MARGIN = 0.25 / 6  # the print front's least side margin, as a share of its width


def _font(theme: Theme, size: float, italic: bool = False) -> ImageFont.FreeTypeFont:
    name = ITALIC_FILE if italic else FONT_FILE
    path = theme.find("fonts", name)
    if path is None:
        raise FileNotFoundError(f"the theme has no font '{name}' for the cover")
    return ImageFont.truetype(str(path), round(size))


class _Pen:
    """Draws cover.css's lines centred on an image whose width stands for the print front's."""

    def __init__(self, image: Image.Image, theme: Theme) -> None:
        self.draw, self.theme = ImageDraw.Draw(image), theme
        self.width, self.height = image.size
        self.scale = self.width / PRINT_WIDTH_PT  # pixels a print point

    def font(self, style: _Style) -> ImageFont.FreeTypeFont:
        return _font(self.theme, style.size_pt * self.scale, style.italic)

    def _features(self, style: _Style) -> list[str] | None:
        return ["smcp"] if style.small_caps and SMALL_CAPS else None

    def length(self, text: str, style: _Style) -> float:
        font, track = self.font(style), style.tracking * style.size_pt * self.scale
        if not track:
            return self.draw.textlength(text, font=font, features=self._features(style))
        return sum(self.draw.textlength(ch, font=font, features=self._features(style)) + track
                   for ch in text) - track

    def lines(self, text: str, style: _Style) -> list[str]:
        """`text` broken to the front's measure (its side margins kept)."""
        text = text.upper() if style.upper else text
        measure = self.width * (1 - 2 * MARGIN)
        lines: list[str] = []
        for word in text.split():
            if lines and self.length(f"{lines[-1]} {word}", style) <= measure:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        return lines

    def line(self, text: str, style: _Style, y: float, anchor: str = "la") -> None:
        font, track = self.font(style), style.tracking * style.size_pt * self.scale
        x = (self.width - self.length(text, style)) / 2
        pieces = list(text) if track else [text]
        for piece in pieces:
            self.draw.text((x, y), piece, font=font, fill=style.colour, anchor=anchor,
                           features=self._features(style))
            x += self.draw.textlength(piece, font=font, features=self._features(style)) + track

    def block(self, text: str, style: _Style, y: float, leading: float) -> float:
        """Draw `text`'s lines from `y` (their ascenders' top); the y below the last."""
        for text_line in self.lines(text, style):
            self.line(text_line, style, y)
            y += style.size_pt * self.scale * leading
        return y


def typographic_cover(book: Book, theme: Theme, size: tuple[int, int]) -> Image.Image:
    """The print cover's front: series and volume at the head, a short accent rule, title and
    subtitle, the author at the foot."""
    width, height = size
    image = Image.new("RGB", size, BACKGROUND)
    pen = _Pen(image, theme)
    if book.series:
        y = pen.block(book.series.name, SERIES, HEAD * height, 1.2)
        pen.block(f"Volume {roman(book.series.number)}", VOLUME,
                  y + 0.2 * VOLUME.size_pt * pen.scale, 1.2)
    rule = RULE * height
    half = RULE_WIDTH_PT * pen.scale / 2
    pen.draw.rectangle((width / 2 - half, rule, width / 2 + half,
                        rule + max(2, round(RULE_PT * pen.scale)) - 1), fill=ACCENT)
    y = pen.block(book.title, TITLE, rule + (RULE_PT + RULE_GAP_PT) * pen.scale, 1.1)
    if book.subtitle:
        pen.block(book.subtitle, SUBTITLE, y + SUBTITLE_GAP_PT * pen.scale, 1.2)
    pen.line(book.author, AUTHOR, height * (1 - FOOT), anchor="ld")
    return image


def cover(book: Book, theme: Theme, size: tuple[int, int]) -> Image.Image:
    """The volume's own art fitted to `size` (centred crop), or a typographic cover."""
    if book.cover is None:
        return typographic_cover(book, theme, size)
    with Image.open(book.cover.source) as art:
        return ImageOps.fit(art.convert("RGB"), size, Image.Resampling.LANCZOS)


def jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, optimize=True)
    return out.getvalue()


def epub_cover(book: Book, theme: Theme) -> bytes:
    return jpeg(cover(book, theme, EPUB_COVER))


def write_store_cover(book: Book, theme: Theme, target: Path) -> Path:
    """The 1600 x 2560 marketing cover that stores ask for beside the EPUB."""
    data = jpeg(cover(book, theme, STORE_COVER))
    with atomic_target(target) as temporary:
        temporary.write_bytes(data)
    return target
