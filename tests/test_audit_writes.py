"""Every command that writes, under `strace -f` (issue 20): `init`, `import`, `build` (every
format and a printer's interior), `cover`, `preview` and `serve` create, write, rename or delete
nothing outside the workspace, the temporary folder given to them and their home (where
fontconfig keeps its cache). The trace sees every process and C library, so a write by
WeasyPrint, Pango or a layout worker counts as much as one by our own code.

`tests/test_audit.py` checks reads and the network for a build; this file checks writes for all
of them.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_audit import STRACE, make_workspace

REPO = Path(__file__).resolve().parent.parent
IMPORT_PAGE = REPO / "tests" / "fixtures" / "import" / "alien-appraisal-212.txt"
WRITES = ("open", "openat", "openat2", "creat", "rename", "renameat", "renameat2", "unlink",
          "unlinkat", "mkdir", "mkdirat", "rmdir", "link", "linkat", "symlink", "symlinkat",
          "truncate", "chmod", "fchmodat")
_CALL = re.compile(r"^(?:\[pid\s+\d+\]\s+)?(?:\d+\s+)?(\w+)\((.*)\)\s+=\s+(-?\d+|\?)")
_ARG = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+)<((?:[^>\\]|\\.)*)>|([^,]+))\s*(?:,|$)')
WRITE_FLAGS = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC")
DEVICES = ("/dev/null", "/dev/shm/", "/dev/tty", "/dev/pts/")

pytestmark = pytest.mark.e2e


def _unescape(text: str) -> str:
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape")


def written(log: str, cwd: Path) -> set[str]:
    """The paths the traced processes opened for writing, made, renamed or removed (attempts
    that failed included: asking is what counts)."""
    found = set()
    for line in log.splitlines():
        match = _CALL.match(line)
        if match is None or match[1] not in WRITES:
            continue
        call, args = match[1], [m.groups() for m in _ARG.finditer(match[2]) if any(m.groups())]
        if call.startswith("open") and not any(f in match[2] for f in WRITE_FLAGS):
            continue
        folder = str(cwd)
        for string, _, fd_path, _plain in args:
            if fd_path is not None:
                folder = _unescape(fd_path)
            elif string is not None:
                found.add(os.path.normpath(os.path.join(folder, _unescape(string))))
                folder = str(cwd)
            elif _plain is not None and _plain.strip() == "AT_FDCWD":
                folder = str(cwd)
    return found


class Traced:
    """One anthology command under strace, with a temporary folder and a home of its own."""

    def __init__(self, tmp_path: Path) -> None:
        self.base = tmp_path
        self.tmp = tmp_path / "tmp"
        self.home = tmp_path / "home"
        self.log = tmp_path / "strace.log"
        for folder in (self.tmp, self.home):
            folder.mkdir(exist_ok=True)

    def command(self, *args: str) -> list[str]:
        if STRACE is None:
            pytest.fail("strace is not installed: run ./setup.sh, which installs it")
        return [STRACE, "-f", "-qq", "-y", "-s", "4096", "-e", "trace=" + ",".join(WRITES),
                "-e", "signal=none", "-o", str(self.log), sys.executable, "-m", "anthology",
                *args]

    @property
    def env(self) -> dict[str, str]:
        path = os.pathsep.join((str(Path(sys.executable).parent), "/usr/local/bin",
                                "/usr/bin", "/bin"))
        return {**os.environ, "PYTHONPATH": str(REPO), "HOME": str(self.home), "PATH": path,
                "TMPDIR": str(self.tmp), "PYTHONDONTWRITEBYTECODE": "1",
                "XDG_CACHE_HOME": str(self.home / ".cache")}

    def run(self, cwd: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args), cwd=cwd, env=self.env, capture_output=True,
                              text=True, timeout=900, check=False)

    def inside(self, workspace: Path, cwd: Path) -> list[str]:
        return sorted(path for path in written(self.log.read_text(errors="replace"), cwd)
                      if path.startswith(str(workspace) + os.sep))

    def outside(self, workspace: Path, cwd: Path) -> list[str]:
        """What was written outside the workspace, the temporary folder and the home."""
        places = [str(p) for p in (workspace, self.tmp, self.home)]
        places += [str(Path(p).resolve()) for p in places]
        return sorted(path for path in written(self.log.read_text(errors="replace"), cwd)
                      if not any(path == p or path.startswith(p + os.sep) for p in places)
                      and not path.startswith(DEVICES))


def test_the_write_trace_is_real(tmp_path: Path) -> None:
    """The parser finds writes in a trace of a program that makes them (or the other tests
    would pass on a trace that sees nothing)."""
    traced = Traced(tmp_path)
    target = tmp_path / "elsewhere"
    script = (f"import os, pathlib; p = pathlib.Path({str(target)!r}); p.mkdir(); "
              "(p / 'a').write_text('x'); os.rename(p / 'a', p / 'b'); os.unlink(p / 'b')")
    command = [*traced.command()[:-2], "-c", script]
    subprocess.run(command, cwd=tmp_path, env=traced.env, check=True, timeout=60)
    found = written(traced.log.read_text(), tmp_path)
    assert {str(target), str(target / "a"), str(target / "b")} <= found


def test_init_import_build_cover_and_preview_write_only_inside(tmp_path: Path) -> None:
    traced = Traced(tmp_path)
    made = tmp_path / "new-anthology"
    result = traced.run(tmp_path, "init", str(made))
    assert result.returncode == 0, result.stderr
    assert (made / "volumes").is_dir()
    assert traced.outside(made, tmp_path) == []

    root = make_workspace(tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(IMPORT_PAGE, inbox / IMPORT_PAGE.name)
    steps = [
        ("import", "text", str(inbox / IMPORT_PAGE.name), "--into", "volumes/imported"),
        ("build", "--root", str(root), "-j", "2"),
        ("cover", "v1", "--root", str(root)),
        ("preview", "v1", "--pages", "1-2", "--root", str(root)),
    ]
    for args in steps:
        result = traced.run(root, *args)
        assert result.returncode == 0, (args, result.stdout + result.stderr)
        assert traced.outside(root, root) == [], args
        assert traced.inside(root, root), args  # the trace saw this step's own writes
    assert any((root / "volumes" / "imported").glob("*.md"))
    assert (root / "build" / "v1.epub").is_file()


def test_serve_writes_only_inside(tmp_path: Path) -> None:
    traced = Traced(tmp_path)
    root = make_workspace(tmp_path)
    # A session of its own: Ctrl-C goes to strace and the server alike (strace alone would
    # detach and leave the server running).
    process = subprocess.Popen(traced.command("serve", "--port", "0", "--root", str(root)),
                               cwd=root, env=traced.env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        url = _address(process)
        with urllib.request.urlopen(url, timeout=120) as page:
            assert page.status == 200
            front = page.read().decode()
        chapter = re.search(r'href="(/[^"]+)"', front)
        if chapter is not None:
            with urllib.request.urlopen(url.rstrip("/") + chapter[1], timeout=120) as page:
                page.read()
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert traced.outside(root, root) == []


def _address(process: subprocess.Popen) -> str:
    """The preview's address, read from what `serve` prints as it starts."""
    seen = []
    deadline = time.monotonic() + 300  # a bound on a hang, not a measure of speed
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 5)
        if not ready:
            if process.poll() is not None:
                break
            continue
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        match = re.search(r"http://127\.0\.0\.1:\d+/?", line)
        if match:
            return match[0]
    pytest.fail("serve printed no address:\n" + "".join(seen))
