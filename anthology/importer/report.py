"""The import report: for every input, what was recognised, where it went, and every line that
was left out, by line number, so the author can check that nothing of value was dropped.

The same lines are printed (with colour) and written to `import-report.txt` beside the sources.
It is deliberately not a `.md` file: every `.md` file in a volume folder is a review.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from anthology.importer.recognise import Recognition
from anthology.importer.saved import SavedImage
from anthology.importer.write import Outcome, Planned
from anthology.terminal import printable


@dataclass(frozen=True)
class Entry:
    """One review page or one item of an export, and what became of it."""

    label: str
    recognition: Recognition | None = None
    planned: Planned | None = None
    passed_over: str | None = None
    images: tuple[SavedImage, ...] = ()  # saved beside a page, to copy into the volume
    copied: tuple[str, ...] = ()  # what became of each image


@dataclass(frozen=True)
class Failure:
    """Part of a file that could not be imported (an item of an export), at a line of it."""

    line: int
    message: str


@dataclass(frozen=True)
class FileReport:
    """One input file: a failure, or its entries (one for a page, one per item of an export),
    and the parts of it that were lost."""

    path: Path
    error: str | None = None
    warnings: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()
    note: str = ""
    failures: tuple[Failure, ...] = ()

    @property
    def failed(self) -> bool:
        return self.error is not None or bool(self.failures) or any(
            e.planned is not None and e.planned.outcome is Outcome.FAILED for e in self.entries)


@dataclass(frozen=True)
class Styled:
    style: str
    text: str


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary(files: Sequence[FileReport], dry_run: bool) -> str:
    """One line: how many files, and what happened to the reviews in them."""
    entries = [e for f in files for e in f.entries]
    outcomes = Counter(e.planned.outcome for e in entries if e.planned is not None)
    skipped = sum(1 for e in entries if e.recognition is not None and e.recognition.review is None)
    failed = sum(1 for f in files if f.failed)
    parts = [_plural(len(files), "file")]
    for outcome, word in ((Outcome.WRITTEN, "new"), (Outcome.UPDATED, "updated"),
                          (Outcome.UNCHANGED, "unchanged")):
        if outcomes[outcome]:
            parts.append(f"{outcomes[outcome]} {word}")
    kept = sum(n for o, n in outcomes.items()
               if not o.writes and o not in (Outcome.UNCHANGED, Outcome.FAILED))
    if kept:
        parts.append(f"{_plural(kept, 'review')} not written (see below)")
    if skipped:
        parts.append(f"{_plural(skipped, 'page')} skipped (not a review)")
    if failed:
        parts.append(f"{_plural(failed, 'file')} failed")
    return ", ".join(parts) + (" (dry run)" if dry_run else "")


def _recognised(recognition: Recognition, planned: Planned | None,
                dry_run: bool) -> list[Styled]:
    lines: list[Styled] = []

    def row(name: str, value: str, style: str = "") -> None:
        lines.append(Styled(style, f"  {name:<10} {value}"))

    review = recognition.review
    if review is None:
        title = f"'{recognition.title}': " if recognition.title else ""
        row("skipped", f"{title}{recognition.skipped or 'not a review'}", "yellow")
        return lines
    heading = review.title + (f" ({review.year})" if review.year else "")
    details = [heading]
    if review.appraisal is not None:
        details.append(f"appraisal #{review.appraisal}")
    if review.views:
        details.append(f"views {review.views}")
    row("review", ", ".join(details), "bold")
    if planned is not None:
        note = f" ({planned.note})" if planned.note else ""
        style = "green" if planned.outcome.writes else (
            "red" if planned.outcome is Outcome.FAILED else "yellow")
        would = "would be " if dry_run and planned.outcome.writes else ""
        row("source", f"{planned.path}: {would}{planned.outcome.value}{note}",
            "" if planned.outcome is Outcome.UNCHANGED else style)
    notes = sum(1 for f in review.facts if f.label is None)
    labels = ", ".join(f.label or "(note)" for f in review.facts)
    row("facts", f"{len(review.facts)}" + (f" ({_plural(notes, 'note')})" if notes else "")
        + (f": {labels}" if labels else ""))
    tracks = "; ".join(f"{t.artist} “{t.song}”" if t.song else t.artist for t in review.jukebox)
    row("jukebox", _plural(len(review.jukebox), "track") + (f": {tracks}" if tracks else ""))
    row("judgement", review.judgement or "none")
    if review.guests:
        row("guests", "; ".join(f"{g.byline} ({_plural(len(g.paragraphs), 'paragraph')})"
                                for g in review.guests))
    if review.related:
        row("related", "; ".join(review.related))
    row("author", review.author or "(no signature found)")
    if review.published or review.url:
        row("published", " ".join(str(v) for v in (review.published, review.url) if v))
    if review.tags:
        row("tags", ", ".join(review.tags))
    row("essay", _plural(len(review.essay), "paragraph"))
    return lines


def _entry(entry: Entry, dry_run: bool) -> list[Styled]:
    lines: list[Styled] = []
    if entry.label:
        lines.append(Styled("bold", f" -- {entry.label}"))
    if entry.passed_over is not None:
        lines.append(Styled("dim", f"  {'passed over':<10} {entry.passed_over}"))
        return lines
    recognition = entry.recognition
    if recognition is None:
        return lines
    lines += _recognised(recognition, entry.planned, dry_run)
    for notice in recognition.notices:
        where = f"line {notice.line}: " if notice.line else ""
        lines.append(Styled("yellow", f"  {'warning':<10} {where}{notice.message}"))
    for copied in entry.copied:
        lines.append(Styled("", f"  {'image':<10} {copied}"))
    if recognition.review is not None and recognition.dropped:
        lines.append(Styled("", f"  {'left out':<10} {_plural(len(recognition.dropped), 'line')}:"))
        for dropped in recognition.dropped:
            lines.append(Styled("dim", f"    line {dropped.number:>4}  {dropped.kind.value:<15}  "
                                       f"{dropped.text}"))
    return lines


@dataclass(frozen=True)
class Row:
    """One review of the summary table."""

    page: str
    title: str
    appraisal: str
    facts: int
    tracks: int
    paragraphs: int
    left_out: int


def table_rows(files: Sequence[FileReport]) -> list[Row]:
    """A row per recognised review: where it came from and how much of it was found."""
    rows = []
    for file in files:
        for entry in file.entries:
            recognition = entry.recognition
            if recognition is None or recognition.review is None:
                continue
            review = recognition.review
            page = file.path.name + (f" ({entry.label.split(':')[0]})" if entry.label else "")
            rows.append(Row(
                page, review.title + (f" ({review.year})" if review.year else ""),
                str(review.appraisal) if review.appraisal is not None else "-",
                len(review.facts), len(review.jukebox),
                len(review.essay) + sum(len(g.paragraphs) for g in review.guests),
                len(recognition.dropped)))
    return rows


_COLUMNS = ("page", "title", "appraisal", "facts", "tracks", "paragraphs", "left out")


def table(files: Sequence[FileReport]) -> list[str]:
    """The summary table, in plain text columns (empty when no review was recognised)."""
    rows = table_rows(files)
    if not rows:
        return []
    cells = [_COLUMNS] + [(r.page, r.title, r.appraisal, str(r.facts), str(r.tracks),
                           str(r.paragraphs), str(r.left_out)) for r in rows]
    widths = [min(40, max(len(row[i]) for row in cells)) for i in range(len(_COLUMNS))]

    def line(row: Sequence[str]) -> str:
        text = [value if len(value) <= widths[i] else value[:widths[i] - 1] + "…"
                for i, value in enumerate(row)]
        return "  ".join(t.ljust(widths[i]) if i < 2 else t.rjust(widths[i])
                         for i, t in enumerate(text)).rstrip()

    return [line(cells[0]), "  ".join("-" * w for w in widths)] + [line(c) for c in cells[1:]]


def report_lines(files: Sequence[FileReport], dry_run: bool = False,
                 notes: Sequence[str] = ()) -> list[Styled]:
    """The whole report, line by line, each with its console style."""
    lines = [Styled("bold", "anthology import report" + (" (dry run: nothing written)"
                                                         if dry_run else "")),
             Styled("", summary(files, dry_run))]
    lines += [Styled("yellow", f"note: {note}") for note in notes]
    lines.append(Styled("", ""))
    if rows := table(files):
        lines += [Styled("bold", rows[0])] + [Styled("", row) for row in rows[1:]]
        lines.append(Styled("", ""))
    for file in files:
        lines.append(Styled("bold cyan", f"== {file.path}"))
        if file.error is not None:
            lines.append(Styled("red", f"  {'failed':<10} {file.error}"))
        for failure in file.failures:
            lines.append(Styled("red", f"  {'failed':<10} line {failure.line}: {failure.message}"))
        for warning in file.warnings:
            lines.append(Styled("yellow", f"  {'warning':<10} {warning}"))
        if file.note:
            lines.append(Styled("dim", f"  {'note':<10} {file.note}"))
        for entry in file.entries:
            lines += _entry(entry, dry_run)
        lines.append(Styled("", ""))
    return lines


def render_text(lines: Iterable[Styled]) -> str:
    return "\n".join(line.text for line in lines).rstrip() + "\n"


def print_report(lines: Iterable[Styled], console: Console) -> None:
    for line in lines:
        # One line each: a blog's title cannot forge another (anthology.terminal).
        console.print(printable(line.text), style=line.style or None, markup=False,
                      highlight=False)
