"""The Kobo edition: kepubify's spans and wrapper divs (anthology.epub.kepub), and the samples'
KEPUBs checked as Kobo's reader and the validators read them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from anthology.epub.kepub import kobo_document, sentences
from anthology.preflight.validate import ace, epubcheck
from tests.conftest import SAMPLE_VOLUMES

X = "http://www.w3.org/1999/xhtml"
NS = {"x": X}


@pytest.mark.parametrize(("text", "expected"), [
    ("One. Two! Three? Four", ["One. ", "Two! ", "Three? ", "Four"]),
    ('He said "Stop." Then left.', ['He said "Stop." ', "Then left."]),
    ("Wait... what?! No.", ["Wait... ", "what?! ", "No."]),
    ("No end here", ["No end here"]),
    ("Trailing space. ", ["Trailing space. "]),  # no cut without a next sentence
    ("a.b. c", ["a.b. ", "c"]),  # inside a word is not an end
    ("Quoted.'' next", ["Quoted.'' next"]),  # one closing mark, not two
    ("   ", ["   "]),
])
def test_sentences_are_cut_where_kobo_cuts_them(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected
    assert "".join(sentences(text)) == text


def document(body: str) -> etree._Element:
    return etree.fromstring(f'<html xmlns="{X}"><head><title>t</title></head>'
                            f'<body>{body}</body></html>'.encode())


def spans(root: etree._Element) -> list[tuple[str, str]]:
    return [(s.get("id"), "".join(s.itertext()))
            for s in root.iterfind(".//x:span[@class='koboSpan']", NS)]


def test_spans_number_paragraphs_and_segments_in_reading_order() -> None:
    root = document('<section>\n<h1>Title <span class="y">(1922)</span></h1>\n'
                    '<p>One. Two <em>three. Four</em> five.</p>\n'
                    '<p><img src="a.png" alt="A still"/> Caption.</p>\n'
                    '<ul><li>A</li> <li>B</li></ul></section>')
    kobo_document(root)
    assert spans(root) == [
        ("kobo.1.1", "Title "), ("kobo.1.2", "(1922)"),
        ("kobo.2.1", "One. "), ("kobo.2.2", "Two "), ("kobo.2.3", "three. "),
        ("kobo.2.4", "Four"), ("kobo.2.5", " five."),
        ("kobo.3.1", ""), ("kobo.3.2", " Caption."),  # an image is a span of its own
        ("kobo.4.1", "A"), ("kobo.4.2", "B")]
    image = root.find(".//x:img", NS)
    assert image.getparent().get("id") == "kobo.3.1"
    # White space between blocks and list items stays bare; in a paragraph it is text.
    assert root.find(".//x:ul", NS)[0].tail == " "


def test_wrapper_divs_hold_the_whole_body_and_no_words_change() -> None:
    body = ('<section id="ch"><p>It was a dark night. The rain fell.</p>'
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>as is</text></svg>'
            '<pre>kept  as is. Really.</pre></section>')
    before = "".join(document(body).find("x:body", NS).itertext())
    root = document(body)
    kobo_document(root)
    body_element = root.find("x:body", NS)
    assert [c.get("id") for c in body_element] == ["book-columns"]
    inner = body_element[0]
    assert [c.get("id") for c in inner] == ["book-inner"]
    assert inner[0][0].get("id") == "ch"
    assert "".join(body_element.itertext()) == before
    assert root.find(".//{http://www.w3.org/2000/svg}text").text == "as is"
    assert root.find(".//x:pre", NS).text == "kept  as is. Really."
    style = root.find("x:head/x:style", NS)
    assert style.get("class") == "kobostylehacks" and "book-inner" in style.text


def test_a_document_with_spans_is_left_alone() -> None:
    root = document('<p><span class="koboSpan" id="kobo.1.1">Done.</span></p>')
    kobo_document(root)
    assert root.find(".//x:div", NS) is None
    assert len(spans(root)) == 1


# The samples' KEPUBs, from the session's one build with --stores.

@pytest.fixture(scope="module")
def kepubs(sample_books) -> dict[str, Path]:
    folder = sample_books["digital"]
    return {volume: folder / f"{volume}.kepub.epub" for volume in SAMPLE_VOLUMES}


def content_documents(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as archive:
        return {name: etree.fromstring(archive.read(name)) for name in archive.namelist()
                if name.endswith(".xhtml")}


@pytest.mark.e2e
@pytest.mark.parametrize("volume", SAMPLE_VOLUMES)
def test_every_document_of_the_kepub_has_kobo_structure(kepubs, sample_books,
                                                        volume: str) -> None:
    kepub = content_documents(kepubs[volume])
    generic = content_documents(sample_books["digital"] / f"{volume}.epub")
    assert kepub.keys() == generic.keys()
    total = 0
    for name, root in kepub.items():
        body = root.find("x:body", NS)
        assert [c.get("id") for c in body] == ["book-columns"], name
        assert body[0][0].get("id") == "book-inner", name
        ids = [s.get("id") for s in root.iterfind(".//x:span[@class='koboSpan']", NS)]
        assert len(ids) == len(set(ids)), name
        assert all(re.fullmatch(r"kobo\.\d+\.\d+", i) for i in ids), name
        total += len(ids)
        # The same words as the generic edition's (store links aside: none differ in text).
        words = "".join(body.itertext()).split()
        assert words == "".join(generic[name].find("x:body", NS).itertext()).split(), name
    chapters = [r for n, r in kepub.items() if n.startswith("EPUB/ch-")]
    assert chapters and all(r.find(".//x:p/x:span[@class='koboSpan']", NS) is not None
                            for r in chapters)
    assert total > 1000


@pytest.mark.e2e
@pytest.mark.parametrize("volume", SAMPLE_VOLUMES)
def test_the_kepub_passes_epubcheck_and_ace(kepubs, volume: str) -> None:
    assert [f.format() for f in epubcheck(kepubs[volume])] == []
    assert [f.format() for f in ace(kepubs[volume])] == []


def _opf(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("EPUB/content.opf"))


@pytest.mark.e2e
@pytest.mark.parametrize("volume", SAMPLE_VOLUMES)
def test_calibre_reads_the_kepub(kepubs, volume: str, tmp_path: Path) -> None:
    """calibre's ebook-meta (how calibre, and its Kobo driver, read a book in) reads each
    KEPUB whole: its title, author, language and ISBN as the package has them."""
    meta = shutil.which("ebook-meta")
    assert meta, "calibre's ebook-meta is not installed: ./setup.sh test installs calibre"
    result = subprocess.run([meta, str(kepubs[volume])], capture_output=True, text=True,
                            timeout=300, check=False,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                                 "CALIBRE_CONFIG_DIRECTORY": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    fields = dict(line.split(" : ", 1) for line in result.stdout.splitlines()
                  if " : " in line)
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    dc = {"dc": "http://purl.org/dc/elements/1.1/"}
    opf = _opf(kepubs[volume])
    assert fields["Title"] == opf.findtext(".//dc:title", namespaces=dc)
    assert fields["Author(s)"].startswith(opf.findtext(".//dc:creator", namespaces=dc))
    assert fields["Languages"] == "eng"
    isbn = opf.findtext(".//dc:identifier", namespaces=dc).removeprefix("urn:isbn:")
    assert f"isbn:{isbn}" in fields["Identifiers"]
