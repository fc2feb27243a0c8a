from anthology.render.documents import (
    FactGroup,
    fact_groups,
    isbn,
    opening,
    render_epub_documents,
    render_print_html,
)
from anthology.series.book import FactLine
from anthology.series.pagemap import roman
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
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
    assert '<a href="#ch-b">B</a>' in html


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
