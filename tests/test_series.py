"""End to end: the series build's references, read back from the sample PDFs.

Every reference the samples print ("Title (p. 14)", "Title (Vol. I, p. 14)") is found in
the text of the referring PDF, and the page it names, in the PDF of the volume it names, holds
the referenced title. The pages come from the PDFs themselves (their page labels), never from
the build's own page map.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from anthology.series.resolve import resolve_series
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace
from tests.conftest import REPO

pytestmark = pytest.mark.e2e


def flat(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return " ".join(text.split())


@cache
def labelled_pages(path: Path) -> dict[str, str]:
    """Page label (the printed folio) -> the page's text, flattened."""
    reader = PdfReader(path)
    return {reader.page_labels[i]: flat(page.extract_text() or "")
            for i, page in enumerate(reader.pages)}


def series_books():
    problems = Problems()
    workspace = load_workspace(REPO, problems)
    books = resolve_series(workspace, problems)
    assert not problems.errors
    return {b.slug: b for b in books}, {v.slug: v for v in workspace.volumes}


def printed_references(text: str, title: str) -> list[tuple[str | None, str]]:
    """Every "(p. 14)" or "(Vol. I, p. 14)" printed right after `title`."""
    pattern = re.escape(flat(title)) + r" \((?:(Vol\. [IVXLC]+), )?p\. (\d+)\)"
    return [(m[1], m[2]) for m in re.finditer(pattern, text)]


def test_every_printed_reference_names_a_page_that_holds_its_title(sample_build) -> None:
    out = sample_build("digital")
    books, _ = series_books()
    by_label = {}
    for slug, book in books.items():
        if book.series:
            by_label[f"Vol. {['I', 'II', 'III', 'IV'][book.series.number - 1]}"] = slug
    checked = 0
    for slug, book in books.items():
        pages = labelled_pages(out / f"{slug}.pdf")
        text = " ".join(pages.values())
        for chapter in book.chapters:
            for reference in {*chapter.related, *chapter.references}:
                found = printed_references(text, reference.title)
                assert found, f"{slug}: no page printed for {reference.title}"
                for volume_label, page in found:
                    target = by_label[volume_label] if volume_label else slug
                    assert (volume_label is None) == (reference.volume is None) or \
                        reference.title in {c.title for c in book.chapters}
                    target_pages = labelled_pages(out / f"{target}.pdf")
                    assert flat(reference.title) in target_pages[page], (
                        f"{slug}: {reference.title} printed as p. {page} of {target}")
                    checked += 1
    assert checked >= 60  # the samples refer across volumes both ways, and within each


def test_an_omnibus_refers_inside_itself_for_what_it_holds(sample_build) -> None:
    out = sample_build("digital")
    books, _ = series_books()
    omnibus = books["sampler"]
    held = {c.title for c in omnibus.chapters}
    inside = [r for c in omnibus.chapters for r in (*c.related, *c.references)
              if r.title in held]
    assert inside and all(r.chapter_id and r.volume is None for r in inside)
    text = " ".join(labelled_pages(out / "sampler.pdf").values())
    for reference in inside:
        assert all(volume is None for volume, _ in printed_references(text, reference.title))
