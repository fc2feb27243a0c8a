"""What a store's shelves read from the EPUB: a description and subjects, always.

The author's own words come first (`description` and `subjects` in volume.toml). Without them a
store or a reading system would show a book with no blurb and file it under nothing, so both are
made from the volume: a plain sentence of facts ("16 appraisals of films from 1913 to 1929 by
Jonah Whitlock. Volume 1 of The Flicker Archive."), and the genres its fact boxes name most
often, after "Film criticism" (a book of reviews of horror films is not a horror book).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from anthology.series.book import Chapter
from anthology.workspace.fact_values import Terms, read_fact
from anthology.workspace.volume_source import VolumeSource

TOP_GENRES = 4  # the genres named most often; more would only echo the contents
SUBJECT = "Film criticism"


def description(source: VolumeSource, chapters: Sequence[Chapter], author: str) -> str | None:
    """volume.toml's description, or one made from the chapters (None for a book without any:
    there is nothing true to say)."""
    if source.description:
        return source.description
    if not chapters:
        return None
    kind = "appraisal" if all(c.appraisal is not None for c in chapters) else "review"
    count = len(chapters)
    what = f"{count} {kind}s of films" if count > 1 else f"One {kind} of a film"
    years = sorted({c.year for c in chapters if c.year is not None})
    if len(years) > 1:
        what += f" from {years[0]} to {years[-1]}"
    elif years:
        what += f" from {years[0]}"
    sentence = f"{what} by {author}."
    if source.series:
        sentence += f" Volume {source.series.number} of {source.series.name}."
    return sentence


def genres(chapters: Sequence[Chapter], top: int = TOP_GENRES) -> tuple[str, ...]:
    """The genres the fact boxes name most often (a review of two genres counts for both), as
    each was first written; ties go to the one met first in the book. A genre one review of
    many names is not what the book is about, so it takes two (in a book of one review, one)."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for chapter in chapters:
        seen: set[str] = set()
        for fact in chapter.facts:
            if fact.key != "genre":
                continue
            value = read_fact(fact.label, fact.value, fact.key).value
            if not isinstance(value, Terms):
                continue
            for term in value.terms:
                key = term.name.casefold()
                if key not in seen:
                    seen.add(key)
                    names.setdefault(key, term.name)
                    counts[key] += 1
    first = {key: n for n, key in enumerate(names)}  # dicts keep the order met
    ranked = sorted(names, key=lambda k: (-counts[k], first[k]))
    least = 2 if len(chapters) > 1 else 1
    return tuple(names[k] for k in ranked[:top] if counts[k] >= least)


def subjects(source: VolumeSource, chapters: Sequence[Chapter]) -> tuple[str, ...]:
    """volume.toml's subjects, or "Film criticism" and the most common genres."""
    if source.subjects:
        return tuple(source.subjects)
    return (SUBJECT, *(g for g in genres(chapters) if g.casefold() != SUBJECT.casefold()))
