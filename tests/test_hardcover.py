"""The IngramSpark hardcover (`--profile ingram-hardcover`): its interior (Ingram's PDF/X-1a
text block, named for the hardcover's ISBN), its case laminate cover and its dust jacket, each
the size its geometry says, with the hardcover's barcode (read back by zbar and by preflight),
and `anthology preflight -p ingram-hardcover` passing on them. One small workspace, built once
for the module."""

import json
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from anthology.cli import app
from anthology.editions import Profile
from anthology.preflight import run as press
from anthology.preflight.findings import Status
from anthology.print.geometry import POINTS, CaseWrap, Jacket
from anthology.print.wrap import write_cover_wrap
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace

SAMPLES = Path(__file__).resolve().parent.parent / "volumes" / "silent-shadows"
SAMPLE_REVIEWS = ("nosferatu", "the-general", "metropolis")
HARDCOVER = "9798989999071"
PAPERBACK = "9798989999019"
ADDON = "53499"  # $34.99
TRIM = (5.5, 8.5)
needs_zbar = pytest.mark.skipif(shutil.which("zbarimg") is None,
                                reason="zbar-tools (zbarimg) is not installed")
VOLUME = f"""\
title = "Night Pieces"
author = "Jonah Whitlock"
date = 2026-01-01
[print]
trim = "5.5x8.5"
paper = "cream"
[identifiers]
isbn_paperback = "{PAPERBACK}"
isbn_hardcover = "{HARDCOVER}"
[prices]
hardcover = {{ USD = "34.99" }}
[jacket]
flap_author = "Jonah Whitlock writes about films."
"""


def run(*args: str) -> str:
    """Standard output of a command that must succeed."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def hardcover(tmp_path_factory):
    """A one-volume workspace's hardcover: interior, case and jacket in `out`."""
    from tests.conftest import WorkspaceBuilder

    folder = tmp_path_factory.mktemp("hardcover")
    ws = WorkspaceBuilder(folder / "ws")
    ws.volume("v1", VOLUME)
    for slug in SAMPLE_REVIEWS:  # real essays: typesetting checks a real page
        ws.write(f"volumes/v1/{slug}.md", (SAMPLES / f"{slug}.md").read_bytes())
    out = folder / "out"
    root = str(ws.root)
    run("build", "--root", root, "--out", str(out), "--only", "pdf",
        "--profile", "ingram-hardcover")
    run("cover", "--root", root, "--out", str(out), "--profile", "ingram-hardcover")
    problems = Problems()
    workspace = load_workspace(ws.root, problems)
    book = resolve_book(workspace, workspace.volumes[0], problems)
    assert not problems.errors
    with pikepdf.open(out / "v1-ingram-hardcover.pdf") as pdf:
        pages = len(pdf.pages)
    return ws.root, out, book, pages


def _size(path: Path) -> tuple[tuple[float, float], tuple[float, float]]:
    """The page and the TrimBox, in inches."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.obj.TrimBox]
    return ((media[2] - media[0]) / POINTS, (media[3] - media[1]) / POINTS), \
        ((trim[2] - trim[0]) / POINTS, (trim[3] - trim[1]) / POINTS)


@pytest.mark.e2e
def test_the_interior_is_ingrams_text_block_named_for_the_hardcover(hardcover) -> None:
    _, out, _, pages = hardcover
    with pikepdf.open(out / "v1-ingram-hardcover.pdf") as pdf:
        assert pdf.open_metadata().get("dc:identifier") == f"urn:isbn:{HARDCOVER}"
        assert "/OutputIntents" in pdf.Root  # PDF/X-1a, as Ingram's paperback interior
        size = [float(v) / POINTS for v in pdf.pages[0].obj.TrimBox]
    assert (size[2] - size[0], size[3] - size[1]) == pytest.approx(TRIM, abs=0.01)
    assert pages % 2 == 0


@pytest.mark.e2e
@pytest.mark.parametrize(("name", "kind"), [("cover", CaseWrap), ("jacket", Jacket)])
def test_the_case_and_the_jacket_are_their_geometrys_size(hardcover, name, kind) -> None:
    _, out, _, pages = hardcover
    page, trimmed = _size(out / f"v1-{name}-ingram-hardcover.pdf")
    geometry = kind(TRIM, pages, "cream")
    assert page == pytest.approx(geometry.size, abs=0.01)
    assert trimmed == pytest.approx(geometry.trimmed, abs=0.01)
    with pikepdf.open(out / f"v1-{name}-ingram-hardcover.pdf") as pdf:
        assert pdf.open_metadata().get("dc:identifier") == f"urn:isbn:{HARDCOVER}"


@needs_zbar
@pytest.mark.e2e
@pytest.mark.parametrize("name", ["cover", "jacket"])
def test_zbar_reads_the_hardcovers_isbn_and_price(hardcover, name, tmp_path) -> None:
    _, out, _, _ = hardcover
    png = tmp_path / name
    subprocess.run(["pdftoppm", "-png", "-r", "300", "-singlefile",
                    str(out / f"v1-{name}-ingram-hardcover.pdf"), str(png)], check=True)
    found = subprocess.run(["zbarimg", "--raw", "-q", "-Sean5.enable", f"{png}.png"],
                           capture_output=True, text=True)
    assert set(found.stdout.split()) == {HARDCOVER, ADDON}


@pytest.mark.e2e
def test_preflight_passes_the_hardcover(hardcover) -> None:
    root, out, _, _ = hardcover
    report = json.loads(run("preflight", "--root", str(root), "--out", str(out),
                            "-p", "ingram-hardcover", "--format", "json"))
    rows = {(r["file"], r["check"]): r for r in report["rows"]}
    # A spread on two baselines is a designer's warning (the layout evens most, not all).
    failed = [r for r in report["rows"] if r["status"] != "pass"
              and not (r["status"] == "warn" and r["check"] in (
                      "spreads on one baseline", "loose lines"))]
    assert not failed, failed
    for name, check in (("cover", "case cover size"), ("jacket", "dust jacket size")):
        assert rows[(f"v1-{name}-ingram-hardcover.pdf", check)]["status"] == "pass"
        barcode = rows[(f"v1-{name}-ingram-hardcover.pdf", "barcode")]
        assert barcode["figure"] == f"reads {HARDCOVER} + {ADDON}"
        assert rows[(f"v1-{name}-ingram-hardcover.pdf", "cover ink")]["status"] == "pass"
    assert rows[("v1-ingram-hardcover.pdf", "page count")]["status"] == "pass"


@pytest.mark.e2e
def test_a_case_for_another_page_count_or_edition_fails(hardcover, tmp_path) -> None:
    root, _, book, pages = hardcover
    theme = Theme.for_workspace(root)
    other = write_cover_wrap(book, theme, tmp_path / "case.pdf", Profile.ingram_hardcover,
                             pages + 120).path
    rows = {f.check: f for f in press._cover_rows(book, Profile.ingram_hardcover, other, pages)}
    assert rows["case cover size"].status is Status.failed
    # The paperback's wrap where the case should be: wrong size, and the paperback's ISBN.
    paperback = write_cover_wrap(book, theme, tmp_path / "wrap.pdf", Profile.ingram, pages).path
    rows = {f.check: f for f in press._cover_rows(book, Profile.ingram_hardcover, paperback,
                                                  pages)}
    assert rows["case cover size"].status is Status.failed
    assert rows["barcode"].status is Status.failed


def test_a_trim_ingram_binds_no_hardcover_at_is_refused(workspace) -> None:
    workspace.volume("v1", VOLUME.replace('"5.5x8.5"', '"5.25x8"'))
    workspace.review("nosferatu", appraisal=1, title="Nosferatu", year=1922)
    result = CliRunner().invoke(app, ["build", "--root", str(workspace.root), "--only", "pdf",
                                      "--profile", "ingram-hardcover"])
    assert result.exit_code == 1
    assert "volumes/v1/volume.toml:5: error: IngramSpark binds no hardcover at 5.25x8" \
        in result.output
    assert not (workspace.root / "build" / "v1-ingram-hardcover.pdf").exists()
