"""Preflight's word-spacing check: how many justified lines open gaps a reader sees.

A full line of running text is loose when its word spaces, as drawn, are more than twice the
font's own space: the page shows holes, and stacked holes run down it as rivers. The font's
space is read from the file (the space glyphs it draws), so a theme that narrows or widens its
word spacing is judged against the font, not against itself.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence

from anthology.preflight.findings import Finding, Status
from anthology.preflight.pdftext import Line
from anthology.preflight.typesetting import FULL_LINE, Reading, body_lines, page

LOOSE_SHARE = 0.03  # of justified lines may have word spaces over twice natural, at most
LOOSE = 2.0  # natural spaces: a word space stretched past this is a gap
SHOWN = 12  # loose lines named in the finding, at most


def word_spacing(reading: Reading) -> Finding:
    """The share of full body lines in running text whose word space passes `LOOSE`
    natural spaces (each line's median gap, so one kerned pair does not decide it)."""
    numbered = [(i, x) for i, x in body_lines(reading.found, reading.prose) if len(x.spaces) >= 3]
    natural = _natural([x for page in reading.found.pages for x in page.lines])
    widths = sorted(x.width for _, x in numbered)
    block = widths[int(0.95 * (len(widths) - 1))] if widths else 0.0
    full = [(i, x, statistics.median(x.spaces) / natural[x.size]) for i, x in numbered
            if x.width >= FULL_LINE * block and natural.get(x.size)]
    if not full:
        return Finding("loose lines", "no justified lines with word spaces to measure",
                       f"\u2264 {LOOSE_SHARE:.0%} with spaces over twice natural",
                       Status.not_run)
    loose = [(i, x, ratio) for i, x, ratio in full if ratio > LOOSE]
    share = len(loose) / len(full)
    median = statistics.median(r for _, _, r in full)
    where = tuple(f"{page(i)}: \u201c\u2026{x.text[-30:]}\u201d, word space {ratio:.0%} of "
                  f"natural" for i, x, ratio in sorted(loose, key=lambda f: -f[2])[:SHOWN])
    # A warning, not a failure: a printer takes loose lines; a designer would not.
    return Finding("loose lines", f"{share:.1%} ({len(loose)} of {len(full)} justified lines; "
                   f"word space {median:.0%} of natural, median)",
                   f"\u2264 {LOOSE_SHARE:.0%} with spaces over twice natural",
                   Status.passed if share <= LOOSE_SHARE else Status.warning,
                   round(100 * share, 2), where)


def _natural(lines: Sequence[Line]) -> dict[float, float]:
    """The font's word space at each text size: the median width of the space glyphs the
    file draws at that size. WeasyPrint draws no space glyph on some lines (with wide word
    spacing, none at all), so a size without one takes the book's space-to-size ratio."""
    drawn: defaultdict[float, list[float]] = defaultdict(list)
    for line in lines:
        if line.space > 0:
            drawn[line.size].append(line.space)
    if not drawn:
        return {}
    ratio = statistics.median(statistics.median(spaces) / size for size, spaces in drawn.items())
    return {size: statistics.median(drawn[size]) if drawn.get(size) else ratio * size
            for size in {line.size for line in lines}}
