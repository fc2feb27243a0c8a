"""The top of a page: title, appraisal number, views, the fact box and the jukebox."""

from __future__ import annotations

from collections.abc import Sequence

from anthology.importer.findings import Findings
from anthology.importer.lines import Line
from anthology.importer.model import Dropped, ImportedFact, ImportedTrack
from anthology.importer.shapes import (
    APPRAISAL,
    NOTE,
    QUOTES_CLOSE,
    SENTENCE_END,
    TITLE_YEAR,
    VIEWS,
    fact_of,
    is_jukebox_heading,
    is_paragraph,
    same_title,
    strong_kind,
    track_of,
    track_text,
    words,
)
from anthology.workspace.facts import canonical_key


def read_header(lines: Sequence[Line], found: Findings) -> int:
    """Title and year, appraisal number and pen name, number of views: the top of the page.
    Returns the index of the first line after them."""
    index = 0
    while index < len(lines) and (kind := strong_kind(lines[index])) is not None:
        found.drop(lines[index], kind)
        index += 1
    if index == len(lines):
        return index
    # The title line is the first "Title (Year)" line near the top; site names before it go.
    window = lines[index:index + 4]
    titled = next((i for i, line in enumerate(window) if TITLE_YEAR.match(line.text)
                   and _not_a_fact(line.text)), None)
    if titled is not None and (match := TITLE_YEAR.match(window[titled].text)):
        for line in window[:titled]:
            if not _header_line(line, found):
                same = same_title(line.text, match["title"])
                found.drop(line, Dropped.CAPTION if same else Dropped.BOILERPLATE)
        index += titled
        found.title, found.year = match["title"].strip(), int(match["year"])
    else:
        found.title = lines[index].text
    found.title_line = lines[index].number
    index += 1
    while index < len(lines):
        line = lines[index]
        if _header_line(line, found):
            pass
        elif same_title(line.text, found.title):
            found.drop(line, Dropped.CAPTION)
        elif strong_kind(line) is Dropped.BOILERPLATE:
            found.drop(line, Dropped.BOILERPLATE)
        else:
            break
        index += 1
    return index


def _not_a_fact(text: str) -> bool:
    """A title may hold a colon ("Hellbound: Hellraiser II (1988)"); a fact has a known label."""
    fact = fact_of(text)
    return fact is None or canonical_key(fact.label or "") is None


def _header_line(line: Line, found: Findings) -> bool:
    if (match := APPRAISAL.match(line.text)) and found.appraisal is None:
        found.appraisal = int(match["number"])
        found.pen_name = (match["pen"] or "").strip() or None
        return True
    if (match := VIEWS.match(line.text)) and found.views is None:
        # The review's `views`, as hand-written sources have it, not a row of the fact box.
        found.views = match["views"].strip()
        return True
    return False


def read_tracks(lines: Sequence[Line], index: int, found: Findings) -> int:
    """The tracks under a jukebox heading, numbered `[1]`, `1)`, `1.` or not at all; images
    and credits among them are left out. Returns the index after the last track, or `index`
    when no track follows."""
    start, end, junk = index, index, []
    while index < len(lines):
        line = lines[index]
        track, numbered = track_of(line.text)
        short = words(line.text) <= 15 and (line.text.endswith(tuple(QUOTES_CLOSE + "’'"))
                                            or not is_paragraph(line.text))
        if track is not None and (numbered or short):
            found.jukebox.append(track)
        elif numbered and 0 < words(line.text) <= 20 and not SENTENCE_END.search(line.text):
            whole = track_text(line.text)
            found.jukebox.append(ImportedTrack(whole, None))
            found.notice(line.number, f"track '{line.text}' has no quoted song: kept whole as "
                         "'{whole}'; write it as Artist “Song”".replace("{whole}", whole))
        elif (kind := strong_kind(line)) in (Dropped.IMAGE, Dropped.CREDIT, Dropped.CAPTION):
            junk.append((line, kind))
            index += 1
            continue
        else:
            break
        index += 1
        end = index
        for junk_line, kind in junk:
            found.drop(junk_line, kind)
        junk = []
    return end if end > start else start


def read_boxes(lines: Sequence[Line], index: int, found: Findings) -> int:
    """The fact box and the jukebox, in either order, up to the first essay paragraph."""
    after_jukebox = False
    while index < len(lines):
        line = lines[index]
        text = line.text
        fact = fact_of(text, known_only=after_jukebox)
        kind = strong_kind(line)
        if _header_line(line, found):
            index += 1
        elif is_jukebox_heading(text):
            after = read_tracks(lines, index + 1, found)
            if after == index + 1:
                break  # a heading-like line with no tracks: the essay's business
            after_jukebox, index = True, after
        elif fact is not None and (kind is None or canonical_key(fact.label or "")):
            found.facts.append(fact)
            index += 1
        elif kind is not None:
            found.drop(line, kind)
            index += 1
        elif _continues(found.facts, line, lines[index - 1] if index else None):
            last = found.facts[-1]
            found.facts[-1] = ImportedFact(last.label, f"{last.value} {text}")
            index += 1
        elif _is_note(lines, index, bool(found.facts)):
            found.facts.append(ImportedFact(None, text))
            index += 1
        elif not found.essay and _caption_in_box(lines, index):
            found.drop(line, Dropped.CAPTION)
            index += 1
        else:
            break
    return index


def _following(lines: Sequence[Line], index: int) -> str:
    return lines[index + 1].text if index + 1 < len(lines) else ""


def _is_note(lines: Sequence[Line], index: int, in_box: bool) -> bool:
    """An unlabelled line in the fact box ("Based on a novel by ..."): it says so, or it sits
    between facts (or just before the jukebox)."""
    text = lines[index].text
    following = _following(lines, index)
    if words(text) > 25:
        return False
    if NOTE.match(text):
        return in_box or fact_of(following) is not None
    return in_box and words(text) <= 20 and not is_paragraph(text) and (
        fact_of(following) is not None or is_jukebox_heading(following))


def _continues(facts: Sequence[ImportedFact], line: Line, previous: Line | None) -> bool:
    """A fact value wrapped onto the next line ("Stars: A, B," then "C, D")."""
    return bool(facts and previous is not None and previous.block == line.block
                and facts[-1].value.endswith((",", "&", " and"))
                and words(line.text) <= 20 and ":" not in line.text)


def _caption_in_box(lines: Sequence[Line], index: int) -> bool:
    """A poster caption between the header and the fact box, or inside the box."""
    text = lines[index].text
    following = fact_of(_following(lines, index))
    return (not is_paragraph(text) and following is not None
            and canonical_key(following.label or "") is not None)
