"""Canonical keys for fact-box labels.

Authors spell labels many ways over the years ("Running Time", "Runtime", "Run-time"). The book
shows the author's own label; the canonical key lets code (ordering, import, indexes) treat them
as one.
"""

from __future__ import annotations

import re

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "release_date": ("release date", "released", "release", "date of release", "premiere"),
    "genre": ("genre", "sub genre", "subgenre", "category", "style"),
    "country": ("country of origin", "country", "countries", "countries of origin", "origin"),
    "language": ("language", "languages"),
    "budget": ("budget", "estimated budget"),
    "box_office": ("box office", "gross", "worldwide gross", "takings", "box office gross"),
    "running_time": ("running time", "runtime", "run time", "length", "duration"),
    "director": ("director", "directed by", "direction"),
    "producer": ("producer", "produced by", "executive producer"),
    "screenplay": ("screenplay", "writer", "written by", "screenwriter", "script", "story"),
    "cinematography": ("cinematography", "cinematographer", "director of photography",
                       "photography"),
    "score": ("score", "music", "composer", "original music", "music by"),
    "editing": ("editing", "editor", "edited by", "film editing"),
    "studio": ("studio", "production company", "production", "production companies"),
    "distributor": ("distributor", "distributed by", "distribution"),
    "stars": ("stars", "starring", "cast", "principal cast"),
}

_LOOKUP = {label: key for key, labels in _SYNONYMS.items() for label in labels}


def normalise_label(label: str) -> str:
    """Lower case, hyphens and underscores as spaces, no trailing colon or extra spaces."""
    text = re.sub(r"[-_/]+", " ", label.strip().rstrip(":").strip().lower())
    return re.sub(r"\s+", " ", text)


def canonical_key(label: str) -> str | None:
    """The canonical key of a label, allowing plurals ("Producers"); None when unknown."""
    text = normalise_label(label)
    for candidate in (text, text.removesuffix("s"), text.removesuffix("es")):
        if candidate in _LOOKUP:
            return _LOOKUP[candidate]
    return None
