"""A Jinja2 sandbox with bounds, for templates users bring (``kb render --templates``).

Jinja2's own sandbox stops templates from reaching Python internals, but not
from exhausting the machine: ``'x' * 10**9``, ``'a'|center(10**9)``, nested
``range(99999)`` loops or a macro that calls itself.  :class:`BoundedSandbox`
adds the budgets of docs/limits.md:

* every arithmetic operator is checked before it runs (a string or list
  repeated past :data:`MAX_ITEMS`, a power past :data:`MAX_INT_BITS` bits) and
  its result after; division by zero is a clear error;
* ``range`` is bounded to :data:`MAX_RANGE` items, and all loops over ranges
  together to :data:`MAX_ITERATIONS`;
* filters take no size argument above :data:`MAX_FILTER_ARG` and return no
  string or list longer than :data:`MAX_ITEMS`; ``namespace`` attributes too;
* the render stops after :data:`RENDER_SECONDS` seconds or :data:`MAX_OUTPUT` characters.

Template files are read only from inside the template folders, after
resolving symbolic links (:class:`ConfinedLoader`).  Breaches raise
:class:`TemplateLimit`, which the renderer turns into a one-line TemplateError.
"""

from __future__ import annotations

import functools
import math
import os
import signal
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import re

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace, generate_lorem_ipsum

#: Longest string or list a template may build (characters or items).
MAX_ITEMS = 1_000_000
#: Largest integer a template may compute, in bits (about 3,000 decimal digits).
MAX_INT_BITS = 10_000
#: Largest ``range()``.
MAX_RANGE = 100_000
#: Most loop steps over ranges in one render.
MAX_ITERATIONS = 1_000_000
#: Largest size-like argument to a filter (center width, indent, truncate length…).
MAX_FILTER_ARG = 10_000
#: Longest output of one render (characters).
MAX_OUTPUT = 5_000_000
#: Longest a render may take (seconds).
RENDER_SECONDS = 10.0


class TemplateLimit(Exception):
    """A template went past a budget; the message is Chinese and names the budget."""


def _size(value: Any) -> int | None:
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
        return len(value)
    return None


def _check_result(value: Any) -> Any:
    size = _size(value)
    if size is not None and size > MAX_ITEMS:
        raise TemplateLimit(f"模板生成的文字或列表超过 {MAX_ITEMS:,} 项（上限）")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise TemplateLimit(f"模板计算出的数太大（超过 {MAX_INT_BITS:,} 位二进制）")
    return value


class _Budget:
    """What one render has used so far."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + RENDER_SECONDS
        self.iterations = 0

    def step(self, n: int = 1) -> None:
        self.iterations += n
        if self.iterations > MAX_ITERATIONS:
            raise TemplateLimit(f"模板循环超过 {MAX_ITERATIONS:,} 次（上限）")
        if self.iterations % 1024 == 0:
            self.tick()

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimit(f"模板渲染超过 {RENDER_SECONDS:g} 秒（上限），可能有过大的循环或递归")


_current = threading.local()


def _budget() -> _Budget:
    budget = getattr(_current, "budget", None)
    return budget if budget is not None else _Budget()  # outside render_budget(): nothing accumulates


class _BoundedRange:
    """``range`` whose iteration counts against the render's loop budget."""

    def __init__(self, *args: int) -> None:
        if not all(isinstance(a, int) for a in args):
            raise TemplateLimit("range() 的参数应是整数")
        self._range = range(*args)
        if len(self._range) > MAX_RANGE:
            raise TemplateLimit(f"range() 最多 {MAX_RANGE:,} 个数，这里有 {len(self._range):,} 个")

    def __iter__(self) -> Iterator[int]:
        budget = _budget()
        for value in self._range:
            budget.step()
            yield value

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: Any) -> Any:
        return self._range[index]

    def __contains__(self, value: Any) -> bool:
        return value in self._range

    def __repr__(self) -> str:
        return repr(self._range)


class _BoundedNamespace(Namespace):
    """``namespace()`` whose attributes are size-checked when set (``ns.s = ns.s ~ ns.s`` in a loop)."""

    def __setitem__(self, name: str, value: Any) -> None:
        _check_result(value)
        _budget().tick()
        super().__setitem__(name, value)


def _joined(values: Any) -> str:
    """``"".join`` of the values as text, refused before joining if the result would pass :data:`MAX_ITEMS`."""
    pieces = [v if isinstance(v, str) else str(v) for v in values]
    if sum(len(piece) for piece in pieces) > MAX_ITEMS:
        raise TemplateLimit(f"模板生成的文字超过 {MAX_ITEMS:,} 字（上限）")
    return "".join(pieces)


#: width or precision in a printf-style spec (``%1000000d``, ``%.*f``) and a ``{:>1000000}`` field
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_FIELD = re.compile(r"\{[^{}]*\}")


def _check_format(text: Any, args: Any = ()) -> None:
    """Refuse a format string whose widths or precisions would build a huge string."""
    if not isinstance(text, str):
        return
    numbers = []
    star = False
    for match in _PERCENT_SPEC.finditer(text):
        for group in match.groups():
            if group == "*":
                star = True
            elif group:
                numbers.append(group)
    for field in _BRACE_FIELD.findall(text):
        numbers += re.findall(r"\d+", field.partition(":")[2])
    if any(len(n) > 5 or int(n) > MAX_FILTER_ARG for n in numbers):
        raise TemplateLimit(f"格式中的宽度或精度太大（上限 {MAX_FILTER_ARG:,}）")
    values = args if isinstance(args, (tuple, list)) else (args,)
    if star and any(isinstance(v, int) and abs(v) > MAX_FILTER_ARG for v in values):
        raise TemplateLimit(f"格式中的宽度或精度太大（上限 {MAX_FILTER_ARG:,}）")


def _precheck_filter(name: str, args: tuple, kwargs: dict) -> None:
    """Size checks a filter needs before it runs (its result could be huge from small arguments)."""
    if name == "format" and args:
        _check_format(args[0], args[1:])
    elif name == "join" and args:
        values = args[1] if len(args) > 1 and not hasattr(args[0], "environment") else args[0]
        if isinstance(values, (list, tuple)):
            separator = next((a for a in args if isinstance(a, str)), kwargs.get("d", ""))
            total = sum(len(v) if isinstance(v, str) else 12 for v in values) + len(separator) * len(values)
            if total > MAX_ITEMS:
                raise TemplateLimit(f"模板生成的文字超过 {MAX_ITEMS:,} 字（上限）")
    elif name == "replace":
        texts = [a for a in args if isinstance(a, str)]
        if len(texts) >= 3:
            value, old, new = texts[-3:]
            count = value.count(old) if old else len(value) + 1
            if len(value) + count * len(new) > MAX_ITEMS:
                raise TemplateLimit(f"模板生成的文字超过 {MAX_ITEMS:,} 字（上限）")


def _bounded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    name = function.__name__.removeprefix("do_")

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # The first positional argument(s) may be the context or the value; size-like
        # arguments are the integers after it.
        for arg in list(args[1:]) + list(kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_FILTER_ARG:
                raise TemplateLimit(f"过滤器 {name} 的参数 {arg:,} 太大（上限 {MAX_FILTER_ARG:,}）")
        _precheck_filter(name, args, kwargs)
        _budget().tick()
        return _check_result(function(*args, **kwargs))

    return wrapper


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    if not all(isinstance(v, int) for v in (n, min, max)) or n > 100 or max > 1000 or min > max:
        raise TemplateLimit("lipsum() 最多 100 段、每段 1,000 词")
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` to a size-checked join instead of Jinja2's unchecked one."""

    def visit_Concat(self, node: Any, frame: Any) -> None:
        self.write("environment.bounded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(SandboxedEnvironment):
    """Jinja2's sandbox plus the budgets of this module."""

    intercepted_binops = frozenset(["+", "-", "*", "/", "//", "%", "**"])
    intercepted_unops = frozenset(["-", "+"])
    code_generator_class = _BoundedCodeGenerator
    #: what compiled templates join macro bodies and ``{% set %}`` blocks with
    concat = staticmethod(_joined)  # type: ignore[assignment]
    bounded_join = staticmethod(_joined)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = _BoundedRange
        self.globals["namespace"] = _BoundedNamespace
        self.globals["lipsum"] = _lipsum

    def wrap_str_format(self, value: Any) -> Any:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = getattr(value, "__self__", None)

        def checked(*args: Any, **kwargs: Any) -> Any:
            _check_format(text)
            return _check_result(wrapped(*args, **kwargs))

        return checked

    def finish_filters(self) -> None:
        """Wrap every filter (call after adding the project's own)."""
        for name, function in list(self.filters.items()):
            if not getattr(function, "_bounded", False):
                wrapped = _bounded_filter(function)
                wrapped._bounded = True  # type: ignore[attr-defined]
                self.filters[name] = wrapped

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _budget().tick()
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(n, int) and size * max(n, 0) > MAX_ITEMS:
                    raise TemplateLimit(f"模板把文字或列表重复到 {size * n:,} 项，超过上限 {MAX_ITEMS:,}")
        if operator == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float)):
            if abs(left) > 1 and right > 0:
                bits = right * math.log2(abs(left))
                if bits > MAX_INT_BITS:
                    raise TemplateLimit(f"模板计算出的数太大（{left}**{right}）")
        if operator == "+":
            a, b = _size(left), _size(right)
            if a is not None and b is not None and a + b > MAX_ITEMS:
                raise TemplateLimit(f"模板生成的文字或列表超过 {MAX_ITEMS:,} 项（上限）")
        if operator in ("/", "//", "%") and isinstance(right, (int, float)) and not isinstance(left, str) and right == 0:
            raise TemplateLimit("模板中除以零")
        if operator == "%" and isinstance(left, str):
            # "%s" % value: the sandbox formats; a huge number or width turns into a huge string.
            _check_format(left, right)
            values = right if isinstance(right, tuple) else (right,)
            for value in values:
                if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
                    raise TemplateLimit("模板要格式化的数太大")
        return _check_result(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _budget().tick()
        return _check_result(super().call(__context, __obj, *args, **kwargs))


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads nothing outside its folders, symbolic links resolved."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        roots = [os.path.realpath(folder) for folder in self.searchpath]
        if not any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots):
            raise TemplateLimit(f"模板“{template}”指向模板文件夹之外（{real}），已拒绝")
        return source, filename, uptodate


@contextmanager
def render_budget() -> Iterator[None]:
    """Give one render its budget (loop steps, deadline); in the main thread an alarm enforces the deadline."""
    previous = getattr(_current, "budget", None)
    _current.budget = _Budget()
    use_alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    old_handler: Any = None
    if use_alarm:
        def expired(signum: int, frame: Any) -> None:
            raise TemplateLimit(f"模板渲染超过 {RENDER_SECONDS:g} 秒（上限），可能有过大的循环或递归")

        old_handler = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, RENDER_SECONDS)
    try:
        yield
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old_handler)
        _current.budget = previous


def render_bounded(template: Any, context: dict) -> str:
    """Render ``template`` within the budgets: output collected piece by piece, checked as it grows."""
    pieces: list[str] = []
    total = 0
    with render_budget():
        budget = _budget()
        for piece in template.generate(**context):
            total += len(piece)
            if total > MAX_OUTPUT:
                raise TemplateLimit(f"模板输出超过 {MAX_OUTPUT:,} 字（上限）")
            pieces.append(piece)
            budget.tick()
    return "".join(pieces)
