"""The Numbers drawn: the tables print the counts of the sources, every SVG is accessible and
follows the text colour, and the same sources give the same bytes."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from lxml import etree

from anthology.render.charts import column_chart, numbers_xhtml
from anthology.series.numbers import Bar, count_numbers
from tests.conftest import REPO
from tests.numbers_kit import expected_tables, write_workspace
from tests.test_numbers import chapter, chapters_of

X = "{http://www.w3.org/1999/xhtml}"
S = "{http://www.w3.org/2000/svg}"
CHARTS = ("scores", "decades", "directors", "actors", "genres", "running-time")


def parse(fragment: str) -> etree._Element:
    """The fragment as XHTML: well-formed XML or this raises."""
    return etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{fragment}</div>')


@pytest.fixture
def rendered(workspace):
    root = write_workspace(workspace)
    chapters, people = chapters_of(root)
    return root, numbers_xhtml(count_numbers(chapters, people))


def test_every_table_prints_the_counts_of_the_sources(rendered) -> None:
    root, fragment = rendered
    tree = parse(fragment)
    expected = expected_tables(root)
    for name in CHARTS:
        table = tree.find(f".//{X}table[@id='numbers--{name}-table']")
        rows = [["".join(cell.itertext()) for cell in row]
                for row in table.iter(f"{X}tr")][1:]  # the first is the header
        assert rows == expected[name], name


def test_every_chart_is_an_accessible_image_with_its_text_as_text(rendered) -> None:
    tree = parse(rendered[1])
    ids = [e.get("id") for e in tree.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    svgs = list(tree.iter(f"{S}svg"))
    assert len(svgs) == len(CHARTS)
    for svg in svgs:
        title, desc = svg[0], svg[1]
        assert (title.tag, desc.tag) == (f"{S}title", f"{S}desc")
        assert title.text.strip() and len(desc.text) > 60
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == title.get("id")
        assert svg.get("aria-describedby") == desc.get("id")
        table = tree.find(f".//{X}table[@id='{svg.get('aria-details')}']")
        assert table is not None  # the visible table is its long description
        figure = svg.getparent()
        assert figure.tag == f"{X}figure" and figure[-1].tag == f"{X}figcaption"
        labels = {"".join(t.itertext()) for t in svg.iter(f"{S}text")}
        for row in list(table.iter(f"{X}tr"))[1:]:
            if "running-time" not in table.get("id"):  # the scatter's table is by band
                assert "".join(row[0].itertext()) in labels  # each bar is labelled in text


def test_ink_follows_the_text_colour(rendered) -> None:
    tree = parse(rendered[1])
    for svg in tree.iter(f"{S}svg"):
        for element in svg.iter():
            assert element.get("style") is None
            for attribute in ("fill", "stroke", "color", "stop-color"):
                assert element.get(attribute) in (None, "currentColor", "none"), element.tag
            assert element.get("opacity") is None and element.get("fill-opacity") is None
        marks = etree.tostring(svg, encoding="unicode").replace(svg[1].text, "")
        assert not re.search(r"#[0-9a-fA-F]{3,8}\b|black|white|rgb|hsl", marks)


def test_two_renders_give_the_same_bytes_whatever_the_hash_seed(workspace) -> None:
    root = write_workspace(workspace)
    script = ("import sys; from pathlib import Path; from tests.test_numbers import "
              "chapters_of; from anthology.series.numbers import count_numbers; "
              "from anthology.render.charts import numbers_xhtml; "
              "c, p = chapters_of(Path(sys.argv[1])); "
              "sys.stdout.write(numbers_xhtml(count_numbers(c, p)))")
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        outputs.append(subprocess.run([sys.executable, "-c", script, str(root)], env=env,
                                      capture_output=True, check=True, cwd=REPO).stdout)
    assert outputs[0] == outputs[1] and b"<svg" in outputs[0]


def test_a_chart_missing_its_data_is_a_sentence_not_a_gap() -> None:
    fragment = numbers_xhtml(count_numbers([chapter(1, "8/10", year=1950)]))
    tree = parse(fragment)
    notes = ["".join(p.itertext()) for p in tree.iter(f"{X}p")
             if p.get("class") == "numbers-note"]
    assert notes == ["No director is named in more than one review.",
                     "No actor is named in more than one review.",
                     "No review with a judgement names its genre.",
                     "No review with a judgement gives a running time."]
    assert len(list(tree.iter(f"{S}svg"))) == 2  # scores and decades


def test_titles_are_escaped_and_long_labels_turn() -> None:
    bars = [Bar(f"<{n}> & \u201cfilm\u201d number {n}", n) for n in range(1, 13)]
    svg = column_chart("c", "T & <t>", "D", bars)
    root = etree.fromstring(svg)
    assert root[0].text == "T & <t>"
    assert all(t.get("transform", "").startswith("rotate(-45")
               for t in root.iter(f"{S}text") if t.get("class") == "chart-label")
