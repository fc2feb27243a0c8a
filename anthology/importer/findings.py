"""The working state of recognising one page, shared by the header and body readers."""

from __future__ import annotations

from dataclasses import dataclass, field

from anthology.importer.lines import Line
from anthology.importer.model import (
    Dropped,
    DroppedLine,
    ImportedFact,
    ImportedGuest,
    ImportedTrack,
    Notice,
)


@dataclass
class Findings:
    """What recognition has found so far; private to recognition, frozen into a Recognition."""

    title: str = ""
    title_line: int = 1
    year: int | None = None
    appraisal: int | None = None
    pen_name: str | None = None
    views: str | None = None
    facts: list[ImportedFact] = field(default_factory=list)
    jukebox: list[ImportedTrack] = field(default_factory=list)
    judgement: str | None = None
    related: list[str] = field(default_factory=list)
    author: str | None = None
    essay: list[str] = field(default_factory=list)
    essay_lines: list[int] = field(default_factory=list)  # where each paragraph starts
    last_essay_line: int = 0
    guests: list[ImportedGuest] = field(default_factory=list)
    dropped: list[DroppedLine] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def drop(self, line: Line, kind: Dropped, text: str | None = None) -> None:
        self.dropped.append(DroppedLine(line.number, kind, text or line.raw.strip()))

    def notice(self, line: int, message: str) -> None:
        self.notices.append(Notice(line, message))
