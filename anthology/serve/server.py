"""The preview's HTTP server: 127.0.0.1 only, one thread per request, updates as Server-Sent
Events.

Each connection must deliver its whole request within `request_seconds` (an idle or a
slowloris connection is dropped, not given a thread for good), the listen backlog takes a
browser's burst of requests, and a request must carry exactly one Host header that names
this server.

A page subscribes to /_anthology/events; each new snapshot (an edit re-rendered, a print proof
made) sends its version number, and the page fetches itself and its status again and swaps in
what changed, without a reload.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from anthology.serve.log import Listener, Requested, refreshed
from anthology.serve.proof import ProofMaker
from anthology.serve.site import Renderer, Response, page_chapter, respond, status
from anthology.serve.state import Live, Snapshot, kept_proofs
from anthology.serve.watch import Watcher
from anthology.terminal import printable

HOST = "127.0.0.1"
REQUEST_SECONDS = 30.0  # to receive a request's line and headers, however they trickle in
BACKLOG = 128  # connections waiting to be accepted (socketserver's default is 5)
KEEP_ALIVE_SECONDS = 15.0
EVENTS_URL = "/_anthology/events"
STATUS_URL = "/_anthology/status"


class PreviewServer:
    """The workspace rendered, watched and served. `start()`, then `serve_forever()` (or run
    it in a thread), then `close()`. `on_event` hears of each refresh after an edit and each
    request answered (anthology.serve.log), from the thread that made it."""

    def __init__(self, root: Path, port: int = 8000, proofs: bool = True,
                 request_seconds: float = REQUEST_SECONDS,
                 on_event: Listener | None = None) -> None:
        self.root = root.resolve()
        self.on_event = on_event
        self.httpd = _HTTPServer((HOST, port), _Handler)  # binds now: a taken port fails here
        self.httpd.preview = self
        self.request_seconds = request_seconds
        self.renderer = Renderer(self.root)
        self.live = Live(self.renderer.refresh(Snapshot(0, self.root)))
        self.proofs = ProofMaker(self.live, self.root)
        self.make_proofs = proofs
        self.watcher = Watcher(self.root, self.changed)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.httpd.server_address[1]}/"

    @property
    def hosts(self) -> frozenset[str]:
        """The Host headers of requests for this server: its address, by number or name."""
        port = self.httpd.server_address[1]
        return frozenset({f"{HOST}:{port}", f"localhost:{port}"})

    def start(self) -> None:
        if self.make_proofs:
            self.proofs.start()  # forked before any thread of ours starts
        self.watcher.start()
        self.watcher.ready.wait(timeout=5)

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.2)

    def changed(self, paths: set[Path]) -> None:
        """Re-render after an edit (outside the lock), then swap it in with the proofs made
        meanwhile; tell `on_event` what changed and which problems are new or fixed (the
        check made once the watch is set up is told only when it found something)."""
        started = time.perf_counter()
        before = self.live.current  # only this thread changes the problems
        try:
            fresh = self.renderer.refresh(before)
        except Exception as exc:  # shown over the page; the next save is watched for as ever
            fresh = dataclasses.replace(before, failures=(
                f"error: the preview could not be refreshed: {type(exc).__name__}: {exc}",))
        jobs = fresh.current_jobs()
        now = self.live.publish(lambda now: dataclasses.replace(
            fresh, proofs=kept_proofs(now.proofs, jobs)))
        if self.on_event is not None:
            event = refreshed(before, now, paths, started, time.perf_counter())
            if paths or event.new or event.fixed:
                with contextlib.suppress(OSError):  # a terminal gone: the preview goes on
                    self.on_event(event)

    def close(self) -> None:
        """Stop watching, end the event streams, stop the proof worker, close the socket."""
        self.live.stop()
        self.watcher.stop()
        self.proofs.close()
        self.httpd.server_close()

    def shutdown(self) -> None:
        """From another thread: make serve_forever return."""
        self.httpd.shutdown()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = BACKLOG
    preview: PreviewServer

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that goes away while it is answered is no fault (socketserver would
        print a traceback); anything else is one line."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return
        print(printable(f"error: a request could not be answered: {error}"), file=sys.stderr)


class _Deadline(io.RawIOBase):
    """The connection read with one deadline for the whole request: each read may wait only
    for the time left, so a request sent a byte at a time cannot hold its thread for good."""

    def __init__(self, connection: socket.socket, seconds: float) -> None:
        self.connection = connection
        self.deadline = time.monotonic() + seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request took too long to arrive")
        self.connection.settimeout(left)
        return self.connection.recv_into(buffer)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "anthology-preview"

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # socketserver's reader, without a deadline
        self.rfile = io.BufferedReader(_Deadline(self.connection,
                                                 self.server.preview.request_seconds))

    def parse_request(self) -> bool:
        """The request as http.server reads it, with exactly one Host header; its answer may
        take as long as a page does (the event stream lasts), each write at most a deadline."""
        if not super().parse_request():
            return False
        self.connection.settimeout(self.server.preview.request_seconds)
        if len(self.headers.get_all("Host") or ()) != 1:
            self.send_error(400, "a request needs exactly one Host header")
            return False
        return True

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is the author's, not a request log (`log_request` tells
        `on_event`, which prints it with --verbose)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        listener = self.server.preview.on_event
        if listener is not None:
            with contextlib.suppress(OSError):  # a terminal gone is no reason to fail a page
                listener(Requested(time.time(), self.command or "-", getattr(self, "path", ""),
                                   int(code) if isinstance(code, int) else 0))

    def _answer(self, head: bool) -> None:
        preview = self.server.preview
        parts = urlsplit(self.path)
        if self.headers.get("Host", "") not in preview.hosts:
            # Another name for this address (DNS rebinding): a web page must not read the
            # author's unpublished reviews through it.
            self._send(Response(404, b"not found\n"), head)
            return
        try:
            if parts.path == EVENTS_URL and not head:
                self._events(preview.live)
                return
            if parts.path == STATUS_URL:
                page = parse_qs(parts.query).get("page", [""])[0]
                chapter = page_chapter(preview.live.current, page)
                if chapter is not None and preview.make_proofs:
                    preview.proofs.request(*chapter)
                response = status(preview.live.current, page)
            else:
                response = respond(preview.live.current, self.path)
        except (BrokenPipeError, ConnectionResetError):
            return
        except Exception as exc:  # one bad request never stops the server
            print(printable(f"error: {self.path}: {type(exc).__name__}: {exc}"),
                  file=sys.stderr)  # a URL is anyone's: its control characters escaped
            response = Response(500, b"the preview could not render this page\n")
        self._send(response, head)

    def _send(self, response: Response, head: bool) -> None:
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("Cache-Control", response.cache)
            self.send_header("X-Content-Type-Options", "nosniff")
            if response.location:
                self.send_header("Location", response.location)
            self.end_headers()
            if not head:
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _events(self, live: Live) -> None:
        """One event per new snapshot (and one at once), until the page or the server goes."""
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            version = live.current.version
            self.wfile.write(f"retry: 500\ndata: {version}\n\n".encode())
            self.wfile.flush()
            while not live.stopping:
                snapshot = live.wait_newer(version, KEEP_ALIVE_SECONDS)
                if live.stopping:
                    break
                if snapshot is None:
                    self.wfile.write(b": still here\n\n")
                else:
                    version = snapshot.version
                    self.wfile.write(f"data: {version}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
