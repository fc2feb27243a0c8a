"""A small workspace for The Numbers (invented films, our own text), and the counts the tests
expect, worked out here straight from its source files: never through anthology's readers, so
a fault in those cannot agree with itself."""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import yaml

from tests.conftest import WorkspaceBuilder

REVIEWS = [
    ("glass-harbour", {"title": "The Glass Harbour", "year": 1947, "facts": [
        {"Director": "Ida Lupino"}, {"Stars": "Maureen O'Hara, Dana Rook"},
        {"Genre": "Film Noir"}, {"Running Time": "88 minutes"}], "judgement": "8/10"}),
    ("night-tram", {"title": "Night Tram", "year": 1949, "facts": [
        {"Directed by": "Jacques Tourneur"}, {"Starring": "Dana Rook, Lee Marsh"},
        {"Genre": "Film Noir, Thriller"}, {"Runtime": "1 hr 38 min"}], "judgement": "7.5/10"}),
    ("cold-meridian", {"title": "Cold Meridian", "facts": [
        {"Release Date": "March 4, 1931"}, {"Director": "Ida Lupino"}, {"Stars": "Lee Marsh"},
        {"Genre": "Western"}, {"Running Time": "71 minutes"}], "judgement": "6/10"}),
    ("under-the-lantern", {"title": "Under the Lantern", "year": 1962, "facts": [
        {"Directors": "Ida Lupino and Jacques Tourneur"},
        {"Stars": "Maureen O'Hara, Lee Marsh, Maureen O'Hara"}, {"Genre": "film noir"},
        {"Running Time": "102 minutes"}], "judgement": "9/10"}),
    ("quiet-siege", {"title": "The Quiet Siege", "year": 1965, "facts": [
        {"Director": "Jaques Tourneur"}, {"Stars": "Dana Rook"}, {"Genre": "War"},
        {"Running Time": "long"}], "judgement": "10/10"}),
    ("paper-moons", {"title": "Paper Moons", "year": 1968, "facts": [
        {"Director": "Otto Brann"}, {"Stars": "Lee Marsh, Ana Vela"}, {"Genre": "Comedy"},
        {"Running Time": "95 min"}]}),
    ("salt-road", {"title": "Salt Road", "facts": [
        {"Director": "Otto Brann"}, {"Genre": "Western"}, {"Running Time": "120 minutes"}],
        "judgement": "7/10"}),
    ("blue-static", {"title": "Blue Static", "year": 1999, "facts": [
        {"Stars": "Ana Vela"}, {"Running Time": "90 minutes"}], "judgement": "8.5/10"}),
    ("iron-orchard", {"title": "Iron Orchard", "year": 2003, "facts": [
        {"Director": "Mara Iles"}, {"Stars": "Ana Vela, Dana Rook"}, {"Genre": "Drama"},
        {"Running Time": "131 minutes"}], "judgement": "8/10"}),
]
PEOPLE_TOML = """\
[[person]]
name = "Jacques Tourneur"
aliases = ["Jaques Tourneur"]
"""
VOLUME = """\
title = "Figures in the Dark"
author = "Jonah Whitlock"
language = "en"
date = 2026-03-01
"""


def write_workspace(builder: WorkspaceBuilder, volume_toml: str = VOLUME) -> Path:
    builder.volume("v1", volume_toml)
    builder.write("people.toml", PEOPLE_TOML)
    for number, (slug, front) in enumerate(REVIEWS, start=1):
        builder.review(slug, appraisal=number, body=f"An essay about {front['title']}.\n",
                       **front)
    return builder.root


# --- The expected counts, from the source files alone ---------------------------------------

def sources(root: Path) -> list[dict]:
    """Each review's front matter, in appraisal order (the volume's order)."""
    fronts = [yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1])
              for p in (root / "volumes" / "v1").glob("*.md")]
    return sorted(fronts, key=lambda f: f["appraisal"])


def _facts(front: dict, *labels: str) -> str | None:
    for fact in front.get("facts", []):
        for label, value in fact.items():
            if label in labels:
                return value
    return None


def _tenths(value: Fraction) -> str:
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP))


def _score(front: dict) -> Fraction | None:
    if "judgement" not in front:
        return None
    score, scale = front["judgement"].split("/")
    return Fraction(score) * 10 / int(scale)


def _minutes(text: str) -> int | None:
    if match := re.fullmatch(r"(\d+) hr (\d+) min", text):
        return int(match[1]) * 60 + int(match[2])
    match = re.fullmatch(r"(\d+) min(?:utes)?", text)
    return int(match[1]) if match else None


def _aliases(root: Path) -> dict[str, str]:
    data = tomllib.loads((root / "people.toml").read_text(encoding="utf-8"))
    return {alias: p["name"] for p in data["person"] for alias in p.get("aliases", [])}


def _names(text: str, aliases: dict[str, str]) -> set[str]:
    names = {n.strip() for n in re.split(r",|\band\b", text) if n.strip()}
    return {aliases.get(n, n).replace("'", "\u2019") for n in names}


def expected_tables(root: Path) -> dict[str, list[list[str]]]:
    """Every row of every data table The Numbers should print, as text."""
    fronts = sources(root)
    aliases = _aliases(root)
    tables: dict[str, list[list[str]]] = {}

    given = Counter(f["judgement"] for f in fronts if "judgement" in f)
    labels = set(given) | {f"{n}/10" for n in range(1, 11)}
    order = sorted(labels, key=lambda label: Fraction(label.split("/")[0]))
    tables["scores"] = [[label, str(given[label])] for label in order]

    years = []
    for front in fronts:
        released = _facts(front, "Release Date")
        year = front.get("year") or (int(re.search(r"\d{4}", released)[0]) if released else None)
        if year:
            years.append(year)
    decades = Counter(y // 10 * 10 for y in years)
    tables["decades"] = [[f"{d}s", str(decades[d])]
                         for d in range(min(decades), max(decades) + 1, 10)]

    for name, labels in (("directors", ("Director", "Directed by", "Directors")),
                         ("actors", ("Stars", "Starring"))):
        counts: Counter[str] = Counter()
        for front in fronts:
            if (text := _facts(front, *labels)) is not None:
                counts.update(_names(text, aliases))
        ranked = sorted((n for n in counts if counts[n] >= 2),
                        key=lambda n: (-counts[n], n.split()[-1], n))[:10]
        tables[name] = [[n, str(counts[n])] for n in ranked]

    genres: defaultdict[str, list[Fraction]] = defaultdict(list)
    shown: dict[str, str] = {}
    for front in fronts:
        score, text = _score(front), _facts(front, "Genre")
        if score is None or text is None:
            continue
        for genre in text.split(","):
            shown.setdefault(genre.strip().lower(), genre.strip())
            genres[genre.strip().lower()].append(score)
    means = sorted(genres, key=lambda g: (-sum(genres[g]) / len(genres[g]),
                                          -len(genres[g]), g))
    tables["genres"] = [[shown[g], str(len(genres[g])), _tenths(sum(genres[g]) / len(genres[g]))]
                        for g in means]

    bands: defaultdict[int, list[Fraction]] = defaultdict(list)
    for front in fronts:
        score, text = _score(front), _facts(front, "Running Time", "Runtime")
        if score is not None and text and (minutes := _minutes(text)) is not None:
            bands[minutes // 10 * 10].append(score)
    tables["running-time"] = [
        [f"{low}\u2013{low + 9}", str(len(s)), _tenths(sum(s) / len(s)), _tenths(min(s)),
         _tenths(max(s))] for low, s in sorted(bands.items())]
    return tables
