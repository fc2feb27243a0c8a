import zipfile

from lxml import etree
from PIL import Image

from anthology.epub import write_epub
from anthology.problems import Problems
from anthology.resolve import resolve_book
from anthology.theme import Theme
from anthology.volumes import load_workspace

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


def build(workspace, target):
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    book = resolve_book(ws, ws.volumes[0], problems)
    assert not problems.errors, [p.format() for p in problems]
    return write_epub(book, Theme.for_workspace(workspace.root), target)


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
