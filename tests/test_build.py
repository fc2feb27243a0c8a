"""A build is a transaction: every book of the run is put in place, or none is."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.build import Change, Format, Options, Step, build
from anthology.cli import app, piece_cache, shown
from anthology.output import MARKER, MARKER_TEXT, STAGING
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace
from tests.conftest import REPO, WorkspaceBuilder

pytestmark = pytest.mark.e2e
BOOKS = ["v1-cover.jpg", "v1.epub", "v1.pdf"]


def books(folder: Path) -> dict[str, str]:
    """Every file in the output folder but the layout cache, by its digest."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(folder).parts}


def debris(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*")
            if p.name.startswith((STAGING, ".staging-", ".pikepdf.")) or ".part" in p.name]


def run_build(root: Path, out: Path | None = None, progress=None):
    problems = Problems()
    workspace = load_workspace(root, problems)
    resolved = [resolve_book(workspace, v, problems) for v in workspace.volumes]
    assert not problems.errors
    options = Options(out or root / "build", (Format.epub, Format.pdf), jobs=1)
    return build(resolved, Theme.for_workspace(root), piece_cache(root), options, progress)


@pytest.fixture
def ws(tmp_path, monkeypatch) -> WorkspaceBuilder:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    ws = WorkspaceBuilder(tmp_path / "ws")
    ws.volume("v1")
    ws.review("alpha", appraisal=1, related=["Beta"], body="Lamps along the corridor.\n")
    ws.review("beta", appraisal=2, body="A harbour in fog.\n")
    return ws


def test_the_summary_says_which_files_are_new(ws) -> None:
    steps: list[Step] = []
    first = run_build(ws.root, progress=steps.append)
    assert first.ok and not first.warnings
    assert sorted(w.path.name for w in first.written) == BOOKS
    assert {w.change for w in first.written} == {Change.new}
    # The series is laid out first (one step), then each volume's files.
    assert steps[0] == Step(0, 3, "v1: laying out") and steps[-1].done == 3
    assert Step(1, 3, "v1.pdf", "v1", 0, 2) in steps
    assert Step(3, 3, "v1: built", "v1", 2, 2) in steps  # the volume's own bar, full
    pdf = next(w for w in first.written if w.path.name == "v1.pdf")
    assert pdf.pages and pdf.chapters == 2 and pdf.size == pdf.path.stat().st_size
    # The same sources: the same bytes, so nothing is replaced.
    again = run_build(ws.root)
    assert {w.change for w in again.written} == {Change.unchanged}
    ws.review("beta", appraisal=2, body="A harbour in fog, and a lighthouse.\n")
    edited = {w.path.name: w.change for w in run_build(ws.root).written}
    assert edited == {"v1.pdf": Change.replaced, "v1.epub": Change.replaced,
                      "v1-cover.jpg": Change.unchanged}  # the cover shows no review
    assert debris(ws.root / "build") == []
    assert sorted(p.name for p in (ws.root / "build").iterdir()) == [".cache", *BOOKS]


def test_an_epub_failure_after_the_pdf_leaves_build_unchanged(ws) -> None:
    assert run_build(ws.root).ok
    before = books(ws.root / "build")
    cached = set((ws.root / "build" / ".cache").rglob("*"))
    ws.review("alpha", appraisal=1, related=["Beta"], body="A longer look at the lamps.\n" * 9)
    # Bad input only the EPUB step rejects: its document template names an unknown value.
    ws.write("styles/templates/epub-document.xhtml", "<html>{{ no_such_value }}</html>\n")
    result = CliRunner().invoke(app, ["build", "--root", str(ws.root)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    # The template to blame, at its line, as every problem is shown.
    assert "styles/templates/epub-document.xhtml:1: error: template error: 'no_such_value' " \
           "is undefined (v1.epub was not written)" in lines
    assert "v1.pdf was not written" not in result.output  # the PDF was built...
    assert set((ws.root / "build" / ".cache").rglob("*")) - cached  # ...laid out anew...
    assert "error: the build failed: the books in build/ are as they were" in lines
    assert books(ws.root / "build") == before  # ...and not put in place
    assert debris(ws.root) == []
    assert "Traceback" not in result.output


def test_a_folder_in_the_way_is_found_before_anything_moves(ws) -> None:
    assert run_build(ws.root).ok
    (ws.root / "build" / "v1-cover.jpg").unlink()
    (ws.root / "build" / "v1-cover.jpg").mkdir()
    before = books(ws.root / "build")
    ws.review("beta", appraisal=2, body="Changed.\n")
    result = CliRunner().invoke(app, ["build", "--root", str(ws.root)])
    assert result.exit_code == 1
    assert "error: v1-cover.jpg could not be put in place: a folder of that name is in the way" \
        in result.output.splitlines()
    assert books(ws.root / "build") == before
    assert debris(ws.root) == []


def test_debris_of_killed_builds_is_cleaned_at_the_start(ws, tmp_path) -> None:
    out = tmp_path / "out"
    cache = ws.root / "build" / ".cache" / "pieces"
    stale = [out / f"{STAGING}4242-deadxxxx", out / ".v1.pdf.anthology-k2j3xxxx.part",
             out / ".v1.epub.anthology-xxxxxxxx.part",
             out / ".v1.epub.anthology-xxxxxxxx.part.raw",
             cache / ".abc.pdf.anthology-q1xxxxxx.part"]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
    stale[0].mkdir()
    (stale[0] / MARKER).write_bytes(MARKER_TEXT)
    (stale[0] / "v1.pdf").write_bytes(b"%PDF half")
    for path in stale[1:]:
        path.write_bytes(b"half")
    assert run_build(ws.root, out).ok
    assert not any(p.exists() for p in stale)
    assert sorted(p.name for p in out.iterdir()) == BOOKS


HOLD_STAGING = """
import sys
from pathlib import Path
from anthology.output import Staging
staging = Staging(Path(sys.argv[1]))
(staging.path / "v1.pdf").write_bytes(b"another build's book, half done")
print(staging.path, flush=True)
sys.stdin.readline()
"""


def test_a_build_running_alongside_keeps_its_staging(ws) -> None:
    other = subprocess.Popen([sys.executable, "-c", HOLD_STAGING, str(ws.root / "build")],
                             cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        staging = Path(other.stdout.readline().strip())
        assert run_build(ws.root).ok
        assert (staging / "v1.pdf").exists()  # the other build's files are its own
    finally:
        other.kill()
        other.wait(timeout=60)
    assert run_build(ws.root).ok
    assert not staging.exists()  # once it is dead, its staging is debris
    assert debris(ws.root) == []


FREE_KB = (100, 70, 40)


WHERE = {"books and cache": "build", "books only (--out)": "out"}


@pytest.fixture(params=list(WHERE))
def tiny_disk(request, ws, tmp_path):
    """A 1 MB tmpfs, so the disk can be filled for real: build/ (the books and the layout
    cache) or a folder given to --out (the cache stays on the ordinary disk)."""
    folder = ws.root / "build" if WHERE[request.param] == "build" else tmp_path / "out"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def cli_build(root: Path, out: Path) -> subprocess.CompletedProcess:
    """A real `anthology build` process: a C++ abort here would not take pytest with it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "anthology", "build", "--root", str(root),
                           "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=300)


def fill(folder: Path, leave_kb: int) -> None:
    filler = folder / "filler"
    filler.unlink(missing_ok=True)
    stats = os.statvfs(folder)
    filler.write_bytes(b"\0" * max(0, stats.f_bavail * stats.f_frsize - leave_kb * 1024))


def test_a_nearly_full_disk_is_an_error_line_and_changes_nothing(ws, tiny_disk) -> None:
    assert cli_build(ws.root, tiny_disk).returncode == 0
    ws.review("alpha", appraisal=1, related=["Beta"], body="More about the lamps.\n" * 30)
    for free in FREE_KB:
        fill(tiny_disk, free)
        before = books(tiny_disk)
        result = cli_build(ws.root, tiny_disk)
        assert result.returncode == 1, (free, result.returncode, result.stderr)
        assert "Traceback" not in result.stderr and "terminate" not in result.stderr, result.stderr
        # (With only the books on the small disk, the PDF may fit and the EPUB not.)
        assert any(re.fullmatch(r"error: v1(\.pdf|\.epub|-playlist\.\w+) was not written: No "
                                r"space left on "
                                r"device", line) for line in result.stderr.splitlines())
        assert f"the books in {shown(tiny_disk, ws.root)}/ are as they were" in result.stderr
        assert books(tiny_disk) == before
        assert debris(ws.root) == [] and debris(tiny_disk) == []
    # With room again, the next build succeeds.
    (tiny_disk / "filler").unlink()
    assert cli_build(ws.root, tiny_disk).returncode == 0
    assert sorted(p.name for p in tiny_disk.iterdir() if p.name != ".cache") == BOOKS
    shutil.rmtree(ws.root / "build" / ".cache")
