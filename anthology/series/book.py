"""The resolved values a book is made of: frozen, and all a writer (EPUB, PDF) ever reads.

Writers never look at sources, the workspace or the file system except through the assets
named here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from anthology.series.markup import Asset
from anthology.workspace.publishing import Stores
from anthology.workspace.volume_source import DEFAULT_TRIM, TRIMS


@dataclass(frozen=True)
class FactLine:
    label: str | None
    value: str
    key: str | None
    anchor: str | None = None  # an id for the fact, where an index points to it


@dataclass(frozen=True)
class TrackLine:
    artist: str
    song: str | None
    lang: str | None = None  # the song title's language when it differs from the book's
    musicbrainz: str | None = None  # the recording's MusicBrainz id, for the playlists


@dataclass(frozen=True)
class GuestPiece:
    byline: str
    xhtml: str


@dataclass(frozen=True)
class Reference:
    """A reference to a review ("Read Also", or `[[Title]]` in an essay): to a chapter of this
    book (`chapter_id`), or to the volume that prints it (`volume`, and the chapter's id there
    as `target`). Print gives its page; the EPUB links to it, or names the other volume."""

    slug: str  # the review's
    title: str
    chapter_id: str | None = None
    volume: str | None = None  # the other volume's slug
    target: str | None = None  # the chapter's id in that volume
    volume_title: str | None = None
    volume_label: str | None = None  # "Vol. II": how print names the other volume
    store: str | None = None  # the other volume's store page
    stores: Stores = field(default_factory=Stores)  # its page at each store (store editions)

    @property
    def page_key(self) -> str:
        """What the print edition looks its page up by: an anchor here, "volume#anchor"
        in another volume."""
        return self.chapter_id or f"{self.volume}#{self.target}"


@dataclass(frozen=True)
class Appendix:
    """Back matter made from the data (an index, the soundtrack, the numbers): a ready XHTML
    fragment. Page locators in it are `a` elements with `data-locator` (an anchor here, or
    "volume#anchor"): print shows the page, the EPUB links (see anthology.render.xrefs)."""

    kind: str  # "index", "numbers", "soundtrack"
    id: str
    title: str
    xhtml: str
    epub_type: str = "appendix"
    role: str = "doc-appendix"


@dataclass(frozen=True)
class Chapter:
    id: str
    number: int
    title: str
    year: int | None
    appraisal: int | None
    views: str | None
    author: str
    facts: tuple[FactLine, ...]
    tracks: tuple[TrackLine, ...]
    judgement: str | None
    essay: str
    guests: tuple[GuestPiece, ...]
    related: tuple[Reference, ...]
    references: tuple[Reference, ...] = ()  # those in the essay
    critic: str | None = None  # the pen name before "Appraisal" and "Judgement"

    @property
    def heading(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True)
class Matter:
    """Front or back matter written by the author: dedication, foreword, afterword."""

    kind: str
    title: str
    xhtml: str


@dataclass(frozen=True)
class SeriesPlace:
    name: str
    number: int


@dataclass(frozen=True)
class Book:
    slug: str
    title: str
    subtitle: str | None
    author: str
    publisher: str | None
    language: str
    date: date
    rights: str | None
    series: SeriesPlace | None
    identifier: str
    print_identifier: str
    isbn_ebook: str | None
    isbn_print: str | None
    dedication: Matter | None
    foreword: Matter | None
    afterword: Matter | None
    back_cover: Matter | None
    chapters: tuple[Chapter, ...]
    assets: tuple[Asset, ...]
    cover: Asset | None
    embed_fonts: bool = False
    description: str | None = None
    subjects: tuple[str, ...] = ()
    certified_by: str | None = None
    trim: tuple[float, float] = TRIMS[DEFAULT_TRIM]
    bleed: bool = False
    paper: str = "white"
    appendices: tuple[Appendix, ...] = ()
    score_key: str | None = None  # XHTML: the key to the scores, for the front matter
    isbn_hardcover: str | None = None
    edition: str = ""  # the copyright page's edition line: "First edition 2026"
    # List prices: (edition, currency, amount), such as ("paperback", "USD", Decimal("24.99")).
    prices: tuple[tuple[str, str, Decimal], ...] = ()
    flap_author: str | None = None  # the dust jacket's back flap ([jacket] in volume.toml)
    # The author's own `description` (not the one made from the reviews): the back cover's blurb.
    blurb: str | None = None

    def price(self, edition: str, currency: str) -> Decimal | None:
        """The list price of an edition ("ebook", "paperback", "hardcover") in a currency."""
        return next((amount for kind, cur, amount in self.prices
                     if kind == edition and cur == currency), None)

    @property
    def references(self) -> dict[str, Reference]:
        """Every review the book refers to, by slug."""
        return {r.slug: r for c in self.chapters for r in (*c.related, *c.references)}

    @property
    def contributors(self) -> tuple[str, ...]:
        """Guest essayists, in book order, each once."""
        return tuple(dict.fromkeys(g.byline for c in self.chapters for g in c.guests))

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title
