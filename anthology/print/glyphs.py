"""Characters the theme's font lacks: which ones a layout set in another font (or in none),
and where the author wrote them, so the build's warning names the line to fix.

Writing a PDF, WeasyPrint records for every font it used the text each glyph stands for (for
the PDF's ToUnicode maps) and the characters it drew as a blank box because no font had them.
Read after writing, that is exactly what fell back, at no cost: no second layout, no guess
from the sources. The characters are then found in the book's sources by a plain search of
their lines (HTML entities and YAML or TOML escapes included).
"""

from __future__ import annotations

import functools
import html
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from anthology.workspace import files
from anthology.workspace.problems import Problem, Severity
from anthology.workspace.theme import Theme

FONT_SUFFIXES = frozenset({".otf", ".ttf", ".ttc", ".otc", ".woff", ".woff2"})
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*?font-family\s*:\s*([^;}]+)", re.IGNORECASE)
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")
SHOWN = 8  # characters a warning lists before "and N more"


@dataclass(frozen=True)
class Glyphs:
    """What a layout set outside the theme's font. `fallback`: per family not the theme's,
    the characters the theme's font lacks that were set in it ("" when all it set the theme
    has: a stylesheet asked for that family). `missing`: characters no font had, drawn as a
    blank box."""

    fallback: tuple[tuple[str, str], ...] = ()
    missing: str = ""

    def __bool__(self) -> bool:
        return bool(self.fallback or self.missing)

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(family for family, _ in self.fallback)


NO_GLYPHS = Glyphs()  # (frozen: one default for every record)


def merged(many: Iterable[Glyphs]) -> Glyphs:
    """One book's glyphs from its pieces'."""
    fallback: dict[str, set[str]] = {}
    missing: set[str] = set()
    for glyphs in many:
        for family, chars in glyphs.fallback:
            fallback.setdefault(family, set()).update(chars)
        missing.update(glyphs.missing)
    return Glyphs(tuple((f, "".join(sorted(c))) for f, c in sorted(fallback.items())),
                  "".join(sorted(missing)))


@dataclass(frozen=True)
class ThemeFonts:
    """The theme's own faces: the names they go by and every character they have."""

    names: tuple[str, ...]  # as a message names them ("EB Garamond")
    families: frozenset[str]  # every family name a layout may report for one of them
    coverage: frozenset[int]


def theme_fonts(theme: Theme) -> ThemeFonts:
    """The font files in the theme chain's fonts/ folders, and the families its stylesheets
    declare with @font-face (read once per process while the files are the same)."""
    found: list[tuple[str, int, int]] = []
    for folder in theme.dirs:
        for kind, suffixes in (("fonts", FONT_SUFFIXES), ("css", frozenset({".css"}))):
            if (folder / kind).is_dir():
                for path in sorted((folder / kind).rglob("*")):
                    if path.suffix.lower() in suffixes and path.is_file():
                        info = path.stat()
                        found.append((str(path), info.st_size, info.st_mtime_ns))
    return _read_fonts(tuple(found), tuple(str(d) for d in theme.roots()))


@functools.cache
def _read_fonts(found: tuple[tuple[str, int, int], ...], roots: tuple[str, ...]
                ) -> ThemeFonts:
    """(Read under the workspace's policy for theme files, as WeasyPrint reads them.)"""
    from fontTools.ttLib import TTFont  # only when a book is laid out

    names: dict[str, None] = {}
    families: set[str] = set()
    coverage: set[int] = set()
    for name, _, _ in found:
        path = Path(name)
        css = path.suffix.lower() == ".css"
        try:
            data = files.read_bytes(path, [Path(r) for r in roots],
                                    files.THEME_BYTES if css else files.FONT_BYTES)
        except (files.Refused, OSError):
            continue  # (the build itself says why it cannot read it)
        if css:
            text = data.decode("utf-8", "replace")
            families.update(m.strip().strip("\"'").strip() for m in _FONT_FACE.findall(text))
            continue
        try:
            with TTFont(io.BytesIO(data), lazy=True, fontNumber=0) as font:
                coverage.update(font.getBestCmap() or {})
                table = font["name"]
                typographic = table.getDebugName(16) or table.getDebugName(1)
                plain = table.getDebugName(1)
        except Exception:  # (any fault of the file's) a face fontTools cannot read covers nothing
            continue
        families.update(n for n in (typographic, plain) if n)
        if typographic:
            names[typographic] = None
    return ThemeFonts(tuple(names), frozenset(families), frozenset(coverage))


def _invisible(char: str) -> bool:
    """Format characters and variation selectors: part of a cluster, never a glyph of their
    own to report."""
    code = ord(char)
    return unicodedata.category(char) == "Cf" or 0xFE00 <= code <= 0xFE0F \
        or 0xE0100 <= code <= 0xE01EF


def found_in(document: object, fonts: ThemeFonts) -> Glyphs:
    """What the written `document` (a weasyprint.Document, after write_pdf) set outside the
    theme's faces."""
    fallback: dict[str, set[str]] = {}
    missing: set[str] = set()
    for font in getattr(document, "fonts", {}).values():
        family = font.family.decode("utf-8", "replace") if isinstance(font.family, bytes) \
            else str(font.family)
        lost = {chr(code) for code in getattr(font, "missing", {})}
        missing.update(c for c in lost if not _invisible(c))
        if family in fonts.families:
            continue
        chars = {c for text in font.to_unicode.values() for c in text} - lost
        if any(not c.isspace() for c in chars):  # (a space after a fallback character)
            fallback.setdefault(family, set()).update(
                c for c in chars if ord(c) not in fonts.coverage and not _invisible(c))
    return Glyphs(tuple((f, "".join(sorted(c))) for f, c in sorted(fallback.items())),
                  "".join(sorted(missing)))


# --- Where the author wrote them -----------------------------------------------------------

@dataclass(frozen=True)
class Sources:
    """The files each book is made from (by slug, in book order), under the workspace root."""

    root: Path
    books: Mapping[str, tuple[Path, ...]]


def book_sources(workspace: object) -> Sources:
    """Each volume's volume.toml, its front and back matter and its reviews."""
    from anthology.workspace.volumes import volume_reviews

    books: dict[str, tuple[Path, ...]] = {}
    for volume in workspace.volumes:  # type: ignore[attr-defined]
        source = volume.source
        matter = [volume.folder / name for name in (source.dedication, source.foreword,
                                                    source.afterword, source.back_cover)
                  if name]
        books[volume.slug] = (volume.path, *matter,
                              *(r.path for r in volume_reviews(volume, workspace)))
    return Sources(workspace.root, books)  # type: ignore[attr-defined]


def shown(char: str) -> str:
    """`✓ U+2713`; a character that would not show (a control, a space, a lone combining
    mark) is written as an escape."""
    code = f"U+{ord(char):04X}"
    if not char.isprintable() or char.isspace():
        return f"{char.encode('unicode_escape').decode('ascii')} {code}"
    if unicodedata.category(char).startswith("M"):
        return f"\u25cc{char} {code}"  # on a dotted circle, as character charts show marks
    return f"{char} {code}"


def _listed(chars: Sequence[str]) -> str:
    more = f" and {len(chars) - SHOWN} more" if len(chars) > SHOWN else ""
    return ", ".join(shown(c) for c in chars[:SHOWN]) + more


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _count(chars: Sequence[str]) -> str:
    return "1 character is" if len(chars) == 1 else f"{len(chars)} characters are"


def _were(chars: Sequence[str]) -> str:
    return "was" if len(chars) == 1 else "were"


def _first_lines(text: str, wanted: frozenset[str]) -> dict[str, int]:
    """The line each of `wanted` first occurs on in `text`, in order of occurrence; as
    written or as an HTML entity or a \\u escape."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if "&" in line:
            line += html.unescape(line)
        if "\\" in line:
            line += "".join(chr(int(a or b, 16)) for a, b in _ESCAPE.findall(line)
                            if int(a or b, 16) < 0x110000)
        for char in line:
            if char in wanted and char not in found:
                found[char] = number
    return found


def _read(path: Path, root: Path) -> str:
    try:
        return files.read_bytes(path, (root,), files.SOURCE_BYTES).decode("utf-8", "replace")
    except (files.Refused, OSError):
        return ""


@dataclass(frozen=True)
class Report:
    """A book's glyph warnings: one problem per source file (and kind), at the line of its
    first such character, and what no source holds (a template's text?) or no character
    explains (a stylesheet's family), said of the PDF."""

    problems: tuple[Problem, ...]
    warnings: tuple[str, ...]


def report(glyphs: Glyphs, paths: Sequence[Path], root: Path, fonts: ThemeFonts,
           pdf: str) -> Report:
    """The warnings for a book's `glyphs`, found in its source files `paths`."""
    if not glyphs:
        return Report((), ())
    names = f" ({_and(fonts.names)})" if fonts.names else ""
    theme, theirs = f"the theme's font{names}", f"the theme's{names}"
    where: dict[str, list[str]] = {}  # a character -> the families it was set in
    for family, chars in glyphs.fallback:
        for char in chars:
            where.setdefault(char, []).append(family)

    def set_in(chars: Sequence[str]) -> str:
        families = _and(sorted({f for c in chars for f in where[c]}))
        return f"{_count(chars)} not in {theme} and {_were(chars)} set in {families}"

    def in_no_font(chars: Sequence[str]) -> str:
        return (f"{_count(chars)} in no font, neither {theirs} nor one on this machine, and "
                f"{'prints' if len(chars) == 1 else 'print'} as a blank box")

    wanted = frozenset(where) | frozenset(glyphs.missing)
    problems: list[Problem] = []
    placed: set[str] = set()
    for path in paths:
        lines = _first_lines(_read(path, root), wanted) if wanted else {}
        placed.update(lines)
        for chars, say in (([c for c in lines if c in where], set_in),
                           ([c for c in lines if c in glyphs.missing], in_no_font)):
            if chars:
                problems.append(Problem(path, lines[chars[0]],
                                        f"{say(chars)}: {_listed(chars)}", Severity.WARNING))
    warnings = []
    elsewhere = "and in none of the volume's sources (a template?)"
    for chars, say in (([c for c in sorted(where) if c not in placed], set_in),
                       ([c for c in glyphs.missing if c not in placed], in_no_font)):
        if chars:
            warnings.append(f"{pdf}: {say(chars)}, {elsewhere}: {_listed(chars)}")
    for family, chars in glyphs.fallback:
        if not chars:
            warnings.append(f"{pdf}: text was set in {family}, which is not {theme}: a "
                            "stylesheet asks for a family the theme has no face for")
    return Report(tuple(problems), tuple(warnings))
