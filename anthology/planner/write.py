"""Record a plan: the `[contents] reviews` list of each proposed volume's volume.toml.

A plan is written as lists only: no review source is moved or edited, so a review stays in
the folder it was imported into and its volume names it. An existing volume.toml is edited
with tomlkit, which keeps its comments, layout and every other key: only the `[contents]`
table changes. A new volume gets `volumes/<slug>/volume.toml` with the title, author and date
of the workspace's first volume, its back matter, the plan's trim and paper and a `[series]`
number; an existing file is never overwritten. Each file is replaced in one rename.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from anthology.output import atomic_target
from anthology.workspace.problems import Problems
from anthology.workspace.sources import slugify
from anthology.workspace.volume_source import VolumeSource
from anthology.workspace.volumes import VOLUMES_DIR

FIRST_KEYS = ("draft", "title", "author", "critic", "publisher", "language", "date", "rights")
APPARATUS_KEYS = ("indexes", "soundtrack", "numbers", "score_key")


@dataclass(frozen=True)
class Target:
    """One volume of a plan to write: an existing volume.toml (`path`) whose list is set,
    or a new volume (`path` None) in volumes/<slug> with its series number."""

    reviews: tuple[str, ...]
    path: Path | None = None
    slug: str = ""
    number: int = 1
    trim: str = "6x9"
    paper: str = "white"


def _reviews(slugs: Sequence[str]) -> tomlkit.items.Array:
    array = tomlkit.array()
    array.extend(slugs)
    return array.multiline(True)


def set_contents(path: Path, slugs: Sequence[str], problems: Problems) -> bool:
    """Set `[contents] reviews` of an existing volume.toml, leaving every other key as it was."""
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(path, 0, f"cannot be read to write the plan: {exc}")
        return False
    except TOMLKitError as exc:
        problems.error(path, getattr(exc, "line", 1) or 1, f"invalid TOML: {exc}")
        return False
    contents = document.get("contents")
    if contents is None:
        contents = tomlkit.table()
        document.add(tomlkit.nl())
        document.add("contents", contents)
    contents["reviews"] = _reviews(slugs)
    return _write(path, tomlkit.dumps(document), problems)


def _write(path: Path, text: str, problems: Problems) -> bool:
    try:
        with atomic_target(path) as temporary:
            temporary.write_text(text, encoding="utf-8")
    except OSError as exc:
        problems.error(path, 0, f"not written: {exc.strerror or exc}")
        return False
    return True


def new_volume(first: VolumeSource, target: Target, series: str) -> str:
    """A new volume.toml: the first volume's title, author and back matter, the plan's print
    settings and its place in the series."""
    document = tomlkit.document()
    document.add(tomlkit.comment(f"Written by 'anthology plan': volume {target.number} of "
                                 "the series; edit the title and date as you like."))
    data = first.model_dump(mode="python", exclude_none=True)
    for key in FIRST_KEYS + APPARATUS_KEYS:
        value = data.get(key)
        if value not in (None, (), False):
            document[key] = list(value) if isinstance(value, tuple) else value
    document.add(tomlkit.nl())
    document["series"] = {"name": series, "number": target.number}
    document["print"] = {"trim": target.trim, "paper": target.paper}
    contents = tomlkit.table()
    contents["reviews"] = _reviews(target.reviews)
    document["contents"] = contents
    return tomlkit.dumps(document)


def free_slug(root: Path, base: str, number: int, taken: set[str]) -> str:
    """`<series>-<number>`, or with a letter after it when that folder exists already."""
    stem = f"{slugify(base)}-{number}"
    slug, extra = stem, 0
    while slug in taken or (root / VOLUMES_DIR / slug).exists():
        extra += 1
        slug = f"{stem}{chr(ord('a') + extra - 1)}" if extra <= 26 else f"{stem}-{extra}"
    taken.add(slug)
    return slug


def write_plan(root: Path, targets: Sequence[Target], first: VolumeSource | None,
               series: str, problems: Problems) -> list[Path]:
    """Write every target; the paths written, in plan order. New volumes need a first
    volume to copy from (the caller reports its absence)."""
    written: list[Path] = []
    for target in targets:
        if target.path is not None:
            if set_contents(target.path, target.reviews, problems):
                written.append(target.path)
            continue
        path = root / VOLUMES_DIR / target.slug / "volume.toml"
        if first is None:
            continue
        if path.exists() or path.is_symlink():
            problems.error(path, 0, "exists already: the plan never overwrites a volume")
            continue
        if _write(path, new_volume(first, target, series), problems):
            written.append(path)
    return written
