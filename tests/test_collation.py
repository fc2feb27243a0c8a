"""Chicago-style index order: the golden case in tests/cases/collation/ and the rules one by one.

The golden case is the order a reader of a film guide expects; after an intended change run
`pytest tests/test_collation.py --regen` and review the diff of expected.txt.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from anthology.workspace.collation import (
    CrossReference,
    arrange_entry,
    fold,
    invert_title,
    letter_groups,
    locators,
    page_range,
    sort_key,
    spell_numeral,
    spell_year,
    split_article,
    title_key,
)
from anthology.workspace.people import default_heading

CASE = Path(__file__).parent / "cases" / "collation"


def _entry(line: str) -> tuple[str, object]:
    """(displayed heading, sort key) of one `kind | text` line of the golden input."""
    kind, _, text = (part.strip() for part in line.partition("|"))
    if kind.startswith("title"):
        language = kind.removeprefix("title").strip() or None
        return invert_title(text, language), title_key(text, language)
    if kind == "name":
        heading = default_heading(text)
        return heading, sort_key(heading)
    assert kind == "heading", f"unknown kind {kind!r} in {line!r}"
    return text, sort_key(text)


def test_golden_order(regen: bool) -> None:
    lines = [x for x in (CASE / "input.txt").read_text(encoding="utf-8").splitlines() if x]
    entries = [_entry(line) for line in lines]
    actual = "".join(f"{heading}\n" for heading, _ in sorted(entries, key=lambda e: e[1]))
    expected_path = CASE / "expected.txt"
    if regen:
        expected_path.write_text(actual, encoding="utf-8")
    assert len(lines) >= 30
    assert actual == expected_path.read_text(encoding="utf-8")


def _order(*titles: str, language: str | None = None) -> list[str]:
    return sorted(titles, key=lambda t: title_key(t, language))


@pytest.mark.parametrize(("title", "language", "article", "rest"), [
    ("The Shining", None, "The", "Shining"),
    ("A Bay of Blood", None, "A", "Bay of Blood"),
    ("An American Werewolf in London", "en", "An", "American Werewolf in London"),
    ("Die Hard", None, "", "Die Hard"),  # English "die": no language hint, no German article
    ("Die Hard", "en", "", "Die Hard"),
    ("Die Nibelungen", "de", "Die", "Nibelungen"),
    ("Das Boot", "de-DE", "Das", "Boot"),
    ("Les Yeux sans visage", "fr", "Les", "Yeux sans visage"),
    ("L'Avventura", "it", "L'", "Avventura"),
    ("L’Année dernière à Marienbad", "fr", "L’", "Année dernière à Marienbad"),
    ("Il buono, il brutto, il cattivo", "it", "Il", "buono, il brutto, il cattivo"),
    ("El laberinto del fauno", "es", "El", "laberinto del fauno"),
    ("Het Gouden Ei", "nl", "Het", "Gouden Ei"),
    ("De Lift", "nl", "De", "Lift"),
    ("De Lift", None, "", "De Lift"),
    ("A Venezia un dicembre", "it", "", "A Venezia un dicembre"),  # Italian "a" is "in"
    ("The", None, "", "The"),  # an article alone is the whole title
    ("Them!", None, "", "Them!"),
    ("Lo chiamavano Jeeg Robot", "it", "Lo", "chiamavano Jeeg Robot"),
    ("Ein Toter hing im Netz", "de", "Ein", "Toter hing im Netz"),
    ("Een vlucht regenwulpen", "nl", "Een", "vlucht regenwulpen"),
    ("Las Hurdes", "es", "Las", "Hurdes"),
    ("Los olvidados", "es", "Los", "olvidados"),
    ("A Tale of Two Sisters", "ko", "A", "Tale of Two Sisters"),  # English release title
    ("The Host", "Korean", "The", "Host"),
    ("An einem Tag im September", "de", "", "An einem Tag im September"),  # German "an"
    ("À bout de souffle", "French", "", "À bout de souffle"),
    ("A Bay of Blood", "it", "", "A Bay of Blood"),  # Italian "a" is "to": say "en" instead
    ("Les Vampires", "fr-FR", "Les", "Vampires"),
    ("Les Vampires", "fr_CA", "Les", "Vampires"),
    ("The Wicker Man", "fr", "The", "Wicker Man"),
])
def test_split_article(title: str, language: str | None, article: str, rest: str) -> None:
    assert split_article(title, language) == (article, rest)


@pytest.mark.parametrize(("title", "language", "heading"), [
    ("The Shining", None, "Shining, The"),
    ("L'Avventura", "it", "Avventura, L'"),
    ("Die Hard", None, "Die Hard"),
    ("  The Fly ", None, "Fly, The"),
    ("La traviata", "it", "Traviata, La"),  # sentence case: a capital where the article was
    ("El espíritu de la colmena", "es", "Espíritu de la colmena, El"),
    ("The iPhone Diaries", None, "iPhone Diaries, The"),  # an English title keeps its case
])
def test_invert_title(title: str, language: str | None, heading: str) -> None:
    assert invert_title(title, language) == heading


@pytest.mark.parametrize(("earlier", "later"), [
    ("Network", "New World, The"),  # "net" before "new", in any system
    ("New World, The", "Newsfront"),  # word by word: "new" ends before "newsfront"
    ("New York Ripper, The", "Newsfront"),
    ("King, Stephen", "King Kong"),  # a comma ends the first sorting unit
    ("King Kong", "King of the Zombies"),
    ("Shining, The", "Shining Through"),
    ("Eraserhead", "E.T. the Extra-Terrestrial"),
    ("E.T. the Extra-Terrestrial", "Été meurtrier, L'"),  # "et" before "ete"
    ("Été meurtrier, L'", "Eternal Sunshine of the Spotless Mind"),
    ("Hausu", "Häxan"),  # ä is a, not ae
    ("MacLachlan, Kyle", "Mad Max"),  # Mac as spelled
    ("Mayhew, Peter", "McGoohan, Patrick"),  # Mc as spelled, after Ma-
    ("Dr. Jekyll and Mr. Hyde", "Dracula"),
    ("De Niro, Robert", "DeMille, Cecil B."),
    ("DeMille, Cecil B.", "Deodato, Ruggero"),
    ("Davis, Bette", "Davis, Sammy, Jr."),
    ("Davis, Sammy, Jr.", "Dawn of the Dead"),
    ("Dawn of the Dead", "Day-Lewis, Daniel"),  # the hyphen closes up: "daylewis"
    ("Halloween", "Halloween II"),
    ("Halloween II", "Halloween III: Season of the Witch"),
    ("Halloween III: Season of the Witch", "Halloween 4"),  # numerals in place: by value
    ("Halloween 4", "Halloween 5"),
    ("Halloween 5", "Halloween Kills"),
    ("And Now the Screaming Starts!", "Andromeda Strain, The"),  # "and" counts
    ("shining", "Shining"),  # a tie in letters: lower case first,
    ("Shining", "Shíning"),  # then unaccented first
])
def test_pairs(earlier: str, later: str) -> None:
    assert sort_key(earlier) < sort_key(later)


@pytest.mark.parametrize(("title", "letter"), [
    ("2001: A Space Odyssey", "T"), ("12 Angry Men", "T"), ("1917", "N"), ("28 Days Later", "T"),
    ("The 7th Voyage of Sinbad", "S"), ("3D", "T"), ("¡Three Amigos!", "T"), ("Été", "E"),
    ("Ødipus", "O"), ("Æon Flux", "A"), ("*batteries not included", "B"), ("?", "#"),
    ("", "#"), ("The Ω Man", "Ω"),
])
def test_letters(title: str, letter: str) -> None:
    assert title_key(title).letter == letter


@pytest.mark.parametrize(("token", "words"), [
    ("2001", "two thousand one"), ("1917", "nineteen seventeen"), ("12", "twelve"),
    ("1905", "nineteen oh five"), ("1900", "nineteen hundred"), ("2019", "twenty nineteen"),
    ("1000", "one thousand"), ("1,000,000", "one million"), ("13th", "thirteenth"),
    ("42nd", "forty-second"), ("21", "twenty-one"), ("101st", "one hundred first"),
    ("20th", "twentieth"), ("3rd", "third"), ("9", "nine"), ("0", "zero"),
    ("123456", "one hundred twenty-three thousand four hundred fifty-six"),
    ("12,34", None), ("abc", None), ("7a", None),
])
def test_spell_numeral(token: str, words: str | None) -> None:
    assert spell_numeral(token) == words


def test_years_outside_the_spoken_range_are_cardinals() -> None:
    assert spell_year(1066) == "one thousand sixty-six"
    assert spell_year(2005) == "two thousand five"


def test_numerals_sort_as_spelled() -> None:
    assert _order("Twelve Monkeys", "12 Angry Men", "2001: A Space Odyssey", "Tenebrae") == [
        "Tenebrae", "12 Angry Men", "Twelve Monkeys", "2001: A Space Odyssey"]
    # the same words spelled or in figures sit together, in a stable order
    assert sort_key("1984").segments == sort_key("Nineteen Eighty-Four").segments


@pytest.mark.parametrize(("text", "folded"), [
    ("Été", "ete"), ("Straße", "strasse"), ("Æon", "aeon"), ("Ødipus", "odipus"),
    ("Łódź", "lodz"), ("Þór", "thor"), ("ÇA", "ca"), ("Häxan", "haxan"), ("ＡＢＣ", "abc"),
])
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_foreign_articles_only_with_the_language() -> None:
    assert _order("Das Boot", "Cat People", language="de") == ["Das Boot", "Cat People"]
    assert _order("Das Boot", "Cat People") == ["Cat People", "Das Boot"]
    assert _order("Das Boot", "Der Golem", "Die Hard") == ["Das Boot", "Der Golem", "Die Hard"]
    assert _order("Die Nibelungen", "Metropolis", language="de") == [
        "Metropolis", "Die Nibelungen"]


def test_letter_groups() -> None:
    titles = ["The Fly", "?", "2001: A Space Odyssey", "Alien", "Aliens", "Tenebrae", "Été"]
    groups = letter_groups(titles, key=title_key)
    assert groups == [("#", ["?"]), ("A", ["Alien", "Aliens"]), ("E", ["Été"]),
                      ("F", ["The Fly"]), ("T", ["Tenebrae", "2001: A Space Odyssey"])]


def test_cross_references_come_last_see_before_see_also() -> None:
    see_also = CrossReference("see also", ("Craven, Wes", "Carpenter, John", "Craven, Wes"))
    see = CrossReference("see", ("Häxan",))
    arranged = arrange_entry(["slashers", "and censorship", "giallo"], key=sort_key,
                             references=[see_also, see])
    assert arranged == ["and censorship", "giallo", "slashers", see, see_also]
    assert see_also.text() == "see also Carpenter, John; Craven, Wes"


@pytest.mark.parametrize(("first", "last", "shown"), [
    (3, 10, "3–10"), (71, 72, "71–72"), (96, 117, "96–117"),
    (100, 104, "100–104"), (1100, 1113, "1100–1113"),
    (101, 108, "101–8"), (808, 833, "808–33"), (1103, 1104, "1103–4"), (1101, 1109, "1101–9"),
    (143, 148, "143–48"), (321, 328, "321–28"), (498, 532, "498–532"), (1087, 1089, "1087–89"),
    (1496, 1504, "1496–1504"), (2787, 2816, "2787–2816"), (11564, 11615, "11564–615"),
    (12991, 13001, "12991–3001"), (998, 1002, "998–1002"), (14, 14, "14"), (20, 19, "20–19"),
    ("xi", "xv", "xi–xv"), ("xxv", "xxviii", "xxv–xxviii"), ("iv", "iv", "iv"),
    ("143", "148", "143–48"),
])
def test_page_range(first: int | str, last: int | str, shown: str) -> None:
    assert page_range(first, last) == shown


def test_order_never_depends_on_the_input_order() -> None:
    titles = ["Shining", "shining", "Shíning", "The Shining", "SHINING"]
    assert _order(*titles) == _order(*reversed(titles))


@pytest.mark.parametrize("heading", [
    "9" * 5000, "a" + "9" * 5000, "Halloween " + "9" * 5000, "1," * 3000, "(" * 2000,
    "\u0301" * 100, "’" * 50, "-" * 50, "X" * 3000, "I II III " * 300, "\x00\ufeff",
])
def test_hostile_headings_never_raise(heading: str) -> None:
    key = title_key(heading)
    assert key.letter == "#" or key.letter.isalpha()
    assert sort_key(heading) == sort_key(heading)


def test_ampersand_reads_and() -> None:
    assert sort_key("Abbott & Costello Meet Frankenstein").segments == sort_key(
        "Abbott and Costello Meet Frankenstein").segments


@pytest.mark.parametrize(("pages", "shown"), [
    ([148, 143, 144, 145, 210], ["143–45", "148", "210"]),
    ([14], ["14"]), ([], []), ([7, 7, 8], ["7–8"]), ([99, 100, 101], ["99–101"]),
    ([1101, 1102, 1103, 1109], ["1101–3", "1109"]),
])
def test_locators(pages: list[int], shown: list[str]) -> None:
    assert locators(pages) == shown
