"""Render a finished `Book` through the theme's templates.

For the EPUB: one XHTML document per part (cover, title page, ... one per chapter). For the
PDF: the whole volume as one HTML document. Both use the same partial templates, so a theme
override changes both editions alike.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import isbnlib
import jinja2
import lxml.html
from lxml import etree

from anthology.render.budget import SandboxLimit
from anthology.render.sandbox import guarded
from anthology.render.templates import render_template, shown_template
from anthology.render.values import fact_value, long_date
from anthology.render.xrefs import epub_references, print_references
from anthology.series.book import Appendix, Book, Chapter, FactLine, Matter
from anthology.series.pagemap import EPUB_NS, PageMap, insert_markers, number_blocks, roman
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme, ThemeError

EPUB_STYLESHEETS = ("book.css", "epub.css")
FONT_STYLESHEET = "epub-fonts.css"
PRINT_STYLESHEETS = ("fonts.css", "book.css", "print.css")
COVER_IMAGE = "cover.jpg"


@dataclass(frozen=True)
class FactGroup:
    """A labelled fact with the unlabelled notes that follow it (or leading notes alone)."""

    label: str | None
    key: str | None
    values: tuple[str, ...]
    anchor: str | None = None


def fact_groups(facts: Iterable[FactLine], language: str | None = None) -> list[FactGroup]:
    """The facts grouped, each value as printed (anthology.render.values): dates in the order
    of `language`, the book's; works' titles in italics."""
    groups: list[FactGroup] = []
    for fact in facts:
        value = fact_value(fact.value, fact.label, fact.key, language)
        if fact.label is None and groups and groups[-1].label is not None:
            last = groups[-1]
            groups[-1] = FactGroup(last.label, last.key, (*last.values, value), last.anchor)
        else:
            groups.append(FactGroup(fact.label, fact.key, (value,), fact.anchor))
    return groups


OPENING_MAX_WORDS = 8
# A phrase ends at punctuation; failing that, before a word that starts a new one.
_PHRASE_END = re.compile(r"[,;:.!?\u2013\u2014\u2026)\]\u201d]$")
_PHRASE_START = frozenset(
    "and but or nor for so yet as at by from in into of on to with without when where while "
    "which who that because after before until since though although if than".split())


def _opening_words(text: str) -> list[str]:
    return re.split(r"(\s+)", text)


def opening(xhtml: str) -> str:
    """Wrap the essay's opening words in <span class="opening">, for the chapter's opening
    treatment (small capitals in the default theme), up to a natural point: the end of the
    first phrase, or before a word that starts another, within eight words. Inline markup
    among them (a title in italics) is taken in whole, never split."""
    if not xhtml.startswith("<p"):
        return xhtml
    root = etree.fromstring(f"<div>{xhtml}</div>")
    paragraph = root[0]
    if not "".join(paragraph.itertext()).strip():
        return xhtml
    span = etree.Element("span", {"class": "opening"})
    count = 0

    def cut(text: str | None) -> tuple[str, str | None]:
        """Take words from `text` until the opening ends; return (taken, rest or None)."""
        nonlocal count
        tokens = _opening_words(text or "")
        for index, token in enumerate(tokens):
            if not token or token.isspace():
                continue
            bare = token.lower().strip("\u201c\u2018\"'(")
            if count >= 3 and bare in _PHRASE_START:
                return "".join(tokens[:index]).rstrip(), "".join(tokens[index - 1:])
            count += 1
            if (count >= 2 and _PHRASE_END.search(token)) or count >= OPENING_MAX_WORDS:
                return "".join(tokens[: index + 1]), "".join(tokens[index + 1:])
        return text or "", None

    taken, rest = cut(paragraph.text)
    span.text, paragraph.text = taken, None
    moved = 0
    while rest is None and moved < len(paragraph):
        child = paragraph[moved]
        count += len(" ".join(child.itertext()).split())
        tail, child.tail = child.tail, None
        span.append(child)  # moves it out of the paragraph
        if count >= OPENING_MAX_WORDS or _PHRASE_END.search("".join(child.itertext())):
            rest = tail or ""
            break
        taken, rest = cut(tail)
        child.tail = taken
    span.tail = rest
    paragraph.insert(0, span)
    text = etree.tostring(root, encoding="unicode")
    return text.removeprefix("<div>").removesuffix("</div>")


def isbn(value: str) -> str:
    """An ISBN hyphenated by the registration-group ranges, as printed on a copyright page."""
    return isbnlib.mask(value) or value


@dataclass(frozen=True)
class ContentsEntry:
    kind: str
    title: str
    target: str
    children: tuple[ContentsEntry, ...] = ()  # a chapter's guest essays


@dataclass(frozen=True)
class Landmark:
    type: str
    title: str
    href: str


@dataclass(frozen=True)
class Document:
    """One XHTML document of the EPUB, in spine order."""

    id: str
    name: str
    kind: str
    title: str
    xhtml: str
    linear: bool = True


def contents(book: Book) -> list[ContentsEntry]:
    entries = []
    if book.foreword:
        entries.append(ContentsEntry("foreword", book.foreword.title, "foreword"))
    if book.score_key:
        entries.append(ContentsEntry("score-key", book.score_key.title, "score-key"))
    entries += [ContentsEntry("chapter", c.heading, c.id, tuple(
        ContentsEntry("guest", f"Guest essay by {g.byline}", f"{c.id}#{c.id}--guest-{n}")
        for n, g in enumerate(c.guests, start=1))) for c in book.chapters]
    if book.afterword:
        entries.append(ContentsEntry("afterword", book.afterword.title, "afterword"))
    entries += [ContentsEntry(a.kind, a.title, a.id) for a in book.appendices]
    return entries


MAX_ROMAN = 10_000  # a template's roman numerals: a folio or a volume number, not 10**12 Ms


def _roman(number: int) -> str:
    if not 0 <= number <= MAX_ROMAN:
        raise SandboxLimit(f"roman numerals for {number:,}: a template writes them from 0 "
                           f"to {MAX_ROMAN:,}")
    return roman(number)


def environment(theme: Theme, href: Callable[[str], str]) -> jinja2.Environment:
    """The theme's sandbox with anthology's filters, each counted against the budget."""
    env = theme.environment()
    mine = {"fact_groups": fact_groups, "roman": _roman, "long_date": long_date,
            "isbn": isbn, "href": href, "opening": opening}
    env.filters.update({name: guarded(name, function) for name, function in mine.items()})
    return env


def epub_href(target: str) -> str:
    """A part ("ch-x"), or a place in one ("ch-x#ch-x--guest-1"), as an EPUB link."""
    document, _, fragment = target.partition("#")
    return f"{document}.xhtml" + (f"#{fragment}" if fragment else "")


def _print_href(target: str) -> str:
    """The same target inside the single print document."""
    return f"#{target.rpartition('#')[2]}"


@functools.lru_cache(maxsize=16)
def edition_environment(theme: Theme, edition: str) -> jinja2.Environment:
    """One environment per theme and edition, so templates compile once per run (a pieced
    build renders a volume a hundred times)."""
    return environment(theme, _print_href if edition == "print" else epub_href)


XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class PrintDocument:
    """The print edition as one HTML document, and its block ids in reading order."""

    html: str
    blocks: tuple[str, ...]
    body_first: str | None
    wants: frozenset[str] = frozenset()  # the page keys its references and locators look up


def _part(root: etree._Element) -> etree._Element | None:
    """The one top-level part (section or nav with an id) of an EPUB document's body."""
    body = root.find(f"{{{XHTML_NS}}}body")
    return next((child for child in body if child.get("id")), None) if body is not None else None


def _page_list(toc: etree._Element, entries: list[tuple[str, str]]) -> None:
    nav = etree.SubElement(toc.find(f"{{{XHTML_NS}}}body"), f"{{{XHTML_NS}}}nav", {
        f"{{{EPUB_NS}}}type": "page-list", "id": "page-list", "hidden": "hidden",
        "aria-label": "Page list"})
    items = etree.SubElement(nav, f"{{{XHTML_NS}}}ol")
    for name, label in entries:
        item = etree.SubElement(items, f"{{{XHTML_NS}}}li")
        link = etree.SubElement(item, f"{{{XHTML_NS}}}a", {"href": f"{name}#page-{label}"})
        link.text = label


def _finish(docs: list[Document], pages: PageMap | None, env: jinja2.Environment,
            book: Book) -> list[Document]:
    """Number the blocks of every part; with a print page map, mark where its pages begin."""
    trees = {doc.name: _parse(doc, env) for doc in docs}
    labels = {a: pages.labels[i] for a, i in pages.anchors.items()} if pages else {}
    references = book.references
    for tree in trees.values():
        epub_references(tree, references, labels, epub_href)
    markers = pages.markers() if pages else {}
    entries: list[tuple[str, str]] = []
    for doc in docs:
        part = _part(trees[doc.name])
        if part is None:
            continue
        number_blocks(part)
        entries += [(doc.name, label) for label in insert_markers(part, markers)]
    if pages is not None:
        _page_list(trees["toc.xhtml"], entries)
    return [Document(doc.id, doc.name, doc.kind, doc.title, _xhtml(trees[doc.name]), doc.linear)
            for doc in docs]


PART_TEMPLATES = {"cover": "cover.xhtml", "titlepage": "titlepage.xhtml",
                  "copyright": "copyright.xhtml", "toc": "contents.xhtml",
                  "chapter": "chapter.xhtml", "appendix": "appendix.xhtml"}


def _parse(doc: Document, env: jinja2.Environment) -> etree._Element:
    try:
        return etree.fromstring(doc.xhtml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        # The part's template, or the document around it, wrote markup XML cannot read.
        part = PART_TEMPLATES.get(doc.kind, "matter.xhtml")
        filename = env.get_template(part).filename
        raise ThemeError(f"template error: the {part} template makes XHTML that is not "
                         f"well-formed in '{doc.name}' ({exc.msg}); an EPUB needs strict XML",
                         shown_template(filename)) from None


def _xhtml(root: etree._Element) -> str:
    body = etree.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def render_epub_documents(book: Book, theme: Theme, stylesheets: list[str],
                          pages: PageMap | None = None) -> list[Document]:
    """Every XHTML document of the EPUB, in reading order, with the print edition's page
    breaks marked when its page map is given."""
    env = edition_environment(theme, "epub")
    base = {"book": book, "edition": "epub", "stylesheets": stylesheets, "contents": contents(book),
            "cover_name": COVER_IMAGE, "landmarks": landmarks(book)}

    def document(kind: str, doc_id: str, title: str, part: str, linear: bool = True,
                 **extra: object) -> Document:
        xhtml = render_template(env, "epub-document.xhtml", kind=kind, title=title, part=part,
                        **base, **extra)
        return Document(doc_id, f"{doc_id}.xhtml", kind, title, xhtml, linear)

    def matter(item: Matter | None) -> list[Document]:
        if item is None:
            return []
        return [document(item.kind, item.kind, item.title, "matter.xhtml", matter=item)]

    docs = [
        document("cover", "cover", "Cover", "cover.xhtml"),
        document("titlepage", "titlepage", book.title, "titlepage.xhtml"),
        document("copyright", "copyright", "Copyright", "copyright.xhtml"),
        *matter(book.dedication),
        document("toc", "toc", "Contents", "contents.xhtml"),
        *matter(book.foreword),
        *matter(book.score_key),
    ]
    docs += [document("chapter", c.id, c.heading, "chapter.xhtml", chapter=c)
             for c in book.chapters]
    docs += matter(book.afterword)
    docs += [document("appendix", a.id, a.title, "appendix.xhtml", appendix=a)
             for a in book.appendices]
    return _finish(docs, pages, env, book)


def landmarks(book: Book) -> list[Landmark]:
    # The body starts at the first chapter: a foreword is front matter.
    first = book.chapters[0].id if book.chapters else "toc"
    return [
        Landmark("cover", "Cover", "cover.xhtml"),
        Landmark("titlepage", "Title Page", "titlepage.xhtml"),
        Landmark("toc", "Contents", "toc.xhtml"),
        Landmark("bodymatter", "Start of Content", f"{first}.xhtml"),
        *(Landmark("index", a.title, f"{a.id}.xhtml") for a in book.appendices
          if a.kind == "index"),
    ]


def render_print_html(book: Book, theme: Theme, *, front: bool = True,
                      chapters: tuple[Chapter, ...] | None = None, afterword: bool = True,
                      appendices: tuple[Appendix, ...] | None = None,
                      page_refs: Mapping[str, str] | None = None) -> PrintDocument:
    """The volume as one HTML document for the PDF, its blocks numbered as in the EPUB: the
    whole book, or only some of its parts (a piece of a pieced build). A piece cannot resolve
    page references to other pieces itself, so `page_refs` gives internal links their target's
    page label as `data-page`."""
    env = edition_environment(theme, "print")
    html = render_template(env, "print-book.html", book=book, edition="print",
                           contents=contents(book), front=front,
                           chapters=book.chapters if chapters is None else chapters,
                           afterword=afterword and book.afterword is not None,
                           appendices=book.appendices if appendices is None else appendices)
    root = lxml.html.document_fromstring(html)
    blocks: list[str] = []
    for part in root.xpath("//body/div/*[@id]"):
        blocks += number_blocks(part)
    wants = print_references(root, book, page_refs or {})
    wants.update(link.get("href")[1:] for link in root.xpath("//a[starts-with(@href, '#')]"))
    for link in root.xpath("//a[starts-with(@href, '#')]") if page_refs is not None else ():
        label = page_refs.get(link.get("href")[1:])
        if label is not None:
            link.set("data-page", label)
    first = book.chapters[0].id if book.chapters else None
    text = lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return PrintDocument(text, tuple(blocks), first, frozenset(wants))


def trial_render(book: Book, theme: Theme, problems: Problems) -> None:
    """Render both editions' documents without laying anything out, so `anthology check`
    finds what a theme would break in `anthology build` (a template that fails as it renders,
    XHTML that is not well-formed), at the template's file and line."""
    try:
        render_epub_documents(book, theme, [])
        render_print_html(book, theme)
    except ThemeError as exc:
        problems.error(exc.path or theme.dirs[0], exc.line, exc.message)
