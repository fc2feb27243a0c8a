"""The linter's rules, one function each: what makes a review suspect, found from its front
matter (and, for films, numbers and names, from the whole collection). Each reports findings
(`findings.finding`) whose message ends with the fix."""

from __future__ import annotations

import difflib
import re
import string
from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from anthology.series.findings import Source, finding
from anthology.series.references import title_key
from anthology.workspace.fact_values import Releases, RunningTime, read_fact
from anthology.workspace.facts import known_labels, normalise_label
from anthology.workspace.models import Volume
from anthology.workspace.people import Occurrence, PeopleIndex, similar_names
from anthology.workspace.problems import Problem, Problems
from anthology.workspace.volumes import Workspace, volume_reviews

# A label this close to a known one (difflib's ratio) is taken for a slip of the keyboard;
# one further off ("Title Song", "Costume Design") is the author's own label and left alone.
LABEL_CUTOFF = 0.8
_HOURS = re.compile(r"\d\s*(?:h|hrs?|hours?)\b\.?|\d{1,2}:\d\d", re.IGNORECASE)
# A number with no unit of minutes after it; four-digit numbers are years ("2010 restoration").
_UNIT = r"\s*(?:minutes?|mins?\b|m\b|′|')"
_BARE = re.compile(rf"(?<![\d:])\d{{1,3}}(?![\d:])(?!{_UNIT})", re.IGNORECASE)


def _where(source: Source, line: int) -> str:
    return f"{source.path.parent.name}/{source.path.name}:{line}"


def duplicate_films(sources: Sequence[Source], problems: Problems) -> None:
    """Two reviews of one title (or of one's title and the other's `aka`) and year, or of a
    title without a year: the later file, by path, is reported, naming the first."""
    seen: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        meta = source.review.meta
        keys = dict.fromkeys(title_key(t) for t in (meta.title, *meta.aka))
        first = next((s for key in keys for s in seen[key]
                      if None in (s.review.meta.year, meta.year)
                      or s.review.meta.year == meta.year), None)
        if first is not None:
            problems.add(finding(source, source.at("title"), "duplicate-film",
                                 f"'{meta.title}' is also reviewed in "
                                 f"{_where(first, first.at('title'))}: keep one review, or give "
                                 "each its 'year' if they are different films"))
        for key in keys:
            seen[key].append(source)


def duplicate_appraisals(sources: Sequence[Source], problems: Problems) -> None:
    first: dict[int, Source] = {}
    for source in sources:
        number = source.review.meta.appraisal
        if number is None:
            continue
        if number in first:
            other = first[number]
            problems.add(finding(source, source.at("appraisal"), "duplicate-appraisal",
                                 f"appraisal #{number} is also '{other.review.title}' "
                                 f"({_where(other, other.at('appraisal'))}): give each review "
                                 "its own number"))
        else:
            first[number] = source


def _facts(source: Source, keys: frozenset[str] | set[str]):
    for index, fact in enumerate(source.review.meta.facts):
        if fact.key in keys:
            yield source.at("facts", index), fact


def similar_artists(sources: Sequence[Source], people: PeopleIndex, problems: Problems,
                    root: Path) -> None:
    """Jukebox artists spelt two ways (people.similar_names): the soundtrack's artist list
    would split one in two. (Names in the fact boxes' credits are the series stage's, with
    the same code: anthology.series.filmfacts.)"""
    places = [Occurrence(t.artist, source.path, source.at("jukebox", i))
              for source in sources for i, t in enumerate(source.review.meta.jukebox)
              if t.song is not None]
    for pair in similar_names(places, people):
        problem = pair.problem(root)
        problems.add(Problem(problem.path, problem.line, problem.message, problem.severity,
                             "similar-names"))


def years(source: Source, problems: Problems) -> None:
    year = source.review.meta.year
    if year is None:
        return
    for line, fact in _facts(source, {"release_date"}):
        value = read_fact(fact.label, fact.value, fact.key).value
        if isinstance(value, Releases) and abs(value.first.year - year) > 1:
            problems.add(finding(source, line, "year-mismatch",
                                 f"the title's year is {year} but the first release is in "
                                 f"{value.first.year}: correct one of them (the year is the "
                                 "first release's)"))


def running_times(source: Source, problems: Problems) -> None:
    """Running times read, but not written in minutes. (One that cannot be read at all is the
    series stage's `unreadable-fact`.)"""
    for line, fact in _facts(source, {"running_time"}):
        reading = read_fact(fact.label, fact.value, fact.key)
        if isinstance(reading.value, RunningTime) and (
                _HOURS.search(fact.value) or _BARE.search(fact.value)):
            problems.add(finding(source, line, "running-time",
                                 f"'{fact.value}' is not in minutes: write "
                                 f"'{reading.value.minutes} minutes'"))


def tracks(source: Source, problems: Problems) -> None:
    for index, track in enumerate(source.review.meta.jukebox):
        if track.song is not None:
            continue
        parts = re.split(r"\s+[-–—]\s+", track.artist, maxsplit=1)
        hint = (f" (artist: {parts[0]}, song: {parts[1]}?)" if len(parts) == 2 else "")
        problems.add(finding(source, source.at("jukebox", index), "track-incomplete",
                             f"track '{track.artist}' is one line of text: give it an "
                             f"'artist' and a 'song'{hint}"))


def fact_labels(source: Source, problems: Problems, known: Sequence[str]) -> None:
    for index, fact in enumerate(source.review.meta.facts):
        if fact.label is None or fact.key is not None:
            continue
        close = difflib.get_close_matches(normalise_label(fact.label), known, n=1,
                                          cutoff=LABEL_CUTOFF)
        if close:
            problems.add(finding(source, source.at("facts", index), "unknown-fact",
                                 f"fact label '{fact.label}' is not one this knows (did you "
                                 f"mean '{string.capwords(close[0])}'?): correct it, so the "
                                 "indexes and checks can read the fact"))


def _prints_scores(volume: Volume, sources: Sequence[Source]) -> bool:
    """A volume with a key to the scores or a scores index prints them; else one where most
    reviews (more than half) have a judgement."""
    if volume.source.score_key or "scores" in volume.source.indexes:
        return True
    judged = sum(1 for s in sources if s.review.meta.judgement is not None)
    return judged * 2 > len(sources)


def judgements(volume: Volume, sources: Sequence[Source], problems: Problems) -> None:
    judged = [s for s in sources if s.review.meta.judgement is not None]
    scales = Counter(s.review.meta.judgement.scale for s in judged if s.review.meta.judgement)
    if scales:
        usual, count = scales.most_common(1)[0]
        for source in judged if count * 2 > len(judged) else ():
            judgement = source.review.meta.judgement
            if judgement is None or judgement.scale == usual:
                continue
            scaled = (judgement.score * usual / judgement.scale).quantize(
                Decimal("0.1")).normalize()
            problems.add(finding(source, source.at("judgement"), "judgement-scale",
                                 f"judgement {judgement} is out of {judgement.scale}, the "
                                 f"others in '{volume.slug}' out of {usual}: write it as "
                                 f"{scaled:f}/{usual}"))
    if _prints_scores(volume, sources):
        for source in sources:
            if source.review.meta.judgement is None:
                problems.add(finding(source, source.at("title"), "missing-judgement",
                                     "no judgement, in a volume that prints scores: add "
                                     "one, e.g. 'judgement: 8/10'"))


def run(everything: Sequence[Source], sources: Sequence[Source], volumes: Sequence[Volume],
        workspace: Workspace, people: PeopleIndex, problems: Problems) -> None:
    """Every rule: the collection-wide ones over `everything` (their findings outside
    `sources` are dropped by the caller), the others over `sources`."""
    duplicate_films(everything, problems)
    duplicate_appraisals(everything, problems)
    similar_artists(everything, people, problems, workspace.root)
    known = known_labels()
    for source in sources:
        years(source, problems)
        running_times(source, problems)
        tracks(source, problems)
        fact_labels(source, problems, known)
    by_path = {s.path: s for s in everything}
    for volume in volumes:
        members = [by_path[r.path] for r in volume_reviews(volume, workspace)
                   if r.path in by_path]
        judgements(volume, members, problems)
