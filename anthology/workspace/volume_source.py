"""The schema of `volume.toml`, and a loaded volume: its folder, settings and front matter.

Kept apart from the review's schema (anthology.workspace.models), which it shares only the
field types with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from anthology.editions import DEFAULT_TRIM, TRIMS  # noqa: F401  (read from here too)
from anthology.workspace import files
from anthology.workspace.models import _STRICT, NonEmpty, Text, Title, check_date, check_language
from anthology.workspace.publishing import (
    Classification,
    Edition,
    Identifiers,
    JacketCopy,
    Prices,
    Stores,
    check_isbn,  # noqa: F401  (read from here too)
)


class Series(BaseModel):
    model_config = _STRICT
    name: Title
    number: Annotated[int, Field(ge=1, le=999)]
    last: bool = False  # the series' last volume: it carries the index of the whole series


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
    # "The Numbers": charts of the volume's scores, decades, directors, actors, genres and
    # running times, printed as back matter (docs/source-format.md).
    numbers: bool = False
    # The key to the scores, in the author's words: front matter of a volume showing judgements.
    score_key: Annotated[str, Field(max_length=4000)] | None = None
    # The volume's page in a store: references from other volumes' EPUBs link to it.
    store: Text | None = None
    series: Series | None = None
    identifiers: Identifiers = Identifiers()
    edition: Edition = Edition()
    prices: Prices = Prices()
    classification: Classification = Classification()
    stores: Stores = Stores()
    jacket: JacketCopy = JacketCopy()
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
