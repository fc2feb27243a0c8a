"""Resolve a volume into a finished `Book`: chapters in order, cross-links found, Markdown
converted, identifiers settled.

The `Book` is everything a writer (EPUB, PDF) needs and nothing more: writers never look at
sources, the workspace or the file system except through the assets named here.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from anthology.print.geometry import DEFAULT_TRIM, TRIMS
from anthology.render.markup import Asset, Fragment, load_asset, render_markdown, smarten
from anthology.workspace.files import Refused
from anthology.workspace.models import Fact, Review, Volume
from anthology.workspace.problems import Problems
from anthology.workspace.sources import read_text
from anthology.workspace.volumes import Workspace, toml_key_lines, volume_reviews

# render_markdown's signature: (source, path, first line, root, problems, id prefix). A caller
# that resolves the same sources again and again (the preview server) passes a memoised one.
MarkdownRenderer = Callable[[str, Path, int, Path, Problems, str], Fragment]
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_EMPHASIS = re.compile(r"<em>([^<]{1,300})</em>")


@dataclass(frozen=True)
class FactLine:
    label: str | None
    value: str
    key: str | None


@dataclass(frozen=True)
class TrackLine:
    artist: str
    song: str | None
    lang: str | None = None  # the song title's language when it differs from the book's
    musicbrainz: str | None = None  # the recording's MusicBrainz id, for the playlists


@dataclass(frozen=True)
class GuestPiece:
    byline: str
    xhtml: str


@dataclass(frozen=True)
class RelatedLink:
    """A "Read ..." cross-link: to a chapter of this book, to another volume, or to neither."""

    title: str
    chapter_id: str | None = None
    volume_title: str | None = None


@dataclass(frozen=True)
class Chapter:
    id: str
    number: int
    title: str
    year: int | None
    appraisal: int | None
    views: str | None
    author: str
    facts: tuple[FactLine, ...]
    tracks: tuple[TrackLine, ...]
    judgement: str | None
    essay: str
    guests: tuple[GuestPiece, ...]
    related: tuple[RelatedLink, ...]
    critic: str | None = None  # the pen name before "Appraisal" and "Judgement"

    @property
    def heading(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True)
class Matter:
    """Front or back matter written by the author: dedication, foreword, afterword."""

    kind: str
    title: str
    xhtml: str


@dataclass(frozen=True)
class Series:
    name: str
    number: int


@dataclass(frozen=True)
class Book:
    slug: str
    title: str
    subtitle: str | None
    author: str
    publisher: str | None
    language: str
    date: date
    rights: str | None
    series: Series | None
    identifier: str
    print_identifier: str
    isbn_ebook: str | None
    isbn_print: str | None
    dedication: Matter | None
    foreword: Matter | None
    afterword: Matter | None
    back_cover: Matter | None
    chapters: tuple[Chapter, ...]
    assets: tuple[Asset, ...]
    cover: Asset | None
    embed_fonts: bool = False
    description: str | None = None
    subjects: tuple[str, ...] = ()
    certified_by: str | None = None
    trim: tuple[float, float] = TRIMS[DEFAULT_TRIM]
    bleed: bool = False
    paper: str = "white"

    @property
    def contributors(self) -> tuple[str, ...]:
        """Guest essayists, in book order, each once."""
        return tuple(dict.fromkeys(g.byline for c in self.chapters for g in c.guests))

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title


def title_key(title: str) -> str:
    """Compare titles loosely: case, accents, quotes and punctuation do not matter."""
    text = re.sub(r"['\u2018\u2019\u02bc]", "", title)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def sort_title(title: str) -> str:
    return title_key(_ARTICLE.sub("", title))


CHAPTER_PREFIX = "ch-"


def chapter_id(slug: str) -> str:
    """Every chapter's id (and EPUB file name) starts with "ch-", which none of the book's own
    documents and manifest ids do, so no review's name can collide with them ("cover", "toc")
    and an id starts with a letter even for a film called "1917". Ids inside a chapter add
    "--" and a name: a slug never holds "--", so they cannot meet another chapter's id."""
    return f"{CHAPTER_PREFIX}{slug}"


def order_reviews(volume: Volume, reviews: list[Review], problems: Problems) -> list[Review]:
    order = volume.source.chapter_order
    if order == "list":
        return reviews
    if order == "title":
        return sorted(reviews, key=lambda r: (sort_title(r.title), r.slug))
    if order == "year":
        missing = [r for r in reviews if r.meta.year is None]
        for review in missing:
            problems.error(review.path, 2, f"volume '{volume.slug}' is ordered by year, "
                                           "but this review has no 'year'")
        return sorted(reviews, key=lambda r: (r.meta.year or 0, sort_title(r.title)))
    for review in reviews:
        if review.meta.appraisal is None:
            problems.error(review.path, 2, f"volume '{volume.slug}' is ordered by appraisal "
                                           "number, but this review has no 'appraisal'")
    return sorted(reviews, key=lambda r: (r.meta.appraisal or 0, sort_title(r.title)))


def _fact_line(fact: Fact) -> FactLine:
    label = smarten(fact.label) if fact.label is not None else None
    return FactLine(label, smarten(fact.value), fact.key)


class _Resolver:
    """Builds one Book; holds only what that one build needs."""

    def __init__(self, workspace: Workspace, volume: Volume, problems: Problems,
                 convert: MarkdownRenderer = render_markdown) -> None:
        self.workspace, self.volume, self.problems = workspace, volume, problems
        self.convert = convert
        self.assets: dict[str, Asset] = {}
        self.titles: dict[str, list[Review]] = {}
        for review in workspace.reviews.values():
            self.titles.setdefault(title_key(review.title), []).append(review)
        # A review's home is the volume whose folder holds it, else the first that lists it.
        self.home: dict[str, Volume] = {}
        for other in workspace.volumes:
            for review in volume_reviews(other, workspace):
                if review.path.parent == other.folder:
                    self.home[review.slug] = other
        for other in workspace.volumes:
            for review in volume_reviews(other, workspace):
                self.home.setdefault(review.slug, other)

    def markdown(self, text: str, path: Path, line: int, prefix: str) -> str:
        fragment = self.convert(text, path, line, self.workspace.root, self.problems, prefix)
        for asset in fragment.assets:
            self.assets.setdefault(asset.name, asset)
        return _EMPHASIS.sub(self._cite, fragment.xhtml)

    def _cite(self, match: re.Match[str]) -> str:
        """An emphasised film title the series knows is a title: `<cite>`, which readers
        and assistive technology can tell from stress."""
        text = match[1]
        return f"<cite>{text}</cite>" if title_key(text) in self.titles else match[0]

    def related(self, review: Review, in_book: dict[str, str]) -> tuple[RelatedLink, ...]:
        links = []
        for item in review.related:
            key = title_key(item.title)
            matches = self.titles.get(key, [])
            target = next((r for r in matches if r.slug in in_book), None)
            if target is not None:
                if target.slug == review.slug:
                    self.problems.warning(review.path, item.line, "a review relates to itself")
                    continue
                links.append(RelatedLink(smarten(target.title), in_book[target.slug]))
                continue
            volume = next((self.home[r.slug] for r in matches if r.slug in self.home), None)
            if volume is not None:
                links.append(RelatedLink(smarten(matches[0].title),
                                         volume_title=smarten(volume.source.title)))
                continue
            self.problems.warning(review.path, item.line,
                                  f"related review '{item.title}' is in no volume; "
                                  "it is shown without a link")
            links.append(RelatedLink(smarten(item.title)))
        return tuple(links)

    def chapter(self, number: int, review: Review, in_book: dict[str, str]) -> Chapter:
        meta = review.meta
        chapter = in_book[review.slug]
        guests = tuple(
            GuestPiece(smarten(g.byline), self.markdown(g.markdown, review.path, g.line,
                                                        f"{chapter}--guest-{n}"))
            for n, g in enumerate(review.guests, start=1)
        )
        return Chapter(
            id=chapter,
            number=number,
            title=smarten(meta.title),
            year=meta.year,
            appraisal=meta.appraisal,
            views=smarten(meta.views) if meta.views else None,
            author=smarten(meta.author or self.volume.source.author),
            facts=tuple(_fact_line(f) for f in meta.facts),
            tracks=tuple(TrackLine(smarten(t.artist), smarten(t.song) if t.song else None,
                                   t.lang, t.musicbrainz)
                         for t in meta.jukebox),
            judgement=str(meta.judgement) if meta.judgement else None,
            essay=self.markdown(review.essay, review.path, review.essay_line, chapter),
            guests=guests,
            related=self.related(review, in_book),
            critic=smarten(self.volume.source.critic) if self.volume.source.critic else None,
        )

    def matter(self, kind: str, title: str, text: str | None, name: str | None) -> Matter | None:
        if text is None or name is None:
            return None
        return Matter(kind, title, self.markdown(text, self.volume.folder / name, 1, kind))

    def cover(self) -> Asset | None:
        name = self.volume.source.cover
        if name is None:
            return None
        text = read_text(self.volume.path, Problems(), (self.workspace.root,)) or ""
        line = toml_key_lines(text).get(("cover",), 1)
        try:
            asset = load_asset(self.volume.folder / name, self.workspace.root)
        except Refused as exc:
            self.problems.error(self.volume.path, line, f"cover '{name}' {exc}")
            return None
        if asset.media_type not in ("image/jpeg", "image/png"):
            self.problems.error(self.volume.path, line, f"cover '{name}' is not a JPEG or PNG "
                                                        "image")
            return None
        return asset

    def book(self) -> Book:
        source = self.volume.source
        reviews = order_reviews(self.volume, volume_reviews(self.volume, self.workspace),
                                self.problems)
        failed_here = any(p.path.parent == self.volume.folder for p in self.problems.errors)
        if not reviews and not failed_here:
            self.problems.error(self.volume.path, 1, f"volume '{self.volume.slug}' has no reviews")
        in_book = {r.slug: chapter_id(r.slug) for r in reviews}
        chapters = tuple(self.chapter(n, r, in_book) for n, r in enumerate(reviews, start=1))
        ids = source.identifiers
        identity = f"{source.author}|{source.series.name if source.series else ''}|" \
                   f"{source.series.number if source.series else ''}|{source.title}"
        book_uuid = ids.uuid or str(uuid.uuid5(uuid.NAMESPACE_URL, f"anthology:{identity}"))
        identifier = f"urn:isbn:{ids.isbn_ebook}" if ids.isbn_ebook else f"urn:uuid:{book_uuid}"
        print_uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"anthology:{identity}|print")
        print_identifier = (f"urn:isbn:{ids.isbn_print}" if ids.isbn_print
                            else f"urn:uuid:{print_uuid}")
        return Book(
            slug=self.volume.slug,
            title=smarten(source.title),
            subtitle=smarten(source.subtitle) if source.subtitle else None,
            author=smarten(source.author),
            publisher=smarten(source.publisher) if source.publisher else None,
            language=source.language,
            date=source.date,
            rights=smarten(source.rights) if source.rights else None,
            series=Series(smarten(source.series.name), source.series.number)
            if source.series else None,
            identifier=identifier,
            print_identifier=print_identifier,
            isbn_ebook=ids.isbn_ebook,
            isbn_print=ids.isbn_print,
            dedication=self.matter("dedication", "Dedication", self.volume.dedication,
                                   source.dedication),
            foreword=self.matter("foreword", "Foreword", self.volume.foreword, source.foreword),
            afterword=self.matter("afterword", "Afterword", self.volume.afterword,
                                  source.afterword),
            back_cover=self.matter("back-cover", "Back Cover", self.volume.back_cover,
                                   source.back_cover),
            chapters=chapters,
            assets=tuple(sorted(self.assets.values(), key=lambda a: a.name)),
            cover=self.cover(),
            embed_fonts=source.epub.embed_fonts,
            description=source.description,
            subjects=source.subjects,
            certified_by=source.epub.certified_by,
            trim=TRIMS[source.print.trim],
            bleed=source.print.bleed,
            paper=source.print.paper,
        )


def resolve_book(workspace: Workspace, volume: Volume, problems: Problems,
                 markdown: MarkdownRenderer = render_markdown) -> Book:
    """Turn one volume of a loaded workspace into a finished Book, reporting any problems."""
    return _Resolver(workspace, volume, problems, markdown).book()
