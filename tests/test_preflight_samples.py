"""End to end: `anthology preflight` on the sample volumes, built once in every profile, and
the figures it measures asserted one by one (issue 10's "Done when")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.cli import app
from tests.conftest import REPO, SAMPLE_VOLUMES

pytestmark = pytest.mark.e2e
PROFILES = ("digital", "kdp", "ingram")
EVERY = [(v, p) for v in SAMPLE_VOLUMES for p in PROFILES]

@pytest.fixture(scope="module")
def preflight(sample_books: dict[str, Path]
              ) -> tuple[int, dict[tuple[str, str, str], dict], list[dict]]:
    """Preflight of every sample in every profile (each profile's build has its folder), as
    JSON: (the worst exit code, rows by (volume, profile, check), what to upload where)."""
    codes, rows, shipping = [], {}, []
    for profile, folder in sample_books.items():
        result = CliRunner().invoke(app, ["preflight", "--root", str(REPO), "--out",
                                          str(folder), "--profile", profile, "--format",
                                          "json"])
        assert result.exit_code in (0, 1), result.output
        data = json.loads(result.stdout)
        assert sum(data["summary"].values()) == len(data["rows"])
        codes.append(result.exit_code)
        rows |= {(r["volume"], r["profile"], r["check"]): r for r in data["rows"]}
        shipping += data["shipping"]
    return max(codes), rows, shipping


def _row(preflight, volume: str, profile: str, check: str) -> dict:
    return preflight[1][(volume, profile, check)]


def test_preflight_passes_every_sample_in_every_profile(preflight) -> None:
    assert preflight[0] == 0


@pytest.mark.parametrize(("volume", "profile"), EVERY)
def test_every_check_ran_for_every_file(preflight, volume: str, profile: str) -> None:
    checks = {c for v, p, c in preflight[1] if (v, p) == (volume, profile)}
    file_checks = {"trim and boxes", "fonts embedded", "page count", "openers with essay text",
                   "stranded closing lines", "stranded signatures",
                   "judgement apart from signature", "hyphenated line ends",
                   "hyphenation fragments", "hyphenated ends in a row", "lines led by a dash",
                   "line length", "torn paragraphs", "verdicts with essay",
                   "ornaments at a page's foot", "words broken across a page turn",
                   "paragraph-final hyphens", "spreads on one baseline", "loose lines"}
    extra = ({"EPUB cover fits the screen"} if profile == "digital" else
             {"blank pages at the end", "cover wrap size", "cover fonts embedded",
              "barcode", "spine text clearance"}
             | ({"cover ink"} if profile == "ingram" else set()))
    assert checks == file_checks | extra


@pytest.mark.parametrize(("volume", "profile"), EVERY)
def test_the_files_pass_the_print_services_checks(preflight, volume, profile) -> None:
    names = ["trim and boxes", "fonts embedded", "page count"]
    if profile != "digital":
        names += ["blank pages at the end", "cover wrap size", "cover fonts embedded",
                  "barcode"]
    for name in names:
        assert _row(preflight, volume, profile, name)["status"] == "pass", name


@pytest.mark.parametrize(("volume", "profile"), EVERY)
def test_openers_carry_essay_text_wherever_the_fact_box_leaves_room(preflight, volume,
                                                                   profile) -> None:
    row = _row(preflight, volume, profile, "openers with essay text")
    assert row["value"] == 0 and row["where"] == [], row


@pytest.mark.parametrize(("volume", "profile"), EVERY)
def test_mean_line_length_is_60_to_70_characters(preflight, volume, profile) -> None:
    assert 60 <= _row(preflight, volume, profile, "line length")["value"] <= 70


@pytest.mark.parametrize(("volume", "profile"), EVERY)
def test_no_hyphenation_fragment_under_three_letters(preflight, volume, profile) -> None:
    assert _row(preflight, volume, profile, "hyphenation fragments")["value"] == 0


@pytest.mark.parametrize(("volume", "profile"), EVERY)
def test_at_most_8_percent_of_line_ends_hyphenated(preflight, volume, profile) -> None:
    assert _row(preflight, volume, profile, "hyphenated line ends")["value"] <= 8


@pytest.mark.parametrize(("volume", "profile"), EVERY)
def test_no_line_starts_with_a_dash(preflight, volume, profile) -> None:
    assert _row(preflight, volume, profile, "lines led by a dash")["value"] == 0


@pytest.mark.parametrize(("volume", "profile"), EVERY)
def test_no_paragraph_is_torn(preflight, volume, profile) -> None:
    # Issue 18: "...magnificent / again / for nearly thirty years" (a WeasyPrint line break
    # before an inline element; anthology.print.linebreak).
    row = _row(preflight, volume, profile, "torn paragraphs")
    assert row["value"] == 0 and row["where"] == [], row


@pytest.mark.parametrize(("volume", "profile"), EVERY)
def test_no_stranded_signature_and_judgements_keep_their_signatures(preflight, volume,
                                                                   profile) -> None:
    assert _row(preflight, volume, profile, "stranded signatures")["value"] == 0
    assert _row(preflight, volume, profile, "judgement apart from signature")["value"] == 0


@pytest.mark.parametrize(("volume", "profile"), EVERY)
def test_no_part_ends_with_fewer_than_three_lines_alone(preflight, volume, profile) -> None:
    assert _row(preflight, volume, profile, "stranded closing lines")["value"] == 0


@pytest.mark.parametrize(("volume", "profile"), EVERY)
def test_every_opener_and_verdict_carries_three_lines_of_essay(preflight, volume,
                                                               profile) -> None:
    """Issue 18: no opener without essay (its fact box exempted it before), no verdict alone
    overleaf, no ornament at a page's foot, no word broken at a page's foot or at a
    paragraph's end."""
    for check in ("openers with essay text", "verdicts with essay",
                  "ornaments at a page's foot", "words broken across a page turn",
                  "paragraph-final hyphens"):
        row = _row(preflight, volume, profile, check)
        assert row["status"] == "pass" and row["value"] == 0, row
    # Facing pages inside a chapter end on one baseline: all of After Midnight's and the
    # sampler's, 6 of Silent Shadows' 7 (measured; a warning under 90%, not a failure).
    row = _row(preflight, volume, profile, "spreads on one baseline")
    assert row["status"] in ("pass", "warn") and row["value"] >= 75.0, row
    # Loose lines are measured (a warning above 3%: 15-16% of the samples' justified lines
    # have word spaces over twice natural; issue 18 point 5 is open).
    row = _row(preflight, volume, profile, "loose lines")
    assert row["status"] in ("pass", "warn") and 0 < row["value"] < 30, row


@pytest.mark.parametrize("volume", SAMPLE_VOLUMES)
def test_the_ingram_cover_keeps_within_240_percent_ink(preflight, volume) -> None:
    row = _row(preflight, volume, "ingram", "cover ink")
    assert row["status"] == "pass" and 0 < row["value"] <= 240


@pytest.mark.parametrize(("volume", "profile"), [(v, p) for v, p in EVERY if p != "digital"])
def test_spine_text_keeps_a_sixteenth_of_an_inch_from_the_folds(preflight, volume,
                                                                profile) -> None:
    # Issue 18: the samples' spine text came within 0.013-0.051 in of the folds.
    row = _row(preflight, volume, profile, "spine text clearance")
    assert row["status"] == "pass", row
    assert row["value"] is None or row["value"] >= 0.0625


@pytest.mark.parametrize("volume", SAMPLE_VOLUMES)
def test_the_epub_cover_fits_the_screens(preflight, volume) -> None:
    # Not run (no Chromium) is not a pass: setup.sh installs Chromium, so this fails then.
    assert _row(preflight, volume, "digital", "EPUB cover fits the screen")["status"] == "pass"


def test_the_table_names_each_check_and_ends_with_a_summary(sample_books) -> None:
    result = CliRunner().invoke(app, ["preflight", "after-midnight", "--profile", "ingram",
                                      "--root", str(REPO), "--out", str(sample_books["ingram"])])
    lines = result.output.strip().splitlines()
    assert "after-midnight, ingram" in result.output and "cover ink" in result.output
    assert lines[-1].startswith("Preflight of 1 volume in 1 profile: 25 checks,")
    failed = int(re.search(r"(\d+) failed", lines[-1]).group(1))
    assert result.exit_code == (1 if failed else 0)


@pytest.mark.parametrize("volume", SAMPLE_VOLUMES)
def test_every_store_edition_passes_its_stores_checks(preflight, volume) -> None:
    found = {c: r for (v, p, c), r in preflight[1].items() if (v, p) == (volume, "stores")}
    # Kindle's and Kobo's editions always differ from the generic EPUB; each has its checks.
    assert {"kindle: store links", "kindle: cover page", "kobo: Kobo spans",
            "kobo: images"} <= set(found)
    assert [c for c, r in found.items() if r["status"] != "pass"] == []


def test_every_upload_is_ready_but_the_feed_no_build_writes(preflight) -> None:
    destinations = {u["destination"] for u in preflight[2]}
    assert {"Amazon KDP, Kindle eBook", "Kobo Writing Life", "Amazon KDP, paperback",
            "IngramSpark, paperback", "IngramSpark, hardcover"} <= destinations
    assert [u for u in preflight[2] if u["readiness"] != "ready"
            and not u["destination"].startswith("distributors")] == []
    kobo = [u["files"] for u in preflight[2] if u["destination"] == "Kobo Writing Life"]
    assert sorted(kobo) == [[f"{v}.kepub.epub"] for v in SAMPLE_VOLUMES]
