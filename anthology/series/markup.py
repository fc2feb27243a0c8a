"""Markdown to a safe XHTML fragment, and typography for plain strings.

The fragment goes into EPUB documents (strict XHTML) and the print HTML alike, so it is parsed
and re-serialised: raw HTML that could run code or fetch from outside the project is reported
and removed, and every image must be a real file inside the project with alt text.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import lxml.html
import markdown
from lxml import etree
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from anthology.series import sanitise
from anthology.series.assets import Asset, load_asset
from anthology.series.typeset import typeset
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
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+|])")  # "!" alone is no syntax once "[" is escaped


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
            if tag not in sanitise.AUTHOR_TAGS:
                self.error(f"<{element.tag}", f"raw HTML <{tag}> is not allowed in a review")
                dropped.add(element)
                element.drop_tree()
                continue
            for name in list(element.attrib):
                if not sanitise.allowed(tag, name):
                    self.attribute(element, tag, name)
                elif problem := sanitise.value_problem(tag, name, element.get(name)):
                    shown = element.get(name)[:40]
                    self.error(self.attribute_line(name), f"<{tag} {name}=\"{shown}\">: "
                                                          f"{problem}")
                    element.attrib.pop(name)
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
        elif name in ("href", "src"):
            self.error(self.attribute_line(name), f"attribute '{name}' of <{tag}> is not "
                       f"allowed: only {sanitise.element_for(name)} carries an address")
        elif re.search(rf"\b{re.escape(name)}\s*=", self.source, re.IGNORECASE):
            self.problems.warning(self.path, self.attribute_line(name), f"attribute '{name}' "
                                  f"of <{tag}> is not carried into the book: it was left out")

    def attribute_line(self, name: str) -> int:
        """The line of the next `name=` in the source: the attribute as the author wrote it."""
        written = re.compile(rf"\b{re.escape(name)}\s*=", re.IGNORECASE)
        found = written.search(self.source, self.cursor) or written.search(self.source)
        if found is None:
            return self.first_line
        self.cursor = found.end()
        return self.first_line + self.source.count("\n", 0, found.start())

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
        parts = sanitise.split_url(href)
        if parts is None:
            self.error(line, f"link '{href}' is not an address a reader can open")
            element.drop_tag()
            return
        scheme = parts.scheme.lower()
        if scheme in sanitise.LINK_SCHEMES:
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
        parts = sanitise.split_url(src)
        if parts is None or parts.scheme or parts.netloc:
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
    change, sanitised = sanitise.backstop(container)
    if change is not None:
        cleaner.error(f"<{change.tag}", change.message)
        return Fragment(sanitised, tuple(cleaner.assets))
    return Fragment(_serialise(container), tuple(cleaner.assets))
