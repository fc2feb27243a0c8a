"""The theme chain: the default theme inside the package, overridden by a workspace's `styles/`.

A file in `styles/templates/` or `styles/css/` replaces the default file of the same name; a
template may instead extend the default one (`{% extends "default/chapter-body.xhtml" %}`) and
replace a single block. `styles/css/local.css`, when present, is loaded after the defaults.
Templates render in a sandbox (`anthology/render/sandbox.py`): a theme is shared like any
other file and must not be able to read, write or run anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from anthology.render.sandbox import ThemeSandbox
from anthology.workspace import files

PACKAGE_THEME = Path(__file__).parent.parent / "theme"
# The filters templates may use; the render stage supplies them (tests/test_theme.py checks
# that it supplies exactly these), and `anthology check` compiles templates knowing them.
FILTER_NAMES = ("fact_groups", "roman", "long_date", "isbn", "href", "opening")
STYLES_DIR = "styles"
LOCAL_CSS = "local.css"


class ThemeError(Exception):
    """A template or stylesheet of the theme is broken; the message names it, and `path`
    and `line` say where, when that is known, so it can be shown as `path:line: error:`."""

    def __init__(self, message: str, path: Path | None = None, line: int = 0) -> None:
        super().__init__(message)
        self.message, self.path, self.line = message, path, line


class _ConfinedLoader(jinja2.FileSystemLoader):
    """Templates only from regular files inside their theme folder: a template that is a
    symbolic link to a file elsewhere is refused, not read."""

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        try:
            files.check_path(Path(filename), [Path(p) for p in self.searchpath])
        except files.Refused as exc:
            raise ThemeError(f"{filename}: the template {exc}") from None
        return source, filename, uptodate


@dataclass(frozen=True)
class Theme:
    """Where templates, stylesheets and fonts come from, in lookup order."""

    dirs: tuple[Path, ...]

    @classmethod
    def for_workspace(cls, root: Path) -> Theme:
        styles = root / STYLES_DIR
        mine = styles.is_dir() and styles.resolve().is_relative_to(root.resolve())
        return cls((styles, PACKAGE_THEME) if mine else (PACKAGE_THEME,))

    def environment(self) -> jinja2.Environment:
        """The theme's templates, in the sandbox: includes, imports and extends find only
        templates of this chain (the workspace's over the package's, which a workspace
        template reaches as "default/...")."""
        chain = jinja2.ChoiceLoader([
            jinja2.PrefixLoader({"default": _ConfinedLoader(PACKAGE_THEME / "templates")}),
            jinja2.ChoiceLoader([_ConfinedLoader(d / "templates") for d in self.dirs]),
        ])
        return ThemeSandbox(
            loader=chain,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def find(self, kind: str, name: str) -> Path | None:
        """The first file called `name` in the `kind` folder (css, fonts) along the chain."""
        for folder in self.dirs:
            candidate = folder / kind / name
            if candidate.exists():
                return self._confined(candidate, folder)
        return None

    @staticmethod
    def _confined(path: Path, folder: Path) -> Path:
        try:
            files.check_path(path, (folder,))
        except files.Refused as exc:
            raise ThemeError(f"{path}: the theme file {exc}") from None
        return path

    def stylesheets(self, *names: str) -> list[Path]:
        """The named stylesheets, each from the first theme that has it, then `local.css`."""
        found = [path for name in names if (path := self.find("css", name)) is not None]
        local = self.dirs[0] / "css" / LOCAL_CSS
        if self.dirs[0] != PACKAGE_THEME and local.exists():
            found.append(self._confined(local, self.dirs[0]))
        return found

    def roots(self) -> tuple[Path, ...]:
        return tuple(d.resolve() for d in self.dirs)
