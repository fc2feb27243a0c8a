"""What the preview server knows at one moment: an immutable `Snapshot`, swapped whole.

Readers (the request threads) take `Live.current` and use that one value throughout a request;
writers (the watcher after an edit, the print proofs when one is made) build a new snapshot
from the current one and swap it in under one lock. Nothing else is shared between threads.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from anthology.print.pieces import Job
from anthology.series.book import Book
from anthology.series.markup import Asset
from anthology.workspace.problems import Problem, Severity
from anthology.workspace.theme import Theme

EMPTY: Mapping = MappingProxyType({})


def frozen_map(items: Mapping) -> Mapping:
    return MappingProxyType(dict(items))


@dataclass(frozen=True, eq=False)
class VolumeSite:
    """One volume as the preview serves it: the EPUB's documents, stylesheets, fonts and
    images by their names in the EPUB, and a print-proof job per chapter."""

    book: Book
    theme: Theme
    theme_key: str
    folder: Path
    documents: Mapping[str, str]
    stylesheets: Mapping[str, bytes]
    fonts: Mapping[str, Path]
    images: Mapping[str, Asset]
    proof_jobs: Mapping[str, Job] = field(default_factory=lambda: EMPTY)

    @property
    def slug(self) -> str:
        return self.book.slug


@dataclass(frozen=True)
class Proof:
    """The print proof of one chapter's layout: queued, running, ready (PNG pages) or failed."""

    state: str
    chapter: tuple[str, str]  # (volume slug, chapter id)
    pages: tuple[bytes, ...] = ()
    message: str = ""
    made: int = 0  # the snapshot version that brought it: the newest ready proof wins


@dataclass(frozen=True, eq=False)
class Snapshot:
    version: int
    root: Path
    volumes: tuple[VolumeSite, ...] = ()
    problems: tuple[Problem, ...] = ()
    failures: tuple[str, ...] = ()  # what broke rendering itself (a theme's template), as lines
    proofs: Mapping[str, Proof] = field(default_factory=lambda: EMPTY)

    def volume(self, slug: str) -> VolumeSite | None:
        return next((v for v in self.volumes if v.slug == slug), None)

    @property
    def errors(self) -> list[str]:
        return [*self.failures, *(p.format(self.root) for p in self.problems
                                  if p.severity is Severity.ERROR)]

    @property
    def warnings(self) -> list[str]:
        return [p.format(self.root) for p in self.problems if p.severity is Severity.WARNING]

    def current_jobs(self) -> dict[str, Job]:
        """Every chapter's proof job now, by its key."""
        return {job.key: job for v in self.volumes for job in v.proof_jobs.values()}

    def with_proof(self, key: str, proof: Proof) -> Snapshot:
        return dataclasses.replace(self, proofs=frozen_map({**self.proofs, key: proof}))

    def proof_for(self, slug: str, chapter_id: str) -> tuple[Proof | None, Proof | None]:
        """(the proof of the chapter as it is now, the newest ready proof of it, perhaps of an
        earlier version, to show while the new one is made)."""
        volume = self.volume(slug)
        job = volume.proof_jobs.get(chapter_id) if volume else None
        now = self.proofs.get(job.key) if job else None
        ready = [p for p in self.proofs.values()
                 if p.chapter == (slug, chapter_id) and p.state == "ready"]
        return now, max(ready, key=lambda p: p.made, default=None)


def kept_proofs(proofs: Mapping[str, Proof], jobs: Mapping[str, Job]) -> Mapping[str, Proof]:
    """The proofs worth keeping for a new snapshot: those of chapters as they are now, the one
    being made, and the newest ready proof of each chapter (shown until its successor is)."""
    newest: dict[tuple[str, str], tuple[int, str]] = {}
    for key, proof in proofs.items():
        if proof.state == "ready" and proof.made >= newest.get(proof.chapter, (-1, ""))[0]:
            newest[proof.chapter] = (proof.made, key)
    keep = {key for _, key in newest.values()}
    return frozen_map({key: proof for key, proof in proofs.items()
                       if key in jobs or key in keep or proof.state == "running"})


class Live:
    """The one shared reference: the current snapshot, and a way to wait for the next."""

    def __init__(self, first: Snapshot) -> None:
        self._current = first
        self._changed = threading.Condition()
        self.stopping = False

    @property
    def current(self) -> Snapshot:
        return self._current

    def publish(self, change: Callable[[Snapshot], Snapshot]) -> Snapshot:
        """Swap in `change(current)`, numbered as the next version; a change that returns the
        snapshot it was given changes nothing and wakes no one."""
        with self._changed:
            old = self._current
            new = change(old)
            if new is not old:
                self._current = dataclasses.replace(new, version=old.version + 1)
                self._changed.notify_all()
            return self._current

    def wait_newer(self, version: int, timeout: float) -> Snapshot | None:
        """The current snapshot once it is newer than `version`; None on timeout or stop."""
        with self._changed:
            self._changed.wait_for(lambda: self.stopping or self._current.version != version,
                                   timeout)
            if self.stopping or self._current.version == version:
                return None
            return self._current

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()
