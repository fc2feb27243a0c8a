"""Hypothesis strategies for random themes (issue 20): templates and stylesheets a shared theme
might carry, from a default template with fragments spliced in to Jinja built from known
sandbox-escape pieces, loops, recursion and huge numbers.

`SECRET_FILE` and `MARKER_FILE` are placeholders the test replaces with real paths outside the
workspace: a payload that reads the first or creates the second has escaped.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

import anthology

DEFAULT = Path(anthology.__file__).parent / "theme" / "templates"
TEMPLATES = ("chapter.xhtml", "matter.xhtml", "contents.xhtml", "titlepage.xhtml",
             "copyright.xhtml", "halftitle.xhtml", "appendix.xhtml", "epub-document.xhtml",
             "print-book.html")
SECRET_FILE = "@SECRET@"
MARKER_FILE = "@MARKER@"

NAMES = ("lipsum", "cycler", "joiner", "namespace", "range", "dict", "self", "loop", "chapter",
         "book", "config", "request", "caller", "varargs", "kwargs", "x", "''", "()", "[]",
         "{}", "0", "1.5", "'%s'", "'{0}'", "undefined_name")
ATTRIBUTES = ("__class__", "__mro__", "__subclasses__()", "__globals__", "__init__",
              "__builtins__", "__dict__", "__module__", "__base__", "__bases__", "__code__",
              "__func__", "__self__", "__getattribute__", "__reduce_ex__(2)", "gi_frame",
              "f_globals", "mro()", "format", "format_map", "items()", "pop('x')", "append(1)",
              "update({})", "keys()", "_TemplateReference__context", "environment",
              "__getitem__", "title", "id", "facts")
CALLS = (f"open({SECRET_FILE!r}).read()", f"__import__('os').system('touch {MARKER_FILE}')",
         f"os.popen('touch {MARKER_FILE}')", "eval('1')", "exec('1')",
         f"['__builtins__']['open']({SECRET_FILE!r})", "('__class__')", "(1)", "()")
FILTERS = ("attr('__class__')", "attr('__globals__')", "format('%s')", "e", "safe",
           "join", "list", "map(attribute='__class__')", "selectattr('__class__')",
           "string", "pprint", "tojson", "int", "float", "length", "sum", "first",
           "replace('a', 'b')", "wordwrap(5)", "truncate(2)", "center(100000000)", "indent(10**8)")
HUGE = ("9 ** (9 ** 9)", "10 ** 100000", "10.0 ** 400", "'x' * 10 ** 9", "[0] * 10 ** 9",
        "range(10 ** 9) | list", "1 / 0", "1 // 0", "(2 ** 64) | string | length",
        "'{0:>999999999}'.format(1)", "'%999999999d' % 1", "lipsum(10 ** 6)")
STATEMENTS = (
    "{% for i in range(10 ** 9) %}x{% endfor %}",
    "{% for i in range(10 ** 4) %}{% for j in range(10 ** 4) %}{% endfor %}{% endfor %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{% macro m(n) %}{{ m(n + 1) }}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}",
    "{% include 'chapter.xhtml' %}", "{% include 'default/chapter.xhtml' %}",
    "{% include '../../etc/passwd' %}", "{% include '/etc/passwd' %}",
    f"{{% include {SECRET_FILE!r} %}}", "{% import 'chapter.xhtml' as c %}",
    "{% from 'default/matter.xhtml' import x %}", "{% extends 'chapter.xhtml' %}",
    "{% extends 'default/chapter.xhtml' %}", "{% extends '../outside.xhtml' %}",
    "{% set ns = namespace(a=1) %}{% set ns.__class__ = 1 %}",
    "{% set x = cycler(1, 2) %}{{ x.__init__.__globals__ }}",
    "{% with a = joiner %}{{ a.__init__.__globals__.os }}{% endwith %}",
    "{% raw %}{{ 1 }}{% endraw %}", "{% filter upper %}x{% endfilter %}",
    "{% call(x) self.y() %}{% endcall %}", "{% block b %}{{ super() }}{% endblock %}",
    "{% if %}", "{% for %}", "{{", "}}", "{%", "%}", "{#", "{% endblock %}",
    "<link rel=\"stylesheet\" href=\"https://example.org/x.css\"/>",
    "<script src=\"http://example.org/x.js\"></script>",
    "<img src=\"file:///etc/passwd\" alt=\"\"/>", "<a href=\"javascript:alert(1)\">x</a>",
    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>", "&e;", "&nbsp;", "<p>",
    "</section>", "\x00", "\x1b[2J", "\ufffe",
)


@st.composite
def expression(draw) -> str:
    """A Jinja expression made of a name, attribute steps, calls, filters or a huge number."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(HUGE))
    parts = [draw(st.sampled_from(NAMES))]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 2))
        if kind == 0:
            parts.append("." + draw(st.sampled_from(ATTRIBUTES)))
        elif kind == 1:
            parts.append("[" + repr(draw(st.sampled_from(ATTRIBUTES))) + "]")
        else:
            parts.append(draw(st.sampled_from(CALLS)))
    text = "".join(parts)
    for _ in range(draw(st.integers(0, 2))):
        text += " | " + draw(st.sampled_from(FILTERS))
    return text


fragment = st.one_of(expression().map(lambda e: "{{ " + e + " }}"), st.sampled_from(STATEMENTS),
                     st.text(max_size=8))


@st.composite
def template(draw) -> tuple[str, str]:
    """A theme template's name and text: the default with fragments spliced in, or fragments
    alone."""
    name = draw(st.sampled_from(TEMPLATES))
    pieces = draw(st.lists(fragment, min_size=1, max_size=4))
    if draw(st.booleans()):
        base = (DEFAULT / name).read_text("utf-8")
        for piece in pieces:
            at = draw(st.integers(0, len(base)))
            base = base[:at] + piece + base[at:]
        return name, base
    if draw(st.booleans()):
        return name, "{% extends 'default/" + name + "' %}" + "".join(
            "{% block " + draw(st.sampled_from(("header", "factbox", "jukebox", "essay", "x")))
            + " %}" + piece + "{% endblock %}" for piece in pieces)
    return name, "".join(pieces)


CSS_PIECES = (
    "p { color: red; }", "@import \"extra.css\";", "@import url(https://example.org/x.css);",
    f"@import url(file://{SECRET_FILE});", "p { background: url(../images/paper.png); }",
    "p { background: image-set(url(https://example.org/x.png) 1x); }",
    ":root { --a: x x x x x x x x; --b: var(--a) var(--a) var(--a) var(--a); "
    "--c: var(--b) var(--b) var(--b) var(--b); --d: var(--c) var(--c) var(--c) var(--c); }"
    " p { font-family: var(--d); }",
    "p { columns: 100000; }", "p { column-count: 99999999; }", "p { font-size: 1e9px; }",
    "p { counter-reset: c 99999999999999; }", "p { margin: -1e308pt; }",
    "@page { size: 1e9in; }", "@page { size: 0 0; }", "p { width: calc(1e308 * 1e308px); }",
    "@media print { " * 200 + "}" * 200, "p {" * 2000, "}" * 50, "/*", "@charset \"utf-7\";",
    "p::after { content: attr(href url); }", "p { content: counter(x, 99999); }",
    "@font-face { font-family: X; src: url(../fonts/x.ttf); }", "\x00", "\\",
)


@st.composite
def theme_stylesheet(draw) -> bytes:
    """A theme's local.css from pieces that have broken stylesheet handling elsewhere."""
    pieces = draw(st.lists(st.sampled_from(CSS_PIECES), min_size=1, max_size=4))
    return "\n".join(pieces).encode("utf-8")


@st.composite
def theme_files(draw) -> dict[str, bytes]:
    """The files of a random workspace theme: templates, a stylesheet, a file it may import."""
    files = {}
    for _ in range(draw(st.integers(1, 3))):
        name, text = draw(template())
        files[f"styles/templates/{name}"] = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        files["styles/css/local.css"] = draw(theme_stylesheet())
    if draw(st.booleans()):
        files["styles/css/extra.css"] = b"p.extra { color: #222; }\n"
    return files
