"""The piece cache trusts only what checks out whole: damage is laid out again, never fatal,
and the book is the one a cold build makes."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from anthology.print import cache as cache_module
from anthology.print.cache import PIECE_MARK, RECORDS, LaidOut, PieceCache
from anthology.print.glyphs import NO_GLYPHS, Glyphs
from anthology.print.pdf import Profile
from anthology.print.pieces import write_pieced
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace
from tests.conftest import WorkspaceBuilder
from tests.pdfinfo import page_texts

pytestmark = pytest.mark.e2e


def build(root: Path, cache: PieceCache, target: Path) -> bytes:
    problems = Problems()
    workspace = load_workspace(root, problems)
    book = resolve_book(workspace, workspace.volume("v1"), problems)
    assert not problems.errors
    write_pieced(book, Theme.for_workspace(root), target, Profile.digital, cache, workers=1)
    return target.read_bytes()


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> tuple[Path, Path, bytes]:
    """A workspace, its cache after one build, and the PDF a cold build makes."""
    base = tmp_path_factory.mktemp("cache")
    ws = WorkspaceBuilder(base / "ws")
    ws.volume("v1")
    ws.review("lamplight", appraisal=1, related=["Harbour Fog"],
              body="The lamps burn low along the corridor.\n\n" * 40)
    ws.review("harbour-fog", appraisal=2, body="Fog rolls over the harbour at dusk.\n\n" * 60)
    ws.review("night-train", appraisal=3, related=["Lamplight"], body="A train at night.\n")
    cold = build(ws.root, PieceCache(None), base / "cold.pdf")
    build(ws.root, PieceCache(base / "cache"), base / "first.pdf")
    return ws.root, base / "cache", cold


def entries(folder: Path, pattern: str) -> list[Path]:
    found = [p for p in folder.glob(pattern) if not p.name.startswith(RECORDS)
             and not p.name.endswith(".struct.json")]
    assert found
    return found


def flip_a_byte(folder: Path) -> None:
    for path in entries(folder, "*.pdf"):
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x20
        path.write_bytes(bytes(data))


def edit_sidecars(folder: Path) -> None:
    """Well-formed JSON, sealed checksum untouched: a bookmark title and a link moved."""
    edited = 0
    for path in entries(folder, "*.json"):
        record = json.loads(path.read_text())
        for page in record["bookmarks"]:
            for bookmark in page:
                bookmark[1] = "Tampered " + bookmark[1]
                edited += 1
        for page in record["links"]:
            for link in page:
                link[2][0] += 40
                edited += 1
        path.write_text(json.dumps(record))
    assert edited


def truncate(pattern: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        for path in folder.glob(pattern):
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return damage


def empty_everything(folder: Path) -> None:
    for path in folder.iterdir():
        path.write_bytes(b"")


def garbage(folder: Path) -> None:
    """Malformed files of every kind the cache reads, some where its own entries are."""
    for index, path in enumerate(sorted(folder.iterdir())):
        path.write_bytes([b"\x00\xff" * 300, b"{not json", b"5", b"[[[", b"null"][index % 5])
    for path in entries(folder, "*.json")[:1]:
        path.write_text(json.dumps({"format": 2, "key": path.stem, "anchors": 7}))
    (folder / "used-v1-digital.json").write_text('{"keys": 5}')
    (folder / "used-other.json").write_text("12")
    (folder / ("0" * 64 + ".pdf")).mkdir()  # a folder where a file is expected
    (folder / "notes.txt").write_text("not ours")


DAMAGE = {
    "a byte flipped in every piece PDF": flip_a_byte,
    "sidecar values edited, still valid JSON": edit_sidecars,
    "piece PDFs truncated": truncate("*.pdf"),
    "sidecars and references truncated": truncate("*.json"),
    "every file empty": empty_everything,
    "garbage files": garbage,
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_cache_gives_the_cold_build(warm, tmp_path, damage) -> None:
    root, cache_dir, cold = warm
    folder = tmp_path / "cache"
    shutil.copytree(cache_dir, folder)
    DAMAGE[damage](folder)
    cache = PieceCache(folder)
    assert build(root, cache, tmp_path / "damaged.pdf") == cold
    assert cache.misses >= 4  # three chapters and the front matter: none was trusted
    # The cache is whole again: the next build reuses every piece.
    again = PieceCache(folder)
    assert build(root, again, tmp_path / "again.pdf") == cold
    assert again.misses == 0 and again.hits > 0


def test_an_untouched_cache_is_reused(warm, tmp_path) -> None:
    root, cache_dir, cold = warm
    shutil.copytree(cache_dir, tmp_path / "cache")
    cache = PieceCache(tmp_path / "cache")
    assert build(root, cache, tmp_path / "warm.pdf") == cold
    assert cache.misses == 0


def pdf_of(pages: int) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_a_sidecar_checks_its_key_and_its_pdf(tmp_path) -> None:
    cache = PieceCache(tmp_path)
    piece = LaidOut(pdf_of(1), ((("a", 1.0, 2.5),),), ((("internal", "a",
                    (1, 2, 3, 4.5)),),), (((1, "One", 0, 0),),),
                    Glyphs((("DejaVu Sans", "\u2603\u2713"),), "\u16a0"))
    cache.put("k1", piece)
    found = cache.get("k1")
    assert found is not None and found.key == "k1"
    assert (found.anchors, found.links, found.bookmarks, found.glyphs) == (
        piece.anchors, piece.links, piece.bookmarks, piece.glyphs)
    with pikepdf.open(io.BytesIO(found.pdf)) as pdf:  # a whole PDF still
        assert len(pdf.pages) == 1
    # An entry copied under another key is not that key's entry.
    shutil.copy(tmp_path / "k1.pdf", tmp_path / "k2.pdf")
    shutil.copy(tmp_path / "k1.json", tmp_path / "k2.json")
    assert cache.get("k2") is None
    # A sidecar beside another PDF (a kill between the two renames) is not trusted.
    cache.put("k3", LaidOut(pdf_of(1), ((),), ((),), ((),)))
    shutil.copy(tmp_path / "k3.pdf", tmp_path / "k1.pdf")
    assert cache.get("k1") is None
    assert not list(tmp_path.glob(".*"))  # written through .part files, none left


def test_a_cache_that_cannot_be_written_is_not_fatal(tmp_path) -> None:
    (tmp_path / "file").write_text("a file where the cache folder should be")
    cache = PieceCache(tmp_path / "file" / "cache")
    cache.put("k", LaidOut(pdf_of(1), ((),), ((),), ((),)))
    cache.keep_references("book", {"a": "1"})
    assert cache.write_error is not None
    assert cache.get("k") is None and cache.references("book") == {}


def test_references_are_checked(tmp_path) -> None:
    cache = PieceCache(tmp_path)
    cache.keep_references("book", {"lamplight": "3"})
    assert cache.references("book") == {"lamplight": "3"}
    path = tmp_path / "refs-book.json"
    record = json.loads(path.read_text())
    record["refs"]["lamplight"] = "30"
    path.write_text(json.dumps(record))
    assert cache.references("book") == {}


def test_a_series_build_keeps_what_every_volume_laid_out(tmp_path) -> None:
    """The build after a cold series build lays out nothing: no volume's pruning takes the
    entries another volume has only just laid out (the second build was half a cold one)."""
    from anthology.build import Format, Options
    from anthology.build import build as build_books
    from anthology.series.resolve import resolve_series
    from tests.conftest import VOLUME_TOML

    ws = WorkspaceBuilder(tmp_path / "ws")
    ws.volume("v1")
    ws.volume("v2", VOLUME_TOML.replace("Test Volume", "Second Volume"))
    ws.review("alpha", "v1", appraisal=1, related=["Gamma"], body="Lamps burn low.\n\n" * 30)
    ws.review("beta", "v1", appraisal=2, body="A harbour in fog.\n")
    ws.review("gamma", "v2", appraisal=3, related=["Alpha"], body="A train at night.\n\n" * 30)
    ws.review("delta", "v2", appraisal=4, body="Snow on the tracks.\n")

    def run() -> PieceCache:
        problems = Problems()
        workspace = load_workspace(ws.root, problems)
        series = resolve_series(workspace, problems)
        assert not problems.errors
        cache = PieceCache(ws.root / "build" / ".cache")
        result = build_books(series, Theme.for_workspace(ws.root), cache,
                             Options(ws.root / "build", (Format.pdf,), jobs=1))
        assert result.ok, result.failures
        return cache

    assert run().misses > 0
    again = run()  # nothing to do: the books in build/ are those of this layout
    assert again.misses == 0 and again.hits == 0
    for pdf in (ws.root / "build").glob("*.pdf"):
        pdf.unlink()
    again = run()  # made again, every piece from the cache
    assert again.misses == 0 and again.hits > 0


def test_a_book_layout_record_reads_back_and_is_checked(tmp_path) -> None:
    from anthology.print.cache import BookLayout
    from anthology.print.tags import PieceStructure

    cache = PieceCache(tmp_path)
    record = BookLayout("inputs", {"v2#ch-a": "14"}, {"ch-b": "3", "span:ch-b": "3–5"}, 0.5,
                        212, "map", Glyphs((("DejaVu Sans", "\u2713"),)))
    cache.keep_book_layout("v1", "kdp", record)
    assert cache.book_layout("v1", "kdp") == record
    # What its PDF set in another font is kept (warned of while it stands), not digested.
    assert cache.book_layout("v1", "kdp").glyphs == record.glyphs
    assert dataclasses.replace(record, glyphs=NO_GLYPHS).digest == record.digest
    assert cache.book_layout("v1", "digital") is None
    # The PDF's digest follows every field; the EPUB's only the book and its page map.
    other = BookLayout("inputs", {"v2#ch-a": "15"}, record.pages, 0.5, 212, "map")
    assert other.digest != record.digest and other.digital_digest == record.digital_digest
    path = tmp_path / "book-kdp-v1.json"
    path.write_text(path.read_text().replace('"count": 212', '"count": 213'))  # its seal fails
    assert '"count": 213' in path.read_text()
    assert cache.book_layout("v1", "kdp") is None
    structure = PieceStructure(((), (3, 4)), (((5, 0),), ()))
    cache.keep_structure("k", structure, b"%PDF one")
    assert cache.structure("k", b"%PDF one") == structure
    assert cache.structure("k", b"%PDF two") is None  # object numbers of another PDF
    assert cache.structure("k", cache_module._marked(b"%PDF one", "k")) == structure
    (tmp_path / "k.struct.json").write_text('{"outside": "x"}')
    assert cache.structure("k", b"%PDF one") is None


def test_records_of_an_output_folder_read_back(tmp_path) -> None:
    cache = PieceCache(tmp_path / "cache")
    cache.keep_outputs(tmp_path / "build", {"v1.pdf": ("made", "sha")})
    assert cache.outputs(tmp_path / "build") == {"v1.pdf": ("made", "sha")}
    assert cache.outputs(tmp_path / "elsewhere") == {}
    assert PieceCache(tmp_path / "cache", read=False).outputs(tmp_path / "build") == {}


# --- A hand-resealed cache (issue 20, finding 7) ------------------------------------------------

def reseal(folder: Path, key: str, pdf: bytes, mark: str | None = None) -> None:
    """Put `pdf` under `key` as a forger would: marked with `mark` (the key by default) and
    the sidecar sealed again with the right checksum."""
    data = pdf.split(PIECE_MARK)[0] + PIECE_MARK + (mark or key).encode() + b"\n"
    path = folder / f"{key}.json"
    record = json.loads(path.read_text())
    record["pdf_sha256"] = hashlib.sha256(data).hexdigest()
    record.pop("check")
    path.write_text(cache_module._sealed(record))
    (folder / f"{key}.pdf").write_bytes(data)


def pieces_by_pages(folder: Path) -> dict[str, int]:
    found = {}
    for path in entries(folder, "*.pdf"):
        with pikepdf.open(path) as pdf:
            found[path.stem] = len(pdf.pages)
    return found


def test_another_pieces_pdf_resealed_under_a_key_is_not_trusted(warm, tmp_path) -> None:
    root, cache_dir, cold = warm
    folder = tmp_path / "cache"
    shutil.copytree(cache_dir, folder)
    pages = pieces_by_pages(folder)
    one, other = min(pages, key=pages.get), max(pages, key=pages.get)
    assert pages[one] != pages[other]
    reseal(folder, one, (folder / f"{other}.pdf").read_bytes(), mark=other)  # as it was
    assert PieceCache(folder).get(one) is None  # it says it is another piece
    reseal(folder, one, (folder / f"{other}.pdf").read_bytes())  # marked again, too
    assert PieceCache(folder).get(one) is None  # not the pages its record describes
    cache = PieceCache(folder)
    assert build(root, cache, tmp_path / "forged.pdf") == cold


def forge_actions(pdf: bytes) -> bytes:
    """The piece with things that act in every place a reader acts on: the catalog (opening
    the book, a form, a named script, an attached file), each page (opening it, its
    annotations)."""
    document = pikepdf.open(io.BytesIO(pdf))
    script = document.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript,
        JS=pikepdf.String("app.alert('forged')")))
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("/bin/sh"))
    document.Root.OpenAction = script
    document.Root.AA = pikepdf.Dictionary(WC=script)
    document.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pikepdf.String("x"))
    document.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("js"), script])),
        EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([
            pikepdf.String("run.sh"), pikepdf.Dictionary(
                Type=pikepdf.Name.Filespec, F=pikepdf.String("run.sh"), EF=pikepdf.Dictionary(
                    F=document.make_stream(b"#!/bin/sh\n")))])))
    for page in document.pages:
        page.obj.AA = pikepdf.Dictionary(O=script)
        page.obj.Annots = pikepdf.Array([
            document.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 99, 99],
                A=launch)),
            document.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 99, 99],
                A=pikepdf.Dictionary(S=pikepdf.Name.URI,
                                     URI=pikepdf.String("https://forged.example/"))))])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


ACTIVE = re.compile(rb"/JavaScript|/JS\b|/OpenAction|/AA\b|/Launch|/AcroForm|/XFA|"
                    rb"/EmbeddedFiles|app\.alert|forged\.example|/bin/sh")


def plain(pdf: bytes) -> bytes:
    """The PDF with every object and stream readable (none in a compressed object stream)."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(out, qdf=True, compress_streams=False,
                      stream_decode_level=pikepdf.StreamDecodeLevel.generalized)
    return out.getvalue()


def active_content(pdf: bytes) -> list[bytes]:
    return sorted(set(ACTIVE.findall(plain(pdf))))


def test_a_forged_piece_with_actions_never_reaches_the_book(warm, tmp_path, monkeypatch
                                                            ) -> None:
    root, cache_dir, cold = warm
    assert active_content(cold) == []
    folder = tmp_path / "cache"
    shutil.copytree(cache_dir, folder)
    for path in entries(folder, "*.pdf"):
        reseal(folder, path.stem, forge_actions(path.read_bytes()))
    forged = PieceCache(folder)
    assert all(forged.get(path.stem) is None for path in entries(folder, "*.pdf"))
    assert build(root, PieceCache(folder), tmp_path / "refused.pdf") == cold
    # Were such a piece let through, joining strips all of it: the book is the cold one.
    for path in entries(folder, "*.pdf"):
        reseal(folder, path.stem, forge_actions(path.read_bytes()))
    monkeypatch.setattr(cache_module, "_sound_piece", lambda data, key, pages: True)
    trusting = PieceCache(folder)
    book = build(root, trusting, tmp_path / "stripped.pdf")
    assert trusting.misses == 0 and trusting.hits > 0  # the forged pieces were used
    assert active_content(book) == []
    # The same book (its objects numbered otherwise: the forger saved the pieces again).
    (tmp_path / "cold.pdf").write_bytes(cold)
    assert page_texts(tmp_path / "stripped.pdf") == page_texts(tmp_path / "cold.pdf")
    assert links(book) == links(cold)


def links(pdf: bytes) -> list[list[str]]:
    """Each page's link annotations: where each leads."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [[str(a.get("/Dest") or a.A.URI) for a in page.obj.get("/Annots", [])]
                for page in document.pages]


def test_a_forged_link_record_adds_no_script_link(warm, tmp_path) -> None:
    root, cache_dir, cold = warm
    folder = tmp_path / "cache"
    shutil.copytree(cache_dir, folder)
    for path in entries(folder, "*.json"):
        record = json.loads(path.read_text())
        for page in record["links"]:
            page.append(["external", "javascript:app.alert('forged')", [0, 0, 50, 50]])
            page.append(["external", "file:///etc/passwd", [0, 0, 50, 50]])
        record.pop("check")
        path.write_text(cache_module._sealed(record))
    cache = PieceCache(folder)
    book = build(root, cache, tmp_path / "links.pdf")
    assert cache.misses == 0  # the records were trusted...
    assert b"javascript" not in plain(book).lower() and b"passwd" not in plain(book)
    assert book == cold  # ...and the links they added never made
