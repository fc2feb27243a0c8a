"""Fuzzing the pipeline (issue 14): random workspaces, valid and broken, through load ->
resolve -> render, the library functions the CLI uses.

For every generated workspace: no exception escapes (faults in the input are `Problems`),
every problem names a file inside the workspace, nothing outside the workspace (and the
installed code) is opened or listed, and no case runs past its time limit.

CI runs the `ci` profile (2,100 cases in all); `HYPOTHESIS_PROFILE=long` runs 10 times as
many (see README, "Tests").
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import sysconfig
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import anthology
from anthology.render.documents import render_epub_documents, render_print_html
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace
from tests.fuzz_strategies import Files, review_bytes, workspace

CASE_LIMIT = 10  # seconds one generated case may take before it counts as a hang
SHARES = {"workspaces": 0.4, "plausible": 0.25, "reviews": 0.15, "themes": 0.1,
          "theme builds": 0.02, "imports": 0.08}
PROFILES = {"quick": 210, "ci": 2_100, "long": 21_000}
for _name, _total in PROFILES.items():
    settings.register_profile(_name, derandomize=_name == "ci", database=None, deadline=None,
                              print_blob=True, max_examples=_total,
                              phases=[p for p in Phase if p is not Phase.explain],
                              suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(share: str) -> int:
    return max(1, int(settings.default.max_examples * SHARES[share]))


class Hang(BaseException):
    """Raised in the case by the alarm; a BaseException so no `except Exception` eats it."""


class Reads:
    """Every file opened and folder listed while recording, from `sys.addaudithook`."""

    installed = False
    recording: list[str] | None = None

    @classmethod
    def install(cls) -> None:
        if not cls.installed:
            sys.addaudithook(cls.hook)
            cls.installed = True

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if cls.recording is None or event not in ("open", "os.listdir", "os.scandir"):
            return
        target = args[0] if args else None
        if isinstance(target, bytes):
            target = os.fsdecode(target)
        if not isinstance(target, str | os.PathLike):
            return
        if event != "open" and os.path.realpath(target) in _import_folders():
            return  # Python lists the folders on its path when a module is first imported
        cls.recording.append(os.fspath(target))


def _import_folders() -> set[str]:
    return {os.path.realpath(entry or os.curdir) for entry in sys.path}


def allowed_roots(root: Path) -> tuple[str, ...]:
    """The workspace, the installed code (our package with its theme, Python, its libraries)."""
    places = {root, Path(anthology.__file__).parent, Path(sys.prefix), Path(sys.base_prefix),
              *(Path(p) for p in sysconfig.get_paths().values())}
    return tuple(os.path.realpath(p) for p in places)


def outside(paths: list[str], roots: tuple[str, ...]) -> list[str]:
    found = []
    for path in paths:
        real = os.path.realpath(path)
        if not any(real == r or real.startswith(r + os.sep) for r in roots):
            found.append(f"{path} -> {real}" if real != path else path)
    return found


def _alarm(signum, frame) -> None:
    raise Hang()


def pipeline(root: Path) -> Problems:
    """What `anthology build` does before writing books: load, resolve, render both editions."""
    problems = Problems()
    loaded = load_workspace(root, problems)
    books = [resolve_book(loaded, volume, problems) for volume in loaded.volumes]
    if not problems.errors:
        theme = Theme.for_workspace(root)
        for book in books:
            render_epub_documents(book, theme, ["css/00-book.css"])
            render_print_html(book, theme)
    return problems


def write_workspace(files: Files, folder: Path) -> Path:
    root = folder / "ws"
    (root / "volumes").mkdir(parents=True)
    for relative, data in files.files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    secret = folder / "outside" / "smuggled.md"
    secret.parent.mkdir()
    secret.write_text("---\ntitle: Smuggled\nappraisal: 9\n---\n\nFrom outside.\n")
    for relative in files.outside_links:
        link = root / relative
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.exists():
            link.symlink_to(secret)
    return root


def check(files: Files) -> Problems:
    Reads.install()
    folder = Path(tempfile.mkdtemp(prefix="anthology-fuzz-"))
    try:
        root = write_workspace(files, folder)
        roots = allowed_roots(root)
        previous = signal.signal(signal.SIGALRM, _alarm)
        Reads.recording = []
        signal.setitimer(signal.ITIMER_REAL, CASE_LIMIT)
        try:
            problems = pipeline(root)
        except Hang:
            raise AssertionError(f"hang: still running after {CASE_LIMIT} s") from None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            reads, Reads.recording = Reads.recording, None
        leaks = outside(reads, roots)
        assert not leaks, f"opened outside the workspace: {leaks}"
        real_root = root.resolve()
        for problem in problems:
            place = problem.path.absolute()
            assert place.is_relative_to(root) or place.resolve().is_relative_to(real_root), \
                f"a problem outside the workspace: {problem.format()}"
            assert place != root or "volumes/" in problem.message, \
                f"a problem that names no file: {problem.format()}"
            assert problem.line >= 0 and problem.message.strip(), problem.format()
        return problems
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=examples("workspaces"))
@given(workspace())
def test_random_workspaces_never_escape_hang_or_leak(files: Files) -> None:
    check(files)


@settings(max_examples=examples("plausible"))
@given(workspace(plausible=True))
def test_plausible_workspaces_with_random_markdown_render_or_report(files: Files) -> None:
    check(files)


@settings(max_examples=examples("reviews"))
@given(st.lists(review_bytes(), min_size=1, max_size=4))
def test_random_review_files_never_escape(reviews: list[bytes]) -> None:
    volume = b'title = "Fuzz"\nauthor = "A"\ndate = 2026-03-01\n'
    files = {"volumes/v1/volume.toml": volume}
    files |= {f"volumes/v1/r{n}.md": data for n, data in enumerate(reviews)}
    check(Files(files))
