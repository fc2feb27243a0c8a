"""The EPUB's typographic cover (anthology.epub.covers) is the print cover's front drawn as a
bitmap: the same order, colours and rule, at the same shares of the height, within the stores'
sizes."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image

from anthology.epub.covers import (
    BACKGROUND,
    EPUB_COVER,
    FOOT,
    RULE,
    STORE_COVER,
    cover,
    jpeg,
)
from anthology.epub.stores import LIMITS
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace


@pytest.fixture(scope="module")
def book_and_theme(tmp_path_factory):
    from tests.conftest import WorkspaceBuilder

    ws = WorkspaceBuilder(tmp_path_factory.mktemp("covers") / "ws")
    ws.volume("v1", 'title = "Night Pieces"\nsubtitle = "Appraisals After Dark"\n'
                    'author = "Jonah Whitlock"\ndate = 2026-01-01\n'
                    '[series]\nname = "The Flicker Archive"\nnumber = 2\n')
    ws.review("a", appraisal=1, title="Nosferatu", year=1922)
    problems = Problems()
    workspace = load_workspace(ws.root, problems)
    return resolve_book(workspace, workspace.volumes[0], problems), Theme.for_workspace(ws.root)


def _rows(image: Image.Image) -> dict[str, list[int]]:
    """The rows holding ink (the cream type) and accent (the red volume line and rule)."""
    found: dict[str, list[int]] = {"ink": [], "accent": []}
    pixels = image.convert("RGB").load()
    for y in range(image.height):
        row = [pixels[x, y] for x in range(0, image.width, 2)]
        if any(min(p) > 150 for p in row):
            found["ink"].append(y)
        if any(r > 120 and g < 90 for r, g, _ in row):
            found["accent"].append(y)
    return found


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for y in rows:
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


@pytest.mark.parametrize("size", [EPUB_COVER, STORE_COVER])
def test_the_cover_follows_the_print_front(book_and_theme, size) -> None:
    image = cover(*book_and_theme, size)
    width, height = size
    assert image.size == size
    rows = _rows(image)
    accent = _runs(rows["accent"])
    volume, rule = accent[0], accent[-1]
    assert len(accent) == 2  # "Volume II", then the rule
    assert abs(rule[0] - RULE * height) <= 2
    ink = _runs(rows["ink"])
    series, title, author = ink[0], ink[1], ink[-1]
    # Series, volume, rule, title, subtitle, author: the print front's order.
    assert series[1] < volume[0] < rule[0] < title[0] and len(ink) == 4
    assert abs(author[1] - (1 - FOOT) * height) <= 0.01 * height
    # No frame: the print front has none (a rule near the trim shows every trim's error).
    edge = round(0.04 * width)
    assert image.getpixel((edge, height // 2)) == BACKGROUND


def test_the_title_stands_at_the_same_height_without_a_series(book_and_theme) -> None:
    book, theme = book_and_theme
    with_series = _runs(_rows(cover(book, theme, EPUB_COVER))["ink"])
    alone = _runs(_rows(cover(dataclasses.replace(book, series=None), theme,
                              EPUB_COVER))["ink"])
    assert alone[0] == with_series[1]  # the title: nothing above it but the rule
    assert len(_runs(_rows(cover(dataclasses.replace(book, series=None), theme,
                                 EPUB_COVER))["accent"])) == 1


@pytest.mark.parametrize("store", list(LIMITS))
def test_the_cover_is_within_each_stores_limits(book_and_theme, store) -> None:
    limits = LIMITS[store]
    data = jpeg(cover(*book_and_theme, limits.cover))
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == limits.cover
    if limits.cover_bytes:
        assert len(data) <= limits.cover_bytes
