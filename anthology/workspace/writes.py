"""One policy for every file anthology writes or deletes, beside the read policy (`files`).

Whatever a command writes (the books and their staging folder, the layout cache, imported
sources and images, a new workspace, covers and previews) goes into the folder it belongs to:
the workspace's `build/` and `build/.cache`, a volume folder and its `images/`, the folder
`init` fills. That folder must be inside its root, reached through no symbolic link that
leads out of it: a symlinked `build/` would put books, and a symlinked cache would put (and
read) laid-out pages, anywhere on the machine. It is checked before anything is written, and a
refusal names the link. What goes into such a folder is named by a plain name, never a path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from anthology.workspace.problems import Problem

# The folders of a workspace that anthology writes into (and reads its caches from).
WORKSPACE_FOLDERS = (Path("build"), Path("build") / ".cache", Path("build") / ".cache" / "pieces",
                     Path("build") / "preview")
NAME_BYTES = 255  # what every file system takes
_NOT_IN_A_NAME = re.compile(r"[/\\\x00-\x1f\x7f]")


class WriteRefused(OSError):
    """A place anthology will not write into; the message names it, as the author knows it.
    An OSError, so every writer's handling of an unwritable place reports it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


def _inside(path: Path, base: Path) -> bool:
    try:
        return path.resolve().is_relative_to(base)
    except (OSError, RuntimeError):  # a loop of links, a name too long: not inside
        return False


def escape(path: Path, root: Path) -> Path | None:
    """The first part of `path` (written below `root`) that leads out of `root`: a symbolic
    link to elsewhere, or `path` itself when '..' takes it out; None when it stays inside.
    Parts that do not exist yet are fine: they will be made inside."""
    base = root.resolve()
    try:
        relative = path.relative_to(root)
    except ValueError:
        return None if _inside(path, base) else path
    current = root
    for part in relative.parts:
        current = current / part
        if current.is_symlink() and not _inside(current, base):
            return current
    return None if _inside(path, base) else path


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root)) or "."
    except ValueError:
        return str(path)


def inside(path: Path, root: Path, place: str = "the workspace") -> Path:
    """`path`, if it stays inside `root` (which the author knows as `place`); else
    WriteRefused naming the link that leaves it."""
    out = escape(path, root)
    if out is not None:
        what = "a symbolic link to" if out.is_symlink() else "in"
        raise WriteRefused(f"{_shown(out, root)} is {what} a folder outside {place}; "
                           "anthology writes only inside it (make it a plain folder)")
    return path


def workspace_problems(root: Path) -> list[Problem]:
    """An error for each folder anthology writes into (build/, its cache, the previews) that
    leads out of the workspace; checked before a command reads the cache or writes a file."""
    found = []
    for relative in WORKSPACE_FOLDERS:
        out = escape(root / relative, root)
        if out is not None and not any(p.path == out for p in found):
            found.append(Problem(out, 0, "a symbolic link to a folder outside the workspace: "
                                 "anthology reads its cache and writes only inside the "
                                 "workspace (make it a plain folder)"))
    return found


def plain_name(name: object, suffix: str = "") -> bool:
    """Whether `name` is a file name (ending in `suffix`), never a path: no separator, no
    '..', not absolute, not hidden, no NUL or control character, not too long."""
    return (isinstance(name, str) and name.endswith(suffix) and len(name) > len(suffix)
            and not name.startswith(".") and not _NOT_IN_A_NAME.search(name)
            and name == os.path.basename(name) and name.strip() == name
            and len(name.encode("utf-8", "surrogatepass")) <= NAME_BYTES)


def plain_names(names: Iterable[object], suffix: str = "") -> list[object]:
    """Those of `names` that are not plain names."""
    return [name for name in names if not plain_name(name, suffix)]
