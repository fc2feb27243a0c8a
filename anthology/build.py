"""One build of a workspace's books into an output folder, as one transaction.

Every file of the run is written into a staging folder inside the output folder; only when
every book of the run succeeded are they moved into place, each by one rename (the same
filesystem, so each is atomic). A failure anywhere leaves every book in the output folder as
it was. Debris of killed builds is cleaned first. Callable by the command line and by anything
else that builds (a preview server): it prints nothing, reports progress through a callback
and returns frozen values saying what was written, what went wrong and what to warn about.
"""

from __future__ import annotations

import filecmp
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from anthology.editions import Format
from anthology.epub.covers import write_store_cover
from anthology.epub.package import write_epub
from anthology.epub.stores import edition_names, write_store_editions
from anthology.output import Change, NotPlaced, Staging, clean_debris, put_in_place
from anthology.playlists import series_files, volume_files
from anthology.print.cache import BookLayout, PieceCache
from anthology.print.glyphs import Glyphs, Report, Sources, report, theme_fonts
from anthology.print.join import Joined
from anthology.print.pdf import Profile, ResourceError, page_count_warnings
from anthology.print.pieces import save_joined
from anthology.print.series import (
    BookFailed,
    NotSettled,
    book_digests,
    kept_layouts,
    lay_out_series,
)
from anthology.render.documents import ThemeError
from anthology.series.book import Book
from anthology.workspace.problems import Problem, Problems
from anthology.workspace.theme import Theme


@dataclass(frozen=True)
class Options:
    out: Path
    formats: tuple[Format, ...] = (Format.epub, Format.pdf)
    profile: Profile = Profile.digital
    jobs: int | None = None  # processes laying out pages; None: one per core
    stores: bool = False  # also each store's edition of the EPUB (anthology.epub.stores)


@dataclass(frozen=True)
class Step:
    """Progress: `done` of `total` files are built; `doing` is the one under way, in `volume`,
    of which `volume_done` of `volume_total` are built."""

    done: int
    total: int
    doing: str
    volume: str | None = None
    volume_done: int = 0
    volume_total: int = 0


@dataclass(frozen=True)
class Written:
    path: Path
    book: str
    chapters: int | None  # None for a cover image
    pages: int | None  # the PDF's
    size: int
    change: Change


@dataclass(frozen=True)
class Failure:
    name: str  # the file's name in the output folder
    message: str
    placing: bool = False  # True: built whole, but it could not be moved into place
    source: Path | None = None  # the theme file to blame, when one is
    line: int = 0


@dataclass(frozen=True)
class Result:
    out: Path
    written: tuple[Written, ...]  # in the output folder now (all, or none when one failed)
    failures: tuple[Failure, ...]
    warnings: tuple[str, ...]
    removed: tuple[str, ...] = ()  # books of volumes the series no longer holds
    # Warnings at a line of a source: characters the theme's font lacks (print.glyphs).
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class _Staged:
    name: str
    book: Book
    pages: int | None = None
    chapters: bool = True
    kept: bool = False  # made by an earlier build from the same layout: left as it is


def file_name(book: Book, kind: Format, profile: Profile) -> str:
    suffix = "" if kind is Format.epub or profile is Profile.digital else f"-{profile.value}"
    return f"{book.slug}{suffix}.{kind.value}"


def build(books: Sequence[Book], theme: Theme, cache: PieceCache, options: Options,
          progress: Callable[[Step], None] | None = None,
          series: Sequence[Book] = (), sources: Sources | None = None) -> Result:
    """Build `books` in `options.formats` into `options.out`: all of them, or none. `series`
    is every volume (the default: `books`): the print layout is the whole series', so every
    reference to another volume prints the page it is on. `sources` (each book's files) is
    where a warning of a character the theme's font lacks points.

    A book whose layout stands as recorded and whose files in the output folder are the ones
    made from that layout (as the cache's record of the folder says, checked by digest) is
    left as it is: nothing of it is laid out, joined or written again."""
    started = time.time()  # every file this build finds current is as new as this
    tell = progress or (lambda step: None)
    series = tuple(series) or tuple(books)
    formats = [kind for kind in (Format.pdf, Format.epub) if kind in options.formats]
    out = options.out
    out.mkdir(parents=True, exist_ok=True)
    clean_debris(out)
    if not formats:  # the playlists alone
        return _build_playlists(books, series, out)
    cache.clean()
    staged: dict[str, _Staged] = {}
    failures: list[Failure] = []
    warnings: list[str] = []
    found = Problems()  # warnings at a source's line (a book in an omnibus: said once)
    total, done = len(books) * len(formats) + 1, 0
    # The PDF's layout gives the EPUB the print edition's page list; an EPUB alone gets the
    # digital layout's.
    profile = options.profile if Format.pdf in formats else Profile.digital
    names = {b.slug: _names(b, formats, options.profile, options.stores)  # by format
             for b in books}
    made = cache.outputs(out)
    kept = kept_layouts(book_digests(series, theme, profile), profile, cache)
    fresh = _fresh(books, names, made, kept, out)

    def glyph_warnings(book: Book, glyphs: Glyphs) -> None:
        """Characters its PDF set outside the theme's font, at their lines: when it is
        written, and again while it stands as written, until they are fixed."""
        if Format.pdf in formats and glyphs:
            said = _glyph_report(book, glyphs, theme, sources, options.profile)
            found.extend(said.problems)
            warnings.extend(said.warnings)

    with Staging(out) as staging:

        def deliver(slug: str, joined: Joined, record: BookLayout) -> None:
            """Write a book's files as soon as it is joined, then let go of it. An EPUB made
            from the same book and page map is kept (only other volumes' pages changed)."""
            nonlocal done
            done = max(done, 1)  # the series' layout, the first step, is over
            book = next(b for b in books if b.slug == slug)
            try:
                for index, kind in enumerate(formats):
                    tell(Step(done, total, f"{book.slug}.{kind.value}", book.slug, index,
                              len(formats)))
                    mine = names[slug][kind]
                    if kind is Format.epub and _current(out, _made_by(record, kind), made,
                                                        mine):
                        staged.update((n, _Staged(n, book, None, n.endswith(".epub"), True))
                                      for n in mine)
                    else:
                        warnings.extend(_write(book, kind, joined, theme, options,
                                               staging.path, staged, failures))
                    done += 1
                glyph_warnings(book, joined.glyphs)
                tell(Step(done, total, f"{book.slug}: built", book.slug, len(formats),
                          len(formats)))
            finally:
                for source in joined.sources:
                    source.close()
                joined.pdf.close()
        try:
            layout = lay_out_series(series, theme, profile, cache, [b.slug for b in books],
                                    options.jobs, lambda doing: tell(Step(done, total, doing)),
                                    deliver, fresh)
        except BookFailed as exc:
            book = next(b for b in series if b.slug == exc.slug)
            name = file_name(book, formats[0], options.profile)
            error = exc.error
            if isinstance(error, ThemeError):
                failure = Failure(name, error.message, source=error.path, line=error.line)
            else:
                failure = Failure(name, _reason(error))
            return Result(out, (), (failure,), ())
        except (NotSettled, OSError) as exc:
            return Result(out, (), (Failure("the series", _reason(exc)),), ())
        done = max(done, 1)
        for book in books:
            if book.slug not in layout.joined:  # its files are those of its layout: kept
                for name in (n for files in names[book.slug].values() for n in files):
                    staged[name] = _Staged(name, book, layout.records[book.slug].count
                                           if name.endswith(".pdf") else None,
                                           not name.endswith(".jpg"), kept=True)
                glyph_warnings(book, layout.records[book.slug].glyphs)
                done += len(formats)
        # Every volume laid out, asked for or not: the others' new pages are theirs to keep.
        cache.keep_only_used({f"{slug}-{profile.value}": keys
                              for slug, keys in layout.used.items()})
        if Format.playlists in options.formats:
            staged.update((s.name, s) for s in _stage_playlists(books, series, staging.path,
                                                                 failures))
        tell(Step(done, total, "putting the books in place"))
        if cache.write_error:
            warnings.append(f"the layout cache could not be written ({cache.write_error}): "
                            "those chapters will be laid out again next time")
        if failures:
            return Result(out, (), tuple(failures), tuple(warnings), problems=tuple(found))
        written, failure = _commit(staging.path, out, list(staged.values()))
    kinds = {name: kind for b in books for kind, files in names[b.slug].items()
             for name in files}
    digests = {w.path.name: file_digest(w.path) for w in written}
    made.update({w.path.name: (_made_by(layout.records[w.book], kinds[w.path.name]),
                               digests[w.path.name]) for w in written
                 if w.book in layout.records and w.path.name in kinds})
    removed = _remove_stale(out, made, series) if failure is None else ()
    checked = {name: seen for name, seen in cache.checked(out).items() if name not in removed}
    checked.update((name, (started, digest)) for name, digest in digests.items())
    cache.keep_outputs(out, made, checked)
    return Result(out, tuple(written), (failure,) if failure else (), tuple(warnings), removed,
                  tuple(found))


def _remove_stale(out: Path, made: dict[str, tuple[str, str]], series: Sequence[Book]
                  ) -> tuple[str, ...]:
    """Books this tool wrote for volumes the series no longer holds (renamed or removed):
    taken out of the output folder, so a publisher uploading it takes no stale book. Only a
    file still holding the bytes we wrote is removed; one edited since is left, and forgotten."""
    current = {name for book in series for profile in Profile
               for files in _names(book, (Format.epub, Format.pdf), profile).values()
               for name in files} | {n for b in series for n in edition_names(b, every=True)}
    removed = []
    for name in sorted(set(made) - current):
        path = out / name
        if file_digest(path) == made.pop(name)[1]:
            path.unlink()
            removed.append(name)
    return tuple(removed)


def _names(book: Book, formats: Sequence[Format], profile: Profile, stores: bool = False
           ) -> dict[Format, list[str]]:
    """The files a book's build writes in each of `formats` (the EPUB's store cover with it,
    and with `stores` its store editions)."""
    names = {kind: [file_name(book, kind, profile)] for kind in formats}
    if Format.epub in names:
        names[Format.epub].append(f"{book.slug}-cover.jpg")
        if stores:
            names[Format.epub] += edition_names(book)
    return names


def _made_by(record: BookLayout, kind: Format) -> str:
    """The digest of what a book's file of `kind` is made from (the EPUB and its cover
    image: the book and its own page map; the PDF: its whole layout)."""
    return record.digest if kind is Format.pdf else record.digital_digest


def _current(out: Path, digest: str, made: dict[str, tuple[str, str]],
             names: Sequence[str]) -> bool:
    """Whether the files `names` in `out` are those made from `digest` (by their bytes)."""
    return all(name in made and made[name][0] == digest
               and file_digest(out / name) == made[name][1] for name in names)


def _fresh(books: Sequence[Book], names: dict[str, dict[Format, list[str]]],
           made: dict[str, tuple[str, str]], kept: dict[str, BookLayout],
           out: Path) -> set[str]:
    """The books to build whatever their layout: those whose files in `out` are missing or
    were not made from the layout recorded for them now."""
    fresh = set()
    for book in books:
        record = kept.get(book.slug)
        if record is None or not all(
                _current(out, _made_by(record, kind), made, files)
                for kind, files in names[book.slug].items()):
            fresh.add(book.slug)
    return fresh


def file_digest(path: Path) -> str:
    """A file's digest; "" for a file that is not there (or not a plain file)."""
    if path.is_symlink() or not path.is_file():
        return ""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write(book: Book, kind: Format, joined: Joined, theme: Theme, options: Options,
           folder: Path, staged: dict[str, _Staged], failures: list[Failure]) -> list[str]:
    """Write one of a book's files into the staging folder; its warnings."""
    name = file_name(book, kind, options.profile)
    try:
        if kind is Format.pdf:
            staged[name] = _Staged(name, book, joined.page_count)
            return _write_pdf(joined, folder / name, options.profile)
        epub = write_epub(book, theme, folder / name, joined.page_map)
        cover = f"{book.slug}-cover.jpg"
        write_store_cover(book, theme, folder / cover)
        staged[name] = _Staged(name, book)
        staged[cover] = _Staged(cover, book, chapters=False)
        if options.stores and epub.rendered is not None:
            staged.update((n, _Staged(n, book)) for n in write_store_editions(
                book, theme, epub.rendered, folder, joined.page_map))
    except ThemeError as exc:
        failures.append(Failure(name, exc.message, source=exc.path, line=exc.line))
    except (ResourceError, OSError) as exc:
        failures.append(Failure(name, _reason(exc)))
    return []


def _write_pdf(joined: Joined, target: Path, profile: Profile) -> list[str]:
    """Save a joined PDF; the warnings a reader of the build should see."""
    save_joined(joined, target)
    return [f"{target.name}: {w}" for w in page_count_warnings(profile, joined.page_count)]


def _glyph_report(book: Book, glyphs: Glyphs, theme: Theme, sources: Sources | None,
                  profile: Profile) -> Report:
    """The warnings of characters a book's PDF set outside the theme's font: at the line of
    each source file that has them (anthology.print.glyphs), else of the PDF."""
    paths = sources.books.get(book.slug, ()) if sources is not None else ()
    root = sources.root if sources is not None else Path(".")
    return report(glyphs, paths, root, theme_fonts(theme),
                  file_name(book, Format.pdf, profile))


def _stage_playlists(books: Sequence[Book], series: Sequence[Book], folder: Path,
                     failures: list[Failure]) -> list[_Staged]:
    """Playlists (issue 13) are staged with the books, so they join the same transaction:
    each chosen volume's, and the series' from every volume, so it is always whole."""
    pairs = [(name, data, book) for book in books for name, data in volume_files(book)]
    owner = next((b for b in series if b.series is not None), None)  # the series' first
    if owner is not None:
        pairs += [(name, data, owner) for name, data in series_files(series)]
    staged = []
    for name, data, book in pairs:
        try:
            (folder / name).write_bytes(data)
        except OSError as exc:
            failures.append(Failure(name, _reason(exc)))
            continue
        staged.append(_Staged(name, book, chapters=False))
    return staged


def _build_playlists(books: Sequence[Book], series: Sequence[Book], out: Path) -> Result:
    """A build of the playlists alone (`--only playlists`): no layout, the same transaction."""
    failures: list[Failure] = []
    with Staging(out) as staging:
        staged = _stage_playlists(books, series, staging.path, failures)
        if failures:
            return Result(out, (), tuple(failures), ())
        written, failure = _commit(staging.path, out, staged)
    return Result(out, tuple(written), (failure,) if failure else (), ())


def _commit(staging: Path, out: Path, staged: Sequence[_Staged]
            ) -> tuple[list[Written], Failure | None]:
    """Move every staged file into `out`, all or none (anthology.output.put_in_place)."""
    for item in staged:
        if (out / item.name).is_dir():  # the one failure a rename can foresee: refuse early
            return [], Failure(item.name, "a folder of that name is in the way", placing=True)
    changes = {item.name: Change.unchanged if item.kept
               else _change(staging / item.name, out / item.name) for item in staged}
    left: tuple[str, ...] = ()
    failure = None
    try:
        put_in_place(staging, out, [n for n, c in changes.items() if c is not Change.unchanged])
    except NotPlaced as exc:
        left, failure = exc.replaced, Failure(exc.name, _reason(exc.error), placing=True)
    written = []
    for item in staged:
        if failure is not None and item.name not in left:
            continue
        target = out / item.name
        written.append(Written(target, item.book.slug,
                               len(item.book.chapters) if item.chapters else None, item.pages,
                               target.stat().st_size, changes[item.name]))
    return written, failure


def _reason(exc: Exception) -> str:
    """What went wrong, without the paths of temporary files (a full disk: the disk is full)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def _change(source: Path, target: Path) -> Change:
    if not target.exists():
        return Change.new
    if target.is_file() and not target.is_symlink() and filecmp.cmp(source, target, False):
        return Change.unchanged
    return Change.replaced
