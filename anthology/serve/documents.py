"""A volume's EPUB documents for the preview, rendered one at a time and memoised.

The preview shows what a reader will see: each document is the EPUB's own XHTML (the same
templates, the same block numbering, the same stylesheet names) with nothing of ours inside.
An edit to one review changes one `Chapter` value; every other chapter's document is found in
the memo by its (frozen, hashable) inputs and not rendered again. The Markdown of unchanged
sources is not converted again either (`MarkdownMemo`), which is most of resolving a book.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from lxml import etree

from anthology.epub.package import FONT_FILES, FONT_STYLESHEET
from anthology.render.documents import (
    COVER_IMAGE,
    EPUB_STYLESHEETS,
    XHTML_NS,
    ThemeError,
    contents,
    edition_environment,
    epub_href,
    landmarks,
    render_template,
)
from anthology.render.xrefs import epub_references
from anthology.series.book import Appendix, Book, Chapter
from anthology.series.markup import Fragment, render_markdown
from anthology.series.pagemap import number_blocks
from anthology.series.resolve import MarkdownRenderer
from anthology.workspace.problems import Problem, Problems
from anthology.workspace.theme import Theme

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """Values by their inputs. `sweep()` forgets what was not used since the last sweep, so the
    memo holds one workspace's worth, not every version ever typed. Used by one thread."""

    def __init__(self) -> None:
        self._kept: dict[K, V] = {}
        self._used: dict[K, V] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: K, make: Callable[[], V]) -> V:
        if key in self._used:
            self.hits += 1
            return self._used[key]
        if key in self._kept:
            self.hits += 1
            value = self._kept[key]
        else:
            self.misses += 1
            value = make()
        self._used[key] = value
        return value

    def sweep(self) -> None:
        if self._used:
            self._kept, self._used = self._used, {}


class MarkdownMemo:
    """`render_markdown`, memoised on its inputs, replaying the problems it reported. A source
    with an image is converted every time: its result depends on the image file as well.
    `convert` is what converts on a miss: the builds' stored conversions, so the preview of
    an archive a build has seen starts without converting it all again."""

    def __init__(self, convert: MarkdownRenderer = render_markdown) -> None:
        self.memo: Memo[tuple, tuple[Fragment, tuple[Problem, ...]]] = Memo()
        self.convert = convert

    def __call__(self, source: str, path: Path, first_line: int, root: Path,
                 problems: Problems, prefix: str = "text") -> Fragment:
        if "![" in source or "<img" in source.lower():
            return render_markdown(source, path, first_line, root, problems, prefix)

        def convert() -> tuple[Fragment, tuple[Problem, ...]]:
            found = Problems()
            fragment = self.convert(source, path, first_line, root, found, prefix)
            return fragment, tuple(found)

        fragment, found = self.memo.get((source, path, first_line, root, prefix), convert)
        problems.extend(found)
        return fragment


@dataclass(frozen=True)
class Stylesheet:
    """A stylesheet as the EPUB names it (css/00-book.css) and the theme file it comes from."""

    name: str
    path: Path


def epub_stylesheets(book: Book, theme: Theme) -> tuple[Stylesheet, ...]:
    """The stylesheets the EPUB carries, named as anthology.epub.package names them."""
    sheets = theme.stylesheets(*EPUB_STYLESHEETS)
    if book.embed_fonts:
        fonts = [theme.find("css", name) for name in ("fonts.css", FONT_STYLESHEET)]
        if None in fonts:
            raise ThemeError(f"the theme has no 'fonts.css' and '{FONT_STYLESHEET}' to embed "
                             "fonts")
        sheets = [*fonts, *sheets]  # type: ignore[list-item]
    return tuple(Stylesheet(f"css/{i:02d}-{path.name}", path) for i, path in enumerate(sheets))


def epub_fonts(book: Book, theme: Theme) -> dict[str, Path]:
    """The font files an EPUB that embeds fonts carries, by their name in the EPUB."""
    if not book.embed_fonts:
        return {}
    found = {}
    for name in FONT_FILES:
        path = theme.find("fonts", name)
        if path is None:
            raise ThemeError(f"the theme has no font file '{name}' to embed")
        found[f"fonts/{name}"] = path
    return found


@dataclass(frozen=True)
class DocumentSpec:
    """One EPUB document: what render_epub_documents would render, in spine order."""

    id: str
    kind: str
    title: str
    part: str
    chapter: Chapter | None = None
    matter: str | None = None  # the Book field holding the matter
    appendix: Appendix | None = None

    @property
    def name(self) -> str:
        return f"{self.id}.xhtml"


def document_specs(book: Book) -> list[DocumentSpec]:
    """The EPUB's documents in reading order (anthology.render.documents.render_epub_documents)."""
    def matter(field: str) -> list[DocumentSpec]:
        item = getattr(book, field)
        return [] if item is None else [DocumentSpec(item.kind, item.kind, item.title,
                                                     "matter.xhtml", matter=field)]
    return [
        DocumentSpec("cover", "cover", "Cover", "cover.xhtml"),
        DocumentSpec("titlepage", "titlepage", book.title, "titlepage.xhtml"),
        DocumentSpec("copyright", "copyright", "Copyright", "copyright.xhtml"),
        *matter("dedication"),
        DocumentSpec("toc", "toc", "Contents", "contents.xhtml"),
        *matter("foreword"),
        *matter("score_key"),
        *(DocumentSpec(c.id, "chapter", c.heading, "chapter.xhtml", chapter=c)
          for c in book.chapters),
        *matter("afterword"),
        *(DocumentSpec(a.id, "appendix", a.title, "appendix.xhtml", appendix=a)
          for a in book.appendices),
    ]


def book_head(book: Book) -> Book:
    """The book without its chapters and assets: what every document depends on."""
    return dataclasses.replace(book, chapters=(), assets=())


def render_document(book: Book, theme: Theme, stylesheets: list[str],
                    spec: DocumentSpec) -> str:
    """One EPUB document, as render_epub_documents renders it without a print page map."""
    env = edition_environment(theme, "epub")
    extra: dict[str, object] = {}
    if spec.chapter is not None:
        extra["chapter"] = spec.chapter
    if spec.matter is not None:
        extra["matter"] = getattr(book, spec.matter)
    if spec.appendix is not None:
        extra["appendix"] = spec.appendix
    xhtml = render_template(env, "epub-document.xhtml", kind=spec.kind, title=spec.title,
                            part=spec.part, book=book, edition="epub", stylesheets=stylesheets,
                            contents=contents(book), cover_name=COVER_IMAGE,
                            landmarks=landmarks(book), **extra)
    try:
        root = etree.fromstring(xhtml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise ThemeError(f"the EPUB document '{spec.name}' is not well-formed XHTML ({exc}): "
                         "check the theme's templates") from None
    body = root.find(f"{{{XHTML_NS}}}body")
    part = next((child for child in body if child.get("id")), None) \
        if body is not None else None
    if part is not None:
        number_blocks(part)
    chapter = spec.chapter
    references = {r.slug: r for r in (*chapter.related, *chapter.references)} if chapter else {}
    epub_references(root, references, {}, epub_href)
    text = etree.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{text}\n'


class DocumentMemo:
    """Each document memoised by what its template is given. A chapter's document: its
    `Chapter`, the book's own fields, the contents list, the stylesheets and the theme. The
    few others (title page, contents ...) may show anything of the book: by the whole book."""

    def __init__(self) -> None:
        self.memo: Memo[tuple, str] = Memo()

    def documents(self, book: Book, theme: Theme, theme_key: str,
                  stylesheets: list[str]) -> dict[str, str]:
        head = book_head(book)
        shared = (tuple(contents(book)), tuple(landmarks(book)), tuple(stylesheets), theme,
                  theme_key)
        return {spec.name: self.memo.get(
            (spec, head if spec.chapter is not None else book, *shared),
            lambda s=spec: render_document(book, theme, stylesheets, s))
            for spec in document_specs(book)}
