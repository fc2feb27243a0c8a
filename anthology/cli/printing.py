"""The commands for the press: `cover` (the wrap a printer needs), `preview` (page images) and
`preflight` (the publisher's check of the built books)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from anthology.cli.common import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    FormatOption,
    ReportFormat,
    RootOption,
    VolumesArgument,
    app,
    emit_json,
    err,
    finish,
    load,
    note_elsewhere,
    out,
    piece_cache,
    plural,
    progress_bar,
    report,
    settings,
    shown,
)
from anthology.editions import Cover, Paper, Profile
from anthology.preflight.findings import Status
from anthology.terminal import plain, printable

if TYPE_CHECKING:
    from anthology.preflight import run as press
    from anthology.series.book import Book


PaperOption = Annotated[Paper | None, typer.Option(
    help="Paper for the spine width [default: the volume's [print] paper].")]


def _books(root: Path, volumes: list[str] | None) -> list[Book]:
    """The chosen volumes resolved (all when none are named), or exit with their problems."""
    loaded = load(root, volumes)
    report(loaded.problems, root)
    if loaded.problems.errors:
        raise typer.Exit(EXIT_PROBLEMS)
    note_elsewhere(loaded)
    if not loaded.books:
        err.print("error: this workspace has no volumes", style="red")
        raise typer.Exit(EXIT_PROBLEMS)
    return loaded.books


@app.command()
def cover(
    volumes: VolumesArgument = None,
    printer: Annotated[Cover, typer.Option(
        "--profile", "-p", metavar="kdp|ingram|ingram-hardcover",
        help="The printer (ingram-hardcover: the case laminate cover and the dust jacket)."
    )] = Cover.kdp,
    pages: Annotated[int | None, typer.Option(
        min=1, help="Page count for the spine, with one volume named [default: the rendered "
        "interior's].")] = None,
    paper: PaperOption = None,
    output: Annotated[Path | None, typer.Option("--out", "-o", file_okay=False,
                                                help="[default: build/]")] = None,
    root: RootOption = Path("."),
) -> None:
    """Write the print cover wrap (back, spine, front, with bleed) of each volume for a
    printer; for the hardcover its case and dust jacket. (`build --print` makes them with the
    interiors.)"""
    from anthology.print.geometry import TrimError
    from anthology.print.jacket import jacket_name, write_jacket
    from anthology.print.pdf import ResourceError
    from anthology.print.pieces import pieced_page_count
    from anthology.print.wrap import PageCountError, check_page_count, write_cover_wrap
    from anthology.workspace.theme import Theme, ThemeError

    start = time.perf_counter()
    profile = printer.profile
    if pages is not None and len(volumes or []) != 1:
        err.print("error: --pages gives one volume's page count: name that volume",
                  style="red")
        raise typer.Exit(EXIT_USAGE)
    books = _books(root, volumes)
    if pages is not None:
        try:
            check_page_count(pages, profile, paper.value if paper else books[0].paper)
        except PageCountError as exc:
            err.print(f"error: --pages: {exc}", style="red", markup=False)
            raise typer.Exit(EXIT_USAGE) from None
    theme = Theme.for_workspace(root)
    folder = (output or root / "build").resolve()
    for book in books:
        target = folder / f"{book.slug}-cover-{profile.value}.pdf"
        with err.status(plain(f"laying out {book.slug}")):
            try:
                count = pages or pieced_page_count(book, theme, profile, piece_cache(root))
                results = [write_cover_wrap(book, theme, target, profile, count,
                                            paper.value if paper else None)]
                if profile.hardcover:
                    results.append(write_jacket(book, theme, folder / jacket_name(book), count,
                                                paper.value if paper else None))
            except (ThemeError, ResourceError, OSError, PageCountError, TrimError) as exc:
                err.print(printable(_located(exc, root, f"{target.name} was not written")),
                          style="red", markup=False)
                raise typer.Exit(EXIT_PROBLEMS) from None
        for result in results:
            wrap = result.wrap
            width, height = wrap.size
            thin = " (too thin for spine text)" if result.spine.empty else ""
            out.print(printable(f"{shown(result.path, root)}: {width:.3f} x {height:.3f} in "
                                f"with bleed, {wrap.pages} pages on {wrap.paper} paper, "
                                f"spine {wrap.spine:.3f} in{thin}"), markup=False)
    finish(f"Wrote the {profile.value} cover wrap of {plural(len(books), 'volume')}", start,
           f"upload each with its {profile.value} interior")


@app.command()
def preview(
    volumes: VolumesArgument = None,
    pages: Annotated[str, typer.Option(help="Pages to show, e.g. 1-8 or 3,5,10-12 "
                                            "(the PDF's own page order).")] = "1-8",
    profile: Annotated[Profile, typer.Option("--profile", "-p")] = Profile.digital,
    dpi: Annotated[int, typer.Option(min=30, max=600)] = 100,
    output: Annotated[Path | None, typer.Option("--out", "-o", file_okay=False,
                                                help="[default: build/preview/]")] = None,
    root: RootOption = Path("."),
) -> None:
    """Write PNG images of chosen pages of each volume's print edition."""
    from anthology.print.pdf import ResourceError
    from anthology.print.preview import PageSpecError, parse_pages, write_preview
    from anthology.workspace.theme import Theme, ThemeError

    start = time.perf_counter()
    try:
        numbers = parse_pages(pages)
    except PageSpecError as exc:
        err.print(f"error: --pages: {exc}", style="red", markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    books = _books(root, volumes)
    folder = (output or root / "build" / "preview").resolve()
    theme = Theme.for_workspace(root)
    written: list[Path] = []
    for book in books:
        with err.status(plain(f"laying out {book.slug}")):
            try:
                made = write_preview(book, theme, folder, numbers, profile, dpi,
                                     piece_cache(root))
            except PageSpecError as exc:
                err.print(f"error: --pages: {book.slug}: {exc}", style="red", markup=False)
                raise typer.Exit(EXIT_USAGE) from None
            except (ThemeError, ResourceError, OSError) as exc:
                err.print(printable(_located(exc, root, "no preview")), style="red",
                          markup=False)
                raise typer.Exit(EXIT_PROBLEMS) from None
        for path in made:
            out.print(printable(str(path)), markup=False)
        written += made
    finish(f"Wrote {len(written)} page images of {plural(len(books), 'volume')} into "
           f"{shown(folder, root)}/", start)


SHOWN_WHERE = 5  # pages at fault listed under the table for each failing check
_STYLE = {Status.passed: "green", Status.failed: "bold red", Status.warning: "yellow",
          Status.not_run: "yellow"}


@app.command()
def preflight(
    ctx: typer.Context,
    volumes: VolumesArgument = None,
    profile: Annotated[list[Profile] | None, typer.Option(
        "--profile", "-p", metavar="digital|kdp|ingram|ingram-hardcover",
        help="Check this profile's files (repeat for more) [default: all, the hardcover for "
        "volumes with an isbn_hardcover].")] = None,
    format: FormatOption = ReportFormat.text,
    output: Annotated[Path | None, typer.Option(
        "--out", "-o", file_okay=False, metavar="FOLDER",
        help="Where the built books are [default: build/ in the workspace].")] = None,
    root: RootOption = Path("."),
) -> None:
    """Check the built books as a printer and a book designer would: boxes, fonts, pages,
    openers, stranded lines, hyphenation, dashes, line length, cover ink, EPUB cover fit.
    Checks what is built; lists what is not. Exit 1 when a check fails."""
    from anthology.preflight import run as press
    from anthology.preflight.shipping import EDITIONS, plan

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
    pairs, not_built = _buildable(subjects, profiles, folder, root, output is not None,
                                  bool(profile))
    for item in not_built:
        err.print(f"{item['volume']}: {', '.join(item['profiles'])} not built, not checked: "
                  f"run {item['command']}", style="yellow", markup=False)
    if any(EDITIONS not in i["profiles"] for i in not_built) and (profile or not pairs):
        # a profile asked for by name, or nothing at all to check
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
            rows = press.check(pairs, folder, show)
        except press.Unreadable as exc:
            err.print(f"error: {shown(folder, root)}/{exc}", style="red", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
    tally = press.counts(rows)
    shipping = plan(pairs, not_built, rows, folder)
    if format is ReportFormat.json:
        # Asked for, so printed even with --quiet; plain, for a pipe.
        emit_json({"rows": [r.as_dict() for r in rows],
                   "summary": {s.value: n for s, n in tally.items()},
                   "not_built": not_built, "shipping": [u.as_dict() for u in shipping]})
    else:
        _tables(rows)
        _shipping(shipping)
        summary = (f"Preflight of {plural(len(subjects), 'volume')} in "
                   f"{plural(len(profiles), 'profile')}: {plural(len(rows), 'check')}, "
                   f"{tally[Status.passed]} passed, {tally[Status.failed]} failed, "
                   f"{plural(tally[Status.warning], 'warning')}")
        if tally[Status.not_run]:
            summary += f", {tally[Status.not_run]} could not run"
        if not_built:
            summary += f"; {plural(len(not_built), 'volume')} not built in every profile " \
                       "(listed above)"
        finish(summary, start, "fix the layout of the failed checks and build again"
               if tally[Status.failed] else None)
    if tally[Status.failed]:
        raise typer.Exit(EXIT_PROBLEMS)


def _buildable(subjects: list, profiles: list[Profile], folder: Path, root: Path,
               elsewhere: bool, named: bool = False) -> tuple[list, list[dict[str, object]]]:
    """The (volume, profile) pairs whose files are all built, and a line for each volume with
    profiles not built (what to run). A file older than its sources is an error: its checks
    would describe a book that is no longer so. Unless named, the hardcover is checked only
    for volumes with a hardcover ISBN (the ones `build --print` makes it for)."""
    from anthology.preflight import run as press
    from anthology.preflight.shipping import EDITIONS

    hardcover_ok = {s.book.slug for s in subjects if named or s.book.isbn_hardcover}
    stale = press.stale(subjects, profiles, folder, hardcover_ok,
                        piece_cache(root).checked(folder))
    where = ["--out", str(shown(folder, root))] if elsewhere else []
    older = [item for item in stale if item.older_than is not None]
    for item in older:
        command = " ".join(("anthology", *item.command, *where))
        err.print(f"error: {shown(item.path, root)} is older than "
                  f"{shown(item.older_than, root)}: run {command}", style="red", markup=False)
    if older:
        err.print("preflight checks the books as they were built: build them again, then run "
                  "anthology preflight again", style="bold red")
        raise typer.Exit(EXIT_PROBLEMS)
    absent = {item.path for item in stale}
    pairs, lines = [], []
    for subject in subjects:
        missing: dict[tuple[str, ...], list[str]] = {}
        for p in profiles:
            if p.hardcover and subject.book.slug not in hardcover_ok:
                continue
            needed = press.needed(subject, p, folder)
            if any(n.path in absent for n in needed):
                missing.setdefault(needed[0].command, []).append(p.value)
            else:
                pairs.append((subject, p))
        for command, names in missing.items():
            lines.append({"volume": subject.book.slug, "profiles": names,
                          "command": " ".join(("anthology", *command, *where))})
        slug = subject.book.slug
        if any(s is subject and p is Profile.digital for s, p in pairs) and any(
                not path.is_file() for _, path in press.editions(subject.book, folder)):
            command = ("anthology", "build", slug, "--stores", *where)
            lines.append({"volume": slug, "profiles": [EDITIONS], "command": " ".join(command)})
    return pairs, lines


def _tables(rows: list[press.Row]) -> None:
    """One table a volume and profile; the pages at fault under it."""
    from rich.table import Table
    from rich.text import Text

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


def _shipping(uploads: list) -> None:
    """What to upload where: a row a destination (its volumes' files together), then a line
    for each volume whose files are not ready, saying what to do."""
    from rich.table import Table
    from rich.text import Text

    from anthology.preflight.shipping import Readiness

    table = Table(title="What to upload where", title_justify="left")
    for name in ("where", "files", "state"):
        table.add_column(name, overflow="fold")
    for destination in dict.fromkeys(u.destination for u in uploads):
        mine = [u for u in uploads if u.destination == destination]
        files = ", ".join(f for u in mine for f in u.files) or "none"
        states = Counter(u.readiness for u in mine)
        state = ", ".join(f"{n} {s.value}" if len(mine) > 1 else s.value
                          for s, n in states.items())
        style = "green" if set(states) == {Readiness.ready} else \
            "bold red" if Readiness.failed in states else "yellow"
        table.add_row(destination, files, Text(state, style))
    out.print(table)
    for u in uploads:
        if u.readiness is not Readiness.ready:
            out.print(f"{u.destination}, {u.volume}: {u.readiness.value}: {u.note}",
                      markup=False)


def _located(exc: Exception, root: Path, what: str) -> str:
    """One error line: at the theme file's line when the fault is in a template, as the
    build shows it, so an editor can jump there."""
    from anthology.workspace.problems import Problem
    from anthology.workspace.theme import ThemeError

    if isinstance(exc, ThemeError) and exc.path is not None:
        return Problem(exc.path, exc.line, f"{exc.message} ({what})").format(root)
    return f"error: {what}: {exc}"
