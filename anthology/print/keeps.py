"""Openers and verdicts that carry their essay, and even spreads: what CSS alone cannot promise.

A chapter opens with its heading, fact box and jukebox; a long fact box can fill the page and
leave the essay to start overleaf. A chapter ends with its ornament, judgement and signature;
`break-before: avoid` keeps them with the essay's last paragraph, but when that paragraph has
a line or two, the verdict goes overleaf with only those. So a laid-out piece is read back,
chapter by chapter, and laid out again where a page falls short of `ESSAY_LINES`:

- an opener short of essay sets its jukebox beside the verdict (after the signature), then,
  if that is not enough, its fact box run in as a paragraph of credits (class
  `opener-compact`, print.css);
- a verdict short of essay keeps the paragraph before it from starting a page, then the one
  before that, so the break falls inside a longer paragraph (whose `widows` bring three lines);
- facing pages inside a chapter that end on different baselines: the shorter page is filled
  as a compositor fills it, by setting paragraphs that end on it a little looser
  (`letter-spacing`, at most `LOOSEN` em) so each makes one line more; nothing moves to
  another page, so no other spread changes. Where no paragraph can, the block that opens the
  page after the shorter one may leave two lines at a page's foot or take two overleaf (the
  floor).

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
ROUNDS = 6  # layouts after the first, at most
COMPACT = "opener-compact"
KEEP = "break-before: avoid"
RELAX = "orphans: 2; widows: 2"
LOOSEN = 0.025  # em of letter-spacing, at most, that sets a paragraph one line longer
CHARACTER = 0.42  # em: the body face's average character with its share of a word space


@dataclass
class _Paragraph:
    """An essay paragraph as laid out: its lines, and the page and fill (share of the
    measure) of its last line."""

    element: ElementTree.Element
    lines: int = 0
    page: int = 0
    fill: float = 0.0


@dataclass
class _Chapter:
    """Where one chapter's parts fell: the opener's page, the verdict's page, and the essay
    lines on each page."""

    element: ElementTree.Element
    opener: int | None = None
    verdict: int | None = None
    essay: dict[int, int] = field(default_factory=dict)
    feet: dict[int, float] = field(default_factory=dict)  # each page's last line's bottom
    firsts: dict[int, ElementTree.Element] = field(default_factory=dict)  # its first block
    opening: dict[int, int] = field(default_factory=dict)  # that block's lines on the page
    blocks: dict[int, set[int]] = field(default_factory=dict)  # ids of blocks with lines there
    lefts: set[int] = field(default_factory=set)  # its left-hand pages
    leading: float = 0.0  # the commonest line height of its essay
    paragraphs: dict[int, _Paragraph] = field(default_factory=dict)  # by id of the element


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
        flow = [c for c in page._page_box.children
                if not isinstance(c, boxes.MarginBox | boxes.FootnoteAreaBox)]
        for child in flow:
            _walk(child, number, None, False, found)
        if page._page_box.page_type.side == "left":
            for chapter in found.values():
                chapter.lefts.add(number)
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
            if chapter is not None:
                _count(chapter, page, box, child, essay)
        elif isinstance(child, boxes.ParentBox):
            _walk(child, page, chapter, essay, found)


def _count(chapter: _Chapter, page: int, block: boxes.Box, line: boxes.LineBox,
           essay: bool) -> None:
    bottom = line.position_y + line.height
    chapter.feet[page] = max(chapter.feet.get(page, bottom), bottom)
    if page not in chapter.firsts and block.element is not None:
        chapter.firsts[page] = block.element
    if chapter.firsts.get(page) is block.element:
        chapter.opening[page] = chapter.opening.get(page, 0) + 1
    chapter.blocks.setdefault(page, set()).add(id(block.element))
    if essay:
        chapter.essay[page] = chapter.essay.get(page, 0) + 1
        chapter.leading = chapter.leading or line.height
        if block.element is not None and block.element.tag == "p" and block.width:
            kept = chapter.paragraphs.setdefault(id(block.element), _Paragraph(block.element))
            kept.lines, kept.page, kept.fill = kept.lines + 1, page, line.width / block.width


def _amend(chapter: _Chapter) -> int:
    """One more remedy for a short opener or a lonely verdict; how many were applied."""
    amended = 0
    if chapter.opener is not None and chapter.essay.get(chapter.opener, 0) < ESSAY_LINES:
        amended += _compact_opener(chapter.element)
    verdict = chapter.verdict
    if (verdict is not None and verdict != chapter.opener
            and chapter.essay.get(verdict, 0) < ESSAY_LINES):
        amended += _keep_with_verdict(chapter.element)
    return amended or _balance(chapter)


def _balance(chapter: _Chapter) -> int:
    """The first spread inside the chapter (neither its opener nor its verdict's page) whose
    pages end on different baselines. The block that opens the page after the shorter one
    may leave two lines behind or take two along (`orphans`/`widows` 2, the floor), so the
    shorter page fills; if it may already, the longer page's last paragraph takes one more
    line overleaf."""
    if chapter.opener is None or not chapter.leading:
        return 0
    last = chapter.verdict if chapter.verdict is not None else max(chapter.feet)
    for left in sorted(chapter.lefts):
        right = left + 1
        if not chapter.opener < left < right < last or right not in chapter.feet:
            continue
        if abs(chapter.feet[left] - chapter.feet[right]) < chapter.leading / 3:
            continue
        shorter = left if chapter.feet[left] < chapter.feet[right] else right
        gap = round(abs(chapter.feet[left] - chapter.feet[right]) / chapter.leading)
        if _loosen(chapter, shorter, gap):
            return 1
        block = chapter.firsts.get(shorter + 1)
        if block is not None and "widows: " not in (block.get("style") or ""):
            _add_style(block, RELAX)
            return 1
        longer = right if shorter == left else left
        overleaf = chapter.firsts.get(longer + 1)
        if (overleaf is not None and id(overleaf) in chapter.blocks.get(longer, set())
                and "widows: " not in (overleaf.get("style") or "").replace(RELAX, "")):
            _add_style(overleaf, f"widows: {chapter.opening[longer + 1] + 1}")
            return 1
    return 0


def _loosen(chapter: _Chapter, page: int, lines: int) -> int:
    """Set up to `lines` paragraphs ending on `page` (none set looser yet) a little looser,
    those whose last line is fullest first: each should make one line more."""
    chosen = 0
    ending = sorted((p for p in chapter.paragraphs.values() if p.page == page),
                    key=lambda p: -p.fill)
    for paragraph in ending:
        if chosen == lines:
            break
        if "letter-spacing" in (paragraph.element.get("style") or ""):
            continue
        # The paragraph's other lines, each a little wider, must push its last line's
        # missing width (and a little more) over.
        spacing = CHARACTER * (1.05 - paragraph.fill) / max(paragraph.lines - 1, 1)
        if paragraph.lines < 3 or spacing > LOOSEN:
            continue
        _add_style(paragraph.element, f"letter-spacing: {spacing:.3f}em")
        chosen += 1
    return chosen


def _add_style(element: ElementTree.Element, declaration: str) -> None:
    style = element.get("style") or ""
    element.set("style", f"{style}; {declaration}".lstrip("; "))


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
        if KEEP not in (block.get("style") or ""):
            _add_style(block, KEEP)
            return 1
    return 0

