"""Resolve a volume into a finished `Book`: chapters in order, cross-links found, Markdown
converted, identifiers settled.

The `Book` is everything a writer (EPUB, PDF) needs and nothing more: writers never look at
sources, the workspace or the file system except through the assets named here.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from anthology.series import shelving
from anthology.series.book import (
    Appendix,
    Book,
    Chapter,
    FactLine,
    GuestPiece,
    Matter,
    SeriesPlace,
    TrackLine,
)
from anthology.series.charts import numbers_appendix
from anthology.series.filmfacts import read_films
from anthology.series.findings import read_source
from anthology.series.indexes import index_appendices, places_for, series_places
from anthology.series.lint_rules import duplicate_appraisals
from anthology.series.markup import Asset, Fragment, load_asset, render_markdown, smarten
from anthology.series.references import BookReferences, Catalogue, title_key
from anthology.series.soundtrack import soundtrack_appendix
from anthology.workspace.files import Refused
from anthology.workspace.models import Fact, Review
from anthology.workspace.people import load_people
from anthology.workspace.problems import Problems
from anthology.workspace.publishing import EditionKind
from anthology.workspace.sources import read_text
from anthology.workspace.volume_source import TRIMS, Volume
from anthology.workspace.volumes import Workspace, toml_key_lines, volume_reviews

# render_markdown's signature: (source, path, first line, root, problems, id prefix). A caller
# that resolves the same sources again and again (the preview server) passes a memoised one.
MarkdownRenderer = Callable[[str, Path, int, Path, Problems, str], Fragment]
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_EMPHASIS = re.compile(r"<em>([^<]{1,300})</em>")


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


def _fact_line(fact: Fact, anchor: str) -> FactLine:
    label = smarten(fact.label) if fact.label is not None else None
    return FactLine(label, smarten(fact.value), fact.key, anchor if label else None)


class _Resolver:
    """Builds one Book; holds only what that one build needs."""

    def __init__(self, workspace: Workspace, volume: Volume, problems: Problems,
                 convert: MarkdownRenderer = render_markdown,
                 catalogue: Catalogue | None = None) -> None:
        self.workspace, self.volume, self.problems = workspace, volume, problems
        self.convert = convert
        self.assets: dict[str, Asset] = {}
        self.catalogue = catalogue or Catalogue(workspace)
        self.references: BookReferences | None = None

    def markdown(self, text: str, path: Path, line: int, prefix: str) -> str:
        fragment = self.convert(text, path, line, self.workspace.root, self.problems, prefix)
        for asset in fragment.assets:
            self.assets.setdefault(asset.name, asset)
        return _EMPHASIS.sub(self._cite, fragment.xhtml)

    def _cite(self, match: re.Match[str]) -> str:
        """An emphasised film title the series knows is a title: `<cite>`, which readers
        and assistive technology can tell from stress."""
        text = match[1]
        return f"<cite>{text}</cite>" if title_key(text) in self.catalogue.titles else match[0]

    def chapter(self, number: int, review: Review, in_book: dict[str, str]) -> Chapter:
        meta = review.meta
        chapter = in_book[review.slug]
        references = self.references or BookReferences(
            self.catalogue, in_book, self.problems, chapter_id, self.volume.source.draft)
        essay, essay_refs = references.essay(
            review, self.markdown(review.essay, review.path, review.essay_line, chapter))
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
            facts=tuple(_fact_line(f, f"{chapter}--fact-{i}") for i, f in enumerate(meta.facts)),
            tracks=tuple(TrackLine(smarten(t.artist), smarten(t.song) if t.song else None,
                                   t.lang, t.musicbrainz)
                         for t in meta.jukebox),
            judgement=str(meta.judgement) if meta.judgement else None,
            essay=essay,
            guests=guests,
            related=references.related(review),
            references=essay_refs,
            critic=smarten(self.volume.source.critic) if self.volume.source.critic else None,
        )

    def matter(self, kind: str, title: str, text: str | None, name: str | None) -> Matter | None:
        if text is None or name is None:
            return None
        return Matter(kind, title, self.markdown(text, self.volume.folder / name, 1, kind))

    def score_key(self, chapters: tuple[Chapter, ...]) -> Matter | None:
        """The key to the scores, in the author's words, when the volume shows judgements."""
        text = self.volume.source.score_key
        if not text or not any(c.judgement for c in chapters):
            return None
        line = toml_key_lines(read_text(self.volume.path, Problems(), (self.workspace.root,))
                              or "").get(("score_key",), 1)
        return Matter("score-key", "Key to the Scores",
                      self.markdown(text, self.volume.path, line, "score-key"))

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
        self.references = BookReferences(self.catalogue, in_book, self.problems, chapter_id,
                                         source.draft)
        chapters = tuple(self.chapter(n, r, in_book) for n, r in enumerate(reviews, start=1))
        ids = source.identifiers
        identity = f"{source.author}|{source.series.name if source.series else ''}|" \
                   f"{source.series.number if source.series else ''}|{source.title}"
        book_uuid = ids.uuid or str(uuid.uuid5(uuid.NAMESPACE_URL, f"anthology:{identity}"))
        identifier = f"urn:isbn:{ids.isbn_ebook}" if ids.isbn_ebook else f"urn:uuid:{book_uuid}"
        print_uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"anthology:{identity}|print")
        print_identifier = (f"urn:isbn:{ids.paperback}" if ids.paperback
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
            series=SeriesPlace(smarten(source.series.name), source.series.number)
            if source.series else None,
            identifier=identifier,
            print_identifier=print_identifier,
            isbn_ebook=ids.isbn_ebook,
            isbn_print=ids.paperback,
            dedication=self.matter("dedication", "Dedication", self.volume.dedication,
                                   source.dedication),
            foreword=self.matter("foreword", "Foreword", self.volume.foreword, source.foreword),
            afterword=self.matter("afterword", "Afterword", self.volume.afterword,
                                  source.afterword),
            back_cover=self.matter("back-cover", "Back Cover", self.volume.back_cover,
                                   source.back_cover),
            chapters=chapters,
            score_key=self.score_key(chapters),
            assets=tuple(sorted(self.assets.values(), key=lambda a: a.name)),
            cover=self.cover(),
            embed_fonts=source.epub.embed_fonts,
            description=shelving.description(source, chapters, smarten(source.author)),
            subjects=shelving.subjects(source, chapters),
            certified_by=source.epub.certified_by,
            trim=TRIMS[source.print.trim],
            bleed=source.print.bleed,
            paper=source.print.paper,
            isbn_hardcover=ids.isbn_hardcover,
            edition=smarten(f"{source.edition.statement} "
                            f"{source.edition.year or source.date.year}"),
            prices=tuple((kind.value, currency, amount) for kind in EditionKind
                         for currency, amount in sorted(source.prices.of(kind).items())),
            flap_author=smarten(source.jacket.flap_author) if source.jacket.flap_author
            else None,
            blurb="\n\n".join(smarten(p) for p in source.description.strip().split("\n\n"))
            if source.description else None,
        )


def resolve_book(workspace: Workspace, volume: Volume, problems: Problems,
                 markdown: MarkdownRenderer = render_markdown,
                 catalogue: Catalogue | None = None) -> Book:
    """Turn one volume of a loaded workspace into a finished Book, reporting any problems."""
    return _Resolver(workspace, volume, problems, markdown, catalogue).book()


def check_appraisal_numbers(workspace: Workspace, problems: Problems) -> None:
    """Two reviews with one appraisal number are an error in `build` as in `check`: the
    number is printed and orders the chapters. The linter's own rule and finding
    (`duplicate-appraisal`, silenced the same way), so `check` reports it once; only the
    reviews that share a number are read again for their lines."""
    reviews = workspace.reviews.values()
    counts = Counter(r.meta.appraisal for r in reviews if r.meta.appraisal is not None)
    shared = sorted((r for r in reviews if counts[r.meta.appraisal] > 1), key=lambda r: str(r.path))
    duplicate_appraisals([read_source(r, workspace.root) for r in shared], problems)


def resolve_series(workspace: Workspace, problems: Problems,
                   markdown: MarkdownRenderer = render_markdown) -> tuple[Book, ...]:
    """Every volume of the workspace, resolved together: each knows where the others print
    every review it refers to."""
    catalogue = Catalogue(workspace)
    check_appraisal_numbers(workspace, problems)
    books = tuple(resolve_book(workspace, volume, problems, markdown, catalogue)
                  for volume in workspace.volumes)
    people = load_people(workspace.root, problems)
    held = {slug for volume in workspace.volumes for slug in catalogue.home
            if catalogue.home[slug] is volume}
    films = read_films([workspace.reviews[s] for s in sorted(held)], people, problems,
                       workspace.root)
    volumes = {v.slug: v for v in workspace.volumes}
    finished = []
    for book in books:
        volume = volumes[book.slug]
        places, whole = places_for(book, volume, books, volumes, workspace.reviews,
                                   catalogue.home)
        # Appendices first (the soundtrack, the numbers), the indexes last, as books have it.
        appendices: list[Appendix] = []
        if volume.source.soundtrack:
            omnibus = any(catalogue.home[p.review.slug] is not volume for p in places
                          if p.volume is None)
            tracks = series_places(book, books, volumes, workspace.reviews, catalogue.home) \
                if omnibus else [p for p in places if p.volume is None]
            appendices.append(soundtrack_appendix(tracks, omnibus))
        appendices.append(numbers_appendix(volume.source, book.chapters, people))
        appendices += index_appendices(book, volume, places, films, people, whole, volumes)
        made = tuple(a for a in appendices if a is not None)
        finished.append(dataclasses.replace(book, appendices=(*book.appendices, *made)))
    return tuple(finished)
