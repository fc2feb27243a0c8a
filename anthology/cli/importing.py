"""`anthology import text|html|wordpress`: the options; the reading, writing and report are
anthology.importer's (imported when a command runs, so help stays quick)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from anthology.cli.common import ReportFormat, RootOption

import_app = typer.Typer(
    help="Import reviews from a blog (saved pages or a WordPress export) into a volume folder.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

IntoOption = Annotated[Path, typer.Option(
    "--into", help="The volume to write the sources into: its name (archive) or its folder "
    "(volumes/archive); created, with a volume.toml, when missing.", show_default=False,
    metavar="VOLUME")]
ForceOption = Annotated[bool, typer.Option(
    "--force", help="Also replace sources edited since the last import, or not written by it.")]
DryRunOption = Annotated[bool, typer.Option(
    "--dry-run", help="Show what would be written; write nothing.")]
# `--report` is what this option was called before `-f` meant the same in every command.
ImportFormatOption = Annotated[ReportFormat, typer.Option(
    "--format", "-f", "--report", metavar="text|json", case_sensitive=False,
    help="The report as text, or as JSON for scripts (import-report.txt is written as text "
    "either way).")]


def _run(kind: str, files: list[Path], into: Path, force: bool, dry_run: bool,
         format: ReportFormat, root: Path) -> None:
    from anthology.importer.command import run_import

    run_import(kind, files, into, force, dry_run, format is ReportFormat.json, root)


@import_app.command("text")
def import_text(
    files: Annotated[list[Path], typer.Argument(
        help="Review pages saved as plain text; a folder stands for the .txt files in it.",
        show_default=False, metavar="FILE")],
    into: IntoOption,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    format: ImportFormatOption = ReportFormat.text,
    root: RootOption = Path("."),
) -> None:
    """Import review pages saved as plain text: one review per page."""
    _run("text", files, into, force, dry_run, format, root)


@import_app.command("html")
def import_html(
    files: Annotated[list[Path], typer.Argument(
        help="Review pages saved from a browser as HTML ('HTML only' or 'complete', with its "
        "_files folder); a folder stands for the .html and .htm files in it.",
        show_default=False, metavar="FILE")],
    into: IntoOption,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    format: ImportFormatOption = ReportFormat.text,
    root: RootOption = Path("."),
) -> None:
    """Import review pages saved from a browser as HTML: the post's content, and the images
    saved beside it."""
    _run("html", files, into, force, dry_run, format, root)


@import_app.command("wordpress")
def import_wordpress(
    exports: Annotated[list[Path], typer.Argument(
        help="WordPress export files (WXR, from Tools > Export).", show_default=False,
        metavar="EXPORT")],
    into: IntoOption,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    format: ImportFormatOption = ReportFormat.text,
    root: RootOption = Path("."),
) -> None:
    """Import the published posts of a WordPress export; drafts, pages and media are listed."""
    _run("wordpress", exports, into, force, dry_run, format, root)
