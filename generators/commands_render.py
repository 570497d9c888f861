"""``kb render`` and ``kb check``: thin click commands over generators.render and generators.check.

Heavy modules (python-docx, markdown, jinja2, lxml) are imported inside the
commands so that ``kb --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..kb.cli import KbCommand


def _read_text(path: Path) -> str:
    from ..kb.errors import ImportFailed, InputError
    from ..kb.limits import read_regular_file

    try:
        data = read_regular_file(path)  # a regular file of at most 20 MB (docs/limits.md)
    except ImportFailed as error:
        raise InputError(str(error)) from None
    if b"\x00" in data[:4096]:
        raise InputError(f"{path} 不是文本文件：请给出 Markdown（.md）文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path} 不是文本文件（无法按 UTF-8 或 GB18030 解码）")


def _parse_vars(pairs: tuple[str, ...]) -> dict[str, str]:
    variables = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"“{pair}”应写成 名称=值", param_hint="--var")
        variables[key.strip()] = value
    return variables


@click.command(cls=KbCommand)
@click.argument("source", type=click.Path(dir_okay=False), metavar="Markdown文件")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="输出文件（默认：与输入同名，扩展名为 .docx 或 .html）。")
@click.option("-f", "--format", "fmt", type=click.Choice(["docx", "pdf", "html", "md"]), default=None,
              help="输出格式（默认按输出文件扩展名，否则 docx）；md 输出规范化后的 Markdown。")
@click.option("--templates", "template_dirs", multiple=True, type=click.Path(file_okay=False),
              help="用户模板文件夹（可多次给出，优先于内置模板）；输入文件按 Jinja2 模板处理。")
@click.option("--var", "variables", multiple=True, metavar="名称=值",
              help="模板变量或文件头字段（可多次给出），如 --var 日期=2005-07-01。")
@click.option("--standard", type=click.Choice(["1999", "2012"]),
              help="格式标准：1999 或 2012（GB/T 9704）；默认按成文日期，2012年7月1日以前为 1999。")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖。")
def render(source: str, output: str | None, fmt: str | None, template_dirs: tuple[str, ...],
           variables: tuple[str, ...], standard: str | None, force: bool) -> None:
    """把 Markdown（可带 YAML 文件头）排成公文格式的 Word 文件。

    \b
    例：
      kb render 通知.md -o 通知.docx
      kb render 通知.md --format html -o 预览.html
      kb render 方案.md.j2 --templates 我的模板/ --var 单位=某某社区党委 -o 方案.docx

    输入文件为 .j2 文件、或给出 --templates 时，先按 Jinja2 模板（沙箱）渲染，
    缺少的变量会报错并给出变量名；--var 的值作为模板变量。否则输入文件是普通
    Markdown，--var 覆盖文件头中的同名字段。写法见 docs/render.md。
    """
    from ..kb.errors import InputError
    from .render import render_markdown, render_template

    src = Path(source)
    values = _parse_vars(variables)
    if standard:
        values["格式标准"] = standard
    if output is not None:
        from .commands_generate import _output_format

        fmt = _output_format(fmt, output)
    fmt = fmt or "docx"
    as_template = bool(template_dirs) or src.suffix == ".j2"
    if not src.is_file() and not as_template:
        raise InputError(f"找不到文件：{source}")
    if output is None:
        stem = src.name.removesuffix(".j2")
        stem = stem[: -len(Path(stem).suffix)] if Path(stem).suffix else stem
        output = str(src.with_name(f"{stem}.{'out.md' if fmt == 'md' else fmt}"))
    out = Path(output)
    if src.exists() and out.exists() and out.resolve() == src.resolve():
        raise InputError(f"输出文件不能与输入文件相同：{output}")
    if out.exists() and not force:
        raise InputError(f"输出文件已存在：{output}（加 --force 覆盖）")
    if as_template:
        render_template(source, values, fmt=fmt, output=out,
                        template_dirs=[Path(d) for d in template_dirs], sandboxed=True)
    else:
        render_markdown(_read_text(src), fmt=fmt, output=out, variables=values or None, filename=str(src))
    click.echo(f"已生成：{out}")


@click.command(cls=KbCommand)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="Word文件...")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出检查结果。")
@click.option("-v", "--verbose", is_flag=True, help="列出通过的项目。")
@click.option("--standard", type=click.Choice(["1999", "2012"]),
              help="按哪一版 GB/T 9704 检查（默认按文件声明的版本，其次按内容判断，否则 2012）。")
@click.option("--pages", is_flag=True,
              help="再用 LibreOffice 排版成 PDF 检查页面：空白页、内容过少的页、没有正文的署名页、缺失的标点、页码位置、版记位置、行数和字数。")
def check(files: tuple[str, ...], as_json: bool, verbose: bool, standard: str | None, pages: bool) -> None:
    """检查 .docx 是否符合 GB/T 9704 公文格式（全部通过时退出码为 0）。

    \b
    例：
      kb check 通知.docx
      kb check *.docx --json
      kb check 通知.docx --pages

    检查纸张、页边距、标题/各级标题/正文的字体字号、首行缩进、行距（每页22行）、
    每行字数、页码、成文日期写法、主题词和中文中的半角标点；按文件所用的
    格式标准（1999 或 2012）检查。加 --pages 时还检查排版后的页面（需要
    LibreOffice 和 poppler）。说明见 docs/check.md。
    """
    from ..kb.errors import DangjianError
    from .check import check_docx

    all_ok = True
    results = []
    reports = []
    for name in files:
        try:
            reports.append(check_docx(name, standard=standard))
        except DangjianError as error:
            all_ok = False
            if as_json:
                results.append({"path": name, "ok": False, "error": str(error), "items": []})
            else:
                click.echo(f"错误：{error}", err=True)
    if pages and reports:
        from .pages import check_pages_many

        found = check_pages_many([report.path for report in reports])
        for report in reports:
            for item in found[Path(report.path)]:
                report.add(item.name, item.passed, item.expected, item.found, item.message)
    for report in reports:
        all_ok = all_ok and report.ok
        if as_json:
            results.append(report.to_dict())
            continue
        failed = report.failed()
        status = "通过" if report.ok else f"未通过（{len(failed)}项不符）"
        click.echo(f"{report.path}：{status}")
        for item in report.items:
            if not item.passed:
                click.echo(f"  ✗ {item.name}：{item.message}")
            elif verbose:
                click.echo(f"  ✓ {item.name}：{item.found}")
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    sys.exit(0 if all_ok else 1)
