"""Store editions (`build --stores`): each links to its own store only, keeps its images within
the store's limits, carries the store's own conventions, and passes the validators."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from typer.testing import CliRunner

from anthology.cli import app
from anthology.epub.package import write_epub
from anthology.epub.stores import (
    APPLE_OPTIONS,
    LIMITS,
    StoreLimits,
    _fitted,
    differs,
    edition_name,
    store_of,
    write_store_editions,
)
from anthology.preflight.validate import ace, epubcheck
from anthology.series.resolve import resolve_series
from anthology.workspace.problems import Problems
from anthology.workspace.publishing import Store
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace
from tests.conftest import REPO, SAMPLE_VOLUMES

X = "http://www.w3.org/1999/xhtml"
NS = {"x": X, "opf": "http://www.idpf.org/2007/opf"}

ONE = """\
title = "Silent Nights"
author = "Jonah Whitlock"
date = 2026-03-01
{extra}
[series]
name = "The Flicker Archive"
number = 1
"""
TWO = """\
title = "Loud Days"
author = "Jonah Whitlock"
date = 2026-06-01
store = "https://shop.example.com/loud-days"

[series]
name = "The Flicker Archive"
number = 2

[stores]
kobo = "https://www.kobo.com/ebook/loud-days"
kindle = "https://www.amazon.com/dp/B0LOUDDAYS"
"""


def two_volumes(workspace, extra: str = "", image: tuple[int, int] | None = None) -> None:
    workspace.volume("one", ONE.format(extra=extra))
    workspace.volume("two", TWO)
    body = ("Its sequel is [[Beta]]. Buy the DVD at "
            "[the big river](https://www.amazon.co.uk/dp/B000DVD) or read the novel at "
            "[Kobo](https://www.kobo.com/ebook/the-novel).\n")
    if image:
        Image.effect_noise(image, 64).convert("RGB").save(
            workspace.root / "volumes" / "one" / "still.png")
        body = f"![A still](still.png)\n\n{body}"
    workspace.review("alpha", volume="one", appraisal=1, body=body)
    workspace.review("beta", volume="two", appraisal=2)


def editions(workspace, tmp_path: Path) -> dict[str, Path]:
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    books = resolve_series(ws, problems)
    assert not problems.errors, [p.format() for p in problems]
    book = next(b for b in books if b.slug == "one")
    theme = Theme.for_workspace(workspace.root)
    generic = write_epub(book, theme, tmp_path / "one.epub")
    names = write_store_editions(book, theme, generic.rendered, tmp_path, None)
    return {"generic": generic.path, **{n: tmp_path / n for n in names}}


def read(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def documents(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as archive:
        return {n: etree.fromstring(archive.read(n)) for n in archive.namelist()
                if n.endswith(".xhtml")}


def links(path: Path) -> list[str]:
    return [a.get("href") for root in documents(path).values()
            for a in root.iter(f"{{{X}}}a") if a.get("href", "").startswith("http")]


def elsewhere(path: Path) -> list[str]:
    """How each reference to the other volume reads: its link, or "" for none."""
    found = []
    for root in documents(path).values():
        for span in root.iterfind(".//x:span[@class='elsewhere']", NS):
            link = span.find("x:a", NS)
            found.append(link.get("href") if link is not None else "")
            assert "".join(span.itertext()) == "(in Loud Days)"
    return found


def test_each_edition_links_the_other_volume_at_its_own_store_only(workspace,
                                                                   tmp_path) -> None:
    two_volumes(workspace)
    made = editions(workspace, tmp_path)
    assert set(made) == {"generic", *(edition_name("one", s) for s in Store)}
    assert elsewhere(made["generic"]) == ["https://shop.example.com/loud-days"]
    assert elsewhere(made["one.kepub.epub"]) == ["https://www.kobo.com/ebook/loud-days"]
    assert elsewhere(made["one.kindle.epub"]) == ["https://www.amazon.com/dp/B0LOUDDAYS"]
    for store in (Store.apple, Store.google, Store.nook):  # not there: named, not linked
        assert elsewhere(made[edition_name("one", store)]) == [""]
    # The essay's own links: a rival store's is unwrapped to its words, the store's own kept.
    assert links(made["generic"]) == ["https://shop.example.com/loud-days",
                                      "https://www.amazon.co.uk/dp/B000DVD",
                                      "https://www.kobo.com/ebook/the-novel"]
    for store in Store:
        path = made[edition_name("one", store)]
        assert all(store_of(href) in (store, None) for href in links(path)), store
        assert "the big river" in "".join(documents(path)["EPUB/ch-alpha.xhtml"].itertext())
    assert links(made["one.kepub.epub"]) == ["https://www.kobo.com/ebook/loud-days",
                                             "https://www.kobo.com/ebook/the-novel"]
    assert links(made["one.apple.epub"]) == []


def test_store_of_knows_each_stores_addresses() -> None:
    assert store_of("https://www.amazon.de/dp/X") is Store.kindle
    assert store_of("https://amzn.to/abc") is Store.kindle
    assert store_of("https://books.apple.com/us/book/id1") is Store.apple
    assert store_of("https://www.kobo.com/gb/en/ebook/x") is Store.kobo
    assert store_of("https://play.google.com/store/books/details?id=X") is Store.google
    assert store_of("https://www.barnesandnoble.com/w/x") is Store.nook
    assert store_of("https://amazon.example.com/x") is None
    assert store_of("https://www.apple.com/") is None


def test_an_edition_that_would_be_the_generic_one_is_not_written(workspace,
                                                                 tmp_path) -> None:
    workspace.volume("one", ONE.format(extra=""))
    workspace.review("alpha", volume="one", appraisal=1, body="Plain words.\n")
    made = editions(workspace, tmp_path)
    # Kobo's spans and Kindle's cover always differ; the others would be the generic EPUB.
    assert set(made) == {"generic", "one.kepub.epub", "one.kindle.epub"}


def test_kindle_edition_has_no_cover_page_and_kdps_cover(workspace, tmp_path) -> None:
    two_volumes(workspace)
    made = editions(workspace, tmp_path)
    kindle = made["one.kindle.epub"]
    names = zipfile.ZipFile(kindle).namelist()
    assert "EPUB/cover.xhtml" not in names
    opf = etree.fromstring(read(kindle, "EPUB/content.opf"))
    cover = opf.find(".//opf:item[@properties='cover-image']", NS)
    with Image.open(io.BytesIO(read(kindle, f"EPUB/{cover.get('href')}"))) as image:
        assert image.size == LIMITS[Store.kindle].cover == (1600, 2560)
    assert opf.find(".//opf:reference[@type='cover']", NS) is None
    toc = documents(kindle)["EPUB/toc.xhtml"]
    assert not [a for a in toc.iter(f"{{{X}}}a") if "cover" in a.get("href", "")]
    # Every other edition keeps its cover page and the generic cover.
    with Image.open(io.BytesIO(read(made["one.apple.epub"], "EPUB/images/cover.jpg"))) as im:
        assert im.size == (1250, 2000)
    assert "EPUB/cover.xhtml" in zipfile.ZipFile(made["one.apple.epub"]).namelist()


def test_apple_display_options_say_the_fonts_are_the_books_own(workspace, tmp_path) -> None:
    two_volumes(workspace, extra="[epub]\nembed_fonts = true\n")
    made = editions(workspace, tmp_path)
    options = etree.fromstring(read(made["one.apple.epub"], APPLE_OPTIONS))
    assert options.find("platform[@name='*']/option[@name='specified-fonts']").text == "true"
    for name in ("generic", "one.kepub.epub", "one.google.epub"):
        assert APPLE_OPTIONS not in zipfile.ZipFile(made[name]).namelist()


def test_without_embedded_fonts_apple_gets_no_display_options(workspace, tmp_path) -> None:
    two_volumes(workspace)
    made = editions(workspace, tmp_path)
    assert APPLE_OPTIONS not in zipfile.ZipFile(made["one.apple.epub"]).namelist()


def image_in(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist()
                    if n.startswith("EPUB/images/") and not n.endswith("cover.jpg"))
        return archive.read(name)


def test_an_image_over_a_stores_limit_is_scaled_in_its_edition_only(workspace,
                                                                   tmp_path) -> None:
    two_volumes(workspace, image=(3400, 100))  # wider than Google's 3,200 px
    made = editions(workspace, tmp_path)
    original = (workspace.root / "volumes" / "one" / "still.png").read_bytes()
    assert image_in(made["generic"]) == original
    for store in Store:
        data = image_in(made[edition_name("one", store)])
        if store is Store.google:
            with Image.open(io.BytesIO(data)) as image:
                assert image.format == "PNG" and image.size == (3200, 94)
        else:
            assert data == original


@pytest.mark.parametrize(("limits", "size"), [
    (StoreLimits(Store.apple, ".a", (1, 1), max_pixels=100_000), (387, 258)),
    (StoreLimits(Store.google, ".g", (1, 1), max_side=300), (300, 200)),
])
def test_fitted_scales_to_pixels_and_sides(tmp_path, limits, size) -> None:
    path = tmp_path / "big.jpg"
    Image.effect_noise((600, 400), 64).convert("RGB").save(path)
    with Image.open(io.BytesIO(_fitted(path, "image/jpeg", limits))) as image:
        assert image.format == "JPEG" and image.size == size
        assert image.size[0] * image.size[1] <= (limits.max_pixels or 10**9)


def test_fitted_scales_until_the_file_is_small_enough(tmp_path) -> None:
    path = tmp_path / "noise.png"
    Image.effect_noise((600, 400), 64).convert("RGB").save(path)  # noise hardly compresses
    limits = StoreLimits(Store.kobo, ".k", (1, 1), max_bytes=200_000)
    assert path.stat().st_size > 200_000
    data = _fitted(path, "image/png", limits)
    assert len(data) <= 200_000
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size < (600, 400)


def test_fitted_leaves_an_image_within_the_limits_as_it_is(tmp_path) -> None:
    path = tmp_path / "small.jpg"
    Image.new("RGB", (800, 600), "navy").save(path)
    assert all(_fitted(path, "image/jpeg", limits) is None for limits in LIMITS.values())


def test_limits_say_where_they_come_from() -> None:
    for limits in LIMITS.values():
        assert limits.source and limits.checked.startswith("20")
    assert {limits.suffix for limits in LIMITS.values()} == {
        ".kindle.epub", ".apple.epub", ".kepub.epub", ".google.epub", ".nook.epub"}


def test_differs_follows_the_links_of_the_volumes_referred_to(workspace) -> None:
    two_volumes(workspace)
    problems = Problems()
    books = resolve_series(load_workspace(workspace.root, problems), problems)
    one, two = (next(b for b in books if b.slug == s) for s in ("one", "two"))
    assert all(differs(one, s) for s in Store)  # rival links in its text, a store link
    assert [s for s in Store if differs(two, s)] == [Store.kindle, Store.kobo]


# The build: one transaction, skipped when unchanged, and a link change rebuilds.

@pytest.mark.e2e
def test_build_stores_writes_editions_and_keeps_them_when_unchanged(workspace) -> None:
    two_volumes(workspace)
    root, out = workspace.root, workspace.root / "build"

    def build() -> dict[str, str]:
        result = CliRunner().invoke(app, ["build", "--stores", "--only", "epub", "--root",
                                             str(root), "--format", "json"])
        assert result.exit_code == 0, result.output
        return {Path(f["path"]).name: f["change"] for f in json.loads(result.stdout)["files"]}

    first = build()
    assert {"one.kepub.epub", "one.kindle.epub", "one.apple.epub", "two.kepub.epub",
            "two.kindle.epub"} <= set(first)
    assert "two.apple.epub" not in first  # would be the generic EPUB
    assert set(first.values()) == {"new"}
    assert set(build().values()) == {"unchanged"}
    # Volume two reaches Apple: volume one's Apple edition now links there, and is rebuilt.
    toml = root / "volumes" / "two" / "volume.toml"
    toml.write_text(toml.read_text() + 'apple = "https://books.apple.com/book/id42"\n')
    third = build()
    assert third["one.apple.epub"] == "replaced"
    assert elsewhere(out / "one.apple.epub") == ["https://books.apple.com/book/id42"]
    # A build without --stores leaves the editions in place.
    result = CliRunner().invoke(app, ["build", "--only", "epub", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert (out / "one.kepub.epub").is_file()


# The samples, from the session's one build with --stores.

def _store_pages() -> dict[str, Store | None]:
    """Every store page the samples' volume.toml files name, and its store (None: `store`)."""
    problems = Problems()
    pages: dict[str, Store | None] = {}
    for volume in load_workspace(REPO, problems).volumes:
        if volume.source.store:
            pages[volume.source.store] = None
        for store in Store:
            if link := volume.source.stores.link(store):
                pages[link] = store
    return pages


@pytest.mark.e2e
@pytest.mark.parametrize("store", list(Store))
def test_sample_editions_link_their_own_store_only(sample_books, store: Store) -> None:
    folder = sample_books["digital"]
    pages = _store_pages()
    assert {s for s in pages.values() if s} >= {Store.kindle, Store.kobo}
    linked = set()
    for volume in SAMPLE_VOLUMES:
        path = folder / edition_name(volume, store)
        if not path.exists():
            assert not differs_sample(volume, store)
            continue
        for href in links(path):
            assert store_of(href) in (store, None), (path.name, href)
            if href in pages:
                assert pages[href] is store, (path.name, href)
                linked.add(href)
    wanted = {page for page, s in pages.items() if s is store}
    assert linked == wanted  # each of its pages is linked to, where a volume refers to it


def differs_sample(volume: str, store: Store) -> bool:
    problems = Problems()
    books = resolve_series(load_workspace(REPO, problems), problems)
    return differs(next(b for b in books if b.slug == volume), store)


_validated: dict[str, list[str]] = {}


def _findings(path: Path) -> list[str]:
    """epubcheck's and Ace's findings, once for each distinct file."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest not in _validated:
        _validated[digest] = ([f.format() for f in epubcheck(path)]
                              + [f.format() for f in ace(path)])
    return _validated[digest]


@pytest.mark.e2e
@pytest.mark.parametrize("store", [s for s in Store if s is not Store.kobo])  # test_kepub.py
def test_sample_editions_pass_epubcheck_and_ace(sample_books, store: Store) -> None:
    folder = sample_books["digital"]
    made = [folder / edition_name(v, store) for v in SAMPLE_VOLUMES
            if (folder / edition_name(v, store)).exists()]
    assert made
    for path in made:
        assert _findings(path) == [], path.name
