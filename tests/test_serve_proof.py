"""Print proofs (anthology.serve.proof): a chapter laid out as `anthology build` lays out its
piece, drawn as PNG pages, and shared with the build's cache."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from anthology.print.pieces import PieceCache
from anthology.serve.proof import CACHE_DIR, make_proof
from anthology.serve.site import Renderer
from anthology.serve.state import Snapshot
from anthology.starter import create_workspace


def test_a_chapter_proof_is_its_print_piece_as_png_pages(tmp_path: Path) -> None:
    root = create_workspace(tmp_path / "ws").folder.resolve()
    renderer = Renderer(root)
    snapshot = renderer.refresh(Snapshot(0, root))
    volume = snapshot.volume("first-volume")
    job = volume.proof_jobs["ch-vampyr"]
    assert 'id="ch-vampyr"' in job.html and 'id="ch-the-phantom-carriage"' not in job.html
    folder = root / CACHE_DIR
    pages = make_proof(job, str(folder), 40, volume.theme_key)
    assert len(pages) >= 1
    width, height = Image.open(io.BytesIO(pages[0])).size
    assert (width, height) == (240, 360)  # 6 x 9 in at 40 dpi
    assert PieceCache(folder).get(job.key) is not None  # the next build reuses it
    assert make_proof(job, str(folder), 40, volume.theme_key) == pages
