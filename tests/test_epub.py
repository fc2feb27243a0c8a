import io
import zipfile

import pytest
from lxml import etree
from PIL import Image

from anthology.epub.covers import write_store_cover
from anthology.epub.package import write_epub
from anthology.preflight.validate import epubcheck
from anthology.print.pdf import lay_out
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme, ThemeError
from anthology.workspace.volumes import load_workspace

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"


def book_of(workspace):
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    book = resolve_book(ws, ws.volumes[0], problems)
    assert not problems.errors, [p.format() for p in problems]
    return book


def build(workspace, target, pages=None):
    return write_epub(book_of(workspace), Theme.for_workspace(workspace.root), target, pages)


def small_book(workspace) -> None:
    workspace.volume("v1", 'title = "Night Pieces"\nauthor = "Jonah Whitlock"\n'
                           'language = "en-GB"\ndate = 2026-03-01\n'
                           '[series]\nname = "The Flicker Archive"\nnumber = 3\n'
                           '[identifiers]\nisbn_print = "978-0-306-40615-7"\n')
    Image.new("RGB", (40, 30), "navy").save(workspace.root / "volumes" / "v1" / "still.png")
    workspace.review("a", appraisal=1, body="![A dark still](still.png)\n\nText.\n")


def package(path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("EPUB/content.opf"))


def test_package_metadata(workspace, tmp_path) -> None:
    small_book(workspace)
    result = build(workspace, tmp_path / "b.epub")
    opf = package(result.path)
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"
    assert opf.findtext(".//dc:language", namespaces=OPF) == "en-GB"
    assert opf.findtext(".//dc:title", namespaces=OPF) == "Night Pieces"
    assert opf.findtext(".//dc:source", namespaces=OPF) == "urn:isbn:9780306406157"
    metas = {m.get("property") or m.get("name"): (m.text or m.get("content"))
             for m in opf.iterfind(".//opf:meta", OPF)}
    assert metas["belongs-to-collection"] == "The Flicker Archive"
    assert metas["group-position"] == "3"
    assert metas["calibre:series_index"] == "3"
    assert metas["dcterms:modified"] == "2026-03-01T00:00:00Z"
    manifest = {i.get("href"): i for i in opf.iterfind(".//opf:item", OPF)}
    assert manifest["toc.xhtml"].get("properties") == "nav"
    assert manifest["images/cover.jpg"].get("properties") == "cover-image"
    assert any(href.startswith("images/") and href.endswith(".png") for href in manifest)


def test_zip_layout_and_reproducible_bytes(workspace, tmp_path) -> None:
    small_book(workspace)
    first = build(workspace, tmp_path / "one.epub").path.read_bytes()
    second = build(workspace, tmp_path / "two.epub").path.read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "one.epub") as archive:
        infos = archive.infolist()
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED
        assert {i.date_time for i in infos} == {(2026, 3, 1, 0, 0, 0)}


def test_cover_is_a_real_jpeg_within_apples_limit(workspace, tmp_path) -> None:
    small_book(workspace)
    result = build(workspace, tmp_path / "b.epub")
    with zipfile.ZipFile(result.path) as archive, archive.open("EPUB/images/cover.jpg") as f:
        image = Image.open(f)
        assert image.format == "JPEG"
        assert image.width * image.height <= 4_000_000


def metas(opf) -> list[tuple[str, str]]:
    return [(m.get("property"), m.text) for m in opf.iterfind(".//opf:meta", OPF)
            if m.get("property")]


def test_accessibility_metadata(workspace, tmp_path) -> None:
    small_book(workspace)
    found = metas(package(build(workspace, tmp_path / "b.epub").path))
    assert ("schema:accessMode", "textual") in found
    assert ("schema:accessModeSufficient", "textual") in found
    assert ("schema:accessibilityHazard", "none") in found
    assert ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA") in found
    # Nobody evaluated this book, so nobody is named as having certified it.
    assert not [v for k, v in found if k == "a11y:certifiedBy"]
    features = {v for k, v in found if k == "schema:accessibilityFeature"}
    assert {"structuralNavigation", "tableOfContents", "alternativeText"} <= features
    assert "pageNavigation" not in features  # no page list without a print layout
    summary = next(v for k, v in found if k == "schema:accessibilitySummary")
    assert "WCAG 2.1" in summary


def test_page_list_follows_the_print_layout(workspace, tmp_path) -> None:
    small_book(workspace)
    book = book_of(workspace)
    pages = lay_out(book, Theme.for_workspace(workspace.root)).page_map
    result = write_epub(book, Theme.for_workspace(workspace.root), tmp_path / "b.epub", pages)
    opf = package(result.path)
    assert ("source-of", "pagination") in metas(opf)
    assert opf.findtext(".//dc:source", namespaces=OPF) == "urn:isbn:9780306406157"
    assert ("schema:accessibilityFeature", "pageNavigation") in metas(opf)
    with zipfile.ZipFile(result.path) as archive:
        nav = etree.fromstring(archive.read("EPUB/toc.xhtml"))
        chapter = archive.read("EPUB/ch-a.xhtml").decode()
    labels = nav.xpath("//x:nav[@epub:type='page-list']//x:a/text()",
                       namespaces={"x": XHTML, "epub": EPUB})
    assert list(labels) == list(pages.labels)
    # The chapter opens the body on page 1 of the print edition.
    assert '<span epub:type="pagebreak" role="doc-pagebreak" id="page-1" aria-label="1"/>' \
        in chapter


def test_embedded_fonts_carry_their_licence_and_validate(workspace, tmp_path) -> None:
    small_book(workspace)
    toml = workspace.root / "volumes" / "v1" / "volume.toml"
    toml.write_text(toml.read_text().replace("[series]", "[epub]\nembed_fonts = true\n[series]"))
    result = build(workspace, tmp_path / "b.epub")
    manifest = {i.get("href"): i.get("media-type")
                for i in package(result.path).iterfind(".//opf:item", OPF)}
    assert manifest["fonts/EBGaramond12-Regular.otf"] == "font/otf"
    assert manifest["fonts/OFL.txt"] == "text/plain"
    assert epubcheck(result.path) == []


def test_fonts_are_not_embedded_by_default(workspace, tmp_path) -> None:
    small_book(workspace)
    with zipfile.ZipFile(build(workspace, tmp_path / "b.epub").path) as archive:
        assert not [n for n in archive.namelist() if n.startswith("EPUB/fonts/")]


def test_source_date_epoch_sets_the_stamp(workspace, tmp_path, monkeypatch) -> None:
    small_book(workspace)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    result = build(workspace, tmp_path / "b.epub")
    modified = dict(metas(package(result.path)))["dcterms:modified"]
    assert modified == "2023-11-14T22:13:20Z"
    with zipfile.ZipFile(result.path) as archive:
        assert archive.infolist()[1].date_time == (2023, 11, 14, 22, 13, 20)


def test_store_cover_is_1600_by_2560(workspace, tmp_path) -> None:
    small_book(workspace)
    book = book_of(workspace)
    path = write_store_cover(book, Theme.for_workspace(workspace.root), tmp_path / "c.jpg")
    with Image.open(path) as image:
        assert (image.format, image.size) == ("JPEG", (1600, 2560))


def test_reviews_named_like_the_books_own_files_never_collide(workspace, tmp_path) -> None:
    workspace.volume("v1", 'title = "Names"\nauthor = "Jonah Whitlock"\ndate = 2026-03-01\n'
                           'foreword = "foreword-text.md"\n')
    workspace.write("volumes/v1/foreword-text.md", "A foreword.\n")
    names = ("cover", "toc", "titlepage", "copyright", "ncx", "nav", "css0", "font0",
             "foreword", "landmarks", "page-list", "toc-title")
    for number, name in enumerate(names, start=1):
        workspace.review(name, appraisal=number)
    result = build(workspace, tmp_path / "names.epub")
    opf = package(result.path)
    ids = [item.get("id") for item in opf.iterfind(".//opf:item", OPF)]
    hrefs = [item.get("href") for item in opf.iterfind(".//opf:item", OPF)]
    assert len(ids) == len(set(ids)) and len(hrefs) == len(set(hrefs))
    assert [f.format() for f in epubcheck(result.path)] == []


def test_the_store_metadata_the_volume_gives(workspace, tmp_path) -> None:
    workspace.volume("v1", 'title = "Night Pieces"\nauthor = "Jonah Whitlock"\n'
                           'date = 2026-03-01\ndescription = "Fifty nights at the pictures."\n'
                           'subjects = ["Film criticism", "Horror films"]\n'
                           '[epub]\ncertified_by = "Accessible Books Consulting"\n')
    workspace.review("a", appraisal=1, body="On *B*, not *Unknown*.\n\n::: guest Ada Vale\n"
                     "Hers.\n:::\n\n::: guest Ada Vale\nAgain.\n:::\n",
                     jukebox=[{"artist": "Serge Gainsbourg", "song": "La Javanaise",
                               "lang": "fr"}])
    workspace.review("b", appraisal=2)
    path = build(workspace, tmp_path / "b.epub").path
    opf = package(path)
    assert opf.findtext(".//dc:description", namespaces=OPF) == "Fifty nights at the pictures."
    assert [e.text for e in opf.iterfind(".//dc:subject", OPF)] == ["Film criticism",
                                                                     "Horror films"]
    assert [e.text for e in opf.iterfind(".//dc:contributor", OPF)] == ["Ada Vale"]
    found = metas(opf)
    assert ("role", "aui") in found
    assert ("a11y:certifiedBy", "Accessible Books Consulting") in found
    with zipfile.ZipFile(path) as archive:
        chapter = archive.read("EPUB/ch-a.xhtml").decode()
        toc = archive.read("EPUB/toc.xhtml").decode()
    # A title the series knows is a title; another emphasis stays emphasis.
    assert "<cite>B</cite>," in chapter and "not <em>Unknown</em>." in chapter
    assert '<span class="song" lang="fr" xml:lang="fr">' in chapter
    assert 'href="ch-a.xhtml#ch-a--guest-2">Guest essay by Ada Vale</a>' in toc
    assert [f.format() for f in epubcheck(path)] == []


def test_files_a_theme_stylesheet_uses_are_carried(workspace, tmp_path) -> None:
    """@import and url() of the theme's own files reach the EPUB where their addresses lead,
    as the theme lays them out (issue 20: once lost, RSC-007)."""
    small_book(workspace)
    paper = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(paper, "PNG")
    workspace.write("styles/images/paper.png", paper.getvalue())
    workspace.write("styles/css/local.css", '@import "more/extra.css";\n'
                                            "body { background: url(../images/paper.png); }\n")
    workspace.write("styles/css/more/extra.css", ".x { background: image-set("
                                                 '"../../images/paper.png" 1x); }\n')
    result = build(workspace, tmp_path / "b.epub")
    manifest = {i.get("href"): i.get("media-type")
                for i in package(result.path).iterfind(".//opf:item", OPF)}
    assert manifest["css/more/extra.css"] == "text/css"
    assert manifest["images/paper.png"] == "image/png"
    with zipfile.ZipFile(result.path) as archive:
        assert archive.read("EPUB/images/paper.png") == (
            workspace.root / "styles" / "images" / "paper.png").read_bytes()
        assert b'@import "more/extra.css"' in archive.read("EPUB/css/02-local.css")
    assert [f.format() for f in epubcheck(result.path)] == []


def test_a_theme_file_never_takes_the_place_of_the_books_own(workspace, tmp_path) -> None:
    small_book(workspace)
    workspace.write("styles/images/cover.jpg", b"\xff\xd8\xff not the cover")
    workspace.write("styles/css/local.css", "body { background: url(../images/cover.jpg); }\n")
    with pytest.raises(ThemeError, match=r"take the place of the book's own 'images/cover\.jpg'"):
        build(workspace, tmp_path / "b.epub")
    assert not (tmp_path / "b.epub").exists()
