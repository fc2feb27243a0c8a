"""Builds do only what changed, at the archive's shape: a series of three volumes and an
omnibus drawn from them (short reviews, few of them, so the suite stays quick; the benchmark
`python -m benchmarks archive` measures the full size), built once.

A build with nothing to do lays nothing out and leaves every file as it was, its time
included; an edit rebuilds the books it reaches and no other; a book whose file was taken
away is made again.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from anthology.build import Change, Options, Step, build
from anthology.cli.common import piece_cache
from anthology.series.resolve import resolve_series
from anthology.workspace.problems import Problems
from anthology.workspace.theme import Theme
from anthology.workspace.volumes import load_workspace
from benchmarks.generate import generate_archive

pytestmark = pytest.mark.e2e
PER_VOLUME = 24
LAST = f"film-{3 * PER_VOLUME:04d}"  # the last review of vol-3


def run(root: Path, misses: list[int] | None = None) -> tuple[list[Step], dict[str, Change]]:
    """One build of the whole workspace, as `anthology build` does it; the pieces it laid out
    are added to `misses`."""
    problems = Problems()
    books = resolve_series(load_workspace(root, problems), problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    steps: list[Step] = []
    cache = piece_cache(root)
    result = build(books, Theme.for_workspace(root), cache, Options(root / "build"),
                   steps.append, books)
    assert result.ok, result.failures
    if misses is not None:
        misses.append(cache.misses)
    return steps, {w.path.name: w.change for w in result.written}


def state(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of the output folder: its modification time and its bytes."""
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = generate_archive(tmp_path_factory.mktemp("archive"), volumes=3, per_volume=PER_VOLUME,
                            omnibus=8, words=30, apparatus=False, lean=True)
    _, changes = run(root)
    assert set(changes.values()) == {Change.new}
    return root


def test_a_build_with_nothing_to_do_changes_no_file(archive: Path) -> None:
    before = state(archive / "build")
    assert len(before) >= 4 * 3  # a PDF, an EPUB and a cover each, and the playlists
    steps, changes = run(archive)
    assert state(archive / "build") == before
    assert set(changes.values()) == {Change.unchanged}
    # Nothing was laid out or joined again.
    assert not [s.doing for s in steps if "laying out" in s.doing or "joining" in s.doing]


def test_an_edit_rebuilds_only_the_books_it_reaches(archive: Path) -> None:
    # The last review of vol-3, which no other volume prints a page of after it: a new
    # sentence that keeps its page count changes vol-3 alone (and the omnibus, if it holds it).
    review = archive / "volumes" / "vol-3" / f"{LAST}.md"
    holds = LAST in (archive / "volumes" / "omnibus" / "volume.toml").read_text()
    before = state(archive / "build")
    review.write_text(review.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                      encoding="utf-8")
    steps, changes = run(archive)
    changed = {name for name, change in changes.items() if change is not Change.unchanged}
    books = {name.split(".")[0].removesuffix("-cover") for name in changed}
    assert books == ({"vol-3", "omnibus"} if holds else {"vol-3"})
    after = state(archive / "build")
    assert {name for name in before if after[name] != before[name]} == changed
    laid_out = {s.doing.split(":")[0] for s in steps if "laying out" in s.doing}
    assert "vol-1" not in laid_out and "vol-2" not in laid_out


def test_a_file_taken_away_is_made_again(archive: Path) -> None:
    target = archive / "build" / "vol-2.pdf"
    kept = target.read_bytes()
    os.unlink(target)
    misses: list[int] = []
    _, changes = run(archive, misses)
    assert misses == [0]  # every piece it needs is still in the cache
    assert changes["vol-2.pdf"] is Change.new
    assert target.read_bytes() == kept
    assert changes["vol-1.pdf"] is Change.unchanged


def test_a_file_edited_by_hand_is_made_again(archive: Path) -> None:
    target = archive / "build" / "vol-1.epub"
    kept = target.read_bytes()
    target.write_bytes(kept[:-10])
    _, changes = run(archive)
    assert changes["vol-1.epub"] is Change.replaced
    assert target.read_bytes() == kept


def test_a_kept_file_is_as_new_as_the_build_that_kept_it(archive: Path) -> None:
    """A source saved again unchanged: the build keeps every book (and its old time), and
    preflight takes the build's word that the files are current, not their times."""
    from anthology.preflight import run as press
    from anthology.print.pdf import Profile

    review, out = archive / "volumes" / "vol-1" / "film-0001.md", archive / "build"
    hour_ago = time.time() - 3600
    for made in out.iterdir():
        if made.is_file():
            os.utime(made, (hour_ago, hour_ago))
    os.utime(review, (hour_ago + 60, hour_ago + 60))  # saved again since they were made
    _, changes = run(archive)
    assert set(changes.values()) == {Change.unchanged}
    problems = Problems()
    workspace = load_workspace(archive, problems)
    subjects = [press.Subject(book, press.sources(workspace))
                for book in resolve_series(workspace, problems)]
    older = press.stale(subjects, [Profile.digital], out)
    assert {item.path.name for item in older} >= {"vol-1.pdf", "vol-1.epub"}
    assert press.stale(subjects, [Profile.digital], out, None,
                       piece_cache(archive).checked(out)) == []
    # A file changed since the build found it current is stale again.
    (out / "vol-2.epub").write_bytes((out / "vol-2.epub").read_bytes() + b" ")
    os.utime(out / "vol-2.epub", (hour_ago, hour_ago))
    assert [item.path.name for item in press.stale(
        subjects, [Profile.digital], out, None, piece_cache(archive).checked(out))] == [
        "vol-2.epub"]
