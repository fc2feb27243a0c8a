"""Load review sources: Markdown files with YAML front matter, into typed `Review` models.

Every fault becomes a `Problem` with the file and the line it is on, so the author can jump
straight to it; one run reports every fault in every file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from anthology.workspace import files
from anthology.workspace.models import GuestEssay, ItemError, Related, Review, ReviewSource
from anthology.workspace.problems import Problems, did_you_mean

_FENCE = re.compile(r"^---\s*$")
_BLOCK_OPEN = re.compile(r"^:::\s*(?P<kind>[\w-]+)?\s*(?P<rest>.*?)\s*$")
_BLOCK_CLOSE = re.compile(r"^:::\s*$")

Path_ = tuple[Any, ...]
# Every scalar is read as the text the author wrote: YAML 1.1 would turn `16:9` into 969,
# `NO` into False and `0110` into 72. The base loader resolves no types; the models read the
# few typed keys (year, appraisal, published) themselves. libyaml's parser when it is there
# (it is much faster); both give the same nodes and lines.
_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
# The one spelling of "nothing" every YAML version shares, when not quoted: `title:` or
# `year: null` is a missing value, `title: "null"` a film called Null.
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_YAML_TAG = "tag:yaml.org,2002:"


def read_text(path: Path, problems: Problems, roots: Iterable[Path] | None = None,
              limit: int = files.SOURCE_BYTES) -> str | None:
    """Read a UTF-8 source under the workspace's reading policy (`files`), reporting the line
    of the first undecodable byte, characters no book may carry and over-long lines."""
    try:
        data = files.read_bytes(path, roots or (path.parent,), limit)
    except files.Refused as exc:
        problems.error(path, 0, f"not read: the file {exc}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(
            path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as UTF-8"
        )
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    bad = files.forbidden_characters(text)
    for line, column, character in bad[:3]:
        problems.error(path, line, f"column {column}: {files.describe(character)} cannot be "
                                   "printed or put in an EPUB: delete it")
    if len(bad) > 3:
        problems.error(path, bad[3][0], f"{len(bad) - 3} more such characters")
    long_line = next((n for n, line in enumerate(text.split("\n"), 1)
                      if len(line) > files.LINE_CHARS), None)
    if long_line is not None:
        problems.error(path, long_line, f"line is longer than {files.LINE_CHARS:,} characters: "
                                        "break it into paragraphs")
    return None if bad or long_line is not None else text


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    lines: dict[Path_, int]
    body: str
    body_line: int


class _TooBig(Exception):
    """The YAML is valid but larger or deeper than any front matter needs."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _shown_tag(tag: str) -> str:
    """A tag as the author wrote it (`!!binary`), safe to print on one line."""
    short = "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag
    return ascii(short[:40])[1:-1]


def _check_shape(text: str) -> list[tuple[int, str]]:
    """Refuse YAML nested too deep or full of aliases before composing it: the composer
    recurses, and aliases can expand exponentially ("billion laughs"). Returns the line and
    tag of every explicit tag (`!!binary`, `!!python/...`, `!local`): a value is text as
    written, and a tag would make it bytes, an object or a type the author cannot see."""
    loader = _Loader(text)
    depth = aliases = 0
    tags: list[tuple[int, str]] = []
    try:
        while loader.check_event():
            event = loader.get_event()
            if getattr(event, "tag", None) is not None:
                tags.append((event.start_mark.line, _shown_tag(event.tag)))
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > files.YAML_DEPTH:
                    raise _TooBig(event.start_mark.line,
                                  f"nested more than {files.YAML_DEPTH} levels deep")
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > files.YAML_ALIASES:
                    raise _TooBig(event.start_mark.line,
                                  f"more than {files.YAML_ALIASES} aliases ('*name')")
    finally:
        loader.dispose()
    return tags


def load_yaml(text: str, path: Path, first_line: int, problems: Problems) -> tuple[Any, dict]:
    """Parse YAML, every scalar as its text (None for a bare `~`, `null` or nothing), and
    remember the line of every key and list item, for error messages."""
    try:
        tags = _check_shape(text)
        node = _single_node(text)
    except _TooBig as exc:
        problems.error(path, first_line + exc.line, f"front matter is {exc}")
        return None, {}
    except RecursionError:
        problems.error(path, first_line, f"front matter is nested more than "
                                         f"{files.YAML_DEPTH} levels deep")
        return None, {}
    except yaml.YAMLError as first:
        _report_yaml_error(first, text, path, first_line, problems)
        return None, {}
    for line, tag in tags:
        problems.error(path, first_line + line, f"the tag '{tag}' is not allowed: front "
                                                "matter values are plain text; remove it")
    if tags:
        return None, {}
    lines: dict[Path_, int] = {}
    budget = [files.YAML_NODES]

    def build(node: yaml.Node, where: Path_) -> Any:
        line = first_line + node.start_mark.line
        lines[where] = line
        budget[0] -= 1
        if budget[0] < 0 or len(where) > 2 * files.YAML_DEPTH:
            raise _TooBig(node.start_mark.line, f"too large: more than {files.YAML_NODES:,} "
                          "values (or aliases that repeat or refer to themselves)")
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = build(key_node, (*where, "<key>"))
                if not isinstance(key, str):
                    problems.error(path, first_line + key_node.start_mark.line,
                                   "a key must be plain text")
                    continue
                if key in result:
                    problems.error(path, first_line + key_node.start_mark.line,
                                   f"'{key}' is given twice")
                lines[(*where, key)] = first_line + key_node.start_mark.line
                result[key] = build(value_node, (*where, key))
                lines[(*where, key)] = first_line + key_node.start_mark.line
            return result
        if isinstance(node, yaml.SequenceNode):
            return [build(item, (*where, i)) for i, item in enumerate(node.value)]
        value = node.value
        if not node.style and value in _NULLS:  # plain, not quoted
            return None
        for _, column, character in files.forbidden_characters(value)[:1]:
            problems.error(path, line, f"{files.describe(character)} (character {column} "
                                       "of the value) cannot be printed: remove it")
        return value

    lines.pop((), None)
    try:
        data = build(node, ()) if node is not None else None
    except _TooBig as exc:
        problems.error(path, first_line + exc.line, f"front matter is {exc}")
        return None, {}
    return data, lines


def _report_yaml_error(first: yaml.YAMLError, text: str, path: Path, first_line: int,
                       problems: Problems) -> None:
    exc = first
    try:  # the pure-Python parser points more precisely at what is wrong
        _single_node(text, yaml.BaseLoader)
    except yaml.YAMLError as precise:
        exc = precise
    except RecursionError:  # it recurses where libyaml gave up on depth
        pass
    if not isinstance(exc, yaml.MarkedYAMLError):
        problems.error(path, first_line, f"invalid YAML: {exc}")
        return
    mark = exc.problem_mark or exc.context_mark
    line = first_line + (mark.line if mark else 0)
    problems.error(path, line, f"invalid YAML: {exc.problem or exc.context}")


def _single_node(text: str, loader_class: type = _Loader) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def split_front_matter(text: str, path: Path, problems: Problems) -> tuple[str, str, int] | None:
    """Return (yaml text, body, body's first line) or report why there is no front matter."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        problems.error(path, 1, "no front matter: a review starts with a '---' line, "
                                "then YAML, then another '---' line")
        return None
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    problems.error(path, 1, "front matter is not closed: add a '---' line after the YAML")
    return None


def line_for(lines: dict[Path_, int], loc: tuple[Any, ...], default: int) -> int:
    """The line of the deepest known part of a validation error's location."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return default


def report_validation(exc: ValidationError, path: Path, lines: dict[Path_, int], default: int,
                      fields: list[str], problems: Problems) -> None:
    """Turn pydantic's errors into one `path:line:` problem each, in the author's words."""
    for error in exc.errors():
        loc = tuple(error["loc"])
        line = line_for(lines, loc, default)
        name = ".".join(str(part) for part in loc)
        kind = error["type"]
        if kind == "extra_forbidden":
            key = str(loc[-1])
            choices = fields if len(loc) == 1 else []
            problems.error(path, line, f"unknown key '{key}'{did_you_mean(key, choices)}")
        elif kind == "missing":
            problems.error(path, line, f"missing required key '{name}'")
        elif kind == "value_error":
            cause = error.get("ctx", {}).get("error")
            if isinstance(cause, ItemError):
                line = line_for(lines, (*loc, cause.index), line)
            text = str(cause or error["msg"])
            # "title is blank: ...", else "year: '32:30' is not a whole number..."
            problems.error(path, line, f"{name} {text}" if text.startswith("is ")
                           else f"{name}: {text}")
        else:
            value = error.get("input")
            shown = f" (got {value!r})" if isinstance(value, str | int | float) else ""
            problems.error(path, line, f"{name}: {error['msg'].lower()}{shown}")


def split_guest_essays(body: str, first_line: int, path: Path,
                       problems: Problems) -> tuple[str, tuple[GuestEssay, ...]]:
    """Take `::: guest Byline` ... `:::` blocks out of the body; the rest is the critic's essay."""
    essay: list[str] = []
    guests: list[GuestEssay] = []
    current: list[str] | None = None
    byline, start = "", 0
    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        if current is None:
            match = _BLOCK_OPEN.match(line)
            if match and not _BLOCK_CLOSE.match(line):
                kind = match["kind"] or ""
                if kind != "guest":
                    problems.error(path, number, f"unknown block '::: {kind}'"
                                   f"{did_you_mean(kind, ['guest'])}")
                    continue
                if not match["rest"]:
                    problems.error(path, number, "a guest essay needs a byline: '::: guest Name'")
                current, byline, start = [], match["rest"], number
                essay.append("")
            elif _BLOCK_CLOSE.match(line):
                problems.error(path, number, "':::' closes no block")
            else:
                essay.append(line)
        elif _BLOCK_CLOSE.match(line):
            guests.append(GuestEssay(byline, "\n".join(current).strip("\n"), start + 1))
            current = None
            essay.append("")
        else:
            current.append(line)
    if current is not None:
        problems.error(path, start, "guest essay is not closed: add a ':::' line after it")
    return "\n".join(essay), tuple(guests)


def load_review(path: Path, problems: Problems,
                roots: Iterable[Path] | None = None) -> Review | None:
    """Load one review file, which must lie inside `roots` (the workspace; by default its own
    folder); None (with problems reported) when it cannot be used."""
    text = read_text(path, problems, roots)
    if text is None:
        return None
    if not text.strip():
        problems.error(path, 1, "empty file")
        return None
    parts = split_front_matter(text, path, problems)
    if parts is None:
        return None
    yaml_text, body, body_line = parts
    # The body is checked even when the front matter is wrong: one run reports both.
    essay, guests = split_guest_essays(body, body_line, path, problems)
    before = len(problems.errors)
    data, lines = load_yaml(yaml_text, path, 2, problems)
    if len(problems.errors) > before:
        return None
    if not isinstance(data, dict):
        problems.error(path, 2, "front matter must be 'key: value' lines")
        return None
    try:
        meta = ReviewSource.model_validate(data)
    except ValidationError as exc:
        report_validation(exc, path, lines, 2, list(ReviewSource.model_fields), problems)
        return None
    if not essay.strip():
        problems.warning(path, body_line, "the review has no essay")
    related = tuple(
        Related(title, lines.get(("related", i), 2)) for i, title in enumerate(meta.related)
    )
    fact_lines = tuple(lines.get(("facts", i), 2) for i in range(len(meta.facts)))
    return Review(slugify(path.stem), path, meta, essay, body_line, guests, related, fact_lines)


def slugify(text: str) -> str:
    """ASCII, lower case, hyphens: safe as a file name and an XML id on every reader."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "review"
