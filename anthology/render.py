"""Render a finished `Book` through the theme's templates.

For the EPUB: one XHTML document per part (cover, title page, ... one per chapter). For the
PDF: the whole volume as one HTML document. Both use the same partial templates, so a theme
override changes both editions alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import isbnlib
import jinja2

from anthology.resolve import Book, FactLine, Matter
from anthology.theme import Theme

EPUB_STYLESHEETS = ("book.css", "epub.css")
PRINT_STYLESHEETS = ("book.css", "print.css")
COVER_IMAGE = "cover.jpg"


@dataclass(frozen=True)
class FactGroup:
    """A labelled fact with the unlabelled notes that follow it (or leading notes alone)."""

    label: str | None
    key: str | None
    values: tuple[str, ...]


def fact_groups(facts: Iterable[FactLine]) -> list[FactGroup]:
    groups: list[FactGroup] = []
    for fact in facts:
        if fact.label is None and groups and groups[-1].label is not None:
            last = groups[-1]
            groups[-1] = FactGroup(last.label, last.key, (*last.values, fact.value))
        else:
            groups.append(FactGroup(fact.label, fact.key, (fact.value,)))
    return groups


def roman(number: int) -> str:
    values = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
              (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for value, letters in values:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def long_date(value: date) -> str:
    return f"{value.day} {value.strftime('%B')} {value.year}"


def isbn(value: str) -> str:
    """An ISBN hyphenated by the registration-group ranges, as printed on a copyright page."""
    return isbnlib.mask(value) or value


@dataclass(frozen=True)
class ContentsEntry:
    kind: str
    title: str
    target: str


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
    entries += [ContentsEntry("chapter", c.heading, c.id) for c in book.chapters]
    if book.afterword:
        entries.append(ContentsEntry("afterword", book.afterword.title, "afterword"))
    return entries


def environment(theme: Theme, href: Callable[[str], str]) -> jinja2.Environment:
    env = theme.environment()
    env.filters.update(fact_groups=fact_groups, roman=roman, long_date=long_date, isbn=isbn,
                       href=href)
    return env


def _render(env: jinja2.Environment, name: str, **context: object) -> str:
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise ThemeError(f"template '{exc.name}' not found in the theme") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ThemeError(f"{exc.filename or exc.name}:{exc.lineno}: template error: "
                         f"{exc.message}") from exc
    except jinja2.UndefinedError as exc:
        raise ThemeError(f"template '{name}': {exc.message}") from exc


class ThemeError(Exception):
    """A template or stylesheet of the theme is broken; the message names it."""


def render_epub_documents(book: Book, theme: Theme, stylesheets: list[str]) -> list[Document]:
    """Every XHTML document of the EPUB, in reading order."""
    env = environment(theme, lambda target: f"{target}.xhtml")
    base = {"book": book, "edition": "epub", "stylesheets": stylesheets, "contents": contents(book),
            "cover_name": COVER_IMAGE, "landmarks": landmarks(book)}

    def document(kind: str, doc_id: str, title: str, part: str, linear: bool = True,
                 **extra: object) -> Document:
        xhtml = _render(env, "epub-document.xhtml", kind=kind, title=title, part=part,
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
    ]
    docs += [document("chapter", c.id, c.heading, "chapter.xhtml", chapter=c)
             for c in book.chapters]
    docs += matter(book.afterword)
    return docs


def landmarks(book: Book) -> list[Landmark]:
    first = book.foreword.kind if book.foreword else (book.chapters[0].id if book.chapters
                                                      else "toc")
    return [
        Landmark("cover", "Cover", "cover.xhtml"),
        Landmark("titlepage", "Title Page", "titlepage.xhtml"),
        Landmark("toc", "Contents", "toc.xhtml"),
        Landmark("bodymatter", "Start of Content", f"{first}.xhtml"),
    ]


def render_print_html(book: Book, theme: Theme) -> str:
    """The whole volume as one HTML document for the PDF."""
    env = environment(theme, lambda target: f"#{target}")
    return _render(env, "print-book.html", book=book, edition="print", contents=contents(book))
