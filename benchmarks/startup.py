"""How long the command takes to answer before any work: `anthology --help`, a command's help
and the `--version` line, as shell completion and an author's typo pay it (issue 19: under
0.3 s). Each is run in a fresh process, several times; the table shows the median and the best,
with the machine's load, since start-up is what a busy machine slows most."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

RUNS = 15
COMMANDS = (["--help"], ["build", "--help"], ["import", "text", "--help"], ["--version"])
ENGINES = ("weasyprint", "ebooklib", "markdown", "pydantic", "bs4", "lxml")


def _time(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "anthology", *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _engines_loaded() -> list[str]:
    """The engines `--help` imports: none, or start-up pays for them."""
    probe = ("import sys, anthology.__main__ as m; sys.argv = ['anthology', '--help']\n"
             "try:\n    m.main()\nexcept SystemExit:\n    pass\n"
             f"print('loaded:' + ','.join(e for e in {ENGINES!r} if e in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    line = done.stdout.strip().splitlines()[-1].removeprefix("loaded:")
    return [e for e in line.split(",") if e]


def main() -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", "anthology"], check=False,
                   stdout=subprocess.DEVNULL)  # as an install does: no compiling at start-up
    _time(["--help"])  # the file cache warm, as a second TAB is
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    print("| command | median s | best s | runs |")
    print("|---|---:|---:|---:|")
    for args in COMMANDS:
        times = [_time(args) for _ in range(RUNS)]
        print(f"| anthology {' '.join(args)} | {statistics.median(times):.2f} "
              f"| {min(times):.2f} | {RUNS} |")
    loaded = _engines_loaded()
    print(f"engines imported by --help: {', '.join(loaded) if loaded else 'none'}")
