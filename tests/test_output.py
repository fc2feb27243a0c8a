import errno
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.cli import app
from anthology.output import (
    ASIDE,
    MARKER,
    MARKER_TEXT,
    STAGING,
    NotPlaced,
    Staging,
    atomic_target,
    clean_debris,
    put_in_place,
)
from tests.conftest import REPO, WorkspaceBuilder


@pytest.fixture
def ws(tmp_path) -> WorkspaceBuilder:
    ws = WorkspaceBuilder(tmp_path / "ws")
    ws.volume("v1")
    ws.review("alpha", appraisal=1, body="Lamps along the corridor.\n")
    ws.review("beta", appraisal=2, body="A harbour in fog.\n")
    return ws


def test_success_replaces_the_target(tmp_path) -> None:
    target = tmp_path / "out" / "book.epub"
    with atomic_target(target) as temporary:
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert list(target.parent.iterdir()) == [target]


def test_failure_keeps_the_last_good_file_and_leaves_no_debris(tmp_path) -> None:
    target = tmp_path / "book.epub"
    target.write_bytes(b"good")
    with pytest.raises(RuntimeError), atomic_target(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("crash mid-write")
    assert target.read_bytes() == b"good"
    assert list(tmp_path.iterdir()) == [target]


# --- Debris of killed processes ----------------------------------------------------------

OWNER = """
import os, signal, sys, time
from pathlib import Path
from anthology.output import Staging, atomic_target
folder = Path(sys.argv[1])
staging = Staging(folder)
with atomic_target(folder / "book.pdf") as part:
    part.write_bytes(b"half")
    raw = part.with_name(part.name + ".raw")
    raw.write_bytes(b"raw")
    if sys.argv[2] == "fork":  # a worker forked now outlives its parent
        ready, started = os.pipe()
        child = os.fork()
        if child == 0:
            os.write(started, b"x")  # os.fork has returned here: the fork hooks have run
            time.sleep(60)
            os._exit(0)
        os.read(ready, 1)
        print(child, flush=True)
    print(staging.path, part, raw, flush=True)
    if sys.argv[2] == "fork":  # the build is killed; its worker is not
        os.kill(os.getpid(), signal.SIGKILL)
    sys.stdin.readline()
"""


def owner(folder: Path, how: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", OWNER, str(folder), how], cwd=REPO,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def test_a_live_builds_files_are_kept_and_a_killed_ones_removed(tmp_path) -> None:
    live = owner(tmp_path, "wait")
    try:
        paths = [Path(p) for p in live.stdout.readline().split()]
        assert all(p.exists() for p in paths)
        assert clean_debris(tmp_path) == []  # another build, alive: none of it is touched
        assert all(p.exists() for p in paths)
    finally:
        live.kill()
        live.wait(timeout=60)
    removed = clean_debris(tmp_path)
    assert sorted(removed) == sorted(paths)
    assert list(tmp_path.iterdir()) == []


def test_a_forked_worker_does_not_keep_a_killed_builds_files_alive(tmp_path) -> None:
    dying = owner(tmp_path, "fork")
    child = int(dying.stdout.readline())
    try:
        paths = [Path(p) for p in dying.stdout.readline().split()]
        assert dying.wait(timeout=60) == -signal.SIGKILL
        os.kill(child, 0)  # the worker still lives
        assert sorted(clean_debris(tmp_path)) == sorted(paths)
    finally:
        os.kill(child, signal.SIGKILL)


def test_clean_debris_leaves_everything_else(tmp_path) -> None:
    keep = [tmp_path / "v1.pdf", tmp_path / ".hidden", tmp_path / "part", tmp_path / "a.part",
            tmp_path / ".notes.part", tmp_path / ".v1.epub.abc.part",  # no mark: the author's
            tmp_path / ".v1.pdf.anthology-abc.part",  # the mark, but not mkstemp's name
            tmp_path / ".pikepdf..v1.pdf.x.part7q", tmp_path / ".notes.part.raw"]
    for path in keep:
        path.write_text("mine")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "precious").write_text("keep")
    (outside / MARKER).write_bytes(MARKER_TEXT)
    (tmp_path / f"{STAGING}1-linkxxxx").symlink_to(outside)  # never followed
    (tmp_path / ".v1.pdf.anthology-link0000.part").symlink_to(outside / "precious")
    os.mkfifo(tmp_path / ".v1.epub.anthology-fifo0000.part")  # opened without blocking
    stale = tmp_path / f"{STAGING}2-oldxxxxx"
    stale.mkdir()
    (stale / MARKER).write_bytes(MARKER_TEXT)
    (stale / "v1.pdf").write_text("stale")
    (tmp_path / ".v1.pdf.anthology-k2j3x9q0.part").write_text("half")
    (tmp_path / ".v1.epub.anthology-gone0000.part.raw").write_text("left beside a part")
    removed = {p.name for p in clean_debris(tmp_path)}
    assert removed == {stale.name, ".v1.pdf.anthology-k2j3x9q0.part",
                       ".v1.epub.anthology-gone0000.part.raw"}
    assert all(p.read_text() == "mine" for p in keep)
    assert sorted(p.name for p in outside.iterdir()) == [MARKER, "precious"]


@pytest.mark.parametrize("marker", [None, b"not ours\n", "folder", "link"])
def test_a_staging_folder_without_its_marker_is_the_authors(tmp_path, marker) -> None:
    """Named like ours, but without the marker file (or with another, or a link to one):
    an author's folder, kept whatever is in it."""
    folder = tmp_path / f"{STAGING}7-photosxx"
    folder.mkdir()
    (folder / "holiday.jpg").write_text("a photo")
    elsewhere = tmp_path / "marker"
    elsewhere.write_bytes(MARKER_TEXT)
    if marker == "folder":
        (folder / MARKER).mkdir()
    elif marker == "link":
        (folder / MARKER).symlink_to(elsewhere)
    elif marker is not None:
        (folder / MARKER).write_bytes(marker)
    assert clean_debris(tmp_path) == []
    assert (folder / "holiday.jpg").read_text() == "a photo"


def test_staging_is_private_and_removed_when_done(tmp_path) -> None:
    with Staging(tmp_path) as first, Staging(tmp_path) as second:
        assert first.path != second.path
        assert first.path.parent == tmp_path and first.path.name.startswith(STAGING)
        assert (first.path / MARKER).read_bytes() == MARKER_TEXT
        (first.path / "v1.pdf").write_text("staged")
        assert clean_debris(tmp_path) == []  # this process's own: alive
    assert list(tmp_path.iterdir()) == []


def test_temporary_files_bear_the_mark(tmp_path) -> None:
    with atomic_target(tmp_path / "v1.pdf") as temporary:
        assert re.fullmatch(r"\.v1\.pdf\.anthology-[a-z0-9_]{8}\.part", temporary.name)


# --- Moving a build's files into place: all or none ---------------------------------------------

NAMES = ["a.epub", "b.pdf", "c.jpg", "d.txt"]


def staged(tmp_path: Path) -> tuple[Path, Path]:
    """An output folder with old a, b and c (no d), and a staging folder with new a to d."""
    out = tmp_path / "out"
    out.mkdir()
    for name in NAMES[:3]:
        (out / name).write_text(f"old {name}")
    staging = Staging(out)
    for name in NAMES:
        (staging.path / name).write_text(f"new {name}")
    return out, staging.path


def files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in folder.iterdir() if not p.name.startswith(".")}


def test_every_file_is_put_in_place(tmp_path) -> None:
    out, staging = staged(tmp_path)
    put_in_place(staging, out, NAMES)
    assert files(out) == {name: f"new {name}" for name in NAMES}


@pytest.mark.parametrize("failing", NAMES)
def test_a_move_that_fails_leaves_every_file_as_it_was(tmp_path, monkeypatch, failing) -> None:
    out, staging = staged(tmp_path)
    before = files(out)
    real = os.replace

    def replace(source, target) -> None:
        if Path(source) == staging / failing:
            raise OSError(errno.EIO, "Input/output error")
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(NotPlaced) as caught:
        put_in_place(staging, out, NAMES)
    assert caught.value.name == failing and caught.value.replaced == ()
    assert files(out) == before  # the old files back, the new name gone


def test_a_failure_that_cannot_be_undone_says_what_was_replaced(tmp_path, monkeypatch) -> None:
    out, staging = staged(tmp_path)
    real = os.replace

    def replace(source, target) -> None:
        if Path(source) == staging / "c.jpg" or Path(source).parent.name == ASIDE:
            raise OSError(errno.EIO, "Input/output error")
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(NotPlaced) as caught:
        put_in_place(staging, out, NAMES)
    assert caught.value.name == "c.jpg" and sorted(caught.value.replaced) == ["a.epub", "b.pdf"]


def test_build_out_keeps_the_authors_files_that_look_like_debris(ws, tmp_path) -> None:
    """`build --out` into a folder of the author's: files named like a build's temporary
    files are theirs (issue 20, finding 10)."""
    out = tmp_path / "proofs"
    (out / ".staging-photos").mkdir(parents=True)
    (out / ".staging-photos" / "holiday.jpg").write_text("a photo")
    (out / ".notes.part").write_text("notes, part one")
    (out / ".v1.epub.x.part").write_text("mine too")
    result = CliRunner().invoke(app, ["build", "--only", "epub", "-j", "1", "--out", str(out),
                                      "--root", str(ws.root)])
    assert result.exit_code == 0, result.output
    assert (out / ".staging-photos" / "holiday.jpg").read_text() == "a photo"
    assert (out / ".notes.part").read_text() == "notes, part one"
    assert (out / ".v1.epub.x.part").read_text() == "mine too"
    assert (out / "v1.epub").is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(STAGING)]


def test_a_failed_move_in_a_build_leaves_the_books_as_they_were(ws, monkeypatch) -> None:
    """The last rename of the commit fails: every book in build/ is the old one (issue 20,
    finding 10: the PDF moved before it used to stay replaced)."""
    runner = CliRunner()
    assert runner.invoke(app, ["build", "-j", "1", "--root", str(ws.root)]).exit_code == 0
    build = ws.root / "build"
    before = {p.name: p.read_bytes() for p in build.iterdir() if p.is_file()}
    ws.review("beta", appraisal=2, body="Changed, so every book is made again.\n")
    real = os.replace

    def replace(source, target) -> None:
        if Path(target) == build / "v1.epub" and STAGING in str(source):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    result = runner.invoke(app, ["build", "-j", "1", "--root", str(ws.root)])
    assert result.exit_code == 1
    assert "error: v1.epub could not be put in place: No space left on device" in result.output
    assert "the books in build/ are as they were" in result.output
    assert {p.name: p.read_bytes() for p in build.iterdir() if p.is_file()} == before
