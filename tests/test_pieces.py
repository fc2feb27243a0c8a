"""The pieced, cached build against a single-document render of the same volume."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader

from anthology.print.pdf import Profile, write_pdf
from anthology.print.pieces import PieceCache, write_pieced
from anthology.series.pagemap import roman
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace
from benchmarks.generate import generate
from tests.conftest import REPO
from tests.pdfinfo import page_texts

pytestmark = pytest.mark.e2e


def book_of(root: Path, volume: str):
    problems = Problems()
    ws = load_workspace(root, problems)
    return resolve_book(ws, ws.volume(volume), problems), Theme.for_workspace(root)


def outline(path: Path) -> list[tuple[int, str, int]]:
    reader = PdfReader(path)
    found: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item)))
    walk(reader.outline, 0)
    return found


def links(path: Path) -> list[tuple[int, tuple, object]]:
    reader = PdfReader(path)
    names = reader.named_destinations
    found = []
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            target = (reader.get_destination_page_number(names[str(annotation["/Dest"])])
                      if "/Dest" in annotation else str(annotation["/A"]["/URI"]))
            found.append((index, tuple(round(float(v), 1) for v in annotation["/Rect"]),
                          target))
    return found


def pictures(path: Path, dpi: int = 24) -> list[bytes]:
    """Every page as pixels: where folios and heads are drawn, not only what they say."""
    document = pypdfium2.PdfDocument(path)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("L").tobytes() for page in document]
    finally:
        document.close()


def assert_same_book(single, pieced) -> None:
    assert pieced.pages == single.pages
    # Every page's text: folios (roman and arabic), running heads, contents numbers,
    # "Read Further" page references, blank pages, right-hand chapter openings.
    assert page_texts(pieced.path) == page_texts(single.path)
    assert pieced.page_map.labels == single.page_map.labels
    assert pieced.page_map.first_blocks == single.page_map.first_blocks
    assert dict(pieced.page_map.anchors) == dict(single.page_map.anchors)


@pytest.mark.parametrize("profile", [Profile.digital, Profile.kdp])
def test_pieced_build_matches_a_single_render(tmp_path, profile) -> None:
    book, theme = book_of(REPO, "silent-shadows")
    single = write_pdf(book, theme, tmp_path / "single.pdf", profile)
    pieced = write_pieced(book, theme, tmp_path / "pieced.pdf", profile,
                          PieceCache(tmp_path / "cache"), workers=2)
    assert_same_book(single, pieced)
    assert pictures(pieced.path) == pictures(single.path)
    assert outline(pieced.path) == outline(single.path)
    assert links(pieced.path) == links(single.path)
    if profile is Profile.digital:
        assert len(outline(pieced.path)) > 10 and len(links(pieced.path)) > 10


def test_a_tampered_cache_entry_is_laid_out_again(tmp_path) -> None:
    book, theme = book_of(REPO, "sampler")
    cache = PieceCache(tmp_path / "cache")
    first = write_pieced(book, theme, tmp_path / "a.pdf", Profile.digital, cache).path.read_bytes()
    warm = PieceCache(tmp_path / "cache")
    write_pieced(book, theme, tmp_path / "b.pdf", Profile.digital, warm)
    assert warm.misses == 0 and warm.hits > 0
    # Every entry tampered with (a changed byte in each PDF): none is trusted.
    for entry in (tmp_path / "cache").glob("*.pdf"):
        data = entry.read_bytes()
        entry.write_bytes(data[:-20] + bytes([data[-20] ^ 1]) + data[-19:])
    tampered = PieceCache(tmp_path / "cache")
    second = write_pieced(book, theme, tmp_path / "c.pdf", Profile.digital, tampered)
    pieces = len(book.chapters) + 2  # every chapter, the front matter and a folio sheet
    assert tampered.misses >= pieces  # all laid out again, none trusted
    assert second.path.read_bytes() == first
    # A record that cannot be read is not trusted either.
    for record in (tmp_path / "cache").glob("*.json"):
        if not record.name.startswith("refs-"):
            record.write_text("{not json")
    broken = PieceCache(tmp_path / "cache")
    write_pieced(book, theme, tmp_path / "d.pdf", Profile.digital, broken)
    assert broken.misses >= pieces


def test_an_edit_that_adds_pages_early_keeps_every_number_right(tmp_path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(REPO / "volumes", root / "volumes")
    shutil.copytree(REPO / "styles", root / "styles")
    book, theme = book_of(root, "silent-shadows")
    cache = PieceCache(tmp_path / "cache")
    before = write_pieced(book, theme, tmp_path / "before.pdf", Profile.digital, cache)
    # The first chapter (by appraisal number) grows by a few pages.
    source = root / "volumes" / "silent-shadows" / "cabinet-of-dr-caligari.md"
    source.write_text(source.read_text() + "\n\nA further thought on the asylum gates. " * 120)
    book, theme = book_of(root, "silent-shadows")
    cache = PieceCache(tmp_path / "cache")
    after = write_pieced(book, theme, tmp_path / "after.pdf", Profile.digital, cache)
    single = write_pdf(book, theme, tmp_path / "single.pdf", Profile.digital)
    assert after.pages > before.pages
    assert_same_book(single, after)
    assert links(after.path) == links(single.path)


def test_an_edit_lays_out_only_what_changed(tmp_path) -> None:
    # With no page references in the text, moving later chapters lays out none of them: only
    # the edited chapter and the front matter (whose contents numbers changed).
    root = generate(tmp_path / "ws", 12, words=800)  # later chapters move; short is enough
    book, theme = book_of(root, "synthetic-12")
    before = write_pieced(book, theme, tmp_path / "a.pdf", Profile.digital,
                          PieceCache(tmp_path / "c"))
    entries = len(list((tmp_path / "c").glob("*.pdf")))
    source = root / "volumes" / "synthetic-12" / "film-0002.md"
    source.write_text(source.read_text() + "\n\nOne more paragraph of thought. " * 150)
    book, theme = book_of(root, "synthetic-12")
    cache = PieceCache(tmp_path / "c")
    after = write_pieced(book, theme, tmp_path / "b.pdf", Profile.digital, cache)
    assert after.pages > before.pages  # every later chapter moved
    assert cache.misses <= 3  # the chapter, the front matter, at most one new folio sheet
    # Entries nothing uses any more (the chapter and front matter as they were) are gone.
    assert len(list((tmp_path / "c").glob("*.pdf"))) <= entries + 1
    single = write_pdf(book, theme, tmp_path / "single.pdf", Profile.digital)
    assert_same_book(single, after)


def test_a_theme_change_lays_everything_out_again(tmp_path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(REPO / "volumes", root / "volumes")
    book, theme = book_of(root, "sampler")
    write_pieced(book, theme, tmp_path / "a.pdf", Profile.digital, PieceCache(tmp_path / "c"))
    (root / "styles" / "css").mkdir(parents=True)
    (root / "styles" / "css" / "local.css").write_text("p { letter-spacing: 0.01em; }")
    book, theme = book_of(root, "sampler")
    cache = PieceCache(tmp_path / "c")
    write_pieced(book, theme, tmp_path / "b.pdf", Profile.digital, cache)
    assert cache.misses >= len(book.chapters) + 2  # every chapter, the front, a folio sheet


def test_pieced_bleed_interior_has_the_single_renders_trim_boxes(tmp_path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(REPO / "volumes" / "sampler", root / "volumes" / "sampler")
    shutil.copytree(REPO / "volumes" / "silent-shadows", root / "volumes" / "silent-shadows")
    shutil.copytree(REPO / "volumes" / "after-midnight", root / "volumes" / "after-midnight")
    toml = root / "volumes" / "sampler" / "volume.toml"
    toml.write_text(toml.read_text() + "\n[print]\nbleed = true\n")
    book, theme = book_of(root, "sampler")
    single = write_pdf(book, theme, tmp_path / "single.pdf", Profile.kdp)
    pieced = write_pieced(book, theme, tmp_path / "pieced.pdf", Profile.kdp, PieceCache(None))
    boxes = [[tuple(round(float(v), 2) for v in page.trimbox)
              for page in PdfReader(path).pages] for path in (single.path, pieced.path)]
    assert boxes[0] == boxes[1]
    assert boxes[1][0][0] == 0 and boxes[1][1][0] == 9  # flush at the binding edge


def test_page_labels_are_the_printed_folios(tmp_path) -> None:
    from anthology.starter import create_workspace

    create_workspace(tmp_path)
    problems = Problems()
    ws = load_workspace(tmp_path, problems)
    book = resolve_book(ws, ws.volumes[0], problems)
    result = write_pieced(book, Theme.for_workspace(tmp_path), tmp_path / "b.pdf",
                          Profile.digital, PieceCache(tmp_path / "cache"))
    labels = PdfReader(result.path).page_labels
    assert labels == list(result.page_map.labels)
    first = labels.index("1")
    assert labels[:first] == [roman(n).lower() for n in range(1, first + 1)]
    # Where a body page prints a folio (its text's last line), it is the page's label.
    folios = [(label, text.strip().splitlines()[-1].strip())
              for label, text in zip(labels, page_texts(result.path), strict=True)
              if text.strip() and text.strip().splitlines()[-1].strip().isdigit()]
    assert len(folios) >= 3 and all(label == folio for label, folio in folios)
