"""The writing policy: every folder anthology writes into stays inside its root, through no
symbolic link that leads out of it (issue 20, finding 6), and names are names."""

from __future__ import annotations

from pathlib import Path

import pytest

from anthology.workspace.writes import (
    WriteRefused,
    escape,
    inside,
    plain_name,
    workspace_problems,
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "ws").mkdir()
    (tmp_path / "outside").mkdir()
    return tmp_path / "ws"


def test_folders_that_stay_inside_pass(root: Path) -> None:
    (root / "build").mkdir()
    (root / "elsewhere").mkdir()
    (root / "build" / ".cache").symlink_to("../elsewhere")  # a link, but it stays inside
    for path in (root / "build", root / "build" / ".cache" / "pieces", root / "new" / "deep"):
        assert escape(path, root) is None
        assert inside(path, root) == path


@pytest.mark.parametrize(("links", "refused"), [
    ({"build": "../outside"}, "build"),
    ({"build/.cache": "../../outside"}, "build/.cache"),
    ({"build": "/"}, "build"),
    ({"build": "missing-so-dangling/../../outside"}, "build"),
    ({"build": "build"}, "build"),  # a loop
])
def test_the_link_that_leads_out_is_named(root: Path, links: dict[str, str],
                                          refused: str) -> None:
    for name, target in links.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(target)
    assert escape(root / "build" / ".cache" / "pieces", root) == root / refused
    with pytest.raises(WriteRefused, match=f"^{refused} is a symbolic link to a folder "
                                           "outside the workspace"):
        inside(root / "build" / ".cache" / "pieces", root)
    assert [str(p.path.relative_to(root)) for p in workspace_problems(root)] == [refused]


def test_dot_dot_out_of_the_root_is_refused(root: Path) -> None:
    with pytest.raises(WriteRefused, match=r"^\.\./outside is in a folder outside"):
        inside(root / ".." / "outside", root)


def test_a_workspace_with_plain_folders_has_no_problems(root: Path) -> None:
    assert workspace_problems(root) == []
    (root / "build" / "preview").mkdir(parents=True)
    assert workspace_problems(root) == []


@pytest.mark.parametrize(("name", "plain"), [
    ("alien.md", True), ("the-thing-1982.md", True), ("ça-tourne.md", True),
    ("../alien.md", False), ("/etc/alien.md", False), ("sub/alien.md", False),
    ("a\\b.md", False), ("a\x00.md", False), ("a\nb.md", False), ("a\x7f.md", False),
    (".md", False), (".alien.md", False), ("alien.txt", False), ("", False), ("..", False),
    (" alien.md", False), ("a" * 253 + ".md", False), (42, False), (None, False),
])
def test_plain_names(name: object, plain: bool) -> None:
    assert plain_name(name, ".md") is plain
