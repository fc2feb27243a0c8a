"""Pages saved from a browser as HTML: "HTML only" and "complete" (with a _files/ folder) import
to the same source as the page saved as text; saved images are copied with their caption as alt
text, and nothing is fetched or read outside the page's folder."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.cli import app
from anthology.importer.pages import PageError
from anthology.importer.saved import read_saved_page
from anthology.importer.write import REPORT_NAME
from anthology.workspace.problems import Problems
from anthology.workspace.sources import load_review

SAVED = Path(__file__).parent / "fixtures" / "import" / "saved"
NAME = "the-wake-at-kilbride"
IMAGE = f"images/{NAME}-kilbride-churchyard.jpg"
runner = CliRunner()


@pytest.fixture(autouse=True)
def no_network(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the importer tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def imported(kind: str, page: Path, volume: Path) -> str:
    result = runner.invoke(app, ["import", kind, str(page), "--into", str(volume)])
    assert result.exit_code == 0, result.output
    assert "error" not in result.output
    return (volume / f"{NAME}.md").read_text(encoding="utf-8")


def test_html_only_and_complete_pages_import_to_the_same_source_as_text(tmp_path: Path) -> None:
    text = imported("text", SAVED / f"{NAME}.txt", tmp_path / "text" / "volumes" / "reel")
    html_only = imported("html", SAVED / "html-only" / f"{NAME}.html",
                         tmp_path / "html-only" / "volumes" / "reel")
    complete = imported("html", SAVED / "complete" / f"{NAME}.html",
                        tmp_path / "complete" / "volumes" / "reel")
    assert html_only == text
    assert complete == text
    problems = Problems()
    review = load_review(tmp_path / "complete" / "volumes" / "reel" / f"{NAME}.md", problems)
    assert review is not None and list(problems) == []
    assert (review.meta.title, review.meta.year, review.meta.appraisal) == (
        "The Wake at Kilbride", 1983, 651)
    assert len(review.meta.jukebox) == 3 and [g.byline for g in review.guests] == [
        "Tadhg Ó Briain"]


def test_a_complete_page_copies_its_saved_image_with_its_caption(tmp_path: Path) -> None:
    volume = tmp_path / "ws" / "volumes" / "reel"
    imported("html", SAVED / "complete" / f"{NAME}.html", volume)
    saved = SAVED / "complete" / f"{NAME}_files" / "kilbride-churchyard.jpg"
    assert (volume / IMAGE).read_bytes() == saved.read_bytes()
    report = (volume / REPORT_NAME).read_text()
    assert f"image      {IMAGE}: copied from kilbride-churchyard.jpg; place it with " \
           f"![Kilbride churchyard at dusk]({IMAGE})" in report
    # Nothing else of the _files folder (the stylesheet) is copied.
    assert sorted(p.name for p in (volume / "images").iterdir()) == [Path(IMAGE).name]
    again = runner.invoke(app, ["import", "html", str(SAVED / "complete"), "--into", str(volume)])
    assert again.exit_code == 0
    assert f"{IMAGE}: unchanged" in (volume / REPORT_NAME).read_text()


def test_an_html_only_page_reports_its_web_images_and_fetches_none(tmp_path: Path) -> None:
    page = read_saved_page(SAVED / "html-only" / f"{NAME}.html")
    assert page.images == ()
    assert page.warnings == ("image 'https://ashenreel.example/wp-content/uploads/2019/10/"
                             "kilbride-churchyard.jpg' is on the web and is not fetched",)


def test_the_sites_furniture_is_not_content() -> None:
    text = read_saved_page(SAVED / "complete" / f"{NAME}.html").text
    assert text.startswith("The Wake at Kilbride (1983)\n\nAshen Reel’s Appraisal #651")
    for furniture in ("Recent Posts", "Leave a Reply", "Proudly powered", "Ciarán Hayes",
                      "Skip to content", "Posted on"):
        assert furniture not in text


def test_an_image_outside_the_pages_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.jpg"
    shutil.copy(SAVED / "complete" / f"{NAME}_files" / "kilbride-churchyard.jpg", secret)
    folder = tmp_path / "saved"
    folder.mkdir()
    html = (SAVED / "complete" / f"{NAME}.html").read_text()
    page = folder / "page.html"
    page.write_text(html.replace(f"{NAME}_files/kilbride-churchyard.jpg", "../secret.jpg")
                    .replace('alt="Kilbride', 'alt="Kilbride').replace(
                        "</figure>", "</figure><p><img src='data:image/png;base64,AAAA'></p>",
                        1))
    result = read_saved_page(page)
    assert result.images == ()
    assert result.warnings[0] == "image '../secret.jpg' is outside the page's folder; refused"
    assert "embedded in the page" in result.warnings[1]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (b"Just some words, no markup at all.\n", "is not HTML"),
    (b"\x00\x01\x02<html>", "is a binary file"),
])
def test_files_that_are_not_saved_pages_are_one_line(content: bytes, message: str,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(content)
    with pytest.raises(PageError, match=message):
        read_saved_page(path)


def test_a_page_nested_too_deep_fails_alone(tmp_path: Path) -> None:
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body><h1>Deep (1999)</h1><div class='entry-content'><p>"
                    + "Appraisal #1 words. " * 30 + "</p>" + "<div>" * 3000
                    + "words deep inside" + "</div>" * 3000 + "</div></body></html>")
    volume = tmp_path / "ws" / "volumes" / "reel"
    result = runner.invoke(app, ["import", "html", str(deep), str(SAVED / "complete"),
                                 "--into", str(volume)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {deep}: its HTML nests 3003 elements deep (at most 100 can be "
                      "read); is it a saved review page?"]
    assert (volume / f"{NAME}.md").exists()


def test_prose_the_extractor_leaves_behind_is_reported(tmp_path: Path) -> None:
    html = (SAVED / "complete" / f"{NAME}.html").read_text()
    stray = ("A paragraph the theme printed far from the post, which no extractor would take "
             "for its content, but which a reader of the blog would have seen.")
    page = tmp_path / "page.html"
    page.write_text(html.replace('<div id="comments"',
                                 f'<div class="stray"><p>{stray}</p></div>\n<div id="comments"'))
    result = read_saved_page(page)
    assert stray not in result.text
    assert [w for w in result.warnings if "not taken as the post's content" in w] == [
        "line 80: a paragraph was not taken as the post's content: 'A paragraph the theme "
        "printed far from the post, which no ex...'; compare the page with the blog"]
