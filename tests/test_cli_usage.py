"""Mistakes on the command line: one Chinese line that says what is wrong and where help is, exit status 2."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "args, says, help_of",
    [
        (["generate", "信息简报", "--issue", "3"], "没有选项 --issue（是不是 --set", "kb generate"),
        (["generate"], "缺少参数 文件类型", "kb generate"),
        (["generate", "学习要求", "--org"], "选项 --org 后面要写一个值", "kb generate"),
        (["generate", "学习要求", "--format", "rtf"], "--format 只能是 docx、pdf、md、html", "kb generate"),
        (["generate", "学习要求", "--no-citations=1"], "选项 --no-citations 后面不写值", "kb generate"),
        (["search", "流动党员", "--limit", "abc"], "--limit / -n 要写整数", "kb search"),
        (["show", "xjx2005:3.4.1.3", "-C", "30"], "--context / -C 应是 0 到 20 之间的整数", "kb show"),
        (["batch", "名册.csv", "-t", "学习要求", "-o", "out", "-j", "0"], "-j / --workers 应是不小于 1 的整数", "kb batch"),
        (["serch", "流动党员"], "没有命令 serch（是不是 search？）", "kb"),
        (["frobnicate"], "没有命令 frobnicate（可用：search、", "kb"),
        (["search"], "缺少参数 查询词", "kb search"),
        (["search", "流动党员", "-n", "0"], "--limit / -n 应是 1 到 1000 之间的整数", "kb search"),
        (["show"], "缺少参数 段落编号", "kb show"),
        (["remove"], "缺少参数 文档编号", "kb remove"),
        (["batch"], "缺少参数 名册", "kb batch"),
        (["generate", "学习要求", "多余"], "多余的参数：多余", "kb generate"),
        (["batch", "名册.csv", "--types", "学习要求"], "缺少选项 --output", "kb batch"),
        (["render", "x.md", "--var", "无等号"], "“无等号”应写成 名称=值", "kb render"),
    ],
    ids=["unknown-option", "missing-type", "option-without-value", "bad-choice", "flag-with-value",
         "not-an-integer", "out-of-range", "below-minimum", "unknown-command", "unknown-command-far", "missing-query",
         "limit-zero", "missing-passage-id", "missing-doc-id", "missing-roster", "extra-argument", "missing-output",
         "command-own-message"],
)
def test_usage_mistakes_get_one_chinese_line(run_kb, args, says, help_of):
    result = run_kb(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误：") and says in lines[0]
    assert lines[0].endswith(f"用 {help_of} --help 查看用法。")
    assert "Usage" not in result.stderr and "Error" not in result.stderr


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


@pytest.mark.parametrize("command", ["", "search", "generate", "batch", "show", "campaign", "campaign check"])
def test_help_pages_are_chinese_and_aligned(run_kb, command):
    result = run_kb(*command.split(), "--help")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith(f"用法：kb {command} [选项]".replace("  ", " "))
    assert "选项：" in text and "显示本帮助并退出。" in text
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "[default:", "[required]", " TEXT"):
        assert english not in text
    # the descriptions of the options start in one column, counting a Chinese character as two
    section = text.split("选项：\n", 1)[1].split("\n\n", 1)[0]
    starts = set()
    for line in section.splitlines():
        term, gap, rest = line[2:].partition("  ")
        if line.startswith("  -") and gap and rest.strip():
            starts.add(_display_width(line[: len(line) - len(rest.lstrip())]))
    assert len(starts) == 1, section


@pytest.mark.parametrize(
    "args, says",
    [
        (["generate", "学习要求"], "请用 --profile 给出单位资料文件"),
        (["generate", "学习要求", "--org", "甲", "--sector", "社区", "--with-notice"], "--with-notice 只用于实施方案"),
        (["generate", "学习要求", "--org", "甲", "--sector", "社区", "--combine"], "--combine 只用于会议材料"),
        (["generate", "学习要求", "--org", "甲", "--sector", "社区", "--set", "无等号"], "--set 应写成 选项=值"),
        (["generate", "学习要求", "--org", "甲", "--sector", "社区", "-o", "x.doc"], "不支持输出为“x.doc”"),
        (["generate", "整改台账", "--org", "甲", "--sector", "社区", "--set", "problem=x.xlsx"],
         "没有选项 --set problem（是不是 problems？）"),
    ],
    ids=["no-profile", "with-notice-elsewhere", "combine-elsewhere", "set-without-equals", "bad-suffix", "set-typo"],
)
def test_command_line_mistakes_found_by_the_command_exit_2(run_kb, tmp_path, monkeypatch, args, says):
    monkeypatch.chdir(tmp_path)
    result = run_kb(*args)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("错误：") and says in result.stderr and len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == [tmp_path / "kbhome"]


@pytest.mark.parametrize(
    "args",
    [["generate", "学习要求", "--org", "甲", "--sector", "火星"], ["show", "xjx2005:9.9.9.9"],
     ["generate", "会议通知", "--org", "甲", "--sector", "社区", "--meeting", "动员大会", "--date", "2005-02-30"]],
    ids=["unknown-sector", "unknown-passage", "impossible-date"],
)
def test_data_mistakes_exit_1(run_kb, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = run_kb(*args)
    assert result.exit_code == 1 and result.stderr.startswith("错误：")
