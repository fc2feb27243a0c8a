"""A typographic cover, drawn with Pillow, for volumes that bring no cover art of their own.

Drawn with the theme's own font so it looks the same on every machine; JPEG output is a pure
function of the book's words, so builds stay reproducible.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from anthology.render import roman
from anthology.resolve import Book
from anthology.theme import Theme

# 2:3 at 1400 x 2100 px is 2.9 megapixels: inside Apple's 4-megapixel limit for covers.
COVER_SIZE = (1400, 2100)
BACKGROUND = (28, 24, 32)
INK = (236, 226, 204)
ACCENT = (176, 58, 46)
FONT_FILE = "EBGaramond12-Regular.otf"


def _font(theme: Theme, size: int) -> ImageFont.FreeTypeFont:
    path = theme.find("fonts", FONT_FILE)
    if path is None:
        raise FileNotFoundError(f"the theme has no font '{FONT_FILE}' for the cover")
    return ImageFont.truetype(str(path), size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont,
          width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _centred(draw: ImageDraw.ImageDraw, y: int, lines: list[str],
             font: ImageFont.FreeTypeFont, fill: tuple[int, int, int], leading: float) -> int:
    for line in lines:
        width = draw.textlength(line, font=font)
        draw.text(((COVER_SIZE[0] - width) / 2, y), line, font=font, fill=fill)
        y += int(font.size * leading)
    return y


def typographic_cover(book: Book, theme: Theme) -> bytes:
    """Series, volume number, title, subtitle and author on a plain field, as a JPEG."""
    image = Image.new("RGB", COVER_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    width, height = COVER_SIZE
    margin = 140
    draw.rectangle((60, 60, width - 60, height - 60), outline=INK, width=4)
    y = 260
    if book.series:
        y = _centred(draw, y, [book.series.name.upper()], _font(theme, 64), INK, 1.3)
        y = _centred(draw, y + 10, [f"Volume {roman(book.series.number)}"],
                     _font(theme, 72), ACCENT, 1.3)
    draw.line((width / 2 - 160, y + 60, width / 2 + 160, y + 60), fill=ACCENT, width=5)
    title_font = _font(theme, 150)
    y = _centred(draw, y + 200, _wrap(draw, book.title, title_font, width - 2 * margin),
                 title_font, INK, 1.15)
    if book.subtitle:
        sub_font = _font(theme, 68)
        _centred(draw, y + 50, _wrap(draw, book.subtitle, sub_font, width - 2 * margin),
                 sub_font, INK, 1.3)
    author_font = _font(theme, 92)
    _centred(draw, height - 420, [book.author], author_font, INK, 1.2)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, optimize=True)
    return out.getvalue()


def cover_image(book: Book, theme: Theme) -> bytes:
    """The volume's own cover as a JPEG, or a typographic one."""
    if book.cover is None:
        return typographic_cover(book, theme)
    return _as_jpeg(book.cover.source)


def _as_jpeg(path: Path) -> bytes:
    with Image.open(path) as image:
        picture = image.convert("RGB")
        if picture.width * picture.height > COVER_SIZE[0] * COVER_SIZE[1] * 1.36:
            picture.thumbnail((1600, 2400))
        out = io.BytesIO()
        picture.save(out, format="JPEG", quality=90, optimize=True)
        return out.getvalue()
