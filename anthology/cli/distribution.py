"""The commands for distributors: `onix` (the ONIX 3.0 feed of every edition)."""

from __future__ import annotations

import time
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
    noted,
    out,
    piece_cache,
    plural,
    problem_items,
    report,
    shown,
)
from anthology.terminal import printable

if TYPE_CHECKING:
    from anthology.distribution.products import Feed, Listed
    from anthology.series.book import Book
    from anthology.workspace.problems import Problems


def feed_name(books: list[Book]) -> str:
    """`<volume>-onix.xml` for one volume; else the series' name when the volumes share
    one; else `series-onix.xml`, as the series playlists are named."""
    from anthology.workspace.sources import slugify

    if len(books) == 1:
        return f"{books[0].slug}-onix.xml"
    series = {b.series.name if b.series else None for b in books}
    if len(series) == 1 and None not in series:
        return f"{slugify(series.pop() or '')}-onix.xml"
    return "series-onix.xml"


@app.command()
def onix(
    volumes: VolumesArgument = None,
    output: Annotated[Path | None, typer.Option(
        "--out", "-o", dir_okay=False, metavar="FILE",
        help="The feed to write [default: build/<series or volume>-onix.xml].")] = None,
    books: Annotated[Path | None, typer.Option(
        "--books", file_okay=False, metavar="FOLDER",
        help="Where the built books are, for page counts and the e-book's accessibility "
        "[default: build/ in the workspace].")] = None,
    format: FormatOption = ReportFormat.text,
    root: RootOption = Path("."),
) -> None:
    """Write the ONIX 3.0 feed for distributors: a product for each edition (e-book,
    paperback, hardcover) that has an ISBN, with its prices, subjects, size, pages and the
    e-book's accessibility. Builds nothing: page counts come from the last build."""
    from anthology.distribution.onix import message
    from anthology.distribution.products import gather, sent_at
    from anthology.epub.package import EpochError, source_date_epoch
    from anthology.output import atomic_target
    from anthology.workspace.theme import ThemeError

    start = time.perf_counter()
    as_json = format is ReportFormat.json
    if as_json:  # standard output holds the JSON alone
        out.quiet = True
    loaded = load(root, volumes)
    problems = loaded.problems
    if problems.errors:
        report(problems, root, stopping=False)
        err.print(f"{plural(len(problems.errors), 'error')}: no feed was written",
                  style="bold red", markup=False)
        raise typer.Exit(EXIT_PROBLEMS)
    if not loaded.books:
        err.print("error: this workspace has no volumes", style="red")
        raise typer.Exit(EXIT_PROBLEMS)
    try:
        source_date_epoch()  # the moment the feed carries: a bad one stops at once
    except EpochError as exc:
        err.print(f"error: {exc}", style="red", markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    folder = (books or root / "build").resolve()
    try:
        feed = gather(loaded.books, loaded.workspace, folder, str(shown(folder, root)),
                      piece_cache(root), problems)
    except (ThemeError, OSError, ValueError) as exc:
        err.print(printable(f"error: {exc}: no feed was written"), style="red", markup=False)
        raise typer.Exit(EXIT_PROBLEMS) from None
    target = (output or root / "build" / feed_name(loaded.books)).resolve()
    if not feed.volumes:
        report(problems, root, stopping=False)
        err.print("error: no volume has an ISBN, and ONIX names each product by its ISBN: "
                  "add [identifiers] to volume.toml", style="red", markup=False)
        raise typer.Exit(EXIT_PROBLEMS)
    sender = next((v.publisher for v in feed.volumes if v.publisher), feed.volumes[0].author)
    try:
        with atomic_target(target) as temporary:
            temporary.write_bytes(message(feed.volumes, sender, sent_at(feed.volumes)))
    except OSError as exc:
        err.print(printable(f"error: {shown(target, root)} was not written: "
                            f"{exc.strerror or exc}"), style="red", markup=False)
        raise typer.Exit(EXIT_PROBLEMS) from None
    if as_json:
        emit_json(onix_report(feed, target, root, problems))
        return
    for row in feed.listed:
        out.print(printable(_line(row)), markup=False)
    report(problems, root, stopping=False)
    note_elsewhere(loaded)
    skipped = f", {plural(len(feed.skipped), 'volume')} without an ISBN left out" \
        if feed.skipped else ""
    finish(f"Wrote {shown(target, root)}: {plural(len(feed.listed), 'product')} of "
           f"{plural(len(feed.volumes), 'volume')}{skipped}{noted(problems)}", start,
           "send it to your distributor")


def _line(row: Listed) -> str:
    prices = ", ".join(f"{c} {a}" for c, a in row.prices) or "no price"
    facts = [prices]
    if row.edition == "ebook":
        facts.append(f"{plural(len(row.accessibility), 'accessibility code')} from "
                     f"{row.accessibility_from}")
    elif row.pages is not None:
        facts.append(f"{row.pages} pages from {row.pages_from}")
    return f"{row.volume} {row.edition} {row.isbn}: {'; '.join(facts)}"


def onix_report(feed: Feed, target: Path, root: Path, problems: Problems
                ) -> dict[str, object]:
    """`onix --format json`: the file, each product with where its facts came from, the
    volumes left out and the notes."""
    return {"path": str(shown(target, root)), "products": [r.as_dict() for r in feed.listed],
            "skipped": list(feed.skipped),
            "problems": problem_items(problems, root)}
