"""A workspace's styles/ is checked when it is loaded: what would break a build, or reach
outside, is a `path:line` problem from `anthology check`."""

from __future__ import annotations

from anthology.workspace.problems import Problems
from anthology.workspace.styles import check_styles


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
