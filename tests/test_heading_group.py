"""A chapter's label, title and views are one heading group in both editions, and a Kindle
conversion (calibre's, which breaks a page before every h1 and h2) keeps the whole opening,
fact box, jukebox and the essay's start, on one screen."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from lxml import etree, html

from anthology.epub.package import write_epub
from anthology.render.documents import render_epub_documents, render_print_html
from anthology.workspace.theme import Theme
from tests.test_epub import book_of

XHTML = {"x": "http://www.w3.org/1999/xhtml"}


def chapter_workspace(workspace) -> None:
    workspace.volume()
    workspace.review("a", title="Detour", year=1945, appraisal=204, views="Two",
                     facts=["Director: Edgar G. Ulmer", "Running Time: 68 minutes"],
                     jukebox=[{"artist": "Tom Waits", "song": "Burma Shave"}],
                     body="The summer I turned nineteen I hitchhiked south.\n")


def check_heading(head) -> None:
    """`head` is the chapter's header: one hgroup, the label inside the h1 before the title."""
    group, = head.findall("{*}hgroup") or head.findall("hgroup")
    kids = [etree.QName(k).localname for k in group]
    assert kids == ["h1", "p"]
    h1 = group[0]
    label, title = list(h1)
    assert label.get("class") == "appraisal-number" and label.text == "Appraisal #204"
    assert title.get("class") == "title-text" and "".join(title.itertext()) == "Detour (1945)"
    assert group[1].get("class") == "views"
    # Nothing of the heading stands outside the group.
    assert [etree.QName(k).localname for k in head] == ["hgroup"]


def test_one_heading_group_in_the_epub_and_the_print_edition(workspace) -> None:
    chapter_workspace(workspace)
    book, theme = book_of(workspace), Theme.for_workspace(workspace.root)
    chapter = next(d for d in render_epub_documents(book, theme, ["css/book.css"])
                   if d.kind == "chapter")
    tree = etree.fromstring(chapter.xhtml.encode())
    head, = tree.xpath("//x:header[@class='chapter-head']", namespaces=XHTML)
    check_heading(head)
    printed = html.fromstring(render_print_html(book, theme).html)
    head, = printed.xpath("//header[@class='chapter-head']")
    check_heading(head)


def calibre_screens(epub, tmp_path) -> list[str]:
    """The text of each part calibre's AZW3 (KF8) conversion splits the chapter into: read
    back by converting the AZW3 to EPUB, where each KF8 part is a file of its own."""
    azw3, back = tmp_path / "book.azw3", tmp_path / "back.epub"
    for source, target in ((epub, azw3), (azw3, back)):
        subprocess.run(["ebook-convert", str(source), str(target)], check=True,
                       capture_output=True, timeout=300)
    with zipfile.ZipFile(back) as archive:
        names = sorted(n for n in archive.namelist() if n.endswith(".html"))
        texts = [" ".join(html.fromstring(archive.read(n)).xpath("//body")[0]
                          .text_content().split()) for n in names]
    return [t for t in texts if "Detour" in t or "Appraisal" in t or "Ulmer" in t]


@pytest.mark.e2e
def test_calibre_keeps_the_label_with_its_title_and_facts(workspace, tmp_path) -> None:
    if shutil.which("ebook-convert") is None:
        pytest.skip("calibre's ebook-convert is not installed")
    chapter_workspace(workspace)
    epub = tmp_path / "v1.epub"
    write_epub(book_of(workspace), Theme.for_workspace(workspace.root), epub)
    screens = calibre_screens(epub, tmp_path)
    first = next(s for s in screens if "Appraisal #204" in s)
    assert "Detour (1945)" in first.split("Appraisal #204", 1)[1]
    assert "Number of views: Two" in first and "Edgar G. Ulmer" in first
    # The jukebox's heading is no h2 (calibre breaks before those): the jukebox and the
    # essay's first words open on the same screen.
    assert "Burma Shave" in first and "hitchhiked south" in first
