"""Hostile markup and styles: attributes, sizes, CSS bombs, theme files carried into the EPUB,
and links an import cannot carry (issue 20, findings 4, 5, 8 and 9)."""

from __future__ import annotations

from pathlib import Path

from tests.hostile_kit import generator, png, write

LOCAL_CSS = Path("styles/css/local.css")
EXPORT = Path(__file__).parent / "fixtures" / "import" / "export.xml"


@generator
def css_nested_deep(root: Path, outside: Path) -> None:
    """Rules nested 3,000 deep: once a RecursionError in `check`."""
    write(root, LOCAL_CSS, "p { color: inherit; }\n" + "a {" * 3000 + "}" * 3000 + "\n")


@generator
def css_custom_property_bomb(root: Path, outside: Path) -> None:
    """Each custom property repeats the one before eight times: 8^11 words once expanded."""
    lines = ["--v0: lol lol lol lol lol lol lol lol;"]
    lines += [f"--v{i}: " + " ".join([f"var(--v{i - 1})"] * 8) + ";" for i in range(1, 12)]
    write(root, LOCAL_CSS, ":root {\n" + "\n".join(lines) + "\n}\n"
                           "p { font-family: var(--v11); }\n")


def _paper(root: Path) -> None:
    write(root, "styles/images/paper.png", png(32, 32))


@generator
def css_theme_url_image(root: Path, outside: Path) -> None:
    """A legitimate theme: its background image beside its stylesheet folder."""
    _paper(root)
    write(root, LOCAL_CSS, ".essay { background-image: url(../images/paper.png); }\n")


@generator
def css_image_set_inside(root: Path, outside: Path) -> None:
    _paper(root)
    write(root, LOCAL_CSS, '.essay { background-image: image-set("../images/paper.png" 1x); }\n')


@generator
def import_js_link(root: Path, outside: Path) -> None:
    """A WordPress export whose post links 'gallery' to javascript:void(0)."""
    text = EXPORT.read_text(encoding="utf-8")
    sentence = "Some films you watch and some films you <em>survive</em>."
    assert sentence in text
    write(root, "export.xml", text.replace(
        sentence, sentence + ' See the <a href="javascript:void(0)">gallery</a>.'))
