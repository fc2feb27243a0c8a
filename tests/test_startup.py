"""Start-up (issue 19): help and the version answer without loading the engines, so shell
completion and a typo cost no more than Python and typer (timed in `python -m benchmarks
startup`, never here)."""

from __future__ import annotations

import subprocess
import sys

import pytest

ENGINES = ("weasyprint", "ebooklib", "markdown", "bs4", "lxml", "pikepdf", "jinja2", "nh3")
PROBE = """
import sys
import anthology.__main__ as entry
sys.argv = ["anthology", *sys.argv[1:]]
try:
    entry.main()
except SystemExit:
    pass
print("loaded:" + ",".join(m for m in {engines!r} if m in sys.modules))
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], []])
def test_help_and_version_load_no_engine(args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE.format(engines=ENGINES), *args],
                          capture_output=True, text=True, check=True)
    last = done.stdout.strip().splitlines()[-1]
    assert last == "loaded:", f"anthology {' '.join(args)} imported {last}"


def test_every_command_is_listed_in_help() -> None:
    done = subprocess.run([sys.executable, "-m", "anthology", "--help"], capture_output=True,
                          text=True, check=True)
    for command in ("build", "check", "list", "import", "plan", "preflight", "cover",
                    "preview", "serve", "validate", "init", "new", "onix"):
        assert f"  {command} " in done.stdout or f"  {command}\n" in done.stdout, command
