"""Openers and verdicts that carry their essay, which CSS alone cannot promise.

A chapter opens with its heading, fact box and jukebox; a long fact box can fill the page and
leave the essay to start overleaf. A chapter ends with its ornament, judgement and signature;
`break-before: avoid` keeps them with the essay's last paragraph, but when that paragraph has
a line or two, the verdict goes overleaf with only those. So a laid-out piece is read back,
chapter by chapter, and laid out again where a page falls short of `ESSAY_LINES`:

- an opener short of essay sets its jukebox beside the verdict (after the signature), then,
  if that is not enough, its fact box run in as a paragraph of credits (class
  `opener-compact`, print.css);
- a verdict short of essay keeps the paragraph before it from starting a page, then the one
  before that, so the break falls inside a longer paragraph (whose `widows` bring three lines).

The theme's classes are what is read: `chapter`, `chapter-head`, `fact-box`, `jukebox`,
`essay`, `judgement`, `signature`. A theme without them is laid out once, as it asks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree import ElementTree

import cssselect2
import weasyprint
from weasyprint.formatting_structure import boxes

from anthology.print import hyphens

ESSAY_LINES = 3  # lines of essay an opener and a verdict's page carry at least
ROUNDS = 4  # layouts after the first, at most
COMPACT = "opener-compact"
KEEP = "break-before: avoid"


@dataclass
class _Chapter:
    """Where one chapter's parts fell: the opener's page, the verdict's page, and the essay
    lines on each page."""

    element: ElementTree.Element
    opener: int | None = None
    verdict: int | None = None
    essay: dict[int, int] = field(default_factory=dict)


def lay_out(html: weasyprint.HTML, render: Callable[[], weasyprint.Document]
            ) -> weasyprint.Document:
    """Lay out (with hyphens.lay_out's fixes), then again while an opener or a verdict's
    page is short of essay and something is left to try."""
    document = hyphens.lay_out(html, render)
    for _ in range(ROUNDS):
        changed = sum(_amend(chapter) for chapter in survey(document))
        if not changed:
            break
        html.wrapper_element = cssselect2.ElementWrapper.from_html_root(
            html.etree_element, content_language=None)
        document = hyphens.lay_out(html, render)
    return document


def survey(document: weasyprint.Document) -> list[_Chapter]:
    """Each chapter of the document, in order, with where its parts fell."""
    found: dict[int, _Chapter] = {}
    for number, page in enumerate(document.pages):
        _walk(page._page_box, number, None, False, found)
    return list(found.values())


def _classes(box: boxes.Box) -> set[str]:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "pseudo_type", None):
        return set()
    return set((element.get("class") or "").split())


def _walk(box: boxes.Box, page: int, chapter: _Chapter | None, essay: bool,
          found: dict[int, _Chapter]) -> None:
    classes = _classes(box)
    if "chapter" in classes:
        chapter = found.setdefault(id(box.element), _Chapter(box.element))
    if chapter is not None:
        if "chapter-head" in classes and chapter.opener is None:
            chapter.opener = page
        if "judgement" in classes and chapter.verdict is None:
            chapter.verdict = page
        essay = essay or "essay" in classes
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.LineBox):
            if essay and chapter is not None:
                chapter.essay[page] = chapter.essay.get(page, 0) + 1
        elif isinstance(child, boxes.ParentBox):
            _walk(child, page, chapter, essay, found)


def _amend(chapter: _Chapter) -> int:
    """One more remedy for a short opener or a lonely verdict; how many were applied."""
    amended = 0
    if chapter.opener is not None and chapter.essay.get(chapter.opener, 0) < ESSAY_LINES:
        amended += _compact_opener(chapter.element)
    verdict = chapter.verdict
    if (verdict is not None and verdict != chapter.opener
            and chapter.essay.get(verdict, 0) < ESSAY_LINES):
        amended += _keep_with_verdict(chapter.element)
    return amended


def _child(element: ElementTree.Element, name: str) -> ElementTree.Element | None:
    return next((c for c in element if name in (c.get("class") or "").split()), None)


def _compact_opener(chapter: ElementTree.Element) -> int:
    """The jukebox beside the verdict; then the fact box run in."""
    jukebox, signature = _child(chapter, "jukebox"), _child(chapter, "signature")
    children = list(chapter)
    if (jukebox is not None and signature is not None
            and children.index(jukebox) < children.index(signature)):
        chapter.remove(jukebox)
        chapter.insert(list(chapter).index(signature) + 1, jukebox)
        return 1
    classes = (chapter.get("class") or "").split()
    if _child(chapter, "fact-box") is not None and COMPACT not in classes:
        chapter.set("class", " ".join([*classes, COMPACT]))
        return 1
    return 0


def _keep_with_verdict(chapter: ElementTree.Element) -> int:
    """Keep the last block of the essay not yet kept from starting a page."""
    essay = _child(chapter, "essay")
    if essay is None:
        return 0
    for block in reversed(list(essay)):
        style = block.get("style") or ""
        if KEEP not in style:
            block.set("style", f"{style}; {KEEP}".lstrip("; "))
            return 1
    return 0

