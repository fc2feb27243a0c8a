"""Package a `Book` as an EPUB 3 with ebooklib.

Documents are rendered by our templates and written verbatim; ebooklib writes the package
document, the NCX for older readers, the manifest and the container. The zip is then rewritten
with fixed timestamps so the same sources always give the same bytes.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from ebooklib import epub

from anthology.covers import cover_image
from anthology.output import atomic_target
from anthology.render import COVER_IMAGE, EPUB_STYLESHEETS, Document, render_epub_documents
from anthology.resolve import Book
from anthology.theme import Theme

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class EpubResult:
    path: Path
    chapters: int


class _Page(epub.EpubHtml):
    """An XHTML document we rendered ourselves; ebooklib must not rebuild it."""

    def __init__(self, document: Document, language: str) -> None:
        super().__init__(uid=document.id, file_name=document.name, title=document.title,
                         lang=language)
        self.xhtml = document.xhtml.encode("utf-8")
        self.is_linear = document.linear
        if document.kind == "toc":
            self.properties.append("nav")

    def get_content(self, default: object = None) -> bytes:
        return self.xhtml


class _Writer(epub.EpubWriter):
    """ebooklib's writer, plus `xml:lang` on the package element."""

    def _write_opf_file(self, root):  # type: ignore[no-untyped-def]
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)


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
    if book.isbn_print:
        target.add_metadata("DC", "source", f"urn:isbn:{book.isbn_print}")
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


def build_epub(book: Book, theme: Theme) -> epub.EpubBook:
    target = epub.EpubBook()
    _metadata(target, book)
    sheets = theme.stylesheets(*EPUB_STYLESHEETS)
    names = [f"css/{i:02d}-{path.name}" for i, path in enumerate(sheets)]
    for index, (path, name) in enumerate(zip(sheets, names, strict=True)):
        target.add_item(epub.EpubItem(uid=f"css{index}", file_name=name,
                                      media_type="text/css", content=path.read_bytes()))
    target.set_cover(f"images/{COVER_IMAGE}", cover_image(book, theme), create_page=False)
    for asset in book.assets:
        target.add_item(epub.EpubItem(uid=f"img-{asset.name.split('.')[0]}",
                                      file_name=f"images/{asset.name}",
                                      media_type=asset.media_type,
                                      content=asset.source.read_bytes()))
    pages = [_Page(doc, book.language) for doc in render_epub_documents(book, theme, names)]
    for page in pages:
        target.add_item(page)
    target.add_item(epub.EpubNcx())
    by_id = {page.id: page for page in pages}
    target.toc = [epub.Link(p.file_name, p.title, f"toc-{p.id}") for p in pages
                  if p.id in {"foreword", "afterword"} or _is_chapter(p, book)]
    target.spine = pages
    target.guide = [
        {"type": "cover", "title": "Cover", "href": by_id["cover"].file_name},
        {"type": "toc", "title": "Contents", "href": by_id["toc"].file_name},
    ]
    return target


def _is_chapter(page: _Page, book: Book) -> bool:
    return any(page.id == chapter.id for chapter in book.chapters)


def normalise_zip(source: Path, target: Path, when: datetime) -> None:
    """Rewrite a zip with one timestamp and fixed attributes: mimetype first and stored."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            fixed.compress_type = (zipfile.ZIP_STORED if info.filename == "mimetype"
                                   else zipfile.ZIP_DEFLATED)
            new.writestr(fixed, old.read(info.filename), compresslevel=9)


def write_epub(book: Book, theme: Theme, target: Path) -> EpubResult:
    """Write the volume's EPUB; the previous file stays until the new one is whole."""
    package = build_epub(book, theme)
    when = datetime.combine(book.date, time())
    with atomic_target(target) as temporary:
        raw = temporary.with_name(temporary.name + ".raw")
        try:
            _Writer(str(raw), package, {"mtime": when, "epub3_landmark": False,
                                        "epub3_pages": False, "raise_exceptions": True}).write()
            normalise_zip(raw, temporary, when)
        finally:
            raw.unlink(missing_ok=True)
    return EpubResult(target, len(book.chapters))
