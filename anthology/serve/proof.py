"""Print proofs: one chapter laid out as the print edition lays it out, as PNG pages.

A chapter's proof is exactly the piece `anthology build` lays out for it (anthology.print.pieces:
the same HTML, stylesheets, page geometry and cache key), so a proof the server made is a
cache hit for the next build, and a chapter the last build laid out is shown at once. Folios
are stamped onto a joined book only, so a proof's pages carry no page numbers.

Layout is slow (seconds) and runs in one worker process, never in the server's own threads: the
page updates first and the proof follows. One proof is made at a time, the most recently asked
for first; a proof asked for and then outdated by another edit is never made.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import multiprocessing
import os
from collections.abc import Mapping
from multiprocessing.pool import Pool
from pathlib import Path

import pypdfium2

from anthology.print import workers
from anthology.print.cache import PieceCache
from anthology.print.geometry import PageGeometry, gutter
from anthology.print.pdf import Profile, estimate_pages
from anthology.print.pieces import NO_FOLIO_CSS, REFERENCES_CSS, PiecedBuild
from anthology.print.workers import Job, lay_out_job
from anthology.processes import tie_to_parent
from anthology.render.documents import render_print_html
from anthology.series.book import Book
from anthology.serve.documents import Memo, book_head
from anthology.serve.state import Live, Proof, Snapshot
from anthology.workspace.theme import Theme
from anthology.workspace.writes import escape

# Where `anthology build` keeps laid-out pieces (anthology.cli.CACHE_DIR).
CACHE_DIR = Path("build") / ".cache" / "pieces"
PROOF_DPI = 96


class ProofJobs:
    """Each chapter's layout job, memoised on what shapes it (used by the refresh thread)."""

    def __init__(self) -> None:
        self.memo: Memo[tuple, Job] = Memo()

    def jobs(self, book: Book, theme: Theme, theme_key: str,
             cache: PieceCache) -> dict[str, Job]:
        build = PiecedBuild(book, theme, Profile.digital, PieceCache(None), 1)
        geometry = PageGeometry(book.trim, book.bleed, gutter(estimate_pages(book)))
        # The page labels the last build gave the links ("Read Also ... (p. 12)"), kept under
        # the key anthology.print.pieces gives the book.
        book_key = hashlib.sha256(
            f"{book.slug}|{Profile.digital}|{geometry.css()}".encode()).hexdigest()[:24]
        refs = cache.references(book_key)
        shared = (book_head(book), json.dumps(refs, sort_keys=True), geometry, theme,
                  theme_key, tuple(sorted(build.images.items())))
        # PiecedBuild's own job and options: the proof is the build's piece, key and all.
        options = build._options()

        def job(chapter: object) -> Job:
            html = render_print_html(book, theme, front=False, chapters=(chapter,),
                                     afterword=False, appendices=(), page_refs=refs).html
            return build._job(html, REFERENCES_CSS + NO_FOLIO_CSS, geometry, options)

        return {c.id: self.memo.get((c, *shared), lambda c=c: job(c)) for c in book.chapters}


# --- In the worker process -----------------------------------------------------------------

_THEME_KEY: list[str] = []


def make_proof(job: Job, cache_folder: str | None, dpi: int, theme_key: str) -> tuple[bytes, ...]:
    """Lay out one piece (or take it from the build's cache) and draw its pages as PNGs."""
    if [theme_key] != _THEME_KEY:
        # A worker keeps parsed stylesheets by name; the author has since edited the theme.
        workers._SHEETS.clear()
        _THEME_KEY[:] = [theme_key]
    cache = PieceCache(Path(cache_folder) if cache_folder else None)
    laid = cache.get(job.key)
    if laid is None:
        laid = lay_out_job(job)
        with contextlib.suppress(OSError):  # a read-only workspace still gets its proof
            cache.put(job.key, laid)
    document = pypdfium2.PdfDocument(laid.pdf)
    pages = []
    try:
        for page in document:
            image = page.render(scale=dpi / 72).to_pil()
            out = io.BytesIO()
            image.save(out, format="PNG")
            pages.append(out.getvalue())
    finally:
        document.close()
    return tuple(pages)


# --- In the server -------------------------------------------------------------------------

class ProofMaker:
    """Makes the proofs asked for, one at a time, in a worker process; each result is a new
    snapshot. The queue is the snapshot's own `proofs` (queued, running, ready, failed)."""

    def __init__(self, live: Live, root: Path, dpi: int = PROOF_DPI) -> None:
        self.live, self.dpi = live, dpi
        folder = root.resolve() / CACHE_DIR
        # A cache folder that leads out of the workspace is neither read nor written.
        self.cache_folder = "" if escape(folder, root.resolve()) else str(folder)
        self.pool: Pool | None = None

    def start(self) -> None:
        """Start the worker: before the server's threads, as it is forked."""
        # The worker leaves Ctrl-C to the server, and ends when the server does.
        self.pool = multiprocessing.get_context("fork").Pool(
            1, initializer=tie_to_parent, initargs=(os.getpid(),))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def request(self, slug: str, chapter_id: str) -> None:
        """Make the proof of a chapter as it is now, unless it is made or on its way."""
        volume = self.live.current.volume(slug)
        job = volume.proof_jobs.get(chapter_id) if volume else None
        if job is None:
            return

        def add(snapshot: Snapshot) -> Snapshot:
            if job.key in snapshot.proofs:
                return snapshot
            return snapshot.with_proof(job.key, Proof("queued", (slug, chapter_id)))
        self.live.publish(add)
        self._next()

    def _next(self) -> None:
        chosen: list[tuple[str, Job, str]] = []

        def pick(snapshot: Snapshot) -> Snapshot:
            if self.pool is None or any(p.state == "running" for p in snapshot.proofs.values()):
                return snapshot
            jobs = snapshot.current_jobs()
            queued = [k for k, p in snapshot.proofs.items() if p.state == "queued" and k in jobs]
            if not queued:
                return snapshot
            key = queued[-1]
            proof = snapshot.proofs[key]
            volume = snapshot.volume(proof.chapter[0])
            chosen.append((key, jobs[key], volume.theme_key if volume else ""))
            return snapshot.with_proof(key, Proof("running", proof.chapter))
        self.live.publish(pick)
        if not chosen:
            return
        key, job, theme_key = chosen[0]
        pool = self.pool
        if pool is None:
            return
        try:
            pool.apply_async(make_proof, (job, self.cache_folder, self.dpi, theme_key),
                             callback=lambda pages: self._done(key, pages, ""),
                             error_callback=lambda exc: self._done(key, (), _describe(exc)))
        except ValueError:  # the pool was closed: the server is stopping
            return

    def _done(self, key: str, pages: tuple[bytes, ...], message: str) -> None:
        def land(snapshot: Snapshot) -> Snapshot:
            old = snapshot.proofs.get(key)
            if old is None:
                return snapshot
            state = "failed" if message else "ready"
            return snapshot.with_proof(key, Proof(state, old.chapter, pages, message,
                                                  snapshot.version + 1))
        self.live.publish(land)
        self._next()


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def proof_state(snapshot: Snapshot, slug: str, chapter_id: str,
                url: str) -> Mapping[str, object] | None:
    """What the page shows of a chapter's proof: the state of the current one, and the pages
    of the newest ready one (`stale` when it shows an earlier version)."""
    volume = snapshot.volume(slug)
    job = volume.proof_jobs.get(chapter_id) if volume else None
    if job is None:
        return None
    now, ready = snapshot.proof_for(slug, chapter_id)
    shown = now if now is not None and now.state == "ready" else ready
    key = next((k for k, p in snapshot.proofs.items() if p is shown), None)
    return {
        "state": now.state if now else "none",
        "message": now.message if now else "",
        "stale": shown is not now,
        "pages": [f"{url}/{key}/{n}.png" for n in range(1, len(shown.pages) + 1)]
        if shown is not None and key else [],
    }
