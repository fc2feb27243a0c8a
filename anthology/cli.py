"""The `anthology` command: build, check and list the volumes of a workspace.

Exit codes: 0 success, 1 problems in the input (or a book that could not be written), 2 usage.
A user's mistake never shows a traceback: it shows `path:line: error: message` lines.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from anthology import __version__
from anthology.covers import write_store_cover
from anthology.epub import write_epub
from anthology.importer.command import import_app
from anthology.pages import PageMap
from anthology.pdf import Profile, ResourceError
from anthology.pieces import PieceCache, pieced_page_count, pieced_page_map, write_pieced
from anthology.preview import PageSpecError, parse_pages, write_preview
from anthology.problems import Problems, did_you_mean
from anthology.render import ThemeError
from anthology.resolve import Book, resolve_book
from anthology.starter import StarterError, create_workspace
from anthology.theme import Theme
from anthology.validate import ValidatorMissing, validate_epub
from anthology.volumes import Workspace, load_workspace, volume_reviews
from anthology.wrap import write_cover_wrap

app = typer.Typer(
    help="Turn a film critic's reviews into store-ready EPUB and print-ready PDF books.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
app.add_typer(import_app, name="import",
              help="Import reviews from a blog: saved pages or a WordPress export.")

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class Paper(StrEnum):
    white = "white"
    cream = "cream"


class Format(StrEnum):
    epub = "epub"
    pdf = "pdf"


RootOption = Annotated[
    Path, typer.Option("--root", help="The workspace folder (holding volumes/ and styles/).",
                       file_okay=False, resolve_path=True)
]
VolumesArgument = Annotated[
    list[str] | None, typer.Argument(help="Volume folder names; all volumes when none are given.",
                                     show_default=False)
]


def _version(value: bool) -> None:
    if value:
        out.print(f"anthology {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Build, check and list the volumes of an anthology workspace."""


def report(problems: Problems, root: Path) -> None:
    for problem in problems:
        style = "red" if problem.severity.value == "error" else "yellow"
        err.print(problem.format(root), style=style, markup=False, highlight=False)
    if problems.errors:
        err.print(f"{plural(len(problems.errors), 'error')}: nothing was built.",
                  style="bold red")


@dataclass(frozen=True)
class Loaded:
    workspace: Workspace
    books: list[Book]
    problems: Problems
    elsewhere: int = 0


def load(root: Path, names: list[str] | None) -> Loaded:
    """Load the workspace and resolve the chosen volumes; exit 2 on an unknown volume name."""
    problems = Problems()
    workspace = load_workspace(root, problems)
    known = [v.slug for v in workspace.volumes]
    volumes = list(workspace.volumes)
    if names:
        unknown = [n for n in names if n not in known]
        for name in unknown:
            err.print(f"error: no volume '{name}'{did_you_mean(name, known)}; "
                      f"volumes: {', '.join(known) or 'none'}", style="red", markup=False)
        if unknown:
            raise typer.Exit(EXIT_USAGE)
        volumes = [v for v in workspace.volumes if v.slug in names]
    books = [resolve_book(workspace, volume, problems) for volume in volumes]
    if not names:
        return Loaded(workspace, books, problems)
    # Named volumes: problems in files no chosen book uses do not stop this build.
    folders = {v.folder for v in volumes}
    files = {r.path for v in volumes for r in volume_reviews(v, workspace)}
    relevant = Problems()
    relevant.extend(p for p in problems
                    if p.path.parent in folders or p.path in files or p.path == root)
    elsewhere = len(problems.errors) - len(relevant.errors)
    return Loaded(workspace, books, relevant, elsewhere)


def shown(path: Path, root: Path) -> Path:
    """A path as the author thinks of it: relative to the workspace when inside it."""
    base = root.resolve()
    return path.relative_to(base) if path.is_relative_to(base) else path


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


@app.command()
def build(
    volumes: VolumesArgument = None,
    format: Annotated[list[Format] | None, typer.Option(
        "--format", "-f", help="Build only this format (repeat for both).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Where to write the books [default: build/ in the workspace].",
        file_okay=False)] = None,
    profile: Annotated[Profile, typer.Option(
        "--profile", "-p", help="PDF for reading (digital) or a printer's interior (kdp, "
        "ingram).")] = Profile.digital,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Lay out every page again instead of reusing laid-out chapters "
        "from build/.cache.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Processes laying out pages [default: one per core].")] = None,
    root: RootOption = Path("."),
) -> None:
    """Build an EPUB and a PDF for each volume."""
    loaded = load(root, volumes)
    report(loaded.problems, root)
    if loaded.problems.errors:
        raise typer.Exit(EXIT_PROBLEMS)
    note_elsewhere(loaded)
    if not loaded.books:
        err.print("error: this workspace has no volumes", style="red")
        raise typer.Exit(EXIT_PROBLEMS)
    # The PDF comes first: its layout gives the EPUB the print edition's page list.
    wanted = set(format or [Format.epub, Format.pdf])
    formats = [kind for kind in (Format.pdf, Format.epub) if kind in wanted]
    target_dir = (output or root / "build").resolve()
    theme = Theme.for_workspace(root)
    cache = piece_cache(root, read=not no_cache)
    results: list[Built] = []
    failed = False
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("Building", total=len(loaded.books) * len(formats))
        for book in loaded.books:
            page_map: PageMap | None = None
            for kind in formats:
                suffix = "" if kind is Format.epub or profile is Profile.digital \
                    else f"-{profile.value}"
                path = target_dir / f"{book.slug}{suffix}.{kind.value}"
                progress.update(task, description=f"{book.slug}.{kind.value}")
                try:
                    if kind is Format.pdf:
                        pdf = write_pieced(book, theme, path, profile, cache, jobs)
                        page_map = pdf.page_map
                        for warning in pdf.warnings:
                            progress.console.print(f"warning: {path.name}: {warning}",
                                                   style="yellow", markup=False)
                        if pdf.fallback_fonts:
                            progress.console.print(
                                f"warning: {path.name}: some characters are not in the "
                                f"theme's font and were set in {', '.join(pdf.fallback_fonts)}",
                                style="yellow", markup=False)
                        results.append(Built(book, path, pdf.pages))
                    else:
                        if page_map is None:
                            progress.update(task, description=f"{book.slug}: print page list")
                            page_map = pieced_page_map(book, theme, cache, jobs)
                        write_epub(book, theme, path, page_map)
                        cover = write_store_cover(book, theme,
                                                  target_dir / f"{book.slug}-cover.jpg")
                        results += [Built(book, path), Built(book, cover)]
                except (ThemeError, ResourceError, OSError) as exc:
                    failed = True
                    progress.console.print(f"error: {path.name} was not written: {exc}",
                                           style="red", markup=False)
                progress.advance(task)
    if results:
        summary(results, root)
    if failed:
        raise typer.Exit(EXIT_PROBLEMS)


CACHE_DIR = Path("build") / ".cache" / "pieces"


def piece_cache(root: Path, read: bool = True) -> PieceCache:
    """Laid-out chapters are kept under the workspace's build/.cache."""
    return PieceCache(root.resolve() / CACHE_DIR, read)


@dataclass(frozen=True)
class Built:
    book: Book
    path: Path
    pages: int | None = None


def note_elsewhere(loaded: Loaded) -> None:
    if loaded.elsewhere:
        err.print(f"note: other volumes have {plural(loaded.elsewhere, 'error')}; "
                  "'anthology check' lists them", style="yellow")


def summary(results: list[Built], root: Path) -> None:
    table = Table(title="Built", title_justify="left")
    table.add_column("file", overflow="fold")
    table.add_column("size", justify="right")
    table.add_column("chapters", justify="right")
    table.add_column("pages", justify="right")
    for built in results:
        path = built.path
        table.add_row(str(shown(path, root)), _human_size(path.stat().st_size),
                      str(len(built.book.chapters)) if path.suffix != ".jpg" else "",
                      str(built.pages) if built.pages is not None else "")
    out.print(table)


@app.command()
def check(volumes: VolumesArgument = None, root: RootOption = Path(".")) -> None:
    """Validate every source and volume; build nothing."""
    loaded = load(root, volumes)
    report(loaded.problems, root)
    if loaded.problems.errors:
        raise typer.Exit(EXIT_PROBLEMS)
    note_elsewhere(loaded)
    chapters = sum(len(b.chapters) for b in loaded.books)
    warnings = len(loaded.problems.warnings)
    out.print(f"{plural(len(loaded.books), 'volume')}, {plural(chapters, 'review')}: no errors"
              + (f", {plural(warnings, 'warning')}." if warnings else "."))


VolumeArgument = Annotated[str, typer.Argument(help="The volume's folder name.")]
PaperOption = Annotated[Paper | None, typer.Option(
    help="Paper for the spine width [default: the volume's [print] paper].")]


def one_book(root: Path, name: str) -> Book:
    """Load and resolve a single volume, or exit with its problems."""
    loaded = load(root, [name])
    report(loaded.problems, root)
    if loaded.problems.errors:
        raise typer.Exit(EXIT_PROBLEMS)
    return loaded.books[0]


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
    if profile is Profile.digital:
        err.print("error: a cover wrap is for a printer: --profile kdp or ingram", style="red")
        raise typer.Exit(EXIT_USAGE)
    book = one_book(root, volume)
    target = (output or root / "build").resolve() / f"{book.slug}-cover-{profile.value}.pdf"
    theme = Theme.for_workspace(root)
    with err.status(f"laying out {book.slug}"):
        try:
            if pages is None:
                pages = pieced_page_count(book, theme, profile, piece_cache(root))
            result = write_cover_wrap(book, theme, target, profile, pages,
                                      paper.value if paper else None)
        except (ThemeError, ResourceError, OSError) as exc:
            err.print(f"error: {target.name} was not written: {exc}", style="red", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
    wrap = result.wrap
    width, height = wrap.size
    thin = "" if wrap.spine_text else " (too thin for spine text)"
    out.print(f"{shown(target, root)}: {width:.3f} x {height:.3f} in with bleed, "
              f"{wrap.pages} pages on {wrap.paper} paper, spine {wrap.spine:.3f} in{thin}")


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
    try:
        numbers = parse_pages(pages)
    except PageSpecError as exc:
        err.print(f"error: --pages: {exc}", style="red", markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    book = one_book(root, volume)
    folder = (output or root / "build" / "preview").resolve()
    with err.status(f"laying out {book.slug}"):
        try:
            written = write_preview(book, Theme.for_workspace(root), folder, numbers, profile,
                                    dpi, piece_cache(root))
        except PageSpecError as exc:
            err.print(f"error: --pages: {exc}", style="red", markup=False)
            raise typer.Exit(EXIT_USAGE) from None
        except (ThemeError, ResourceError, OSError) as exc:
            err.print(f"error: no preview: {exc}", style="red", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
    for path in written:
        out.print(str(path))


@app.command()
def validate(
    files: Annotated[list[Path] | None, typer.Argument(
        help="EPUB files [default: every EPUB in build/].", show_default=False)] = None,
    root: RootOption = Path("."),
) -> None:
    """Run epubcheck and DAISY Ace on EPUBs, as the stores do."""
    targets = files or sorted((root / "build").glob("*.epub"))
    if not targets:
        err.print("error: no EPUB to validate: run 'anthology build' first", style="red")
        raise typer.Exit(EXIT_USAGE)
    failed = False
    for path in targets:
        try:
            findings = validate_epub(path)
        except ValidatorMissing as exc:
            err.print(f"error: {exc}", style="red", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
        for finding in findings:
            err.print(finding.format(), style="red", markup=False)
        failed = failed or bool(findings)
        verdict = f"{plural(len(findings), 'finding')}" if findings else "epubcheck and Ace: clean"
        out.print(f"{path.name}: {verdict}")
    if failed:
        raise typer.Exit(EXIT_PROBLEMS)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(
        help="Where to make the workspace [default: the current folder].",
        show_default=False)] = Path("."),
) -> None:
    """Make a ready workspace: a volume with two example reviews, styles/ and .gitignore."""
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
    out.print(f"{plural(len(started.written), 'file')} written, {len(started.kept)} kept. "
              f"Next: {where}anthology build (the books go to build/), then edit "
              "volumes/first-volume/.", markup=False)


@app.command(name="list")
def list_volumes(root: RootOption = Path(".")) -> None:
    """List the volumes, their reviews and counts."""
    problems = Problems()
    workspace = load_workspace(root, problems)
    if problems.errors:
        report(problems, root)
        raise typer.Exit(EXIT_PROBLEMS)
    total = 0
    for volume in workspace.volumes:
        reviews = volume_reviews(volume, workspace)
        total += len(reviews)
        source = volume.source
        series = f"{source.series.name} {source.series.number}, " if source.series else ""
        table = Table(title=f"{volume.slug}: {source.title} ({series}{len(reviews)} reviews)",
                      title_justify="left")
        table.add_column("#", justify="right")
        table.add_column("title")
        table.add_column("year", justify="right")
        table.add_column("judgement", justify="right")
        table.add_column("words", justify="right")
        for review in sorted(reviews, key=lambda r: (r.meta.appraisal or 0, r.slug)):
            meta = review.meta
            table.add_row(str(meta.appraisal or ""), meta.title, str(meta.year or ""),
                          str(meta.judgement or ""), str(len(review.essay.split())))
        out.print(table)
    out.print(f"{plural(len(workspace.volumes), 'volume')}, {plural(total, 'review')}")


def main() -> None:
    """Console entry point: typer's usage errors exit 2, ours 1, and nothing shows a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted: books already written are complete; the rest were not started")
        sys.exit(130)
