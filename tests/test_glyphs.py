"""Characters the theme's font lacks: the build names them, the file and the line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.cli import app
from anthology.print.glyphs import Glyphs, merged, report, shown, theme_fonts
from anthology.workspace.problems import Severity
from anthology.workspace.theme import Theme
from tests.conftest import VOLUME_TOML, WorkspaceBuilder

runner = CliRunner()

REVIEW = """\
---
title: Nosferatu
year: 1922
appraisal: 1
facts:
  - Director: F. W. Murnau \u2603
---

The count arrives.

A tick \u2713 in the margin.
"""
FOREWORD = "# Foreword\n\nAn opening.\n\nChecked \u2713.\n"
THEME = theme_fonts(Theme.for_workspace(Path("/nonexistent")))


def test_the_theme_font_is_read_from_its_files() -> None:
    assert THEME.names == ("EB Garamond",)
    assert "EB Garamond" in THEME.families
    assert ord("A") in THEME.coverage and ord("\u2192") in THEME.coverage
    assert ord("\u2713") not in THEME.coverage


def test_shown_names_the_character_and_escapes_what_would_not_show() -> None:
    assert shown("\u2713") == "\u2713 U+2713"
    assert shown("\u200b") == "\\u200b U+200B"
    assert shown("\u00a0") == "\\xa0 U+00A0"
    assert shown("\u0301") == "\u25cc\u0301 U+0301"  # a mark on a dotted circle


def test_one_warning_per_file_at_the_first_line(tmp_path) -> None:
    review = tmp_path / "review.md"
    review.write_text("---\ntitle: X\n---\n\nplain\nthe \u2603 and &#x2713; here\n\u2713 \u2605\n")
    other = tmp_path / "other.md"
    other.write_text("---\ntitle: \"Y \\u2605\"\n---\n")
    glyphs = Glyphs((("DejaVu Sans", "\u2603\u2713"), ("Other Sans", "\u2605")))
    said = report(glyphs, [review, other, tmp_path / "gone.md"], tmp_path, THEME, "v1.pdf")
    assert [(p.path, p.line, p.severity) for p in said.problems] == [
        (review, 6, Severity.WARNING), (other, 2, Severity.WARNING)]
    assert said.problems[0].message == (
        "3 characters are not in the theme's font (EB Garamond) and were set in DejaVu Sans "
        "and Other Sans: \u2603 U+2603, \u2713 U+2713, \u2605 U+2605")
    assert said.problems[1].message.startswith("1 character is not in the theme's font "
                                               "(EB Garamond) and was set in Other Sans: ")
    assert said.warnings == ()


def test_a_long_list_is_cut_and_what_no_source_holds_is_said_of_the_pdf(tmp_path) -> None:
    chars = "".join(chr(0x2600 + n) for n in range(11))
    source = tmp_path / "review.md"
    source.write_text("x\n" + chars[:10] + "\n")
    glyphs = Glyphs((("DejaVu Sans", chars), ("DejaVu Sans Mono", "")), missing="\u16a0")
    said = report(glyphs, [source], tmp_path, THEME, "v1.pdf")
    (problem,) = said.problems
    assert problem.line == 2 and problem.message.startswith("10 characters are not")
    assert problem.message.endswith("\u2607 U+2607 and 2 more")
    assert said.warnings == (
        "v1.pdf: 1 character is not in the theme's font (EB Garamond) and was set in DejaVu "
        "Sans, and in none of the volume's sources (a template?): \u260a U+260A",
        "v1.pdf: 1 character is in no font, neither the theme's (EB Garamond) nor one on this "
        "machine, and prints as a blank box, and in none of the volume's sources (a "
        "template?): \u16a0 U+16A0",
        "v1.pdf: text was set in DejaVu Sans Mono, which is not the theme's font (EB "
        "Garamond): a stylesheet asks for a family the theme has no face for")


def test_a_character_in_no_font_is_its_own_warning(tmp_path) -> None:
    source = tmp_path / "review.md"
    source.write_text("a\nb \u2713\nc \u16a0\n")
    said = report(Glyphs((("DejaVu Sans", "\u2713"),), "\u16a0"), [source], tmp_path, THEME,
                  "v1.pdf")
    assert [(p.line, p.message.split(":")[0]) for p in said.problems] == [
        (2, "1 character is not in the theme's font (EB Garamond) and was set in DejaVu Sans"),
        (3, "1 character is in no font, neither the theme's (EB Garamond) nor one on this "
            "machine, and prints as a blank box")]
    assert report(Glyphs(), [source], tmp_path, THEME, "v1.pdf").problems == ()


def test_pieces_merge_into_one_book() -> None:
    book = merged([Glyphs((("B", "\u2713"),)), Glyphs((("A", "x"), ("B", "\u2603")), "z")])
    assert book == Glyphs((("A", "x"), ("B", "\u2603\u2713")), "z")
    assert book.families == ("A", "B") and not merged([])


WARNING = re.compile(r"^(?P<where>\S+:\d+): warning: (?P<message>.+)$")


@pytest.fixture
def ws(tmp_path, monkeypatch) -> WorkspaceBuilder:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    ws = WorkspaceBuilder(tmp_path / "ws")
    ws.volume("v1", VOLUME_TOML + 'foreword = "foreword.md"\n')
    ws.write("volumes/v1/foreword.md", FOREWORD)
    ws.write("volumes/v1/nosferatu.md", REVIEW)
    return ws


@pytest.mark.e2e
def test_the_build_names_the_characters_the_file_and_the_line(ws) -> None:
    args = ["build", "--root", str(ws.root), "--only", "pdf", "-j", "1"]
    # Two profiles, one layout each: each warning is shown once.
    first = runner.invoke(app, [*args, "-p", "digital", "-p", "kdp"])
    assert first.exit_code == 0, first.output
    found = {m["where"]: m["message"] for m in map(WARNING.match, first.output.splitlines())
             if m}
    assert len([line for line in first.output.splitlines() if WARNING.match(line)]) == 2
    assert re.fullmatch(
        r"2 characters are not in the theme's font \(EB Garamond\) and were set in .+: "
        "\u2603 U\\+2603, \u2713 U\\+2713", found["volumes/v1/nosferatu.md:6"])
    assert found["volumes/v1/foreword.md:5"].endswith(" \u2713 U+2713")
    assert "some characters" not in first.output
    # A book left as it was built still says so, until the characters are fixed.
    again = runner.invoke(app, [*args, "--format", "json"])
    assert again.exit_code == 0, again.output
    problems = json.loads(again.stdout)["problems"]
    assert {(p["path"], p["line"], p["severity"]) for p in problems} == {
        ("volumes/v1/nosferatu.md", 6, "warning"), ("volumes/v1/foreword.md", 5, "warning")}
    ws.write("volumes/v1/nosferatu.md", REVIEW.replace("\u2713", "v").replace("\u2603", "s"))
    ws.write("volumes/v1/foreword.md", FOREWORD.replace("\u2713", "."))
    fixed = runner.invoke(app, args)
    assert fixed.exit_code == 0, fixed.output
    assert not any(WARNING.match(line) for line in fixed.output.splitlines()), fixed.output
