"""Regenerate docs/cli.md from the commands' own --help texts: ``python3 docs/make_cli_reference.py``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from dangjian.kb.cli import COMMANDS, cli

HEADER = """# 命令参考（kb）

本页由 `python3 docs/make_cli_reference.py` 根据各命令的 `--help` 生成；`tests/test_docs.py` 检查它与程序一致。
出错时命令输出一行“错误：……”并以非零状态退出（用法错误为 2，其他为 1）。

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
