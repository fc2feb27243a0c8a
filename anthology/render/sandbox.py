"""The sandbox theme templates render in.

A theme is shared between authors like any other file, so its templates are untrusted code:
they render in Jinja's immutable sandbox (no attribute that starts with `_`, no mutation),
made stricter still. Attributes are read only from plain values (text, numbers, dates,
lists, dicts), the book's own records and Jinja's loop helpers, never from a path, a module,
a class or a function; so `cycler.__init__.__globals__`, `book.cover.source.read_text()` and
`dict.mro()` all end in an error. `lipsum` is gone (it made every build differ anyway) and
`range` counts to `budget.MAX_RANGE`. Every loop, call, operator, attribute and output is
counted against the render's budget (`anthology/render/budget.py`), so a template that loops,
recurses or grows a value without end stops with an error instead of hanging the build or
the preview.
"""

from __future__ import annotations

import functools
import inspect
import types
from collections.abc import Callable
from dataclasses import is_dataclass
from datetime import date, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.filters import make_attrgetter
from jinja2.runtime import (
    BlockReference,
    LoopContext,
    Macro,
    TemplateReference,
    Undefined,
    markup_join,
    str_join,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import soft_str

from anthology.render import budget
from anthology.render.budget import MAX_DEPTH, MAX_SIZE, SandboxLimit

_VALUES = (str, bytes, int, float, type(None), date, clock, timedelta, Decimal, list, tuple,
           dict, set, frozenset, range)
_HELPERS = (LoopContext, Cycler, Joiner, Namespace, Macro, TemplateReference, BlockReference,
            jinja2.environment.TemplateModule)
_OPERANDS = (str, bytes, int, float, date, clock, timedelta, Decimal, list, tuple, set,
             frozenset, Undefined)


def _ours(value: object) -> bool:
    """One of anthology's own records (a book, a chapter, a fact), made for templates."""
    return _our_type(type(value))


@functools.cache
def _our_type(kind: type) -> bool:
    return is_dataclass(kind) and kind.__module__.startswith("anthology.")


COUNTED = "anthology.counted"  # the filter every loop's items pass: no template can name it


@jinja2.pass_context  # so Jinja never runs it while compiling
def _counted(context: jinja2.runtime.Context, iterable: Any) -> Any:
    return budget.counted(iterable)


class _SandboxCode(CodeGenerator):
    """Jinja's code generator with the budget's counters put where no hook of the sandbox
    reaches: every output, every `~` and every literal list, tuple and dict."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write("environment.written(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    def _output_const_repr(self, group: Any) -> str:
        return f"environment.written({super()._output_const_repr(group)})"

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            markup = "context.eval_ctx.volatile"
        else:
            markup = str(bool(frame.eval_ctx.autoescape))
        self.write("environment.concat_parts((")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write(f"), {markup})")

    def _made(self, visit: Callable[..., None], node: nodes.Expr, frame: Frame) -> None:
        if getattr(node, "ctx", "load") != "load":
            visit(node, frame)
            return
        self.write("environment.made(")
        visit(node, frame)
        self.write(")")

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self._made(super().visit_List, node, frame)

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        self._made(super().visit_Tuple, node, frame)

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self._made(super().visit_Dict, node, frame)


class SandboxTemplate(jinja2.Template):
    """A template whose every render runs within one budget."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with budget.budget():
            return super().render(*args, **kwargs)


_CHECKED_FILTERS = frozenset({"center", "indent", "batch", "slice", "replace", "join", "format",
                              "sum"})


def _check_filter(name: str, arguments: dict[str, Any]) -> None:
    """Refuse, before it runs, a filter call that would make a huge value."""
    if name == "center":
        budget.limit(arguments["width"] if isinstance(arguments["width"], int) else 0,
                     "center()")
    elif name == "indent":
        width = arguments["width"]
        each = width if isinstance(width, int) else len(str(width))
        text = soft_str(arguments["s"])
        budget.limit(len(text) + (text.count("\n") + 1) * each, "indent()")
    elif name in ("batch", "slice"):
        count = arguments["linecount" if name == "batch" else "slices"]
        if isinstance(count, int) and count > budget.MAX_ITEMS:
            raise SandboxLimit(f"{name}({count:,}): a template may make {budget.MAX_ITEMS:,} "
                               "items at most")
    elif name == "replace":
        text = arguments["s"]
        text = text if isinstance(text, str) else soft_str(text)
        budget.limit(budget.replaced_size(text, str(arguments["old"]), str(arguments["new"]),
                                          arguments["count"] or -1), "replace()")
    elif name == "join":
        items = list(arguments["value"])
        if arguments["attribute"] is not None:
            getter = make_attrgetter(arguments["eval_ctx"].environment, arguments["attribute"])
            items, arguments["attribute"] = [getter(item) for item in items], None
        budget.limit(budget.joined_size(str(arguments["d"]), items), "join()")
        arguments["value"] = items
    elif name == "format":
        budget.check_percent(soft_str(arguments["value"]))
    elif name == "sum" and not isinstance(arguments["start"], int | float | Decimal):
        raise SandboxLimit("sum() adds numbers in a template")


def guarded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """The filter `name` (Jinja's or anthology's), counted against the budget and refusing
    to make a value too big."""
    signature = inspect.signature(function) if name in _CHECKED_FILTERS else None

    @functools.wraps(function)
    def filter_(*args: Any, **kwargs: Any) -> Any:
        budget.step()
        if signature is not None:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            _check_filter(name, bound.arguments)
            args, kwargs = bound.args, bound.kwargs
        return budget.made(function(*args, **kwargs), f"the '{name}' filter")

    return filter_


def _check_method(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple:
    """Refuse a method of text or a number that would make a huge value: `'x'.ljust(10**9)`,
    `s.replace('', s)`, `s.join(...)`. Returns the arguments to call it with."""
    owner = getattr(method, "__self__", None)
    if not isinstance(owner, str | bytes | int) or isinstance(owner, bool):
        return args
    name = getattr(method, "__name__", "")
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and abs(value) > MAX_SIZE:
            budget.limit(abs(value), f"{name}({value:,})")
    if not isinstance(owner, str | bytes):
        return args
    if name == "expandtabs":
        tab = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(tab, int):
            budget.limit(len(owner) + owner.count("\t" if isinstance(owner, str) else b"\t")
                         * tab, "expandtabs()")
    elif name == "replace" and len(args) >= 2:
        budget.limit(budget.replaced_size(owner, *args[:3]), "replace()")
    elif name == "join" and args:
        items = list(args[0])
        budget.limit(budget.joined_size(owner, items), "join()")
        return (items, *args[1:])
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((budget.size(v) for v in args[0].values()), default=1)
        budget.limit(len(owner) * max(longest, 1), "translate()")
    return args


class ThemeSandbox(ImmutableSandboxedEnvironment):
    """The environment every theme template renders in."""

    code_generator_class = _SandboxCode
    template_class = SandboxTemplate
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        del self.globals["lipsum"]
        self.globals["range"] = budget.bounded_range
        self.filters = {name: guarded(name, f) for name, f in self.filters.items()}
        self.filters[COUNTED] = _counted

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's syntax tree, each for loop's items passed through COUNTED."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, COUNTED, [], [], None, None,
                                     lineno=loop.iter.lineno)
            loop.iter.set_environment(self)
        return tree

    written = staticmethod(budget.written)
    made = staticmethod(budget.made)

    @staticmethod
    def concat_parts(parts: tuple[Any, ...], markup: bool) -> str:
        texts = [soft_str(part) for part in parts]
        budget.limit(sum(map(len, texts)), "joining them with ~")
        return budget.made(markup_join(texts) if markup else str_join(texts))

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, _HELPERS):
            return True
        if _ours(obj):  # the book's records: their data, none of their methods
            return self._our_data(value)
        if isinstance(obj, _VALUES):  # text, numbers, dates, lists: their methods and data
            return isinstance(value, (types.BuiltinMethodType, types.MethodType, *_VALUES)) \
                and not isinstance(value, type)
        return False

    def getattr(self, obj: Any, attribute: str) -> Any:
        budget.step()
        if _ours(obj) and not attribute.startswith("_"):  # the common case, made quick
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return self.undefined(obj=obj, name=attribute)
            if self._our_data(value):
                return value
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    @staticmethod
    def _our_data(value: Any) -> bool:
        """What a template may read from the book's records: their data, none of their
        methods, no path of this machine."""
        return not callable(value) and (isinstance(value, _VALUES + _HELPERS) or _ours(value))

    def getitem(self, obj: Any, argument: Any) -> Any:
        budget.step()
        return super().getitem(obj, argument)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        budget.check_format(value.__self__)

        @functools.wraps(wrapper)
        def formatted(*args: Any, **kwargs: Any) -> str:
            budget.step()
            return budget.made(wrapper(*args, **kwargs), "format()")

        return formatted

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any,
             **kwargs: Any) -> Any:
        spent = budget.current()
        budget.step()
        if isinstance(obj, LoopContext) and args:  # a recursive loop's next level
            args = (budget.counted(args[0]), *args[1:])
        args = _check_method(obj, args, kwargs)
        if spent is not None:
            spent.depth += 1
            if spent.depth > MAX_DEPTH:
                raise SandboxLimit(f"calls nest more than {MAX_DEPTH} deep: a macro that "
                                   "calls itself?")
        try:
            return budget.made(super().call(context, obj, *args, **kwargs),
                               f"calling {getattr(obj, '__name__', 'it')}()")
        finally:
            if spent is not None:
                spent.depth -= 1

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        budget.step()
        for operand in (left, right):
            if not isinstance(operand, _OPERANDS):
                raise SandboxLimit(f"the operator {operator} is not for a "
                                   f"{type(operand).__name__} in a template")
        if operator == "**":
            budget.power(left, right)
        elif operator == "*":
            budget.product(left, right)
        elif operator == "+":
            budget.total(left, right)
        elif operator == "%" and isinstance(left, str | bytes):
            budget.check_percent(left if isinstance(left, str) else left.decode("latin-1"))
        return budget.made(super().call_binop(context, operator, left, right),
                           f"the operator {operator}")

    def get_template(self, name: Any, parent: str | None = None,
                     globals: Any = None) -> jinja2.Template:
        return self._used(super().get_template(name, parent, globals))

    def select_template(self, names: Any, parent: str | None = None,
                        globals: Any = None) -> jinja2.Template:
        return self._used(super().select_template(names, parent, globals))

    @staticmethod
    def _used(template: jinja2.Template) -> jinja2.Template:
        spent = budget.current()
        if spent is not None and (template.name, template.filename) not in spent.used:
            spent.used.append((template.name, template.filename))
        return template

