"""Typed fact values: what each common way of writing a fact reads as, and that anything not
understood comes back as a reason for a warning rather than a guess or an exception."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from anthology.workspace.fact_money import amount_text
from anthology.workspace.fact_values import (
    Amount,
    Money,
    People,
    Person,
    Reading,
    ReleaseDate,
    Releases,
    RunningTime,
    Term,
    Terms,
    read_fact,
    report,
)
from anthology.workspace.problems import Problems, Severity


def _people(*items: str | tuple[str, ...]) -> People:
    return People(tuple(Person(i) if isinstance(i, str) else Person(i[0], i[1:]) for i in items))


@pytest.mark.parametrize(("label", "written", "expected"), [
    ("Director", "Clive Barker", _people("Clive Barker")),
    ("Directed by", "Joel Coen & Ethan Coen", _people("Joel Coen", "Ethan Coen")),
    ("Starring", "Doug Bradley (as Pinhead), Ashley Laurence, Andrew Robinson and Clare Higgins",
     _people(("Doug Bradley", "as Pinhead"), "Ashley Laurence", "Andrew Robinson",
             "Clare Higgins")),
    ("Stars", "Doug Bradley as Pinhead; Oliver Smith (uncredited) & Sean Chapman (voice)",
     _people(("Doug Bradley", "as Pinhead"), ("Oliver Smith", "uncredited"),
             ("Sean Chapman", "voice"))),
    ("Cast", "Doug Bradley – Pinhead", _people(("Doug Bradley", "Pinhead"))),
    ("Cast", "Doug Bradley (as Pinhead) (uncredited)",
     _people(("Doug Bradley", "as Pinhead", "uncredited"))),
    ("Cast", "Doug Bradley [uncredited]", _people(("Doug Bradley", "uncredited"))),
    ("Cast", "Doug Bradley (as Pinhead, uncredited), Ashley Laurence",
     _people(("Doug Bradley", "as Pinhead, uncredited"), "Ashley Laurence")),
    ("Screenplay", "Clive Barker (also story), Peter Atkins",
     _people(("Clive Barker", "also story"), "Peter Atkins")),
    ("Written by", "Dan O'Bannon (story and screenplay)",
     _people(("Dan O'Bannon", "story and screenplay"))),
    ("Producers", "Christopher Figg, Oxford comma, and Robin Vidgeon",
     _people("Christopher Figg", "Oxford comma", "Robin Vidgeon")),
    ("Cast", "Sammy Davis, Jr., Dean Martin", _people("Sammy Davis, Jr.", "Dean Martin")),
    ("Cast", "Lon Chaney Jr.; Bela Lugosi", _people("Lon Chaney Jr.", "Bela Lugosi")),
    ("Music", "Fabio Frizzi/Giorgio Tucci", _people("Fabio Frizzi", "Giorgio Tucci")),
    ("Music", "Goblin / Claudio Simonetti", _people("Goblin", "Claudio Simonetti")),
    ("Music", "AC/DC", _people("AC/DC")),
    ("Score", "Christopher Young\nStephen Edwards",
     _people("Christopher Young", "Stephen Edwards")),
    ("Cinematography", "Robin Vidgeon", _people("Robin Vidgeon")),
    ("Editor", "Richard Marden", _people("Richard Marden")),
    ("Cast", "Ashley Laurence, Clare Higgins, and others",
     _people("Ashley Laurence", "Clare Higgins")),
    ("Cast", "Madonna", _people("Madonna")),
    ("Cast", "Doug Bradley, Ashley Laurence, with Clare Higgins and introducing Kenneth Cranham",
     _people("Doug Bradley", "Ashley Laurence", ("Clare Higgins", "with"),
             ("Kenneth Cranham", "introducing"))),
    ("Cast", "Béla Lugosi, Sun Ra", _people("Béla Lugosi", "Sun Ra")),
])
def test_people(label: str, written: str, expected: People) -> None:
    reading = read_fact(label, written)
    assert reading == Reading(reading.key, expected)
    assert reading.key in {"director", "stars", "screenplay", "producer", "score",
                           "cinematography", "editing"}


def test_known_names_are_never_split() -> None:
    """"Earth, Wind & Fire" is three names to a parser and one to people.toml."""
    assert read_fact("Music", "Earth, Wind & Fire").value == _people("Earth", "Wind", "Fire")
    reading = read_fact("Music", "Earth, Wind & Fire and Maurice White",
                        names={"Earth, Wind & Fire", "Wind"})
    assert reading.value == _people("Earth, Wind & Fire", "Maurice White")


@pytest.mark.parametrize(("written", "reason"), [
    ("Doug Bradley (as Pinhead", "unbalanced brackets"),
    ("Doug Bradley) as Pinhead (", "unbalanced brackets"),
    ("1, 2, 3", "'1' does not read as a name"),
    ("the team that made the first one and also this", "does not read as a name"),
    ("", "has nothing this can read"),
    ("(uncredited)", "has nothing this can read"),
])
def test_people_not_understood(written: str, reason: str) -> None:
    reading = read_fact("Starring", written)
    assert reading.problems and reason in reading.problems[0]
    assert reading.problems[0].startswith("Starring: ")


@pytest.mark.parametrize(("written", "dates"), [
    ("23 October 1992", [ReleaseDate(1992, 10, 23)]),
    ("23rd October 1992", [ReleaseDate(1992, 10, 23)]),
    ("23 Oct. 1992", [ReleaseDate(1992, 10, 23)]),
    ("October 23, 1992", [ReleaseDate(1992, 10, 23)]),
    ("Sept 3 1976", [ReleaseDate(1976, 9, 3)]),
    ("1992-10-23", [ReleaseDate(1992, 10, 23)]),
    ("1992-10", [ReleaseDate(1992, 10)]),
    ("October 1992", [ReleaseDate(1992, 10)]),
    ("october, 1992", [ReleaseDate(1992, 10)]),
    ("1992", [ReleaseDate(1992)]),
    ("23/10/1992", [ReleaseDate(1992, 10, 23)]),
    ("10/23/1992", [ReleaseDate(1992, 10, 23)]),
    ("5/5/1992", [ReleaseDate(1992, 5, 5)]),
    ("29 February 1992", [ReleaseDate(1992, 2, 29)]),
    ("23 October 1992 (UK)", [ReleaseDate(1992, 10, 23, "UK")]),
    ("UK: 23 October 1992", [ReleaseDate(1992, 10, 23, "UK")]),
    ("23 October 1992, Cannes", [ReleaseDate(1992, 10, 23, "Cannes")]),
    ("October 23, 1992 (USA); 15 January 1993 (UK)",
     [ReleaseDate(1992, 10, 23, "USA"), ReleaseDate(1993, 1, 15, "UK")]),
    ("23 October 1992 (UK)\n15 January 1993 (USA)",
     [ReleaseDate(1992, 10, 23, "UK"), ReleaseDate(1993, 1, 15, "USA")]),
    ("23 October 1992 (UK), 15 January 1993 (US)",
     [ReleaseDate(1992, 10, 23, "UK"), ReleaseDate(1993, 1, 15, "US")]),
    ("1992 (Toronto) (premiere)", [ReleaseDate(1992, note="Toronto; premiere")]),
])
def test_release_dates(written: str, dates: list[ReleaseDate]) -> None:
    assert read_fact("Release date", written) == Reading("release_date", Releases(tuple(dates)))


def test_release_date_properties() -> None:
    releases = read_fact("Released", "15 January 1993 (UK); 1992 (Toronto)").value
    assert isinstance(releases, Releases)
    assert releases.first == ReleaseDate(1992, note="Toronto")
    assert [d.precision for d in releases.dates] == ["day", "year"]
    assert releases.dates[0].date is not None and releases.dates[0].date.isoformat() == "1993-01-15"
    assert releases.dates[1].date is None


@pytest.mark.parametrize(("written", "reason"), [
    ("sometime in 92", "is not a date this can read"),
    ("31 February 1992", "is not a date in the calendar"),
    ("1992-13-01", "is not a date in the calendar"),
    ("10/11/1992", "is ambiguous: write '10 November 1992' or '11 October 1992'"),
    ("1066", "is not a year a film was released"),
    ("Smarch 1992", "is not a date this can read"),
    ("19921", "is not a date this can read"),
    ("Premiered 23 October 1992", "is not a date this can read"),
])
def test_release_dates_not_understood(written: str, reason: str) -> None:
    reading = read_fact("Release date", written)
    assert reading.value is None
    assert len(reading.problems) == 1 and reason in reading.problems[0]


def test_one_unreadable_date_keeps_the_others() -> None:
    reading = read_fact("Release dates", "23 October 1992 (UK); soon (USA)")
    assert reading.value == Releases((ReleaseDate(1992, 10, 23, "UK"),))
    assert len(reading.problems) == 1 and "'soon (USA)'" in reading.problems[0]


@pytest.mark.parametrize(("written", "expected"), [
    ("98 minutes", RunningTime(98)),
    ("98 min", RunningTime(98)),
    ("98 min.", RunningTime(98)),
    ("98 mins", RunningTime(98)),
    ("98", RunningTime(98)),
    ("98′", RunningTime(98)),
    ("1 hr 38 min", RunningTime(98)),
    ("1 hour 38 minutes", RunningTime(98)),
    ("1h38m", RunningTime(98)),
    ("1h 38", RunningTime(98)),
    ("2 hours", RunningTime(120)),
    ("1:38", RunningTime(98)),
    ("98 mins (director's cut: 112)", RunningTime(98, (("director's cut", 112),))),
    ("98 min; 112 min (director's cut)", RunningTime(98, (("director's cut", 112),))),
    ("98 min (UK)", RunningTime(98, note="UK")),
    ("Theatrical: 98 min; Director's cut: 112 min",
     RunningTime(98, (("Director's cut", 112),), "Theatrical")),
])
def test_running_time(written: str, expected: RunningTime) -> None:
    assert read_fact("Running time", written) == Reading("running_time", expected)


@pytest.mark.parametrize("written", [
    "about an hour and a half", "90-95 minutes", "0 minutes", "long", "98 min 30 sec 12",
])
def test_running_time_not_understood(written: str) -> None:
    reading = read_fact("Runtime", written)
    assert reading.value is None
    assert reading.problems and "is not a running time this can read" in reading.problems[0]


def _money(*amounts: Amount) -> Money:
    return Money(amounts)


M = Decimal


@pytest.mark.parametrize(("written", "expected"), [
    ("$3,000,000", _money(Amount("USD", M(3000000)))),
    ("£1.2 million", _money(Amount("GBP", M(1200000)))),
    ("US$ 45 million", _money(Amount("USD", M(45000000)))),
    ("€2m", _money(Amount("EUR", M(2000000)))),
    ("¥300 million", _money(Amount("JPY", M(300000000)))),
    ("300 million yen", _money(Amount("JPY", M(300000000)))),
    ("A$1.5 million", _money(Amount("AUD", M(1500000)))),
    ("HK$ 20m", _money(Amount("HKD", M(20000000)))),
    ("USD 2.5bn", _money(Amount("USD", M(2500000000)))),
    ("2,500,000 dollars", _money(Amount("USD", M(2500000)))),
    ("1.200.000 DM", _money(Amount("DEM", M(1200000)))),
    ("€2,5 million", _money(Amount("EUR", M(2500000)))),
    ("$350k", _money(Amount("USD", M(350000)))),
    ("$5.5 – 6 million", _money(Amount("USD", M(5500000), M(6000000)))),
    ("$5.5–6 million", _money(Amount("USD", M(5500000), M(6000000)))),
    ("$5 million to $6 million", _money(Amount("USD", M(5000000), M(6000000)))),
    ("$500,000 – 1 million", _money(Amount("USD", M(500000), M(1000000)))),
    ("$3 million (estimated)", _money(Amount("USD", M(3000000), estimated=True))),
    ("estimated $3m", _money(Amount("USD", M(3000000), estimated=True))),
    ("c. $3m", _money(Amount("USD", M(3000000), estimated=True))),
    ("~$3m", _money(Amount("USD", M(3000000), estimated=True))),
    ("over $100 million worldwide",
     _money(Amount("USD", M(100000000), bound="over", note="worldwide"))),
    ("less than £50,000", _money(Amount("GBP", M(50000), bound="under"))),
    ("$45 million (US); £2 million (UK)",
     _money(Amount("USD", M(45000000), note="US"), Amount("GBP", M(2000000), note="UK"))),
    ("$45,000,000\n£2,000,000",
     _money(Amount("USD", M(45000000)), Amount("GBP", M(2000000)))),
])
def test_money(written: str, expected: Money) -> None:
    assert read_fact("Budget", written) == Reading("budget", expected)
    assert read_fact("Box office", written).key == "box_office"


@pytest.mark.parametrize(("written", "reason", "read"), [
    ("unknown", "is not an amount this can read", False),
    ("3 million", "names no currency", True),
    ("$6 – 5 million", "the range ends below where it starts", True),
    ("$3m in 1987 dollars", "is not an amount this can read", False),
])
def test_money_not_understood(written: str, reason: str, read: bool) -> None:
    reading = read_fact("Budget", written)
    assert (reading.value is not None) is read
    assert len(reading.problems) == 1 and reason in reading.problems[0]


def test_amount_text_has_no_exponent() -> None:
    assert amount_text(M("5.5E+6")) == "5500000"
    assert amount_text(M("1.50")) == "1.5"


@pytest.mark.parametrize(("label", "written", "terms"), [
    ("Country", "UK, USA", [Term("UK"), Term("USA")]),
    ("Countries", "UK / USA", [Term("UK"), Term("USA")]),
    ("Country", "UK and USA", [Term("UK"), Term("USA")]),
    ("Country of origin", "Italy & West Germany", [Term("Italy"), Term("West Germany")]),
    ("Country", "Bosnia and Herzegovina / France",
     [Term("Bosnia and Herzegovina"), Term("France")]),
    ("Country", "USA (co-production)", [Term("USA", ("co-production",))]),
    ("Genre", "Horror, Sci-Fi", [Term("Horror"), Term("Sci-Fi")]),
    ("Sub-genre", "Sword and sorcery; Horror (folk)",
     [Term("Sword and sorcery"), Term("Horror", ("folk",))]),
    ("Genre", "Horror – slasher", [Term("Horror"), Term("slasher")]),
    ("Genre", "Cops & robbers | Giallo", [Term("Cops & robbers"), Term("Giallo")]),
])
def test_terms(label: str, written: str, terms: list[Term]) -> None:
    assert read_fact(label, written).value == Terms(tuple(terms))


def test_terms_not_understood() -> None:
    reading = read_fact("Genre", "Horror, 42")
    assert reading.value == Terms((Term("Horror"),))
    assert reading.problems == ("Genre: '42' does not read as a genre",)


def test_keys_the_model_does_not_read_give_nothing_and_no_warning() -> None:
    assert read_fact("Number of views", "3") == Reading("views", None)
    assert read_fact("Favourite snack", "popcorn") == Reading(None, None)
    assert read_fact(None, "Based on a novel by Clive Barker") == Reading(None, None)


def test_an_explicit_key_wins_over_the_label() -> None:
    assert read_fact("Whatever", "98 min", key="running_time").value == RunningTime(98)


def test_report_turns_reasons_into_warnings_at_the_fact_line() -> None:
    problems = Problems()
    report(read_fact("Budget", "a lot"), Path("v1/hellraiser.md"), 7, problems)
    report(read_fact("Budget", "$1m"), Path("v1/hellraiser.md"), 8, problems)
    [problem] = list(problems)
    assert problem.severity is Severity.WARNING
    assert problem.format() == ("v1/hellraiser.md:7: warning: Budget: 'a lot' is not an amount "
                                "this can read (write e.g. '$3,000,000'); it is printed as written")


def test_values_are_frozen_and_hashable() -> None:
    reading = read_fact("Stars", "Doug Bradley (as Pinhead)")
    with pytest.raises(AttributeError):
        reading.value = None  # type: ignore[misc]
    assert hash(reading) == hash(read_fact("Stars", "Doug Bradley (as Pinhead)"))


@pytest.mark.parametrize("written", [
    "(" * 500, ")" * 500, "$" * 2000, "1" * 2000, "\x00", "a, " * 700, "– – –", "///",
    "9" * 30 + " min", "$" + "9" * 40 + " million",
])
@pytest.mark.parametrize("label", ["Stars", "Release date", "Running time", "Budget", "Genre"])
def test_hostile_values_never_raise(label: str, written: str) -> None:
    reading = read_fact(label, written)
    assert isinstance(reading, Reading)
    assert reading.value is not None or reading.problems


def test_warnings_quote_long_values_shortened() -> None:
    [reason] = read_fact("Budget", "lots and lots of money " * 40).problems
    assert "…'" in reason and len(reason) < 160
    reasons = read_fact("Budget", "lots\nof\nmoney\nhere\nand\nthere").problems
    assert len(reasons) == 4 and reasons[-1] == "Budget: 3 more parts not read"


def test_random_values_never_raise() -> None:
    """Seeded noise built from the pieces the readers look for: whatever comes, a reading."""
    import random

    pieces = [*"abcXYZ019 ,;/&()[]-–—:.'’$£€¥\n\tÉéßæ½²", "and ", " as ", "million", "min",
              "hr", "October ", "1992", "(UK)", "Jr.", "von ", "estimated", "US$"]
    rng = random.Random(9)
    for _ in range(150):
        written = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        for label in ("Stars", "Release date", "Running time", "Budget", "Genre", "Country"):
            reading = read_fact(label, written)
            assert reading.value is not None or reading.problems, (label, written)
