"""The ``kb`` command line: a thin layer over the importable API.

Commands live in other modules and are imported only when run, so that
``kb --help`` starts without loading whoosh, jieba or python-docx.  Library
errors (:class:`dangjian.kb.errors.DangjianError`) become one-line messages
with a non-zero exit status here and nowhere else.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import unicodedata

import click

# name -> ("module:attribute", one-line help).  The help text is here so that
# listing commands imports nothing.
COMMANDS: dict[str, tuple[str, str]] = {
    "search": ("dangjian.kb.commands:search", "全文检索知识库，给出出处。"),
    "show": ("dangjian.kb.commands:show", "显示一段原文、上下文及缺失的数字。"),
    "add": ("dangjian.kb.commands:add", "导入文件或文件夹（.docx .doc .wps .pdf .txt .md .html）。"),
    "docs": ("dangjian.kb.commands:docs", "列出知识库中的文档。"),
    "remove": ("dangjian.kb.commands:remove", "从知识库删除一个文档。"),
    "index": ("dangjian.kb.commands:index", "查看、核对、修复或重建检索索引。"),
    "render": ("dangjian.generators.commands_render:render", "把 Markdown 排成公文格式的 Word 文件。"),
    "check": ("dangjian.generators.commands_render:check", "检查 .docx 是否符合 GB/T 9704-2012 公文格式。"),
    "generate": ("dangjian.generators.commands_generate:generate", "按本单位情况生成学习要求、实施方案等文件。"),
    "types": ("dangjian.generators.commands_generate:types", "列出可以生成的文件类型。"),
    "campaign": ("dangjian.generators.commands_generate:campaign", "校验或查看活动资料包。"),
    "batch": ("dangjian.generators.commands_batch:batch", "按名册为多个单位批量生成文件。"),
}


#: click's English type names in option help → Chinese.
_METAVARS = {"TEXT": "文本", "INTEGER RANGE": "整数", "INTEGER": "整数", "FILE": "文件", "PATH": "路径",
             "DIRECTORY": "文件夹", "FLOAT": "数字"}


#: What to write after a text option, by the option's name (--months 月数, not --months 文本); one place for all commands.
OPTION_METAVARS = {
    "org": "名称", "sector": "领域", "parent": "名称", "secretary": "姓名", "committee": "姓名", "members": "类别=人数",
    "member_total": "人数", "start": "日期", "months": "月数", "end": "日期", "shares": "比例", "place": "地点",
    "tutors": "姓名", "supervisor": "姓名", "date": "日期", "campaign": "资料包", "meeting": "会议",
    "meeting_time": "时间", "phase": "阶段", "member": "党员类别", "topic": "主题", "doc": "文档", "types": "类型",
    "sheet": "工作表", "branch": "党支部",
}


class KbHelpFormatter(click.HelpFormatter):
    """Lays out help by display width (a Chinese character takes two columns) with full-width colons."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((_width(term) for term, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for term, text in rows:
            self.write(f"{indent}{term}")
            if not text:
                self.write("\n")
                continue
            if _width(term) <= first_col - col_spacing:
                self.write(" " * (first_col - _width(term)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = _wrap(text, max(self.width - first_col - self.current_indent, 20))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


#: Punctuation that must not begin a line.
_NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)]")


def _wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` columns, keeping Latin words and numbers whole."""
    lines, line = [], ""
    for unit in re.findall(r"[A-Za-z0-9_\-./=<>|\[\]+*%@~#]+| +|.", text):
        if line and _width(line) + _width(unit) > width and unit not in _NO_LINE_START and not unit.isspace():
            lines.append(line.rstrip())
            line = ""
        if line or not unit.isspace():
            line += unit
    lines.append(line.rstrip())
    return lines


class KbContext(click.Context):
    formatter_class = KbHelpFormatter


class ChineseHelp:
    """Help pages worded in Chinese: 用法、选项、命令, with 默认 and 必填 instead of default and required."""

    context_class = KbContext

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)
        for param in self.params:
            if (isinstance(param, click.Option) and param.metavar is None and not param.is_flag
                    and param.name in OPTION_METAVARS):
                param.metavar = OPTION_METAVARS[param.name]

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for param in self.get_params(ctx):
            if not isinstance(param, click.Option):
                continue  # arguments are named in the usage line (click 8.5 would list them bare here)
            record = param.get_help_record(ctx)
            if record is not None:
                rows.append((_chinese_names(record[0]), _chinese_extra(record[1])))
        if rows:
            with formatter.section("选项"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option


def _chinese_names(names: str) -> str:
    for english, chinese in _METAVARS.items():
        if names.endswith(f" {english}"):
            return names[: -len(english)] + chinese
    return names


def _chinese_extra(text: str) -> str:
    """Reword click's trailing ``[default: 10; required]`` as ``［默认：10；必填］``."""
    match = re.search(r"\s*\[([^\[\]]*)\]$", text)
    if not match:
        return text
    parts = []
    for part in match.group(1).split("; "):
        if part.startswith("default: "):
            parts.append(f"默认：{part[len('default: '):]}")
        elif part == "required":
            parts.append("必填")
        elif part.startswith("env var: "):
            parts.append(f"环境变量：{part[len('env var: '):]}")
        else:
            parts.append(part)
    return f"{text[: match.start()]}［{'；'.join(parts)}］"


class KbCommand(ChineseHelp, click.Command):
    """A command whose help page is in Chinese (use with ``@click.command(cls=KbCommand)``)."""


class KbSubgroup(ChineseHelp, click.Group):
    """A group of commands (such as ``kb campaign``) whose help pages are in Chinese."""

    command_class = KbCommand

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=formatter.width)))
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)


class KbGroup(KbSubgroup):
    """The ``kb`` group: imports each command on first use and turns library errors into messages."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _available(name)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not _available(name):
            return None
        target, _ = COMMANDS[name]
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            if parent is None:  # plain ``kb``: the help page is what was asked for, not a mistake
                click.echo(error.ctx.get_help() if error.ctx is not None else "")
                raise click.exceptions.Exit(0) from None
            raise KbUsageError.from_click(error) from None
        except click.UsageError as error:
            raise KbUsageError.from_click(error) from None

    def invoke(self, ctx: click.Context):
        from .errors import DangjianError
        from .terminal import SafeStream

        # Whatever a command prints passes the terminal filter (names and texts come from files).
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
        try:
            return super().invoke(ctx)
        except DangjianError as error:
            raise KbError(str(error)) from None
        except click.UsageError as error:
            where = None
            if (error.ctx is None or error.ctx is ctx) and ctx.invoked_subcommand:
                # raised while parsing the subcommand's options, before its context existed
                where = f"{ctx.command_path} {ctx.invoked_subcommand}"
            raise KbUsageError.from_click(error, where=where) from None
        except KeyboardInterrupt:
            click.echo("\n已中断。", err=True)  # instead of click's "Aborted!"
            raise click.exceptions.Exit(130) from None
        finally:
            sys.stdout, sys.stderr = saved


def _available(name: str) -> bool:
    module = COMMANDS[name][0].split(":")[0]
    return importlib.util.find_spec(module) is not None


class KbError(click.ClickException):
    """A library error shown to the user as ``错误：…``."""

    def show(self, file=None) -> None:
        from .terminal import safe_text

        click.echo(f"错误：{safe_text(self.format_message(), newlines=False)}", err=True)


class KbUsageError(click.UsageError):
    """A mistake on the command line, shown as one Chinese line ending with where to find help.

    Click words its own usage errors in English; :meth:`from_click` rewords the
    ones people make (unknown option or command, missing value, a value not
    among the choices, not a number) and keeps any message that a command
    wrote itself.
    """

    where: str | None = None  #: the command whose --help to point at (default: the context's)

    @classmethod
    def from_click(cls, error: click.UsageError, where: str | None = None) -> "KbUsageError":
        if isinstance(error, cls):
            return error
        reworded = cls(_reword(error), ctx=error.ctx)
        reworded.where = where
        return reworded

    def show(self, file=None) -> None:
        where = self.where or (self.ctx.command_path if self.ctx is not None else "kb")
        from .terminal import safe_text

        message = safe_text(self.format_message(), newlines=False).rstrip("。.")
        click.echo(f"错误：{message}。用 {where} --help 查看用法。", err=True)


def _reword(error: click.UsageError) -> str:
    """Return a Chinese wording of a click usage error."""
    message = error.format_message() if not isinstance(error, click.BadParameter) else error.message
    if isinstance(error, click.NoSuchOption):
        text = f"没有选项 {error.option_name}"
        if error.possibilities:
            text += f"（是不是 {'、'.join(sorted(error.possibilities))}？）"
        return text
    if isinstance(error, click.BadOptionUsage):
        if "requires" in message:
            return f"选项 {error.option_name} 后面要写一个值"
        if "does not take a value" in message:
            return f"选项 {error.option_name} 后面不写值"
        return f"选项 {error.option_name} 用法不对：{message}"
    if isinstance(error, click.MissingParameter):
        param = error.param
        if param is None:
            return "缺少参数"
        if param.param_type_name == "argument":
            return f"缺少参数 {param.human_readable_name}"
        return f"缺少选项 {max(param.opts, key=len)}"
    if isinstance(error, click.BadParameter):
        hint = _param_hint(error)
        if _has_chinese(message):
            return f"{hint}：{message}" if hint else message
        if isinstance(error.param.type if error.param is not None else None, click.Choice):
            choices = "、".join(str(choice) for choice in error.param.type.choices)
            return f"{hint} 只能是 {choices}"
        kind = error.param.type if error.param is not None else None
        if isinstance(kind, click.IntRange) and "range" in message and "not a valid" not in message:
            low, high = kind.min, kind.max
            if low is not None and high is not None:
                return f"{hint} 应是 {low} 到 {high} 之间的整数"
            return f"{hint} 应是不小于 {low} 的整数" if low is not None else f"{hint} 应是不大于 {high} 的整数"
        if isinstance(kind, click.types.IntParamType):
            return f"{hint} 要写整数"
        return f"{hint} 的值不对（{message}）"
    command = re.match(r"No such command '(.+)'", message)
    if command:
        from .didyoumean import suggest

        names = error.ctx.command.list_commands(error.ctx) if error.ctx is not None else []
        near = suggest(command.group(1), names)
        if near:
            return f"没有命令 {command.group(1)}（是不是 {near}？）"
        return f"没有命令 {command.group(1)}" + (f"（可用：{'、'.join(names)}）" if names else "")
    extra = re.match(r"Got unexpected extra arguments? \((.*)\)", message)
    if extra:
        return f"多余的参数：{extra.group(1)}"
    if message.startswith("Missing command"):
        return "缺少命令"
    return message


def _param_hint(error: click.BadParameter) -> str:
    hint = error.param_hint
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint(error.ctx) if error.ctx is not None else error.param.name
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    return (hint or "").replace("'", "")


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@click.group(cls=KbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dangjian", message="%(prog)s %(version)s", help="显示版本号并退出。")
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    envvar="DANGJIAN_HOME",
    help="知识库数据目录（默认为用户数据目录；也可用环境变量 DANGJIAN_HOME）。",
)
@click.pass_context
def cli(ctx: click.Context, home: str | None) -> None:
    """dangjian 党务知识库：检索指导文件，生成公文格式的学习和会议材料。

    \b
    例：
      kb search 流动党员如何参加学习
      kb add 我的文件夹/
      kb generate 学习要求 --org 某某社区党委 --sector 社区 -o 学习要求.docx
    """
    ctx.obj = {"home": home}


def main() -> None:
    """Entry point of the ``kb`` console script."""
    cli.main(prog_name="kb")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
