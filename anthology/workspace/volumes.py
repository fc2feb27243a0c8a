"""Load a workspace: every `volumes/<slug>/volume.toml` and every review source beside them.

All reviews of the workspace are loaded together, so a volume may name reviews that live in
another volume's folder (an omnibus) and cross-links can find any title.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from anthology.workspace import files
from anthology.workspace.models import Review
from anthology.workspace.problems import Problems, did_you_mean
from anthology.workspace.sources import load_review, read_text, report_validation, slugify
from anthology.workspace.styles import check_styles
from anthology.workspace.volume_source import Volume, VolumeSource

VOLUMES_DIR = "volumes"
_TOML_ERROR_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_TOML_ARRAY = re.compile(r"^\s*\[\[\s*([\w\-]+)\s*\]\]\s*(#.*)?$")
_TOML_TABLE = re.compile(r"^\s*\[\s*([\w.\-\s\"]+?)\s*\]\s*(#.*)?$")
_TOML_KEY = re.compile(r"^\s*([\w\-]+)\s*=")


@dataclass(frozen=True)
class Workspace:
    """Everything the author has written: volumes in folder order, reviews by slug."""

    root: Path
    volumes: tuple[Volume, ...]
    reviews: dict[str, Review]
    broken: frozenset[str] = frozenset()
    drafts: bool = False  # reviews marked `draft: true` are in their volumes (the preview)

    def volume(self, slug: str) -> Volume | None:
        return next((v for v in self.volumes if v.slug == slug), None)


def toml_key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Map key paths to their line numbers, since tomllib keeps no positions: ("print",
    "trim") for a table's key, ("person", 0, "sort") for a key of the first [[person]]."""
    lines: dict[tuple[str | int, ...], int] = {}
    where: tuple[str | int, ...] = ()
    counts: dict[str, int] = defaultdict(int)
    for number, line in enumerate(text.split("\n"), start=1):
        if match := _TOML_ARRAY.match(line):
            where = (match[1], counts[match[1]])
            counts[match[1]] += 1
            lines.setdefault(where, number)
        elif match := _TOML_TABLE.match(line):
            where = tuple(part.strip().strip('"') for part in match[1].split("."))
            lines.setdefault(where, number)
        elif match := _TOML_KEY.match(line):
            lines.setdefault((*where, match[1]), number)
    return lines


def inside(root: Path, path: Path) -> bool:
    """True when `path` resolves to a place inside `root` (no escaping through `..` or links)."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _front_text(volume_dir: Path, name: str | None, key: str, line: int, root: Path,
                problems: Problems) -> str | None:
    if name is None:
        return None
    path = volume_dir / name
    toml = volume_dir / "volume.toml"
    if not inside(root, path):
        problems.error(toml, line, f"{key} '{name}' is outside the project")
        return None
    if not path.is_file():
        problems.error(toml, line, f"{key} file '{name}' does not exist")
        return None
    return read_text(path, problems, (root,))


def _plain_strings(data: object, where: tuple[str, ...], lines: dict[tuple[str, ...], int],
                   path: Path, problems: Problems) -> bool:
    """TOML escapes (\\u0007) can put characters in a value that the file itself does not
    show; report them at their key. True when there are none."""
    if isinstance(data, dict):
        return all([_plain_strings(v, (*where, str(k)), lines, path, problems)
                    for k, v in data.items()])
    if isinstance(data, list):
        return all([_plain_strings(v, where, lines, path, problems) for v in data])
    if isinstance(data, str) and (bad := files.forbidden_characters(data)):
        problems.error(path, lines.get(where, 1), f"{'.'.join(where)}: "
                       f"{files.describe(bad[0][2])} cannot be printed: remove it")
        return False
    return True


def parse_toml(text: str, path: Path, problems: Problems) -> dict | None:
    """A workspace TOML file's table, or None with the fault reported at its line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_ERROR_LINE.search(str(exc))
        message = _TOML_ERROR_LINE.sub("", str(exc)).strip()
        problems.error(path, int(match[1]) if match else 1, f"invalid TOML: {message}")
    except RecursionError:  # tomllib recurses into nested arrays and tables
        problems.error(path, 1, "invalid TOML: nested too deep")
    return None


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class TomlFile(Generic[M]):
    """An optional workspace TOML file, read and validated: its model, text and key lines."""

    path: Path
    source: M
    text: str
    lines: dict[tuple[str | int, ...], int]


def _read_toml(path: Path, root: Path, problems: Problems
               ) -> tuple[str, dict, dict[tuple[str | int, ...], int]] | None:
    """A TOML file's text, its data and the line of each key; None when it cannot be read or
    parsed (reported)."""
    text = read_text(path, problems, (root,))
    if text is None:
        return None
    data = parse_toml(text, path, problems)
    if data is None:
        return None
    return text, data, toml_key_lines(text)


def read_toml_file(path: Path, root: Path, model: type[M], problems: Problems
                   ) -> TomlFile[M] | None:
    """An optional file at the top of the workspace (people.toml, anthology.toml): None when
    there is none, or when it is faulty (every fault reported at its line)."""
    if not path.exists() and not path.is_symlink():
        return None
    read = _read_toml(path, root, problems)
    if read is None:
        return None
    text, data, lines = read
    try:
        return TomlFile(path, model.model_validate(data), text, lines)
    except ValidationError as exc:
        report_validation(exc, path, lines, 1, list(model.model_fields), problems)
        return None


def load_volume(folder: Path, root: Path, problems: Problems) -> Volume | None:
    path = folder / "volume.toml"
    read = _read_toml(path, root, problems)
    if read is None:
        return None
    _, data, lines = read
    if not _plain_strings(data, (), lines, path, problems):
        return None
    try:
        source = VolumeSource.model_validate(data)
    except ValidationError as exc:
        report_validation(exc, path, lines, 1, list(VolumeSource.model_fields), problems)
        return None
    if source.draft:
        problems.warning(path, lines.get(("draft",), 1), "a draft written by 'anthology import' "
                         "(placeholder title and date): set title, author and date, then remove "
                         "'draft = true'")
    texts = {
        key: _front_text(folder, getattr(source, key), key, lines.get((key,), 1), root, problems)
        for key in ("dedication", "foreword", "afterword", "back_cover")
    }
    return Volume(folder.name, folder, source, texts["dedication"], texts["foreword"],
                  texts["afterword"], texts["back_cover"])


def _review_files(volume: Volume) -> list[Path]:
    source = volume.source
    special = {source.dedication, source.foreword, source.afterword, source.back_cover}
    return sorted(
        p for p in volume.folder.glob("*.md") if p.name not in special and p.name != "README.md"
    )


def _looks_like_review(path: Path, root: Path) -> bool:
    try:
        return files.read_bytes(path, (root,), 8, head=True).lstrip(
            b"\xef\xbb\xbf").startswith(b"---")
    except (files.Refused, OSError):
        return False


# What else may sit in a volume folder without a word: images, the importer's files, notes.
QUIET_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".txt", ".toml"})
REVIEW_SUFFIXES = frozenset({".markdown", ".mdown", ".mkd", ".mdx", ".text"})


def _unread_files(folder: Path, problems: Problems) -> None:
    """A file a volume folder holds but the build will never read is named, so nothing the
    author wrote is left out without a word."""
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix == ".md":
            continue
        if path.suffix.lower() in QUIET_SUFFIXES and not (
                path.suffix.lower() == ".txt" and _looks_like_review(path, folder)):
            continue
        if path.suffix.lower() in REVIEW_SUFFIXES | {".md", ".txt"}:
            problems.warning(path, 0, f"not read: review sources end in '.md' (rename it to "
                                      f"'{path.stem}.md')")
        elif path.is_dir():
            _sources_below(path, folder, problems)
        else:
            problems.warning(path, 0, "not read: a volume folder holds '.md' review sources, "
                                      "their images and volume.toml")


# How much of a volume's sub-folders is looked through for sources put there by mistake.
SUBFOLDER_ENTRIES = 10_000
SUBFOLDER_NAMED = 20


def _sources_below(top: Path, folder: Path, problems: Problems) -> None:
    """Reviews are read from the volume's own folder only: a `.md` file in a sub-folder
    (`drafts/`, `2019/`) would be left out of the book without a word, so each is named.
    Links are not followed and hidden folders are skipped; the look is bounded."""
    if top.is_symlink():
        return
    found: list[Path] = []
    seen = 0
    for current, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        seen += len(dirs) + len(names)
        found += [Path(current, n) for n in sorted(names)
                  if n.lower().endswith(".md") and not n.startswith(".")
                  and n.lower() != "readme.md"]
        if seen > SUBFOLDER_ENTRIES:
            break
    for path in found[:SUBFOLDER_NAMED]:
        problems.warning(path, 0, "not read: reviews are read from the volume's own folder, "
                                  f"not its sub-folders (move it into {folder.name}/ to include "
                                  "it)")
    if len(found) > SUBFOLDER_NAMED:
        problems.warning(top, 0, f"not read: {len(found) - SUBFOLDER_NAMED} more '.md' files "
                                 "in this sub-folder")


def _volume_folders(base: Path, problems: Problems) -> list[Path]:
    """The folders of volumes/ that hold a volume.toml; the others are named."""
    folders = []
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if (folder / "volume.toml").exists():
            folders.append(folder)
            continue
        near = [p.name for p in folder.iterdir() if p.name.lower() == "volume.toml"]
        hint = f": rename '{near[0]}' to 'volume.toml'" if near else \
            ": add a volume.toml to make it a volume"
        problems.warning(folder, 0, f"not read: the folder has no volume.toml{hint}")
    return folders


def find_root(folder: Path) -> Path:
    """The workspace that holds `folder`: the folder itself or the nearest folder above it
    with a `volumes/` folder, as git finds its repository (so `anthology build` works from
    `volumes/silent-shadows/`). Without one, `folder` itself, for the error to name."""
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / VOLUMES_DIR).is_dir():
            return candidate
    return folder


def load_workspace(root: Path, problems: Problems, drafts: bool = False) -> Workspace:
    """Load every volume and every review; report problems instead of stopping at the first.
    A review marked as a draft is in its volume only when `drafts` asks for it."""
    base = root / VOLUMES_DIR
    if not base.is_dir():
        problems.error(root, 0, f"no '{VOLUMES_DIR}/' folder here: run anthology in a workspace")
        return Workspace(root, (), {})
    volumes = []
    paths: list[Path] = []
    for folder in _volume_folders(base, problems):
        _unread_files(folder, problems)
        volume = load_volume(folder, root, problems)
        if volume is not None:
            volumes.append(volume)
            paths += _review_files(volume)
        else:
            # Still check the reviews of a volume whose definition is broken, so one run
            # reports everything; files that do not look like reviews are left alone.
            paths += [p for p in sorted(folder.glob("*.md")) if _looks_like_review(p, root)]
    reviews: dict[str, Review] = {}
    broken: set[str] = set()
    for path in paths:
        review = load_review(path, problems, (root,))
        if review is None:
            broken.add(slugify(path.stem))
            continue
        if review.slug in reviews:
            problems.error(path, 1, f"another review is also named '{review.slug}' "
                           f"({reviews[review.slug].path.parent.name}/{path.name}): "
                           "review file names must be unique")
            continue
        reviews[review.slug] = review
    workspace = Workspace(root, tuple(volumes), reviews, frozenset(broken), drafts)
    for review in reviews.values():
        if review.meta.draft and not drafts:
            problems.note(review.path, 0, "a draft (draft: true): left out of the books; "
                          "build --drafts puts it in")
    for volume in volumes:
        check_contents(volume, workspace, problems)
    check_styles(root, problems)
    return workspace


def check_contents(volume: Volume, workspace: Workspace, problems: Problems) -> None:
    """Every review a volume lists must exist somewhere in the workspace."""
    listed = volume.source.contents.reviews
    if listed is None:
        return
    text = read_text(volume.path, Problems(), (workspace.root,)) or ""
    lines = toml_key_lines(text)
    default = lines.get(("contents", "reviews"), 1)
    seen: set[str] = set()
    for slug in listed:
        line = next((n for n, t in enumerate(text.split("\n"), 1) if f'"{slug}"' in t), default)
        if slug in seen:
            problems.error(volume.path, line, f"review '{slug}' is listed twice")
        seen.add(slug)
        if slug not in workspace.reviews and slug not in workspace.broken:
            hint = did_you_mean(slug, workspace.reviews)
            problems.error(volume.path, line, f"review '{slug}' does not exist{hint}")


def volume_reviews(volume: Volume, workspace: Workspace) -> list[Review]:
    """The reviews a volume holds, before ordering: its list, or the files in its folder;
    drafts only when the workspace was loaded with them."""
    if volume.source.contents.reviews is not None:
        found = [workspace.reviews[s] for s in volume.source.contents.reviews
                 if s in workspace.reviews]
    else:
        found = [r for r in workspace.reviews.values() if r.path.parent == volume.folder]
    return [r for r in found if workspace.drafts or not r.meta.draft]
