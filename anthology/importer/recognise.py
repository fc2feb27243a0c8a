"""Recognise a review in the lines of a saved page: a typed `ImportedReview`, plus every line that
was left out of it and why.

A review page has its parts in a fixed order (title, appraisal number, fact box, jukebox, essay,
judgement, guest essays, cross-links, signature, shop links, copyright, comments), but eight
years of posts changed the wording of every part. So lines are recognised by shape (a short
`Label: value` line, a numbered track with a quoted song, a name alone on a line) rather than
by exact text, and the position in the page decides what an ambiguous line is: a name after a
guest essay is its byline, after the critic's signature it is a commenter.

Nothing of value is dropped silently: essay paragraphs are always kept, and every line that is
not kept (a caption, an image file name, a share button) comes back as a `DroppedLine` with its
line number for the import report.
"""

from __future__ import annotations

from anthology.importer.body import read_body
from anthology.importer.findings import Findings
from anthology.importer.head import read_boxes, read_header
from anthology.importer.lines import (
    MD_IMAGE,
    Line,
    clean_markdown,
    plain_text,
    split_lines,
    text_to_markdown,
)
from anthology.importer.model import (
    Dropped,
    DroppedLine,
    ImportedFact,
    ImportedGuest,
    ImportedReview,
    ImportedTrack,
    Notice,
    Recognition,
)
from anthology.importer.shapes import (
    SENTENCE_END,
    fact_of,
    is_jukebox_heading,
    is_name,
    is_paragraph,
    name_of,
    strong_kind,
    track_of,
)
from anthology.workspace.facts import canonical_key

__all__ = [
    "Dropped", "DroppedLine", "ImportedFact", "ImportedGuest", "ImportedReview", "ImportedTrack",
    "Line", "Notice", "Recognition", "clean_markdown", "fact_of", "is_jukebox_heading",
    "is_name", "is_paragraph", "name_of", "plain_text", "recognise", "split_lines",
    "strong_kind", "text_to_markdown", "track_of",
]


def recognise(text: str, *, markdown: bool = False) -> Recognition:
    """Recognise one page. `markdown` is True for text converted from HTML (a WordPress post),
    whose emphasis and links are kept; a saved plain-text page is escaped instead."""
    lines = split_lines(text, markdown)
    found = Findings()
    if not lines:
        return Recognition(None, skipped="the page has no text")
    for line in lines:
        if line.text:  # images inside a paragraph: the words stay, the image is reported
            for image in MD_IMAGE.finditer(line.raw):
                found.drop(line, Dropped.IMAGE, image[0])
    index = read_header(lines, found)
    index = read_boxes(lines, index, found)
    if found.appraisal is None and not any(canonical_key(f.label or "") for f in found.facts):
        return Recognition(None, skipped="not an appraisal: no 'Appraisal #' line and no fact "
                           "box (an editorial, a list or a Q&A?)", title=found.title)
    read_body(lines, index, found)
    _check(found)
    review = ImportedReview(
        title=found.title, year=found.year, appraisal=found.appraisal, views=found.views,
        facts=tuple(found.facts), jukebox=tuple(found.jukebox), judgement=found.judgement,
        related=tuple(dict.fromkeys(found.related)), author=found.author,
        pen_name=found.pen_name, essay=tuple(found.essay), guests=tuple(found.guests),
    )
    return Recognition(review, tuple(sorted(found.dropped, key=lambda d: d.number)),
                       tuple(found.notices), title=found.title)


def _check(found: Findings) -> None:
    """Warn about what a complete appraisal has and this page lacks."""
    if found.year is None:
        found.notice(found.title_line, "no year found: the first line should read 'Title (Year)'")
    if not found.facts:
        found.notice(0, "no fact box found")
    if not found.essay:
        found.notice(0, "no essay paragraphs found" + (
            "" if found.judgement else ": the page looks truncated; compare it with the blog"))
    if found.judgement is None:
        last = found.essay[-1] if found.essay else ""
        if last and not SENTENCE_END.search(plain_text(last)):
            found.notice(found.last_essay_line, "no judgement, and the last paragraph ends "
                         "mid-sentence: the page looks truncated; compare it with the blog")
        else:
            found.notice(0, "no judgement line found ('... Judgement: 8/10')")
