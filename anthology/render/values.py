"""How the templates print a date and a fact's value, the same in both editions.

The fact box prints a value as the author wrote it, with two exceptions a copy-editor makes:

- Dates follow the book's language: an en-GB book prints "11 August 1960 (Italy)" where the
  source says "August 11, 1960 (Italy)", an en-US book the other way round. Only a full date
  (day, month by name, year) is turned; anything else stays as written, and so does every date
  in a book in another language (the month names are English ones). No Babel: the two orders
  of English are a small table.
- Works' titles are set as the essay sets them (Chicago 8.171, 8.179): a title in quotation
  marks after a word that names a long work ("the novel “Psycho”", "the plays “Erdgeist” and
  “Die Büchse der Pandora”", "stories from “Ugetsu Monogatari”"), and the value of a title
  fact ("Original Title"), print in italics as `<cite>`; a short work ("the story “Viy”", a
  poem, a song) keeps its quotation marks.
"""

from __future__ import annotations

import datetime
import html
import re

from markupsafe import Markup

# English as written in the United States (and the places that follow its usage): month first.
MONTH_FIRST = frozenset({"en-us", "en-as", "en-gu", "en-mp", "en-pr", "en-um", "en-vi", "en-ph"})
_MONTH_NAMES = ("january february march april may june july august september october "
                "november december").split()
_MONTH = r"(?P<month>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b")
_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b")

_LONG_WORKS = (r"novels?|novellas?|plays?|memoirs?|books?|operas?|operettas?|musicals?|"
               r"collections?|anthology|anthologies|comics?|graphic novels?|films?|"
               r"biograph(?:y|ies)|autobiograph(?:y|ies)|epics?|sagas?|from")
_QUOTED = r"“[^“”<>]{1,200}”"
_WORKS = re.compile(rf"(?P<kind>\b(?:{_LONG_WORKS})\s+)"
                    rf"(?P<titles>{_QUOTED}(?:(?:,\s+|,?\s+(?:and|&amp;)\s+){_QUOTED})*)",
                    re.IGNORECASE)
_TITLE_LABEL = re.compile(r"^(?:original|alternative|alternate|working|english|foreign|"
                          r"international|us|uk|release|distribution)\s+titles?$|"
                          r"^(?:also known as|aka|a\.k\.a\.)$", re.IGNORECASE)


def month_first(language: str | None) -> bool:
    return (language or "").lower() in MONTH_FIRST


def long_date(value: datetime.date, language: str | None = None) -> str:
    """A date as the book's language writes it: "2 November 2026", "November 2, 2026"."""
    month = value.strftime("%B")
    if month_first(language):
        return f"{month} {value.day}, {value.year}"
    return f"{value.day} {month} {value.year}"


def _real(match: re.Match[str]) -> bool:
    word = match["month"].lower().rstrip(".")
    number = next((n for n, name in enumerate(_MONTH_NAMES, 1) if name.startswith(word)), 0)
    if number == 0 or len(word) < 3:
        return False
    try:
        datetime.date(int(match["year"]), number, int(match["day"]))
    except ValueError:
        return False
    return True


def dates_for(text: str, language: str | None) -> str:
    """Full dates in `text` in the order of `language` (English only; others as written)."""
    if not (language or "").lower().startswith("en"):
        return text
    if month_first(language):
        return _DAY_MONTH_YEAR.sub(lambda m: (f"{m['month']} {int(m['day'])}, {m['year']}"
                                              if _real(m) else m[0]), text)
    return _MONTH_DAY_YEAR.sub(lambda m: (f"{int(m['day'])} {m['month']} {m['year']}"
                                          if _real(m) else m[0]), text)


def _cite_quoted(text: str) -> str:
    return re.sub(_QUOTED, lambda m: f"<cite>{m[0][1:-1]}</cite>", text)


def fact_value(value: str, label: str | None, key: str | None,
               language: str | None = None) -> Markup:
    """A fact's value (or a note, without label) as the fact box prints it: escaped text,
    dates in the book's order, long works' titles as `<cite>`."""
    text = value
    if key == "release_date":
        text = dates_for(text, language)
    text = html.escape(text, quote=False)
    if label is not None and _TITLE_LABEL.match(label.strip().rstrip(":")):
        whole = re.fullmatch(r"(?P<title>[^(“”]+?)(?P<rest>\s*\(.*)?", text)
        if re.search(_QUOTED, text):
            text = _cite_quoted(text)
        elif whole is not None:
            text = f"<cite>{whole['title']}</cite>{whole['rest'] or ''}"
    else:
        text = _WORKS.sub(lambda m: m["kind"] + _cite_quoted(m["titles"]), text)
    return Markup(text)
