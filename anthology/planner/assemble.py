"""A whole plan: the kept volumes, then the new ones, each estimated, priced and measured.

This is where the stages meet: the reviews to plan (the workspace's, or a folder's), what
the existing volumes hold (propose.holdings), the order and the budget, the estimate of
each volume at its own trim, its spine and its prices. The command only prints and writes.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from anthology.planner.estimate import NO_MATTER, Chapters, Estimate, Known, estimate_volume
from anthology.planner.laidout import known_pages, laid_out
from anthology.planner.measure import Shape, shape
from anthology.planner.pricing import Price, Service, price
from anthology.planner.propose import (
    Budget,
    Order,
    apparatus_of,
    first_volume,
    holdings,
    matter_of,
    order_key,
    same_folder,
    series_order,
    series_shapes,
    split,
)
from anthology.planner.write import free_slug
from anthology.print.geometry import SPINE_PER_PAGE, PageGeometry
from anthology.series.resolve import CHAPTER_PREFIX
from anthology.workspace.models import Review
from anthology.workspace.people import load_people
from anthology.workspace.problems import Problems
from anthology.workspace.sources import load_review
from anthology.workspace.volume_source import TRIMS, Volume
from anthology.workspace.volumes import Workspace, volume_reviews


@dataclass(frozen=True)
class Options:
    order: Order
    budget: Budget
    service: Service
    trim: str = "6x9"
    paper: str = "white"
    source: Path | None = None  # --from: the folder of reviews to plan
    laid_out: bool = True  # use the page counts of chapters a build laid out


@dataclass(frozen=True)
class Planned:
    """One volume of the plan: kept as the workspace has it, or proposed. A proposed volume
    with a `volume` is the --from folder's own volume, whose list the plan sets."""

    position: int
    reviews: tuple[Shape, ...]
    estimate: Estimate
    trim: str
    paper: str
    kept: bool
    volume: Volume | None = None
    series: int | None = None  # the number a new volume gets in the series
    prices: tuple[Price, ...] = ()
    slug: str = ""  # its folder's name in volumes/ (a new one's, once written)

    @property
    def pages(self) -> int:
        return self.estimate.pages

    @property
    def spine(self) -> float:
        """Inches, as the cover wrap sizes it (anthology.print.geometry)."""
        return self.pages * SPINE_PER_PAGE[self.paper]


@dataclass(frozen=True)
class Plan:
    volumes: tuple[Planned, ...]
    options: Options
    planned: int  # reviews no volume held, now placed in new volumes
    first: Volume | None  # what new volumes copy their title, author and back matter from
    series: str  # the series name new volumes carry
    notes: tuple[str, ...] = ()  # what the author should know about the plan

    @property
    def kept(self) -> tuple[Planned, ...]:
        return tuple(v for v in self.volumes if v.kept)

    @property
    def new(self) -> tuple[Planned, ...]:
        return tuple(v for v in self.volumes if not v.kept)


def folder_reviews(folder: Path, workspace: Workspace, problems: Problems) -> list[Review]:
    """The reviews of the --from folder: the workspace's own when it is a volume folder,
    else every `.md` file there that starts with front matter."""
    if any(same_folder(v.folder, folder) for v in workspace.volumes):
        return [r for r in workspace.reviews.values() if same_folder(r.path.parent, folder)]
    found = []
    for path in sorted(folder.glob("*.md")):
        if path.name == "README.md" or not path.is_file():
            continue
        with path.open("rb") as handle:
            if not handle.read(8).lstrip(b"\xef\xbb\xbf").startswith(b"---"):
                continue
        review = load_review(path, problems, (folder, workspace.root))
        if review is not None:
            found.append(review)
    return found


def _unique(review: Review, workspace: Workspace, problems: Problems) -> bool:
    """A review of a folder outside the volumes must not share a workspace review's name:
    a volume's list names reviews by it."""
    other = workspace.reviews.get(review.slug)
    if other is None or other.path.resolve() == review.path.resolve():
        return True
    problems.warning(review.path, 1, f"another review is also named '{review.slug}' "
                     f"({other.path.parent.name}/{other.path.name}): left out of the plan")
    return False


def _pool(workspace: Workspace, source: Path | None) -> Volume | None:
    """The --from folder's own volume, when it holds its reviews by folder (no list yet)."""
    if source is None:
        return None
    return next((v for v in workspace.volumes if same_folder(v.folder, source)
                 and v.source.contents.reviews is None), None)


def make_plan(workspace: Workspace, options: Options, problems: Problems) -> Plan:
    """Keep what the volumes hold, plan the rest; see propose's docstring for the rule."""
    root = workspace.root
    people = load_people(root, Problems())  # its faults are `anthology check`'s to report
    candidates = list(workspace.reviews.values()) if options.source is None else \
        folder_reviews(options.source, workspace, problems)
    candidates = [r for r in candidates if _unique(r, workspace, problems)]
    pool = _pool(workspace, options.source)
    held = holdings(workspace, options.source)
    every = list({r.path: r for r in (*workspace.reviews.values(), *candidates)}.values())
    shapes = {r.slug: shape(r, people) for r in every}
    chapters = Chapters(_known(root, every, options.laid_out))
    everything = series_shapes(workspace, shapes)
    planned: list[Planned] = []
    for volume in series_order(workspace.volumes):
        own = tuple(shapes[r.slug] for r in volume_reviews(volume, workspace))
        if own and volume is not pool:
            trim = volume.source.print.trim
            found = estimate_volume(own, TRIMS[trim], apparatus_of(volume, workspace),
                                    matter_of(volume), everything, chapters)
            planned.append(Planned(len(planned) + 1, own, found, trim,
                                   volume.source.print.paper, True, volume, slug=volume.slug))
    new = sorted((r for r in candidates if r.path.resolve() not in held),
                 key=lambda r: order_key(options.order, r, shapes[r.slug]))
    first = first_volume(workspace)
    plain = replace(apparatus_of(first, workspace), series=False, omnibus=False)

    def estimate(group: Sequence[Shape], index: int) -> Estimate:
        if index == 0 and pool is not None:
            return estimate_volume(group, TRIMS[pool.source.print.trim],
                                   apparatus_of(pool, workspace), matter_of(pool),
                                   everything, chapters)
        return estimate_volume(group, TRIMS[options.trim], plain, NO_MATTER, everything, chapters)

    groups = split([shapes[r.slug] for r in new], options.budget, estimate) if new else []
    numbers = [v.volume.source.series.number for v in planned
               if v.volume is not None and v.volume.source.series]
    base = max(numbers, default=len(planned))  # new volumes are numbered after it
    if pool is not None and pool.source.series is not None:
        base = max(base, pool.source.series.number - 1)
    if first is None:
        name = "Volume"
    else:
        name = first.source.series.name if first.source.series else first.source.title
    taken: set[str] = set()
    for index, group in enumerate(groups):
        own_volume = pool if index == 0 and pool is not None else None
        trim = own_volume.source.print.trim if own_volume else options.trim
        paper = own_volume.source.print.paper if own_volume else options.paper
        number = base + index + 1
        if own_volume is not None and own_volume.source.series is not None:
            number = own_volume.source.series.number
        slug = own_volume.slug if own_volume else free_slug(root, name, number, taken)
        planned.append(Planned(len(planned) + 1, tuple(group), estimate(group, index), trim,
                               paper, False, own_volume, number, slug=slug))
    priced = tuple(replace(v, prices=price(options.service, v.pages, TRIMS[v.trim]))
                   for v in planned)
    return Plan(priced, options, len(new), first, name, _notes(pool, groups, options, base))


def _notes(pool: Volume | None, groups: Sequence[object], options: Options,
           base: int) -> tuple[str, ...]:
    """The pool's volume.toml keeps every key but its list: say what it should gain."""
    if pool is None or not groups:
        return ()
    notes = []
    where = f"volumes/{pool.slug}/volume.toml"
    if pool.source.series is None and len(groups) > 1:
        notes.append(f"{where} has no [series]: give it number = {base + 1} so the volumes "
                     "after it are in order")
    if pool.source.print.trim != options.trim or pool.source.print.paper != options.paper:
        notes.append(f"{where} keeps its own [print] trim and paper "
                     f"({pool.source.print.trim}, {pool.source.print.paper}), as estimated")
    return tuple(notes)


def _known(root: Path, reviews: Sequence[Review], use: bool) -> Known | None:
    """For a page geometry, the chapters a build laid out at it (slug -> pages)."""
    if not use:
        return None
    records = laid_out(root)
    if not records:
        return None
    styles = [p.stat().st_mtime for p in (root / "styles").rglob("*") if p.is_file()] \
        if (root / "styles").is_dir() else []
    newest = max(styles, default=0.0)
    sources: Mapping[str, float] = {r.slug: max(r.path.stat().st_mtime, newest)
                                    for r in reviews if f"{CHAPTER_PREFIX}{r.slug}" in records}

    @functools.cache
    def at(geometry: PageGeometry) -> Mapping[str, int]:
        return known_pages(records, sources, geometry)
    return at
