"""`kill -9` at any moment of a real `anthology build` leaves every file in build/ old or new
and complete, and nothing that stops the next build.

Builds are deterministic, so "complete" is checked by bytes: version A of the workspace is
built and validated once (epubcheck, `qpdf --check`), then version B; after each of twenty
kills, at seeded random moments spread over a measured build, every book must be
byte-identical to A's or B's, and the next build (not killed) must succeed, give exactly the
version asked for and leave no debris.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.cli import app
from anthology.validate import epubcheck
from tests.conftest import REPO, VOLUME_TOML, WorkspaceBuilder

pytestmark = pytest.mark.e2e
SEED = 14
KILLS = 20
BOOKS = {"v1.pdf", "v1.epub", "v1-cover.jpg"}


EPOCH = "1767225600"


def command(root: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": EPOCH}
    return [sys.executable, "-m", "anthology", "build", "--root", str(root)], env


def build(root: Path) -> None:
    """A build that is not killed, in this process (the kills need a process of their own)."""
    result = CliRunner().invoke(app, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output


def books(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()
            if p.is_file() and not p.name.startswith(".")}


def debris(root: Path) -> list[Path]:
    return [p for p in root.rglob(".*")
            if p.name.startswith((".staging-", ".pikepdf.")) or ".part" in p.name]


def write_version(ws: WorkspaceBuilder, version: str) -> None:
    """A and B differ in every book: B has a subtitle (title page, cover) and a longer review."""
    subtitle = 'subtitle = "Notes from the Dark"\n' if version == "B" else ""
    ws.volume("v1", VOLUME_TOML + subtitle)
    extra = "The projector hums on in the empty hall.\n\n" * (12 if version == "B" else 0)
    ws.review("lamplight", appraisal=1, related=["Harbour Fog"],
              body="The lamps burn low along the corridor.\n\n" * 8 + extra)
    ws.review("harbour-fog", appraisal=2, body="Fog rolls over the harbour at dusk.\n\n" * 10)
    ws.review("night-train", appraisal=3, related=["Lamplight"], body="A train at night.\n")


def validated(folder: Path) -> dict[str, bytes]:
    assert epubcheck(folder / "v1.epub") == []
    check = subprocess.run(["qpdf", "--check", str(folder / "v1.pdf")], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    found = books(folder)
    assert set(found) == BOOKS
    return found


def test_kill_9_at_random_moments_leaves_every_book_old_or_new(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    ws = WorkspaceBuilder(tmp_path / "ws")
    out = ws.root / "build"
    write_version(ws, "A")
    build(ws.root)
    versions = {"A": validated(out)}
    write_version(ws, "B")
    args, env = command(ws.root)
    started = time.monotonic()
    subprocess.run(args, env=env, capture_output=True, check=True, timeout=300)
    duration = time.monotonic() - started  # a real build from one version to the other
    versions["B"] = validated(out)
    assert all(versions["A"][name] != versions["B"][name] for name in BOOKS)

    rng = random.Random(SEED)
    outcomes: Counter[str] = Counter()
    current = "B"
    for _ in range(KILLS):
        wanted = "A" if current == "B" else "B"
        write_version(ws, wanted)
        process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0, duration))
        process.send_signal(signal.SIGKILL)  # the build's own process, as `kill -9` does
        process.wait(timeout=60)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # no stray worker outlives the test
        found = books(out)
        assert set(found) == BOOKS
        kinds = set()
        for name, data in found.items():
            kind = next((v for v in versions if versions[v][name] == data), None)
            assert kind is not None, f"{name} is neither version A nor B after a kill"
            kinds.add(kind)
        outcomes["old" if kinds == {current} else "new" if kinds == {wanted} else "mixed"] += 1
        outcomes["debris left"] += bool(debris(ws.root))
        build(ws.root)  # the next build, not killed
        assert books(out) == versions[wanted]
        assert debris(ws.root) == []
        current = wanted
    print(f"\n{KILLS} kills over {duration:.1f} s builds: {dict(outcomes)}")
