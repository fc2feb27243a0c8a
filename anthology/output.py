"""Safe writes: a book appears complete or not at all, and a killed process leaves nothing
that a later one cannot recognise and clean.

Each output is written to a hidden `.part` file beside its target and renamed over it only
once it is whole. A build writes all its books into a staging folder first (`Staging`) and
moves them into place when every one succeeded. Every `.part` file and staging folder is
locked (flock) by the process that owns it for as long as it lives: the kernel drops the lock
when that process dies, however it dies, so `clean_debris` removes exactly what no live
process owns, and two builds running at once never remove each other's files.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

PART = ".part"
STAGING = ".staging-"
LEGACY = ".pikepdf."  # temporary files pikepdf left beside its target (before in-memory saves)

_held: set[int] = set()


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
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PART, dir=target.parent)
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


class Staging:
    """A build's private folder inside the output folder (so moving out of it is a rename on
    the same filesystem), named `.staging-<pid>-<random>` and locked while its build lives."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path, self._lock = _claim(
            lambda: tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=folder))

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._lock >= 0:
            shutil.rmtree(self.path, ignore_errors=True)
            _release(self._lock)
            self._lock = -1


def sync_folder(folder: Path) -> None:
    """Make the renames into `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _is_debris(name: str) -> bool:
    return name.startswith(STAGING) or name.startswith(LEGACY) or (
        name.startswith(".") and name.endswith(PART))


def _remove_unowned(entry: Path) -> bool:
    """Remove `entry` if no live process holds its lock; never follow a symbolic link."""
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
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        return True
    finally:
        os.close(fd)


def clean_debris(folder: Path) -> list[Path]:
    """Remove what killed processes left in `folder`: staging folders, `.part` files and what
    was written beside a `.part` (`<name>.part.raw`). Returns what was removed."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    removed = [e for e in entries if _is_debris(e.name) and _remove_unowned(e)]
    for entry in entries:
        name = entry.name
        if name.startswith(".") and f"{PART}." in name and not name.endswith(PART):
            owner = folder / name[:name.index(f"{PART}.") + len(PART)]
            if not owner.exists() and entry.is_file() and not entry.is_symlink():
                entry.unlink(missing_ok=True)
                removed.append(entry)
    return removed
