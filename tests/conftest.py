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


SAMPLE_VOLUMES = sorted(p.parent.name for p in (REPO / "volumes").glob("*/volume.toml"))


@pytest.fixture(scope="session")
def sample_books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample volumes built once a session (a test worker) in every profile, with their
    cover wraps: the EPUBs and digital PDFs, the KDP and Ingram interiors and covers, as
    `anthology build` and `anthology cover` write them."""
    from typer.testing import CliRunner

    from anthology.cli import app

    out = tmp_path_factory.mktemp("sample-books")
    runner = CliRunner()
    for profile, formats in (("digital", []), ("kdp", ["-f", "pdf"]),
                             ("ingram", ["-f", "pdf"])):
        result = runner.invoke(app, ["build", "--root", str(REPO), "--out", str(out),
                                     "--profile", profile, *formats])
        assert result.exit_code == 0, result.output
    for volume in SAMPLE_VOLUMES:
        for profile in ("kdp", "ingram"):
            result = runner.invoke(app, ["cover", volume, "--root", str(REPO), "--out",
                                         str(out), "--profile", profile])
            assert result.exit_code == 0, result.output
    return out
