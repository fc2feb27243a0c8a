"""The commands for the press: `cover` (the wrap a printer needs), `preview` (page images) and
`preflight` (the publisher's check of the built books)."""

from __future__ import annotations

import json
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from anthology.cli.books import progress_bar
from anthology.cli.common import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    RootOption,
    VolumesArgument,
    app,
    err,
    finish,
    load,
    note_elsewhere,
    one_book,
    out,
    piece_cache,
    plural,
    report,
    settings,
    shown,
)
from anthology.print import preflight as press
from anthology.print.findings import Status
from anthology.print.pdf import Profile, ResourceError
from anthology.print.pieces import pieced_page_count
from anthology.print.preview import PageSpecError, parse_pages, write_preview
from anthology.print.wrap import PageCountError, check_page_count, write_cover_wrap
from anthology.terminal import plain, printable
from anthology.workspace.problems import Problem
from anthology.workspace.theme import Theme, ThemeError


class Paper(StrEnum):
    white = "white"
    cream = "cream"


VolumeArgument = Annotated[str, typer.Argument(help="The volume's folder name.",
                                               metavar="VOLUME")]
PaperOption = Annotated[Paper | None, typer.Option(
    help="Paper for the spine width [default: the volume's [print] paper].")]


@app.command()
def cover(
    volume: VolumeArgument,
    profile: Annotated[Profile, typer.Option("--profile", "-p",
                                             help="The printer: kdp or ingram.")] = Profile.kdp,
    pages: Annotated[int | None, typer.Option(
        min=1, help="Page count for the spine [default: the rendered interior's].")] = None,
    paper: PaperOption = None,
    output: Annotated[Path | None, typer.Option("--out", "-o", file_okay=False,
                                                help="[default: build/]")] = None,
    root: RootOption = Path("."),
) -> None:
    """Write the print cover wrap (back, spine, front, with bleed) for a printer."""
    start = time.perf_counter()
    if profile is Profile.digital:
        err.print("error: a cover wrap is for a printer: --profile kdp or ingram", style="red")
        raise typer.Exit(EXIT_USAGE)
    book = one_book(root, volume)
    if pages is not None:
        try:
            check_page_count(pages, profile, paper.value if paper else book.paper)
        except PageCountError as exc:
            err.print(f"error: --pages: {exc}", style="red", markup=False)
            raise typer.Exit(EXIT_USAGE) from None
    target = (output or root / "build").resolve() / f"{book.slug}-cover-{profile.value}.pdf"
    theme = Theme.for_workspace(root)
    with err.status(plain(f"laying out {book.slug}")):
        try:
            if pages is None:
                pages = pieced_page_count(book, theme, profile, piece_cache(root))
            result = write_cover_wrap(book, theme, target, profile, pages,
                                      paper.value if paper else None)
        except (ThemeError, ResourceError, OSError, PageCountError) as exc:
            err.print(printable(_located(exc, root, f"{target.name} was not written")),
                      style="red", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
    wrap = result.wrap
    width, height = wrap.size
    thin = "" if wrap.spine_text else " (too thin for spine text)"
    out.print(f"{shown(target, root)}: {width:.3f} x {height:.3f} in with bleed, "
              f"{wrap.pages} pages on {wrap.paper} paper, spine {wrap.spine:.3f} in{thin}")
    finish(f"Wrote the {profile.value} cover wrap of {book.slug}", start,
           f"upload {shown(target, root)} with the {profile.value} interior")


@app.command()
def preview(
    volume: VolumeArgument,
    pages: Annotated[str, typer.Option(help="Pages to show, e.g. 1-8 or 3,5,10-12 "
                                            "(the PDF's own page order).")] = "1-8",
    profile: Annotated[Profile, typer.Option("--profile", "-p")] = Profile.digital,
    dpi: Annotated[int, typer.Option(min=30, max=600)] = 100,
    output: Annotated[Path | None, typer.Option("--out", "-o", file_okay=False,
                                                help="[default: build/preview/]")] = None,
    root: RootOption = Path("."),
) -> None:
    """Write PNG images of chosen pages of the print edition."""
    start = time.perf_counter()
    try:
        numbers = parse_pages(pages)
    except PageSpecError as exc:
        err.print(f"error: --pages: {exc}", style="red", markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    book = one_book(root, volume)
    folder = (output or root / "build" / "preview").resolve()
    with err.status(plain(f"laying out {book.slug}")):
        try:
            written = write_preview(book, Theme.for_workspace(root), folder, numbers, profile,
                                    dpi, piece_cache(root))
        except PageSpecError as exc:
            err.print(f"error: --pages: {exc}", style="red", markup=False)
            raise typer.Exit(EXIT_USAGE) from None
        except (ThemeError, ResourceError, OSError) as exc:
            err.print(printable(_located(exc, root, "no preview")), style="red", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
    for path in written:
        out.print(str(path))
    finish(f"Wrote {len(written)} page images into {shown(folder, root)}/", start)


class Output(StrEnum):
    table = "table"
    json = "json"


SHOWN_WHERE = 5  # pages at fault listed under the table for each failing check
_STYLE = {Status.passed: "green", Status.failed: "bold red", Status.warning: "yellow",
          Status.not_run: "yellow"}


@app.command()
def preflight(
    ctx: typer.Context,
    volumes: VolumesArgument = None,
    profile: Annotated[list[Profile] | None, typer.Option(
        "--profile", "-p", metavar="digital|kdp|ingram",
        help="Check this profile's files (repeat for more) [default: all three].")] = None,
    format: Annotated[Output, typer.Option(
        "--format", "-f", metavar="table|json", help="A table to read, or JSON rows.")
    ] = Output.table,
    output: Annotated[Path | None, typer.Option(
        "--out", "-o", file_okay=False, metavar="FOLDER",
        help="Where the built books are [default: build/ in the workspace].")] = None,
    root: RootOption = Path("."),
) -> None:
    """Check the built books as a printer and a book designer would: boxes, fonts, pages,
    openers, stranded lines, hyphenation, dashes, line length, cover ink, EPUB cover fit."""
    start = time.perf_counter()
    profiles = list(dict.fromkeys(profile or list(Profile)))
    loaded = load(root, volumes)
    report(loaded.problems, root, stopping=False)
    if loaded.problems.errors:
        err.print(f"{plural(len(loaded.problems.errors), 'error')}: fix them, rebuild, then "
                  "run anthology preflight again", style="bold red")
        raise typer.Exit(EXIT_PROBLEMS)
    note_elsewhere(loaded)
    if not loaded.books:
        err.print("error: this workspace has no volumes", style="red")
        raise typer.Exit(EXIT_PROBLEMS)
    folder = (output or root / "build").resolve()
    made_from = press.sources(loaded.workspace)
    subjects = [press.Subject(book, made_from) for book in loaded.books]
    missing = press.stale(subjects, profiles, folder)
    if missing:
        where = [] if output is None else ["--out", str(shown(folder, root))]
        for item in missing:
            command = " ".join(("anthology", *item.command, *where))
            reason = ("missing" if item.older_than is None
                      else f"older than {shown(item.older_than, root)}")
            err.print(f"error: {shown(item.path, root)} is {reason}: run {command}",
                      style="red", markup=False)
        err.print("preflight checks the books a build made, and builds nothing: build them, "
                  "then run anthology preflight again", style="bold red")
        raise typer.Exit(EXIT_PROBLEMS)
    mode = settings(ctx)
    with progress_bar(mode) as bar:
        task = bar.add_task("Checking", total=None)

        def show(step: press.Step) -> None:
            bar.update(task, description=f"{step.doing} {step.detail}".strip(),
                       completed=step.done, total=step.total)
            if mode.verbose and not step.detail:  # a line a file, not a page
                err.print(f"[{step.done}/{step.total}] {step.doing}", markup=False)
        try:
            rows = press.check(subjects, profiles, folder, show)
        except press.Unreadable as exc:
            err.print(f"error: {shown(folder, root)}/{exc}", style="red", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
    tally = press.counts(rows)
    if format is Output.json:
        # Asked for, so printed even with --quiet; plain, for a pipe.
        typer.echo(json.dumps({"rows": [r.as_dict() for r in rows],
                               "summary": {s.value: n for s, n in tally.items()}},
                              indent=2, ensure_ascii=False))
    else:
        _tables(rows)
        summary = (f"Preflight of {plural(len(subjects), 'volume')} in "
                   f"{plural(len(profiles), 'profile')}: {plural(len(rows), 'check')}, "
                   f"{tally[Status.passed]} passed, {tally[Status.failed]} failed, "
                   f"{plural(tally[Status.warning], 'warning')}")
        if tally[Status.not_run]:
            summary += f", {tally[Status.not_run]} could not run"
        finish(summary, start, "fix the layout of the failed checks and build again"
               if tally[Status.failed] else None)
    if tally[Status.failed]:
        raise typer.Exit(EXIT_PROBLEMS)


def _tables(rows: list[press.Row]) -> None:
    """One table a volume and profile; the pages at fault under it."""
    for volume, profile in dict.fromkeys((r.volume, r.profile) for r in rows):
        mine = [r for r in rows if (r.volume, r.profile) == (volume, profile)]
        files = ", ".join(dict.fromkeys(r.file for r in mine))
        table = Table(title=f"{volume}, {profile}: {files}", title_justify="left")
        for name in ("check", "figure", "limit", "result"):
            table.add_column(name, overflow="fold")
        for row in mine:
            f = row.finding
            table.add_row(f.check, f.figure, f.limit, Text(f.status.value, _STYLE[f.status]))
        out.print(table)
        for row in mine:
            f = row.finding
            if f.status in (Status.failed, Status.warning) and f.where:
                out.print(f"{row.file}: {f.check} ({f.status.value}):", markup=False)
                for where in f.where[:SHOWN_WHERE]:
                    out.print(f"  {where}", markup=False)
                if len(f.where) > SHOWN_WHERE:
                    out.print(f"  and {len(f.where) - SHOWN_WHERE} more", markup=False)


def _located(exc: Exception, root: Path, what: str) -> str:
    """One error line: at the theme file's line when the fault is in a template, as the
    build shows it, so an editor can jump there."""
    if isinstance(exc, ThemeError) and exc.path is not None:
        return Problem(exc.path, exc.line, f"{exc.message} ({what})").format(root)
    return f"error: {what}: {exc}"
