"""Markdown to a safe XHTML fragment, and typography for plain strings.

The fragment goes into EPUB documents (strict XHTML) and the print HTML alike, so it is parsed
and re-serialised: raw HTML that could run code or fetch from outside the project is reported
and removed, and every image must be a real file inside the project with alt text.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import lxml.html
import markdown
from lxml import etree
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString
from PIL import Image, ImageFile, UnidentifiedImageError

from anthology.workspace import files
from anthology.workspace.problems import Problems

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


FOOTNOTES = {"BACKLINK_TEXT": "\u2191", "BACKLINK_TITLE": "Back to note %d in the text"}


REFERENCE = re.compile(r"\[\[([^\[\]|\n]{1,300})(?:\|([^\[\]\n]{1,300}))?\]\]")
REFERENCE_SCHEME = "ref:"


class _Reference(InlineProcessor):
    """`[[Title]]` or `[[Title|words]]`: a reference to another review, carried as a link to
    `ref:Title` until the series resolves it (anthology.series.references)."""

    def handleMatch(self, m: re.Match[str], data: str):
        element = ElementTree.Element("a", {"href": REFERENCE_SCHEME + m[1].strip()})
        if m[2] is not None:
            element.text = m[2].strip()
        else:
            element.set("class", "xref-title")
            element.text = AtomicString(m[1].strip())
        return element, m.start(0), m.end(0)


class _References(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Before links (160), so "[[x]]" is never read as a link reference.
        md.inlinePatterns.register(_Reference(REFERENCE.pattern, md), "anthology-ref", 175)


def _converter(*extensions: str | Extension) -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["smarty", "sane_lists", *extensions],
        extension_configs={"smarty": SMARTY, "footnotes": FOOTNOTES},
        output_format="xhtml",
    )


_BLOCK_MD = _converter("tables", "footnotes", _References())
_INLINE_MD = _converter()
_NOTE_ID = re.compile(r"^fn(ref\d*)?:(.+)$")  # Python-Markdown's fn:LABEL, fnref:LABEL
_ALIGN = re.compile(r"^\s*text-align:\s*(left|right|center);?\s*$")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*?(/?)>")
_VOID = frozenset("br hr img wbr col area base input link meta source track embed param".split())
_QUOTES = re.compile(r"^[ \t>]*")
HTML_DEPTH = 64
_CHARACTER_REFERENCE = re.compile(r"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")
_DECLARATION = re.compile(r"<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST)\b|<\?[a-zA-Z]+", re.IGNORECASE)
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
                 problems: Problems, prefix: str) -> None:
        self.source, self.path, self.first_line = source, path, first_line
        self.root, self.problems, self.prefix = root, problems, prefix
        self.assets: list[Asset] = []
        self.cursor = 0
        self.generated: set[lxml.html.HtmlElement] = set()
        self.ids: set[str] = set()

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

    def error(self, needle: str | int, message: str, code: str | None = None) -> None:
        line = needle if isinstance(needle, int) else self.locate(needle)
        self.problems.error(self.path, line, message, code)

    def footnotes(self, container: lxml.html.HtmlElement) -> None:
        """Footnotes as endnotes of their essay, with ids unique in the whole book (the
        print edition is one document) and the roles reading systems use for notes."""
        for element in container.iter("sup", "li"):
            match = _NOTE_ID.match(element.get("id", ""))
            if match is None or element.get("id") in self.ids:
                continue
            self.ids.add(element.get("id"))
            element.set("id", self.note_id(element.get("id")))
            for link in element.iterfind(".//a[@href]"):
                if _NOTE_ID.match(link.get("href").removeprefix("#")):
                    link.set("href", "#" + self.note_id(link.get("href")[1:]))
                    link.set("role", "doc-noteref" if match[1] else "doc-backlink")
                    self.generated.add(link)
            self.generated.add(element)
        for block in container.iter("div"):
            if block.get("class") == "footnote":
                block.tag = "section"
                block.attrib.update({"class": "footnotes", "role": "doc-endnotes",
                                     "aria-label": "Notes"})
                for rule in block.findall("hr"):
                    block.remove(rule)
                self.generated.add(block)

    def note_id(self, markdown_id: str) -> str:
        """`fn:my note` -> `ch-x--fn-my-note`: unique in the book, and a valid id."""
        kind, _, label = markdown_id.partition(":")
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", label).strip("-") or "note"
        return f"{self.prefix}--{kind}-{safe}"

    def clean(self, container: lxml.html.HtmlElement) -> None:
        dropped: set[lxml.html.HtmlElement] = set()
        self.footnotes(container)
        for element in list(container.iter()):
            if element is container or any(a in dropped for a in element.iterancestors()):
                continue
            if element in self.generated:
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
                    self.attribute(element, tag, name)
            if tag == "a":
                self.link(element)
            elif tag == "img":
                self.image(element)
        for heading in container.iter("h2", "h3", "h4", "h5"):
            # The chapter owns h1 and its parts h2: essay headings sit below them.
            heading.tag = f"h{min(6, int(heading.tag[1]) + 1)}"

    def attribute(self, element: lxml.html.HtmlElement, tag: str, name: str) -> None:
        """Drop an attribute the book cannot carry, saying so when the author wrote it (a
        table's column alignment, which Markdown writes as a style, becomes a class)."""
        value = element.attrib.pop(name)
        if name == "style" and tag in ("th", "td") and (align := _ALIGN.match(value)):
            element.set("class", f"align-{align[1]}")
        elif name.lower().startswith("on"):
            self.error(name, f"script attribute '{name}' is not allowed")
        elif re.search(rf"\b{re.escape(name)}\s*=", self.source, re.IGNORECASE):
            line = self.locate(f"{name}=") if f"{name}=" in self.source else self.first_line
            self.problems.warning(self.path, line, f"attribute '{name}' of <{tag}> is not "
                                  "carried into the book: it was left out")

    def link(self, element: lxml.html.HtmlElement) -> None:
        href = element.get("href", "")
        if href.startswith(REFERENCE_SCHEME):
            # Resolved with the series: which review, and where it is printed.
            target = href[len(REFERENCE_SCHEME):]
            element.attrib.pop("href")
            element.set("data-ref", target)
            element.set("data-line", str(self.locate("[[" + target)))
            self.generated.add(element)
            return
        line = self.locate(href)
        scheme = urlsplit(href).scheme.lower()
        if scheme in _LINK_SCHEMES:
            return
        if href.startswith("#"):
            self.error(line, f"link '{href}' points to no place in the book: link other "
                             "reviews through 'related'")
            element.drop_tag()
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
            self.error(line, f"image '{src}' needs alt text: ![what it shows]({src})",
                       "image-alt")
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            self.error(line, f"image '{src}' is not a file in the project: remote images are "
                            "never fetched; save it beside the review")
            element.drop_tree()
            return
        try:
            asset = load_asset(self.path.parent / unquote(parts.path), self.root)
        except files.Refused as exc:
            self.error(line, f"image '{src}' {exc}")
            element.drop_tree()
            return
        self.assets.append(asset)
        element.set("src", f"images/{asset.name}")
        element.set("alt", alt)


def load_asset(path: Path, root: Path) -> Asset:
    """Read an image inside `root` once, whole, to learn its real type and size (the file
    name may lie) and to refuse one that is truncated or would decode to too many pixels."""
    data = files.read_bytes(path, (root,), files.IMAGE_BYTES)
    limit = f"the limit is {files.IMAGE_PIXELS // 1_000_000} million pixels"
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, size = image.format, image.size
            if size[0] * size[1] > files.IMAGE_PIXELS:
                raise files.Refused(f"is {size[0]} x {size[1]} pixels; {limit}")
            if kind in IMAGE_TYPES:
                image.verify()  # checksums: a cut-short PNG can decode without a word
        if kind in IMAGE_TYPES:
            _load_whole(data)
    except files.Refused:
        raise
    except Image.DecompressionBombError:
        raise files.Refused(f"would decode to too many pixels; {limit}") from None
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as exc:
        truncated = any(word in str(exc).lower() for word in ("truncated", "broken", "crc"))
        raise files.Refused("is damaged or cut short" if truncated
                            else "is not a PNG, JPEG or GIF image") from None
    if kind not in IMAGE_TYPES:
        raise files.Refused("is not a PNG, JPEG or GIF image")
    media_type, extension = IMAGE_TYPES[kind]
    name = f"{hashlib.sha256(data).hexdigest()[:16]}.{extension}"
    return Asset(path.resolve(), name, media_type, *size)


def _load_whole(data: bytes) -> None:
    """Decode every pixel, failing on a file cut short: WeasyPrint, once imported, tells
    Pillow to accept truncated images for the whole process, so say otherwise here."""
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _serialise(container: lxml.html.HtmlElement) -> str:
    text = etree.tostring(container, method="xml", encoding="unicode")
    return text.removeprefix("<div>").removesuffix("</div>") if text != "<div/>" else ""


def _too_big(source: str) -> tuple[int, str] | None:
    """A paragraph, or nesting, beyond what the converter and the layout handle quickly and
    safely (deep nesting recurses; one huge paragraph lays out slowly). (offset, message)."""
    offset = 0
    for block in source.split("\n\n"):
        if len(block) > files.PARAGRAPH_CHARS:
            return offset, (f"paragraph is longer than {files.PARAGRAPH_CHARS:,} characters: "
                            "break it up")
        offset += len(block) + 2
    offset = 0
    for line in source.split("\n"):
        lead = _QUOTES.match(line).group()
        if lead.count(">") > files.NESTING or len(lead.expandtabs(4)) > 4 * files.NESTING:
            return offset, f"block quotes or lists nested more than {files.NESTING} deep"
        offset += len(line) + 1
    return None


def _html_depth(html_text: str) -> int:
    depth = deepest = 0
    for match in _TAG.finditer(html_text):
        closing, name, selfclosing = match.groups()
        if name.lower() in _VOID or selfclosing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def render_markdown(source: str, path: Path, first_line: int, root: Path,
                    problems: Problems, prefix: str = "text") -> Fragment:
    """Convert Markdown to a clean XHTML fragment; report problems at their source lines.
    `prefix` makes the fragment's own ids (its notes) unique in the book."""
    for match in _DECLARATION.finditer(source):
        problems.warning(path, first_line + source.count("\n", 0, match.start()),
                         f"'{match.group()}' is not carried into the book: declarations "
                         "and entities are never read")
    for match in _CHARACTER_REFERENCE.finditer(source):
        digits = match[1]
        code = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
        if code > 0x10FFFF or (code < 0x110000 and files.forbidden_characters(chr(code))):
            shown = files.describe(chr(code)) if code <= 0x10FFFF else "no character"
            problems.error(path, first_line + source.count("\n", 0, match.start()),
                           f"'{match[0]}' stands for {shown}, which cannot be printed or put "
                           "in an EPUB: delete it")
            return Fragment("", ())
    if (big := _too_big(source)) is not None:
        problems.error(path, first_line + source.count("\n", 0, big[0]), big[1])
        return Fragment("", ())
    _BLOCK_MD.reset()
    try:
        converted = _BLOCK_MD.convert(source)
    except RecursionError:
        problems.error(path, first_line, "the text is nested too deeply to convert")
        return Fragment("", ())
    if not converted.strip():
        return Fragment("", ())
    if _html_depth(converted) > HTML_DEPTH:
        problems.error(path, first_line, f"HTML nested more than {HTML_DEPTH} elements deep")
        return Fragment("", ())
    container = lxml.html.fragment_fromstring(converted, create_parent="div")
    cleaner = _Cleaner(source, path, first_line, root, problems, prefix)
    cleaner.clean(container)
    typeset(container)
    return Fragment(_serialise(container), tuple(cleaner.assets))


NBSP = "\u00a0"
_SPACED_DASH = re.compile(r" ([\u2013\u2014])")
RUNT = 7  # a paragraph's last word this short (with its punctuation) is kept with the one before


def typeset(container: lxml.html.HtmlElement) -> None:
    """Line-breaking care both editions share: a dash never begins a line (a no-break space
    before it), and a paragraph does not end in one short word alone on its last line."""
    for element in container.iter():
        if not isinstance(element.tag, str):
            continue
        if element.text:
            element.text = _SPACED_DASH.sub(NBSP + r"\1", element.text)
        if element.tail:
            element.tail = _SPACED_DASH.sub(NBSP + r"\1", element.tail)
    for paragraph in container.iter("p"):
        # Where text stands, in order: the paragraph's own, then after each element in it.
        slots = [(paragraph, "text")] + [(node, "tail") for node in paragraph.iterdescendants()
                                         if isinstance(node.tag, str)]
        after = 0
        for node, slot in reversed(slots):
            text = getattr(node, slot) or ""
            last = max(text.rfind(" "), text.rfind("\n"))
            if last < 0:
                after += len(text)
                if slot == "tail":
                    after += len("".join(node.itertext()))
                continue
            if after + len(text) - last - 1 <= RUNT:
                setattr(node, slot, text[:last] + NBSP + text[last + 1:])
            break
