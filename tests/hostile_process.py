"""Hostile inputs for process hygiene: signals, memory limits, terminal output, worker ends
(issue 20, findings 4, 5 and 10). What needs a real process of its own (a kill, Ctrl-C, a
memory limit) is in tests/test_build_kill.py; these are the names and titles a terminal must
show escaped, never obey."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.hostile_kit import V1, generator, write

IMPORT = Path(__file__).parent / "fixtures" / "import"
# An ESC sequence that clears the screen, and a newline that starts a forged error line.
FORGED = "gamma\x1b[2J\nerror: forged"


@generator
def file_name_forges_error(root: Path, outside: Path) -> None:
    """A broken review whose file name would clear the terminal and print a second, forged
    `error:` line."""
    write(root, V1 / f"{FORGED}.md", "---\ntitle: [unclosed\n---\n\nText.\n")


@generator
def volume_folder_escape_and_markup(root: Path, outside: Path) -> None:
    """The volume's folder name carries rich markup ("[b]") and an ESC sequence: the build's
    summary names its books."""
    shutil.move(root / V1, root / "volumes" / "v[b]\x1b[31mred")


@generator
def import_title_escape(root: Path, outside: Path) -> None:
    """A saved text page whose title carries an ESC sequence and a BEL."""
    text = (IMPORT / "alien-appraisal-212.txt").read_text(encoding="utf-8")
    assert "Alien (1979)" in text
    write(root, "pages/alien.txt", text.replace("Alien (1979)", "Alien\x1b[2J\x07 (1979)", 1))
