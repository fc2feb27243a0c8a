"""A workspace's styles/ is checked when it is loaded: what would break a build, or reach
outside, is a `path:line` problem from `anthology check`."""

from __future__ import annotations

import io

from PIL import Image

from anthology.workspace.problems import Problems
from anthology.workspace.styles import check_styles


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


PNG = _png()


def found(workspace) -> list[str]:
    problems = Problems()
    check_styles(workspace.root, problems)
    return [p.format(workspace.root) for p in problems]


def test_the_sample_house_style_is_clean() -> None:
    from tests.conftest import REPO

    problems = Problems()
    check_styles(REPO, problems)
    assert list(problems) == []


def test_a_remote_url_is_refused_even_in_a_rule_nothing_uses(workspace) -> None:
    workspace.write("styles/css/local.css", "p { color: red; }\n\n"
                    ".unused { background: url(http://example.org/a.png); }\n"
                    '@import "https://example.org/b.css";\n'
                    '@font-face { src: url("file:///etc/fonts/x.otf"); }\n')
    assert found(workspace) == [
        "styles/css/local.css:3: error: url 'http://example.org/a.png' reaches outside the "
        "theme: a stylesheet may only use the theme's own files",
        "styles/css/local.css:4: error: url 'https://example.org/b.css' reaches outside the "
        "theme: a stylesheet may only use the theme's own files",
        "styles/css/local.css:5: error: url 'file:///etc/fonts/x.otf' reaches outside the "
        "theme: a stylesheet may only use the theme's own files",
    ]


def test_relative_urls_must_name_files_of_the_theme(workspace) -> None:
    workspace.write("styles/fonts/mine.otf", b"OTTO")
    workspace.write("styles/css/local.css",
                    '@font-face { src: url("../fonts/mine.otf"); }\n'
                    '@font-face { src: url("../fonts/EBGaramond12-Regular.otf"); }\n'
                    '@font-face { src: url("../../volumes/secret.otf"); }\n'
                    '@font-face { src: url("../fonts/gone.otf"); }\n')
    workspace.write("volumes/secret.otf", b"OTTO")
    # WeasyPrint reads a url from beside its stylesheet: styles/fonts/, not the default's.
    assert found(workspace) == [
        "styles/css/local.css:2: error: url '../fonts/EBGaramond12-Regular.otf' does not exist",
        "styles/css/local.css:3: error: url '../../volumes/secret.otf' is outside the "
        "theme (through '..' or a symbolic link)",
        "styles/css/local.css:4: error: url '../fonts/gone.otf' does not exist",
    ]


def test_binary_garbage_and_links_out_are_refused(workspace, tmp_path) -> None:
    workspace.write("styles/css/local.css", bytes(range(128, 256)))
    (tmp_path / "elsewhere.css").write_text("p {}")
    (workspace.root / "styles" / "css" / "book.css").symlink_to(tmp_path / "elsewhere.css")
    assert found(workspace) == [
        "styles/css/book.css: error: not read: the theme file is outside the workspace "
        "(through '..' or a symbolic link)",
        "styles/css/local.css:1: error: not UTF-8 text: a stylesheet or template is text",
    ]


def test_a_template_that_does_not_compile_is_found_at_its_line(workspace) -> None:
    workspace.write("styles/templates/chapter.xhtml",
                    '{% extends "default/chapter.xhtml" %}\n{% block judgement %}\n')
    assert len(found(workspace)) == 1
    assert found(workspace)[0].startswith("styles/templates/chapter.xhtml:2: error: template ")


def test_a_theme_may_ask_only_so_much_of_the_layout(workspace) -> None:
    """Each size a stylesheet sets is bounded, and the bound is named (issue 20)."""
    workspace.write("styles/css/local.css",
                    "h1 { font-size: 1e9px; }\n"
                    ".a { columns: 100000; }\n"
                    "ol { counter-reset: item 99999999999; }\n"
                    "p { text-indent: calc(1000pt * 1000); }\n"
                    "p { line-height: 1e6; }\n"
                    "div { width: 20000%; }\n")
    assert found(workspace) == [
        "styles/css/local.css:1: error: 'font-size: 1e9px': 1e9px is more than a length may "
        "be: 1000pt (about 14 in), or 100em",
        "styles/css/local.css:2: error: 'columns: 100000': more than 20 columns; that is the "
        "limit",
        "styles/css/local.css:3: error: 'counter-reset: item 99999999999': 99999999999 is "
        "larger than the limit of 1,000,000",
        "styles/css/local.css:4: error: 'text-indent: calc(1000pt * 1000)': calc() may reach "
        "1,000,000pt; lengths are limited to 1000pt",
        "styles/css/local.css:5: error: 'line-height: 1e6': 1e6 is larger than the limit of 100",
        "styles/css/local.css:6: error: 'width: 20000%': 20000% is more than a length may be: "
        "1000pt (about 14 in), or 100em",
    ]


def test_ordinary_sizes_and_custom_properties_pass(workspace) -> None:
    workspace.write("styles/css/local.css",
                    ":root { --gap: 1.5em; --wide: calc(var(--gap) * 4); }\n"
                    "h1 { font-size: 2.4em; margin: var(--wide) 0 var(--gap); }\n"
                    ".index { columns: 2; column-gap: 1em; counter-reset: entry 0; }\n"
                    "p { line-height: 1.4; width: calc(100% - 2em); z-index: 10; }\n"
                    "@page { size: 6in 9in; }\n")
    assert found(workspace) == []


def test_nesting_past_the_limit_is_one_line_not_a_recursion_error(workspace) -> None:
    workspace.write("styles/css/local.css", "p { color: inherit; }\n" + "a {" * 5000
                    + "f(" * 5000 + "\n")
    assert found(workspace) == [
        "styles/css/local.css:2: error: blocks, brackets or functions nested more than 32 "
        "deep; that is the limit"]


def test_custom_properties_that_multiply_when_expanded_are_refused(workspace) -> None:
    deep = [f"--d{i}: var(--d{i - 1}) var(--d{i - 1});" for i in range(1, 12)]
    workspace.write("styles/css/local.css", ":root { --d0: x;\n" + "\n".join(deep) + " }\n")
    assert found(workspace) == [
        "styles/css/local.css:10: error: custom property '--d9' refers through more than 8 "
        "other custom properties; that is the limit"]
    wide = ["--w1: " + "x " * 40 + ";"] + [
        f"--w{i}: " + f"var(--w{i - 1}) " * 40 + ";" for i in (2, 3)]
    workspace.write("styles/css/local.css", ":root {\n" + "\n".join(wide)
                    + " }\np { font-family: var(--w3); }\n")
    problems = found(workspace)
    assert len(problems) == 1, problems  # the first too large, not every one that uses it
    assert problems[0].startswith("styles/css/local.css:4: error: '--w3: var(--w2)")
    assert problems[0].endswith("with every var() expanded it has 67,280 parts; the limit "
                                "is 10,000")


def test_image_set_and_image_urls_are_checked_like_url(workspace) -> None:
    workspace.write("styles/images/paper.png", PNG)
    workspace.write("styles/css/local.css",
                    '.a { background: image-set("../images/paper.png" 1x); }\n'
                    '.b { background: -webkit-image-set("https://example.org/a.png" 2x); }\n'
                    '.c { background: image("../../volumes/v1/still.png"); }\n')
    assert found(workspace) == [
        "styles/css/local.css:2: error: url 'https://example.org/a.png' reaches outside the "
        "theme: a stylesheet may only use the theme's own files",
        "styles/css/local.css:3: error: url '../../volumes/v1/still.png' is outside the "
        "theme (through '..' or a symbolic link)",
    ]


def test_only_files_every_reader_supports_may_be_named(workspace) -> None:
    workspace.write("styles/images/paper.png", PNG)
    workspace.write("styles/images/photo.jpg", PNG)  # a PNG by another name
    workspace.write("styles/images/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    workspace.write("styles/css/extra.txt", "p {}")
    workspace.write("styles/css/local.css",
                    '@import "extra.txt";\n'
                    '@import "../images/paper.png";\n'
                    '.a { background: url(../images/photo.jpg); }\n'
                    '.b { background: url(../images/logo.svg); }\n'
                    '.c { background: url(../images/paper.png); }\n')
    css_only = "it must be a stylesheet (.css)"
    image = "it must be a PNG, JPEG, GIF or WebP image or an OTF, TTF or WOFF font"
    assert found(workspace) == [
        f"styles/css/local.css:1: error: url 'extra.txt' is not a file a book can carry "
        f"here: {css_only}",
        f"styles/css/local.css:2: error: url '../images/paper.png' is not a file a book can "
        f"carry here: {css_only}",
        f"styles/css/local.css:3: error: url '../images/photo.jpg' is not what its name "
        f"says: {image}",
        f"styles/css/local.css:4: error: url '../images/logo.svg' is not a file a book can "
        f"carry here: {image}",
    ]


def test_an_address_no_parser_can_read_is_one_line(workspace) -> None:
    workspace.write("styles/css/local.css", 'p { background: url("http://[x"); }\n')
    assert found(workspace) == ["styles/css/local.css:1: error: url 'http://[x' is not an "
                                "address"]
