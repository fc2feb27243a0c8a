import pytest

from anthology.workspace.facts import canonical_key, normalise_label


@pytest.mark.parametrize(("label", "key"), [
    ("Running Time", "running_time"),
    ("Runtime", "running_time"),
    ("Run-time:", "running_time"),
    ("Producers", "producer"),
    ("Directed by", "director"),
    ("Country of Origin", "country"),
    ("Sub-Genre", "genre"),
    ("Box Office", "box_office"),
    ("Starring", "stars"),
    ("Director of Photography", "cinematography"),
    ("Favourite Snack", None),
])
def test_canonical_key_tolerates_spelling_plural_and_hyphens(label: str, key: str | None) -> None:
    assert canonical_key(label) == key


def test_normalise_label() -> None:
    assert normalise_label("  Country_of-Origin : ") == "country of origin"
