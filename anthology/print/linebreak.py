"""WeasyPrint's line breaking, mended where it tears paragraphs, and taught a composer's rules.

Tears: a line ends after one word mid-sentence and the paragraph goes on flush left, as if a
new one began. WeasyPrint's `split_first_line` (up to at least 70.0) trusts Pango's break,
then measures the line again and, finding it a hair wider than its width, takes it for one
that cannot be broken earlier (Kozea/WeasyPrint#325, #1614). Three causes, all mended here:
- a run of text ending in a space, or a no-break space (anthology.series.typeset binds a
  paragraph's short last word), before an inline element ("... three viewings <cite>").
  Pango lets the space hang past the line's end; WeasyPrint counts it and keeps one word.
  When what was kept is one word of a run that fits without its space, the run is laid out
  whole, and WeasyPrint narrows it again until Pango breaks it at its last real break;
- narrowed word spaces (the theme's negative `word-spacing`, which Pango gets as negative
  letter-spacing on each space): Pango drops the last space's spacing at the break, so the
  line measures a fraction of a pixel wider. WeasyPrint then hyphenates the next long word
  however far on ("right in 1960 and kept it banned for eight years, which meant that for
  most of my child-", 95 pt past the margin), or breaks before the run ("made" alone);
- letter-spacing (a paragraph set looser to fill a page, anthology.print.keeps): WeasyPrint
  adds it to the line Pango broke and keeps one word ("he" alone).
  Spaced text whose line overflows, or ends `SHORT` while more words follow (one word kept,
  or "Caligari built its night-" with the first long word broken), is broken again `SLACK`
  wider; Pango's break stands, taken as exactly as wide as the line.

The composer's rules: WeasyPrint hyphenates only where a line would end more than
`hyphenate-limit-zone` short, and justifies by stretching word spaces alone, so a line of few
long words gapes. A justified line whose spaces would stretch past `LOOSE` times the font's
own space is hyphenated whatever its slack, if a word allows it (hyphenation's limits, and
names and titles kept whole, still hold). Where none does, the line is set with its spaces up
to `TIGHTEN` em narrower when that takes one more word and leaves it, justified, nearer
natural spacing and no tighter than `TIGHTEST`: a compositor tracks a loose line in. And as
a compositor turns off "hyphenate capitalised words", no word beginning with a capital is
broken: a name the markup does not know ("Gott-/towt", "Scarbor-") stays whole.
"""

from __future__ import annotations

import unicodedata
from inspect import signature
from math import inf

from weasyprint.css.properties import Dimension
from weasyprint.layout import inline
from weasyprint.text.line_break import create_layout, line_size

LOOSE = 1.8  # natural spaces: a word space stretched past this is near a gap (preflight: 2)
TIGHTEN = 0.05  # em: how much narrower a loose line's spaces may be set to take a word more
TIGHTEST = 0.6  # natural spaces: no line is set tighter than this, justified

_COLLAPSING = {"normal", "nowrap", "pre-line"}  # white-space values whose spaces collapse
_ORIGINAL = inline.split_first_line
SLACK = 0.5  # px: how much wider than its line Pango may set spaced text, and be believed
SHORT = 0.75  # of its width: a line ending shorter, more words following, is suspect
_spaces: dict[tuple, float] = {}
_restyles: dict[tuple[int, str], tuple[object, object]] = {}
_ORIGINAL_SPLIT = inline.split_text_box


def split_first_line(text, style, context, max_width, justification_spacing,
                     is_line_start=True, minimum=False):
    """The line `mended` makes, never breaking a capitalised word (a name, as a compositor's
    "hyphenate capitalised words" is off); hyphenated (if a word allows it) when that line
    is justified and its spaces would stretch past `LOOSE` natural spaces."""
    result = mended(text, style, context, max_width, justification_spacing, is_line_start,
                    minimum)
    if _breaks_capital(text, result[2]):
        result = mended(text, _restyled(style, "hyphens", "manual"), context, max_width,
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
    hyphenated = mended(text, _restyled(style, "hyphenate_limit_zone", Dimension(0, "px")),
                        context, max_width, justification_spacing, is_line_start, minimum)
    if _breaks_capital(text, hyphenated[2]):
        return result
    # Only a line that takes more of the text: asked to hyphenate a run of letter-spaced
    # small capitals, WeasyPrint has been seen to keep the first word's first syllable.
    taken = hyphenated[2] if hyphenated[2] is not None else len(text.encode())
    return hyphenated if taken > result[2] else result


def _breaks_capital(text: str, resume: int | None) -> bool:
    """Whether a line ending at byte `resume` of `text` broke a word that begins with a
    capital letter (hyphenation is the only break between two letters)."""
    if resume is None:
        return False
    encoded = text.encode()
    before = encoded[:resume].decode(errors="ignore")
    after = encoded[resume:].decode(errors="ignore")
    if not (before[-1:].isalpha() and after[:1].isalpha()):
        return False
    word = before.split()[-1].lstrip("\"'‘“([") if before.split() else ""
    return word[:1].isupper()


def split_text_box(context, box, available_width, skip, is_line_start=True):
    """WeasyPrint's split of a text box at a line's end; where that line would still be
    loose, the same split with this box's word spaces up to `TIGHTEN` narrower, when that
    takes a word more and sets the line nearer its natural spacing. The fragment keeps the
    narrower style, so justification stretches what was measured."""
    result = _ORIGINAL_SPLIT(context, box, available_width, skip, is_line_start)
    new_box, resume = result[0], result[1]
    style = box.style
    # Only a box that starts its line: its spaces are all the line's, so the estimate of
    # the justified spacing below holds.
    if (new_box is None or resume is None or available_width is None or not is_line_start
            or available_width == inf or style["hyphens"] != "auto"
            or style["text_align_all"] != "justify"):
        return result
    loose = _ratio(style, new_box, available_width)
    if loose is None or loose <= LOOSE:
        return result
    narrow = box.copy()
    narrow.style = _tightened_style(style)
    tight = _ORIGINAL_SPLIT(context, narrow, available_width, skip, is_line_start)
    # A tightened line must still end before the box does: the box's last line may be its
    # paragraph's, which is not justified and would keep the narrowed spaces.
    if tight[0] is None or tight[1] is None or tight[1] <= resume:
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
    spaced = space_width(style) + max(available_width - box.width, 0) / gaps
    return spaced / (natural if natural is not None else _natural(style))


def _word_spacing(style) -> float:
    return style["word_spacing"] if style["word_spacing"] != "normal" else 0


def _natural(style) -> float:
    """The font's own space at this style's size, before the theme's `word-spacing`."""
    return space_width(style) - _word_spacing(style)


def _tightened_style(style):
    """A copy of `style` with word spaces `TIGHTEN` em narrower."""
    return _restyled(style, "word_spacing",
                     _word_spacing(style) - TIGHTEN * style["font_size"])


def is_loose(style, stretch: float) -> bool:
    """Whether a space of this style stretched by `stretch` (px) passes `LOOSE` natural
    spaces."""
    return space_width(style) + stretch > LOOSE * _natural(style)


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


def _restyled(style, name: str, value):
    """A copy of `style` with `name` set to `value` (kept per style: the layout of a chapter
    asks for the same few styles thousands of times)."""
    key = (id(style), name)
    kept = _restyles.get(key)
    if kept is None or kept[0] is not style:
        if len(_restyles) > 4096:
            _restyles.clear()
        copy = style.copy()
        copy[name] = value
        kept = _restyles[key] = (style, copy)
    return kept[1]


def mended(text, style, context, max_width, justification_spacing,
           is_line_start=True, minimum=False):
    """WeasyPrint's own, unless spaced text made it overflow the line or end it short: then
    Pango's break; or it kept a single word of a run that fits but for its trailing space
    (or no-break space): then the whole run."""
    result = _ORIGINAL(text, style, context, max_width, justification_spacing,
                       is_line_start, minimum)
    resume, length = result[2], result[1]
    if resume is None or max_width is None:
        return result
    overflows = result[3] > max_width
    if _spaced(style) and (overflows or _short_of_more(text, result[3], max_width, resume)):
        widened = _ORIGINAL(text, style, context, max_width + SLACK, justification_spacing,
                            is_line_start, minimum)
        gains = widened[2] is None or widened[2] > resume
        if widened[3] <= max_width + SLACK and (overflows or gains):
            # Pango's own break, taken as exactly as wide as the line: a fraction of a pixel
            # more would send WeasyPrint back to break before the run.
            return (*widened[:3], min(widened[3], max_width), *widened[4:])
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


def _spaced(style) -> bool:
    """Whether Pango sets this text with spacing of its own (narrowed word spaces or
    letter-spacing), which its line breaking and WeasyPrint's measure count differently."""
    letters = style["letter_spacing"] if style["letter_spacing"] != "normal" else 0
    return _word_spacing(style) < 0 or letters != 0


def _short_of_more(text: str, width: float, max_width: float, resume: int) -> bool:
    """Whether a line filled less than `SHORT` of its width while more words follow: one
    word kept, or the first long word hyphenated, where Pango's line was a hair too wide."""
    return width < SHORT * max_width and bool(text.encode()[resume:].strip())


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


_SPLIT_PARAMETERS = ("context", "box", "available_width", "skip", "is_line_start")


def install() -> None:
    """Make WeasyPrint's inline layout (in this process) break lines through the fixes and
    the composer's rules; only over the functions they were written against (another
    WeasyPrint keeps its own)."""
    if tuple(signature(_ORIGINAL).parameters) == _PARAMETERS:
        inline.split_first_line = split_first_line
    if tuple(signature(_ORIGINAL_SPLIT).parameters) == _SPLIT_PARAMETERS:
        inline.split_text_box = split_text_box
