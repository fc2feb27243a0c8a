import jinja2
import pytest

from anthology.workspace.theme import PACKAGE_THEME, Theme


def test_default_theme_alone(tmp_path) -> None:
    theme = Theme.for_workspace(tmp_path)
    assert theme.dirs == (PACKAGE_THEME,)
    assert theme.stylesheets("book.css", "print.css") == [
        PACKAGE_THEME / "css" / "book.css", PACKAGE_THEME / "css" / "print.css"]


def test_workspace_styles_override_by_name_and_add_local_css(tmp_path) -> None:
    (tmp_path / "styles" / "css").mkdir(parents=True)
    (tmp_path / "styles" / "css" / "print.css").write_text("/* mine */")
    (tmp_path / "styles" / "css" / "local.css").write_text("/* local */")
    theme = Theme.for_workspace(tmp_path)
    assert theme.stylesheets("book.css", "print.css") == [
        PACKAGE_THEME / "css" / "book.css",
        tmp_path / "styles" / "css" / "print.css",
        tmp_path / "styles" / "css" / "local.css",
    ]


def test_templates_are_strict_and_escaped(tmp_path) -> None:
    (tmp_path / "styles" / "templates").mkdir(parents=True)
    (tmp_path / "styles" / "templates" / "t.xhtml").write_text("{{ value }} {{ missing }}")
    env = Theme.for_workspace(tmp_path).environment()
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("t.xhtml").render(value="<b>")
    (tmp_path / "styles" / "templates" / "t.xhtml").write_text("{{ value }}")
    assert env.get_template("t.xhtml").render(value="<b>") == "&lt;b&gt;"


def test_the_render_stage_supplies_exactly_the_filters_checking_knows(tmp_path) -> None:
    from anthology.render.documents import environment
    from anthology.workspace.theme import FILTER_NAMES

    env = environment(Theme.for_workspace(tmp_path), str)
    plain = Theme.for_workspace(tmp_path).environment()
    assert set(env.filters) - set(plain.filters) == set(FILTER_NAMES)


def test_templates_render_in_the_sandbox(tmp_path) -> None:
    from anthology.render.sandbox import ThemeSandbox

    env = Theme.for_workspace(tmp_path).environment()
    assert isinstance(env, ThemeSandbox)
    assert "lipsum" not in env.globals  # the classic way out, and random text in a book
    assert {"range", "dict", "cycler", "joiner", "namespace"} <= set(env.globals)
    assert env.globals["range"](3) == range(3)


def test_templates_come_only_from_the_theme_chain(tmp_path) -> None:
    from anthology.workspace.theme import FILTER_NAMES

    """Includes, imports and extends resolve inside styles/templates/ over the package's
    templates; "default/..." is the package's own; nothing else can be named."""
    templates = tmp_path / "styles" / "templates"
    templates.mkdir(parents=True)
    (tmp_path / "secret.xhtml").write_text("SECRET")
    (templates / "chapter.xhtml").write_text("mine")
    env = Theme.for_workspace(tmp_path).environment()
    env.filters.update({name: str for name in FILTER_NAMES})
    assert env.get_template("chapter.xhtml").render() == "mine"
    assert env.get_template("default/chapter.xhtml").filename == \
        str(PACKAGE_THEME / "templates" / "chapter.xhtml")
    assert env.get_template("cover.xhtml").filename == \
        str(PACKAGE_THEME / "templates" / "cover.xhtml")
    for name in ("../secret.xhtml", str(tmp_path / "secret.xhtml"), "default/../../x.py",
                 "/etc/passwd"):
        with pytest.raises(jinja2.TemplateNotFound):
            env.get_template(name)
