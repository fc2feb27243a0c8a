"""Nothing in a published PDF that acts and that anthology did not put there.

Laid-out pieces come from the cache, which is read as untrusted input (a checksum anyone can
recompute proves nothing). A piece of ours has no annotations, no actions, no scripts, no
forms and no embedded files: its links, outline and destinations are rebuilt by the join
from its record. So the pages of a piece lose whatever annotations and page actions they
bring before they are joined, and the joined book is then swept at every place a reader acts
on (the catalog, each page, each annotation): every action but the links the join itself
makes (a URI link to an http, https or mailto address, a link to a destination in the book),
every script, form, embedded file and document-level action goes. Dictionaries that no
reader acts on (inside the structure tree or a page's resources) are not walked: that would
cost more than the join itself in a long book, and the cache already refuses a piece that
carries any of these (anthology.print.cache).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pikepdf
from pikepdf import Array, Dictionary, Name

# Keys that make a PDF act, or carry what it may act on, wherever they appear.
ACTIVE_KEYS = ("/AA", "/OpenAction", "/JS", "/JavaScript", "/AcroForm", "/XFA",
               "/EmbeddedFiles", "/EF", "/RichMediaContent", "/RichMediaSettings")
ACTIONS = {"/GoTo", "/GoToR", "/GoToE", "/GoToDp", "/Launch", "/Thread", "/URI", "/Sound",
           "/Movie", "/Hide", "/Named", "/SubmitForm", "/ResetForm", "/ImportData",
           "/JavaScript", "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView",
           "/RichMediaExecute"}
LINK_SCHEMES = {"http", "https", "mailto"}  # what a source may link to (series.markup)
_CATALOG_KEYS = ("/Collection", "/Threads", "/URI", "/Perms", "/Legal", "/Requirements")


def strip_piece(piece: pikepdf.Pdf) -> None:
    """Take from a laid-out piece (in memory) what no piece of ours has, before its pages
    are joined: annotations, actions and files of its pages and of its catalog."""
    for page in piece.pages:
        for key in ("/Annots", "/AA", "/AF"):
            if key in page.obj:
                del page.obj[key]
    for key in (*ACTIVE_KEYS, *_CATALOG_KEYS, "/Names", "/Outlines"):
        if key in piece.Root:
            del piece.Root[key]


def allowed_uri(uri: str) -> bool:
    """An address a link of the book may open: http, https or mailto."""
    try:
        return urlsplit(uri).scheme.lower() in LINK_SCHEMES
    except ValueError:
        return False


def _allowed_action(action: pikepdf.Object) -> bool:
    """A link the join makes: to an http, https or mailto address, or within the book."""
    kind = action.get("/S")
    if kind == Name.URI:
        uri = action.get("/URI")
        return isinstance(uri, pikepdf.String) and allowed_uri(str(uri))
    return kind == Name.GoTo and "/D" in action and not isinstance(action.D, Dictionary)


def _is_action(value: pikepdf.Object) -> bool:
    return isinstance(value, Dictionary) and (value.get("/Type") == Name.Action
                                              or str(value.get("/S", "")) in ACTIONS)


def _link_kept(annotation: pikepdf.Object) -> bool:
    """A Link annotation that goes somewhere we allow."""
    if not isinstance(annotation, Dictionary) or annotation.get("/Subtype") != Name.Link:
        return False
    if "/A" in annotation:
        return _is_action(annotation.A) and _allowed_action(annotation.A)
    return "/Dest" in annotation


def scrub(pdf: pikepdf.Pdf) -> None:
    """Sweep a joined book of everything a reader acts on but its own links: the catalog's
    actions, forms, scripts and files, each page's actions and files, every annotation but
    a link to an allowed address or a destination in the book (and of those, their actions
    beyond the link)."""
    for key in (*ACTIVE_KEYS, *_CATALOG_KEYS, "/AF"):
        if key in pdf.Root:
            del pdf.Root[key]
    names = pdf.Root.get("/Names")
    if isinstance(names, Dictionary):
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                del names[key]
    for page in pdf.pages:
        for key in ("/AA", "/AF"):
            if key in page.obj:
                del page.obj[key]
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        kept = [a for a in annotations if _link_kept(a)] \
            if isinstance(annotations, Array) else []
        for annotation in kept:
            for key in ("/AA", "/AF", "/Popup"):
                if key in annotation:
                    del annotation[key]
            if "/A" in annotation and "/Next" in annotation.A:
                del annotation.A.Next
        if kept:
            page.obj.Annots = Array(kept)
        else:
            del page.obj.Annots
