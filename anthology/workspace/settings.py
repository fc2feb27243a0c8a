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

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from anthology.workspace.problems import Problems
from anthology.workspace.sources import read_text, report_validation
from anthology.workspace.volumes import parse_toml, toml_key_lines

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
    path = root / SETTINGS_FILE
    if not path.exists() and not path.is_symlink():
        return Settings()
    text = read_text(path, problems, (root,))
    if text is None:
        return Settings()
    data = parse_toml(text, path, problems)
    if data is None:
        return Settings()
    lines = toml_key_lines(text)
    try:
        source = SettingsSource.model_validate(data)
    except ValidationError as exc:
        report_validation(exc, path, lines, 1, list(SettingsSource.model_fields), problems)
        return Settings()
    default = lines.get(("lint", "ignore"), 1)
    return Settings(path, tuple((code, _line_of(text, code, default))
                                for code in source.lint.ignore))
