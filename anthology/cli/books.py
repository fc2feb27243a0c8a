"""`anthology build`: the books of the chosen volumes, and with --print the printers' files.

The engines (WeasyPrint, the EPUB packager, the series loader) are imported inside the command,
so `anthology --help` and shell completion never wait for them."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from anthology.cli.common import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    DraftsOption,
    FormatOption,
    Loaded,
    ReportFormat,
    RootOption,
    StrictOption,
    VolumesArgument,
    _human_size,
    app,
    emit_json,
    err,
    finish,
    load,
    note_elsewhere,
    noted,
    out,
    piece_cache,
    plural,
    problem_items,
    progress_bar,
    report,
    settings,
    shown,
)
from anthology.editions import HARDCOVERS, PRINTERS, Format, Profile
from anthology.output import Change
from anthology.terminal import printable

if TYPE_CHECKING:
    from anthology.build import Result, Written
    from anthology.workspace.theme import Theme

ALL_FORMATS = (Format.epub, Format.pdf, Format.playlists)


class BuildStopped(Exception):
    """The build ended early: the lines to show, and the JSON's `errors`."""

    def __init__(self, *lines: str) -> None:
        super().__init__(lines[0] if lines else "")
        self.lines = lines


@app.command()
def build(
    ctx: typer.Context,
    volumes: VolumesArgument = None,
    only: Annotated[list[Format] | None, typer.Option(
        "--only", metavar="epub|pdf|playlists",
        help="Build only this kind of file (repeat for more) [default: all three].")] = None,
    output: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Where to write the books [default: build/ in the workspace].",
        file_okay=False, metavar="FOLDER")] = None,
    profile: Annotated[list[Profile] | None, typer.Option(
        "--profile", "-p", metavar="digital|kdp|ingram|ingram-hardcover", help="PDF for "
        "reading (digital) or a printer's interior (kdp, ingram, ingram-hardcover); repeat "
        "for more, each built in turn [default: digital].")] = None,
    print_all: Annotated[bool, typer.Option(
        "--print", help="Also every printer's interior and cover wrap (kdp and ingram), and "
        "for each volume with an isbn_hardcover the hardcover's interior, case and dust "
        "jacket: all that preflight checks and the printers take.")] = False,
    stores: Annotated[bool, typer.Option(
        "--stores", help="Also an EPUB for each store where it differs: <volume>.kepub.epub "
        "(Kobo), .kindle.epub, .apple.epub, .google.epub, .nook.epub (docs/stores.md).")
    ] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Lay out every page again instead of reusing laid-out chapters "
        "from build/.cache.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, metavar="N",
        help="Processes laying out pages [default: one per core].")] = None,
    drafts: DraftsOption = False,
    strict: StrictOption = False,
    format: FormatOption = ReportFormat.text,
    root: RootOption = Path("."),
) -> None:
    """Build an EPUB and a PDF for each volume (with --print, the printers' files too)."""
    from anthology.epub.package import EpochError, source_date_epoch
    from anthology.series.lint import lint
    from anthology.workspace.theme import Theme

    start = time.perf_counter()
    as_json = format is ReportFormat.json
    if as_json:  # standard output holds the JSON alone
        out.quiet = True
    if Format.epub in (only or [Format.epub]):
        try:
            source_date_epoch()  # the moment the EPUBs will carry: a bad one stops at once
        except EpochError as exc:
            err.print(f"error: {exc}", style="red", markup=False)
            raise typer.Exit(EXIT_USAGE) from None
    loaded = load(root, volumes, keep=True, read=not no_cache, drafts=drafts)
    chosen = [v for v in loaded.workspace.volumes if v.slug in {b.slug for b in loaded.books}]
    lint(loaded.workspace, chosen, loaded.problems)  # the findings check shows, shown here too
    target_dir = (output or root / "build").resolve()
    profiles = list(dict.fromkeys(profile or [Profile.digital]))
    runs = [(p, tuple(only or ALL_FORMATS)) for p in profiles]
    if print_all:  # the printers' interiors after what was asked, each with its cover wrap
        runs += [(p, (Format.pdf,)) for p in PRINTERS if p not in profiles]
        if any(b.isbn_hardcover for b in loaded.books):
            runs += [(p, (Format.pdf,)) for p in HARDCOVERS if p not in profiles]
    results: list[Result] = []
    written: list[Written] = []
    try:
        _may_build(loaded, strict, as_json, root)
        theme = Theme.for_workspace(root)
        for run_profile, formats in runs:
            chosen = loaded
            if run_profile.hardcover:
                chosen = _hardcovers(loaded, root, as_json, run_profile not in profiles)
            result = _one_build(ctx, chosen, theme, root, run_profile, formats, target_dir,
                                jobs, no_cache, as_json, stores)
            results.append(result)
            _more_problems(loaded, result, root, as_json)
            written += result.written
            if not result.ok:
                raise BuildStopped(*_failure_lines(result, root))
            if print_all and run_profile in (*PRINTERS, *HARDCOVERS):
                written += _cover_wraps(chosen, theme, root, target_dir, run_profile,
                                        result.written, as_json)
    except BuildStopped as stopped:
        if as_json:
            emit_json(_json(loaded, root, target_dir, results, written, stopped.lines))
        raise typer.Exit(EXIT_PROBLEMS) from None
    if as_json:
        emit_json(_json(loaded, root, target_dir, results, written, ()))
        return
    removed = [name for r in results for name in r.removed]
    changed = sum(1 for w in written if w.change is not Change.unchanged)
    finish(f"Built {plural(len(written), 'file')} of "
           f"{plural(len(loaded.books), 'volume')} in {shown(target_dir, root)}/, {changed} new "
           "or changed" + (f", {len(removed)} stale removed" if removed else "")
           + noted(loaded.problems),
           start, "anthology preflight checks them for the printers" if print_all else
           "anthology validate runs epubcheck and Ace on the EPUBs"
           if any(Format.epub in f for _, f in runs) else None)


def _may_build(loaded: Loaded, strict: bool, as_json: bool, root: Path) -> None:
    """Report the sources' problems; stop when one is an error (or a warning, with --strict)."""
    if not as_json:
        report(loaded.problems, root)
    if loaded.problems.errors:
        raise BuildStopped(f"{plural(len(loaded.problems.errors), 'error')}: nothing was built")
    if strict and loaded.problems.warnings:
        line = (f"{plural(len(loaded.problems.warnings), 'warning')} and --strict: nothing "
                "was built")
        if not as_json:
            err.print(line, style="bold red")
        raise BuildStopped(line)
    if not as_json:
        note_elsewhere(loaded)
    if not loaded.books:
        line = "error: this workspace has no volumes"
        if not as_json:
            err.print(line, style="red")
        raise BuildStopped(line)


def _hardcovers(loaded: Loaded, root: Path, as_json: bool, with_isbn: bool) -> Loaded:
    """The volumes a hardcover build makes: with `--print`, those naming an isbn_hardcover (a
    hardcover without one cannot be sold); asked for by `--profile`, every chosen volume.
    A trim Ingram binds no hardcover at stops the build at the volume's volume.toml."""
    import dataclasses

    from anthology.print.geometry import TrimError, check_hardcover_trim
    from anthology.workspace.problems import Problem

    books = [b for b in loaded.books if b.isbn_hardcover or not with_isbn]
    lines = []
    for book in books:
        try:
            check_hardcover_trim(book.trim)
        except TrimError as exc:
            toml = next(v.path for v in loaded.workspace.volumes if v.slug == book.slug)
            line = next((n for n, text in enumerate(toml.read_text("utf-8").splitlines(), 1)
                         if text.lstrip().startswith("trim")), 1)
            lines.append(Problem(toml, line, f"{exc} (set [print] trim, or build the "
                                 "paperbacks alone)").format(root))
    if lines:
        if not as_json:
            for line in lines:
                err.print(line, style="red", markup=False)
        raise BuildStopped(*lines)
    return dataclasses.replace(loaded, books=books)


def _one_build(ctx: typer.Context, loaded: Loaded, theme: Theme, root: Path, profile: Profile,
               formats: tuple[Format, ...], target_dir: Path, jobs: int | None,
               no_cache: bool, as_json: bool, stores: bool = False) -> Result:
    """One profile's build, with its progress and (for people) its table and problems."""
    from anthology.build import Options, Step
    from anthology.build import build as run_build
    from anthology.print.glyphs import book_sources

    options = Options(target_dir, formats, profile, jobs, stores)
    cache = piece_cache(root, read=not no_cache)
    mode = settings(ctx)
    with progress_bar(mode) as progress:
        task = progress.add_task("Building", total=None)
        bars: dict[str, int] = {}  # one bar a volume, under the whole build's

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
            result = run_build(loaded.books, theme, cache, options, show, loaded.series,
                               book_sources(loaded.workspace))
        except OSError as exc:
            line = f"error: nothing was built in {shown(target_dir, root)}: {exc}"
            if not as_json:
                err.print(line, style="red", markup=False)
            raise BuildStopped(line) from None
    if not as_json:
        _show(result, root)
    return result


def _more_problems(loaded: Loaded, result: Result, root: Path, as_json: bool) -> None:
    """The build's own warnings at a source's line (characters the theme's font lacks) join
    the sources' problems (the JSON and its counts); each is shown once, however many
    profiles are built."""
    from anthology.workspace.problems import Problems

    known = set(loaded.problems)
    new = Problems()
    new.extend(p for p in result.problems if p not in known)
    loaded.problems.extend(new)
    if not as_json:
        report(new, root, stopping=False)


def _show(result: Result, root: Path) -> None:
    for warning in result.warnings:
        err.print(f"warning: {warning}", style="yellow", markup=False)
    for name in result.removed:
        out.print(printable(f"removed {shown(result.out / name, root)}: its volume is no "
                            "longer in the series"), markup=False)
    if result.written:
        summary(result.written, root)
    for line in _failure_lines(result, root):
        err.print(line, style="red", markup=False)


def _failure_lines(result: Result, root: Path) -> list[str]:
    """What went wrong in a build, one line a file, and what became of the output folder."""
    from anthology.workspace.problems import Problem

    lines = []
    for failure in result.failures:
        what = "could not be put in place" if failure.placing else "was not written"
        if failure.source is not None:  # a theme file: the line an editor can jump to
            lines.append(Problem(failure.source, failure.line,
                                 f"{failure.message} ({failure.name} {what})").format(root))
        else:
            lines.append(f"error: {failure.name} {what}: {failure.message}")
    where = shown(result.out, root)
    if result.failures and result.written:
        new = ", ".join(w.path.name for w in result.written
                        if w.change is not Change.unchanged) or "none"
        lines.append(f"error: only some books in {where}/ were replaced ({new}); the others "
                     "are as they were")
    elif result.failures:
        lines.append(f"error: the build failed: the books in {where}/ are as they were")
    return lines


def _cover_wraps(loaded: Loaded, theme: Theme, root: Path, folder: Path, profile: Profile,
                 built: Sequence[Written], as_json: bool) -> list[Written]:
    """Each volume's cover wrap for `profile`, its spine from the interior just built (for the
    hardcover, its case and its dust jacket)."""
    from anthology.build import Written
    from anthology.print.jacket import jacket_name, write_jacket
    from anthology.print.pdf import ResourceError
    from anthology.print.wrap import PageCountError, write_cover_wrap
    from anthology.workspace.theme import ThemeError

    pages = {w.book: w.pages for w in built if w.path.suffix == ".pdf" and w.pages}
    made = []
    for book in loaded.books:
        covers = [(f"{book.slug}-cover-{profile.value}.pdf", write_cover_wrap,
                   f"the {profile.value} cover wrap")]
        if profile.hardcover:
            covers = [(covers[0][0], write_cover_wrap, "the hardcover's case laminate cover"),
                      (jacket_name(book), lambda b, t, path, _p, count, paper:
                       write_jacket(b, t, path, count, paper), "its dust jacket")]
        for name, write, what in covers:
            target = folder / name
            before = target.read_bytes() if target.is_file() else None
            try:
                write(book, theme, target, profile, pages[book.slug], None)
            except (ThemeError, ResourceError, OSError, PageCountError, KeyError) as exc:
                reason = exc.message if isinstance(exc, ThemeError) else str(exc)
                line = printable(f"error: {target.name} was not written: {reason}")
                if not as_json:
                    err.print(line, style="red", markup=False)
                raise BuildStopped(line) from None
            change = (Change.new if before is None else Change.unchanged
                      if before == target.read_bytes() else Change.replaced)
            made.append(Written(target, book.slug, None, None, target.stat().st_size, change))
            out.print(printable(f"{shown(target, root)}: {what}"), markup=False)
    return made


def summary(written: Sequence[Written], root: Path) -> None:
    from rich.table import Table

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


def _json(loaded: Loaded, root: Path, target_dir: Path, results: Sequence[Result],
          written: Sequence[Written], errors: Sequence[str]) -> dict[str, object]:
    """`build --format json`: every file with its volume, pages and what became of it."""
    return {
        "ok": not errors,
        "out": str(shown(target_dir, root)),
        "volumes": [b.slug for b in loaded.books],
        "files": [{"path": str(shown(w.path, root)), "volume": w.book, "size": w.size,
                   "chapters": w.chapters, "pages": w.pages, "change": w.change.value}
                  for w in written],
        "removed": [str(shown(r.out / name, root)) for r in results for name in r.removed],
        "warnings": [w for r in results for w in r.warnings],
        "errors": list(errors),
        "problems": problem_items(loaded.problems, root),
        "counts": {"errors": len(loaded.problems.errors),
                   "warnings": len(loaded.problems.warnings),
                   "notes": len(loaded.problems.notes)},
    }
