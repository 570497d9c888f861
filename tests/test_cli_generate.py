"""``kb generate``, ``kb types`` and ``kb campaign`` through click's test runner."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from dangjian.generators.campaign import pack_path
from dangjian.generators.check import check_docx
from dangjian.kb.cli import cli

PROFILES = Path(__file__).parent / "fixtures" / "profiles"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    "args, output, words",
    [
        (["学习要求", "-p", str(PROFILES / "community.yaml")], "学习要求.docx", ["已生成学习要求"]),
        (["implementation_plan", "--org", "某某镇党委", "--sector", "乡镇", "--members", "在职=30,流动=5",
          "--start", "2005-07-01", "--months", "3"], "实施方案.docx", ["已生成实施方案"]),
        (["实施方案", "-p", str(PROFILES / "school.yaml"), "--with-notice", "-o", "通知.docx"], "通知.docx", ["已生成"]),
        (["study_schedule", "-p", str(PROFILES / "soe.yaml"), "--format", "md"], "学习安排表.md", ["已生成学习安排表"]),
        (["学习安排表", "-p", str(PROFILES / "soe.yaml"), "-o", "表.html"], "表.html", ["已生成"]),
    ],
    ids=["profile-default-name", "options-only-english-key", "with-notice", "markdown", "html-by-suffix"],
)
def test_generate_writes_the_file(tmp_path, monkeypatch, args, output, words):
    monkeypatch.chdir(tmp_path)
    result = run("generate", *args)
    assert result.exit_code == 0, result.output
    for word in words:
        assert word in result.output
    target = tmp_path / output
    assert target.is_file()
    if output.endswith(".docx"):
        assert check_docx(target).ok
    if output.endswith(".md"):
        assert target.read_text(encoding="utf-8").startswith("---")


def test_options_override_the_profile(tmp_path):
    out = tmp_path / "plan.md"
    result = run("generate", "实施方案", "-p", str(PROFILES / "community.yaml"), "--secretary", "新书记",
                 "--months", "4", "--no-citations", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "组长：新书记" in text and "张三" not in text
    assert "集中学习教育时间为四个月" in text and "编写依据" not in text


def test_defaults_are_announced(tmp_path):
    result = run("generate", "学习要求", "--org", "某某社区党委", "--sector", "社区", "-o", str(tmp_path / "a.docx"))
    assert result.exit_code == 0
    assert "提示：开始日期未给出，按活动资料包默认值 2005年7月1日" in result.output


@pytest.mark.parametrize(
    "args, words",
    [
        (["generate", "通知书", "--org", "甲", "--sector", "学校"], ["错误：没有名为“通知书”的文件类型，是不是“会议通知”？"]),
        (["generate", "乱写的东西", "--org", "甲", "--sector", "学校"], ["错误：没有名为“乱写的东西”的文件类型", "学习要求 (study_requirements)"]),
        (["generate", "学习要求", "--org", "甲", "--sector", "农场"], ["错误：没有名为“农场”的领域", "社区 (community)"]),
        (["generate", "学习要求", "--org", "甲", "--sector", "学校", "--members", "外星=3"], ["错误：没有名为“外星”的党员类别", "流动 (mobile)"]),
        (["generate", "学习要求", "--org", "甲", "--sector", "学校", "--start", "2005-02-30"], ["错误：开始日期“2005-02-30”不存在"]),
        (["generate", "学习要求", "--org", "甲", "--sector", "学校", "--months", "0"], ["错误：月数应大于 0"]),
        (["generate", "学习要求", "--org", "甲", "--sector", "学校", "--start", "2005-07-01", "--end", "2005-06-01"], ["不能早于"]),
        (["generate", "学习要求", "--sector", "学校"], ["错误：单位资料缺少“名称”"]),
        (["generate", "学习要求"], ["错误：请用 --profile"]),
        (["generate", "学习要求", "-p", "没有这个文件.yaml"], ["错误：找不到单位资料文件"]),
        (["generate", "学习要求", "--org", "甲", "--sector", "学校", "--with-notice"], ["--with-notice 只用于实施方案"]),
        (["generate", "学习要求", "--org", "甲", "--sector", "学校", "--campaign", "xjx1999"], ["没有名为“xjx1999”的活动资料包"]),
    ],
    ids=["unknown-type", "unknown-type-far", "unknown-sector", "unknown-category", "impossible-date", "zero-months", "end-before-start",
         "no-name", "no-profile", "missing-profile", "notice-wrong-type", "unknown-pack"],
)
def test_generate_errors_are_one_line_and_write_nothing(tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code != 0
    for word in words:
        assert word in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_types_lists_every_type_with_a_description():
    result = run("types")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for name, key in [("学习要求", "study_requirements"), ("实施方案", "implementation_plan"), ("学习安排表", "study_schedule")]:
        assert any(line.startswith(f"{name}（{key}）：") and len(line) > len(name) + len(key) + 6 for line in lines)
    assert "with_notice" in result.output


def test_campaign_check_passes_the_bundled_pack():
    result = run("campaign", "check")
    assert result.exit_code == 0, result.output
    assert "xjx2005.yaml：通过" in result.output


def test_campaign_check_lists_problems_with_yaml_paths(tmp_path):
    data = yaml.safe_load(pack_path("xjx2005").read_text(encoding="utf-8"))
    data["sectors"]["school"]["sources"] = ["xjx2005:9.9.9.9"]
    del data["filing"]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("campaign", "check", str(path))
    assert result.exit_code == 1
    assert "sectors.school.sources[0]：出处“xjx2005:9.9.9.9”在知识库中找不到" in result.output
    assert "filing：缺少此项（必填）" in result.output
    assert "发现 2 个问题" in result.output


def test_campaign_list_and_show():
    assert "xjx2005：第二批保持共产党员先进性教育活动" in run("campaign", "list").output
    shown = run("campaign", "show", "xjx2005").output
    assert "学习动员（mobilize，默认占 35%）" in shown and "不评定格次" in shown and "默认 3" in shown


DOCS = Path(__file__).parent.parent / "docs"


@pytest.mark.parametrize("key", ["study_requirements", "implementation_plan", "study_schedule", "rectification_plan"])
def test_each_builtin_type_has_a_doc_page_with_a_picture_of_its_first_page(key):
    page = DOCS / "types" / f"{key}.md"
    text = page.read_text(encoding="utf-8")
    images = __import__("re").findall(r"\]\((\.\./images/gen-[^)]+\.png)\)", text)
    assert images and all((page.parent / image).is_file() for image in images)
    assert f"]({page.relative_to(DOCS).as_posix()})" in (DOCS / "generate.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["generate"], ["types"], ["campaign"], ["campaign", "check"]],
                         ids=["generate", "types", "campaign", "campaign-check"])
def test_help_is_chinese_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "例" in result.output or "校验资料包" in result.output


def test_campaign_check_resolves_citations_of_imported_guidance(kb_home):
    from dangjian.kb.api import KnowledgeBase
    from dangjian.kb.outline import build_document
    from dangjian.kb.readers import read_plain_text

    fixtures = Path(__file__).parent / "fixtures"
    pack = fixtures / "campaigns" / "lxyz2016.yaml"
    before = run("--home", str(kb_home), "campaign", "check", str(pack))
    assert before.exit_code == 1 and "lxyz2016:0.4.1.1" in before.output
    blocks, title = read_plain_text((fixtures / "guidance" / "lxyz2016.txt").read_text(encoding="utf-8"))
    document = build_document(blocks, title=title or "学习教育要点", source="lxyz2016.txt", doc_id="lxyz2016", meta={})
    kb = KnowledgeBase.open(kb_home)
    try:
        assert kb.add_documents([document]).ok
    finally:
        kb.close()
    after = run("--home", str(kb_home), "campaign", "check", str(pack))
    assert after.exit_code == 0, after.output
    assert "lxyz2016.yaml：通过" in after.output


def test_generate_keeps_an_existing_file_unless_forced(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "学习要求.docx").write_bytes(b"edited by hand")
    result = run("generate", "学习要求", "-p", str(PROFILES / "community.yaml"))
    assert result.exit_code == 1
    assert "已存在" in result.output and "--force" in result.output
    assert (tmp_path / "学习要求.docx").read_bytes() == b"edited by hand"
    result = run("generate", "学习要求", "-p", str(PROFILES / "community.yaml"), "--force")
    assert result.exit_code == 0 and check_docx(tmp_path / "学习要求.docx").ok


def test_generate_kit_keeps_existing_documents(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["generate", "会议材料", "--meeting", "动员大会", "-p", str(PROFILES / "community.yaml"), "-o", "材料"]
    assert run(*args).exit_code == 0
    notice = tmp_path / "材料" / "动员大会-会议通知.docx"
    notice.write_bytes(b"edited by hand")
    (tmp_path / "材料" / "动员大会-签到表.docx").unlink()
    result = run(*args)
    assert result.exit_code == 0
    assert "动员大会-签到表.docx" in result.stdout and "4份材料未覆盖" in result.stderr
    assert notice.read_bytes() == b"edited by hand"
    result = run(*args)
    assert result.exit_code == 1 and "--force" in result.output
    assert run(*args, "--force").exit_code == 0 and notice.read_bytes() != b"edited by hand"


def test_citations_file_by_default_appendix_or_none(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("generate", "实施方案", "-p", str(PROFILES / "community.yaml"), "-o", "方案.docx")
    assert result.exit_code == 0
    assert (tmp_path / "方案.docx").exists() and (tmp_path / "方案.依据.docx").exists()
    assert "已生成编写依据（工作底稿，不随文件印发）：方案.依据.docx" in result.output
    again = CliRunner().invoke(cli, ["generate", "实施方案", "-p", str(PROFILES / "community.yaml"), "-o", "方案.docx"])
    assert again.exit_code == 1 and "已存在" in again.stderr
    none = run("generate", "学习要求", "-p", str(PROFILES / "community.yaml"), "-o", "要求.docx", "--citations", "none")
    assert none.exit_code == 0 and not (tmp_path / "要求.依据.docx").exists()
    appendix = run("generate", "学习要求", "-p", str(PROFILES / "community.yaml"), "-o", "要求2.md",
                   "--citations", "appendix")
    assert appendix.exit_code == 0 and "编写依据" in (tmp_path / "要求2.md").read_text(encoding="utf-8")
    bad = CliRunner().invoke(cli, ["generate", "学习要求", "-p", str(PROFILES / "community.yaml"), "--citations", "xx"])
    assert bad.exit_code == 1 and "依据的给法" in bad.stderr and "Traceback" not in bad.output
