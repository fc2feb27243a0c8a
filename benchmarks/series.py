"""The series build against building its volumes one by one, on the sample collection.

- per volume: each volume's print edition laid out and written on its own, from an empty
  cache, as a build without the series stage would (references to other volumes cannot
  print their pages then); the table gives their sum;
- series, cold: every volume laid out together until the references settle, from an empty
  cache, and every PDF written;
- series, rebuild: the same after one review gains a sentence, with the cache of the cold run.

Targets (issue 9): cold series at most 1.25x the per-volume sum; the rebuild at most 0.15x
the cold series build. Each run is a child process. Usage: python -m benchmarks series
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COLD_TARGET, REBUILD_TARGET = 1.25, 0.15

CHILD = """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
from anthology.print.cache import PieceCache
from anthology.print.pdf import Profile
from anthology.print.pieces import save_joined
from anthology.print.series import lay_out_series
from anthology.workspace.theme import Theme
from anthology.series.resolve import resolve_series
from anthology.workspace.problems import Problems
from anthology.workspace.volumes import load_workspace
root, only, cache = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
problems = Problems()
books = resolve_series(load_workspace(root, problems), problems)
assert not problems.errors, [p.format() for p in problems]
if only != "all":
    books = tuple(b for b in books if b.slug == only)
pages = 0
def deliver(slug, joined, record=None):
    global pages
    save_joined(joined, root / f"{slug}.pdf")
    pages += joined.page_count
    for source in joined.sources:
        source.close()
layout = lay_out_series(books, Theme.for_workspace(root), Profile.digital, PieceCache(cache),
                        [b.slug for b in books], deliver=deliver)
print(json.dumps({"seconds": time.perf_counter() - start, "pages": pages,
                  "passes": layout.passes}))
"""


def _run(root: Path, only: str, cache: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(root), only, str(cache)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"series benchmark ({only}) failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _copy(folder: Path) -> Path:
    root = folder / "samples"
    for name in ("volumes", "styles"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "people.toml", root / "people.toml")
    return root


def main(folder: Path) -> None:
    root = _copy(folder)
    slugs = sorted(p.parent.name for p in (root / "volumes").glob("*/volume.toml"))
    alone = {}
    for slug in slugs:
        print(f"series: {slug} alone...", file=sys.stderr, flush=True)
        alone[slug] = _run(root, slug, folder / f"cache-{slug}")
    print("series: all volumes, cold...", file=sys.stderr, flush=True)
    cold = _run(root, "all", folder / "cache-series")
    review = root / "volumes" / "silent-shadows" / "metropolis.md"
    review.write_text(review.read_text(encoding="utf-8")
                      + "\nOne more thought, added after a second viewing.\n", encoding="utf-8")
    print("series: all volumes, after an edit...", file=sys.stderr, flush=True)
    rebuild = _run(root, "all", folder / "cache-series")
    total = sum(r["seconds"] for r in alone.values())
    print(f"\nThe series build ({len(slugs)} volumes, {cold['pages']} pages)")
    print("| build | s | ratio | target | passes |")
    print("|---|---:|---:|---:|---:|")
    for slug, result in alone.items():
        print(f"| {slug} alone | {result['seconds']:.1f} | | | {result['passes']} |")
    print(f"| sum of the volumes alone | {total:.1f} | 1.00x | | |")
    print(f"| series, cold | {cold['seconds']:.1f} | {cold['seconds'] / total:.2f}x of the sum "
          f"| ≤ {COLD_TARGET:.2f}x | {cold['passes']} |")
    print(f"| series, rebuild after one edit | {rebuild['seconds']:.1f} | "
          f"{rebuild['seconds'] / cold['seconds']:.2f}x of cold | ≤ {REBUILD_TARGET:.2f}x "
          f"| {rebuild['passes']} |")
