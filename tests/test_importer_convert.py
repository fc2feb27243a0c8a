"""HTML to Markdown for imported posts and pages: blocks on lines of their own, scripts gone,
and HTML nested too deep refused in one line rather than a traceback."""

from __future__ import annotations

import pytest

from anthology.importer.convert import MAX_DEPTH, ConvertError, autop, html_to_markdown


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
