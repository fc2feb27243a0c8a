"""The EPUB's stylesheets leave the reader in charge: their font size, line height, colours
(night mode) and margins. Checked rule by rule on every stylesheet an EPUB may carry."""

from __future__ import annotations

import re

import pytest
import tinycss2

from anthology.render.documents import EPUB_STYLESHEETS, FONT_STYLESHEET
from anthology.workspace.theme import PACKAGE_THEME
from tests.conftest import REPO

SHEETS = [PACKAGE_THEME / "css" / n for n in (*EPUB_STYLESHEETS, FONT_STYLESHEET, "fonts.css")]
SHEETS.append(REPO / "styles" / "css" / "local.css")
BODY_TEXT = {"html", "body", "p", "div", "section", ".essay", ".essay p", "li", "dd", "dt"}
FIXED_UNITS = re.compile(r"^-?\d*\.?\d+(px|pt|pc|in|cm|mm)$")


def declarations(path):
    """(selector, property, value) for every declaration, inside @media blocks too."""
    def walk(rules):
        for rule in rules:
            if rule.type == "qualified-rule":
                selector = tinycss2.serialize(rule.prelude).strip()
                for decl in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True,
                                                            skip_comments=True):
                    if decl.type == "declaration":
                        yield selector, decl.lower_name, tinycss2.serialize(decl.value).strip()
            elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content:
                yield from walk(tinycss2.parse_rule_list(rule.content, skip_whitespace=True,
                                                         skip_comments=True))
    return list(walk(tinycss2.parse_stylesheet(path.read_text(), skip_whitespace=True,
                                               skip_comments=True)))


@pytest.mark.parametrize("sheet", SHEETS, ids=[p.name for p in SHEETS])
def test_epub_css_respects_the_reader(sheet) -> None:
    for selector, name, value in declarations(sheet):
        where = f"{sheet.name}: {selector} {{ {name}: {value} }}"
        selectors = {s.strip() for s in selector.split(",")}
        assert name != "position" or value not in ("absolute", "fixed"), where
        assert name not in ("color", "background", "background-color") \
            or value in ("inherit", "currentColor", "transparent"), where
        if name == "font-size":
            assert not FIXED_UNITS.match(value), where
            assert not selectors & BODY_TEXT, where
        if name == "line-height":
            assert not selectors & BODY_TEXT, where
        if name.startswith(("margin", "padding")) or name in ("width", "text-indent"):
            for part in value.split():
                assert not FIXED_UNITS.match(part), where


def test_the_checker_catches_a_bad_rule(tmp_path) -> None:
    bad = tmp_path / "bad.css"
    bad.write_text("body { font-size: 12pt; color: #333; }")
    with pytest.raises(AssertionError):
        test_epub_css_respects_the_reader(bad)
