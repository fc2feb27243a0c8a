"""The e-book's accessibility in ONIX terms: what the EPUB's package document declares in
schema.org and Dublin Core, as the ONIX codes a retailer filters on (the EU Accessibility Act
made them what stores look for). The ONIX feed must say no more and no less than the EPUB it
describes, so the codes are read from the built EPUB's OPF, or from what `anthology.epub.package`
writes there when no EPUB has been built yet.

The mapping follows EDItEUR's code list 196 as of Issue 75 (October 2026), the issue the
`onixcheck` schemas carry, and the W3C Schema.org Accessibility Properties Crosswalk.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from defusedxml import DefusedXmlException, ElementTree

if TYPE_CHECKING:
    from anthology.series.book import Book

# ProductFormFeatureType (code list 79): 09 e-publication accessibility detail (its values from
# code list 196), 12 hazard warning (values from code list 143).
ACCESSIBILITY = "09"
HAZARD = "12"

# schema.org value -> code list 196 (Issue 75) codes. One table for every property so the feed
# and the OPF cannot drift apart: a value missing here is reported by `unmapped`, never dropped
# without a word. Codes are chosen for what the value promises, not for a near name:
FEATURES: dict[str, tuple[str, ...]] = {
    "tableOfContents": ("11",),  # Table of contents navigation
    "index": ("12",),  # Index navigation
    "readingOrder": ("13",),  # Single logical reading order
    "alternativeText": ("14",),  # Short alternative textual descriptions
    # The charts' data tables: visualised data also given as text (16). Code 15 (full
    # descriptions of all non-text content) promises more than the book has.
    "longDescription": ("16",),
    "MathML": ("17",),  # Accessible math content as MathML
    "ChemML": ("18",),  # Accessible chemistry content as ChemML
    "printPageNumbers": ("19",),  # Print-equivalent page numbering
    "pageBreakMarkers": ("19",),  # the EPUB's page breaks follow the print edition
    "pageNavigation": ("41",),  # Page list navigation
    "ttsMarkup": ("21",),  # Text-to-speech hinting provided
    "highContrastDisplay": ("26",),  # High contrast between text and background
    "structuralNavigation": ("29",),  # Next / Previous structural navigation
    "ARIA": ("30",),  # ARIA roles provided
    "displayTransformability": ("36",),  # Appearance of all textual content can be modified
}
# accessModeSufficient "textual": everything can be read as text, so without sight (52).
SUFFICIENT: dict[str, tuple[str, ...]] = {"textual": ("52",)}
# accessibilityHazard -> code list 143 (hazard warnings, for digital products too).
HAZARDS: dict[str, str] = {
    "none": "00",  # No known hazards or warnings
    "flashing": "13", "noFlashingHazard": "14", "unknownFlashingHazard": "24",
    "sound": "15", "noSoundHazard": "16", "unknownSoundHazard": "25",
    "motionSimulation": "17", "noMotionSimulationHazard": "18",
    "unknownMotionSimulationHazard": "26",
}
SUMMARY = "00"  # Accessibility summary: the text in ProductFormFeatureDescription
CERTIFIED_BY = "90"  # Compliance certification by (name)
# dcterms:conformsTo: EPUB Accessibility 1.1 - WCAG 2.x Level A/AA/AAA (04 + version + level),
# or the EPUB Accessibility 1.0 URLs (02 level A, 03 level AA).
EPUB_A11Y_11 = "04"
WCAG_VERSIONS = {"2.0": "80", "2.1": "81", "2.2": "82"}
WCAG_LEVELS = {"A": "84", "AA": "85", "AAA": "86"}
EPUB_A11Y_10 = {"http://www.idpf.org/epub/a11y/accessibility-20170105.html#wcag-a": "02",
                "http://www.idpf.org/epub/a11y/accessibility-20170105.html#wcag-aa": "03"}
_CONFORMANCE = re.compile(r"^EPUB Accessibility 1\.1 - WCAG (2\.[012]) Level (A{1,3})$")

_OPF = "{http://www.idpf.org/2007/opf}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"


@dataclass(frozen=True)
class Declared:
    """An EPUB's accessibility metadata, as its package document has it."""

    features: tuple[str, ...] = ()
    sufficient: tuple[str, ...] = ()  # accessModeSufficient
    hazards: tuple[str, ...] = ()
    summary: str | None = None
    conforms_to: tuple[str, ...] = ()
    certified_by: str | None = None


@dataclass(frozen=True, order=True)
class Feature:
    """One ProductFormFeature: its type (09 or 12), value and, for some, a description."""

    type: str
    value: str
    description: str | None = None


def from_opf(xml: bytes) -> Declared:
    """The schema.org and conformance metadata of a package document."""
    root = ElementTree.fromstring(xml)
    values: dict[str, list[str]] = {}
    for meta in root.iter(f"{_OPF}meta"):
        name = meta.get("property")
        if name and not meta.get("refines"):
            values.setdefault(name, []).append((meta.text or "").strip())

    def one(name: str) -> str | None:
        found = values.get(name)
        return found[0] if found else None

    return Declared(tuple(values.get("schema:accessibilityFeature", ())),
                    tuple(values.get("schema:accessModeSufficient", ())),
                    tuple(values.get("schema:accessibilityHazard", ())),
                    one("schema:accessibilitySummary"),
                    tuple(values.get("dcterms:conformsTo", ())),
                    one("a11y:certifiedBy"))


def from_epub(path: Path) -> Declared:
    """The accessibility metadata of a built EPUB (its package document found through
    META-INF/container.xml, as a reading system finds it); a ValueError if it is not one."""
    try:
        with zipfile.ZipFile(path) as archive:
            container = ElementTree.fromstring(archive.read("META-INF/container.xml"))
            rootfile = container.find(f"{_CONTAINER}rootfiles/{_CONTAINER}rootfile")
            if rootfile is None or not rootfile.get("full-path"):
                raise ValueError("META-INF/container.xml names no package document")
            return from_opf(archive.read(rootfile.get("full-path", "")))
    except (zipfile.BadZipFile, KeyError, SyntaxError, DefusedXmlException) as exc:
        raise ValueError(f"not an EPUB this can read ({exc})") from exc


def for_book(book: Book) -> Declared:
    """What `anthology build` writes into this book's OPF (every build gives the EPUB a page
    list), for when no EPUB is built to read it from."""
    from anthology.epub import package

    return Declared(tuple(package.accessibility_features(book, page_list=True)), ("textual",),
                    ("none",), package.accessibility_summary(book, page_list=True),
                    (package.CONFORMANCE,), book.certified_by)


def _conformance(claim: str) -> tuple[str, ...]:
    if claim in EPUB_A11Y_10:
        return (EPUB_A11Y_10[claim],)
    match = _CONFORMANCE.match(claim)
    if match is None:
        return ()
    return EPUB_A11Y_11, WCAG_VERSIONS[match[1]], WCAG_LEVELS[match[2]]


def features(declared: Declared) -> tuple[Feature, ...]:
    """The ONIX ProductFormFeatures of what the OPF declares: each once, in code order."""
    found: set[Feature] = set()
    for value in declared.features:
        found |= {Feature(ACCESSIBILITY, code) for code in FEATURES.get(value, ())}
    for value in declared.sufficient:
        found |= {Feature(ACCESSIBILITY, code) for code in SUFFICIENT.get(value, ())}
    for claim in declared.conforms_to:
        found |= {Feature(ACCESSIBILITY, code) for code in _conformance(claim)}
    if declared.summary:
        found.add(Feature(ACCESSIBILITY, SUMMARY, declared.summary))
    if declared.certified_by:
        found.add(Feature(ACCESSIBILITY, CERTIFIED_BY, declared.certified_by))
    found |= {Feature(HAZARD, HAZARDS[h]) for h in declared.hazards if h in HAZARDS}
    return tuple(sorted(found))


def unmapped(declared: Declared) -> tuple[str, ...]:
    """Declared values with no ONIX code here (said in a note: the feed says less than the
    OPF until the table learns them)."""
    missing = [f"accessibilityFeature {v}" for v in declared.features if v not in FEATURES]
    missing += [f"accessModeSufficient {v}" for v in declared.sufficient if v not in SUFFICIENT]
    missing += [f"accessibilityHazard {v}" for v in declared.hazards if v not in HAZARDS]
    missing += [f"conformsTo '{c}'" for c in declared.conforms_to if not _conformance(c)]
    return tuple(missing)
