"""Preflight: the publisher's check of the books a build made, before they go to a printer or
a store. For each volume and profile it reads the built files back (it never builds) and
measures what a print service or a book designer would: the page boxes and fonts, the page
count, the typesetting (openers, stranded lines, hyphenation, dashes, the measure), the Ingram
covers' ink, the cover's barcode and the EPUB cover's fit on a screen. The hardcover
(`ingram-hardcover`) is checked as Ingram's paperback is, its case laminate cover and its dust
jacket each as a wrap, against their own geometry. Each check is a row: a
figure, its limit, pass or fail. Prints nothing: progress goes through a callback, results are
frozen values.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from types import MappingProxyType

import pikepdf
import pypdfium2
from lxml import etree

from anthology.build import Format, file_digest, file_name
from anthology.epub.stores import differs, edition_name
from anthology.preflight.barcode import barcode_row
from anthology.preflight.cover_fit import cover_fit
from anthology.preflight.endings import endings
from anthology.preflight.findings import Finding, Status
from anthology.preflight.pdftext import PageText, read_pages
from anthology.preflight.pressfile import fonts, page_boxes, page_count, total_ink, wrap_size
from anthology.preflight.spine import spine_row
from anthology.preflight.stores import store_rows
from anthology.preflight.typesetting import Part, end_blanks, parts, read, typesetting
from anthology.preflight.word_spacing import word_spacing
from anthology.print.geometry import POINTS, CoverWrap, Panels, TrimError
from anthology.print.jacket import jacket_geometry, jacket_name
from anthology.print.pdf import Profile
from anthology.print.wrap import cover_geometry
from anthology.series.book import Book
from anthology.workspace.publishing import Store
from anthology.workspace.volumes import Workspace

STORES = "stores"  # the rows' profile for the store editions (`build --stores`)


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


def _jacket(book: Book, out: Path) -> Path:
    return out / jacket_name(book)


def editions(book: Book, out: Path) -> list[tuple[Store, Path]]:
    """The store editions `build --stores` writes of `book`: where a store's differs."""
    return [(s, out / edition_name(book.slug, s)) for s in Store if differs(book, s)]


def needed(volume: Subject, profile: Profile, out: Path) -> list[Needed]:
    book, made_from = volume.book, volume.sources
    slug = book.slug
    if profile.is_print:  # `build --print` makes each printer's interior and its cover wrap
        make = cover = ("build", slug, "--print")
        if profile.hardcover and not book.isbn_hardcover:  # not a --print volume's: asked for
            make = ("build", slug, "--profile", profile.value, "--only", "pdf")
            cover = ("cover", slug, "--profile", profile.value)
        interior = _interior(book, profile, out)
        covers = [_wrap(book, profile, out), *([_jacket(book, out)] if profile.hardcover
                                               else [])]
        return [Needed(interior, make, made_from),
                *(Needed(c, cover, (*made_from, interior)) for c in covers)]
    return [Needed(_interior(book, profile, out), ("build", slug, "--only", "pdf"), made_from),
            Needed(_epub(book, out), ("build", slug, "--only", "epub"), made_from)]


def stale(volumes: Sequence[Subject], profiles: Sequence[Profile], out: Path,
          hardcovers: Collection[str] | None = None,
          checked: Mapping[str, tuple[float, str]] = MappingProxyType({})) -> list[Stale]:
    """The files that are missing or older than what they are made from; the hardcover's
    only for the volumes in `hardcovers` (by slug; default: all). A file a build found
    current and kept (`checked`: when, and its sha256 then) is as new as that build."""
    found = []
    for volume in volumes:
        for profile in profiles:
            if profile.hardcover and hardcovers is not None \
                    and volume.book.slug not in hardcovers:
                continue
            for item in needed(volume, profile, out):
                if not item.path.is_file():
                    found.append(Stale(item.path, None, item.command))
                    continue
                newer = _newer(item.made_from, _made(item.path, checked))
                if newer:
                    found.append(Stale(item.path, _newest(newer), item.command))
            if profile is Profile.digital:  # the store editions that are built
                found += _stale_editions(volume, out, checked)
    return found


def _stale_editions(volume: Subject, out: Path,
                    checked: Mapping[str, tuple[float, str]]) -> list[Stale]:
    found = []
    for _, path in editions(volume.book, out):
        if path.is_file():
            newer = _newer(volume.sources, _made(path, checked))
            if newer:
                found.append(Stale(path, _newest(newer), ("build", volume.book.slug,
                                                          "--stores")))
    return found


def _made(path: Path, checked: Mapping[str, tuple[float, str]]) -> float:
    """When `path` was last made, or found current by a build that kept its bytes."""
    made = path.stat().st_mtime
    seen = checked.get(path.name)
    if seen is not None and seen[0] > made and file_digest(path) == seen[1]:
        return seen[0]
    return made


def _newer(paths: Iterable[Path], made: float) -> list[Path]:
    return [p for p in paths if p.is_file() and p.stat().st_mtime > made]


def _newest(paths: Iterable[Path]) -> Path:
    return max(paths, key=lambda p: p.stat().st_mtime)


class Unreadable(Exception):
    """A built file that cannot be read as what it should be (damaged, truncated)."""


# What the readers (qpdf, PDFium, zip) raise for a damaged or truncated file.
_DAMAGED = (pikepdf.PdfError, pypdfium2.PdfiumError, zipfile.BadZipFile, OSError, ValueError,
            KeyError, etree.LxmlError)


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
    return findings + text_checks(parts(book), pages)


def text_checks(wanted: Sequence[Part], pages: Sequence[PageText]) -> list[Finding]:
    """Every check of the typesetting, on one edition's pages read back once."""
    reading = read(wanted, pages)
    return typesetting(reading) + endings(reading) + [word_spacing(reading)]


def _epub_rows(path: Path) -> list[Finding]:
    return [cover_fit(path)]


def _cover_rows(book: Book, profile: Profile, path: Path, pages: int,
                jacket: bool = False) -> list[Finding]:
    """A cover's size, fonts, ink (Ingram's), barcode and spine text; the hardcover's case and
    jacket against their own geometry, on the volume's paper."""
    wrap = None
    if profile.hardcover:
        try:
            wrap = jacket_geometry(book, pages) if jacket else \
                cover_geometry(book, profile, pages)
        except TrimError as exc:
            return [Finding.judged("cover size", "not checked", str(exc), False)]
    with pikepdf.open(path) as pdf:
        found = [wrap_size(pdf, book.trim, pages) if wrap is None else
                 _panels_size(pdf, wrap, "dust jacket size" if jacket else "case cover size"),
                 replace(fonts(pdf), check="cover fonts embedded")]
        if profile.pdfx:
            found.append(total_ink(pdf))
    spine = wrap or CoverWrap(book.trim, pages, book.paper)  # type: ignore[arg-type]
    return [*found, barcode_row(book, path, pages, profile, wrap),
            spine_row(path, spine, profile)]


def _panels_size(pdf: pikepdf.Pdf, wrap: Panels, check: str) -> Finding:
    """The page is the geometry's with its bleed, the TrimBox the cover once trimmed."""
    page = pdf.pages[0]
    box = [float(v) for v in page.mediabox]
    size = (abs(box[2] - box[0]) / POINTS, abs(box[3] - box[1]) / POINTS)
    tolerance = 0.5 / POINTS
    faults = []
    if any(abs(a - b) > tolerance for a, b in zip(size, wrap.size, strict=True)):
        faults.append(f"the page is {size[0]:.3f} x {size[1]:.3f} in: made for another page "
                      "count, trim or paper")
    trim = page.obj.get("/TrimBox")
    if trim is None:
        faults.append("no TrimBox")
    else:
        t = [float(v) for v in trim]
        trimmed = (abs(t[2] - t[0]) / POINTS, abs(t[3] - t[1]) / POINTS)
        if any(abs(a - b) > tolerance for a, b in zip(trimmed, wrap.trimmed, strict=True)):
            faults.append(f"its TrimBox is {trimmed[0]:.3f} x {trimmed[1]:.3f} in, not "
                          f"{wrap.trimmed[0]:.3f} x {wrap.trimmed[1]:.3f} in")
    width, height = wrap.size
    return Finding.judged(check, f"{size[0]:.3f} x {size[1]:.3f} in",
                          f"{width:.3f} x {height:.3f} in, spine {wrap.spine:.3f} in, "
                          f"{wrap.pages} pages on {wrap.paper}", not faults,
                          round(size[0], 3), tuple(faults))


def check(pairs: Sequence[tuple[Subject, Profile]], out: Path,
          progress: Callable[[Step], None] | None = None) -> list[Row]:
    """Every check of each volume in its profile; the files must all be there (`stale`). The
    digital profile's takes in the store editions that are built (profile `STORES`)."""
    tell_step = progress or (lambda step: None)
    built = {v.book.slug: [(s, p) for s, p in editions(v.book, out) if p.is_file()]
             for v, profile in pairs if profile is Profile.digital}
    total = len(pairs) * 2 + sum(map(len, built.values()))
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
            jacket = _jacket(book, out)
            if profile.hardcover:
                tell(jacket.name)
                cover = _read(jacket, partial(_cover_rows, book, profile, jacket, count, True))
                rows += [Row(book.slug, profile.value, jacket.name, f) for f in cover]
        else:
            epub = _epub(book, out)
            tell(f"{epub.name}: the cover in a browser")
            rows += [Row(book.slug, profile.value, epub.name, f)
                     for f in _read(epub, partial(_epub_rows, epub))]
            for store, path in built[book.slug]:
                done += 1
                tell(path.name)
                rows += [Row(book.slug, STORES, path.name, f)
                         for f in _read(path, partial(store_rows, path, store))]
        done += 1
    tell_step(Step(done, total, "done"))
    return rows


def counts(rows: Iterable[Row]) -> dict[Status, int]:
    tally = dict.fromkeys(Status, 0)
    for row in rows:
        tally[row.finding.status] += 1
    return tally
