"""`anthology serve` refusing to start: a taken port, a folder that is not a workspace. (It
serving, updating and stopping on Ctrl-C is tests/test_serve_browser.py.)"""

from __future__ import annotations

import socket
from pathlib import Path

from typer.testing import CliRunner

from anthology.cli import app
from anthology.starter import create_workspace


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
