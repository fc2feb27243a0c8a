"""What the preview serves: a snapshot rendered from the workspace, and the response to a URL.

Every URL maps to something rendered here, never to a path joined onto a folder:

    /                           the series: every volume, its cover and contents
    /v/<volume>/<doc>.xhtml     an EPUB document as the reader gets it (toc.xhtml: contents)
    /v/<volume>/css/<name>      a stylesheet of the EPUB, by its name there
    /v/<volume>/fonts/<name>    an embedded font (volumes with [epub] embed_fonts)
    /v/<volume>/images/<name>   an image the book carries (book.assets), or cover.jpg
    /_anthology/live.js         the script that keeps a page up to date
    /_anthology/proof/<key>/<n>.png   a page of a print proof made by the server

The URL is decoded once and any `.` or `..` segment refused before anything is looked up, so
`/v/x/../../etc/passwd` and `%2e%2e` are 404s like any unknown name.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from anthology.epub.covers import epub_cover
from anthology.print.pieces import PieceCache, theme_fingerprint
from anthology.render.documents import COVER_IMAGE, ThemeError, edition_environment
from anthology.series.book import Book
from anthology.series.lint import silence
from anthology.series.resolve import resolve_series
from anthology.series.stored_markdown import StoredMarkdown
from anthology.serve.documents import (
    DocumentMemo,
    MarkdownMemo,
    book_head,
    epub_fonts,
    epub_stylesheets,
)
from anthology.serve.proof import CACHE_DIR, ProofJobs, proof_state
from anthology.serve.state import Snapshot, VolumeSite, frozen_map, kept_proofs
from anthology.workspace import files
from anthology.workspace.problems import Problem, Problems
from anthology.workspace.settings import load_settings
from anthology.workspace.theme import Theme
from anthology.workspace.volume_source import Volume
from anthology.workspace.volumes import Workspace, load_workspace, volume_reviews
from anthology.workspace.writes import escape

LIVE_SCRIPT = Path(__file__).parent / "live.js"
LIVE_URL = "/_anthology/live.js"
PROOF_URL = "/_anthology/proof"
XHTML = "application/xhtml+xml; charset=utf-8"


# --- Rendering a snapshot ------------------------------------------------------------------

class Renderer:
    """Renders the workspace into snapshots, re-rendering only what changed. Its memos belong
    to the one thread that refreshes (the watcher)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.markdown = MarkdownMemo(StoredMarkdown(self.root / CACHE_DIR.parent))
        self.documents = DocumentMemo()
        self.proof_jobs = ProofJobs()
        self.theme_key = ""

    def refresh(self, previous: Snapshot) -> Snapshot:
        """A new snapshot from the sources now; a volume whose sources have errors keeps the
        pages of its last good version (and the problems are listed for the overlay)."""
        problems = Problems()
        failures: list[str] = []
        try:
            workspace = load_workspace(self.root, problems, drafts=True)  # shown as written
            theme = Theme.for_workspace(self.root)
            theme_key = theme_fingerprint(theme)
            if theme_key != self.theme_key:
                # Compiled templates are kept per theme chain: a template added to styles/
                # must now be found before the package's of the same name.
                edition_environment.cache_clear()
                self.theme_key = theme_key
            # The whole series, as the build resolves it: references and indexes alike.
            books = list(resolve_series(workspace, problems, self.markdown))
            # What the author silenced (docs/lint.md) is not shown, as in check and build.
            problems = silence(problems, workspace, load_settings(self.root, problems))
        except Exception as exc:  # the server outlives any source
            failures.append(f"error: the workspace could not be read: {_describe(exc)}")
            return replace(previous, problems=tuple(problems), failures=tuple(failures))
        folder = self.root.resolve() / CACHE_DIR
        cache = PieceCache(None if escape(folder, self.root.resolve()) else folder)
        volumes: list[VolumeSite] = []
        for volume, book in zip(workspace.volumes, books, strict=True):
            last = previous.volume(volume.slug)
            if last is not None and _has_errors(volume, workspace, problems):
                volumes.append(last)
                continue
            try:
                volumes.append(self.volume_site(book, theme, theme_key, cache, volume.folder))
            except ThemeError as exc:  # as the build shows it: the template's path and line
                failures.append(Problem(exc.path, exc.line, f"{exc.message} ({volume.slug})")
                                .format(self.root) if exc.path is not None
                                else f"error: {volume.slug}: {exc}")
                volumes += [last] if last is not None else []
            except (OSError, files.Refused) as exc:
                failures.append(f"error: {volume.slug}: {exc}")
                volumes += [last] if last is not None else []
            except Exception as exc:  # whatever a source does, the server goes on
                failures.append(f"error: {volume.slug} could not be rendered: {_describe(exc)}")
                volumes += [last] if last is not None else []
        # A volume whose volume.toml is broken (or, for a moment, the whole volumes/ folder)
        # is not in the workspace: keep its last pages.
        slugs = {v.slug for v in volumes}
        volumes += [v for v in previous.volumes if v.slug not in slugs and any(
            p.path.is_relative_to(v.folder) or p.path == self.root for p in problems.errors)]
        for memo in (self.markdown.memo, self.documents.memo, self.proof_jobs.memo):
            memo.sweep()
        jobs = {job.key: job for v in volumes for job in v.proof_jobs.values()}
        return Snapshot(previous.version, self.root, tuple(volumes), tuple(problems),
                        tuple(failures), kept_proofs(previous.proofs, jobs))

    def volume_site(self, book: Book, theme: Theme, theme_key: str, cache: PieceCache,
                    folder: Path) -> VolumeSite:
        sheets = epub_stylesheets(book, theme)
        names = [sheet.name for sheet in sheets]
        return VolumeSite(
            book=book, theme=theme, theme_key=theme_key, folder=folder,
            documents=frozen_map(self.documents.documents(book, theme, theme_key, names)),
            stylesheets=frozen_map({s.name: s.path.read_bytes() for s in sheets}),
            fonts=frozen_map(epub_fonts(book, theme)),
            images=frozen_map({f"images/{a.name}": a for a in book.assets}),
            proof_jobs=frozen_map(self.proof_jobs.jobs(book, theme, theme_key, cache)))


def _has_errors(volume: Volume, workspace: Workspace, problems: Problems) -> bool:
    """Errors in a volume's own sources: its folder, the reviews it holds or lists, the styles
    and the workspace itself (as anthology.cli decides which problems stop a build)."""
    folder = volume.folder
    reviews = {r.path for r in volume_reviews(volume, workspace)}
    listed = set(volume.source.contents.reviews or ())
    styles = workspace.root / "styles"
    return bool(listed & workspace.broken) or any(
        p.path.parent == folder or p.path in reviews or p.path == workspace.root
        or p.path.is_relative_to(styles) for p in problems.errors)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


# --- Responding to a URL -------------------------------------------------------------------

@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    location: str | None = None
    cache: str = "no-store"


NOT_FOUND = Response(404, b"not found\n")


def segments(target: str) -> tuple[str, ...] | None:
    """The decoded segments of a request's path; None for a path that tries to climb (`..`,
    `.`, a backslash, a NUL), whatever its encoding."""
    path = unquote(urlsplit(target).path, errors="strict") if target.startswith("/") else None
    if path is None or "\\" in path or "\0" in path:
        return None
    parts = tuple(path.split("/")[1:])
    if any(part in (".", "..") for part in parts):
        return None
    return parts


def respond(snapshot: Snapshot, target: str) -> Response:
    """The response to a GET of `target` from this snapshot."""
    try:
        parts = segments(target)
    except UnicodeDecodeError:
        return NOT_FOUND
    if parts is None:
        return NOT_FOUND
    if parts in ((), ("",)):
        return Response(200, index_page(snapshot).encode(), "text/html; charset=utf-8")
    if parts == ("_anthology", "live.js"):
        return Response(200, LIVE_SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
    if len(parts) == 4 and parts[:2] == ("_anthology", "proof"):
        return proof_page(snapshot, parts[2], parts[3])
    if len(parts) < 2 or parts[0] != "v" or (volume := snapshot.volume(parts[1])) is None:
        return NOT_FOUND
    name = "/".join(parts[2:])
    if name == "":
        return Response(302, b"", location=f"/v/{volume.slug}/toc.xhtml")
    if name in volume.documents:
        return Response(200, with_live_script(volume.documents[name]).encode(), XHTML)
    if name in volume.stylesheets:
        return Response(200, volume.stylesheets[name], "text/css; charset=utf-8")
    if name in volume.fonts:
        return Response(200, volume.fonts[name].read_bytes(), "font/otf")
    if name == f"images/{COVER_IMAGE}":
        return Response(200, cover_image(volume.book, volume.theme, volume.theme_key),
                        "image/jpeg")
    if name in volume.images:
        asset = volume.images[name]
        try:
            data = files.read_bytes(asset.source, (snapshot.root,), files.IMAGE_BYTES)
        except files.Refused:
            return NOT_FOUND
        return Response(200, data, asset.media_type)
    return NOT_FOUND


# A reading system sets its own margins and line length around the book's pages (epub.css
# leaves them to it); the preview does as a reader's would, on the root element only.
READER_MARGINS = ("<style>/* anthology serve: a reading system's margins */ "
                  "html { padding: 1.5em max(1.5em, calc((100% - 40em) / 2)); }</style>\n")


def with_live_script(xhtml: str) -> str:
    """The document as the EPUB has it, in a reader's margins, plus the one script that keeps
    it up to date."""
    return xhtml.replace("</head>", f'{READER_MARGINS}<script src="{LIVE_URL}"></script>\n'
                                    "</head>", 1)


@functools.lru_cache(maxsize=16)
def _cover(head: Book, theme: Theme, theme_key: str) -> bytes:
    return epub_cover(head, theme)


def cover_image(book: Book, theme: Theme, theme_key: str) -> bytes:
    """The EPUB's cover (drawn once per version of the book's own fields)."""
    return _cover(book_head(book), theme, theme_key)


_PNG = re.compile(r"^([1-9][0-9]{0,3})\.png$")


def proof_page(snapshot: Snapshot, key: str, name: str) -> Response:
    proof = snapshot.proofs.get(key)
    match = _PNG.match(name)
    if proof is None or match is None or not 1 <= int(match[1]) <= len(proof.pages):
        return NOT_FOUND
    return Response(200, proof.pages[int(match[1]) - 1], "image/png",
                    cache="max-age=3600, immutable")


def page_chapter(snapshot: Snapshot, page: str) -> tuple[str, str] | None:
    """(volume, chapter id) when `page` is the URL of a chapter's document."""
    try:
        parts = segments(page)
    except UnicodeDecodeError:
        return None
    if parts is None or len(parts) != 3 or parts[0] != "v" or not parts[2].endswith(".xhtml"):
        return None
    volume = snapshot.volume(parts[1])
    chapter = parts[2].removesuffix(".xhtml")
    if volume is None or chapter not in volume.proof_jobs:
        return None
    return volume.slug, chapter


def status(snapshot: Snapshot, page: str) -> Response:
    """What the live script needs besides the page: problems, styles, the print proof."""
    try:
        parts = segments(page)
    except UnicodeDecodeError:
        parts = None
    volume = snapshot.volume(parts[1]) if parts and len(parts) > 1 and parts[0] == "v" \
        else None
    styles = hashlib.sha256(b"".join(volume.stylesheets.values())).hexdigest()[:16] \
        if volume else ""
    found = parts is not None and respond(snapshot, page).status == 200
    chapter = page_chapter(snapshot, page)
    body = {
        "version": snapshot.version,
        "errors": snapshot.errors,
        "warnings": snapshot.warnings,
        "page": "ok" if found else "gone",
        "styles": styles,
        "proof": proof_state(snapshot, *chapter, PROOF_URL) if chapter else None,
    }
    return Response(200, json.dumps(body).encode(), "application/json")


def index_page(snapshot: Snapshot) -> str:
    """The series: each volume with its cover and its contents."""
    sections = []
    for volume in snapshot.volumes:
        book = volume.book
        series = f"{book.series.name}, volume {book.series.number}" if book.series else ""
        items = "".join(f'<li><a href="/v/{volume.slug}/{c.id}.xhtml">{html.escape(c.heading)}'
                        "</a></li>" for c in book.chapters)
        sections.append(
            f'<section class="volume"><a href="/v/{volume.slug}/toc.xhtml">'
            f'<img class="cover" src="/v/{volume.slug}/images/{COVER_IMAGE}" alt="Cover"/></a>'
            f'<div><h2><a href="/v/{volume.slug}/toc.xhtml">{html.escape(book.full_title)}</a>'
            f'</h2><p class="series">{html.escape(series)}</p>'
            f'<p class="byline">{html.escape(book.author)} · {len(book.chapters)} '
            f'{"review" if len(book.chapters) == 1 else "reviews"}</p><ol>{items}</ol></div>'
            "</section>")
    empty = "" if sections else "<p>No volume to show yet.</p>"
    return INDEX.format(root=html.escape(str(snapshot.root)), volumes="".join(sections) or empty,
                        script=LIVE_URL)


INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"/><title>anthology preview</title>
<style>
body {{ font-family: Georgia, serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; background: #faf8f4; }}
h1 {{ font-weight: normal; }} .root {{ color: #777; font-size: 0.9rem; }}
.volume {{ display: flex; gap: 1.5rem; margin: 2rem 0; }}
.cover {{ width: 9rem; box-shadow: 0 2px 8px rgba(0,0,0,.3); }}
.volume h2 {{ margin: 0; }} .series, .byline {{ margin: 0.3rem 0; color: #555; }}
a {{ color: #7a2b20; text-decoration: none; }} a:hover {{ text-decoration: underline; }}
</style>
<script src="{script}"></script></head>
<body><h1>The series</h1><p class="root">{root}</p>{volumes}</body></html>
"""
