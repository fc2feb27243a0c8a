"""Preflight's spine row: how close the cover's spine text comes to the folds, read back from
the PDF as the printer's preflight would.

Every glyph PDFium finds on the cover that reaches into the spine, or into the printer's
clearance either side of it, is spine text; its tight box (the ink's, not the font's line box)
gives its distance to each fold. The row fails when any glyph is nearer a fold than the printer
allows, or when the spine carries text the printer does not allow at all (anthology.print.spine's
rules); a spine with no text passes as "no spine text".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2

from anthology.editions import Profile
from anthology.preflight.findings import Finding
from anthology.print.geometry import POINTS, Panels
from anthology.print.spine import RULES

CHECK = "spine text clearance"


@dataclass(frozen=True)
class Clearance:
    """The spine's glyphs, and the least distance of any of them from the fold on the back's
    side and on the front's (inches; negative across the fold)."""

    glyphs: int
    back: float
    front: float

    @property
    def least(self) -> float:
        return min(self.back, self.front)


def measure(path: Path, wrap: Panels, reach: float) -> Clearance:
    """The glyphs on the cover at `path` (drawn to `wrap`) within `reach` inches of its spine."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        page = pdf[0]
        trim = page.get_trimbox()  # the trim's corner: the geometry's origin
        left = trim[0] + wrap.spine_box.left * POINTS
        right = left + wrap.spine_box.width * POINTS
        text = page.get_textpage()
        back, front, count = float("inf"), float("inf"), 0
        for index in range(text.count_chars()):
            if text.get_text_range(index, 1).isspace():
                continue
            x0, _, x1, _ = text.get_charbox(index)
            if x1 <= x0 or x1 < left - reach * POINTS or x0 > right + reach * POINTS:
                continue
            count += 1
            back, front = min(back, (x0 - left) / POINTS), min(front, (right - x1) / POINTS)
        text.close()
        page.close()
    finally:
        pdf.close()
    return Clearance(count, back, front)


def spine_row(path: Path, wrap: Panels, profile: Profile) -> Finding:
    """The spine text clearance of the cover at `path`, against `profile`'s printer's rule."""
    rule = RULES[profile]
    found = measure(path, wrap, rule.clearance)
    if not found.glyphs:
        return Finding.judged(CHECK, "no spine text", rule.limit, True)
    figure = (f"{found.least:.3f} in from the folds (back {found.back:.3f}, front "
              f"{found.front:.3f}), spine {wrap.spine:.3f} in")
    faults = []
    if not rule.allows(wrap.pages, wrap.spine):
        faults.append(f"text on a spine of {wrap.pages} pages, {wrap.spine:.3f} in: "
                      f"{rule.printer} allows none")
    if found.least < rule.clearance - 1e-4:
        faults.append(f"spine text {found.least:.3f} in from a fold")
    return Finding.judged(CHECK, figure, rule.limit, not faults, round(found.least, 4),
                          tuple(faults))
