"""Indexes as back matter, made from the fact boxes: films, directors, actors, years, scores.

Order follows the Chicago Manual of Style (anthology.workspace.collation): articles ignored and
inverted, personal names inverted (people.toml settles the exceptions), word by word, numerals
as spelled, a section per letter, "see" references last. The markup follows the DAISY
guidance for accessible indexes: a section per letter group with its heading, lists of entries,
and locators that are links.

A locator names a page key (anthology.series.pagemap): a chapter's whole span for a film
("143–48"), the fact that credits a person for a name. The print edition prints the page the
series layout gives it; the EPUB links to the place. A series index (the omnibus's, and the
series' last volume's) covers every volume: a review this book prints has its page here, any
other the volume's numeral with its page ("I: 14").
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from anthology.series.book import Appendix, Book, Chapter
from anthology.series.filmfacts import FilmFacts
from anthology.series.markup import smarten
from anthology.series.references import volume_label
from anthology.workspace.collation import (
    SortKey,
    invert_title,
    letter_groups,
    sort_key,
    split_article,
    title_key,
)
from anthology.workspace.models import Review
from anthology.workspace.people import PeopleIndex
from anthology.workspace.volume_source import Volume

NBSP = "\u00a0"  # binds what must not start a turnover line to the word before it
TITLES = {"films": "Index of Films", "directors": "Index of Directors",
          "actors": "Index of Actors", "years": "Films by Year", "scores": "Films by Score"}


@dataclass(frozen=True)
class Place:
    """A chapter an index points to: in this book, or in another volume."""

    chapter: Chapter
    review: Review
    volume: str | None = None  # another volume's slug
    numeral: str | None = None  # its number as the locators print it ("II")


@dataclass(frozen=True)
class Locator:
    place: Place
    anchor: str  # the chapter's id (its whole span) or a fact's anchor
    span: bool

    def xhtml(self) -> str:
        key = f"{self.place.volume}#{self.anchor}" if self.place.volume else self.anchor
        extra = ' data-span="1"' if self.span else ""
        if self.place.volume:
            extra += f' data-volume="{self.place.numeral}"'
        title = html.escape(self.place.chapter.title, quote=False)
        return (f'<a class="locator" data-locator="{html.escape(key)}"{extra} '
                f'data-chapter="{self.place.chapter.id}">{title}</a>')


@dataclass(frozen=True)
class Entry:
    heading: str  # XHTML
    key: SortKey
    locators: tuple[Locator, ...] = ()
    subentries: tuple[Entry, ...] = ()
    see: str | None = None  # XHTML of the heading it sends the reader to

    def xhtml(self) -> str:
        text = f'<span class="index-term">{self.heading}</span>'
        if self.locators:
            # The last locator never starts a turnover line alone: a no-break space before it.
            *others, last = (locator.xhtml() for locator in self.locators)
            text += "".join(f", {o}" for o in others) + f",{NBSP}{last}"
        if self.see:
            # Chicago 16.22: *see* in italics, but in roman before an italic term (a title);
            # no full stop after a heading that ends in one, or in "!" or "?" (16.95).
            stop = "" if re.sub(r"<[^>]+>", "", text).rstrip()[-1:] in ".?!" else "."
            if re.search(r"[?!]</cite>$", text.removesuffix("</span>")):
                stop = "\u2009"  # an italic "!" leans into the space: a thin space corrects it
            see = "See" if self.see.startswith("<cite>") else "<i>See</i>"
            text += f'{stop} <span class="index-see">{see} {self.see}</span>'
        if len(self.subentries) == 1 and not self.locators:
            # One film: run in on the heading's line ("Bava, Mario: Black Sunday, 112").
            return f"{text}: {self.subentries[0].xhtml()}"
        if self.subentries:
            items = "".join(f'<li class="index-entry">{e.xhtml()}</li>'
                            for e in sorted(self.subentries, key=lambda e: e.key))
            text += f'<ul class="index-subentries">{items}</ul>'
        return text


def _cite(title: str) -> str:
    return f"<cite>{html.escape(title, quote=False)}</cite>"


def _inverted(title: str, language: str) -> str:
    """The index heading of a title, its article bound to it: "Caligari,\u00a0The" never
    leaves "The" alone on a turnover line."""
    shown = invert_title(title, language)
    if shown == title.strip():
        return shown
    rest, _, article = shown.rpartition(", ")
    return f"{rest},{NBSP}{article}"


def _film(place: Place, language: str, anchor: str | None = None, *,
          inverted: bool = True) -> Entry:
    title = place.chapter.title
    shown = _inverted(title, language) if inverted else title
    year = f" ({place.chapter.year})" if place.chapter.year else ""
    return Entry(_cite(shown) + year, title_key(title, language),
                 (Locator(place, anchor or place.chapter.id, anchor is None),))


FOREIGN = ("de", "fr", "es", "it")  # original titles mostly are; articles are inverted too


def _language_of(title: str, language: str) -> str:
    """An alternative title is most often the original one: an article of a language the
    collation knows ("Das", "Les", "El") marks its language (CMOS 16.52: inverted alike)."""
    for candidate in FOREIGN:
        if split_article(title, candidate)[0] and not split_article(title, language)[0]:
            return candidate
    return language


def _films(places: Sequence[Place], language: str) -> list[Entry]:
    entries = [_film(p, language) for p in places]
    titles = {title_key(p.chapter.title, language) for p in places}
    for place in places:
        for aka in place.review.meta.aka:
            aka = smarten(aka)
            own = _language_of(aka, language)
            if title_key(aka, own) in titles:
                continue
            entries.append(Entry(_cite(_inverted(aka, own)), title_key(aka, own),
                                 see=_cite(_inverted(place.chapter.title, language))))
    return entries


def _people(places: Sequence[Place], films: Mapping[str, FilmFacts], people: PeopleIndex,
            language: str, role: str) -> list[Entry]:
    credits: dict[str, list[Entry]] = defaultdict(list)
    for place in places:
        facts = films.get(place.review.slug, FilmFacts())
        for credit in getattr(facts, role):
            anchor = f"{place.chapter.id}--fact-{credit.fact}"
            film = _film(place, language, anchor, inverted=False)
            if all(e.locators[0].place is not place for e in credits[credit.name]):
                credits[credit.name].append(film)
    return [Entry(html.escape(smarten(people.heading(name)), quote=False), people.key(name),
                  subentries=tuple(found))
            for name, found in credits.items()]


def _groups(entries: Sequence[Entry]) -> str:
    parts = []
    for letter, group in letter_groups(entries, lambda e: e.key):
        parts.append((letter if letter != "#" else "Symbols and Numbers", group))
    return _sections(parts)


def _sections(parts: Sequence[tuple[str, Sequence[Entry]]], ordered: bool = True) -> str:
    out = []
    for number, (title, group) in enumerate(parts, start=1):
        items = group if not ordered else sorted(group, key=lambda e: e.key)
        entries = "".join(f'<li class="index-entry">{e.xhtml()}</li>' for e in items)
        out.append(f'<section class="index-group" aria-labelledby="@ID@-{number}">'
                   f'<h2 id="@ID@-{number}">{html.escape(title)}</h2>'
                   f'<ul class="index-entries">{entries}</ul></section>')
    return "".join(out)


def _years(places: Sequence[Place], films: Mapping[str, FilmFacts], language: str) -> str:
    by_year: dict[int, list[Place]] = defaultdict(list)
    for place in places:
        year = films.get(place.review.slug, FilmFacts()).year or place.chapter.year
        if year:
            by_year[year].append(place)
    decades: dict[int, list[Entry]] = defaultdict(list)
    for year in sorted(by_year):
        subentries = tuple(_film(p, language) for p in by_year[year])
        decades[year // 10 * 10].append(Entry(str(year), sort_key(str(year)),
                                              subentries=subentries))
    return _sections([(f"The {d}s", decades[d]) for d in sorted(decades)], ordered=False)


def _scores(places: Sequence[Place], language: str) -> str:
    by_score: dict[tuple[float, str], list[Place]] = defaultdict(list)
    for place in places:
        judgement = place.review.meta.judgement
        if judgement is not None:
            score = float(judgement.score) / float(judgement.scale)
            by_score[(score, str(judgement))].append(place)
    parts = [(shown, [_film(p, language) for p in by_score[(score, shown)]])
             for score, shown in sorted(by_score, key=lambda s: (-s[0], s[1]))]
    return _sections(parts)


def _key(book: Book, series: bool, volumes: Mapping[str, Volume]) -> str:
    if not series:
        return ""
    others = [f"{volume_label(v).removeprefix('Vol. ')}: {html.escape(v.source.title)}"
              for v in volumes.values() if v.source.series and v.slug != book.slug]
    return ('<p class="index-key">Page numbers alone refer to this book; a numeral before '
            "a page names another volume of the series (" + "; ".join(others) + ").</p>")


def index_appendices(book: Book, volume: Volume, places: Sequence[Place],
                     films: Mapping[str, FilmFacts], people: PeopleIndex, series: bool,
                     volumes: Mapping[str, Volume]) -> tuple[Appendix, ...]:
    """The indexes `volume.toml` asks for, over `places` (this book's chapters, and in a
    series index every other volume's)."""
    language = book.language
    made = []
    for kind in volume.source.indexes:
        if kind == "films":
            body = _groups(_films(places, language))
        elif kind in ("directors", "actors"):
            role = "directors" if kind == "directors" else "stars"
            body = _groups(_people(places, films, people, language, role))
        elif kind == "years":
            body = _years(places, films, language)
        else:
            body = _scores(places, language)
        if not body:
            continue
        ident = f"index-{kind}"
        title = TITLES[kind]
        columns = f'<div class="index-columns">{body.replace("@ID@", ident)}</div>'
        made.append(Appendix("index", ident, title, _key(book, series, volumes) + columns,
                             epub_type="index", role="doc-index"))
    return tuple(made)


def places_for(book: Book, volume: Volume, books: Sequence[Book],
               volumes: Mapping[str, Volume], reviews: Mapping[str, Review],
               home: Mapping[str, Volume]) -> tuple[list[Place], bool]:
    """The chapters `book`'s indexes cover, and whether it is a series index: the omnibus
    (a volume holding reviews of other volumes) and the series' last volume cover all."""
    own = [Place(c, reviews[c.id.removeprefix("ch-")]) for c in book.chapters]
    series = bool(volume.source.series and volume.source.series.last) or any(
        home.get(p.review.slug) is not None and home[p.review.slug].slug != volume.slug
        for p in own)
    if not series:
        return own, False
    held = {p.review.slug for p in own}
    places = list(own)
    for other in books:
        source = volumes[other.slug]
        if other.slug == book.slug or source.source.series is None:
            continue
        numeral = volume_label(source).removeprefix("Vol. ")
        for chapter in other.chapters:
            review = reviews[chapter.id.removeprefix("ch-")]
            if review.slug not in held and home[review.slug].slug == other.slug:
                places.append(Place(chapter, review, other.slug, numeral))
    return places, True


def series_places(book: Book, books: Sequence[Book], volumes: Mapping[str, Volume],
                  reviews: Mapping[str, Review], home: Mapping[str, Volume]) -> list[Place]:
    """Every review of the numbered volumes in series order, each where `book` finds it: its
    own chapter when it holds the review, else the chapter in the review's home volume."""
    held = {c.id: c for c in book.chapters}
    numbered = sorted((b for b in books if volumes[b.slug].source.series),
                      key=lambda b: volumes[b.slug].source.series.number)
    places = []
    for other in numbered:
        for chapter in other.chapters:
            review = reviews[chapter.id.removeprefix("ch-")]
            if home[review.slug].slug != other.slug:
                continue
            if chapter.id in held:
                places.append(Place(held[chapter.id], review))
            else:
                numeral = volume_label(volumes[other.slug]).removeprefix("Vol. ")
                places.append(Place(chapter, review, other.slug, numeral))
    return places
