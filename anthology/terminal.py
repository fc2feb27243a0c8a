"""What anthology prints on a terminal shows control characters escaped, never obeyed.

File names, titles and imported text are the author's (or a blog's), and an ESC sequence, a
carriage return or a newline in one would recolour the terminal, hide text or forge a second
`error:` line. `Console` escapes them in everything it renders (messages, tables, titles); a
problem's line escapes newlines too (`printable`), since it must stay one line.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Besides C0, DEL and C1 (category Cc): the characters that reorder or break what follows.
_FORMATTING = frozenset("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escaped(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _unsafe(char: str, keep: str) -> bool:
    return char not in keep and (char in _FORMATTING or unicodedata.category(char) == "Cc")


def printable(text: str, keep: str = "") -> str:
    """`text` with every control character (and line or direction override) written as an
    escape (`\\x1b`, `\\n`), but those in `keep`."""
    if text.isprintable():
        return text
    return "".join(_escaped(c) if _unsafe(c, keep) else c for c in text)


UNWRAPPED = 10_000  # columns of output that is not a terminal (a pipe, a log, a test)


def _console_class() -> type:
    """rich's Console, escaping control characters in every string it renders; newlines and
    tabs stay, as the program's own messages (help, tables) are made of lines. Output that is
    not a terminal is as wide as it needs: a file name in a table is never folded, whatever
    its length (rich would fold it at 80 columns)."""
    from rich.console import Console as RichConsole
    from rich.console import ConsoleDimensions

    class EscapingConsole(RichConsole):
        def render_str(self, text: str, **options: object) -> Text:  # type: ignore[override]
            return super().render_str(printable(text, keep="\n\t"), **options)  # type: ignore[arg-type]

        @property
        def size(self) -> ConsoleDimensions:
            measured = RichConsole.size.fget(self)  # type: ignore[attr-defined]
            if not self.is_terminal:  # even with COLUMNS set (as pytest-xdist sets it)
                return ConsoleDimensions(UNWRAPPED, measured.height)
            return measured

        @size.setter
        def size(self, new_size: tuple[int, int]) -> None:
            RichConsole.size.fset(self, new_size)  # type: ignore[attr-defined]

    return EscapingConsole


class Console:
    """A console that escapes control characters, made on first use: loading rich's console
    costs `--help` and shell completion a twentieth of a second they need not pay. It stands
    for rich's Console in everything (print, status, quiet, file)."""

    _made: type | None = None

    def __init__(self, **options: object) -> None:
        object.__setattr__(self, "_options", options)
        object.__setattr__(self, "_console", None)

    def made(self) -> object:
        if self._console is None:
            if Console._made is None:
                Console._made = _console_class()
            object.__setattr__(self, "_console", Console._made(**self._options))
        return self._console

    def __getattr__(self, name: str) -> object:
        return getattr(self.made(), name)

    def __setattr__(self, name: str, value: object) -> None:
        setattr(self.made(), name, value)


def plain(text: str) -> Text:
    """Text shown as written, control characters escaped, where rich would read markup (a
    status line's spinner)."""
    from rich.text import Text

    return Text(printable(text))
