from pathlib import Path

from PIL import Image

from anthology.series.markup import render_markdown, smarten
from anthology.workspace.problems import Problems


def render(text: str, root: Path, path: Path | None = None):
    problems = Problems()
    fragment = render_markdown(text, path or root / "r.md", 5, root, problems)
    return fragment, [p.format(root) for p in problems]


def test_smarten_plain_strings() -> None:
    assert smarten('It\'s "Dracula" -- by Stoker...') == "It’s “Dracula” – by Stoker…"
    assert smarten("M*A*S*H_1 [x] <b>") == "M*A*S*H_1 [x] <b>"
    assert smarten("1. Not a list") == "1. Not a list"
    # A quotation ending in "!" or "?" closes: the "!" was escaped and its quote then opened.
    assert smarten('the novel "Psycho!"') == "the novel “Psycho!”"
    assert smarten('"Stop!" she said') == "“Stop!” she said"
    assert smarten('![not](an image) "x"') == "![not](an image) “x”"
    assert smarten("- not a list") == "- not a list"
    assert smarten("Tom & Jerry") == "Tom & Jerry"


def test_markdown_becomes_xhtml_with_typography(tmp_path: Path) -> None:
    fragment, problems = render('He said "no" -- twice...\n\nLine  \nbreak & more', tmp_path)
    assert problems == []
    # No dash begins a line, and no short last word stands alone on one.
    assert "<p>He said “no”\u00a0–\u00a0twice…</p>" in fragment.xhtml
    assert "<br/>" in fragment.xhtml
    assert "&amp;\u00a0more" in fragment.xhtml


def test_raw_html_that_could_run_or_fetch_is_reported(tmp_path: Path) -> None:
    text = "Fine.\n\n<script>alert(1)</script>\n\n<iframe src='http://x'></iframe>\n"
    fragment, problems = render(text, tmp_path)
    assert problems == [
        "r.md:7: error: raw HTML <script> is not allowed in a review",
        "r.md:9: error: raw HTML <iframe> is not allowed in a review",
    ]
    assert "script" not in fragment.xhtml and "iframe" not in fragment.xhtml


def test_links(tmp_path: Path) -> None:
    fragment, problems = render(
        "[web](https://example.org) [bad](javascript:alert(1)) [file](other.md)", tmp_path)
    assert 'href="https://example.org"' in fragment.xhtml
    assert "javascript" not in fragment.xhtml
    assert len(problems) == 2


def test_images_must_be_local_real_and_described(tmp_path: Path) -> None:
    Image.new("RGB", (4, 3), "red").save(tmp_path / "still.png")
    (tmp_path / "fake.png").write_text("not an image")
    fragment, problems = render(
        "![A red still](still.png)\n\n![](still.png)\n\n![x](https://example.org/a.png)\n\n"
        "![x](../outside.png)\n\n![x](fake.png)\n", tmp_path)
    assert len(fragment.assets) == 2  # the same file twice, both kept in the text
    asset = fragment.assets[0]
    assert asset.media_type == "image/png"
    assert (asset.width, asset.height) == (4, 3)
    assert f'src="images/{asset.name}"' in fragment.xhtml
    assert problems == [
        "r.md:7: error: image 'still.png' needs alt text: ![what it shows](still.png) "
        "[image-alt]",
        "r.md:9: error: image 'https://example.org/a.png' is not a file in the project: "
        "remote images are never fetched; save it beside the review",
        "r.md:11: error: image '../outside.png' is outside the workspace (through '..' or a "
        "symbolic link)",
        "r.md:13: error: image 'fake.png' is not a PNG, JPEG or GIF image",
    ]


def test_essay_headings_sit_below_the_chapter(tmp_path: Path) -> None:
    fragment, _ = render("# Big\n\n## Smaller\n", tmp_path)
    assert "<h3>Big</h3>" in fragment.xhtml
    assert "<h3>Smaller</h3>" in fragment.xhtml


def test_tables_and_footnotes_are_carried_with_ids_unique_in_the_book(tmp_path: Path) -> None:
    problems = Problems()
    source = "Text[^1].\n\n[^1]: A note.\n\n| Year | Film |\n|---:|:---|\n| 1922 | Häxan |\n"
    fragment = render_markdown(source, tmp_path / "r.md", 5, tmp_path, problems, "ch-r")
    assert list(problems) == []
    xhtml = fragment.xhtml
    assert '<sup id="ch-r--fnref-1"><a class="footnote-ref" href="#ch-r--fn-1" ' \
           'role="doc-noteref">1</a></sup>' in xhtml
    assert '<li id="ch-r--fn-1">' in xhtml and 'href="#ch-r--fnref-1"' in xhtml
    assert '<section class="footnotes" role="doc-endnotes"' in xhtml and "<hr" not in xhtml
    assert '<th class="align-right">Year</th>' in xhtml and "style=" not in xhtml


def test_what_cannot_be_carried_is_said(tmp_path: Path) -> None:
    Image.new("RGB", (4, 3), "red").save(tmp_path / "still.png")
    fragment, problems = render(
        '<img src="still.png" alt="A still" srcset="big.png 2x">\n\n'
        '<span style="background: url(x)">Styled</span>\n\n'
        '<!DOCTYPE x [<!ENTITY e "boom">]>\n\n[Nowhere](#gone)\n', tmp_path)
    assert problems == [
        "r.md:5: warning: attribute 'srcset' of <img> is not carried into the book: it was "
        "left out",
        "r.md:7: warning: attribute 'style' of <span> is not carried into the book: it was "
        "left out",
        "r.md:9: warning: '<!DOCTYPE' is not carried into the book: declarations and "
        "entities are never read",
        "r.md:9: warning: '<!ENTITY' is not carried into the book: declarations and "
        "entities are never read",
        "r.md:11: error: link '#gone' points to no place in the book: link other reviews "
        "through 'related'",
    ]
    assert "Styled" in fragment.xhtml


def test_nesting_and_size_limits(tmp_path: Path) -> None:
    for text, message in [
        ("> " * 200 + "deep\n", "r.md:5: error: block quotes or lists nested more than 16 deep"),
        ("<span>" * 300 + "x" + "</span>" * 300, "r.md:5: error: HTML nested more than 64"),
        ("word " * 12_000, "r.md:5: error: paragraph is longer than 50,000 characters"),
    ]:
        fragment, problems = render(text, tmp_path)
        assert fragment.xhtml == "" and len(problems) == 1
        assert problems[0].startswith(message), problems


def test_damaged_or_enormous_images_are_refused(tmp_path: Path) -> None:
    import io

    import weasyprint  # noqa: F401  (it relaxes Pillow for the whole process)

    good = io.BytesIO()
    Image.new("RGB", (60, 40), "red").save(good, "PNG")
    (tmp_path / "cut.png").write_bytes(good.getvalue()[:-30])
    jpeg = io.BytesIO()
    Image.new("RGB", (300, 300), "blue").save(jpeg, "JPEG")
    (tmp_path / "cut.jpg").write_bytes(jpeg.getvalue()[: len(jpeg.getvalue()) // 2])
    Image.new("1", (8000, 8000)).save(tmp_path / "huge.png")
    fragment, problems = render("![a](cut.png)\n\n![b](cut.jpg)\n\n![c](huge.png)\n\n"
                                "![d](x%00.png)\n", tmp_path)
    assert fragment.assets == ()
    assert problems == [
        "r.md:5: error: image 'cut.png' is damaged or cut short",
        "r.md:7: error: image 'cut.jpg' is damaged or cut short",
        "r.md:9: error: image 'huge.png' is 8000 x 8000 pixels; the limit is 50 million pixels",
        "r.md:11: error: image 'x%00.png' has a NUL character in its name",
    ]


def test_attributes_are_allowed_per_element_and_their_values_checked(tmp_path: Path) -> None:
    """Issue 20: what a source could once put into an EPUB that fails epubcheck."""
    fragment, problems = render(
        'A <span href="javascript:alert(1)">span</span>.\n\n'
        '<p src="https://example.org/x.png">P</p>\n\n'
        '<p dir="bogus">D</p>\n\n'
        'Said <span lang="!!">this</span>.\n\n'
        '<p start="3">S</p>\n\n'
        '<ol start="99999999999"><li>One</li></ol>\n\n'
        '<table><tr><td colspan="1000000" rowspan="2">Wide</td></tr></table>\n', tmp_path)
    assert problems == [
        "r.md:5: error: attribute 'href' of <span> is not allowed: only <a> carries an "
        "address",
        "r.md:7: error: attribute 'src' of <p> is not allowed: only <img> carries an address",
        'r.md:9: error: <p dir="bogus">: not a direction: write ltr, rtl or auto',
        "r.md:11: error: <span lang=\"!!\">: not a language tag such as 'en' or 'en-GB'",
        "r.md:13: warning: attribute 'start' of <p> is not carried into the book: it was "
        "left out",
        "r.md:15: error: <ol start=\"99999999999\">: a list's start must be a whole number "
        "from -1,000,000 to 1,000,000",
        'r.md:17: error: <td colspan="1000000">: a cell\'s colspan must be a whole number '
        "from 1 to 100",
    ]
    for gone in ("href=", "src=", "dir=", "lang=", "start=", "colspan="):
        assert gone not in fragment.xhtml


def test_valid_attributes_are_kept_as_written(tmp_path: Path) -> None:
    text = ('<p dir="rtl" lang="he" class="verse" title="A line">Line</p>\n\n'
            '3. three\n4. four\n\n'
            '<table><tr><td colspan="2" rowspan="1">Both</td></tr></table>\n')
    fragment, problems = render(text, tmp_path)
    assert problems == []
    assert '<p dir="rtl" lang="he" class="verse" title="A line">Line</p>' in fragment.xhtml
    assert '<ol start="3">' in fragment.xhtml
    assert '<td colspan="2" rowspan="1">Both</td>' in fragment.xhtml


def test_the_sanitiser_backstop_reports_what_the_cleaner_let_through() -> None:
    """nh3 checks the cleaned fragment again; anything it would change is reported."""
    import lxml.html

    from anthology.series import sanitise

    def run(html: str):
        return sanitise.backstop(lxml.html.fragment_fromstring(html, create_parent="div"))

    assert run('<p>A <a href="https://example.org">link</a> and a note<sup id="ch-a--fnref-1">'
               '<a href="#ch-a--fn-1" role="doc-noteref">1</a></sup>.</p>') == (None, "")
    change, xhtml = run('<p>A <a href="javascript:x()" role="doc-noteref">b</a></p>')
    assert change == sanitise.Change("a", "attribute 'href' of <a> cannot be carried into "
                                          "an EPUB")
    assert xhtml == '<p>A <a role="doc-noteref">b</a></p>'
    change, _ = run('<p><sup id="1 2">x</sup><img src="../../etc/x.png" alt="x"/></p>')
    assert change is not None and change.message.startswith("attribute 'id' of <sup>")
    change, xhtml = run("<p>Text<object data='x'>inside</object></p>")
    assert change == sanitise.Change("object", "<object> is not allowed here")
    assert xhtml == "<p>Textinside</p>"


def test_an_address_no_parser_can_read_is_reported_not_a_traceback(tmp_path: Path) -> None:
    fragment, problems = render("[x](http://[bad) and ![z](http://[q)\n", tmp_path)
    assert problems == [
        "r.md:5: error: image 'http://[q' is not a file in the project: remote images are "
        "never fetched; save it beside the review",
        "r.md:5: error: link 'http://[bad' is not an address a reader can open",
    ]
    assert "[" not in fragment.xhtml
