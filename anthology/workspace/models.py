"""Typed models at the seams: what a review source and a volume definition may say.

The `*Source` models are the schemas of the files an author writes (unknown keys are errors);
`Review` and `Volume` are what the rest of the pipeline receives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Literal

import isbnlib
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from anthology.workspace import files
from anthology.workspace.facts import canonical_key
from anthology.workspace.recordings import check_recording

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

NonEmpty = Annotated[str, Field(min_length=1, max_length=files.TEXT_CHARS)]
Title = Annotated[str, Field(min_length=1, max_length=files.TITLE_CHARS)]
Text = Annotated[str, Field(max_length=files.TEXT_CHARS)]


class Fact(BaseModel):
    """One fact-box entry: a labelled value, or a note with no label ("Based on a novel by ...")."""

    model_config = ConfigDict(frozen=True)
    label: str | None
    value: str
    key: str | None = None

    @property
    def is_note(self) -> bool:
        return self.label is None


class Track(BaseModel):
    model_config = _STRICT
    artist: NonEmpty
    song: NonEmpty | None = None  # None only for a track written as one line of text
    lang: str | None = None  # the song title's language, when it is not the book's
    # The MusicBrainz recording id, for the playlists' identifiers; never looked up.
    musicbrainz: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _whole(cls, data: Any) -> Any:
        # A track written as one line ("Artist Song", as import keeps an unsplittable one) is
        # printed whole; a track written as artist and song needs both.
        if isinstance(data, str):
            return {"artist": data}
        if isinstance(data, dict) and data.get("song") is None:
            raise ValueError("a track needs a song: give 'artist' and 'song', or write the "
                             "whole track as one line of text")
        return data

    @field_validator("lang")
    @classmethod
    def _lang(cls, value: str | None) -> str | None:
        return None if value is None else check_language(value)

    @field_validator("musicbrainz")
    @classmethod
    def _musicbrainz(cls, value: str | None) -> str | None:
        return None if value is None else check_recording(value)


class Judgement(BaseModel):
    """A score on a scale, e.g. 7.5/10, kept as written (no float rounding)."""

    model_config = ConfigDict(frozen=True)
    score: Decimal
    scale: int

    def __str__(self) -> str:
        return f"{self.score.normalize():f}/{self.scale}"


_JUDGEMENT = re.compile(r"^\s*(?P<score>\d+(?:\.\d+)?)\s*/\s*(?P<scale>\d+)\s*$")


def parse_judgement(value: Any) -> Judgement | None:
    """Read `10/10` or `7.5/10`; anything else is a clear error for the author."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = f"{value.get('score')}/{value.get('scale')}"
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("judgement must be a score and a scale such as 8/10")
    if isinstance(value, int | float):
        raise ValueError(f"judgement {value} has no scale: write it as {value}/10")
    match = _JUDGEMENT.match(value)
    if not match:
        raise ValueError(f"judgement '{value}' is not a score: write it like 8/10 or 7.5/10")
    try:
        score, scale = Decimal(match["score"]), int(match["scale"])
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise ValueError(f"judgement '{value}' is not a number") from exc
    if scale == 0 or score > scale or scale > 1000:
        raise ValueError(f"judgement '{value}' is outside its scale")
    return Judgement(score=score, scale=scale)


FIRST_YEAR, LAST_YEAR = 1800, 2100


def check_date(value: date) -> date:
    """A date a book can carry: EPUB and zip timestamps end in 2107, and a typo such as 2206
    is likelier than a book from the future."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"{value.isoformat()} is not a plausible date "
                         f"(years {FIRST_YEAR} to {LAST_YEAR})")
    return value


class ItemError(ValueError):
    """A fault in one item of a list, so the message can point at that item's line."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


def _fact_value(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v).strip() for v in value)
    if value is None:
        raise ValueError("has no value")
    if isinstance(value, dict | list):
        raise ValueError("must be text or a list of texts, not a nested table: write the "
                         "value as it should be printed")
    return str(value).strip()


def parse_facts(items: Any) -> tuple[Fact, ...]:
    """Facts are a list of `Label: value` entries or plain notes, in the author's order."""
    if items is None:
        return ()
    if not isinstance(items, list):
        raise ValueError("facts must be a list of '- Label: value' entries")
    if len(items) > files.FACT_ENTRIES:
        raise ValueError(f"{len(items)} facts are more than a fact box holds "
                         f"(at most {files.FACT_ENTRIES})")
    facts = []
    for index, item in enumerate(items):
        if isinstance(item, dict):
            if len(item) != 1:
                raise ItemError(
                    index, f"fact {index + 1} must have exactly one label, found {len(item)}: "
                    "start each fact with its own '- '"
                )
            ((label, value),) = item.items()
            label = str(label).strip()
            try:
                text = _fact_value(value)
            except ValueError as exc:
                raise ItemError(index, f"fact '{label}' {exc}") from None
            if not text:
                raise ItemError(index, f"fact '{label}' has no value")
            if len(text) > files.TEXT_CHARS or len(label) > files.TITLE_CHARS:
                raise ItemError(index, f"fact '{label[:40]}' is longer than "
                                       f"{files.TEXT_CHARS:,} characters")
            facts.append(Fact(label=label, value=text, key=canonical_key(label)))
        elif isinstance(item, str | int | float) and len(str(item)) > files.TEXT_CHARS:
            raise ItemError(index, f"note {index + 1} is longer than {files.TEXT_CHARS:,} "
                                   "characters")
        elif isinstance(item, str | int | float) and str(item).strip():
            facts.append(Fact(label=None, value=str(item).strip()))
        else:
            raise ItemError(index, f"fact {index + 1} is empty or not text")
    return tuple(facts)


class LintSettings(BaseModel):
    """`lint:` in a review's front matter: linter codes not to report for this file."""

    model_config = _STRICT
    ignore: tuple[Annotated[str, Field(min_length=1, max_length=100,
                                       pattern=r"^[a-z0-9][a-z0-9-]*$")], ...] = ()


class ReviewSource(BaseModel):
    """The front matter of a review file. Unknown keys are errors."""

    model_config = _STRICT
    title: Title
    year: Annotated[int, Field(ge=1870, le=2100)] | None = None
    appraisal: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    views: Text | None = None
    facts: tuple[Fact, ...] = ()
    jukebox: Annotated[tuple[Track, ...], Field(max_length=files.TRACK_ENTRIES)] = ()
    judgement: Judgement | None = None
    related: tuple[Title, ...] = ()
    # Other titles the film is known by (original-language, release or working titles): "see"
    # entries in the film index, and names a reference may use.
    aka: tuple[Title, ...] = ()
    author: Text | None = None
    url: Text | None = None
    published: date | None = None
    tags: tuple[NonEmpty, ...] = ()
    lint: LintSettings = LintSettings()

    @field_validator("facts", mode="before")
    @classmethod
    def _facts(cls, value: Any) -> tuple[Fact, ...]:
        return parse_facts(value)

    @field_validator("published")
    @classmethod
    def _published(cls, value: date | None) -> date | None:
        return None if value is None else check_date(value)

    @field_validator("judgement", mode="before")
    @classmethod
    def _judgement(cls, value: Any) -> Judgement | None:
        return parse_judgement(value)

    @field_validator("views", "author", "url", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        return str(value) if numeric else value

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: Any) -> Any:
        # A film called "1917" or "9" is still a title.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


@dataclass(frozen=True)
class GuestEssay:
    byline: str
    markdown: str
    line: int


@dataclass(frozen=True)
class Related:
    title: str
    line: int


@dataclass(frozen=True)
class Review:
    """A loaded, validated review: its front matter, its essay and where each part came from."""

    slug: str
    path: Path
    meta: ReviewSource
    essay: str
    essay_line: int
    guests: tuple[GuestEssay, ...]
    related: tuple[Related, ...]
    fact_lines: tuple[int, ...] = ()  # the line of each fact, for warnings about its value

    @property
    def title(self) -> str:
        return self.meta.title


def check_isbn(value: str) -> str:
    """Validate an ISBN-10 or ISBN-13 (stores reject a wrong check digit); return its digits."""
    digits = isbnlib.canonical(value)
    if isbnlib.notisbn(digits):
        raise ValueError(f"'{value}' is not a valid ISBN (wrong length or check digit)")
    return digits


class Series(BaseModel):
    model_config = _STRICT
    name: Title
    number: Annotated[int, Field(ge=1, le=999)]
    last: bool = False  # the series' last volume: it carries the index of the whole series


class Identifiers(BaseModel):
    model_config = _STRICT
    isbn_ebook: str | None = None
    isbn_print: str | None = None
    uuid: str | None = None

    @field_validator("isbn_ebook", "isbn_print")
    @classmethod
    def _isbn(cls, value: str | None) -> str | None:
        return None if value is None else check_isbn(value)


# Trim sizes in inches, as print services name them.
TRIMS: dict[str, tuple[float, float]] = {
    "5x8": (5.0, 8.0),
    "5.25x8": (5.25, 8.0),
    "5.5x8.5": (5.5, 8.5),
    "6x9": (6.0, 9.0),
    "6.14x9.21": (6.14, 9.21),
    "a5": (5.83, 8.27),
}
DEFAULT_TRIM = "6x9"


class PrintSettings(BaseModel):
    model_config = _STRICT
    trim: Literal["5x8", "5.25x8", "5.5x8.5", "6x9", "6.14x9.21", "a5"] = "6x9"
    bleed: bool = False  # art or rules that run off the page edge
    paper: Literal["white", "cream"] = "white"  # sets the spine width of the cover


class EpubSettings(BaseModel):
    model_config = _STRICT
    # E-readers let readers pick their own font; embedding ours is the publisher's choice.
    embed_fonts: bool = False
    # Who evaluated the book's accessibility (a person or a service): named in the EPUB only
    # when someone did; the build itself certifies nothing.
    certified_by: Text | None = None


class Contents(BaseModel):
    model_config = _STRICT
    reviews: tuple[NonEmpty, ...] | None = None


_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")


def check_language(value: str) -> str:
    if not _LANGUAGE.match(value):
        raise ValueError(f"'{value}' is not a language tag such as 'en' or 'en-GB'")
    return value

Order = Literal["appraisal", "title", "year", "list"]
IndexKind = Literal["films", "directors", "actors", "years", "scores"]


class VolumeSource(BaseModel):
    """The schema of `volume.toml`."""

    model_config = _STRICT
    title: Title
    subtitle: Annotated[str, Field(max_length=files.TITLE_CHARS)] | None = None
    author: NonEmpty
    # The critic's pen name as the blog prints it ("Crimson Quill's Appraisal #573").
    critic: Text | None = None
    # Written by `anthology import` with a placeholder title and date: check and build warn.
    draft: bool = False
    publisher: Text | None = None
    language: str = "en"
    date: date
    rights: Text | None = None
    description: Annotated[str, Field(max_length=4000)] | None = None  # the stores' blurb
    subjects: tuple[NonEmpty, ...] = ()  # genres and themes, for the stores' shelves
    dedication: str | None = None
    foreword: str | None = None
    afterword: str | None = None
    cover: str | None = None
    back_cover: str | None = None
    order: Order | None = None
    # The indexes printed as back matter, in this order.
    indexes: tuple[IndexKind, ...] = ()
    soundtrack: bool = False  # back matter: every jukebox track, by film, and the artists
    # The key to the scores, in the author's words: front matter of a volume showing judgements.
    score_key: Annotated[str, Field(max_length=4000)] | None = None
    # The volume's page in a store: references from other volumes' EPUBs link to it.
    store: Text | None = None
    series: Series | None = None
    identifiers: Identifiers = Identifiers()
    contents: Contents = Contents()
    epub: EpubSettings = EpubSettings()
    print: PrintSettings = PrintSettings()

    @field_validator("date")
    @classmethod
    def _date(cls, value: date) -> date:
        return check_date(value)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return check_language(value)

    @field_validator("store")
    @classmethod
    def _store(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https://[^\s/]+\.[^\s/]+(/\S*)?$", value):
            raise ValueError(f"store '{value}' is not an https:// address")
        return value

    @field_validator("indexes")
    @classmethod
    def _indexes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("an index is named twice")
        return value

    @model_validator(mode="after")
    def _explicit_list(self) -> VolumeSource:
        if self.order == "list" and self.contents.reviews is None:
            raise ValueError("order = 'list' needs a [contents] reviews list")
        return self

    @property
    def chapter_order(self) -> Order:
        """An explicit list implies list order unless the author asked for another."""
        if self.order is not None:
            return self.order
        return "list" if self.contents.reviews is not None else "appraisal"


@dataclass(frozen=True)
class Volume:
    """A loaded volume definition: its folder, its settings and the text of its front matter."""

    slug: str
    folder: Path
    source: VolumeSource
    dedication: str | None
    foreword: str | None
    afterword: str | None
    back_cover: str | None = None

    @property
    def path(self) -> Path:
        return self.folder / "volume.toml"
