"""`anthology onix`: one ONIX 3.0 product per edition with an ISBN, valid against EDItEUR's
schema (onixcheck's), its accessibility codes the OPF's, its page counts the build's."""

from __future__ import annotations

import json
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import onixcheck
import pikepdf
import pytest
from lxml import etree
from typer.testing import CliRunner

from anthology.cli import app
from anthology.distribution import accessibility
from anthology.distribution.onix import NAMESPACE
from anthology.print.geometry import spine_width
from tests.conftest import REPO, WorkspaceBuilder

NS = {"o": NAMESPACE}
VOLUME = """\
title = "Night Pictures"
subtitle = "Appraisals"
author = "Jonah Whitlock"
publisher = "Lantern Press"
language = "en-GB"
date = 2026-03-01
description = "Films seen after dark, & what they left behind."
subjects = ["Film criticism", "Horror films"]

[series]
name = "The Flicker Archive"
number = 3

[identifiers]
isbn_ebook = "9781999900014"
isbn_paperback = "1-999900-02-2"
isbn_hardcover = "9781999900038"

[prices]
ebook = { USD = "9.99", EUR = "8.99" }
paperback = { USD = "24.99", GBP = "19.99" }

[classification]
bisac = ["PER004030"]
thema = ["ATFD", "1KBB-US", "3MP"]
"""
PLAIN = """\
title = "No Numbers"
author = "Jonah Whitlock"
date = 2026-05-01
"""


def _workspace(builder: WorkspaceBuilder, plain: bool = True) -> Path:
    builder.volume("v1", VOLUME)
    builder.review("nosferatu", "v1", body="An essay.\n\n::: guest Ada Vale\nHers.\n:::\n",
                   appraisal=1)
    if plain:
        builder.volume("v2", PLAIN)
        builder.review("vampyr", "v2", appraisal=2)
    return builder.root


def _run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, ["onix", *args], env={"SOURCE_DATE_EPOCH": "", **(env or {})})


def _products(path: Path) -> list[etree._Element]:
    return etree.parse(str(path)).getroot().findall("o:Product", NS)


def _text(element: etree._Element, path: str) -> list[str]:
    return [e.text for e in element.findall(path, NS)]


@cache
def _codes(name: str) -> frozenset[str]:
    """A code list's values, from the code list module beside onixcheck's ONIX 3.0 schema."""
    schema = Path(onixcheck.__file__).parent / "schema" / "xsd3.0"
    tree = etree.parse(str(schema / "ONIX_BookProduct_CodeLists.xsd"))
    xs = {"xs": "http://www.w3.org/2001/XMLSchema"}
    values = tree.findall(f".//xs:simpleType[@name='{name}']//xs:enumeration", xs)
    return frozenset(v.get("value") for v in values)


def _valid(path: Path) -> None:
    """EDItEUR's XSD, and the feature values (free text to the schema) in their lists."""
    assert onixcheck.validate(str(path)) == []
    for feature in etree.parse(str(path)).getroot().iterfind(".//o:ProductFormFeature", NS):
        kind, value = _text(feature, "o:ProductFormFeatureType")[0], _text(
            feature, "o:ProductFormFeatureValue")[0]
        assert value in _codes({"09": "List196", "12": "List143"}[kind]), (kind, value)


def test_a_product_per_edition_with_an_isbn(workspace: WorkspaceBuilder, tmp_path: Path
                                            ) -> None:
    root = _workspace(workspace)
    target = tmp_path / "feed.xml"
    result = _run("--root", str(root), "--out", str(target), "-f", "json")
    assert result.exit_code == 0, result.output
    _valid(target)
    products = _products(target)
    assert [_text(p, "o:ProductIdentifier/o:IDValue")[0] for p in products] == [
        "9781999900014", "9781999900021", "9781999900038"]  # the ISBN-10 as 13 digits
    assert [_text(p, "o:RecordReference")[0] for p in products] == [
        "urn:isbn:9781999900014", "urn:isbn:9781999900021", "urn:isbn:9781999900038"]
    assert [_text(p, "o:DescriptiveDetail/o:ProductForm")[0] for p in products] == [
        "EA", "BC", "BB"]
    ebook, paperback, hardcover = products
    assert _text(ebook, "o:DescriptiveDetail/o:ProductFormDetail") == ["E101", "E200"]
    assert _text(ebook, "o:DescriptiveDetail/o:EpubTechnicalProtection") == ["00"]
    # Prices as written, by currency; a North American price without tax, others with it.
    prices = [(_text(p, "o:PriceType")[0], _text(p, "o:PriceAmount")[0],
               _text(p, "o:CurrencyCode")[0])
              for p in paperback.iterfind(".//o:Price", NS)]
    assert prices == [("02", "19.99", "GBP"), ("01", "24.99", "USD")]
    assert _text(hardcover, ".//o:UnpricedItemType") == ["02"]  # price to be announced
    for product in products:
        detail = product.find("o:DescriptiveDetail", NS)
        assert _text(detail, "o:Collection/o:TitleDetail/o:TitleElement/o:PartNumber") == ["3"]
        assert _text(detail, "o:Collection/o:CollectionType") == ["10"]
        assert _text(detail, "o:TitleDetail/o:TitleElement/o:TitleText") == ["Night Pictures"]
        assert [(c.findtext("o:ContributorRole", None, NS), c.findtext("o:PersonName", None, NS))
                for c in detail.iterfind("o:Contributor", NS)] == [
            ("A01", "Jonah Whitlock"), ("A32", "Ada Vale")]
        assert _text(detail, "o:Language/o:LanguageCode") == ["eng"]
        assert _text(detail, "o:Language/o:CountryCode") == ["GB"]
        assert [(s.findtext("o:SubjectSchemeIdentifier", None, NS),
                 s.findtext("o:SubjectCode", None, NS)
                 or s.findtext("o:SubjectHeadingText", None, NS))
                for s in detail.iterfind("o:Subject", NS)] == [
            ("10", "PER004030"), ("93", "ATFD"), ("94", "1KBB-US"), ("96", "3MP"),
            ("20", "Film criticism; Horror films")]
        assert _text(product, ".//o:TextContent/o:Text") == [
            "Films seen after dark, & what they left behind."]
        assert _text(product, ".//o:PublisherName") == ["Lantern Press"]
        assert _text(product, ".//o:SupplierName") == ["Lantern Press"]
        assert _text(product, ".//o:PublishingDate/o:Date") == ["20260301"]
    # Size from the trim (6 x 9 in); nothing was built, so no pages and no thickness.
    assert [(m.findtext("o:MeasureType", None, NS), m.findtext("o:Measurement", None, NS))
            for m in paperback.iterfind(".//o:Measure", NS)] == [("01", "9"), ("02", "6")]
    assert [m.findtext("o:MeasureType", None, NS)
            for m in hardcover.iterfind(".//o:Measure", NS)] == ["04", "05"]
    assert not paperback.findall(".//o:Extent", NS)
    report = json.loads(result.stdout)
    assert [(p["edition"], p["prices"]) for p in report["products"]] == [
        ("ebook", {"EUR": "8.99", "USD": "9.99"}), ("paperback", {"GBP": "19.99", "USD": "24.99"}),
        ("hardcover", {})]
    assert report["skipped"] == ["v2"]
    notes = [p["message"] for p in report["problems"] if p["path"] == "volumes/v2/volume.toml"]
    assert len(notes) == 1 and "no ISBN for any edition" in notes[0]
    assert report["products"][0]["accessibility_from"] == "the EPUB a build makes"


def test_same_bytes_and_the_date_is_never_the_clock(workspace: WorkspaceBuilder,
                                                     tmp_path: Path) -> None:
    root = _workspace(workspace)
    first, second = tmp_path / "a.xml", tmp_path / "b.xml"
    assert _run("--root", str(root), "--out", str(first)).exit_code == 0
    assert _run("--root", str(root), "--out", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    header = etree.parse(str(first)).getroot().find("o:Header", NS)
    assert _text(header, "o:SentDateTime") == ["20260301T000000Z"]  # the volume's date
    # SOURCE_DATE_EPOCH dates the message; a volume published after it is forthcoming.
    early = tmp_path / "early.xml"
    result = _run("--root", str(root), "--out", str(early),
                  env={"SOURCE_DATE_EPOCH": "1767225600"})  # 2026-01-01
    assert result.exit_code == 0, result.output
    _valid(early)
    assert _text(etree.parse(str(early)).getroot(), "o:Header/o:SentDateTime") == [
        "20260101T000000Z"]
    for product in _products(early):
        assert _text(product, "o:NotificationType") == ["02"]
        assert _text(product, ".//o:PublishingStatus") == ["02"]
        assert _text(product, ".//o:ProductAvailability") == ["10"]
        assert _text(product, ".//o:SupplyDate/o:Date") == ["20260301"]
    assert _text(_products(first)[0], "o:NotificationType") == ["03"]
    bad = _run("--root", str(root), "--out", str(tmp_path / "c.xml"),
               env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert bad.exit_code == 2 and "SOURCE_DATE_EPOCH" in bad.output
    assert not (tmp_path / "c.xml").exists()


def test_no_isbn_anywhere_writes_nothing(workspace: WorkspaceBuilder) -> None:
    workspace.volume("v2", PLAIN)
    workspace.review("vampyr", "v2", appraisal=1)
    result = _run("--root", str(workspace.root))
    assert result.exit_code == 1
    assert "no volume has an ISBN" in result.output
    assert not (workspace.root / "build").exists() or not list(
        (workspace.root / "build").glob("*onix*"))


def test_the_default_name_is_the_series_or_the_volume(workspace: WorkspaceBuilder) -> None:
    root = _workspace(workspace)
    assert _run("--root", str(root)).exit_code == 0
    assert (root / "build" / "series-onix.xml").is_file()  # v2 is in no series
    assert _run("v1", "--root", str(root)).exit_code == 0
    assert (root / "build" / "v1-onix.xml").is_file()


OPF = b"""<?xml version="1.0"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata>
<meta property="schema:accessModeSufficient">textual</meta>
<meta property="schema:accessibilityFeature">tableOfContents</meta>
<meta property="schema:accessibilityFeature">alternativeText</meta>
<meta property="schema:accessibilityFeature">tactileGraphic</meta>
<meta property="schema:accessibilityHazard">noFlashingHazard</meta>
<meta property="schema:accessibilitySummary">Readable.</meta>
<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AAA</meta>
<meta property="a11y:certifiedBy">A Tester</meta>
<meta refines="#x" property="role">aui</meta>
</metadata></package>"""


def test_the_opf_as_code_list_196() -> None:
    declared = accessibility.from_opf(OPF)
    assert [(f.type, f.value, f.description) for f in accessibility.features(declared)] == [
        ("09", "00", "Readable."), ("09", "04", None), ("09", "11", None), ("09", "14", None),
        ("09", "52", None), ("09", "82", None), ("09", "86", None),
        ("09", "90", "A Tester"), ("12", "14", None)]
    assert accessibility.unmapped(declared) == ("accessibilityFeature tactileGraphic",)
    for codes in accessibility.FEATURES.values():
        assert set(codes) <= _codes("List196")
    assert set(accessibility.HAZARDS.values()) <= _codes("List143")


@pytest.mark.e2e
def test_the_samples(sample_books: dict[str, Path], tmp_path: Path) -> None:
    """The sample volumes, as `build --print` made them: each edition's ISBN, the e-book's
    codes those of the built EPUB's OPF, page counts from the printer's interior."""
    from anthology.workspace.problems import Problems
    from anthology.workspace.publishing import EditionKind
    from anthology.workspace.volumes import load_workspace

    built = sample_books["kdp"]
    target = tmp_path / "samples.xml"
    result = _run("--root", str(REPO), "--books", str(built), "--out", str(target), "-f", "json")
    assert result.exit_code == 0, result.output
    _valid(target)
    volumes = load_workspace(REPO, Problems()).volumes
    wanted = [(v.slug, kind.value, v.source.identifiers.isbn(kind)) for v in volumes
              for kind in EditionKind if v.source.identifiers.isbn(kind)]
    report = json.loads(result.stdout)
    assert [(p["volume"], p["edition"], p["isbn"]) for p in report["products"]] == wanted
    assert len(_products(target)) == len(wanted) > 0
    by_isbn = {_text(p, "o:ProductIdentifier/o:IDValue")[0]: p for p in _products(target)}
    for item in report["products"]:
        product = by_isbn[item["isbn"]]
        if item["edition"] == "ebook":
            epub = built / f"{item['volume']}.epub"
            with zipfile.ZipFile(epub) as archive:
                opf = archive.read("EPUB/content.opf")
            declared = accessibility.from_opf(opf)
            assert accessibility.unmapped(declared) == ()  # every OPF claim is in the feed
            assert [(f.findtext("o:ProductFormFeatureType", None, NS),
                     f.findtext("o:ProductFormFeatureValue", None, NS))
                    for f in product.iterfind(".//o:ProductFormFeature", NS)] == [
                (f.type, f.value) for f in accessibility.features(declared)]
            assert item["accessibility_from"] == f"{built}/{epub.name}"
            continue
        if item["edition"] != "paperback":
            continue
        with pikepdf.open(built / f"{item['volume']}-kdp.pdf") as pdf:
            pages = len(pdf.pages)
        assert item["pages"] == pages and item["pages_from"].endswith("-kdp.pdf")
        extents = {e.findtext("o:ExtentType", None, NS): int(e.findtext("o:ExtentValue", None, NS))
                   for e in product.iterfind(".//o:Extent", NS)}
        assert extents["11"] == pages and extents["00"] + extents["03"] == pages
        thickness = [m.findtext("o:Measurement", None, NS)
                     for m in product.iterfind(".//o:Measure", NS)
                     if m.findtext("o:MeasureType", None, NS) == "03"]
        assert thickness == [f"{spine_width(pages, 'white'):.3f}".rstrip("0").rstrip(".")]


def test_a_damaged_build_is_a_warning_not_a_traceback(workspace: WorkspaceBuilder,
                                                      tmp_path: Path) -> None:
    root = _workspace(workspace, plain=False)
    workspace.write("build/v1.epub", b"PK not a zip")
    workspace.write("build/v1-kdp.pdf", b"%PDF-1.7 and nothing else")
    target = tmp_path / "feed.xml"
    result = _run("--root", str(root), "--out", str(target), "-f", "json")
    assert result.exit_code == 0, result.output
    _valid(target)
    report = json.loads(result.stdout)
    warned = {p["path"]: p["message"] for p in report["problems"] if p["severity"] == "warning"}
    assert "not an EPUB this can read" in warned["build/v1.epub"]
    assert "not a PDF this can read" in warned["build/v1-kdp.pdf"]
    assert report["products"][0]["accessibility_from"] == "the EPUB a build makes"
    assert report["products"][1]["pages"] is None


@pytest.mark.e2e
def test_the_page_count_from_the_interior_or_the_cache(workspace: WorkspaceBuilder,
                                                      tmp_path: Path) -> None:
    """With the interior at hand its pages are counted; without it, the layout the build
    recorded for the volume as it is gives the same count; an edit since gives none."""
    root = _workspace(workspace, plain=False)
    build = CliRunner().invoke(app, ["build", "--root", str(root), "--only", "pdf",
                                     "--profile", "kdp", "-j", "1"])
    assert build.exit_code == 0, build.output
    with pikepdf.open(root / "build" / "v1-kdp.pdf") as pdf:
        pages = len(pdf.pages)

    def paperback(*args: str) -> dict[str, Any]:
        result = _run("--root", str(root), "--out", str(tmp_path / "feed.xml"), "-f", "json",
                      *args)
        assert result.exit_code == 0, result.output
        _valid(tmp_path / "feed.xml")
        return next(p for p in json.loads(result.stdout)["products"]
                    if p["edition"] == "paperback")

    assert (paperback()["pages"], paperback()["pages_from"]) == (pages, "build/v1-kdp.pdf")
    empty = tmp_path / "nothing-built"
    empty.mkdir()
    cached = paperback("--books", str(empty))
    assert (cached["pages"], cached["pages_from"]) == (pages, "the kdp layout in the cache")
    workspace.review("nosferatu", "v1", body="Another essay altogether.\n", appraisal=1)
    stale = paperback()  # the interior is older than the review, the cache's layout another's
    assert (stale["pages"], stale["pages_from"]) == (None, None)
