"""A review's shape: what decides its length in print, read from the loaded source.

Planning 600 reviews must take seconds, so the Markdown is not converted (the build's
converter takes a minute for that many): its blocks are read here the way the book sets them,
a paragraph as its printed characters, a heading, a quotation, a list item, a table row.
Inline markup is dropped and a `[[Title]]` reference gains the " (p. 123)" print adds; what
is left is counted in characters, which the estimate turns into lines at a trim's measure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from anthology.series.filmfacts import read_film
from anthology.workspace.models import Review
from anthology.workspace.people import PeopleIndex

REFERENCE_TAIL = 9  # " (p. 143)" after a reference; "(Vol. II, p. 143)" is longer, rarer


@dataclass(frozen=True)
class Block:
    """One block of running text: `kind` is p, h2, h3, quote, item, row, code, note, hr,
    image or gap (the space around a list or a table)."""

    kind: str
    chars: int


@dataclass(frozen=True)
class Shape:
    """A review as the page sees it. `facts` holds, per fact-box entry, the characters of each
    line of its value (a note under a labelled fact is a line of its own); `notes` the notes
    set above the entries; `tracks` each jukebox line."""

    slug: str
    title: str
    heading: int  # characters of the title and year
    appraisal: bool
    views: bool
    facts: tuple[tuple[int, ...], ...]
    notes: tuple[int, ...]
    tracks: tuple[int, ...]
    essay: tuple[Block, ...]
    guests: tuple[tuple[Block, ...], ...]
    judgement: str | None  # as printed ("7.5/10")
    related: tuple[int, ...]  # characters of each "Read Also" title
    words: int
    # What the back matter lists: the indexes' and the soundtrack's entries.
    year: int | None = None
    directors: tuple[str, ...] = ()
    stars: tuple[str, ...] = ()
    artists: tuple[str, ...] = ()  # each track's
    aka: tuple[int, ...] = ()  # characters of each other title
    genres: tuple[str, ...] = ()  # the first is what --order genre sorts by
    minutes: int | None = None  # the running time


_REFERENCE = re.compile(r"\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]+))?\]\]")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_NOTE_REF = re.compile(r"\[\^[^\]]+\]")
_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"(?<!\\)[*_`]+")
_SPACE = re.compile(r"\s+")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+")
_NOTE_DEF = re.compile(r"^\[\^[^\]]+\]:\s*")
_SETEXT = re.compile(r"^\s*(=+|-+)\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def plain(text: str) -> str:
    """Markdown inline text as printed: markup gone, references with their page."""
    text = _REFERENCE.sub(lambda m: (m[2] or m[1]) + "x" * REFERENCE_TAIL, text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda m: m[1] if m[1] is not None else m[2], text)
    text = _NOTE_REF.sub("1", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text).replace("\\", "").replace("---", "—").replace("--", "–")
    return _SPACE.sub(" ", text).strip()


def _paragraphs(lines: list[str]) -> Iterable[list[str]]:
    """Runs of non-blank lines, a fenced code block kept whole."""
    run: list[str] = []
    fenced = False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            run.append(line)
            if not fenced:
                yield run
                run = []
            continue
        if not line.strip() and not fenced:
            if run:
                yield run
            run = []
        else:
            run.append(line)
    if run:
        yield run


def _list_items(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        if _ITEM.match(line) or not items:
            items.append(_ITEM.sub("", line))
        else:
            items[-1] += " " + line.strip()
    return items


def blocks(markdown: str) -> tuple[Block, ...]:
    """The printed blocks of a Markdown text, in order."""
    found: list[Block] = []
    for run in _paragraphs(markdown.split("\n")):
        first = run[0].strip()
        if first.startswith(("```", "~~~")):
            found += [Block("gap", 0), *(Block("code", len(x)) for x in run[1:-1])]
        elif heading := _HEADING.match(first):
            found.append(Block("h2" if len(heading[1]) <= 2 else "h3", len(plain(heading[2]))))
            if len(run) > 1:
                found.append(Block("p", len(plain(" ".join(run[1:])))))
        elif len(run) == 1 and _RULE.match(first):
            found.append(Block("hr", 0))
        elif len(run) == 2 and _SETEXT.match(run[1]):
            found.append(Block("h2" if "=" in run[1] else "h3", len(plain(first))))
        elif all(x.lstrip().startswith(">") for x in run):
            text = " ".join(x.lstrip()[1:] for x in run)
            found.append(Block("quote", len(plain(text))))
        elif _ITEM.match(run[0]):
            found += [Block("gap", 0), *(Block("item", len(plain(x)))
                                         for x in _list_items(run)), Block("gap", 0)]
        elif len(run) > 1 and "|" in first and _TABLE_RULE.match(run[1]):
            found += [Block("gap", 0), *(Block("row", len(plain(x.replace("|", " "))))
                                         for x in run if not _TABLE_RULE.match(x)),
                      Block("gap", 0)]
        elif _NOTE_DEF.match(first):
            found.append(Block("note", len(plain(_NOTE_DEF.sub("", " ".join(run))))))
        elif _IMAGE.fullmatch(first) and len(run) == 1:
            found.append(Block("image", 0))
        else:
            text = plain(" ".join(run))
            if text:
                found.append(Block("p", len(text)))
    return tuple(found)


def _fact_lines(review: Review) -> tuple[tuple[tuple[int, ...], ...], tuple[int, ...]]:
    """Fact-box entries as the template groups them: a note after a labelled fact is a line
    of that entry; notes before the first labelled fact stand above the entries."""
    groups: list[list[int]] = []
    notes: list[int] = []
    for fact in review.meta.facts:
        if fact.label is None:
            (groups[-1] if groups else notes).append(len(fact.value))
        else:
            groups.append([len(fact.value)])
    return tuple(tuple(g) for g in groups), tuple(notes)


def shape(review: Review, people: PeopleIndex | None = None) -> Shape:
    """The shape of one loaded review; `people` (people.toml) joins the spellings of a name
    as the indexes do."""
    meta = review.meta
    film = read_film(review, people or PeopleIndex(), None)
    heading = len(meta.title) + (7 if meta.year else 0)
    facts, notes = _fact_lines(review)
    tracks = tuple(len(t.artist) + (len(t.song) + 3 if t.song else 0) for t in meta.jukebox)
    guests = tuple(blocks(g.markdown) for g in review.guests)
    words = len(review.essay.split()) + sum(len(g.markdown.split()) for g in review.guests)
    return Shape(review.slug, meta.title, heading, meta.appraisal is not None,
                 meta.views is not None, facts, notes, tracks, blocks(review.essay), guests,
                 str(meta.judgement) if meta.judgement else None,
                 tuple(len(r) for r in meta.related), words, film.year,
                 tuple(c.name for c in film.directors), tuple(c.name for c in film.stars),
                 tuple(t.artist for t in meta.jukebox), tuple(len(a) for a in meta.aka),
                 film.genres, film.minutes)
