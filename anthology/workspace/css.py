"""Reading a theme's CSS as data: every address it names, and the limits on what it may ask
the layout to do.

A stylesheet is input like a review: nested thousands deep it ends Python's recursion, a
custom property that repeats another repeats it exponentially when expanded, and a length
of `1e9px` overflows the text layout. Each such value is a `path:line` error naming its
limit, found before the sheet reaches WeasyPrint or an EPUB. Nothing here recurses further
than the nesting limit allows.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import tinycss2
import tinycss2.ast

NESTING = 32  # blocks, brackets and functions inside each other
COLUMNS = 20  # columns / column-count
NUMBER = 1_000_000  # any plain number: counters, z-index, weights
LENGTH_PT = 1000  # any absolute length (about 14 in), and what one calc() may reach
RELATIVE = 100  # em, rem, ch, vw... (and 100x as a percentage)
CUSTOM_DEPTH = 8  # custom properties referring to custom properties
CUSTOM_TOKENS = 10_000  # one value once every var() in it is expanded

_ABSOLUTE = {"px": 0.75, "pt": 1, "pc": 12, "in": 72, "cm": 72 / 2.54, "mm": 72 / 25.4,
             "q": 72 / 101.6}
_RELATIVE = {"em", "rem", "ex", "rex", "ch", "rch", "cap", "rcap", "ic", "ric", "lh", "rlh",
             "vw", "vh", "vi", "vb", "vmin", "vmax"}
_MATH = {"calc", "min", "max", "clamp", "round", "mod", "rem", "abs", "sign", "hypot", "pow",
         "sqrt"}
_MULTIPLIERS = {"line-height", "tab-size", "-moz-tab-size"}  # a number times a length
_IMAGE_FUNCTIONS = {"image-set", "-webkit-image-set", "image", "cross-fade",
                    "-webkit-cross-fade"}
# What a stylesheet may name, by extension: the media types an EPUB reader must support.
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp", ".otf": "font/otf",
               ".ttf": "font/ttf", ".woff": "font/woff", ".woff2": "font/woff2",
               ".css": "text/css"}
_MAGIC = {"image/png": (b"\x89PNG\r\n\x1a\n",), "image/jpeg": (b"\xff\xd8\xff",),
          "image/gif": (b"GIF87a", b"GIF89a"), "image/webp": (b"RIFF",),
          "font/otf": (b"OTTO",), "font/ttf": (b"\x00\x01\x00\x00", b"true"),
          "font/woff": (b"wOFF",), "font/woff2": (b"wOF2",)}


@dataclass(frozen=True)
class Reference:
    """An address in a stylesheet: `import` for @import, else a resource (image, font)."""

    line: int
    url: str
    kind: str


def parse(text: str) -> list:
    return tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)


def _children(node: object) -> list:
    found: list = []
    for part in ("prelude", "content", "arguments", "value"):
        children = getattr(node, part, None)
        if isinstance(children, list):
            found += children
    return found


def walk(nodes: Iterable) -> Iterator[tuple[object, int]]:
    """Every node with its depth, in source order, without recursion."""
    stack = [(node, 0) for node in reversed(list(nodes))]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((child, depth + 1) for child in reversed(_children(node)))


def too_deep(rules: list) -> int | None:
    """The line where nesting passes `NESTING`, or None."""
    for node, depth in walk(rules):
        if depth > NESTING:
            return getattr(node, "source_line", 0)
    return None


def _strings(nodes: Iterable) -> list[str]:
    return [t.value for t in nodes if getattr(t, "type", None) in ("string", "url")]


def references(rules: list) -> Iterator[Reference]:
    """Every address the sheet names: url(), @import and the images of image-set() and
    image(), which readers fetch like any url(). @namespace names are not addresses."""
    skip: set[int] = set()
    for node, _ in walk(rules):
        if id(node) in skip:
            continue
        kind = getattr(node, "type", None)
        if kind == "at-rule" and node.lower_at_keyword == "namespace":
            skip.update(id(child) for child, _ in walk(node.prelude))
        elif kind == "at-rule" and node.lower_at_keyword == "import":
            imported = next(iter(_strings(node.prelude)), None)
            if imported is None:
                url = next((f for f in node.prelude if getattr(f, "type", None) == "function"
                            and f.lower_name == "url"), None)
                imported = next(iter(_strings(url.arguments)), None) if url else None
            if imported is not None:
                yield Reference(node.source_line, imported, "import")
                skip.update(id(child) for child, _ in walk(node.prelude))
        elif kind == "url":
            yield Reference(node.source_line, node.value, "resource")
        elif kind == "function" and node.lower_name == "url":
            for value in _strings(node.arguments)[:1]:
                yield Reference(node.source_line, value, "resource")
        elif kind == "function" and node.lower_name in _IMAGE_FUNCTIONS:
            for token in node.arguments:
                if getattr(token, "type", None) == "string":
                    yield Reference(token.source_line, token.value, "resource")


def declarations(rules: list) -> Iterator[tinycss2.ast.Declaration]:
    """Every declaration, in rules, at-rules and nested rules (depth already bounded)."""
    stack = list(reversed(rules))
    while stack:
        rule = stack.pop()
        if rule.type == "declaration":
            yield rule
        elif rule.type in ("qualified-rule", "at-rule") and rule.content is not None:
            inner = tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                   skip_whitespace=True)
            stack.extend(reversed(inner))


def _points(token: object) -> float | None:
    """An absolute length in points, a relative one in 'points' at 10pt to the em (so the two
    limits agree), or None for what is not a length."""
    kind = getattr(token, "type", None)
    if kind == "dimension":
        unit = token.lower_unit
        if unit in _ABSOLUTE:
            return abs(token.value) * _ABSOLUTE[unit]
        if unit in _RELATIVE:
            return abs(token.value) * LENGTH_PT / RELATIVE
    if kind == "percentage":
        return abs(token.value) * LENGTH_PT / RELATIVE / 100
    return None


def _shown(declaration: tinycss2.ast.Declaration) -> str:
    value = " ".join(tinycss2.serialize(declaration.value).split())
    return f"'{declaration.name}: {value if len(value) <= 60 else value[:60].rstrip() + '...'}'"


class Limits:
    """The size limits over one sheet's declarations; `problems()` yields (line, message)."""

    def __init__(self, rules: list) -> None:
        self.declarations = list(declarations(rules))
        self.custom: dict[str, list] = {}
        for declaration in self.declarations:
            if declaration.name.startswith("--"):
                self.custom.setdefault(declaration.name, []).append(declaration.value)
        self.sizes: dict[str, int] = {}
        self.depths: dict[str, int] = {}
        self.reach: dict[str, float] = {}

    def problems(self) -> Iterator[tuple[int, str]]:
        for name in self.custom:
            if self._depth(name, ()) - 1 > CUSTOM_DEPTH:  # the chain counts `name` itself
                line = next(d.source_line for d in self.declarations if d.name == name)
                yield line, (f"custom property '{name}' refers through more than "
                             f"{CUSTOM_DEPTH} other custom properties; that is the limit")
                return  # sizes below would walk the same chain
        expanded = False  # one value too large once expanded says it: those using it would too
        for declaration in self.declarations:
            message = self._check(declaration, expanded)
            if message:
                expanded = expanded or "var()" in message
                yield declaration.source_line, f"{_shown(declaration)}: {message}"

    def _check(self, declaration: tinycss2.ast.Declaration, expanded: bool) -> str | None:
        size = self._size(declaration.value, ())
        if size > CUSTOM_TOKENS:
            return None if expanded else (f"with every var() expanded it has {size:,} parts; "
                                          f"the limit is {CUSTOM_TOKENS:,}")
        name = declaration.lower_name
        for token, _ in walk(declaration.value):
            kind = getattr(token, "type", None)
            points = _points(token)
            if points is not None and points > LENGTH_PT:
                return (f"{tinycss2.serialize([token])} is more than a length may be: "
                        f"{LENGTH_PT}pt (about 14 in), or {RELATIVE}em")
            if kind == "number":
                if name in ("columns", "column-count") and token.value > COLUMNS:
                    return f"more than {COLUMNS} columns; that is the limit"
                if name in _MULTIPLIERS and abs(token.value) > RELATIVE:
                    return f"{token.representation} is larger than the limit of {RELATIVE}"
                if abs(token.value) > NUMBER:
                    return f"{token.representation} is larger than the limit of {NUMBER:,}"
            if kind == "function" and token.lower_name in _MATH:
                reach = self._reach(token.arguments, ())
                if reach > LENGTH_PT:
                    return (f"{token.lower_name}() may reach {reach:,.0f}pt; lengths are "
                            f"limited to {LENGTH_PT}pt")
        return None

    def _refs(self, tokens: list) -> Iterator[str]:
        for token, _ in walk(tokens):
            if getattr(token, "type", None) == "function" and token.lower_name == "var":
                name = next((t.value for t in token.arguments if t.type == "ident"), None)
                if name in self.custom:
                    yield name

    def _depth(self, name: str, seen: tuple[str, ...]) -> int:
        if name in seen or len(seen) > CUSTOM_DEPTH + 1:  # a cycle, or too deep already
            return len(seen)
        if name not in self.depths:
            self.depths[name] = 1 + max((self._depth(r, (*seen, name)) for value in
                                         self.custom[name] for r in self._refs(value)),
                                        default=0)
        return self.depths[name]

    def _expanded(self, name: str, seen: tuple[str, ...]) -> int:
        if name in seen:
            return 0  # a cycle: the property is invalid, and expands to nothing
        if name not in self.sizes:
            self.sizes[name] = max(self._size(v, (*seen, name)) for v in self.custom[name])
        return self.sizes[name]

    def _size(self, tokens: list, seen: tuple[str, ...]) -> int:
        size = 0
        for token, _ in walk(tokens):
            size += getattr(token, "type", None) not in ("whitespace", "comment")
            if getattr(token, "type", None) == "function" and token.lower_name == "var":
                size += sum(self._expanded(name, seen) for name in self._refs([token]))
        return size

    def _reach(self, tokens: list, seen: tuple[str, ...]) -> float:
        """How far a value may reach, in points: its lengths added, times its numbers (each
        var() as far as its property's values reach)."""
        lengths, factor = 0.0, 1.0
        for token, _ in walk(tokens):
            points = _points(token)
            if points is not None:
                lengths += points
            elif getattr(token, "type", None) == "number":
                factor *= max(1.0, abs(token.value))
            elif getattr(token, "type", None) == "function" and token.lower_name == "var":
                lengths += sum(self._custom_reach(name, seen) for name in self._refs([token]))
        return lengths * factor

    def _custom_reach(self, name: str, seen: tuple[str, ...]) -> float:
        if name in seen:
            return 0.0
        if name not in self.reach:
            self.reach[name] = max(self._reach(v, (*seen, name)) for v in self.custom[name])
        return self.reach[name]


def sniff(data: bytes, media_type: str) -> bool:
    """Whether a file's first bytes are those of its media type (a renamed file is not)."""
    if media_type == "text/css":
        return True
    if media_type == "image/webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return data.startswith(_MAGIC.get(media_type, (b"",)))


def media_type(url_path: str) -> str | None:
    return MEDIA_TYPES.get(posixpath.splitext(url_path.lower())[1])
