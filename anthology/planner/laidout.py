"""Real page counts, where a build has laid a chapter out: the piece cache's records.

A build keeps each laid-out chapter in build/.cache/pieces with a record of its anchors, page
by page (anthology.print.cache). This reads those records, never writes them: the first
anchor names the chapter, the page count is the record's, the chapter's left edge on its
first (right-hand) page gives the inside margin and the PDF's page box the trim, so a count
is used only at the geometry it was laid out at. A record older than the review's source (or
than the workspace's styles/) may describe text since rewritten, and is left alone.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from anthology.print.geometry import POINTS, PageGeometry
from anthology.series.resolve import CHAPTER_PREFIX

PIECES = Path("build") / ".cache" / "pieces"
CSS_PX = 96  # anchor positions are in CSS pixels
RECORD_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Record:
    pages: int
    inside: float  # inches: where the part's first page sets its text
    written: float  # the record's modification time
    key: str = ""  # the cache entry's name
    pdf: Path | None = None  # the laid-out piece, whose page box gives the trim


@functools.lru_cache(maxsize=4096)
def page_size(pdf: Path) -> tuple[float, float] | None:
    """The first page's MediaBox in inches (opened only for a record that passed the cheaper
    checks: a cache holds thousands)."""
    try:
        with pikepdf.open(pdf) as opened:
            box = [float(v) for v in opened.pages[0].mediabox]
    except (OSError, ValueError, IndexError, pikepdf.PdfError):
        return None
    return round((box[2] - box[0]) / POINTS, 3), round((box[3] - box[1]) / POINTS, 3)


def laid_out(root: Path) -> dict[str, tuple[Record, ...]]:
    """Every record in the workspace's piece cache, by the id of the part it holds (a
    chapter's "ch-<slug>", an appendix's "index-films"); an unreadable record is skipped,
    never an error."""
    folder = root / PIECES
    found: dict[str, list[Record]] = defaultdict(list)
    if not folder.is_dir():
        return {}
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith(("used-", "refs-", "series-")) or path.is_symlink():
            continue
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError, IndexError,
                                 RecursionError):
            if path.stat().st_size > RECORD_BYTES:
                continue
            anchors = json.loads(path.read_text(encoding="utf-8"))["anchors"]
            name, x, _ = anchors[0][0]
            if not isinstance(name, str):
                continue
            found[name].append(Record(len(anchors), float(x) / CSS_PX, path.stat().st_mtime,
                                      path.stem, path.with_suffix(".pdf")))
    return {part: tuple(records) for part, records in found.items()}


def known_pages(records: Mapping[str, tuple[Record, ...]], sources: Mapping[str, float],
                geometry: PageGeometry) -> dict[str, int]:
    """The laid-out page count of each review (slug -> pages) whose record is newer than its
    source (`sources`: slug -> the source's modification time) and was laid out at this
    geometry (trim and inside margin)."""
    known = {}
    size = geometry.size
    for slug, changed in sources.items():
        for record in records.get(f"{CHAPTER_PREFIX}{slug}", ()):
            if record.written < changed or abs(record.inside - geometry.inside) > 0.01:
                continue
            found = page_size(record.pdf) if record.pdf is not None else None
            if found is not None and abs(found[0] - size[0]) < 0.01 \
                    and abs(found[1] - size[1]) < 0.01:
                known[slug] = record.pages
                break
    return known
