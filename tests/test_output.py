import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from anthology.output import Staging, atomic_target, clean_debris
from tests.conftest import REPO


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
    keep = [tmp_path / "v1.pdf", tmp_path / ".hidden", tmp_path / "part", tmp_path / "a.part"]
    for path in keep:
        path.write_text("mine")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "precious").write_text("keep")
    (tmp_path / ".staging-1-link").symlink_to(outside)  # never followed
    os.mkfifo(tmp_path / ".v1.epub.abc.part")  # opened without blocking
    (tmp_path / ".staging-2-old").mkdir()
    (tmp_path / ".staging-2-old" / "v1.pdf").write_text("stale")
    (tmp_path / ".pikepdf..v1.pdf.x.part7q").write_text("left by qpdf")
    removed = {p.name for p in clean_debris(tmp_path)}
    assert removed == {".v1.epub.abc.part", ".staging-2-old", ".pikepdf..v1.pdf.x.part7q"}
    assert all(p.read_text() == "mine" for p in keep)
    assert (outside / "precious").read_text() == "keep"


def test_staging_is_private_and_removed_when_done(tmp_path) -> None:
    with Staging(tmp_path) as first, Staging(tmp_path) as second:
        assert first.path != second.path
        assert first.path.parent == tmp_path and first.path.name.startswith(".staging-")
        (first.path / "v1.pdf").write_text("staged")
        assert clean_debris(tmp_path) == []  # this process's own: alive
    assert list(tmp_path.iterdir()) == []
