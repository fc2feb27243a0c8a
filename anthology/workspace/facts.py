"""Canonical keys for fact-box labels.

Authors spell labels many ways over the years ("Running Time", "Runtime", "Run-time"). The book
shows the author's own label; the canonical key lets code (ordering, import, indexes) treat them
as one.
"""

from __future__ import annotations

import re

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "views": ("number of views", "views", "viewings", "number of viewings", "times seen",
              "times viewed", "times watched"),
    "release_date": ("release date", "released", "release", "date of release", "premiere",
                     "release dates", "first released", "us release", "uk release"),
    "genre": ("genre", "sub genre", "subgenre", "category", "style", "type"),
    "country": ("country of origin", "country", "countries", "countries of origin", "origin",
                "nationality"),
    "language": ("language", "languages", "original language"),
    "budget": ("budget", "estimated budget", "production budget"),
    "box_office": ("box office", "gross", "worldwide gross", "takings", "box office gross",
                   "box office takings", "box office receipts"),
    "running_time": ("running time", "runtime", "run time", "length", "duration"),
    "director": ("director", "directed by", "direction"),
    "producer": ("producer", "produced by", "executive producer"),
    "screenplay": ("screenplay", "writer", "written by", "screenwriter", "script", "story",
                   "screenplay by", "story by", "teleplay", "writing credits"),
    "cinematography": ("cinematography", "cinematographer", "director of photography",
                       "photography"),
    "score": ("score", "music", "composer", "original music", "music by", "original score",
              "soundtrack", "original soundtrack"),
    "editing": ("editing", "editor", "edited by", "film editing"),
    "studio": ("studio", "production company", "production", "production companies"),
    "distributor": ("distributor", "distributed by", "distribution"),
    "stars": ("stars", "starring", "cast", "principal cast", "main cast"),
    "production_design": ("production design", "production designer", "art direction",
                          "art director"),
    "special_effects": ("special effects", "makeup effects", "special makeup effects",
                        "visual effects", "effects"),
    "certificate": ("certificate", "certification", "age rating", "mpaa rating", "bbfc rating"),
    "filming_locations": ("filming locations", "filming location", "shooting locations",
                          "locations", "location"),
}

_LOOKUP = {label: key for key, labels in _SYNONYMS.items() for label in labels}


def normalise_label(label: str) -> str:
    """Lower case, hyphens and underscores as spaces, no trailing colon, no "(s)" or "(US)"."""
    # "(s)" marks a plural; any other parenthesis is a note such as "(US)".
    text = re.sub(r"\s*\([^)]*\)", "", label.strip().rstrip(":").strip().lower())
    text = re.sub(r"[-_/]+", " ", text)
    return re.sub(r"\s+", " ", text)


def canonical_key(label: str) -> str | None:
    """The canonical key of a label, allowing plurals ("Producers", "Categories"); None when
    unknown."""
    text = normalise_label(label)
    singular = text[:-3] + "y" if text.endswith("ies") else text
    for candidate in (text, text.removesuffix("s"), text.removesuffix("es"), singular):
        if candidate in _LOOKUP:
            return _LOOKUP[candidate]
    return None


def known_labels() -> tuple[str, ...]:
    """Every label spelling with a canonical key, normalised ("running time"), sorted: what a
    mistyped label is compared with."""
    return tuple(sorted(_LOOKUP))
