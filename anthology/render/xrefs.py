"""References and index locators, set for each edition.

The resolved text carries a reference as `a[data-ref]` (the review's slug) and an index
locator as `a[data-locator]` (a page key: an anchor here, or "volume#anchor"), with
`data-span` when the locator is a whole chapter. This module turns them into what a reader of
each edition can follow:

- print: a reference here is an internal link whose page the stylesheet shows as "(p. 143)";
  one in another volume is its title and "(Vol. II, p. 143)"; a locator is the page
  ("143–48"), or "II: 143" in another volume;
- EPUB: a reference here is a link; one in another volume is its title and "(in *Silent
  Shadows*)", the volume's title linked to its store page when volume.toml gives one; a
  locator here is a link (its text the print page when the book has a page list); in another
  volume it is plain text, never a link that leads nowhere.

Print looks pages up in one mapping of page keys to labels (see anthology.series.pagemap).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lxml import etree

from anthology.series.book import Book, Reference
from anthology.series.pagemap import span_key

PLACEHOLDER = "000"  # a page not yet known: about as wide as the page it will be


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _element(parent: etree._Element, name: str) -> etree._Element:
    namespace = parent.tag.partition("}")[0] + "}" if parent.tag.startswith("{") else ""
    return etree.SubElement(parent, f"{namespace}{name}")


def _append_text(element: etree._Element, text: str) -> None:
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _links(root: etree._Element, attribute: str) -> list[etree._Element]:
    return [e for e in root.iter() if _local(e) == "a" and e.get(attribute) is not None]


def _plain(link: etree._Element, css_class: str) -> None:
    """An `a` that leads nowhere in this edition becomes a span."""
    link.tag = link.tag.replace("}a", "}span") if link.tag.startswith("{") else "span"
    for name in ("href", "data-ref", "data-locator", "data-span", "data-volume", "data-chapter"):
        link.attrib.pop(name, None)
    link.set("class", css_class)


def _after(link: etree._Element, build: Callable[[etree._Element], None]) -> None:
    """Add an element right after `link` (its tail moves after the new element)."""
    namespace = link.tag.partition("}")[0] + "}" if link.tag.startswith("{") else ""
    holder = etree.Element(f"{namespace}holder")
    build(holder)
    tail, link.tail = link.tail, None
    parent, index = link.getparent(), link.getparent().index(link)
    last = None
    if holder.text:
        link.tail = holder.text
    for offset, child in enumerate(holder):
        parent.insert(index + 1 + offset, child)
        last = child
    if last is not None:
        last.tail = (last.tail or "") + (tail or "")
    else:
        link.tail = (link.tail or "") + (tail or "")


def print_references(root: etree._Element, book: Book, pages: Mapping[str, str]) -> set[str]:
    """Set references and locators for print; return the page keys the text asked for."""
    wanted: set[str] = set()
    references = book.references
    for link in _links(root, "data-ref"):
        reference = references.get(link.get("data-ref"))
        if reference is None or reference.chapter_id or not reference.volume:
            link.attrib.pop("data-ref")
            if reference is not None and reference.chapter_id:
                link.set("href", f"#{reference.chapter_id}")
                wanted.add(reference.chapter_id)
            continue
        wanted.add(reference.page_key)
        page = pages.get(reference.page_key, PLACEHOLDER)
        _plain(link, "xref")
        link.set("data-page-key", reference.page_key)
        place = f" ({reference.volume_label}, p.\u00a0{page})"

        def build(holder: etree._Element, place: str = place) -> None:
            span = _element(holder, "span")
            span.set("class", "xref-place")
            span.text = place.lstrip()
            holder.text = " "
        _after(link, build)
    for link in _links(root, "data-locator"):
        key = link.get("data-locator")
        shown = span_key(key) if link.get("data-span") is not None else key
        wanted.add(shown)
        page = pages.get(shown, PLACEHOLDER)
        volume, _, _ = key.rpartition("#")
        label = page if not volume else f"{link.get('data-volume', '')}:\u00a0{page}"
        for child in list(link):
            link.remove(child)
        link.text = label
        if volume:
            _plain(link, "locator")
        else:
            link.set("href", f"#{key}")
            link.attrib.pop("data-locator")
            link.attrib.pop("data-span", None)
            link.set("class", "locator")
    return wanted


def epub_references(root: etree._Element, references: Mapping[str, Reference],
                    labels: Mapping[str, str], href: Callable[[str], str]) -> None:
    """Set references (`references`: by slug) and locators for the EPUB. `labels` gives this
    book's print page labels by anchor, for locators' text (empty without a page list)."""
    for link in _links(root, "data-ref"):
        reference = references.get(link.get("data-ref"))
        if reference is not None and reference.chapter_id:
            link.attrib.pop("data-ref")
            link.set("href", href(reference.chapter_id))
            continue
        _plain(link, "xref")
        if reference is not None and reference.volume:
            _after(link, lambda holder, r=reference: _elsewhere(holder, r))
    for link in _links(root, "data-locator"):
        key = link.get("data-locator")
        volume, _, anchor = key.rpartition("#")
        if volume:  # a page of another volume: named, never a link that leads nowhere
            text = link.get("data-volume", "")
            _plain(link, "locator")
            for child in list(link):
                link.remove(child)
            link.text = f"Vol.\u00a0{text}" if text else (link.text or "")
            continue
        page = labels.get(anchor)
        if page is not None:
            for child in list(link):
                link.remove(child)
            link.text = page
        chapter = link.get("data-chapter") or anchor
        target = chapter if chapter == anchor else f"{chapter}#{anchor}"
        for name in ("data-locator", "data-span", "data-chapter", "data-volume"):
            link.attrib.pop(name, None)
        link.set("href", href(target))
        link.set("class", "locator")


def _elsewhere(holder: etree._Element, reference: Reference) -> None:
    holder.text = " "
    span = _element(holder, "span")
    span.set("class", "elsewhere")
    span.text = "(in "
    if reference.store:
        outer = _element(span, "a")
        outer.set("href", reference.store)
        cite = _element(outer, "cite")
    else:
        cite = _element(span, "cite")
    cite.text = reference.volume_title
    cite.tail = None
    _append_text(span, ")")
