"""Hostile themes: templates that try to escape the sandbox, loop, recurse or fail. What
needs the machine's paths (a file outside the workspace to read, a marker a command would
make there) is written here; the cases are the `tpl-*` folders of tests/hostile/."""

from __future__ import annotations

from pathlib import Path

from tests.hostile_kit import SECRET, generator, write

CHAPTER = "styles/templates/chapter.xhtml"
MARKER = "PWNED"  # what a command run by a template would create in outside/


def _chapter(root: Path, body: str) -> None:
    write(root, CHAPTER, '<section class="chapter" id="{{ chapter.id }}">\n'
                         f"{body}\n</section>\n")


def _secret(outside: Path) -> Path:
    path = write(outside, "secret.txt", f"{SECRET}\n")
    return path


@generator
def template_lipsum_reads_outside(root: Path, outside: Path) -> None:
    """20.1: the audit's `lipsum.__globals__` read, aimed at a file beside the workspace."""
    secret = _secret(outside)
    _chapter(root, "{{ lipsum.__globals__['__builtins__']['open']"
                   f"('{secret}').read() }}}}")


@generator
def template_subclasses_read_outside(root: Path, outside: Path) -> None:
    """20.1: object.__subclasses__() to find a class whose module imported os."""
    secret = _secret(outside)
    _chapter(root, "{% for c in ''.__class__.__mro__[1].__subclasses__() %}"
                   "{% if c.__name__ == '_wrap_close' %}"
                   "{{ c.__init__.__globals__['popen']"
                   f"('cat {secret}').read() }}}}"
                   "{% endif %}{% endfor %}")


@generator
def template_cycler_runs_command(root: Path, outside: Path) -> None:
    """20.1: `cycler.__init__.__globals__.os.system`, which ran during check and build."""
    _chapter(root, "{{ cycler.__init__.__globals__.os.system"
                   f"('touch {outside / MARKER}') }}}}")


@generator
def template_format_string_escape(root: Path, outside: Path) -> None:
    """20.1: a format string walking to the globals, then a command."""
    _chapter(root, "{{ '{0.__init__.__globals__[os]}'.format(joiner)"
                   f".system('touch {outside / MARKER}') }}}}")


@generator
def template_namespace_runs_command(root: Path, outside: Path) -> None:
    """20.1: `namespace` and `|attr()` with the name spelt in escapes."""
    _chapter(root, "{{ (namespace|attr('\\x5f\\x5finit\\x5f\\x5f')|attr('\\x5f\\x5fglobals"
                   "\\x5f\\x5f'))['os'].system"
                   f"('touch {outside / MARKER}') }}}}")
