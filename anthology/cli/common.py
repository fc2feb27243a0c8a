"""What every command shares: the app, the consoles, loading with problems reported, and the
closing summary (where the results are, how long it took, what to do next).

Exit codes: 0 success, 1 problems in the input (or a book that could not be written), 2 usage,
130 interrupted. A user's mistake never shows a traceback: it shows `path:line: error:` lines.
"""

from __future__ import annotations

import itertools
import json
import signal
import sys
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import typer.core

from anthology import __version__
from anthology.processes import OUT_OF_MEMORY, glib_errors_as_lines
from anthology.terminal import Console, printable
from anthology.workspace.problems import Problem, Problems, did_you_mean
from anthology.workspace.writes import escape, workspace_problems

if TYPE_CHECKING:  # the engines are imported where a command uses them: `--help` stays quick
    from types import FrameType

    from rich.progress import Progress

    from anthology.print.pieces import PieceCache
    from anthology.series.book import Book
    from anthology.workspace.volumes import Workspace

_PLAIN_TYPES = {"int": "N", "int range": "N", "float": "X", "float range": "X", "str": "TEXT",
                "path": "PATH", "dir": "FOLDER", "file": "FILE", "bool": ""}


def _plain_type(self: typer.core.TyperArgument | typer.core.TyperOption,
                ctx: object) -> str | None:
    """What an option takes, in an author's words ("N", "FOLDER", "epub|pdf"), not typer's
    Python types ("<int range>", "<list[str]>"); an argument's name already says it."""
    if isinstance(self, typer.core.TyperArgument):
        return None  # its metavar is its name, shown already
    if self.metavar is not None:
        return self.metavar
    label = (self.display_type(ctx) or "").strip("<>")
    label = label.removeprefix("list[").removesuffix("]")
    return _PLAIN_TYPES.get(label, label) or None


def _usage_name(self: typer.core.TyperArgument) -> str:
    """`FILE...` and `[VOLUME]...` on the usage line, as man pages write them (typer braces a
    required one: `{FILE}...`)."""
    name = (self.metavar or self.name or "").upper()
    shown = name if self.required else f"[{name}]"
    return shown + ("..." if self.nargs != 1 else "")


typer.core.TyperArgument.display_type_rich = _plain_type  # type: ignore[method-assign]
typer.core.TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]
typer.core.TyperOption.display_type_rich = _plain_type  # type: ignore[method-assign]


GLOBAL_FLAGS = frozenset({"-q", "--quiet", "-v", "--verbose"})


_BOOK_KINDS = frozenset({"epub", "pdf", "playlists"})


def _renamed(args: list[str]) -> None:
    """`build -f pdf` chose the kind of book before `-f` meant the report's format in every
    command: say the new name rather than "'pdf' is not one of 'text', 'json'"."""
    if "build" not in args:
        return
    for option, value in itertools.pairwise(args):
        if option in ("-f", "--format") and value in _BOOK_KINDS:
            err.print(f"error: build {option} {value}: the kinds of book are chosen with "
                      f"--only {value} (-f/--format is the report: text or json)",
                      style="red", markup=False)
            raise typer.Exit(EXIT_USAGE)


class _Commands(typer.core.TyperGroup):
    """Every command runs through here: running out of memory (a MemoryError, a thread that
    cannot start, a layout worker killed) is one `error:` line and exit 1, never a
    traceback; GLib's own fatal errors end the process with such a line (not SIGTRAP)."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        """`-q` and `-v` are the tool's, wherever they stand: `anthology build -v` is
        `anthology -v build` (no command has options of those names; after `--` nothing
        moves)."""
        end = args.index("--") if "--" in args else len(args)
        _renamed(args[:end])
        moved = [a for a in args[:end] if a in GLOBAL_FLAGS]
        rest = [a for a in args[:end] if a not in GLOBAL_FLAGS]
        return super().parse_args(ctx, [*moved, *rest, *args[end:]])

    def invoke(self, ctx: typer.Context) -> object:
        glib_errors_as_lines()
        try:
            return super().invoke(ctx)
        except MemoryError:
            reason = "nothing more could be allocated"
        except RuntimeError as exc:
            # A killed worker breaks the pool (BrokenProcessPool is a RuntimeError); the pool's
            # module is loaded only by a command that lays out pages.
            pools = sys.modules.get("concurrent.futures.process")
            if pools is not None and isinstance(exc, pools.BrokenProcessPool):
                reason = "a process laying out pages was killed"
            elif "can't start new thread" in str(exc):
                reason = "a thread could not be started"
            else:
                raise
        err.print(f"{OUT_OF_MEMORY} ({reason}): stopped before finishing", style="red",
                  markup=False)
        raise typer.Exit(EXIT_PROBLEMS)


app = typer.Typer(
    cls=_Commands,
    help="Turn a film critic's reviews into store-ready EPUB and print-ready PDF books.",
    # Plain help: rich markup would eat every "[default: ...]" as a tag.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
# No markup: a "[b]" in a folder name or title is printed as written (anthology.terminal
# escapes control characters in it).
out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

def _find_root(given: Path) -> Path:
    from anthology.workspace.volumes import find_root

    return find_root(given)


RootOption = Annotated[
    Path, typer.Option("--root", help="The workspace folder (holding volumes/ and styles/) "
                       "[default: this folder or the nearest above it with volumes/].",
                       file_okay=False, resolve_path=True, metavar="FOLDER",
                       callback=_find_root, show_default=False)
]
VolumesArgument = Annotated[
    list[str] | None, typer.Argument(help="Volume folder names; all volumes when none are given.",
                                     show_default=False, metavar="VOLUME")
]


@dataclass(frozen=True)
class Settings:
    """The global options, handed to every command through typer's context."""

    quiet: bool = False
    verbose: bool = False


def settings(ctx: typer.Context) -> Settings:
    """The global options, from the command's context (set by `main_options`)."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings()


def _version(value: bool) -> None:
    if value:
        out.print(f"anthology {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_options(
    ctx: typer.Context,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems and "
                                        "errors: no progress, no summary.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print each step as a line "
                                          "(for logs) instead of a progress bar.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Build, check and preview the volumes of an anthology workspace."""
    ctx.obj = Settings(quiet=quiet, verbose=verbose and not quiet)
    out.quiet = quiet
    if ctx.invoked_subcommand is None:  # a bare `anthology`: help, which is not an error
        out.print(ctx.get_help(), markup=False)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def elapsed(start: float) -> str:
    return duration(time.perf_counter() - start)


def duration(seconds: float) -> str:
    """'8.3 s', or '13 min 0 s' (whole seconds, so 779.6 s is not '12 min 60 s')."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def finish(summary: str, start: float, next_step: str | None = None) -> None:
    """Every command's last line: what happened, how long it took, and what to do next."""
    tail = f" Next: {next_step}." if next_step else ""
    out.print(f"{summary} ({elapsed(start)}).{tail}", markup=False)


def report(problems: Problems, root: Path, stopping: bool = True) -> None:
    for problem in problems:
        style = {"error": "red", "warning": "yellow"}.get(problem.severity.value, "dim")
        # One line whatever the message quotes: a newline in a file name or title is shown.
        err.print(printable(problem.format(root)), style=style, markup=False, highlight=False)
    if problems.errors and stopping:
        err.print(f"{plural(len(problems.errors), 'error')}: nothing was built.",
                  style="bold red")


@dataclass(frozen=True)
class Loaded:
    workspace: Workspace
    books: list[Book]
    problems: Problems
    elsewhere: int = 0
    series: tuple[Book, ...] = ()  # every volume: where the chosen ones' references lead


def load(root: Path, names: list[str] | None, keep: bool = False, read: bool = True,
         drafts: bool = False) -> Loaded:
    """Load the workspace and resolve the chosen volumes; exit 2 on an unknown volume name.
    Markdown converted by an earlier run is taken from the build cache (unless not `read`);
    with `keep`, a run without errors keeps its conversions there for the next."""
    from anthology.series.lint import silence
    from anthology.series.resolve import resolve_series
    from anthology.series.stored_markdown import StoredMarkdown
    from anthology.workspace.settings import load_settings
    from anthology.workspace.volumes import load_workspace, volume_reviews

    problems = Problems()
    refused = workspace_problems(root)  # a build/ or cache leading out: no cache read, no build
    problems.extend(refused)
    stored = StoredMarkdown(None if refused else root.resolve() / CACHE_DIR.parent, read)
    workspace = load_workspace(root, problems, drafts)
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
    series = resolve_series(workspace, problems, stored)
    if keep and not problems.errors:
        stored.save()
    chosen = {v.slug for v in volumes}
    books = [b for b in series if b.slug in chosen]
    # Coded problems (image-alt, unknown-reference) the author silenced are not reported.
    problems = silence(problems, workspace, load_settings(root, problems))
    if not names:
        return Loaded(workspace, books, problems, 0, series)
    # Named volumes: problems in files no chosen book uses do not stop this build.
    folders = {v.folder for v in volumes}
    files = {r.path for v in volumes for r in volume_reviews(v, workspace)}
    relevant = Problems()
    relevant.extend(p for p in problems
                    if p.path.parent in folders or p.path in files or p.path == root
                    or p in refused
                    or p.path.parent == root)  # a workspace file: people.toml, anthology.toml
    elsewhere = len(problems.errors) - len(relevant.errors)
    return Loaded(workspace, books, relevant, elsewhere, series)


def shown(path: Path, root: Path) -> Path:
    """A path as the author thinks of it: relative to the workspace when inside it."""
    base = root.resolve()
    return path.relative_to(base) if path.is_relative_to(base) else path


def _human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


CACHE_DIR = Path("build") / ".cache" / "pieces"


def piece_cache(root: Path, read: bool = True) -> PieceCache:
    """Laid-out chapters are kept under the workspace's build/.cache (none when it leads out
    of the workspace: `load` reports that)."""
    from anthology.print.pieces import PieceCache

    folder = root.resolve() / CACHE_DIR
    return PieceCache(None if escape(folder, root.resolve()) else folder, read)


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


# `-f` means one thing in every command: how the result is reported (the kinds of book a build
# makes are `build --only`).
FormatOption = Annotated[ReportFormat, typer.Option(
    "--format", "-f", metavar="text|json", help="The result as lines and tables for people, or "
    "as JSON for scripts and CI (on standard output, nothing else there).")]


def problem_items(problems: Problems, root: Path) -> list[dict[str, object]]:
    """Problems for JSON: each with its place (relative to the workspace), severity and code."""
    items: list[dict[str, object]] = []
    for problem in problems:
        where = Problem(problem.path, 0, "-").format(root).removesuffix(": error: -")
        items.append({"path": where, "line": problem.line, "severity": problem.severity.value,
                      "code": problem.code, "message": problem.message})
    return items


def emit_json(data: object) -> None:
    """A command's whole result on standard output, for scripts (`--format json`)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def progress_bar(mode: Settings) -> Progress:
    """A bar on the terminal; with --verbose, one line a step (for logs); --quiet, nothing."""
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.text import Text

    class Described(ProgressColumn):
        """A bar's description (a volume's folder name, a file), shown as written."""

        def render(self, task: Task) -> Text:
            return Text(printable(task.description), style="progress.description")

    return Progress(SpinnerColumn(), Described(), BarColumn(),
                    TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                    console=err.made(), transient=True, disable=mode.quiet or mode.verbose)


StrictOption = Annotated[bool, typer.Option(
    "--strict", help="Warnings count as errors: exit 1, and build nothing (for CI).")]
DraftsOption = Annotated[bool, typer.Option(
    "--drafts", help="Put reviews marked `draft: true` in their volumes too.")]


def noted(problems: Problems) -> str:
    """", 4 notes" for a summary line: said once at the end, after the notes themselves."""
    return f", {plural(len(problems.notes), 'note')}" if problems.notes else ""


def note_elsewhere(loaded: Loaded) -> None:
    if loaded.elsewhere:
        err.print(f"note: other volumes have {plural(loaded.elsewhere, 'error')}; "
                  "'anthology check' lists them", style="yellow")


INTERRUPTED = "interrupted: no book was left half-written; build/ has the last good ones"
_said: list[bool] = []  # whether Ctrl-C was answered


def _importing(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _interrupted(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C: say so at once, once (typer turns the interruption into exit 130 silently); a
    second Ctrl-C while the first is being cleaned up only hurries it. Raised inside Python's
    import machinery (a command loads its engines when it starts), the interruption would
    break its module locks (a KeyError, or the process ended by the signal): it is raised
    once the import is done, looked for every 20 ms."""
    importing = _importing(frame)
    if not _said:
        _said.append(True)
        if importing:  # perhaps rich's console itself, half loaded: no console to print with
            sys.stderr.write(f"{INTERRUPTED}\n")
            sys.stderr.flush()
        else:
            err.print(INTERRUPTED, markup=False)
    if importing:
        signal.signal(signal.SIGALRM, _interrupted)
        signal.setitimer(signal.ITIMER_REAL, 0.02)
        return
    raise KeyboardInterrupt


def main() -> None:
    """Console entry point: typer's usage errors exit 2, ours 1, an interruption 130 with a word,
    and nothing shows a traceback. (anthology.__main__ answers Ctrl-C while this module is
    still being imported.)"""
    signal.signal(signal.SIGINT, _interrupted)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    finally:
        # The work is done or undone: a Ctrl-C while Python shuts down (it restores the
        # default handler for that) would end the process by the signal, not with its code.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
