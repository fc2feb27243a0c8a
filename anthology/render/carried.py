"""What a rendered document may point at: only what the book carries.

An EPUB must hold every file it uses (epubcheck's RSC-006 for a remote stylesheet), and
neither edition may run a script or read a file of the machine it was built on. Sources are
checked as they are read; a theme template could still add `<link href="https://...">`, an
`<img src="file:...">` or a `javascript:` link, so every rendered document is read back and
each URL it loads, and each script it would run, is checked here. Links a reader follows
(`<a href="https://...">`) may go anywhere on the web.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import tinycss2
from lxml import etree

# The base the print edition's images are given under (anthology.print.pdf.BOOK_BASE): a
# name for a file the book carries, never a path of this machine.
INTERNAL_BASE = "file:///anthology-book/"
LINK_ELEMENTS = frozenset({"a", "area"})
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({
    "href", "src", "srcset", "poster", "data", "action", "formaction", "background",
    "longdesc", "xlink:href", "xml:base", "manifest", "icon", "lowsrc", "dynsrc", "codebase",
    "archive", "classid", "usemap", "ping", "profile"})
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "livescript"})
_BLANKS = "".join(chr(c) for c in range(0x21))


@dataclass(frozen=True)
class Uncarried:
    """One thing in a document the book cannot carry: what it is, where, and why not."""

    value: str  # the URL, or the markup, as the document has it
    where: str  # "<link href>"
    reason: str
    needle: str  # what to look for in a template's source to find who wrote it


def _scheme(url: str) -> str:
    return urlsplit(url.strip(_BLANKS)).scheme.lower()


def _resource(url: str) -> str | None:
    """Why a file the document loads (a stylesheet, an image) cannot be carried, if not."""
    bare = url.strip(_BLANKS)
    if not bare or bare.startswith("#") or bare.startswith(INTERNAL_BASE):
        return None
    parts = urlsplit(bare)
    scheme = parts.scheme.lower()
    if scheme in SCRIPT_SCHEMES:
        return "a script: a book runs none"
    if scheme == "data":
        return None
    if scheme in ("http", "https", "ftp") or parts.netloc or bare.startswith(("//", "\\\\")):
        return "a file on the network: a book carries the files it uses"
    if scheme or bare.startswith(("/", "\\")):
        return "a file of this machine: a book carries the files it uses"
    return None


def _link(url: str) -> str | None:
    """Why a link a reader follows cannot be in the book, if not."""
    scheme = _scheme(url)
    if not scheme or scheme in LINK_SCHEMES:
        return None
    if scheme in SCRIPT_SCHEMES:
        return "a script: a book runs none"
    return f"a '{scheme}:' link, which no reading system follows"


def _css_urls(nodes: list) -> Iterator[str]:
    """Every url(), @import and image-set() target of parsed CSS, however nested."""
    for node in nodes:
        kind = getattr(node, "type", None)
        if kind == "url":
            yield node.value
        elif kind == "function" and node.lower_name in ("url", "image-set", "image",
                                                         "-webkit-image-set", "src"):
            yield from (t.value for t in node.arguments if t.type == "string")
        elif kind == "at-rule" and node.lower_at_keyword == "import":
            yield from (t.value for t in node.prelude if t.type == "string")
        for part in ("prelude", "content", "arguments", "value"):
            children = getattr(node, part, None)
            if isinstance(children, list):
                yield from _css_urls(children)


def _style(text: str, where: str) -> Iterator[Uncarried]:
    nodes = tinycss2.parse_stylesheet(text, skip_comments=True) if where == "<style>" \
        else tinycss2.parse_declaration_list(text, skip_comments=True)
    for url in _css_urls(nodes):
        reason = _resource(url)
        if reason:
            yield Uncarried(url, f"{where} url()", reason, url)


def _tag(element: etree._Element) -> Iterator[Uncarried]:
    tag = str(element.tag).lower()
    if tag == "script":
        yield Uncarried(element.get("src") or "<script>", "<script>",
                        "a script: a book runs none", "<script")
    elif tag == "base" and element.get("href") is not None:
        yield Uncarried(element.get("href", ""), "<base href>",
                        "it would move every link of the document", "<base")
    elif tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
        yield Uncarried(element.get("content", ""), "<meta http-equiv>",
                        "a reading system opens the book's own documents only", "refresh")
    elif tag == "style" and element.text:
        yield from _style(element.text, "<style>")


def _attribute(tag: str, name: str, value: str) -> Iterator[Uncarried]:
    if name.startswith("on"):
        yield Uncarried(value, f"<{tag} {name}>", "a script: a book runs none", name)
    elif name == "srcdoc":
        yield Uncarried(value[:80], f"<{tag} srcdoc>", "a document the book does not "
                        "carry as a file", "srcdoc")
    elif name == "style":
        yield from _style(value, f"<{tag} style>")
    elif name in URL_ATTRIBUTES:
        urls = [u.split()[0] for u in value.split(",") if u.split()] if name == "srcset" \
            else value.split() if name in ("ping", "archive") else [value]
        link = tag in LINK_ELEMENTS and name in ("href", "xlink:href")
        for url in urls:
            reason = _link(url) if link else _resource(url)
            if reason:
                yield Uncarried(url, f"<{tag} {name}>", reason, url.strip(_BLANKS))


_ATTRIBUTES = etree.XPath("//@*")


def uncarried(document: str) -> list[Uncarried]:
    """Everything in a rendered document (XHTML or HTML) that the book cannot carry."""
    parser = etree.HTMLParser(recover=True, no_network=True, encoding="utf-8")
    root = etree.fromstring(document.encode("utf-8"), parser)
    if root is None:
        return []
    found: list[Uncarried] = []
    for element in root.iter("script", "base", "meta", "style"):
        found.extend(_tag(element))
    for value in _ATTRIBUTES(root):
        name = value.attrname.lower()
        if name in URL_ATTRIBUTES or name.startswith("on") or name in ("style", "srcdoc"):
            tag = str(value.getparent().tag).lower()
            if tag not in ("script", "base"):  # refused whole, above
                found.extend(_attribute(tag, name, str(value)))
    return found
