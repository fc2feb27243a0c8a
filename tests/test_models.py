from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from anthology.workspace.models import (
    ItemError,
    ReviewSource,
    is_blank,
    parse_facts,
    parse_judgement,
    plain_date,
    whole_number,
)
from anthology.workspace.volume_source import VolumeSource, check_isbn


def test_judgement_keeps_decimal_scores_exactly() -> None:
    judgement = parse_judgement("7.5/10")
    assert judgement is not None
    assert judgement.score == Decimal("7.5")
    assert str(judgement) == "7.5/10"
    assert str(parse_judgement("10 / 10")) == "10/10"


@pytest.mark.parametrize(("value", "message"), [
    ("ten", "is not a score"),
    ("ten/10", "is not a score"),
    (8, "has no scale"),
    ("11/10", "outside its scale"),
    ("3/0", "outside its scale"),
    (True, "must be a score"),
])
def test_bad_judgements_say_how_to_write_one(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_judgement(value)


def test_no_judgement_is_allowed() -> None:
    assert parse_judgement(None) is None


def test_facts_keep_order_labels_and_unlabelled_notes() -> None:
    facts = parse_facts([
        {"Director": "Mike Figgis"},
        "Based on a novel by John O'Brien",
        {"Stars": ["Nicolas Cage", "Elisabeth Shue"]},
        {"Runtime": "112"},
    ])
    assert [(f.label, f.value, f.key) for f in facts] == [
        ("Director", "Mike Figgis", "director"),
        (None, "Based on a novel by John O'Brien", None),
        ("Stars", "Nicolas Cage, Elisabeth Shue", "stars"),
        ("Runtime", "112", "running_time"),
    ]
    assert facts[1].is_note


def test_a_fact_with_two_labels_points_at_its_item() -> None:
    with pytest.raises(ItemError) as caught:
        parse_facts([{"Director": "A"}, {"Genre": "B", "Budget": "C"}])
    assert caught.value.index == 1


def test_empty_fact_value_is_an_error() -> None:
    with pytest.raises(ItemError, match="has no value"):
        parse_facts([{"Director": None}])


def test_review_source_forbids_unknown_keys() -> None:
    with pytest.raises(ValidationError) as caught:
        ReviewSource.model_validate({"title": "X", "titel": "Y"})
    assert caught.value.errors()[0]["type"] == "extra_forbidden"


def test_numeric_titles_are_titles() -> None:
    # The loader gives every value as text; a film called "1917" is a title like any other.
    assert ReviewSource.model_validate({"title": "1917"}).title == "1917"


@pytest.mark.parametrize(("value", "expected"), [("1931", 1931), (" 0110 ", 110), (12, 12),
                                                 ("-4", -4)])
def test_whole_numbers_are_plain_digits(value: object, expected: int) -> None:
    assert whole_number(value, "year", 1931) == expected


@pytest.mark.parametrize("value", ["32:30", "1e3", "0x7B1", "yes", "1931.0", "1_931", ".inf",
                                   True, "9" * 31])
def test_what_yaml_1_1_reads_as_a_number_is_not_one(value: object) -> None:
    with pytest.raises(ValueError, match=r"whole number|far too large"):
        whole_number(value, "year", 1931)


def test_typed_keys_name_the_key_and_the_fix() -> None:
    with pytest.raises(ValidationError, match="'32:30' is not a whole number: write the year"):
        ReviewSource.model_validate({"title": "T", "year": "32:30"})
    with pytest.raises(ValidationError, match="'yes' is not a whole number: write the apprais"):
        ReviewSource.model_validate({"title": "T", "appraisal": "yes"})
    source = ReviewSource.model_validate({"title": "T", "year": "1931", "appraisal": "12",
                                          "published": "2024-03-01"})
    assert (source.year, source.appraisal, source.published) == (1931, 12, date(2024, 3, 1))


@pytest.mark.parametrize(("value", "message"), [
    ("2024-02-30", "not a date in the calendar: day is out of range"),
    ("20240301", "not a date: write it as YYYY-MM-DD"),
    ("1 March 2024", "not a date"),
    ("2024-01-01 25:00:00", "not a date in the calendar"),
])
def test_dates_are_iso_dates(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plain_date(value)


def test_a_midnight_timestamp_is_still_a_date() -> None:
    assert ReviewSource.model_validate(
        {"title": "T", "published": "2024-01-01 00:00:00"}).published == date(2024, 1, 1)


def test_a_bare_number_as_judgement_asks_for_a_scale() -> None:
    with pytest.raises(ValueError, match=r"judgement 7\.5 has no scale: write it as 7\.5/10"):
        parse_judgement("7.5")


@pytest.mark.parametrize("text", ["\u200b", "\u200b\u200d\u200c", "\u2060\ufeff\u00ad",
                                  "\u3164", "\u034f \u2800"])
def test_a_title_of_invisible_characters_is_blank(text: str) -> None:
    assert is_blank(text)
    with pytest.raises(ValidationError, match="is blank"):
        ReviewSource.model_validate({"title": text})


def test_visible_text_with_joiners_is_not_blank() -> None:
    assert not is_blank("Ha\u200bxan")
    assert not is_blank("\U0001F468\u200d\U0001F469")
    assert ReviewSource.model_validate({"title": "Ha\u200bxan"}).title == "Ha\u200bxan"


def test_a_fact_of_invisible_characters_has_no_value() -> None:
    with pytest.raises(ItemError, match="has no value"):
        parse_facts([{"Director": "\u200b"}])
    with pytest.raises(ItemError, match="empty or not text"):
        parse_facts(["\u2060"])


@pytest.mark.parametrize("isbn", ["978-0-306-40615-7", "0-306-40615-2", "9780306406157"])
def test_valid_isbns(isbn: str) -> None:
    assert check_isbn(isbn).isdigit()


@pytest.mark.parametrize("isbn", ["978-0-306-40615-8", "12345", "0-306-40615-3"])
def test_invalid_isbns(isbn: str) -> None:
    with pytest.raises(ValueError, match="not a valid ISBN"):
        check_isbn(isbn)


def test_volume_order_defaults() -> None:
    base = {"title": "T", "author": "A", "date": "2026-01-01"}
    assert VolumeSource.model_validate(base).chapter_order == "appraisal"
    listed = VolumeSource.model_validate({**base, "contents": {"reviews": ["a"]}})
    assert listed.chapter_order == "list"
    with pytest.raises(ValidationError, match="needs a \\[contents\\] reviews list"):
        VolumeSource.model_validate({**base, "order": "list"})
    with pytest.raises(ValidationError, match="language tag"):
        VolumeSource.model_validate({**base, "language": "english please"})


def test_a_track_may_carry_a_musicbrainz_recording_id() -> None:
    given = "https://musicbrainz.org/recording/B1A9C0E9-D987-4042-AE91-78D6A3267D69"
    track = ReviewSource.model_validate(
        {"title": "T", "jukebox": [{"artist": "A", "song": "S", "musicbrainz": given}]})
    assert track.jukebox[0].musicbrainz == "b1a9c0e9-d987-4042-ae91-78d6a3267d69"
    for bad in ("not-a-uuid", "b1a9c0e9d9874042ae9178d6a3267d69", "https://example.org/x"):
        with pytest.raises(ValidationError, match="MusicBrainz"):
            ReviewSource.model_validate(
                {"title": "T", "jukebox": [{"artist": "A", "song": "S", "musicbrainz": bad}]})


def test_a_review_may_silence_linter_codes() -> None:
    source = ReviewSource.model_validate({"title": "T", "lint": {"ignore": ["duplicate-film"]}})
    assert source.lint.ignore == ("duplicate-film",)
    with pytest.raises(ValidationError):
        ReviewSource.model_validate({"title": "T", "lint": {"ignroe": ["x"]}})
