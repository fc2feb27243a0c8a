"""Typed models at the seams: what a review source and a volume definition may say.

The `*Source` models are the schemas of the files an author writes (unknown keys are errors);
`Review` and `Volume` are what the rest of the pipeline receives.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from anthology.workspace import files
from anthology.workspace.facts import canonical_key
from anthology.workspace.recordings import check_recording

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

# What prints as nothing: format characters (zero-width space and joiners, word joiner, byte
# order mark, soft hyphen), separators, controls, and the letters and marks that are blank by
# design (combining grapheme joiner, Hangul fillers, the braille blank).
_BLANK_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})
_BLANK_CHARACTERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")


def is_blank(text: str) -> bool:
    """True when `text` would print as nothing at all, however many characters it holds."""
    return all(c in _BLANK_CHARACTERS or unicodedata.category(c) in _BLANK_CATEGORIES
               for c in text)


def _visible(value: str) -> str:
    if is_blank(value):
        raise ValueError("is blank: it holds only invisible characters (such as zero-width "
                         "spaces); write the text to print")
    return value


NonEmpty = Annotated[str, Field(min_length=1, max_length=files.TEXT_CHARS),
                     AfterValidator(_visible)]
Title = Annotated[str, Field(min_length=1, max_length=files.TITLE_CHARS),
                  AfterValidator(_visible)]
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


_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")


def parse_judgement(value: Any) -> Judgement | None:
    """Read `10/10` or `7.5/10`; anything else is a clear error for the author."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = f"{value.get('score')}/{value.get('scale')}"
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("judgement must be a score and a scale such as 8/10")
    if isinstance(value, int | float) or _NUMBER.match(value):
        shown = str(value).strip()
        raise ValueError(f"judgement {shown} has no scale: write it as {shown}/10")
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


_WHOLE = re.compile(r"^[+-]?\d+$")
# YAML 1.1's own timestamps (2024-03-01, 2024-03-01 10:00:00), read as the old loader read them.
_TIMESTAMP = re.compile(yaml.SafeLoader.timestamp_regexp.pattern, re.VERBOSE)
_TIMESTAMPS = yaml.SafeLoader("")


def yes_or_no(value: Any, name: str) -> Any:
    """A switch is written `true` or `false`: `yes`, `on` or `1` are what YAML 1.1 would have
    guessed, and an author reading them back should not have to know that."""
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = str(value).strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    raise ValueError(f"'{text[:40]}' is not true or false: write {name}: true, or leave it out")


def whole_number(value: Any, name: str, example: int) -> Any:
    """A key that is a number (year, appraisal) is written as plain digits: `32:30`, `1e3`,
    `0x7B1` or `yes` are not numbers to an author, whatever YAML 1.1 makes of them."""
    if isinstance(value, bool):
        raise ValueError(f"must be a whole number such as {example}, not {value}")
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not _WHOLE.match(text):
        raise ValueError(f"'{text[:40]}' is not a whole number: write the {name} as digits, "
                         f"e.g. {example}")
    if len(text) > 30:
        raise ValueError(f"{text[:12]}... is far too large for the {name}")
    return int(text)


def plain_date(value: Any) -> Any:
    """A date key (`published`) is written as YYYY-MM-DD (a YAML timestamp at midnight is
    accepted, as it always was); a calendar date that does not exist is an error."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not _TIMESTAMP.match(text):
        raise ValueError(f"'{text[:40]}' is not a date: write it as YYYY-MM-DD, e.g. 2024-03-01")
    node = yaml.ScalarNode("tag:yaml.org,2002:timestamp", text)
    try:
        return _TIMESTAMPS.construct_yaml_timestamp(node)
    except (ValueError, OverflowError) as exc:  # 2024-02-30 looks like a date, is none
        raise ValueError(f"'{text}' is not a date in the calendar: {exc}") from None


class ItemError(ValueError):
    """A fault in one item of a list, so the message can point at that item's line."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


def _fact_value(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(v.strip() for v in value)
    if value is None:
        raise ValueError("has no value")
    if not isinstance(value, str):
        raise ValueError("must be text or a list of texts, not a nested table: write the "
                         "value as it should be printed")
    return value.strip()


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
            if is_blank(text):
                raise ItemError(index, f"fact '{label}' has no value")
            if len(text) > files.TEXT_CHARS or len(label) > files.TITLE_CHARS:
                raise ItemError(index, f"fact '{label[:40]}' is longer than "
                                       f"{files.TEXT_CHARS:,} characters")
            facts.append(Fact(label=label, value=text, key=canonical_key(label)))
        elif isinstance(item, str) and len(item) > files.TEXT_CHARS:
            raise ItemError(index, f"note {index + 1} is longer than {files.TEXT_CHARS:,} "
                                   "characters")
        elif isinstance(item, str) and not is_blank(item):
            facts.append(Fact(label=None, value=item.strip()))
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
    # A review being written: left out of the books unless a build asks for drafts, shown in
    # the preview.
    draft: bool = False

    @field_validator("draft", mode="before")
    @classmethod
    def _draft(cls, value: Any) -> Any:
        return yes_or_no(value, "draft")

    @field_validator("facts", mode="before")
    @classmethod
    def _facts(cls, value: Any) -> tuple[Fact, ...]:
        return parse_facts(value)

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value: Any) -> Any:
        return whole_number(value, "year", 1931)

    @field_validator("appraisal", mode="before")
    @classmethod
    def _appraisal(cls, value: Any) -> Any:
        return whole_number(value, "appraisal number", 112)

    @field_validator("published", mode="before")
    @classmethod
    def _published_text(cls, value: Any) -> Any:
        return plain_date(value)

    @field_validator("published")
    @classmethod
    def _published(cls, value: date | None) -> date | None:
        return None if value is None else check_date(value)

    @field_validator("judgement", mode="before")
    @classmethod
    def _judgement(cls, value: Any) -> Judgement | None:
        return parse_judgement(value)


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


_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")


def check_language(value: str) -> str:
    if not _LANGUAGE.match(value):
        raise ValueError(f"'{value}' is not a language tag such as 'en' or 'en-GB'")
    return value
