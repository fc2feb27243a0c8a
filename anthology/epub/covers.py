"""Covers: the volume's own art, or a typographic cover drawn with Pillow.

Two sizes: one inside the EPUB (under Apple's 4-megapixel limit) and a 1600 x 2560 JPEG for
store upload. Drawn with the theme's own font so it looks the same on every machine; the JPEG
is a pure function of the book's words and the art, so builds stay reproducible.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from anthology.output import atomic_target
from anthology.series.book import Book
from anthology.series.pagemap import roman
from anthology.workspace.theme import Theme

EPUB_COVER = (1250, 2000)  # 2.5 megapixels: inside Apple's 4-megapixel limit
STORE_COVER = (1600, 2560)  # what KDP, Kobo and Apple ask for
BACKGROUND = (28, 24, 32)
INK = (236, 226, 204)
ACCENT = (176, 58, 46)
FONT_FILE = "EBGaramond12-Regular.otf"


def _font(theme: Theme, size: float) -> ImageFont.FreeTypeFont:
    path = theme.find("fonts", FONT_FILE)
    if path is None:
        raise FileNotFoundError(f"the theme has no font '{FONT_FILE}' for the cover")
    return ImageFont.truetype(str(path), round(size))


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont,
          width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _centred(draw: ImageDraw.ImageDraw, width: int, y: float, lines: list[str],
             font: ImageFont.FreeTypeFont, fill: tuple[int, int, int], leading: float) -> float:
    for line in lines:
        draw.text(((width - draw.textlength(line, font=font)) / 2, y), line, font=font,
                  fill=fill)
        y += font.size * leading
    return y


def typographic_cover(book: Book, theme: Theme, size: tuple[int, int]) -> Image.Image:
    """Series, volume number, title, subtitle and author on a plain field."""
    width, height = size
    unit = width / 100  # every measure is a share of the width, so any size looks the same
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    frame = round(4 * unit)
    draw.rectangle((frame, frame, width - frame, height - frame), outline=INK,
                   width=max(2, round(0.3 * unit)))
    measure = width - 20 * unit
    y = 0.12 * height
    if book.series:
        y = _centred(draw, width, y, [book.series.name.upper()], _font(theme, 4.6 * unit),
                     INK, 1.3)
        y = _centred(draw, width, y + unit, [f"Volume {roman(book.series.number)}"],
                     _font(theme, 5.2 * unit), ACCENT, 1.3)
    rule = y + 4 * unit
    draw.line((width / 2 - 11 * unit, rule, width / 2 + 11 * unit, rule), fill=ACCENT,
              width=max(2, round(0.35 * unit)))
    title = _font(theme, 10.5 * unit)
    y = _centred(draw, width, rule + 12 * unit, _wrap(draw, book.title, title, measure), title,
                 INK, 1.15)
    if book.subtitle:
        subtitle = _font(theme, 4.9 * unit)
        _centred(draw, width, y + 3 * unit, _wrap(draw, book.subtitle, subtitle, measure),
                 subtitle, INK, 1.3)
    _centred(draw, width, height - 0.2 * height, [book.author], _font(theme, 6.6 * unit),
             INK, 1.2)
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
