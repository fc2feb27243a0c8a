"""A WeasyPrint line-breaking bug worked around: paragraphs torn after one word.

A run of text that ends in a space before an inline element ("... three viewings
<cite>Carnival of Souls</cite>") is broken into lines on its own. When what is left of it
fits the line only without that space (which collapses at a line's end anyway), Pango says
it fits but WeasyPrint's `split_first_line` (up to at least 70.0) measures the line with the
space, takes it to be an unbreakable overflow and keeps only its first word: "served." on a
line of its own, the rest of the sentence flush left on the next, as if a new paragraph. The
related reports are Kozea/WeasyPrint#325 (a break after the first word when the content is a
hair too wide) and #1614 (inline boxes treated as separate words). Our layouts call it
through `install()`: when a line of one word was made of a run ending in a space that fits
without it, the run is laid out whole, as WeasyPrint does with any run that fits.

A run ending in a no-break space (U+00A0, U+202F ...) before an inline element is torn the
same way, and more often: Pango lets any white space hang past a line's end, collapsible or
not, so the run "fits" while WeasyPrint measures it with its no-break space. anthology makes
such runs itself: anthology.series.typeset binds a paragraph's short last word to the one
before it ("seen it\u00a0coming."), and when that word is an inline element (<em>, or the
span of anthology.print.hyphens.protect) the run before it ends in the no-break space. When
the run and the element overflow the line, WeasyPrint lays the run out again 1 px narrower
than itself to find its last break, and was given one word: "jump" on a line of its own.
Laid out whole instead, the run still overflows with its element, and WeasyPrint narrows it
again until Pango breaks it at its last real break.
"""

from __future__ import annotations

import unicodedata
from inspect import signature
from math import inf

from weasyprint.layout import inline

_COLLAPSING = {"normal", "nowrap", "pre-line"}  # white-space values whose spaces collapse
_ORIGINAL = inline.split_first_line


def split_first_line(text, style, context, max_width, justification_spacing,
                     is_line_start=True, minimum=False):
    """WeasyPrint's own, unless it kept a single word of a run that fits but for its
    trailing space (or no-break space): then the whole run."""
    result = _ORIGINAL(text, style, context, max_width, justification_spacing,
                       is_line_start, minimum)
    resume, length = result[2], result[1]
    if resume is None or max_width is None:
        return result
    bare = _without_hanging_space(text, style["white_space"] in _COLLAPSING)
    if bare == text:
        return result
    if not bare or " " in text.encode()[:length].decode().strip():
        return result  # more than one word kept: an ordinary break
    fitted = _ORIGINAL(bare, style, context, max_width, justification_spacing,
                       is_line_start, minimum)
    if fitted[2] is not None or fitted[3] > max_width:
        return result  # it does not fit without its space either
    return _ORIGINAL(text, style, context, inf, justification_spacing, is_line_start, minimum)


def _without_hanging_space(text: str, collapsing: bool) -> str:
    """`text` without the white space at its end that Pango lets hang past a line's end:
    spaces where white space collapses, and no-break spaces (any space separator but U+0020)
    whatever `white-space` says."""
    end = len(text)
    while end and (collapsing if text[end - 1] == " "
                   else unicodedata.category(text[end - 1]) == "Zs"):
        end -= 1
    return text[:end]


_PARAMETERS = ("text", "style", "context", "max_width", "justification_spacing",
               "is_line_start", "minimum")


def install() -> None:
    """Make WeasyPrint's inline layout (in this process) break lines through the fix; only
    over the function it was written against (another WeasyPrint keeps its own)."""
    if tuple(signature(_ORIGINAL).parameters) == _PARAMETERS:
        inline.split_first_line = split_first_line
