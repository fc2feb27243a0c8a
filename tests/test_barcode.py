"""The ISBN barcode on the print cover: EAN-13 and the Bookland price add-on, vector bars in
black ink alone, in the printer's box; read back by zbar (an independent decoder) from the
rendered cover, and by preflight's barcode row."""

import dataclasses
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest

from anthology.preflight.barcode import barcode_row
from anthology.preflight.findings import Status
from anthology.preflight.pressfile import total_ink
from anthology.print.barcode import barcode, price_addon
from anthology.print.pdf import Profile
from anthology.print.wrap import write_cover_wrap
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace

PAGES = 200
ISBN = "9798989999019"
needs_zbar = pytest.mark.skipif(shutil.which("zbarimg") is None,
                                reason="zbar-tools (zbarimg) is not installed")


@pytest.mark.parametrize(("usd", "addon"), [(Decimal("24.99"), "52499"), (None, "90000"),
                                             (Decimal("5"), "50500"), (Decimal("99.99"), "59999"),
                                             (Decimal("120.00"), "59999")])
def test_the_addon_is_5_and_the_us_price_else_90000(usd, addon) -> None:
    assert price_addon(usd) == addon


def test_the_symbol_is_vector_and_fits_the_box() -> None:
    symbol = barcode(ISBN, "52499")
    assert symbol.svg.startswith("<svg") and "<path" in symbol.svg
    assert "<image" not in symbol.svg and "<text" not in symbol.svg  # digits: the HTML's
    assert 'fill="currentColor"' in symbol.svg and "#000000" not in symbol.svg
    assert symbol.width <= 1.95 and symbol.height <= 1.0  # the box is 2 x 1.2 in
    assert [d.text for d in symbol.digits] == ["9", "798989", "999019", "52499"]


def test_the_writer_refuses_a_wrong_check_digit() -> None:
    with pytest.raises(ValueError, match="check digit"):
        barcode("9798989999018", "90000")


@pytest.fixture(scope="module")
def covers(tmp_path_factory):
    """The covers of a volume with a paperback ISBN and a US price, and without an ISBN."""
    from tests.conftest import WorkspaceBuilder

    folder = tmp_path_factory.mktemp("barcode")
    ws = WorkspaceBuilder(folder / "ws")
    ws.volume("v1", 'title = "Night Pieces"\nauthor = "Jonah Whitlock"\ndate = 2026-01-01\n'
                    '[identifiers]\nisbn_paperback = "979-8-9899990-1-9"\n'
                    '[prices]\npaperback = { USD = "24.99", GBP = "19.99" }\n')
    ws.review("a", appraisal=1, title="Nosferatu", year=1922)
    problems = Problems()
    workspace = load_workspace(ws.root, problems)
    book = resolve_book(workspace, workspace.volumes[0], problems)
    assert not problems.errors
    theme = Theme.for_workspace(ws.root)
    made = {profile: write_cover_wrap(book, theme, folder / f"{profile}.pdf", profile,
                                      PAGES).path for profile in (Profile.kdp, Profile.ingram)}
    bare = dataclasses.replace(book, isbn_print=None)
    made["bare"] = write_cover_wrap(bare, theme, folder / "bare.pdf", Profile.kdp, PAGES).path
    return book, bare, made


def zbar(pdf: Path, scratch: Path) -> set[str]:
    """What zbar reads on the cover rendered at 300 dpi (into `scratch`): each symbol's digits
    (the EAN-13 and the EAN-5 add-on come as two)."""
    png = scratch / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", "300", "-singlefile", str(pdf), str(png)],
                   check=True)
    found = subprocess.run(["zbarimg", "--raw", "-q", "-Sean5.enable", f"{png}.png"],
                           capture_output=True, text=True)
    return set(found.stdout.split())


@needs_zbar
@pytest.mark.parametrize("profile", [Profile.kdp, Profile.ingram])
def test_zbar_reads_the_isbn_and_the_price_from_the_cover(covers, profile, tmp_path) -> None:
    _, _, made = covers
    assert zbar(made[profile], tmp_path) == {ISBN, "52499"}


@needs_zbar
def test_without_an_isbn_the_box_is_left_for_the_printer(covers, tmp_path) -> None:
    _, bare, made = covers
    assert zbar(made["bare"], tmp_path) == set()
    row = barcode_row(bare, made["bare"], PAGES)
    assert (row.status, row.figure) == (Status.passed, "the box is empty")
    # A cover with a barcode where the printer's should go fails.
    assert barcode_row(bare, made[Profile.kdp], PAGES).status is Status.failed


def _streams(owner: pikepdf.Object, seen: set) -> list[bytes]:
    """Every content stream the page draws: its own and its form XObjects'."""
    found = [owner.read_bytes()] if isinstance(owner, pikepdf.Stream) else []
    if not found:
        contents = owner.get("/Contents")
        items = contents if isinstance(contents, pikepdf.Array) else [contents]
        found = [item.read_bytes() for item in items if item is not None]
    for xobject in owner.get("/Resources", {}).get("/XObject", {}).values():
        if xobject.objgen not in seen and xobject.get("/Subtype") == pikepdf.Name.Form:
            seen.add(xobject.objgen)
            found += _streams(xobject, seen)
    return found


BLACK_INK = rb"/DeviceCMYK cs\s+0 0 0 1 scn\b|\b0 0 0 1 k\b"


def test_the_ingram_cover_and_its_barcode_are_black_ink_without_rgb(covers) -> None:
    _, _, made = covers
    with pikepdf.open(made[Profile.ingram]) as pdf:
        content = b"\n".join(_streams(pdf.pages[0].obj, set()))
        assert total_ink(pdf).status is Status.passed
    assert not re.search(rb"\b(rg|RG)\b", content)  # no RGB colour at all
    assert set(re.findall(rb"(/[\w-]+) (?:cs|CS)\b", content)) <= {b"/DeviceCMYK"}
    assert re.search(BLACK_INK, content)  # the bars and digits: 100% K
    # The KDP cover draws the bars in black ink alone too.
    with pikepdf.open(made[Profile.kdp]) as pdf:
        assert re.search(BLACK_INK, b"\n".join(_streams(pdf.pages[0].obj, set())))


def test_preflight_reads_the_barcode_back(covers) -> None:
    book, _, made = covers
    for profile in (Profile.kdp, Profile.ingram):
        row = barcode_row(book, made[profile], PAGES)
        assert (row.status, row.figure) == (Status.passed, f"reads {ISBN} + 52499")
    wrong = dataclasses.replace(book, isbn_print="9798989999040")
    assert barcode_row(wrong, made[Profile.kdp], PAGES).status is Status.failed
    repriced = dataclasses.replace(book, prices=(("paperback", "USD", Decimal("19.99")),))
    assert barcode_row(repriced, made[Profile.kdp], PAGES).status is Status.failed
    missing = barcode_row(book, made["bare"], PAGES)
    assert (missing.status, missing.figure) == (Status.failed,
                                                "no barcode could be read in the box")


def test_preflight_without_the_decoder_is_not_run(covers, monkeypatch) -> None:
    book, _, made = covers
    monkeypatch.setitem(sys.modules, "zxingcpp", None)  # import zxingcpp raises ImportError
    assert barcode_row(book, made[Profile.kdp], PAGES).status is Status.not_run


SAMPLES = {"silent-shadows": {"9798989999019", "52499"},
           "after-midnight": {"9798989999040", "90000"},
           "sampler": {"9798989999064", "90000"}}


@needs_zbar
@pytest.mark.e2e
def test_the_built_samples_carry_their_isbn_in_bars_and_metadata(sample_books,
                                                                 tmp_path) -> None:
    """`build --print`: every volume's covers decode to its ISBN and price; each printer's
    (pieced) interior names the paperback's ISBN, the reading PDF none."""
    for slug, expected in SAMPLES.items():
        isbn = max(expected, key=len)
        for profile in ("kdp", "ingram"):
            folder = sample_books[profile]
            cover = folder / f"{slug}-cover-{profile}.pdf"
            assert zbar(cover, tmp_path) == expected, (slug, profile)
            with pikepdf.open(folder / f"{slug}-{profile}.pdf") as pdf:
                assert pdf.open_metadata().get("dc:identifier") == f"urn:isbn:{isbn}"
        with pikepdf.open(sample_books["digital"] / f"{slug}.pdf") as pdf:
            assert "/ISBN" not in pdf.docinfo
