"""What recognition finds on a page: typed, frozen values for the writer and the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Dropped(StrEnum):
    """Why a line is not in the review."""

    CAPTION = "caption"
    IMAGE = "image file name"
    CREDIT = "credit"
    PULL_QUOTE = "pull quote"
    BOILERPLATE = "boilerplate"
    PURCHASE = "purchase"
    SIGNATURE = "signature"
    COPYRIGHT = "copyright"
    COMMENT = "comment"


@dataclass(frozen=True)
class DroppedLine:
    number: int
    kind: Dropped
    text: str


@dataclass(frozen=True)
class Notice:
    """Something the author should check, at a line of the page (0: the page as a whole)."""

    line: int
    message: str


@dataclass(frozen=True)
class ImportedFact:
    """A fact-box entry with the author's own label, or a note with no label."""

    label: str | None
    value: str


@dataclass(frozen=True)
class ImportedTrack:
    """A jukebox track; `song` is None for a line with no quoted song, kept whole as `artist`."""

    artist: str
    song: str | None


@dataclass(frozen=True)
class ImportedGuest:
    byline: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class ImportedReview:
    """Everything recognised on one page, ready to be written as a review source."""

    title: str
    year: int | None = None
    appraisal: int | None = None
    views: str | None = None
    facts: tuple[ImportedFact, ...] = ()
    jukebox: tuple[ImportedTrack, ...] = ()
    judgement: str | None = None
    related: tuple[str, ...] = ()
    author: str | None = None
    pen_name: str | None = None
    essay: tuple[str, ...] = ()
    guests: tuple[ImportedGuest, ...] = ()
    url: str | None = None
    published: date | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recognition:
    """The outcome for one page: a review (None when the page is not one), what was left out,
    and what to check."""

    review: ImportedReview | None
    dropped: tuple[DroppedLine, ...] = ()
    notices: tuple[Notice, ...] = ()
    skipped: str | None = None
    title: str = ""
