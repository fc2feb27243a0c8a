"""The print layout of the whole series, laid out together until its references settle.

A reference in one volume prints a page of another ("Vol. II, p. 143"), and that page depends
on the other volume's layout, whose references may print pages of the first. So every volume
is laid out (from the piece cache where it can), the pages each printed are compared with the
pages the layouts gave, and the volumes whose printed pages were wrong are laid out again:
only the pieces whose text changed cost anything. Page numbers rarely change a piece's length,
so this settles in the second pass, and is checked: after three passes a clear error names the
references that do not settle.

The settled page map is kept in the cache folder with the digest of its inputs: the next build
starts from it, so a build after an edit usually settles in one pass, and a build of one volume
(`anthology build after-midnight`) gets every other volume's pages from the cached layout.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

from anthology.print.cache import BookLayout, PieceCache
from anthology.print.geometry import GUTTER_BANDS
from anthology.print.join import Joined
from anthology.print.pdf import Profile, ResourceError
from anthology.print.pieces import Body, PiecedBuild, Workers, theme_fingerprint, versions
from anthology.series.book import Book
from anthology.series.pagemap import OtherVolumes, SeriesPages
from anthology.workspace.theme import Theme, ThemeError

PASSES = 3


class NotSettled(Exception):
    """Page references that still change after the last pass."""


class BookFailed(Exception):
    """Laying out one book failed (a theme error, a file it may not read): `error` says why."""

    def __init__(self, slug: str, error: Exception) -> None:
        super().__init__(str(error))
        self.slug, self.error = slug, error


@contextlib.contextmanager
def _blame(slug: str) -> Iterator[None]:
    try:
        yield
    except (ThemeError, ResourceError) as exc:
        raise BookFailed(slug, exc) from exc
    except OverflowError as exc:  # Pango's, for sizes each in bounds that multiply by nesting
        raise BookFailed(slug, ResourceError(
            "the stylesheets make a size too large to lay out (a font size or length in em or "
            "% that multiplies through nested elements?)")) from exc


@dataclass(frozen=True)
class SeriesLayout:
    pages: SeriesPages
    records: Mapping[str, BookLayout]  # every book's settled layout, new or kept
    joined: frozenset[str]  # the books joined and delivered; the rest were as before
    used: Mapping[str, frozenset[str]]  # cache entries of each layout this run recorded
    passes: int


def book_inputs(book: Book, fingerprint: str, profile: Profile) -> str:
    """The digest of what one book's layout comes from, but for the other volumes' pages."""
    return hashlib.sha256(f"{versions()}|{profile.value}|{fingerprint}|{book!r}".encode()
                          ).hexdigest()


def book_digests(books: Sequence[Book], theme: Theme, profile: Profile) -> dict[str, str]:
    """Each book's book_inputs, the theme read once."""
    fingerprint = theme_fingerprint(theme)
    return {book.slug: book_inputs(book, fingerprint, profile) for book in books}


def kept_layouts(digests: Mapping[str, str], profile: Profile,
                 cache: PieceCache) -> dict[str, BookLayout]:
    """The books whose recorded layout was made from the inputs they have now (`digests`,
    from book_digests; the other volumes' pages aside: the series layout checks those)."""
    kept = {}
    for slug, digest in digests.items():
        record = cache.book_layout(slug, profile.value)
        if record is not None and record.inputs == digest:
            kept[slug] = record
    return kept


def lay_out_series(books: Sequence[Book], theme: Theme, profile: Profile, cache: PieceCache,
                   wanted: Sequence[str], jobs: int | None = None,
                   tell: Callable[[str], None] | None = None,
                   deliver: Callable[[str, Joined, BookLayout], None] | None = None,
                   fresh: Collection[str] | None = None) -> SeriesLayout:
    """Lay out every book of the series; join those in `wanted` (slugs) that were laid out
    and hand each, with its layout's record, to `deliver` as soon as it is joined (the caller
    writes and closes it, so no more than one joined book is held at a time).

    A book whose inputs are those of its recorded layout, and whose text printed pages of the
    other volumes that still hold, is not laid out, joined or delivered at all: its record
    stands for it. The books in `fresh` (default: all of `wanted`) are laid out and delivered
    even then: the caller has no current files of them."""
    say = tell or (lambda _: None)
    fresh = set(wanted if fresh is None else fresh)
    hand_over = deliver or (lambda _slug, joined, _: [s.close() for s in (*joined.sources,
                                                                          joined.pdf)])
    own_inputs = book_digests(books, theme, profile)
    # What the whole series' layout came from: every book's own inputs, in order.
    inputs = hashlib.sha256("|".join(own_inputs.values()).encode()).hexdigest()
    records = kept_layouts(own_inputs, profile, cache)
    known = cache.series_pages(profile.value)
    for other in (p for p in Profile if p is not profile and not known.books):
        # Another profile's layout is the same page for page (only fonts and colours are
        # embedded otherwise): a first guess that is usually right from the start.
        known = cache.series_pages(other.value)
    pages: dict[str, Mapping[str, str]] = {b.slug: known.books.get(b.slug, {}) for b in books}
    pages.update({slug: record.pages for slug, record in records.items()})
    workers = Workers(jobs or _cores())
    inside: dict[str, float] = {}  # a margin a join showed to be right, kept between passes
    tried: dict[str, set[float]] = {}
    joined: set[str] = set()
    made: set[str] = set()  # the books whose layout this run recorded anew
    kept_used: dict[str, frozenset[str]] = {}  # the cache entries of each recorded layout
    unsettled = 0  # passes whose page references did not settle
    try:
        # Each pass either settles, finds references to lay out again (at most PASSES
        # times), or moves an inside margin (which settles: see next_gutter).
        for number in range(1, PASSES + 2 * len(GUTTER_BANDS) + 1):
            bodies: dict[str, Body] = {}
            builds: dict[str, PiecedBuild] = {}
            used: dict[str, frozenset[str]] = {}
            printed: dict[str, Mapping[str, str]] = {}
            for book in books:
                if _stands(records.get(book.slug), book.slug, fresh, pages):
                    printed[book.slug] = records[book.slug].external  # as it was
                    continue
                records.pop(book.slug, None)
                say(f"{book.slug}: laying out" + (f" (pass {number})" if number > 1 else ""))
                cache.used = set()
                build = PiecedBuild(book, theme, profile, cache, workers,
                                    OtherVolumes(book.slug, pages), pages[book.slug],
                                    provisional=unsettled < PASSES - 1)
                last = cache.book_layout(book.slug, profile.value)  # a likely margin
                build.inside = inside.get(book.slug, last.inside if last else build.inside)
                build.tried = tried.setdefault(book.slug, set())
                with _blame(book.slug):
                    bodies[book.slug] = build.lay_out()
                builds[book.slug] = build
                used[book.slug] = frozenset(cache.used)
                printed[book.slug] = bodies[book.slug].external
            new = {**pages, **{slug: dict(body.pages) for slug, body in bodies.items()}}
            # (A volume outside the layout has no pages to compare: its references print
            # without one.)
            wrong = [(slug, key) for slug, shown in printed.items()
                     for key, label in _misprinted(slug, shown, new)]
            wrong += [(slug, "its own pages") for slug, body in bodies.items() if not body.settled]
            pages = new
            if wrong:
                unsettled += 1
                if unsettled == PASSES:
                    raise NotSettled(_describe(wrong))
                continue
            moved = False
            # Every book laid out is joined, so its page count (which sets its inside margin)
            # is known to be right; those asked for are delivered.
            for slug, build in builds.items():
                say(f"{slug}: joining pages")
                cache.used = set(used[slug])
                with _blame(slug):
                    result = build.finish()
                if result is None:  # the count moved the inside margin: lay out again
                    inside[slug] = build.inside
                    moved = True
                    continue
                used[slug] = kept_used[slug] = frozenset(cache.used)
                body = bodies[slug]
                made.add(slug)
                records[slug] = BookLayout(
                    own_inputs[slug], dict(body.external), dict(body.pages), build.inside,
                    result.page_count,
                    hashlib.sha256(repr(result.page_map).encode()).hexdigest(), result.glyphs)
                if slug in wanted:
                    hand_over(slug, result, records[slug])
                    joined.add(slug)
                    fresh.discard(slug)  # delivered: its record stands for it from now on
                else:
                    for source in result.sources:
                        source.close()
                    result.pdf.close()
                del result  # one joined book at a time
            if moved:
                continue
            for slug in made:
                cache.keep_book_layout(slug, profile.value, records[slug])
            settled = SeriesPages(profile.value, pages, inputs)
            if settled != known:  # (a build with nothing to do leaves it as it was)
                cache.keep_series_pages(settled)
            return SeriesLayout(settled, records, frozenset(joined), kept_used, number)
    finally:
        workers.close()
    raise AssertionError("unreachable")


def _misprinted(slug: str, printed: Mapping[str, str],
                pages: Mapping[str, Mapping[str, str]]) -> list[tuple[str, str]]:
    """The pages of other volumes that `slug` printed and that are not those pages now."""
    wrong = []
    for key, label in printed.items():
        volume, _, own = key.partition("#")
        if volume != slug and volume in pages and pages[volume].get(own) != label:
            wrong.append((key, label))
    return wrong


def _stands(record: BookLayout | None, slug: str, fresh: Collection[str],
            pages: Mapping[str, Mapping[str, str]]) -> bool:
    """Whether a book's recorded layout stands for it: made from its inputs, not asked for
    fresh, and every page of another volume it printed still that page."""
    return record is not None and slug not in fresh and not _misprinted(
        slug, record.external, pages)


def _describe(wrong: Sequence[tuple[str, str]]) -> str:
    shown = ", ".join(f"{key} (from {slug})" for slug, key in wrong[:5])
    more = f" and {len(wrong) - 5} more" if len(wrong) > 5 else ""
    return (f"the page references do not settle after {PASSES} passes: {shown}{more}; "
            "a page number moves a page break back and forth")


def _cores() -> int:
    return os.cpu_count() or 1
