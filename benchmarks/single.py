"""One book built in a child process, as the benchmarks compare them: `reference` (one plain
WeasyPrint render of its print HTML, nothing else), `pdf` (our pieced build on every core,
with the cache given) or `epub`, of the workspace's first volume or the one named; its
seconds (from after our loading and rendering, for the reference), pages and peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
volume = next(v for v in ws.volumes if v.slug == sys.argv[5]) if sys.argv[5:] else ws.volumes[0]
book = resolve_book(ws, volume, problems)
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


def measure(root: Path, kind: str, out: Path, cache: Path, volume: str | None = None) -> dict:
    """Run one build in a child process; return its seconds, pages and peak memory (MB).
    `volume`: the slug of the volume to build (default: the workspace's first)."""
    completed = subprocess.run([sys.executable, "-c", CHILD, str(root), kind, str(out),
                                str(cache), *([volume] if volume else [])],
                               capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"{kind} build of {root} failed:\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])
