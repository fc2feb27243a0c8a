"""The work of `anthology import text|html|wordpress` (the options are in anthology.cli.importing):
a blog's reviews into a volume folder.

Each input file succeeds or fails on its own: a refused file gets one `error: path: reason` line
and the rest are still imported; the exit code is 1 when any file failed. Sources are written
whole or not at all, and never over a file the author has edited since the last import.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import typer

from anthology.importer.pages import PageError, read_page
from anthology.importer.recognise import ImportedReview, recognise
from anthology.importer.report import (
    Entry,
    Failure,
    FileReport,
    print_report,
    render_text,
    report_lines,
)
from anthology.importer.report_json import report_json
from anthology.importer.saved import copy_images, read_saved_page
from anthology.importer.wordpress import read_export
from anthology.importer.write import (
    REPORT_NAME,
    VOLUME_TOML,
    Outcome,
    Planned,
    apply,
    plan,
    read_manifest,
    volume_toml,
    write_text,
)
from anthology.terminal import Console  # control characters in titles shown escaped
from anthology.workspace.volumes import VOLUMES_DIR, find_root

EXIT_FAILED = 1
EXIT_USAGE = 2

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

PATTERNS = {"text": ("*.txt",), "html": ("*.html", "*.htm")}


def run_import(kind: str, files: Sequence[Path], into: Path, force: bool, dry_run: bool,
               as_json: bool, root: Path | None = None) -> None:
    """`anthology import KIND`: read each file (`text`, `html` pages or `wordpress` exports),
    then plan, write and report as `finish` does; exit 1 when any file failed."""
    into = _check_into(into, root)
    if kind == "wordpress":
        reports = [_export_file(path) for path in files]
    else:
        read = _text_file if kind == "text" else _html_file
        reports = [read(path) for path in _expand(files, PATTERNS[kind])]
    finish(reports, into, force, dry_run, as_json)


def _check_into(into: Path, root: Path | None = None) -> Path:
    """The volume folder `--into` names: a volume's name (`archive`, under the workspace's
    `volumes/`), or a folder directly under a `volumes/` folder; anything else would be a
    folder no build sees."""
    if len(into.parts) == 1 and not into.is_absolute() and into.name not in ("", ".", ".."):
        into = (root or find_root(Path.cwd())) / VOLUMES_DIR / into.name  # as commands find it
    if into.resolve().parent.name != VOLUMES_DIR:
        err.print(f"error: --into {into}: give a volume's name (e.g. archive) or a folder in "
                  "volumes/ (e.g. volumes/archive); a folder elsewhere is in no build",
                  style="red", markup=False)
        raise typer.Exit(EXIT_USAGE)
    if into.exists() and not into.is_dir():
        err.print(f"error: --into {into} is a file; give the volume folder to write into",
                  style="red", markup=False)
        raise typer.Exit(EXIT_USAGE)
    return into


def _expand(paths: Iterable[Path], patterns: Sequence[str]) -> list[Path]:
    """Files as given; a folder stands for its pages (.txt, or .html and .htm), in name order."""
    expanded: list[Path] = []
    for path in paths:
        pages = sorted({p for pattern in patterns for p in path.glob(pattern)}) \
            if path.is_dir() else []
        expanded += pages or [path]
    return expanded


def _guarded(read: Callable[[Path], FileReport]) -> Callable[[Path], FileReport]:
    """One file's failure, whatever it is, is that file's one error line: the other files are
    still imported and no traceback reaches the author."""
    def guarded(path: Path) -> FileReport:
        try:
            return read(path)
        except RecursionError:
            return FileReport(path, error="nests too deep to be read")
        except MemoryError:
            return FileReport(path, error="is too large to be read in memory")
        except Exception as exc:  # a bug: say so in one line, and go on with the other files
            return FileReport(path, error=f"could not be imported ({type(exc).__name__}: "
                              f"{' '.join(str(exc).split())[:200]}); please report this")
    return guarded


@_guarded
def _text_file(path: Path) -> FileReport:
    try:
        page = read_page(path)
    except PageError as exc:
        return FileReport(path, error=str(exc))
    start = page.text.lstrip()[:200].lower()
    if start.startswith(("<!doctype html", "<html")):
        return FileReport(path, error="is a page saved as HTML: import it with 'anthology "
                          "import html'")
    if start.startswith("<?xml") and "<rss" in page.text[:4000]:
        return FileReport(path, error="is an RSS or WordPress export: import it with "
                          "'anthology import wordpress'")
    return FileReport(path, warnings=page.warnings, entries=(Entry("", recognise(page.text)),))


@_guarded
def _html_file(path: Path) -> FileReport:
    try:
        page = read_saved_page(path)
    except PageError as exc:
        return FileReport(path, error=str(exc))
    entry = Entry("", recognise(page.text, markdown=True), images=page.images)
    return FileReport(path, warnings=page.warnings, entries=(entry,),
                      note="line numbers count the lines of the page's content converted to "
                      "Markdown, its title being line 1")


_KINDS = {"page": "a page", "nav_menu_item": "a menu item", "draft post": "a draft",
          "private post": "a private post", "pending post": "a post pending review",
          "future post": "a scheduled post, not yet published", "trash post": "a deleted post",
          "wp_block": "a reusable block", "revision": "a revision"}


def _passed_over(kind: str) -> str:
    """Why an item of an export is not imported, in the author's words."""
    return f"{_KINDS.get(kind, f'a {kind}')}, not a published post"


@_guarded
def _export_file(path: Path) -> FileReport:
    try:
        export = read_export(path)
    except PageError as exc:
        return FileReport(path, error=str(exc))
    entries: list[Entry] = []
    for post in export.posts:
        recognition = recognise(post.text, markdown=True)
        if recognition.review is not None:
            review = replace(recognition.review, url=post.link, published=post.published,
                             tags=post.tags)
            recognition = replace(recognition, review=review)
        comments = f" ({post.comments} reader comment(s) not imported)" if post.comments else ""
        entries.append(Entry(f"post {post.post_id}: {post.title}{comments}", recognition))
    media = 0
    for item in export.passed_over:
        if item.kind == "attachment":
            media += 1
            continue
        entries.append(Entry(f"{item.kind} {item.post_id}: {item.title}",
                             passed_over=_passed_over(item.kind)))
    note = ("line numbers count the lines of each post converted to Markdown, its title being "
            "line 1")
    if media:
        note += f"; {media} media attachment(s) passed over (images are not imported)"
    warnings = export.warnings + (() if export.posts else ("the export has no published posts",))
    failures = tuple(Failure(lost.line, lost.message) for lost in export.lost)
    return FileReport(path, warnings=warnings, entries=tuple(entries), note=note,
                      failures=failures)


def _reviews(reports: Sequence[FileReport]) -> list[ImportedReview]:
    return [e.recognition.review for r in reports for e in r.entries
            if e.recognition is not None and e.recognition.review is not None]


def _with_plans(reports: Sequence[FileReport], plans: Sequence[Planned]) -> list[FileReport]:
    """Put each review's plan beside its entry, in the order the reviews were planned."""
    remaining = iter(plans)
    result = []
    for report in reports:
        entries = tuple(
            replace(e, planned=next(remaining))
            if e.recognition is not None and e.recognition.review is not None else e
            for e in report.entries)
        result.append(replace(report, entries=entries))
    return result


def _with_images(reports: Sequence[FileReport], into: Path, dry_run: bool) -> list[FileReport]:
    """Copy the images saved beside each page whose review has a file (or say what would be)."""
    result = []
    for report in reports:
        entries = tuple(
            replace(e, copied=copy_images(e.images, e.planned.path.stem, into, dry_run))
            if e.images and e.planned is not None and e.planned.outcome is not Outcome.FAILED
            else e
            for e in report.entries)
        result.append(replace(report, entries=entries))
    return result


def _critic_note(toml: Path, reviews: Sequence[ImportedReview]) -> str | None:
    """The pen name found on the pages, when an existing volume.toml does not print it."""
    pens = [r.pen_name for r in reviews if r.pen_name]
    if not pens or not toml.is_file():
        return None
    try:
        if "critic" in tomllib.loads(toml.read_text(encoding="utf-8")):
            return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    pen = max(pens, key=pens.count)
    return (f"the pages are signed with the pen name '{pen}': add critic = "
            f"{json.dumps(pen, ensure_ascii=False)} to {toml} to print it as the blog does "
            f"(\"{pen}’s Appraisal\")")


def finish(reports: Sequence[FileReport], into: Path, force: bool, dry_run: bool,
           as_json: bool = False) -> None:
    """Plan, write (unless a dry run), report; exit 1 when any file failed."""
    manifest, manifest_warning = read_manifest(into)
    reviews = _reviews(reports)
    plans = plan(reviews, into, manifest, force)
    notes: list[str] = [manifest_warning] if manifest_warning else []
    failed = False
    toml = into / VOLUME_TOML
    if note := _critic_note(toml, reviews):
        notes.append(note)
    if not toml.exists() and reviews:
        verb = "would create" if dry_run else "created"
        notes.append(f"{verb} {toml} as a draft (title from the folder name, author from the "
                     "signatures, a placeholder date): set them, then remove 'draft = true'")
    if not dry_run and reviews:
        try:
            into.mkdir(parents=True, exist_ok=True)
            plans = apply(plans, into, manifest)
            if not toml.exists():
                write_text(toml, volume_toml(into, reviews))
        except OSError as exc:
            err.print(f"error: cannot write into {into}: {exc.strerror or exc}", style="red",
                      markup=False)
            failed = True
    final = _with_images(_with_plans(reports, plans), into, dry_run or failed)
    lines = report_lines(final, dry_run, notes)
    if not dry_run and into.is_dir():
        try:
            write_text(into / REPORT_NAME, render_text(lines))
        except OSError as exc:
            err.print(f"error: cannot write {into / REPORT_NAME}: {exc.strerror or exc}",
                      style="red", markup=False)
            failed = True
    if as_json:
        sys.stdout.write(report_json(final, dry_run, notes))
        sys.stdout.flush()
    else:
        print_report(lines, out)
    _messages(final, dry_run, into)
    if failed or any(report.failed for report in final):
        raise typer.Exit(EXIT_FAILED)


def _messages(reports: Sequence[FileReport], dry_run: bool, into: Path) -> None:
    """One line per file that failed and per source left alone, on stderr, after the report."""
    for report in reports:
        if report.error is not None:
            err.print(f"error: {report.path}: {report.error}", style="red", markup=False)
        for failure in report.failures:
            err.print(f"error: {report.path}:{failure.line}: {failure.message}", style="red",
                      markup=False)
        for entry in report.entries:
            planned = entry.planned
            if planned is None or planned.outcome in (Outcome.WRITTEN, Outcome.UPDATED,
                                                      Outcome.UNCHANGED):
                continue
            style = "red" if planned.outcome is Outcome.FAILED else "yellow"
            note = f" ({planned.note})" if planned.note else ""
            err.print(f"note: {planned.path}: {planned.outcome.value}{note}", style=style,
                      markup=False)
    if dry_run:
        err.print(f"dry run: nothing was written into {into}", style="yellow", markup=False)
    elif into.is_dir():
        err.print(f"report written to {into / REPORT_NAME}", markup=False)
