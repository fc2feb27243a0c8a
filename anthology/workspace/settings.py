"""The optional workspace file `anthology.toml`, beside `volumes/`: settings for the whole
workspace rather than one volume. For now, the linter codes it does not want reported:

    [lint]
    ignore = ["unknown-fact", "similar-names"]

Read under the same policy as people.toml (a regular file inside the workspace, within the
size limit, UTF-8); every fault is a `path:line` problem and a faulty file counts as empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from anthology.workspace.problems import Problems
from anthology.workspace.volumes import read_toml_file

SETTINGS_FILE = "anthology.toml"
_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
# A linter code: lower-case words and hyphens ("duplicate-film").
Code = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")]


class LintTable(BaseModel):
    model_config = _STRICT
    ignore: tuple[Code, ...] = ()


class SettingsSource(BaseModel):
    """anthology.toml as written."""

    model_config = _STRICT
    lint: LintTable = LintTable()


@dataclass(frozen=True)
class Settings:
    """What anthology.toml says, with the line of each ignored code (for a mistyped one)."""

    path: Path | None = None
    ignore: tuple[tuple[str, int], ...] = ()

    @property
    def ignored(self) -> frozenset[str]:
        return frozenset(code for code, _ in self.ignore)


def _line_of(text: str, value: str, default: int) -> int:
    for number, row in enumerate(text.split("\n"), start=1):
        if f'"{value}"' in row or f"'{value}'" in row:
            return number
    return default


def load_settings(root: Path, problems: Problems) -> Settings:
    """The workspace's anthology.toml, or empty settings when there is none."""
    found = read_toml_file(root / SETTINGS_FILE, root, SettingsSource, problems)
    if found is None:
        return Settings()
    default = found.lines.get(("lint", "ignore"), 1)
    return Settings(found.path, tuple((code, _line_of(found.text, code, default))
                                      for code in found.source.lint.ignore))
