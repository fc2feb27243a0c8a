"""anthology.print.spacing: a justified line that would stretch its spaces past twice the
font's is hyphenated, whatever `hyphenate-limit-zone` says."""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint
from weasyprint.layout import inline

from anthology.preflight.pdftext import Line, read_pages
from anthology.print import linebreak, spacing
from tests.test_preflight import CHAPTER, _html, _prose, findings

# Hyphenation allowed, but (by the zone alone) only where a line ends half empty: every
# hyphen then comes from the loose-line rule.
CSS = ("p { hyphens: auto; hyphenate-limit-chars: 6 3 3; hyphenate-limit-zone: 50%; "
       "word-spacing: 0; }")
ESSAY = "".join(f"<p>{_prose(6)} Unmistakably, extraordinary circumstances intervened.</p>"
                for _ in range(6))


def _laid_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split: object) -> Path:
    monkeypatch.setattr(inline, "split_first_line", split)
    monkeypatch.setattr(inline, "split_text_box", spacing._ORIGINAL_SPLIT)  # no tightening
    html = _html(f"<h1>The Lighthouse Keeper</h1>{ESSAY}", css=CSS).replace(
        "lang='en'", "lang='en-GB'")
    path = tmp_path / f"{split.__module__}.pdf"
    weasyprint.HTML(string=html).write_pdf(path)
    return path


def _hyphens(path: Path) -> int:
    return sum(x.text.endswith("\u2010") for x in _lines(path))


def _lines(path: Path) -> list[Line]:
    return [x for page in read_pages(path) for x in page.lines]


def test_loose_lines_are_hyphenated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _laid_out(tmp_path, monkeypatch, linebreak.split_first_line)
    after = _laid_out(tmp_path, monkeypatch, spacing.split_first_line)
    loose = [findings(path, CHAPTER)["loose lines"].value for path in (before, after)]
    assert loose[0] > 3  # greedy breaks, natural spaces and a wide zone: gaps
    assert loose[1] < loose[0]
    assert _hyphens(after) > _hyphens(before)


def test_a_line_that_is_not_loose_is_left_alone(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Ragged text (no justification to stretch the spaces) breaks as WeasyPrint breaks it."""
    ragged = CSS + " p { text-align: left; }"
    paths = []
    for split, box in ((linebreak.split_first_line, spacing._ORIGINAL_SPLIT),
                       (spacing.split_first_line, spacing.split_text_box)):
        monkeypatch.setattr(inline, "split_first_line", split)
        monkeypatch.setattr(inline, "split_text_box", box)
        html = _html(ESSAY, css=ragged).replace("lang='en'", "lang='en-GB'")
        path = tmp_path / f"{len(paths)}.pdf"
        weasyprint.HTML(string=html).write_pdf(path)
        paths.append(path)
    assert [x.text for x in _lines(paths[0])] == [x.text for x in _lines(paths[1])]


def test_a_loose_line_with_no_word_to_break_is_tightened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Words no dictionary breaks (a language without patterns): the line that would gap
    takes a word more with narrower spaces, never narrower than `TIGHTEST` natural spaces."""
    monkeypatch.setattr(inline, "split_first_line", spacing.split_first_line)
    paths = []
    for split in (spacing._ORIGINAL_SPLIT, spacing.split_text_box):
        monkeypatch.setattr(inline, "split_text_box", split)
        html = _html(f"<h1>The Lighthouse Keeper</h1>{ESSAY}", css=CSS).replace(
            "lang='en'", "lang='x-unbroken'")
        path = tmp_path / f"{len(paths)}.pdf"
        weasyprint.HTML(string=html).write_pdf(path)
        paths.append(path)
    loose = [findings(path, CHAPTER)["loose lines"].value for path in paths]
    assert loose[0] > 3 and loose[1] < loose[0] / 2
    assert _hyphens(paths[0]) == _hyphens(paths[1]) == 0
    spaces = [min(x.spaces) / x.space for x in _lines(paths[1])
              if x.size == 12 and x.space and len(x.spaces) >= 3]
    assert min(spaces) >= spacing.TIGHTEST - 0.05  # gaps are read between glyph boxes


def test_install_layers_the_rule_over_the_tear_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inline, "split_first_line", linebreak._ORIGINAL)
    monkeypatch.setattr(inline, "split_text_box", spacing._ORIGINAL_SPLIT)
    spacing.install()
    assert inline.split_first_line is spacing.split_first_line
    assert inline.split_text_box is spacing.split_text_box
    spacing.install()  # twice is once
    assert inline.split_first_line is spacing.split_first_line


def test_a_hyphenated_line_is_taken_only_when_it_holds_more(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the second try (hyphenating at any slack) keeps less of the text than the first
    ("Rest-" alone on an essay's small-capital opening line), the first stands."""
    text = "Restless follows patient figure sudden remembers summer rain harbour"
    loose = (None, 40, 41, 200.0, 14.0, 11.0)
    calls = []

    def split(text, style, *args):
        calls.append(style)
        return loose if len(calls) == 1 else (None, 5, 4, 30.0, 14.0, 11.0)

    monkeypatch.setattr(linebreak, "split_first_line", split)
    monkeypatch.setattr(spacing, "space_width", lambda style: 2.0)
    monkeypatch.setattr(spacing, "_without_zone", lambda style: "zoneless")
    style = {"hyphens": "auto", "text_align_all": "justify", "hyphenate_character": "\u2010",
             "word_spacing": 0}
    assert spacing.split_first_line(text, style, None, 300.0, 0) is loose
    assert calls == [style, "zoneless"]  # the line was loose, so it was tried
