"""`anthology plan`: group an archive of reviews into volumes a printer will bind.

The stages, in the order data moves: `measure` reads each review's shape (paragraph lengths,
fact box, jukebox) from its source; `estimate` (with `backmatter` for the appendices) turns
shapes into pages at a trim, or takes a chapter's pages from what a build laid out
(`laidout`); `propose` orders the reviews and fills volumes up to a page budget, keeping the
volumes the workspace has; `pricing` gives each volume's printing cost and least list price
from `pricing.toml`; `assemble` puts a plan together and `write` records it in the volumes'
`[contents]` tables. `calibrate` compares estimates with built books (docs/plan.md).
"""

from enum import StrEnum


class Order(StrEnum):
    """The orders reviews fill volumes in (here, so the command line offers them before the
    planner loads)."""

    appraisal = "appraisal"
    date = "date"
    year = "year"
    title = "title"
    genre = "genre"
