"""At most two hyphenated line ends in a row, no word broken across a page turn and no
paragraph's last word broken: rules WeasyPrint cannot be told.

CSS has `hyphenate-limit-lines`, but WeasyPrint ignores it. So a document is laid out, its
paragraphs are read line by line, and where a third line in a row ends in a hyphen the word
broken there is protected (a span with `hyphens: manual`; `white-space: nowrap` for a word
broken at its own hyphen, "late-night") and the document laid out again, until no paragraph
has three or a few rounds have passed. A word broken at a page's last line (the reader turns
the leaf mid-word) and a paragraph's last word broken ("imme-/diately.") are protected the
same way. Most pieces need no second layout.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

import cssselect2
import weasyprint
from weasyprint.formatting_structure import boxes

from anthology.print import linebreak

LIMIT = 2  # hyphenated line ends allowed in a row
ROUNDS = 4  # layouts after the first, at most
HARD_HYPHEN = "-"
_LETTERS = re.compile(r"[^\W\d_]+(?:[-\u2010'’][^\W\d_]+)*$")
_FIRST = re.compile(r"^[^\W\d_]+")


@dataclass(frozen=True)
class Break:
    """A word broken at a line end: the element whose text holds it, and how it broke."""

    element: ElementTree.Element
    word: str
    at_hyphen: bool  # broken at a hyphen of its own, not one hyphenation added


def lay_out(html: weasyprint.HTML, render: Callable[[], weasyprint.Document]
            ) -> weasyprint.Document:
    """`render()` the document, then again with each third hyphenated line end in a row
    protected, until there are none (or `ROUNDS` more layouts have been made). Every print
    layout comes through here, so this is where WeasyPrint's line breaking gets its fix."""
    linebreak.install()
    document = render()
    for _ in range(ROUNDS):
        breaks = third_breaks(document) + turn_and_final_breaks(document)
        if not sum(protect(b) for b in breaks):
            break
        # WeasyPrint matches selectors on a wrapper of the tree, made when the HTML is parsed.
        html.wrapper_element = cssselect2.ElementWrapper.from_html_root(
            html.etree_element, content_language=None)
        document = render()
    return document


def runs(document: weasyprint.Document) -> Iterator[list[boxes.LineBox]]:
    """Each block's lines in order, the block followed across pages."""
    current: list[boxes.LineBox] = []
    owner = None
    for page in document.pages:
        for block, line in _lines(page._page_box):
            if block is not owner:
                if current:
                    yield current
                current, owner = [], block
            current.append(line)
    if current:
        yield current


def _lines(box: boxes.Box) -> Iterator[tuple[object, boxes.LineBox]]:
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.LineBox):
            yield box.element, child
        elif isinstance(child, boxes.ParentBox):
            yield from _lines(child)


def _text_boxes(box: boxes.Box) -> Iterator[boxes.TextBox]:
    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)


def _ends_hyphenated(line: boxes.LineBox) -> boxes.TextBox | None:
    texts = [t for t in _text_boxes(line) if t.text.strip()]
    if texts and texts[-1].text[-1:] in {texts[-1].style["hyphenate_character"],
                                         HARD_HYPHEN}:
        return texts[-1]
    return None


def third_breaks(document: weasyprint.Document) -> list[Break]:
    """The words broken at every third hyphenated line end in a row."""
    found = []
    for lines in runs(document):
        row = 0
        for index, line in enumerate(lines):
            end = _ends_hyphenated(line)
            row = row + 1 if end is not None else 0
            if row > LIMIT and index + 1 < len(lines):
                broken = _broken_word(end, lines[index + 1])
                if broken is not None:
                    found.append(broken)
                row = 0  # laid out again, the lines after it change anyway
    return found


def turn_and_final_breaks(document: weasyprint.Document) -> list[Break]:
    """Words broken across a page turn, and paragraphs' last words broken."""
    pages = [[pair for child in page._page_box.children
              if not isinstance(child, boxes.MarginBox | boxes.FootnoteAreaBox)
              for pair in _lines(child)] for page in document.pages]  # the text block's
    found = []
    for number, lines in enumerate(pages):
        after_page = pages[number + 1][:1] if number + 1 < len(pages) else []
        for index, (block, line) in enumerate(lines):
            end = _ends_hyphenated(line)
            if end is None:
                continue
            following = (lines[index + 1:index + 2] or after_page)[:1]
            if not following or following[0][0] is not block:
                continue  # the block's last line: a hyphen of the author's own
            turn = index + 1 == len(lines)
            if not turn:  # a paragraph's last word: the line after `following` is not its
                rest = (lines[index + 2:index + 3] or after_page)[:1]
                final = not rest or rest[0][0] is not block
            if turn or (final and " " not in _line_text(following[0][1]).strip()):
                broken = _broken_word(end, following[0][1])
                if broken is not None:
                    found.append(broken)
    return found


def _line_text(line: boxes.LineBox) -> str:
    return "".join(t.text for t in _text_boxes(line))


def _broken_word(end: boxes.TextBox, following: boxes.LineBox) -> Break | None:
    added = end.style["hyphenate_character"]
    text = end.text
    at_hyphen = not text.endswith(added)
    start = _LETTERS.search(text[:-1] if at_hyphen else text[:-len(added)])
    nexts = [t for t in _text_boxes(following) if t.text.strip()]
    if start is None or not nexts:
        return None
    rest = _FIRST.match(nexts[0].text.lstrip())
    if rest is None:
        return None
    joiner = HARD_HYPHEN if at_hyphen else ""
    return Break(end.element, start[0] + joiner + rest[0], at_hyphen)


def protect(broken: Break) -> int:
    """Wrap the word's occurrences in its element's own text in a protecting span; returns
    how many were wrapped (0 when it is protected already or cannot be found)."""
    style = "white-space: nowrap" if broken.at_hyphen else "hyphens: manual"
    pattern = re.compile(r"(?<![\w-])" + re.escape(broken.word) + r"(?!\w)")
    element, count = broken.element, 0
    if element is None or element.get("data-kept-word") == broken.word:
        return 0
    # Where text stands in the element: its own text, then after each child.
    slots = [(None, element.text)] + [(child, child.tail) for child in list(element)]
    for child, text in reversed(slots):
        if not text:
            continue
        pieces = pattern.split(text)
        if len(pieces) == 1:
            continue
        count += len(pieces) - 1
        spans = []
        for tail in pieces[1:]:
            span = ElementTree.Element("span", {"style": style, "data-kept-word": broken.word})
            span.text, span.tail = broken.word, tail
            spans.append(span)
        at = 0 if child is None else list(element).index(child) + 1
        if child is None:
            element.text = pieces[0]
        else:
            child.tail = pieces[0]
        for offset, span in enumerate(spans):
            element.insert(at + offset, span)
    return count
