"""Laying out documents in worker processes: one job is one piece of a book, as plain data.

A process pool is kept for the whole build, so each worker parses the stylesheets and loads
the fonts once; jobs the cache already holds are never sent. A worker ends with its parent
and leaves Ctrl-C to it (anthology.processes).
"""

from __future__ import annotations

import dataclasses
import io
import logging
import multiprocessing
import os
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from anthology.print import keeps
from anthology.print.cache import LaidOut, PieceCache
from anthology.print.glyphs import found_in, theme_fonts
from anthology.print.pdf import BOOK_BASE, Fetcher, ResourceError, stylesheets
from anthology.processes import tie_to_parent
from anthology.workspace.theme import Theme


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to lay out one document: plain data, so it pickles."""

    key: str
    html: str
    stylesheets: tuple[str, ...]
    extra_css: str
    images: Mapping[str, str]
    roots: tuple[str, ...]
    image_mode: str | None
    pdf_options: Mapping[str, object]


_SHEETS: dict[tuple, tuple] = {}


def lay_out_job(job: Job) -> LaidOut:
    """Lay out one document (in a worker process): parse the stylesheets once per worker."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)  # pieces lack others' anchors
    theme = Theme(tuple(Path(r) for r in job.roots))
    fetcher = Fetcher({n: Path(p) for n, p in job.images.items()},
                      (Path(r) for r in job.roots), job.image_mode)
    sheet_key = (job.stylesheets, job.extra_css, job.roots)
    if sheet_key not in _SHEETS:
        fonts, colours = FontConfiguration(), {}
        css = stylesheets(theme, job.stylesheets, fetcher, fonts, colours, job.extra_css)
        _SHEETS[sheet_key] = (fonts, colours, css)
    fonts, colours, css = _SHEETS[sheet_key]
    html = weasyprint.HTML(string=job.html, base_url=BOOK_BASE, url_fetcher=fetcher)
    # Laid out again while a paragraph has three hyphenated line ends in a row, or an
    # opener or a verdict lacks its lines of essay.
    document = keeps.lay_out(html, lambda: html.render(
        stylesheets=css, font_config=fonts, color_profiles=colours))
    if fetcher.refused:
        raise ResourceError("the print edition needs files it may not or cannot read: "
                            + ", ".join(sorted(set(fetcher.refused))))
    anchors, links, bookmarks = [], [], []
    for page in document.pages:
        anchors.append(tuple((name, x, y) for name, (x, y, _, _) in page.anchors.items()))
        links.append(tuple((kind, target, tuple(rect)) for kind, target, rect, _ in page.links
                           if kind in ("internal", "external")))
        bookmarks.append(tuple((level, label, x, y) for level, label, (x, y), _ in
                               page.bookmarks))
        page.links.clear()
        page.bookmarks.clear()
        page.anchors.clear()
    out = io.BytesIO()
    document.write_pdf(out, **job.pdf_options)
    # (What it set outside the theme's font is known once it is written.)
    return LaidOut(out.getvalue(), tuple(anchors), tuple(links), tuple(bookmarks),
                   found_in(document, theme_fonts(theme)))


class Workers:
    """A process pool kept for the whole build, so each worker parses the stylesheets and
    loads the fonts once; started only when there is more than one piece to lay out."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.pool: ProcessPoolExecutor | None = None

    def _started(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=self.count,
                                            mp_context=multiprocessing.get_context("fork"),
                                            initializer=tie_to_parent, initargs=(os.getpid(),))
        return self.pool

    def map(self, jobs: Sequence[Job]) -> list[LaidOut]:
        """With workers, even a single job goes to them: layout is where native libraries
        fail when memory runs out, and a worker that dies is an error line (a build that
        dies of SIGSEGV is not)."""
        if not jobs or self.count < 2:
            return [lay_out_job(job) for job in jobs]
        return list(self._started().map(lay_out_job, jobs, chunksize=1))

    def submit(self, job: Job) -> Future | None:
        """Lay out `job` in the background when there are workers; None: do it in-process."""
        return self._started().submit(lay_out_job, job) if self.count >= 2 else None

    def close(self) -> None:
        """Called from `finally` blocks. While an exception is on its way out (Ctrl-C, a book
        that failed, a worker that died), the layouts still running are not waited for: the
        workers are ended, so the command stops at once."""
        pool, self.pool = self.pool, None
        if pool is None:
            return
        if sys.exc_info()[0] is None:
            pool.shutdown()
            return
        processes = list((pool._processes or {}).values())  # the executor's own workers
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join()


def lay_out_all(jobs: Sequence[Job], cache: PieceCache, workers: Workers) -> list[LaidOut]:
    """Lay out every job not in the cache, on the build's workers."""
    results: dict[str, LaidOut] = {}
    todo = []
    for job in jobs:
        if job.key in results:
            continue
        cached = cache.get(job.key)
        if cached is not None:
            cache.hits += 1
            results[job.key] = cached
        else:
            todo.append(job)
    cache.misses += len(todo)
    laid = workers.map(todo)
    for job, result in zip(todo, laid, strict=True):
        cache.put(job.key, result)
        results[job.key] = dataclasses.replace(result, key=job.key)
    cache.used.update(job.key for job in jobs)
    return [results[job.key] for job in jobs]
