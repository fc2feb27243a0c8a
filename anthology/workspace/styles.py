"""Check a workspace's `styles/` when it is loaded, so `check` finds what would break `build`.

Every file there must pass the reading policy (`files`); stylesheets must be UTF-8 CSS whose
`url()`s and `@import`s name files of the theme, never the network or the rest of the disk
(the EPUB copies stylesheets whole, so even a rule no element uses would carry a remote URL
into the book); templates must compile.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
import jinja2.meta
import tinycss2
import weasyprint

from anthology.workspace import css, files
from anthology.workspace.problems import Problems
from anthology.workspace.theme import FILTER_NAMES, PACKAGE_THEME, STYLES_DIR, Theme, ThemeError


def _unused(*args: object, **kwargs: object) -> str:
    """Stands in for a render filter: checking compiles templates, it renders none."""
    return ""


def _files(folder: Path) -> Iterator[Path]:
    """Every file below `folder`, and every link to a folder that leads out of it (which
    the policy then refuses); links inside are not followed twice."""
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        linked = [d for d in dirs if (Path(top) / d).is_symlink()
                  and not (Path(top) / d).resolve().is_relative_to(folder.resolve())]
        for name in sorted(names + linked):
            yield Path(top) / name


def check_stylesheet(path: Path, text: str, roots: tuple[Path, ...],
                     problems: Problems) -> None:
    rules = css.parse(text)
    if (line := css.too_deep(rules)) is not None:
        problems.error(path, line, f"blocks, brackets or functions nested more than "
                                   f"{css.NESTING} deep; that is the limit")
        return
    for rule in rules:
        found = [rule] if rule.type == "error" else [
            item for item in tinycss2.parse_blocks_contents(rule.content or [])
            if item.type == "error"] if rule.type == "qualified-rule" else []
        for error in found:
            problems.warning(path, error.source_line, f"not valid CSS ({error.message}): "
                                                      "readers and the PDF skip it")
    limited = list(css.Limits(rules).problems())
    for line, message in limited:
        problems.error(path, line, message)
    addresses = list(css.references(rules))
    if not addresses and not limited:
        for line, message in _weasyprint_warnings(text):
            problems.warning(path, line, f"{message}: the PDF skips it")
    theme = next((r for r in roots if path.is_relative_to(r)), path.parent)
    for reference in addresses:
        message = _address_problem(path, theme, reference, roots)
        if message:
            problems.error(path, reference.line, f"url '{reference.url[:80]}' {message}")


def _address_problem(path: Path, theme: Path, reference: css.Reference,
                     roots: tuple[Path, ...]) -> str | None:
    """Why an address in a stylesheet cannot be followed or carried into an EPUB: it must
    name a file of the sheet's own theme folder (which the EPUB copies as it is laid out
    there) of a kind every reader supports."""
    url = reference.url
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[": nothing a reader could open either
        return "is not an address"
    if parts.scheme or parts.netloc or url.startswith("/"):
        return "reaches outside the theme: a stylesheet may only use the theme's own files"
    where = posixpath.normpath(posixpath.join(path.parent.relative_to(theme).as_posix(),
                                              unquote(parts.path)))
    if where.startswith("../") or where == "..":
        return "is outside the theme (through '..' or a symbolic link)"
    kind = css.media_type(parts.path)
    wanted = "a stylesheet (.css)" if reference.kind == "import" else (
        "a PNG, JPEG, GIF or WebP image or an OTF, TTF or WOFF font")
    if kind is None or (kind == "text/css") != (reference.kind == "import"):
        return f"is not a file a book can carry here: it must be {wanted}"
    target = path.parent / unquote(parts.path)
    try:
        files.check_path(target, roots, "the theme")
        head = files.read_bytes(target, roots, 16, head=True)
    except files.Refused as exc:
        return str(exc)
    if not css.sniff(head, kind):
        return f"is not what its name says: it must be {wanted}"
    return None


_AT = re.compile(r" at (\d+):\d+")


def _weasyprint_warnings(text: str) -> list[tuple[int, str]]:
    """What WeasyPrint's CSS parser ignores (unknown properties, invalid values), as it
    would say while laying out the book. Only for sheets with no url(): nothing is fetched."""
    caught: list[logging.LogRecord] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            caught.append(record)

    logger = logging.getLogger("weasyprint")
    handler = Catch(logging.WARNING)
    logger.addHandler(handler)
    try:
        weasyprint.CSS(string=text)
    except Exception:  # a sheet WeasyPrint cannot read at all
        return [(1, "the PDF cannot read this stylesheet")]
    finally:
        logger.removeHandler(handler)
    found = []
    for record in caught:
        message = record.getMessage()
        where = _AT.search(message)
        found.append((int(where[1]) if where else 0, _AT.sub("", message).rstrip(".")))
    return found


def check_styles(root: Path, problems: Problems) -> None:
    """Report every fault in `styles/`; the default theme is trusted."""
    styles = root / STYLES_DIR
    if not styles.is_dir():
        return
    if not styles.resolve().is_relative_to(root.resolve()):
        problems.error(styles, 0, "not read: styles/ is a link to a folder outside the "
                                  "workspace")
        return
    roots = (styles, PACKAGE_THEME)
    env = Theme.for_workspace(root).environment()
    env.filters.update({name: _unused for name in FILTER_NAMES})
    for path in _files(styles):
        try:
            data = files.read_bytes(path, (styles,), files.THEME_BYTES
                                    if path.suffix != ".otf" else files.FONT_BYTES)
        except files.Refused as exc:
            problems.error(path, 0, f"not read: the theme file {exc}")
            continue
        if path.suffix.lower() not in (".css", ".xhtml", ".html"):
            continue
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            problems.error(path, line, "not UTF-8 text: a stylesheet or template is text")
            continue
        bad = files.forbidden_characters(text)
        if bad:
            problems.error(path, bad[0][0], f"{files.describe(bad[0][2])} in a text file: "
                                            "delete it")
            continue
        if path.suffix.lower() == ".css":
            check_stylesheet(path, text, roots, problems)
        elif path.parent.name == "templates":
            _check_template(env, path, styles, problems)


def _check_template(env: jinja2.Environment, path: Path, styles: Path,
                    problems: Problems) -> None:
    name = path.relative_to(styles / "templates").as_posix()
    try:
        env.get_template(name)  # compiles it: a syntax error is found here
        source = path.read_text(encoding="utf-8")
        for used in jinja2.meta.find_referenced_templates(env.parse(source)):
            if used is None:  # a name computed at render time: it is checked then
                continue
            try:
                env.get_template(used)
            except jinja2.TemplateNotFound:
                line = next((n for n, text in enumerate(source.split("\n"), 1)
                             if used in text), 0)
                problems.error(path, line, f"template error: it uses '{used}', which is not "
                                           "a template of the theme")
    except jinja2.TemplateSyntaxError as exc:
        problems.error(path, exc.lineno or 0, f"template error: {exc.message}")
    except jinja2.TemplateNotFound as exc:
        problems.error(path, 0, f"template error: it uses '{exc.name}', which the theme lacks")
    except ThemeError as exc:
        problems.error(path, 0, str(exc))
