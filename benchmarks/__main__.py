"""Build synthetic volumes of N = 10 and N = 100 reviews; print EPUB and PDF time, PDF pages
and the peak memory of each build.

Each build runs in its own child process, so its peak resident memory is its own.
Usage: python -m benchmarks [N ...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate

CHILD = """
import json, sys, time
from pathlib import Path
from anthology.problems import Problems
from anthology.resolve import resolve_book
from anthology.theme import Theme
from anthology.volumes import load_workspace
from anthology.epub import write_epub
from anthology.pdf import write_pdf
root, kind, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
start = time.perf_counter()
problems = Problems()
ws = load_workspace(root, problems)
book = resolve_book(ws, ws.volumes[0], problems)
assert not problems.errors, [p.format() for p in problems]
writer = write_epub if kind == "epub" else write_pdf
result = writer(book, Theme.for_workspace(root), out)
print(json.dumps({"seconds": time.perf_counter() - start,
                  "pages": getattr(result, "pages", None)}))
"""


def measure(root: Path, kind: str, out: Path) -> dict:
    """Run one build in a child process; return its seconds, pages and peak memory in MB."""
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(root), kind, str(out)],
                               stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    output = process.stdout.read() if process.stdout else ""
    if status != 0:
        raise SystemExit(f"{kind} build of {root} failed")
    result = json.loads(output)
    result["peak_mb"] = usage.ru_maxrss / 1024
    return result


def main(counts: list[int]) -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="anthology-bench-") as tmp:
        for count in counts:
            started = time.perf_counter()
            root = generate(Path(tmp) / f"n{count}", count)
            print(f"N={count}: generated in {time.perf_counter() - started:.1f} s; building...",
                  file=sys.stderr)
            epub = measure(root, "epub", Path(tmp) / f"n{count}.epub")
            pdf = measure(root, "pdf", Path(tmp) / f"n{count}.pdf")
            rows.append((count, epub["seconds"], pdf["seconds"], pdf["pages"],
                         epub["peak_mb"], pdf["peak_mb"]))
    header = ("N", "EPUB s", "PDF s", "PDF pages", "EPUB peak MB", "PDF peak MB")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---:" for _ in header) + "|")
    for n, epub_s, pdf_s, pages, epub_mb, pdf_mb in rows:
        print(f"| {n} | {epub_s:.2f} | {pdf_s:.2f} | {pages} | {epub_mb:.0f} | {pdf_mb:.0f} |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 100])
