"""The whole archive at the author's scale (issue 22): a series of volumes of 100 reviews of
about 2,500 words, every index, the soundtrack and the numbers, people shared across the
volumes, two or three references per review to other volumes, and an omnibus
(benchmarks/generate.py `generate_archive`).

Each row runs `anthology` as an author would, in a child process, and gives its wall time and
the peak memory of the largest single process (the command or one of its layout workers):

- check; build, cold (empty cache); build again with nothing changed (no-op); build after two
  paragraphs are added to one review in the middle of volume III (one edit); `build vol-2`
  after that, nothing of it changed (one volume);
- serve: the preview's first page, and an edit shown (benchmarks/serve.py's round);
- reference: one plain WeasyPrint render of the largest volume's print HTML, the cost of one
  book with nothing around it, and the cold build's ratio to it once per volume.

The machine's load average is printed before and after: a busy machine is slower.
Usage: python -m benchmarks archive [VOLUMES PER_VOLUME OMNIBUS WORDS]   (default 6 100 60 2500)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.generate import generate_archive
from benchmarks.single import measure

TARGETS = {"no-op": 10.0, "one edit": 60.0}
PEAK_TARGET_MB = 1024

def run(args: list[str], root: Path) -> dict:
    """One command in a child process: its seconds and the peak memory (MB) of the largest
    process among it and the workers it started (they are its children, waited for)."""
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(args, cwd=root, stdout=stdout, stderr=stderr, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        printed, problems = stdout.read(), stderr.read()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}):\n"
                         f"{(printed + problems)[-3000:]}")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "stdout": printed}


def anthology(*args: str) -> list[str]:
    return [sys.executable, "-m", "anthology", "-q", *args]


def edit_volume_three(root: Path, per_volume: int) -> None:
    """Two paragraphs added to the review in the middle of volume III (or the last volume,
    in a smaller archive)."""
    volume = min(3, len(list((root / "volumes").glob("vol-*"))))
    number = (volume - 1) * per_volume + max(1, per_volume // 2)
    path = root / "volumes" / f"vol-{volume}" / f"film-{number:04d}.md"
    path.write_text(path.read_text(encoding="utf-8")
                    + "\nA second viewing changed my mind about the ending, and about the "
                      "long scene in the station that comes before it.\n\nThe score, too, "
                      "sounds different now: quieter, and closer to the images.\n",
                    encoding="utf-8")


def serve_rows(root: Path, per_volume: int) -> list[tuple[str, dict]]:
    """The preview on the whole archive: start to first page, and an edit shown."""
    from anthology.serve import PreviewServer
    from benchmarks.serve import fetch

    started = time.perf_counter()
    server = PreviewServer(root, 0)
    server.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    film = f"film-{max(1, per_volume // 2):04d}"
    page = f"/v/vol-1/ch-{film}.xhtml"
    try:
        fetch(port, page)
        first = time.perf_counter() - started
        path = root / "volumes" / "vol-1" / f"{film}.md"
        marker = "Zanzibar"  # a word of its own (typesetting may join a sentence's last two)
        path.write_text(path.read_text(encoding="utf-8") + f"\n{marker} is where it ends.\n",
                        encoding="utf-8")
        saved = time.perf_counter()
        while marker not in fetch(port, page):
            if time.perf_counter() - saved > 60:
                raise SystemExit("serve: the edit was not shown in 60 s")
            time.sleep(0.01)
        shown = time.perf_counter() - saved
    finally:
        server.shutdown()
        server.close()
    return [("serve: first page", {"seconds": first, "peak_mb": 0}),
            ("serve: an edit shown", {"seconds": shown, "peak_mb": 0})]


def main(folder: Path, volumes: int = 6, per_volume: int = 100, omnibus: int = 60,
         words: int = 2500) -> None:
    load_before = os.getloadavg()
    root = generate_archive(folder / "archive", volumes, per_volume, omnibus, words)
    rows: list[tuple[str, dict]] = []

    def row(name: str, args: list[str]) -> dict:
        print(f"archive: {name}...", file=sys.stderr, flush=True)
        result = run(args, root)
        rows.append((name, result))
        return result

    row("check", anthology("check"))
    cold = row("build, cold", anthology("build"))
    row("build, no-op", anthology("build"))
    edit_volume_three(root, per_volume)
    row("build, one edit", anthology("build"))
    row("build vol-2, nothing of it changed", anthology("build", "vol-2"))
    print("archive: serve...", file=sys.stderr, flush=True)
    rows += serve_rows(root, per_volume)
    print("archive: one plain WeasyPrint render of vol-1...", file=sys.stderr, flush=True)
    plain = measure(root, "reference", folder / "reference.pdf", folder / "cache", "vol-1")
    load_after = os.getloadavg()
    total = volumes * per_volume
    print(f"\nThe archive: {volumes} volumes of {per_volume} reviews ({total}) of about {words} "
          f"words and an omnibus of {omnibus}; {os.cpu_count()} cores; load average "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after")
    print("| step | wall s | peak MB | target |")
    print("|---|---:|---:|---|")
    for name, result in rows:
        target = next((f"≤ {t:.0f} s" for key, t in TARGETS.items() if key in name), "")
        peak = f"{result['peak_mb']:.0f}" if result["peak_mb"] else ""
        print(f"| {name} | {result['seconds']:.1f} | {peak} | {target} |")
    print(f"| one plain WeasyPrint render of vol-1 ({plain['pages']} pages) | "
          f"{plain['seconds']:.1f} | {plain['peak_mb']:.0f} | |")
    ratio = cold["seconds"] / (plain["seconds"] * (volumes + (1 if omnibus else 0)))
    print(f"\ncold build / (one plain render x {volumes + (1 if omnibus else 0)} books): "
          f"{ratio:.2f}x (target ≤ 0.5x); largest process {max(r['peak_mb'] for _, r in rows):.0f}"
          f" MB (target ≤ {PEAK_TARGET_MB} MB)")
