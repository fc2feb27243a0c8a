"""One policy for every file the build reads, and the limits on what it will read.

A source, a stylesheet or an image may only be a regular file inside the workspace (or the
installed theme), reached by any path, symlinks included, that ends there, and with no other
name: a hard link is the same file as one elsewhere on the machine, and nothing says where (the
installed package's files are exempt: some installers make them hard links). FIFOs, devices
and folders are refused before they are opened, so a build never waits on a pipe; sizes are
checked before reading, so a huge file costs nothing. Every refusal is a sentence for the
author. Writing has its policy beside this one (`writes`).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

# Generous for real reviews (a 100,000-word essay is about 600 KB), small enough that a
# runaway file is refused at once instead of tying up a build for minutes.
SOURCE_BYTES = 4 * 1024 * 1024
THEME_BYTES = 2 * 1024 * 1024
IMAGE_BYTES = 40 * 1024 * 1024
FONT_BYTES = 20 * 1024 * 1024
LINE_CHARS = 20_000
PARAGRAPH_CHARS = 50_000
TITLE_CHARS = 300
TEXT_CHARS = 2_000  # a fact, a song, a byline, a volume setting
FACT_ENTRIES = 100
TRACK_ENTRIES = 100
YAML_DEPTH = 32
YAML_ALIASES = 50
YAML_NODES = 20_000
NESTING = 16  # block quotes or lists inside each other
IMAGE_PIXELS = 50_000_000

# Characters XML 1.0 cannot hold (and EPUB readers choke on), the other control characters
# (DEL and C1: they print as nothing or as boxes), and the 66 Unicode non-characters (U+FDD0
# to U+FDEF, the last two code points of every plane): no book may carry them. Tab, line feed
# and carriage return are fine.
_NONCHARACTERS = "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}"
                         for plane in range(0, 0x110000, 0x10000))
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ud800-\udfff"
                        f"{_NONCHARACTERS}]")


PACKAGE = Path(__file__).resolve().parent.parent  # the installed anthology


class Refused(Exception):
    """A file the build will not read; the message says why, in the author's terms."""


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.0f} MB" if count >= 1024 * 1024 else f"{count // 1024} KB"


def check_path(path: Path, roots: Iterable[Path], place: str = "the workspace") -> Path:
    """The real location of `path`, if it is a regular file inside one of `roots` (which
    the author knows as `place`)."""
    if "\x00" in str(path):
        raise Refused("has a NUL character in its name")
    try:
        real = path.resolve()
        if not any(real.is_relative_to(root.resolve()) for root in roots):
            raise Refused(f"is outside {place} (through '..' or a symbolic link)")
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise Refused("does not exist") from None
    except RuntimeError:  # Python's word for a loop of symbolic links
        raise Refused("is a symbolic link that leads back to itself") from None
    except OSError as exc:  # a loop the system found, a name too long
        raise Refused(f"cannot be opened ({exc.strerror or type(exc).__name__})") from None
    _check_kind(real, real.stat())
    return real


def _check_kind(real: Path, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise Refused("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise Refused("is not a regular file (a pipe, socket or device)")
    if info.st_nlink > 1 and not real.is_relative_to(PACKAGE):
        raise Refused(f"is a hard link ({info.st_nlink} names for one file), which may be a "
                      "file outside the workspace: copy the file instead of linking it")


def read_bytes(path: Path, roots: Iterable[Path], limit: int, head: bool = False) -> bytes:
    """Read a file that passes `check_path`, at most `limit` bytes, without blocking. With
    `head`, only its first `limit` bytes, however long it is (to see what a file is)."""
    real = check_path(path, roots)
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise Refused(f"cannot be read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        _check_kind(real, info)  # again: it may have been swapped since the check
        if info.st_size > limit and not head:
            raise Refused(f"is {_size(info.st_size)}; the limit is {_size(limit)}")
        data = handle.read(limit if head else limit + 1)
    if len(data) > limit:
        raise Refused(f"is larger than the limit of {_size(limit)}")
    return data


def forbidden_characters(text: str) -> list[tuple[int, int, str]]:
    """(line, column, character) of every character no book may carry, in order."""
    found = []
    for match in _FORBIDDEN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - text.rfind("\n", 0, match.start())
        found.append((line, column, match.group()))
    return found


def describe(character: str) -> str:
    """U+0007 and what it is, for a message."""
    names = {"\x00": "NUL", "\ufeff": "byte order mark", "\ufffe": "non-character",
             "\uffff": "non-character"}
    code = f"U+{ord(character):04X}"
    control = ord(character) < 32 or 0x7F <= ord(character) <= 0x9F
    kind = names.get(character, "control character" if control else "non-character")
    return f"{code} ({kind})"
