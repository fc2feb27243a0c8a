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
for the live preview's latency from saving a review to the updated page (benchmarks/serve.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import hostile, series, serve
from benchmarks.generate import generate

CHILD = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from anthology.workspace.problems import Problems
from anthology.series.resolve import resolve_book
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace
root, kind, out, cache = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
problems = Problems()
ws = load_workspace(root, problems)
book = resolve_book(ws, ws.volumes[0], problems)
assert not problems.errors, [p.format() for p in problems]
theme = Theme.for_workspace(root)
pages = None
if kind == "reference":
    # The same HTML and stylesheets, one WeasyPrint call: what the PDF costs with nothing
    # around it. Timed from here, after our loading and rendering.
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from anthology.print.geometry import PageGeometry
    from anthology.print.pdf import estimate_pages
    from anthology.print.geometry import gutter
    from anthology.render.documents import PRINT_STYLESHEETS, render_print_html
    html = render_print_html(book, theme).html
    start = time.perf_counter()
    fonts = FontConfiguration()
    sheets = [weasyprint.CSS(filename=str(p), font_config=fonts)
              for p in theme.stylesheets(*PRINT_STYLESHEETS)]
    geometry = PageGeometry(book.trim, False, gutter(estimate_pages(book)))
    sheets.append(weasyprint.CSS(string=geometry.css(), font_config=fonts))
    document = weasyprint.HTML(string=html).render(stylesheets=sheets, font_config=fonts)
    document.write_pdf(out)
    pages = len(document.pages)
elif kind == "epub":
    from anthology.epub.package import write_epub
    write_epub(book, theme, out)
else:
    from anthology.print.pdf import Profile
    from anthology.print.pieces import PieceCache, write_pieced
    pages = write_pieced(book, theme, out, Profile.digital, PieceCache(cache)).pages
seconds = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "pages": pages, "peak_mb": max(own, workers) / 1024}))
"""


def measure(root: Path, kind: str, out: Path, cache: Path) -> dict:
    """Run one build in a child process; return its seconds, pages and peak memory (MB)."""
    completed = subprocess.run([sys.executable, "-c", CHILD, str(root), kind, str(out),
                                str(cache)], capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"{kind} build of {root} failed:\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


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
    elif sys.argv[1:] == ["serve"]:
        with tempfile.TemporaryDirectory(prefix="anthology-bench-") as folder:
            serve.main(Path(folder))
    else:
        main([int(a) for a in sys.argv[1:]] or [10, 100, 200])
        with tempfile.TemporaryDirectory(prefix="anthology-bench-") as folder:
            series.main(Path(folder))
        with tempfile.TemporaryDirectory(prefix="anthology-bench-") as folder:
            hostile.main(Path(folder))
