"""Render one theme template in the sandbox, and turn whatever goes wrong into one line.

A theme's template can fail in any way Python can (`1/0`, `{}.pop('x')`, `10.0 ** 400`, a
macro that calls itself, a template that includes itself, memory running out) or break a
limit of the sandbox; each becomes a `ThemeError` naming the template and the line the
traceback's template frames give, never a traceback. The document it renders is then read
back for anything the book cannot carry (`anthology/render/carried.py`), blamed on the
template that wrote it.
"""

from __future__ import annotations

import html
import traceback
from collections import Counter
from pathlib import Path

import jinja2

from anthology.render import budget
from anthology.render.carried import Uncarried, uncarried
from anthology.workspace.theme import PACKAGE_THEME, ThemeError

PACKAGE_TEMPLATES = PACKAGE_THEME / "templates"
DEFAULT_PREFIX = "default"  # how a workspace template names the package's: "default/chapter.xhtml"


def shown_template(filename: str | None) -> Path | None:
    """A template's file as the author knows it: a workspace file by its path (shown from
    the workspace), the package's by the name a template extends it by."""
    if not filename:
        return None
    path = Path(filename)
    if path.is_relative_to(PACKAGE_TEMPLATES):
        return Path(DEFAULT_PREFIX) / path.relative_to(PACKAGE_TEMPLATES)
    return path


def _template_place(error: BaseException,
                    used: list[tuple[str, str | None]]) -> tuple[Path | None, int]:
    """The template file and line an error rose from: Jinja puts template frames, with the
    template's own file name and line, into the traceback; the innermost one wins."""
    files = {filename for _, filename in used if filename}
    frames = [(frame.filename, frame.lineno or 0) for frame in
              traceback.extract_tb(error.__traceback__) if frame.filename in files]
    if frames and isinstance(error, RecursionError):  # the line that recurses, many times over
        filename, line = Counter(frames).most_common(1)[0][0]
        return shown_template(filename), line
    if frames:
        return shown_template(frames[-1][0]), frames[-1][1]
    first = next((filename for _, filename in used if filename), None)
    return shown_template(first), 0


def _message(error: BaseException) -> str:
    if isinstance(error, jinja2.TemplateNotFound):
        return f"'{error.name}' is not a template of the theme"
    if isinstance(error, RecursionError):
        return ("it recurses without end: a template that includes or extends itself, or a "
                "macro that calls itself")
    if isinstance(error, MemoryError):
        return "it needs more memory than there is"
    message = getattr(error, "message", None) or str(error)
    if isinstance(error, jinja2.TemplateError | budget.SandboxLimit):
        return message
    if isinstance(error, OverflowError):
        return "a number too large to compute (OverflowError)"
    return f"{message} ({type(error).__name__})" if message else type(error).__name__


def _blame(env: jinja2.Environment, item: Uncarried,
           used: list[tuple[str, str | None]]) -> tuple[Path | None, int]:
    """The template that wrote `item`, and its line: the workspace's templates first (the
    package's are trusted), by the text they hold; failing that, the first one used."""
    ordered = sorted(used, key=lambda pair: bool(pair[1]) and Path(pair[1]).is_relative_to(
        PACKAGE_TEMPLATES))
    needle = item.needle.lower()
    for name, filename in ordered:
        try:
            source = env.loader.get_source(env, name)[0] if env.loader else ""
        except (jinja2.TemplateNotFound, ThemeError, OSError):
            continue
        for number, line in enumerate(source.split("\n"), 1):
            if needle in line.lower() or needle in html.unescape(line).lower():
                return shown_template(filename), number
    return shown_template(ordered[0][1]) if ordered else None, 0


def render_template(env: jinja2.Environment, name: str, **context: object) -> str:
    """`name` rendered with `context` in the theme's sandbox, within one budget."""
    with budget.budget() as spent:
        try:
            text = env.get_template(name).render(**context)
        except ThemeError:
            raise
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(f"template error: {exc.message}", shown_template(exc.filename),
                             exc.lineno) from None
        except Exception as exc:  # a theme is code: whatever it raises is its error
            path, line = _template_place(exc, spent.used)
            raise ThemeError(f"template error: {_message(exc)}", path, line) from None
        found = uncarried(text)
        if found:
            item = found[0]
            path, line = _blame(env, item, spent.used)
            raise ThemeError(f"template error: it puts '{item.value[:80]}' in {item.where}, "
                             f"{item.reason}", path, line)
    return text
