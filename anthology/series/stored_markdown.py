"""Markdown converted by an earlier run, kept on disk: resolving 600 reviews is mostly
converting their Markdown, and a build with nothing to do should not pay for it again.

One file in the build cache (`build/.cache/markdown.json`) maps a digest of each conversion's
inputs (the source text, where it is, its id prefix, and the converter's own code and
libraries) to the XHTML it gave. Only conversions that reported nothing and carry no image
are kept: a problem must be reported again, and an image's file may change under the same
text. The file is sealed with a checksum and read as untrusted: anything that does not check
out whole is ignored, and the Markdown is converted again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from importlib.metadata import version
from pathlib import Path

import lxml.html
from lxml import etree

from anthology import __version__
from anthology.output import atomic_target
from anthology.series import markup, sanitise, typeset
from anthology.series.markup import Fragment, render_markdown
from anthology.series.sanitise import backstop
from anthology.workspace.problems import Problems

FILE = "markdown.json"
MAX_FILE = 512 * 1024 * 1024  # far more than any archive's essays


def _converter() -> str:
    """What a conversion depends on besides its input: our code and the Markdown library."""
    digest = hashlib.sha256(f"{__version__}|{version('markdown')}".encode())
    for module in (markup, sanitise, typeset):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()


def _seal(entries: dict[str, str], converter: str) -> str:
    body = json.dumps({"converter": converter, "entries": entries}, sort_keys=True,
                      ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(body.encode("ascii")).hexdigest()


class StoredMarkdown:
    """`render_markdown` (a MarkdownRenderer for resolve_series), remembered between runs.
    `save()` keeps exactly the conversions this run used."""

    def __init__(self, folder: Path | None, read: bool = True) -> None:
        self.path = folder / FILE if folder is not None else None
        self.converter = _converter()
        self.entries = self._load() if read else {}
        self.used: dict[str, str] = {}
        self.hits = self.misses = 0

    def _load(self) -> dict[str, str]:
        if self.path is None:
            return {}
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE:
                    return {}
                record = json.loads(handle.read().decode("utf-8"))
            entries = record["entries"]
            if record["converter"] != self.converter or not isinstance(entries, dict) \
                    or record["check"] != _seal(entries, self.converter):
                return {}
            if not all(isinstance(v, str) for v in entries.values()):
                return {}
            return entries
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return {}

    def __call__(self, source: str, path: Path, first_line: int, root: Path,
                 problems: Problems, prefix: str = "text") -> Fragment:
        key = hashlib.sha256("\0".join((source, str(path), str(first_line), str(root),
                                        prefix)).encode()).hexdigest()
        found = self.used.get(key)
        if found is None and key in self.entries and _clean(self.entries[key]):
            found = self.entries[key]  # the file is read as untrusted: sanitised or not used
        if found is not None:
            self.hits += 1
            self.used[key] = found
            return Fragment(found, ())
        self.misses += 1
        reported = Problems()
        fragment = render_markdown(source, path, first_line, root, reported, prefix)
        problems.extend(reported)
        if not len(reported) and not fragment.assets:
            self.used[key] = fragment.xhtml
        return fragment

    def save(self) -> None:
        """Keep this run's conversions (and only those: the file does not grow with every
        edit). A cache that cannot be written is no failure: the next run converts again."""
        if self.path is None or self.used == self.entries:
            return
        record = {"converter": self.converter, "entries": self.used,
                  "check": _seal(self.used, self.converter)}
        try:
            with atomic_target(self.path) as temporary:
                temporary.write_text(json.dumps(record, ensure_ascii=True), encoding="ascii")
        except OSError:
            pass


def _clean(xhtml: str) -> bool:
    """A stored conversion passes the sanitiser's backstop unchanged: one that a hand edit of
    the cache put a script or an attribute into is converted again from its source."""
    try:
        container = lxml.html.fragment_fromstring(xhtml or "<p></p>", create_parent="div")
    except (ValueError, etree.ParserError):
        return False
    change, _ = backstop(container)
    return change is None
