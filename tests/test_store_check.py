"""Preflight of the store editions: each check passes on an edition as the build writes it and
fails on one with that fault put in by hand."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from anthology.epub.stores import APPLE_OPTIONS
from anthology.preflight.findings import Status
from anthology.preflight.stores import store_rows
from anthology.workspace.publishing import Store
from tests.test_stores import editions, two_volumes

EMBEDDED = '[epub]\nembed_fonts = true\n'


@pytest.fixture
def built(workspace, tmp_path: Path) -> dict[str, Path]:
    two_volumes(workspace, EMBEDDED)
    return editions(workspace, tmp_path)


def rows(path: Path, store: Store) -> dict[str, object]:
    return {f.check: f for f in store_rows(path, store)}


def rewritten(path: Path, change) -> Path:
    """A copy of the EPUB with `change(name, data)` applied to each member (None drops it)."""
    copy = path.with_name(f"changed-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                target.writestr(info, data)
    return copy


@pytest.mark.parametrize(("store", "checks"), [
    (Store.kindle, {"store links", "cover image", "images", "cover page"}),
    (Store.kobo, {"store links", "cover image", "images", "Kobo spans"}),
    (Store.apple, {"store links", "cover image", "images", "embedded fonts shown"}),
])
def test_every_check_passes_on_an_edition_as_built(built, store: Store, checks) -> None:
    found = rows(built[f"one{_suffix(store)}"], store)
    assert set(found) == {f"{store.value}: {c}" for c in checks}
    assert all(f.status is Status.passed for f in found.values()), found


def _suffix(store: Store) -> str:
    from anthology.epub.stores import LIMITS
    return LIMITS[store].suffix


def test_a_link_to_a_rival_store_fails_and_is_named(built) -> None:
    rival = b'<a href="https://www.kobo.com/ebook/x">rival</a>'
    path = rewritten(built["one.kindle.epub"], lambda name, data: data.replace(
        b"</p>", rival + b"</p>", 1) if name.endswith(".xhtml") and b"<p" in data else data)
    found = rows(path, Store.kindle)["kindle: store links"]
    assert found.status is Status.failed and found.value >= 1
    assert any("https://www.kobo.com/ebook/x" in w for w in found.where)
    own = rows(built["one.kindle.epub"], Store.kindle)["kindle: store links"]
    # The other volume's Amazon page and the review's own link to Amazon.
    assert own.figure == "2 to kindle, 0 to other stores" and own.status is Status.passed


def test_a_kepub_without_spans_fails(built) -> None:
    path = rewritten(built["one.kepub.epub"], lambda name, data: data.replace(
        b'class="koboSpan"', b'class="plain"') if name.endswith(".xhtml") else data)
    found = rows(path, Store.kobo)["kobo: Kobo spans"]
    assert found.status is Status.failed and found.where
    assert "no spans" in found.where[0]


def test_a_cover_page_in_the_kindle_edition_fails(built) -> None:
    with zipfile.ZipFile(built["generic"]) as generic:
        page = next(n for n in generic.namelist() if n.endswith("cover.xhtml"))
        cover_page = generic.read(page)
    with zipfile.ZipFile(built["one.kindle.epub"]) as kindle:
        image = next(n for n in kindle.namelist() if "cover" in n and n.endswith(".jpg"))
    # The generic page shows the generic cover; point it at the Kindle edition's image name.
    cover_page = cover_page.replace(b"cover.jpg", Path(image).name.encode())
    opf_item = (b'<item id="cover-page" href="cover.xhtml" '
                b'media-type="application/xhtml+xml"/>')

    def change(name: str, data: bytes) -> bytes:
        return data.replace(b"</manifest>", opf_item + b"</manifest>") \
            if name.endswith(".opf") else data

    path = rewritten(built["one.kindle.epub"], change)
    with zipfile.ZipFile(path, "a") as book:
        book.writestr(str(Path(page)), cover_page)
    found = rows(path, Store.kindle)["kindle: cover page"]
    assert found.status is Status.failed and found.where == ("cover.xhtml",)


def test_apple_fonts_without_display_options_fail(built) -> None:
    path = rewritten(built["one.apple.epub"],
                     lambda name, data: None if name == APPLE_OPTIONS else data)
    found = rows(path, Store.apple)["apple: embedded fonts shown"]
    assert found.status is Status.failed and "no META-INF" in found.figure


def test_a_cover_over_the_stores_limit_fails(built) -> None:
    big = io.BytesIO()
    Image.new("RGB", (2000, 3200), "white").save(big, format="JPEG")

    def change(name: str, data: bytes) -> bytes:
        return big.getvalue() if "cover" in name and name.endswith(".jpg") else data

    found = rows(rewritten(built["one.kepub.epub"], change), Store.kobo)["kobo: cover image"]
    assert found.status is Status.failed and "2000 x 3200 px is over" in found.where[0]


def test_an_image_over_the_limit_in_the_text_fails(workspace, tmp_path) -> None:
    two_volumes(workspace, image=(400, 300))
    built = editions(workspace, tmp_path)
    huge = io.BytesIO()
    Image.new("RGB", (3600, 1000), "white").save(huge, format="PNG")
    with zipfile.ZipFile(built["one.google.epub"]) as book:
        still = next(n for n in book.namelist() if n.endswith(".png"))  # named by its digest
    path = rewritten(built["one.google.epub"], lambda name, data: huge.getvalue()
                     if name == still else data)
    found = rows(path, Store.google)["google: images"]
    assert found.status is Status.failed
    assert found.where == (f"{Path(still).name}: 3600 px a side",)
    fine = rows(built["generic"], Store.google)["google: images"]
    assert fine.status is Status.passed and fine.figure == "1 in the text, largest 400 x 300 px"



def test_an_svg_over_googles_side_fails(built) -> None:
    wide = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4000 300"/>'
    path = rewritten(built["one.google.epub"], lambda name, data: data.replace(
        b"</body>", wide + b"</body>") if name.endswith("ch-alpha.xhtml") else data)
    found = rows(path, Store.google)["google: images"]
    assert found.status is Status.failed
    assert found.where == ("ch-alpha.xhtml: an SVG 4000 px a side",)
