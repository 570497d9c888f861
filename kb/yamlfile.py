"""Reading YAML as people write it: the one loader for profiles, packs, the taxonomy and front matter.

Users write YAML bare: ``阶段比例: 4:3:3``, ``时间: 9:30``, ``序号: 05``,
``开始日期: 2005-07-01``, ``回答: yes``.  YAML 1.1 (PyYAML's default) reads
these as the sexagesimal 14583, 570, 5, a ``date`` (or a ValueError for
2005-13-45) and True.  :func:`load_yaml` resolves only what YAML 1.2's core
schema does, and a little less:

* ``true``/``false`` (any case) are booleans; ``yes``/``no``/``on``/``off`` stay text;
* ``null``, ``~`` and an empty value are None;
* decimal integers without a leading zero (``20``, ``-3``) are ints; ``05``, ``0x1F``,
  ``1_000`` and ``4:3:3`` stay text;
* decimal floats (``0.4``, ``1e3``) are floats;
* everything else, dates and times included, is text (the schema's own
  parsers read dates, with a Chinese message for one that does not exist).

It also bounds the work a small file can cause: aliases (``*名字``) are
refused (a 500-byte alias bomb expands past gigabytes), nesting deeper than
:data:`MAX_DEPTH` is refused (5,000 nested lists would exhaust the stack),
and so is text longer than :data:`MAX_BYTES`.

Every problem raises the caller's error class (a
:class:`~dangjian.kb.errors.DangjianError`) with a one-line Chinese message
naming the file and the line, and the common causes recognized: a full-width
colon or space, a missing space after the colon, a tab, an unclosed bracket
or quote.  :func:`unknown_keys` turns keys nobody reads into warnings with a
"did you mean" suggestion.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from .didyoumean import suggest
from .errors import DangjianError, InputError

#: Deepest nesting of lists and mappings accepted.
MAX_DEPTH = 40
#: Longest YAML text accepted, in characters (the bundled pack is 38 KB; PyYAML reads about 100 KB a second).
MAX_BYTES = 1_000_000

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+)\Z")
_BOOL = re.compile(r"(?:true|false)\Z", re.IGNORECASE)
_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")

_LOADER: Any = None


class _Refused(Exception):
    """Raised inside the composer; turned into the caller's error with the line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _loader() -> Any:
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml

    class Loader(yaml.SafeLoader):
        """SafeLoader with the core-schema resolvers only, no aliases, bounded depth."""

        yaml_implicit_resolvers: dict = {}
        _depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise _Refused(f"不支持 YAML 别名（*{event.anchor}）：请把内容直接写出来", event.start_mark.line)
            self._depth += 1
            try:
                if self._depth > MAX_DEPTH:
                    event = self.peek_event()
                    raise _Refused(f"嵌套超过 {MAX_DEPTH} 层", event.start_mark.line)
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

        def construct_yaml_int(self, node: Any) -> Any:
            return int(self.construct_scalar(node))

        def construct_yaml_float(self, node: Any) -> Any:
            return float(self.construct_scalar(node))

        def construct_yaml_bool(self, node: Any) -> Any:
            return self.construct_scalar(node).lower() == "true"

    # An explicit tag (!!timestamp, !!int 0x1F …) is read as text too: only the core types are built.
    for tag in ("timestamp", "binary", "set", "omap", "pairs"):
        Loader.add_constructor(f"tag:yaml.org,2002:{tag}", yaml.SafeLoader.construct_yaml_str)
    Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)
    Loader.add_constructor("tag:yaml.org,2002:float", Loader.construct_yaml_float)
    Loader.add_constructor("tag:yaml.org,2002:bool", Loader.construct_yaml_bool)
    Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))
    Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
    Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))
    Loader.add_implicit_resolver("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""])
    Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"<<\Z"), ["<"])
    _LOADER = Loader
    return Loader


def load_yaml(text: str, source: str = "", *, error: type[DangjianError] = InputError,
              first_line: int = 1) -> Any:
    """Return the data in YAML ``text``; raise ``error`` with a Chinese message naming ``source`` and the line.

    ``first_line`` is the file line the text starts on (front matter starts on line 2).
    """
    import yaml

    where = f"{source} " if source else ""
    if len(text) > MAX_BYTES:
        raise error(f"{where}太大（超过 {MAX_BYTES // 1_000_000} MB），不像是手写的 YAML")
    deep = _too_deep_flow(text)
    if deep is not None:  # checked before PyYAML, whose scanner is quadratic in [[[ … nesting
        raise error(f"{where}第{deep + first_line}行：嵌套超过 {MAX_DEPTH} 层")
    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - the loader is a restricted SafeLoader
    except _Refused as refused:
        raise error(f"{where}第{refused.line + first_line}行：{refused.message}") from None
    except yaml.YAMLError as problem:
        line, cause = diagnose(text, problem)
        at = f"第{line + first_line}行：" if line is not None else ""
        raise error(f"{where}{at}{cause}") from None
    except RecursionError:
        raise error(f"{where}嵌套太深") from None


def load_mapping(text: str, source: str = "", *, error: type[DangjianError] = InputError, first_line: int = 1,
                 expected: str = "“键: 值”的形式") -> dict:
    """Return the mapping in YAML ``text`` ({} for an empty text); anything else is ``error``, with the usual cause."""
    data = load_yaml(text, source, error=error, first_line=first_line)
    if data is None:
        return {}
    if isinstance(data, dict):
        return data
    where = f"{source} " if source else ""
    for number, line in enumerate(text.splitlines()):
        cause = _line_cause(line)
        if cause:
            raise error(f"{where}第{number + first_line}行：{cause}")
    raise error(f"{where}应是{expected}")


def _too_deep_flow(text: str) -> int | None:
    """Return the 0-based line where ``[``/``{`` nesting passes :data:`MAX_DEPTH` (quotes and comments skipped), else None."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    quote = ""
    line = 0
    previous = "\n"
    for char in text:
        if char == "\n":
            line += 1
            if quote == "#":
                quote = ""
        elif quote:
            if char == quote and quote != "#":
                quote = ""
        elif char in "'\"" and (previous in " \t\n[{,:" ):
            quote = char
        elif char == "#" and previous in " \t\n":
            quote = "#"
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        previous = char
    return None


def diagnose(text: str, problem: Exception) -> tuple[int | None, str]:
    """Return (0-based line, Chinese cause) for a YAML error in ``text``, looking for the usual mistakes first."""
    mark = getattr(problem, "problem_mark", None)
    mark_line = mark.line if mark is not None else None
    lines = text.splitlines()
    limit = len(lines) if mark_line is None else min(len(lines), mark_line + 1)
    for number in range(limit):
        found = _line_cause(lines[number])
        if found:
            return number, found
    if mark_line is not None and mark_line >= len(lines):  # the end of the text: an unclosed bracket or quote
        for number in range(len(lines) - 1, -1, -1):
            if lines[number].strip():
                return number, "这一行之后文件就结束了，缺少闭合的括号或引号"
    return mark_line, f"不是有效的 YAML（{_translate(getattr(problem, 'problem', None) or str(problem))}）"


def _line_cause(line: str) -> str:
    """Return the usual mistake on ``line`` in Chinese, or ''."""
    body = re.sub(r"\s#.*", "", line)
    stripped = body.lstrip(" ")
    if not stripped.strip() or stripped.startswith("#"):
        return ""
    if stripped.startswith("\t"):
        return "这一行用 Tab 缩进了：YAML 只能用空格缩进，请把 Tab 换成空格"
    if stripped.startswith("\u3000"):
        return "这一行开头是全角空格：请换成半角空格"
    content = stripped[2:] if stripped.startswith("- ") else stripped
    if content.startswith(('"', "'", "[", "{")):
        value = content
    elif ": " in content or content.rstrip().endswith(":"):
        value = content.partition(":")[2].strip()
    else:
        key, colon, rest = content.partition(":")
        if "：" in content:
            return "这一行用了全角冒号“：”：键和值之间请用半角冒号加空格，如 领域: 社区"
        if colon and rest.startswith("\u3000"):
            return "冒号后面是全角空格：请换成半角空格，如 领域: 社区"
        if colon and rest and not key.strip()[-1:].isdigit() and not rest[:1].isdigit():
            return "冒号后面缺少空格：请写成 键: 值，如 领域: 社区"
        value = content
    for opener, closer, name in (("[", "]", "方括号"), ("{", "}", "花括号")):
        if value.startswith(opener) and value.count(opener) > value.count(closer):
            return f"{name}没有闭合：缺少“{closer}”"
    for quote in ('"', "'"):
        if value.startswith(quote) and (len(value.rstrip()) == 1 or not value.rstrip().endswith(quote)):
            return f"引号没有闭合：缺少结尾的 {quote}"
    return ""


_PROBLEMS = (
    ("could not find expected ':'", "缺少“: ”"),
    ("found character '\\t' that cannot start any token", "有 Tab 字符"),
    ("mapping values are not allowed here", "这里不能再出现“键: 值”，可能缩进不对或值里有“: ”（请给值加引号）"),
    ("expected ',' or ']'", "方括号没有闭合"),
    ("expected ',' or '}'", "花括号没有闭合"),
    ("found unexpected end of stream", "文件意外结束（括号或引号没有闭合）"),
    ("did not find expected key", "缩进不对"),
    ("did not find expected '-' indicator", "列表缩进不对"),
    ("found undefined alias", "不支持 YAML 别名"),
    ("expected <document start>", "缩进不对或多了内容"),
    ("found unknown escape character", "双引号中的反斜杠 \\ 需要写成 \\\\"),
)


def _translate(problem: str) -> str:
    for english, chinese in _PROBLEMS:
        if english in problem:
            return chinese
    return "格式有误"


def unknown_keys(keys: Iterable[Any], known: Iterable[str], what: str = "键") -> list[str]:
    """Return one Chinese warning per key of ``keys`` not in ``known`` (case-insensitive), with a suggestion."""
    known_list = list(known)
    folded = {k.strip().lower() for k in known_list}
    notes = []
    for key in keys:
        text = str(key).strip()
        if text.lower() in folded:
            continue
        near = suggest(text, known_list)
        hint = f"，是不是“{near}”？" if near else ""
        notes.append(f"未识别的{what}“{text}”，已忽略{hint}")
    return notes
