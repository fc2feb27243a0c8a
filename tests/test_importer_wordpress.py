"""WordPress exports: only published posts, HTML made Markdown, hostile XML refused, malformed
XML recovered item by item, and every test export of the WordPress importer plugin imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.cli import app
from anthology.importer.pages import EXPORT_LIMIT, PageError
from anthology.importer.recognise import Dropped, recognise
from anthology.importer.wordpress import read_export

FIXTURES = Path(__file__).parent / "fixtures" / "import"
PLUGIN = FIXTURES / "wordpress-importer"
# The plugin's deliberately malformed exports, and the items each must report as lost.
MALFORMED = {"crazy-cdata.xml": [(12, "Hello world!")], "malformed-simple.xml": [(9, "Broken")]}
runner = CliRunner()


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


@pytest.mark.parametrize("name", sorted(p.name for p in PLUGIN.glob("*.xml")))
def test_every_wordpress_importer_test_export_imports(name: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", "wordpress", str(PLUGIN / name),
                                 "--into", str(tmp_path / "volumes" / "plugin")])
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    expected = MALFORMED.get(name, [])
    assert result.exit_code == (1 if expected else 0), result.output
    assert len(errors) == len(expected)
    for error, (line, title) in zip(errors, expected, strict=True):
        assert error.startswith(f"error: {PLUGIN / name}:{line}: item '{title}' could not be "
                                "read whole")


def test_the_theme_unit_test_export_passes_over_everything_with_its_reason() -> None:
    export = read_export(PLUGIN / "theme-unit-test-data.xml")
    kinds = {item.kind for item in export.passed_over}
    assert {"page", "attachment", "nav_menu_item", "draft post"} <= kinds
    assert export.lost == () and export.warnings == ()
    assert len(export.posts) == 56


def test_wxr_1_0_and_1_1_are_read() -> None:
    for name in ("valid-wxr-1.0.xml", "valid-wxr-1.1.xml"):
        export = read_export(PLUGIN / name)
        assert export.posts and export.lost == ()


def test_a_malformed_export_keeps_its_good_items_and_reports_the_broken_one(
        tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    good = ("<item><title>Good (1980)</title><wp:post_type>post</wp:post_type>"
            "<wp:post_id>{n}</wp:post_id><content:encoded><![CDATA[<p>Words.</p>]]>"
            "</content:encoded></item>\n")
    path.write_text('<?xml version="1.0"?>\n<rss xmlns:wp="https://wordpress.org/export/1.2/" '
                    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>\n'
                    + good.format(n=1)
                    + "<item><title>Bad (1981)</title>\n<wp:post_type>post</wp:post_type>\n"
                    "<content:encoded>a ]]> b</content:encoded></item>\n"
                    + good.format(n=3) + "</channel></rss>\n")
    export = read_export(path)
    assert [p.post_id for p in export.posts] == ["1", "3"]
    assert [(lost.line, lost.message.split(" could")[0]) for lost in export.lost] == [
        (4, "item 'Bad (1981)'")]
    assert "read with a recovering parser" in export.warnings[0]


def test_an_error_outside_any_item_loses_nothing_but_is_said() -> None:
    export = read_export(PLUGIN / "malformed.xml")
    assert export.lost == ()
    assert any("line 90" in w and "nothing lost" in w for w in export.warnings)


def test_a_malformed_export_with_entities_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">'
                    '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>&a;')
    with pytest.raises(PageError, match="entities"):
        read_export(path)


@pytest.mark.parametrize("encoding", ["klingon", "utf-32"])
def test_an_unknown_declared_encoding_is_one_line(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(f'<?xml version="1.0" encoding="{encoding}"?><rss/>')
    with pytest.raises(PageError) as caught:
        read_export(path)
    assert "\n" not in str(caught.value)


def test_html_nested_hundreds_deep_loses_that_post_only(tmp_path: Path) -> None:
    deep = "<div>" * 400 + "deep" + "</div>" * 400
    items = "".join(
        f"<item><title>Post {n}</title><wp:post_id>{n}</wp:post_id><wp:post_type>post"
        f"</wp:post_type><content:encoded><![CDATA[{body}]]></content:encoded></item>\n"
        for n, body in ((1, "<p>Fine.</p>"), (2, deep), (3, "<p>Also fine.</p>")))
    path = tmp_path / "export.xml"
    path.write_text('<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/" '
                    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>\n'
                    f"{items}</channel></rss>")
    export = read_export(path)
    assert [p.post_id for p in export.posts] == ["1", "3"]
    assert len(export.lost) == 1 and export.lost[0].line == 4
    assert "post 2 'Post 2' not imported: its HTML nests 400 elements deep" in (
        export.lost[0].message)
