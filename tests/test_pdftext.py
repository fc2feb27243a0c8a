"""Reading a PDF back as lines: text, size and place, from a page WeasyPrint laid out."""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint

from anthology.preflight.pdftext import read_pages

HTML = """<html lang="en"><style>@page { size: 5in 4in; margin: 0.5in; }
body { font-size: 10pt; line-height: 1.5; } h1 { font-size: 20pt; margin: 0; }
p { margin: 0; } .narrow { width: 0.5in; hyphens: manual; }</style>
<h1>A Heading</h1><p>Plain words, and then more words.</p>
<p class="narrow">lamp&shy;room</p><p>self-<br/>made</p>
<p style="break-before: page">Page two.</p></html>"""


def test_lines_carry_their_text_size_and_place(tmp_path: Path) -> None:
    path = tmp_path / "lines.pdf"
    weasyprint.HTML(string=HTML).write_pdf(path)
    seen = []
    pages = read_pages(path, lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]
    first = pages[0]
    assert (first.number, round(first.width), round(first.height)) == (1, 360, 288)
    texts = [line.text for line in first.lines]
    assert texts == ["A Heading", "Plain words, and then more words.", "lamp\u2010", "room",
                     "self-", "made"]
    heading, plain = first.lines[0], first.lines[1]
    assert heading.size == 20 and plain.size == 10
    assert heading.top < plain.top
    assert plain.x0 == pytest.approx(36 + 6, abs=1)  # the margin and the body's 8 px
    assert [line.text for line in pages[1].lines] == ["Page two."]
