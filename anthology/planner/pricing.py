"""Printing cost and least list price of a volume, per store, from `pricing.toml`.

The rules and numbers live in that one data file, with where they came from and when they
were checked, so a price change is an edit of data; this module only reads it and does the
arithmetic (in Decimal, rounded as the stores round: cost to the cent, the least list price
up to the cent).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from importlib import resources

CENT = Decimal("0.01")
LARGE_WIDTH, LARGE_HEIGHT = 6.12, 9.0  # inches: past either, KDP's large-trim prices apply


@dataclass(frozen=True)
class Band:
    first: int
    last: int
    fixed: Decimal
    per_page: Decimal
    verified: bool


@dataclass(frozen=True)
class Market:
    store: str
    currency: str
    bands: tuple[Band, ...]
    large: tuple[Band, ...] = ()


@dataclass(frozen=True)
class Service:
    """A printer's prices: `keep` is the share of the list price that must cover printing
    (KDP's royalty rate; for IngramSpark what the discount and fee leave)."""

    key: str
    name: str
    rule: str  # the least list price, in words
    source: str
    checked: str
    keep: Decimal
    markets: tuple[Market, ...]


@dataclass(frozen=True)
class Price:
    store: str
    currency: str
    cost: Decimal  # printing one copy
    least: Decimal  # the least list price the store accepts
    verified: bool  # False: from numbers pricing.toml could not confirm


def _bands(rows: list[dict]) -> tuple[Band, ...]:
    return tuple(Band(int(r["from"]), int(r["to"]), Decimal(str(r["fixed"])),
                      Decimal(str(r["per_page"])), bool(r.get("verified", False)))
                 for r in rows)


@functools.cache
def services() -> dict[str, Service]:
    """The services of the bundled pricing.toml, by profile name (kdp, ingram)."""
    data = tomllib.loads(resources.files("anthology.planner").joinpath(
        "pricing.toml").read_text(encoding="utf-8"))
    found = {}
    for key, table in data.items():
        if "royalty" in table:
            keep = Decimal(str(table["royalty"]))
        else:
            keep = 1 - Decimal(str(table["discount"])) - Decimal(str(table.get("fee", 0)))
        markets = tuple(Market(m["store"], m["currency"], _bands(m["bands"]),
                               _bands(m.get("large", []))) for m in table["market"])
        found[key] = Service(key, table["name"], table["rule"], table["source"],
                             table["checked"], keep, markets)
    return found


def _band(bands: tuple[Band, ...], pages: int) -> Band | None:
    """The band holding `pages` (or, between two bands, the one below it)."""
    below = [b for b in bands if b.first <= pages]
    return below[-1] if below else (bands[0] if bands else None)


def is_large(trim: tuple[float, float]) -> bool:
    return trim[0] > LARGE_WIDTH or trim[1] > LARGE_HEIGHT


def price(service: Service, pages: int, trim: tuple[float, float]) -> tuple[Price, ...]:
    """One copy of a `pages`-page book at `trim`, in each market of the service. A large
    trim's band missing from the file falls back to the regular one, marked unverified."""
    prices = []
    for market in service.markets:
        band = _band(market.bands, pages)
        if is_large(trim):
            large = next((b for b in market.large if b.first <= pages <= b.last), None)
            if large is not None:
                band = large
            elif band is not None:
                band = Band(band.first, band.last, band.fixed, band.per_page, False)
        if band is None:
            continue
        cost = (band.fixed + band.per_page * pages).quantize(CENT, ROUND_HALF_UP)
        least = (cost / service.keep).quantize(CENT, ROUND_CEILING)
        prices.append(Price(market.store, market.currency, cost, least, band.verified))
    return tuple(prices)
