"""Images a review shows: read once, whole, inside the workspace, and named by content."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, UnidentifiedImageError

from anthology.workspace import files

IMAGE_TYPES = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg"),
               "GIF": ("image/gif", "gif")}


@dataclass(frozen=True)
class Asset:
    """A file the book carries, named by its content so names are stable and never collide."""

    source: Path
    name: str
    media_type: str
    width: int
    height: int


def load_asset(path: Path, root: Path) -> Asset:
    """Read an image inside `root` once, whole, to learn its real type and size (the file
    name may lie) and to refuse one that is truncated or would decode to too many pixels."""
    data = files.read_bytes(path, (root,), files.IMAGE_BYTES)
    limit = f"the limit is {files.IMAGE_PIXELS // 1_000_000} million pixels"
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, size = image.format, image.size
            if size[0] * size[1] > files.IMAGE_PIXELS:
                raise files.Refused(f"is {size[0]} x {size[1]} pixels; {limit}")
            if kind in IMAGE_TYPES:
                image.verify()  # checksums: a cut-short PNG can decode without a word
        if kind in IMAGE_TYPES:
            _load_whole(data)
    except files.Refused:
        raise
    except Image.DecompressionBombError:
        raise files.Refused(f"would decode to too many pixels; {limit}") from None
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as exc:
        truncated = any(word in str(exc).lower() for word in ("truncated", "broken", "crc"))
        raise files.Refused("is damaged or cut short" if truncated
                            else "is not a PNG, JPEG or GIF image") from None
    if kind not in IMAGE_TYPES:
        raise files.Refused("is not a PNG, JPEG or GIF image")
    media_type, extension = IMAGE_TYPES[kind]
    name = f"{hashlib.sha256(data).hexdigest()[:16]}.{extension}"
    return Asset(path.resolve(), name, media_type, *size)


def _load_whole(data: bytes) -> None:
    """Decode every pixel, failing on a file cut short: WeasyPrint, once imported, tells
    Pillow to accept truncated images for the whole process, so say otherwise here."""
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
