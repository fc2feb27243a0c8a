"""Build synthetic volumes of N = 10 and N = 100 reviews; print EPUB and PDF time, PDF pages
and the peak memory of each build, next to one plain WeasyPrint render of the same print HTML
(the reference: what the PDF would cost with no anthology around it).

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
theme = Theme.for_workspace(root)
if kind == "plain":
    # The reference: the same HTML and stylesheets, one WeasyPrint call, nothing else.
    import weasyprint
    from anthology.geometry import PageGeometry, gutter
    from anthology.pdf import PRINT_STYLESHEETS
    from anthology.render import render_print_html
    html = render_print_html(book, theme).html
    start = time.perf_counter()
    from weasyprint.text.fonts import FontConfiguration
    fonts = FontConfiguration()
    sheets = [weasyprint.CSS(filename=str(p), font_config=fonts)
              for p in theme.stylesheets(*PRINT_STYLESHEETS)]
    sheets.append(weasyprint.CSS(string=PageGeometry(book.trim, False, gutter(700)).css()))
    document = weasyprint.HTML(string=html).render(stylesheets=sheets, font_config=fonts)
    document.write_pdf(out)
    result = type("R", (), {"pages": len(document.pages)})
else:
    writer = write_epub if kind == "epub" else write_pdf
    result = writer(book, theme, out)
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
            plain = measure(root, "plain", Path(tmp) / f"n{count}-plain.pdf")
            rows.append((count, epub, pdf, plain))
    header = ("N", "EPUB s", "EPUB peak MB", "PDF s", "PDF peak MB", "PDF pages",
              "plain WeasyPrint s", "plain peak MB", "PDF / plain time")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---:" for _ in header) + "|")
    for n, epub, pdf, plain in rows:
        print(f"| {n} | {epub['seconds']:.2f} | {epub['peak_mb']:.0f} | {pdf['seconds']:.2f} | "
              f"{pdf['peak_mb']:.0f} | {pdf['pages']} | {plain['seconds']:.2f} | "
              f"{plain['peak_mb']:.0f} | {pdf['seconds'] / plain['seconds']:.2f}x |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 100])
