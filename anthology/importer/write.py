"""Write imported reviews as sources, without ever duplicating a review or losing an edit.

A manifest in the volume folder (`.import-manifest.json`) remembers, for every file import
wrote, which review it holds and the sha256 of what was written. On the next run a file whose
content still has that hash is import's to replace; one that differs was edited by the author
and is left alone (unless `--force`), and so is a file import never wrote. The review, not the
file name, is the identity: a re-run finds the same file again even when two films share a
title and one of them needed its year in the file name.

The manifest is read as untrusted input: an entry is a file name in the volume folder
(`alien.md`), never a path (`../../victim.md`, an absolute path, a name with a separator or a
NUL): such an entry is ignored with a warning, `--force` or not. Everything import writes
stays inside the volume folder, its `images/` included (anthology.workspace.writes).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from anthology.importer.recognise import ImportedReview
from anthology.importer.saved import IMAGES_DIR
from anthology.output import atomic_target
from anthology.workspace.sources import slugify
from anthology.workspace.volumes import VOLUMES_DIR
from anthology.workspace.writes import inside, plain_name

MANIFEST_NAME = ".import-manifest.json"
REPORT_NAME = "import-report.txt"
VOLUME_TOML = "volume.toml"
FALLBACK_DATE = date(2000, 1, 1)
# Names a volume folder keeps for other things, and names of the EPUB's own files: a review
# slug is never one of them ("Cover (2007)" is written as cover-film.md).
_RESERVED = {"dedication", "foreword", "afterword", "readme", "cover", "toc", "titlepage",
             "copyright", "ncx", "nav"}
_RESERVED_PREFIX = re.compile(r"^(?:css|font|img)")
# File names stay far below the 255 bytes file systems allow, with room for "-1982-573-99.md".
SLUG_LIMIT = 80


class Outcome(StrEnum):
    WRITTEN = "written"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    EDITED = "kept: edited since it was imported (--force replaces it)"
    FOREIGN = "kept: not written by import (--force replaces it)"
    DELETED = "not recreated: deleted since it was imported (--force recreates it)"
    ELSEWHERE = "not written: already in another volume"
    DUPLICATE = "not written: the same review as another input"
    FAILED = "failed"

    @property
    def writes(self) -> bool:
        return self in (Outcome.WRITTEN, Outcome.UPDATED)


@dataclass(frozen=True)
class Planned:
    """What happens to one review's source file."""

    key: str
    path: Path
    text: str
    outcome: Outcome
    note: str = ""


@dataclass(frozen=True)
class ManifestEntry:
    review: str
    sha256: str


def sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def review_key(review: ImportedReview) -> str:
    """A review's identity across runs: its appraisal number, title and year."""
    return f"{review.appraisal or '-'}|{slugify(review.title)}|{review.year or '-'}"


# --- The source text ---------------------------------------------------------------------------

def front_matter(review: ImportedReview) -> dict[str, Any]:
    """The front matter in the documented key order, leaving out what the page did not have."""
    data: dict[str, Any] = {
        "title": review.title,
        "year": review.year,
        "appraisal": review.appraisal,
        "views": review.views,
        "facts": [{f.label: f.value} if f.label else f.value for f in review.facts],
        # A track with no quoted song is kept whole, as one line of text.
        "jukebox": [{"artist": t.artist, "song": t.song} if t.song else t.artist
                    for t in review.jukebox],
        "judgement": review.judgement,
        "related": list(review.related),
        "author": review.author,
        "url": review.url,
        "published": review.published,
        "tags": list(review.tags),
    }
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def render_source(review: ImportedReview) -> str:
    """A review source: YAML front matter, the essay, then each guest essay as a block."""
    header = yaml.safe_dump(front_matter(review), sort_keys=False, allow_unicode=True,
                            width=4096)
    parts = list(review.essay)
    for guest in review.guests:
        parts.append(f"::: guest {guest.byline}\n" + "\n\n".join(guest.paragraphs) + "\n:::")
    return f"---\n{header}---\n\n" + "\n\n".join(parts) + "\n"


# --- The manifest ------------------------------------------------------------------------------

def read_manifest(folder: Path) -> tuple[dict[str, ManifestEntry], str | None]:
    """The manifest's entries, and a warning when it exists but cannot be read (then every
    existing file counts as the author's: the safe side) or names what is not a source file
    of this folder (those entries are ignored)."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = {name: ManifestEntry(str(entry["review"]), str(entry["sha256"]))
                   for name, entry in data["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return {}, (f"{MANIFEST_NAME} cannot be read; existing files are treated as your own "
                    "and left alone")
    bad = [_why_not(name) for name in entries if not plain_name(name, ".md")]
    if not bad:
        return entries, None
    return ({name: entry for name, entry in entries.items() if plain_name(name, ".md")},
            f"{MANIFEST_NAME}: {len(bad)} entr{'y' if len(bad) == 1 else 'ies'} ignored "
            f"({', '.join(dict.fromkeys(bad))}): import writes only the .md files of its own "
            "folder, by name")


def _why_not(name: str) -> str:
    """What a manifest entry is instead of a file name (its text is not echoed: it may hold
    anything, a terminal's control sequences included)."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "an absolute path"
    if "/" in name or "\\" in name or name in (".", ".."):
        return "a path"
    if not name.endswith(".md"):
        return "not a .md file"
    return "not a plain file name"


def manifest_text(entries: Mapping[str, ManifestEntry]) -> str:
    files = {name: {"review": e.review, "sha256": e.sha256} for name, e in sorted(entries.items())}
    note = ("Written by 'anthology import': the sha256 of each source as import wrote it. "
            "A source whose content differs was edited and is not replaced.")
    return json.dumps({"note": note, "files": files}, indent=2, ensure_ascii=False) + "\n"


# --- Planning ----------------------------------------------------------------------------------

def _same_review(path: Path, review: ImportedReview) -> bool:
    """Whether an existing source (not written by import) is about the same film."""
    try:
        text = path.read_text(encoding="utf-8")
        match = re.match(r"^---\s*\n(.*?)\n---\s*$", text, re.DOTALL | re.MULTILINE)
        data = yaml.safe_load(match[1]) if match else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    if not isinstance(data, dict):
        return False
    same_title = slugify(str(data.get("title", ""))) == slugify(review.title)
    return same_title and data.get("year") in (None, review.year)


def _elsewhere(folder: Path, name: str) -> Path | None:
    """The same file name in a sibling volume folder: slugs are unique across a workspace."""
    if folder.parent.name != VOLUMES_DIR or not folder.parent.is_dir():
        return None
    for sibling in sorted(folder.parent.iterdir()):
        if sibling != folder and sibling.is_dir() and (sibling / name).is_file():
            return sibling / name
    return None


def file_slug(text: str) -> str:
    """A slug that is short enough for any file system and never a reserved name."""
    slug = slugify(text)
    if len(slug) > SLUG_LIMIT:
        slug = slug[:SLUG_LIMIT].rsplit("-", 1)[0] if "-" in slug[:SLUG_LIMIT] else slug[
            :SLUG_LIMIT]
    if slug in _RESERVED or _RESERVED_PREFIX.match(slug):
        slug += "-film"
    return slug


def _candidates(review: ImportedReview) -> list[str]:
    title = file_slug(review.title)
    names = [title, f"{title}-{review.year}" if review.year else title,
             "-".join(str(part) for part in (title, review.year, review.appraisal) if part)]
    names += [f"{names[-1]}-{n}" for n in range(2, 100)]
    return [f"{name}.md" for name in dict.fromkeys(names)]


def _choose(review: ImportedReview, key: str, folder: Path,
            manifest: Mapping[str, ManifestEntry], claimed: set[str]) -> tuple[str, Path | None]:
    """The file name for a review: where import put it before, else the first free name.
    Also returns a sibling volume's file that already holds this review."""
    for name, entry in manifest.items():
        if entry.review == key and name not in claimed:
            return name, None
    for name in _candidates(review):
        if name in claimed or (name in manifest and manifest[name].review != key):
            continue
        path = folder / name
        if path.exists() and not _same_review(path, review):
            continue
        other = _elsewhere(folder, name)
        if other is not None and not path.exists():
            if _same_review(other, review):
                return name, other
            continue
        return name, None
    raise ValueError(f"no free file name for '{review.title}'")  # pragma: no cover


def plan(reviews: Sequence[ImportedReview], folder: Path,
         manifest: Mapping[str, ManifestEntry], force: bool) -> list[Planned]:
    """Decide, for each review in order, its file and what happens to it; nothing is written."""
    plans: list[Planned] = []
    claimed: set[str] = set()
    seen: dict[str, Path] = {}
    for review in reviews:
        key = review_key(review)
        text = render_source(review)
        if key in seen:
            plans.append(Planned(key, seen[key], text, Outcome.DUPLICATE))
            continue
        name, other = _choose(review, key, folder, manifest, claimed)
        claimed.add(name)
        path = folder / name
        seen[key] = path
        if other is not None:
            plans.append(Planned(key, path, text, Outcome.ELSEWHERE, note=str(other)))
            continue
        plans.append(Planned(key, path, text, _outcome(path, text, manifest.get(name), force)))
    return plans


def _outcome(path: Path, text: str, entry: ManifestEntry | None, force: bool) -> Outcome:
    if not path.exists():
        if entry is not None and not force:
            return Outcome.DELETED
        return Outcome.WRITTEN
    current = sha256(path.read_bytes())
    if current == sha256(text):
        return Outcome.UNCHANGED
    if entry is not None and entry.sha256 == current:
        return Outcome.UPDATED
    if force:
        return Outcome.UPDATED
    return Outcome.EDITED if entry is not None else Outcome.FOREIGN


# --- Writing -----------------------------------------------------------------------------------

def write_text(path: Path, text: str) -> None:
    """Write whole or not at all."""
    with atomic_target(path) as temporary:
        temporary.write_text(text, encoding="utf-8")


def apply(plans: Sequence[Planned], folder: Path,
          manifest: Mapping[str, ManifestEntry]) -> list[Planned]:
    """Write what the plan says and the manifest after it; a file that cannot be written is
    marked failed and the others still are. A volume folder whose `images/` leads out of it
    is refused (WriteRefused, an OSError) before anything is written."""
    inside(folder / IMAGES_DIR, folder, "the volume folder")
    entries = dict(manifest)
    done: list[Planned] = []
    for item in plans:
        if item.outcome.writes:
            try:
                write_text(item.path, item.text)
            except OSError as exc:
                done.append(Planned(item.key, item.path, item.text, Outcome.FAILED,
                                    note=exc.strerror or str(exc)))
                continue
        if item.outcome.writes or item.outcome is Outcome.UNCHANGED:
            entries[item.path.name] = ManifestEntry(item.key, sha256(item.text))
        done.append(item)
    if entries != dict(manifest):
        write_text(folder / MANIFEST_NAME, manifest_text(entries))
    return done


# --- volume.toml -------------------------------------------------------------------------------

def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _most_common(values: Iterable[str | None]) -> str | None:
    found = [value for value in values if value]
    return max(found, key=found.count) if found else None


def volume_toml(folder: Path, reviews: Iterable[ImportedReview]) -> str:
    """A draft `volume.toml`: valid, so the volume builds, but marked `draft = true` (its title
    comes from the folder name and its date is a placeholder), so check and build warn until
    the author has set them. The date is never today's: builds stay reproducible."""
    reviews = list(reviews)
    author = (_most_common(r.author for r in reviews)
              or _most_common(r.pen_name for r in reviews) or "Unknown Author")
    critic = _most_common(r.pen_name for r in reviews)
    dates = [r.published for r in reviews if r.published]
    when = max(dates) if dates else FALLBACK_DATE
    title = re.sub(r"[-_]+", " ", folder.name).strip().title() or "Imported Reviews"
    return (
        "# Written by 'anthology import' as a draft: set the title, author and date, then\n"
        "# remove 'draft = true' (check and build warn until then). See docs/source-format.md.\n"
        "draft = true\n"
        f"title = {_toml_string(title)}\n"
        f"author = {_toml_string(author)}\n"
        + (f"critic = {_toml_string(critic)}\n" if critic else "")
        + 'language = "en"\n'
        f"date = {when.isoformat()}\n"
    )
