"""Store editions (`anthology build --stores`): beside the generic `<volume>.epub`, an EPUB
for each store where one differs, made from the same rendered documents.

What differs, and why (docs/stores.md):

- links: a reference to another volume names it "(in *Silent Shadows*)", linked to that
  volume's page at *this* store (`[stores]` in its volume.toml); a store the volume is not at
  names it without a link. A link to a rival store anywhere in the text is unwrapped to its
  words: stores reject books that send readers to a competitor.
- images: each store's limits (LIMITS, with where each figure comes from) on the cover inside
  the EPUB and the images in the text; an image over them is scaled down.
- Kobo: a KEPUB (`.kepub.epub`) with Kobo's spans and wrapper divs (anthology.epub.kepub).
- Kindle: no HTML cover page: KDP shows the cover image the package names, and a cover page
  makes it appear twice; the cover is KDP's ideal 1,600 x 2,560.
- Apple Books: with embedded fonts, `META-INF/com.apple.ibooks.display-options.xml` saying so
  (`specified-fonts`), or Apple Books sets the text in its own font.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree
from PIL import Image

from anthology.epub.covers import EPUB_COVER, STORE_COVER, cover, jpeg
from anthology.epub.kepub import kobo_document
from anthology.epub.package import Packaging, Rendered, write_epub
from anthology.render.documents import Document
from anthology.series.book import Book
from anthology.series.pagemap import PageMap
from anthology.workspace.publishing import Store
from anthology.workspace.theme import Theme

XHTML = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class StoreLimits:
    """One store's edition: its file name and the limits its images are kept within."""

    store: Store
    suffix: str  # the file name after the volume's slug
    cover: tuple[int, int]  # the cover image inside the EPUB, in pixels
    max_pixels: int | None = None  # an image in the text, width x height
    max_bytes: int | None = None  # an image in the text, its file
    max_side: int | None = None  # an image's longer side
    cover_bytes: int | None = None
    source: str = ""
    checked: str = ""  # when the source was read


# Each store's published limits, and where they are published (read on the date given).
LIMITS: dict[Store, StoreLimits] = {s.store: s for s in (
    StoreLimits(Store.kindle, ".kindle.epub", STORE_COVER, max_bytes=5_000_000,
                cover_bytes=5_000_000,
                source="Kindle Publishing Guidelines 2014.1 and later (5 MB an image); KDP "
                       "Help, Cover Image Guidelines (1,600 x 2,560 ideal)",
                checked="2026-12-07"),
    StoreLimits(Store.apple, ".apple.epub", EPUB_COVER, max_pixels=5_600_000,
                source="Apple Books Asset Guide, Images (at most 5.6 million pixels an "
                       "image in the EPUB)", checked="2026-12-07"),
    StoreLimits(Store.kobo, ".kepub.epub", EPUB_COVER, max_bytes=5_000_000,
                cover_bytes=3_000_000,
                source="Kobo EPUB Guidelines, Image Formatting and Cover Images (5 MB an "
                       "image, a cover under 3 MB)", checked="2026-12-07"),
    StoreLimits(Store.google, ".google.epub", EPUB_COVER, max_side=3_200,
                source="Google Play Books Partner Center Help, EPUB files (3,200 px at most "
                       "for SVG and its images: kept for every image) and Files & uploading "
                       "(a cover 640 to 7,200 px)", checked="2026-12-07"),
    StoreLimits(Store.nook, ".nook.epub", EPUB_COVER,
                source="Barnes & Noble Press takes EPUB 3; no image limit of its own found: "
                       "the edition changes its links only", checked="2026-12-07"),
)}

# Where each store sells books: a link to any of these in another store's edition is a rival's.
HOSTS: dict[Store, re.Pattern[str]] = {
    Store.kindle: re.compile(r"(^|\.)amazon\.(co\.|com\.)?[a-z]{2,3}$|(^|\.)amzn\.(to|com)$"
                             r"|^a\.co$"),
    Store.apple: re.compile(r"(^|\.)(books|itunes)\.apple\.com$|^apple\.co$"),
    Store.kobo: re.compile(r"(^|\.)kobo\.com$"),
    Store.google: re.compile(r"^play\.google\.com$|^books\.google\.(co\.|com\.)?[a-z]{2,3}$"),
    Store.nook: re.compile(r"(^|\.)barnesandnoble\.com$"),
}
APPLE_OPTIONS = "META-INF/com.apple.ibooks.display-options.xml"
APPLE_FONTS = (b'<?xml version="1.0" encoding="UTF-8"?>\n<display_options>\n'
               b'<platform name="*">\n<option name="specified-fonts">true</option>\n'
               b'</platform>\n</display_options>\n')


def edition_name(slug: str, store: Store) -> str:
    return f"{slug}{LIMITS[store].suffix}"


def store_of(href: str) -> Store | None:
    """The store an address is a page of, if any."""
    try:
        host = (urlsplit(href).hostname or "").lower()
    except ValueError:
        return None
    return next((store for store, hosts in HOSTS.items() if hosts.search(host)), None)


def _hrefs(book: Book) -> Iterator[str]:
    """Every external address the book's text links to."""
    texts = [c.essay for c in book.chapters] + [c.judgement or "" for c in book.chapters]
    texts += [g.xhtml for c in book.chapters for g in c.guests]
    texts += [m.xhtml for m in (book.dedication, book.foreword, book.afterword) if m]
    texts += [a.xhtml for a in book.appendices] + [book.score_key or ""]
    for text in texts:
        yield from re.findall(r'href="(https?://[^"]+)"', text)


def _images_over(book: Book, limits: StoreLimits) -> bool:
    """Whether an image is over the store's limits (one that cannot be read: the edition's
    build says so)."""
    try:
        return any(_fitted(asset.source, asset.media_type, limits) is not None
                   for asset in book.assets)
    except OSError:
        return True


def differs(book: Book, store: Store) -> bool:
    """Whether the store's edition would be other than the generic EPUB: Kobo's and
    Kindle's always are; the others when a link, an image or (Apple) the fonts differ."""
    limits = LIMITS[store]
    if store in (Store.kobo, Store.kindle) or limits.cover != EPUB_COVER:
        return True
    if store is Store.apple and book.embed_fonts:
        return True
    if any(r.volume and r.store != r.stores.link(store) for r in book.references.values()):
        return True
    if any(store_of(href) not in (None, store) for href in _hrefs(book)):
        return True
    return _images_over(book, limits)


def edition_names(book: Book, every: bool = False) -> list[str]:
    """The store editions a build with `--stores` writes of `book` (`every`: all it could)."""
    return [edition_name(book.slug, s) for s in Store if every or differs(book, s)]


# Links.

def _add_text(parent: etree._Element, position: int, text: str) -> None:
    """Add `text` to `parent` just before its child at `position`."""
    if not text:
        return
    if position == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[position - 1]
        before.tail = (before.tail or "") + text


def _unwrap(element: etree._Element) -> None:
    """Replace an element by what it holds (its text, its children), keeping its tail."""
    parent = element.getparent()
    index = parent.index(element)
    children = list(element)
    text, tail, element.tail = element.text or "", element.tail or "", None
    for offset, child in enumerate(children):
        parent.insert(index + 1 + offset, child)
    parent.remove(element)
    _add_text(parent, index, text)
    _add_text(parent, index + len(children), tail)


def _local(element: etree._Element) -> str:
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def store_links(root: etree._Element, book: Book, store: Store) -> None:
    """Point every link to another volume at `store`'s page of it, or at nothing; unwrap a
    link to a rival store (in place)."""
    volumes = {r.volume: r for r in book.references.values() if r.volume}
    titles: dict[str, set[str]] = {}
    for slug, reference in volumes.items():
        titles.setdefault(reference.volume_title or "", set()).add(slug)
    pages = {url: slug for slug, r in volumes.items()
             for url in (r.store, *(r.stores.link(s) for s in Store)) if url}
    for span in [e for e in root.iter(f"{{{XHTML}}}span") if e.get("class") == "elsewhere"]:
        cite = next(span.iter(f"{{{XHTML}}}cite"), None)
        if cite is None:
            continue
        holder = cite.getparent()
        if _local(holder) == "a":
            _unwrap(holder)
        named = titles.get("".join(cite.itertext()), set())
        link = volumes[next(iter(named))].stores.link(store) if len(named) == 1 else None
        if link:
            outer = etree.Element(f"{{{XHTML}}}a", {"href": link})
            cite.addprevious(outer)
            outer.append(cite)  # the cite's tail goes with it: put it after the link
            outer.tail, cite.tail = cite.tail, None
    for link in list(root.iter(f"{{{XHTML}}}a")):
        href = link.get("href", "")
        if href in pages:
            mine = volumes[pages[href]].stores.link(store)
            if mine:
                link.set("href", mine)
            else:
                _unwrap(link)
        elif store_of(href) not in (None, store):
            _unwrap(link)


# Documents and packaging.

def _xhtml(root: etree._Element) -> str:
    body = etree.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def _without_cover_page(root: etree._Element) -> None:
    """The contents' landmarks and page list without the cover page (Kindle's edition)."""
    for link in list(root.iter(f"{{{XHTML}}}a")):
        if link.get("href", "").partition("#")[0] == "cover.xhtml":
            item = link.getparent()
            item.getparent().remove(item)


def edition_documents(rendered: Rendered, book: Book, store: Store) -> Rendered:
    """The rendered documents as `store`'s edition has them."""
    documents = []
    for document in rendered.documents:
        if store is Store.kindle and document.kind == "cover":
            continue
        root = etree.fromstring(document.xhtml.encode("utf-8"))
        store_links(root, book, store)
        if store is Store.kindle and document.kind == "toc":
            _without_cover_page(root)
        if store is Store.kobo:
            kobo_document(root)
        documents.append(Document(document.id, document.name, document.kind, document.title,
                                  _xhtml(root), document.linear))
    return Rendered(rendered.sheets, rendered.names, tuple(documents))


def _fitted(source: Path, media_type: str, limits: StoreLimits) -> bytes | None:
    """The image scaled down into the store's limits, in its own format; None when it is
    within them already (or is not a raster image)."""
    if media_type not in ("image/jpeg", "image/png", "image/gif"):
        return None
    limit = limits.max_bytes
    size = source.stat().st_size
    try:
        image = Image.open(source)
    except Image.DecompressionBombError as exc:
        raise OSError(f"image '{source.name}' is too large to read ({exc})") from None
    with image:
        width, height = image.size
        scale = 1.0
        if limits.max_pixels:
            scale = min(scale, math.sqrt(limits.max_pixels / (width * height)))
        if limits.max_side:
            scale = min(scale, limits.max_side / max(width, height))
        if scale >= 1 and (limit is None or size <= limit):
            return None
        kind = image.format or "PNG"
        image.load()
        while True:
            shape = (max(1, math.floor(width * min(scale, 1))),
                     max(1, math.floor(height * min(scale, 1))))
            out = io.BytesIO()
            image.resize(shape, Image.Resampling.LANCZOS).save(
                out, format=kind, **({"quality": 90, "optimize": True} if kind == "JPEG"
                                     else {"optimize": True}))
            if limit is None or out.tell() <= limit:
                return out.getvalue()
            scale = min(scale, 1) * 0.85


def packaging(book: Book, theme: Theme, store: Store) -> Packaging:
    """The cover, the images fitted to the store's limits and its extra files."""
    limits = LIMITS[store]
    size = limits.cover
    art = jpeg(cover(book, theme, size))
    while limits.cover_bytes and len(art) > limits.cover_bytes:  # the volume's own art
        size = (size[0] * 7 // 8, size[1] * 7 // 8)
        art = jpeg(cover(book, theme, size))
    images = {asset.name: data for asset in book.assets
              if (data := _fitted(asset.source, asset.media_type, limits)) is not None}
    extra = {APPLE_OPTIONS: APPLE_FONTS} if store is Store.apple and book.embed_fonts else {}
    return Packaging(art, images, extra)


def write_store_editions(book: Book, theme: Theme, rendered: Rendered, folder: Path,
                         pages: PageMap | None) -> list[str]:
    """Write each store edition that differs from the generic EPUB into `folder` (a build's
    staging folder: they join its transaction); their names."""
    names = []
    for store in Store:
        if not differs(book, store):
            continue
        name = edition_name(book.slug, store)
        write_epub(book, theme, folder / name, pages, edition_documents(rendered, book, store),
                   packaging(book, theme, store))
        names.append(name)
    return names
