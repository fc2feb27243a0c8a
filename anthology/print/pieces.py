"""The print edition laid out in pieces, on every core, with a cache of laid-out pieces.

Each chapter (and the afterword) is laid out as its own document, and the front matter as one
more; a process pool uses every core. A piece starts on a right-hand page, as every chapter
does in the book, so its running heads and page sides are those of the whole book.

What a piece cannot know is where it will stand in the book. So body pieces are laid out
without folios: the folios are stamped onto the joined pages from "folio sheets" (pages that
carry only a page number, laid out by the same stylesheets), and a change that shifts every
later page number re-lays out no later chapter. Page references in the text (the contents,
"Read Further" links) are written into a piece as `data-page` labels and are part of its
cache key; since they never change a piece's length, the labels settle in a second round.

The joined PDF gets back, from each piece's recorded anchors, links and bookmarks, the named
destinations, internal links and outline that a single-document render would have.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import json
import os
from collections import ChainMap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from anthology import __version__
from anthology.output import atomic_target
from anthology.print.cache import LaidOut, PieceCache
from anthology.print.edition_id import edition_isbn
from anthology.print.geometry import GUTTER_BANDS, PageGeometry, gutter, next_gutter
from anthology.print.join import FOLIO_CHUNK, Joined, join
from anthology.print.pdf import (
    PdfResult,
    Profile,
    estimate_pages,
    page_count_warnings,
    press_ink,
)
from anthology.print.workers import Job, Workers, lay_out_all, lay_out_job
from anthology.render.documents import PrintDocument, render_print_html
from anthology.series.book import Book
from anthology.series.pagemap import PageMap, span_key
from anthology.workspace.collation import page_range
from anthology.workspace.theme import Theme

# Added to every piece: page references come from data-page, since the target is in another
# piece. Added to body pieces: no folio, it is stamped after joining.
REFERENCES_CSS = """
.contents a[data-page]::after { content: attr(data-page); }
.toc-foreword a[data-page]::after, .toc-score-key a[data-page]::after {
  content: attr(data-page); }
a.xref[data-page]::after { content: " (p.\\a0" attr(data-page) ")"; }
"""
NO_FOLIO_CSS = "@page { @bottom-center { content: none !important; } }\n"
FOLIO_SHEET_CSS = """
@page { @top-left { content: none; } @top-right { content: none; } }
.folio-page { break-before: page; }
"""


# --- Building the book ---------------------------------------------------------------------

def theme_fingerprint(theme: Theme) -> str:
    """Every file of the theme chain (templates, stylesheets, fonts, colour profiles)."""
    digest = hashlib.sha256()
    for folder in theme.dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


LIBRARIES = ("weasyprint", "pydyf", "pikepdf", "fonttools")
# Raised whenever our own code lays a piece out differently (the hyphen-run pass, tagging):
# a cached piece from before is then laid out again, as a library upgrade would have it.
LAYOUT_VERSION = 30  # 3, 7, 18-30: linebreak; 4-6, 8-10, 20: keeps; 11-17: spacing tried


@functools.cache
def versions() -> str:
    found = []
    for name in LIBRARIES:
        with contextlib.suppress(Exception):
            found.append(f"{name}={version(name)}")
    return f"anthology={__version__};layout={LAYOUT_VERSION};" + ";".join(found)


@dataclass(frozen=True)
class Body:
    """A book's body, laid out: its pieces, the page keys they gave, and what they used."""

    geometry: PageGeometry
    printed: tuple[PrintDocument, ...]
    pieces: tuple[LaidOut, ...]
    labels: tuple[str, ...]  # every body page's folio
    pages: Mapping[str, str]  # this book's page keys (anchors, chapter spans) -> labels
    external: Mapping[str, str]  # the other volumes' page keys its text printed, as printed
    settled: bool = True  # False: its own page references were left unsettled (provisional)


class PiecedBuild:
    """One pieced build of a book: lays out what the cache lacks, then joins and stamps.
    `external` gives the pages of other volumes its references print (the series layout,
    anthology.print.series, settles them)."""

    def __init__(self, book: Book, theme: Theme, profile: Profile, cache: PieceCache,
                 workers: Workers | int | None = None,
                 external: Mapping[str, str] | None = None,
                 guess: Mapping[str, str] | None = None, provisional: bool = False) -> None:
        self.book, self.theme, self.profile, self.cache = book, theme, profile, cache
        self.own_pool = not isinstance(workers, Workers)
        self.pool = workers if isinstance(workers, Workers) else Workers(
            workers or os.cpu_count() or 1)
        self.external: Mapping[str, str] = external or {}
        self.guess: Mapping[str, str] = guess or {}  # this book's own pages, a first guess
        # True in a pass the series will repeat: while other volumes' pages are unknown, one
        # round of this book's own references is enough.
        self.provisional = provisional
        self.fingerprint = theme_fingerprint(theme)
        self.versions = versions()
        self.images = {f"images/{a.name}": str(a.source) for a in book.assets}
        self.roots = tuple(str(r) for r in theme.roots())
        self.inside = gutter(estimate_pages(book))
        self.tried: set[float] = set()  # inside margins laid out already (see next_gutter)
        self.body: Body | None = None

    def _job(self, html: str, extra: str, geometry: PageGeometry,
             options: Mapping[str, object]) -> Job:
        names = self.profile.stylesheets
        css = geometry.css() + extra
        html = press_ink(html, self.profile)
        key = hashlib.sha256("\0".join(
            (self.versions, self.fingerprint, self.profile.press.value, ",".join(names), css,
             json.dumps(options, sort_keys=True), html)).encode()).hexdigest()
        mode = "L" if self.profile.pdfx else None
        return Job(key, html, names, css, self.images, self.roots, mode, options)

    def _options(self) -> dict[str, object]:
        options: dict[str, object] = {}
        if self.profile.is_print:
            options["full_fonts"] = True
        if self.profile.pdfx:
            options["pdf_variant"] = "pdf/x-1a"
        options.update(self.profile.pdf_options)
        return options

    def body_parts(self) -> list[tuple[str, dict]]:
        none = {"front": False, "chapters": (), "afterword": False, "appendices": ()}
        parts: list[tuple[str, dict]] = [(c.id, {**none, "chapters": (c,)})
                                         for c in self.book.chapters]
        if self.book.afterword:
            parts.append(("afterword", {**none, "afterword": True}))
        parts += [(a.id, {**none, "appendices": (a,)}) for a in self.book.appendices]
        return parts

    def run(self) -> Joined:
        """Lay out the body (again, when the page count moves the inside margin to another
        band) and join it with the front matter."""
        try:
            for _ in range(2 * len(GUTTER_BANDS) + 1):
                joined = self.finish()
                if joined is not None:
                    return joined
            raise AssertionError("the inside margin does not settle")  # see next_gutter
        finally:
            self.close()

    def close(self) -> None:
        if self.own_pool:
            self.pool.close()

    def lay_out(self) -> Body:
        """The body's pieces at the current margins, page references settled within the book."""
        geometry = PageGeometry(self.book.trim, self.book.bleed, self.inside)
        if self.body is not None and self.body.geometry == geometry:
            return self.body
        options = self._options()
        parts = self.body_parts()
        book_key = self._book_key(geometry)
        # Last build's labels for this book (or the guess the series gives), then the other
        # volumes' pages. While some of those are unknown this layout is provisional: the
        # series lays it out again anyway, so within-book references get one round only.
        refs: Mapping[str, str] = ChainMap(self.external, self.cache.references(book_key),
                                           self.guess)
        settled = False
        for refs_round in range(4):  # page references settle in one more round, a second at most
            printed = [render_print_html(self.book, self.theme, page_refs=refs, **kw)
                       for _, kw in parts]
            jobs = [self._job(p.html, REFERENCES_CSS + NO_FOLIO_CSS, geometry, options)
                    for p in printed]
            # The folio sheets the book will likely need (with room for a low estimate) go
            # along with the first round, rather than one by one after it.
            likely = estimate_pages(self.book) * 11 // 10 + FOLIO_CHUNK // 2
            guess = [] if refs_round else self._folio_jobs(geometry, likely)
            laid = lay_out_all(jobs + guess, self.cache, self.pool)
            body = laid[:len(jobs)]
            pages, labels = _own_pages(parts, body)
            wanted = {k: pages[k] for p in printed for k in p.wants if k in pages}
            printed_with = refs
            if all(refs.get(k) == v for k, v in wanted.items()):
                settled = True
                break
            refs = ChainMap(wanted, refs)
            if self.provisional and any("#" in k and k not in self.external
                                        for p in printed for k in p.wants):
                break
        # What its text looked up, for the next build's first round (not all it could have).
        self.cache.keep_references(book_key, {k: refs[k] for p in printed for k in p.wants
                                              if k in refs})
        used = {k: printed_with.get(k, "") for p in printed for k in p.wants if "#" in k}
        self.body = Body(geometry, tuple(printed), tuple(body), tuple(labels), pages, used,
                         settled)
        return self.body

    def _book_key(self, geometry: PageGeometry) -> str:
        return hashlib.sha256(
            f"{self.book.slug}|{self.profile}|{geometry.css()}".encode()).hexdigest()[:24]

    def finish(self) -> Joined | None:
        """Join the laid-out body with the front matter; None when the page count asks for
        the inside margin of another band (the body must be laid out again at `inside`)."""
        body = self.lay_out()
        options = self._options()
        front_refs = dict(body.pages)
        front_html = render_print_html(self.book, self.theme, chapters=(), afterword=False,
                                       appendices=(), page_refs=front_refs)
        front_job = self._job(front_html.html, REFERENCES_CSS, body.geometry, options)
        # (The foreword is in the front piece itself: its roman number resolves there.) The
        # front matter is laid out on a worker while the body is joined and stamped.
        front = self._later(front_job)
        # Every body page may carry a folio, the blank pages between pieces included.
        folios = self._folio_sheets(body.geometry, max(1, len(body.labels)))
        blocks = [*front_html.blocks, *(b for p in body.printed for b in p.blocks)]
        first = self.book.chapters[0].id if self.book.chapters else None
        joined = join(front, body.pieces, folios, body.geometry, self.profile, self.theme,
                      blocks, first, self.cache, edition_isbn(self.book, self.profile))
        wanted = next_gutter(self.inside, joined.page_count, self.tried)
        if wanted is not None:
            self.inside = wanted
            for source in joined.sources:
                source.close()
            return None
        return joined

    def _later(self, job: Job) -> Callable[[], LaidOut]:
        """Start laying out `job` (unless cached); the returned function waits for it."""
        self.cache.used.add(job.key)
        cached = self.cache.get(job.key)
        if cached is not None:
            self.cache.hits += 1
            return lambda: cached
        self.cache.misses += 1
        pending = self.pool.submit(job)

        def result() -> LaidOut:
            laid_out = pending.result() if pending is not None else lay_out_job(job)
            self.cache.put(job.key, laid_out)
            return dataclasses.replace(laid_out, key=job.key)
        return result

    def _folio_jobs(self, geometry: PageGeometry, count: int) -> list[Job]:
        chunks = range((count + FOLIO_CHUNK - 1) // FOLIO_CHUNK)
        # The same font options as the pieces: a folio drawn from a whole (hinted) font looks
        # exactly as the single render draws it.
        return [self._job(_folio_html(c * FOLIO_CHUNK + 1), FOLIO_SHEET_CSS, geometry,
                          self._options()) for c in chunks]

    def _folio_sheets(self, geometry: PageGeometry, count: int) -> list[LaidOut]:
        return lay_out_all(self._folio_jobs(geometry, count), self.cache, self.pool)


def _own_pages(parts: Sequence[tuple[str, dict]], body: Sequence[LaidOut]
               ) -> tuple[dict[str, str], list[str]]:
    """A book's page keys from its laid-out body: the page each anchor starts on, and each
    part's first to last page (a range for an index: "143–48")."""
    starts, labels = _body_starts([b.pages for b in body])
    pages: dict[str, str] = {}
    for (part, _), piece, start in zip(parts, body, starts, strict=True):
        for index, page in enumerate(piece.anchors):
            for name, _, _ in page:
                # An element is listed on every page it reaches; it starts on the first.
                pages.setdefault(name, labels[start + index])
        last = labels[start + max(piece.pages, 1) - 1]
        pages[span_key(part)] = page_range(labels[start], last)
    return pages, labels


def _folio_html(first: int) -> str:
    pages = "".join('<div class="folio-page"></div>' for _ in range(FOLIO_CHUNK))
    return (f"<!DOCTYPE html><html><head><style>@page :first {{ counter-set: page {first}; }}"
            f"</style></head><body>{pages}</body></html>")


def _body_starts(counts: Sequence[int]) -> tuple[list[int], list[str]]:
    """Where each body piece starts (0-based body page) and every body page's label; a piece
    of odd length is followed by a blank page, so the next opens on a right-hand page."""
    starts, page = [], 0
    for count in counts:
        starts.append(page)
        page += count + (count % 2)
    return starts, [str(n + 1) for n in range(page + 1)]


def pieced_page_count(book: Book, theme: Theme, profile: Profile, cache: PieceCache,
                      workers: int | None = None) -> int:
    return PiecedBuild(book, theme, profile, cache, workers).run().page_count


def pieced_page_map(book: Book, theme: Theme, cache: PieceCache,
                    workers: int | None = None) -> PageMap:
    """The print edition's page map for the EPUB's page list, from cached pieces if it can."""
    return PiecedBuild(book, theme, Profile.digital, cache, workers).run().page_map


def save_joined(joined: Joined, target: Path) -> None:
    """Saved in memory, then written by Python: qpdf writing to a full disk aborts the
    process. (The joined PDF's sources stay open: the caller closes them.)"""
    data = io.BytesIO()
    joined.pdf.save(data, deterministic_id=True)
    with atomic_target(target) as temporary:
        temporary.write_bytes(data.getvalue())


def write_pieced(book: Book, theme: Theme, target: Path, profile: Profile,
                 cache: PieceCache, workers: int | None = None) -> PdfResult:
    """Lay out (what the cache lacks), join and write the volume's PDF."""
    build = PiecedBuild(book, theme, profile, cache, workers)
    cache.used.clear()
    joined = build.run()
    save_joined(joined, target)
    for source in joined.sources:
        source.close()
    cache.keep_only_used({f"{book.slug}-{profile.value}": cache.used})
    count = joined.page_count
    return PdfResult(target, count, joined.page_map, joined.glyphs,
                     page_count_warnings(profile, count))
