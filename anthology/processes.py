"""Process hygiene: layout workers that end with the process that started them, and GLib's
fatal errors (a thread Pango cannot start under `ulimit -v`) as one `error:` line instead of
a SIGTRAP.

A worker blocked on its queue never notices its parent died (it holds the queue's pipe
itself), so a `kill -9`'d build would leave each worker holding ~100 MB for minutes; on Linux
the kernel ends it (PR_SET_PDEATHSIG), elsewhere a thread watches the parent's pid.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
ORPHAN_POLL_SECONDS = 0.5
OUT_OF_MEMORY = "error: out of memory"
_G_LOG_LEVEL_ERROR = 1 << 2  # GLogLevelFlags: g_error(), always fatal


def tie_to_parent(parent: int) -> None:
    """In a worker, first thing (a pool's initializer): Ctrl-C is the parent's to handle (the
    terminal sends it to every process of the group), and the worker ends when `parent`
    does, however it ends. The kernel's death signal follows the thread that forked the
    worker: start pools from a thread that lives as long as they do (the main one)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _IN_WORKER
    _IN_WORKER = True
    if not _death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), name="anthology-orphan-watch",
                         daemon=True).start()
    if os.getppid() != parent:  # the parent was gone before the tie was made
        os._exit(1)


def _death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(ORPHAN_POLL_SECONDS)
    os._exit(1)


# --- GLib's fatal errors -------------------------------------------------------------------

class _Field(ctypes.Structure):
    """GLogField: one key and value of a structured log message."""

    _fields_ = (("key", ctypes.c_char_p), ("value", ctypes.c_void_p),
                ("length", ctypes.c_ssize_t))


_WRITER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.POINTER(_Field), ctypes.c_size_t,
                           ctypes.c_void_p)
_IN_WORKER = False
_installed: list[object] = []  # the writer, kept alive as long as GLib may call it


def glib_errors_as_lines() -> None:
    """Once per process: a GLib error (Pango failing to start a thread or allocate, when
    memory runs out) ends the process with one `error: out of memory` line and exit 1, where
    GLib would raise SIGTRAP. A worker ends silently: its parent reports the lost worker.
    Other GLib messages are written as GLib writes them."""
    if _installed:
        return
    try:
        glib = ctypes.CDLL("libglib-2.0.so.0")
        default = glib.g_log_writer_default
        setter = glib.g_log_set_writer_func
    except (OSError, AttributeError):  # no GLib here: nothing of it can fail
        _installed.append(None)
        return
    default.restype = ctypes.c_int
    default.argtypes = (ctypes.c_int, ctypes.POINTER(_Field), ctypes.c_size_t, ctypes.c_void_p)

    def writer(level: int, fields: object, count: int, data: object) -> int:
        if level & _G_LOG_LEVEL_ERROR:  # GLib would abort after this: end it cleanly
            if not _IN_WORKER:
                os.write(2, f"{OUT_OF_MEMORY}: {_message(fields, count)}\n".encode())
            os._exit(1)
        return default(level, fields, count, data)

    callback = _WRITER(writer)
    setter.argtypes = (_WRITER, ctypes.c_void_p, ctypes.c_void_p)
    setter(callback, None, None)
    _installed.append(callback)


def _message(fields: ctypes.Array[_Field], count: int) -> str:
    for index in range(count):
        field = fields[index]
        if field.key == b"MESSAGE" and field.value:
            raw = (ctypes.string_at(field.value) if field.length < 0
                   else ctypes.string_at(field.value, field.length))
            text = raw.decode("utf-8", "replace")
            return "".join(c if c.isprintable() else " " for c in text)
    return "a library ran out of memory"


def interruptible_start() -> None:
    """From the first moment of the command: Ctrl-C while the modules load (a second or
    two, before any file is touched) is one line and exit 130, not a traceback."""
    signal.signal(signal.SIGINT, _interrupted_at_start)


def _interrupted_at_start(signum: int, frame: object) -> None:
    with contextlib.suppress(OSError):
        os.write(2, b"interrupted\n")
    os._exit(130)
