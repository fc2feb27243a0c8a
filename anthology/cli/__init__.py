"""The `anthology` command. Options are parsed and results printed here; the work is done by
the library modules the preview server calls too. One module per group of commands."""

from anthology.cli import (  # noqa: F401  (they register commands)
    books,
    desk,
    distribution,
    plan,
    printing,
    sources,
)
from anthology.cli.common import app, main, piece_cache, shown
from anthology.cli.importing import import_app

app.add_typer(import_app, name="import",
              help="Import reviews from a blog: saved pages, saved web pages or a WordPress "
                   "export.")

__all__ = ["app", "main", "piece_cache", "shown"]
