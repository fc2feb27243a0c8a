"""Problems found in the input, collected so one run reports them all.

Every stage appends to a `Problems` list instead of raising at the first fault: an author fixing
twenty reviews wants twenty lines, not twenty runs.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # worth knowing, nothing to fix (a reference to a film outside the series)


@dataclass(frozen=True, order=True)
class Problem:
    """One fault in one place: `path:line: error: message`. A review finding of the linter
    also has a `code` (`duplicate-film`), shown after the message, by which it is silenced."""

    path: Path
    line: int
    message: str
    severity: Severity = Severity.ERROR
    # A finding's name, which an author can silence (docs/lint.md); no part of ordering or
    # equality (None and a string cannot be ordered).
    code: str | None = field(default=None, compare=False)

    def format(self, root: Path | None = None) -> str:
        path = self.path
        if root is not None:  # where the author put it, not where a link leads
            here, base = Path(os.path.abspath(self.path)), Path(os.path.abspath(root))
            if here.is_relative_to(base):
                path = here.relative_to(base)
        where = f"{path}:{self.line}" if self.line else f"{path}"
        tail = f" [{self.code}]" if self.code else ""
        return f"{where}: {self.severity.value}: {self.message}{tail}"


class Problems:
    """An ordered collection of problems; the only mutable thing passed between functions."""

    def __init__(self) -> None:
        self._items: list[Problem] = []
        self._seen: set[Problem] = set()  # so recording once costs no search of the list

    def add(self, problem: Problem) -> None:
        """Record a problem once, even when a review is read for two books (an omnibus)."""
        if problem not in self._seen:
            self._seen.add(problem)
            self._items.append(problem)

    def error(self, path: Path, line: int, message: str, code: str | None = None) -> None:
        self.add(Problem(path, line, message, Severity.ERROR, code))

    def warning(self, path: Path, line: int, message: str, code: str | None = None) -> None:
        self.add(Problem(path, line, message, Severity.WARNING, code))

    def note(self, path: Path, line: int, message: str, code: str | None = None) -> None:
        self.add(Problem(path, line, message, Severity.NOTE, code))

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self._items if p.severity is Severity.WARNING]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self._items if p.severity is Severity.NOTE]

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self._items, key=lambda p: (str(p.path), p.line, p.message)))

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)


class InputError(Exception):
    """Raised when the input has errors; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` suffix, or an empty string when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
