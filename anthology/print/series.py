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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from anthology.print.cache import PieceCache
from anthology.print.join import Joined
from anthology.print.pdf import Profile, ResourceError
from anthology.print.pieces import Body, PiecedBuild, Workers, theme_fingerprint
from anthology.series.book import Book
from anthology.series.pagemap import SeriesPages, external
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


@dataclass(frozen=True)
class SeriesLayout:
    pages: SeriesPages
    joined: Mapping[str, Joined]  # the books asked for, joined and ready to save
    used: Mapping[str, frozenset[str]]  # cache entries each book's layout used
    passes: int


def _inputs(books: Sequence[Book], theme: Theme, profile: Profile) -> str:
    digest = hashlib.sha256(f"{profile.value}|{theme_fingerprint(theme)}".encode())
    for book in books:
        digest.update(repr(book).encode())
    return digest.hexdigest()


def _others(slug: str, pages: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for other, own in pages.items():
        if other != slug:
            found.update(external(other, own))
    return found


def lay_out_series(books: Sequence[Book], theme: Theme, profile: Profile, cache: PieceCache,
                   wanted: Sequence[str], jobs: int | None = None,
                   tell: Callable[[str], None] | None = None) -> SeriesLayout:
    """Lay out every book of the series; join those in `wanted` (slugs)."""
    say = tell or (lambda _: None)
    inputs = _inputs(books, theme, profile)
    known = cache.series_pages(profile.value)
    for other in (p for p in Profile if p is not profile and not known.books):
        # Another profile's layout is the same page for page (only fonts and colours are
        # embedded otherwise): a first guess that is usually right from the start.
        known = cache.series_pages(other.value)
    pages: dict[str, Mapping[str, str]] = {b.slug: known.books.get(b.slug, {}) for b in books}
    workers = Workers(jobs or _cores())
    inside: dict[str, float] = {}  # a margin a join showed to be right, kept between passes
    try:
        for number in range(1, PASSES + 1):
            bodies: dict[str, Body] = {}
            builds: dict[str, PiecedBuild] = {}
            used: dict[str, frozenset[str]] = {}
            for book in books:
                say(f"{book.slug}: laying out" + (f" (pass {number})" if number > 1 else ""))
                cache.used = set()
                build = PiecedBuild(book, theme, profile, cache, workers,
                                    _others(book.slug, pages), pages[book.slug],
                                    provisional=number < PASSES)
                build.inside = inside.get(book.slug, build.inside)
                with _blame(book.slug):
                    bodies[book.slug] = build.lay_out()
                builds[book.slug] = build
                used[book.slug] = frozenset(cache.used)
            new = {slug: dict(body.pages) for slug, body in bodies.items()}
            # (A volume outside the layout has no pages to compare: its references print
            # without one.)
            wrong = [(slug, key) for slug, body in bodies.items()
                     for key, printed in body.external.items()
                     if key.partition("#")[0] in bodies
                     and _others(slug, new).get(key) != printed]
            wrong += [(slug, "its own pages") for slug, body in bodies.items() if not body.settled]
            pages = new
            if wrong:
                if number == PASSES:
                    raise NotSettled(_describe(wrong))
                continue
            joined: dict[str, Joined] = {}
            moved = False
            # Every book is joined, so its page count (which sets its inside margin) is
            # known to be right; only those asked for are kept.
            for slug in builds:
                say(f"{slug}: joining pages")
                cache.used = set(used[slug])
                with _blame(slug):
                    result = builds[slug].finish()
                if result is None:  # the count moved the inside margin: lay out again
                    inside[slug] = builds[slug].inside
                    moved = True
                    continue
                used[slug] = frozenset(cache.used)
                if slug in wanted:
                    joined[slug] = result
                else:
                    for source in result.sources:
                        source.close()
            if moved:
                for result in joined.values():
                    for source in result.sources:
                        source.close()
                if number == PASSES:
                    raise NotSettled("the inside margin changes the page count back and forth")
                continue
            settled = SeriesPages(profile.value, pages, inputs)
            cache.keep_series_pages(settled)
            return SeriesLayout(settled, joined, used, number)
    finally:
        workers.close()
    raise AssertionError("unreachable")


def _describe(wrong: Sequence[tuple[str, str]]) -> str:
    shown = ", ".join(f"{key} (from {slug})" for slug, key in wrong[:5])
    more = f" and {len(wrong) - 5} more" if len(wrong) > 5 else ""
    return (f"the page references do not settle after {PASSES} passes: {shown}{more}; "
            "a page number moves a page break back and forth")


def _cores() -> int:
    return os.cpu_count() or 1
