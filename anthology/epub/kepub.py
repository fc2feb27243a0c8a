"""Kobo's conventions for a KEPUB (`<volume>.kepub.epub`), as kepubify applies them.

Kobo's own reader (the one a `.kepub.epub` opens in) finds its place in a book, highlights and
bookmarks, and counts reading statistics by `span.koboSpan` elements, one around each sentence
of text, numbered `kobo.<paragraph>.<segment>`; it lays pages out in two wrapper divs,
`div#book-columns > div#book-inner`, around a document's body. Without the spans highlights
and bookmarks do not work; without the divs its pagination styles have no target. Kobo's own
JavaScript and its style hacks are not needed: one rule of them (no margins on the inner div)
is kept, as kepubify keeps it.

The rules, after kepubify 4 (pgaskin/kepubify, kepub/transform.go), in our own terms:

- text is split after a sentence's end: one or more of `. ! ?`, each optionally followed by
  one closing quote or ellipsis, then ASCII white space, then anything else; what comes before
  the first end and after the last is a segment too;
- each segment becomes a span, except a segment of white space alone that is not directly in
  a `p` (white space between blocks stays as it is);
- the paragraph number rises at the first span after entering a `p`, a list, a table or a
  heading; the segment number counts spans within a paragraph, from 1;
- an `img` is a paragraph of its own, wrapped in a span;
- nothing inside `script`, `style`, `pre`, `audio`, `video`, `svg` or `math` is touched.
"""

from __future__ import annotations

import re
from itertools import pairwise

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
SVG = "http://www.w3.org/2000/svg"
MATHML = "http://www.w3.org/1998/Math/MathML"

# A sentence's end: terminal punctuation, a closing quote or ellipsis after any of it, then
# the white space before the next sentence (which must start: no split at the very end).
SENTENCE_END = re.compile(r"[.!?](?:['\"”’“…]?[.!?])*['\"”’“…]?[ \t\n\f\r]+(?=[^ \t\n\f\r])")
UNTOUCHED = {"script", "style", "pre", "audio", "video"}
PARAGRAPHS = {"p", "ol", "ul", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
KOBO_STYLE = "div#book-inner { margin-top: 0; margin-bottom: 0; }"


def sentences(text: str) -> list[str]:
    """`text` cut after each sentence's end; joined again they are `text`."""
    cuts = [match.end() for match in SENTENCE_END.finditer(text)]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in pairwise(bounds) if b > a] or [text]


def _tag(element: etree._Element) -> tuple[str, str]:
    """(namespace, local name) of an element; ("", "") for a comment or instruction."""
    if not isinstance(element.tag, str):
        return "", ""
    namespace, _, local = element.tag[1:].partition("}") if element.tag.startswith("{") \
        else ("", "", element.tag)
    return namespace, local


class _Spans:
    """The running paragraph and segment numbers of one document."""

    def __init__(self) -> None:
        self.paragraph = 0
        self.segment = 0
        self.pending = False  # entered a paragraph: the next span starts a new number

    def span(self, text: str | None = None) -> etree._Element:
        if self.pending:
            self.paragraph, self.segment, self.pending = self.paragraph + 1, 0, False
        self.segment += 1
        span = etree.Element(f"{{{XHTML}}}span", {"class": "koboSpan",
                                                  "id": f"kobo.{self.paragraph}.{self.segment}"})
        span.text = text
        return span

    def pieces(self, text: str, parent_local: str) -> list[str | etree._Element]:
        """`text` as spans, and the white space left as it is."""
        return [piece if piece.isspace() and parent_local != "p" else self.span(piece)
                for piece in sentences(text)]


def _walk(element: etree._Element, state: _Spans) -> None:
    """Span the text of `element` and everything in it, in reading order."""
    namespace, local = _tag(element)
    if namespace in (SVG, MATHML) or local in UNTOUCHED or not local:
        return
    if local in PARAGRAPHS:
        state.pending = True
    sequence: list[str | etree._Element] = []
    if element.text:
        sequence += state.pieces(element.text, local)
    for child in list(element):
        tail, child.tail = child.tail, None
        if _tag(child) == (XHTML, "img"):
            state.paragraph, state.segment, state.pending = state.paragraph + 1, 0, False
            span = state.span()
            span.append(child)  # moved out of `element` into its span
            sequence.append(span)
        else:
            _walk(child, state)
            sequence.append(child)
        if tail:
            sequence += state.pieces(tail, local)
    element.text = None
    for child in list(element):
        element.remove(child)
    for piece in sequence:
        if not isinstance(piece, str):
            element.append(piece)
        elif len(element):
            element[-1].tail = (element[-1].tail or "") + piece
        else:
            element.text = (element.text or "") + piece


def kobo_document(root: etree._Element) -> None:
    """Give an XHTML document Kobo's wrapper divs, its spans and its one style rule (in
    place); a document that has spans already is left as it is."""
    body = root.find(f"{{{XHTML}}}body")
    if body is None or body.find(f".//{{{XHTML}}}span[@class='koboSpan']") is not None:
        return
    head = root.find(f"{{{XHTML}}}head")
    if head is not None:
        style = etree.SubElement(head, f"{{{XHTML}}}style", {"type": "text/css",
                                                             "class": "kobostylehacks"})
        style.text = KOBO_STYLE
    state = _Spans()
    _walk(body, state)
    columns = etree.Element(f"{{{XHTML}}}div", {"id": "book-columns"})
    inner = etree.SubElement(columns, f"{{{XHTML}}}div", {"id": "book-inner"})
    inner.text, body.text = body.text, None
    for child in list(body):
        inner.append(child)  # moves the child, its tail with it
    body.append(columns)
