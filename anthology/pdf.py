"""Package a `Book` as a print PDF with WeasyPrint.

WeasyPrint may only read the theme's own files and the book's images: every other URL (the
network, files elsewhere on the machine) is refused, and a refused or missing resource stops
the build with a message naming it rather than silently printing without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from anthology.output import atomic_target
from anthology.pages import PageMap, build_page_map
from anthology.render import PRINT_STYLESHEETS, ThemeError, render_print_html
from anthology.resolve import Book
from anthology.theme import Theme

# Relative URLs in the print HTML (the book's images) resolve against this made-up folder, which
# the fetcher serves from the book's assets; nothing is ever read from it on disk.
BOOK_BASE = "file:///anthology-book/"


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    page_map: PageMap


class ResourceError(Exception):
    """The print edition asked for a file it may not, or cannot, read."""


class Fetcher(URLFetcher):
    """Serves the book's images and the theme's files; refuses everything else."""

    def __init__(self, book: Book, theme: Theme) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.images = {f"images/{a.name}": a.source for a in book.assets}
        self.roots = theme.roots()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if url.startswith(BOOK_BASE):
            path = self.images.get(unquote(url.removeprefix(BOOK_BASE)))
        elif parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                path = None
        else:
            path = None
        if path is None or not path.is_file():
            self.refused.append(url)
            raise ResourceError(f"refused to read '{url}'")
        return URLFetcherResponse(url, body=path.read_bytes())


def stylesheets(theme: Theme, fetcher: Fetcher,
                fonts: FontConfiguration) -> list[weasyprint.CSS]:
    """The print stylesheets; `@font-face` rules only take effect through a shared `fonts`."""
    sheets = theme.stylesheets(*PRINT_STYLESHEETS)
    if not sheets:
        raise ThemeError("the theme has no print stylesheet")
    return [weasyprint.CSS(filename=str(s), url_fetcher=fetcher, font_config=fonts)
            for s in sheets]


@dataclass(frozen=True)
class Layout:
    """The laid-out print edition: WeasyPrint's pages and where each block fell."""

    document: weasyprint.Document
    page_map: PageMap


def lay_out(book: Book, theme: Theme) -> Layout:
    """Lay out the print edition without writing it (the EPUB's page list needs its pages)."""
    printed = render_print_html(book, theme)
    fetcher = Fetcher(book, theme)
    fonts = FontConfiguration()
    document = weasyprint.HTML(string=printed.html, base_url=BOOK_BASE,
                               url_fetcher=fetcher).render(
        stylesheets=stylesheets(theme, fetcher, fonts), font_config=fonts
    )
    if fetcher.refused:
        raise ResourceError("the print edition needs files it may not or cannot read: "
                            + ", ".join(sorted(set(fetcher.refused))))
    page_map = build_page_map((page.anchors for page in document.pages),
                              list(printed.blocks), printed.body_first)
    return Layout(document, page_map)


def write_pdf(book: Book, theme: Theme, target: Path) -> PdfResult:
    """Lay out and write the volume's PDF; the previous file stays until the new one is whole."""
    layout = lay_out(book, theme)
    with atomic_target(target) as temporary:
        layout.document.write_pdf(temporary)
    return PdfResult(target, len(layout.document.pages), layout.page_map)
