"""The files a workspace theme's stylesheets use (`@import "extra.css"`,
`url(../images/paper.png)`, a font), carried into the EPUB where those addresses lead.

The EPUB keeps a theme's stylesheets in `css/`, as the theme does, so an address relative to a
sheet needs no rewriting: the file goes to the same place relative to the EPUB's root as it
has in the theme folder. `anthology check` has already refused every address that leaves the
theme or names a kind of file a reader need not support; this only copies.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from anthology.workspace import css, files
from anthology.workspace.theme import ThemeError


@dataclass(frozen=True)
class ThemeFile:
    """One file to add to the EPUB: its name there, where it comes from, and its bytes."""

    name: str
    source: Path
    media_type: str
    data: bytes


def _limit(media_type: str) -> int:
    return files.FONT_BYTES if media_type.startswith("font/") else files.THEME_BYTES


def theme_files(sheets: list[Path], folder: Path, roots: tuple[Path, ...]) -> list[ThemeFile]:
    """Every file the `sheets` of the theme `folder` use, following @import, each once."""
    found: dict[str, ThemeFile] = {}
    queue = [path for path in sheets if path.is_relative_to(folder)]
    seen: set[Path] = set()
    while queue:
        sheet = queue.pop(0)
        if sheet in seen:
            continue
        seen.add(sheet)
        for item in _used(sheet, folder, roots):
            if item.name not in found:
                found[item.name] = item
                if item.media_type == "text/css":
                    queue.append(item.source)
    return list(found.values())


def _used(sheet: Path, folder: Path, roots: tuple[Path, ...]) -> Iterator[ThemeFile]:
    try:
        text = files.read_bytes(sheet, roots, files.THEME_BYTES).decode("utf-8")
    except (files.Refused, UnicodeDecodeError) as exc:
        raise ThemeError(f"the stylesheet cannot be read ({exc})", sheet) from None
    rules = css.parse(text.removeprefix("\ufeff"))
    if css.too_deep(rules) is not None:
        raise ThemeError(f"the stylesheet nests more than {css.NESTING} deep", sheet)
    base = sheet.parent.relative_to(folder).as_posix()
    for reference in css.references(rules):
        try:
            parts = urlsplit(reference.url)
        except ValueError:
            parts = urlsplit("invalid:")
        media_type = css.media_type(parts.path)
        name = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        if (parts.scheme or parts.netloc or reference.url.startswith("/")
                or name.startswith("../") or media_type is None):
            raise ThemeError(f"url '{reference.url[:80]}' cannot be carried into "
                             "the EPUB", sheet, reference.line)
        source = sheet.parent / unquote(parts.path)
        try:
            data = files.read_bytes(source, roots, _limit(media_type))
        except files.Refused as exc:
            raise ThemeError(f"url '{reference.url[:80]}' {exc}", sheet,
                             reference.line) from None
        yield ThemeFile(name, source, media_type, data)
