"""Where the print edition's pages begin, carried over to the EPUB.

Both editions come from the same part templates, so numbering the block elements of each part
the same way (`<part>_<n>`) gives ids that mean the same place in both. The print layout says
on which page each block starts; the EPUB then gets a page-break marker at the first block of
every page, and a page list that readers use to follow a class reading from the print book.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from lxml import etree

BLOCK_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li dt dd blockquote figure pre".split())
EPUB_NS = "http://www.idpf.org/2007/ops"


def roman(number: int) -> str:
    """Upper-case roman numerals, for volume numbers and (lowered) front-matter folios."""
    values = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
              (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for value, letters in values:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def number_blocks(part: etree._Element) -> list[str]:
    """Give every block in a part an id from the part's id; return the ids in reading order."""
    prefix = part.get("id")
    ids = []
    for count, element in enumerate(
            (e for e in part.iter() if _local(e.tag) in BLOCK_TAGS), start=1):
        if element.get("id") is None:
            element.set("id", f"{prefix}_{count}")
        ids.append(element.get("id"))
    return ids


@dataclass(frozen=True)
class PageMap:
    """The print edition's pages: each page's label, and the first block that starts on it."""

    labels: tuple[str, ...]
    first_blocks: tuple[str | None, ...]
    anchors: Mapping[str, int] = field(default_factory=dict)

    def markers(self) -> dict[str, list[str]]:
        """Block id -> page labels to mark at its start. A page on which no block starts
        (a blank page, or one long paragraph) is marked with the next page that has one."""
        placed: dict[str, list[str]] = {}
        waiting: list[str] = []
        last = None
        for label, block in zip(self.labels, self.first_blocks, strict=True):
            waiting.append(label)
            if block is not None:
                placed.setdefault(block, []).extend(waiting)
                waiting, last = [], block
        if waiting and last is not None:
            placed.setdefault(last, []).extend(waiting)
        return placed


def page_labels(count: int, body_start: int) -> tuple[str, ...]:
    """Roman folios before the body, arabic from 1 where it starts (as the print CSS does)."""
    return tuple(roman(i + 1).lower() if i < body_start else str(i - body_start + 1)
                 for i in range(count))


def build_page_map(page_anchors: Iterable[Iterable[str]], blocks: list[str],
                   body_first: str | None) -> PageMap:
    """From the anchors WeasyPrint found on each page, in page order."""
    order = {block: index for index, block in enumerate(blocks)}
    starts: dict[str, int] = {}
    per_page: list[list[str]] = []
    for page, anchors in enumerate(page_anchors):
        names = list(anchors)
        per_page.append(names)
        for name in names:
            starts.setdefault(name, page)
    # Each page's first block in reading order, after the last page's: the print layout may
    # set a block elsewhere than the EPUB (a jukebox beside the verdict, anthology.print.keeps),
    # and the page list must run in the EPUB's order.
    first_blocks: list[str | None] = []
    previous = -1
    for page, names in enumerate(per_page):
        starting = [order[n] for n in names
                    if n in order and starts[n] == page and order[n] > previous]
        if starting:
            previous = min(starting)
            first_blocks.append(blocks[previous])
        else:
            first_blocks.append(None)
    body_start = starts.get(body_first, len(per_page)) if body_first else len(per_page)
    return PageMap(page_labels(len(per_page), body_start), tuple(first_blocks), starts)


def _marker_host(element: etree._Element) -> etree._Element:
    """Where a block's page marker may stand. In a navigation list of the EPUB's navigation
    document (a `nav` with an `epub:type`) an item holds only its link (or label) and a
    sub-list, so the marker goes inside the link, which is phrasing content."""
    if _local(element.tag) != "li" or not any(
            _local(a.tag) == "nav" and a.get(f"{{{EPUB_NS}}}type")
            for a in element.iterancestors()):
        return element
    return next((child for child in element if _local(child.tag) in {"a", "span"}), element)


def insert_markers(part: etree._Element, markers: Mapping[str, list[str]]) -> list[str]:
    """Put `doc-pagebreak` markers at the start of the marked blocks; return their labels."""
    placed = []
    for block in list(part.iter()):
        labels = markers.get(block.get("id", "")) if isinstance(block.tag, str) else None
        if not labels:
            continue
        element = _marker_host(block)
        namespace = element.tag[: element.tag.index("}") + 1] if "}" in element.tag else ""
        for label in reversed(labels):
            marker = etree.Element(f"{namespace}span", {
                f"{{{EPUB_NS}}}type": "pagebreak", "role": "doc-pagebreak",
                "id": f"page-{label}", "aria-label": label})
            marker.tail = element.text
            element.text = None
            element.insert(0, marker)
        placed.extend(labels)
    return placed


# --- The series' page map ------------------------------------------------------------------
# Print looks every page up by a key: an anchor of this book ("ch-nosferatu"), "span:" and a
# chapter's id for its first to last page ("14–19"), and either in another volume prefixed
# with that volume's slug and "#" ("silent-shadows#ch-nosferatu").

def span_key(key: str) -> str:
    volume, hash_, anchor = key.rpartition("#")
    return f"{volume}{hash_}span:{anchor}"


def external(volume: str, pages: Mapping[str, str]) -> dict[str, str]:
    """A book's own page keys as another book looks them up."""
    return {f"{volume}#{key}": label for key, label in pages.items()}


class OtherVolumes(Mapping[str, str]):
    """Every other volume's page keys as `slug`'s text looks them up ("vol-2#ch-x"), read
    from the series' pages as they are asked for: a volume of an archive looks up a few
    hundred of some hundred thousand, so they are never copied into one dictionary."""

    def __init__(self, slug: str, pages: Mapping[str, Mapping[str, str]]) -> None:
        self.slug, self.pages = slug, pages

    def __getitem__(self, key: str) -> str:
        volume, hash_, own = key.partition("#")
        if not hash_ or volume == self.slug or volume not in self.pages:
            raise KeyError(key)
        return self.pages[volume][own]

    def __iter__(self) -> Iterator[str]:
        for volume, own in self.pages.items():
            if volume != self.slug:
                yield from (f"{volume}#{key}" for key in own)

    def __len__(self) -> int:
        return sum(len(own) for volume, own in self.pages.items() if volume != self.slug)


@dataclass(frozen=True)
class SeriesPages:
    """Every volume's print pages, by page key, as one layout of the series settled them:
    what each book's references and indexes print. `inputs` is the digest of everything the
    layout came from, so a later build can tell whether it still holds."""

    profile: str
    books: Mapping[str, Mapping[str, str]]
    inputs: str = ""

    def for_book(self, slug: str) -> dict[str, str]:
        """What `slug`'s text may look up: its own pages, and every other volume's."""
        pages = dict(self.books.get(slug, {}))
        for other, own in self.books.items():
            if other != slug:
                pages.update(external(other, own))
        return pages

    def page(self, slug: str, key: str) -> str | None:
        return self.for_book(slug).get(key)
