"""Which elements and attributes review text may carry into a book, and what values they may
have: one policy that the Markdown cleaner reports against, line by line, and that nh3 (a
maintained HTML sanitiser) then enforces on the cleaned fragment as a backstop.

The backstop validates: when nh3 would keep the fragment as it is, our own serialisation is
kept byte for byte; when it would change anything, that is reported, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

import lxml.html
import nh3
from lxml import etree

from anthology.workspace.models import check_language

SPAN = 100  # colspan and rowspan: a wider table is not a table a page or a screen can show
LIST_START = 1_000_000  # <ol start>: a list numbered past a million is a mistake
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# What an author may write on each element ("*": on any of them).
AUTHOR_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "title", "lang", "dir"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan"}),
}
# What conversion itself adds: note ids and roles, resolved cross-references.
GENERATED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"role", "data-ref", "data-line"}),
    "sup": frozenset({"id"}),
    "li": frozenset({"id"}),
    "section": frozenset({"role", "aria-label"}),
}
AUTHOR_TAGS = frozenset(
    "p em strong i b a blockquote ul ol li br hr img code pre sup sub span cite q abbr small s "
    "del ins h2 h3 h4 h5 h6 table thead tbody tfoot tr th td caption dl dt dd figure figcaption"
    .split()
)
TAGS = AUTHOR_TAGS | {"section"}
ANY_ELEMENT = frozenset().union(*AUTHOR_ATTRIBUTES.values())

_INTEGER = re.compile(r"^-?[0-9]+$")
DIRECTIONS = ("ltr", "rtl", "auto")
_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_IMAGE = re.compile(r"^images/[0-9a-f]{16}\.(png|jpg|gif)$")
_ROLES = {"a": {"doc-noteref", "doc-backlink"}, "section": {"doc-endnotes"}}


def split_url(url: str) -> SplitResult | None:
    """The parts of an address, or None for one no reader could parse ('http://[')."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def allowed(tag: str, name: str, generated: bool = False) -> bool:
    tables = (AUTHOR_ATTRIBUTES, GENERATED_ATTRIBUTES) if generated else (AUTHOR_ATTRIBUTES,)
    return any(name in table.get(key, ()) for table in tables for key in ("*", tag))


def element_for(name: str) -> str:
    """The element an attribute belongs on, for a message: 'href' -> '<a>'."""
    owners = [tag for tag, names in AUTHOR_ATTRIBUTES.items() if tag != "*" and name in names]
    return " or ".join(f"<{tag}>" for tag in owners)


def _integer(value: str, low: int, high: int, what: str) -> str | None:
    if not _INTEGER.match(value) or len(value) > 12 or not low <= int(value) <= high:
        return f"{what} must be a whole number from {low:,} to {high:,}"
    return None


def value_problem(tag: str, name: str, value: str) -> str | None:
    """Why `value` cannot stand in `name` of `tag` in an EPUB, or None when it can. URLs are
    judged by the link and image rules, which know more (see markup)."""
    if name == "dir" and value not in DIRECTIONS:
        return "not a direction: write ltr, rtl or auto"
    if name == "lang" and value:
        try:
            check_language(value)
        except ValueError:
            return "not a language tag such as 'en' or 'en-GB'"
    if name == "start":
        return _integer(value, -LIST_START, LIST_START, "a list's start")
    if name in ("colspan", "rowspan"):
        return _integer(value, int(name == "colspan"), SPAN, f"a cell's {name}")
    return None


def _backstop_value(tag: str, name: str, value: str) -> str | None:
    """nh3's attribute filter: the value kept as it is, or None to have it removed."""
    if value_problem(tag, name, value) is not None:
        return None
    if name == "href":
        parts = split_url(value)
        ok = value.startswith("#") or (parts is not None
                                       and parts.scheme.lower() in LINK_SCHEMES)
    elif name == "src":
        ok = bool(_IMAGE.match(value))
    elif name == "id":
        ok = bool(_ID.match(value))
    elif name == "role":
        ok = value in _ROLES.get(tag, ())
    elif name == "data-line":
        ok = value.isdigit()
    else:
        ok = True
    return value if ok else None


_BACKSTOP = {tag: set(AUTHOR_ATTRIBUTES.get(tag, set()) | GENERATED_ATTRIBUTES.get(tag, set()))
             for tag in {*AUTHOR_ATTRIBUTES, *GENERATED_ATTRIBUTES}}


@dataclass(frozen=True)
class Change:
    """What the sanitiser would change: the element (as written) and what it lost."""

    tag: str
    message: str


def _elements(container: etree._Element) -> Iterator[etree._Element]:
    # An HTML5 parser may add a <tbody> a table lacked; that is no change of meaning.
    return (e for e in container.iter() if isinstance(e.tag, str) and e.tag != "tbody")


def backstop(container: lxml.html.HtmlElement) -> tuple[Change | None, str]:
    """Run nh3 over the cleaned fragment. (None, '') when it keeps everything; otherwise the
    first change it makes and its sanitised XHTML, to use instead."""
    html = etree.tostring(container, method="html", encoding="unicode")
    cleaned = nh3.clean(html, tags=set(TAGS), attributes=_BACKSTOP,
                        attribute_filter=_backstop_value, url_schemes=set(LINK_SCHEMES),
                        link_rel=None, strip_comments=True)
    result = lxml.html.fragment_fromstring(cleaned or "", create_parent="div")
    before, after = list(_elements(container))[1:], list(_elements(result))[1:]
    for old, new in zip(before, after, strict=False):
        if old.tag != new.tag:
            return Change(old.tag, f"<{old.tag}> is not allowed here"), _xhtml(result)
        lost = sorted(set(old.attrib) - set(new.attrib))
        if lost or dict(old.attrib) != dict(new.attrib):
            name = lost[0] if lost else next(n for n in old.attrib if old.get(n) != new.get(n))
            return (Change(old.tag, f"attribute '{name}' of <{old.tag}> cannot be carried "
                                    "into an EPUB"), _xhtml(result))
    if len(before) != len(after):
        extra = before[len(after)] if len(before) > len(after) else after[len(before)]
        return Change(extra.tag, f"<{extra.tag}> is not allowed here"), _xhtml(result)
    if "".join(container.itertext()) != "".join(result.itertext()):
        return Change("p", "the text holds markup a book cannot carry"), _xhtml(result)
    return None, ""


def _xhtml(container: etree._Element) -> str:
    text = etree.tostring(container, method="xml", encoding="unicode")
    return text.removeprefix("<div>").removesuffix("</div>") if text != "<div/>" else ""
