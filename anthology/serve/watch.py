"""Watch the workspace's sources (volumes/ and styles/) with watchfiles, in one thread.

Changes are gathered for a short moment (an editor's save is often several events), then
`on_change` is called with the paths. build/ (where proofs are cached), hidden files and editor
swap files are ignored.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from anthology.terminal import printable

WATCHED = ("volumes", "styles")
DEBOUNCE_MS = 50
STEP_MS = 20
READY_MS = 200  # the first (empty) report says the watch is set up


class SourceFilter(watchfiles.DefaultFilter):
    """Only the author's sources: files under volumes/ and styles/, not editors' temp files."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        try:
            relative = Path(path).relative_to(self.root)
        except ValueError:
            return False
        if not relative.parts or relative.parts[0] not in WATCHED:
            return False
        if any(part.startswith(".") for part in relative.parts):
            return False
        return super().__call__(change, path)


class Watcher(threading.Thread):
    """Calls `on_change(paths)` after each batch of changes to the sources, and once when the
    watch is first set up (to catch edits made while the server was starting)."""

    def __init__(self, root: Path, on_change: Callable[[set[Path]], None]) -> None:
        super().__init__(name="anthology-watch", daemon=True)
        self.root = root.resolve()
        self.on_change = on_change
        self.ready = threading.Event()
        self._stopping = threading.Event()

    def run(self) -> None:
        for changes in watchfiles.watch(self.root, watch_filter=SourceFilter(self.root),
                                        debounce=DEBOUNCE_MS, step=STEP_MS,
                                        stop_event=self._stopping, rust_timeout=READY_MS,
                                        yield_on_timeout=True, raise_interrupt=False):
            first = not self.ready.is_set()
            self.ready.set()
            if changes or first:
                try:
                    self.on_change(lasting(changes))
                except Exception as exc:  # the watch goes on, whatever one refresh did
                    print(printable(f"error: the preview could not be refreshed: {exc}"),
                          file=sys.stderr)

    def stop(self) -> None:
        self._stopping.set()
        if self.is_alive():
            self.join(timeout=5)


def lasting(changes: set[tuple[watchfiles.Change, str]]) -> set[Path]:
    """The paths changed, without a file made and gone within the batch (an editor's or
    sed's temporary file, renamed over the one saved): it is no change of the author's."""
    added = {path for change, path in changes if change is watchfiles.Change.added}
    return {Path(path) for _, path in changes if path not in added or os.path.lexists(path)}
