"""The details a book designer marks in a print proof, measured in a laid-out PDF: contents
leaders that line up, one sink for every opening, footnotes without the EPUB's back-links or
extra leading."""

from __future__ import annotations

import itertools
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import WorkspaceBuilder

pytestmark = pytest.mark.e2e
LONG = ("The fog came down over the marsh and would not lift, and the film waited with it. "
        * 14)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from anthology.cli import app

    ws = WorkspaceBuilder(tmp_path_factory.mktemp("details") / "ws")
    ws.volume("v1", 'title = "Details"\nauthor = "A. Critic"\nlanguage = "en-GB"\n'
                    'date = 2026-11-02\nforeword = "foreword.md"\nafterword = "afterword.md"\n'
                    'indexes = ["films"]\n')
    ws.write("volumes/v1/foreword.md", LONG + "\n")
    ws.write("volumes/v1/afterword.md", LONG + "\n")
    titles = ["The Marsh", "Fog, Dr.", "A Very Long Title for a Film of the Silent Era",
              "Lantern", "Wake", "Tide", "Reed", "Heron", "Mist", "Dyke", "Sluice", "Ferry"]
    for number, title in enumerate(titles, start=1):
        body = f"{LONG}\n\n{LONG}\n"
        if number == 1:
            body = (f"{LONG} A claim with a note,[^1] {LONG}\n\n{LONG}\n\n"
                    "[^1]: The note itself, which is short.\n")
        facts = [{"Screenplay": "A. Writer"}, "Based on the novel \"Psycho\" by Robert Bloch"]
        ws.review(f"r{number}", "v1", title=title, year=1920 + number, appraisal=number,
                  body=body, facts=facts if number == 2 else [])
    out = ws.root / "out"
    result = CliRunner().invoke(app, ["build", "--root", str(ws.root), "--out", str(out),
                                      "--only", "pdf"])
    assert result.exit_code == 0, result.output
    return out / "v1.pdf"


def _lines(page) -> dict[float, list[dict]]:
    """The page's characters by line, keyed by the line's baseline (its text's, not a raised
    call's)."""
    rows: dict[float, list[dict]] = {}
    for char in page.chars:
        rows.setdefault(round(char["bottom"]), []).append(char)
    lines = {}
    for chars in rows.values():
        size = max(c["size"] for c in chars)
        lines[max(c["bottom"] for c in chars if c["size"] == size)] = chars
    return dict(sorted(lines.items()))


def test_contents_leaders_end_in_one_column_and_pages_align(pdf: Path) -> None:
    with pdfplumber.open(pdf) as doc:
        page = next(p for p in doc.pages if "Contents" in (p.extract_text() or ""))
        last_dots, number_ends, gaps = set(), set(), []
        for chars in _lines(page).values():
            chars = sorted((c for c in chars if c["text"].strip()), key=lambda c: c["x0"])
            end = max((i for i, c in enumerate(chars) if c["text"] == "."), default=-1)
            start = end
            while start > 0 and chars[start - 1]["text"] == ".":
                start -= 1  # back over the leader to the title's last letter
            if end - start < 4:
                continue  # the heading, the folio
            last_dots.add(round(chars[end]["x1"], 1))
            number_ends.add(round(chars[-1]["x1"], 1))
            gaps.append(chars[start]["x0"] - chars[start - 1]["x1"])
    assert len(number_ends) == 1, number_ends  # a right-aligned page column
    assert len(last_dots) == 1, last_dots  # every line's dots stop in one place
    assert min(gaps) > 1.5, gaps  # a space before the first dot: no title ends in a stop


def _first_line_top(page) -> float:
    return min(c["top"] for c in page.chars if c["top"] < page.height * 0.8)


def test_every_opening_has_one_sink(pdf: Path) -> None:
    with pdfplumber.open(pdf) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
        openers = {
            "foreword": next(i for i, t in enumerate(texts) if t.startswith("Foreword")),
            "chapter": next(i for i, t in enumerate(texts) if t.startswith("Appraisal #1")),
            "afterword": next(i for i, t in enumerate(texts) if t.startswith("Afterword")),
            "index": next(i for i, t in enumerate(texts) if t.startswith("Index of Films")),
            "contents": next(i for i, t in enumerate(texts) if t.startswith("Contents")),
        }
        tops = {name: _first_line_top(doc.pages[i]) for name, i in openers.items()}
    # The heading's first line: the same depth within a few points (a label's small capitals
    # and a title's larger size sit differently in lines of the same top).
    assert max(tops.values()) - min(tops.values()) < 6, tops


def test_footnotes_in_print_have_no_back_link_and_no_extra_leading(pdf: Path) -> None:
    with pdfplumber.open(pdf) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
        page = next(p for p in doc.pages if "with a note," in (p.extract_text() or ""))
        rows = _lines(page)
    assert "\u2191" not in text
    body = [bottom for bottom, chars in rows.items()
            if max(c["size"] for c in chars) > 9 and len(chars) > 30]
    steps = [b - a for a, b in itertools.pairwise(body)]
    # The line with the call keeps the page's leading.
    assert len(body) > 10 and max(steps) - min(steps) < 0.2, steps


def test_a_title_in_an_italic_fact_note_is_roman(pdf: Path) -> None:
    with pdfplumber.open(pdf) as doc:
        page = next(p for p in doc.pages if "Robert Bloch" in (p.extract_text() or ""))
        words = {w["text"]: w["fontname"] for w in page.extract_words(extra_attrs=["fontname"])}
    assert "Italic" in words["novel"] and "Italic" not in words["Psycho"], words
