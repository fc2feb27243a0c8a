"""The back matter a volume.toml asks for (indexes, the soundtrack, the numbers), in pages.

An index is set small in two columns (print.css): its pages follow from how many entries it
has and how long they are, which the shapes of the volume's reviews tell without building
the index. Each appendix opens on a right-hand page, as a chapter does.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from anthology.planner.measure import Shape

if TYPE_CHECKING:
    from anthology.planner.estimate import Page

INDEX_SIZE = 0.82  # of the body size, in two columns a quarter inch apart (print.css)
INDEX_LEADING = 1.25 / 1.35  # an index line, in body lines, at the index's own size
LOCATOR = 8  # ", 143–48"
AWAY = 4  # "II: " before the page of a film in another volume
YEAR = 7  # " (1931)"
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Apparatus:
    """What back matter a volume carries: `series` when its indexes cover the whole series
    (the series' last volume, an omnibus), `omnibus` when its soundtrack does too."""

    indexes: tuple[str, ...] = ()
    soundtrack: bool = False
    numbers: bool = False
    series: bool = False
    omnibus: bool = False

    def count(self, shapes: Sequence[Shape]) -> int:
        """The appendices the contents will list."""
        return len(self.indexes) + int(self.numbers) + int(
            self.soundtrack and any(s.tracks for s in shapes))


NO_APPARATUS = Apparatus()


@dataclass(frozen=True)
class BackFit:
    """Fitted to built indexes: a letter or decade heading, the appendix's title, and the
    pages The Numbers' charts fill."""

    group: float = 2.6  # index lines
    key: float = 10.0  # index lines: the key to a series index's locators
    title: float = 5.6  # body lines
    entry: float = 1.06  # index lines an entry's own line costs, with its spacing
    intro: float = 5.6  # The Numbers' title and opening paragraph, in body lines
    section: float = 8.6  # a chart's heading, caption and the table's head and spacing
    column: float = 11.0  # a column chart or a scatter
    charts: float = 0.85  # of a page charts fill (a chart or a table never splits)


BACK = BackFit()


@functools.lru_cache(maxsize=65536)
def _letter(text: str) -> str:
    text = _ARTICLE.sub("", text).strip()
    return text[:1].upper() if text[:1].isalpha() else "#"


def _surname(name: str) -> str:
    return name.split()[-1] if name.split() else name


def _entries(page: Page, lines: Iterable[int], column: float, indent: float = 0) -> float:
    """Index lines of entries whose lines have these many characters."""
    return sum(BACK.entry * page.wrap(c, INDEX_SIZE, column - indent) for c in lines)


def _film(shape: Shape) -> int:
    return len(shape.title) + (YEAR if shape.year else 0) + LOCATOR


def _people(shapes: Sequence[Shape], role: str, film: Callable[[Shape], int]
            ) -> tuple[list[int], list[int], set[str]]:
    """A person's entry: one line when they have one film ("Lang, Fritz: Metropolis (1927),
    12"), else their name and a subentry a film. Returns the entries' and the subentries'
    lengths, and the letter groups."""
    films: dict[str, list[Shape]] = defaultdict(list)
    for shape in shapes:
        for name in dict.fromkeys(getattr(shape, role)):
            films[name].append(shape)
    own, subs = [], []
    for name, found in films.items():
        if len(found) == 1:
            own.append(len(name) + 3 + film(found[0]))
        else:
            own.append(len(name) + 1)
            subs += [film(s) for s in found]
    return own, subs, {_letter(_surname(n)) for n in films}


def _locating(home: frozenset[str] | None) -> Callable[[Shape], int]:
    """A film's entry length; in a series index (`home`: the slugs this book prints) a film
    of another volume has its volume's numeral before the page ("II: 143")."""
    def film(shape: Shape) -> int:
        away = home is not None and shape.slug not in home
        return _film(shape) + (AWAY if away else 0)
    return film


def index_lines(kind: str, shapes: Sequence[Shape], page: Page,
                home: frozenset[str] | None = None) -> float:
    """Index lines (before columns) of one index over these reviews; `home` as for
    `_locating`, and a series index opens with a key to its locators."""
    column = (page.measure_em - 1.5) / 2  # in body ems
    film = _locating(home)
    key = 0.0 if home is None else BACK.key
    if kind == "films":
        lines = [film(s) for s in shapes] + [a + 6 + len(s.title) for s in shapes for a in s.aka]
        groups = {_letter(s.title) for s in shapes}
        return key + len(groups) * BACK.group + _entries(page, lines, column)
    if kind in ("directors", "actors"):
        own, subs, groups = _people(shapes, "directors" if kind == "directors" else "stars",
                                    film)
        return key + len(groups) * BACK.group + _entries(page, own, column) \
            + _entries(page, subs, column, 1.5)
    if kind == "years":
        by_year: dict[int, list[Shape]] = defaultdict(list)
        for shape in shapes:
            if shape.year:
                by_year[shape.year].append(shape)
        decades = {y // 10 for y in by_year}
        own = [5 + film(f[0]) if len(f) == 1 else 4 for f in by_year.values()]
        subs = [film(s) for f in by_year.values() if len(f) > 1 for s in f]
        return key + len(decades) * BACK.group + _entries(page, own, column) \
            + _entries(page, subs, column, 1.5)
    scores = {s.judgement for s in shapes if s.judgement}
    return key + len(scores) * BACK.group + _entries(
        page, [film(s) for s in shapes if s.judgement], column)


def soundtrack_lines(shapes: Sequence[Shape], page: Page, home: frozenset[str] | None = None,
                     memo: dict | None = None) -> float:
    """Film by film (a film's line and its tracks), then each artist's songs; `home` as for
    `_locating`, for the series' soundtrack of an omnibus. A film's lines are worked out
    once (`memo`): a plan asks for them with every volume it tries."""
    column = (page.measure_em - 1.5) / 2
    film = _locating(home)
    memo = {} if memo is None else memo
    lines = (0.0 if home is None else BACK.key) + 2 * BACK.group
    artists: set[str] = set()
    for shape in shapes:
        if not shape.tracks:
            continue
        artists.update(shape.artists)
        key = ("soundtrack", shape.slug, page.geometry, film(shape))
        if key not in memo:
            songs = [c - len(a) + 2 + film(shape)
                     for a, c in zip(shape.artists, shape.tracks, strict=False)]
            memo[key] = _entries(page, [film(shape)], column) \
                + _entries(page, shape.tracks, column, 2) + _entries(page, songs, column, 1.5)
        lines += memo[key]
    per_line = page.chars * column / page.measure_em / INDEX_SIZE
    lines += len({_letter(a) for a in artists}) * BACK.group
    return lines + BACK.entry * sum(1 + int(len(a) > per_line) for a in artists)


@functools.lru_cache(maxsize=1024)
def _scale(judgement: str) -> tuple[float, int]:
    score, _, scale = judgement.partition("/")
    return float(score), int(scale)


def numbers_lines(shapes: Sequence[Shape]) -> float:
    """The Numbers (anthology.series.numbers), in body lines: an introduction,
    then a chart, its caption and its table for each count the reviews allow."""
    scored = [s for s in shapes if s.judgement]
    rows: list[tuple[float, int]] = []  # (the chart's lines, the table's rows) a section
    if scored:
        scales = {_scale(s.judgement)[1] for s in scored}  # type: ignore[arg-type]
        low = min(1, min(int(_scale(s.judgement)[0]) for s in scored))  # type: ignore[arg-type]
        bars = scales.pop() - low + 1 if len(scales) == 1 else len(
            {s.judgement for s in scored})
        rows.append((BACK.column, min(bars, 21)))
    decades = {s.year // 10 for s in shapes if s.year}
    if decades:
        rows.append((BACK.column, max(decades) - min(decades) + 1))
    for role in ("directors", "stars"):
        counts: dict[str, int] = defaultdict(int)
        for shape in shapes:
            for name in set(getattr(shape, role)):
                counts[name] += 1
        bars = min(10, sum(1 for n in counts.values() if n >= 2))
        if bars:
            rows.append((1.5 + 1.1 * bars, bars))
    genres = {g.casefold() for s in scored for g in s.genres}
    if genres:
        rows.append((1.5 + 0.9 * min(12, len(genres)), min(12, len(genres))))
    bands = {s.minutes // 10 for s in scored if s.minutes}
    if bands:
        rows.append((BACK.column, len(bands)))
    return BACK.intro + sum(BACK.section + chart + table for chart, table in rows)


def _pages(index_lines: float, page: Page) -> int:
    """Pages of a two-column appendix, its title on the first; even, as it opens on a
    right-hand page."""
    per_page = 2 * page.lines * 0.97 / (INDEX_SIZE * INDEX_LEADING)
    title = 2 * BACK.title / (INDEX_SIZE * INDEX_LEADING)
    pages = max(1, math.ceil((index_lines + title) / per_page))
    return pages + pages % 2


def appendix_pages(shapes: Sequence[Shape], apparatus: Apparatus, page: Page,
                   everything: Sequence[Shape] = (), memo: dict | None = None
                   ) -> dict[str, int]:
    """The pages of each appendix a volume carries, by its id in the book; `memo` keeps
    what a plan asks for again and again."""
    series = apparatus.series and bool(everything)
    covered = everything if series else shapes
    home = frozenset(s.slug for s in shapes)
    pages = {}
    if apparatus.soundtrack and any(s.tracks for s in shapes):
        omnibus = apparatus.omnibus and bool(everything)
        pages["soundtrack"] = _pages(soundtrack_lines(
            everything if omnibus else shapes, page, home if omnibus else None, memo), page)
    if apparatus.numbers and shapes:
        # Charts are drawn to the measure: in lines of body text, the same at every trim.
        count = math.ceil(numbers_lines(shapes) / (page.lines * BACK.charts))
        pages["numbers"] = count + count % 2
    for kind in apparatus.indexes:
        pages[f"index-{kind}"] = _pages(index_lines(kind, covered, page,
                                                    home if series else None), page)
    return pages
