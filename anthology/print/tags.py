"""One structure tree for a PDF joined from tagged pieces (the digital edition, PDF/UA-1).

Each piece WeasyPrint tags has its own StructTreeRoot, and its pages' StructParents count
from 0 in each. Joined, the book gets one tree: every piece's elements under one Document
element in book order, one ParentTree whose keys are renumbered page by page (the MCIDs
inside a page's content stay the page's own), and the catalog entries PDF/UA asks for. What
is not part of the text becomes an artifact: the folios stamped from folio sheets, and the
running heads WeasyPrint marks but leaves out of its tree. Link annotations added after
joining are tied into the tree through the Link element they cover.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

_MARKED = re.compile(rb"/([A-Za-z0-9]+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
PDF_VERSION = "1.7"  # PDF/UA-1 is defined on PDF 1.7


@dataclass(frozen=True)
class PieceStructure:
    """What joining needs of one piece's own structure tree, page by page, found once per
    piece (and kept in the cache beside it), so a join never walks the whole book's tree:
    the MCIDs whose element is not in the tree (running heads, marked by WeasyPrint but left
    out of its tree), and the outermost Link elements laid out on the page, in order, by
    their object numbers in the piece."""

    outside: tuple[tuple[int, ...], ...]
    links: tuple[tuple[tuple[int, int], ...], ...]


def piece_structure(piece: pikepdf.Pdf) -> PieceStructure | None:
    """The piece's structure facts; None for an untagged piece."""
    if "/StructTreeRoot" not in piece.Root:
        return None
    root = piece.Root.StructTreeRoot
    document = _only(root.K)
    reachable = _reachable(document)
    parents = pikepdf.NumberTree(root.ParentTree) if "/ParentTree" in root else {}
    links: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for element in _outer_links(document):
        links.setdefault(element.Pg.objgen, []).append(element.objgen)
    outside, outer = [], []
    for page in piece.pages:
        mapping = Array()
        if "/StructParents" in page.obj and int(page.obj.StructParents) in parents:
            mapping = parents[int(page.obj.StructParents)]
        outside.append(tuple(mcid for mcid, element in enumerate(_as_list(mapping))
                             if not isinstance(element, Dictionary)
                             or element.objgen not in reachable))
        outer.append(tuple(links.get(page.obj.objgen, ())))
    return PieceStructure(tuple(outside), tuple(outer))


def merge_structure(out: pikepdf.Pdf, pieces: Sequence[pikepdf.Pdf],
                    structures: Sequence[PieceStructure | None] | None = None) -> None:
    """Give `out` one structure tree from `pieces` (in book order) whose pages it holds;
    nothing to do when the pieces are untagged. `structures` are the pieces' own facts
    (piece_structure), when the caller has them kept."""
    found = list(structures) if structures is not None else [None] * len(pieces)
    found = [f if f is not None else piece_structure(p) for f, p in zip(found, pieces,
                                                                        strict=True)]
    tagged = [(p, f) for p, f in zip(pieces, found, strict=True) if f is not None]
    if not tagged:
        return
    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root,
                                            K=Array()))
    root.K = Array([document])
    parents: dict[int, pikepdf.Object] = {}
    links_of: dict[tuple[int, int], list] = {}
    for piece, structure in tagged:
        old_root = piece.Root.StructTreeRoot
        old_document = _only(old_root.K)
        for kid in _as_list(old_document.get("/K", Array())):
            copied = _copy(out, kid)
            if isinstance(copied, Dictionary):
                copied.P = document
            document.K.append(copied)
        old_parents = pikepdf.NumberTree(old_root.ParentTree)
        for page, outside, links in zip(piece.pages, structure.outside, structure.links,
                                        strict=True):
            if "/StructParents" not in page.obj:
                continue
            old_key = int(page.obj.StructParents)
            mapped = out.copy_foreign(page.obj)  # the page already joined: the same object
            key = len(parents)
            mapped.StructParents = key
            mapping = _copy(out, old_parents[old_key]) if old_key in old_parents else Array()
            parents[key] = mapping
            if outside:
                _as_artifacts(pikepdf.Page(mapped), mapping, set(outside))
            links_of[mapped.objgen] = [out.copy_foreign(piece.get_object(objgen))
                                       for objgen in links]
    for page in out.pages:
        _forms_as_artifacts(page)
    _tie_links(out, document, parents, links_of)
    tree = pikepdf.NumberTree.new(out)
    for key, value in parents.items():
        tree[key] = value
    root.ParentTree = tree.obj
    root.ParentTreeNextKey = len(parents)
    out.Root.StructTreeRoot = root
    front = tagged[0][0].Root
    out.Root.MarkInfo = Dictionary(Marked=True)
    out.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if "/Lang" in front:
        out.Root.Lang = pikepdf.String(str(front.Lang))
    out.Root.Version = Name("/" + PDF_VERSION)


def _copy(out: pikepdf.Pdf, obj: pikepdf.Object) -> pikepdf.Object:
    """A foreign object in `out`: indirect ones through pikepdf (which gives back what it
    copied before, the joined pages included), direct arrays and dictionaries item by item."""
    if obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, Array):
        if all(item.is_indirect for item in obj):  # (a page's MCIDs: elements, each indirect)
            return Array([out.copy_foreign(item) for item in obj])
        return Array([_copy(out, item) for item in obj])
    if isinstance(obj, Dictionary):
        return Dictionary({key: _copy(out, value) for key, value in obj.items()})
    return obj


def _only(kids: pikepdf.Object) -> pikepdf.Object:
    return kids[0] if isinstance(kids, Array) else kids


def _as_list(kids: pikepdf.Object) -> list:
    return list(kids) if isinstance(kids, Array) else [kids]


def _reachable(document: pikepdf.Object) -> set[tuple[int, int]]:
    """Every structure element of the tree under `document`."""
    seen: set[tuple[int, int]] = set()
    stack = [document]
    while stack:
        element = stack.pop()
        if not isinstance(element, Dictionary) or element.objgen in seen:
            continue
        if element.get("/Type") not in (None, Name.StructElem) or "/S" not in element:
            continue
        seen.add(element.objgen)
        stack += _as_list(element.get("/K", Array()))
    return seen


def _as_artifacts(page: pikepdf.Page, mapping: pikepdf.Object, outside: set[int]) -> None:
    """Content marked with an MCID whose element is not in the tree (the running heads, in
    margin boxes) is pagination, an artifact: so no MCID of the page is left without an
    element, and no element of the ParentTree is left outside the tree."""
    for stream in _contents(page):
        data = stream.read_bytes()
        new = _MARKED.sub(lambda m: b"/Artifact BMC" if int(m[2]) in outside else m[0], data)
        if new != data:
            stream.write(new)
    for mcid in outside:
        if mcid < len(mapping):
            mapping[mcid] = pikepdf.Object.parse(b"null")


def _contents(page: pikepdf.Page) -> Iterator[pikepdf.Stream]:
    contents = page.obj.get("/Contents")
    yield from (contents if isinstance(contents, Array) else [contents] if contents else [])


def _forms_as_artifacts(page: pikepdf.Page) -> None:
    """A form without StructParents (a stamped folio) may hold no MCIDs: its marks become
    artifacts. Forms shared by a piece's pages are rewritten once."""
    forms = page.obj.get("/Resources", Dictionary()).get("/XObject", Dictionary())
    for form in forms.values():
        if form.get("/Subtype") != Name.Form or "/StructParents" in form:
            continue
        data = form.read_bytes()
        if b"MCID" in data:
            form.write(_MARKED.sub(b"/Artifact BMC", data))


def _tie_links(out: pikepdf.Pdf, document: pikepdf.Object,
               parents: dict[int, pikepdf.Object],
               links_of: dict[tuple[int, int], list]) -> None:
    """Each link annotation joins the tree as an object reference in the Link element it was
    laid out from; else (a page whose links and elements do not pair up) in a Link element
    of its own. It gets a StructParent and a description.

    WeasyPrint gives one Link element to each fragment of a link (a line of it), with Link
    elements inside for its inline parts, and an annotation to the fragment and to each part
    (their areas inside its own): so a page's outermost Link elements, in order, pair with
    its annotations grouped by the fragment they lie in (`links_of`: by page)."""
    for page in out.pages:
        annotations = [a for a in page.obj.get("/Annots", Array())
                       if a.get("/Subtype") == Name.Link]
        if not annotations:
            continue
        page.obj.Tabs = Name.S
        groups = _fragments(annotations)
        elements = links_of.get(page.obj.objgen, [])
        paired = len(elements) == len(groups)
        for index, group in enumerate(groups):
            if paired:
                element = elements[index]
            else:
                element = out.make_indirect(Dictionary(
                    Type=Name.StructElem, S=Name.Link, P=document, Pg=page.obj, K=Array()))
                document.K.append(element)
            kids = _as_list(element.get("/K", Array()))
            for annotation in group:
                kids.append(Dictionary(Type=Name.OBJR, Obj=annotation, Pg=page.obj))
                key = len(parents)
                parents[key] = element
                annotation.StructParent = key
                if "/Contents" not in annotation:
                    annotation.Contents = pikepdf.String(_describe(annotation))
            element.K = Array(kids)


def _outer_links(document: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """The Link elements with no Link above them, in document order."""
    inside: set[tuple[int, int]] = set()
    for element in _walk(document):
        if element.get("/S") != Name.Link or "/Pg" not in element:
            continue
        if element.objgen not in inside:
            yield element
        inside.update(e.objgen for e in _walk(element))


def _fragments(annotations: list) -> list[list]:
    """Annotations grouped by link fragment: one and those after it that lie in its area."""
    groups: list[list] = []
    for annotation in annotations:
        if groups and _target(groups[-1][0]) == _target(annotation) \
                and _inside(annotation.Rect, groups[-1][0].Rect):
            groups[-1].append(annotation)
        else:
            groups.append([annotation])
    return groups


def _target(annotation: pikepdf.Object) -> str:
    return str(annotation.get("/Dest", "")) + str(annotation.get("/A", {}).get("/URI", ""))


def _inside(rect: pikepdf.Array, outer: pikepdf.Array, slack: float = 0.5) -> bool:
    x1, y1, x2, y2 = (float(v) for v in rect)
    a1, b1, a2, b2 = (float(v) for v in outer)
    return (min(x1, x2) >= min(a1, a2) - slack and max(x1, x2) <= max(a1, a2) + slack
            and min(y1, y2) >= min(b1, b2) - slack and max(y1, y2) <= max(b1, b2) + slack)


def _describe(annotation: pikepdf.Object) -> str:
    if "/A" in annotation and "/URI" in annotation.A:
        return str(annotation.A.URI)
    return "Go to page" if "/Dest" not in annotation else f"Go to {annotation.Dest}"


def _walk(element: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """The tree's elements in document order."""
    stack = [element]
    seen: set[tuple[int, int]] = set()
    while stack:
        current = stack.pop()
        if not isinstance(current, Dictionary) or "/S" not in current:
            continue
        if current.is_indirect:
            if current.objgen in seen:
                continue
            seen.add(current.objgen)
        yield current
        stack += reversed(_as_list(current.get("/K", Array())))
