"""Justified lines without gaps: hyphenate, or tighten, where a line would be loose.

WeasyPrint breaks a paragraph one line at a time and stretches only word spaces. Three things
keep its justified lines even, the way a single-line composer with a minimum word space does:
- the theme narrows the word space a little (print.css, `word-spacing: -0.06em`), so a line
  is filled with spaces at 70% of the font's and justification mostly stretches them back
  towards natural;
- a line is hyphenated whenever its spaces would otherwise stretch past `LOOSE` times the
  font's natural space, not only when it ends more than `hyphenate-limit-zone` short (a line
  of few long words needs the break at less). Hyphenation's own limits (word length, letters
  on each side, names and titles kept whole) still hold;
- where no word can be broken, the line's last run of text is set with spaces up to
  `TIGHTEN` em narrower when that takes one more word and leaves the line nearer natural
  spacing (never under `TIGHTEST` natural spaces), as a designer tracks a loose line in.
"""

from __future__ import annotations

from inspect import signature
from math import inf

from weasyprint.css.properties import Dimension
from weasyprint.layout import inline
from weasyprint.text.line_break import create_layout, line_size

from anthology.print import linebreak

LOOSE = 2.0  # a word space stretched past this many natural spaces is a gap readers see
TIGHTEN = 0.05  # em: how much narrower a loose line's spaces may be set to take a word more
TIGHTEST = 0.6  # natural spaces: no line is set tighter than this, justified

_ORIGINAL_SPLIT = inline.split_text_box
_spaces: dict[tuple, float] = {}
_zoneless: dict[int, tuple[object, object]] = {}
_tightened: dict[int, tuple[object, object]] = {}


def split_first_line(text, style, context, max_width, justification_spacing,
                     is_line_start=True, minimum=False):
    """The line `linebreak.split_first_line` makes; hyphenated (if a word allows it) when
    that line is justified and its spaces would stretch past `LOOSE` natural spaces."""
    result = linebreak.split_first_line(text, style, context, max_width,
                                        justification_spacing, is_line_start, minimum)
    if (result[2] is None or max_width is None or max_width == inf
            or style["hyphens"] != "auto" or style["text_align_all"] != "justify"):
        return result
    kept = text.encode()[:result[1]].decode().rstrip()
    gaps = kept.count(" ")
    if not gaps or kept.endswith(style["hyphenate_character"]):
        return result
    if not is_loose(style, (max_width - result[3]) / gaps):
        return result
    hyphenated = linebreak.split_first_line(text, _without_zone(style), context, max_width,
                                            justification_spacing, is_line_start, minimum)
    # Only a line that takes more of the text: WeasyPrint, asked to hyphenate a run of
    # letter-spaced small capitals, has been seen to keep the first word's first syllable.
    taken = hyphenated[2] if hyphenated[2] is not None else len(text.encode())
    return hyphenated if taken > result[2] else result


def split_text_box(context, box, available_width, skip, is_line_start=True):
    """WeasyPrint's split of a text box at a line's end; where that line would still be
    loose (no word to hyphenate), the same split with this box's word spaces up to `TIGHTEN`
    narrower, when that takes a word more and sets the line nearer its natural spacing. The
    fragment keeps the narrower style, so justification stretches what was measured."""
    result = _ORIGINAL_SPLIT(context, box, available_width, skip, is_line_start)
    new_box, resume = result[0], result[1]
    style = box.style
    if (new_box is None or resume is None or available_width is None
            or available_width == inf or style["hyphens"] != "auto"
            or style["text_align_all"] != "justify"):
        return result
    loose = _ratio(style, new_box, available_width)
    if loose is None or loose <= LOOSE:
        return result
    narrow = box.copy()
    narrow.style = _tightened_style(style)
    tight = _ORIGINAL_SPLIT(context, narrow, available_width, skip, is_line_start)
    if tight[0] is None or (tight[1] is not None and tight[1] <= resume):
        return result
    ratio = _ratio(narrow.style, tight[0], available_width, natural=_natural(style))
    if ratio is None or ratio < TIGHTEST or 1 / ratio >= loose:
        return result
    return tight


def _ratio(style, box, available_width: float, natural: float | None = None) -> float | None:
    """The word space of the line `box` ends, once justified, in natural spaces."""
    gaps = box.text.rstrip().count(" ")
    if not gaps:
        return None
    spaced = space_width(style) + (available_width - box.width) / gaps
    return spaced / (natural if natural is not None else _natural(style))


def _natural(style) -> float:
    spacing = style["word_spacing"] if style["word_spacing"] != "normal" else 0
    return space_width(style) - spacing


def _tightened_style(style):
    """A copy of `style` with word spaces `TIGHTEN` em narrower (kept per style)."""
    kept = _tightened.get(id(style))
    if kept is None or kept[0] is not style:
        if len(_tightened) > 4096:
            _tightened.clear()
        copy = style.copy()
        spacing = style["word_spacing"] if style["word_spacing"] != "normal" else 0
        copy["word_spacing"] = spacing - TIGHTEN * style["font_size"]
        kept = _tightened[id(style)] = (style, copy)
    return kept[1]


def is_loose(style, stretch: float) -> bool:
    """Whether a space of this style stretched by `stretch` (px) passes `LOOSE` natural
    spaces. The natural space is the font's own, before the theme's `word-spacing`."""
    space = space_width(style)
    spacing = style["word_spacing"] if style["word_spacing"] != "normal" else 0
    return space + stretch > LOOSE * (space - spacing)


def space_width(style) -> float:
    """A word space as this style sets it (the font's space and `word-spacing`), in px."""
    key = (tuple(style["font_family"]), style["font_size"], style["font_weight"],
           style["font_style"], style["font_stretch"], style["word_spacing"],
           style["letter_spacing"])
    if key not in _spaces:
        widths = []
        for sample in ("x x", "xx"):
            layout = create_layout(sample, style, None, inf, 0)  # kept alive: it owns the line
            widths.append(line_size(layout.get_first_line()[0], style)[0])
        _spaces[key] = widths[0] - widths[1]
    return _spaces[key]


def _without_zone(style):
    """A copy of `style` that hyphenates whatever the line's slack (kept per style: the
    layout of a chapter asks for the same few styles thousands of times)."""
    kept = _zoneless.get(id(style))
    if kept is None or kept[0] is not style:
        if len(_zoneless) > 4096:
            _zoneless.clear()
        copy = style.copy()
        copy["hyphenate_limit_zone"] = Dimension(0, "px")
        kept = _zoneless[id(style)] = (style, copy)
    return kept[1]


_SPLIT_PARAMETERS = ("context", "box", "available_width", "skip", "is_line_start")


def install() -> None:
    """Make WeasyPrint's inline layout (in this process) break lines through `linebreak`'s
    fix and this rule; only over the function they were written against."""
    linebreak.install()
    if inline.split_first_line is linebreak.split_first_line:
        inline.split_first_line = split_first_line
    if tuple(signature(_ORIGINAL_SPLIT).parameters) == _SPLIT_PARAMETERS:
        inline.split_text_box = split_text_box
