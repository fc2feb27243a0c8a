"""What the review linter's findings are made of: the codes (each with its severity and a
summary, documented in docs/lint.md), a review with the line of each part of its front
matter, and a finding at one of those lines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anthology.workspace.models import Review
from anthology.workspace.problems import Problem, Problems, Severity
from anthology.workspace.sources import load_yaml, read_text, split_front_matter

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Code:
    name: str
    severity: Severity
    summary: str
    by: str = "lint"  # the stage that reports it: "lint", "markdown", "series" (or two)


CODES: dict[str, Code] = {code.name: code for code in (
    Code("duplicate-film", WARNING, "the same film is reviewed twice"),
    Code("similar-names", WARNING, "one person spelt two ways", by="series and lint"),
    Code("year-mismatch", WARNING, "the title's year and the release date are over a year apart"),
    Code("judgement-scale", WARNING, "a judgement on another scale than the volume's others"),
    Code("missing-judgement", WARNING, "no judgement in a volume that prints scores"),
    Code("running-time", WARNING, "a running time not written in minutes"),
    Code("track-incomplete", WARNING, "a jukebox track without a separate artist and song"),
    Code("unknown-fact", WARNING, "a fact label close to a known one but not it"),
    Code("duplicate-appraisal", ERROR, "two reviews with the same appraisal number",
         by="series and lint"),
    Code("image-alt", ERROR, "an image without alt text", by="markdown"),
    Code("unknown-reference", ERROR, "a reference to a review that is in no volume, or a near "
         "miss of a title", by="series"),
    Code("outside-reference", Severity.NOTE, "a reference to a film outside the series, "
         "printed as its title", by="series"),
    Code("unreadable-fact", WARNING, "a fact's value the model cannot read", by="series"),
    Code("lint-config", WARNING, "an unknown code in an ignore list (never silenced)"),
)}
NEVER_SILENCED = frozenset({"lint-config"})


@dataclass(frozen=True)
class Source:
    """A review with the line of each part of its front matter, for findings to point at."""

    review: Review
    lines: dict[tuple, int]

    @property
    def path(self) -> Path:
        return self.review.path

    def at(self, *where: str | int) -> int:
        """The line of a key (`at("facts", 2)`), else of the nearest enclosing one, else 2."""
        for end in range(len(where), 0, -1):
            if where[:end] in self.lines:
                return self.lines[where[:end]]
        return 2


def read_source(review: Review, root: Path) -> Source:
    """The review's front-matter lines, read again under the same policy (the loaded model
    keeps none); a file that changed since and no longer reads gives no lines."""
    scratch = Problems()
    text = read_text(review.path, scratch, (root,))
    parts = split_front_matter(text, review.path, scratch) if text else None
    lines = load_yaml(parts[0], review.path, 2, scratch)[1] if parts else {}
    return Source(review, lines)


def finding(source: Source | Path, line: int, code: str, message: str) -> Problem:
    path = source.path if isinstance(source, Source) else source
    return Problem(path, line, message, CODES[code].severity, code)
