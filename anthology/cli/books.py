"""The commands about the books: `build`, `check` and `list`."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from anthology.build import Change, Format, Options, Step, Written
from anthology.build import Result as BuildResult
from anthology.build import build as run_build
from anthology.cli.common import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    DraftsOption,
    Loaded,
    RootOption,
    Settings,
    StrictOption,
    VolumesArgument,
    _human_size,
    app,
    err,
    finish,
    load,
    note_elsewhere,
    noted,
    out,
    piece_cache,
    plural,
    report,
    settings,
    shown,
)
from anthology.epub.package import EpochError, source_date_epoch
from anthology.print.pdf import Profile, ResourceError
from anthology.print.wrap import PageCountError, write_cover_wrap
from anthology.render.documents import trial_render
from anthology.series.lint import lint
from anthology.terminal import Described, printable
from anthology.workspace.problems import Problem, Problems
from anthology.workspace.theme import Theme, ThemeError
from anthology.workspace.volumes import load_workspace, volume_reviews


def progress_bar(mode: Settings) -> Progress:
    """A bar on the terminal; with --verbose, one line a step (for logs); --quiet, nothing."""
    return Progress(SpinnerColumn(), Described(), BarColumn(),
                    TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                    console=err, transient=True, disable=mode.quiet or mode.verbose)


ALL_FORMATS = (Format.epub, Format.pdf, Format.playlists)
PRINTERS = (Profile.kdp, Profile.ingram)


@app.command()
def build(
    ctx: typer.Context,
    volumes: VolumesArgument = None,
    format: Annotated[list[Format] | None, typer.Option(
        "--format", "-f", metavar="epub|pdf|playlists",
        help="Build only this format (repeat for more) [default: all three].")] = None,
    output: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Where to write the books [default: build/ in the workspace].",
        file_okay=False, metavar="FOLDER")] = None,
    profile: Annotated[list[Profile] | None, typer.Option(
        "--profile", "-p", metavar="digital|kdp|ingram", help="PDF for reading (digital) or "
        "a printer's interior (kdp, ingram); repeat for more, each built in turn "
        "[default: digital].")] = None,
    print_all: Annotated[bool, typer.Option(
        "--print", help="Also every printer's interior and cover wrap (kdp and ingram): all "
        "that preflight checks and the printers take.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Lay out every page again instead of reusing laid-out chapters "
        "from build/.cache.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, metavar="N",
        help="Processes laying out pages [default: one per core].")] = None,
    drafts: DraftsOption = False,
    strict: StrictOption = False,
    root: RootOption = Path("."),
) -> None:
    """Build an EPUB and a PDF for each volume (with --print, the printers' files too)."""
    start = time.perf_counter()
    if Format.epub in (format or [Format.epub]):
        try:
            source_date_epoch()  # the moment the EPUBs will carry: a bad one stops at once
        except EpochError as exc:
            err.print(f"error: {exc}", style="red", markup=False)
            raise typer.Exit(EXIT_USAGE) from None
    loaded = load(root, volumes, keep=True, read=not no_cache, drafts=drafts)
    chosen = [v for v in loaded.workspace.volumes if v.slug in {b.slug for b in loaded.books}]
    lint(loaded.workspace, chosen, loaded.problems)  # the findings check shows, shown here too
    report(loaded.problems, root)
    if loaded.problems.errors:
        raise typer.Exit(EXIT_PROBLEMS)
    if strict and loaded.problems.warnings:
        err.print(f"{plural(len(loaded.problems.warnings), 'warning')} and --strict: nothing "
                  "was built", style="bold red")
        raise typer.Exit(EXIT_PROBLEMS)
    note_elsewhere(loaded)
    if not loaded.books:
        err.print("error: this workspace has no volumes", style="red")
        raise typer.Exit(EXIT_PROBLEMS)
    target_dir = (output or root / "build").resolve()
    profiles = list(dict.fromkeys(profile or [Profile.digital]))
    runs = [(p, tuple(format or ALL_FORMATS)) for p in profiles]
    if print_all:  # the printers' interiors after what was asked, each with its cover wrap
        runs += [(p, (Format.pdf,)) for p in PRINTERS if p not in profiles]
    theme = Theme.for_workspace(root)
    written: list[Written] = []
    removed: list[str] = []
    for run_profile, formats in runs:
        result = _one_build(ctx, loaded, theme, root, Options(target_dir, formats, run_profile,
                                                                jobs), no_cache)
        written += result.written
        removed += result.removed
        if print_all and run_profile in PRINTERS:
            written += _cover_wraps(loaded, theme, root, target_dir, run_profile,
                                    result.written)
    changed = sum(1 for w in written if w.change is not Change.unchanged)
    finish(f"Built {plural(len(written), 'file')} of "
           f"{plural(len(loaded.books), 'volume')} in {shown(target_dir, root)}/, {changed} new "
           "or changed" + (f", {len(removed)} stale removed" if removed else "")
           + noted(loaded.problems),
           start, "anthology preflight checks them for the printers" if print_all else
           "anthology validate runs epubcheck and Ace on the EPUBs"
           if any(Format.epub in f for _, f in runs) else None)


def _one_build(ctx: typer.Context, loaded: Loaded, theme: Theme, root: Path, options: Options,
               no_cache: bool) -> BuildResult:
    """One profile's build, with its progress, its table and its errors (exit 1 on one)."""
    target_dir = options.out
    cache = piece_cache(root, read=not no_cache)
    mode = settings(ctx)
    with progress_bar(mode) as progress:
        task = progress.add_task("Building", total=None)
        bars: dict[str, TaskID] = {}  # one bar a volume, under the whole build's

        def show(step: Step) -> None:
            progress.update(task, description="all volumes", completed=step.done,
                            total=step.total)
            if step.volume is not None:
                if step.volume not in bars:
                    bars[step.volume] = progress.add_task(step.volume, total=step.volume_total)
                progress.update(bars[step.volume], description=f"  {step.doing}",
                                completed=step.volume_done)
            if mode.verbose:
                err.print(f"[{step.done}/{step.total}] {step.doing}", markup=False)
        try:
            result = run_build(loaded.books, theme, cache, options, show, loaded.series)
        except OSError as exc:
            err.print(f"error: nothing was built in {shown(target_dir, root)}: {exc}",
                      style="red", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
    for warning in result.warnings:
        err.print(f"warning: {warning}", style="yellow", markup=False)
    for name in result.removed:
        out.print(printable(f"removed {shown(target_dir / name, root)}: its volume is no "
                            "longer in the series"), markup=False)
    for failure in result.failures:
        what = "could not be put in place" if failure.placing else "was not written"
        if failure.source is not None:  # a theme file: the line an editor can jump to
            line = Problem(failure.source, failure.line,
                           f"{failure.message} ({failure.name} {what})").format(root)
        else:
            line = f"error: {failure.name} {what}: {failure.message}"
        err.print(line, style="red", markup=False)
    if result.written:
        summary(result.written, root)
    where = shown(target_dir, root)
    if not result.ok:
        if result.written:
            new = ", ".join(w.path.name for w in result.written
                            if w.change is not Change.unchanged) or "none"
            err.print(f"error: only some books in {where}/ were replaced ({new}); the others "
                      "are as they were", style="red", markup=False)
        else:
            err.print(f"error: the build failed: the books in {where}/ are as they were",
                      style="red", markup=False)
        raise typer.Exit(EXIT_PROBLEMS)
    return result


def _cover_wraps(loaded: Loaded, theme: Theme, root: Path, folder: Path, profile: Profile,
                 built: Sequence[Written]) -> list[Written]:
    """Each volume's cover wrap for `profile`, its spine from the interior just built."""
    pages = {w.book: w.pages for w in built if w.path.suffix == ".pdf" and w.pages}
    made = []
    for book in loaded.books:
        target = folder / f"{book.slug}-cover-{profile.value}.pdf"
        before = target.read_bytes() if target.is_file() else None
        try:
            write_cover_wrap(book, theme, target, profile, pages[book.slug], None)
        except (ThemeError, ResourceError, OSError, PageCountError, KeyError) as exc:
            reason = exc.message if isinstance(exc, ThemeError) else str(exc)
            err.print(printable(f"error: {target.name} was not written: {reason}"),
                      style="red", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
        change = (Change.new if before is None else Change.unchanged
                  if before == target.read_bytes() else Change.replaced)
        made.append(Written(target, book.slug, None, None, target.stat().st_size, change))
        out.print(printable(f"{shown(target, root)}: the {profile.value} cover wrap"),
                  markup=False)
    return made


def summary(written: Sequence[Written], root: Path) -> None:
    table = Table(title="Built", title_justify="left")
    table.add_column("file", overflow="fold")
    table.add_column("size", justify="right")
    table.add_column("chapters", justify="right")
    table.add_column("pages", justify="right")
    table.add_column("")
    for item in written:
        table.add_row(printable(str(shown(item.path, root))), _human_size(item.size),
                      str(item.chapters) if item.chapters is not None else "",
                      str(item.pages) if item.pages is not None else "", item.change.value)
    out.print(table)


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def check(
    volumes: VolumesArgument = None,
    format: Annotated[CheckFormat, typer.Option(
        "--format", metavar="text|json", help="Problems as lines for people or as JSON for "
        "CI (on standard output).")] = CheckFormat.text,
    drafts: DraftsOption = False,
    strict: StrictOption = False,
    root: RootOption = Path("."),
) -> None:
    """Validate every source, volume and the theme, and lint the reviews; build nothing.
    Exit 1 when there are errors (warnings alone exit 0, unless --strict)."""
    start = time.perf_counter()
    loaded = load(root, volumes, drafts=drafts)
    if not loaded.problems.errors:  # what only rendering finds: the theme's templates
        theme = Theme.for_workspace(root)
        for book in loaded.books:
            trial_render(book, theme, loaded.problems)
    chosen = [v for v in loaded.workspace.volumes if v.slug in {b.slug for b in loaded.books}]
    lint(loaded.workspace, chosen, loaded.problems)
    problems = loaded.problems
    chapters = sum(len(b.chapters) for b in loaded.books)
    if format is CheckFormat.json:
        typer.echo(json.dumps(check_report(problems, root, len(loaded.books), chapters),
                              ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_PROBLEMS if problems.errors or (strict and problems.warnings)
                         else 0)
    report(problems, root, stopping=False)
    if problems.errors:
        err.print(f"{plural(len(problems.errors), 'error')}: fix them, then run "
                  "anthology check again", style="bold red")
        raise typer.Exit(EXIT_PROBLEMS)
    if strict and problems.warnings:
        err.print(f"{plural(len(problems.warnings), 'warning')} and --strict: fix or silence "
                  "them", style="bold red")
        raise typer.Exit(EXIT_PROBLEMS)
    note_elsewhere(loaded)
    warnings = len(problems.warnings)
    finish(f"{plural(len(loaded.books), 'volume')}, {plural(chapters, 'review')}: no errors"
           + (f", {plural(warnings, 'warning')}" if warnings else "") + noted(problems), start,
           "anthology build")


def check_report(problems: Problems, root: Path, volumes: int, reviews: int) -> dict:
    """`check --format json`: counts, and every problem with its place, severity and code."""
    items = []
    for problem in problems:
        where = Problem(problem.path, 0, "-").format(root).removesuffix(": error: -")
        items.append({"path": where, "line": problem.line, "severity": problem.severity.value,
                      "code": problem.code, "message": problem.message})
    return {"volumes": volumes, "reviews": reviews, "errors": len(problems.errors),
            "warnings": len(problems.warnings), "notes": len(problems.notes),
            "problems": items}


@app.command(name="list")
def list_volumes(root: RootOption = Path(".")) -> None:
    """List the volumes, their reviews and counts (even when some files are broken)."""
    start = time.perf_counter()
    problems = Problems()
    workspace = load_workspace(root, problems)
    if not workspace.volumes and problems.errors:  # not a workspace, or nothing in it to list
        report(problems, root, stopping=False)
        raise typer.Exit(EXIT_PROBLEMS)
    total = 0
    for volume in workspace.volumes:
        reviews = volume_reviews(volume, workspace)
        total += len(reviews)
        source = volume.source
        series = f"{source.series.name} {source.series.number}, " if source.series else ""
        table = Table(title=printable(f"{volume.slug}: {source.title} "
                                      f"({series}{plural(len(reviews), 'review')})"),
                      title_justify="left")
        table.add_column("#", justify="right")
        table.add_column("title")
        table.add_column("year", justify="right")
        table.add_column("judgement", justify="right")
        table.add_column("words", justify="right")
        for review in sorted(reviews, key=lambda r: (r.meta.appraisal or 0, r.slug)):
            meta = review.meta
            table.add_row(str(meta.appraisal or ""), printable(meta.title), str(meta.year or ""),
                          str(meta.judgement or ""), str(len(review.essay.split())))
        out.print(table)
    if problems.errors:
        # Listing is for finding one's way: what could be read is listed, and the rest named.
        err.print(f"{plural(len(problems.errors), 'file problem')} left something out of this "
                  "list:", style="yellow")
        report(problems, root, stopping=False)
    finish(f"{plural(len(workspace.volumes), 'volume')}, {plural(total, 'review')}", start,
           "anthology check" if problems else None)
