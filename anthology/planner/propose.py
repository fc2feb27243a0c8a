"""Group reviews into volumes within a page budget, keeping the volumes the workspace has.

Stability comes first: a published volume must not change because new reviews arrived. A
review is *held* when a volume's `[contents] reviews` names it, or when it lies in the folder
of a volume without such a list; every volume holding reviews is kept as it is and shown
first. Only the reviews no volume holds are planned, in the chosen order, into new volumes
after the kept ones. The one exception is the folder given with `--from`: its own volume is
the pool being planned, and holds nothing by its folder (what its list names stays held).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from anthology.planner import Order
from anthology.planner.backmatter import Apparatus
from anthology.planner.estimate import Estimate, Matter
from anthology.planner.measure import Shape, blocks
from anthology.series.resolve import sort_title
from anthology.workspace.models import Review
from anthology.workspace.volume_source import Volume
from anthology.workspace.volumes import Workspace, volume_reviews


def order_key(order: Order, review: Review, shape: Shape) -> tuple:
    """Reviews missing the key (no appraisal number, no date...) go last, by title."""
    meta, title = review.meta, sort_title(review.title)
    if order is Order.appraisal:
        return (meta.appraisal is None, meta.appraisal or 0, title, review.slug)
    if order is Order.date:
        return (meta.published is None, meta.published or date.min, title, review.slug)
    if order is Order.year:
        return (meta.year is None, meta.year or 0, title, review.slug)
    if order is Order.genre:
        genre = shape.genres[0].casefold() if shape.genres else ""
        return (not genre, genre, title, review.slug)
    return (title, review.slug)


@dataclass(frozen=True)
class Budget:
    """Pages a volume may have: at most `high`; with a range, at least `low` where the
    reviews allow it."""

    high: int
    low: int | None = None

    @classmethod
    def parse(cls, text: str, limits: tuple[int, int]) -> Budget:
        """`828` or `400-500`, within the printer's `limits`; ValueError says what is wrong."""
        least, most = limits
        parts = text.replace("–", "-").split("-")
        if len(parts) > 2 or not all(p.strip().isdigit() for p in parts):
            raise ValueError(f"'{text}' is not a page count (828) or a range (400-500)")
        numbers = [int(p) for p in parts]
        low, high = (numbers[0], numbers[1]) if len(numbers) == 2 else (None, numbers[0])
        if low is not None and low > high:
            raise ValueError(f"'{text}': the range's first number is the smaller")
        if high > most:
            raise ValueError(f"{high} pages is more than the printer binds ({most})")
        if high < least:
            raise ValueError(f"{high} pages is fewer than the printer binds ({least})")
        return cls(high, low)

    def __str__(self) -> str:
        return f"{self.low}-{self.high}" if self.low is not None else f"at most {self.high}"


# A volume's estimate from its reviews and its place among the new volumes (the first may be
# the pool's own volume, with its own trim and back matter).
Estimator = Callable[[Sequence[Shape], int], Estimate]


def fill(shapes: Sequence[Shape], high: int, estimate: Estimator,
         start: int = 0) -> list[list[Shape]]:
    """Volumes filled in order up to `high` pages; a review too long for any volume is a
    volume of its own (and over the budget). A volume's pages only grow as reviews join
    it, so where each volume ends is searched for (doubling, then halving) rather than
    estimated review by review: a plan of 600 reviews takes seconds, not minutes."""
    volumes: list[list[Shape]] = []
    first = 0
    while first < len(shapes):
        index = start + len(volumes)

        def fits(end: int, first: int = first, index: int = index) -> bool:
            return estimate(shapes[first:end], index).pages <= high
        good, step = first + 1, 1  # `good` ends a volume that fits (or holds one review)
        while good + step <= len(shapes) and fits(good + step):
            good, step = good + step, step * 2
        bad = min(good + step, len(shapes) + 1)  # ends one that does not (or is past the end)
        while bad - good > 1:
            middle = (good + bad) // 2
            good, bad = (middle, bad) if fits(middle) else (good, middle)
        volumes.append(list(shapes[first:good]))
        first = good
    return volumes


def _even_split(shapes: Sequence[Shape], count: int, high: int, estimate: Estimator,
                start: int) -> list[list[Shape]]:
    """`shapes` in at most `count` volumes, as even as filling in order allows: the least
    fill that needs no more volumes (a binary search over the fill)."""
    low, top = 1, high
    best = fill(shapes, high, estimate, start)
    while low <= top:
        middle = (low + top) // 2
        found = fill(shapes, middle, estimate, start)
        if len(found) <= count:
            best, top = found, middle - 1
        else:
            low = middle + 1
    return best


HEADROOM = 0.015  # of the budget: the estimates come within 2% of built counts, most exactly


def split(shapes: Sequence[Shape], budget: Budget, estimate: Estimator) -> list[list[Shape]]:
    """Fill volumes in order up to the budget; with a range, when the last volume falls
    short of its low end, even out as many of the last volumes as can spare the pages it
    lacks (more, if evening those out is not enough). Volumes are filled to HEADROOM short
    of the most: an estimate may be a page or two short of the built count, and a volume a
    page past a printer's most is one it will not bind."""
    high = budget.high - math.ceil(budget.high * HEADROOM)
    budget = Budget(max(high, 1), budget.low if budget.low is None else min(budget.low, high))
    volumes = fill(shapes, budget.high, estimate)
    if budget.low is None or len(volumes) < 2:
        return volumes
    pages = [estimate(v, n).pages for n, v in enumerate(volumes)]
    lacking, spare, tail = budget.low - pages[-1], 0, 1
    while tail < len(volumes) and spare < lacking:
        tail += 1
        spare += max(0, pages[-tail] - budget.low)
    evened = volumes
    for count in range(tail, len(volumes) + 1):
        head, rest = volumes[:-count], [s for v in volumes[-count:] for s in v]
        evened = head + _even_split(rest, count, budget.high, estimate, len(head))
        if estimate(evened[-1], len(evened) - 1).pages >= budget.low:
            break
    return evened


# --- The workspace's volumes ---------------------------------------------------------------

def holdings(workspace: Workspace, pool: Path | None = None) -> dict[Path, Volume]:
    """Each held review's source file and the first volume (in series order) holding it;
    the `pool` folder's volume holds only what its list names."""
    held: dict[Path, Volume] = {}
    for volume in series_order(workspace.volumes):
        listed = volume.source.contents.reviews
        if listed is None and pool is not None and same_folder(volume.folder, pool):
            continue
        for review in volume_reviews(volume, workspace):
            held.setdefault(review.path.resolve(), volume)
    return held


def same_folder(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def series_order(volumes: Sequence[Volume]) -> list[Volume]:
    """Numbered volumes by number, then the others in folder order."""
    return sorted(volumes, key=lambda v: (v.source.series is None,
                                          v.source.series.number if v.source.series else 0))


def first_volume(workspace: Workspace) -> Volume | None:
    ordered = series_order(workspace.volumes)
    return ordered[0] if ordered else None


def apparatus_of(volume: Volume | None, workspace: Workspace) -> Apparatus:
    """The back matter a volume asks for; its indexes cover the series when it is the
    series' last or an omnibus (holding reviews whose folder's volume holds them too)."""
    if volume is None:
        return Apparatus()
    source = volume.source
    last = bool(source.series and source.series.last)
    omnibus = any(r.path.parent != volume.folder and any(
        same_folder(v.folder, r.path.parent) and v.source.contents.reviews is None
        for v in workspace.volumes) for r in volume_reviews(volume, workspace))
    return Apparatus(source.indexes, source.soundtrack, source.numbers, last or omnibus,
                     omnibus)


def matter_of(volume: Volume) -> Matter:
    """The author's front and back matter of a volume, as blocks of text."""
    def text(value: str | None) -> tuple | None:
        return blocks(value) if value is not None else None
    has_key = volume.source.score_key is not None
    return Matter(volume.dedication is not None, text(volume.foreword),
                  blocks(volume.source.score_key or "") if has_key else None,
                  text(volume.afterword))


def series_shapes(workspace: Workspace, shapes: dict[str, Shape]) -> list[Shape]:
    """What a series index covers: every review held by a numbered volume, once."""
    seen: dict[str, Shape] = {}
    for volume in series_order(workspace.volumes):
        if volume.source.series is None:
            continue
        for review in volume_reviews(volume, workspace):
            if review.slug in shapes:
                seen.setdefault(review.slug, shapes[review.slug])
    return list(seen.values())


