"""The import report: the summary table (page, title, appraisal, facts, tracks, paragraphs,
lines left out) and the same facts as JSON with `--report json`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from anthology.cli import app
from anthology.importer.write import REPORT_NAME

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SEED = FIXTURES / "seed" / "leaving-las-vegas-appraisal-573.txt"
runner = CliRunner()


def test_the_report_opens_with_a_summary_table(tmp_path: Path) -> None:
    volume = tmp_path / "volumes" / "x"
    result = runner.invoke(app, ["import", "text", str(SEED),
                                 str(FIXTURES / "alien-appraisal-212.txt"),
                                 str(FIXTURES / "editorial.txt"), "--into", str(volume)])
    assert result.exit_code == 0, result.output
    lines = (volume / REPORT_NAME).read_text().splitlines()
    header = lines.index(next(line for line in lines if line.startswith("page ")))
    assert lines[header].split() == ["page", "title", "appraisal", "facts", "tracks",
                                     "paragraphs", "left", "out"]
    rows = [line.split("  ") for line in lines[header + 2:header + 4]]
    cells = [[cell.strip() for cell in row if cell.strip()] for row in rows]
    assert cells == [
        ["leaving-las-vegas-appraisal-573.txt", "Leaving Las Vegas (1995)", "573", "16", "4",
         "23", "11"],
        ["alien-appraisal-212.txt", "Alien (1979)", "212", "9", "4", "4", "4"]]
    assert lines[header + 4] == ""  # the editorial is not a review: no row


def test_report_json_has_every_file_entry_and_line(tmp_path: Path) -> None:
    volume = tmp_path / "volumes" / "x"
    result = runner.invoke(app, ["import", "text", str(SEED), str(FIXTURES / "bad" / "empty.txt"),
                                 "--into", str(volume), "--report", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["format"] == 1 and document["dry_run"] is False
    assert document["table"] == [{
        "page": "leaving-las-vegas-appraisal-573.txt", "title": "Leaving Las Vegas (1995)",
        "appraisal": "573", "facts": 16, "tracks": 4, "paragraphs": 23, "left_out": 11}]
    seed, empty = document["files"]
    assert (empty["failed"], empty["error"]) == (True, "is empty")
    entry = seed["entries"][0]
    review = entry["review"]
    assert (review["title"], review["views"], review["critic"], review["judgement"]) == (
        "Leaving Las Vegas", "Three", "Crimson Quill", "10/10")
    assert len(review["facts"]) == 16 and review["guests"] == [
        {"byline": "Emilie Flory", "paragraphs": 3}]
    assert entry["source"]["outcome"] == "written"
    assert entry["source"]["path"] == str(volume / "leaving-las-vegas.md")
    assert {"line": 41, "kind": "caption", "text": "giphy c"} in entry["left_out"]
    assert "error: " in result.stderr and "error: " not in result.stdout
    # The text report is still written beside the sources.
    assert "leaving-las-vegas.md: written" in (volume / REPORT_NAME).read_text()


def test_report_json_for_an_export_names_lost_items_with_their_lines(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", "wordpress",
                                 str(FIXTURES / "wordpress-importer" / "malformed-simple.xml"),
                                 "--into", str(tmp_path / "volumes" / "x"), "--dry-run",
                                 "--report", "json"])
    assert result.exit_code == 1
    file = json.loads(result.stdout)["files"][0]
    assert file["failed"] is True
    assert [f["line"] for f in file["failures"]] == [9]
