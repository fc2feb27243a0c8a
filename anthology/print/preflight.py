"""Preflight: the publisher's check of the books a build made, before they go to a printer or
a store. For each volume and profile it reads the built files back (it never builds) and
measures what a print service or a book designer would: the page boxes and fonts, the page
count, the typesetting (openers, stranded lines, hyphenation, dashes, the measure), the Ingram
cover's ink, the cover's barcode and the EPUB cover's fit on a screen. Each check is a row: a
figure, its limit, pass or fail. Prints nothing: progress goes through a callback, results are
frozen values.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import pikepdf
import pypdfium2

from anthology.build import Format, file_name
from anthology.epub.coverfit import cover_fit
from anthology.print.barcode_check import barcode_row
from anthology.print.findings import Finding, Status
from anthology.print.pdf import Profile
from anthology.print.pdftext import read_pages
from anthology.print.pressfile import fonts, page_boxes, page_count, total_ink, wrap_size
from anthology.print.typesetting import end_blanks, parts, typesetting
from anthology.series.book import Book
from anthology.workspace.volumes import Workspace


@dataclass(frozen=True)
class Row:
    """One check of one file of one volume in one profile."""

    volume: str
    profile: str
    file: str
    finding: Finding

    def as_dict(self) -> dict[str, object]:
        f = self.finding
        return {"volume": self.volume, "profile": self.profile, "file": self.file,
                "check": f.check, "figure": f.figure, "limit": f.limit,
                "status": f.status.value, "value": f.value, "where": list(f.where)}


@dataclass(frozen=True)
class Needed:
    """A file preflight reads, and what makes it: `command` is the anthology command line."""

    path: Path
    command: tuple[str, ...]
    made_from: tuple[Path, ...]  # newer than the file: the file is stale


@dataclass(frozen=True)
class Stale:
    path: Path
    older_than: Path | None  # None: the file is missing
    command: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """Progress: `done` of `total` files read; `doing` is the one under way, `detail` how far
    into it (a page count) when there is one."""

    done: int
    total: int
    doing: str
    detail: str = ""


@dataclass(frozen=True)
class Subject:
    """A volume to check: its book, and the files its books are made from."""

    book: Book
    sources: tuple[Path, ...]


def sources(workspace: Workspace) -> tuple[Path, ...]:
    """Everything the books are made from: every volume's folder (a volume's pages refer to
    pages of the others, so each book depends on all of them), `styles/` and `people.toml`."""
    found: set[Path] = set()
    for folder in (workspace.root / "volumes", workspace.root / "styles"):
        if folder.is_dir():
            found |= {p for p in folder.rglob("*") if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(folder).parts)}
    found |= {r.path for r in workspace.reviews.values()}
    people = workspace.root / "people.toml"
    if people.is_file():
        found.add(people)
    return tuple(sorted(found))


def _interior(book: Book, profile: Profile, out: Path) -> Path:
    return out / file_name(book, Format.pdf, profile)


def _epub(book: Book, out: Path) -> Path:
    return out / file_name(book, Format.epub, Profile.digital)


def _wrap(book: Book, profile: Profile, out: Path) -> Path:
    """As `anthology cover` names it."""
    return out / f"{book.slug}-cover-{profile.value}.pdf"


def needed(volume: Subject, profile: Profile, out: Path) -> list[Needed]:
    book, made_from = volume.book, volume.sources
    slug = book.slug
    if profile.is_print:  # `build --print` makes each printer's interior and its cover wrap
        make = ("build", slug, "--print")
        return [Needed(_interior(book, profile, out), make, made_from),
                Needed(_wrap(book, profile, out), make,
                       (*made_from, _interior(book, profile, out)))]
    return [Needed(_interior(book, profile, out), ("build", slug, "--only", "pdf"), made_from),
            Needed(_epub(book, out), ("build", slug, "--only", "epub"), made_from)]


def stale(volumes: Sequence[Subject], profiles: Sequence[Profile], out: Path) -> list[Stale]:
    """The files that are missing or older than what they are made from."""
    found = []
    for volume in volumes:
        for profile in profiles:
            for item in needed(volume, profile, out):
                if not item.path.is_file():
                    found.append(Stale(item.path, None, item.command))
                    continue
                made = item.path.stat().st_mtime
                newer = [p for p in item.made_from if p.is_file() and p.stat().st_mtime > made]
                if newer:
                    found.append(Stale(item.path, _newest(newer), item.command))
    return found


def _newest(paths: Iterable[Path]) -> Path:
    return max(paths, key=lambda p: p.stat().st_mtime)


class Unreadable(Exception):
    """A built file that cannot be read as what it should be (damaged, truncated)."""


# What the readers (qpdf, PDFium, zip) raise for a damaged or truncated file.
_DAMAGED = (pikepdf.PdfError, pypdfium2.PdfiumError, zipfile.BadZipFile, OSError, ValueError)


def _read(path: Path, reading: Callable[[], list[Finding]]) -> list[Finding]:
    """The author gets one line naming a damaged file, never a traceback."""
    try:
        return reading()
    except _DAMAGED as exc:
        raise Unreadable(f"{path.name} could not be read ({exc}): build it again") from None


def _interior_rows(book: Book, profile: Profile, path: Path,
                   tell: Callable[[str, str], None]) -> list[Finding]:
    """The boxes, fonts and page count (in that order), then the typesetting."""
    with pikepdf.open(path) as pdf:
        findings = [page_boxes(pdf, book.trim, book.bleed, profile), fonts(pdf),
                    page_count(len(pdf.pages), profile, book.paper)]
    pages = read_pages(path, lambda done, total: tell(path.name, f"page {done}/{total}"))
    if profile.is_print:
        findings.append(end_blanks(pages))
    return findings + typesetting(parts(book), pages)


def _epub_rows(path: Path) -> list[Finding]:
    return [cover_fit(path)]


def _cover_rows(book: Book, profile: Profile, path: Path, pages: int) -> list[Finding]:
    with pikepdf.open(path) as pdf:
        found = [wrap_size(pdf, book.trim, pages),
                 replace(fonts(pdf), check="cover fonts embedded")]
        if profile is Profile.ingram:
            found.append(total_ink(pdf))
    return [*found, barcode_row(book, path, pages)]


def check(pairs: Sequence[tuple[Subject, Profile]], out: Path,
          progress: Callable[[Step], None] | None = None) -> list[Row]:
    """Every check of each volume in its profile; the files must all be there (`stale`)."""
    tell_step = progress or (lambda step: None)
    total = len(pairs) * 2
    done = 0
    rows: list[Row] = []

    def tell(doing: str, detail: str = "") -> None:
        tell_step(Step(done, total, doing, detail))

    for volume, profile in pairs:
        book = volume.book
        interior = _interior(book, profile, out)
        tell(interior.name)
        findings = _read(interior, partial(_interior_rows, book, profile, interior, tell))
        count = int(findings[2].value or 0)  # the page count's row
        rows += [Row(book.slug, profile.value, interior.name, f) for f in findings]
        done += 1
        if profile.is_print:
            wrap = _wrap(book, profile, out)
            tell(wrap.name)
            cover = _read(wrap, partial(_cover_rows, book, profile, wrap, count))
            rows += [Row(book.slug, profile.value, wrap.name, f) for f in cover]
        else:
            epub = _epub(book, out)
            tell(f"{epub.name}: the cover in a browser")
            rows += [Row(book.slug, profile.value, epub.name, f)
                     for f in _read(epub, partial(_epub_rows, epub))]
        done += 1
    tell_step(Step(done, total, "done"))
    return rows


def counts(rows: Iterable[Row]) -> dict[Status, int]:
    tally = dict.fromkeys(Status, 0)
    for row in rows:
        tally[row.finding.status] += 1
    return tally
