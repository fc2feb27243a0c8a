"""What a build can make: the kinds of file (EPUB, PDF, playlists), the PDF's profiles (the
reading edition and each printer's interior) and the trim sizes. Plain names with no engine
behind them, so the command line can offer them before WeasyPrint or the loader is imported."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    epub = "epub"
    pdf = "pdf"
    playlists = "playlists"  # the jukeboxes' playlist files (anthology.playlists)


class Profile(StrEnum):
    digital = "digital"
    kdp = "kdp"
    ingram = "ingram"
    ingram_hardcover = "ingram-hardcover"  # IngramSpark case laminate (and its dust jacket)

    @property
    def is_print(self) -> bool:
        return self is not Profile.digital

    @property
    def press(self) -> Profile:
        """The profile whose interior this one prints: a hardcover's text block is Ingram's
        paperback interior, page for page, so its laid-out pieces are shared."""
        return Profile.ingram if self is Profile.ingram_hardcover else self

    @property
    def pdfx(self) -> bool:
        """A PDF/X-1a press: CMYK output intent, black-only text, greyscale images."""
        return self.press is Profile.ingram

    @property
    def hardcover(self) -> bool:
        return self is Profile.ingram_hardcover

    @property
    def stylesheets(self) -> tuple[str, ...]:
        """The theme's stylesheets for this profile, in cascade order."""
        from anthology.render.documents import PRINT_STYLESHEETS

        extra = {Profile.digital: (), Profile.kdp: ("print-interior.css",),
                 Profile.ingram: ("print-interior.css", "print-ingram.css")}
        return (*PRINT_STYLESHEETS, *extra[self.press])

    @property
    def pdf_options(self) -> dict[str, object]:
        """WeasyPrint options of the profile: the digital edition is tagged (PDF/UA-1), for
        screen readers and reflow; print interiors need no structure."""
        return {"pdf_variant": "pdf/ua-1"} if self is Profile.digital else {}


class Paper(StrEnum):
    """The paper a print edition is on: it sets the spine's width."""

    white = "white"
    cream = "cream"


PRINTERS = (Profile.kdp, Profile.ingram)  # the paperbacks `build --print` makes for every volume
# The hardcovers `build --print` makes for each volume with a hardcover ISBN (one without could
# not be sold): the interior, the case laminate cover and the dust jacket.
HARDCOVERS = (Profile.ingram_hardcover,)


class Printer(StrEnum):
    """The profiles that are a printer's (a cover wrap, a price): offered where only they
    make sense, so `--profile digital` is never offered and then refused."""

    kdp = "kdp"
    ingram = "ingram"

    @property
    def profile(self) -> Profile:
        return Profile(self.value)


class Cover(StrEnum):
    """The profiles `anthology cover` makes a cover for: the printers' (`Printer`, whose
    prices `plan` knows) and the hardcover, whose case and jacket are sized by the same
    interior."""

    kdp = "kdp"
    ingram = "ingram"
    ingram_hardcover = "ingram-hardcover"

    @property
    def profile(self) -> Profile:
        return Profile(self.value)

# Trim sizes in inches, as print services name them.
TRIMS: dict[str, tuple[float, float]] = {
    "5x8": (5.0, 8.0),
    "5.25x8": (5.25, 8.0),
    "5.5x8.5": (5.5, 8.5),
    "6x9": (6.0, 9.0),
    "6.14x9.21": (6.14, 9.21),
    "a5": (5.83, 8.27),
}
DEFAULT_TRIM = "6x9"
