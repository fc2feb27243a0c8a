"""`anthology new`: start a review as `hugo new` starts a post: the file in its volume, the next
free appraisal number, the fact box's usual labels ready to fill in, marked as a draft so the
books leave it out until the author says it is done.

The labels are written as comments: a fact with no value is an error, and a review half written
must never stop a build of the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from anthology.workspace import files
from anthology.workspace.problems import Problems
from anthology.workspace.sources import slugify
from anthology.workspace.volumes import VOLUMES_DIR, Workspace, load_workspace

USUAL_FACTS = ("Release Date", "Genre", "Country of Origin", "Running Time", "Director",
               "Screenplay", "Cinematography", "Score", "Stars")
_TITLE_YEAR = re.compile(r"^(?P<title>.+?)\s*\((?P<year>\d{4})\)\s*$")


class NewReviewError(ValueError):
    """Why no review was written: one line for the author."""


@dataclass(frozen=True)
class NewReview:
    path: Path
    title: str
    year: int | None
    appraisal: int
    volume: str


def split_title(text: str) -> tuple[str, int | None]:
    """ "Nosferatu (1922)" -> ("Nosferatu", 1922); a title without a year keeps none."""
    text = " ".join(text.split())
    if not text or not text.isprintable() or len(text) > files.TITLE_CHARS:
        raise NewReviewError("give the film's title, e.g. \"Nosferatu (1922)\"")
    match = _TITLE_YEAR.match(text)
    if match is None:
        return text, None
    return match["title"], int(match["year"])


def next_appraisal(workspace: Workspace) -> int:
    """One more than the highest number any review of the workspace carries."""
    numbers = [r.meta.appraisal for r in workspace.reviews.values()
               if r.meta.appraisal is not None]
    return max(numbers, default=0) + 1


def choose_volume(workspace: Workspace, name: str | None) -> Path:
    """The volume asked for by folder name, or the last volume (where new reviews go)."""
    if name is not None:
        volume = workspace.volume(name)
        if volume is None:
            known = ", ".join(v.slug for v in workspace.volumes) or "none"
            raise NewReviewError(f"no volume '{name}' in {VOLUMES_DIR}/ (volumes: {known})")
        return volume.folder
    if not workspace.volumes:
        raise NewReviewError(f"no volume in {VOLUMES_DIR}/: make one with anthology init")
    return workspace.volumes[-1].folder


def source_text(title: str, year: int | None, appraisal: int) -> str:
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    lines = ["---", f'title: "{quoted}"']
    if year is not None:
        lines.append(f"year: {year}")
    lines += [f"appraisal: {appraisal}",
              "draft: true                # remove this line when the review is ready",
              "# The fact box: fill in what you know (remove the '# '), leave out the rest.",
              "# facts:"]
    lines += [f"#   - {label}: " for label in USUAL_FACTS]
    lines += ["# jukebox:", "#   - artist: ", "#     song: ", "# judgement: 8/10",
              "# related:", "#   - Another Film", "---", "",
              "The essay starts here.", ""]
    return "\n".join(lines)


def new_review(root: Path, title: str, volume: str | None = None) -> NewReview:
    """Write the new review's file; refuses to overwrite one, or to write outside volumes/."""
    name, year = split_title(title)
    problems = Problems()
    workspace = load_workspace(root, problems, drafts=True)
    if not (root / VOLUMES_DIR).is_dir():
        raise NewReviewError(f"no '{VOLUMES_DIR}/' folder here: run anthology in a workspace")
    folder = choose_volume(workspace, volume)
    same = [r for r in workspace.reviews.values()
            if slugify(r.meta.title) == slugify(name) and r.meta.year == year]
    if same:
        raise NewReviewError(f"'{name}' is reviewed already, in "
                             f"{same[0].path.parent.name}/{same[0].path.name}")
    slug = slugify(name)
    if year is not None and _taken(slug, workspace, folder):  # a remake: the year tells apart
        slug = slugify(f"{name} {year}")
    if _taken(slug, workspace, folder):
        raise NewReviewError(f"a review named '{slug}' exists already: give another title")
    target = folder / f"{slug}.md"
    base = (root / VOLUMES_DIR).resolve()
    if folder.is_symlink() or not target.parent.resolve().is_relative_to(base):
        raise NewReviewError(f"{folder.name}/ leads outside {VOLUMES_DIR}/: nothing written")
    appraisal = next_appraisal(workspace)
    with open(target, "x", encoding="utf-8") as out:  # never over a file made meanwhile
        out.write(source_text(name, year, appraisal))
    return NewReview(target, name, year, appraisal, folder.name)


def _taken(slug: str, workspace: Workspace, folder: Path) -> bool:
    return slug in workspace.reviews or (folder / f"{slug}.md").exists()
