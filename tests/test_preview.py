import tracemalloc

import pytest
from PIL import Image

from anthology.print.preview import Pages, PageSpecError, parse_pages, write_preview
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace


def test_page_specs() -> None:
    assert parse_pages("1-3").within(10) == [1, 2, 3]
    assert parse_pages("5, 2,9-10").within(10) == [2, 5, 9, 10]
    for bad in ("", "0", "3-1", "x", "1-", "1-" + "9" * 5000, "١-٣"):
        with pytest.raises(PageSpecError):
            parse_pages(bad)


def test_a_vast_range_is_bounded_by_the_book_before_anything_is_expanded() -> None:
    """20.4: `--pages 1-100000000` took 23 s and 8.9 GB to say the book has 12 pages."""
    tracemalloc.start()  # memory, not time: a busy machine changes nothing
    try:
        pages = parse_pages("3,1-100000000,999999999")
        with pytest.raises(PageSpecError, match=r"^the book has 12 pages; there is no page 13$"):
            pages.within(12)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # a list of 10^8 page numbers would be gigabytes
    assert parse_pages("11-12,40-50").last == 50
    with pytest.raises(PageSpecError, match="there is no page 40"):
        parse_pages("11-12,40-50").within(12)


def test_preview_writes_the_chosen_pages(workspace, tmp_path) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1)
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    book = resolve_book(ws, ws.volumes[0], problems)
    theme = Theme.for_workspace(workspace.root)
    written = write_preview(book, theme, tmp_path, parse_pages("1,3"), dpi=50)
    assert [p.name for p in written] == ["v1-p001.png", "v1-p003.png"]
    with Image.open(written[0]) as image:
        assert image.size == (300, 450)  # 6 x 9 in at 50 dpi
    with pytest.raises(PageSpecError, match="there is no page 99"):
        write_preview(book, theme, tmp_path, Pages(((99, 99),)))
