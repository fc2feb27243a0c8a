"""What the generators of hostile cases share (`hostile_links`, `hostile_payloads`). Each
generator gets the workspace (the base and the case's `ws/` already laid down) and a folder
outside it, where anything a symlink points to lives; `SECRET` marks text that must never
reach the output."""

from __future__ import annotations

import io
import os
import random
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from PIL import Image

SECRET = "OUTSIDE-THE-WORKSPACE-7f3a"
REVIEW = "---\ntitle: {title}\nappraisal: {appraisal}\n---\n\n{body}\n"
Generator = Callable[[Path, Path], None]
GENERATORS: dict[str, Generator] = {}
V1 = Path("volumes/v1")


def generator(function: Generator) -> Generator:
    GENERATORS[function.__name__] = function
    return function


def review(title: str = "Gamma", appraisal: int = 3, body: str = "An essay.") -> str:
    return REVIEW.format(title=title, appraisal=appraisal, body=body)


def write(root: Path, relative: str | Path, data: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        path.unlink()
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def link(root: Path, relative: str | Path, target: Path | str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        path.unlink()
    path.symlink_to(target)


def fifo(root: Path, relative: str | Path) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    os.mkfifo(path)


def png(width: int = 64, height: int = 64, noise: bool = False) -> bytes:
    image = Image.new("RGB", (width, height), (90, 90, 90))
    if noise:
        rng = random.Random(14)
        image.putdata([(rng.randrange(256),) * 3 for _ in range(width * height)])
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 64, height: int = 64) -> bytes:
    rng = random.Random(14)
    image = Image.new("RGB", (width, height))
    image.putdata([(rng.randrange(256), 80, 80) for _ in range(width * height)])
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A real, decodable 1-bit PNG of width x height pixels: a few hundred KB that expand to
    gigabytes of pixels once decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes((width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row * 256) for _ in range(height // 256))
    idat += packer.compress(row * (height % 256)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


def words(count: int, seed: int = 14) -> list[str]:
    rng = random.Random(seed)
    vocabulary = ("the film light shadow stair door night reel frame cut score audience "
                  "silence actor camera long slow grey").split()
    return [rng.choice(vocabulary) for _ in range(count)]


def secret_review() -> str:
    return review("Smuggled", 9, f"This text lives outside the workspace: {SECRET}.")
