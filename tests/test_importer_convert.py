"""HTML to Markdown for imported posts and pages: blocks on lines of their own, scripts gone,
and HTML nested too deep refused in one line rather than a traceback."""

from __future__ import annotations

import pytest

from anthology.importer.convert import MAX_DEPTH, ConvertError, autop, html_to_markdown
from anthology.importer.recognise import recognise


def test_html_to_markdown_keeps_paragraphs_and_line_breaks() -> None:
    assert autop("One\n\nTwo\nthree") == "<p>One</p>\n<p>Two<br />three</p>\n"
    markdown = html_to_markdown("<p>Director: A<br />Stars: B</p><p>An <em>essay</em>.</p>"
                                "<script>alert(1)</script><iframe src='https://x'></iframe>")
    lines = [line.strip() for line in markdown.split("\n") if line.strip()]
    assert lines == ["Director: A", "Stars: B", "An *essay*."]


def test_html_as_deep_as_the_limit_converts() -> None:
    html = "<div>" * (MAX_DEPTH - 1) + "<p>Deep words.</p>" + "</div>" * (MAX_DEPTH - 1)
    assert html_to_markdown(html).strip() == "Deep words."


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 5000])
def test_html_nested_past_the_limit_is_one_line(depth: int) -> None:
    with pytest.raises(ConvertError) as caught:
        html_to_markdown("<blockquote>" * depth + "x")
    assert "\n" not in str(caught.value) and f"at most {MAX_DEPTH}" in str(caught.value)


POST = ("<p>Velvet Lantern’s Appraisal #288</p>"
        "<p><strong>Director:</strong> David Lynch<br /><strong>Run-time:</strong> 89 minutes</p>"
        "<p>Some films you watch and some you survive. See the "
        '<a href="javascript:void(0)">gallery</a>, the <a href="/about/">people</a> and '
        '<a href="https://en.wikipedia.org/wiki/Eraserhead_(film)">the article</a>.</p>'
        "<p>Velvet Lantern’s Judgement: 8/10</p>")


def test_a_link_a_book_cannot_carry_keeps_its_words_and_is_reported() -> None:
    """Issue 20: `<a href="javascript:void(0)">gallery</a>` once became "gallery)", unreported."""
    result = recognise("Eraserhead (1977)\n\n" + html_to_markdown(POST), markdown=True)
    assert result.review is not None
    assert result.review.essay == (
        "Some films you watch and some you survive. See the gallery, the people and "
        "[the article](https://en.wikipedia.org/wiki/Eraserhead_(film)).",)
    assert [n.message for n in result.notices] == [
        "link 'javascript:void(0)' on 'gallery' cannot be followed from a book: the words "
        "were kept, the link left out",
        "link '/about/' on 'people' cannot be followed from a book: the words were kept, the "
        "link left out",
    ]


def test_an_address_no_parser_can_read_is_no_traceback() -> None:
    markdown = html_to_markdown('<p>A <a href="http://[bad">broken link</a> here.</p>')
    assert markdown.strip() == "A [broken link](http://%5Bbad) here."
    assert recognise("Title (1977)\n\n" + markdown, markdown=True) is not None
