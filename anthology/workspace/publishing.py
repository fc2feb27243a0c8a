"""The publisher's part of `volume.toml`: an ISBN per edition, the edition line, list prices,
subject codes for the stores' shelves and where the volume is sold.

Each edition (the e-book, the paperback, the hardcover) is a product of its own to a store or a
distributor: its own ISBN, its own prices. The same facts feed the OPF, the copyright page, the
barcode on a cover and the ONIX feed, so they are checked once, here.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated

import isbnlib
from pydantic import BaseModel, Field, field_validator, model_validator

from anthology.workspace.models import _STRICT, Text


class EditionKind(StrEnum):
    ebook = "ebook"
    paperback = "paperback"
    hardcover = "hardcover"


def check_isbn(value: str) -> str:
    """An ISBN-10 or ISBN-13 (stores reject a wrong check digit) as the 13 digits every store
    and barcode takes: a 10-digit one is converted (978 prefix, new check digit)."""
    digits = isbnlib.canonical(value)
    if isbnlib.notisbn(digits):
        raise ValueError(f"'{value}' is not a valid ISBN (wrong length or check digit)")
    return isbnlib.to_isbn13(digits) if len(digits) == 10 else digits


class Identifiers(BaseModel):
    """`[identifiers]`: an ISBN for each edition published. `isbn_print` is the paperback's,
    by the name it had before hardcovers."""

    model_config = _STRICT
    isbn_ebook: str | None = None
    isbn_paperback: str | None = None
    isbn_print: str | None = None
    isbn_hardcover: str | None = None
    uuid: str | None = None

    @field_validator("isbn_ebook", "isbn_paperback", "isbn_print", "isbn_hardcover")
    @classmethod
    def _isbn(cls, value: str | None) -> str | None:
        return None if value is None else check_isbn(value)

    @model_validator(mode="after")
    def _one_each(self) -> Identifiers:
        if self.isbn_print and self.isbn_paperback and self.isbn_print != self.isbn_paperback:
            raise ValueError("isbn_print and isbn_paperback name the same edition: keep one")
        given = [i for i in (self.isbn_ebook, self.paperback, self.isbn_hardcover) if i]
        if len(set(given)) != len(given):
            raise ValueError("two editions have the same ISBN: each edition needs its own")
        return self

    @property
    def paperback(self) -> str | None:
        return self.isbn_paperback or self.isbn_print

    def isbn(self, kind: EditionKind) -> str | None:
        return {EditionKind.ebook: self.isbn_ebook, EditionKind.paperback: self.paperback,
                EditionKind.hardcover: self.isbn_hardcover}[kind]


class Edition(BaseModel):
    """`[edition]`: the copyright page's edition line, "First edition 2026"."""

    model_config = _STRICT
    statement: Annotated[str, Field(min_length=1, max_length=200)] = "First edition"
    year: Annotated[int, Field(ge=1450, le=2100)] | None = None  # default: the volume's date


_CURRENCY = re.compile(r"^[A-Z]{3}$")
_AMOUNT = re.compile(r"^\d{1,7}(\.\d{1,2})?$")


def _prices(value: dict[str, object]) -> dict[str, Decimal]:
    """Amounts as written ("9.99", never a float's 9.9899...), by ISO 4217 currency."""
    prices: dict[str, Decimal] = {}
    for currency, amount in value.items():
        if not _CURRENCY.match(currency):
            raise ValueError(f"'{currency}' is not a currency code (USD, GBP, EUR...)")
        text = amount if isinstance(amount, str) else repr(amount)
        if isinstance(amount, bool) or not _AMOUNT.match(text.strip()):
            raise ValueError(f"{currency} price '{amount}' is not an amount such as \"9.99\"")
        try:
            prices[currency] = Decimal(text.strip())
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
            raise ValueError(f"{currency} price '{amount}' is not an amount") from exc
    return prices


class Prices(BaseModel):
    """`[prices]`: each edition's list price by currency: `paperback = { USD = "24.99" }`."""

    model_config = _STRICT
    ebook: dict[str, Decimal] = {}
    paperback: dict[str, Decimal] = {}
    hardcover: dict[str, Decimal] = {}

    @field_validator("ebook", "paperback", "hardcover", mode="before")
    @classmethod
    def _amounts(cls, value: object) -> object:
        if not isinstance(value, dict):
            raise ValueError("give prices as a table of currencies: { USD = \"9.99\" }")
        return _prices(value)

    def of(self, kind: EditionKind) -> dict[str, Decimal]:
        return {EditionKind.ebook: self.ebook, EditionKind.paperback: self.paperback,
                EditionKind.hardcover: self.hardcover}[kind]


_BISAC = re.compile(r"^[A-Z]{3}\d{6}$")
_THEMA = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,9}$")


class Classification(BaseModel):
    """`[classification]`: the codes distributors shelve a book by: BISAC (North America,
    e.g. PER004030) and Thema (everywhere else, e.g. ATFD)."""

    model_config = _STRICT
    bisac: tuple[str, ...] = ()
    thema: tuple[str, ...] = ()

    @field_validator("bisac")
    @classmethod
    def _bisac(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not _BISAC.match(code):
                raise ValueError(f"'{code}' is not a BISAC code (three letters, six digits)")
        return value

    @field_validator("thema")
    @classmethod
    def _thema(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not _THEMA.match(code):
                raise ValueError(f"'{code}' is not a Thema code (such as ATFD or 1KBB-US)")
        return value


class Store(StrEnum):
    """The stores an e-book edition is made for (`build --stores`)."""

    kindle = "kindle"
    apple = "apple"
    kobo = "kobo"
    google = "google"
    nook = "nook"


_HTTPS = re.compile(r"^https://[^\s/]+\.[^\s/]+(/\S*)?$")


class Stores(BaseModel):
    """`[stores]`: this volume's page at each store, for the "also in this series" links of
    every store edition (each links only to its own store: a rival's link is a rejection)."""

    model_config = _STRICT
    kindle: Text | None = None
    apple: Text | None = None
    kobo: Text | None = None
    google: Text | None = None
    nook: Text | None = None

    @field_validator("kindle", "apple", "kobo", "google", "nook")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not _HTTPS.match(value):
            raise ValueError(f"'{value}' is not an https:// address")
        return value

    def link(self, store: Store) -> str | None:
        return getattr(self, store.value)


class JacketCopy(BaseModel):
    """`[jacket]`: the hardcover's dust jacket copy. The front flap carries the volume's blurb
    (`description`, or the one made from its reviews); the back flap `flap_author`, the
    author's note ("Jonah Whitlock has written about films since..."), or, without it, the
    author's name alone."""

    model_config = _STRICT
    flap_author: Annotated[str, Field(min_length=1, max_length=1200)] | None = None
