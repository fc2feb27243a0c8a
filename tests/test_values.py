"""How the templates print dates and fact values: the book's date order, works' titles."""

import datetime

import pytest

from anthology.render.values import dates_for, fact_value, long_date


def test_a_date_in_the_order_of_the_books_english() -> None:
    day = datetime.date(2026, 11, 2)
    assert long_date(day, "en-GB") == "2 November 2026"
    assert long_date(day, "en") == "2 November 2026"
    assert long_date(day, "en-US") == "November 2, 2026"


@pytest.mark.parametrize(("written", "language", "printed"), [
    ("August 11, 1960 (Italy)", "en-GB", "11 August 1960 (Italy)"),
    ("April 21, 1928 (Copenhagen); October 25, 1928 (Paris)", "en-GB",
     "21 April 1928 (Copenhagen); 25 October 1928 (Paris)"),
    ("Aug. 11th, 1960", "en-GB", "11 Aug. 1960"),
    ("September 1973 (San Sebastián Film Festival)", "en-GB",
     "September 1973 (San Sebastián Film Festival)"),
    ("11 August 1960 (Italy)", "en-US", "August 11, 1960 (Italy)"),
    ("August 11, 1960 (Italy)", "en-US", "August 11, 1960 (Italy)"),
    ("11 August 1960 (Italy)", "en-GB", "11 August 1960 (Italy)"),
    ("February 30, 1960", "en-GB", "February 30, 1960"),  # no such day: as written
    ("Mayday 4, 1960", "en-GB", "Mayday 4, 1960"),
    ("August 11, 1960", "de", "August 11, 1960"),  # another language: as written
])
def test_release_dates_follow_the_book(written: str, language: str, printed: str) -> None:
    assert dates_for(written, language) == printed
    assert fact_value(written, "Release Date", "release_date", language) == printed


def test_only_a_release_date_is_turned() -> None:
    assert fact_value("Restored on August 11, 1990", None, None, "en-GB") == \
        "Restored on August 11, 1990"


@pytest.mark.parametrize(("written", "printed"), [
    ("Based on the novel “Psycho” by Robert Bloch",
     "Based on the novel <cite>Psycho</cite> by Robert Bloch"),
    ("Based on the plays “Erdgeist” and “Die Büchse der Pandora” by Frank Wedekind",
     "Based on the plays <cite>Erdgeist</cite> and <cite>Die Büchse der Pandora</cite> by "
     "Frank Wedekind"),
    ("Based on stories from “Ugetsu Monogatari” by Ueda Akinari",
     "Based on stories from <cite>Ugetsu Monogatari</cite> by Ueda Akinari"),
    ("Based on the memoir “The Great Locomotive Chase” by William Pittenger",
     "Based on the memoir <cite>The Great Locomotive Chase</cite> by William Pittenger"),
    # A short work keeps its quotation marks (Chicago 8.179); so does a bare quotation.
    ("Based on the story “Viy” by Nikolai Gogol", "Based on the story “Viy” by Nikolai Gogol"),
    ("Inspired by Poe’s story “William Wilson” and the Faust legend",
     "Inspired by Poe’s story “William Wilson” and the Faust legend"),
    ("Tagline: “Be afraid” & more <b>", "Tagline: “Be afraid” &amp; more &lt;b&gt;"),
])
def test_long_works_titles_in_italics(written: str, printed: str) -> None:
    assert fact_value(written, None, None, "en-GB") == printed


def test_a_title_fact_is_a_title() -> None:
    assert fact_value("“The Lodger: A Story of the London Fog”", "Original Title", None) == \
        "<cite>The Lodger: A Story of the London Fog</cite>"
    assert fact_value("Das Cabinet des Dr. Caligari (Germany)", "Original Title", None) == \
        "<cite>Das Cabinet des Dr. Caligari</cite> (Germany)"
    assert fact_value("Saul Bass", "Title Design", None) == "Saul Bass"
    assert fact_value("“Mona Lisa”", "Title Song", None) == "“Mona Lisa”"
