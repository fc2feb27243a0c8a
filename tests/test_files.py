"""The reading policy: only regular files inside the workspace, never blocking, never huge."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from anthology.workspace import files


def test_a_regular_file_inside_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("text")
    assert files.read_bytes(tmp_path / "a.md", [tmp_path], 100) == b"text"


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: None, "does not exist"),
    (lambda d: (d / "x").mkdir(), "is a folder"),
    (lambda d: os.mkfifo(d / "x"), "not a regular file"),
    (lambda d: (d / "x").symlink_to("/etc/hostname"), "outside the workspace"),
    (lambda d: (d / "x").symlink_to("../outside.txt"), "outside the workspace"),
    (lambda d: (d / "x").symlink_to("x"), "symbolic link that leads back to itself"),
    (lambda d: (d / "x").write_bytes(b"a" * 101), "limit"),
])
def test_what_is_refused(tmp_path: Path, make, message: str) -> None:
    inside = tmp_path / "ws"
    inside.mkdir()
    (tmp_path / "outside.txt").write_text("secret")
    make(inside)
    with pytest.raises(files.Refused, match=message):
        files.read_bytes(inside / "x", [inside], 100)


def test_a_link_that_stays_inside_is_fine(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_text("text")
    (tmp_path / "alias.md").symlink_to("real.md")
    assert files.read_bytes(tmp_path / "alias.md", [tmp_path], 100) == b"text"


def test_a_hard_link_is_refused_for_it_may_be_a_file_outside(tmp_path: Path) -> None:
    inside = tmp_path / "ws"
    inside.mkdir()
    (tmp_path / "secret.css").write_text("secret")
    os.link(tmp_path / "secret.css", inside / "local.css")
    for read in (lambda: files.check_path(inside / "local.css", [inside]),
                 lambda: files.read_bytes(inside / "local.css", [inside], 100)):
        with pytest.raises(files.Refused, match=r"is a hard link \(2 names for one file\)"):
            read()
    (tmp_path / "secret.css").unlink()  # one name again: an ordinary file
    assert files.read_bytes(inside / "local.css", [inside], 100) == b"secret"


def test_the_installed_packages_own_files_may_be_hard_links(tmp_path: Path,
                                                            monkeypatch) -> None:
    """Some installers link a package's files from their cache: the theme is still read."""
    (tmp_path / "theme.css").write_text("p {}")
    os.link(tmp_path / "theme.css", tmp_path / "copy.css")
    monkeypatch.setattr(files, "PACKAGE", tmp_path)
    assert files.read_bytes(tmp_path / "theme.css", [tmp_path], 100) == b"p {}"


def test_a_nul_in_a_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(files.Refused, match="NUL character in its name"):
        files.check_path(tmp_path / "a\x00b.png", [tmp_path])


def test_forbidden_characters_are_found_with_their_place() -> None:
    assert files.forbidden_characters("ok\tfine\nab\x07c\ufffe") == [(2, 3, "\x07"),
                                                                      (2, 5, "\ufffe")]
    assert files.describe("\x00") == "U+0000 (NUL)"
    assert files.describe("\ufffe") == "U+FFFE (non-character)"
