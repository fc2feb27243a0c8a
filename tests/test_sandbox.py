"""Theme templates render in a sandbox (issue 20, finding 1): known Jinja2 escapes, each put
in a real workspace's `styles/templates/chapter.xhtml` and rendered as the build renders it,
neither read a file (a secret beside the workspace never shows) nor run a command (the file
the command would make never appears); each ends in one `path:line` error instead."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest

from anthology.render.documents import render_epub_documents, render_print_html
from anthology.series.book import Book
from anthology.series.resolve import resolve_book
from anthology.workspace.problems import Problem, Problems
from anthology.workspace.theme import Theme, ThemeError
from anthology.workspace.volumes import load_workspace

BASE = Path(__file__).parent / "hostile" / "_base"
SECRET = "SANDBOX-SECRET-5e1d"
CHAPTER = Path("styles/templates/chapter.xhtml")

# Each tries to read {secret} or to run `touch {marker}`, by a road the audit or the Jinja2
# advisories (CVE-2016-10745, CVE-2019-10906, CVE-2024-56326, CVE-2025-27516) took.
PAYLOADS = {
    "lipsum-globals-open": "{{ lipsum.__globals__['__builtins__']['open']('{secret}').read() }}",
    "lipsum-os-popen": "{{ lipsum.__globals__.os.popen('touch {marker}').read() }}",
    "cycler-init-globals": "{{ cycler.__init__.__globals__.os.system('touch {marker}') }}",
    "joiner-init-globals": "{{ joiner.__init__.__globals__.os.system('touch {marker}') }}",
    "namespace-init-globals":
        "{{ namespace.__init__.__globals__.os.system('touch {marker}') }}",
    "cycler-instance-class":
        "{{ cycler(1).__class__.__init__.__globals__.os.system('touch {marker}') }}",
    "joiner-call-globals": "{{ joiner().__call__.__globals__.os.system('touch {marker}') }}",
    "str-mro-subclasses-popen":
        "{% for c in ''.__class__.__mro__[1].__subclasses__() %}"
        "{% if c.__name__ == '_wrap_close' %}"
        "{{ c.__init__.__globals__['popen']('touch {marker}').read() }}{% endif %}{% endfor %}",
    "tuple-base-subclasses": "{{ ().__class__.__base__.__subclasses__() }}",
    "subscript-dunder": "{{ ''['__class__']['__mro__'][1]['__subclasses__']() }}",
    "attr-filter": "{{ ''|attr('__class__')|attr('__mro__') }}",
    "attr-filter-hex-escapes":
        "{{ (namespace|attr('\\x5f\\x5finit\\x5f\\x5f')|attr('\\x5f\\x5fglobals\\x5f\\x5f'))"
        "['os'].system('touch {marker}') }}",
    "attr-name-joined":
        "{{ (cycler|attr(['__in', 'it__']|join)|attr(['__glo', 'bals__']|join)).os"
        ".system('touch {marker}') }}",
    "format-field-attribute": "{{ '{0.__class__.__mro__[1].__subclasses__}'.format('') }}",
    "format-map-globals":
        "{{ '{x.__init__.__globals__[os]}'.format_map({'x': cycler}) }}",
    "markup-format-globals": "{{ ('{0.__init__.__globals__}'|safe).format(joiner) }}",
    "percent-format-globals": "{{ '%s' % cycler.__init__.__globals__ }}",
    "format-filter-globals": "{{ '%s'|format(joiner.__init__.__globals__) }}",
    "self-init-globals":
        "{{ self.__init__.__globals__.__builtins__.open('{secret}').read() }}",
    "self-private-context":
        "{{ self._TemplateReference__context.cycler.__init__.__globals__.os"
        ".system('touch {marker}') }}",
    "config-like": "{{ config.__class__.__init__.__globals__['os'].popen('touch {marker}') }}",
    "request-like":
        "{{ request.application.__globals__.__builtins__.__import__('os')"
        ".popen('touch {marker}').read() }}",
    "range-function-globals": "{{ range.__globals__['__builtins__'].open('{secret}').read() }}",
    "range-bomb-list": "{{ range(10**9)|list|length }}",
    "loop-cycle-func": "{% for x in [1] %}{{ loop.cycle.__func__.__globals__ }}{% endfor %}",
    "loop-class": "{% for x in [1] %}{{ loop.__class__.__init__.__globals__ }}{% endfor %}",
    "caller-private-func":
        "{% macro m() %}{{ caller._func.__globals__.os.system('touch {marker}') }}"
        "{% endmacro %}{% call m() %}x{% endcall %}",
    "macro-private-func": "{% macro m() %}{% endmacro %}{{ m._func.__globals__.os }}",
    "dict-mro": "{{ dict.mro()[1].__subclasses__() }}",
    "date-class-subclasses": "{{ book.date.__class__.__subclasses__() }}",
    "reduce-ex": "{{ book.__reduce_ex__(2) }}",
    "bound-method-self": "{{ ''.join.__self__.__class__ }}",
    "namespace-private-attrs": "{% set ns = namespace() %}{{ ns._Namespace__attrs }}",
    "map-attribute-globals":
        "{{ book.chapters|map(attribute='__class__.__init__.__globals__')|list }}",
    "sort-attribute-dunder": "{{ book.chapters|sort(attribute='__class__.__name__')|list }}",
    "asset-path-read": "{{ (book.assets|first).source.read_text() }}",
    "asset-path-parent": "{{ (book.assets|first).source.parent.parent }}",
    "include-absolute": "{% include '{secret}' %}",
    "import-absolute": "{% import '{secret}' as x %}{{ x }}",
    "extends-absolute": "{% extends '{secret}' %}",
    "format-width-bomb": "{{ '{:>{}}'.format(1, 999999999) }}",
    "lipsum-plain": "{{ lipsum(1) }}",
}


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    root = tmp_path_factory.mktemp("base") / "ws"
    shutil.copytree(BASE, root)
    problems = Problems()
    workspace = load_workspace(root, problems)
    found = resolve_book(workspace, workspace.volumes[0], problems)
    assert not problems.errors, [p.format() for p in problems]
    return found


def render(book: Book, root: Path, chapter: str, **others: str) -> list[str]:
    """Both editions' documents of `book` with the workspace `root`'s theme."""
    for name, text in {"chapter.xhtml": chapter, **others}.items():
        path = root / "styles" / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    theme = Theme.for_workspace(root)
    return [d.xhtml for d in render_epub_documents(book, theme, [])] \
        + [render_print_html(book, theme).html]


def failure(book: Book, root: Path, chapter: str, **others: str) -> str:
    """The one line a theme error gives, as the author sees it."""
    with pytest.raises(ThemeError) as caught:
        render(book, root, chapter, **others)
    error = caught.value
    assert error.path is not None
    return Problem(error.path, error.line, error.message).format(root)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_an_escape_payload_reads_and_runs_nothing(book: Book, tmp_path: Path,
                                                 payload: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(SECRET)
    marker = outside / "ran"
    template = ('<section class="chapter" id="{{ chapter.id }}">\n'
                + payload.replace("{secret}", str(secret)).replace("{marker}", str(marker))
                + "\n</section>\n")
    line = failure(book, tmp_path / "ws", template)
    assert line.startswith(f"{CHAPTER}:2: error: template error: "), line
    assert SECRET not in line and "\n" not in line
    assert not marker.exists()
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_there_are_at_least_twenty_payloads() -> None:
    assert len(PAYLOADS) >= 20


def test_a_theme_still_has_what_jinja_offers_a_theme(book: Book, tmp_path: Path) -> None:
    """Macros, call blocks, imports, extending with super() and self, the loop helpers,
    cycler, joiner, namespace, recursive loops, formatting and plain methods all work."""
    macros = ('{% macro row(x) %}<li>{{ x }} {{ caller() }}</li>{% endmacro %}'
              '{% macro shout(s) %}{{ s|upper }}{% endmacro %}')
    chapter = """{% extends "default/chapter.xhtml" %}
{% import "macros.xhtml" as m %}
{% block judgement_label %}{{ super() }} / {{ self.views_label() }}{% endblock %}
{% block signature %}
{% set c = cycler('odd', 'even') %}{% set j = joiner(', ') %}{% set ns = namespace(n=0) %}
<ul>{% for i in range(3) %}{% set ns.n = ns.n + i %}{% call m.row(i) %}{{ c.next() }}\
{{ j() }}{{ loop.cycle('a', 'b') }}{% endcall %}{% endfor %}</ul>
<p class="sig">{{ m.shout(chapter.author) }} {{ '%s-%03d'|format('n', ns.n) }} \
{{ '{}:{}'.format(book.date.isoformat(), chapter.title.split()|length) }} \
{{ [3, 1, 2]|sort|join('') }} {{ dict(a=1)|tojson }} {{ 'x' * 3 ~ 'y' }} {{ 2 ** 10 }}</p>
<ol>{% for item in [[1, [2]], [3]] recursive %}<li>{{ item[0] if item is sequence \
else item }}{% if item is sequence and item|length > 1 %}{{ loop(item[1:]) }}{% endif %}\
</li>{% endfor %}</ol>
{% endblock %}
"""
    chapters = [d for d in render(book, tmp_path / "ws", chapter, **{"macros.xhtml": macros})
                if 'class="sig"' in d]
    assert chapters
    text = chapters[0]
    assert 'ADA QUILL n-003 2026-03-01:1 123 {"a": 1} xxxy 1024' in text
    assert ">0 odda</li>" in text and ">1 even, b</li>" in text
    assert '>1<li id="ch-alpha_17">2</li></li>' in text  # the recursive loop
    assert "Judgement / Number of views:" in text


LIMITS = {
    "range": ("{% for i in range(10**9) %}{% endfor %}", "range\\(\\) of 1,000,000,000"),
    "nested-loops": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                     "{% endfor %}", "loops more than 1,000,000 times"),
    "power-tower": ("{{ 9 ** (9 ** 9) }}", "too large a number"),
    "int-squaring": ("{% set ns = namespace(n=3) %}{% for i in range(30) %}"
                     "{% set ns.n = ns.n * ns.n %}{% endfor %}", "too large a number"),
    "repeat-text": ("{{ 'x' * 10**9 }}", "1,000,000,000 characters"),
    "repeat-list": ("{{ ([1] * 10**8)|length }}", "100,000,000 items"),
    "concat-doubling": ("{% set ns = namespace(s='x') %}{% for i in range(40) %}"
                        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "at most"),
    "plus-doubling": ("{% set ns = namespace(s=['x']) %}{% for i in range(40) %}"
                      "{% set ns.s = ns.s + ns.s %}{% endfor %}", "at most"),
    "list-of-big-texts": ("{% set a = 'x' * 10**7 %}{{ [a, a, a, a, a, a, a, a]|length }}",
                          "at most"),
    "format-width": ("{{ '{:>999999999}'.format(1) }}", "format width of 999,999,999"),
    "percent-width": ("{{ '%999999999d' % 1 }}", "format width"),
    "percent-star": ("{{ '%*d' % (999999999, 1) }}", "width given as an argument"),
    "format-filter-width": ("{{ '%.999999999f'|format(1.0) }}", "format width"),
    "center": ("{{ 'x'|center(999999999) }}", "at most"),
    "ljust": ("{{ 'x'.ljust(999999999) }}", "at most"),
    "indent": ("{{ ('\\n' * 100000)|indent(1000) }}", "at most"),
    "join-amplified": ("{{ ('x' * 10**6).join(['a'] * 1000) }}", "at most"),
    "join-filter": ("{{ (['a'] * 1000)|join('x' * 10**6) }}", "at most"),
    "replace-amplified": ("{{ ('x' * 10**5).replace('', 'y' * 10**4) }}", "at most"),
    "expandtabs": ("{{ ('\\t' * 10**5).expandtabs(10**4) }}", "at most"),
    "batch": ("{{ [1]|batch(10**9, 0)|list }}", "batch"),
    "sum-of-lists": ("{{ [[1], [2]]|sum(start=[]) }}", "adds numbers"),
    "roman": ("{{ (10**12)|roman }}", "roman numerals"),
    "macro-recursion": ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "nest more than"),
    "include-itself": ('{% include "chapter.xhtml" %}', "recurses without end"),
    "record-division": ("{{ book / 2 }}", "the operator / is not for a Book"),
}


@pytest.mark.parametrize(("snippet", "message"), LIMITS.values(), ids=LIMITS.keys())
def test_a_runaway_template_stops_with_one_line(book: Book, tmp_path: Path, snippet: str,
                                               message: str) -> None:
    template = f'<section class="chapter" id="{{{{ chapter.id }}}}">\n{snippet}\n</section>'
    line = failure(book, tmp_path / "ws", template)
    assert line.startswith(f"{CHAPTER}:2: error: template error: "), line
    assert re.search(message, line), line


def test_the_budget_has_a_clock_and_an_output_limit(book: Book, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from anthology.render import budget

    loop = ('<section class="chapter" id="{{ chapter.id }}">\n'
            "{% for i in range(100000) %}{{ i }}{% endfor %}\n</section>")
    monkeypatch.setattr(budget, "TIME_LIMIT", 0.0)
    assert "takes more than 0 seconds" in failure(book, tmp_path / "a", loop)
    monkeypatch.setattr(budget, "TIME_LIMIT", 60.0)
    monkeypatch.setattr(budget, "MAX_OUTPUT", 100_000)
    assert "writes more than 100,000 characters" in failure(book, tmp_path / "b", loop)
    monkeypatch.setattr(budget, "MAX_OUTPUT", 10**9)
    monkeypatch.setattr(budget, "MAX_STEPS", 1000)
    assert "more than 1,000 steps" in failure(book, tmp_path / "c", loop)
    monkeypatch.setattr(budget, "MAX_STEPS", 10**9)
    monkeypatch.setattr(budget, "MAX_MADE", 100_000)
    making = loop.replace("{{ i }}", "{% set x = 'ab' * 100 %}")
    assert "makes more than 100,000 characters" in failure(book, tmp_path / "d", making)


@pytest.mark.parametrize(("snippet", "message"), [
    ("{{ 1/0 }}", "division by zero \\(ZeroDivisionError\\)"),
    ("{{ {}.pop('x') }}", "'pop' of 'dict' object is unsafe"),
    ("{{ 10.0**400 }}", "too large to compute \\(OverflowError\\)"),
    ("{{ chapter.title.nothing() }}", "has no attribute 'nothing'"),
    ("{{ [1][5] }}", "has no element 5"),
    ("{{ '%d' % 'x' }}", "\\(TypeError\\)"),
    ('{% include "missing.xhtml" %}', "'missing.xhtml' is not a template of the theme"),
])
def test_runtime_errors_are_one_line_at_their_line(book: Book, tmp_path: Path, snippet: str,
                                                   message: str) -> None:
    template = f'<section class="chapter" id="{{{{ chapter.id }}}}">\n<p/>\n{snippet}\n</section>'
    line = failure(book, tmp_path / "ws", template)
    assert line.startswith(f"{CHAPTER}:3: error: template error: "), line
    assert re.search(message, line), line


def test_a_template_extending_itself_is_named_at_its_line(book: Book, tmp_path: Path) -> None:
    line = failure(book, tmp_path / "ws", '{# mine #}\n{% extends "chapter.xhtml" %}\n')
    assert line.startswith(f"{CHAPTER}:2: error: template error: it recurses without end")


def test_running_out_of_memory_is_one_line(book: Book, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from anthology.render import documents

    def exhausted(value: object) -> str:
        raise MemoryError

    monkeypatch.setattr(documents, "isbn", exhausted)
    template = '<section class="chapter" id="{{ chapter.id }}">\n{{ "1"|isbn }}\n</section>'
    documents.edition_environment.cache_clear()
    try:
        line = failure(book, tmp_path / "ws", template)
    finally:
        documents.edition_environment.cache_clear()
    assert line == (f"{CHAPTER}:2: error: template error: it needs more memory than there is")


def test_each_thread_renders_within_its_own_budget(book: Book, tmp_path: Path) -> None:
    """The preview renders in several threads: one render's budget is not another's."""
    from anthology.render import budget

    seen: list[object] = []

    def other_thread() -> None:
        seen.append(budget.current())
        seen.append(len(render(book, tmp_path / "b", '<section class="chapter" '
                               'id="{{ chapter.id }}">{{ chapter.title }}</section>')))

    with budget.budget() as mine:
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join(60)
        assert budget.current() is mine
    assert seen[0] is None and seen[1] >= 2  # its documents, rendered
    assert budget.current() is None


def test_check_reports_a_template_that_runs_away(tmp_path: Path) -> None:
    """`anthology check` renders with the same sandbox and budget as `build`."""
    from anthology.render.documents import trial_render

    root = tmp_path / "ws"
    shutil.copytree(BASE, root)
    (root / CHAPTER).parent.mkdir(parents=True)
    (root / CHAPTER).write_text('<section class="chapter" id="{{ chapter.id }}">\n'
                                "{{ 9 ** (9 ** 9) }}\n</section>")
    problems = Problems()
    workspace = load_workspace(root, problems)
    trial_render(resolve_book(workspace, workspace.volumes[0], problems),
                 Theme.for_workspace(root), problems)
    assert [p.format(root) for p in problems] == [
        f"{CHAPTER}:2: error: template error: 9 ** 387420489 is too large a number for a "
        "template"]
