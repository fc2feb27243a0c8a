"""Benchmarks on synthetic volumes of N reviews (about 2,500 words each, full fact box and
jukebox). For each N, side by side:

- reference: one plain WeasyPrint render of the whole book's print HTML, nothing else;
- cold: our PDF build, laid out in pieces on every core, with an empty cache;
- rebuild: the same after editing one review in the middle of the volume;
- epub: the EPUB build.

Then a table of pathological inputs (benchmarks/hostile.py): large legitimate reviews, which must
build in linear time, and hostile ones, which must be refused at once.

Each build runs in its own child process; peak memory is that of the largest process (the
build or one of its workers). Usage: python -m benchmarks [N ...]   (default: 10 100 200),
python -m benchmarks series for the series build against its volumes built one by one
(benchmarks/series.py), python -m benchmarks hostile for the pathological inputs alone, or
python -m benchmarks serve
for the live preview's latency from saving a review to the updated page (benchmarks/serve.py),
or python -m benchmarks archive for the whole archive at the author's scale: six volumes of
100 reviews and an omnibus, check, cold, no-op, one-edit and one-volume builds and the preview
(benchmarks/archive.py), or python -m benchmarks startup for how long `anthology --help` and
the version take (benchmarks/startup.py).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from benchmarks import archive, hostile, series, serve, startup
from benchmarks.generate import generate
from benchmarks.single import measure


def edit_middle_review(root: Path, count: int) -> None:
    """What an author does between two builds: add a paragraph to one review mid-volume."""
    path = root / "volumes" / f"synthetic-{count}" / f"film-{count // 2:04d}.md"
    path.write_text(path.read_text(encoding="utf-8")
                    + "\nOne more thought, added after a second viewing.\n", encoding="utf-8")


def main(counts: list[int]) -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="anthology-bench-") as tmp:
        for count in counts:
            root = generate(Path(tmp) / f"n{count}", count)
            cache = Path(tmp) / f"cache-{count}"
            out = Path(tmp) / f"n{count}"
            print(f"N={count}: reference...", file=sys.stderr, flush=True)
            reference = measure(root, "reference", out / "reference.pdf", cache)
            print(f"N={count}: cold...", file=sys.stderr, flush=True)
            cold = measure(root, "pdf", out / "cold.pdf", cache)
            edit_middle_review(root, count)
            print(f"N={count}: rebuild...", file=sys.stderr, flush=True)
            rebuild = measure(root, "pdf", out / "rebuild.pdf", cache)
            epub = measure(root, "epub", out / "book.epub", cache)
            rows.append((count, reference, cold, rebuild, epub))
    print(f"{os.cpu_count()} cores")
    header = ("N", "pages", "reference s", "cold s", "cold/ref", "rebuild s", "rebuild/ref",
              "reference MB", "cold MB", "cold/ref MB", "rebuild MB", "EPUB s")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---:" for _ in header) + "|")
    for count, reference, cold, rebuild, epub in rows:
        print(f"| {count} | {cold['pages']} | {reference['seconds']:.1f} | {cold['seconds']:.1f} "
              f"| {cold['seconds'] / reference['seconds']:.2f}x | {rebuild['seconds']:.1f} "
              f"| {rebuild['seconds'] / reference['seconds']:.2f}x "
              f"| {reference['peak_mb']:.0f} | {cold['peak_mb']:.0f} "
              f"| {cold['peak_mb'] / reference['peak_mb']:.2f}x | {rebuild['peak_mb']:.0f} "
              f"| {epub['seconds']:.2f} |")


if __name__ == "__main__":
    if sys.argv[1:] == ["hostile"]:
        with tempfile.TemporaryDirectory(prefix="anthology-bench-") as folder:
            hostile.main(Path(folder))
    elif sys.argv[1:] == ["series"]:
        with tempfile.TemporaryDirectory(prefix="anthology-bench-") as folder:
            series.main(Path(folder))
    elif sys.argv[1:2] == ["archive"]:
        with tempfile.TemporaryDirectory(prefix="anthology-bench-") as folder:
            archive.main(Path(folder), *(int(a) for a in sys.argv[2:6]))
    elif sys.argv[1:] == ["startup"]:
        startup.main()
    elif sys.argv[1:] == ["serve"]:
        with tempfile.TemporaryDirectory(prefix="anthology-bench-") as folder:
            serve.main(Path(folder))
    else:
        main([int(a) for a in sys.argv[1:]] or [10, 100, 200])
        with tempfile.TemporaryDirectory(prefix="anthology-bench-") as folder:
            series.main(Path(folder))
        with tempfile.TemporaryDirectory(prefix="anthology-bench-") as folder:
            hostile.main(Path(folder))
