"""Regenerate docs/cli.md from the commands' own --help texts: ``python3 docs/make_cli_reference.py``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from dangjian.kb.cli import COMMANDS, cli

HEADER = """# 命令参考（kb）

本页由 `python3 docs/make_cli_reference.py` 根据各命令的 `--help` 生成；`tests/test_docs.py` 检查它与程序一致。
出错时命令输出一行“错误：……”并以非零状态退出。退出状态只有一条规则：

- **0**：成功（检索没有结果也是 0）；
- **1**：输入或数据有问题：文件找不到或读不了，名称、日期、人数写错，单位资料或名册有误，输出文件已存在，
  以及 `kb add`、`kb batch`、`kb check`、`kb campaign check` 中有失败的项；
- **2**：命令行用法错误：没有这个命令或选项、缺少参数、选项的值类型或范围不对（如 `-n 0`、`-C 50`）、
  输出文件名的扩展名不支持（`-o x.doc`）；
- **130**：按 Ctrl+C 中断。

`kb` 不带参数时显示帮助，退出状态 0。

"""


def reference() -> str:
    runner = CliRunner()
    parts = [HEADER, "## kb\n\n```text\n" + runner.invoke(cli, ["--help"], prog_name="kb").output + "```\n"]
    for name in COMMANDS:
        text = runner.invoke(cli, [name, "--help"], prog_name="kb").output
        parts.append(f"\n## kb {name}\n\n```text\n{text}```\n")
    return "".join(parts)


if __name__ == "__main__":
    Path(__file__).with_name("cli.md").write_text(reference(), encoding="utf-8")
