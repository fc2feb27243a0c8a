"""End to end: the series build's references, read back from the sample PDFs.

Every reference the samples print ("Title (p. 14)", "Title (Vol. I, p. 14)") is found in
the text of the referring PDF, and the page it names, in the PDF of the volume it names, holds
the referenced title. The pages come from the PDFs themselves (their page labels), never from
the build's own page map.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from anthology.series.resolve import resolve_series
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace
from tests.conftest import REPO

pytestmark = pytest.mark.e2e


def flat(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return " ".join(text.split())


@cache
def labelled_pages(path: Path) -> dict[str, str]:
    """Page label (the printed folio) -> the page's text, flattened."""
    reader = PdfReader(path)
    return {reader.page_labels[i]: flat(page.extract_text() or "")
            for i, page in enumerate(reader.pages)}


def series_books():
    problems = Problems()
    workspace = load_workspace(REPO, problems)
    books = resolve_series(workspace, problems)
    assert not problems.errors
    return {b.slug: b for b in books}, {v.slug: v for v in workspace.volumes}


def printed_references(text: str, title: str) -> list[tuple[str | None, str]]:
    """Every "(p. 14)" or "(Vol. I, p. 14)" printed right after `title`."""
    pattern = re.escape(flat(title)) + r" \((?:(Vol\. [IVXLC]+), )?p\. (\d+)\)"
    return [(m[1], m[2]) for m in re.finditer(pattern, text)]


def test_every_printed_reference_names_a_page_that_holds_its_title(sample_build) -> None:
    out = sample_build("digital")
    books, _ = series_books()
    by_label = {}
    for slug, book in books.items():
        if book.series:
            by_label[f"Vol. {['I', 'II', 'III', 'IV'][book.series.number - 1]}"] = slug
    checked = 0
    for slug, book in books.items():
        pages = labelled_pages(out / f"{slug}.pdf")
        text = " ".join(pages.values())
        for chapter in book.chapters:
            for reference in {*chapter.related, *chapter.references}:
                found = printed_references(text, reference.title)
                assert found, f"{slug}: no page printed for {reference.title}"
                for volume_label, page in found:
                    target = by_label[volume_label] if volume_label else slug
                    assert (volume_label is None) == (reference.volume is None) or \
                        reference.title in {c.title for c in book.chapters}
                    target_pages = labelled_pages(out / f"{target}.pdf")
                    assert flat(reference.title) in target_pages[page], (
                        f"{slug}: {reference.title} printed as p. {page} of {target}")
                    checked += 1
    assert checked >= 60  # the samples refer across volumes both ways, and within each


def test_an_omnibus_refers_inside_itself_for_what_it_holds(sample_build) -> None:
    out = sample_build("digital")
    books, _ = series_books()
    omnibus = books["sampler"]
    held = {c.title for c in omnibus.chapters}
    inside = [r for c in omnibus.chapters for r in (*c.related, *c.references)
              if r.title in held]
    assert inside and all(r.chapter_id and r.volume is None for r in inside)
    text = " ".join(labelled_pages(out / "sampler.pdf").values())
    for reference in inside:
        assert all(volume is None for volume, _ in printed_references(text, reference.title))


def series_pages(profile: str = "digital") -> dict[str, dict[str, str]]:
    """The page map the last build of the samples settled (build/.cache)."""
    from anthology.print.cache import PieceCache
    pages = PieceCache(REPO / "build" / ".cache" / "pieces").series_pages(profile)
    assert pages.books, "no settled page map in build/.cache"
    return {slug: dict(own) for slug, own in pages.books.items()}


LOCATOR = re.compile(r'<a class="locator" data-locator="([^"]+)"((?: data-span="1")?)'
                     r'(?: data-volume="([^"]+)")? data-chapter="([^"]+)">')
TERM = re.compile(r'<li class="index-entry"><span class="index-term">(.*?)</span>')


def locators(xhtml: str):
    """(entry heading, locator key, is a span) for every locator, the heading being that of
    the top-level entry it belongs to (a person) or its own (a film)."""
    found = []
    for entry in xhtml.split('<li class="index-entry"><span class="index-term">')[1:]:
        heading = html.unescape(re.sub(r"<[^>]+>", "", entry.split("</span>", 1)[0]))
        for match in LOCATOR.finditer(entry.split('<li class="index-entry">', 1)[0]):
            found.append((heading, match[1], bool(match[2])))
    return found


def test_every_index_locator_names_a_page_that_holds_its_heading(sample_build) -> None:
    out = sample_build("digital")
    books, _ = series_books()
    pages = series_pages()
    checked = 0
    for slug, book in books.items():
        own = labelled_pages(out / f"{slug}.pdf")
        for appendix in book.appendices:
            first, _, last = pages[slug][f"span:{appendix.id}"].partition("–")
            index_text = " ".join(own[str(n)] for n in range(int(first), int(
                last if len(last) >= len(first) else first[:len(first) - len(last)] + last) + 1)
                if str(n) in own) if last else own[first]
            for heading, key, span in locators(appendix.xhtml):
                volume, _, anchor = key.rpartition("#")
                target = volume or slug
                label = pages[target][f"span:{anchor}" if span else anchor]
                page = label.split("–")[0]
                text = labelled_pages(out / f"{target}.pdf")[page]
                name = heading.split(",")[0].split(" (")[0]  # a surname, or a title
                name = name if span else name.split(" ")[0] if "," not in heading else name
                assert flat(name) in text, f"{slug} {appendix.id}: {heading} -> {target} p. {page}"
                printed = f"{numeral(books[target])}:\u00a0{label}" if volume else label
                assert flat(printed) in index_text, f"{slug} {appendix.id}: {printed} not printed"
                checked += 1
    assert checked >= 300


def numeral(book) -> str:
    return ["I", "II", "III", "IV", "V"][book.series.number - 1]


def test_an_edit_that_adds_two_pages_moves_every_reference_and_locator(sample_build,
                                                                       tmp_path) -> None:
    """Vol. I's first review gains two pages: on the next build every page Vol. II (and the
    omnibus) prints for a later Vol. I review moves by two, references and index alike."""
    import shutil

    from typer.testing import CliRunner

    from anthology.cli import app

    sample_build("digital")  # the samples' laid-out pieces, copied: only the edit is new
    root = tmp_path / "ws"
    shutil.copytree(REPO / "volumes", root / "volumes")
    shutil.copytree(REPO / "styles", root / "styles")
    shutil.copy(REPO / "people.toml", root / "people.toml")
    shutil.copytree(REPO / "build" / ".cache", root / "build" / ".cache")

    def build() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
        result = CliRunner().invoke(app, ["build", "--root", str(root), "--only", "pdf"])
        assert result.exit_code == 0, result.output
        from anthology.print.cache import PieceCache
        pages = PieceCache(root / "build" / ".cache" / "pieces").series_pages("digital")
        texts = {slug: " ".join(labelled_pages.__wrapped__(root / "build" / f"{slug}.pdf")
                                .values()) for slug in pages.books}
        return {s: dict(p) for s, p in pages.books.items()}, texts

    before, before_text = build()
    first = root / "volumes" / "silent-shadows" / "the-student-of-prague.md"
    words = ("The long paragraph the author added after a second viewing, which says again "
             "and at length what the review had said before. ") * 5
    first.write_text(first.read_text(encoding="utf-8") + ("\n\n" + words) * 6,
                     encoding="utf-8")
    after, after_text = build()
    vol1_before, vol1_after = before["silent-shadows"], after["silent-shadows"]
    assert int(vol1_after["ch-cabinet-of-dr-caligari"]) == \
        int(vol1_before["ch-cabinet-of-dr-caligari"]) + 2
    books, _ = series_books()
    moved = 0
    for slug in ("after-midnight", "sampler"):
        for chapter in books[slug].chapters:
            for reference in {*chapter.related, *chapter.references}:
                if reference.volume != "silent-shadows" or \
                        reference.target == "ch-the-student-of-prague":
                    continue
                old, new = vol1_before[reference.target], vol1_after[reference.target]
                assert int(new) == int(old) + 2
                title = flat(reference.title)
                assert f"{title} (Vol. I, p. {old})" in before_text[slug]
                assert f"{title} (Vol. I, p. {new})" in after_text[slug]
                moved += 1
        for appendix in books[slug].appendices:
            for _, key, span in locators(appendix.xhtml):
                volume, _, anchor = key.rpartition("#")
                if volume != "silent-shadows" or anchor.startswith("ch-the-student-of-prague"):
                    continue
                page_key = f"span:{anchor}" if span else anchor
                old, new = vol1_before[page_key], vol1_after[page_key]
                assert int(new.split("–")[0]) == int(old.split("–")[0]) + 2
                assert f"I:\u00a0{new}".replace("\u00a0", " ") in after_text[slug]
                moved += 1
    assert moved >= 40


def test_one_volume_built_alone_prints_the_same_pages(sample_build, tmp_path) -> None:
    """`anthology build after-midnight` gets every other volume's pages from the cached
    layout: its PDF is the series build's, byte for byte."""
    from typer.testing import CliRunner

    from anthology.cli import app

    out = sample_build("digital")
    result = CliRunner().invoke(app, ["build", "after-midnight", "--root", str(REPO),
                                      "--out", str(tmp_path), "--only", "pdf"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "after-midnight.pdf").read_bytes() == \
        (out / "after-midnight.pdf").read_bytes()


def test_every_index_link_in_the_epubs_resolves(sample_build) -> None:
    import zipfile

    from lxml import etree

    out = sample_build("digital")
    books, _ = series_books()
    checked = 0
    for slug, book in books.items():
        with zipfile.ZipFile(out / f"{slug}.epub") as archive:
            documents = {Path(n).name: archive.read(n) for n in archive.namelist()
                         if n.endswith(".xhtml")}
        ids = {name: set(etree.fromstring(data).xpath("//@id")) for name, data in
               documents.items()}
        for appendix in book.appendices:
            tree = etree.fromstring(documents[f"{appendix.id}.xhtml"])
            if appendix.kind == "index":
                assert tree.xpath("//*[@role='doc-index']")
            for href in tree.xpath("//*[local-name()='a']/@href"):
                name, _, fragment = href.partition("#")
                assert name in documents, href
                assert not fragment or fragment in ids[name], href
                checked += 1
            # Another volume's pages are named, never linked.
            assert not tree.xpath("//*[local-name()='a'][starts-with(@href, 'http')]")
    assert checked >= 300


SOUNDTRACK_FILM = re.compile(r'<li class="soundtrack-film">.*?<a class="locator" '
                             r'data-locator="([^"]+)"[^>]*>.*?<ol class="tracks"><li>'
                             r'<span class="artist">([^<]+)</span>')


def test_every_soundtrack_locator_names_the_page_of_its_jukebox(sample_build) -> None:
    out = sample_build("digital")
    books, _ = series_books()
    pages = series_pages()
    checked = 0
    for slug, book in books.items():
        soundtrack = next(a for a in book.appendices if a.kind == "soundtrack")
        films = SOUNDTRACK_FILM.findall(soundtrack.xhtml)
        assert len(films) == sum(1 for c in book.chapters if c.tracks) or slug == "sampler"
        for key, artist in films:
            volume, _, anchor = key.rpartition("#")
            target = volume or slug
            page = pages[target][anchor]
            text = labelled_pages(out / f"{target}.pdf")[page]
            assert flat(html.unescape(artist)).casefold() in text.casefold(), (slug, key, page)
            checked += 1
    assert checked >= 40
