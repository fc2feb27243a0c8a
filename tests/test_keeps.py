"""Openers and verdicts that carry their essay (anthology.print.keeps), on small documents
laid out by WeasyPrint with the theme's classes, and read back with preflight's checks."""

from __future__ import annotations

import random
from pathlib import Path
from xml.etree import ElementTree

import weasyprint

from anthology.preflight import run as press
from anthology.preflight.pdftext import read_pages
from anthology.preflight.typesetting import Part
from anthology.print import keeps
from tests.test_preflight import FONT, SENTENCES, _prose

PART = Part("chapter", "The Lighthouse Keeper", "Ada Marlow", "8/10")
CSS = (f"@font-face {{ font-family: Body; src: url({FONT.as_uri()}); }} "
       "@page { size: 6in 9in; margin: 0.9in; } "
       "body { font-family: Body; font-size: 12pt; line-height: 1.35; } "
       "p { margin: 0; text-align: justify; text-indent: 1.2em; orphans: 3; widows: 3; } "
       "h1 { font-size: 18pt; text-align: center; font-weight: normal; } "
       ".fact-box, .jukebox { font-size: 10pt; margin-bottom: 1em; } "
       ".fact { break-inside: avoid; } dt { float: left; width: 8em; } dd { margin-left: 9em; } "
       ".opener-compact .facts, .opener-compact .fact, .opener-compact dt, "
       ".opener-compact dd { display: inline; float: none; margin: 0; } "
       ".judgement, .signature { text-align: center; text-indent: 0; margin-top: 1em; "
       "break-before: avoid; } .judgement { break-inside: avoid; } "
       ".judgement::before { content: '\\2766'; display: block; }")


def chapter(facts: int, tracks: int, essay: str) -> str:
    box = "".join(f"<div class='fact'><dt>Label {n}</dt><dd>a value of the fact box, set "
                  f"small</dd></div>" for n in range(facts))
    songs = "".join(f"<li>Artist {n} \u2013 \u201cA Song\u201d</li>" for n in range(tracks))
    return (f"<section class='chapter'><header class='chapter-head'><h1>{PART.title}</h1>"
            f"</header><section class='fact-box'><dl class='facts'>{box}</dl></section>"
            f"<section class='jukebox'><ol>{songs}</ol></section>"
            f"<div class='essay'>{essay}</div>"
            "<p class='judgement'>Judgement: 8/10</p><p class='signature'>Ada Marlow</p>"
            "</section>")


def lay_out(tmp_path: Path, body: str, css: str = CSS) -> tuple[Path, weasyprint.HTML]:
    html = weasyprint.HTML(string=f"<html lang='en'><body>{body}</body></html>")
    sheet = weasyprint.CSS(string=css)
    document = keeps.lay_out(html, lambda: html.render(stylesheets=[sheet]))
    path = tmp_path / "book.pdf"
    document.write_pdf(path)
    return path, html


def checks(path: Path) -> dict[str, object]:
    pages = read_pages(path)
    return {f.check: f for f in press.text_checks([PART], pages)}


def _classes(html: weasyprint.HTML, name: str) -> list[str]:
    return [(e.get("class") or "") for e in html.etree_element.iter() if e.get("class")
            and name in e.get("class").split()]


def test_a_full_opener_sends_its_jukebox_beside_the_verdict(tmp_path: Path) -> None:
    """Facts and a jukebox that leave no room for the essay: the jukebox moves after the
    signature, and the opener carries the essay's first lines."""
    essay = "".join(f"<p>{_prose(4)}</p>" for _ in range(6))
    path, html = lay_out(tmp_path, chapter(facts=24, tracks=8, essay=essay))
    found = checks(path)
    assert found["openers with essay text"].status.value == "pass", found
    section = next(html.etree_element.iter("section"))
    order = [(c.get("class") or c.tag) for c in section]
    assert order.index("jukebox") == order.index("signature") + 1
    assert "opener-compact" not in (section.get("class") or "")


def test_a_fact_box_that_fills_the_page_is_run_in(tmp_path: Path) -> None:
    essay = "".join(f"<p>{_prose(4)}</p>" for _ in range(6))
    path, html = lay_out(tmp_path, chapter(facts=40, tracks=3, essay=essay))
    assert checks(path)["openers with essay text"].status.value == "pass"
    assert _classes(html, "opener-compact")


def test_a_verdict_after_a_one_line_paragraph_takes_three_lines_along(tmp_path: Path) -> None:
    """A last paragraph of one line at a page's top would go overleaf alone with the
    verdict; kept from starting the page, it brings the paragraph before it."""
    words = [f"w{n:03d}" for n in range(560)]
    for extra in range(0, 120, 6):  # find the length that sets the last line at a page's top
        essay = f"<p>{' '.join(words[:440 + extra])}</p><p>{SENTENCES[1][:40]}</p>"
        body = chapter(facts=2, tracks=1, essay=essay)
        plain = weasyprint.HTML(string=f"<html lang='en'><body>{body}</body></html>")
        document = plain.render(stylesheets=[weasyprint.CSS(string=CSS)])
        if len(document.pages) > 1 and keeps.survey(document)[0].essay.get(
                len(document.pages) - 1, 0) < keeps.ESSAY_LINES:
            break
    else:
        raise AssertionError("no essay length strands the verdict")
    path, html = lay_out(tmp_path, body)
    assert checks(path)["verdicts with essay"].status.value == "pass"
    kept = [e for e in html.etree_element.iter("p") if keeps.KEEP in (e.get("style") or "")]
    assert kept


def test_a_theme_without_the_classes_is_laid_out_once(tmp_path: Path) -> None:
    calls = []
    html = weasyprint.HTML(string="<html lang='en'><body><h1>A</h1><p>text</p></body></html>")

    def render() -> weasyprint.Document:
        calls.append(1)
        return html.render(stylesheets=[weasyprint.CSS(string=CSS)])

    keeps.lay_out(html, render)
    assert len(calls) == 1


def _uneven(document: weasyprint.Document) -> list[int]:
    """The left-hand pages inside the chapter whose spread ends on two baselines."""
    chapter = keeps.survey(document)[0]
    last = max(chapter.feet)
    return [left for left in sorted(chapter.lefts)
            if chapter.opener < left and left + 1 < last
            and abs(chapter.feet[left] - chapter.feet[left + 1]) >= chapter.leading / 3]


def test_facing_pages_are_made_to_end_on_one_baseline() -> None:
    """Paragraphs of many lengths under `orphans: 3; widows: 3` leave some pages a line or
    two short. Laid out through keeps, eight such chapters of five to seven pages keep at
    most a quarter of their uneven spreads (one, measured)."""
    sheet = weasyprint.CSS(string=CSS)
    before = after = relaxed = 0
    for seed in range(8):
        rng = random.Random(seed)
        essay = "".join(f"<p>{_prose(rng.randint(1, 5))}</p>" for _ in range(16))
        body = f"<html lang='en'><body>{chapter(facts=3, tracks=2, essay=essay)}</body></html>"
        plain = weasyprint.HTML(string=body)
        before += len(_uneven(plain.render(stylesheets=[sheet])))
        html = weasyprint.HTML(string=body)
        after += len(_uneven(keeps.lay_out(html, lambda h=html: h.render(stylesheets=[sheet]))))
        relaxed += sum("widows: " in (e.get("style") or "") for e in html.etree_element.iter())
    assert before >= 6, "the fixture's chapters should start with uneven spreads"
    assert after <= before // 4, (before, after)
    assert relaxed


def test_a_short_page_is_filled_by_setting_a_paragraph_ending_there_looser() -> None:
    """The paragraph whose last line is fullest makes a line more with the least tracking;
    one set looser already, one too short or one needing more than `LOOSEN` is left alone."""
    found = keeps._Chapter(ElementTree.Element("section"))
    full, half, elsewhere, short = (ElementTree.Element("p") for _ in range(4))
    for element, lines, page, fill in ((full, 8, 5, 0.90), (half, 6, 5, 0.50),
                                       (elsewhere, 10, 6, 0.95), (short, 2, 5, 0.99)):
        found.paragraphs[id(element)] = keeps._Paragraph(element, lines, page, fill)
    assert keeps._loosen(found, 5, 2) == 1
    assert full.get("style") == "letter-spacing: 0.009em"  # 0.42 em x 0.15 of a line / 7
    assert half.get("style") is None and short.get("style") is None
    assert elsewhere.get("style") is None
    assert keeps._loosen(found, 5, 1) == 0  # the full one is loose already; half needs 0.046
