"""What `anthology serve` tells its terminal (issue 19.7): after each refresh an event naming
the files changed, the time it took, the counts, and only the problems new since the refresh
before and those fixed; each request answered is an event too (printed with -v).

The server runs in this process on a free port, without print proofs; its watcher is real
(the edits are files saved on disk, each at once, as an editor's atomic save).
"""

from __future__ import annotations

import http.client
import os
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from watchfiles import Change

from anthology.serve import PreviewServer
from anthology.serve.log import Event, Refreshed, Requested, compare, logged
from anthology.serve.state import Snapshot
from anthology.serve.watch import lasting
from anthology.starter import create_workspace
from anthology.workspace.problems import Problem, Severity

BOUND = 120.0  # what no step may take, however loaded the machine: a hang fails, not blocks
REVIEW = "volumes/first-volume/vampyr.md"
OTHER = "volumes/first-volume/the-phantom-carriage.md"
BAD_DATE = ("Release Date: May 6, 1932", "Release Date: Mai 66, 1932")
BAD_YEAR = ("year: 1921", "year: 19x1")


class Served:
    def __init__(self, server: PreviewServer) -> None:
        self.server = server
        self.events: queue.Queue[Event] = queue.Queue()

    def edit(self, old: str, new: str, review: str = REVIEW) -> None:
        """Replace `old` in the review at once (a hidden temporary file, which is not watched,
        renamed over it): no refresh sees it half-written."""
        path = self.server.root / review
        text = path.read_text(encoding="utf-8")
        assert old in text
        temporary = path.with_name(".saving.md")
        temporary.write_text(text.replace(old, new, 1), encoding="utf-8")
        os.replace(temporary, path)

    def refreshed(self, wanted: Callable[[Refreshed], bool]) -> Refreshed:
        """The first refresh from now that is `wanted` (an edit may be seen as two)."""
        deadline = time.monotonic() + BOUND
        seen: list[Refreshed] = []
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                break
            if isinstance(event, Refreshed):
                if wanted(event):
                    return event
                seen.append(event)
        raise AssertionError(f"no such refresh within {BOUND} s; seen: {seen}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    create_workspace(tmp_path / "ws")
    holder: list[Served] = []
    server = PreviewServer(tmp_path / "ws", 0, proofs=False,
                           on_event=lambda event: holder[0].events.put(event))
    holder.append(Served(server))
    server.start()
    deadline = time.monotonic() + BOUND  # the check made once the watch is set up is over:
    while server.live.current.version < 1:  # an edit now is seen as an edit, by name
        assert time.monotonic() < deadline, "the watch never started"
        time.sleep(0.05)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder[0]
    finally:
        server.shutdown()
        server.close()
        thread.join(BOUND)


def lines(items) -> list[str]:
    return [item.line for item in items]


def test_a_refresh_names_the_edit_and_its_new_problems_then_the_fixed_ones(served) -> None:
    served.edit(*BAD_DATE)
    broken = served.refreshed(lambda e: any("Mai 66" in line for line in lines(e.new)))
    assert broken.changed == (REVIEW,)
    assert [item.severity for item in broken.new] == [Severity.WARNING]
    assert re.fullmatch(rf"{REVIEW}:\d+: warning: Release Date: 'Mai 66, 1932' is not a date "
                        r".*\[unreadable-fact\]", broken.new[0].line)
    assert broken.fixed == ()
    assert (broken.volumes, broken.errors, broken.warnings) == (1, 0, 1)
    assert re.fullmatch(rf"\d\d:\d\d:\d\d rebuilt after 1 change \({REVIEW}\) in \d+\.\d+ s: "
                        r"1 volume, 1 warning", broken.summary())

    # A problem in another review: only it is new; the warning is not said again.
    served.edit(*BAD_YEAR, review=OTHER)
    worse = served.refreshed(lambda e: any("19x1" in line for line in lines(e.new)))
    assert worse.changed == (OTHER,) and worse.fixed == ()
    assert [item.severity for item in worse.new] == [Severity.ERROR]
    assert not any("Mai 66" in line for line in lines(worse.new))
    assert worse.summary().endswith(": 1 volume, 1 error, 1 warning")

    # Both fixed, one save at a time: each is reported fixed, nothing is new.
    served.edit(BAD_YEAR[1], BAD_YEAR[0], review=OTHER)
    fixed = served.refreshed(lambda e: any("19x1" in line for line in lines(e.fixed)))
    assert fixed.new == () and fixed.changed == (OTHER,)
    assert fixed.summary().endswith(": 1 volume, 1 warning")
    served.edit(BAD_DATE[1], BAD_DATE[0])
    clean = served.refreshed(lambda e: any("Mai 66" in line for line in lines(e.fixed)))
    assert clean.new == () and clean.summary().endswith(": 1 volume, no problems")


def test_an_edit_that_finds_nothing_new_is_still_one_event(served) -> None:
    served.edit("Plot matters little.", "Plot matters very little.")
    event = served.refreshed(lambda e: e.changed == (REVIEW,))
    assert (event.new, event.fixed, event.errors, event.warnings) == ((), (), 0, 0)


def test_each_request_answered_is_an_event(served) -> None:
    host, port = served.server.httpd.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=BOUND)
    try:
        connection.request("GET", "/no/such/page")
        assert connection.getresponse().status == 404
    finally:
        connection.close()
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        event = served.events.get(timeout=BOUND)
        if isinstance(event, Requested):
            break
    assert (event.method, event.path, event.status) == ("GET", "/no/such/page", 404)
    assert re.fullmatch(r"\d\d:\d\d:\d\d GET /no/such/page 404", event.summary())


def snapshot(root: Path, *problems: Problem, failures: tuple[str, ...] = ()) -> Snapshot:
    return Snapshot(0, root, (), problems, failures)


def test_a_problem_moved_to_another_line_is_not_new_and_a_second_one_is(tmp_path) -> None:
    review = tmp_path / "volumes" / "v1" / "x.md"
    before = snapshot(tmp_path, Problem(review, 3, "year: bad"),
                      Problem(review, 9, "gone", Severity.WARNING))
    after = snapshot(tmp_path, Problem(review, 5, "year: bad"), Problem(review, 12, "year: bad"),
                     failures=("error: the theme broke",))
    new, fixed = compare(before, after)
    assert lines(new) == ["error: the theme broke", "volumes/v1/x.md:12: error: year: bad"]
    assert lines(fixed) == ["volumes/v1/x.md:9: warning: gone"]
    assert lines(logged(after))[0] == "error: the theme broke"


def test_many_changes_are_counted_in_the_line() -> None:
    event = Refreshed(0.0, ("a.md", "b.md", "c.md", "d.md", "e.md"), 1.3, 2, 0, 0, 3, (), ())
    assert event.summary().endswith(
        " rebuilt after 5 changes (a.md, b.md, c.md and 2 more) in 1.3 s: 2 volumes, 3 notes")
    assert " rebuilt in 1.3 s: " in Refreshed(0.0, (), 1.3, 2, 0, 0, 0, (), ()).summary()
    forged = Refreshed(0.0, ("v/a\n12:00:00 rebuilt\x1b[2J.md",), 0.5, 1, 0, 0, 0, (), ())
    assert forged.summary().endswith(
        " rebuilt after 1 change (v/a\\n12:00:00 rebuilt\\x1b[2J.md) in 0.50 s: 1 volume, "
        "no problems")
    assert Requested(0.0, "GET", "/\x1b[2J", 404).summary().endswith(" GET /\\x1b[2J 404")


def test_a_file_made_and_gone_within_a_save_is_no_change(tmp_path) -> None:
    """sed -i and some editors write a temporary file and rename it over the one saved."""
    saved, deleted = tmp_path / "x.md", tmp_path / "gone.md"
    saved.write_text("x", encoding="utf-8")
    temporary = str(tmp_path / "sedAb12")
    assert lasting({(Change.added, temporary), (Change.deleted, temporary),
                    (Change.added, str(saved)), (Change.modified, str(saved)),
                    (Change.deleted, str(deleted))}) == {saved, deleted}
