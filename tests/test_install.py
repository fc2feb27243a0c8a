"""A plain install works (issue 19): the package built from this source as pip builds it (a
wheel, not the editable tree) carries its theme, starter, scripts and data, and its
`anthology` command starts, makes a workspace and builds it.

No network here: the new venv sees the development environment's libraries through a `.pth`
line (which adds their folder, not their own `.pth` hooks, so this checkout's editable install
is invisible to it) and pip builds and installs only anthology itself, `--no-deps`."""

from __future__ import annotations

import shutil
import subprocess
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO

IGNORED = shutil.ignore_patterns(".venv", "build", ".git", "__pycache__", "*.egg-info",
                                 "node_modules", ".pytest_cache", ".hypothesis", "tests")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with anthology installed from a copy of this checkout; its bin folder."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    shutil.copytree(REPO, source, ignore=IGNORED)
    env = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    purelib = Path(subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True).stdout.strip())
    (purelib / "development-libraries.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", str(source)], capture_output=True, text=True, cwd=base, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return env / "bin"


def _run(bin_folder: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([bin_folder / "anthology", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=900, check=False)


@pytest.mark.e2e
def test_the_installed_command_starts_and_builds_a_new_workspace(installed: Path,
                                                                 tmp_path: Path) -> None:
    python = installed / "python"
    where = subprocess.run([python, "-c", "import anthology; print(anthology.__file__)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert str(REPO / "anthology") not in where  # the installed copy, not this checkout
    assert _run(installed, "--help", cwd=tmp_path).returncode == 0
    made = _run(installed, "init", "ws", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    built = _run(installed, "build", "-j", "1", cwd=tmp_path / "ws")
    assert built.returncode == 0, built.stdout + built.stderr
    out = tmp_path / "ws" / "build"
    for name in ("first-volume.epub", "first-volume.pdf", "first-volume-cover.jpg",
                 "first-volume-playlist.m3u8"):
        assert (out / name).stat().st_size > 1000 or name.endswith(".m3u8"), name
    planned = _run(installed, "plan", cwd=tmp_path / "ws")  # reads the package's pricing data
    assert planned.returncode == 0, planned.stderr
