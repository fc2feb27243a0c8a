"""How chapters, pages and paragraphs end, read back from a built PDF: a verdict never stands
alone, no page ends on an ornament or a broken word, no paragraph on a broken word.

A chapter closes with a block: the ornament, the judgement and the signature. Overleaf from
the essay's last line, that block reads as an afterthought, so the page holding it must also
hold the essay's last lines (at least `CLOSING_LINES`). An ornament at a page's foot parts a
judgement from its ornament, or a section break from the section it opens. A word broken at a
page's foot is finished after the reader turns the page; a paragraph's last word broken leaves
a last line of a word's tail ("diately.").
"""

from __future__ import annotations

from collections.abc import Sequence

from anthology.preflight.findings import Finding, Status
from anthology.preflight.pdftext import Line
from anthology.preflight.typesetting import (
    CLOSING_LINES,
    FULL_LINE,
    HYPHENS,
    Found,
    Reading,
    Survey,
    body_lines,
    key,
    page,
    signs,
)

ORNAMENTS = frozenset("\u2766\u2767\u2619\u2042\u2051*\u00b7\u2022\u2013\u2014")


def is_ornament(line: Line) -> bool:
    """A line holding only a fleuron, an asterism or a few stars: no letters or figures."""
    text = line.text.replace(" ", "")
    return bool(text) and len(text) <= 3 and all(c in ORNAMENTS for c in text)


def _closes(line: Line, judgement: str | None, signature: str | None) -> bool:
    return (is_ornament(line) or (judgement is not None and judgement in line.text)
            or (signature is not None and bool(key(line.text)) and signs(line.text, signature)))


def _verdict_page(found: Survey, item: Found) -> int | None:
    """The page of a chapter's judgement (or, without one, its signature)."""
    part = item.part
    if part.kind != "chapter" or not (part.judgement or part.signature):
        return None
    return max((i for i in range(item.first, item.last + 1) for x in found.content(i)
                if _closes(x, part.judgement, None if part.judgement else part.signature)
                and not is_ornament(x)), default=None)


def verdicts(found: Survey, located: Sequence[Found]) -> Finding:
    """Every chapter's closing block (ornament, judgement, signature) shares its page with
    at least `CLOSING_LINES` lines of the essay, unless the chapter fits on its opener."""
    closed, alone = 0, []
    for item in located:
        part = item.part
        if part.kind != "chapter" or not (part.judgement or part.signature):
            continue
        at = _verdict_page(found, item)
        if at is None:
            continue
        closed += 1
        if at == item.first:
            continue
        lines = found.content(at)
        start = next(n for n, x in enumerate(lines)
                     if _closes(x, part.judgement, part.signature))
        essay = [x for x in lines[:start] if found.is_body(x) and not is_ornament(x)]
        if len(essay) < CLOSING_LINES:
            alone.append(f"{page(at)}: the verdict of {part.title} comes with "
                         f"{len(essay)} line{'s' * (len(essay) != 1)} of its essay")
    return Finding.judged("verdicts with essay", f"{closed - len(alone)} of {closed}",
                          f"each with \u2265 {CLOSING_LINES} lines of essay on its page",
                          not alone, float(len(alone)), tuple(alone))


def ornaments(found: Survey, pages: Sequence[int]) -> Finding:
    """No page of running text ends on an ornament (a judgement's, or a section break's)."""
    feet = []
    for index in pages:
        lines = found.content(index)
        if lines and is_ornament(lines[-1]):
            feet.append(f"{page(index)}: ends with the ornament \u201c{lines[-1].text}\u201d")
    return Finding.judged("ornaments at a page's foot", f"{len(feet)}", "0", not feet,
                          float(len(feet)), tuple(feet))


def _hyphenated(line: Line) -> bool:
    text = line.text.rstrip()
    return len(text) >= 2 and text[-1] in ("-", *HYPHENS) and text[-2].isalpha()


def broken_ends(found: Survey, pages: Sequence[int]) -> list[Finding]:
    """Words broken at a page's last line of running text, and paragraphs whose last line is
    the tail of a broken word (one word, short of the measure)."""
    lines = body_lines(found, pages)
    widths = sorted(x.width for _, x in lines)
    block = widths[int(0.95 * (len(widths) - 1))] if widths else 0.0
    turns, finals = [], []
    for number, (index, line) in enumerate(lines):
        if not _hyphenated(line):
            continue
        after = lines[number + 1] if number + 1 < len(lines) else None
        if after is None:
            continue
        if after[0] != index:
            turns.append(f"{page(index)}: \u201c{line.text[-24:]}\u201d / "
                         f"\u201c{after[1].text[:24]}\u201d")
        elif " " not in after[1].text.strip() and after[1].width < FULL_LINE * block:
            finals.append(f"{page(index)}: \u201c{line.text[-24:]}\u201d / "
                          f"\u201c{after[1].text}\u201d")
    return [
        Finding.judged("words broken across a page turn", f"{len(turns)}", "0", not turns,
                       float(len(turns)), tuple(turns)),
        Finding.judged("paragraph-final hyphens", f"{len(finals)}", "0", not finals,
                       float(len(finals)), tuple(finals)),
    ]


SPREADS_EVEN = 0.9  # of a book's facing mid-chapter pages end on one baseline, at least


def spreads(found: Survey, located: Sequence[Found]) -> Finding:
    """Facing pages inside a chapter (neither its opener nor its last page, nor the verdict's
    page and the jukebox or list after it) end on the same baseline: a left-hand page (even
    number) and the right-hand one after it."""
    even, uneven = 0, []
    for item in located:
        if item.part.kind not in ("chapter", "foreword", "afterword"):
            continue
        last = min(item.last, _verdict_page(found, item) or item.last)  # then end matter
        for left in range(item.first + 1, last - 1):
            if left % 2 == 0:
                continue  # index 1 is page 2, a left-hand page
            feet = [max((x.bottom for x in found.content(i) if found.is_body(x)), default=None)
                    for i in (left, left + 1)]
            if None in feet:
                continue
            if abs(feet[0] - feet[1]) < found.leading / 3:
                even += 1
            else:
                uneven.append(f"pages {left + 1}-{left + 2}: {item.part.title}, "
                              f"{abs(feet[0] - feet[1]) / found.leading:.1f} lines apart")
    total = even + len(uneven)
    share = even / total if total else 1.0
    # A warning, not a failure: a printer takes uneven spreads, and the layout evens most but
    # not all of them (97% of a generated 100-review volume's, 6 of 7 to all of the samples').
    return Finding("spreads on one baseline", f"{share:.0%} ({even} of {total})",
                   f"\u2265 {SPREADS_EVEN:.0%} of mid-chapter spreads",
                   Status.passed if share >= SPREADS_EVEN else Status.warning,
                   round(100 * share, 1), tuple(uneven))


def endings(reading: Reading) -> list[Finding]:
    """The checks of how chapters end, on one laid-out edition."""
    found, located, prose = reading.found, reading.located, reading.prose
    return [verdicts(found, located), ornaments(found, prose), *broken_ends(found, prose),
            spreads(found, located)]
