"""`anthology serve` refusing to start (a taken port, a folder that is not a workspace), and
what its terminal says while it serves: a line a refresh, the new problems and the fixed, the
requests with -v. (The page updating in a browser is tests/test_serve_browser.py.)"""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.cli import app
from anthology.starter import create_workspace

REPO = Path(__file__).resolve().parent.parent


def test_a_taken_port_is_one_error_line(tmp_path: Path) -> None:
    create_workspace(tmp_path / "ws")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port), "--root",
                                          str(tmp_path / "ws")])
    assert result.exit_code == 1
    assert f"error: cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def test_a_folder_without_volumes_is_not_served(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--port", "0", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert "error: no 'volumes/' folder here" in result.output


BOUND = 120.0  # what no step may take (start-up imports included), however busy the machine
REVIEW = "volumes/first-volume/vampyr.md"
BAD_DATE = ("Release Date: May 6, 1932", "Release Date: Mai 66, 1932")
BAD_SCORE = ("judgement: 9/10", "judgement: 12/10")


class Terminal:
    """`anthology serve` in a subprocess, each line of its stdout and stderr as it comes."""

    def __init__(self, root: Path, flags: list[str]) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])}
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "anthology", *flags, "serve", "--port", str(self.port),
             "--root", str(root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env)
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.seen: dict[str, list[str]] = {"out": [], "err": []}
        self.readers = [threading.Thread(target=self._read, args=(name, stream), daemon=True)
                        for name, stream in (("out", self.process.stdout),
                                             ("err", self.process.stderr))]
        for reader in self.readers:
            reader.start()

    def _read(self, name: str, stream) -> None:
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, stream: str, pattern: str) -> str:
        """The first line of `stream` from now on matching `pattern` (all are kept)."""
        deadline = time.monotonic() + BOUND
        while (left := deadline - time.monotonic()) > 0:
            try:
                name, line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.seen[name].append(line)
            if name == stream and re.search(pattern, line):
                return line
        raise AssertionError(f"no {pattern!r} on std{stream} within {BOUND} s: {self.seen}")

    def get(self, path: str) -> int:
        deadline = time.monotonic() + BOUND
        while True:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=BOUND)
            try:
                connection.request("GET", path)
                return connection.getresponse().status
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "the server never listened"
                time.sleep(0.2)
            finally:
                connection.close()

    def edit(self, old: str, new: str) -> None:
        """One atomic save (a hidden temporary file renamed over the review)."""
        path = self.root / REVIEW
        text = path.read_text(encoding="utf-8")
        temporary = path.with_name(".saving.md")
        temporary.write_text(text.replace(old, new, 1), encoding="utf-8")
        os.replace(temporary, path)

    def stop(self) -> int:
        """Ctrl-C; the rest of what it printed is kept in `seen`."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(BOUND)
        for reader in self.readers:
            reader.join(BOUND)
        while not self.lines.empty():
            name, line = self.lines.get()
            self.seen[name].append(line)
        return code


@pytest.mark.parametrize("flags", [[], ["-v"], ["-q"]], ids=["plain", "verbose", "quiet"])
def test_the_terminal_logs_each_refresh_its_new_problems_and_the_fixed(
        tmp_path: Path, flags: list[str]) -> None:
    """19.7: the terminal said nothing while serving, a new problem showed only in the browser;
    now each refresh is a line, each new problem and each fixed one too, each request with -v,
    only the problems with -q."""
    create_workspace(tmp_path / "ws")
    terminal = Terminal(tmp_path / "ws", flags)
    try:
        assert terminal.get("/") == 200
        terminal.edit(*BAD_DATE)
        warning = rf"^{REVIEW}:7: warning: Release Date: 'Mai 66, 1932' is not a date"
        terminal.wait_for("err", warning)
        terminal.edit(*BAD_DATE[::-1])
        if flags != ["-q"]:  # (the first save may be caught by the check made at start-up)
            terminal.wait_for("out", rf"^\d\d:\d\d:\d\d rebuilt after 1 change \({REVIEW}\) "
                                     r"in \d+\.\d+ s: 1 volume, no problems$")
            terminal.wait_for("out", f"^fixed: {REVIEW}:7: warning: Release Date: 'Mai 66")
        terminal.edit(*BAD_SCORE)  # after the fix: a problem once more, the only one
        terminal.wait_for("err", rf"^{REVIEW}:21: error: judgement: .*'12/10' is outside")
    finally:
        code = terminal.stop()
    assert code == 0, terminal.seen
    out, errors = terminal.seen["out"], terminal.seen["err"]
    assert len([line for line in errors if re.search(warning, line)]) == 1  # said once
    assert not any("Traceback" in line for line in errors)
    assert any(re.fullmatch(r"\d\d:\d\d:\d\d GET / 200", line) for line in out) \
        == (flags == ["-v"])
    if flags == ["-q"]:
        assert out == []
    else:
        assert out[0].startswith("Previewing 1 volume at http://127.0.0.1:")
        assert re.search(rf"rebuilt after 1 change \({REVIEW}\) .*: 1 volume, 1 error$", out[-2])
        assert out[-1] == "Stopped the preview. Goodbye."
