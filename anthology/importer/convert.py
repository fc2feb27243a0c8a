"""HTML (a WordPress post body, or the content of a saved page) to Markdown, one block per line.

markdownify (a maintained converter) does the conversion; this module prepares its input the way
WordPress displays it (classic-editor paragraphs, `[caption]` shortcodes) and refuses HTML nested
too deep to convert, rather than letting the converter's recursion end in a traceback.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

# Real posts nest a few levels (a figure in a div in a blockquote); the converter recurses once
# per level and Python's stack ends near a thousand.
MAX_DEPTH = 100

_BLOCK_TAG = re.compile(r"<(?:p|div|h[1-6]|ul|ol|blockquote|figure|table|pre)[\s>]", re.IGNORECASE)
_CAPTION = re.compile(r"\[caption[^\]]*\](?P<inner>.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
_MEDIA_END = re.compile(r"^(?P<media>.*(?:<img[^>]*>|</a>))(?P<text>.*)$",
                        re.IGNORECASE | re.DOTALL)
_CARRIED = {"http", "https", "mailto"}
_BREAKS_LINK = {"(": "%28", ")": "%29", "<": "%3C", ">": "%3E", " ": "%20", "\t": "%09",
                "\n": "%0A", "\r": "%0D"}


class ConvertError(Exception):
    """HTML that cannot be converted; the message says why, in one line."""


def autop(html: str) -> str:
    """Paragraphs for classic-editor content, which WordPress stores without <p> tags and
    paragraphs only at display time (its `wpautop`)."""
    if _BLOCK_TAG.search(html):
        return html
    blocks = [b.strip() for b in re.split(r"\n\s*\n", html.replace("\r\n", "\n")) if b.strip()]
    return "".join(f"<p>{block.replace(chr(10), '<br />')}</p>\n" for block in blocks)


def _figure(match: re.Match[str]) -> str:
    """`[caption]<img/> text[/caption]` as a figure, so the caption is a line of its own."""
    inner = match["inner"]
    parts = _MEDIA_END.match(inner)
    if parts is None:
        return f"<p>{inner}</p>"
    return f"<figure>{parts['media']}<figcaption>{parts['text']}</figcaption></figure>"


def depth(soup: Tag) -> int:
    """How deep elements nest, counted without recursion."""
    deepest, stack = 0, [(soup, 0)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in node.children if isinstance(child, Tag))
    return deepest


def _whole_links(soup: Tag) -> None:
    """Links a book cannot carry (`javascript:void(0)`, a file of the site) are left out when
    the Markdown is read (`clean_markdown`, which reports them): write each so that Markdown
    reads it whole, or its ')' would be left in the text. Links a book carries keep their
    address as written."""
    for link in soup.find_all("a", href=True):
        href = str(link["href"]).strip()
        try:
            carried = href.startswith("#") or urlsplit(href).scheme.lower() in _CARRIED
        except ValueError:  # "http://[": no address a reader (or urlsplit) could read
            href, carried = href.replace("[", "%5B").replace("]", "%5D"), False
        if not carried:
            link["href"] = "".join(_BREAKS_LINK.get(c, c) for c in href)


def soup_to_markdown(soup: BeautifulSoup) -> str:
    """Parsed HTML as Markdown; a `ConvertError` when it nests deeper than `MAX_DEPTH`."""
    nesting = depth(soup)
    if nesting > MAX_DEPTH:
        raise ConvertError(f"its HTML nests {nesting} elements deep (at most {MAX_DEPTH} can be "
                           "converted); simplify the post's HTML")
    _whole_links(soup)
    converter = MarkdownConverter(heading_style="ATX", bullets="-", autolinks=False,
                                  escape_misc=False, strip=["iframe", "object", "embed", "form"])
    try:
        return converter.convert_soup(soup)
    except RecursionError:
        raise ConvertError("its HTML nests too deep to convert; simplify the post's HTML") from None


def html_to_markdown(html: str) -> str:
    """A post body as Markdown: one paragraph per block, captions and images on lines of
    their own, links kept with their addresses."""
    html = _CAPTION.sub(_figure, autop(html))
    return soup_to_markdown(BeautifulSoup(html, "html.parser"))
