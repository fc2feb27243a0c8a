"""Hostile inputs made of special files: FIFOs, devices, folders where files belong, and
symlinks, inside and out of the workspace."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.hostile_kit import (
    SECRET,
    V1,
    fifo,
    generator,
    link,
    png,
    review,
    secret_review,
    write,
)

# ---- special files: FIFOs, devices, directories -------------------------------------------

@generator
def fifo_review(root: Path, outside: Path) -> None:
    fifo(root, V1 / "gamma.md")


@generator
def fifo_volume_toml(root: Path, outside: Path) -> None:
    fifo(root, V1 / "volume.toml")


@generator
def fifo_foreword(root: Path, outside: Path) -> None:
    fifo(root, V1 / "foreword.md")


@generator
def fifo_stylesheet(root: Path, outside: Path) -> None:
    fifo(root, "styles/css/local.css")


@generator
def fifo_template(root: Path, outside: Path) -> None:
    fifo(root, "styles/templates/chapter.xhtml")


@generator
def fifo_image(root: Path, outside: Path) -> None:
    fifo(root, V1 / "still.png")


@generator
def fifo_cover(root: Path, outside: Path) -> None:
    fifo(root, V1 / "cover.png")


@generator
def dev_zero_review(root: Path, outside: Path) -> None:
    link(root, V1 / "gamma.md", "/dev/zero")


@generator
def dev_zero_image(root: Path, outside: Path) -> None:
    link(root, V1 / "still.png", "/dev/zero")


@generator
def directory_review(root: Path, outside: Path) -> None:
    (root / V1 / "gamma.md").mkdir()


@generator
def directory_volume_toml(root: Path, outside: Path) -> None:
    (root / V1 / "volume.toml").unlink()
    (root / V1 / "volume.toml").mkdir()


@generator
def directory_image(root: Path, outside: Path) -> None:
    (root / V1 / "still.png").unlink()
    (root / V1 / "still.png").mkdir()


# ---- symlinks ------------------------------------------------------------------------------

@generator
def symlink_review_outside(root: Path, outside: Path) -> None:
    write(outside, "smuggled.md", secret_review())
    link(root, V1 / "gamma.md", outside / "smuggled.md")


@generator
def symlink_review_relative_outside(root: Path, outside: Path) -> None:
    write(outside, "smuggled.md", secret_review())
    link(root, V1 / "gamma.md", Path("../../../outside/smuggled.md"))


@generator
def symlink_review_inside(root: Path, outside: Path) -> None:
    write(root, "drafts/gamma.txt", review())
    link(root, V1 / "gamma.md", Path("../../drafts/gamma.txt"))


@generator
def symlink_review_dangling(root: Path, outside: Path) -> None:
    link(root, V1 / "gamma.md", outside / "gone.md")


@generator
def symlink_review_loop(root: Path, outside: Path) -> None:
    link(root, V1 / "gamma.md", "delta.md")
    link(root, V1 / "delta.md", "gamma.md")


@generator
def symlink_stylesheet_outside(root: Path, outside: Path) -> None:
    write(outside, "secret.css", f"/* {SECRET} */\np {{ color: black; }}\n")
    link(root, "styles/css/local.css", outside / "secret.css")


@generator
def symlink_default_stylesheet_outside(root: Path, outside: Path) -> None:
    write(outside, "secret.css", f"/* {SECRET} */\np {{ color: black; }}\n")
    link(root, "styles/css/epub.css", outside / "secret.css")


@generator
def symlink_template_outside(root: Path, outside: Path) -> None:
    write(outside, "chapter.xhtml", f'{{% extends "default/chapter.xhtml" %}}\n'
                                    f"{{% block signature %}}{SECRET}{{% endblock %}}\n")
    link(root, "styles/templates/chapter.xhtml", outside / "chapter.xhtml")


@generator
def symlink_styles_dir_outside(root: Path, outside: Path) -> None:
    write(outside, "styles/css/local.css", f"/* {SECRET} */\np {{ color: black; }}\n")
    link(root, "styles", outside / "styles")


@generator
def symlink_image_outside(root: Path, outside: Path) -> None:
    write(outside, "outside.png", png())
    link(root, V1 / "still.png", outside / "outside.png")


@generator
def symlink_image_inside(root: Path, outside: Path) -> None:
    write(root, "art/still.png", png())
    link(root, V1 / "still.png", Path("../../art/still.png"))


@generator
def symlink_image_etc_passwd(root: Path, outside: Path) -> None:
    link(root, V1 / "still.png", "/etc/passwd")


@generator
def symlink_foreword_outside(root: Path, outside: Path) -> None:
    write(outside, "foreword.md", f"A foreword from elsewhere: {SECRET}.\n")
    link(root, V1 / "foreword.md", outside / "foreword.md")


@generator
def symlink_cover_outside(root: Path, outside: Path) -> None:
    write(outside, "cover.png", png(160, 256))
    link(root, V1 / "cover.png", outside / "cover.png")


@generator
def symlink_volume_toml_outside(root: Path, outside: Path) -> None:
    write(outside, "volume.toml", f'title = "{SECRET}"\nauthor = "A"\ndate = 2026-03-01\n')
    link(root, V1 / "volume.toml", outside / "volume.toml")


@generator
def symlink_volume_dir_outside(root: Path, outside: Path) -> None:
    write(outside, "v2/volume.toml", 'title = "Elsewhere"\nauthor = "A"\ndate = 2026-03-01\n')
    write(outside, "v2/smuggled.md", secret_review())
    link(root, "volumes/v2", outside / "v2")


@generator
def symlink_volumes_dir_outside(root: Path, outside: Path) -> None:
    shutil.move(root / "volumes", outside / "vols")
    write(outside, "vols/v1/smuggled.md", secret_review())
    link(root, "volumes", outside / "vols")
