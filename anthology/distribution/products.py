"""From the workspace to the feed's products: each volume's editions that have an ISBN, with
what the build knows of them (the page count, the spine, the e-book's accessibility), and a
note wherever the feed must say less than a distributor would like."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from anthology.distribution import accessibility, pages
from anthology.distribution.onix import Edition, Volume
from anthology.print.geometry import spine_width
from anthology.workspace.problems import Problems
from anthology.workspace.publishing import EditionKind
from anthology.workspace.volumes import toml_key_lines

if TYPE_CHECKING:
    from anthology.print.pieces import PieceCache
    from anthology.series.book import Book
    from anthology.workspace.volume_source import Volume as VolumeFolder
    from anthology.workspace.volumes import Workspace


@dataclass(frozen=True)
class Listed:
    """One product as the command reports it: where its facts were read."""

    volume: str
    edition: str
    isbn: str
    pages: int | None
    pages_from: str | None
    prices: tuple[tuple[str, str], ...]
    accessibility: tuple[str, ...] = ()  # code list 196 values
    accessibility_from: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"volume": self.volume, "edition": self.edition, "isbn": self.isbn,
                "pages": self.pages, "pages_from": self.pages_from,
                "prices": dict(self.prices), "accessibility": list(self.accessibility),
                "accessibility_from": self.accessibility_from}


@dataclass(frozen=True)
class Feed:
    volumes: tuple[Volume, ...]
    listed: tuple[Listed, ...]
    skipped: tuple[str, ...]  # volumes without an ISBN


def sent_at(volumes: Sequence[Volume]) -> datetime:
    """The message's date: SOURCE_DATE_EPOCH when set (an EpochError when it is not a
    moment), else the latest publication date of the volumes in it. Never the clock."""
    from anthology.epub.package import source_date_epoch

    moment = source_date_epoch()
    if moment is not None:
        return moment.replace(tzinfo=UTC)
    return datetime.combine(max(v.date for v in volumes), time(), UTC)


def language(tag: str) -> tuple[str | None, str | None]:
    """A BCP 47 tag ("en-GB") as ONIX has it: ISO 639-2/B ("eng", list 74) and the country
    ("GB", list 91); None for a part ISO does not know."""
    import pycountry

    primary, *rest = tag.split("-")
    entry = (pycountry.languages.get(alpha_2=primary.lower()) if len(primary) == 2
             else pycountry.languages.get(alpha_3=primary.lower()))
    code = None if entry is None else getattr(entry, "bibliographic", None) or entry.alpha_3
    region = next((part.upper() for part in rest if len(part) == 2 and part.isalpha()), None)
    country = region if region and pycountry.countries.get(alpha_2=region) else None
    return code, country


class _Facts:
    """What the build left in `folder`, read once: the newest source's time decides whether a
    built file still stands for the sources."""

    def __init__(self, workspace: Workspace, folder: Path, shown: str,
                 cache: PieceCache | None, problems: Problems) -> None:
        self.workspace, self.folder, self.shown, self.cache = workspace, folder, shown, cache
        self.problems = problems
        self._newest: float | None = None
        self._theme: object = None

    @property
    def newest(self) -> float:
        if self._newest is None:
            from anthology.preflight.run import sources

            self._newest = pages.newest(sources(self.workspace))
        return self._newest

    def page_count(self, book: Book, kind: EditionKind) -> pages.PageCount | None:
        try:
            found = pages.built(book, kind, self.folder, self.newest, self.shown)
        except pages.Unreadable as exc:
            self.problems.warning(exc.path, 0, f"{exc}: its page count is not used")
            found = None
        if found is None and self.cache is not None:
            from anthology.workspace.theme import Theme

            if self._theme is None:
                self._theme = Theme.for_workspace(self.workspace.root)
            found = pages.cached(book, kind, self._theme, self.cache)  # type: ignore[arg-type]
        return found

    def declared(self, book: Book) -> tuple[accessibility.Declared, str]:
        epub = self.folder / f"{book.slug}.epub"
        if epub.is_file() and epub.stat().st_mtime >= self.newest:
            try:
                return accessibility.from_epub(epub), f"{self.shown}/{epub.name}"
            except ValueError as exc:
                self.problems.warning(epub, 0, f"{exc}: the feed says what a build writes")
        return accessibility.for_book(book), "the EPUB a build makes"


def _editions(book: Book, folder: VolumeFolder, facts: _Facts, problems: Problems,
              lines: dict[tuple[str | int, ...], int]) -> tuple[list[Edition], list[Listed]]:
    source = folder.source
    editions: list[Edition] = []
    listed: list[Listed] = []
    for kind in EditionKind:
        isbn = source.identifiers.isbn(kind)
        if isbn is None:
            continue
        prices = tuple(sorted(source.prices.of(kind).items()))
        if not prices:
            problems.note(folder.path, lines.get(("prices",), 0), f"no {kind.value} price in "
                          f"[prices]: the feed says 'price to be announced'")
        count, thickness, features, told = None, None, (), None
        if kind is EditionKind.ebook:
            declared, told = facts.declared(book)
            features = accessibility.features(declared)
            for value in accessibility.unmapped(declared):
                problems.note(folder.path, 0, f"the e-book declares {value}, which has no "
                              "ONIX code here: the feed leaves it out")
        else:
            count = facts.page_count(book, kind)
            if count is None:
                problems.note(folder.path, 0, f"the {kind.value}'s page count is not known "
                              f"(no current interior in {facts.shown}/ or layout in the "
                              f"cache): sent without it; 'anthology build {book.slug} "
                              "--print' makes it")
            elif kind is EditionKind.paperback:
                thickness = spine_width(count.total, book.paper)  # type: ignore[arg-type]
        editions.append(Edition(kind, isbn, prices, count, thickness, features))
        listed.append(Listed(book.slug, kind.value, isbn, count.total if count else None,
                             count.source if count else None,
                             tuple((c, f"{a:.2f}") for c, a in prices),
                             tuple(f.value for f in features if f.type == "09"), told))
    return editions, listed


def gather(books: Sequence[Book], workspace: Workspace, folder: Path, shown: str,
           cache: PieceCache | None, problems: Problems) -> Feed:
    """The feed's volumes, in the workspace's order. `folder` holds the built books (`shown`
    is how to name it); `cache` is the build's layout cache, for page counts."""
    facts = _Facts(workspace, folder, shown, cache, problems)
    volumes: list[Volume] = []
    listed: list[Listed] = []
    skipped: list[str] = []
    for book in books:
        found = workspace.volume(book.slug)
        if found is None:
            continue
        source = found.source
        lines = toml_key_lines(found.path.read_text(encoding="utf-8"))
        if not any(source.identifiers.isbn(kind) for kind in EditionKind):
            problems.note(found.path, lines.get(("identifiers",), 0), "no ISBN for any "
                          "edition ([identifiers] isbn_ebook, isbn_paperback, isbn_hardcover):"
                          " left out of the ONIX feed, which names each product by its ISBN")
            skipped.append(book.slug)
            continue
        editions, rows = _editions(book, found, facts, problems, lines)
        code, country = language(book.language)
        volumes.append(Volume(
            book.title, book.subtitle, book.author, book.contributors, code, country,
            book.date, book.publisher, book.description,
            (book.series.name, book.series.number) if book.series else None, book.trim,
            source.classification.bisac, source.classification.thema, book.subjects,
            tuple(editions)))
        listed.extend(rows)
    return Feed(tuple(volumes), tuple(listed), tuple(skipped))
