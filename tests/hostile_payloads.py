"""Hostile inputs made of content: decompression bombs, truncated images, files and lines
of megabytes, nesting thousands deep, YAML alias bombs, exact bytes (BOMs, CRLF, NUL, UTF-16)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from tests.hostile_kit import (
    V1,
    Generator,
    bomb_png,
    generator,
    jpeg,
    png,
    review,
    words,
    write,
)

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


@generator
def facts_150(root: Path, outside: Path) -> None:
    facts = "".join(f"  - Fact {n}: value {n}\n" for n in range(150))
    write(root, V1 / "gamma.md", f"---\ntitle: Gamma\nappraisal: 3\nfacts:\n{facts}---\n\nX.\n")


@generator
def yaml_nested_flow_lines(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", "---\ntitle: Gamma\nappraisal: 3\ntags:\n" + " [\n" * 2_000
          + " ]\n" * 2_000 + "---\n\nX.\n")


@generator
def yaml_nested_block(root: Path, outside: Path) -> None:
    nested = "".join("  " * depth + f"k{depth}:\n" for depth in range(100)) + "  " * 100 + "x\n"
    write(root, V1 / "gamma.md", "---\ntitle: Gamma\nappraisal: 3\nviews:\n"
          + "".join("  " + line + "\n" for line in nested.splitlines()) + "---\n\nX.\n")


@generator
def lists_nested_40(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md",
          review(body="\n".join("    " * depth + "- item" for depth in range(40))))


@generator
def html_unclosed_200(root: Path, outside: Path) -> None:
    write(root, V1 / "gamma.md", review(body="<em>" * 200 + "x"))
