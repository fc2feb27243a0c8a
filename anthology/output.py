"""Safe writes: a book appears complete or not at all.

Each output is written to a hidden temporary file beside its target and renamed over it only
once it is whole, so a failed or interrupted build leaves the last good book in place.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target` in one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        temporary.chmod(0o644)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
