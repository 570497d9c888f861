"""The ``kb`` command line: a thin layer over the importable API.

Commands live in other modules and are imported only when run, so that
``kb --help`` starts without loading whoosh, jieba or python-docx.  Library
errors (:class:`dangjian.kb.errors.DangjianError`) become one-line messages
with a non-zero exit status here and nowhere else.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

# name -> ("module:attribute", one-line help).  The help text is here so that
# listing commands imports nothing.
COMMANDS: dict[str, tuple[str, str]] = {
    "search": ("dangjian.kb.commands:search", "全文检索知识库，给出出处。"),
    "show": ("dangjian.kb.commands:show", "显示一段原文、上下文及缺失的数字。"),
    "add": ("dangjian.kb.commands:add", "导入文件或文件夹（.txt .md .docx .html）。"),
    "docs": ("dangjian.kb.commands:docs", "列出知识库中的文档。"),
    "remove": ("dangjian.kb.commands:remove", "从知识库删除一个文档。"),
    "index": ("dangjian.kb.commands:index", "查看或重建检索索引。"),
    "render": ("dangjian.generators.commands_render:render", "把 Markdown 排成公文格式的 Word 文件。"),
    "check": ("dangjian.generators.commands_render:check", "检查 .docx 是否符合 GB/T 9704-2012 公文格式。"),
    "generate": ("dangjian.generators.commands_generate:generate", "按本单位情况生成学习要求、实施方案等文件。"),
    "types": ("dangjian.generators.commands_generate:types", "列出可以生成的文件类型。"),
    "campaign": ("dangjian.generators.commands_generate:campaign", "校验或查看活动资料包。"),
    "batch": ("dangjian.generators.commands_batch:batch", "按名册为多个单位批量生成文件。"),
}


class KbGroup(click.Group):
    """A group that imports each command on first use and turns library errors into messages."""

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

    def invoke(self, ctx: click.Context):
        from .errors import DangjianError

        try:
            return super().invoke(ctx)
        except DangjianError as error:
            raise KbError(str(error)) from None


def _available(name: str) -> bool:
    module = COMMANDS[name][0].split(":")[0]
    return importlib.util.find_spec(module) is not None


class KbError(click.ClickException):
    """A library error shown to the user as ``错误：…``."""

    def show(self, file=None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


@click.group(cls=KbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dangjian", message="%(prog)s %(version)s")
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
