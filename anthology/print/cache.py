"""The cache of laid-out pieces (`build/.cache/pieces`), trusted only where it checks out whole.

An entry is the piece's PDF and a JSON sidecar with what the joined book rebuilds from it
(anchors, links, bookmarks). The sidecar carries a checksum over its own content, its key and
the PDF's digest: a byte flipped in the PDF, a value edited in the sidecar (even one that
leaves valid JSON), a truncated or foreign file is a miss, laid out again, never an error.
The references file of a book (the page labels of its last build) is checked the same way.

Entries are written atomically; the cache is an aid, so a write that fails (a full disk) is
remembered and reported by the build as a warning, never fatal in itself.

A checksum anyone can recompute does not make a file trustworthy, so the cache is read as
untrusted input (a cache copied from elsewhere, or edited by hand and sealed again): a piece's
PDF ends with its own key, so a piece filed under another piece's key is not that piece; it
must have the pages its record describes; and one that carries what no piece of ours has (an
action, a script, an annotation, a form, embedded files) is a miss. Joining strips such things
all the same (anthology.print.scrub).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import stat
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import pikepdf

from anthology.output import atomic_target, clean_debris
from anthology.print.glyphs import NO_GLYPHS, Glyphs
from anthology.print.tags import PieceStructure
from anthology.series.pagemap import SeriesPages

FORMAT = 4  # the sidecar layout; an entry of another format is a miss
PIECE_MARK = b"\n%anthology-piece "  # a piece's PDF ends with this, its key and a newline
# What a laid-out piece never has (its links, outline and destinations are in its record).
ACTIVE_CATALOG = ("/OpenAction", "/AA", "/AcroForm", "/Names", "/Outlines", "/URI",
                  "/Collection", "/Threads", "/AF")
ACTIVE_PAGE = ("/AA", "/Annots", "/AF")
MAX_ENTRY = 256 * 1024 * 1024  # no laid-out piece is this large: a bigger file is not ours


@dataclass(frozen=True)
class LaidOut:
    """A laid-out piece: its PDF (no links, outline or named destinations) and, per page,
    what the joined book needs to rebuild them."""

    pdf: bytes
    anchors: tuple[tuple[tuple[str, float, float], ...], ...]
    links: tuple[tuple[tuple[str, str, tuple[float, float, float, float]], ...], ...]
    bookmarks: tuple[tuple[tuple[int, str, float, float], ...], ...]
    glyphs: Glyphs = NO_GLYPHS  # what it set outside the theme's font
    # Its cache key, when it has one: not stored (the file is named by it), not compared.
    key: str = field(default="", compare=False)

    @property
    def pages(self) -> int:
        return len(self.anchors)


def _digest(record: Mapping[str, object]) -> str:
    canonical = json.dumps({k: v for k, v in record.items() if k != "check"}, sort_keys=True,
                           separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _sealed(record: dict[str, object]) -> str:
    return json.dumps({**record, "check": _digest(record)})


def _opened(text: str, key: str) -> dict:
    """The record in `text` if its checksum and key hold; else ValueError."""
    record = json.loads(text)
    if not isinstance(record, dict) or record.get("format") != FORMAT \
            or record.get("key") != key or record.get("check") != _digest(record):
        raise ValueError("not a sound cache record")
    return record


def _marked(pdf: bytes, key: str) -> bytes:
    return pdf + PIECE_MARK + key.encode("ascii") + b"\n"


def _content_digest(pdf: bytes) -> str:
    """The digest of a piece's PDF without its mark: the same for the piece as laid out and
    as read back from the cache."""
    head, mark, tail = pdf.rpartition(PIECE_MARK)
    unmarked = mark and tail.endswith(b"\n") and b"\n" not in tail[:-1]
    return hashlib.sha256(head if unmarked else pdf).hexdigest()


def _sound_piece(data: bytes, key: str, pages: int) -> bool:
    """Whether `data` is the PDF laid out for `key`: it says so, has `pages` pages and none
    of what a piece of ours never carries."""
    if not data.endswith(_marked(b"", key)):
        return False
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages) == pages and not any(k in pdf.Root for k in ACTIVE_CATALOG) \
                and not any(k in page.obj for page in pdf.pages for k in ACTIVE_PAGE)
    except (pikepdf.PdfError, ValueError, RecursionError):
        return False


def _read(path: Path) -> bytes:
    """A regular file's bytes (a folder, a FIFO or a huge file in the cache is not ours)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY:
            raise ValueError(f"{path.name} is not a cache file")
        return handle.read()


# Shapes of the sidecar's rows: s a string, n a number, i an integer, r a rectangle.
ANCHOR, LINK, BOOKMARK = "snn", "ssr", "isnn"


def _value(value: object, kind: str) -> object:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "s" and isinstance(value, str):
        return value
    if (kind == "n" and number) or (kind == "i" and number and isinstance(value, int)):
        return value
    if kind == "r" and isinstance(value, list) and len(value) == 4:
        return tuple(_value(v, "n") for v in value)
    raise ValueError(f"not a {kind}: {value!r}")


def _pages(value: object, shape: str) -> tuple:
    if not isinstance(value, list) or not all(isinstance(page, list) for page in value):
        raise ValueError("not a list of pages")
    rows = []
    for page in value:
        if not all(isinstance(row, list) and len(row) == len(shape) for row in page):
            raise ValueError("a row of the wrong shape")
        rows.append(tuple(tuple(_value(v, k) for v, k in zip(row, shape, strict=True))
                          for row in page))
    return tuple(rows)


@dataclass(frozen=True)
class BookLayout:
    """What the last settled layout of one book in one profile came from and gave: the digest
    of its own inputs (the book, the theme, the libraries), the other volumes' pages its text
    printed, its own pages, its inside margin and page count. While its inputs are the same
    and those other pages still hold, the layout (and every file made from it) still holds."""

    inputs: str
    external: Mapping[str, str]
    pages: Mapping[str, str]
    inside: float
    count: int
    page_map: str  # a digest of the page map the layout gave (what the EPUB's page list is)
    # What its PDF set outside the theme's font: warned of while the layout stands. (Made
    # from the inputs above, so no part of the digests.)
    glyphs: Glyphs = NO_GLYPHS

    @functools.cached_property
    def digest(self) -> str:
        """One digest of the whole record: what the book's PDF was made from."""
        return _digest({"inputs": self.inputs, "external": dict(self.external),
                        "pages": dict(self.pages), "inside": self.inside, "count": self.count,
                        "page_map": self.page_map})

    @functools.cached_property
    def digital_digest(self) -> str:
        """What the book's EPUB was made from: its inputs and its own page map (the other
        volumes' pages its print edition shows are not in the EPUB)."""
        return _digest({"inputs": self.inputs, "page_map": self.page_map})


def _glyphs(value: object) -> Glyphs:
    """A record's glyphs (anthology.print.glyphs), checked for shape."""
    if not isinstance(value, dict) or not isinstance(value.get("missing"), str):
        raise ValueError("not a record of glyphs")
    fallback = value.get("fallback")
    if not isinstance(fallback, list) or not all(
            isinstance(row, list) and len(row) == 2 and all(isinstance(v, str) for v in row)
            for row in fallback):
        raise ValueError("not a list of fallback fonts")
    return Glyphs(tuple((family, chars) for family, chars in fallback), value["missing"])


def _glyphs_record(glyphs: Glyphs) -> dict[str, object]:
    return {"fallback": [list(row) for row in glyphs.fallback], "missing": glyphs.missing}


def _labels(value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValueError("not a map of page labels")
    return value


# Files of the cache that are records, not pieces: never pruned as unused pieces.
RECORDS = ("used-", "refs-", "series-", "book-", "outputs-")


class PieceCache:
    """Laid-out pieces keyed on everything that shapes them; see the module's docstring."""

    def __init__(self, folder: Path | None, read: bool = True) -> None:
        self.folder = folder
        self.read = read  # False: a cold build that still refreshes the cache
        self.hits = 0
        self.misses = 0
        self.used: set[str] = set()
        self.write_error: str | None = None  # the first write that failed, for a warning

    def clean(self) -> None:
        """Remove what killed builds left half-written here (no live build's files)."""
        if self.folder is not None:
            clean_debris(self.folder)

    def _write(self, name: str, data: bytes) -> bool:
        assert self.folder is not None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with atomic_target(self.folder / name) as temporary:
                temporary.write_bytes(data)
        except OSError as exc:
            self.write_error = self.write_error or f"{exc.strerror or exc}"
            return False
        return True

    def get(self, key: str) -> LaidOut | None:
        if self.folder is None or not self.read:
            return None
        try:
            data = _read(self.folder / f"{key}.pdf")
            record = _opened(_read(self.folder / f"{key}.json").decode("utf-8"), key)
            if record["pdf_sha256"] != hashlib.sha256(data).hexdigest():
                return None
            laid = LaidOut(data, _pages(record["anchors"], ANCHOR),
                           _pages(record["links"], LINK), _pages(record["bookmarks"], BOOKMARK),
                           _glyphs(record["glyphs"]), key)
            if not laid.pages == len(laid.links) == len(laid.bookmarks) \
                    or not _sound_piece(data, key, laid.pages):
                return None
            return laid
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None

    def put(self, key: str, laid_out: LaidOut) -> None:
        if self.folder is None:
            return
        pdf = _marked(laid_out.pdf, key)
        record = {"format": FORMAT, "key": key, "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
                  "anchors": laid_out.anchors, "links": laid_out.links,
                  "bookmarks": laid_out.bookmarks, "glyphs": _glyphs_record(laid_out.glyphs)}
        # The PDF first: a sidecar always names the digest of the PDF written before it.
        if self._write(f"{key}.pdf", pdf):
            self._write(f"{key}.json", _sealed(record).encode("utf-8"))

    def references(self, name: str) -> dict[str, str]:
        """The page labels a previous build gave the links of a book: the likely ones now."""
        if self.folder is None or not self.read:
            return {}
        try:
            refs = _opened(_read(self.folder / f"refs-{name}.json").decode("utf-8"),
                           f"refs-{name}")["refs"]
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return {}
        if not isinstance(refs, dict) or not all(isinstance(v, str) for v in refs.values()):
            return {}
        return refs

    def keep_references(self, name: str, refs: Mapping[str, str]) -> None:
        if self.folder is not None:
            record = {"format": FORMAT, "key": f"refs-{name}", "refs": dict(refs)}
            self._write(f"refs-{name}.json", _sealed(record).encode("utf-8"))

    def series_pages(self, profile: str) -> SeriesPages:
        """The page map the last series layout settled, for a first guess; empty if none."""
        empty = SeriesPages(profile, {})
        if self.folder is None or not self.read:
            return empty
        try:
            record = _opened(_read(self.folder / f"series-{profile}.json").decode("utf-8"),
                             f"series-{profile}")
            books = record["books"]
            if not isinstance(books, dict) or not all(
                    isinstance(pages, dict) and all(isinstance(v, str) for v in pages.values())
                    for pages in books.values()):
                return empty
            return SeriesPages(profile, books, str(record["inputs"]))
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return empty

    def keep_series_pages(self, pages: SeriesPages) -> None:
        if self.folder is not None:
            record = {"format": FORMAT, "key": f"series-{pages.profile}",
                      "inputs": pages.inputs,
                      "books": {slug: dict(own) for slug, own in pages.books.items()}}
            self._write(f"series-{pages.profile}.json", _sealed(record).encode("utf-8"))

    def _record(self, name: str) -> dict | None:
        """A record written by _keep_record, if its seal holds: the digest of its name and
        its exact bytes on the last line (checked without serialising it again)."""
        if self.folder is None or not self.read:
            return None
        try:
            data = _read(self.folder / f"{name}.json")
            body, _, check = data.rpartition(b"\n")
            if hashlib.sha256(name.encode() + b"\0" + body).hexdigest().encode() != check:
                return None
            record = json.loads(body.decode("utf-8"))
            return record if isinstance(record, dict) and record.get("format") == FORMAT \
                else None
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            return None

    def _keep_record(self, name: str, record: Mapping[str, object]) -> None:
        if self.folder is not None:
            body = json.dumps({**record, "format": FORMAT}, ensure_ascii=True).encode("ascii")
            check = hashlib.sha256(name.encode() + b"\0" + body).hexdigest().encode()
            self._write(f"{name}.json", body + b"\n" + check)

    def structure(self, key: str, pdf: bytes) -> PieceStructure | None:
        """The structure facts of the piece `key` (anthology.print.tags), if kept and sound,
        for exactly the PDF `pdf` (they name its objects by number)."""
        record = self._record(f"{key}.struct")
        try:
            if record is None or record["pdf"] != _content_digest(pdf):
                return None
            outside = tuple(tuple(_value(m, "i") for m in page) for page in record["outside"])
            links = tuple(tuple((_value(n, "i"), _value(g, "i")) for n, g in page)
                          for page in record["links"])
            return PieceStructure(outside, links)  # type: ignore[arg-type]
        except (KeyError, ValueError, TypeError):
            return None

    def keep_structure(self, key: str, structure: PieceStructure, pdf: bytes) -> None:
        self._keep_record(f"{key}.struct", {"outside": structure.outside,
                                            "links": structure.links,
                                            "pdf": _content_digest(pdf)})

    def book_layout(self, slug: str, profile: str) -> BookLayout | None:
        """The record of the book's last settled layout in the profile, if one checks out."""
        record = self._record(f"book-{profile}-{slug}")
        try:
            if record is None or not isinstance(record["inside"], float) \
                    or not isinstance(record["count"], int) \
                    or not isinstance(record["inputs"], str) \
                    or not isinstance(record["page_map"], str):
                return None
            return BookLayout(record["inputs"], _labels(record["external"]),
                              _labels(record["pages"]), record["inside"], record["count"],
                              record["page_map"], _glyphs(record["glyphs"]))
        except (KeyError, ValueError, TypeError):
            return None

    def keep_book_layout(self, slug: str, profile: str, layout: BookLayout) -> None:
        self._keep_record(f"book-{profile}-{slug}", {
            "inputs": layout.inputs, "external": dict(layout.external),
            "pages": dict(layout.pages), "inside": layout.inside, "count": layout.count,
            "page_map": layout.page_map, "glyphs": _glyphs_record(layout.glyphs)})

    def outputs(self, folder: Path) -> dict[str, tuple[str, str]]:
        """What the files of an output folder were made from, as the last builds into it
        recorded: file name -> (the digest of its book's layout record, the file's sha256)."""
        record = self._record(_outputs_name(folder))
        files = record.get("files") if record else None
        if not isinstance(files, dict):
            return {}
        return {name: (made[0], made[1]) for name, made in files.items()
                if isinstance(made, list) and len(made) == 2
                and all(isinstance(v, str) for v in made)}

    def keep_outputs(self, folder: Path, files: Mapping[str, tuple[str, str]],
                     checked: Mapping[str, tuple[float, str]] = MappingProxyType({})) -> None:
        self._keep_record(_outputs_name(folder), {
            "files": {name: list(made) for name, made in sorted(files.items())},
            "checked": {name: list(seen) for name, seen in sorted(checked.items())}})

    def checked(self, folder: Path) -> dict[str, tuple[float, str]]:
        """When a build last found each file of an output folder current (the time it
        started) and the file's sha256 then: a file a build keeps keeps its old modification
        time, so this, not the time, says it is as new as its sources."""
        record = self._record(_outputs_name(folder))
        seen = record.get("checked") if record else None
        if not isinstance(seen, dict):
            return {}
        return {name: (float(at[0]), at[1]) for name, at in seen.items()
                if isinstance(at, list) and len(at) == 2
                and isinstance(at[0], (int, float)) and isinstance(at[1], str)}

    def keep_only_used(self, used: Mapping[str, Collection[str]]) -> None:
        """Record the entries each owner (a book in a profile) used in this build, then delete
        entries no owner used in its latest build: the cache does not grow with every edit.
        Every owner is recorded before anything goes, or one book's pruning would take the
        entries another book has only just laid out."""
        if self.folder is None or not self.folder.is_dir():
            return
        for owner, keys in used.items():
            if not self._write(f"used-{owner}.json", json.dumps(sorted(keys)).encode()):
                return  # without the record, deleting could drop what this build used
        live: set[str] = set()
        for record in self.folder.glob("used-*.json"):
            with contextlib.suppress(OSError, ValueError, RecursionError):
                used = json.loads(_read(record).decode("utf-8"))
                if isinstance(used, list):
                    live.update(k for k in used if isinstance(k, str))
        for entry in (*self.folder.glob("*.pdf"), *self.folder.glob("*.json")):
            if entry.name.startswith(RECORDS) or entry.name.split(".")[0] in live:
                continue
            if entry.is_file() and not entry.is_symlink():
                with contextlib.suppress(OSError):
                    entry.unlink()


def _outputs_name(folder: Path) -> str:
    """Records of output folders are named by the folder's resolved path."""
    return "outputs-" + hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
