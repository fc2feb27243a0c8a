"""Joining laid-out pieces into one PDF: blank pages so each piece opens on a right-hand page,
the body's folios stamped from folio sheets, and the named destinations, links and outline
that a single-document render would have had, rebuilt from each piece's records. Whatever
else a piece brings that acts (an action, a script, an annotation) is stripped: the pieces
come from a cache that is read as untrusted input.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pikepdf

from anthology.print.cache import LaidOut, PieceCache
from anthology.print.geometry import PageGeometry
from anthology.print.glyphs import Glyphs, merged
from anthology.print.pdf import Profile, finish_for_press
from anthology.print.scrub import allowed_uri, scrub, strip_piece
from anthology.print.tags import PieceStructure, merge_structure, piece_structure
from anthology.series.pagemap import PageMap, build_page_map
from anthology.workspace.theme import Theme

PX = 0.75  # points per CSS pixel
FOLIO_CHUNK = 64  # folio sheets are laid out (and cached) this many pages at a time

@dataclass(frozen=True)
class Joined:
    pdf: pikepdf.Pdf
    page_count: int
    page_map: PageMap
    glyphs: Glyphs  # what its pieces set outside the theme's font
    sources: tuple[pikepdf.Pdf, ...]  # kept open until the joined PDF is saved


def join(front_later: Callable[[], LaidOut], body: Sequence[LaidOut],
         folios: Sequence[LaidOut], geometry: PageGeometry, profile: Profile, theme: Theme,
         blocks: list[str], body_first: str | None, cache: PieceCache | None = None,
         isbn: str | None = None) -> Joined:
    """Join the pieces, stamp the body's folios and rebuild links, destinations and outline.
    The body is joined first; the front matter (laid out meanwhile) is then put before it."""
    out = pikepdf.new()
    sheets = [pikepdf.open(io.BytesIO(f.pdf)) for f in folios]
    sources = list(sheets)
    width, height = (float(v) for v in sheets[0].pages[0].mediabox[2:])
    anchors: list[tuple] = []
    links: list[tuple] = []
    bookmarks: list[tuple] = []

    def blank(at: int | None = None) -> None:
        page = _blank_page(out, width, height)
        index = len(out.pages) if at is None else at
        out.pages.insert(index, page)
        for record in (anchors, links, bookmarks):
            record.insert(index, ())

    for piece in body:
        if len(out.pages) % 2:
            blank()  # each piece opens on a right-hand page
        source = pikepdf.open(io.BytesIO(piece.pdf))
        strip_piece(source)  # a piece from the cache is untrusted: nothing that acts
        sources.append(source)
        for page in source.pages:
            out.pages.append(page)
            label = len(out.pages)  # the folio this page carries
            sheet, index = divmod(label - 1, FOLIO_CHUNK)
            _stamp(out, out.pages[-1], sheets[sheet].pages[index], label)
        anchors += piece.anchors
        links += piece.links
        bookmarks += piece.bookmarks
    if profile.is_print and len(out.pages) % 2:
        # A printer binds an even count: a body that ends on a right-hand page gets one blank
        # left-hand page, as the single-document render's end-blank; an even one gets none.
        # (The front matter before the body has an even number of pages.)
        blank()
    front = front_later()
    front_pdf = pikepdf.open(io.BytesIO(front.pdf))
    strip_piece(front_pdf)
    sources.insert(0, front_pdf)
    if len(front_pdf.pages) % 2:
        blank(0)  # the body opens on a right-hand page
    for index, page in enumerate(front_pdf.pages):
        out.pages.insert(index, page)
    anchors[:0] = front.anchors
    links[:0] = front.links
    bookmarks[:0] = front.bookmarks
    for page in out.pages:
        if "/TrimBox" not in page:
            page.TrimBox = page.mediabox
    if not profile.is_print:
        _links_and_outline(out, anchors, links, bookmarks, height)
    _metadata(out, front_pdf)
    pieces = [front_pdf, *sources[len(sheets) + 1:]]  # the pieces, in order
    merge_structure(out, pieces, [_structure(laid, pdf, cache)
                                  for laid, pdf in zip((front, *body), pieces, strict=True)])
    page_map = build_page_map(([n for n, _, _ in page] for page in anchors), blocks,
                              body_first)
    finish_for_press(out, theme, profile, geometry, page_map.labels, isbn)
    glyphs = merged(p.glyphs for p in (front, *body))
    if profile.is_print:
        _share_font_programs(out)
    scrub(out)  # nothing in the book that we did not put there
    return Joined(out, len(out.pages), page_map, glyphs, tuple(sources))


def _structure(laid: LaidOut, pdf: pikepdf.Pdf, cache: PieceCache | None
               ) -> PieceStructure | None:
    """A piece's structure facts, from the cache or found (and kept) now."""
    if "/StructTreeRoot" not in pdf.Root:
        return None
    found = cache.structure(laid.key, laid.pdf) if cache is not None and laid.key else None
    if found is None:
        found = piece_structure(pdf)
        if found is not None and cache is not None and laid.key:
            cache.keep_structure(laid.key, found, laid.pdf)
    return found


def _blank_page(out: pikepdf.Pdf, width: float, height: float) -> pikepdf.Page:
    return pikepdf.Page(out.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, width, height], Resources=pikepdf.Dictionary(),
        Contents=out.make_indirect(pikepdf.Stream(out, b"")))))


def _stamp(out: pikepdf.Pdf, page: pikepdf.Page, stamp: pikepdf.Page, label: int) -> None:
    """Draw a folio-sheet page over a body page. The resource is named after the folio: the
    pages of a piece share one resource dictionary (and pikepdf's add_overlay would pick a
    random name, while the same sources must give the same bytes)."""
    name = f"/AnthologyFolio{label}"
    form = out.copy_foreign(stamp.as_form_xobject())
    page.add_resource(form, pikepdf.Name.XObject, name=pikepdf.Name(name))
    # The page's own content may leave its coordinate system changed (WeasyPrint flips it):
    # wrap it in q/Q so the folio is drawn in the page's plain coordinates.
    page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
    # A folio is pagination, an artifact to the structure of a tagged PDF.
    page.contents_add(pikepdf.Stream(out, f"\nQ /Artifact BMC q {name} Do Q EMC".encode()),
                      prepend=False)


def _links_and_outline(out: pikepdf.Pdf, anchors: Sequence, links: Sequence,
                       bookmarks: Sequence, height: float) -> None:
    """Named destinations for every anchor, link annotations, and the outline."""
    # One leaf of the name tree, its names in order, built at once (inserting name by name
    # costs seconds in a book of a thousand pages).
    destinations: dict[str, pikepdf.Array] = {}
    for index, page in enumerate(anchors):
        target = out.pages[index].obj
        for name, x, y in page:
            if name not in destinations:
                destinations[name] = pikepdf.Array([target, pikepdf.Name.XYZ, x * PX,
                                                    height - y * PX, 0])
    seen = set(destinations)
    leaf = pikepdf.Array()
    for name in sorted(destinations, key=lambda n: n.encode("utf-8")):
        leaf.append(pikepdf.String(name))
        leaf.append(destinations[name])
    out.Root.Names = pikepdf.Dictionary(Dests=out.make_indirect(pikepdf.Dictionary(Names=leaf)))
    for index, page in enumerate(links):
        annotations = []
        for kind, target, (x1, y1, x2, y2) in page:
            if (kind == "internal" and target not in seen) or (
                    kind != "internal" and not allowed_uri(target)):
                continue  # (a record from the cache is untrusted: no javascript: link)
            annotation = pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                Rect=[x1 * PX, height - y1 * PX, x2 * PX, height - y2 * PX],
                BS=pikepdf.Dictionary(W=0))
            if kind == "internal":
                annotation.Dest = pikepdf.String(target)
            else:
                annotation.A = pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.URI,
                                                  URI=pikepdf.String(target))
            annotations.append(out.make_indirect(annotation))
        if annotations:
            out.pages[index].Annots = pikepdf.Array(annotations)
    flat = [(level, label, index, x, y) for index, page in enumerate(bookmarks)
            for level, label, x, y in page]
    with out.open_outline() as outline:
        stack: list[tuple[int, list]] = [(0, outline.root)]
        for level, label, index, x, y in flat:
            while stack[-1][0] >= level:
                stack.pop()
            item = pikepdf.OutlineItem(label, index, "XYZ", left=x * PX, top=height - y * PX)
            stack[-1][1].append(item)
            stack.append((level, item.children))


def _metadata(out: pikepdf.Pdf, front: pikepdf.Pdf) -> None:
    """The document information of the front piece (title, author, dates, PDF/X identity)."""
    out.trailer.Info = out.copy_foreign(front.trailer.Info)
    if "/Metadata" in front.Root:
        out.Root.Metadata = out.copy_foreign(front.Root.Metadata)


def _share_font_programs(out: pikepdf.Pdf) -> None:
    """Every piece embeds the same whole font: keep one copy of each font program."""
    programs: dict[bytes, pikepdf.Object] = {}
    for page in out.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for font in fonts.values() if hasattr(fonts, "values") else ():
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is None:
                    continue
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        data = hashlib.sha256(descriptor[key].read_raw_bytes()).digest()
                        descriptor[key] = programs.setdefault(data, descriptor[key])


