"""Shared fixtures: small workspaces written on the fly, and the `--regen` flag for golden cases."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent

VOLUME_TOML = """\
title = "Test Volume"
author = "Jonah Whitlock"
language = "en"
date = 2026-03-01
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen", action="store_true",
                     help="rewrite the expected output of tests/cases/ (review the diff!)")


@pytest.fixture
def regen(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen"))


class WorkspaceBuilder:
    """Writes a workspace into a temporary folder, one file at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "volumes").mkdir(parents=True, exist_ok=True)

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def volume(self, slug: str = "v1", toml: str = VOLUME_TOML) -> Path:
        return self.write(f"volumes/{slug}/volume.toml", toml)

    def review(self, slug: str, volume: str = "v1", body: str = "An essay.\n",
               **front: Any) -> Path:
        front.setdefault("title", slug.replace("-", " ").title())
        header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
        return self.write(f"volumes/{volume}/{slug}.md", f"---\n{header}---\n\n{body}")


@pytest.fixture
def workspace(tmp_path: Path) -> WorkspaceBuilder:
    return WorkspaceBuilder(tmp_path / "ws")


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The sample collection built by `anthology build`, once a test run for each profile,
    shared by every xdist worker (the first to ask builds it; the others wait for it)."""
    from filelock import FileLock
    from typer.testing import CliRunner

    from anthology.cli import app

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if base.name.startswith("popen-gw") else base

    def built(profile: str = "digital") -> Path:
        if profile != "digital":
            built("digital")  # its settled page map starts the others off (the same pages)
        out = shared / f"samples-{profile}"
        done = shared / f"samples-{profile}.done"
        with FileLock(str(shared / f"samples-{profile}.lock")):
            if not done.exists():
                # A printer's profile changes the PDF alone: its folder holds the interior.
                formats = [] if profile == "digital" else ["--only", "pdf"]
                result = CliRunner().invoke(app, ["build", "--root", str(REPO), "--out",
                                                  str(out), "--profile", profile, *formats])
                assert result.exit_code == 0, result.output
                done.write_text("built\n")
        return out
    return built


SAMPLE_VOLUMES = sorted(p.parent.name for p in (REPO / "volumes").glob("*/volume.toml"))


@pytest.fixture(scope="session")
def sample_books(sample_build: Any, tmp_path_factory: pytest.TempPathFactory
                 ) -> dict[str, Path]:
    """Every file a publisher uploads, made by one `anthology build --print --stores` (the
    EPUBs and each store's edition of them, the reading PDFs, each printer's interior and cover
    wrap, and, every sample naming a hardcover ISBN, the hardcover's interior, case and dust
    jacket) into one folder, by profile: what
    `anthology preflight` checks with no other command. Built once a test run, whichever
    worker asks first (after the digital build, whose laid-out pieces it reuses)."""
    from filelock import FileLock
    from typer.testing import CliRunner

    from anthology.cli import app

    sample_build("digital")
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if base.name.startswith("popen-gw") else base
    out, done = shared / "samples-print", shared / "samples-print.done"
    with FileLock(str(shared / "samples-print.lock")):
        if not done.exists():
            result = CliRunner().invoke(app, ["build", "--print", "--stores", "--root",
                                              str(REPO), "--out", str(out)])
            assert result.exit_code == 0, result.output
            done.write_text("built\n")
    return {profile: out for profile in ("digital", "kdp", "ingram", "ingram-hardcover")}
