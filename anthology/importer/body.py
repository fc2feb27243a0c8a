"""The body of a page: the essay, the judgement, guest essays, cross-links, the tail."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from anthology.importer.findings import Findings
from anthology.importer.head import read_tracks
from anthology.importer.lines import Line, plain_text, text_to_markdown
from anthology.importer.model import Dropped, DroppedLine, ImportedGuest
from anthology.importer.shapes import (
    COMMENTS_START,
    GLUED_FILE,
    INDENTED_NUMBER,
    JUDGEMENT,
    LIST_ITEM,
    RELATED,
    SIGNATURE_TITLE,
    dropped_links,
    is_jukebox_heading,
    is_name,
    is_paragraph,
    name_of,
    same_title,
    strong_kind,
    words,
)


class _Phase(StrEnum):
    ESSAY = "essay"
    AFTER = "after the judgement"
    TAIL = "after the signature"


@dataclass
class _Body:
    """Where the reading of the body has got to."""

    phase: _Phase = _Phase.ESSAY
    has_judgement: bool = False
    pending: list[tuple[int, str]] = field(default_factory=list)
    paragraph: list[Line] = field(default_factory=list)


def _signature_at(lines: Sequence[Line], index: int, pen: str | None, title_alone: bool) -> int:
    """How many lines of the critic's signature start here (a name, then "Keeper of ...")."""
    text = lines[index].text
    if title_alone and SIGNATURE_TITLE.match(text) and words(text) <= 10:
        return 1
    nxt = lines[index + 1].text if index + 1 < len(lines) else ""
    after = lines[index + 2].text if index + 2 < len(lines) else ""
    if not (is_name(text) and nxt and words(nxt) <= 10):
        return 0
    if SIGNATURE_TITLE.match(nxt):
        return 2
    # "Name / The Crimson Quill" signs too, unless the next line is itself a name above a
    # "Keeper of ..." line: then this name is a guest's byline and the signature follows it.
    if pen and pen.casefold() in nxt.casefold() and not (
            is_name(nxt) and SIGNATURE_TITLE.match(after)):
        return 2
    return 0


def _flush(found: Findings, body: _Body) -> None:
    """End the paragraph being gathered: into the essay, a guest essay, or the comments."""
    if not body.paragraph:
        return
    first = body.paragraph[0]
    markdown = "\n".join(line.markdown for line in body.paragraph)
    if body.phase is _Phase.TAIL:
        for line in body.paragraph:
            found.drop(line, Dropped.COMMENT)
        body.paragraph = []
        return
    for line in body.paragraph:
        for words_, href in dropped_links(line.raw):
            found.notice(line.number, f"link '{href}' on '{words_}' cannot be followed from "
                         "a book: the words were kept, the link left out")
    if body.phase is _Phase.AFTER:
        body.pending.append((first.number, markdown))
    else:
        found.essay.append(markdown)
        found.essay_lines.append(first.number)
        found.last_essay_line = body.paragraph[-1].number
    body.paragraph = []


def _glued_file(line: Line, found: Findings) -> Line:
    """Split an image file name off the front of a paragraph it was glued to."""
    match = GLUED_FILE.match(line.text)
    if match is None or words(match["rest"]) < 4:
        return line
    found.drop(line, Dropped.IMAGE, match["file"])
    md = GLUED_FILE.match(line.markdown)
    markdown = md["rest"].strip() if md else text_to_markdown(match["rest"].strip())
    return Line(line.number, line.raw, match["rest"].strip(), markdown, line.block)


def read_body(lines: Sequence[Line], index: int, found: Findings) -> None:
    """The essay, the judgement, guest essays with their bylines, and the page's tail."""
    body = _Body(has_judgement=any(JUDGEMENT.match(line.text) for line in lines[index:]))
    while index < len(lines):
        line = _glued_file(lines[index], found)
        index = _body_line(lines, index, line, found, body)
    _flush(found, body)
    _end_guest(found, body)
    _drop_pull_quotes(found)


def _quote_key(markdown: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", plain_text(markdown).casefold()).split())


_PULL_QUOTE_REACH = 6  # paragraphs either side


def _drop_pull_quotes(found: Findings) -> None:
    """A short paragraph that repeats words of another paragraph is a pull quote: the words
    are in the essay already, so the repetition is left out (and reported)."""
    keys = [_quote_key(markdown) for markdown in found.essay]
    keep = []
    for index, (markdown, key) in enumerate(zip(found.essay, keys, strict=True)):
        # A pull quote is a few words lifted out of a longer paragraph, not most of it.
        # It stands near the paragraph it repeats: looking only there keeps a page of
        # thousands of paragraphs linear.
        nearby = range(max(0, index - _PULL_QUOTE_REACH),
                       min(len(keys), index + _PULL_QUOTE_REACH + 1))
        repeated = 3 <= len(key.split()) <= 40 and any(
            other != index and len(keys[other]) * 0.8 >= len(key)
            and f" {key} " in f" {keys[other]} " for other in nearby)
        if repeated:
            found.dropped.append(DroppedLine(found.essay_lines[index], Dropped.PULL_QUOTE,
                                             plain_text(markdown)))
        keep.append(not repeated)
    found.essay = [m for m, k in zip(found.essay, keep, strict=True) if k]
    found.essay_lines = [n for n, k in zip(found.essay_lines, keep, strict=True) if k]


def _body_line(lines: Sequence[Line], index: int, line: Line, found: Findings,
               body: _Body) -> int:
    """Recognise one line of the body; returns the index of the next line to read."""
    text = line.text
    same_block = index + 1 < len(lines) and lines[index + 1].block == line.block
    alone = not same_block and (not body.paragraph)
    kind = strong_kind(line)
    if kind is not None:
        _flush(found, body)
        found.drop(line, kind)
        return index + 1
    if (related := RELATED.match(text)) and words(text) <= 12 and not text.endswith("."):
        _flush(found, body)
        found.related.append(related["title"].strip())
        return index + 1
    if body.phase is not _Phase.ESSAY and (
            INDENTED_NUMBER.match(line.raw) or (alone and COMMENTS_START.match(text))):
        _flush(found, body)
        _end_guest(found, body)
        body.phase = _Phase.TAIL
        found.drop(line, Dropped.COMMENT)
        return index + 1
    if body.phase is _Phase.TAIL:
        body.paragraph.append(line)
        if not same_block:
            _flush(found, body)
        return index + 1
    # With a judgement on the page the signature follows it; without one (a page cut short),
    # only a name above a "Keeper of ..." line is taken for it.
    signs = body.phase is _Phase.AFTER or not body.has_judgement
    if not body.paragraph and signs and (signature := _signature_at(lines, index, found.pen_name,
                                                          body.phase is _Phase.AFTER)):
        _flush(found, body)
        _end_guest(found, body)
        if signature == 2:
            found.author = name_of(text)
        for line_ in lines[index:index + signature]:
            found.drop(line_, Dropped.SIGNATURE)
        body.phase = _Phase.TAIL
        return index + signature
    if body.phase is _Phase.ESSAY and (judgement := JUDGEMENT.match(text)):
        _flush(found, body)
        score, scale = float(judgement["score"]), int(judgement["scale"])
        if scale > 0 and score <= scale:
            found.judgement = f"{judgement['score']}/{judgement['scale']}"
        else:
            found.notice(line.number, f"judgement '{text}' is outside its scale; it was left "
                         "out: write it in the source as a score such as 10/10")
        found.pen_name = found.pen_name or ((judgement["pen"] or "").strip() or None)
        body.phase = _Phase.AFTER
        return index + 1
    if alone and body.phase is _Phase.ESSAY and is_jukebox_heading(text):
        after = read_tracks(lines, index + 1, found)
        if after > index + 1:
            return after
    if alone and (same_title(text, found.title)
                  or ("giphy" in text.casefold() and words(text) <= 4)):
        found.drop(line, Dropped.CAPTION)
        return index + 1
    if alone and body.phase is _Phase.AFTER and is_name(text):
        if body.pending:
            found.guests.append(ImportedGuest(name_of(text),
                                              tuple(md for _, md in body.pending)))
            body.pending = []
        else:
            found.author = found.author or name_of(text)
            found.drop(line, Dropped.SIGNATURE)
            body.phase = _Phase.TAIL
        return index + 1
    # A guest's own score is part of the guest essay, not a caption.
    guest_score = body.phase is _Phase.AFTER and JUDGEMENT.match(text)
    if alone and not is_paragraph(text) and not LIST_ITEM.match(line.raw) and not guest_score:
        found.drop(line, Dropped.CAPTION)
        return index + 1
    body.paragraph.append(line)
    if not same_block:
        _flush(found, body)
    return index + 1


def _end_guest(found: Findings, body: _Body) -> None:
    """Paragraphs after the judgement with no byline before the signature stay the critic's."""
    if body.pending:
        found.notice(body.pending[0][0], f"{len(body.pending)} paragraph(s) after the judgement "
                     "have no byline, so they are not a guest essay: kept at the end of the essay")
        found.essay.extend(markdown for _, markdown in body.pending)
        found.essay_lines.extend(number for number, _ in body.pending)
        body.pending = []
