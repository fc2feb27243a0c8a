"""Torn paragraphs: a line that stops short mid-paragraph, the paragraph going on flush left.

In a book whose paragraphs are indented and set close (no space between them), a line of
running text that ends well short of the measure is a paragraph's last line, and the next
line, at the same leading, starts indented. A short line followed at the same leading by a
line flush with the text block's left edge is one paragraph torn in two, whatever the short
line's words say ("served." ends a sentence and was torn all the same: see
anthology.print.linebreak). A flush-left paragraph that rightly follows a short line (after a
heading, a block quote, a scene break) has space above it, so it is not at the same leading;
and the short line must stand among lines set to the full measure (the one before it or the
one after it), so a narrow block of short lines (a list, a table's cell) is no torn paragraph.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from anthology.preflight.findings import Finding
from anthology.preflight.pdftext import Line

if TYPE_CHECKING:  # (typesetting calls this module's check)
    from anthology.preflight.typesetting import Survey

SHORT = 2.0  # ems short of the text block's right edge: no justified line stops there
FULL = 0.5  # ems: a line ending this close to the right edge is set to the full measure
LEADING = 0.2  # how far (a share of the leading) two lines' spacing may be from it
FLUSH = 1.0  # points: a line starting this close to the block's left edge is flush left

Placed = tuple[int, Line]  # a line and its page's index


def _edges(found: Survey, pages: Sequence[int]) -> dict[int, tuple[float, float]]:
    """The text block's left and right edges on each side of the spread: where most lines of
    body text start and end (the inside margin differs on left- and right-hand pages)."""
    edges = {}
    for side in (0, 1):
        lines = [x for i in pages if i % 2 == side for x in found.content(i)
                 if found.is_body(x)]
        if lines:
            left = Counter(round(x.x0, 1) for x in lines).most_common(1)[0][0]
            right = Counter(round(x.x1, 1) for x in lines).most_common(1)[0][0]
            edges[side] = (left, right)
    return edges


def _flow(found: Survey, pages: Sequence[int]) -> dict[Placed, Placed]:
    """Each line of body text mapped to the body line that follows it in the flow: on the
    same page at the leading, or at the head of the next page after a line at its foot."""
    after: dict[Placed, Placed] = {}
    for index in pages:
        lines = found.content(index)
        for a, b in pairwise(lines):
            if (found.is_body(a) and found.is_body(b)
                    and abs(b.top - a.top - found.leading) <= LEADING * found.leading):
                after[index, a] = (index, b)
        following = found.content(index + 1) if index + 1 in pages else []
        if lines and following:
            a, b = lines[-1], following[0]
            if (found.is_body(a) and found.is_body(b)
                    and found.bottom - a.bottom < found.leading
                    and b.top - found.top < found.leading):
                after[index, a] = (index + 1, b)
    return after


def torn(found: Survey, pages: Sequence[int]) -> Finding:
    """Short lines among full ones, followed in the flow by a flush-left line of body text."""
    edges = _edges(found, pages)
    after = _flow(found, pages)
    before = {b: a for a, b in after.items()}

    def full(placed: Placed | None) -> bool:
        return placed is not None and (
            edges[placed[0] % 2][1] - placed[1].x1 <= FULL * found.body)

    where = []
    for (index, a), (then, b) in after.items():
        left, right = edges[index % 2]
        if (right - a.x1 >= SHORT * found.body and a.x0 >= left - FLUSH
                and abs(b.x0 - edges[then % 2][0]) <= FLUSH
                and (full(before.get((index, a))) or full((then, b)))):
            where.append(f"page {index + 1}: \u201c\u2026{a.text[-30:]}\u201d / "
                         f"\u201c{b.text[:30]}\u2026\u201d")
    return Finding.judged("torn paragraphs", f"{len(where)}", "0 short lines going on "
                          "flush left", not where, float(len(where)), tuple(where))
