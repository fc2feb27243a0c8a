"""What one preflight check found: a measured figure beside its limit, and whether it passed.
Shared by the checks of the files (boxes, fonts, ink) and of the typesetting (text read back)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    passed = "pass"
    failed = "fail"
    warning = "warn"  # outside the limit, but not (yet) a reason to stop the press
    not_run = "not run"  # the check could not be made here; it is not a pass


@dataclass(frozen=True)
class Finding:
    check: str
    figure: str  # what was measured, in words and numbers
    limit: str
    status: Status
    value: float | None = None  # the headline number, for machines and tests
    where: tuple[str, ...] = ()  # the pages (or files) at fault

    @classmethod
    def judged(cls, check: str, figure: str, limit: str, ok: bool, value: float | None = None,
               where: tuple[str, ...] = ()) -> Finding:
        return cls(check, figure, limit, Status.passed if ok else Status.failed, value, where)
