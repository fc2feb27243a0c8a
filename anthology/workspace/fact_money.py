"""Budgets and box office as amounts with a currency, for `fact_values`.

Kept apart from the other readers because money has the most forms: symbols and codes before or
after ("$3,000,000", "US$ 45 million", "300 million yen"), multipliers ("£1.2 million", "€2m"),
ranges ("$5.5 – 6 million") and hedges ("estimated", "over"). A bare "$" is taken as US dollars,
as film reference works use it; "A$", "C$", "HK$" and codes say otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

_PREFIXES = {
    "US$": "USD", "U.S.$": "USD", "USD": "USD", "$": "USD", "A$": "AUD", "AU$": "AUD",
    "AUD": "AUD", "C$": "CAD", "CA$": "CAD", "CAD": "CAD", "HK$": "HKD", "HKD": "HKD",
    "NZ$": "NZD", "NZD": "NZD", "R$": "BRL", "BRL": "BRL", "Mex$": "MXN", "MXN": "MXN",
    "£": "GBP", "UK£": "GBP", "GBP": "GBP", "€": "EUR", "EUR": "EUR", "¥": "JPY",
    "JP¥": "JPY", "JPY": "JPY", "CN¥": "CNY", "RMB": "CNY", "CNY": "CNY", "₹": "INR",
    "INR": "INR", "Rs.": "INR", "Rs": "INR", "₩": "KRW", "KRW": "KRW", "₽": "RUB", "RUB": "RUB",
    "DM": "DEM", "DEM": "DEM", "FF": "FRF", "FRF": "FRF", "ITL": "ITL", "ESP": "ESP",
    "SEK": "SEK", "DKK": "DKK", "NOK": "NOK", "CHF": "CHF", "AUS$": "AUD",
}
_WORDS = {
    "us dollars": "USD", "dollars": "USD", "pounds sterling": "GBP", "pounds": "GBP",
    "euros": "EUR", "euro": "EUR", "yen": "JPY", "lire": "ITL", "lira": "ITL",
    "french francs": "FRF", "francs": "FRF", "deutsche marks": "DEM", "deutschmarks": "DEM",
    "marks": "DEM", "pesetas": "ESP", "rupees": "INR", "won": "KRW", "yuan": "CNY",
    "kronor": "SEK", "swedish kronor": "SEK", "danish kroner": "DKK", "norwegian kroner": "NOK",
    "roubles": "RUB", "rubles": "RUB",
    # Historical currencies without an ISO 4217 code keep their usual abbreviation.
    "reichsmarks": "RM", "reichsmark": "RM",
}
_MULTIPLIERS = {"thousand": 10**3, "k": 10**3, "million": 10**6, "mil": 10**6, "mill": 10**6,
                "mn": 10**6, "m": 10**6, "mm": 10**6, "billion": 10**9, "bn": 10**9, "b": 10**9}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) + (r"\b" if w[-1].isalnum() else "")
                    for w in sorted(words, key=len, reverse=True))


_CUR = _alternation(list(_PREFIXES))
_SUFFIX_CUR = _alternation([*_WORDS, *(c for c in _PREFIXES if c.isalpha())])
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3}){2,}|\d+(?:[.,]\d+)?"
_MULT = r"(?:thousand|million|billion|mill|mil|mn|bn|mm|k|m|b)(?![a-z])"
_AMOUNT = re.compile(
    rf"(?P<c1>{_CUR})?\s*(?P<n1>{_NUM})\s*(?P<x1>{_MULT})?"
    rf"(?:\s*(?:–|—|-|to)\s*(?P<c2>{_CUR})?\s*(?P<n2>{_NUM})\s*(?P<x2>{_MULT})?)?"
    rf"(?:\s*(?P<c3>{_SUFFIX_CUR}))?", re.IGNORECASE)
_ESTIMATE = re.compile(r"\b(?:estimated|estimate|est\.|est|approx\.|approximately|approx|about|"
                       r"around|roughly|circa|c\.|some)(?=\W|$)|~|≈", re.IGNORECASE)
_OVER = re.compile(r"\b(?:over|more than|in excess of|at least|above)\b", re.IGNORECASE)
_UNDER = re.compile(r"\b(?:under|less than|below|up to|nearly|almost)\b", re.IGNORECASE)
_BRACKETS = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")


@dataclass(frozen=True)
class Amount:
    """An amount of money: `high` set for a range; `currency` an ISO 4217 code (or None when
    none was written); `bound` "over" or "under" for "over $3 million"; `note` any other words
    ("worldwide", "US")."""

    currency: str | None
    low: Decimal
    high: Decimal | None = None
    estimated: bool = False
    bound: Literal["over", "under"] | None = None
    note: str | None = None


@dataclass(frozen=True)
class Money:
    amounts: tuple[Amount, ...]


def shown(text: str, limit: int = 60) -> str:
    """A value quoted in a warning, shortened so one line stays readable."""
    text = " ".join(text.split())
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"


def amount_text(value: Decimal) -> str:
    """An amount without exponent or trailing zeros: Decimal('5.5E+6') -> '5500000'."""
    return f"{value.normalize():f}"


def _number(digits: str) -> Decimal:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", digits):  # 1.200.000, European grouping
        return Decimal(digits.replace(".", ""))
    if re.fullmatch(r"\d+,\d{1,2}", digits):  # 2,5 (decimal comma)
        return Decimal(digits.replace(",", "."))
    return Decimal(digits.replace(",", ""))


def _currency(*codes: str | None) -> str | None:
    for code in codes:
        if code:
            key = code.strip()
            return _PREFIXES.get(key) or _PREFIXES.get(key.upper()) or _WORDS.get(key.lower())
    return None


def _amount(part: str) -> tuple[Amount | None, str | None]:
    text = part
    notes = [n.strip() for n in _BRACKETS.findall(text)]
    text = _BRACKETS.sub(" ", text)
    estimated = bool(_ESTIMATE.search(text)) or any(_ESTIMATE.fullmatch(n) for n in notes)
    notes = [n for n in notes if n and not _ESTIMATE.fullmatch(n)]
    bound: Literal["over", "under"] | None = (
        "over" if _OVER.search(text) else "under" if _UNDER.search(text) else None)
    match = next((m for m in _AMOUNT.finditer(text) if m["n1"]), None)
    if match is None:
        return None, f"{shown(part)} is not an amount this can read (write e.g. '$3,000,000')"
    rest = text[:match.start()] + " " + text[match.end():]
    for pattern in (_ESTIMATE, _OVER, _UNDER):
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"\s+", " ", rest).strip(" ,;:–—-")
    if re.search(r"\d", rest):
        return None, f"{shown(part)} is not an amount this can read (write e.g. '$3,000,000')"
    if rest:
        notes.insert(0, rest)
    try:
        low, high = _number(match["n1"]), _number(match["n2"]) if match["n2"] else None
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None, f"{shown(part)} is not an amount this can read"
    x1, x2 = (match["x1"] or "").lower(), (match["x2"] or "").lower()
    if not x1 and x2 and high is not None and low < 1000:
        x1 = x2  # "$5.5 – 6 million": the multiplier serves both
    low *= _MULTIPLIERS.get(x1, 1)
    if high is not None:
        high *= _MULTIPLIERS.get(x2, 1)
    currency = _currency(match["c1"], match["c2"], match["c3"])
    amount = Amount(currency, Decimal(amount_text(low)),
                    Decimal(amount_text(high)) if high is not None else None, estimated, bound,
                    "; ".join(notes) or None)
    if high is not None and high < low:
        return amount, f"{shown(part)}: the range ends below where it starts"
    if currency is None:
        return amount, f"{shown(part)} names no currency (write e.g. '$3 million' or '£2m')"
    return amount, None


def read_money(written: str) -> tuple[Money | None, list[str]]:
    """Amounts separated by semicolons or lines, each with its own notes."""
    amounts: list[Amount] = []
    problems: list[str] = []
    for part in re.split(r"\s*[;\n]\s*", written):
        if not part.strip():
            continue
        amount, problem = _amount(part.strip())
        if amount is not None:
            amounts.append(amount)
        if problem:
            problems.append(problem)
    return (Money(tuple(amounts)) if amounts else None), problems
