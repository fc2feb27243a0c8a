"""Line-breaking care both editions share, applied to converted text: no dash at the start of
a line, and no paragraph ending in one short word alone."""

from __future__ import annotations

import re

import lxml.html

NBSP = "\u00a0"
_SPACED_DASH = re.compile(r" ([\u2013\u2014])")
RUNT = 7  # a paragraph's last word this short (with its punctuation) is kept with the one before


def typeset(container: lxml.html.HtmlElement) -> None:
    """Line-breaking care both editions share: a dash never begins a line (a no-break space
    before it), and a paragraph does not end in one short word alone on its last line."""
    for element in container.iter():
        if not isinstance(element.tag, str):
            continue
        if element.text:
            element.text = _SPACED_DASH.sub(NBSP + r"\1", element.text)
        if element.tail:
            element.tail = _SPACED_DASH.sub(NBSP + r"\1", element.tail)
    for paragraph in container.iter("p"):
        # Where text stands, in order: the paragraph's own, then after each element in it.
        slots = [(paragraph, "text")] + [(node, "tail") for node in paragraph.iterdescendants()
                                         if isinstance(node.tag, str)]
        after = 0
        for node, slot in reversed(slots):
            text = getattr(node, slot) or ""
            last = max(text.rfind(" "), text.rfind("\n"))
            if last < 0:
                after += len(text)
                if slot == "tail":
                    after += len("".join(node.itertext()))
                continue
            if after + len(text) - last - 1 <= RUNT:
                setattr(node, slot, text[:last] + NBSP + text[last + 1:])
            break
