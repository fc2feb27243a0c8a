"""The Numbers: what a volume's data says, as plain frozen values for the charts to draw.

Everything here is counted from the resolved chapters (their judgements, years and fact boxes,
read with `fact_values.read_fact`), never from the charts, so the data tables printed beside the
charts and the tests share one source. Nothing is dropped silently: each figure carries how many
reviews it leaves out because the value it needs is missing or cannot be read.

Scores on different scales are compared out of 10 (7.5/10 and 3/4 are both 7.5), kept as
`Decimal` so no float rounding creeps into a printed mean.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from anthology.series.book import Chapter
from anthology.workspace.fact_values import People, Releases, RunningTime, Terms, read_fact
from anthology.workspace.models import Judgement, parse_judgement
from anthology.workspace.people import PeopleIndex

TOP_PEOPLE = 10  # the most-reviewed directors and actors shown
MIN_PEOPLE_REVIEWS = 2  # a name in one review only is not a "most reviewed" name
TOP_GENRES = 12
BAND_MINUTES = 10  # running times are summarised in bands this wide
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart: a label and the number of reviews."""

    label: str
    count: int


@dataclass(frozen=True)
class GenreMean:
    genre: str
    reviews: int  # scored reviews of the genre
    mean: Decimal  # out of 10, to one decimal place


@dataclass(frozen=True)
class Point:
    """One scored review with a running time: a dot of the scatter."""

    title: str
    minutes: int
    score: Decimal  # out of 10


@dataclass(frozen=True)
class Band:
    """Running times from `low` to `low + BAND_MINUTES - 1` minutes: the scatter's table."""

    low: int
    reviews: int
    mean: Decimal
    lowest: Decimal
    highest: Decimal

    @property
    def label(self) -> str:
        return f"{self.low}\u2013{self.low + BAND_MINUTES - 1}"


@dataclass(frozen=True)
class Numbers:
    reviews: int
    scores: tuple[Bar, ...]  # every score given, low to high, with the gaps between
    unscored: int
    decades: tuple[Bar, ...]  # every decade from the first to the last, empty ones too
    undated: int
    directors: tuple[Bar, ...]
    directors_missing: int  # reviews whose fact box names no director
    actors: tuple[Bar, ...]
    actors_missing: int
    genres: tuple[GenreMean, ...]  # by mean score, highest first
    genres_missing: int  # scored reviews with no genre
    points: tuple[Point, ...]  # in book order
    bands: tuple[Band, ...]
    points_missing: int  # scored reviews without a running time that could be read


def out_of_ten(judgement: Judgement) -> Decimal:
    return judgement.score * 10 / judgement.scale


def tenths(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def _judgement(chapter: Chapter) -> Judgement | None:
    try:
        return parse_judgement(chapter.judgement)
    except ValueError:  # resolved judgements were validated; a hand-made Chapter may not be
        return None


def _reading(chapter: Chapter, key: str, names: Iterable[str] = ()) -> object | None:
    """The typed value of the chapter's first fact with `key` that can be read."""
    for fact in chapter.facts:
        if fact.key == key:
            value = read_fact(fact.label, fact.value, fact.key, names=frozenset(names)).value
            if value is not None:
                return value
    return None


def _score_bars(judgements: Sequence[Judgement]) -> tuple[Bar, ...]:
    counts = Counter(str(j) for j in judgements)
    values = {str(j): (out_of_ten(j), j.scale) for j in judgements}
    scales = {j.scale for j in judgements}
    if len(scales) == 1 and (scale := next(iter(scales))) <= 20:
        # One scale: every whole score from the lowest given (at most 1) up to the top, so an
        # unused score shows as a gap rather than vanishing.
        low = min(1, min(int(j.score) for j in judgements))
        for whole in range(low, scale + 1):
            values.setdefault(f"{whole}/{scale}", (Decimal(whole) * 10 / scale, scale))
    order = sorted(values, key=lambda label: (values[label], label))
    return tuple(Bar(label, counts.get(label, 0)) for label in order)


def _year(chapter: Chapter) -> int | None:
    if chapter.year is not None:
        return chapter.year
    releases = _reading(chapter, "release_date")
    return releases.first.year if isinstance(releases, Releases) else None


def _decade_bars(years: Sequence[int]) -> tuple[Bar, ...]:
    if not years:
        return ()
    counts = Counter(year // 10 * 10 for year in years)
    first, last = min(counts), max(counts)
    return tuple(Bar(f"{d}s", counts.get(d, 0)) for d in range(first, last + 1, 10))


def _people_bars(chapters: Sequence[Chapter], key: str,
                 people: PeopleIndex) -> tuple[tuple[Bar, ...], int]:
    """Reviews per person (a name twice in one fact box counts once), and how many reviews
    name nobody under `key`."""
    counts: Counter[str] = Counter()
    missing = 0
    for chapter in chapters:
        value = _reading(chapter, key, people.spellings)
        if not isinstance(value, People):
            missing += 1
            continue
        counts.update({people.display(p.name) for p in value.people})
    ranked = sorted((name for name, n in counts.items() if n >= MIN_PEOPLE_REVIEWS),
                    key=lambda name: (-counts[name], people.key(name), name))
    return tuple(Bar(name, counts[name]) for name in ranked[:TOP_PEOPLE]), missing


def _genres(scored: Sequence[tuple[Chapter, Judgement]]) -> tuple[tuple[GenreMean, ...], int]:
    """Mean score by genre: a review of two genres counts in both; a genre is named as it is
    first written (case aside)."""
    names: dict[str, str] = {}
    scores: defaultdict[str, list[Decimal]] = defaultdict(list)
    missing = 0
    for chapter, judgement in scored:
        value = _reading(chapter, "genre")
        if not isinstance(value, Terms):
            missing += 1
            continue
        for key in dict.fromkeys(t.name.casefold() for t in value.terms):
            names.setdefault(key, next(t.name for t in value.terms
                                       if t.name.casefold() == key))
            scores[key].append(out_of_ten(judgement))
    common = sorted(scores, key=lambda k: (-len(scores[k]), names[k].casefold(), k))
    means = [GenreMean(names[k], len(scores[k]), tenths(sum(scores[k]) / len(scores[k])))
             for k in common[:TOP_GENRES]]
    means.sort(key=lambda g: (-g.mean, -g.reviews, g.genre.casefold()))
    return tuple(means), missing


def _bands(points: Sequence[Point]) -> tuple[Band, ...]:
    groups: defaultdict[int, list[Decimal]] = defaultdict(list)
    for point in points:
        groups[point.minutes // BAND_MINUTES * BAND_MINUTES].append(point.score)
    return tuple(Band(low, len(s), tenths(sum(s) / len(s)), tenths(min(s)), tenths(max(s)))
                 for low, s in sorted(groups.items()))


def count_numbers(chapters: Sequence[Chapter], people: PeopleIndex | None = None) -> Numbers:
    """Count everything the charts show, from the chapters in book order; `people` (the
    workspace's people.toml) joins the spellings of one person."""
    people = people or PeopleIndex()
    scored = [(c, j) for c in chapters if (j := _judgement(c)) is not None]
    years = [y for c in chapters if (y := _year(c)) is not None]
    directors, directors_missing = _people_bars(chapters, "director", people)
    actors, actors_missing = _people_bars(chapters, "stars", people)
    genres, genres_missing = _genres(scored)
    points = []
    for chapter, judgement in scored:
        running = _reading(chapter, "running_time")
        if isinstance(running, RunningTime):
            points.append(Point(chapter.title, running.minutes, out_of_ten(judgement)))
    return Numbers(
        reviews=len(chapters),
        scores=_score_bars([j for _, j in scored]) if scored else (),
        unscored=len(chapters) - len(scored),
        decades=_decade_bars(years),
        undated=len(chapters) - len(years),
        directors=directors,
        directors_missing=directors_missing,
        actors=actors,
        actors_missing=actors_missing,
        genres=genres,
        genres_missing=genres_missing,
        points=tuple(points),
        bands=_bands(points),
        points_missing=len(scored) - len(points),
    )
