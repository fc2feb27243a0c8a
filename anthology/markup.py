"""Markdown to a safe XHTML fragment, and typography for plain strings.

The fragment goes into EPUB documents (strict XHTML) and the print HTML alike, so it is parsed
and re-serialised: raw HTML that could run code or fetch from outside the project is reported
and removed, and every image must be a real file inside the project with alt text.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import markdown
from lxml import etree
from PIL import Image, UnidentifiedImageError

from anthology.problems import Problems

SMARTY = {
    "substitutions": {
        "left-single-quote": "\u2018",
        "right-single-quote": "\u2019",
        "left-double-quote": "\u201c",
        "right-double-quote": "\u201d",
        "left-angle-quote": "\u00ab",
        "right-angle-quote": "\u00bb",
        "ellipsis": "\u2026",
        "ndash": "\u2013",
        "mdash": "\u2014",
    }
}

ALLOWED_TAGS = frozenset(
    "p em strong i b a blockquote ul ol li br hr img code pre sup sub span cite q abbr small s "
    "del ins h2 h3 h4 h5 h6 table thead tbody tfoot tr th td caption dl dt dd figure figcaption"
    .split()
)
ALLOWED_ATTRIBUTES = frozenset("class title lang alt src href colspan rowspan start dir".split())
IMAGE_TYPES = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg"),
               "GIF": ("image/gif", "gif")}
_LINK_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Asset:
    """A file the book carries, named by its content so names are stable and never collide."""

    source: Path
    name: str
    media_type: str
    width: int
    height: int


@dataclass(frozen=True)
class Fragment:
    xhtml: str
    assets: tuple[Asset, ...]


def _converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["smarty", "sane_lists"],
        extension_configs={"smarty": SMARTY},
        output_format="xhtml",
    )


_BLOCK_MD = _converter()
_INLINE_MD = _converter()
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")


# Only these characters can change under typography; most names and dates have none.
_TYPOGRAPHIC = re.compile(r"""['"]|--|\.\.\.|<<|>>""")


@functools.lru_cache(maxsize=8192)
def smarten(text: str) -> str:
    """Curly quotes, dashes and ellipses for a plain string (a title, a fact, a song)."""
    flat = " ".join(text.split())
    if not _TYPOGRAPHIC.search(flat):
        return flat
    escaped = _MD_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))
    escaped = re.sub(r"^(\d+)\.", r"\1\\.", escaped)
    escaped = re.sub(r"^([-=])", r"\\\1", escaped)
    _INLINE_MD.reset()
    out = _INLINE_MD.convert(escaped)
    out = out.removeprefix("<p>").removesuffix("</p>")
    return html.unescape(out)


class _Cleaner:
    """Walks one converted fragment, fixing what it can and reporting what it must remove."""

    def __init__(self, source: str, path: Path, first_line: int, root: Path,
                 problems: Problems) -> None:
        self.source, self.path, self.first_line = source, path, first_line
        self.root, self.problems = root, problems
        self.assets: list[Asset] = []
        self.cursor = 0

    def locate(self, needle: str) -> int:
        """The line of `needle`, searching on from the last element: elements come in source
        order, so a repeated image name is found at the right place."""
        index = self.source.find(needle, self.cursor)
        if index < 0:
            index = self.source.find(needle)
        if index < 0:
            return self.first_line
        self.cursor = index + len(needle)
        return self.first_line + self.source.count("\n", 0, index)

    def error(self, needle: str | int, message: str) -> None:
        line = needle if isinstance(needle, int) else self.locate(needle)
        self.problems.error(self.path, line, message)

    def clean(self, container: lxml.html.HtmlElement) -> None:
        dropped: set[lxml.html.HtmlElement] = set()
        for element in list(container.iter()):
            if element is container or any(a in dropped for a in element.iterancestors()):
                continue
            if not isinstance(element.tag, str):  # comments, processing instructions
                dropped.add(element)
                element.drop_tree()
                continue
            tag = element.tag.lower()
            if tag == "h1":
                element.tag = tag = "h2"
            if tag not in ALLOWED_TAGS:
                self.error(f"<{element.tag}", f"raw HTML <{tag}> is not allowed in a review")
                dropped.add(element)
                element.drop_tree()
                continue
            for name in list(element.attrib):
                if name not in ALLOWED_ATTRIBUTES:
                    if name.startswith("on"):
                        self.error(name, f"script attribute '{name}' is not allowed")
                    del element.attrib[name]
            if tag == "a":
                self.link(element)
            elif tag == "img":
                self.image(element)
        for heading in container.iter("h2", "h3", "h4", "h5"):
            # The chapter owns h1 and its parts h2: essay headings sit below them.
            heading.tag = f"h{min(6, int(heading.tag[1]) + 1)}"

    def link(self, element: lxml.html.HtmlElement) -> None:
        href = element.get("href", "")
        line = self.locate(href)
        scheme = urlsplit(href).scheme.lower()
        if href.startswith("#") or scheme in _LINK_SCHEMES:
            return
        if scheme:
            self.error(line, f"link '{href}' uses '{scheme}:', which a book cannot open")
        else:
            self.error(line, f"link '{href}' points to a file: link other reviews through "
                             "'related', and the web with https:// addresses")
        element.drop_tag()

    def image(self, element: lxml.html.HtmlElement) -> None:
        src = element.get("src", "")
        line = self.locate(f"]({src}")
        alt = (element.get("alt") or "").strip()
        if not alt:
            self.error(line, f"image '{src}' needs alt text: ![what it shows]({src})")
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            self.error(line, f"image '{src}' is not a file in the project: remote images are "
                            "never fetched; save it beside the review")
            element.drop_tree()
            return
        target = (self.path.parent / unquote(parts.path)).resolve()
        try:
            target.relative_to(self.root.resolve())
        except ValueError:
            self.error(line, f"image '{src}' is outside the project")
            element.drop_tree()
            return
        asset = load_asset(target)
        if asset is None:
            self.error(line, f"image '{src}' does not exist or is not a PNG, JPEG or GIF file")
            element.drop_tree()
            return
        self.assets.append(asset)
        element.set("src", f"images/{asset.name}")
        element.set("alt", alt)


def load_asset(path: Path) -> Asset | None:
    """Read an image once to learn its real type and size (the file name may lie)."""
    try:
        data = path.read_bytes()
        with Image.open(path) as image:
            kind, size = image.format, image.size
    except (OSError, UnidentifiedImageError):
        return None
    if kind not in IMAGE_TYPES:
        return None
    media_type, extension = IMAGE_TYPES[kind]
    name = f"{hashlib.sha256(data).hexdigest()[:16]}.{extension}"
    return Asset(path, name, media_type, *size)


def _serialise(container: lxml.html.HtmlElement) -> str:
    text = etree.tostring(container, method="xml", encoding="unicode")
    return text.removeprefix("<div>").removesuffix("</div>") if text != "<div/>" else ""


def render_markdown(source: str, path: Path, first_line: int, root: Path,
                    problems: Problems) -> Fragment:
    """Convert Markdown to a clean XHTML fragment; report problems at their source lines."""
    _BLOCK_MD.reset()
    converted = _BLOCK_MD.convert(source)
    if not converted.strip():
        return Fragment("", ())
    container = lxml.html.fragment_fromstring(converted, create_parent="div")
    cleaner = _Cleaner(source, path, first_line, root, problems)
    cleaner.clean(container)
    return Fragment(_serialise(container), tuple(cleaner.assets))
