"""people.toml, name headings and near-duplicate names: an index must never split one person in
two nor file a name where a reader would not look, and a fault in the file is `path:line`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from anthology.workspace.collation import sort_key
from anthology.workspace.people import (
    Occurrence,
    PeopleIndex,
    PeopleSource,
    PersonEntry,
    default_heading,
    distance,
    load_people,
    similar_names,
)
from anthology.workspace.problems import Problems, Severity
from anthology.workspace.volumes import toml_key_lines


@pytest.mark.parametrize(("name", "heading"), [
    ("Max von Sydow", "Sydow, Max von"),
    ("Erich von Stroheim", "Stroheim, Erich von"),
    ("Ludwig van der Rohe", "Rohe, Ludwig van der"),
    ("Brian De Palma", "De Palma, Brian"),
    ("Robert De Niro", "De Niro, Robert"),
    ("Gus Van Sant", "Van Sant, Gus"),
    ("Jean-Claude Van Damme", "Van Damme, Jean-Claude"),
    ("Raymond St. Jacques", "St. Jacques, Raymond"),
    ("Cecil B. DeMille", "DeMille, Cecil B."),
    ("Patrick McGoohan", "McGoohan, Patrick"),
    ("Kyle MacLachlan", "MacLachlan, Kyle"),
    ("Daniel Day-Lewis", "Day-Lewis, Daniel"),
    ("George A. Romero", "Romero, George A."),
    ("Sammy Davis Jr.", "Davis, Sammy, Jr."),
    ("Sammy Davis, Jr.", "Davis, Sammy, Jr."),
    ("Lon Chaney Jr", "Chaney, Lon, Jr"),
    ("Martin Luther King Jr.", "King, Martin Luther, Jr."),
    ("Ernest Dickerson III", "Dickerson, Ernest, III"),
    ("Madonna", "Madonna"),
    ("Sydow, Max von", "Sydow, Max von"),
    ("  Béla   Lugosi ", "Lugosi, Béla"),
    ("Da Vinci", "Vinci, Da"),  # the given name is never swallowed by a particle
    ("", ""),
])
def test_default_heading(name: str, heading: str) -> None:
    assert default_heading(name) == heading


def test_default_headings_file_particles_as_chicago_does() -> None:
    names = ["Max von Sydow", "Brian De Palma", "Ruggero Deodato", "Donald Sutherland",
             "Cecil B. DeMille", "Robert De Niro"]
    ordered = sorted(names, key=lambda n: sort_key(default_heading(n)))
    assert ordered == ["Robert De Niro", "Brian De Palma", "Cecil B. DeMille", "Ruggero Deodato",
                       "Donald Sutherland", "Max von Sydow"]


PEOPLE = """\
# The people of the series
[[person]]
name = "Daniel Day-Lewis"
sort = "Day-Lewis, Daniel"
aliases = ["Daniel Day Lewis"]

[[person]]
name = "Bong Joon-ho"
inverted = false

[[person]]
name = "Nicolas Cage"
aliases = [
  "Nicholas Cage",
  "Nic Cage",
]

[[person]]
name = "Earth, Wind & Fire"
inverted = false

[[distinct]]
names = ["Mark Ross", "Mark Rose"]
"""


def _load(tmp_path: Path, text: str) -> tuple[PeopleIndex, list[str]]:
    (tmp_path / "people.toml").write_text(textwrap.dedent(text), encoding="utf-8")
    problems = Problems()
    index = load_people(tmp_path, problems)
    return index, [p.format(tmp_path) for p in problems]


def test_load_people(tmp_path: Path) -> None:
    index, problems = _load(tmp_path, PEOPLE)
    assert problems == []
    assert index.display("Daniel Day Lewis") == "Daniel Day-Lewis"
    assert index.heading("Daniel Day Lewis") == "Day-Lewis, Daniel"
    assert index.heading("Bong Joon-ho") == "Bong Joon-ho"
    assert index.heading("Nic Cage") == "Cage, Nicolas"
    assert index.heading("Earth, Wind & Fire") == "Earth, Wind & Fire"
    assert index.heading("Tobe Hooper") == "Hooper, Tobe"  # not declared: the default
    assert index.key("Nicholas  Cage") == sort_key("Cage, Nicolas")
    assert index.same("Nic Cage", "Nicolas Cage") and not index.same("Nic Cage", "Tobe Hooper")
    assert index.declared_distinct("Mark Rose", "Mark Ross")
    assert index.declared_distinct("Nicolas Cage", "Bong Joon-ho")  # two declared people
    assert not index.declared_distinct("Nicolas Cage", "Nicholas Cage")
    assert "Earth, Wind & Fire" in index.spellings and "Nic Cage" in index.spellings


def test_no_people_file_is_an_empty_index(tmp_path: Path) -> None:
    problems = Problems()
    index = load_people(tmp_path, problems)
    assert not problems and index.entries == () and index.heading("Max von Sydow") == (
        "Sydow, Max von")


@pytest.mark.parametrize(("text", "expected"), [
    ("[[person]]\nname = 'A'\nsrot = 'B'\n",
     "people.toml:3: error: unknown key 'srot'"),
    ("[[person]]\nname = 'A'\n\n[[person]]\nsort = 'B'\n",
     "people.toml:4: error: missing required key 'person.1.name'"),
    ("[[person]]\nname = 'A'\ninverted = 'no'\n",
     "people.toml:3: error: person.0.inverted: input should be a valid boolean"),
    ("[[person]]\nname = 'Sun Ra'\nsort = 'Ra, Sun'\ninverted = false\n",
     "people.toml:1: error: person.0: give either 'sort' or 'inverted = false', not both"),
    ("[[distinct]]\nnames = ['Mark Ross']\n",
     "people.toml:2: error: distinct.0.names: tuple should have at least 2 items"),
    ("[[person]]\nname = 'A'\n\n[[person]]\nname = 'B'\naliases = [\n  'C',\n  'A',\n]\n",
     "people.toml:8: error: 'A' is already a spelling of 'A' (line 1)"),
    ("[[person]]\nname = 'A'\naliases = ['B']\n[[person]]\nname = 'C'\n"
     "[[distinct]]\nnames = ['A', 'B']\n",
     "people.toml:6: error: names declared distinct are also spellings of one person: 'A', 'B'"),
    ("[[person]]\nname = \"A\\u0007B\"\n",
     "people.toml:2: error: name: U+0007 (control character) cannot be printed or put in an "
     "EPUB: delete it"),
    ("[[person]]\nname = 'A'\naliases = ['B', \"C\\u0000\"]\n",
     "people.toml:3: error: aliases: U+0000 (NUL) cannot be printed"),
    ("[[person]\nname = 'A'\n", "people.toml:1: error: invalid TOML"),
    ("persons = []\n", "people.toml:1: error: unknown key 'persons' (did you mean 'person'?)"),
    ("[[person]]\nname = ''\n",
     "people.toml:2: error: person.0.name: string should have at least 1 character"),
])
def test_people_file_problems(tmp_path: Path, text: str, expected: str) -> None:
    index, problems = _load(tmp_path, text)
    assert index.entries == ()
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems


def test_a_spelling_given_twice_for_one_person_is_a_warning(tmp_path: Path) -> None:
    index, problems = _load(tmp_path, "[[person]]\nname = 'A B'\naliases = ['A B']\n")
    assert problems == ["people.toml:2: warning: 'A B' is given twice for the same person"]
    assert index.display("A B") == "A B"


def test_people_file_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "people.toml").write_bytes(b"[[person]]\nname = '\xe9'\n")
    problems = Problems()
    assert load_people(tmp_path, problems).entries == ()
    assert [p.format(tmp_path) for p in problems] == [
        "people.toml:2: error: not UTF-8 text (byte 0xe9): save the file as UTF-8"]


def test_toml_lines_know_arrays_of_tables() -> None:
    lines = toml_key_lines(PEOPLE)
    assert lines[("person", 0)] == 2 and lines[("person", 0, "sort")] == 4
    assert lines[("person", 2, "aliases")] == 13 and lines[("distinct", 0, "names")] == 23


def test_the_index_is_a_frozen_hashable_value(tmp_path: Path) -> None:
    index, _ = _load(tmp_path, PEOPLE)
    again, _ = _load(tmp_path, PEOPLE)
    assert index == again and hash(index) == hash(again)
    with pytest.raises(AttributeError):
        index.entries = ()  # type: ignore[misc]


def test_schema_is_frozen_and_strict() -> None:
    entry = PersonEntry(name="Sun Ra", inverted=False)
    with pytest.raises(Exception, match="frozen"):
        entry.name = "Ra"  # type: ignore[misc]
    with pytest.raises(Exception, match="extra"):
        PeopleSource.model_validate({"person": [{"name": "A", "nickname": "B"}]})


@pytest.mark.parametrize(("a", "b", "edits"), [
    ("nicolascage", "nicholascage", 1), ("abc", "acb", 1), ("abc", "abc", 0), ("", "abc", 3),
    ("kitten", "sitting", 3), ("schoendoerffer", "schoendorffer", 1),
])
def test_distance(a: str, b: str, edits: int) -> None:
    assert distance(a, b) == edits == distance(b, a)


def _places(*names: str) -> list[tuple[str, Path, int]]:
    return [(name, Path(f"volumes/v1/r{n}.md"), n + 3) for n, name in enumerate(names)]


@pytest.mark.parametrize(("first", "second"), [
    ("Nicolas Cage", "Nicholas Cage"),
    ("Pierre Schoendoerffer", "Pierre Schoendorffer"),
    ("Bela Lugosi", "Béla Lugosi"),
    ("Brian De Palma", "Brian DePalma"),
    ("Jon Voight", "Jon Voigt"),
    ("Ingmar Bergman", "Ingmar Bergmann"),
    ("Max von Sydow", "Max Von Sydow"),
    ("Jet Li", "jet li"),  # short names: only case, accents, spacing
    ("Dario Argento", "Dario Aregnto"),  # two letters swapped
    ("Tobe Hooper", "Tobe Hopper"),
])
def test_similar_names_are_found(first: str, second: str) -> None:
    [found] = similar_names(_places(first, second, first))
    assert (found.first, found.second) == (second.strip(), first)  # the rarer spelling first
    assert [o.line for o in found.first_at] == [4] and [o.line for o in found.second_at] == [3, 5]


@pytest.mark.parametrize(("first", "second"), [
    ("Tom Holland", "Tom Hollander"),
    ("Lon Chaney", "Lon Chaney Jr."),
    ("Joel Coen", "Ethan Coen"),
    ("Mario Bava", "Lamberto Bava"),
    ("Jet Li", "Jet Lee"),  # short names differing in a letter are left alone
    ("Christopher Lee", "Christopher Lee"),
])
def test_different_names_are_left_alone(first: str, second: str) -> None:
    assert similar_names(_places(first, second)) == []


def test_declared_people_are_not_reported(tmp_path: Path) -> None:
    index, _ = _load(tmp_path, PEOPLE)
    places = _places("Nicolas Cage", "Nicholas Cage", "Mark Ross", "Mark Rose", "Nic Cage")
    assert similar_names(places, index) == []
    # a spelling people.toml does not know is still caught against the declared person
    [found] = similar_names(_places("Nicolas Cage", "Nicolas Gage"), index)
    assert (found.first, found.second) == ("Nicolas Gage", "Nicolas Cage")


def test_one_warning_per_pair_of_people() -> None:
    found = similar_names(_places("Nicolas Cage", "Nicholas Cage", "Nicolas Cage ",
                                  "Nicolas  Cage", "Béla Lugosi", "Bela Lugosi"))
    assert [(f.first, f.second) for f in found] == [("Bela Lugosi", "Béla Lugosi"),
                                                    ("Nicholas Cage", "Nicolas Cage")]


def test_the_warning_names_both_places(tmp_path: Path) -> None:
    root = tmp_path
    places = [Occurrence("Nicolas Cage", root / "volumes/v1/a.md", 7),
              Occurrence("Nicolas Cage", root / "volumes/v2/b.md", 9),
              Occurrence("Nicholas Cage", root / "volumes/v2/c.md", 4)]
    [found] = similar_names(places)
    problem = found.problem(root)
    assert problem.severity is Severity.WARNING
    assert problem.format(root) == (
        "volumes/v2/c.md:4: warning: 'Nicholas Cage' differs only slightly from 'Nicolas Cage' "
        "(volumes/v1/a.md:7 and 1 more): if they are one person give one as an alias of the "
        "other in people.toml, otherwise declare them [[distinct]]")


def test_thousands_of_unlike_names_give_no_warnings() -> None:
    """Names differing in two places or more are never paired, however many there are."""
    names = [f"Person {chr(65 + i % 26)}{chr(65 + i // 26 % 26)}{i:04d}x" for i in range(3000)]
    assert similar_names(_places(*names)) == []
