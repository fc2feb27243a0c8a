"""Compare the planner's estimates with books a build laid out, to fit `estimate.Fit` again
after the theme changes: `python -m anthology.planner.calibrate WORKSPACE...`.

Each workspace must have been built with `anthology build --only pdf --profile kdp`. For every
volume it prints the estimated and the built page count; with `--pieces`, every chapter's and
appendix's estimate beside the pages its laid-out piece has in build/.cache (read only).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from anthology.planner.backmatter import appendix_pages
from anthology.planner.estimate import Page, chapter_pages, estimate_volume
from anthology.planner.laidout import PIECES, laid_out
from anthology.planner.measure import shape
from anthology.planner.propose import apparatus_of, matter_of, series_shapes
from anthology.series.resolve import CHAPTER_PREFIX
from anthology.workspace.people import load_people
from anthology.workspace.problems import Problems
from anthology.workspace.volume_source import TRIMS
from anthology.workspace.volumes import load_workspace, volume_reviews


@dataclass(frozen=True)
class Row:
    workspace: str
    volume: str
    estimated: int
    built: int

    @property
    def error(self) -> float:
        return 100 * (self.estimated - self.built) / self.built


def compare(root: Path, pieces: bool = False) -> list[Row]:
    problems = Problems()
    workspace = load_workspace(root, problems)
    people = load_people(root, problems)
    shapes = {slug: shape(r, people) for slug, r in workspace.reviews.items()}
    rows = []
    for volume in workspace.volumes:
        pdf = root / "build" / f"{volume.slug}-kdp.pdf"
        if not pdf.is_file():
            continue
        with pikepdf.open(pdf) as opened:
            built = len(opened.pages)
        own = [shapes[r.slug] for r in volume_reviews(volume, workspace)]
        trim = TRIMS[volume.source.print.trim]
        apparatus = apparatus_of(volume, workspace)
        found = estimate_volume(own, trim, apparatus, matter_of(volume),
                                series_shapes(workspace, shapes))
        rows.append(Row(root.name, volume.slug, found.pages, built))
        if pieces:
            page = Page.at(trim, found.pages)
            owner = root / PIECES / f"used-{volume.slug}-kdp.json"  # this book's pieces
            used = set(json.loads(owner.read_text())) if owner.is_file() else None
            real = {part: tuple(r for r in records if used is None or r.key in used)
                    for part, records in laid_out(root).items()}
            print(f"{volume.slug}: front {found.front}, back {found.back}")
            for s in own:
                record = real.get(f"{CHAPTER_PREFIX}{s.slug}")
                got = record[0].pages if record else None
                mark = "" if got == chapter_pages(s, page) else "  <--"
                print(f"  {s.slug:30} est {chapter_pages(s, page):3} built {got}{mark}")
            for name, pages in appendix_pages(own, apparatus, page,
                                              series_shapes(workspace, shapes)).items():
                record = real.get(name)
                got = record[0].pages + record[0].pages % 2 if record else None
                mark = "" if got == pages else "  <--"
                print(f"  {name:30} est {pages:3} built {got}{mark}")
    return rows


def main(argv: list[str]) -> None:
    pieces = "--pieces" in argv
    rows = [row for arg in argv if arg != "--pieces" for row in compare(Path(arg), pieces)]
    print(f"{'workspace':12} {'volume':24} {'estimated':>9} {'built':>6} {'error':>7}")
    for row in rows:
        print(f"{row.workspace:12} {row.volume:24} {row.estimated:9} {row.built:6} "
              f"{row.error:+6.1f}%")


if __name__ == "__main__":
    main(sys.argv[1:])
