"""WordPress exports: only published posts, HTML made Markdown, and hostile XML refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from anthology.importer.convert import autop, html_to_markdown
from anthology.importer.pages import EXPORT_LIMIT, PageError
from anthology.importer.recognise import Dropped, recognise
from anthology.importer.wordpress import read_export

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture(scope="module")
def export():
    return read_export(FIXTURES / "export.xml")


def test_only_published_posts_are_taken(export) -> None:
    assert [p.title for p in export.posts] == [
        "Eraserhead (1977)", "Repulsion (1965)", "A Year of Appraisals"]
    assert [(p.title, p.kind) for p in export.passed_over] == [
        ("Possession (1981)", "draft post"), ("Audition (1999)", "private post"),
        ("About the Lantern", "page"), ("eraserhead-radiator", "attachment")]


def test_post_date_link_categories_and_tags(export) -> None:
    post = export.posts[0]
    assert post.published == date(2017, 5, 6)
    assert post.link == "https://velvetlantern.example/2017/05/06/eraserhead-1977/"
    assert post.tags == ("Appraisals", "midnight movies", "surrealism")
    assert post.comments == 1
    assert post.text.startswith("Eraserhead (1977)\n\n")


def test_a_block_editor_post_is_recognised_like_a_page(export) -> None:
    result = recognise(export.posts[0].text, markdown=True)
    review = result.review
    assert review is not None
    assert (review.title, review.year, review.appraisal, review.views) == (
        "Eraserhead", 1977, 288, "Three")
    assert [f.label for f in review.facts] == [
        "Release Date", "Sub-Genre", "Country of Origin", "Budget",
        "Run-time", "Director", "Stars"]
    assert review.facts[3].value == "$10,000 (estimated)"
    assert [(t.artist, t.song) for t in review.jukebox] == [
        ("Peter Ivers", "In Heaven (Lady in the Radiator Song)"),
        ("Fats Waller", "Lenox Avenue Blues")]
    assert review.judgement == "8/10"
    assert [g.byline for g in review.guests] == ["Imogen Castellanos"]
    assert review.related == ("The Elephant Man",)
    assert review.author == "Jonah Whitlock"
    # Emphasis and web links stay; a link to a page of the blog keeps only its words.
    assert review.essay[0].startswith("Some films you watch and some films you *survive*.")
    assert "[his own account](https://example.org/lynch-on-lynch)" in review.essay[1]
    assert "ask the people who were there" in review.essay[1]
    kinds = {(d.kind, d.text) for d in result.dropped}
    assert (Dropped.CAPTION, "giphy c") in kinds
    assert (Dropped.CAPTION, "Eraserhead") in kinds
    images = [d.text for d in result.dropped if d.kind is Dropped.IMAGE]
    assert len(images) == 2 and "eraserhead-radiator.jpg" in images[0]


def test_a_classic_editor_post_without_paragraph_tags(export) -> None:
    review = recognise(export.posts[1].text, markdown=True).review
    assert review is not None
    assert (review.title, review.appraisal, review.judgement) == ("Repulsion", 301, "9/10")
    assert len(review.facts) == 5 and len(review.essay) == 2
    assert review.jukebox[0].artist == "Chico Hamilton"


def test_an_editorial_post_is_not_a_review(export) -> None:
    assert recognise(export.posts[2].text, markdown=True).review is None


def test_html_to_markdown_keeps_paragraphs_and_line_breaks() -> None:
    assert autop("One\n\nTwo\nthree") == "<p>One</p>\n<p>Two<br />three</p>\n"
    markdown = html_to_markdown("<p>Director: A<br />Stars: B</p><p>An <em>essay</em>.</p>"
                                "<script>alert(1)</script><iframe src='https://x'></iframe>")
    lines = [line.strip() for line in markdown.split("\n") if line.strip()]
    assert lines == ["Director: A", "Stars: B", "An *essay*."]


@pytest.mark.parametrize(("name", "message"), [
    ("billion-laughs.xml", "declares XML entities"),
    ("external-entity.xml", "declares XML entities"),
    ("rss-feed.xml", "is an RSS feed, not a WordPress export"),
])
def test_hostile_and_broken_xml_is_refused_with_one_line(name: str, message: str) -> None:
    with pytest.raises(PageError) as caught:
        read_export(FIXTURES / "bad" / name)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_an_external_entity_is_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    export = tmp_path / "export.xml"
    export.write_text('<?xml version="1.0"?>'
                      f'<!DOCTYPE rss [<!ENTITY s SYSTEM "{secret.as_uri()}">]>'
                      '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>'
                      "<title>&s;</title></item></channel></rss>")
    with pytest.raises(PageError) as caught:
        read_export(export)
    assert "TOP SECRET" not in str(caught.value)


def test_other_xml_is_not_an_export(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text("<?xml version='1.0'?><feed><entry/></feed>")
    with pytest.raises(PageError, match="root is <feed>"):
        read_export(path)


def test_an_export_over_200_mb_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as handle:
        handle.truncate(EXPORT_LIMIT + 1)  # sparse: no 200 MB written to disk
    with pytest.raises(PageError, match="WordPress exports over 200 MB are refused"):
        read_export(path)
