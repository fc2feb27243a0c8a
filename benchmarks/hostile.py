"""Pathological inputs: legitimate large reviews must build in time linear in their size, and
hostile ones must be refused at once, never after minutes of work.

Each case is a one-review workspace built (PDF and EPUB, no cache) by the real command in its
own process: `python -m benchmarks hostile` prints only this table.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

WORDS = "the film light shadow night house door stair mirror quiet sudden watches".split()
TOML = 'title = "Pathological"\nauthor = "Benchmark"\ndate = 2026-01-01\n'


def _paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)) + "."


def _essay(words: int) -> Callable[[random.Random], str]:
    def make(rng: random.Random) -> str:
        body = "\n\n".join(_paragraph(rng, 150) for _ in range(words // 150))
        return f"---\ntitle: Long\nappraisal: 1\n---\n\n{body}\n"
    return make


def _one_paragraph(rng: random.Random) -> str:
    lines = "\n".join(_paragraph(rng, 100) for _ in range(80))
    return f"---\ntitle: One Paragraph\nappraisal: 1\n---\n\n{lines}\n"


def _facts(count: int) -> Callable[[random.Random], str]:
    def make(rng: random.Random) -> str:
        facts = "".join(f"  - Label {i}: {_paragraph(rng, 3)}\n" for i in range(count))
        return f"---\ntitle: Facts\nappraisal: 1\nfacts:\n{facts}---\n\nAn essay.\n"
    return make


def _laughs(rng: random.Random) -> str:
    levels = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9))
    return f"---\ntitle: Laughs\nl0: &l0 [lol]\n{levels}---\n\nAn essay.\n"


CASES: tuple[tuple[str, Callable[[random.Random], str]], ...] = (
    ("review of 25,000 words", _essay(25_000)),
    ("review of 50,000 words", _essay(50_000)),
    ("review of 100,000 words", _essay(100_000)),
    ("one paragraph of 8,000 words", _one_paragraph),
    ("fact box of 100 entries", _facts(100)),
    ("fact box of 10,000 entries (refused)", _facts(10_000)),
    ("5 MB review (refused)", _essay(850_000)),
    ("YAML alias bomb (refused)", _laughs),
    ("1 MB title (refused)",
     lambda rng: f"---\ntitle: {'T' * 1_000_000}\n---\n\nAn essay.\n"),
)


def run_case(root: Path, make: Callable[[random.Random], str]) -> tuple[int, float]:
    folder = root / "volumes" / "v"
    folder.mkdir(parents=True)
    (folder / "volume.toml").write_text(TOML, encoding="utf-8")
    (folder / "review.md").write_text(make(random.Random(1)), encoding="utf-8")
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "anthology", "build", "--no-cache",
                                "--root", str(root)], capture_output=True, text=True,
                               check=False, timeout=600)
    return completed.returncode, time.perf_counter() - start


def main(tmp: Path) -> None:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "anthology", "--version"], capture_output=True,
                   check=True)
    print("| pathological input | exit | seconds |")
    print("|---|---:|---:|")
    print(f"| (start-up alone: anthology --version) | 0 | {time.perf_counter() - start:.1f} |")
    for index, (name, make) in enumerate(CASES):
        print(f"{name}...", file=sys.stderr, flush=True)
        code, seconds = run_case(tmp / f"case-{index}", make)
        print(f"| {name} | {code} | {seconds:.1f} |")
