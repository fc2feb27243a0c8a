"""What the preview tells its terminal: one event per refresh after an edit, one per request.

The server knows what changed and what each refresh found; the command decides what to print
(and through one function, as the events come from the watcher's and the requests' threads).
A refresh reports only the problems that are new since the one before and those fixed, so the
terminal does not repeat the same forty warnings at every save.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from anthology.serve.state import Snapshot
from anthology.terminal import printable
from anthology.workspace.problems import Severity

LISTED_CHANGES = 3  # file names in a refresh's line; more are counted


@dataclass(frozen=True)
class Logged:
    """A problem as the terminal shows it: `path:line: error: message`, relative paths."""

    severity: Severity
    line: str
    key: str = dataclasses.field(compare=False)  # its line without the line number


@dataclass(frozen=True)
class Refreshed:
    """The preview re-rendered after `changed` (workspace-relative paths; none for the check
    made once the watch is set up)."""

    at: float  # time.time() when the new snapshot was published
    changed: tuple[str, ...]
    seconds: float
    volumes: int
    errors: int
    warnings: int
    notes: int
    new: tuple[Logged, ...]
    fixed: tuple[Logged, ...]

    def summary(self) -> str:
        """`07:41:12 rebuilt after 1 change (volumes/v1/nosferatu.md) in 0.42 s: 2 volumes,
        1 warning`: one line, whatever the file names hold."""
        after = ""
        if self.changed:
            names = ", ".join(map(printable, self.changed[:LISTED_CHANGES]))
            more = len(self.changed) - LISTED_CHANGES
            names += f" and {more} more" if more > 0 else ""
            after = f" after {_plural(len(self.changed), 'change')} ({names})"
        counts = [_plural(n, noun) for n, noun in ((self.errors, "error"),
                                                    (self.warnings, "warning"),
                                                    (self.notes, "note")) if n]
        found = ", ".join([_plural(self.volumes, "volume"), *(counts or ["no problems"])])
        took = f"{self.seconds:.2f}" if self.seconds < 1 else f"{self.seconds:.1f}"
        return f"{clock(self.at)} rebuilt{after} in {took} s: {found}"


@dataclass(frozen=True)
class Requested:
    """One HTTP request answered (logged with --verbose)."""

    at: float
    method: str
    path: str
    status: int

    def summary(self) -> str:
        """`07:41:13 GET /v/v1/ch-nosferatu.xhtml 200`: a request's line is anyone's."""
        return printable(f"{clock(self.at)} {self.method} {self.path} {self.status}")


Event = Refreshed | Requested
Listener = Callable[[Event], None]


def clock(at: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(at))


def logged(snapshot: Snapshot) -> list[Logged]:
    """Everything the snapshot reports, in order: what broke rendering, then the problems.
    Its key leaves the line number out, so a problem that moved down a line is not new."""
    root = snapshot.root
    shown = [Logged(Severity.ERROR, line, line) for line in snapshot.failures]
    shown += [Logged(p.severity, p.format(root), dataclasses.replace(p, line=0).format(root))
              for p in snapshot.problems]
    return shown


def compare(before: Snapshot, after: Snapshot) -> tuple[tuple[Logged, ...],
                                                         tuple[Logged, ...]]:
    """(the problems of `after` that `before` did not have, those of `before` gone)."""
    old, new = logged(before), logged(after)
    return _minus(new, old), _minus(old, new)


def _minus(these: list[Logged], those: Iterable[Logged]) -> tuple[Logged, ...]:
    """`these` without as many of each key as `those` has (the same message twice in a file
    is two problems)."""
    left = Counter(item.key for item in those)
    kept = []
    for item in these:
        if left[item.key]:
            left[item.key] -= 1
        else:
            kept.append(item)
    return tuple(kept)


def refreshed(before: Snapshot, after: Snapshot, paths: Iterable[Path], started: float,
              ended: float) -> Refreshed:
    """The event for a refresh from `before` to `after`, made of `paths`' edits."""
    new, fixed = compare(before, after)
    changed = sorted({_relative(path, after.root) for path in paths})
    severities = Counter(p.severity for p in after.problems)
    return Refreshed(time.time(), tuple(changed), ended - started, len(after.volumes),
                     len(after.failures) + severities[Severity.ERROR],
                     severities[Severity.WARNING], severities[Severity.NOTE], new, fixed)


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
