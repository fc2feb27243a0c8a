"""What anthology prints on a terminal shows control characters escaped, never obeyed.

File names, titles and imported text are the author's (or a blog's), and an ESC sequence, a
carriage return or a newline in one would recolour the terminal, hide text or forge a second
`error:` line. `Console` escapes them in everything it renders (messages, tables, titles); a
problem's line escapes newlines too (`printable`), since it must stay one line.
"""

from __future__ import annotations

import unicodedata

from rich.console import Console as RichConsole
from rich.progress import ProgressColumn, Task
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


class Console(RichConsole):
    """A rich console that escapes control characters in every string it renders; newlines
    and tabs stay, as the program's own messages (help, tables) are made of lines."""

    def render_str(self, text: str, **options: object) -> Text:  # type: ignore[override]
        return super().render_str(printable(text, keep="\n\t"), **options)  # type: ignore[arg-type]


def plain(text: str) -> Text:
    """Text shown as written, control characters escaped, where rich would read markup (a
    status line's spinner)."""
    return Text(printable(text))


class Described(ProgressColumn):
    """A progress bar's description (a volume's folder name, a file), shown as written."""

    def render(self, task: Task) -> Text:
        return Text(printable(task.description), style="progress.description")
