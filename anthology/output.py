"""Safe writes: a book appears complete or not at all, and a killed process leaves nothing
that a later one cannot recognise and clean; and only what anthology made is ever deleted.

Each output is written to a hidden `.<name>.anthology-<random>.part` file beside its target and
renamed over it only once it is whole. A build writes all its books into a staging folder first
(`Staging`: `.anthology-staging-<pid>-<random>`, holding a marker file) and moves them into
place when every one succeeded, all or none (`put_in_place`). Every `.part` file and staging
folder is locked (flock) by the process that owns it for as long as it lives: the kernel drops
the lock when that process dies, however it dies, so `clean_debris` removes exactly what no
live process owns, and two builds running at once never remove each other's files. It removes
only what bears anthology's mark (the name pattern, and for a folder the marker inside it): an
author's own `.notes.part` or `.staging-photos/` in an output folder is never touched.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

PART = ".part"
MARK = ".anthology-"  # in the name of every temporary file and folder anthology makes
STAGING = ".anthology-staging-"
MARKER = ".anthology-staging"  # the file inside a staging folder that says it is ours
MARKER_TEXT = b"A staging folder of an anthology build: removed once no build owns it.\n"
ASIDE = ".replaced"  # inside a staging folder: the files a commit replaced, until it is done
# `.<target>.anthology-<8 characters of mkstemp>.part`, and what is written beside it (.raw).
_PART_NAME = re.compile(r"^\..+\.anthology-[a-z0-9_]{8}\.part$")
_RAW_NAME = re.compile(r"^(\..+\.anthology-[a-z0-9_]{8}\.part)\.[a-z]+$")
_STAGING_NAME = re.compile(r"^\.anthology-staging-\d+-[a-z0-9_]{8}$")

_held: set[int] = set()


class Change(StrEnum):
    """What moving a built file into place did to the output folder."""

    new = "new"  # there was no such file
    replaced = "replaced"  # the file there had other bytes
    unchanged = "unchanged"  # the same bytes were there already: left as it was


def _forget_in_child() -> None:
    """A forked worker must not keep its parent's locks alive after the parent dies."""
    for fd in list(_held):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


os.register_at_fork(after_in_child=_forget_in_child)


def _claim(make: Callable[[], str]) -> tuple[Path, int]:
    """Make a new file or folder and lock it. A cleaner may have taken the lock first, in the
    moment between making and locking, and removed it: then make another."""
    while True:
        name = make()
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
        fcntl.flock(fd, fcntl.LOCK_EX)
        with contextlib.suppress(FileNotFoundError):
            if _same(os.lstat(name), os.fstat(fd)):
                _held.add(fd)
                return Path(name), fd
        os.close(fd)


def _release(fd: int) -> None:
    _held.discard(fd)
    os.close(fd)


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev)


def _new_part(target: Path) -> str:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}{MARK}", suffix=PART, dir=target.parent)
    os.close(fd)
    return name


@contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target` in one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary, lock = _claim(lambda: _new_part(target))
    try:
        yield temporary
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        temporary.chmod(0o644)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
        _release(lock)


def _new_staging(folder: Path) -> str:
    name = tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=folder)
    fd = os.open(Path(name) / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(MARKER_TEXT)
    return name


class Staging:
    """A build's private folder inside the output folder (so moving out of it is a rename on
    the same filesystem), named `.anthology-staging-<pid>-<random>`, marked as anthology's by
    the file inside it and locked while its build lives."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path, self._lock = _claim(lambda: _new_staging(folder))

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._lock >= 0:
            shutil.rmtree(self.path, ignore_errors=True)
            _release(self._lock)
            self._lock = -1


class NotPlaced(OSError):
    """Moving the staged files into place failed at `name`. `replaced` are the names left
    replaced when putting the old files back failed too (empty: the folder is as it was)."""

    def __init__(self, name: str, error: OSError, replaced: Sequence[str] = ()) -> None:
        super().__init__(error.errno, error.strerror or str(error))
        self.name, self.error, self.replaced = name, error, tuple(replaced)


def put_in_place(staging: Path, out: Path, names: Sequence[str]) -> None:
    """Move the staged files `names` from `staging` into `out`, all or none, as far as the
    filesystem allows. Each file it replaces is first linked aside into the staging folder
    (so every name in `out` always holds a whole file, old or new); then each new file is
    renamed in. When a rename fails, those already renamed are put back as they were (the old
    file renamed back, a new name removed) and NotPlaced is raised."""
    aside = staging / ASIDE
    aside.mkdir(exist_ok=True)
    old = set()
    for name in names:
        try:
            _keep_aside(out / name, aside / name)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise NotPlaced(name, exc) from None
        old.add(name)
    done: list[str] = []
    for name in names:
        try:
            os.replace(staging / name, out / name)
        except OSError as exc:
            left = _undo(out, aside, done, old)
            raise NotPlaced(name, exc, left) from None
        done.append(name)
    sync_folder(out)


def _keep_aside(target: Path, kept: Path) -> None:
    """A second name for the file at `target` in the staging folder (a copy where the
    filesystem has no hard links); a symbolic link is kept as the link."""
    info = os.lstat(target)
    if stat.S_ISLNK(info.st_mode):
        os.symlink(os.readlink(target), kept)
        return
    try:
        os.link(target, kept, follow_symlinks=False)
    except OSError:
        shutil.copy2(target, kept, follow_symlinks=False)


def _undo(out: Path, aside: Path, done: Sequence[str], old: set[str]) -> list[str]:
    """Put back what was there before each of `done`; the names that could not be."""
    left = []
    for name in reversed(done):
        try:
            if name in old:
                os.replace(aside / name, out / name)
            else:
                (out / name).unlink()
        except OSError:
            left.append(name)
    with contextlib.suppress(OSError):
        sync_folder(out)
    return left


def sync_folder(folder: Path) -> None:
    """Make the renames into `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _is_marked_staging(fd: int) -> bool:
    """A staging folder of ours: the name, and the marker inside it (read without following
    a link)."""
    try:
        marker = os.open(MARKER, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW, dir_fd=fd)
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(marker).st_mode) and \
            os.read(marker, len(MARKER_TEXT) + 1) == MARKER_TEXT
    finally:
        os.close(marker)


def _remove_unowned(entry: Path) -> bool:
    """Remove `entry` if it bears anthology's mark and no live process holds its lock; never
    follow a symbolic link."""
    try:
        fd = os.open(entry, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a live process owns it
        try:
            now = os.lstat(entry)
        except FileNotFoundError:
            return False
        if not _same(now, os.fstat(fd)):
            return False
        if stat.S_ISDIR(now.st_mode):
            if not _STAGING_NAME.match(entry.name) or not _is_marked_staging(fd):
                return False
            shutil.rmtree(entry, ignore_errors=True)
        elif stat.S_ISREG(now.st_mode) and _PART_NAME.match(entry.name):
            entry.unlink(missing_ok=True)
        else:
            return False
        return True
    finally:
        os.close(fd)


def clean_debris(folder: Path) -> list[Path]:
    """Remove what killed processes left in `folder`: marked staging folders, `.part` files
    and what was written beside a `.part` (`<name>.part.raw`). Returns what was removed."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    removed = [e for e in entries if (e.name.startswith(STAGING) or _PART_NAME.match(e.name))
               and _remove_unowned(e)]
    for entry in entries:
        match = _RAW_NAME.match(entry.name)
        if match and not (folder / match[1]).exists() and entry.is_file() \
                and not entry.is_symlink():
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed
