"""The review linter behind `anthology check`: findings a schema cannot see, because they need
to know what a review is (the same film twice, one person spelt two ways, a judgement on an
odd scale) or need the whole collection at once.

Each finding is a `Problem` with a code (`duplicate-film`), at the file and line to fix, whose
message ends with the fix. Codes are silenced per review (`lint: {ignore: [code]}` in its
front matter) or for the workspace (`[lint] ignore = [...]` in anthology.toml), and the same
silencing applies to coded problems of other stages (`image-alt` from the Markdown,
`unknown-reference` from the series). Every code is described in docs/lint.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from anthology.series import lint_rules
from anthology.series.findings import CODES, NEVER_SILENCED, Source, finding, read_source
from anthology.workspace.models import Volume
from anthology.workspace.people import load_people
from anthology.workspace.problems import Problem, Problems, did_you_mean
from anthology.workspace.settings import Settings, load_settings
from anthology.workspace.volumes import Workspace, volume_reviews


def _same(a: Path, b: Path) -> bool:
    return os.path.abspath(a) == os.path.abspath(b)


def silence(problems: Iterable[Problem], workspace: Workspace,
            settings: Settings | None = None) -> Problems:
    """The problems without those whose code the workspace or their own review ignores."""
    if settings is None:
        settings = load_settings(workspace.root, Problems())
    by_file = {os.path.abspath(r.path): frozenset(r.meta.lint.ignore)
               for r in workspace.reviews.values()}
    kept = Problems()
    for problem in problems:
        code = problem.code
        if code and code not in NEVER_SILENCED and (
                code in settings.ignored
                or code in by_file.get(os.path.abspath(problem.path), ())):
            continue
        kept.add(problem)
    return kept


def _check_ignores(settings: Settings, sources: Iterable[Source], problems: Problems) -> None:
    """An ignore list naming no code would silence nothing: say so, with the likely code."""
    places = [(settings.path, line, code) for code, line in settings.ignore if settings.path]
    for source in sources:
        places += [(source.path, source.at("lint", "ignore", i), code)
                   for i, code in enumerate(source.review.meta.lint.ignore)]
    for path, line, code in places:
        if code not in CODES:
            problems.add(finding(path, line, "lint-config", f"'{code}' is not a linter code"
                                 f"{did_you_mean(code, CODES)}: correct it or remove it"))


def lint(workspace: Workspace, volumes: Iterable[Volume] | None = None,
         problems: Problems | None = None) -> Problems:
    """Every finding about the reviews of `volumes` (all when None), silenced as the author
    asked; comparisons (films, numbers, names) run across the whole workspace."""
    problems = problems if problems is not None else Problems()
    settings = load_settings(workspace.root, problems)
    people = load_people(workspace.root, problems)
    chosen = list(workspace.volumes if volumes is None else volumes)
    everything = [read_source(r, workspace.root)
                  for r in sorted(workspace.reviews.values(), key=lambda r: str(r.path))]
    in_chosen = {os.path.abspath(r.path) for v in chosen for r in volume_reviews(v, workspace)}
    sources = [s for s in everything if os.path.abspath(s.path) in in_chosen]
    found = Problems()
    _check_ignores(settings, sources, found)
    lint_rules.run(everything, sources, chosen, workspace, people, found)
    relevant = [p for p in found if os.path.abspath(p.path) in in_chosen
                or (settings.path is not None and _same(p.path, settings.path))]
    problems.extend(silence(relevant, workspace, settings))
    return problems
