import pytest

from anthology.geometry import TRIMS, CoverWrap, PageGeometry, gutter, spine_width


@pytest.mark.parametrize(("pages", "inches"), [
    (24, 0.375), (150, 0.375), (151, 0.5), (300, 0.5), (301, 0.625), (500, 0.625),
    (501, 0.75), (700, 0.75), (701, 0.875), (828, 0.875),
])
def test_gutter_follows_kdps_page_count_bands(pages: int, inches: float) -> None:
    assert gutter(pages) == inches


def test_trims() -> None:
    assert TRIMS["6x9"] == (6.0, 9.0)
    assert TRIMS["6.14x9.21"] == (6.14, 9.21)
    assert set(TRIMS) == {"5x8", "5.25x8", "5.5x8.5", "6x9", "6.14x9.21", "a5"}


def test_bleed_adds_an_eighth_outside_and_a_quarter_in_height() -> None:
    plain = PageGeometry((6.0, 9.0), bleed=False, inside=0.5)
    bled = PageGeometry((6.0, 9.0), bleed=True, inside=0.5)
    assert plain.size == (6.0, 9.0)
    assert bled.size == (6.125, 9.25)
    # The bleed is on the outside edge only: the gutter stays as it is.
    assert (bled.inside, bled.outside, bled.top) == (0.5, 0.75, 0.925)
    assert "@page :right { margin-left: 0.5in;" in bled.css()
    assert "@page :left { margin-left: 0.75in; margin-right: 0.5in;" in bled.css()


@pytest.mark.parametrize("paper", ["white", "cream"])
@pytest.mark.parametrize("pages", [120, 640])
def test_cover_wrap_follows_the_formula(paper: str, pages: int) -> None:
    per_page = {"white": 0.002252, "cream": 0.0025}[paper]
    wrap = CoverWrap((6.0, 9.0), pages, paper)
    assert wrap.spine == pytest.approx(pages * per_page)
    assert wrap.size[0] == pytest.approx(2 * 6.0 + pages * per_page + 0.25, abs=0.01)
    assert wrap.size[1] == pytest.approx(9.25, abs=0.01)


def test_spine_text_only_from_79_pages() -> None:
    assert not CoverWrap((6.0, 9.0), 78, "white").spine_text
    assert CoverWrap((6.0, 9.0), 79, "white").spine_text
    assert spine_width(100, "cream") == pytest.approx(0.25)


def test_barcode_box_is_on_the_back_inside_the_safe_area() -> None:
    wrap = CoverWrap((6.0, 9.0), 200, "white")
    assert wrap.barcode == (2.0, 1.2)
    assert wrap.barcode_left + wrap.barcode[0] <= wrap.trim_width - 0.25
    assert wrap.barcode_top + wrap.barcode[1] <= wrap.trim_height - 0.25
