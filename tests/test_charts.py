"""The Numbers drawn: the tables print the counts of the sources, every SVG is accessible and
follows the text colour, and the same sources give the same bytes."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from PIL import Image, ImageStat
from playwright.sync_api import sync_playwright
from typer.testing import CliRunner

from anthology.cli import app
from anthology.print.pdf import Profile, press_ink
from anthology.series.charts import bar_chart, column_chart, numbers_appendix, numbers_xhtml
from anthology.series.numbers import Bar, count_numbers
from anthology.series.resolve import resolve_series
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace
from tests.conftest import REPO, WorkspaceBuilder
from tests.numbers_kit import VOLUME, expected_tables, write_workspace
from tests.pdfinfo import fonts_in, page_texts
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
              "from anthology.series.charts import numbers_xhtml; "
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


# --- In built books ---------------------------------------------------------------------------

NS = {"x": "http://www.w3.org/1999/xhtml", "svg": "http://www.w3.org/2000/svg",
      "opf": "http://www.idpf.org/2007/opf", "epub": "http://www.idpf.org/2007/ops"}
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The fixture volume with `numbers = true`, built by the command into EPUB and PDF."""
    base = tmp_path_factory.mktemp("numbers")
    root = write_workspace(WorkspaceBuilder(base / "ws"), VOLUME + "numbers = true\n")
    out = base / "build"
    result = CliRunner().invoke(app, ["build", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return root, out


@pytest.mark.e2e
def test_the_numbers_are_back_matter_of_both_editions(built) -> None:
    root, out = built
    with zipfile.ZipFile(out / "v1.epub") as archive:
        page = etree.fromstring(archive.read("EPUB/numbers.xhtml"))
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
        nav = etree.fromstring(archive.read("EPUB/toc.xhtml"))
    assert len(page.xpath("//svg:svg", namespaces=NS)) == len(CHARTS)
    assert page.xpath("//x:section[@id='numbers']/@epub:type", namespaces=NS) == ["appendix"]
    item = opf.find(".//opf:item[@href='numbers.xhtml']", NS)
    assert "svg" in item.get("properties").split()
    assert opf.xpath("//opf:itemref/@idref", namespaces=NS)[-1] == item.get("id")
    assert nav.xpath("//x:nav[@epub:type='toc']//x:a[@href='numbers.xhtml']/text()",
                     namespaces=NS) == ["The Numbers"]
    features = opf.xpath("//opf:meta[@property='schema:accessibilityFeature']/text()",
                         namespaces=NS)
    assert "longDescription" in features
    # Print: the charts' words are text in the PDF, in the book's face, after the chapters.
    texts = page_texts(out / "v1.pdf")
    start = next(i for i, t in enumerate(texts) if "The Numbers" in t and "The scores" in t)
    assert start > next(i for i, t in enumerate(texts) if "Iron Orchard" in t)
    words = " ".join(texts[start:])
    for label in ("10/10", "1930s", "Ida Lupino", "Lee Marsh", "Film Noir"):
        assert words.count(label) >= 2, label  # in the chart and in its table
    assert "Score out of 10" in words and "Running time (minutes)" in words  # axis titles
    assert {f.name for f in fonts_in(out / "v1.pdf") if "Garamond" not in f.name} == set()
    # The series is resolved with them; a volume without `numbers = true` has none.
    problems = Problems()
    ws = load_workspace(root, problems)
    (book,) = resolve_series(ws, problems)
    assert [a.kind for a in book.appendices] == ["numbers"]
    plain = ws.volumes[0].source.model_copy(update={"numbers": False})
    assert numbers_appendix(plain, book.chapters) is None


@pytest.mark.e2e
def test_the_epub_with_charts_passes_epubcheck_and_ace(built) -> None:
    """Through `anthology validate --format json`, as CI would run it."""
    epub = built[1] / "v1.epub"
    result = CliRunner().invoke(app, ["validate", str(epub), "--format", "json", "--root",
                                      str(built[0])])
    report = json.loads(result.stdout)
    assert report == {"ok": True, "files": [{"path": str(epub), "clean": True,
                                             "findings": []}]}, result.stdout
    assert result.exit_code == 0


@pytest.mark.e2e
def test_a_second_build_gives_the_same_bytes(built, tmp_path: Path) -> None:
    root, out = built
    result = CliRunner().invoke(app, ["build", "--root", str(root), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("v1.epub", "v1.pdf"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


NIGHT = "html, body { background: #111 !important; color: #e6e1d3 !important; }"


def lightness(png: bytes) -> tuple[float, int]:
    """The mean grey level of a screenshot, and its commonest (the background of a chart)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()
    return ImageStat.Stat(image).mean[0], histogram.index(max(histogram))


@pytest.mark.e2e
def test_the_ink_follows_the_readers_night_mode(built, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (setup.sh installs it)")
    with zipfile.ZipFile(built[1] / "v1.epub") as archive:
        archive.extractall(tmp_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page(viewport={"width": 600, "height": 800})
        page.goto((tmp_path / "EPUB" / "numbers.xhtml").as_uri())
        bar = page.locator("#numbers--scores rect.chart-bar").first
        day = lightness(bar.screenshot())
        page.add_style_tag(content=NIGHT)
        night = lightness(bar.screenshot())
        chart_night = lightness(page.locator("#numbers--scores svg").screenshot())
        browser.close()
    assert day[0] < 120  # a bar is dark ink on white by day
    assert night[0] > 120  # and light ink by night
    assert chart_night[1] < 40  # on the reader's dark page, never a white box


def test_a_label_too_long_for_its_column_ends_in_an_ellipsis_and_the_table_has_it_whole() -> None:
    long = "Avant-garde Psychological Drama of the Northern Fjords"
    svg = etree.fromstring(bar_chart("c", "T", "D", [(long, 8.0, "8.0"), ("Drama", 7.0, "7.0")]))
    labels = ["".join(t.itertext()) for t in svg.iter(f"{S}text")
              if t.get("class") == "chart-label"]
    assert labels[0].endswith("\u2026") and long.startswith(labels[0][:-1])
    assert labels[1] == "Drama"
    assert all(float(r.get("x")) < 480 * 0.6 + 1 for r in svg.iter(f"{S}rect"))


def test_a_press_gets_the_charts_in_black_ink() -> None:
    html = '<p>x</p><svg xmlns="http://www.w3.org/2000/svg" fill="currentColor"></svg>'
    assert press_ink(html, Profile.digital) == html
    assert press_ink(html, Profile.ingram) == html.replace(
        "<svg ", '<svg color="device-cmyk(0 0 0 1)" ')


def _drawing(page: pikepdf.Page) -> bytes:
    """A page's content stream and those of the forms it draws (an SVG is drawn as one)."""
    contents = page.obj.Contents
    data = b"".join(s.read_bytes() for s in (
        [contents] if isinstance(contents, pikepdf.Stream) else contents))
    forms = [page.obj.Resources]
    while forms:
        for form in forms.pop().get("/XObject", {}).values():
            if form.get("/Subtype") == "/Form":
                data += form.read_bytes()
                forms += [form.Resources] if "/Resources" in form else []
    return data


@pytest.mark.e2e
def test_the_ingram_edition_has_no_rgb_colour_in_its_charts(built, tmp_path: Path) -> None:
    root = built[0]
    result = CliRunner().invoke(app, ["build", "--root", str(root), "--out", str(tmp_path),
                                      "--only", "pdf", "--profile", "ingram"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "v1-ingram.pdf"
    texts = page_texts(path)
    numbers = [i for i, t in enumerate(texts) if "The Numbers" in t or "in figures" in t]
    assert numbers
    with pikepdf.open(path) as pdf:
        for index in numbers:
            drawing = _drawing(pdf.pages[index])
            assert b"DeviceCMYK" in drawing or b" k\n" in drawing
            assert not re.search(rb"\b(rg|RG)\b", drawing), index
