"""Hostile values: what YAML 1.1 would retype, tags, invisible titles, duplicates; and the
sub-folders of a volume, where reviews are looked for (to name them) but never read."""

from __future__ import annotations

from pathlib import Path

from tests.hostile_kit import V1, generator, link, secret_review, write


@generator
def subfolder_linked_outside(root: Path, outside: Path) -> None:
    """A volume sub-folder that is a link to a folder of reviews elsewhere: not looked into
    (nothing of it named, read or built)."""
    write(outside, "reviews/secret.md", secret_review())
    link(root, V1 / "elsewhere", outside / "reviews")


@generator
def subfolder_deep(root: Path, outside: Path) -> None:
    """Reviews far down a volume's sub-folders, and more of them than are named one by one."""
    deep = V1 / "archive" / "/".join(f"d{n}" for n in range(40))
    for n in range(30):
        write(root, Path(deep) / f"old-{n:02}.md", f"---\ntitle: Old {n}\n---\n\nGone.\n")
