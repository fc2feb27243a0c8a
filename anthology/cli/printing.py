"""The commands for the press: `cover` (the wrap a printer needs) and `preview` (page images)."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from anthology.cli.common import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    RootOption,
    app,
    err,
    finish,
    one_book,
    out,
    piece_cache,
    shown,
)
from anthology.print.pdf import Profile, ResourceError
from anthology.print.pieces import pieced_page_count
from anthology.print.preview import PageSpecError, parse_pages, write_preview
from anthology.print.wrap import write_cover_wrap
from anthology.workspace.theme import Theme, ThemeError


class Paper(StrEnum):
    white = "white"
    cream = "cream"


VolumeArgument = Annotated[str, typer.Argument(help="The volume's folder name.",
                                               metavar="VOLUME")]
PaperOption = Annotated[Paper | None, typer.Option(
    help="Paper for the spine width [default: the volume's [print] paper].")]


@app.command()
def cover(
    volume: VolumeArgument,
    profile: Annotated[Profile, typer.Option("--profile", "-p",
                                             help="The printer: kdp or ingram.")] = Profile.kdp,
    pages: Annotated[int | None, typer.Option(
        min=1, help="Page count for the spine [default: the rendered interior's].")] = None,
    paper: PaperOption = None,
    output: Annotated[Path | None, typer.Option("--out", "-o", file_okay=False,
                                                help="[default: build/]")] = None,
    root: RootOption = Path("."),
) -> None:
    """Write the print cover wrap (back, spine, front, with bleed) for a printer."""
    start = time.perf_counter()
    if profile is Profile.digital:
        err.print("error: a cover wrap is for a printer: --profile kdp or ingram", style="red")
        raise typer.Exit(EXIT_USAGE)
    book = one_book(root, volume)
    target = (output or root / "build").resolve() / f"{book.slug}-cover-{profile.value}.pdf"
    theme = Theme.for_workspace(root)
    with err.status(f"laying out {book.slug}"):
        try:
            if pages is None:
                pages = pieced_page_count(book, theme, profile, piece_cache(root))
            result = write_cover_wrap(book, theme, target, profile, pages,
                                      paper.value if paper else None)
        except (ThemeError, ResourceError, OSError) as exc:
            err.print(f"error: {target.name} was not written: {exc}", style="red", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
    wrap = result.wrap
    width, height = wrap.size
    thin = "" if wrap.spine_text else " (too thin for spine text)"
    out.print(f"{shown(target, root)}: {width:.3f} x {height:.3f} in with bleed, "
              f"{wrap.pages} pages on {wrap.paper} paper, spine {wrap.spine:.3f} in{thin}")
    finish(f"Wrote the {profile.value} cover wrap of {book.slug}", start,
           f"upload {shown(target, root)} with the {profile.value} interior")


@app.command()
def preview(
    volume: VolumeArgument,
    pages: Annotated[str, typer.Option(help="Pages to show, e.g. 1-8 or 3,5,10-12 "
                                            "(the PDF's own page order).")] = "1-8",
    profile: Annotated[Profile, typer.Option("--profile", "-p")] = Profile.digital,
    dpi: Annotated[int, typer.Option(min=30, max=600)] = 100,
    output: Annotated[Path | None, typer.Option("--out", "-o", file_okay=False,
                                                help="[default: build/preview/]")] = None,
    root: RootOption = Path("."),
) -> None:
    """Write PNG images of chosen pages of the print edition."""
    start = time.perf_counter()
    try:
        numbers = parse_pages(pages)
    except PageSpecError as exc:
        err.print(f"error: --pages: {exc}", style="red", markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    book = one_book(root, volume)
    folder = (output or root / "build" / "preview").resolve()
    with err.status(f"laying out {book.slug}"):
        try:
            written = write_preview(book, Theme.for_workspace(root), folder, numbers, profile,
                                    dpi, piece_cache(root))
        except PageSpecError as exc:
            err.print(f"error: --pages: {exc}", style="red", markup=False)
            raise typer.Exit(EXIT_USAGE) from None
        except (ThemeError, ResourceError, OSError) as exc:
            err.print(f"error: no preview: {exc}", style="red", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
    for path in written:
        out.print(str(path))
    finish(f"Wrote {len(written)} page images into {shown(folder, root)}/", start)
