"""Typed values for the fact-box keys the model understands (people, dates, times, money,
countries, genres).

The fact box is printed as the author wrote it; a typed value is extra knowledge for indexes and
checks, never a replacement. So reading never fails: `read_fact` returns what it could read and,
for the rest, reasons the caller reports as `path:line: warning:` (see `report`).

Why no parsing library: `dateutil.parser` guesses (it fills a missing day or month from today,
so "1992" would become a date that changes with the build day, and its fuzzy mode reads a year
out of any sentence), `dateparser` is slow and multilingual beyond need, and `price-parser` reads
one number and a symbol but not "£1.2 million", ranges or "estimated". The forms a critic writes
are few; exact patterns here say precisely what was not understood, which is what a warning
needs. Dates are checked with `datetime.date`, amounts are `Decimal` (no float rounding).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from anthology.workspace.fact_money import Amount, Money, read_money, shown
from anthology.workspace.facts import canonical_key
from anthology.workspace.problems import Problems

__all__ = ["PEOPLE_KEYS", "Amount", "FactValue", "Money", "People", "Person", "Reading",
           "ReleaseDate", "Releases", "RunningTime", "Term", "Terms", "read_fact", "report"]

PEOPLE_KEYS = frozenset({"director", "producer", "screenplay", "cinematography", "score",
                         "editing", "stars"})
_BRACKETS = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")
_FILLERS = frozenset({"others", "et al", "et al.", "etc", "etc.", "various", "more", "and others"})
_SUFFIX = re.compile(r"^(Jr\.?|Sr\.?|II|III|IV|V|Esq\.?)$")
_LEAD = re.compile(r"^(with|and introducing|introducing|featuring|feat\.|special guest)\s+(?=\S)",
                   re.IGNORECASE)
_ROLE_AS = re.compile(r"^(?P<name>.+?)\s+(?P<note>as\s+\S.*)$")
_ROLE_DASH = re.compile(r"^(?P<name>.+?)\s+[–—-]\s+(?P<note>\S.*)$")
_MONTHS = {name: number for number, names in enumerate(
    ("january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
     "august aug", "september sep sept", "october oct", "november nov", "december dec"),
    start=1) for name in names.split()}
_MONTH_NAMES = ("", *"January February March April May June July August September October "
                    "November December".split())  # English whatever the locale
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_DATES = [re.compile(p, re.IGNORECASE) for p in (
    rf"{_YEAR}-(?P<mnum>\d{{1,2}})(?:-(?P<day>\d{{1,2}}))?",
    rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}",
    rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",
    rf"{_MONTH},?\s+{_YEAR}",
    r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.]" + _YEAR,
    _YEAR)]
_COMPOUND_COUNTRIES = ("Bosnia and Herzegovina", "Trinidad and Tobago", "Antigua and Barbuda",
                       "Serbia and Montenegro", "Saint Kitts and Nevis", "Turks and Caicos",
                       "Saint Vincent and the Grenadines", "São Tomé and Príncipe")
_HOURS = r"(?:h|hr|hrs|hour|hours)\.?"
_MINUTES = r"(?:m|min|mins|minute|minutes|′|')\.?"
_DURATION = re.compile(rf"(?<!\d)(?:(?P<h>\d{{1,3}})\s*{_HOURS}\s*(?:(?P<hm>\d{{1,3}})\s*"
                       rf"(?:{_MINUTES})?)?|(?P<c>\d{{1,3}}):(?P<cm>\d\d)|(?P<m>\d{{1,5}})\s*"
                       rf"{_MINUTES}|(?P<bare>\d{{1,5}}))(?=\W|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Person:
    """A credited name; annotations ("uncredited", "as Pinhead", "voice") kept apart."""

    name: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class People:
    people: tuple[Person, ...]


@dataclass(frozen=True)
class ReleaseDate:
    """A date as precise as written: a year, a month of a year, or a day; `note` holds a
    country or occasion ("UK", "Cannes")."""

    year: int
    month: int | None = None
    day: int | None = None
    note: str | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def date(self) -> datetime.date | None:
        """The calendar date, only when the day is known."""
        return datetime.date(self.year, self.month, self.day) if self.day and self.month else None

    @property
    def order(self) -> tuple[int, int, int]:
        """For chronological order: a bare year sorts before its months and days."""
        return (self.year, self.month or 0, self.day or 0)


@dataclass(frozen=True)
class Releases:
    dates: tuple[ReleaseDate, ...]

    @property
    def first(self) -> ReleaseDate:
        """The earliest release, for a chronological index."""
        return min(self.dates, key=lambda d: d.order)


@dataclass(frozen=True)
class RunningTime:
    """Minutes of the main version; other versions (director's cut) as (label, minutes)."""

    minutes: int
    versions: tuple[tuple[str, int], ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Term:
    """A country or a genre as written, with any bracketed note apart."""

    name: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Terms:
    terms: tuple[Term, ...]


FactValue = People | Releases | RunningTime | Money | Terms


@dataclass(frozen=True)
class Reading:
    """What a fact's value means: the typed value (None when nothing could be read or the key is
    not one the model understands) and the reasons for anything not understood."""

    key: str | None
    value: FactValue | None
    problems: tuple[str, ...] = ()


def _split(text: str, separators: str) -> list[str]:
    """Split at a separator pattern outside brackets."""
    pieces, depth, start, position = [], 0, 0, 0
    pattern = re.compile(separators)
    while position < len(text):
        char = text[position]
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        match = pattern.match(text, position) if depth == 0 else None
        if match and match.end() > position:
            pieces.append(text[start:position])
            start = position = match.end()
            continue
        position += 1
    pieces.append(text[start:])
    return [p.strip() for p in pieces]


def _notes(piece: str) -> tuple[str, tuple[str, ...]]:
    """Bracketed annotations taken out of a piece: ("Doug Bradley", ("uncredited",))."""
    notes = tuple(n.strip() for n in _BRACKETS.findall(piece) if n.strip())
    return re.sub(r"\s+", " ", _BRACKETS.sub("", piece)).strip(), notes


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += 1 if char in "([" else -1 if char in ")]" else 0
        if depth < 0:
            return False
    return depth == 0


def _protect(text: str, names: Collection[str]) -> tuple[str, dict[str, str]]:
    """Known names (people.toml) are never split: "Earth, Wind & Fire" stays whole."""
    kept: dict[str, str] = {}
    for number, name in enumerate(sorted(names, key=len, reverse=True)):
        if name and name in text:
            token = f"\x00{number}\x00"
            kept[token] = name
            text = text.replace(name, token)
    return text, kept


def _people(written: str, names: Collection[str]) -> tuple[People | None, list[str]]:
    if not _balanced(written):
        return None, [f"unbalanced brackets in {shown(written)}"]
    text, kept = _protect(written, names)
    pieces = []
    for piece in _split(text, r"\s*[;,\n]\s*|\s+(?:and|&)\s+|\s+/\s*|\s*/\s+"):
        halves = _split(piece, "/")  # "Fabio Frizzi/Giorgio Tucci", but "AC/DC" is one
        pieces.extend(halves if all(" " in h for h in halves) else [piece])
    people: list[Person] = []
    problems = []
    for piece in pieces:
        for token, name in kept.items():
            piece = piece.replace(token, name)
        name, notes = _notes(re.sub(r"^(?:and|&)\s+", "", piece))  # ", and" (Oxford comma)
        if lead := _LEAD.match(name):  # "with Clare Higgins", "introducing Ashley Laurence"
            name, notes = name[lead.end():], (lead[1], *notes)
        if not name or name.lower() in _FILLERS:
            continue
        if _SUFFIX.match(name) and people and not notes:
            last = people.pop()
            people.append(Person(f"{last.name}, {name}", last.notes))
            continue
        for pattern in (_ROLE_AS, _ROLE_DASH):
            if (match := pattern.match(name)) and name not in names:
                name, notes = match["name"], (*notes, match["note"])
                break
        if not any(c.isalpha() for c in name) or len(name.split()) > 6:
            problems.append(f"{shown(piece)} does not read as a name")
            continue
        people.append(Person(name, notes))
    return (People(tuple(people)) if people else None), problems


def _month(word: str) -> int | None:
    return _MONTHS.get(word.lower().rstrip("."))


def _one_date(text: str) -> tuple[ReleaseDate | None, str, str | None]:
    """(date, what follows it, problem) for the date at the start of `text`."""
    for pattern in _DATES:
        match = pattern.match(text)
        if match is None or (text[match.end():match.end() + 1].isalnum()):
            continue
        parts = match.groupdict()
        year, day = int(parts["year"]), int(parts["day"]) if parts.get("day") else None
        month = int(parts["mnum"]) if parts.get("mnum") else None
        if parts.get("month") and (month := _month(parts["month"])) is None:
            continue
        if parts.get("a"):
            a, b = int(parts["a"]), int(parts["b"])
            if a <= 12 and b <= 12 and a != b:
                return None, "", (f"{shown(match[0])} is ambiguous: write '{a} "
                                  f"{_MONTH_NAMES[b]} {year}' or '{b} "
                                  f"{_MONTH_NAMES[a]} {year}'")
            day, month = (a, b) if a > 12 or a == b else (b, a)
        if not 1870 <= year <= 2200:
            return None, "", f"{year} is not a year a film was released"
        try:
            datetime.date(year, month or 1, day or 1)
        except ValueError:
            return None, "", f"{shown(match[0])} is not a date in the calendar"
        return ReleaseDate(year, month, day), text[match.end():], None
    return None, "", None


def _releases(written: str) -> tuple[Releases | None, list[str]]:
    dates: list[ReleaseDate] = []
    problems: list[str] = []
    for part in _split(written, r"\s*[;\n]\s*"):
        if not part:
            continue
        prefix = re.match(r"^(?P<note>[A-Za-z][\w .'’-]{0,40}):\s+", part)
        text = part[prefix.end():] if prefix else part
        found = 0
        while text:
            date, rest, problem = _one_date(text.strip())
            if date is None:
                problems.append(problem or f"{shown(part)} is not a date this can read "
                                           "(write e.g. '23 October 1992', 'October 1992')")
                break
            found += 1
            lead = re.match(r"^(?:\s*[(\[][^()\[\]]*[)\]])*", rest)
            notes = _notes(lead[0])[1]
            rest = rest[lead.end():]
            follow = re.match(r"^\s*(?:,|and|&)\s*(?=\d|[A-Za-z]{3})", rest)
            if follow and _one_date(rest[follow.end():])[0] is not None:
                text = rest[follow.end():]
            else:
                text, tail = "", rest.strip().lstrip(",–—-:").strip()
                notes = (*notes, tail) if tail else notes
            if prefix:
                notes = (prefix["note"].strip(), *notes)
            dates.append(ReleaseDate(date.year, date.month, date.day,
                                     "; ".join(notes) if notes else None))
    return (Releases(tuple(dates)) if dates else None), problems


def _minutes(text: str) -> tuple[int | None, str]:
    """Minutes of the first duration in `text`, and the text around it."""
    match = _DURATION.search(text)
    if match is None:
        return None, text
    g = match.groupdict()
    if g["h"]:
        minutes = int(g["h"]) * 60 + int(g["hm"] or 0)
    elif g["c"]:
        minutes = int(g["c"]) * 60 + int(g["cm"])
    else:
        minutes = int(g["m"] or g["bare"])
    around = (text[:match.start()] + " " + text[match.end():]).strip(" :,–—-")
    return minutes, re.sub(r"\s+", " ", around)


def _running_time(written: str) -> tuple[RunningTime | None, list[str]]:
    main: tuple[int, str | None] | None = None
    versions: list[tuple[str, int]] = []
    problems: list[str] = []
    for part in _split(written, r"\s*[;\n]\s*|\s+/\s+"):
        if not part:
            continue
        text, notes = _notes(part)
        minutes, label = _minutes(text)
        if minutes is None or re.search(r"\d", label) or not 1 <= minutes <= 6000:
            problems.append(f"{shown(part)} is not a running time this can read "
                            "(write e.g. '98 minutes' or '1 hr 38 min')")
            continue
        others = []
        for note in notes:
            extra, note_label = _minutes(note)
            if extra is not None and note_label:
                versions.append((note_label, extra))
            else:
                others.append(note)
        label = "; ".join(x for x in (label, *others) if x) or None
        if main is None:
            main = (minutes, label)
        else:
            versions.append((label or "", minutes))
    if main is None:
        return None, problems
    return RunningTime(main[0], tuple(versions), main[1]), problems


def _terms(written: str, key: str) -> tuple[Terms | None, list[str]]:
    text, kept = _protect(written, _COMPOUND_COUNTRIES if key == "country" else ())
    extra = r"|\s+(?:and|&)\s+" if key == "country" else r"|\s+[–—]\s+"
    terms, problems = [], []
    for piece in _split(text, r"\s*[;,/|\n]\s*" + extra):
        for token, name in kept.items():
            piece = piece.replace(token, name)
        name, notes = _notes(re.sub(r"^(?:and|&)\s+", "", piece) if key == "country" else piece)
        if not name:
            continue
        if not any(c.isalpha() for c in name):
            problems.append(f"{shown(piece)} does not read as a {key}")
            continue
        terms.append(Term(name, notes))
    return (Terms(tuple(terms)) if terms else None), problems


def read_fact(label: str | None, written: str, key: str | None = None, *,
              names: Collection[str] = ()) -> Reading:
    """Read a fact's value as written. `key` defaults to `canonical_key(label)`; `names` are
    names known to be one person (people.toml), never split at their commas or "&"."""
    key = key or (canonical_key(label) if label else None)
    text = written.strip()
    value: FactValue | None
    if key in PEOPLE_KEYS:
        value, problems = _people(text, names)
    elif key == "release_date":
        value, problems = _releases(text)
    elif key == "running_time":
        value, problems = _running_time(text)
    elif key in ("budget", "box_office"):
        value, problems = read_money(text)
    elif key in ("country", "genre"):
        value, problems = _terms(text, key)
    else:
        return Reading(key, None)
    if value is None and not problems:
        problems = [f"{shown(written)} has nothing this can read"]
    if len(problems) > 3:  # one fact, one line: a few reasons say enough
        problems = [*problems[:3], f"{len(problems) - 3} more parts not read"]
    named = (label or key or "").strip().rstrip(":")
    return Reading(key, value, tuple(f"{named}: {p}" for p in problems))


def report(reading: Reading, path: Path, line: int, problems: Problems) -> None:
    """Each reason as a warning at the fact's line; the fact is still printed as written."""
    for problem in reading.problems:
        problems.warning(path, line, f"{problem}; it is printed as written")
