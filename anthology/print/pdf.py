"""Package a `Book` as a PDF with WeasyPrint, for reading on screen or for a printer.

Profiles: `digital` keeps bookmarks and working links; `kdp` and `ingram` are print interiors
(no bookmarks, links or annotations, fonts embedded whole, an even page count ending on a blank
page); `ingram` is also PDF/X-1a with a CMYK output intent and greyscale text and images.

WeasyPrint may only read the theme's own files and the book's images: every other URL (the
network, files elsewhere on the machine) is refused, and a refused or missing resource stops
the build with a message naming it rather than silently printing without it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
import weasyprint
from PIL import Image
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from anthology.editions import Profile
from anthology.output import atomic_target
from anthology.print import keeps
from anthology.print.edition_id import edition_isbn, mark_isbn
from anthology.print.geometry import (
    BLEED,
    MAX_PAGES,
    MIN_PAGES,
    PAGE_LIMITS,
    POINTS,
    PageGeometry,
    gutter,
    next_gutter,
)
from anthology.print.glyphs import NO_GLYPHS, Glyphs, found_in, theme_fonts
from anthology.print.tounicode import complete_to_unicode
from anthology.render.documents import ThemeError, render_print_html
from anthology.series.book import Book
from anthology.series.pagemap import PageMap, build_page_map
from anthology.workspace.theme import Theme

# Relative URLs in the print HTML (the book's images) resolve against this made-up folder, which
# the fetcher serves from the book's assets; nothing is ever read from it on disk.
BOOK_BASE = "file:///anthology-book/"
COVER_ART = "cover-art"


# Black ink alone, as print-ingram.css sets it for the text.
PRESS_INK = "device-cmyk(0 0 0 1)"
_SVG = re.compile(r"<svg\b")


def press_ink(html: str, profile: Profile) -> str:
    """Inline SVG (The Numbers' charts) draws in currentColor, which WeasyPrint takes from the
    SVG's own `color` attribute, never from the page's CSS, and so writes as RGB black. For a
    PDF/X-1a press, whose files may hold no RGB, that colour is black ink."""
    if not profile.pdfx:
        return html
    return _SVG.sub(f'<svg color="{PRESS_INK}"', html)


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    page_map: PageMap
    # What it set outside the theme's font (anthology.print.glyphs).
    glyphs: Glyphs = NO_GLYPHS
    # What a printer would object to (too few or too many pages).
    warnings: tuple[str, ...] = ()

    @property
    def fallback_fonts(self) -> tuple[str, ...]:
        """Families not the theme's that the PDF uses: for characters its face lacks."""
        return self.glyphs.families


class ResourceError(Exception):
    """The print edition asked for a file it may not, or cannot, read."""


class Fetcher(URLFetcher):
    """Serves the book's images and the theme's files; refuses everything else."""

    def __init__(self, images: Mapping[str, Path], roots: Iterable[Path],
                 image_mode: str | None = None) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.images = dict(images)
        self.roots = tuple(roots)
        self.image_mode = image_mode  # "L" (grey) or "CMYK" for a press; None keeps colour
        self.refused: list[str] = []

    @classmethod
    def for_book(cls, book: Book, theme: Theme, image_mode: str | None = None) -> Fetcher:
        images = {f"images/{a.name}": a.source for a in book.assets}
        if book.cover is not None:
            images[COVER_ART] = book.cover.source
        return cls(images, theme.roots(), image_mode)

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        image = url.startswith(BOOK_BASE)
        if image:
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
        data = path.read_bytes()
        if image and self.image_mode:
            data = _convert(data, self.image_mode)
        return URLFetcherResponse(url, body=data)


def _convert(data: bytes, mode: str) -> bytes:
    """A press takes grey (or CMYK) images: no RGB may reach a PDF/X-1a file."""
    with Image.open(io.BytesIO(data)) as image:
        out = io.BytesIO()
        image.convert(mode).save(out, format="JPEG" if mode == "CMYK" else "PNG")
        return out.getvalue()


def render_html(html: str, theme: Theme, names: tuple[str, ...], fetcher: Fetcher,
                extra: str) -> weasyprint.Document:
    """Lay out `html` with the theme's stylesheets `names`, then `extra` (the page geometry).
    A resource the fetcher refused stops the build with its name."""
    fonts = FontConfiguration()
    colours: dict = {}
    sheets = stylesheets(theme, names, fetcher, fonts, colours, extra)
    parsed = weasyprint.HTML(string=html, base_url=BOOK_BASE, url_fetcher=fetcher)
    # Laid out again while a paragraph has three hyphenated line ends in a row, or an
    # opener or a verdict lacks its lines of essay.
    document = keeps.lay_out(parsed, lambda: parsed.render(
        stylesheets=sheets, font_config=fonts, color_profiles=colours))
    if fetcher.refused:
        raise ResourceError("the print edition needs files it may not or cannot read: "
                            + ", ".join(sorted(set(fetcher.refused))))
    return document


def stylesheets(theme: Theme, names: tuple[str, ...], fetcher: Fetcher,
                fonts: FontConfiguration, colours: dict, extra: str) -> list[weasyprint.CSS]:
    """`@font-face` and `@color-profile` rules only take effect through the `fonts` and
    `colours` that the rendering shares."""
    sheets = theme.stylesheets(*names)
    missing = [n for n in names if theme.find("css", n) is None]
    if missing:
        raise ThemeError(f"the theme has no stylesheet {', '.join(missing)}")
    css = [weasyprint.CSS(filename=str(s), url_fetcher=fetcher, font_config=fonts,
                          color_profiles=colours) for s in sheets]
    return [*css, weasyprint.CSS(string=extra, url_fetcher=fetcher, font_config=fonts,
                                 color_profiles=colours)]


@dataclass(frozen=True)
class Layout:
    """The laid-out print edition: WeasyPrint's pages and where each block fell."""

    document: weasyprint.Document
    page_map: PageMap
    geometry: PageGeometry


def _render(book: Book, theme: Theme, profile: Profile, geometry: PageGeometry) -> Layout:
    printed = render_print_html(book, theme)
    html = press_ink(printed.html, profile)
    fetcher = Fetcher.for_book(book, theme, "L" if profile.pdfx else None)
    document = render_html(html, theme, profile.stylesheets, fetcher, geometry.css())
    if profile.is_print and len(document.pages) % 2:
        # An odd count ends on a right-hand page: one blank left-hand page makes it even, as a
        # printer binds. (Always adding a "left" break would add two to an even book.)
        html = html.replace("</body>", '<div class="end-blank"></div></body>')
        document = render_html(html, theme, profile.stylesheets, fetcher, geometry.css())
    page_map = build_page_map((page.anchors for page in document.pages),
                              list(printed.blocks), printed.body_first)
    return Layout(document, page_map, geometry)


WORDS_PER_PAGE = 400  # on a 6 x 9 in page of the default theme, measured on the samples
_TAG = re.compile(r"<[^>]+>")


def estimate_pages(book: Book) -> int:
    """A first guess of the page count, so the first layout usually has the right gutter."""
    width, height = book.trim
    per_page = WORDS_PER_PAGE * (width - 1.25) * (height - 1.65) / (4.75 * 7.35)
    pages = 8  # title, copyright, contents and their blank backs
    for chapter in book.chapters:
        words = sum(len(_TAG.sub(" ", x).split())
                    for x in (chapter.essay, *(g.xhtml for g in chapter.guests)))
        pages += 2 + words // per_page  # the opening page (fact box), and a blank half the time
    return int(pages)


def lay_out(book: Book, theme: Theme, profile: Profile = Profile.digital) -> Layout:
    """Lay out the print edition. The gutter depends on the page count, which depends on the
    gutter: start from an estimate, and lay out again only if the count lands in another
    band."""
    inside: float | None = gutter(estimate_pages(book))
    tried: set[float] = set()
    while inside is not None:  # settles: see next_gutter
        layout = _render(book, theme, profile, PageGeometry(book.trim, book.bleed, inside))
        inside = next_gutter(inside, len(layout.document.pages), tried)
    return layout


OUTPUT_PROFILE = "default_cmyk.icc"
# The characterised printing condition the bundled profile describes (SWOP, CGATS TR 001).
OUTPUT_CONDITION = "CGATS TR 001"


def add_output_intent(pdf: pikepdf.Pdf, theme: Theme) -> None:
    """PDF/X needs a CMYK output intent. WeasyPrint writes colours as device CMYK (as X-1a
    requires) only when no colour profile is declared, so the intent is added afterwards."""
    profile = theme.find("color", OUTPUT_PROFILE)
    if profile is None:
        raise ThemeError(f"the theme has no '{OUTPUT_PROFILE}' for the PDF/X output intent")
    icc = pikepdf.Stream(pdf, profile.read_bytes())
    icc.N = 4
    pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String(OUTPUT_CONDITION),
        RegistryName=pikepdf.String("http://www.color.org"),
        Info=pikepdf.String("Artifex CMYK SWOP Profile"),
        DestOutputProfile=pdf.make_indirect(icc))])


def set_trim_boxes(pdf: pikepdf.Pdf, geometry: PageGeometry) -> None:
    """With bleed on the outside edge only, the trim sits against the binding edge: at the
    left of a right-hand page and at the right of a left-hand one. Printers read the TrimBox."""
    width, height = (v * POINTS for v in geometry.trim)
    bleed = BLEED * POINTS
    for index, page in enumerate(pdf.pages):
        left = 0 if index % 2 == 0 else bleed  # the first page is a right-hand page
        page.TrimBox = pikepdf.Array([left, bleed, left + width, bleed + height])
        page.BleedBox = page.mediabox


def set_page_labels(pdf: pikepdf.Pdf, labels: Sequence[str]) -> None:
    """A viewer's page numbers are the printed folios: roman numerals for the front matter,
    then arabic from 1 where the body starts."""
    body = next((i for i, label in enumerate(labels) if label.isdigit()), None)
    nums: list[object] = []
    if body != 0:
        nums += [0, pikepdf.Dictionary(S=pikepdf.Name.r)]
    if body is not None:
        nums += [body, pikepdf.Dictionary(S=pikepdf.Name.D, St=int(labels[body]))]
    pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(nums))


def finish_for_press(pdf: pikepdf.Pdf, theme: Theme, profile: Profile,
                     geometry: PageGeometry | None,
                     labels: Sequence[str] | None = None, isbn: str | None = None) -> None:
    """What WeasyPrint leaves to do: page labels equal to the folios, and for a printer trim
    boxes beside an outside-edge bleed and the output intent of a PDF/X file. Shared by
    every way a PDF is made. Fonts embedded whole (a print profile's) get the text of their
    feature glyphs."""
    complete_to_unicode(pdf, whole_fonts=profile.is_print)
    if labels:
        set_page_labels(pdf, labels)
    if profile.is_print and geometry is not None and geometry.bleed:
        set_trim_boxes(pdf, geometry)
    if profile.pdfx:
        add_output_intent(pdf, theme)
    mark_isbn(pdf, isbn)  # the edition's ISBN (anthology.print.edition_id)


def finish_file_for_press(path: Path, theme: Theme, profile: Profile,
                          geometry: PageGeometry | None,
                          labels: Sequence[str] | None = None, isbn: str | None = None) -> None:
    """`finish_for_press` on a written file, in place."""
    # Saved in memory, then written by Python: qpdf writing to a full disk aborts the process.
    data = io.BytesIO()
    with pikepdf.open(path) as pdf:
        finish_for_press(pdf, theme, profile, geometry, labels, isbn)
        pdf.save(data, deterministic_id=True)
    path.write_bytes(data.getvalue())


def write_pdf(book: Book, theme: Theme, target: Path,
              profile: Profile = Profile.digital) -> PdfResult:
    """Lay out and write the volume's PDF; the previous file stays until the new one is whole."""
    layout = lay_out(book, theme, profile)
    document = layout.document
    options: dict[str, object] = {}
    if profile.is_print:
        # A printer needs no bookmarks or links, and KDP prefers fonts embedded whole.
        for page in document.pages:
            page.links.clear()
            page.bookmarks.clear()
        options["full_fonts"] = True
    if profile.pdfx:
        options["pdf_variant"] = "pdf/x-1a"
    options.update(profile.pdf_options)
    with atomic_target(target) as temporary:
        document.write_pdf(temporary, **options)
        finish_file_for_press(temporary, theme, profile, layout.geometry,
                              layout.page_map.labels, edition_isbn(book, profile))
    count = len(document.pages)
    return PdfResult(target, count, layout.page_map, found_in(document, theme_fonts(theme)),
                     page_count_warnings(profile, count))


def page_count_warnings(profile: Profile, count: int) -> tuple[str, ...]:
    """What a printer would object to in the page count (preflight's limits, PAGE_LIMITS)."""
    if not profile.is_print:
        return ()
    low, high = PAGE_LIMITS.get(profile.value, (MIN_PAGES, MAX_PAGES))
    if count > high:
        return (f"{count} pages: {profile.value} binds at most {high}; split the volume "
                "(anthology plan proposes how)",)
    if count < low:
        return (f"{count} pages: {profile.value} binds a paperback of at least {low}",)
    return ()


