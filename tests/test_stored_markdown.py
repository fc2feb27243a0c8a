"""Markdown converted by an earlier run is taken from the build cache, and only when it
checks out: a conversion that reported a problem is converted (and reported) again."""

from __future__ import annotations

import json
from pathlib import Path

from anthology.series.markup import render_markdown
from anthology.series.stored_markdown import FILE, StoredMarkdown
from anthology.workspace.problems import Problems

TEXT = "The lamps burn *low* along the corridor.\n\nA second paragraph, with a note.[^1]\n\n" \
       "[^1]: The note.\n"


def convert(stored: StoredMarkdown, text: str, root: Path) -> tuple[str, list[str]]:
    problems = Problems()
    fragment = stored(text, root / "review.md", 7, root, problems, "ch-lamps")
    return fragment.xhtml, [p.message for p in problems]


def test_a_conversion_is_kept_and_given_back_the_same(tmp_path: Path) -> None:
    first = StoredMarkdown(tmp_path)
    xhtml, _ = convert(first, TEXT, tmp_path)
    assert xhtml == render_markdown(TEXT, tmp_path / "review.md", 7, tmp_path, Problems(),
                                    "ch-lamps").xhtml
    first.save()
    again = StoredMarkdown(tmp_path)
    assert convert(again, TEXT, tmp_path) == (xhtml, [])
    assert (again.hits, again.misses) == (1, 0)


def test_a_problem_is_reported_every_time(tmp_path: Path) -> None:
    text = "A paragraph <span style='color: red'>styled</span>.\n"
    first = StoredMarkdown(tmp_path)
    _, reported = convert(first, text, tmp_path)
    assert reported
    first.save()
    again = StoredMarkdown(tmp_path)
    assert convert(again, text, tmp_path)[1] == reported
    assert again.misses == 1


def test_only_what_a_run_used_is_kept(tmp_path: Path) -> None:
    first = StoredMarkdown(tmp_path)
    convert(first, TEXT, tmp_path)
    convert(first, "Another review.\n", tmp_path)
    first.save()
    second = StoredMarkdown(tmp_path)
    convert(second, "Another review.\n", tmp_path)
    second.save()
    entries = json.loads((tmp_path / FILE).read_text())["entries"]
    assert len(entries) == 1


def test_an_edited_or_damaged_file_is_not_trusted(tmp_path: Path) -> None:
    first = StoredMarkdown(tmp_path)
    xhtml, _ = convert(first, TEXT, tmp_path)
    first.save()
    record = json.loads((tmp_path / FILE).read_text())
    key = next(iter(record["entries"]))
    record["entries"][key] = "<p>Something else: <script>alert(1)</script></p>"
    (tmp_path / FILE).write_text(json.dumps(record))
    edited = StoredMarkdown(tmp_path)
    assert convert(edited, TEXT, tmp_path) == (xhtml, [])
    assert edited.misses == 1
    for damage in (b"", b"{not json", b"\x00\xff" * 40, b'{"entries": 5}'):
        (tmp_path / FILE).write_bytes(damage)
        assert StoredMarkdown(tmp_path).entries == {}


def test_without_a_folder_or_reading_nothing_is_stored(tmp_path: Path) -> None:
    first = StoredMarkdown(tmp_path)
    convert(first, TEXT, tmp_path)
    first.save()
    unread = StoredMarkdown(tmp_path, read=False)
    convert(unread, TEXT, tmp_path)
    assert unread.misses == 1
    nowhere = StoredMarkdown(None)
    convert(nowhere, TEXT, tmp_path)
    nowhere.save()


def test_a_resealed_file_with_markup_a_book_cannot_carry_is_not_used(tmp_path: Path) -> None:
    """The checksum is no secret: a hand edit sealed again must still pass the sanitiser."""
    from anthology.series.stored_markdown import _seal

    first = StoredMarkdown(tmp_path)
    xhtml, _ = convert(first, TEXT, tmp_path)
    first.save()
    record = json.loads((tmp_path / FILE).read_text())
    key = next(iter(record["entries"]))
    for forged in ('<p onclick="alert(1)">Lamps.</p>', "<p>Lamps.</p><script>x()</script>",
                   '<p><a href="javascript:alert(1)">Lamps</a>.</p>'):
        record["entries"][key] = forged
        record["check"] = _seal(record["entries"], record["converter"])
        (tmp_path / FILE).write_text(json.dumps(record))
        forged_run = StoredMarkdown(tmp_path)
        assert key in forged_run.entries  # the seal holds ...
        assert convert(forged_run, TEXT, tmp_path) == (xhtml, [])  # ... the text does not
        assert forged_run.misses == 1
