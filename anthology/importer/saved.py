"""Read a review page saved from a browser as HTML ("HTML only", or "complete" with the images in
a `<name>_files/` folder beside it): the post's content as Markdown text, and its saved images.

readability-lxml (a maintained port of Mozilla's Readability) finds the post's content among the
theme's header, menus, sidebars and comments; it works on the text given and fetches nothing.
The title is the post's heading. The Markdown then goes through the same recognition as an
exported post. Images are taken only from files the browser saved beside the page: an image
address on the web is reported, never fetched, and a path that leaves the page's folder is
refused.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag
from lxml import etree
from readability import Document

from anthology.importer.convert import MAX_DEPTH, ConvertError, depth, soup_to_markdown
from anthology.importer.pages import MB, PageError, check_size, decode, read_bytes
from anthology.output import atomic_target
from anthology.workspace.writes import inside

IMAGES_DIR = "images"
HTML_LIMIT = 20 * MB
IMAGE_LIMIT = 20 * MB
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
_TITLE_CLASSES = re.compile(r"\b(?:entry|post|page)-title\b")
_CAPTION_CLASSES = re.compile(r"\bwp-caption-text\b|\bcaption\b")


@dataclass(frozen=True)
class SavedImage:
    """An image the browser saved beside the page, and its caption (the alt text to use)."""

    path: Path
    caption: str


@dataclass(frozen=True)
class SavedPage:
    path: Path
    text: str  # the title line, then the post's content as Markdown
    images: tuple[SavedImage, ...] = ()
    warnings: tuple[str, ...] = ()


def _title(soup: BeautifulSoup, document: Document) -> str:
    """The post's own heading (`<h1 class="entry-title">`), else the first <h1>, else the
    page title without the site name."""
    heading = soup.find(["h1", "h2"], class_=_TITLE_CLASSES) or soup.find("h1")
    if isinstance(heading, Tag) and heading.get_text(strip=True):
        return " ".join(heading.get_text(" ", strip=True).split())
    return " ".join(document.short_title().split())


def _caption(image: Tag) -> str:
    """A figure's caption, a WordPress `[caption]`'s text, else the alt or title text."""
    for parent in image.parents:
        if parent.name in ("figure", "div") and (
                found := parent.find(["figcaption", "p"], class_=_CAPTION_CLASSES)
                or parent.find("figcaption")):
            return " ".join(found.get_text(" ", strip=True).split())
        if parent.name in ("p", "body", "article"):
            break
    return " ".join(str(image.get("alt") or image.get("title") or "").split())


def _local_image(page: Path, src: str) -> tuple[Path | None, str | None]:
    """The saved file an image address names, or why it is not used."""
    parts = urlsplit(src)
    if parts.scheme in ("http", "https", "data") or src.startswith("//"):
        return None, "is on the web and is not fetched" if parts.scheme != "data" else (
            "is embedded in the page; save it as a file to import it")
    if parts.scheme not in ("", "file") or not parts.path:
        return None, "is not a saved file"
    folder = page.parent.resolve()
    candidate = (folder / unquote(parts.path)).resolve() if parts.scheme == "" else None
    if candidate is None or not candidate.is_relative_to(folder):
        return None, "is outside the page's folder; refused"
    if candidate.suffix.lower() not in IMAGE_SUFFIXES:
        return None, "is not a JPEG, PNG, GIF or WebP image"
    try:
        check_size(candidate, IMAGE_LIMIT, "images", "resize it first")
    except PageError as exc:
        return None, str(exc)
    if candidate.stat().st_nlink > 1:  # the same file as one elsewhere, wherever that is
        return None, "is a hard link, which may be a file outside the page's folder; refused"
    return candidate, None


def _images(page: Path, soup: BeautifulSoup, content: BeautifulSoup) -> tuple[
        list[SavedImage], list[str]]:
    """The content's images that were saved beside the page; a warning for each other one."""
    captions = {str(img.get("src") or ""): _caption(img) for img in soup.find_all("img")}
    images: list[SavedImage] = []
    warnings: list[str] = []
    seen: set[Path] = set()
    for img in content.find_all("img"):
        src = str(img.get("src") or "")
        path, why = _local_image(page, src)
        if path is None:
            warnings.append(f"image '{src[:120]}' {why}")
        elif path not in seen:
            seen.add(path)
            images.append(SavedImage(path, captions.get(src) or _caption(img)))
    return images, warnings


_FURNITURE = {"header", "nav", "footer", "aside", "form", "script", "style", "noscript"}
_FURNITURE_NAMES = re.compile(r"comment|sidebar|widget|share|related|navigation|menu|footer",
                              re.IGNORECASE)


def _furniture(tag: Tag) -> bool:
    for node in (tag, *tag.parents):
        if node.name in _FURNITURE:
            return True
        names = " ".join([str(node.get("id") or ""), *(node.get("class") or [])])
        if names.strip() and _FURNITURE_NAMES.search(names):
            return True
    return False


def _left_behind(soup: BeautifulSoup, content: BeautifulSoup) -> list[str]:
    """Paragraphs of prose outside the site's furniture that the extractor did not take: said,
    never dropped silently."""
    paragraphs = {" ".join(p.get_text(" ").split()) for p in content.find_all("p")}
    taken = " ".join(content.get_text(" ").split())
    warnings = []
    for paragraph in soup.find_all("p"):
        text = " ".join(paragraph.get_text(" ").split())
        if (len(text.split()) >= 12 and text not in paragraphs and text not in taken
                and not _furniture(paragraph)):
            warnings.append(f"line {paragraph.sourceline}: a paragraph was not taken as the "
                            f"post's content: '{text[:60]}...'; compare the page with the blog")
    return warnings


def read_saved_page(path: Path) -> SavedPage:
    """Read one page saved from a browser; a `PageError` when it cannot be imported."""
    check_size(path, HTML_LIMIT, "saved pages", "is it really one saved review page?")
    data = read_bytes(path, HTML_LIMIT)
    if not data.strip():
        raise PageError("is empty")
    html, warnings = decode(data)
    html = html.replace("\r\n", "\n").replace("\r", "\n")
    if "<" not in html:
        raise PageError("is not HTML; import a page saved as text with 'anthology import text'")
    soup = BeautifulSoup(html, "html.parser")
    # lxml, under readability, quietly drops what nests past 255 levels: refuse such a page.
    if (nesting := depth(soup)) > MAX_DEPTH:
        raise PageError(f"its HTML nests {nesting} elements deep (at most {MAX_DEPTH} can be "
                        "read); is it a saved review page?")
    try:
        document = Document(html)
        title = _title(soup, document)
        content = BeautifulSoup(document.summary(html_partial=True), "html.parser")
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, RecursionError) as exc:
        raise PageError(f"cannot be read as HTML ({exc})".replace("\n", " ")) from None
    for heading in content.find_all(["h1", "h2"]):
        if " ".join(heading.get_text(" ", strip=True).split()) == title:
            heading.decompose()  # the title is the first line already
    if not title:
        raise PageError("has no title: is it a saved review page?")
    images, image_warnings = _images(path, soup, content)
    image_warnings += _left_behind(soup, content)
    try:
        body = soup_to_markdown(content)
    except ConvertError as exc:
        raise PageError(str(exc)) from None
    return SavedPage(path, f"{title}\n\n{body}", tuple(images),
                     tuple(warnings) + tuple(image_warnings))


def image_name(image: SavedImage, slug: str) -> str:
    """The name an image is copied under: the review's slug, then the saved file's name."""
    stem = re.sub(r"[^a-z0-9]+", "-", image.path.stem.lower()).strip("-") or "image"
    return f"{slug}-{stem}{image.path.suffix.lower()}"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b) or a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def copy_images(images: tuple[SavedImage, ...], slug: str, into: Path,
                dry_run: bool) -> tuple[str, ...]:
    """Copy a page's saved images into `images/` of the volume folder, never over a different
    file; one report line each, with the Markdown that places it (its caption as alt text)."""
    lines = []
    for image in images:
        name = f"{IMAGES_DIR}/{image_name(image, slug)}"
        target = into / name
        alt = image.caption.replace("[", "(").replace("]", ")") or "image"
        place = f"place it with ![{alt}]({name})"
        if target.exists() and not _same_file(image.path, target):
            lines.append(f"{name}: kept: a different file has this name ({image.path.name} "
                         "not copied)")
            continue
        if target.exists():
            lines.append(f"{name}: unchanged; {place}")
            continue
        if not dry_run:
            try:
                inside(target.parent, into, "the volume folder")
                target.parent.mkdir(parents=True, exist_ok=True)
                with atomic_target(target) as temporary:
                    shutil.copyfile(image.path, temporary)
            except OSError as exc:
                lines.append(f"{name}: failed: {exc.strerror or exc}")
                continue
        lines.append(f"{name}: {'would be ' if dry_run else ''}copied from {image.path.name}; "
                     f"{place}")
    return tuple(lines)
