"""Index order in the Chicago Manual of Style's manner, in pure Python.

Printed film guides are used through their indexes, so the order must be the one readers know:
leading articles ignored and inverted ("Shining, The"), word by word ("New York" before
"Newark"), a comma ends the first sorting unit ("Adams, John" before "Adams Creek"), numerals
as if spelled out ("2001" under T), diacritics, case and punctuation ignored, hyphens closed up
("new-rich" sorts as "newrich", as in CMOS's own word-by-word list).

Why no PyICU: it needs a compiler and the system ICU, and ICU's root collation is letter by
letter and knows nothing of articles or numerals, so the work below would remain anyway.
`unicodedata` folds diacritics well enough. Why no num2words: four-digit years must read as
people say them ("nineteen seventeen"), which num2words does only in a separate mode with
British "and"s; the converter here is forty lines and has no surprises.

One refinement from CMOS (headings otherwise identical, differing in a numeral, go in numerical
order, as "Henry IV", "Henry VIII"): a numeral that is not the first word sorts by its value,
before any word, so "Halloween II", "Halloween III", "Halloween 4", "Halloween Kills" read as
a film guide lists them. Roman numerals count only when written in capitals (II to XXXIX).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

T = TypeVar("T")

# Articles by the title's language. English titles ("Die Hard", "Das Boot" is German) are the
# default; a foreign title's articles are only known when its language is given.
ARTICLES: dict[str, tuple[str, ...]] = {
    "en": ("the", "a", "an"),
    "fr": ("les", "le", "la", "l'", "une", "un"),
    "it": ("gli", "il", "lo", "la", "le", "i", "l'", "uno", "una", "un'", "un"),
    "es": ("los", "las", "el", "la", "unos", "unas", "una", "un"),
    "pt": ("os", "as", "o", "a", "uma", "um"),
    "de": ("der", "die", "das", "den", "dem", "des", "eine", "ein"),
    "nl": ("het", "de", "een", "'t"),
    "sv": ("en", "ett"),
    "da": ("en", "et"),
    "no": ("en", "et", "ei"),
}
_NOT_ARTICLES = {"fr": frozenset({"a"}), "it": frozenset({"a"}), "es": frozenset({"a"}),
                 "de": frozenset({"an"}), "nl": frozenset({"a"}), "sv": frozenset({"a"}),
                 "da": frozenset({"a"}), "no": frozenset({"a"})}
_LANGUAGE_NAMES = {"english": "en", "french": "fr", "italian": "it", "spanish": "es",
                   "castilian": "es", "portuguese": "pt", "german": "de", "dutch": "nl",
                   "flemish": "nl", "swedish": "sv", "danish": "da", "norwegian": "no"}
_ELIDED = re.compile(r"^(?P<article>[lL]['’]|[uU]n['’])(?=\w)")
_FOLDS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o",
                        "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "þ": "th", "Þ": "th",
                        "ð": "d", "Ð": "d", "ı": "i", "’": "'", "‘": "'"})
_JOINERS = re.compile(r"['.\-‐‑–]")  # closed up: apostrophes, full stops, hyphens
_ROMAN = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_NUMERAL = re.compile(r"^(\d[\d,]*)(st|nd|rd|th)?$", re.IGNORECASE)

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
_ORDINAL = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
            "nine": "ninth", "twelve": "twelfth"}


def spell_number(number: int) -> str:
    """American cardinal words, no "and": 2001 -> "two thousand one"."""
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {spell_number(rest)}" if rest else "")
    for scale, word in _SCALES:
        if number >= scale:
            high, rest = divmod(number, scale)
            return f"{spell_number(high)} {word}" + (f" {spell_number(rest)}" if rest else "")
    raise AssertionError(number)  # unreachable: every number >= 1000 meets a scale


def spell_year(number: int) -> str:
    """A year as said aloud: 1917 "nineteen seventeen", 1905 "nineteen oh five", 1900
    "nineteen hundred", 2001 "two thousand one", 2019 "twenty nineteen"."""
    high, low = divmod(number, 100)
    if not 1100 <= number <= 2099 or 2000 <= number <= 2009:
        return spell_number(number)
    if low == 0:
        return f"{spell_number(high)} hundred"
    return f"{spell_number(high)} " + (f"oh {_ONES[low]}" if low < 10 else spell_number(low))


def spell_ordinal(number: int) -> str:
    """13 -> "thirteenth", 42 -> "forty-second"."""
    words = spell_number(number)
    head, _, last = words.rpartition("-") if "-" in words.split()[-1] else ("", "", words)
    prefix, _, word = last.rpartition(" ")
    if word in _ORDINAL:
        word = _ORDINAL[word]
    elif word.endswith("y"):
        word = word[:-1] + "ieth"
    else:
        word += "th"
    last = f"{prefix} {word}" if prefix else word
    return f"{head}-{last}" if head else last


def spell_numeral(token: str) -> str | None:
    """Words for a numeral token ("1917", "12", "13th", "1,000"); None when it is not one.
    Four digits without a comma read as a year, as in film titles they nearly always are."""
    match = _NUMERAL.match(token)
    if match is None:
        return None
    digits = match[1].rstrip(",")
    if "," in digits and not re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
        return None
    if len(digits.replace(",", "")) > 15:  # a serial number, not a count: digit by digit
        return _spell_digits(digits.replace(",", ""))
    number = int(digits.replace(",", ""))
    if match[2]:
        return spell_ordinal(number)
    if len(digits) == 4 and "," not in digits:
        return spell_year(number)
    return spell_number(number)


def _spell_digits(run: str) -> str:
    """A run of digits inside a word ("3D", "H2O"), without spaces or hyphens."""
    if len(run) > 15:
        return "".join(_ONES[int(d)] for d in run)
    return spell_number(int(run)).replace("-", "").replace(" ", "")


def roman_value(token: str) -> int | None:
    """The value of a capital roman numeral from II to XXXIX, else None ("I" is a pronoun)."""
    if len(token) < 2 or not _ROMAN.match(token):
        return None
    values = [_ROMAN_VALUES[c] for c in token]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def fold(text: str) -> str:
    """Case and diacritics ignored: "Été" and "ete" fold alike; ß, æ, ø and the like spelled
    as readers alphabetize them."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLDS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text).casefold().translate(_FOLDS)


def language_code(language: str | None) -> str:
    """"fr", "fr-CA", "French" -> "fr"; unknown or None -> "en" (the index's own language)."""
    text = (language or "en").strip().lower().replace("_", "-").split("-")[0]
    return _LANGUAGE_NAMES.get(text, text)


def articles_for(language: str | None) -> frozenset[str]:
    """Leading articles of a title in `language`: English ones always (an English release
    title of a Korean film, "The Host"), unless the word means something else there (French
    and Italian "a" is "to", German "an" is "at"), plus the language's own."""
    code = language_code(language)
    english = set(ARTICLES["en"]) - _NOT_ARTICLES.get(code, frozenset())
    return frozenset(english | set(ARTICLES.get(code, ())))


def split_article(title: str, language: str | None = None) -> tuple[str, str]:
    """(article, rest) of a title; ("", title) when it has no leading article. A foreign
    article is only taken off when the title's language is given ("Die Hard" is English)."""
    text = title.strip()
    articles = articles_for(language)
    elided = _ELIDED.match(text)
    if elided and elided["article"].lower().replace("’", "'") in articles:
        return elided["article"], text[elided.end():]
    first, _, rest = text.partition(" ")
    if rest.strip() and first.lower() in articles:
        return first, rest.strip()
    return "", text


def invert_title(title: str, language: str | None = None) -> str:
    """The index heading of a title: "The Shining" -> "Shining, The"; "L'Avventura" ->
    "Avventura, L'" (given language "it"). A foreign title set in sentence case gains a
    capital where the article stood, as Chicago indexes "La traviata" as "Traviata, La"."""
    article, rest = split_article(title, language)
    if not article:
        return title.strip()
    if article.lower() not in ARTICLES["en"] and rest[:1].islower():
        rest = rest[:1].upper() + rest[1:]
    return f"{rest}, {article}"


Word = tuple[int, str, int]  # (0 = number by value, 1 = word; text; value)


def _words(segment: str, first: bool) -> list[Word]:
    words: list[Word] = []
    for raw in segment.split():
        value = roman_value(raw)
        numeral = spell_numeral(raw.replace("’", "'").rstrip("'"))
        if not (first and not words) and (value or (numeral and raw[0].isdigit())):
            number = value if value is not None else int(re.sub(r"\D", "", raw)[:18] or 0)
            words.append((0, "", number))
            continue
        text = numeral if numeral is not None else re.sub(r"\d+", lambda m: _spell_digits(m[0]),
                                                          raw)
        for part in fold(_JOINERS.sub("", text.replace("-", ""))).split():
            words.append((1, part, 0))
    return words


@dataclass(frozen=True, order=True)
class SortKey:
    """A heading's place: symbols first, then segments (split at commas) word by word; ties
    broken by the folded text, then lower case and unaccented first, so the order never
    depends on the input order."""

    letters: bool  # False for a heading of symbols only, which goes first
    segments: tuple[tuple[Word, ...], ...]
    folded: str
    tie: str

    @property
    def letter(self) -> str:
        """The letter group: "A" to "Z", or "#" for a heading beginning with a symbol."""
        return self.segments[0][0][1][0].upper() if self.letters else "#"


def _tidy(text: str) -> str:
    """Punctuation other than joiners and commas becomes a word break, "&" reads "and"; digits
    keep their internal commas ("1,000") and ordinal endings."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "\x00", text).replace("&", " and ")
    text = re.sub(r"[^\w\s,'’.\-‐‑\x00]", " ", text)
    return text.replace("\x00", ",")


def sort_key(heading: str, language: str | None = None, *, title: bool = False) -> SortKey:
    """The sort key of an index heading. With `title=True` a leading article is ignored
    (English, or the given language's); headings already inverted ("Shining, The",
    "Sydow, Max von") sort on what is written."""
    text = split_article(heading, language)[1] if title else heading.strip()
    segments = []
    for position, segment in enumerate(re.split(r",(?!\d{3})", _tidy(text))):
        words = _words(segment, first=position == 0)
        if words:
            segments.append(tuple(words))
    letters = bool(segments) and segments[0][0][1][:1].isalpha()
    return SortKey(letters, tuple(segments), fold(heading), heading.swapcase())


def title_key(title: str, language: str | None = None) -> SortKey:
    """The sort key of a film title: `sort_key(title, language, title=True)`."""
    return sort_key(title, language, title=True)


def sort_headings(items: Iterable[T], key: Callable[[T], SortKey]) -> list[T]:
    """Items in index order by the given key function."""
    return sorted(items, key=key)


def letter_groups(items: Iterable[T], key: Callable[[T], SortKey]) -> list[tuple[str, list[T]]]:
    """Items in index order, grouped under their letter ("#" first, for headings that begin
    with a symbol: numerals are spelled out, so they fall among the letters)."""
    groups: list[tuple[str, list[T]]] = []
    for item in sorted(items, key=key):
        letter = key(item).letter
        if not groups or groups[-1][0] != letter:
            groups.append((letter, []))
        groups[-1][1].append(item)
    return groups


@dataclass(frozen=True)
class CrossReference:
    """A "see" (the heading has no locators of its own) or "see also" reference."""

    kind: Literal["see", "see also"]
    targets: tuple[str, ...]

    def text(self) -> str:
        """"see also Carpenter, John; Craven, Wes": targets in index order, semicolons
        between them (CMOS 16.19)."""
        ordered = sorted(dict.fromkeys(self.targets), key=sort_key)
        return f"{self.kind} {'; '.join(ordered)}"


def arrange_entry(subentries: Sequence[T], key: Callable[[T], SortKey],
                  references: Iterable[CrossReference] = ()) -> list[T | CrossReference]:
    """An entry's subentries in index order, then its cross-references last ("see" before
    "see also"; CMOS 16.15-16.20)."""
    refs = sorted(references, key=lambda r: (r.kind != "see", [sort_key(t) for t in r.targets]))
    return [*sorted(subentries, key=key), *refs]


def page_range(first: int | str, last: int | str) -> str:
    """An inclusive range per CMOS 9.61: 3–10, 100–104, 101–8, 1103–4, 143–48, 321–28, 498–532,
    1087–89, 1496–1504 (three digits change in four: all), 11564–615; roman ranges whole."""
    if not (str(first).isdigit() and str(last).isdigit()):
        return f"{first}–{last}" if str(first) != str(last) else str(first)
    low, high = int(first), int(last)
    if high <= low:
        return str(low) if high == low else f"{low}–{high}"
    whole = f"{low}–{high}"
    a, b = str(low), str(high)
    if low < 100 or low % 100 == 0 or len(a) != len(b):
        return whole
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y), len(a))
    changed = len(b) - common
    if len(a) == 4 and changed >= 3:
        return whole
    shown = changed if low % 100 < 10 else max(2, changed)
    return f"{low}–{b[-shown:]}"


def locators(pages: Iterable[int]) -> list[str]:
    """Page numbers as an index prints them: in order, once each, consecutive runs as ranges:
    [148, 143, 144, 145, 210] -> ["143–45", "148", "210"]."""
    runs: list[list[int]] = []
    for page in sorted(set(pages)):
        if runs and page == runs[-1][1] + 1:
            runs[-1][1] = page
        else:
            runs.append([page, page])
    return [page_range(first, last) for first, last in runs]
