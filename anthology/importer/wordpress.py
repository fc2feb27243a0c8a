"""Read a WordPress export (WXR 1.0, 1.1, 1.2; self-hosted `http://` or WordPress.com `https://`
namespaces): its published posts as Markdown text, what was passed over, and what was lost.

The export is parsed with defusedxml, streaming item by item: a file that declares entities
(the "billion laughs" bomb, or an external entity reading a local file or a URL) is refused
outright, and nothing is ever fetched. WordPress never writes entity declarations, so no real
export is lost to this.

An export that is not well-formed XML (a hand-edited file, a broken plugin) is read again with
lxml's recovering parser, as the WordPress importer falls back to a lenient one: entities are
not expanded, no DTD is loaded, nothing is fetched. Every item that the XML errors touch is
reported as lost with its line, and the others are imported.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import defusedxml
from defusedxml.ElementTree import DefusedXMLParser
from lxml import etree

from anthology.importer.convert import ConvertError, html_to_markdown
from anthology.importer.pages import EXPORT_LIMIT, PageError, check_size, read_bytes

_WP = "wordpress.org/export/"
_CONTENT = "purl.org/rss/1.0/modules/content/"
_CHUNK = 1 << 20
_ITEM_START = re.compile(rb"<item[\s>]")


@dataclass(frozen=True)
class Post:
    """A published post: its text (title line, then Markdown) and what WordPress knows of it."""

    title: str
    text: str
    link: str | None
    published: date | None
    tags: tuple[str, ...]
    post_id: str
    comments: int = 0
    line: int = 0


@dataclass(frozen=True)
class PassedOver:
    """An item of the export that is not a published post, and what it is."""

    title: str
    kind: str
    post_id: str


@dataclass(frozen=True)
class Lost:
    """An item (or a stretch of the file) that could not be read; `line` in the export."""

    line: int
    message: str


@dataclass(frozen=True)
class Export:
    posts: tuple[Post, ...]
    passed_over: tuple[PassedOver, ...]
    lost: tuple[Lost, ...] = ()
    warnings: tuple[str, ...] = ()


def _split(tag: Any) -> tuple[str, str]:
    if not isinstance(tag, str):  # lxml comments and processing instructions
        return "", ""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace.split("://", 1)[-1], local
    return "", tag


def _field(item: Any, namespace: str, name: str) -> str:
    """The text of a child element; WXR versions differ in their namespace's version number
    and WordPress.com writes `https://`."""
    for child in item:
        ns, local = _split(child.tag)
        if local == name and (ns.startswith(namespace) if namespace else not ns):
            return (child.text or "").strip()
    return ""


def _published(item: Any) -> date | None:
    for name in ("post_date", "post_date_gmt"):
        value = _field(item, _WP, name)
        try:
            return datetime.strptime(value[:10], "%Y-%m-%d").date()
        except ValueError:
            continue  # drafts carry 0000-00-00
    try:
        return parsedate_to_datetime(_field(item, "", "pubDate")).date()
    except (TypeError, ValueError, IndexError):
        return None


def _tags(item: Any) -> tuple[str, ...]:
    """Categories first, then tags, as their names, each once."""
    found: dict[str, list[str]] = {"category": [], "post_tag": []}
    for child in item:
        if _split(child.tag) == ("", "category") and child.get("domain") in found:
            name = " ".join((child.text or "").split())
            if name:
                found[child.get("domain", "")].append(name)
    return tuple(dict.fromkeys(found["category"] + found["post_tag"]))


class _Reader:
    """What the items of one export became, gathered as they are read."""

    def __init__(self) -> None:
        self.posts: list[Post] = []
        self.passed: list[PassedOver] = []
        self.lost: list[Lost] = []
        self.wordpress = False

    def item(self, item: Any, line: int) -> None:
        title = " ".join(_field(item, "", "title").split())
        post_id = _field(item, _WP, "post_id")
        kind = _field(item, _WP, "post_type") or "post"
        status = _field(item, _WP, "status") or "publish"
        if kind != "post":
            self.passed.append(PassedOver(title, kind, post_id))
            return
        if status != "publish":
            self.passed.append(PassedOver(title, f"{status} post", post_id))
            return
        try:
            body = html_to_markdown(_field(item, _CONTENT, "encoded"))
        except ConvertError as exc:
            name = f"post {post_id} '{title}'" if post_id else f"post '{title}'"
            self.lost.append(Lost(line, f"{name} not imported: {exc}"))
            return
        comments = sum(1 for child in item if _split(child.tag)[1] == "comment"
                       and _split(child.tag)[0].startswith(_WP))
        self.posts.append(Post(title=title, text=f"{title}\n\n{body}",
                               link=_field(item, "", "link") or None, published=_published(item),
                               tags=_tags(item), post_id=post_id, comments=comments, line=line))

    def export(self, warnings: Iterable[str] = ()) -> Export:
        if not self.wordpress:
            raise PageError("is an RSS feed, not a WordPress export: export it from Tools > "
                            "Export in WordPress")
        return Export(tuple(self.posts), tuple(self.passed), tuple(self.lost), tuple(warnings))


class _Builder(ET.TreeBuilder):
    """Builds one item at a time, hands it over with the line it starts on, then drops it."""

    def __init__(self, reader: _Reader, line: Callable[[], int]) -> None:
        super().__init__()
        self.reader, self.line = reader, line
        self.depth, self.item_line = 0, 0

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        ns, local = _split(tag)
        if self.depth == 0 and local != "rss":
            raise PageError(f"is not a WordPress export: it is XML whose root is <{local}>, "
                            "not <rss>")
        self.reader.wordpress = self.reader.wordpress or ns.startswith(_WP)
        if (ns, local) == ("", "item"):
            self.item_line = self.line()
        self.depth += 1
        return super().start(tag, attrs)

    def end(self, tag: str) -> ET.Element:
        element = super().end(tag)
        self.depth -= 1
        if _split(tag) == ("", "item"):
            self.reader.item(element, self.item_line)
            element.clear()
        return element


def read_export(path: Path) -> Export:
    """Every item of a WordPress export: published posts as text, the rest passed over."""
    check_size(path, EXPORT_LIMIT, "WordPress exports",
               "export the posts a few years at a time: Tools > Export > Posts > date range")
    data = read_bytes(path, EXPORT_LIMIT)
    if not data.strip():
        raise PageError("is empty")
    reader = _Reader()
    parser = DefusedXMLParser(target=_Builder(reader, lambda: parser.parser.CurrentLineNumber))
    try:
        for start in range(0, len(data), _CHUNK):
            parser.feed(data[start:start + _CHUNK])
        parser.close()
    except defusedxml.EntitiesForbidden:
        raise PageError("declares XML entities, which a WordPress export never does; refused "
                        "(they can expand without end or read other files)") from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden):
        raise PageError("refers to an external document; refused (nothing is fetched)") from None
    except (LookupError, ValueError) as exc:  # an unknown or unsupported declared encoding
        raise PageError(f"cannot be decoded: {exc}") from None
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        return _recover(data, f"{reason} at line {line}, column {column + 1}")
    return reader.export()


def _recover(data: bytes, strict_error: str) -> Export:
    """Read a malformed export as far as it safely can; report every item the errors touch."""
    if b"<!ENTITY" in data:
        raise PageError(f"is not well-formed XML ({strict_error}) and declares XML entities; "
                        "refused")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             load_dtd=False, dtd_validation=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, LookupError, ValueError) as exc:
        raise PageError(f"is not well-formed XML ({strict_error}) and cannot be recovered "
                        f"({exc}): is it a complete WordPress export?") from None
    if root is None or _split(root.tag)[1] != "rss":
        raise PageError(f"is not well-formed XML ({strict_error}): is it a complete WordPress "
                        "export?")
    errors = sorted({(e.line, e.message.strip()) for e in parser.error_log
                     if e.level >= etree.ErrorLevels.ERROR})
    reader = _Reader()
    reader.wordpress = any(_split(e.tag)[0].startswith(_WP) for e in root.iter())
    items = [e for e in root.iter() if _split(e.tag) == ("", "item")]
    starts = [item.sourceline or 0 for item in items]
    touched: set[int] = set()
    for index, item in enumerate(items):
        end = starts[index + 1] - 1 if index + 1 < len(items) else 1 << 62
        inside = [(line, msg) for line, msg in errors if starts[index] <= line <= end]
        if inside:
            touched.update(inside)
            title = " ".join(_field(item, "", "title").split()) or "untitled"
            line, message = inside[0]
            reader.lost.append(Lost(starts[index], f"item '{title}' could not be read whole "
                                    f"({message} at line {line}); not imported"))
        else:
            reader.item(item, starts[index])
    missing = len(_ITEM_START.findall(data)) - len(items)
    if missing > 0:
        line = next((line for line, _ in errors), 1)
        reader.lost.append(Lost(line, f"{missing} item(s) could not be read at all"))
    warnings = [f"not well-formed XML ({strict_error}): read with a recovering parser"]
    warnings += [f"line {line}: {message} (outside any item; nothing lost)"
                 for line, message in errors if (line, message) not in touched]
    return reader.export(warnings)
