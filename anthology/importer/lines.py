"""The lines of a page: numbered, tidied for recognition, and as Markdown for the essay."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
MD_IMAGE = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)|!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<href>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
# Escaped marks ("poster\_art") are characters, not emphasis.
_MD_EMPHASIS = re.compile(r"(?<!\\)(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)(?<!\\)\1")
_LINK_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Line:
    """One non-blank line: its number, its text for recognition and its Markdown for the essay.

    `block` numbers runs of lines with no blank line between them: a paragraph hard-wrapped over
    several lines is one block.
    """

    number: int
    raw: str
    text: str
    markdown: str
    block: int


def tidy(text: str) -> str:
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def plain_text(markdown: str) -> str:
    """The words of a Markdown line, for recognition: no links, emphasis, headings or escapes."""
    text = MD_IMAGE.sub("", markdown)
    text = _MD_LINK.sub(lambda m: m["text"], text)
    text = re.sub(r"^\s*(?:#{1,6}\s+|>\s?)", "", text)
    text = _MD_EMPHASIS.sub(lambda m: m[2], text)
    text = _MD_EMPHASIS.sub(lambda m: m[2], text)
    return tidy(_MD_ESCAPE.sub(r"\1", text))


_BLOCK_START = re.compile(r"^(#{1,6}\s|>|[-+*]\s|=+$|-+$)")
_ORDERED_START = re.compile(r"^(\d+)\.(\s)")


def text_to_markdown(text: str) -> str:
    """A plain-text paragraph as Markdown that renders the same words (a censored "s**t" stays
    asterisks; a paragraph opening "1995. " stays a paragraph, not a list)."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([`*_])", r"\\\1", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    text = _ORDERED_START.sub(r"\1\\.\2", text)
    return "\\" + text if _BLOCK_START.match(text) else _no_fence(text)


def _no_fence(markdown: str) -> str:
    """A paragraph opening with ':::' would read as a guest-essay fence; an entity keeps it."""
    return "&#58;" + markdown[1:] if markdown.startswith(":::") else markdown


def clean_markdown(markdown: str) -> str:
    """A converted Markdown line made safe for a book: no remote images, no relative links
    (which would point at files), no raw HTML tags."""
    text = MD_IMAGE.sub("", markdown)

    def link(match: re.Match[str]) -> str:
        href = match["href"]
        if href.startswith("#") or urlsplit(href).scheme.lower() in _LINK_SCHEMES:
            return match[0]
        return match["text"]

    text = _MD_LINK.sub(link, text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    return _no_fence(tidy(text))


def split_lines(text: str, markdown: bool) -> list[Line]:
    """Number the non-blank lines of a page; `markdown` says the page is Markdown already."""
    lines: list[Line] = []
    block, gap = 0, True
    for number, raw in enumerate(text.split("\n"), start=1):
        if not tidy(raw) or (markdown and not plain_text(raw) and not MD_IMAGE.search(raw)):
            gap = True
            continue
        if gap and lines:
            block += 1
        gap = False
        if markdown:
            lines.append(Line(number, raw, plain_text(raw), clean_markdown(raw), block))
        else:
            lines.append(Line(number, raw, tidy(raw), text_to_markdown(tidy(raw)), block))
    return lines
