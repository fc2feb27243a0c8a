from lxml import etree

from anthology.series.pagemap import (
    PageMap,
    build_page_map,
    insert_markers,
    number_blocks,
    page_labels,
    roman,
)

XHTML = "http://www.w3.org/1999/xhtml"


def test_roman() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40, 1999)] == ["I", "IV", "IX", "XIV", "XL",
                                                           "MCMXCIX"]


def test_labels_are_roman_before_the_body_and_arabic_from_one() -> None:
    assert page_labels(6, 3) == ("i", "ii", "iii", "1", "2", "3")


def test_blocks_are_numbered_from_the_part_id_keeping_existing_ids() -> None:
    part = etree.fromstring('<section id="ch"><h1 id="ch-title">T</h1><p>a</p>'
                            '<ul><li>x</li></ul><div><p>b</p></div></section>')
    assert number_blocks(part) == ["ch-title", "ch_2", "ch_3", "ch_4"]


def test_page_map_from_anchors() -> None:
    blocks = ["a_1", "a_2", "b_1", "b_2"]
    # Page 0: a_1, a_2 start; page 1: a_2 continues (WeasyPrint lists it again); page 2 is
    # blank; page 3: b_1 and b_2 start.
    page_map = build_page_map([["a_1", "a", "a_2"], ["a_2"], [], ["b", "b_1", "b_2"]],
                              blocks, body_first="b")
    assert page_map.labels == ("i", "ii", "iii", "1")
    assert page_map.first_blocks == ("a_1", None, None, "b_1")
    assert page_map.anchors["b_2"] == 3
    # Pages where nothing starts are marked with the next page that has a block.
    assert page_map.markers() == {"a_1": ["i"], "b_1": ["ii", "iii", "1"]}


def test_trailing_pages_attach_to_the_last_block() -> None:
    assert PageMap(("1", "2"), ("x", None)).markers() == {"x": ["1", "2"]}


def test_markers_go_inside_the_block_in_order() -> None:
    part = etree.fromstring(f'<section xmlns="{XHTML}" id="s"><p id="s_1">Text</p></section>')
    assert insert_markers(part, {"s_1": ["4", "5"]}) == ["4", "5"]
    markup = etree.tostring(part, encoding="unicode")
    assert markup.index('id="page-4"') < markup.index('id="page-5"') < markup.index("Text")
    assert 'role="doc-pagebreak"' in markup and 'aria-label="5"' in markup


def test_markers_in_a_navigation_list_go_inside_the_entry_link() -> None:
    part = etree.fromstring(f'<nav xmlns="{XHTML}" xmlns:epub="http://www.idpf.org/2007/ops" '
                            'epub:type="toc" id="toc"><h1>Contents</h1><ol>'
                            '<li id="toc_2"><a href="a.xhtml">A</a></li></ol></nav>')
    insert_markers(part, {"toc_2": ["v"]})
    item = part.find(f".//{{{XHTML}}}li")
    assert [etree.QName(child).localname for child in item] == ["a"]
    assert item[0][0].get("id") == "page-v" and item[0][0].tail == "A"


def test_other_volumes_are_looked_up_without_copying_them() -> None:
    from anthology.series.pagemap import OtherVolumes

    pages = {"v1": {"ch-a": "3"}, "v2": {"ch-b": "14", "span:ch-b": "14–16"}}
    others = OtherVolumes("v1", pages)
    assert others["v2#ch-b"] == "14" and others.get("v2#span:ch-b") == "14–16"
    assert others.get("v1#ch-a") is None  # its own pages are not another volume's
    assert others.get("v3#ch-c") is None and others.get("ch-b") is None
    assert dict(others) == {"v2#ch-b": "14", "v2#span:ch-b": "14–16"} and len(others) == 2


def test_a_block_set_elsewhere_in_print_keeps_the_page_list_in_reading_order() -> None:
    """Print set the jukebox (read early in the EPUB) on the chapter's last page, beside the
    verdict: that page's marker goes to the verdict, not back to the jukebox."""
    blocks = ["c_1", "c_2", "jukebox_1", "essay_1", "essay_2", "verdict_1"]
    pages = [["c_1", "c_2"], ["essay_1"], ["essay_2"], ["verdict_1", "jukebox_1"]]
    page_map = build_page_map(pages, blocks, "c_1")
    assert page_map.first_blocks == ("c_1", "essay_1", "essay_2", "verdict_1")
    markers = page_map.markers()
    order = [label for block in blocks for label in markers.get(block, [])]
    assert order == ["1", "2", "3", "4"]
