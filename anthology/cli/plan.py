"""`anthology plan`: propose volumes that fit what a printer binds, price them, write them."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from anthology.cli.common import (
    EXIT_PROBLEMS,
    FormatOption,
    ReportFormat,
    RootOption,
    app,
    emit_json,
    err,
    finish,
    out,
    plural,
)
from anthology.cli.common import report as report_problems
from anthology.editions import TRIMS, Paper, Printer
from anthology.planner import Order
from anthology.print.geometry import PAGE_LIMITS
from anthology.workspace.problems import Problems

if TYPE_CHECKING:
    from rich.text import Text

    from anthology.planner.assemble import Plan, Planned
    from anthology.planner.pricing import Price
    from anthology.planner.propose import Budget
    from anthology.workspace.volumes import Workspace

Trim = StrEnum("Trim", {name: name for name in TRIMS})  # type: ignore[misc]
SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€"}


@app.command()
def plan(
    source: Annotated[Path | None, typer.Option(
        "--from", help="Plan the reviews in this folder (an import's) instead of the "
        "workspace's reviews that no volume holds.", exists=True, file_okay=False,
        resolve_path=True, metavar="FOLDER")] = None,
    order: Annotated[Order, typer.Option(
        "--order", metavar="appraisal|date|year|title|genre",
        help="The order reviews fill volumes in.")] = Order.appraisal,
    pages: Annotated[str | None, typer.Option(
        "--pages", metavar="N|LOW-HIGH", help="Pages a volume may have: at most N, or "
        "a range to aim inside [default: the printer's most, 828 for KDP].")] = None,
    trim: Annotated[Trim, typer.Option(  # type: ignore[valid-type]
        "--trim", metavar="|".join(TRIMS), help="Trim of new volumes.")] = "6x9",
    paper: Annotated[Paper, typer.Option(
        "--paper", metavar="white|cream", help="Paper of new volumes (sets the spine).")
    ] = Paper.white,
    profile: Annotated[Printer, typer.Option(
        "--profile", "-p", metavar="kdp|ingram", help="The printer whose limits and "
        "prices apply.")] = Printer.kdp,
    format: FormatOption = ReportFormat.text,
    write: Annotated[bool, typer.Option(
        "--write", help="Write each proposed volume's [contents] reviews list (new "
        "volumes get a volume.toml); no review file is moved or changed.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Estimate every chapter, even those a build has laid out.")
    ] = False,
    root: RootOption = Path("."),
) -> None:
    """Propose volumes within a page budget, with their pages, spine and prices; the
    volumes the workspace has are kept, and only the reviews none holds are planned."""
    from anthology.planner.assemble import Options, make_plan
    from anthology.planner.pricing import services
    from anthology.planner.propose import Budget
    from anthology.workspace.volumes import load_workspace

    start = time.perf_counter()
    service = services()[profile.value]
    limits = PAGE_LIMITS[profile.value]  # what the printer binds, as preflight checks
    try:
        budget = Budget.parse(pages or str(limits[1]), limits)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--pages'") from None
    problems = Problems()
    workspace = load_workspace(root, problems)
    options = Options(order, budget, service, str(trim), paper.value, source, not no_cache)
    found = make_plan(workspace, options, problems) if not problems.errors else None
    if found is not None and write and not problems.errors:
        written = _write(found, workspace, root, problems)
    else:
        written = []
    report_problems(problems, root, stopping=False)
    if found is None or problems.errors:
        done = ("only " + ", ".join(str(p.relative_to(root.resolve())) for p in written)
                + " written") if written else "nothing was planned" + (
                    " or written" if write else "")
        err.print(f"{plural(len(problems.errors), 'error')}: {done}", style="bold red",
                  markup=False)
        raise typer.Exit(EXIT_PROBLEMS)
    if format is ReportFormat.json:
        emit_json(plan_report(found, written, root))
        return
    show(found)
    for note in found.notes:
        err.print(f"note: {note}", style="yellow", markup=False)
    _summary(found, written, start, root)


def _write(found: Plan, workspace: Workspace, root: Path, problems: Problems) -> list[Path]:
    """Write the new volumes' lists; a folder outside volumes/ cannot be written for, since
    a volume finds only the reviews of volume folders."""
    from anthology.planner.propose import same_folder
    from anthology.planner.write import Target, write_plan
    from anthology.workspace.volumes import VOLUMES_DIR

    source = found.options.source
    if found.new and source is not None and not any(
            same_folder(v.folder, source) for v in workspace.volumes):
        problems.error(source, 0, f"--write needs the reviews in a volume folder (in "
                       f"{VOLUMES_DIR}/, with a volume.toml): 'anthology import ... --into "
                       f"{VOLUMES_DIR}/NAME' puts them there")
        return []
    if found.first is None and any(v.volume is None for v in found.new):
        problems.error(root / VOLUMES_DIR, 0, "no volume to copy a title and author from: "
                       "'anthology init' makes one")
        return []
    targets = [Target(tuple(s.slug for s in v.reviews),
                      v.volume.path if v.volume is not None else None, v.slug,
                      v.series or 1, v.trim, v.paper) for v in found.new]
    first = found.first.source if found.first is not None else None
    return write_plan(root, targets, first, found.series, problems)


def _money(value: Price) -> str:
    symbol = SYMBOLS.get(value.currency, value.currency + " ")
    mark = "" if value.verified else "≈"
    return f"{mark}{symbol}{value.cost} / {mark}{symbol}{value.least}"


def _pages(volume: Planned, budget: Budget) -> Text:
    from rich.text import Text

    if volume.pages > budget.high:
        return Text(f"{volume.pages}\nover", style="red")
    if budget.low is not None and volume.pages < budget.low:
        return Text(f"{volume.pages}\nunder", style="yellow")
    return Text(str(volume.pages))


def show(found: Plan) -> None:
    """A row a volume: its reviews (the first and last), pages, spine and, a line a store,
    the printing cost of a copy and the least list price."""
    from rich.table import Table

    options = found.options
    service = options.service
    table = Table(title=f"Plan: {options.budget} pages a volume, {service.name}, reviews "
                        f"by {options.order.value}", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("volume", overflow="fold")
    table.add_column("reviews", justify="right")
    table.add_column("first, last", overflow="fold")
    table.add_column("pages", justify="right")
    table.add_column("spine", justify="right", no_wrap=True)
    table.add_column("print / least price", justify="right", no_wrap=True)
    for volume in found.volumes:
        state = "kept" if volume.kept else "list set" if volume.volume is not None else "new"
        table.add_row(str(volume.position), f"{volume.slug}\n{state}", str(len(volume.reviews)),
                      f"{volume.reviews[0].title}\n{volume.reviews[-1].title}",
                      _pages(volume, options.budget), f"{volume.spine:.3f} in",
                      "\n".join(_money(p) for p in volume.prices))
    out.print(table)
    stores = ", ".join(f"{SYMBOLS.get(m.currency, m.currency)} {m.store}"
                       for m in service.markets)
    out.print(f"Prices: {stores}; least list price = {service.rule}.", markup=False)
    if any(not p.verified for v in found.volumes for p in v.prices):
        out.print(f"≈ from figures not confirmed at the source on {service.checked} "
                  "(anthology/planner/pricing.toml says which): check them before you set "
                  "a price.", markup=False)


def _summary(found: Plan, written: list[Path], start: float, root: Path) -> None:
    pages = sum(v.pages for v in found.volumes)
    kept, new = len(found.kept), len(found.new)
    reviews = sum(len(v.reviews) for v in found.volumes)
    over = [v for v in found.kept if v.pages > found.options.budget.high]
    if written:
        created = sum(1 for v in found.new if v.volume is None)
        finish(f"Wrote the lists of {plural(len(written), 'volume')} ({created} new "
               f"volume.toml, {len(written) - created} edited) for "
               f"{plural(found.planned, 'review')}", start, "anthology check")
        return
    if not found.new:
        hint = (f"anthology plan --from volumes/{over[0].slug} splits "
                f"'{over[0].slug}'" if over else
                "anthology plan --from FOLDER plans a folder of new reviews")
        finish(f"No review to plan: every review is in a volume ({plural(kept, 'volume')}, "
               f"{plural(reviews, 'review')}, {pages:,} pages)", start, hint)
        return
    finish(f"Planned {plural(found.planned, 'new review')} in {plural(new, 'new volume')} "
           f"after {plural(kept, 'kept volume')}: {plural(len(found.volumes), 'volume')}, "
           f"{pages:,} pages in all", start, "anthology plan --write records the plan")


def plan_report(found: Plan, written: list[Path], root: Path) -> dict:
    """`plan --format json`: the options, every volume with its reviews, pages, spine and
    prices, and the files written."""
    options = found.options
    base = root.resolve()

    def shown(path: Path | None) -> str | None:
        if path is None:
            return None
        return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)

    volumes = []
    for volume in found.volumes:
        budget = options.budget
        volumes.append({
            "position": volume.position, "volume": volume.slug, "kept": volume.kept,
            "new_folder": volume.volume is None,
            "series_number": volume.series if not volume.kept else None,
            "reviews": [s.slug for s in volume.reviews], "count": len(volume.reviews),
            "first": volume.reviews[0].title, "last": volume.reviews[-1].title,
            "pages": volume.pages, "front_pages": volume.estimate.front,
            "back_pages": volume.estimate.back, "chapters_laid_out": volume.estimate.laid_out,
            "within_budget": volume.pages <= budget.high
            and (budget.low is None or volume.pages >= budget.low),
            "trim": volume.trim, "paper": volume.paper, "spine_in": round(volume.spine, 4),
            "prices": [{"store": p.store, "currency": p.currency, "printing_cost": str(p.cost),
                        "least_list_price": str(p.least), "verified": p.verified}
                       for p in volume.prices]})
    return {"profile": options.service.key, "order": options.order.value,
            "pages": {"low": options.budget.low, "high": options.budget.high},
            "trim": options.trim, "paper": options.paper,
            "from": shown(options.source), "planned_reviews": found.planned,
            "volumes": volumes, "total_pages": sum(v.pages for v in found.volumes),
            "pricing": {"service": options.service.name, "source": options.service.source,
                        "checked": options.service.checked},
            "notes": list(found.notes), "written": [shown(p) for p in written]}
