"""`anthology plan`: the page estimate, splitting into volumes, prices, writing the plan and
keeping it stable when reviews are added; one end-to-end test builds what it planned."""

from __future__ import annotations

import json
import random
import re
import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from anthology.cli import app
from anthology.planner.backmatter import Apparatus
from anthology.planner.estimate import Chapters, Page, chapter_pages, estimate_volume
from anthology.planner.measure import Block, Shape, blocks, plain, shape
from anthology.planner.pricing import is_large, price, services
from anthology.planner.propose import Budget, Order, fill, order_key, split
from anthology.planner.write import Target, set_contents, write_plan
from anthology.workspace.problems import Problems
from anthology.workspace.sources import load_review
from anthology.workspace.volume_source import TRIMS
from anthology.workspace.volumes import load_volume, load_workspace
from benchmarks.generate import generate
from benchmarks.generate import review as synthetic_review
from tests.conftest import VOLUME_TOML, WorkspaceBuilder

runner = CliRunner()
ERROR_LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+): error: (?P<message>.+)$")
SIX_NINE, FIVE_EIGHT = TRIMS["6x9"], TRIMS["5x8"]


def run(*args: str):
    return runner.invoke(app, ["plan", *args])


def a_shape(slug: str, words: int, seed: int = 1, *, tmp: Path) -> Shape:
    """A review as benchmarks.generate writes them (a full fact box, five tracks)."""
    text = synthetic_review(int(re.sub(r"\D", "", slug) or 1), random.Random(seed), words)
    path = tmp / f"{slug}.md"
    path.write_text(text, encoding="utf-8")
    found = load_review(path, Problems(), (tmp,))
    assert found is not None
    return shape(found)


# --- Reading a review's shape --------------------------------------------------------------

def test_blocks_reads_markdown_as_the_page_sets_it() -> None:
    text = ("# A heading\n\nA *plain* paragraph with [a link](https://x.org) and\n"
            "a second line.\n\n> A quotation\n> over two lines.\n\n- one\n- two\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n***\n\nText[^1].\n\n[^1]: The note.\n")
    kinds = [b.kind for b in blocks(text)]
    assert kinds == ["h2", "p", "quote", "gap", "item", "item", "gap", "gap", "row", "row",
                     "gap", "hr", "p", "note"]
    assert blocks(text)[1].chars == len("A plain paragraph with a link and a second line.")


def test_a_reference_counts_with_the_page_print_adds() -> None:
    assert plain("See [[Nosferatu]] now") == "See Nosferatu" + "x" * 9 + " now"
    assert plain("See [[Nosferatu|the vampire]]").startswith("See the vampire")


def test_shape_groups_facts_as_the_fact_box_does(tmp_path: Path) -> None:
    path = tmp_path / "film.md"
    path.write_text("---\ntitle: Film\nyear: 1931\nfacts:\n  - A note first\n"
                    "  - Director: Fritz Lang\n  - Based on a novel\n  - Stars: A, B\n"
                    "jukebox:\n  - artist: Nico\n    song: These Days\n---\n\nEssay text.\n"
                    "\n::: guest Ann Other\nA guest essay.\n:::\n", encoding="utf-8")
    found = shape(load_review(path, Problems(), (tmp_path,)))
    assert found.notes == (len("A note first"),)
    assert found.facts == ((len("Fritz Lang"), len("Based on a novel")), (len("A, B"),))
    assert found.tracks == (len("Nico") + len("These Days") + 3,)
    assert found.directors == ("Fritz Lang",) and found.year == 1931
    assert len(found.guests) == 1 and found.words == 5


# --- The estimate, against the built books it was fitted to ---------------------------------

def test_a_2500_word_review_is_ten_pages_and_a_300_word_one_three(tmp_path: Path) -> None:
    """What the calibration builds laid out (docs/plan.md): every 2,500-word synthetic
    review took 10 pages at 6 x 9 in, every 300-word one 3."""
    page = Page.at(SIX_NINE)
    assert chapter_pages(a_shape("film-0001", 2500, tmp=tmp_path), page) == 10
    assert chapter_pages(a_shape("film-0002", 300, tmp=tmp_path), page) == 3


def test_a_smaller_trim_holds_less_and_longer_reviews_take_more(tmp_path: Path) -> None:
    six, five = Page.at(SIX_NINE), Page.at(FIVE_EIGHT)
    assert five.lines < six.lines + 1 and five.chars < six.chars + 1
    counts = [chapter_pages(a_shape(f"film-{n:04d}", n * 400, tmp=tmp_path), six)
              for n in range(1, 12)]
    assert counts == sorted(counts) and counts[0] < counts[-1]
    long = a_shape("film-0099", 6000, tmp=tmp_path)
    assert chapter_pages(long, five) > chapter_pages(long, six)


def test_every_part_of_a_volume_opens_on_a_right_hand_page(tmp_path: Path) -> None:
    shapes = [a_shape(f"film-{n:04d}", 300 + 200 * n, n, tmp=tmp_path) for n in range(1, 8)]
    found = estimate_volume(shapes, SIX_NINE, Apparatus(("films", "actors"), True, True))
    assert found.front % 2 == 0 and found.back % 2 == 0
    assert all(pages % 2 == 0 for pages in found.chapters)
    assert found.pages == found.front + sum(found.chapters) + found.back
    bare = estimate_volume(shapes, SIX_NINE)
    assert bare.back == 0 and bare.pages < found.pages


SAMPLES_BUILT = {"silent-shadows": 100, "after-midnight": 112, "sampler": 76}  # KDP, 6 x 9


def test_the_sample_volumes_estimate_within_three_percent_of_their_build() -> None:
    """The repository's sample volumes (real prose, guests, every kind of back matter), as
    `anthology build --only pdf --profile kdp` laid them out when the estimate was fitted."""
    root = Path(__file__).resolve().parent.parent
    result = runner.invoke(app, ["plan", "--root", str(root), "--no-cache", "--format",
                                 "json"])
    assert result.exit_code == 0, result.output
    pages = {v["volume"]: v["pages"] for v in json.loads(result.stdout)["volumes"]}
    for slug, built in SAMPLES_BUILT.items():
        assert abs(pages[slug] - built) <= 0.03 * built, (slug, pages[slug], built)


# --- Splitting -----------------------------------------------------------------------------

def fake(n: int) -> list[Shape]:
    return [Shape(f"r{i:03d}", f"R{i}", 5, True, False, (), (), (), (Block("p", 1),), (),
                  None, (), 10) for i in range(n)]


class Flat:
    """Each review 10 pages, 6 pages of front matter a volume; a review named in `wide`
    is 200 pages."""

    def __init__(self, wide: frozenset[str] = frozenset()) -> None:
        self.wide = wide

    def __call__(self, group, index):
        from anthology.planner.estimate import Estimate
        return Estimate(6, tuple(200 if s.slug in self.wide else 10 for s in group), 0)


def test_volumes_fill_in_order_up_to_the_budget() -> None:
    shapes = fake(25)
    volumes = fill(shapes, 100, Flat())
    assert [len(v) for v in volumes] == [9, 9, 7]
    assert [s for v in volumes for s in v] == shapes


def test_a_review_longer_than_the_budget_is_a_volume_of_its_own() -> None:
    shapes = fake(5)
    volumes = fill(shapes, 100, Flat(frozenset({"r002"})))
    assert [[s.slug for s in v] for v in volumes] == [["r000", "r001"], ["r002"],
                                                      ["r003", "r004"]]


def test_with_a_range_the_last_volumes_are_evened_out() -> None:
    shapes = fake(40)  # 400 pages of chapters
    budget = Budget.parse("60-100", (24, 828))
    volumes = split(shapes, budget, Flat())
    sizes = [Flat()(v, 0).pages for v in volumes]
    assert max(sizes) <= 100 and min(sizes) >= 60, sizes
    assert [s for v in volumes for s in v] == shapes
    assert fill(shapes, 100, Flat())[-1] != volumes[-1]  # filling alone left a short one


@pytest.mark.parametrize(("text", "expected"), [
    ("828", Budget(828)), ("400-500", Budget(500, 400)), ("400–500", Budget(500, 400))])
def test_a_budget_is_a_count_or_a_range(text: str, expected: Budget) -> None:
    assert Budget.parse(text, (24, 828)) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("900", "more than the printer binds (828)"), ("10", "fewer than the printer binds"),
    ("500-400", "first number is the smaller"), ("lots", "not a page count")])
def test_a_bad_budget_says_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        Budget.parse(text, (24, 828))


def test_orders_put_reviews_without_the_key_last(workspace: WorkspaceBuilder) -> None:
    workspace.volume("v1")
    workspace.review("b", appraisal=2, year=1950, published="2020-01-02")
    workspace.review("a", year=1930)
    workspace.review("c", appraisal=1, published="2021-05-01",
                     facts=[{"Genre": "Western"}])
    ws = load_workspace(workspace.root, Problems())
    reviews = list(ws.reviews.values())

    def ordered(order: Order) -> list[str]:
        return [r.slug for r in sorted(reviews, key=lambda r: order_key(order, r, shape(r)))]
    assert ordered(Order.appraisal) == ["c", "b", "a"]
    assert ordered(Order.year) == ["a", "b", "c"]
    assert ordered(Order.date) == ["b", "c", "a"]
    assert ordered(Order.title) == ["a", "b", "c"]
    assert ordered(Order.genre) == ["c", "a", "b"]


# --- Prices --------------------------------------------------------------------------------

def test_kdp_prices_are_the_published_formula() -> None:
    kdp = services()["kdp"]
    us = {p.store: p for p in price(kdp, 300, SIX_NINE)}["Amazon.com"]
    assert (str(us.cost), str(us.least)) == ("4.60", "7.67")  # 1.00 + 300 x 0.012, / 0.60
    short = {p.store: p for p in price(kdp, 100, SIX_NINE)}
    assert str(short["Amazon.com"].cost) == "2.30" and short["Amazon.com"].verified
    assert str(short["Amazon.co.uk"].cost) == "1.93"
    assert str(short["Amazon.de/.fr/.es/.it/.nl"].least) == "3.42"
    assert is_large(TRIMS["6.14x9.21"]) and not is_large(SIX_NINE)
    assert str(price(kdp, 100, TRIMS["6.14x9.21"])[0].cost) == "2.84"


def test_ingram_keeps_what_the_discount_and_fee_leave() -> None:
    ingram = services()["ingram"]
    assert str(ingram.keep) == "0.44"
    (us,) = price(ingram, 300, SIX_NINE)
    assert str(us.cost) == "4.80" and not us.verified


def test_the_pricing_file_ships_and_says_where_its_numbers_come_from() -> None:
    text = resources.files("anthology.planner").joinpath("pricing.toml").read_text("utf-8")
    data = tomllib.loads(text)
    for service in ("kdp", "ingram"):
        assert data[service]["source"] and re.fullmatch(r"\d{4}-\d\d-\d\d",
                                                         data[service]["checked"])
    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert "planner/*.toml" in pyproject["tool"]["setuptools"]["package-data"]["anthology"]


# --- Writing the plan ----------------------------------------------------------------------

def test_setting_contents_keeps_every_other_key_and_comment(tmp_path: Path) -> None:
    path = tmp_path / "volume.toml"
    path.write_text('# My volume\ntitle = "T"  # the title\nauthor = "A"\ndate = 2026-01-01\n'
                    '\n[print]\ntrim = "5x8"\n\n[contents]\nreviews = ["old"]\n',
                    encoding="utf-8")
    assert set_contents(path, ["a", "b"], Problems())
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# My volume\ntitle = "T"  # the title\n')
    assert tomllib.loads(text)["contents"]["reviews"] == ["a", "b"]
    assert tomllib.loads(text)["print"] == {"trim": "5x8"}
    bare = tmp_path / "bare.toml"
    bare.write_text('title = "T"\nauthor = "A"\ndate = 2026-01-01\n', encoding="utf-8")
    assert set_contents(bare, ["a"], Problems())
    assert tomllib.loads(bare.read_text())["contents"] == {"reviews": ["a"]}


def test_a_new_volume_copies_the_first_and_never_overwrites(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    first = root / "volumes" / "one"
    first.mkdir(parents=True)
    (first / "volume.toml").write_text(VOLUME_TOML + 'indexes = ["films"]\n'
                                       'soundtrack = true\n', encoding="utf-8")
    source = load_volume(first, root, Problems())
    problems = Problems()
    written = write_plan(root, [Target(("x", "y"), slug="two", number=2, trim="5x8")],
                         source.source, "The Series", problems)
    assert not problems.errors and written == [root / "volumes" / "two" / "volume.toml"]
    made = load_volume(root / "volumes" / "two", root, problems).source
    assert (made.title, made.author, made.indexes, made.soundtrack) == (
        "Test Volume", "Jonah Whitlock", ("films",), True)
    assert made.series.number == 2 and made.print.trim == "5x8"
    assert made.contents.reviews == ("x", "y")
    before = written[0].read_bytes()
    write_plan(root, [Target(("z",), slug="two", number=2)], source.source, "S", problems)
    assert written[0].read_bytes() == before
    assert "never overwrites" in problems.errors[0].message


# --- Through the command line --------------------------------------------------------------

@pytest.fixture
def pool(tmp_path: Path) -> Path:
    """A workspace whose one volume, `archive`, holds 12 short reviews by its folder, as an
    import leaves them."""
    root = generate(tmp_path / "ws", 12, words=300)
    (root / "volumes" / "synthetic-12").rename(root / "volumes" / "archive")
    return root


def plan_json(root: Path, *args: str) -> dict:
    result = run("--root", str(root), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_gives_each_volume_its_reviews_pages_spine_and_prices(pool: Path) -> None:
    found = plan_json(pool, "--from", str(pool / "volumes" / "archive"), "--pages", "30")
    volumes = found["volumes"]
    assert found["planned_reviews"] == 12 and found["pages"] == {"low": None, "high": 30}
    assert [v["volume"] for v in volumes][:2] == ["archive", "synthetic-12-2"]
    assert sum(v["count"] for v in volumes) == 12
    assert all(v["pages"] <= 30 and v["within_budget"] for v in volumes)
    one = volumes[0]
    assert one["spine_in"] == round(one["pages"] * 0.002252, 4)
    assert {p["store"] for p in one["prices"]} >= {"Amazon.com", "Amazon.co.uk"}
    assert one["reviews"][0] == "film-0001" and not one["new_folder"]
    assert found["written"] == []


def test_the_table_ends_with_a_summary(pool: Path) -> None:
    result = run("--root", str(pool), "--from", str(pool / "volumes" / "archive"),
                 "--pages", "30", "--trim", "5x8", "--paper", "cream")
    assert result.exit_code == 0, result.output
    assert "print / least price" in result.stdout and "archive" in result.stdout
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("Planned 12 new reviews in ") and "Next: anthology plan --write" \
        in last


def test_written_plan_checks_and_replanning_keeps_it(pool: Path) -> None:
    archive = pool / "volumes" / "archive"
    first = plan_json(pool, "--from", str(archive), "--pages", "30", "--write")
    assert first["written"][0] == "volumes/archive/volume.toml"
    assert runner.invoke(app, ["check", "--root", str(pool)]).exit_code == 0
    written = {p: (pool / p).read_bytes() for p in first["written"]}
    rng = random.Random(9)
    for n in range(13, 18):  # the blog went on: five more reviews imported into the pool
        (archive / f"film-{n:04d}.md").write_text(synthetic_review(n, rng, 300), "utf-8")
    again = plan_json(pool, "--pages", "30", "--write")
    kept = [v for v in again["volumes"] if v["kept"]]
    assert {v["volume"] for v in kept} == {v["volume"] for v in first["volumes"]}
    assert all(v["reviews"] == next(f["reviews"] for f in first["volumes"]
                                    if f["volume"] == v["volume"]) for v in kept)
    new = [v for v in again["volumes"] if not v["kept"]]
    assert [r for v in new for r in v["reviews"]] == [f"film-{n:04d}" for n in range(13, 18)]
    assert all((pool / p).read_bytes() == data for p, data in written.items())
    assert new[0]["series_number"] == max(v["series_number"] or 0
                                          for v in first["volumes"]) + 1
    assert plan_json(pool, "--pages", "30")["planned_reviews"] == 0


def test_a_broken_review_is_one_line_and_exit_1(pool: Path) -> None:
    (pool / "volumes" / "archive" / "film-0003.md").write_text(
        "---\ntitle: Broken\njudgement: ten\n---\nText\n", encoding="utf-8")
    result = run("--root", str(pool))
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = [ERROR_LINE.match(x) for x in result.output.splitlines()]
    found = [m for m in lines if m]
    assert found and found[0]["path"] == "volumes/archive/film-0003.md"
    assert found[0]["line"] == "3"


def test_a_folder_outside_the_volumes_is_planned_but_not_written(pool: Path) -> None:
    elsewhere = pool / "saved"
    elsewhere.mkdir()
    rng = random.Random(3)
    for n in range(1, 4):
        (elsewhere / f"post-{n}.md").write_text(synthetic_review(100 + n, rng, 200), "utf-8")
    assert plan_json(pool, "--from", str(elsewhere))["planned_reviews"] == 3
    result = run("--root", str(pool), "--from", str(elsewhere), "--write")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "saved: error: --write needs the reviews in a volume folder" in result.output
    assert not (pool / "volumes" / "synthetic-12-2").exists()


def test_a_bad_page_budget_is_a_usage_error(pool: Path) -> None:
    result = run("--root", str(pool), "--pages", "2000")
    assert result.exit_code == 2 and "more than the printer binds (828)" in result.output
    assert run("--root", str(pool), "--pages", "1100", "-p", "ingram").exit_code == 0


def test_laid_out_chapters_are_used_only_at_their_geometry(tmp_path: Path) -> None:
    import pikepdf

    from anthology.planner.laidout import Record, known_pages
    pdfs = {}
    for name, size in (("six", (432, 648)), ("five", (360, 576))):
        pdf = pikepdf.new()
        pdf.add_blank_page(page_size=size)
        pdf.save(tmp_path / f"{name}.pdf")
        pdfs[name] = tmp_path / f"{name}.pdf"
    geometry = Page.at(SIX_NINE, 200).geometry
    records = {"ch-a": (Record(7, geometry.inside, 100.0, pdf=pdfs["six"]),),
               "ch-b": (Record(7, geometry.inside, 100.0, pdf=pdfs["five"]),),
               "ch-c": (Record(7, geometry.inside, 10.0, pdf=pdfs["six"]),),
               "ch-d": (Record(7, geometry.inside + 0.2, 100.0, pdf=pdfs["six"]),),
               "a": (Record(9, geometry.inside, 100.0, pdf=pdfs["six"]),)}  # not a chapter
    sources = {"a": 50.0, "b": 50.0, "c": 50.0, "d": 50.0}  # c was edited after its layout
    assert known_pages(records, sources, geometry) == {"a": 7}
    shapes = [replace(fake(1)[0], slug=s) for s in "ab"]
    found = estimate_volume(shapes, SIX_NINE, chapters=Chapters(
        lambda g: known_pages(records, sources, g)))
    assert found.laid_out == 1 and found.chapters[0] == 8


def test_help_speaks_plainly_and_keeps_its_defaults() -> None:
    result = runner.invoke(app, ["plan", "-h"])
    assert result.exit_code == 0, result.output
    assert not re.search(r"<(list\[|int|str|path|dir|float)", result.output), result.output
    assert not re.search(r"\w \.$", result.output, re.MULTILINE)
    assert "[default: the printer's most, 828 for KDP]" in " ".join(result.output.split())


# --- End to end ----------------------------------------------------------------------------

@pytest.mark.e2e
def test_planned_volumes_build_within_the_budget_and_the_estimate(tmp_path: Path) -> None:
    root = generate(tmp_path / "ws", 20, words=300)
    budget = 60
    found = plan_json(root, "--from", str(root / "volumes" / "synthetic-20"), "--pages",
                      str(budget), "--write", "--no-cache")
    assert len(found["volumes"]) == 2
    result = runner.invoke(app, ["build", "--root", str(root), "--only", "pdf", "--profile",
                                 "kdp"])
    assert result.exit_code == 0, result.output
    built = {}
    for volume in found["volumes"]:
        built[volume["volume"]] = len(PdfReader(root / "build" /
                                                f"{volume['volume']}-kdp.pdf").pages)
        assert built[volume["volume"]] <= budget
        assert abs(built[volume["volume"]] - volume["pages"]) <= max(
            2, 0.03 * built[volume["volume"]]), (volume, built)
    # Planned again, the chapters' pages come from what the build laid out.
    for volume in plan_json(root, "--pages", str(budget))["volumes"]:
        assert volume["kept"] and volume["chapters_laid_out"] == volume["count"]
        assert abs(built[volume["volume"]] - volume["pages"]) <= 2

