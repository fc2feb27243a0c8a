"""Package a `Book` as an EPUB 3 with ebooklib.

Documents are rendered by our templates and written verbatim; ebooklib writes the package
document, the NCX for older readers, the manifest and the container. The zip is then rewritten
with fixed timestamps so the same sources always give the same bytes.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path

from ebooklib import epub

from anthology.epub.covers import epub_cover
from anthology.epub.theme_files import theme_files
from anthology.output import atomic_target
from anthology.render.documents import (
    COVER_IMAGE,
    EPUB_STYLESHEETS,
    FONT_STYLESHEET,
    Document,
    ThemeError,
    render_epub_documents,
)
from anthology.series.book import Book
from anthology.series.pagemap import PageMap
from anthology.workspace.theme import PACKAGE_THEME, Theme

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SVG_NS = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class Rendered:
    """A book's EPUB documents, rendered once: the generic edition and each store's edition
    (anthology.epub.stores) are packaged from them."""

    sheets: tuple[Path, ...]  # the stylesheets, in cascade order
    names: tuple[str, ...]  # each one's name in the EPUB
    documents: tuple[Document, ...]


@dataclass(frozen=True)
class Packaging:
    """What an edition packages differently from the generic one: its cover image, images
    made to fit a store's limits (by asset name) and extra files in META-INF/."""

    cover: bytes | None = None  # None: the generic EPUB's cover
    images: Mapping[str, bytes] = field(default_factory=dict)
    meta_inf: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class EpubResult:
    path: Path
    chapters: int
    rendered: Rendered | None = None


class _Page(epub.EpubHtml):
    """An XHTML document we rendered ourselves; ebooklib must not rebuild it."""

    def __init__(self, document: Document, language: str) -> None:
        super().__init__(uid=document.id, file_name=document.name, title=document.title,
                         lang=language)
        self.xhtml = document.xhtml.encode("utf-8")
        self.is_linear = document.linear
        if document.kind == "toc":
            self.properties.append("nav")
        if f"<svg xmlns=\"{SVG_NS}\"" in document.xhtml:  # inline SVG: the charts
            self.properties.append("svg")

    def get_content(self, default: object = None) -> bytes:
        return self.xhtml


class _Writer(epub.EpubWriter):
    """ebooklib's writer, plus `xml:lang` on the package element."""

    def _write_opf_file(self, root):  # type: ignore[no-untyped-def]
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)

    def write(self) -> None:
        """ebooklib leaves its zip open when a write fails (a full disk): close it here, or
        the half-written file's zip reports its own failure on the way out."""
        try:
            super().write()
        except BaseException:
            archive = getattr(self, "out", None)
            if archive is not None and archive.fp is not None:
                # Let go of the file first: closing it flushes, and on a full disk that
                # fails too, which must not leave the zip holding a closed file.
                handle, archive.fp = archive.fp, None
                with contextlib.suppress(OSError):
                    handle.close()
            raise


def _metadata(target: epub.EpubBook, book: Book) -> None:
    target.set_identifier(book.identifier)
    target.set_title(book.full_title)
    target.set_language(book.language)
    target.add_author(book.author)
    target.add_metadata("DC", "date", book.date.isoformat())
    if book.publisher:
        target.add_metadata("DC", "publisher", book.publisher)
    if book.rights:
        target.add_metadata("DC", "rights", book.rights)
    if book.description:
        target.add_metadata("DC", "description", book.description)
    for subject in book.subjects:
        target.add_metadata("DC", "subject", subject)
    for number, name in enumerate(book.contributors, start=1):
        # MARC relator "aui": author of an introduction or other text in the book.
        target.add_metadata("DC", "contributor", name, {"id": f"contributor-{number}"})
        target.add_metadata(None, "meta", "aui", {"refines": f"#contributor-{number}",
                                                  "property": "role",
                                                  "scheme": "marc:relators"})
    # The print edition this EPUB's page list follows.
    target.add_metadata("DC", "source", book.print_identifier, {"id": "print-source"})
    target.add_metadata(None, "meta", "pagination",
                        {"refines": "#print-source", "property": "source-of"})
    if book.series:
        target.add_metadata(None, "meta", book.series.name,
                            {"property": "belongs-to-collection", "id": "series"})
        target.add_metadata(None, "meta", "series",
                            {"refines": "#series", "property": "collection-type"})
        target.add_metadata(None, "meta", str(book.series.number),
                            {"refines": "#series", "property": "group-position"})
        target.add_metadata(None, "meta", "", {"name": "calibre:series",
                                               "content": book.series.name})
        target.add_metadata(None, "meta", "", {"name": "calibre:series_index",
                                               "content": str(book.series.number)})


CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def accessibility_features(book: Book, page_list: bool) -> list[str]:
    """What a reader's software can rely on; every claim here is true of what we render."""
    features = ["structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability", "alternativeText"]
    if page_list:
        features += ["pageBreakMarkers", "pageNavigation"]
    if any(a.kind == "numbers" for a in book.appendices):
        features.append("longDescription")  # each chart's data table
    return features


def accessibility_summary(book: Book, page_list: bool) -> str:
    pages = (" Page markers and a page list match the print edition."
             if page_list else "")
    return ("This publication meets EPUB Accessibility 1.1 and WCAG 2.1 Level AA. "
            "Every chapter is marked up with headings, the fact box as a description list "
            "and the jukebox as an ordered list; images have text alternatives; the text "
            "reflows and takes the reader's font, size and colours." + pages)


def _accessibility(target: epub.EpubBook, book: Book, page_list: bool) -> None:
    def meta(name: str, value: str) -> None:
        target.add_metadata(None, "meta", value, {"property": name})

    meta("schema:accessMode", "textual")
    meta("schema:accessMode", "visual")
    meta("schema:accessModeSufficient", "textual")
    for feature in accessibility_features(book, page_list):
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    meta("schema:accessibilitySummary", accessibility_summary(book, page_list))
    meta("dcterms:conformsTo", CONFORMANCE)
    if book.certified_by:  # only who actually evaluated the book, when someone did
        meta("a11y:certifiedBy", book.certified_by)


FONT_FILES = ("EBGaramond12-Regular.otf", "EBGaramond12-Italic.otf")
FONT_LICENCE = "OFL.txt"


def _fonts(target: epub.EpubBook, theme: Theme) -> None:
    """Embed the theme's fonts with their licence."""
    for index, name in enumerate((*FONT_FILES, FONT_LICENCE)):
        path = theme.find("fonts", name)
        if path is None:
            raise ThemeError(f"the theme has no font file '{name}' to embed")
        media_type = "text/plain" if name == FONT_LICENCE else "font/otf"
        target.add_item(epub.EpubItem(uid=f"font{index}", file_name=f"fonts/{name}",
                                      media_type=media_type, content=path.read_bytes()))


def _font_sheets(theme: Theme) -> list[Path]:
    """The stylesheets that use the embedded fonts."""
    sheets = [theme.find("css", name) for name in ("fonts.css", FONT_STYLESHEET)]
    if None in sheets:
        raise ThemeError(f"the theme has no 'fonts.css' and '{FONT_STYLESHEET}' to embed fonts")
    return sheets  # type: ignore[return-value]


def _sheets(book: Book, theme: Theme) -> list[Path]:
    sheets = theme.stylesheets(*EPUB_STYLESHEETS)
    if book.embed_fonts:
        sheets = [*_font_sheets(theme), *sheets]
    return sheets


def render(book: Book, theme: Theme, pages: PageMap | None) -> Rendered:
    """The book's documents as every edition of it has them before a store's changes."""
    sheets = _sheets(book, theme)
    names = [f"css/{i:02d}-{path.name}" for i, path in enumerate(sheets)]
    return Rendered(tuple(sheets), tuple(names),
                    tuple(render_epub_documents(book, theme, names, pages)))


def build_epub(book: Book, theme: Theme, pages: PageMap | None,
               rendered: Rendered | None = None,
               packaging: Packaging | None = None) -> epub.EpubBook:
    """The package of `rendered` (by default the book's documents as rendered now), with a
    store edition's `packaging`."""
    rendered = rendered or render(book, theme, pages)
    packaging = packaging or Packaging()
    target = epub.EpubBook()
    _metadata(target, book)
    _accessibility(target, book, page_list=pages is not None)
    if book.embed_fonts:
        _fonts(target, theme)
    for index, (path, name) in enumerate(zip(rendered.sheets, rendered.names, strict=True)):
        target.add_item(epub.EpubItem(uid=f"css{index}", file_name=name,
                                      media_type="text/css", content=path.read_bytes()))
    target.set_cover(f"images/{COVER_IMAGE}", packaging.cover or epub_cover(book, theme),
                     create_page=False)
    for asset in book.assets:
        data = packaging.images.get(asset.name)
        target.add_item(epub.EpubItem(uid=f"img-{asset.name.split('.')[0]}",
                                      file_name=f"images/{asset.name}",
                                      media_type=asset.media_type,
                                      content=data if data is not None
                                      else asset.source.read_bytes()))
    documents = [_Page(doc, book.language) for doc in rendered.documents]
    for document in documents:
        target.add_item(document)
    _theme_files(target, theme, list(rendered.sheets))
    target.add_item(epub.EpubNcx())
    by_id = {document.id: document for document in documents}
    target.toc = [epub.Link(d.file_name, d.title, f"toc-{d.id}") for d in documents
                  if d.id in {"foreword", "afterword", *(a.id for a in book.appendices)}
                  or _is_chapter(d, book)]
    target.spine = documents
    target.guide = [{"type": kind, "title": title, "href": by_id[kind].file_name}
                    for kind, title in (("cover", "Cover"), ("toc", "Contents"))
                    if kind in by_id]  # a Kindle edition has no cover page
    return target


def _theme_files(target: epub.EpubBook, theme: Theme, sheets: list[Path]) -> None:
    """What the workspace theme's stylesheets use, where their addresses lead; a file the
    book already holds under that name (an embedded font) only when it is the same bytes."""
    if theme.dirs[0] == PACKAGE_THEME:
        return
    held = {item.file_name: item for item in target.items}
    for index, item in enumerate(theme_files(sheets, theme.dirs[0], theme.roots())):
        if item.name in held:
            if held[item.name].get_content() != item.data:
                raise ThemeError(f"the theme file would take the place of the book's own "
                                 f"'{item.name}' in the EPUB: give it another name",
                                 item.source)
            continue
        target.add_item(epub.EpubItem(uid=f"theme{index}", file_name=item.name,
                                      media_type=item.media_type, content=item.data))


def _is_chapter(document: _Page, book: Book) -> bool:
    return any(document.id == chapter.id for chapter in book.chapters)


class EpochError(ValueError):
    """SOURCE_DATE_EPOCH set to something that is not a moment a book can carry."""


# The last second a date can be written with four digits (9999-12-31T23:59:59Z).
LAST_EPOCH = 253402300799


def source_date_epoch() -> datetime | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) as a UTC moment; None when unset or empty.
    A value that is not whole seconds from 1970 to the year 9999 is an EpochError naming the
    variable: quietly ignoring it would stamp another date than the one asked for."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    shown = raw if len(raw) <= 24 else raw[:24] + "..."
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(LAST_EPOCH)):
        raise EpochError(f"SOURCE_DATE_EPOCH={shown!r} is not a whole number of seconds "
                         f"since 1970 from 0 to {LAST_EPOCH} (the year 9999)")
    if int(raw) > LAST_EPOCH:
        raise EpochError(f"SOURCE_DATE_EPOCH={shown} is after the year 9999 (at most "
                         f"{LAST_EPOCH})")
    return datetime.fromtimestamp(int(raw), UTC).replace(tzinfo=None)


def build_time(book: Book) -> datetime:
    """The moment stamped on the EPUB: SOURCE_DATE_EPOCH when set, else the volume's
    publication date. Never the clock."""
    return source_date_epoch() or datetime.combine(book.date, time())


# A zip's dates end in 2107: a later moment is stamped as the last it has (and one before
# 1980 in 1980); the package document carries the moment itself.
ZIP_LAST = datetime(2107, 12, 31, 23, 59, 58)


def normalise_zip(source: Path, target: Path, when: datetime,
                  extra: Mapping[str, bytes] | None = None) -> None:
    """Rewrite a zip with one timestamp and fixed attributes: mimetype first and stored;
    `extra` files (by name) follow the others."""
    when = min(when, ZIP_LAST)
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(_entry(info.filename, stamp), old.read(info.filename),
                         compresslevel=9)
        for name, data in sorted((extra or {}).items()):
            new.writestr(_entry(name, stamp), data, compresslevel=9)


def _entry(name: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    """A zip entry with the fixed timestamp and attributes; mimetype stored."""
    fixed = zipfile.ZipInfo(name, date_time=stamp)
    fixed.external_attr = 0o644 << 16
    fixed.create_system = 3
    fixed.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
    return fixed


def write_epub(book: Book, theme: Theme, target: Path, pages: PageMap | None = None,
               rendered: Rendered | None = None,
               packaging: Packaging | None = None) -> EpubResult:
    """Write the volume's EPUB, with the print edition's page list when `pages` is given
    (a store edition: its documents and packaging); the previous file stays until the new
    one is whole. The result carries the documents, for the store editions."""
    rendered = rendered or render(book, theme, pages)
    package = build_epub(book, theme, pages, rendered, packaging)
    when = build_time(book)
    with atomic_target(target) as temporary:
        raw = temporary.with_name(temporary.name + ".raw")
        try:
            _Writer(str(raw), package, {"mtime": when, "epub3_landmark": False,
                                        "epub3_pages": False, "raise_exceptions": True}).write()
            normalise_zip(raw, temporary, when, packaging.meta_inf if packaging else None)
        finally:
            raw.unlink(missing_ok=True)
    return EpubResult(target, len(book.chapters), rendered)
