"""A book designer's checks of the typesetting, made on the lines of a built PDF read back.

The PDF carries no structure a printer's file keeps (no outline or links in a press
interior), so the parts of the book are found as a reader finds them: the text size most lines
are set in is the body's; a line half again as large is a heading, and a heading that reads as
a chapter's title opens that chapter; the lines below the fact box and jukebox, at body size,
are the essay. The book model says what ought to be there (titles, signatures, judgements).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise

from anthology.preflight.findings import Finding
from anthology.preflight.pdftext import UNMAPPED, Line, PageText
from anthology.preflight.torn import torn
from anthology.series.book import Book

HEADING = 1.3  # a line this many times the body size is a heading
SMALLER = 0.97  # below this share of the body size: a fact box, a jukebox, a folio
CLOSING_LINES = 3  # a part never ends with fewer lines than this alone on a page
HYPHENATED_SHARE = 0.08
FRAGMENT = 3  # letters, on either side of a hyphenation break
LADDER = 2  # hyphenated line ends in a row, at most
MEASURE = (60.0, 70.0)  # characters in a full line of body text
FULL_LINE = 0.9  # of the text block's width: a line this wide is a full line
DASHES = ("\u2013", "\u2014", "\u2015")
HYPHENS = ("\u2010", "\u00ad")  # the hyphens the layout adds; "-" is the author's own
_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Part:
    """A part of the book that the PDF should show: a chapter, the foreword, the afterword."""

    kind: str
    title: str
    signature: str | None = None
    judgement: str | None = None
    views: bool = False


@dataclass(frozen=True)
class Found:
    part: Part
    first: int  # page indexes (0-based) of its opening and its last page with text
    last: int


@dataclass(frozen=True)
class Survey:
    """The book's lines, sorted into what the checks need."""

    pages: tuple[PageText, ...]
    body: float  # the body size, in points
    top: float  # the text block's top and bottom (running heads and folios lie outside)
    bottom: float
    leading: float

    def content(self, index: int) -> list[Line]:
        return [line for line in self.pages[index].lines
                if line.top >= self.top - 1 and line.bottom <= self.bottom + 1]

    def is_body(self, line: Line) -> bool:
        return abs(line.size - self.body) <= 0.3

    def is_heading(self, line: Line) -> bool:
        return line.size >= HEADING * self.body


PROSE = ("foreword", "chapter", "afterword")  # the parts set as running text


def parts(book: Book) -> list[Part]:
    """What the book holds under a heading, in the order the PDF has it. The key to the
    scores and the appendices (indexes, lists) are found only to know where prose ends."""
    found = []
    if book.foreword:
        found.append(Part("foreword", book.foreword.title, book.author))
    score_key = getattr(book.score_key, "title", None)
    if score_key:
        found.append(Part("score-key", score_key))
    found += [Part("chapter", c.title, c.author, c.judgement, bool(c.views))
              for c in book.chapters]
    if book.afterword:
        found.append(Part("afterword", book.afterword.title, book.author))
    found += [Part("appendix", a.title) for a in book.appendices]
    return found


def survey(pages: Sequence[PageText]) -> Survey:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    lines = [(page.number, line) for page in pages for line in page.lines
             if abs(line.size - body) <= 0.3]
    if not lines:
        return Survey(tuple(pages), body, 0.0, 0.0, body * 1.35)
    steps = [b.top - a.top for (pa, a), (pb, b) in pairwise(lines)
             if pa == pb and 0 < b.top - a.top < 2 * body]
    # The text block holds the body and the headings; heads and folios are set smaller.
    block = [line for page in pages for line in page.lines if line.size >= SMALLER * body]
    return Survey(tuple(pages), body, min(line.top for line in block),
                  max(line.bottom for line in block),
                  statistics.median(steps) if steps else body * 1.35)


def key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace(UNMAPPED, ""))
    text = text.encode("ascii", "ignore").decode().casefold()
    return _WORD.sub(" ", text).strip()


def _alike(seen: str, wanted: str, exact: bool) -> bool:
    """The title itself, or (not `exact`) close to it, allowing for glyphs that read back as
    nothing or as stray characters."""
    a, b = key(seen), key(wanted)
    if not b:
        return False
    return b in a if exact else SequenceMatcher(None, a, b).ratio() >= 0.8


def locate(found: Survey, wanted: Sequence[Part]) -> tuple[list[Found], list[Part]]:
    """Each part's opening page (a heading reading as its title, after the previous part's)
    and its last page with text."""
    heads = [" ".join(x.text for x in found.content(i) if found.is_heading(x))
             for i in range(len(found.pages))]
    openings: list[tuple[Part, int]] = []
    missing = []
    start = 0
    for part in wanted:
        at = next((i for exact in (True, False) for i in range(start, len(heads))
                   if heads[i] and _alike(heads[i], part.title, exact)), None)
        if at is None:
            missing.append(part)
        else:
            openings.append((part, at))
            start = at + 1
    located = []
    for number, (part, first) in enumerate(openings):
        end = openings[number + 1][1] if number + 1 < len(openings) else len(found.pages)
        last = max((i for i in range(first, end) if found.content(i)), default=first)
        located.append(Found(part, first, last))
    return located, missing


def page(index: int) -> str:
    return f"page {index + 1}"


def openers(found: Survey, located: Sequence[Found], missing: Sequence[Part]) -> Finding:
    """Every chapter's opening page carries the start of its essay: at least
    `CLOSING_LINES` lines of it below the heading, fact box and jukebox. No exemption for a
    long fact box: the layout makes room (anthology.print.keeps)."""
    chapters = [f for f in located if f.part.kind == "chapter"]
    with_text, bare = 0, []
    for item in chapters:
        lines = found.content(item.first)
        heading = max((x.bottom for x in lines if found.is_heading(x)), default=found.top)
        boxes = [x for x in lines if x.size < SMALLER * found.body and x.top > heading]
        below = max([heading, *(x.bottom for x in boxes)])
        essay = [x for x in lines if found.is_body(x) and x.top > below]
        if not boxes and item.part.views:
            essay = essay[1:]  # the "Number of views" line under the title
        if len(essay) >= CLOSING_LINES:
            with_text += 1
            continue
        room = found.bottom - below  # what the heading, fact box and jukebox left empty
        bare.append(f"{page(item.first)}: {item.part.title} opens with {len(essay)} "
                    f"line{'s' * (len(essay) != 1)} of its essay, "
                    f"{max(room, 0.0) / 72:.1f} in of the page left empty")
    bare += [f"{p.title}: its opening page was not found" for p in missing
             if p.kind == "chapter"]
    return Finding.judged("openers with essay text", f"{with_text} of {len(chapters)}",
                          f"each with \u2265 {CLOSING_LINES} lines of essay", not bare,
                          float(len(bare)), tuple(bare))


def _texts(lines: Sequence[Line]) -> list[Line]:
    """Lines of text, not ornaments (a fleuron alone)."""
    return [x for x in lines if len(x.text.replace(" ", "")) >= 2]


def stranded(found: Survey, located: Sequence[Found]) -> list[Finding]:
    """Closing lines alone on a page, signatures alone at a page's top, a judgement on one
    page and its signature on the next."""
    short, lonely, apart = [], [], []
    signatures = judgements = 0
    prose = [item for item in located if item.part.kind in PROSE]
    for item in prose:
        part = item.part
        if item.last > item.first:
            left = _texts(found.content(item.last))
            if len(left) < CLOSING_LINES:
                short.append(f"{page(item.last)}: {part.title} ends with "
                             f"{len(left)} line{'s' * (len(left) != 1)} alone")
        pages = range(item.first, item.last + 1)
        signed = [(i, n) for i in pages for n, x in enumerate(_texts(found.content(i)))
                  if part.signature and key(x.text) and signs(x.text, part.signature)]
        if signed:
            signatures += 1
            at, position = signed[-1]
            if position == 0 and at > item.first:
                lonely.append(f"{page(at)}: the signature of {part.title} alone at the top")
        if part.judgement:
            judged = [i for i in pages for x in found.content(i) if part.judgement in x.text]
            if judged:
                judgements += 1
                if not signed:
                    apart.append(f"{page(judged[-1])}: {part.title}: no signature after "
                                 "its judgement")
                elif judged[-1] != signed[-1][0]:
                    apart.append(f"{page(judged[-1])}: the judgement of {part.title} is on "
                                 f"{page(judged[-1])}, its signature on {page(signed[-1][0])}")
    return [
        Finding.judged("stranded closing lines", f"{len(short)} of {len(prose)} parts",
                       f"0 ending with < {CLOSING_LINES} lines alone on a page", not short,
                       float(len(short)), tuple(short)),
        Finding.judged("stranded signatures", f"{len(lonely)} of {signatures}",
                       "0 alone at the top of a page", not lonely, float(len(lonely)),
                       tuple(lonely)),
        Finding.judged("judgement apart from signature", f"{len(apart)} of {judgements}",
                       "0 on another page", not apart, float(len(apart)), tuple(apart)),
    ]


def signs(text: str, signature: str) -> bool:
    a, b = key(text), key(signature)
    return a == b or (bool(a) and SequenceMatcher(None, a, b).ratio() >= 0.85)


def _letter(char: str) -> bool:
    """A letter, or a glyph a press file gives no (or a stray, unassigned) character."""
    category = unicodedata.category(char)
    return char == UNMAPPED or category[0] in "LM" or category in ("Cn", "Co")


def _run(text: str) -> int:
    """How many letters `text` starts with."""
    count = 0
    for char in text:
        if not _letter(char):
            break
        count += 1
    return count


def prose_pages(located: Sequence[Found]) -> list[int]:
    """The pages of the foreword, the chapters and the afterword: not the title pages, the
    contents or an index, whose lines are not running text."""
    return sorted({i for f in located if f.part.kind in PROSE
                   for i in range(f.first, f.last + 1)})


def body_lines(found: Survey, pages: Sequence[int]) -> list[tuple[int, Line]]:
    return [(i, x) for i in pages for x in found.content(i) if found.is_body(x)]


def hyphenation(found: Survey, pages: Sequence[int]) -> list[Finding]:
    """Bringhurst's rules for hyphenated line ends."""
    lines = body_lines(found, pages)
    ends = fragments = 0
    longest, run, where_fragments, where_ladders = 0, 0, [], []
    for number, (index, line) in enumerate(lines):
        text = line.text
        hyphen = len(text) >= 2 and text[-1] in ("-", *HYPHENS) and _letter(text[-2])
        after = lines[number + 1] if number + 1 < len(lines) else None
        if hyphen:
            ends += 1
            if text[-1] in HYPHENS and after is not None:
                before = _run(text[:-1][::-1])
                taken = _run(after[1].text)
                if min(before, taken) < FRAGMENT:
                    fragments += 1
                    word = text[:-1][len(text) - 1 - before:] + "-" + after[1].text[:taken]
                    where_fragments.append(f"{page(index)}: {word}")
        joined = (after is not None and after[0] == index
                  and after[1].top - line.top < 1.5 * found.leading)
        run = run + 1 if hyphen else 0
        if run > longest:
            longest = run
        if run == LADDER + 1:
            where_ladders.append(f"{page(index)}: {LADDER + 1} or more hyphenated ends in a "
                                 f"row, to \u201c{text[-24:]}\u201d")
        if not joined:
            run = 0
    share = ends / len(lines) if lines else 0.0
    return [
        Finding.judged("hyphenated line ends", f"{share:.1%} ({ends} of {len(lines)})",
                       f"\u2264 {HYPHENATED_SHARE:.0%}", share <= HYPHENATED_SHARE,
                       round(100 * share, 2)),
        Finding.judged("hyphenation fragments", f"{fragments}",
                       f"0 shorter than {FRAGMENT} letters", not fragments, float(fragments),
                       tuple(where_fragments)),
        Finding.judged("hyphenated ends in a row", f"{longest} at most", f"\u2264 {LADDER}",
                       longest <= LADDER, float(longest), tuple(where_ladders)),
    ]


def dash_led(found: Survey, pages: Sequence[int], signatures: Sequence[str] = ()) -> Finding:
    """A dash belongs to the word before it; a signature set after a dash is no break."""
    led = [f"{page(i)}: \u201c{x.text[:30]}\u201d" for i in pages
           for x in found.content(i) if x.text.startswith(DASHES)
           and not any(signs(x.text, name) for name in signatures)]
    return Finding.judged("lines led by a dash", f"{len(led)}", "0", not led,
                          float(len(led)), tuple(led))


def line_length(found: Survey, pages: Sequence[int]) -> Finding:
    """The measure: characters (spaces included) in the full lines of body text."""
    lines = [x for _, x in body_lines(found, pages)]
    if not lines:
        return Finding.judged("line length", "no body text", _measure(), False)
    widths = sorted(x.width for x in lines)
    block = widths[int(0.95 * (len(widths) - 1))]
    full = [len(x.text) for x in lines if x.width >= FULL_LINE * block]
    mean = statistics.fmean(full)
    low, high = MEASURE
    return Finding.judged("line length", f"{mean:.1f} characters ({len(full)} full lines)",
                          _measure(), low <= mean <= high, round(mean, 1))


def end_blanks(pages: Sequence[PageText]) -> Finding:
    """A press interior that ends on a right-hand page gets one blank left-hand page to make
    its count even; an even one needs none, so two blank pages at the end are one too many."""
    blanks = 0
    for item in reversed(pages):
        if item.lines:
            break
        blanks += 1
    where = (f"pages {len(pages) - blanks + 1}-{len(pages)} are blank",) if blanks > 1 else ()
    return Finding.judged("blank pages at the end", f"{blanks}", "\u2264 1", blanks <= 1,
                          float(blanks), where)


def _measure() -> str:
    return f"{MEASURE[0]:.0f}\u2013{MEASURE[1]:.0f} characters"


@dataclass(frozen=True)
class Reading:
    """One laid-out edition read back once for every check: its lines sorted, each wanted
    part found (or missing), and the pages of running text."""

    wanted: tuple[Part, ...]
    found: Survey
    located: tuple[Found, ...]
    missing: tuple[Part, ...]
    prose: tuple[int, ...]


def read(wanted: Sequence[Part], pages: Sequence[PageText]) -> Reading:
    found = survey(pages)
    located, missing = locate(found, wanted)
    return Reading(tuple(wanted), found, tuple(located), tuple(missing),
                   tuple(prose_pages(located)))


def typesetting(reading: Reading) -> list[Finding]:
    """Every typesetting check of one laid-out edition."""
    found, located, prose = reading.found, reading.located, reading.prose
    return [openers(found, located, reading.missing), *stranded(found, located),
            *hyphenation(found, prose),
            dash_led(found, prose, sorted({p.signature for p in reading.wanted
                                           if p.signature})),
            line_length(found, prose), torn(found, prose)]
