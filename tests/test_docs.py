"""Every example in docs/ is copied out of the Markdown and built (issue 19): a documented
volume.toml, review, front matter, essay, people.toml, anthology.toml or template that fails
when an author copies it is a bug in the docs.

Each fenced block of source (TOML, YAML, Markdown, Jinja) is preceded by a comment naming what
it is, `<!-- example: volume.toml -->`, or `<!-- example: none -->` for one that is not meant to
be copied whole. A block without one fails the test, so a new example cannot be left untried.
"""

from __future__ import annotations

import io
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

from anthology.cli import app

DOCS = Path(__file__).resolve().parent.parent / "docs"
SOURCE_LANGUAGES = {"toml", "yaml", "markdown", "jinja", "css"}
KINDS = {"volume.toml", "review", "front-matter", "essay", "people.toml", "anthology.toml",
         "template", "stylesheet", "none"}
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_LABEL = re.compile(r"<!--\s*example:\s*(\S+)\s*-->\s*\n(?:[^\n]*\n)?$")
VOLUME = 'title = "Docs"\nauthor = "Ada Quill"\nlanguage = "en"\ndate = 2026-03-01\n'
REVIEW = "---\ntitle: {title}\nyear: 1950\nappraisal: {n}\n{extra}---\n\n{body}\n"


@dataclass(frozen=True)
class Example:
    doc: str
    line: int
    language: str
    kind: str | None
    text: str

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"


def examples() -> list[Example]:
    found = []
    for doc in sorted(DOCS.glob("*.md")):
        text = doc.read_text("utf-8")
        for match in _FENCE.finditer(text):
            language = match[1].lower()
            if language not in SOURCE_LANGUAGES:
                continue
            before = text[:match.start()]
            label = _LABEL.search(before[-300:])
            found.append(Example(doc.name, before.count("\n") + 1, language,
                                 label[1] if label else None, match[2]))
    return found


ALL = examples()
BUILT = [e for e in ALL if e.kind not in (None, "none")]


def test_every_source_example_in_the_docs_says_what_it_is() -> None:
    assert len(BUILT) >= 8
    unlabelled = [e.id for e in ALL if e.kind is None]
    assert unlabelled == [], "label each with <!-- example: KIND -->, KIND one of " \
        f"{sorted(KINDS)}"
    assert {e.kind for e in ALL} <= KINDS


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 900), (90, 90, 110)).save(out, "PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 2400), (90, 90, 110)).save(out, "JPEG")
    return out.getvalue()


def workspace_for(example: Example, root: Path) -> Path:
    """A small workspace with the example in its place, and every file it names."""
    v1 = root / "volumes" / "v1"
    v1.mkdir(parents=True)
    volume, extra, body, slug = VOLUME, "", "An essay about a film.", "alpha"
    if example.kind == "volume.toml":
        volume = example.text
        data = tomllib.loads(volume)
        for key in ("dedication", "foreword", "afterword", "back_cover"):
            if key in data:
                (v1 / data[key]).write_text(f"The {key.replace('_', ' ')}, for the docs.\n")
        if "cover" in data:
            (v1 / data["cover"]).write_bytes(_jpeg() if data["cover"].endswith("jpg")
                                             else _png())
        for n, name in enumerate(data.get("contents", {}).get("reviews", []), start=10):
            (v1 / f"{name}.md").write_text(REVIEW.format(title=name.title(), n=n, extra="",
                                                         body="A review the list names."))
    elif example.kind == "review":
        slug = "example"
        (v1 / "example.md").write_text(example.text)
        for image in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", example.text):
            (v1 / image).write_bytes(_png())
    elif example.kind == "front-matter":
        assert isinstance(yaml.safe_load(example.text), dict)
        extra = example.text
    elif example.kind == "essay":
        body = example.text
    elif example.kind in ("people.toml", "anthology.toml"):
        (root / example.kind).write_text(example.text)
    elif example.kind == "template":
        extends = re.search(r'extends\s+"default/([\w.-]+)"', example.text)
        name = extends[1] if extends else "chapter.xhtml"
        (root / "styles" / "templates").mkdir(parents=True)
        (root / "styles" / "templates" / name).write_text(example.text)
    elif example.kind == "stylesheet":
        (root / "styles" / "css").mkdir(parents=True)
        (root / "styles" / "css" / "local.css").write_text(example.text)
    (v1 / "volume.toml").write_text(volume)
    if slug != "example":
        (v1 / f"{slug}.md").write_text(REVIEW.format(title="Alpha", n=1, extra=extra, body=body))
    return root


@pytest.mark.parametrize("example", BUILT, ids=[e.id for e in BUILT])
def test_the_example_builds(example: Example, tmp_path: Path) -> None:
    root = workspace_for(example, tmp_path / "ws")
    runner = CliRunner()
    check = runner.invoke(app, ["check", "--root", str(root)])
    assert check.exit_code == 0, check.output
    assert ": error:" not in check.output, check.output
    build = runner.invoke(app, ["build", "--only", "epub", "-j", "1", "--root", str(root)])
    assert build.exit_code == 0, build.output
    assert (root / "build" / "v1.epub").is_file()
