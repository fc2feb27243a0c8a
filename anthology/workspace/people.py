"""People across the series: the optional workspace `people.toml`, index headings for names,
and names that differ only slightly.

An index that lists "Nicolas Cage" and "Nicholas Cage" splits one actor in two, and one that
files "Daniel Day-Lewis" under L or "Sun Ra" as "Ra, Sun" misleads; the author settles such
cases once, in people.toml:

    [[person]]
    name = "Daniel Day-Lewis"          # as the index shows it
    sort = "Day-Lewis, Daniel"         # the heading, when the default would be wrong
    aliases = ["Daniel Day Lewis"]     # other spellings of the same person

    [[person]]
    name = "Bong Joon-ho"
    inverted = false                   # family name first, or a single name: as written

    [[distinct]]
    names = ["Mark Ross", "Mark Rose"] # two people, however alike the names

Names are matched exactly (after Unicode NFC and collapsing spaces): a spelling the file does
not give is a different spelling, which `similar_names` then points out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from anthology.workspace import files
from anthology.workspace.collation import SortKey, fold, sort_key
from anthology.workspace.problems import Problem, Problems, Severity
from anthology.workspace.volumes import read_toml_file

PEOPLE_FILE = "people.toml"
Name = Annotated[str, Field(min_length=1, max_length=files.TITLE_CHARS)]
_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
# Particles written in lower case go after the given name (CMOS 16.71: "Sydow, Max von");
# capitalised ones lead the heading ("De Palma, Brian", "Van Sant, Gus", "St. John, Jill").
_LOWER_PARTICLES = frozenset({"von", "van", "der", "den", "de", "du", "des", "da", "di", "del",
                              "della", "dos", "das", "do", "ter", "ten", "zu", "zur", "vom",
                              "y", "e", "le", "la", "af", "av"})
_CAPITAL_PARTICLES = frozenset({"De", "Del", "Della", "Di", "Da", "Du", "Van", "Von", "Le", "La",
                                "Des", "St.", "St", "Saint", "Ste.", "Dos", "Das", "Ter", "Ten"})
_SUFFIX = re.compile(r"^(Jr\.?|Sr\.?|II|III|IV|V|VI|Esq\.?)$")


class PersonEntry(BaseModel):
    """One person: the name shown, an optional heading, whether to invert, other spellings."""

    model_config = _STRICT
    name: Name
    sort: Name | None = None
    inverted: StrictBool = True  # TOML has true and false; "no" is a mistake
    aliases: tuple[Name, ...] = ()

    @model_validator(mode="after")
    def _one_rule(self) -> PersonEntry:
        if self.sort is not None and not self.inverted:
            raise ValueError("give either 'sort' or 'inverted = false', not both")
        return self


class DistinctEntry(BaseModel):
    """Names that look alike but belong to different people."""

    model_config = _STRICT
    names: tuple[Name, ...] = Field(min_length=2)


class PeopleSource(BaseModel):
    """people.toml as written."""

    model_config = _STRICT
    person: tuple[PersonEntry, ...] = ()
    distinct: tuple[DistinctEntry, ...] = ()


def normalise(name: str) -> str:
    """The form names are matched in: NFC, single spaces, no surrounding space."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def default_heading(name: str) -> str:
    """A personal name inverted for an index, Chicago style, when people.toml says nothing:
    "Max von Sydow" -> "Sydow, Max von"; "Brian De Palma" -> "De Palma, Brian";
    "Sammy Davis Jr." -> "Davis, Sammy, Jr."; a single name or one already inverted as is."""
    text = normalise(name)
    suffix = ""
    head, comma, tail = text.rpartition(",")
    if comma and _SUFFIX.match(tail.strip()):
        text, suffix = head.strip(), tail.strip()
    elif "," in text:
        return text  # already inverted: "Sydow, Max von"
    tokens = text.split()
    if not suffix and len(tokens) > 2 and _SUFFIX.match(tokens[-1]):
        suffix, tokens = tokens[-1], tokens[:-1]
    if len(tokens) < 2:
        return f"{text}, {suffix}" if suffix else text
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1] in _CAPITAL_PARTICLES:
        start -= 1
    particles = start
    while particles > 1 and tokens[particles - 1] in _LOWER_PARTICLES:
        particles -= 1
    given = " ".join(tokens[:particles] + tokens[particles:start])
    heading = f"{' '.join(tokens[start:])}, {given}"
    return f"{heading}, {suffix}" if suffix else heading


@dataclass(frozen=True)
class PeopleIndex:
    """What people.toml declares, looked up by any spelling."""

    entries: tuple[PersonEntry, ...] = ()
    distinct: frozenset[frozenset[str]] = frozenset()
    by_spelling: Mapping[str, PersonEntry] = field(  # derived from entries: not compared
        default_factory=lambda: MappingProxyType({}), compare=False, hash=False)

    @classmethod
    def build(cls, source: PeopleSource) -> PeopleIndex:
        spellings: dict[str, PersonEntry] = {}
        for entry in source.person:
            for spelling in (entry.name, *entry.aliases):
                spellings.setdefault(normalise(spelling), entry)
        pairs = frozenset(frozenset({normalise(a), normalise(b)})
                          for group in source.distinct for a in group.names for b in group.names
                          if normalise(a) != normalise(b))
        return cls(source.person, pairs, MappingProxyType(spellings))

    @property
    def spellings(self) -> frozenset[str]:
        """Every declared name and alias (for `fact_values.read_fact(names=...)`)."""
        return frozenset(self.by_spelling)

    def person(self, name: str) -> PersonEntry | None:
        return self.by_spelling.get(normalise(name))

    def display(self, name: str) -> str:
        """The name the index shows: the declared name for an alias, else as written."""
        entry = self.person(name)
        return entry.name if entry else normalise(name)

    def heading(self, name: str) -> str:
        """The index heading: people.toml's sort, the name as is when not inverted, else the
        default Chicago inversion of the display name."""
        entry = self.person(name)
        if entry is None:
            return default_heading(name)
        if entry.sort:
            return entry.sort
        return entry.name if not entry.inverted else default_heading(entry.name)

    def key(self, name: str) -> SortKey:
        return sort_key(self.heading(name))

    def same(self, first: str, second: str) -> bool:
        return self.display(first) == self.display(second)

    def declared_distinct(self, first: str, second: str) -> bool:
        """Named together under [[distinct]], or declared as two different people."""
        a, b = self.person(first), self.person(second)
        if a is not None and b is not None and a is not b:
            return True
        names = {normalise(first), normalise(second)}
        return any(names <= pair | {self.display(n) for n in pair} for pair in self.distinct)


def _string_line(text: str, start: int, value: str, default: int) -> int:
    """The first line from `start` that holds the quoted value (arrays may span lines), else
    `default` (a value written with escapes)."""
    rows = text.split("\n")
    for number in range(start, len(rows) + 1):
        if f'"{value}"' in rows[number - 1] or f"'{value}'" in rows[number - 1]:
            return number
    return default


def _check(source: PeopleSource, text: str, lines: Mapping[tuple[str | int, ...], int],
           path: Path, problems: Problems) -> bool:
    """Faults the schema cannot see: one spelling for two people, characters no book may
    carry (TOML escapes), names declared the same person and distinct at once."""
    fine = True
    owner: dict[str, int] = {}
    for index, entry in enumerate(source.person):
        start = lines.get(("person", index), 1)
        at = {key: lines.get(("person", index, key), start) for key in ("name", "sort", "aliases")}
        fields = [("name", entry.name), *(("aliases", a) for a in entry.aliases),
                  *([("sort", entry.sort)] if entry.sort else [])]
        for key, spelling in fields:
            if bad := files.forbidden_characters(spelling):
                problems.error(path, _string_line(text, start, spelling, at[key]),
                               f"{key}: {files.describe(bad[0][2])} cannot be printed or put "
                               "in an EPUB: delete it")
                fine = False
        for field_name, spelling in fields:
            if field_name == "sort":
                continue
            line = _string_line(text, start, spelling, at[field_name])
            key = normalise(spelling)
            if key in owner and owner[key] != index:
                problems.error(path, line,
                               f"'{spelling}' is already a spelling of "
                               f"'{source.person[owner[key]].name}' (line "
                               f"{lines.get(('person', owner[key]), 1)})")
                fine = False
            elif key in owner:
                problems.warning(path, line,
                                 f"'{spelling}' is given twice for the same person")
            owner.setdefault(key, index)
    for index, group in enumerate(source.distinct):
        start = lines.get(("distinct", index), 1)
        people = {owner.get(normalise(n), n) for n in group.names}
        if len(people) < len({normalise(n) for n in group.names}):
            problems.error(path, start, "names declared distinct are also spellings of one "
                                        "person: " + ", ".join(f"'{n}'" for n in group.names))
            fine = False
    return fine


def load_people(root: Path, problems: Problems) -> PeopleIndex:
    """The workspace's people.toml, or an empty index when there is none; every fault is a
    `path:line` problem and a faulty file counts as empty."""
    found = read_toml_file(root / PEOPLE_FILE, root, PeopleSource, problems)
    if found is None or not _check(found.source, found.text, found.lines, found.path,
                                   problems):
        return PeopleIndex()
    return PeopleIndex.build(found.source)


@dataclass(frozen=True)
class Occurrence:
    """Where a name is written: a fact-box line of a review."""

    name: str
    path: Path
    line: int


@dataclass(frozen=True)
class SimilarNames:
    """Two spellings that are probably one person, each with every place it occurs; `first`
    is the likely slip (not in people.toml, else the rarer), where the warning goes."""

    first: str
    second: str
    first_at: tuple[Occurrence, ...]
    second_at: tuple[Occurrence, ...]

    def problem(self, root: Path | None = None) -> Problem:
        """A warning at the rarer spelling's first place, naming the other's."""
        here, there = self.first_at[0], self.second_at[0]
        other = Problem(there.path, there.line, "-").format(root).removesuffix(": error: -")
        more = f" and {len(self.second_at) - 1} more" if len(self.second_at) > 1 else ""
        message = (f"'{self.first}' differs only slightly from '{self.second}' ({other}{more}): "
                   f"if they are one person give one as an alias of the other in {PEOPLE_FILE}, "
                   "otherwise declare them [[distinct]]")
        return Problem(here.path, here.line, message, Severity.WARNING)


def _compact(name: str) -> str:
    """Case, diacritics, spaces and punctuation ignored: "Béla Lugosi" ~ "bela lugosi"."""
    return "".join(c for c in fold(name) if c.isalnum())


def _limit(compact: str) -> int:
    return 0 if len(compact) < 7 else 1 if len(compact) < 16 else 2


def _deletions(text: str, depth: int) -> set[str]:
    found, frontier = {text}, {text}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def similar_names(occurrences: Iterable[Occurrence | tuple[str, Path, int]],
                  people: PeopleIndex | None = None) -> list[SimilarNames]:
    """Pairs of spellings across a collection that differ only in case, diacritics, spacing,
    punctuation or one or two letters (two only in long names), and that people.toml neither
    declares one person nor distinct. One pair per two people, in a stable order."""
    people = people or PeopleIndex()
    places: dict[str, list[Occurrence]] = defaultdict(list)
    for item in occurrences:
        place = item if isinstance(item, Occurrence) else Occurrence(*item)
        places[normalise(place.name)].append(place)
    compacts = {name: _compact(name) for name in places}
    buckets: dict[str, set[str]] = defaultdict(set)
    for name, compact in compacts.items():
        for variant in _deletions(compact, _limit(compact)):
            buckets[variant].add(name)
    found: dict[frozenset[str], tuple[int, str, str]] = {}
    for group in buckets.values():
        for a in group:
            for b in group:
                if a >= b or people.same(a, b) or people.declared_distinct(a, b):
                    continue
                gap = distance(compacts[a], compacts[b])
                if gap > min(_limit(compacts[a]), _limit(compacts[b])):
                    continue
                pair = frozenset({people.display(a), people.display(b)})
                if pair not in found or (gap, a, b) < found[pair]:
                    found[pair] = (gap, a, b)
    result = []
    for _, a, b in sorted(found.values(), key=lambda t: (t[1], t[2])):
        rare, common = sorted((a, b), key=lambda n: (people.person(n) is not None,
                                                     len(places[n]), n))
        result.append(SimilarNames(rare, common, tuple(sorted(places[rare], key=_where)),
                                   tuple(sorted(places[common], key=_where))))
    return result


def _where(place: Occurrence) -> tuple[str, int]:
    return (str(place.path), place.line)
