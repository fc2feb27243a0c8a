"""Preflight of a store edition (`build --stores`), read back from the file as the store would
receive it: its links send readers to that store only, its cover and images are within the
store's limits, and what the edition exists for is there (Kobo's spans and wrappers, no cover
page for Kindle, Apple's display options beside embedded fonts). A row per check, named after
the store; epubcheck and Ace stay `anthology validate`'s."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree
from PIL import Image

from anthology.epub.stores import APPLE_OPTIONS, LIMITS, StoreLimits, store_of
from anthology.preflight.findings import Finding
from anthology.workspace.publishing import Store

_OPF = "{http://www.idpf.org/2007/opf}"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_SVG = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_RASTER = ("image/jpeg", "image/png", "image/gif", "image/webp")


@dataclass(frozen=True)
class _Item:
    name: str  # the path inside the zip
    media_type: str
    properties: str


@dataclass(frozen=True)
class _Package:
    """What the checks read of an EPUB: its manifest, reading order and documents."""

    book: zipfile.ZipFile
    items: dict[str, _Item]  # by manifest id
    spine: tuple[str, ...]  # ids

    @property
    def cover(self) -> _Item | None:
        """The item the package names as its cover image."""
        return next((i for i in self.items.values() if "cover-image" in i.properties.split()),
                    None)

    def read(self, item: _Item) -> bytes:
        return self.book.read(item.name)

    def documents(self) -> list[tuple[_Item, etree._Element]]:
        return [(i, etree.fromstring(self.read(i), _PARSER)) for i in self.items.values()
                if i.media_type == "application/xhtml+xml"]


def _package(book: zipfile.ZipFile) -> _Package:
    container = etree.fromstring(book.read("META-INF/container.xml"), _PARSER)
    opf_path = container.find(".//{*}rootfile").get("full-path")
    opf = etree.fromstring(book.read(opf_path), _PARSER)
    folder = PurePosixPath(opf_path).parent
    items = {i.get("id"): _Item(str(folder / i.get("href")), i.get("media-type", ""),
                                i.get("properties", ""))
             for i in opf.iter(f"{_OPF}item")}
    spine = tuple(r.get("idref") for r in opf.iter(f"{_OPF}itemref"))
    return _Package(book, items, spine)


def store_rows(path: Path, store: Store) -> list[Finding]:
    """Every check of `store`'s edition at `path`, each named `<store>: <check>`."""
    with zipfile.ZipFile(path) as book:
        package = _package(book)
        documents = package.documents()
        found = [_links(documents, store), _cover(package, LIMITS[store]),
                 _images(package, documents, LIMITS[store])]
        if store is Store.kobo:
            found.append(_kobo_spans(documents))
        elif store is Store.kindle:
            found.append(_no_cover_page(package, documents))
        elif store is Store.apple:
            found.append(_apple_fonts(package))
    return [Finding(f"{store.value}: {f.check}", f.figure, f.limit, f.status, f.value, f.where)
            for f in found]


def _links(documents: list[tuple[_Item, etree._Element]], store: Store) -> Finding:
    own, rival = 0, []
    for item, root in documents:
        for link in root.iter(f"{_XHTML}a"):
            href = link.get("href", "")
            at = store_of(href)
            if at is store:
                own += 1
            elif at is not None:
                rival.append(f"{PurePosixPath(item.name).name}: {href}")
    return Finding.judged("store links", f"{own} to {store.value}, {len(rival)} to other "
                          "stores", "none to another store", not rival, len(rival),
                          tuple(rival))


def _size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def _cover(package: _Package, limits: StoreLimits) -> Finding:
    item = package.cover
    limit = f"at most {limits.cover[0]:,} x {limits.cover[1]:,} px" + (
        f", {limits.cover_bytes // 1_000_000} MB" if limits.cover_bytes else "")
    if item is None:
        return Finding.judged("cover image", "none named in the package", limit, False)
    data = package.read(item)
    width, height = _size(data)
    faults = []
    if width > limits.cover[0] or height > limits.cover[1]:
        faults.append(f"{width} x {height} px is over the store's {limits.cover[0]} x "
                      f"{limits.cover[1]}")
    if limits.cover_bytes and len(data) > limits.cover_bytes:
        faults.append(f"{len(data):,} bytes is over the store's {limits.cover_bytes:,}")
    if height < 1000:  # the least any of the stores takes (KDP, Kobo: 1,000 px tall)
        faults.append(f"{height} px tall: the stores ask for at least 1,000")
    return Finding.judged("cover image", f"{width:,} x {height:,} px, {len(data) // 1000:,} KB",
                          limit, not faults, height, tuple(faults))


def _svg_side(root: etree._Element) -> float:
    """An SVG's longer side in px: its width and height, else its viewBox's."""
    try:
        sides = [float(root.get(a, "").removesuffix("px")) for a in ("width", "height")]
    except ValueError:
        box = (root.get("viewBox") or "").replace(",", " ").split()
        sides = [float(v) for v in box[2:4]] if len(box) == 4 else [0.0]
    return max(sides)


def _images(package: _Package, documents: list[tuple[_Item, etree._Element]],
            limits: StoreLimits) -> Finding:
    """The images in the text (the cover has its own row), against the store's limits; an
    SVG (a chart, in the text or a file of its own) against the store's longest side."""
    rules = [f"{limits.max_pixels / 1e6:g} million pixels" if limits.max_pixels else "",
             f"{limits.max_side:,} px a side" if limits.max_side else "",
             f"{limits.max_bytes // 1_000_000} MB" if limits.max_bytes else ""]
    limit = "at most " + ", ".join(r for r in rules if r) if any(rules) else "no store limit"
    images = [i for i in package.items.values() if i.media_type in _RASTER
              and i is not package.cover]
    faults, largest = [], (0, 0)
    for item in images:
        data = package.read(item)
        width, height = _size(data)
        largest = max(largest, (width, height), key=lambda s: s[0] * s[1])
        name = PurePosixPath(item.name).name
        if limits.max_pixels and width * height > limits.max_pixels:
            faults.append(f"{name}: {width} x {height} px")
        elif limits.max_side and max(width, height) > limits.max_side:
            faults.append(f"{name}: {max(width, height)} px a side")
        elif limits.max_bytes and len(data) > limits.max_bytes:
            faults.append(f"{name}: {len(data):,} bytes")
    svgs = [(PurePosixPath(i.name).name, etree.fromstring(package.read(i), _PARSER))
            for i in package.items.values() if i.media_type == "image/svg+xml"]
    svgs += [(PurePosixPath(i.name).name, s) for i, root in documents
             for s in root.iter(f"{_SVG}svg")]
    for name, svg in svgs:
        side = _svg_side(svg)
        if limits.max_side and side > limits.max_side:
            faults.append(f"{name}: an SVG {side:g} px a side")
    figure = (f"{len(images)} in the text, largest {largest[0]:,} x {largest[1]:,} px"
              if images else "none in the text")
    if svgs:
        figure += f"; {len(svgs)} SVG"
    return Finding.judged("images", figure, limit, not faults, len(faults), tuple(faults))


def _text(root: etree._Element) -> str:
    body = root.find(f"{_XHTML}body")
    return "".join(body.itertext()).strip() if body is not None else ""


def _kobo_spans(documents: list[tuple[_Item, etree._Element]]) -> Finding:
    """Kobo's reader places highlights, bookmarks and its statistics by these spans, and its
    pagination styles need the two wrapper divs: a document with text and without them is
    read as a plain EPUB."""
    spans, with_text, faults = 0, 0, []
    for item, root in documents:
        if not _text(root):
            continue
        with_text += 1
        found = sum(1 for s in root.iter(f"{_XHTML}span") if s.get("class") == "koboSpan")
        spans += found
        wrapped = root.find(f"{_XHTML}body/{_XHTML}div[@id='book-columns']/"
                            f"{_XHTML}div[@id='book-inner']") is not None
        if not found or not wrapped:
            missing = " and ".join(w for w, absent in (("spans", not found),
                                                       ("wrapper divs", not wrapped)) if absent)
            faults.append(f"{PurePosixPath(item.name).name}: no {missing}")
    return Finding.judged("Kobo spans", f"{spans:,} spans in {with_text - len(faults)} of "
                          f"{with_text} documents", "in every document with text", not faults,
                          len(faults), tuple(faults))


def _no_cover_page(package: _Package,
                   documents: list[tuple[_Item, etree._Element]]) -> Finding:
    """KDP shows the cover image the package names; a page that shows it again, as the
    generic EPUB's first page does, makes it appear twice."""
    cover = package.cover
    name = PurePosixPath(cover.name).name if cover else None
    pages = []
    for item, root in documents:
        if _text(root) or name is None:
            continue
        shown = [e.get("src", "") for e in root.iter(f"{_XHTML}img")] + \
            [e.get(_XLINK, "") for e in root.iter(f"{_SVG}image")]
        if any(PurePosixPath(src).name == name for src in shown):
            pages.append(PurePosixPath(item.name).name)
    return Finding.judged("cover page", ", ".join(pages) or "none", "none (KDP shows the "
                          "cover image itself)", not pages, len(pages), tuple(pages))


def _apple_fonts(package: _Package) -> Finding:
    """Apple Books sets the text in its own font unless the book says to use the embedded
    ones."""
    fonts = [i for i in package.items.values()
             if i.media_type.startswith("font/") or "opentype" in i.media_type
             or i.media_type in ("application/font-woff", "application/x-font-ttf")]
    if not fonts:
        return Finding.judged("embedded fonts shown", "no embedded fonts", "display options "
                              "saying to use them, with embedded fonts", True, 0)
    try:
        options = etree.fromstring(package.book.read(APPLE_OPTIONS), _PARSER)
    except KeyError:
        options = None
    said = options is not None and any(
        o.get("name") == "specified-fonts" and (o.text or "").strip() == "true"
        for o in options.iter("option"))
    return Finding.judged("embedded fonts shown", f"{len(fonts)} fonts, " + (
        "display options say to use them" if said else f"no {APPLE_OPTIONS} saying to use "
        "them"), "display options saying to use them, with embedded fonts", said, len(fonts))
