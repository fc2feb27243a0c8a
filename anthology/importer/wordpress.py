"""Read a WordPress export (WXR): its published posts as Markdown text, and what was passed over.

The export is parsed with defusedxml, streaming item by item: a file that declares entities
(the "billion laughs" bomb, or an external entity reading a local file or a URL) is refused
outright, and nothing is ever fetched. WordPress never writes entity declarations, so no real
export is lost to this.

Post bodies are HTML; markdownify (a maintained converter) turns them into Markdown, and the
post title is put on the first line so the same recognition as for saved pages applies.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as SafeET
from markdownify import markdownify

from anthology.importer.pages import EXPORT_LIMIT, PageError, check_size

_WP = "http://wordpress.org/export/"
_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_BLOCK_TAG = re.compile(r"<(?:p|div|h[1-6]|ul|ol|blockquote|figure|table|pre)[\s>]", re.IGNORECASE)
_CAPTION = re.compile(r"\[caption[^\]]*\](?P<inner>.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
_MEDIA_END = re.compile(r"^(?P<media>.*(?:<img[^>]*>|</a>))(?P<text>.*)$",
                        re.IGNORECASE | re.DOTALL)


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


@dataclass(frozen=True)
class PassedOver:
    """An item of the export that is not a published post, and what it is."""

    title: str
    kind: str
    post_id: str


@dataclass(frozen=True)
class Export:
    posts: tuple[Post, ...]
    passed_over: tuple[PassedOver, ...]


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _field(item: ET.Element, namespace: str, name: str) -> str:
    """The text of a child element; WXR versions differ in their namespace's version number."""
    for child in item:
        ns, local = _split(child.tag)
        if local == name and (ns.startswith(namespace) if namespace else not ns):
            return (child.text or "").strip()
    return ""


def _published(item: ET.Element) -> date | None:
    for name in ("post_date", "post_date_gmt"):
        value = _field(item, _WP, name)
        try:
            return datetime.strptime(value[:10], "%Y-%m-%d").date()
        except ValueError:
            continue  # drafts carry 0000-00-00
    try:
        return parsedate_to_datetime(_field(item, "", "pubDate")).date()
    except (TypeError, ValueError):
        return None


def _tags(item: ET.Element) -> tuple[str, ...]:
    """Categories first, then tags, as their names, each once."""
    found: dict[str, list[str]] = {"category": [], "post_tag": []}
    for child in item:
        if _split(child.tag) == ("", "category") and child.get("domain") in found:
            name = " ".join((child.text or "").split())
            if name:
                found[child.get("domain", "")].append(name)
    return tuple(dict.fromkeys(found["category"] + found["post_tag"]))


def autop(html: str) -> str:
    """Paragraphs for classic-editor content, which WordPress stores without <p> tags and
    paragraphs only at display time (its `wpautop`)."""
    if _BLOCK_TAG.search(html):
        return html
    blocks = [b.strip() for b in re.split(r"\n\s*\n", html.replace("\r\n", "\n")) if b.strip()]
    return "".join(f"<p>{block.replace(chr(10), '<br />')}</p>\n" for block in blocks)


def _figure(match: re.Match[str]) -> str:
    """`[caption]<img/> text[/caption]` as a figure, so the caption is a line of its own."""
    inner = match["inner"]
    parts = _MEDIA_END.match(inner)
    if parts is None:
        return f"<p>{inner}</p>"
    return f"<figure>{parts['media']}<figcaption>{parts['text']}</figcaption></figure>"


def html_to_markdown(html: str) -> str:
    """A post body as Markdown: one paragraph per block, captions and images on lines of
    their own, links kept with their addresses."""
    html = _CAPTION.sub(_figure, autop(html))
    return markdownify(html, heading_style="ATX", bullets="-", autolinks=False, escape_misc=False,
                       strip=["iframe", "object", "embed", "form"])


def read_export(path: Path) -> Export:
    """Every item of a WordPress export: published posts as text, the rest passed over."""
    check_size(path, EXPORT_LIMIT, "WordPress exports",
               "export the posts a few years at a time: Tools > Export > Posts > date range")
    posts: list[Post] = []
    passed: list[PassedOver] = []
    root: ET.Element | None = None
    wordpress = False
    try:
        for event, element in SafeET.iterparse(str(path), events=("start", "end")):
            if root is None:
                root = element
                if _split(element.tag)[1] != "rss":
                    raise PageError(f"is not a WordPress export: it is XML whose root is "
                                    f"<{_split(element.tag)[1]}>, not <rss>")
            if event == "start":
                wordpress = wordpress or _split(element.tag)[0].startswith(_WP)
                continue
            if _split(element.tag) == ("", "item"):
                _item(element, posts, passed)
                element.clear()
    except defusedxml.EntitiesForbidden:
        raise PageError("declares XML entities, which a WordPress export never does; refused "
                        "(they can expand without end or read other files)") from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden):
        raise PageError("refers to an external document; refused (nothing is fetched)") from None
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise PageError(f"is not well-formed XML ({reason} at line {line}, column {column + 1}):"
                        " is it a complete WordPress export?") from None
    except OSError as exc:
        raise PageError(f"cannot read it: {exc.strerror or exc}") from None
    if root is None:
        raise PageError("is empty")
    if not wordpress:
        raise PageError("is an RSS feed, not a WordPress export: export it from Tools > Export "
                        "in WordPress")
    return Export(tuple(posts), tuple(passed))


def _item(item: ET.Element, posts: list[Post], passed: list[PassedOver]) -> None:
    title = " ".join(_field(item, "", "title").split())
    post_id = _field(item, _WP, "post_id")
    kind = _field(item, _WP, "post_type") or "post"
    status = _field(item, _WP, "status") or "publish"
    if kind != "post":
        passed.append(PassedOver(title, kind, post_id))
        return
    if status != "publish":
        passed.append(PassedOver(title, f"{status} post", post_id))
        return
    body = html_to_markdown(_field(item, _CONTENT, "encoded"))
    comments = sum(1 for child in item if _split(child.tag)[1] == "comment"
                   and _split(child.tag)[0].startswith(_WP))
    posts.append(Post(title=title, text=f"{title}\n\n{body}", link=_field(item, "", "link") or None,
                      published=_published(item), tags=_tags(item), post_id=post_id,
                      comments=comments))
