"""References between reviews, across the whole series.

A review refers to another in its "related" list, or in its essay as `[[Title]]` or
`[[Title|words]]` (Markdown conversion leaves those as `a[data-ref]`). Each is resolved
against every review of the workspace, by title, alternative title or file name, compared
loosely. A review this book holds is referred to inside the book; any other, in the volume that
is its home (the one whose folder holds it, else the first that lists it).

A title that names no review of any volume is a film outside the series (the blog reviewed it,
the books do not hold it, or not yet): it prints as its title, without a page or a link, and is
noted. Only a near miss of a title the series holds is an error, with that title as "did you
mean": a typo must not pass for a film outside.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable

import lxml.html
from lxml import etree

from anthology.series.book import Reference
from anthology.series.markup import smarten
from anthology.workspace.models import Review
from anthology.workspace.problems import Problems
from anthology.workspace.volume_source import Volume
from anthology.workspace.volumes import Workspace, volume_reviews

UNKNOWN = "unknown-reference"  # the problem's code (docs/lint.md)
OUTSIDE = "outside-reference"
NEAR_MISS = 0.8  # how alike a title must be to one the series holds to count as its typo
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def title_key(title: str) -> str:
    """Compare titles loosely: case, accents, quotes and punctuation do not matter."""
    text = re.sub(r"['\u2018\u2019\u02bc]", "", title)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


_SMALL_WORDS = frozenset("the a an of and in on at to for with from by de la le les der die "
                         "das el".split())


def names_title(words: str, titles: tuple[str, ...]) -> bool:
    """Whether the words shown for `[[Title|words]]` are the film's title by another name:
    one of its titles, or a run of a title's words ("Caligari" for *The Cabinet of Dr.
    Caligari*), so they are set as a title; "that other film" or "The Cabinet" are not."""
    shown = title_key(words).split()
    if not shown or set(shown) <= _SMALL_WORDS:
        return False
    for title in titles:
        words_of = title_key(title).split()
        if any(words_of[i:i + len(shown)] == shown for i in range(len(words_of))):
            return True
    return False


def volume_label(volume: Volume) -> str:
    """How print names a volume in a reference: "Vol. II", or its title when unnumbered."""
    if volume.source.series is None:
        return smarten(volume.source.title)
    number, letters = volume.source.series.number, ""
    for value, numeral in _ROMAN:
        while number >= value:
            letters, number = letters + numeral, number - value
    return f"Vol. {letters}"


class Catalogue:
    """Where every review of the workspace is: what a title names, and each review's home."""

    def __init__(self, workspace: Workspace) -> None:
        self.titles: dict[str, list[Review]] = {}
        for review in workspace.reviews.values():
            for name in (review.title, *review.meta.aka, review.slug):
                found = self.titles.setdefault(title_key(name), [])
                if review not in found:
                    found.append(review)
        # Reviews that failed to load: a reference to one is not a second error.
        self.broken = {title_key(slug.replace("-", " ")) for slug in workspace.broken}
        self.home: dict[str, Volume] = {}
        for volume in workspace.volumes:
            for review in volume_reviews(volume, workspace):
                if review.path.parent == volume.folder:
                    self.home[review.slug] = volume
        for volume in workspace.volumes:
            for review in volume_reviews(volume, workspace):
                self.home.setdefault(review.slug, volume)

    def find(self, title: str) -> list[Review]:
        return self.titles.get(title_key(title), [])

    def nearest(self, title: str, cutoff: float = 0.6) -> str | None:
        keys = [k for k, reviews in self.titles.items()
                if any(r.slug in self.home for r in reviews)]
        close = difflib.get_close_matches(title_key(title), keys, n=1, cutoff=cutoff)
        if not close:
            return None
        review = next(r for r in self.titles[close[0]] if r.slug in self.home)
        return review.title


class BookReferences:
    """Resolves the references of one book's reviews."""

    def __init__(self, catalogue: Catalogue, in_book: dict[str, str], problems: Problems,
                 chapter_id: Callable[[str], str], draft: bool = False) -> None:
        # in_book: slug -> chapter id here; chapter_id: a review's chapter id in any volume.
        # A draft (just imported) may refer to reviews not imported yet: a warning there.
        self.catalogue, self.in_book, self.problems = catalogue, in_book, problems
        self.chapter_id, self.draft = chapter_id, draft

    def resolve(self, source: Review, title: str, line: int) -> Reference | None:
        matches = self.catalogue.find(title)
        here = next((r for r in matches if r.slug in self.in_book), None)
        target = here or next((r for r in matches if r.slug in self.catalogue.home), None)
        if target is None and title_key(title) in self.catalogue.broken:
            return None
        if target is None:
            nearest = self.catalogue.nearest(title, NEAR_MISS)
            if matches and all(r.meta.draft for r in matches):
                self.problems.note(source.path, line, f"reference '{title}' is to a draft: "
                                   "printed as its title, without a page", code=OUTSIDE)
                return Reference("", smarten(title))
            if nearest is None and not matches:
                self.problems.note(source.path, line, f"reference '{title}' is to a film "
                                   "outside the series: printed as its title, without a page",
                                   code=OUTSIDE)
                return Reference("", smarten(title))
            hint = f"; did you mean '{nearest}'?" if nearest else ""
            where = "is in no volume" if matches else "names no review"
            if self.draft:
                self.problems.warning(source.path, line, f"reference '{title}' {where}{hint}; "
                                      "it is shown without a page", code=UNKNOWN)
            else:
                self.problems.error(source.path, line, f"reference '{title}' {where}{hint}",
                                    code=UNKNOWN)
            return None
        if target.slug == source.slug:
            self.problems.warning(source.path, line, "a review refers to itself")
            return None
        shown = smarten(target.title)
        if here is not None:
            return Reference(target.slug, shown, chapter_id=self.in_book[target.slug])
        volume = self.catalogue.home[target.slug]
        return Reference(target.slug, shown, volume=volume.slug,
                         target=self.chapter_id(target.slug),
                         volume_title=smarten(volume.source.title),
                         volume_label=volume_label(volume), store=volume.source.store,
                         stores=volume.source.stores)

    def related(self, review: Review) -> tuple[Reference, ...]:
        found = []
        for item in review.related:
            reference = self.resolve(review, item.title, item.line)
            if reference is None and self.draft and self.catalogue.find(item.title) == []:
                reference = Reference("", smarten(item.title))  # kept, as the text it is
            if reference is not None:
                found.append(reference)
        return tuple(dict.fromkeys(found))

    def essay(self, review: Review, xhtml: str) -> tuple[str, tuple[Reference, ...]]:
        """The essay with each `[[...]]` resolved: `data-ref` names the review's slug, and a
        bare title shows the review's own title as a `cite`. One that names nothing is an
        error, and its words stay in the text."""
        if "data-ref=" not in xhtml:
            return xhtml, ()
        container = lxml.html.fragment_fromstring(xhtml, create_parent="div")
        found: list[Reference] = []
        for link in list(container.iter("a")):
            if link.get("data-ref") is None:
                continue
            line = int(link.attrib.pop("data-line", "0") or 0) or review.essay_line
            reference = self.resolve(review, link.get("data-ref"), line)
            if reference is not None and link.get("class") != "xref-title" and not len(link):
                # Words that are the title by another name are set as a title too.
                titles = (link.get("data-ref"), reference.title, *(
                    aka for r in self.catalogue.find(link.get("data-ref"))
                    if r.slug == reference.slug for aka in r.meta.aka))
                if names_title(link.text or "", titles):
                    etree.SubElement(link, "cite").text, link.text = link.text, None
            if reference is not None and not reference.slug:  # outside the series: its title
                if link.get("class") == "xref-title":
                    for child in list(link):
                        link.remove(child)
                    link.text = None
                    etree.SubElement(link, "cite").text = reference.title
                reference = None
            if reference is None:
                link.drop_tag()
                continue
            found.append(reference)
            link.set("data-ref", reference.slug)
            if link.get("class") == "xref-title":
                for child in list(link):
                    link.remove(child)
                link.text = None
                cite = etree.SubElement(link, "cite")
                cite.text = reference.title
            link.set("class", "xref")
        text = etree.tostring(container, method="xml", encoding="unicode")
        text = text.removeprefix("<div>").removesuffix("</div>") if text != "<div/>" else ""
        return text, tuple(dict.fromkeys(found))
