"""Every code block of README.md and docs/*.md runs as written and does what the text around it says.

Blocks are taken from the Markdown files themselves, so a new example is
tested the day it is written:

* shell blocks (``kb …`` lines, README's install chains): each command runs
  with ``kb`` in a folder holding the files the docs name (单位.yaml is the
  docs' own profile, 名册.csv the docs' own roster, 通知.md the docs' own
  notice …); it must succeed and write what its ``-o`` names;
* ``kb 命令 [选项]`` synopses: every option they name exists in that command's ``--help``;
* ``python`` blocks are executed as they are; ``yaml``, CSV and ``markdown``
  blocks are loaded or rendered by the code they document;
* blocks that show output (the batch summary, a search result, a pack check,
  a folder tree) are compared with what the program prints or writes.

A block this file does not know how to check fails the test: write a check
for it in :data:`OUTPUTS`.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from dangjian.kb.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "docs" / "types").glob("*.md"))]
#: cli.md is generated from --help and compared with it by tests/test_docs.py.
SKIP_FILES = {"cli.md"}
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.S | re.M)
#: Steps of README's install chains that only a fresh machine can run; tests/test_packaging.py installs the
#: wheel into a new venv and runs kb from it, and the suite itself is the pytest step.
SETUP_STEPS = (("python3", "-m", "venv"), (".",), ("pip", "install"), ("python", "-m", "pytest"))


@dataclass
class Block:
    path: Path
    line: int
    lang: str
    text: str
    before: str  #: the prose just above the block

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def first(self) -> str:
        return self.text.strip().splitlines()[0] if self.text.strip() else ""


def doc_blocks() -> list[Block]:
    blocks = []
    for path in DOC_FILES:
        if path.name in SKIP_FILES:
            continue
        text = path.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            line = text[: m.start()].count("\n") + 1
            blocks.append(Block(path, line, m.group(1), m.group(2), text[max(0, m.start() - 300): m.start()]))
    return blocks


def _block(file: str, first: str) -> Block:
    for block in doc_blocks():
        if block.path.relative_to(ROOT).as_posix() == file and block.text.lstrip().startswith(first):
            return block
    raise AssertionError(f"{file} 中没有以“{first}”开头的代码块")


# ---------------------------------------------------------------- the folder the examples run in
PROBLEMS = [["问题", "来源", "整改措施", "责任人", "完成时限"],
            ["学习不够深入", "征求意见", "每月集中学习两次", "李四", "2005-09-30"],
            ["联系群众不够", "民主评议", "党员每月走访两户居民", "王五", "长期坚持"]]


@pytest.fixture
def workspace(tmp_path, kb_home, monkeypatch) -> Path:
    """A folder with every file the docs' examples name, as cwd; HOME and DANGJIAN_HOME private."""
    import openpyxl

    from dangjian.generators.render import render_markdown

    ws = tmp_path / "ws"
    ws.mkdir()
    monkeypatch.chdir(ws)
    monkeypatch.setenv("DANGJIAN_HOME", str(kb_home))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    if shutil.which("fc-list"):
        # The machine after the font step of docs/fonts.md (kb check --pages checks the fonts too).
        from dangjian.generators.fonts import fontconfig_aliases

        conf = tmp_path / "fonts.conf"
        conf.write_text(fontconfig_aliases(include_system=True), encoding="utf-8")
        monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    (ws / "单位.yaml").write_text(_block("docs/generate.md", "名称: 某某社区党委").text, encoding="utf-8")
    (ws / "名册.csv").write_text(_block("docs/batch.md", "单位名称,").text, encoding="utf-8")
    book = openpyxl.Workbook()
    for row in _block("docs/batch.md", "单位名称,").text.strip().splitlines():
        book.active.append(row.split(","))
    book.save(ws / "名册.xlsx")
    book = openpyxl.Workbook()
    for row in PROBLEMS:
        book.active.append(row)
    book.save(ws / "问题清单.xlsx")
    notice = _block("docs/render.md", "---\n主送").text
    (ws / "通知.md").write_text(notice, encoding="utf-8")
    render_markdown(notice, output=ws / "通知.docx")
    render_markdown("# 关于开展学习的实施方案\n\n各党支部要认真组织学习。\n", output=ws / "方案.docx")
    template = "---\n署名: {{ 单位 }}\n日期: {{ 日期 | default('2005-07-01') }}\n---\n\n# 关于学习的通知\n\n{{ 单位 }}各党支部：\n\n请组织党员认真学习。\n"
    (ws / "方案.md.j2").write_text(template, encoding="utf-8")
    (ws / "我的模板").mkdir()
    (tmp_path / "user" / "党务模板").mkdir(parents=True)
    (tmp_path / "user" / "党务模板" / "我的通知.md.j2").write_text(template, encoding="utf-8")
    for folder in ("我的文件夹", "文件夹", "材料"):
        (ws / folder).mkdir()
        (ws / folder / "学习心得.txt").write_text(
            f"关于{folder}中学习心得的说明\n\n流动党员要通过书信参加学习，按时交流学习心得。\n", encoding="utf-8")
    shutil.copy(ws / "方案.docx", ws / "文件1.docx")
    (ws / "文件2.txt").write_text("整改台账说明\n\n整改台账要逐项销号，注明责任人和时限。\n", encoding="utf-8")
    from dangjian.generators.campaign import pack_path

    shutil.copy(pack_path("xjx2005"), ws / "我的资料包.yaml")
    return ws


# ---------------------------------------------------------------- running commands
def _commands(text: str) -> list[str]:
    """The command lines of a shell block, continuation lines joined."""
    lines, current = [], ""
    for raw in text.splitlines():
        current += raw.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        if current.strip():
            lines.append(current.strip())
        current = ""
    return lines


def _is_synopsis(block: Block) -> bool:
    """A usage line (``kb search 查询词... [--sector 领域]``), or the block right under a ``### kb 命令`` heading."""
    heading = block.before.strip().splitlines()[-1] if block.before.strip() else ""
    return block.first.startswith("kb ") and (
        bool(re.match(r"#+ kb \w+$", heading)) or any(re.search(r"\[-|\.\.\.(\s|$)", line) for line in block.text.splitlines()))


def _is_shell(block: Block) -> bool:
    lines = _commands(block.text)
    return block.lang in ("bash", "sh", "") and bool(lines) and all(
        line.startswith("kb ") or "&&" in line for line in lines)


def run_kb_line(words: list[str], ws: Path):
    expanded = []
    for word in words:
        word = os.path.expanduser(word)
        if any(c in word for c in "*?") and not word.startswith("-"):
            matches = sorted(glob.glob(word))
            assert matches, f"{word} 在示例文件夹中没有匹配的文件"
            expanded.extend(matches)
        else:
            expanded.append(word)
    return CliRunner().invoke(cli, expanded[1:], prog_name="kb")


def _outputs(words: list[str]) -> list[str]:
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-o", "--output")]


def run_shell_block(block: Block, ws: Path) -> list[str]:
    """Run every kb command of ``block``; return their outputs. Fails on a non-zero exit or a missing -o result."""
    printed = []
    written: set[str] = set()
    for line in _commands(block.text):
        words = shlex.split(line, comments=True)
        segments: list[list[str]] = [[]]
        for word in words:
            if word == "&&":
                segments.append([])
            else:
                segments[-1].append(word)
        for segment in segments:
            if segment[0] != "kb":
                assert any(tuple(segment[: len(step)]) == step for step in SETUP_STEPS), f"{block.name}：无法在测试中运行 {segment}"
                continue
            for out in _outputs(segment):
                if out not in written and Path(out).is_file():
                    Path(out).unlink()  # made for other examples (kb check 通知.docx); this one writes it afresh
            result = run_kb_line(segment, ws)
            if (any(out.endswith(".pdf") for out in _outputs(segment)) or "--pages" in segment) \
                    and not shutil.which("soffice"):
                assert result.exit_code == 1 and "需要 LibreOffice" in result.output  # as the docs say
                continue
            assert result.exit_code == 0, f"{block.name}：{' '.join(segment)} 退出码 {result.exit_code}\n{result.output}"
            assert "错误" not in result.output, f"{block.name}：{' '.join(segment)}\n{result.output}"
            for out in _outputs(segment):
                assert Path(out).exists(), f"{block.name}：{' '.join(segment)} 没有写出 {out}"
                written.add(out)
            printed.append(result.output)
    return printed


def check_synopsis(block: Block, ws: Path) -> None:
    lines: list[str] = []
    for raw in block.text.splitlines():
        if raw.strip().startswith("kb ") or not lines:
            lines.append(raw.strip())
        elif raw.strip():
            lines[-1] += " " + raw.strip()
    for line in lines:
        words = line.split()
        command = words[1]
        help_text = CliRunner().invoke(cli, [command, "--help"], prog_name="kb").output
        for option in re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", line):
            assert option in help_text, f"{block.name}：kb {command} 没有选项 {option}"
        placeholders = [w for w in words[2:] if not w.startswith(("[", "-")) and w.rstrip(".").isupper()]
        assert not placeholders, f"{block.name}：英文占位符 {placeholders}，请写中文（如 查询词...）"


# ---------------------------------------------------------------- blocks that show output or data
def check_roster(block: Block, ws: Path) -> None:
    from dangjian.generators.profile import profile_from_mapping
    from dangjian.generators.roster import read_roster

    roster = read_roster(ws / "名册.csv")
    assert roster.unknown_columns == [] and len(roster) == len(block.text.strip().splitlines()) - 1
    for row in roster:
        profile_from_mapping(row.values)


def check_batch_tree(block: Block, ws: Path) -> None:
    run_shell_block(Block(block.path, block.line, "", "kb batch 名册.csv -t 学习要求,实施方案 -o 输出\n"
                          "kb batch 名册.csv -t 会议材料 --meeting 动员大会 -o 输出\n", ""), ws)
    for line in block.text.splitlines()[1:]:
        entry = line.split("#")[0].strip()
        if entry and "…" not in entry:
            assert (ws / "输出" / entry).is_file(), f"{block.name}：没有 输出/{entry}"


def check_batch_summary(block: Block, ws: Path) -> None:
    rows = _block("docs/batch.md", "单位名称,").text.strip().splitlines()
    good = [rows[1].replace("红星社区党支部", f"红星社区第{i}党支部") for i in range(1, 6)]
    bad = ["火星党支部,火星,,,,,,,,", ",社区,,,,,,,,", "人数有误党支部,社区,,,,,abc,,,"]
    (ws / "名册8.csv").write_text("\n".join([rows[0], *good, *bad]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["batch", "名册8.csv", "-t", "学习要求,实施方案", "-o", "输出", "-q"], prog_name="kb")
    assert result.exit_code == 1
    expected = block.text.strip().splitlines()
    actual = result.stdout.strip().splitlines()
    assert len(actual) == len(expected), result.stdout
    for want, got in zip(expected, actual):
        want = re.sub(r"用时 [\d.]+ 秒", "用时 X 秒", want)
        got = re.sub(r"用时 [\d.]+ 秒", "用时 X 秒", got)
        if want.endswith("……"):
            assert got.startswith(want[:-2]), (want, got)
        else:
            assert got == want


def check_pack_errors(block: Block, ws: Path) -> None:
    import yaml

    data = yaml.safe_load((ws / "我的资料包.yaml").read_text(encoding="utf-8"))
    data["sectors"]["school"]["sources"][0] = "xjx2005:9.9.9.9"
    del data["filing"]
    (ws / "bad.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["campaign", "check", "bad.yaml"], prog_name="kb")
    assert result.exit_code == 1
    expected = block.text.strip().splitlines()
    actual = result.output.strip().splitlines()
    assert actual[:-1] == expected[:-1]
    assert re.fullmatch(re.sub(r"\d+", r"\\d+", re.escape(expected[-1])), actual[-1]), actual[-1]


def check_search_result(block: Block, ws: Path) -> None:
    query = re.findall(r"kb search ([^`\s]+)", block.before)[-1]
    result = CliRunner().invoke(cli, ["search", query], prog_name="kb")
    assert result.exit_code == 0
    expected = block.text.strip().splitlines()
    actual = result.output.splitlines()
    assert actual[0] == expected[0]
    assert "【" in actual[1] and actual[1].startswith("   …") == expected[1].startswith("   …")
    assert actual[2].startswith(expected[2].split("；")[0])


def check_entry_points(block: Block, ws: Path) -> None:
    import configparser

    from dangjian.generators.registry import GROUP

    parser = configparser.ConfigParser()
    parser.read_string(block.text)
    entries = parser["options.entry_points"][GROUP].strip().splitlines()
    assert entries and all(re.fullmatch(r"\w+ = [\w.]+:\w+", e.strip()) for e in entries)
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg", encoding="utf-8")
    assert GROUP in setup["options.entry_points"], "内置类型也应在 setup.cfg 中以同样方式登记"


def check_font_step(block: Block, ws: Path) -> None:
    """docs/fonts.md's font step, run as written in the private HOME (python3 is this interpreter)."""
    import subprocess
    import sys

    if not shutil.which("fc-match"):
        pytest.skip("没有 fontconfig")
    script = block.text.replace("python3 -m", f"{shlex.quote(sys.executable)} -m")
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    result = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    conf = Path(os.environ["HOME"]) / ".config" / "fontconfig" / "conf.d" / "60-dangjian-gbt9704.conf"
    assert "<fontconfig>" in conf.read_text(encoding="utf-8")
    if "Noto Serif CJK SC" in subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout:
        assert "Noto Serif CJK SC" in result.stdout  # fc-match 仿宋_GB2312, as the comment says


#: (file, how the block begins) → its check.
def check_phase_results(block: Block, ws: Path) -> None:
    """The documented 阶段情况, added to the documented profile, makes the three 阶段小结 and 转段请示 complete
    (no blanks; the 请示 with its 文号, the 小结 as its 附件 without one)."""
    from dangjian.generators import generate

    (ws / "阶段.yaml").write_text((ws / "单位.yaml").read_text(encoding="utf-8") + "\n" + block.text, encoding="utf-8")
    for phase in ("学习动员", "分析评议", "整改提高"):
        for kind, numbered in (("阶段小结", False), ("转段申请", True)):
            result = generate(kind, "阶段.yaml", fmt="md", phase=phase)
            assert not [w for w in result.warnings if "阶段情况" in w], result.warnings
            assert "＿＿" not in result.markdown and "（待填）" not in result.markdown
            found = re.search(r"^文号: \"某社党发〔2005〕\d+号\"", result.markdown, re.M)
            assert bool(found) == numbered and "草稿" not in result.markdown, result.markdown[:400]


def check_meeting_results(block: Block, ws: Path) -> None:
    """The documented 会议情况, added to the documented profile, fills the 专题民主生活会 纪要 and a branch's."""
    from dangjian.generators.types.meetings import generate_kit
    from docx_helpers import docx_text

    (ws / "会议.yaml").write_text((ws / "单位.yaml").read_text(encoding="utf-8") + "\n" + block.text, encoding="utf-8")
    generate_kit(ws / "会议.yaml", "专题民主生活会", outdir=ws / "民主", date="2005-09-08")
    minutes = docx_text(ws / "民主" / "专题民主生活会-会议纪要.docx")
    assert "张三同志：深入楼栋走访少。" in minutes and "征求意见表120份，收回112份" in minutes
    generate_kit(ws / "会议.yaml", "专题组织生活会", outdir=ws / "组织", date="2005-08-22", branch="第一党支部")
    minutes = docx_text(ws / "组织" / "专题组织生活会-会议纪要.docx")
    assert "赵一同志：参加社区活动少。" in minutes and "点评，指出：剖析深刻" in minutes


OUTPUTS: dict[tuple[str, str], Callable[[Block, Path], None]] = {
    ("docs/meetings.md", "会议情况:"): check_meeting_results,
    ("docs/generate.md", "阶段情况:"): check_phase_results,
    ("docs/batch.md", "单位名称,"): check_roster,
    ("docs/batch.md", "输出/"): check_batch_tree,
    ("docs/batch.md", "共 8 个单位"): check_batch_summary,
    ("docs/campaign-pack.md", "filing："): check_pack_errors,
    ("docs/search.md", "1. 《"): check_search_result,
    ("docs/generate.md", "[options.entry_points]"): check_entry_points,
    ("docs/fonts.md", "mkdir -p ~/.config/fontconfig/conf.d"): check_font_step,
}


# ---------------------------------------------------------------- yaml, python, markdown
def check_yaml(block: Block, ws: Path) -> None:
    from dangjian.generators import generate
    from dangjian.generators.profile import load_profile
    from dangjian.kb.taxonomy import load as load_taxonomy

    if block.first.startswith("名称:"):
        profile = load_profile(ws / "单位.yaml")
        assert profile.notes == [], profile.notes  # every key of the documented profile is one the program reads
        written = re.search(r"^文号: (\S+)", block.text, re.M).group(1)
        assert profile.shares == pytest.approx([0.4, 0.3, 0.3]) and profile.number == written  # 4:3:3 stays a ratio
        for kind in ("学习要求", "实施方案", "学习安排表", "整改方案"):
            result = generate(kind, "单位.yaml", fmt="md")
            assert "张三" in result.markdown or kind == "学习要求"
        return
    home = Path(os.environ["DANGJIAN_HOME"])
    (home / "taxonomy.yaml").write_text(block.text, encoding="utf-8")
    taxonomy = load_taxonomy(home)  # noqa
    for line in re.findall(r"^  (\S+): \[(.*)\]$", block.text, re.M):
        word, targets = line
        assert tuple(t.strip() for t in targets.split(",")) == taxonomy.synonyms[word][-len(targets.split(",")):]
    for alias in re.findall(r"aliases: \[(.*)\]", block.text):
        for name in alias.split(","):
            taxonomy.resolve("sector", name.strip())


def check_python(block: Block, ws: Path) -> None:
    for out in re.findall(r"output=\"([^\"]+)\"", block.text):
        if (ws / out).is_file():
            (ws / out).unlink()  # made for other examples; this one writes it afresh
    namespace: dict = {"__name__": "__docs__"}
    exec(compile(block.text, block.name, "exec"), namespace)  # noqa: S102 - the docs' own example
    for out in re.findall(r"output=\"([^\"]+)\"", block.text):
        assert (ws / out).exists(), f"{block.name}：没有写出 {out}"


def check_markdown(block: Block, ws: Path) -> None:
    from dangjian.generators.check import check_docx
    from dangjian.generators.render import render_markdown

    render_markdown(block.text, output=ws / "示例.docx", filename=block.name)
    if block.text.startswith("---"):  # a whole notice: it meets the format it documents
        report = check_docx(ws / "示例.docx")
        assert report.ok, [i.message for i in report.items if not i.passed]


BLOCKS = doc_blocks()


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_doc_block_runs_as_written(block, workspace):
    key = (block.path.relative_to(ROOT).as_posix(), block.first)
    check = next((c for (file, start), c in OUTPUTS.items() if key[0] == file and key[1].startswith(start)), None)
    if check is not None:
        check(block, workspace)
    elif block.lang == "python":
        check_python(block, workspace)
    elif block.lang == "yaml":
        check_yaml(block, workspace)
    elif block.lang == "markdown":
        check_markdown(block, workspace)
    elif _is_synopsis(block):
        check_synopsis(block, workspace)
    elif _is_shell(block):
        run_shell_block(block, workspace)
    else:
        pytest.fail(f"{block.name}：不知道怎样检查这个代码块（在 tests/test_docs_examples.py 的 OUTPUTS 中加一项）")


def test_every_block_is_found():
    assert len(BLOCKS) > 40
    assert {b.path.name for b in BLOCKS} >= {"README.md", "generate.md", "batch.md", "search.md", "render.md"}
