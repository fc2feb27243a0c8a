"""Read input files safely: size limits before reading, binary files refused, text decoded.

A saved page is usually UTF-8, but pages saved from old browsers or Windows editors come in
Windows-1252; those are decoded and imported with a warning rather than refused. Every refusal
is a `PageError` whose message is one line the author can act on.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
TEXT_LIMIT = 5 * MB
EXPORT_LIMIT = 200 * MB


class PageError(Exception):
    """A file that cannot be imported at all; the message says why, in one line."""


@dataclass(frozen=True)
class Page:
    """The decoded text of one input file, and what the author should know about it."""

    path: Path
    text: str
    warnings: tuple[str, ...] = ()


def check_size(path: Path, limit: int, what: str, advice: str) -> int:
    """Refuse missing, unreadable, oversized and non-regular files (a FIFO would block, a
    device never end) before a single byte is read."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise PageError("no such file") from None
    except (OSError, ValueError) as exc:
        raise PageError(f"cannot read it: {getattr(exc, 'strerror', None) or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise PageError("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise PageError("is not a regular file (a pipe, a device or a socket); save the page "
                        "as a file and import that")
    if info.st_size > limit:
        raise PageError(f"is {info.st_size / MB:.1f} MB; {what} over {limit // MB} MB are "
                        f"refused ({advice})")
    return info.st_size


def read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, never more than `limit` (it may have grown since it was checked);
    opened without blocking, so a file swapped for a pipe cannot hang the import."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise PageError("is not a regular file (a pipe, a device or a socket)")
            data = handle.read(limit + 1)
    except OSError as exc:
        raise PageError(f"cannot read it: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise PageError(f"grew past {limit // MB} MB while it was read; refused")
    return data


def decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, or else Windows-1252 with a warning."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), ()
        except UnicodeDecodeError:
            raise PageError("starts like UTF-16 text but is not valid UTF-16") from None
    if b"\x00" in data:
        raise PageError("is a binary file (it contains NUL bytes), not a saved page")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        note = (f"not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}): read as "
                "Windows-1252; check its accented letters and quotes")
    try:
        return data.decode("cp1252"), (note,)
    except UnicodeDecodeError:
        # Five byte values have no Windows-1252 meaning; Latin-1 maps every byte.
        return data.decode("latin-1"), (note.replace("Windows-1252", "Latin-1"),)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_page(path: Path, limit: int = TEXT_LIMIT) -> Page:
    """Read one saved review page as text; a `PageError` when it is not one."""
    check_size(path, limit, "text pages", "is it really one saved review page?")
    data = read_bytes(path, limit)
    if not data.strip():
        raise PageError("is empty")
    text, warnings = decode(data)
    text = normalise_newlines(text)
    if not text.strip():
        raise PageError("is empty")
    return Page(path, text, warnings)
