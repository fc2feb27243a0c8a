"""What a new user trips over, each tried as they would: help that keeps its defaults, `-h`,
a bare `anthology`, `check` that finds what `build` would, a `list` that lists, Ctrl-C, the
set-up script in a log, and the closing summary of every command."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anthology.cli import app
from benchmarks.generate import generate
from tests.conftest import REPO

runner = CliRunner()
COMMANDS = [["build"], ["check"], ["list"], ["init"], ["validate"], ["serve"], ["cover"],
            ["preview"], ["import", "text"], ["import", "wordpress"], ["import", "html"],
            ["new"], ["plan"], ["preflight"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_keeps_its_defaults_and_speaks_plainly(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "-h"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output
    assert not re.search(r"<(list\[|int|str|path|dir|float)", result.output), result.output
    assert not re.search(r"\w \.$", result.output, re.MULTILINE)  # "the books ." lost a default
    assert not re.search(r"\b([A-Z]+) \1\b", result.output), result.output  # "VOLUME VOLUME"
    assert "{" not in result.output.splitlines()[0], result.output  # "{FILE}..."


def test_the_defaults_that_rich_markup_used_to_eat_are_shown() -> None:
    result = runner.invoke(app, ["build", "--help"])
    assert "[default: build/ in" in result.output
    assert "[default: one per" in result.output


def test_a_bare_anthology_shows_help_and_succeeds() -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 0
    assert "Commands:" in result.output and "build" in result.output
    assert "--install-completion" in result.output


def test_check_finds_what_would_break_the_build(workspace) -> None:
    workspace.volume()
    workspace.review("alpha", appraisal=1)
    workspace.write("styles/templates/chapter.xhtml",
                    '{% extends "default/chapter.xhtml" %}\n'
                    "{% block signature %}{{ chapter.no_such_field }}{% endblock %}\n")
    result = runner.invoke(app, ["check", "--root", str(workspace.root)])
    assert result.exit_code == 1
    assert "styles/templates/chapter.xhtml:2: error: template error:" in result.output
    workspace.write("styles/templates/chapter.xhtml", '{% extends "default/chapter.xhtml" %}\n')
    workspace.write("styles/css/local.css", ".never-used { background: url(https://x.org/a.png) }")
    result = runner.invoke(app, ["check", "--root", str(workspace.root)])
    assert result.exit_code == 1
    assert "styles/css/local.css:1: error: url 'https://x.org/a.png'" in result.output


def test_list_lists_what_it_can_read_and_names_the_rest(workspace) -> None:
    workspace.volume()
    workspace.review("alpha", appraisal=1)
    workspace.write("volumes/v1/broken.md", "---\ntitle: [unclosed\n---\n")
    result = runner.invoke(app, ["list", "--root", str(workspace.root)])
    assert "Alpha" in result.output and "(1 review)" in result.output
    assert "volumes/v1/broken.md:2: error:" in result.output
    assert "nothing was built" not in result.output
    assert "Next: anthology check" in result.output


def test_every_command_ends_with_where_how_long_and_what_next(workspace) -> None:
    workspace.volume()
    workspace.review("alpha", appraisal=1)
    checked = runner.invoke(app, ["check", "--root", str(workspace.root)])
    assert re.search(r"no errors \(\d+\.\d s\)\. Next: anthology build\.", checked.output)
    built = runner.invoke(app, ["build", "--only", "epub", "--root", str(workspace.root)])
    assert built.exit_code == 0, built.output
    assert re.search(r"Built 2 files of 1 volume in build/, 2 new or changed \(\d+\.\d s\)\. "
                     r"Next: anthology validate", built.output)


def test_quiet_and_verbose(workspace) -> None:
    workspace.volume()
    workspace.review("alpha", appraisal=1)
    quiet = runner.invoke(app, ["-q", "build", "--only", "epub", "--root", str(workspace.root)])
    assert quiet.exit_code == 0 and "Built" not in quiet.output and "Next:" not in quiet.output
    loud = runner.invoke(app, ["-v", "build", "--only", "epub", "--root", str(workspace.root)])
    assert loud.exit_code == 0
    assert re.search(r"^\[\d+/\d+\] ", loud.output, re.MULTILINE)  # each step, one line


@pytest.mark.e2e
def test_ctrl_c_says_so_and_exits_130(tmp_path: Path) -> None:
    root = generate(tmp_path, 12, words=2500)
    process = subprocess.Popen([sys.executable, "-m", "anthology", "build", "--no-cache",
                                "-j", "1", "--root", str(root)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(6)  # loading is done and the layout is under way
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 130, errors
    assert "interrupted" in errors and "Traceback" not in errors


def test_the_setup_script_writes_plain_text_into_a_log() -> None:
    result = subprocess.run(["bash", str(REPO / "setup.sh")], capture_output=True, text=True,
                            env={**os.environ, "TERM": "xterm"}, check=False, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "==> ready" in result.stderr
    assert "\x1b[" not in result.stderr + result.stdout


def test_the_readme_says_how_long_the_tests_take_and_how_to_run_the_quick_ones() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(r"about \d+ minutes", readme)
    assert 'pytest -m "not e2e"' in readme
