"""Golden cases: each `cases/<name>/input/` is a workspace; `expected/` holds what it renders
to (every EPUB document, the print HTML) and the problems it reports.

After an intended change, run `pytest tests/test_cases.py --regen` and review the diff of
`expected/` like any other change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from anthology.render.documents import EPUB_STYLESHEETS, render_epub_documents, render_print_html
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace

CASES = Path(__file__).parent / "cases"


def rendered(root: Path) -> dict[str, str]:
    problems = Problems()
    workspace = load_workspace(root, problems)
    theme = Theme.for_workspace(root)
    files: dict[str, str] = {}
    books = [resolve_book(workspace, volume, problems) for volume in workspace.volumes]
    if not problems.errors:
        sheets = [f"css/{p.name}" for p in theme.stylesheets(*EPUB_STYLESHEETS)]
        for book in books:
            for doc in render_epub_documents(book, theme, sheets):
                files[f"{book.slug}/epub/{doc.name}"] = doc.xhtml
            files[f"{book.slug}/print.html"] = render_print_html(book, theme).html
    files["problems.txt"] = "".join(f"{p.format(root)}\n" for p in problems)
    return files


# A workspace case has input/; other golden data (collation/) belongs to its own test module.
@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if (p / "input").is_dir()))
def test_case(case: str, regen: bool) -> None:
    folder = CASES / case
    actual = rendered(folder / "input")
    expected_dir = folder / "expected"
    if regen:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name, text in actual.items():
            (expected_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / name).write_text(text, encoding="utf-8")
    expected = {str(p.relative_to(expected_dir)): p.read_text(encoding="utf-8")
                for p in sorted(expected_dir.rglob("*")) if p.is_file()}
    assert sorted(actual) == sorted(expected), "documents differ; --regen and review the diff"
    for name, text in expected.items():
        assert actual[name] == text, f"{case}/expected/{name} differs"
