"""Hostile and malformed workspaces (issue 14), each through the real command line.

Every folder of `tests/hostile/` is one case: `expect.toml` says what must happen and `ws/`
holds the files laid over the small valid workspace in `tests/hostile/_base/`. Inputs that
cannot live in the repository (FIFOs, symlinks, multi-megabyte files, bombs, exact bytes) are
made at test time by the generator that `expect.toml` names (`tests/hostile_links.py`,
`tests/hostile_payloads.py`).

Each case runs in a child forked from a server process (the imports are paid once) with a
time limit and a memory limit: a hang is killed and fails the case instead of blocking CI.
`build/` is seeded with known bytes first, so "a failed run leaves build/ unchanged" is
checked on every failing case.
"""

from __future__ import annotations

import contextlib
import faulthandler
import functools
import hashlib
import multiprocessing
import os
import re
import resource
import shutil
import signal
import socket
import tempfile
import time
import tomllib
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from anthology.cli import app
from anthology.preflight.validate import epubcheck
from tests import (
    hostile_links,
    hostile_payloads,
    hostile_process,
    hostile_themes,
    hostile_values,
    hostile_web,
    hostile_writes,
)
from tests.hostile_kit import GENERATORS

HOSTILE = Path(__file__).parent / "hostile"
BASE = HOSTILE / "_base"
DEFAULT_ARGS = ("build", "--only", "epub", "-j", "1")
DEFAULT_TIMEOUT = 15.0
# A hang detector, not a stopwatch: no case is killed before this, however short its own
# `timeout`, so a machine running four builds beside the suite (load 16 on two cores, measured)
# passes. A case's own timeout only ever raises it. A real hang costs this long, once.
HANG_FLOOR = 300.0
MEMORY_LIMIT = 3 * 1024**3  # bytes of address space for one case's process
SEEDED = {"v1.epub": b"old epub, not to be touched\n", "v1.pdf": b"old pdf\n",
          "v1-cover.jpg": b"old cover\n"}
FLAGS = re.MULTILINE | re.IGNORECASE
GENERATOR_MODULES = (hostile_links, hostile_payloads, hostile_process, hostile_themes,
                     hostile_values, hostile_web, hostile_writes)  # importing registers them
KNOWN_KEYS = {"summary", "args", "exit", "output", "forbid", "generator", "remove", "timeout",
              "build_unchanged", "epub_contains", "epub_lacks", "epubcheck", "in_workspace",
              "requests", "responses"}


@dataclass(frozen=True)
class Expect:
    """What one case must do; see tests/hostile/README.md for the keys."""

    name: str
    summary: str
    args: tuple[str, ...] = DEFAULT_ARGS
    exit: tuple[int, ...] = (1,)
    output: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    generator: str | None = None
    remove: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT

    @property
    def patience(self) -> float:
        """How long the case may run before it counts as a hang."""
        return max(self.timeout, HANG_FLOOR)
    build_unchanged: bool | None = None
    epub_contains: tuple[str, ...] = ()
    epub_lacks: tuple[str, ...] = field(default=())
    epubcheck: bool = False
    in_workspace: bool = False  # run in the workspace folder, without --root (import, init)
    # For `serve` (args with "{port}"): raw requests sent once it listens, then Ctrl-C; the
    # first line of each answer must match the `responses` pattern of the same place.
    requests: tuple[str, ...] = ()
    responses: tuple[str, ...] = ()

    @classmethod
    def load(cls, folder: Path) -> Expect:
        data = tomllib.loads((folder / "expect.toml").read_text("utf-8"))
        unknown = set(data) - KNOWN_KEYS
        assert not unknown, f"{folder.name}/expect.toml: unknown keys {sorted(unknown)}"
        exit_codes = data.pop("exit", 1)
        return cls(
            name=folder.name, summary=data.pop("summary"),
            exit=tuple(exit_codes) if isinstance(exit_codes, list) else (exit_codes,),
            **{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()},
        )


def cases() -> list[Path]:
    return sorted(p for p in HOSTILE.iterdir() if p.is_dir() and not p.name.startswith("_"))


@dataclass(frozen=True)
class Outcome:
    exit_code: int | None
    output: str
    traceback: str | None
    hung: bool = False
    stacks: str = ""  # of a hung child: where each of its threads was
    crashed: int | None = None
    answers: tuple[bytes, ...] = ()


def _child(args: list[str], conn, cwd: str | None, stacks: str,
           patience: float) -> None:  # pragma: no cover - forked child
    # A session of its own: a process group killed with every worker it started, and no
    # controlling terminal, so nothing it runs can be stopped for touching one (SIGTTOU or
    # SIGTTIN would freeze it where a Ctrl-C cannot reach).
    os.setsid()
    with open(os.devnull, "rb") as nothing:
        os.dup2(nothing.fileno(), 0)
    # Where a hang is: every thread's stack, written by faulthandler's own thread (so even a
    # main thread blocked in C is seen) shortly before the parent gives up.
    faulthandler.dump_traceback_later(patience * 0.9, file=open(stacks, "w"))  # noqa: SIM115
    if cwd is not None:
        os.chdir(cwd)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    result = CliRunner().invoke(app, args)
    error = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        error = "".join(traceback.format_exception(*result.exc_info))
    conn.send((result.exit_code, result.output, error))
    conn.close()


@functools.cache
def _context() -> multiprocessing.context.BaseContext:
    """Children forked from a fresh server that has imported the CLI once: as cheap as a fork
    of this process, without inheriting the test session's threads, pools and caches."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["anthology.cli", "typer.testing", "tests.test_hostile"])
    return context


def run_cli(args: list[str], timeout: float, cwd: Path | None = None,
            visit: Callable[[float], tuple[bytes, ...]] | None = None) -> Outcome:
    """The CLI in a forked child (in `cwd`, if given); killed (with its process group) when it
    outlives `timeout`. With `visit` (a server case), the visit is made while the child runs,
    then the child gets a Ctrl-C."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    stacks = Path(tempfile.mkdtemp(prefix="anthology-hang-")) / "stacks.txt"
    process = context.Process(target=_child, args=(args, sender, str(cwd) if cwd else None,
                                                   str(stacks), timeout))
    process.start()
    sender.close()
    answers: tuple[bytes, ...] = ()
    if visit is not None:
        try:
            answers = visit(timeout)
        finally:
            with _suppress_lookup():
                os.kill(process.pid, signal.SIGINT)
    try:
        if not receiver.poll(timeout):
            with _suppress_lookup():
                os.killpg(process.pid, signal.SIGKILL)
            process.join()
            return Outcome(None, "", None, hung=True, stacks=_read_and_remove(stacks))
        try:
            exit_code, output, error = receiver.recv()
        except EOFError:  # the child died without a word: a segfault, an abort, the OOM killer
            process.join()
            return Outcome(None, "", None, crashed=process.exitcode)
    finally:
        receiver.close()
    process.join(timeout)
    with _suppress_lookup():
        os.killpg(process.pid, signal.SIGKILL)  # workers the build left behind, if any
    _read_and_remove(stacks)
    return Outcome(exit_code, output, error, answers=answers)


def _read_and_remove(stacks: Path) -> str:
    """What faulthandler wrote (nothing unless the child hung), its folder removed."""
    try:
        return stacks.read_text("utf-8", errors="replace")
    except OSError:
        return ""
    finally:
        shutil.rmtree(stacks.parent, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def talk(port: int, requests: tuple[str, ...], timeout: float) -> tuple[bytes, ...]:
    """Each raw request on a connection of its own, once the server listens; its answer."""
    deadline = time.monotonic() + timeout  # a bound on a server that never listens
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                return ()
            time.sleep(0.2)
    answers = []
    for request in requests:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
            connection.sendall(request.encode("latin-1"))
            answer = b""
            with contextlib.suppress(TimeoutError, ConnectionError):
                while chunk := connection.recv(65536):
                    answer += chunk
        answers.append(answer)
    return tuple(answers)


class _suppress_lookup:
    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, value, tb) -> bool:
        return kind is not None and issubclass(kind, ProcessLookupError | PermissionError)


def everything(folder: Path) -> dict[str, str]:
    """Every entry under `folder` (symlinks not followed): what it is and, for a file, its
    bytes' digest; so a write, a deletion or a new file anywhere shows."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = "link " + os.readlink(path)
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            found[key] = "folder"
        else:
            found[key] = "special"
    return found


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under build/ but the layout cache, by content."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(folder).parts}


def prepare(case: Path, expect: Expect, tmp_path: Path) -> Path:
    """The base workspace, the case's files over it, its generator run, build/ seeded."""
    root = tmp_path / "ws"
    shutil.copytree(BASE, root, symlinks=True)
    if (case / "ws").is_dir():
        shutil.copytree(case / "ws", root, symlinks=True, dirs_exist_ok=True)
    for relative in expect.remove:
        target = root / relative
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    outside = tmp_path / "outside"
    outside.mkdir()
    if expect.generator:
        GENERATORS[expect.generator](root, outside)
    build = root / "build"
    if not build.exists():
        build.mkdir()
        for name, data in SEEDED.items():
            (build / name).write_bytes(data)
    return root


def epub_problems(path: Path, expect: Expect) -> list[str]:
    """What is wrong with a built EPUB that a reader would notice without epubcheck: a
    manifest id or file named twice, a document that is not well-formed, text it must (not)
    hold."""
    found = []
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        if len(names) != len(set(names)):
            twice = sorted({n for n in names if names.count(n) > 1})
            found.append(f"duplicate zip entries: {twice}")
        texts = {}
        for name in names:
            if name.endswith((".xhtml", ".opf", ".ncx", ".css")):
                texts[name] = book.read(name).decode("utf-8", "replace")
            if name.endswith((".xhtml", ".opf", ".ncx")):
                try:
                    etree.fromstring(book.read(name))
                except etree.XMLSyntaxError as exc:
                    found.append(f"{name} is not well-formed: {exc}")
        opf = next((n for n in names if n.endswith(".opf")), None)
        if opf is not None:
            items = etree.fromstring(book.read(opf)).iter("{http://www.idpf.org/2007/opf}item")
            items = list(items)
            for attribute in ("id", "href"):
                values = [item.get(attribute) for item in items]
                twice = sorted({v for v in values if values.count(v) > 1})
                if twice:
                    found.append(f"manifest {attribute}s given twice: {twice}")
    everything = "\n".join(texts.values())
    found += [f"EPUB lacks /{p}/" for p in expect.epub_contains if not re.search(p, everything)]
    found += [f"EPUB holds /{p}/" for p in expect.epub_lacks if re.search(p, everything)]
    return found


ALL_CASES = cases()


def test_there_are_enough_hostile_fixtures_and_each_is_well_formed() -> None:
    assert len(ALL_CASES) >= 120
    expects = [Expect.load(case) for case in ALL_CASES]
    named = {e.generator for e in expects if e.generator}
    assert named <= set(GENERATORS), sorted(named - set(GENERATORS))
    for expect in expects:
        for pattern in (*expect.output, *expect.forbid, *expect.epub_contains, *expect.epub_lacks):
            re.compile(pattern)


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.name for c in ALL_CASES])
def test_hostile_workspace(case: Path, tmp_path: Path) -> None:
    expect = Expect.load(case)
    root = prepare(case, expect, tmp_path)
    before = snapshot(root / "build")
    outside_before = everything(tmp_path / "outside")
    around_before = sorted(p.name for p in tmp_path.iterdir())
    if expect.requests:
        port = free_port()
        args = [a.replace("{port}", str(port)) for a in expect.args]
        outcome = run_cli([*args, "--root", str(root)], expect.patience,
                          visit=functools.partial(talk, port, tuple(
                                  r.replace("{port}", str(port)) for r in expect.requests)))
        assert len(outcome.answers) == len(expect.responses), \
            f"the server never listened; its threads:\n{outcome.stacks}"
        for answer, pattern in zip(outcome.answers, expect.responses, strict=True):
            first = answer.split(b"\r\n", 1)[0].decode("latin-1")
            assert re.search(pattern, first), f"answer {first!r} is not /{pattern}/"
    elif expect.in_workspace:
        outcome = run_cli(list(expect.args), expect.patience, cwd=root)
    else:
        outcome = run_cli([*expect.args, "--root", str(root)], expect.patience)
    assert not outcome.hung, (f"hang: killed after {expect.patience:.0f} s ({expect.summary}); "
                              f"its threads:\n{outcome.stacks}")
    assert outcome.crashed is None, f"the process died (exit code {outcome.crashed})"
    assert outcome.traceback is None, outcome.traceback
    assert "Traceback" not in outcome.output, outcome.output
    output = outcome.output
    assert outcome.exit_code in expect.exit, f"exit {outcome.exit_code}:\n{output}"
    for pattern in expect.output:
        assert re.search(pattern, output, FLAGS), f"no /{pattern}/ in:\n{output}"
    for pattern in ("Traceback", *expect.forbid):
        assert not re.search(pattern, output, FLAGS), f"/{pattern}/ in:\n{output}"
    # Files are named as the author knows them, from the workspace, never by the machine's path.
    assert str(tmp_path) not in output, f"an absolute path in:\n{output}"
    # Nothing outside the workspace is written, made or deleted, whatever the case asked.
    assert sorted(p.name for p in tmp_path.iterdir()) == around_before, "a file made beside ws/"
    assert everything(tmp_path / "outside") == outside_before, f"outside/ changed:\n{output}"
    unchanged = expect.build_unchanged
    if unchanged is None:
        unchanged = outcome.exit_code != 0
    after = snapshot(root / "build")
    if unchanged:
        assert after == before, f"build/ changed by a failed run:\n{output}"
    epub = root / "build" / "v1.epub"
    if outcome.exit_code == 0 and after.get("v1.epub") != before.get("v1.epub"):
        problems = epub_problems(epub, expect)
        assert not problems, "\n".join([*problems, output])
        if expect.epubcheck:
            assert [f.format() for f in epubcheck(epub)] == [], output
    elif expect.epub_contains or expect.epubcheck:
        pytest.fail(f"no new EPUB to look into:\n{output}")
