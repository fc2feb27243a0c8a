"""The author's desk: `init` (a ready workspace), `new` (a review started), `serve` (the live
preview) and `validate` (the stores' checks)."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Annotated

import typer

from anthology.cli.common import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    FormatOption,
    ReportFormat,
    RootOption,
    app,
    emit_json,
    err,
    finish,
    out,
    plural,
    progress_bar,
    settings,
    shown,
)
from anthology.preflight.validate import ValidatorMissing, validate_epub
from anthology.starter import StarterError, create_workspace
from anthology.terminal import printable


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(
        help="Where to make the workspace [default: the current folder].",
        show_default=False)] = Path("."),
) -> None:
    """Make a ready workspace: a volume with two example reviews, styles/ and .gitignore."""
    from anthology.workspace.volumes import VOLUMES_DIR, find_root

    start = time.perf_counter()
    around = find_root(folder)
    if around != folder.resolve() and (around / VOLUMES_DIR).is_dir():
        err.print(printable(f"error: {folder} is inside the workspace {around}: make a new one "
                            "outside it (a workspace in a workspace is never built)"),
                  style="red", markup=False)
        raise typer.Exit(EXIT_PROBLEMS)
    try:
        started = create_workspace(folder)
    except StarterError as exc:
        err.print(f"error: {exc}", style="red", markup=False)
        raise typer.Exit(EXIT_PROBLEMS) from None
    for path in started.written:
        out.print(f"  wrote {path}", markup=False)
    for path in started.kept:
        out.print(f"  kept  {path} (already there, not changed)", markup=False)
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {folder} && "
    finish(f"{plural(len(started.written), 'file')} written, {len(started.kept)} kept", start,
           f"{where}anthology build (the books go to build/), then edit volumes/first-volume/")


@app.command()
def new(
    title: Annotated[str, typer.Argument(
        help='The film, with its year: "Nosferatu (1922)".', metavar="TITLE")],
    volume: Annotated[str | None, typer.Option(
        "--volume", metavar="VOLUME", help="The volume's folder name [default: the last "
        "volume].")] = None,
    root: RootOption = Path("."),
) -> None:
    """Start a review: its file in the volume, the next free appraisal number, the fact
    box's usual labels to fill in; a draft, left out of the books until you say so."""
    from anthology.workspace.new_review import NewReviewError, new_review

    start = time.perf_counter()
    try:
        made = new_review(root, title, volume)
    except (NewReviewError, OSError) as exc:
        err.print(printable(f"error: {exc}"), style="red", markup=False)
        raise typer.Exit(EXIT_PROBLEMS) from None
    where = made.path.relative_to(root) if made.path.is_relative_to(root) else made.path
    out.print(printable(f"  wrote {where}: {made.title}, appraisal #{made.appraisal}"),
              markup=False)
    finish(f"A new review in {made.volume}", start, f"write it in {where}, then remove its "
           "'draft: true' line (anthology serve shows drafts; build --drafts puts them in)")


@app.command()
def validate(
    ctx: typer.Context,
    files: Annotated[list[Path] | None, typer.Argument(
        help="EPUB files [default: every EPUB in build/].", show_default=False,
        metavar="EPUB")] = None,
    format: FormatOption = ReportFormat.text,
    root: RootOption = Path("."),
) -> None:
    """Run epubcheck and DAISY Ace on EPUBs, as the stores do (about a minute an EPUB)."""
    import zipfile

    start = time.perf_counter()
    as_json = format is ReportFormat.json
    if as_json:  # standard output holds the JSON alone
        out.quiet = True
    targets = files or sorted((root / "build").glob("*.epub"))
    if not targets:
        err.print("error: no EPUB to validate: run 'anthology build' first", style="red")
        raise typer.Exit(EXIT_USAGE)
    for path in targets:  # what the validators would fail on without saying why
        why = ("does not exist" if not path.exists() else "is not a file" if not path.is_file()
               else "is not an EPUB (a .epub file)" if path.suffix.lower() != ".epub"
               else "is not an EPUB (not a zip file)" if not zipfile.is_zipfile(path) else None)
        if why:
            err.print(printable(f"error: {path}: {why}"), style="red", markup=False)
            raise typer.Exit(EXIT_USAGE)
    failed = 0
    mode = settings(ctx)
    results: dict[Path, list] = {}
    with progress_bar(mode) as progress:
        task = progress.add_task("Validating", total=len(targets))
        for path in targets:
            progress.update(task, description=f"{path.name}: epubcheck and Ace")
            if mode.verbose:
                err.print(f"validating {path.name}", markup=False)
            try:
                findings = validate_epub(path)
            except ValidatorMissing as exc:
                err.print(f"error: {exc}", style="red", markup=False)
                raise typer.Exit(EXIT_PROBLEMS) from None
            results[path] = findings
            for finding in findings if not as_json else ():
                progress.console.print(finding.format(), style="red", markup=False)
            failed += bool(findings)
            verdict = plural(len(findings), "finding") if findings \
                else "epubcheck and Ace: clean"
            out.print(f"{path.name}: {verdict}")
            progress.advance(task)
    if as_json:
        emit_json({"ok": not failed, "files": [
            {"path": str(shown(path, root)), "clean": not found,
             "findings": [{"validator": f.validator, "severity": f.severity, "code": f.code,
                           "location": f.location, "message": f.message} for f in found]}
            for path, found in results.items()]})
        raise typer.Exit(EXIT_PROBLEMS if failed else 0)
    if failed:
        finish(f"{plural(failed, 'EPUB')} of {len(targets)} would be refused", start,
               "fix the findings above, then build and validate again")
        raise typer.Exit(EXIT_PROBLEMS)
    finish(f"{plural(len(targets), 'EPUB')} clean in epubcheck and Ace", start,
           "upload them to the stores")


@app.command()
def serve(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(min=0, max=65535, help="The port on 127.0.0.1 (0: any "
                                      "free port).")] = 8000,
    root: RootOption = Path("."),
) -> None:
    """Preview the series in the browser, updated as you edit (on 127.0.0.1 only). Each
    refresh is a line here, with the problems it found and those fixed; -v adds each request,
    -q prints only the problems."""
    import threading

    from anthology.serve import PreviewServer  # the server's packages only when serving
    from anthology.serve.log import Event, Logged, Refreshed, logged

    # Ctrl-C is how a preview ends: a goodbye below, not the build's "interrupted" note.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    verbose = settings(ctx).verbose
    styles = {"error": "red", "warning": "yellow"}
    listed_fixes = 5  # more are counted
    said = threading.Lock()  # the watcher's and the requests' threads both log

    def problem(item: Logged) -> None:
        """One line, whatever a file name or message holds; on stderr, as in every command."""
        err.print(printable(item.line), style=styles.get(item.severity, "dim"), markup=False)

    def log(event: Event) -> None:
        """Everything the running preview prints goes through here (stdout is silent with -q,
        so that only the problems are printed)."""
        with said:
            if not isinstance(event, Refreshed):
                if verbose:
                    out.print(printable(event.summary()), style="dim", markup=False)
                return
            out.print(printable(event.summary()), markup=False)
            for item in event.new:
                problem(item)
            if len(event.fixed) > listed_fixes:
                out.print(f"{plural(len(event.fixed), 'problem')} fixed", style="green")
            else:
                for item in event.fixed:
                    out.print(printable("fixed: " + item.line), style="green", markup=False)

    try:
        try:
            server = PreviewServer(root, port, on_event=log)
        except OSError as exc:
            err.print(f"error: cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}",
                      style="red", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
        snapshot = server.live.current
        if not snapshot.volumes and snapshot.errors:
            for line in snapshot.errors:
                err.print(printable(line), style="red", markup=False)
            server.close()
            raise typer.Exit(EXIT_PROBLEMS)
        for item in logged(snapshot):  # what later refreshes report changes to
            problem(item)
        with said:  # the first line on stdout: a refresh made as the watch starts waits
            server.start()
            out.print(f"Previewing {plural(len(snapshot.volumes), 'volume')} at {server.url} "
                      "(Ctrl-C to stop)", markup=False)
        try:
            server.serve_forever()
        finally:
            server.close()
    except KeyboardInterrupt:
        out.print("Stopped the preview. Goodbye.")
