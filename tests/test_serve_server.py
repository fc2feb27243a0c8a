"""The preview server on real sockets (issue 20.11): a request needs exactly one Host header,
a connection that sends nothing (or a byte at a time) is dropped after the request deadline,
a burst of connections is answered, and a theme that loops or fails while serving shows its
error and the next save is still picked up.

The server runs in this process on a free port with a one-second request deadline and no
print proofs; its watcher is real (the edits are files saved on disk).
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from anthology.serve import PreviewServer
from anthology.starter import create_workspace

DEADLINE = 1.0  # the server's request deadline in these tests
BOUND = 20.0  # what no step may take, however loaded the machine: a hang fails, not blocks
CHAPTER = "/v/first-volume/ch-vampyr.xhtml"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PreviewServer]:
    create_workspace(tmp_path / "ws")
    preview = PreviewServer(tmp_path / "ws", 0, proofs=False, request_seconds=DEADLINE)
    preview.start()
    thread = threading.Thread(target=preview.serve_forever, daemon=True)
    thread.start()
    try:
        yield preview
    finally:
        preview.shutdown()
        preview.close()
        thread.join(BOUND)


def address(server: PreviewServer) -> tuple[str, int]:
    host, port = server.httpd.server_address[:2]
    return str(host), int(port)


def raw(server: PreviewServer, request: bytes) -> bytes:
    """Send `request` as written and read the whole answer."""
    with socket.create_connection(address(server), timeout=BOUND) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def get(server: PreviewServer, path: str) -> tuple[int, bytes]:
    host, port = address(server)
    connection = http.client.HTTPConnection(host, port, timeout=BOUND)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def closed_after(connection: socket.socket, trickle: bytes = b"") -> float:
    """Seconds until the server closes `connection`, sending `trickle` a byte every 0.2 s."""
    started = time.monotonic()
    connection.settimeout(0.2)
    sent = 0
    while time.monotonic() - started < BOUND:
        try:
            if connection.recv(4096) == b"":
                return time.monotonic() - started
        except TimeoutError:
            pass
        except ConnectionError:
            return time.monotonic() - started
        if sent < len(trickle):
            try:
                connection.send(trickle[sent:sent + 1])
            except ConnectionError:
                return time.monotonic() - started
            sent += 1
    raise AssertionError(f"the connection was still open after {BOUND} s")


def test_a_request_with_one_host_header_is_answered_and_two_are_refused(server) -> None:
    host = "{}:{}".format(*address(server))
    one = raw(server, f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    assert one.startswith(b"HTTP/1.0 200 ")
    two = raw(server, f"GET / HTTP/1.1\r\nHost: {host}\r\nHost: {host}\r\n\r\n".encode())
    assert two.startswith(b"HTTP/1.0 400 ")
    assert b"exactly one Host header" in two
    other = raw(server, f"GET / HTTP/1.1\r\nHost: evil.example\r\nHost: {host}\r\n\r\n".encode())
    assert other.startswith(b"HTTP/1.0 400 ")
    none = raw(server, b"GET / HTTP/1.1\r\n\r\n")
    assert none.startswith(b"HTTP/1.0 400 ")


def test_an_idle_connection_is_closed_after_the_deadline(server) -> None:
    with socket.create_connection(address(server), timeout=BOUND) as connection:
        waited = closed_after(connection)
    assert DEADLINE * 0.8 <= waited < BOUND


def test_a_request_trickling_in_a_byte_at_a_time_is_dropped_at_the_deadline(server) -> None:
    """Slowloris: every byte comes in time for a per-read timeout, the request never ends."""
    host = "{}:{}".format(*address(server))
    trickle = f"GET / HTTP/1.1\r\nHost: {host}\r\n" + "X-Slow: " + "a" * 200
    with socket.create_connection(address(server), timeout=BOUND) as connection:
        waited = closed_after(connection, trickle.encode())
    assert waited < DEADLINE + 3.0  # at 5 bytes a second the request would take 50 s


def test_fifty_requests_at_once_are_all_answered(server) -> None:
    start = threading.Barrier(50)
    statuses: list[int] = []

    def one() -> None:
        start.wait(BOUND)
        statuses.append(get(server, "/")[0])

    threads = [threading.Thread(target=one) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(BOUND)
    assert statuses == [200] * 50
    assert server.httpd.request_queue_size >= 50


def status(server: PreviewServer) -> dict:
    code, body = get(server, f"/_anthology/status?page={CHAPTER}")
    assert code == 200
    return json.loads(body)


def until(server: PreviewServer, condition: Callable[[dict], bool]) -> dict:
    deadline = time.monotonic() + BOUND * 2
    while time.monotonic() < deadline:
        now = status(server)
        if condition(now):
            return now
        time.sleep(0.1)
    raise AssertionError(f"the preview never got there: {status(server)}")


LOOPING = ('{% extends "default/chapter.xhtml" %}{% block header %}'
           "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
           "{% endblock %}")
FAILING = ('{% extends "default/chapter.xhtml" %}{% block header %}{{ 1 / 0 }}'
           "{% endblock %}")
MARKED = ('{% extends "default/chapter.xhtml" %}{% block header %}<p>MARKER-{n}</p>'
          "{{ super() }}{% endblock %}")


def test_a_theme_that_loops_or_fails_while_serving_shows_its_error_and_later_saves_count(
        server) -> None:
    """20.4: a looping template saved during `serve` froze the preview for good."""
    template = server.root / "styles" / "templates" / "chapter.xhtml"
    template.parent.mkdir(parents=True, exist_ok=True)
    for number, broken in enumerate((LOOPING, FAILING)):
        template.write_text(broken, encoding="utf-8")
        failed = until(server, lambda now: bool(now["errors"]))
        assert any("chapter.xhtml" in line for line in failed["errors"]), failed
        assert get(server, "/")[0] == 200  # the server answers meanwhile
        template.write_text(MARKED.replace("{n}", str(number)), encoding="utf-8")
        until(server, lambda now: not now["errors"])
        code, page = get(server, CHAPTER)
        assert code == 200 and f"MARKER-{number}".encode() in page
