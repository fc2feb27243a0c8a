"""What the series knows about each film, read from the fact boxes as the author wrote them.

The fact box is printed as written; this reading is for the indexes and the checks. A value
the model cannot read is a warning at its line (and still printed as written). Names are read
with people.toml, so a spelling it lists as an alias is the same person, and names across the
series that differ only slightly are pointed out, so an index never splits one person in two.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from anthology.workspace.fact_values import People, Releases, RunningTime, Terms, read_fact
from anthology.workspace.models import Review
from anthology.workspace.people import Occurrence, PeopleIndex, similar_names
from anthology.workspace.problems import Problems

UNREADABLE = "unreadable-fact"
SIMILAR = "similar-names"


@dataclass(frozen=True)
class Credit:
    """A person credited on a film: the name the index shows, and the fact it stands in."""

    name: str
    fact: int  # the fact's position in the review's fact box


@dataclass(frozen=True)
class FilmFacts:
    directors: tuple[Credit, ...] = ()
    stars: tuple[Credit, ...] = ()
    year: int | None = None  # of release: the review's `year`, else the earliest release
    minutes: int | None = None
    genres: tuple[str, ...] = ()


def read_film(review: Review, people: PeopleIndex, problems: Problems | None) -> FilmFacts:
    """One review's facts; warnings about values it cannot read go to `problems`."""
    directors: list[Credit] = []
    stars: list[Credit] = []
    release: int | None = None
    minutes: int | None = None
    genres: list[str] = []
    names = people.spellings
    for index, fact in enumerate(review.meta.facts):
        if fact.label is None:
            continue
        reading = read_fact(fact.label, fact.value, fact.key, names=names)
        line = review.fact_lines[index] if index < len(review.fact_lines) else 2
        for reason in reading.problems if problems is not None else ():
            problems.warning(review.path, line, f"{reason}; it is printed as written",
                             code=UNREADABLE)
        value = reading.value
        if isinstance(value, People) and reading.key in ("director", "stars"):
            found = [Credit(people.display(p.name), index) for p in value.people]
            (directors if reading.key == "director" else stars).extend(found)
        elif isinstance(value, Releases) and value.dates:
            release = value.first.year
        elif isinstance(value, RunningTime):
            minutes = value.minutes
        elif isinstance(value, Terms) and reading.key == "genre":
            genres += [t.name for t in value.terms]
    return FilmFacts(tuple(dict.fromkeys(directors)), tuple(dict.fromkeys(stars)),
                     review.meta.year or release, minutes, tuple(dict.fromkeys(genres)))


def read_films(reviews: Iterable[Review], people: PeopleIndex, problems: Problems,
               root: Path | None = None) -> dict[str, FilmFacts]:
    """Every review's facts, and a warning for each pair of names that are probably one."""
    films: dict[str, FilmFacts] = {}
    places: list[Occurrence] = []
    for review in reviews:
        films[review.slug] = read_film(review, people, problems)
        for index, fact in enumerate(review.meta.facts):
            if fact.label is None or fact.key not in ("director", "stars", "producer",
                                                      "screenplay", "cinematography", "score",
                                                      "editing"):
                continue
            value = read_fact(fact.label, fact.value, fact.key, names=people.spellings).value
            line = review.fact_lines[index] if index < len(review.fact_lines) else 2
            if isinstance(value, People):
                places += [Occurrence(p.name, review.path, line) for p in value.people]
    for pair in similar_names(places, people):
        found = pair.problem(root)
        problems.warning(found.path, found.line, found.message, code=SIMILAR)
    return films
