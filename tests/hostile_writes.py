"""Hostile places to write: symlinked build/ and cache, forged manifests, hard links."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from tests.hostile_kit import SECRET, V1, generator, link, png, write

IMPORT = Path(__file__).parent / "fixtures" / "import"
ALIEN = IMPORT / "alien-appraisal-212.txt"
ALIEN_KEY = "212|alien|1979"  # anthology.importer.write.review_key of that page's review
VICTIM = f"{SECRET}: a file import must never replace\n"


# ---- folders anthology writes into, as links to elsewhere ------------------------------------

@generator
def build_symlink_outside(root: Path, outside: Path) -> None:
    write(outside, "build/keep.txt", "the outside folder's own file\n")
    link(root, "build", outside / "build")


@generator
def cache_symlink_outside(root: Path, outside: Path) -> None:
    """build/.cache leads outside, where a cache waits to be read into the book."""
    (root / "build").mkdir()
    write(outside, "cache/markdown.json", json.dumps({"converter": "x", "entries": {},
                                                      "check": SECRET}))
    write(outside, "cache/pieces/notes.txt", "the outside folder's own file\n")
    link(root, "build/.cache", outside / "cache")


@generator
def init_volumes_symlink_outside(root: Path, outside: Path) -> None:
    (outside / "volumes").mkdir()
    link(root, "volumes", outside / "volumes")


@generator
def import_images_symlink_outside(root: Path, outside: Path) -> None:
    """A saved page with its image, imported into a volume whose images/ leads outside."""
    shutil.copytree(IMPORT / "saved" / "complete", root / "pages")
    (outside / "images").mkdir()
    (root / "volumes" / "imported").mkdir()
    link(root, "volumes/imported/images", outside / "images")


@generator
def import_files_image_hardlink(root: Path, outside: Path) -> None:
    """The saved page's image is a hard link to a file outside its folder."""
    shutil.copytree(IMPORT / "saved" / "complete", root / "pages")
    image = root / "pages" / "the-wake-at-kilbride_files" / "kilbride-churchyard.jpg"
    shutil.move(image, outside / "churchyard.jpg")
    os.link(outside / "churchyard.jpg", image)


# ---- manifests that name paths ----------------------------------------------------------------

def _manifest(root: Path, outside: Path, name: str) -> None:
    """A page to import, and a manifest that says import wrote `name` (a path to a file
    outside) for that page's review, with the file's own digest: the old import replaced it."""
    write(root, "pages/alien.txt", ALIEN.read_bytes())
    victim = write(outside, "victim.md", VICTIM)
    digest = hashlib.sha256(victim.read_bytes()).hexdigest()
    files = {name.replace("{outside}", str(outside)): {"review": ALIEN_KEY, "sha256": digest}}
    write(root, V1 / ".import-manifest.json", json.dumps({"files": files}))


@generator
def manifest_traversal(root: Path, outside: Path) -> None:
    _manifest(root, outside, "../../../outside/victim.md")


@generator
def manifest_absolute(root: Path, outside: Path) -> None:
    _manifest(root, outside, "{outside}/victim.md")


# ---- hard links to files outside ----------------------------------------------------------------

@generator
def hardlink_image_outside(root: Path, outside: Path) -> None:
    write(outside, "outside.png", png())
    (root / V1 / "still.png").unlink()
    os.link(outside / "outside.png", root / V1 / "still.png")


@generator
def hardlink_foreword_outside(root: Path, outside: Path) -> None:
    write(outside, "foreword.md", f"A foreword from elsewhere: {SECRET}.\n")
    os.link(outside / "foreword.md", root / V1 / "foreword.md")


@generator
def hardlink_stylesheet_outside(root: Path, outside: Path) -> None:
    write(outside, "secret.css", f"/* {SECRET} */\np {{ color: black; }}\n")
    (root / "styles" / "css").mkdir(parents=True)
    os.link(outside / "secret.css", root / "styles" / "css" / "local.css")


# ---- a cache forged and sealed again ------------------------------------------------------------

@generator
def forged_cache_piece(root: Path, outside: Path) -> None:
    """A build fills the cache; then every piece gets a page-open script and a launch link,
    is marked with its key and its sidecar sealed again with the right checksum, and the book
    is removed, so the next build joins the forged pieces."""
    import io

    import pikepdf
    from typer.testing import CliRunner

    from anthology.cli import app
    from anthology.print import cache

    result = CliRunner().invoke(app, ["build", "--only", "pdf", "-j", "1", "--root", str(root)])
    assert result.exit_code == 0, result.output
    pieces = root / "build" / ".cache" / "pieces"
    for path in pieces.glob("*.pdf"):
        document = pikepdf.open(io.BytesIO(path.read_bytes()))
        script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(SECRET))
        document.Root.OpenAction = script
        for page in document.pages:
            page.obj.AA = pikepdf.Dictionary(O=script)
            page.obj.Annots = pikepdf.Array([pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 99, 99],
                A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("/bin/sh")))])
        out = io.BytesIO()
        document.save(out)
        data = cache._marked(out.getvalue(), path.stem)
        record = json.loads((pieces / f"{path.stem}.json").read_text())
        record["pdf_sha256"] = hashlib.sha256(data).hexdigest()
        record.pop("check")
        (pieces / f"{path.stem}.json").write_text(cache._sealed(record))
        path.write_bytes(data)
    (root / "build" / "v1.pdf").unlink()
