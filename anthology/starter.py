"""`anthology init`: a ready workspace to start from, copied from the package's `starter/`.

The starter is a small but complete workspace (a commented volume.toml, two reviews that use
every part of a review, a foreword, a styles/ folder that explains overriding, a .gitignore),
so `anthology build` works in it at once and a new author learns by editing. Nothing that is
already there is ever overwritten: an existing file is kept and named in the summary. Every
file goes inside the folder: one of its folders (`volumes/`, `styles/`) that is a symbolic
link to elsewhere is refused, naming it, before anything is written (anthology.workspace.writes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anthology.workspace.writes import WriteRefused, inside

STARTER = Path(__file__).parent / "starter"
# Files a package cannot ship under their real names.
RENAMED = {"gitignore": ".gitignore"}


@dataclass(frozen=True)
class Started:
    folder: Path
    written: tuple[Path, ...]
    kept: tuple[Path, ...]


class StarterError(Exception):
    """The workspace cannot be made where it was asked for."""


def starter_files() -> list[tuple[Path, Path]]:
    """(file in the package, path relative to the new workspace), in a stable order."""
    pairs = []
    for source in sorted(STARTER.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            relative = source.relative_to(STARTER)
            pairs.append((source, relative.with_name(RENAMED.get(relative.name,
                                                                 relative.name))))
    return pairs


def create_workspace(folder: Path) -> Started:
    """Copy the starter into `folder` (made if missing), keeping every file already there."""
    if folder.exists() and not folder.is_dir():
        raise StarterError(f"'{folder}' is a file, not a folder")
    pairs = starter_files()
    try:
        for _, relative in pairs:
            inside((folder / relative).parent, folder, "the new workspace")
    except WriteRefused as exc:
        raise StarterError(f"{exc}; nothing was written") from None
    written, kept = [], []
    for source, relative in pairs:
        target = folder / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as handle:  # "x": never replace what is there
                handle.write(source.read_bytes())
        except FileExistsError:
            kept.append(relative)
            continue
        except OSError as exc:
            raise StarterError(f"cannot write '{target}': {exc.strerror or exc}") from None
        written.append(relative)
    return Started(folder, tuple(written), tuple(kept))
