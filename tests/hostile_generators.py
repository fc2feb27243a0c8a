"""Inputs for hostile cases that cannot be stored in the repository: FIFOs, symlinks, files of
megabytes, bombs and exact bytes (CRLF, BOMs, NULs, UTF-16). Each generator gets the
workspace (the base and the case's `ws/` already laid down) and a folder outside it, where
anything a symlink points to lives; `SECRET` marks text that must never reach the output."""

from __future__ import annotations

import io
import os
import random
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from PIL import Image

SECRET = "OUTSIDE-THE-WORKSPACE-7f3a"
REVIEW = "---\ntitle: {title}\nappraisal: {appraisal}\n---\n\n{body}\n"
Generator = Callable[[Path, Path], None]
GENERATORS: dict[str, Generator] = {}
V1 = Path("volumes/v1")


def generator(function: Generator) -> Generator:
    GENERATORS[function.__name__] = function
    return function


def review(title: str = "Gamma", appraisal: int = 3, body: str = "An essay.") -> str:
    return REVIEW.format(title=title, appraisal=appraisal, body=body)


def write(root: Path, relative: str | Path, data: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        path.unlink()
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def link(root: Path, relative: str | Path, target: Path | str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        path.unlink()
    path.symlink_to(target)


def fifo(root: Path, relative: str | Path) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    os.mkfifo(path)


def png(width: int = 64, height: int = 64, noise: bool = False) -> bytes:
    image = Image.new("RGB", (width, height), (90, 90, 90))
    if noise:
        rng = random.Random(14)
        image.putdata([(rng.randrange(256),) * 3 for _ in range(width * height)])
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 64, height: int = 64) -> bytes:
    rng = random.Random(14)
    image = Image.new("RGB", (width, height))
    image.putdata([(rng.randrange(256), 80, 80) for _ in range(width * height)])
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A real, decodable 1-bit PNG of width x height pixels: a few hundred KB that expand to
    gigabytes of pixels once decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes((width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row * 256) for _ in range(height // 256))
    idat += packer.compress(row * (height % 256)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


def words(count: int, seed: int = 14) -> list[str]:
    rng = random.Random(seed)
    vocabulary = ("the film light shadow stair door night reel frame cut score audience "
                  "silence actor camera long slow grey").split()
    return [rng.choice(vocabulary) for _ in range(count)]


def secret_review() -> str:
    return review("Smuggled", 9, f"This text lives outside the workspace: {SECRET}.")


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


# ---- bombs and sizes -----------------------------------------------------------------------

@generator
def bomb_image(root: Path, outside: Path) -> None:
    write(root, V1 / "still.png", bomb_png(30_000, 30_000))


@generator
def bomb_image_below_pillow_limit(root: Path, outside: Path) -> None:
    write(root, V1 / "still.png", bomb_png(12_000, 12_000))


@generator
def bomb_cover(root: Path, outside: Path) -> None:
    write(root, V1 / "cover.png", bomb_png(30_000, 30_000))


@generator
def truncated_png(root: Path, outside: Path) -> None:
    data = png(200, 200, noise=True)
    write(root, V1 / "still.png", data[: len(data) * 6 // 10])


@generator
def truncated_jpeg(root: Path, outside: Path) -> None:
    data = jpeg(200, 200)
    write(root, V1 / "still.jpg", data[: len(data) * 6 // 10])


@generator
def truncated_cover(root: Path, outside: Path) -> None:
    data = jpeg(400, 640)
    write(root, V1 / "cover.jpg", data[: len(data) // 2])


@generator
def png_named_jpg(root: Path, outside: Path) -> None:
    write(root, V1 / "still.jpg", png())


@generator
def empty_image(root: Path, outside: Path) -> None:
    write(root, V1 / "still.png", b"")


@generator
def huge_review(root: Path, outside: Path) -> None:
    paragraphs = "\n\n".join(" ".join(words(120, seed)) for seed in range(7_000))
    write(root, V1 / "gamma.md", review(body=paragraphs))  # about 5 MB


@generator
def huge_paragraph(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", review(body=" ".join(words(200_000))))  # about 1 MB


@generator
def huge_title(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", review(title="A" * 1_000_000))


@generator
def long_review_100k_words(root: Path, outside: Path) -> None:
    paragraphs = "\n\n".join(" ".join(words(100, seed)) + "." for seed in range(1_000))
    write(root, V1 / "gamma.md", review(body=paragraphs))


@generator
def many_facts(root: Path, outside: Path) -> None:
    facts = "".join(f"  - Fact {n}: value {n}\n" for n in range(10_000))
    write(root, V1 / "gamma.md", f"---\ntitle: Gamma\nappraisal: 3\nfacts:\n{facts}---\n\nX.\n")


@generator
def alias_bomb(root: Path, outside: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        prev, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    write(root, V1 / "gamma.md", "---\ntitle: Gamma\nappraisal: 3\n" + "\n".join(lines)
          + "\ntags: *j\n---\n\nX.\n")


@generator
def yaml_nested_lists(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", "---\ntitle: Gamma\nappraisal: 3\ntags: "
          + "[" * 5_000 + "]" * 5_000 + "\n---\n\nX.\n")


@generator
def yaml_nested_mappings(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", "---\ntitle: Gamma\nappraisal: 3\nfacts: "
          + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n---\n\nX.\n")


@generator
def toml_nested_arrays(root: Path, outside: Path) -> None:
    path = root / V1 / "volume.toml"
    path.write_text(path.read_text() + "rights = " + "[" * 5_000 + "]" * 5_000 + "\n")


@generator
def toml_nested_inline_tables(root: Path, outside: Path) -> None:
    path = root / V1 / "volume.toml"
    path.write_text(path.read_text() + "rights = " + "{a = " * 3_000 + "1" + "}" * 3_000
                    + "\n")


@generator
def blockquotes_200(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", review(body="> " * 200 + "Deep down."))


@generator
def blockquotes_5000(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", review(body=">" * 5_000 + " Deeper."))


@generator
def lists_nested_300(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md",
          review(body="\n".join("    " * depth + "- item" for depth in range(300))))


@generator
def html_nested_1000(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", review(body="<span>" * 1_000 + "x" + "</span>" * 1_000))


@generator
def html_unclosed_10000(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", review(body="<em>" * 10_000 + "x"))


@generator
def brackets_50000(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", review(body="[" * 50_000 + "x" + "](" * 20_000))


@generator
def emphasis_50000(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", review(body="*a _b " * 50_000))


@generator
def backticks_50000(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", review(body="`a ``b " * 30_000))


@generator
def many_reviews_1000(root: Path, outside: Path) -> None:
    for n in range(1_000):
        write(root, V1 / f"film-{n:04d}.md", review(f"Film {n}", n + 10, "A short essay."))


# ---- exact bytes ---------------------------------------------------------------------------

def _bytes_review(name: str, data: bytes) -> Generator:
    def make(root: Path, outside: Path) -> None:
        write(root, V1 / "gamma.md", data)
    make.__name__ = name
    return generator(make)


GAMMA = review().encode()
_bytes_review("utf8_bom", b"\xef\xbb\xbf" + GAMMA)
_bytes_review("crlf", GAMMA.replace(b"\n", b"\r\n").replace(b"appraisal: 3\r\n",
                                                            b"appraisal: 3\r\ndirecter: X\r\n"))
_bytes_review("cr_only", GAMMA.replace(b"\n", b"\r").replace(b"appraisal: 3\r",
                                                             b"appraisal: 3\rdirecter: X\r"))
_bytes_review("crlf_valid", GAMMA.replace(b"\n", b"\r\n"))
_bytes_review("bom_crlf_valid", b"\xef\xbb\xbf" + GAMMA.replace(b"\n", b"\r\n"))
_bytes_review("utf16_le", review().encode("utf-16"))
_bytes_review("utf16_be", b"\xfe\xff" + review().encode("utf-16-be"))
_bytes_review("utf32", review().encode("utf-32"))
_bytes_review("latin1", review(title="Café").encode("latin-1"))
_bytes_review("nul_in_body", review(body="Before\x00after.").encode())
_bytes_review("nul_in_front_matter", review(title="Gam\x00ma").encode())
_bytes_review("bell_in_body", review(body="Ring \x07 the bell.").encode())
_bytes_review("escape_in_body", review(body="An \x1b[31m escape.").encode())
_bytes_review("fffe_in_body", review(body="Not a character: \ufffe.").encode())
_bytes_review("ffff_in_body", review(body="Not a character: \uffff.").encode())
_bytes_review("nul_in_image_path", review(body="![A still](still\x00.png)").encode())
_bytes_review("binary_review", random.Random(14).randbytes(4096))
_bytes_review("binary_after_front_matter", GAMMA + random.Random(15).randbytes(4096))
_bytes_review("empty_review", b"")
_bytes_review("whitespace_review", b" \n\t\n\r\n")
_bytes_review("overlong_utf8", b"---\ntitle: Gamma \xc0\xaf\nappraisal: 3\n---\n\nX.\n")
_bytes_review("surrogate_utf8", b"---\ntitle: Gamma \xed\xa0\x80\nappraisal: 3\n---\n\nX.\n")


@generator
def utf16_volume_toml(root: Path, outside: Path) -> None:
    path = root / V1 / "volume.toml"
    path.write_bytes(path.read_text().encode("utf-16"))


@generator
def binary_volume_toml(root: Path, outside: Path) -> None:
    write(root, V1 / "volume.toml", random.Random(16).randbytes(2048))


@generator
def binary_stylesheet(root: Path, outside: Path) -> None:
    write(root, "styles/css/local.css", random.Random(17).randbytes(4096))


@generator
def nul_stylesheet(root: Path, outside: Path) -> None:
    write(root, "styles/css/local.css", b"p { color: black; }\n\x00\x00\x00\n")


@generator
def binary_template(root: Path, outside: Path) -> None:
    write(root, "styles/templates/chapter.xhtml", random.Random(18).randbytes(4096))


@generator
def png_as_stylesheet(root: Path, outside: Path) -> None:
    write(root, "styles/css/local.css", png())


@generator
def png_as_review(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", png())


@generator
def volumes_is_file(root: Path, outside: Path) -> None:
    shutil.rmtree(root / "volumes")
    write(root, "volumes", "not a folder\n")
