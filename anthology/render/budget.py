"""The budget of one theme render: how long it may take, how much it may make and write.

A theme is code from whoever shared it, and it renders in a build, in `anthology check` and
in the preview server's threads, where no signal can stop it. So the sandbox counts instead
(loop iterations, calls, operators, output) and looks at the clock as it counts; and where an
operation could make a huge value from small ones (`'x' * 10**9`, `9 ** 9 ** 9`, a format
width, a join) the size is worked out and refused before anything is made.
"""

from __future__ import annotations

import re
import string
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from datetime import date, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any

# Seconds of processor time one render may use (the thread's own, so a busy machine does not
# fail a render that is merely slow to be scheduled): a guard against what the step count
# misses. The default theme renders a 300-review volume in about 170,000 steps.
TIME_LIMIT = 20.0
MAX_STEPS = 5_000_000  # loop turns, calls, operators, attributes and outputs of one render
MAX_ITERATIONS = 1_000_000  # loop turns of one render
MAX_RANGE = 100_000  # numbers of one range()
MAX_DEPTH = 40  # calls (macros, caller(), loop()) inside one another
MAX_ITEMS = 1_000_000  # items of one list, tuple or dict
MAX_SIZE = 64 * 1024 * 1024  # a value's size: characters, items and all they hold
MAX_MADE = 512 * 1024 * 1024  # all values one render makes, by size
MAX_OUTPUT = 128 * 1024 * 1024  # characters one render writes
MAX_WIDTH = 10_000  # a format's width or precision
MAX_INT_BITS = 10_000  # of a number a template computes (10 ** 3000)
CLOCK_EVERY = 64  # steps between looks at the clock

_SCALARS = (int, float, complex, type(None), date, clock, timedelta, Decimal)
_CONTAINERS = (list, tuple, set, frozenset, dict)


class SandboxLimit(Exception):
    """A theme render went past its budget or asked for something a theme may not do; the
    message says which, in the words an author can act on."""


class Budget:
    """What one render has spent so far (one per thread: the preview renders in several)."""

    __slots__ = ("deadline", "depth", "iterations", "made", "sizes", "steps", "used",
                 "written")

    def __init__(self) -> None:
        self.deadline = time.thread_time() + TIME_LIMIT
        self.steps = self.iterations = self.depth = self.made = self.written = 0
        self.used: list[tuple[str, str | None]] = []  # templates it loaded: (name, file)
        self.sizes: dict[int, tuple[object, int]] = {}  # id -> (kept alive, size)

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise SandboxLimit(f"the template does more than {MAX_STEPS:,} steps in one "
                               "render: it loops or recurses too much")
        if self.steps % CLOCK_EVERY == 0 and time.thread_time() > self.deadline:
            raise SandboxLimit(f"the template takes more than {TIME_LIMIT:g} seconds to "
                               "render: it loops or recurses too much")


_local = threading.local()


def current() -> Budget | None:
    return getattr(_local, "budget", None)


@contextmanager
def budget() -> Iterator[Budget]:
    """The budget of the render under way in this thread, or a new one for a new render."""
    spent = current()
    if spent is not None:
        yield spent
        return
    _local.budget = spent = Budget()
    try:
        yield spent
    finally:
        _local.budget = None


def step() -> None:
    spent = current()
    if spent is not None:
        spent.step()


def counted(iterable: Iterable[Any]) -> Iterator[Any]:
    """A for loop's items, each counted against the render's budget."""
    spent = current()
    for item in iterable:
        if spent is not None:
            spent.step()
            spent.iterations += 1
            if spent.iterations > MAX_ITERATIONS:
                raise SandboxLimit(f"the template loops more than {MAX_ITERATIONS:,} times "
                                   "in one render")
        yield item


def written(text: str) -> str:
    """Output on its way into the document (also from macros and `set` blocks)."""
    spent = current()
    if spent is not None:
        spent.step()
        spent.written += len(text)
        if spent.written > MAX_OUTPUT:
            raise SandboxLimit(f"the template writes more than {MAX_OUTPUT:,} characters")
    return text


def size(value: object, depth: int = 0) -> int:
    """How big `value` is once written out, roughly: characters of text, digits of numbers,
    items of containers and all they hold (a list of one text repeated a million times is a
    million texts)."""
    if isinstance(value, str | bytes | bytearray):
        return len(value)
    if isinstance(value, int):
        return value.bit_length() // 3 + 1
    if isinstance(value, _SCALARS):
        return 8
    if not isinstance(value, _CONTAINERS) and not (is_dataclass(value)
                                                   and not isinstance(value, type)):
        return 8
    spent = current()
    if spent is not None and id(value) in spent.sizes:
        return spent.sizes[id(value)][1]
    if depth > 20:
        return MAX_SIZE + 1
    if isinstance(value, dict):
        parts: Iterable[object] = (x for pair in value.items() for x in pair)
    elif isinstance(value, _CONTAINERS):
        parts = value
    else:
        parts = (getattr(value, f.name, None) for f in fields(value))
    total = 1
    for part in parts:
        total += 1 + size(part, depth + 1)
        if total > MAX_SIZE:
            break
    if spent is not None and (total > 64 or is_dataclass(value)):
        spent.sizes[id(value)] = (value, total)
    return total


def limit(amount: int, what: str) -> None:
    if amount > MAX_SIZE:
        raise SandboxLimit(f"{what} would make a value of {amount:,} characters or items; a "
                           f"template may make {MAX_SIZE:,} at most")


def made(value: Any, what: str = "the template") -> Any:
    """A value the template just made (by an operator, a call, a filter, a literal):
    refused when too big, and counted against the render's budget."""
    if isinstance(value, _CONTAINERS) and len(value) > MAX_ITEMS:
        raise SandboxLimit(f"{what} makes a list of {len(value):,} items; a template may "
                           f"make {MAX_ITEMS:,} at most")
    limit(size(value), what)
    spent = current()
    if spent is not None:  # what it took to make: its own characters or items, not theirs
        spent.step()
        spent.made += len(value) if isinstance(value, (str, bytes, *_CONTAINERS)) else 1
        if spent.made > MAX_MADE:
            raise SandboxLimit(f"the template makes more than {MAX_MADE:,} characters of "
                               "values in one render")
    return value


def bounded_range(*args: int) -> range:
    """`range` for templates: at most MAX_RANGE numbers."""
    numbers = range(*args)
    try:
        count = len(numbers)
    except OverflowError:
        count = MAX_RANGE + 1
    if count > MAX_RANGE:
        raise SandboxLimit(f"range() of {count:,} numbers; a template counts to "
                           f"{MAX_RANGE:,} at most")
    return numbers


def _width(number: str) -> None:
    if number == "*" or "{" in number:
        raise SandboxLimit("a format width given as an argument: write the number")
    if number and int(number) > MAX_WIDTH:
        raise SandboxLimit(f"a format width of {int(number):,}; at most {MAX_WIDTH:,}")


_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?.")


def check_percent(fmt: str) -> None:
    """`'%99999999d' % 1` and the `format` filter: widths and precisions within bounds."""
    for match in _PERCENT.finditer(fmt):
        for number in match.groups():
            _width(number or "")


def check_format(fmt: str) -> None:
    """`'{:>99999999}'.format(1)`: every field's width and precision within bounds."""
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # format() itself says what is wrong with it
    for _, _, spec, _ in parsed:
        if spec and "{" in spec:
            _width("{")
        for number in re.findall(r"\d+", spec or ""):
            _width(number)


def replaced_size(text: str | bytes, old: Any, new: Any, count: Any = -1) -> int:
    if not isinstance(old, str | bytes) or not isinstance(new, str | bytes):
        return len(text)
    places = text.count(old) if old else len(text) + 1  # type: ignore[arg-type]
    if isinstance(count, int) and count >= 0:
        places = min(places, count)
    return len(text) + places * max(0, len(new) - len(old))


def joined_size(separator: str | bytes, items: list[Any]) -> int:
    return len(separator) * max(0, len(items) - 1) + sum(size(item) for item in items)


def power(left: Any, right: Any) -> None:
    """Refuse an integer power whose digits would take long to compute: `9 ** 9 ** 9`."""
    if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1 \
            and left.bit_length() * right > MAX_INT_BITS:
        raise SandboxLimit(f"{left} ** {right} is too large a number for a template")


def product(left: Any, right: Any) -> None:
    """Refuse a repetition or a product too large to make: `'x' * 10**9`, `[1] * 10**8`."""
    if isinstance(left, int) and not isinstance(right, int):
        left, right = right, left
    if isinstance(right, int) and isinstance(left, str | bytes | list | tuple):
        if isinstance(left, list | tuple) and len(left) * max(right, 0) > MAX_ITEMS:
            raise SandboxLimit(f"a list of {len(left) * right:,} items; a template may "
                               f"make {MAX_ITEMS:,} at most")
        limit(size(left) * max(right, 0), f"repeating it {right:,} times")
    elif isinstance(left, int) and isinstance(right, int) \
            and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise SandboxLimit("too large a number for a template")


def total(left: Any, right: Any) -> None:
    if isinstance(left, str | bytes | list | tuple) and isinstance(right, type(left)):
        limit(size(left) + size(right), "adding them")
