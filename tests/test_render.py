import re
from pathlib import Path

import pytest

from anthology.print.pdf import BOOK_BASE
from anthology.render.carried import INTERNAL_BASE, uncarried
from anthology.render.documents import (
    FactGroup,
    fact_groups,
    isbn,
    opening,
    render_epub_documents,
    render_print_html,
)
from anthology.render.templates import shown_template
from anthology.series.book import FactLine
from anthology.series.pagemap import roman
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import PACKAGE_THEME, Theme, ThemeError
from anthology.workspace.volumes import load_workspace


def test_notes_join_the_fact_before_them() -> None:
    facts = [FactLine(None, "Lead note", None), FactLine("Screenplay", "A", "screenplay"),
             FactLine(None, "Based on B", None), FactLine("Stars", "C", "stars")]
    assert fact_groups(facts) == [
        FactGroup(None, None, ("Lead note",)),
        FactGroup("Screenplay", "screenplay", ("A", "Based on B")),
        FactGroup("Stars", "stars", ("C",)),
    ]


def test_small_helpers() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40, 1999)] == ["I", "IV", "IX", "XIV", "XL",
                                                           "MCMXCIX"]
    assert isbn("9780306406157") == "978-0-306-40615-7"


def book_for(workspace):
    problems = Problems()
    ws = load_workspace(workspace.root, problems)
    book = resolve_book(ws, ws.volumes[0], problems)
    assert not problems.errors
    return book


def test_epub_documents_in_reading_order(workspace) -> None:
    workspace.volume("v1", 'title = "T"\nauthor = "A"\ndate = 2026-01-01\n'
                           'dedication = "d.md"\nforeword = "f.md"\nafterword = "z.md"\n')
    for name in ("d.md", "f.md", "z.md"):
        workspace.write(f"volumes/v1/{name}", "Words.\n")
    workspace.review("a", appraisal=1)
    docs = render_epub_documents(book_for(workspace), Theme.for_workspace(workspace.root),
                                 ["css/book.css"])
    assert [d.kind for d in docs] == ["cover", "titlepage", "copyright", "dedication", "toc",
                                      "foreword", "chapter", "afterword"]
    for doc in docs:
        assert doc.xhtml.startswith('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>')
        assert 'xml:lang="en"' in doc.xhtml
        assert '<link rel="stylesheet" type="text/css" href="css/book.css"/>' in doc.xhtml
    toc = docs[4].xhtml
    assert 'epub:type="toc"' in toc and 'epub:type="landmarks"' in toc
    assert '<a href="ch-a.xhtml">A</a>' in toc


def test_print_html_links_inside_one_document(workspace) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1, related=["B"])
    workspace.review("b", appraisal=2)
    html = render_print_html(book_for(workspace), Theme.for_workspace(workspace.root)).html
    assert html.count('<section class="chapter"') == 2
    # The contents: the title apart from its page, for the leaders (print.css).
    assert '<a href="#ch-b"><span class="toc-title">B</span></a>' in html


def test_a_workspace_template_extends_one_block(workspace) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1, judgement="8/10")
    workspace.write("styles/templates/chapter.xhtml",
                    '{% extends "default/chapter.xhtml" %}'
                    "{% block judgement_label %}Verdict{% endblock %}")
    html = render_print_html(book_for(workspace), Theme.for_workspace(workspace.root)).html
    assert '<span class="judgement-label">Verdict:</span>' in html
    assert 'class="fact-box"' not in html  # no facts given; rest of default template intact
    assert ('<h1 class="chapter-title" id="ch-a--title"><span class="appraisal-number">'
            'Appraisal #1</span> <span class="title-text">A</span></h1>') in html


def test_opening_words_run_to_a_natural_point() -> None:
    assert opening("<p>I was eleven, and it rained.</p><p>Next.</p>") == \
        '<p><span class="opening">I was eleven,</span> and it rained.</p><p>Next.</p>'
    assert opening("<p>Some films frighten you with what they show.</p>") == \
        '<p><span class="opening">Some films frighten you</span> with what they show.</p>'
    assert opening("<p>One two three four five six seven eight nine ten.</p>") == \
        '<p><span class="opening">One two three four five six seven eight</span> nine ten.</p>'
    assert opening("<p>Short.</p>") == '<p><span class="opening">Short.</span></p>'
    # Italics among the opening words are taken in whole.
    assert opening("<p><em>Nosferatu</em> is old, and cold.</p>") == \
        '<p><span class="opening"><em>Nosferatu</em> is old,</span> and cold.</p>'
    assert opening("<p>Watching <cite>Vampyr</cite> again, late.</p>") == \
        '<p><span class="opening">Watching <cite>Vampyr</cite> again,</span> late.</p>'
    assert opening("<blockquote><p>x</p></blockquote>") == "<blockquote><p>x</p></blockquote>"
    assert opening("<p></p>") == "<p></p>"


@pytest.mark.parametrize(("markup", "where"), [
    ('<link rel="stylesheet" href="https://example.com/x.css"/>', "<link href>"),
    ('<link rel="stylesheet" href="//example.com/x.css"/>', "<link href>"),
    ('<img src="http://example.com/x.png" alt=""/>', "<img src>"),
    ('<img src="file:///etc/passwd" alt=""/>', "<img src>"),
    ('<img src="/etc/passwd" alt=""/>', "<img src>"),
    ('<img srcset="images/a.png 1x, https://example.com/b.png 2x" alt=""/>', "<img srcset>"),
    ('<script src="https://example.com/x.js"></script>', "<script>"),
    ("<script>alert(1)</script>", "<script>"),
    ('<a href="javascript:alert(1)">x</a>', "<a href>"),
    ('<a href="&#106;ava&#x09;script:alert(1)">x</a>', "<a href>"),
    ('<a href="file:///etc/passwd">x</a>', "<a href>"),
    ('<p onclick="alert(1)">x</p>', "<p onclick>"),
    ('<p style="background: url(https://example.com/p.png)">x</p>', "<p style> url()"),
    ('<p style="background: u\\72l(https://example.com/p.png)">x</p>', "<p style> url()"),
    ("<style>@import 'https://example.com/x.css';</style>", "<style> url()"),
    ('<base href="https://example.com/"/>', "<base href>"),
    ('<meta http-equiv="refresh" content="0;url=https://example.com/"/>', "<meta http-equiv>"),
    ('<svg><image xlink:href="https://example.com/x.png"/></svg>', "<image xlink:href>"),
    ('<object data="https://example.com/x.swf"></object>', "<object data>"),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "<iframe srcdoc>"),
])
def test_what_a_book_cannot_carry_is_found(markup: str, where: str) -> None:
    found = uncarried(f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{markup}</body></html>')
    assert [item.where for item in found] == [where]


def test_what_a_book_carries_passes() -> None:
    document = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
                '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/'
                '2007/ops"><head><link rel="stylesheet" href="css/book.css"/></head><body>'
                '<a href="ch-a.xhtml#x">a</a><a href="https://example.com/">web</a>'
                '<a href="mailto:a@example.com">mail</a><img src="images/a.png" alt=""/>'
                f'<img src="{INTERNAL_BASE}images/b.png" alt=""/><p data-ref="x:y">z</p>'
                '<img src="data:image/png;base64,AAAA" alt=""/><span class="onion">o</span>'
                '<blockquote cite="https://example.com/">q</blockquote></body></html>')
    assert uncarried(document) == []
    assert INTERNAL_BASE == BOOK_BASE  # the print edition's own images


def test_a_template_that_adds_a_remote_link_is_named(workspace) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1)
    default = (PACKAGE_THEME / "templates" / "epub-document.xhtml").read_text("utf-8")
    workspace.write("styles/templates/epub-document.xhtml", default.replace(
        "</head>", '<link rel="stylesheet" href="https://example.com/theme.css"/>\n</head>'))
    line = default.split("\n").index("</head>") + 1
    with pytest.raises(ThemeError) as caught:
        render_epub_documents(book_for(workspace), Theme.for_workspace(workspace.root), [])
    error = caught.value
    assert (error.path, error.line) == (
        workspace.root / "styles" / "templates" / "epub-document.xhtml", line)
    assert error.message == ("template error: it puts 'https://example.com/theme.css' in "
                             "<link href>, a file on the network: a book carries the files it "
                             "uses")


def test_a_web_link_in_a_template_is_kept(workspace) -> None:
    workspace.volume()
    workspace.review("a", appraisal=1)
    workspace.write("styles/templates/chapter.xhtml",
                    '{% extends "default/chapter.xhtml" %}{% block signature %}'
                    '<p><a href="https://example.com/">{{ chapter.author }}</a></p>'
                    "{% endblock %}")
    html = render_print_html(book_for(workspace), Theme.for_workspace(workspace.root)).html
    assert '<a href="https://example.com/">Jonah Whitlock</a>' in html


def test_a_package_template_is_named_as_a_workspace_extends_it() -> None:
    assert shown_template(str(PACKAGE_THEME / "templates" / "chapter.xhtml")) == \
        Path("default/chapter.xhtml")
    assert shown_template("/w/styles/templates/chapter.xhtml") == \
        Path("/w/styles/templates/chapter.xhtml")


def _details_book(workspace, language: str):
    workspace.volume("v1", f'title = "T"\nauthor = "A"\nlanguage = "{language}"\n'
                           'date = 2026-11-02\n')
    workspace.review("a", appraisal=1, facts=[
        {"Release Date": "August 11, 1960 (Italy)"},
        {"Screenplay": "Joseph Stefano"}, "Based on the novel \"Psycho\" by Robert Bloch",
        {"Original Title": "“Psycho!”"}, "A note"],
        jukebox=[{"artist": "Bauhaus", "song": "Bela Lugosi's Dead"}, "Air"])
    return book_for(workspace)


@pytest.mark.parametrize(("language", "published", "released"), [
    ("en-GB", "First published 2 November 2026", "11 August 1960 (Italy)"),
    ("en-US", "First published November 2, 2026", "August 11, 1960 (Italy)"),
])
def test_dates_titles_and_tracks_as_a_copy_editor_sets_them(workspace, language: str,
                                                            published: str,
                                                            released: str) -> None:
    book = _details_book(workspace, language)
    theme = Theme.for_workspace(workspace.root)
    printed = render_print_html(book, theme).html
    epub = "".join(d.xhtml for d in render_epub_documents(book, theme, []))
    for html in (printed, epub):
        assert published in html
        assert re.search(f"<dd[^>]*>{re.escape(released)}</dd>", html)
        assert "Based on the novel <cite>Psycho</cite> by Robert Bloch" in html
        # A title ending in "!" takes no hidden full stop before its note.
        assert re.search('<dd[^>]*><cite>Psycho!</cite><span class="fact-sep"(></span>|/>)', html)
        assert ('<span class="artist">Bauhaus</span>\u00a0– <span class="song">“Bela Lugosi’s '
                'Dead”</span>') in html
        assert '<span class="artist">Air</span></li>' in html
