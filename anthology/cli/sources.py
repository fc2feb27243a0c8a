"""The commands that read the sources and make nothing: `check` and `list`."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from anthology.cli.common import (
    EXIT_PROBLEMS,
    DraftsOption,
    FormatOption,
    ReportFormat,
    RootOption,
    StrictOption,
    VolumesArgument,
    app,
    emit_json,
    err,
    finish,
    load,
    note_elsewhere,
    noted,
    out,
    plural,
    problem_items,
    report,
)
from anthology.terminal import printable
from anthology.workspace.problems import Problems


@app.command()
def check(
    volumes: VolumesArgument = None,
    format: FormatOption = ReportFormat.text,
    drafts: DraftsOption = False,
    strict: StrictOption = False,
    root: RootOption = Path("."),
) -> None:
    """Validate every source, volume and the theme, and lint the reviews; build nothing.
    Exit 1 when there are errors (warnings alone exit 0, unless --strict)."""
    from anthology.render.documents import trial_render
    from anthology.series.lint import lint
    from anthology.workspace.theme import Theme

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
    if format is ReportFormat.json:
        emit_json(check_report(problems, root, len(loaded.books), chapters))
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
    return {"volumes": volumes, "reviews": reviews, "errors": len(problems.errors),
            "warnings": len(problems.warnings), "notes": len(problems.notes),
            "problems": problem_items(problems, root)}


@app.command(name="list")
def list_volumes(
    format: FormatOption = ReportFormat.text,
    root: RootOption = Path("."),
) -> None:
    """List the volumes, their reviews and counts (even when some files are broken)."""
    from anthology.workspace.volumes import load_workspace, volume_reviews

    start = time.perf_counter()
    problems = Problems()
    workspace = load_workspace(root, problems)
    listed = [(volume, sorted(volume_reviews(volume, workspace),
                              key=lambda r: (r.meta.appraisal or 0, r.slug)))
              for volume in workspace.volumes]
    unreadable = not workspace.volumes and problems.errors  # not a workspace, or nothing in it
    if format is ReportFormat.json:
        emit_json(_list_json(listed, problems, root))
        raise typer.Exit(EXIT_PROBLEMS if unreadable else 0)
    if unreadable:
        report(problems, root, stopping=False)
        raise typer.Exit(EXIT_PROBLEMS)
    from rich.table import Table

    for volume, reviews in listed:
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
        for review in reviews:
            meta = review.meta
            table.add_row(str(meta.appraisal or ""), printable(meta.title), str(meta.year or ""),
                          str(meta.judgement or ""), str(len(review.essay.split())))
        out.print(table)
    if problems.errors:
        # Listing is for finding one's way: what could be read is listed, and the rest named.
        err.print(f"{plural(len(problems.errors), 'file problem')} left something out of this "
                  "list:", style="yellow")
        report(problems, root, stopping=False)
    total = sum(len(reviews) for _, reviews in listed)
    finish(f"{plural(len(workspace.volumes), 'volume')}, {plural(total, 'review')}", start,
           "anthology check" if problems else None)


def _list_json(listed: list, problems: Problems, root: Path) -> dict[str, object]:
    """`list --format json`: each volume with its reviews, and what could not be read."""
    from anthology.cli.common import shown

    volumes = []
    for volume, reviews in listed:
        source = volume.source
        volumes.append({
            "volume": volume.slug, "title": source.title,
            "series": ({"name": source.series.name, "number": source.series.number}
                       if source.series else None),
            "reviews": [{"path": str(shown(r.path, root)), "appraisal": r.meta.appraisal,
                         "title": r.meta.title, "year": r.meta.year,
                         "judgement": str(r.meta.judgement) if r.meta.judgement else None,
                         "words": len(r.essay.split()), "draft": r.meta.draft}
                        for r in reviews]})
    return {"volumes": volumes, "reviews": sum(len(v["reviews"]) for v in volumes),
            "problems": problem_items(problems, root)}
