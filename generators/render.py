"""The public rendering pipeline: Jinja2 template → Markdown → document model → .docx / HTML.

>>> from dangjian.generators.render import render_markdown
>>> data = render_markdown("# 关于召开动员大会的通知\\n\\n各党支部：……", fmt="docx")

* :func:`render_markdown` — Markdown with YAML front matter → .docx bytes, HTML or normalized Markdown;
* :func:`render_template` — a Jinja2 template (StrictUndefined) producing such Markdown;
* :func:`render_model` — a :class:`~dangjian.generators.docmodel.DocModel` built in Python;
* :func:`combine` — several documents as one, each from a new page.

The Markdown conventions are in docs/render.md.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
import traceback
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..kb.errors import InputError, RenderError, TemplateError
from .docmodel import DocModel, combine
from .markdown_model import parse_markdown, split_front_matter
from .text import normalize

FORMATS = ("docx", "html", "md", "pdf")
#: Output file suffix → format (what -o may end with).
SUFFIXES = {".docx": "docx", ".html": "html", ".htm": "html", ".md": "md", ".pdf": "pdf"}
_SUFFIX_NAMES = ".docx（Word）、.pdf（经 LibreOffice 转换）、.html（网页预览）、.md（Markdown）"
TEMPLATE_SUFFIXES = ("", ".md.j2", ".j2", ".md")

__all__ = [
    "FORMATS",
    "DocModel",
    "combine",
    "render_markdown",
    "render_model",
    "render_template",
    "resolve_format",
    "template_source",
    "write_atomic",
]


def render_markdown(source: str, *, fmt: str | None = None, output: str | Path | None = None,
                    variables: dict | None = None, filename: str = "<string>") -> bytes | str:
    """Render Markdown (optionally with YAML front matter) to 'docx' (bytes), 'html' (str) or 'md' (str).

    ``variables`` override front matter keys.  'md' returns the normalized
    Markdown (front matter merged with ``variables``, text normalized as it will
    be printed).  If ``output`` is given the result is also written there
    atomically (temporary file + rename); without ``fmt`` its suffix chooses the
    format.  Raises TemplateError for invalid input (naming ``filename``),
    InputError for an unknown format or one that contradicts the suffix.
    """
    fmt = resolve_format(fmt, output)
    if fmt == "md":
        data, body, _ = split_front_matter(source, filename)
        merged = {key: _normalize_value(value) for key, value in {**data, **(variables or {})}.items()}
        text = "\n".join(normalize(line) for line in body.split("\n"))
        if merged:
            head = yaml.safe_dump(merged, allow_unicode=True, sort_keys=False, default_flow_style=False)
            text = f"---\n{head}---\n{text}"
        if output is not None:
            write_atomic(output, text.encode("utf-8"))
        return text
    doc = parse_markdown(source, variables=variables, filename=filename)
    return render_model(doc, fmt=fmt, output=output)


def render_model(doc: DocModel, *, fmt: str | None = None, output: str | Path | None = None) -> bytes | str:
    """Render a document model to 'docx' or 'pdf' (bytes) or 'html' (str); write it to ``output`` if given.

    'pdf' needs LibreOffice (RenderError saying so when it is not installed).
    """
    fmt = resolve_format(fmt, output)
    if fmt == "md":
        raise InputError("文档模型不能输出为 Markdown：请选择 docx 或 html")
    if fmt in ("docx", "pdf"):
        from .docx_render import render_docx

        result: bytes | str = render_docx(doc)
        if fmt == "pdf":
            from .pdf_output import docx_to_pdf

            result = docx_to_pdf(result)
    else:
        from .html_render import render_html

        result = render_html(doc)
    if output is not None:
        write_atomic(output, result.encode("utf-8") if isinstance(result, str) else result)
    return result


def render_template(name_or_path: str, context: dict, *, fmt: str | None = None, output: str | Path | None = None,
                    template_dirs: list[Path] | None = None, sandboxed: bool = False) -> bytes | str:
    """Render a Jinja2 template producing Markdown, then that Markdown (see :func:`render_markdown`).

    Templates are looked up in ``template_dirs`` (first wins, so user folders
    override the built-ins), then in the package ``dangjian.templates``; a
    name may omit the ``.md.j2`` suffix, and an existing file path is used as
    is.  Undefined variables are errors (StrictUndefined).  ``sandboxed`` uses
    Jinja2's SandboxedEnvironment (for user-supplied templates).  Raises
    TemplateError naming the file and line, or the missing variable.
    """
    fmt = resolve_format(fmt, output)
    markdown_text, filename = template_source(name_or_path, context, template_dirs=template_dirs,
                                              sandboxed=sandboxed)
    return render_markdown(markdown_text, fmt=fmt, output=output, filename=filename)


def template_source(name_or_path: str, context: dict, *, template_dirs: list[Path] | None = None,
                    sandboxed: bool = False) -> tuple[str, str]:
    """Return (Markdown produced by the template, the template's file name)."""
    import jinja2

    from jinja2.sandbox import SecurityError

    from .sandbox import TemplateLimit, render_bounded

    env, name = _environment(name_or_path, template_dirs, sandboxed)
    try:
        template = env.get_template(name)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"{_short(error.filename or name)} 第{error.lineno}行：模板语法错误：{error.message}") from None
    except jinja2.TemplateNotFound:
        raise TemplateError(f"找不到模板“{name_or_path}”（查找位置：{_search_text(env)}）") from None
    except TemplateLimit as error:
        raise TemplateError(str(error)) from None
    filename = template.filename or name
    try:
        return (render_bounded(template, context) if sandboxed else template.render(**context)), filename
    except TemplateLimit as error:
        line = _template_line(error, filename)
        where = f"{_short(filename)} 第{line}行" if line else _short(filename)
        raise TemplateError(f"{where}：{error}") from None
    except RecursionError:
        raise TemplateError(f"{_short(filename)}：模板递归太深（宏调用自身，或模板包含自身）") from None
    except jinja2.TemplateNotFound as error:
        line = _template_line(error, filename)
        where = f"{_short(filename)} 第{line}行" if line else _short(filename)
        raise TemplateError(f"{where}：找不到要包含的模板“{error.name}”（只能包含模板文件夹中的文件，不能用 .. 或绝对路径）") from None
    except SecurityError as error:
        line = _template_line(error, filename)
        where = f"{_short(filename)} 第{line}行" if line else _short(filename)
        attribute = re.search(r"attribute '([^']+)'", str(error))
        what = f"属性 {attribute.group(1)}" if attribute else "属性或函数"
        raise TemplateError(f"{where}：模板访问了沙箱不允许的{what}") from None
    except (ArithmeticError, TypeError, ValueError) as error:
        line = _template_line(error, filename)
        where = f"{_short(filename)} 第{line}行" if line else _short(filename)
        raise TemplateError(f"{where}：{_runtime_reason(error)}") from None
    except jinja2.UndefinedError as error:
        line = _template_line(error, filename)
        where = f"{_short(filename)} 第{line}行" if line else _short(filename)
        raise TemplateError(f"{where}：缺少变量：{_undefined_name(error)}") from None
    except jinja2.TemplateError as error:
        line = _template_line(error, filename)
        where = f"{_short(filename)} 第{line}行" if line else _short(filename)
        raise TemplateError(f"{where}：{error}") from None


def _runtime_reason(error: BaseException) -> str:
    """A Chinese reason for an error a template's own expression raised."""
    if isinstance(error, ZeroDivisionError):
        return "模板中除以零"
    if isinstance(error, (OverflowError, ArithmeticError)):
        return "模板中的数太大"
    if isinstance(error, TypeError):
        return "模板中的运算或循环用错了类型（例如对数字做循环，或把文字和数字相加）"
    return "模板中的值不对（例如数太大，无法写成文字）"


def builtin_template_dir() -> Path:
    """Return the folder of the built-in templates (package ``dangjian.templates``)."""
    return Path(str(resources.files("dangjian.templates")))


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename; return the path."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise RenderError(f"输出文件夹不存在：{folder}")
    from ..kb.fileperm import honour_umask

    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        honour_umask(fd)  # mkstemp makes 0600; the document is as readable as any file the user saves
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)
    except OSError as error:
        if os.path.exists(temp):
            os.unlink(temp)
        raise RenderError(f"无法写入 {target}：{error.strerror or error}") from None
    return target


# ---------------------------------------------------------------- helpers
def _normalize_value(value: Any) -> Any:
    if isinstance(value, str):
        return normalize(value)
    if isinstance(value, list):
        return [_normalize_value(v) for v in value]
    return value


def resolve_format(fmt: str | None, output: str | Path | None = None) -> str:
    """Return the output format: ``fmt`` if given, else the suffix of ``output`` (.docx .pdf .html .md), else docx.

    Raises InputError for an unknown format, an output name whose suffix is
    not one of :data:`SUFFIXES` (``x.doc`` or ``x`` would get a Word file under
    a name that does not open), or a suffix that contradicts ``fmt``.
    """
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"不支持的输出格式“{fmt}”：可选 {'、'.join(FORMATS)}")
    if output is None:
        return fmt or "docx"
    name = Path(output).name
    suffix = Path(name.removesuffix(".part")).suffix.lower()  # kb batch writes 名称.docx.part, then renames
    if not suffix:
        raise InputError(f"输出文件名“{name}”没有扩展名：请写成 {name}.{fmt or 'docx'}（可用 {_SUFFIX_NAMES}）")
    if suffix not in SUFFIXES:
        old = f"；{suffix} 是旧格式，请用 .docx" if suffix in (".doc", ".wps") else ""
        raise InputError(f"不支持输出为“{name}”：文件名请以 {_SUFFIX_NAMES} 结尾{old}")
    by_suffix = SUFFIXES[suffix]
    if fmt is not None and fmt != by_suffix:
        raise InputError(f"输出格式 {fmt} 与文件名 {name} 不符：文件名请以 .{fmt} 结尾，或不指定格式")
    return by_suffix


def _environment(name_or_path: str, template_dirs: list[Path] | None, sandboxed: bool):
    folders = [Path(d) for d in (template_dirs or [])]
    for folder in folders:
        if not folder.is_dir():
            raise TemplateError(f"模板文件夹不存在：{folder}")
    name = name_or_path
    candidate = Path(name_or_path)
    if candidate.suffix and candidate.is_file():
        folders.insert(0, candidate.resolve().parent)
        name = candidate.name
    else:
        name = _with_suffix(name_or_path, folders + [builtin_template_dir()])
    folders.append(builtin_template_dir())
    return _cached_environment(tuple(str(f) for f in folders), sandboxed), name


@functools.lru_cache(maxsize=32)
def _cached_environment(folders: tuple[str, ...], sandboxed: bool):
    # One environment per search path, so each template is compiled once per process
    # (Jinja2 still reloads a template whose file changed).
    import jinja2

    from .markdown_model import chinese_number
    from .sandbox import BoundedSandbox, ConfinedLoader
    from .text import format_date

    cls = BoundedSandbox if sandboxed else jinja2.Environment
    env = cls(
        loader=ConfinedLoader(list(folders), encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn_date"] = format_date
    env.filters["cn_number"] = chinese_number
    if sandboxed:
        env.finish_filters()
    return env


def _with_suffix(name: str, folders: list[Path]) -> str:
    for suffix in TEMPLATE_SUFFIXES:
        for folder in folders:
            if (folder / f"{name}{suffix}").is_file():
                return f"{name}{suffix}"
    return name


def _search_text(env: Any) -> str:
    return "、".join(str(p) for p in env.loader.searchpath)


def _template_line(error: BaseException, filename: str) -> int | None:
    line = None
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line


def _undefined_name(error: BaseException) -> str:
    message = str(error)
    # jinja2 says "'x' is undefined" or "'dict object' has no attribute 'y'".
    if " has no attribute " in message:
        return message.split(" has no attribute ")[-1].strip("'\"")
    return message.split(" is undefined")[0].strip("'\"")


def _short(filename: str) -> str:
    try:
        return str(Path(filename).relative_to(Path.cwd()))
    except ValueError:
        return filename
