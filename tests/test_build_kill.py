"""`kill -9` at any moment of a real `anthology build` leaves every file in build/ old or new
and complete, and nothing that stops the next build; the layout workers end with the build,
Ctrl-C at any moment is one line and exit 130, and running out of memory is an `error:` line
(issue 20.10, 20.5).

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
import resource
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.cli import app
from anthology.cli.common import INTERRUPTED
from anthology.preflight.validate import epubcheck
from tests.conftest import REPO, VOLUME_TOML, WorkspaceBuilder

pytestmark = pytest.mark.e2e
SEED = 14
KILLS = 10  # seeded moments spread over a whole build; each is followed by a build
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
            if p.name.startswith((".anthology-staging-", ".staging-", ".pikepdf."))
            or ".part" in p.name]


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


# --- Process hygiene: workers, Ctrl-C, memory ---------------------------------------------

BOUND = 60.0  # seconds nothing here may take, however loaded the machine
PROC = Path("/proc")
needs_proc = pytest.mark.skipif(not (PROC / "self" / "stat").exists(), reason="needs /proc")


def small_workspace(root: Path) -> Path:
    ws = WorkspaceBuilder(root)
    write_version(ws, "B")
    ws.review("harbour-lights", appraisal=4, body="The harbour lights go out.\n\n" * 30)
    return ws.root


def start(root: Path, *extra: str, limit: int | None = None) -> subprocess.Popen:
    """A real build laying out on two workers, in a session of its own (as a terminal's
    foreground job is its own process group)."""
    args, env = command(root)
    def limited() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.Popen([*args, "--no-cache", "-j", "2", *extra], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=limited)


def _stat(pid: int) -> list[str] | None:
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def workers(parent: int) -> set[int]:
    """The forked (not exec'd) children of `parent`: its pool's workers."""
    try:
        mine = (PROC / str(parent) / "cmdline").read_bytes()
    except OSError:
        return set()
    found = set()
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None \
                and int(fields[1]) == parent:
            with contextlib.suppress(OSError):
                if (entry / "cmdline").read_bytes() == mine:
                    found.add(int(entry.name))
    return found


def wait_for(what: Callable[[], object], process: subprocess.Popen | None = None) -> object:
    """Poll until `what()` is true (and steady over three looks, 50 ms apart)."""
    deadline, steady, found = time.monotonic() + BOUND, 0, None
    while time.monotonic() < deadline:
        now = what()
        steady = steady + 1 if now and now == found else 0
        found = now
        if steady >= 2:
            return now
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"never happened within {BOUND} s")


def finished(process: subprocess.Popen) -> tuple[int, str]:
    try:
        _, stderr = process.communicate(timeout=BOUND)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    return process.returncode, stderr


@needs_proc
def test_killing_the_build_ends_its_layout_workers(tmp_path) -> None:
    """20.10: workers blocked on their queue for minutes (~100 MB each) after `kill -9`."""
    process = start(small_workspace(tmp_path / "ws"))
    try:
        pool = wait_for(lambda: frozenset(workers(process.pid)) if len(
            workers(process.pid)) >= 2 else None, process)
        process.kill()
        process.wait(BOUND)
        wait_for(lambda: not any(alive(pid) for pid in pool))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


@needs_proc
def test_ctrl_c_during_layout_is_one_line_and_exit_130(tmp_path) -> None:
    """20.5: "interrupted" was printed three times (once by each worker) with a traceback."""
    process = start(small_workspace(tmp_path / "ws"))
    pool = wait_for(lambda: frozenset(workers(process.pid)) if len(
        workers(process.pid)) >= 2 else None, process)
    os.killpg(process.pid, signal.SIGINT)  # as the terminal sends it: to the whole group
    code, stderr = finished(process)
    assert code == 130, stderr
    assert [line for line in stderr.splitlines() if "interrupted" in line] == [INTERRUPTED]
    assert "Traceback" not in stderr
    assert not any(alive(pid) for pid in pool)


def loading_modules(pid: int) -> bool:
    """Whether `pid` has begun loading compiled modules from site-packages: the command's
    imports, after its first line has run."""
    try:
        maps = (PROC / str(pid) / "maps").read_text()
    except OSError:
        return False
    return "site-packages" in maps and ".so" in maps


@needs_proc
def test_ctrl_c_while_starting_is_one_line_and_exit_130(tmp_path) -> None:
    """20.5: Ctrl-C while the modules load showed a KeyboardInterrupt traceback."""
    process = start(small_workspace(tmp_path / "ws"))
    wait_for(lambda: loading_modules(process.pid), process)
    os.killpg(process.pid, signal.SIGINT)
    code, stderr = finished(process)
    assert code == 130, stderr
    assert [line for line in stderr.splitlines() if line.strip()] in (["interrupted"],
                                                                     [INTERRUPTED])


def test_ctrl_c_inside_an_import_waits_for_the_import(tmp_path, monkeypatch) -> None:
    """Raised inside Python's import machinery, KeyboardInterrupt broke its module locks (a
    KeyError traceback, or the process ended by SIGINT instead of exit 130): the handler
    defers it until the import is done."""
    from anthology.cli import common

    (tmp_path / "slow_module.py").write_text("import sys\nFRAME = sys._getframe()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import slow_module

    assert common._importing(slow_module.FRAME)
    assert not common._importing(sys._getframe())
    deferred = []
    monkeypatch.setattr(common.signal, "setitimer", lambda which, seconds: deferred.append(
        (which, seconds)))
    monkeypatch.setattr(common.signal, "signal", lambda signum, handler: None)
    monkeypatch.setattr(common, "_said", [True])
    common._interrupted(signal.SIGINT, slow_module.FRAME)  # deferred, not raised
    assert deferred == [(signal.ITIMER_REAL, 0.02)]
    with pytest.raises(KeyboardInterrupt):
        common._interrupted(signal.SIGALRM, sys._getframe())


@pytest.mark.parametrize("megabytes", [250, 300, 400])
def test_running_out_of_memory_is_an_error_line(tmp_path, megabytes) -> None:
    """20.10: under `ulimit -v` the build died of SIGTRAP (GLib failing to start a Pango
    thread) or a BrokenProcessPool traceback; each limit here once did one or the other."""
    process = start(small_workspace(tmp_path / "ws"), limit=megabytes * 1024 * 1024)
    code, stderr = finished(process)
    assert code in (0, 1), f"ended by signal {-code}: {stderr}" if code < 0 else stderr
    assert "Traceback" not in stderr
    if code == 1:  # what could not be done, in a line (a JPEG encoder's, a worker's ...)
        assert any(line.startswith("error: ") for line in stderr.splitlines()), stderr
