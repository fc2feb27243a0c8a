"""Fuzzing themes and imports (issue 20): random templates and stylesheets through `check` and
an EPUB build, random manifests and import folders through `import`, each in the process with
the audit hook of `tests/test_fuzz.py`.

For every case: the command ends with exit 0 or 1 and no traceback, within its time limit;
nothing outside the workspace is opened (the theme, the installed code and the import's own
pages excepted); a payload that would read a secret beside the workspace or create a marker file
has done neither; every problem line names a file of the workspace.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from anthology.cli import app
from tests.fuzz_themes import MARKER_FILE, SECRET_FILE, theme_files
from tests.test_audit import NEVER, SYSTEM
from tests.test_fuzz import CASE_LIMIT, Hang, Reads, _alarm, allowed_roots, examples, outside

SECRET = "OUTSIDE-THE-WORKSPACE-c41d"
VOLUME = b'title = "Fuzzed Theme"\nauthor = "Ada Quill"\nlanguage = "en"\ndate = 2026-03-01\n'
REVIEW = ("---\ntitle: {title}\nyear: 1950\nappraisal: {n}\nfacts:\n  - Director: Ada Quill\n"
          "jukebox:\n  - artist: The Band\n    song: A Song\njudgement: 8/10\n---\n\n"
          "An essay about {title}, which no one has seen.\n")


def base_workspace(root: Path) -> None:
    v1 = root / "volumes" / "v1"
    v1.mkdir(parents=True)
    (v1 / "volume.toml").write_bytes(VOLUME)
    for n, title in enumerate(("Alpha", "Beta"), start=1):
        (v1 / f"{title.lower()}.md").write_text(REVIEW.format(title=title, n=n))


def run_in_sandbox(args: list[str], root: Path, folder: Path, allowed: tuple[str, ...] = ()):
    """The CLI in this process, timed, with every file it opens recorded."""
    Reads.install()
    roots = (*allowed_roots(root), *allowed)
    previous = signal.signal(signal.SIGALRM, _alarm)
    Reads.recording = []
    signal.setitimer(signal.ITIMER_REAL, CASE_LIMIT)
    # Run from the workspace, as an author does: a name opened relative to a folder's
    # descriptor (shutil.rmtree does so) is then resolved inside it, where it really is.
    here = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(app, args)
    except Hang:
        raise AssertionError(f"hang: {args} still running after {CASE_LIMIT} s") from None
    finally:
        os.chdir(here)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        reads, Reads.recording = Reads.recording, None
        reads = [os.path.join(root, r) for r in reads]  # relative ones: from the workspace
    if isinstance(result.exception, Hang):
        raise AssertionError(f"hang: {args} still running after {CASE_LIMIT} s")
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        "".join(__import__("traceback").format_exception(*result.exc_info))
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output, result.output
    # The temporary folder is allowed (WeasyPrint keeps the fonts of a cover there), but not
    # the case's own folder beside the workspace, where the secret lives.
    beside = os.path.realpath(folder)
    leaks = [p for p in outside(reads, (*roots, os.path.realpath(tempfile.gettempdir())))
             if not os.path.realpath(p).startswith(beside + os.sep)]
    leaks += [p for p in reads if os.path.realpath(p).startswith(beside + os.sep)
              and not any(os.path.realpath(p) == r or os.path.realpath(p).startswith(r + os.sep)
                          for r in roots)]
    # The system's own files (the MIME types table, fonts, libraries) are the machine's, not
    # a theme's request; the secrets an escape would go for never are.
    leaks = [p for p in leaks if p in NEVER or not p.startswith(tuple(f"{s}/" for s in SYSTEM))]
    assert not leaks, f"opened outside the workspace: {leaks}\n{result.output}"
    return result


def theme_case(files: dict[str, bytes], command: list[str]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="anthology-fuzz-theme-"))
    try:
        root = folder / "ws"
        base_workspace(root)
        secret = folder / "outside" / "secret.txt"
        secret.parent.mkdir()
        secret.write_text(SECRET)
        marker = folder / "outside" / "marker"
        for relative, data in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.replace(SECRET_FILE.encode(), str(secret).encode())
                             .replace(MARKER_FILE.encode(), str(marker).encode()))
        result = run_in_sandbox([*command, "--root", str(root)], root, folder)
        assert not marker.exists(), f"a template ran a command:\n{result.output}"
        assert SECRET not in result.output
        written = [p for p in (root / "build").rglob("*") if p.is_file()] \
            if (root / "build").is_dir() else []
        for path in written:
            assert SECRET.encode() not in path.read_bytes(), f"the secret reached {path.name}"
        for line in result.output.splitlines():
            if ": error:" in line or ": warning:" in line:
                assert not line.startswith("/"), line
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=examples("themes"))
@given(theme_files())
def test_random_themes_are_checked_without_escape_hang_or_traceback(files) -> None:
    theme_case(files, ["check"])


@settings(max_examples=examples("theme builds"))
@given(theme_files())
def test_random_themes_build_an_epub_or_say_why(files) -> None:
    theme_case(files, ["build", "--only", "epub", "-j", "1"])


# ---- import: random pages, random manifests ---------------------------------------------------

MANIFEST_NAMES = ("alpha.md", "../escape.md", "/tmp/absolute.md", "sub/dir.md", "a\x00b.md",
                  "..", ".", "", "volume.toml", "../../outside/secret.txt", "x" * 300 + ".md",
                  "notes.txt", "caf\u00e9.md", "CON.md", "-rf.md")
PAGE_LINES = ("Appraisal #{n}: {title} ({year})", "Number of views: 1,234",
              "Director: Ada Quill", "Release date: October 21, 2014", "Running time: 90 minutes",
              "Suggested Audio Jukebox", "The Band - A Song", "Read {title} Appraisal", "8/10",
              "", "\x00", "\x1b[2J",
              "<script>alert(1)</script>", "![x](../../../etc/passwd)", "{{ 1 }}", "\ufffe")


@st.composite
def import_case(draw) -> tuple[dict[str, bytes], bytes | None]:
    pages = {}
    for index in range(draw(st.integers(1, 3))):
        lines = draw(st.lists(st.sampled_from(PAGE_LINES), min_size=1, max_size=10))
        text = "\n".join(line.format(n=index + 1, title=f"Film {index}", year=1950 + index)
                         for line in lines)
        text += "\n\n" + draw(st.text(max_size=60)) + "\nAn essay paragraph of the page.\n"
        pages[f"page-{index}.txt"] = text.encode("utf-8", "surrogatepass")
    manifest = None
    if draw(st.booleans()):
        entries = {draw(st.sampled_from(MANIFEST_NAMES)): {
            "key": draw(st.text(max_size=10)), "sha256": draw(st.sampled_from(
                ("0" * 64, "nonsense", ""))), "source": draw(st.text(max_size=10))}
            for _ in range(draw(st.integers(1, 4)))}
        manifest = draw(st.sampled_from((json.dumps({"version": 1, "files": entries}),
                                         json.dumps(entries), "[1, 2]", "{", "\x00"))).encode()
    return pages, manifest


@settings(max_examples=examples("imports"))
@given(import_case(), st.booleans())
def test_random_imports_write_only_their_volume(case, force: bool) -> None:
    pages, manifest = case
    folder = Path(tempfile.mkdtemp(prefix="anthology-fuzz-import-"))
    try:
        root = folder / "ws"
        base_workspace(root)
        inbox = folder / "inbox"
        inbox.mkdir()
        for name, data in pages.items():
            (inbox / name).write_bytes(data)
        target = root / "volumes" / "imported"
        if manifest is not None:
            target.mkdir()
            (target / ".import-manifest.json").write_bytes(manifest)
        beside = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()
                  and not p.is_relative_to(target)}
        args = ["import", "text", str(inbox), "--into", str(target), *(["--force"] * force)]
        run_in_sandbox(args, root, folder, allowed=(os.path.realpath(inbox),))
        now = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()
               and not p.is_relative_to(target)}
        assert now == beside, "import wrote outside its volume"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
