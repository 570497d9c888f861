"""Forms, ledgers and reports: what each asks, from the pack, and that each passes kb check."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from dangjian.generators.api import generate
from dangjian.generators.campaign import campaigns_dir
from dangjian.generators.check import check_docx
from dangjian.kb.cli import cli
from dangjian.kb.errors import InputError, UnknownNameError
from docx_helpers import docx_text, in_order

FIXTURES = Path(__file__).parent / "fixtures" / "rosters"

PROFILE = {
    "名称": "红星社区党支部",
    "领域": "社区",
    "上级党委": "某某街道党工委",
    "书记": "张三",
    "委员": ["李四"],
    "督导组": "赵六",
    "党员名单": ["张三", "李四", "王五"],
    "在职": 2,
    "离退休": 1,
    "开始日期": "2005-07-01",
    "月数": 3,
}


FORMS = [
    ("征求意见表", {}, ["征求意见表", "可以不署名", "对党组织的意见和建议", "其他建议", "党员姓名", "张三", "李四", "王五"]),
    ("民主评议党员测评表", {}, ["不评定等次", "姓名", "主要优点", "存在的不足", "改进建议", "张三", "王五"]),
    ("群众满意度测评表", {}, ["不记名", "测评项目", "满意", "基本满意", "不满意", "组织领导", "整改措施", "总体评价"]),
    ("党性分析材料提纲", {}, ["基本情况", "学习收获", "存在的问题", "理想信念方面", "宗旨观念方面", "组织纪律方面",
                       "思想和工作作风方面", "根源", "整改措施"]),
    ("评议意见反馈表", {}, ["张三", "主要优点", "存在的问题和不足", "整改方向", "李四", "王五"]),
    ("整改台账", {}, ["序号", "问题", "来源", "措施", "责任领导", "责任人", "时限", "进展/", "完成情况", "群众评价",
                  "销号日期", "备注"]),
    ("阶段小结", {"phase": "分析评议"}, ["分析评议阶段小结", "2005年", "广泛征求意见", "搞好党性分析", "开展批评和自我批评",
                                    "反馈评议意见", "取得的成效", "存在的问题", "下一阶段打算", "整改提高"]),
    ("工作总结", {}, ["工作总结", "共有党员3名", "学习动员阶段", "分析评议阶段", "整改提高阶段", "取得的成效"]),
    ("备案报告", {}, ["关于报送", "实施方案", "某某街道党工委：", "请予备案", "附件：", "红星社区党支部"]),
    ("督导检查表", {}, ["被检查单位：红星社区党支部", "组织领导", "实施方案", "四个清楚", "底数清楚", "流动党员",
                   "学习动员阶段", "分析评议阶段", "整改提高阶段", "工作制度", "佐证材料"]),
    ("信息简报", {"issue": "3", "issued": "2005-09-05", "title": "红星社区开好专题组织生活会"},
     ["先进性教育活动简报", "第3期", "红星社区党支部", "2005年9月5日", "红星社区开好专题组织生活会", "报：某某街道党工委",
      "送：督导组赵六",
      "发："]),
]


@pytest.mark.parametrize("doc_type,options,expected", FORMS, ids=[f[0] for f in FORMS])
def test_form_asks_what_it_should_and_passes_check(doc_type, options, expected, tmp_path):
    out = tmp_path / f"{doc_type}.docx"
    generate(doc_type, PROFILE, output=out, **options)
    assert in_order(docx_text(out), expected)
    report = check_docx(out)
    # outlines keep their fill-in instructions (（写明…）), and kb check says so; nothing else fails
    assert {i.name for i in report.failed()} <= {"待填写内容"}, [i.message for i in report.items if not i.passed]


def _pack_with_grades(tmp_path: Path) -> Path:
    data = yaml.safe_load((campaigns_dir() / "xjx2005.yaml").read_text(encoding="utf-8"))
    data["evaluation"]["grades"] = ["优秀", "合格", "基本合格", "不合格"]
    data["id"] = "graded"
    path = tmp_path / "graded.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("graded", [False, True], ids=["xjx2005-no-grades", "pack-with-grades"])
def test_member_evaluation_follows_the_pack_rules(graded, tmp_path):
    out = tmp_path / "测评表.docx"
    campaign = _pack_with_grades(tmp_path) if graded else None
    generate("民主评议党员测评表", PROFILE, output=out, campaign=campaign)
    text = docx_text(out)
    header = _ledger_rows(out)[0]
    if graded:
        assert header == ["序号", "姓名", "优秀", "合格", "基本合格", "不合格", "意见和建议"]
        assert "不评定等次" not in text
    else:
        assert header == ["序号", "姓名", "主要优点", "存在的不足", "改进建议"]
        assert "不评定等次" in text


def _ledger_rows(path: Path) -> list[list[str]]:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    table = re.search(r"<w:tbl>.*?</w:tbl>", xml, re.S).group(0)
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<w:tc>.*?</w:tc>", row, re.S)]
            for row in re.findall(r"<w:tr[ >].*?</w:tr>", table, re.S)]


def _problems_xlsx(tmp_path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["问题", "来源", "整改措施", "责任领导", "责任人", "时限", "备注"])
    sheet.append(["社区活动室冬季供暖不足", "征求意见", "协调街道维修暖气管线", "张三", "李四", "2005年10月底", None])
    sheet.append([None] * 7)
    sheet.append(["流动党员联系不畅", "党性分析", "建立流动党员联系卡，每月寄送学习材料", "张三", "王五", "2005年9月", "已寄出第一批"])
    path = tmp_path / "问题清单.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("source", ["problems.csv", "problems_gb18030.csv", "xlsx"], ids=["utf8-csv", "gb18030-csv", "xlsx"])
def test_ledger_is_landscape_with_rows_from_the_problem_list(source, tmp_path):
    problems = _problems_xlsx(tmp_path) if source == "xlsx" else FIXTURES / source
    out = tmp_path / "台账.docx"
    generate("整改台账", PROFILE, output=out, problems=str(problems))
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    width, height = (int(v) for v in re.search(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', xml).groups())
    assert width > height  # landscape
    rows = _ledger_rows(out)
    assert rows[0] == ["序号", "问题", "来源", "措施", "责任领导", "责任人", "时限", "进展/完成情况", "群众评价", "销号日期", "备注"]
    assert rows[1][:7] == ["1", "社区活动室冬季供暖不足", "征求意见", "协调街道维修暖气管线", "张三", "李四", "2005年10月底"]
    assert rows[2][0] == "2" and rows[2][1] == "流动党员联系不畅" and rows[2][10] == "已寄出第一批"
    assert len(rows) == 3
    assert 'w:tblHeader' in xml  # the header row repeats on every page
    assert check_docx(out).ok


def test_empty_ledger_has_numbered_blank_rows(tmp_path):
    out = tmp_path / "台账.docx"
    generate("整改台账", PROFILE, output=out)
    rows = _ledger_rows(out)
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 11)]
    assert all(not "".join(r[1:]).strip("\u3000 ") for r in rows[1:])


def test_ledger_with_unreadable_problem_list_is_one_clear_error(tmp_path):
    bad = tmp_path / "清单.csv"
    bad.write_text("序号,内容\n1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="问题"):
        generate("整改台账", PROFILE, output=tmp_path / "台账.docx", problems=str(bad))
    assert not (tmp_path / "台账.docx").exists()


def test_feedback_form_gives_each_member_a_page(tmp_path):
    out = tmp_path / "反馈表.docx"
    generate("评议意见反馈表", PROFILE, output=out)
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert xml.count('w:type="page"') + xml.count("<w:pageBreakBefore/>") == 2  # three members: two page breaks
    assert xml.count("<w:tbl>") == 3


def test_satisfaction_survey_rows_are_the_pack_items_times_its_scale(tmp_path):
    out = tmp_path / "测评表.docx"
    generate("群众满意度测评表", PROFILE, output=out)
    rows = _ledger_rows(out)
    assert rows[0] == ["序号", "测评项目", "满意", "基本满意", "不满意"]
    assert len(rows) == 1 + 6 + 1  # six items of the pack and the overall rating


@pytest.mark.parametrize("phase,first_task", [("学习动员", "搞好思想发动"), ("整改提高阶段", "制定和落实整改措施"),
                                              ("evaluate", "广泛征求意见")], ids=["chinese", "with-suffix", "key"])
def test_phase_summary_lists_the_tasks_of_the_phase(phase, first_task, tmp_path):
    out = tmp_path / "小结.docx"
    generate("阶段小结", PROFILE, output=out, phase=phase)
    assert first_task in docx_text(out)


def test_unknown_phase_lists_the_phases(tmp_path):
    with pytest.raises(UnknownNameError, match="学习动员、分析评议、整改提高"):
        generate("阶段小结", PROFILE, output=tmp_path / "x.docx", phase="组织处理")


@pytest.mark.parametrize("issue", ["三", "3a"], ids=["chinese-numeral", "letters"])
def test_bulletin_issue_must_be_a_number(issue, tmp_path):
    with pytest.raises(InputError, match="期号"):
        generate("信息简报", PROFILE, output=tmp_path / "x.docx", issue=issue)


def test_bulletin_masthead_is_red(tmp_path):
    out = tmp_path / "简报.docx"
    generate("信息简报", PROFILE, output=out, issue="3", issued="2005-09-05")
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    mark = re.search(r"<w:p>(?:(?!</w:p>).)*先进性教育活动简报(?:(?!</w:p>).)*</w:p>", xml)
    assert mark and 'w:color w:val="FF0000"' in mark.group(0)
    assert "先进性教育活动简报文件" not in xml
    # 编发单位 flush left, the date flush right on one line, the red rule under it
    line = re.search(r"<w:p>(?:(?!</w:p>).)*2005年9月5日(?:(?!</w:p>).)*</w:p>", xml).group(0)
    assert "红星社区党支部" in line and '<w:tab w:val="right"' in line
    assert re.search(r'<w:bottom [^>]*w:color="FF0000"', line)
    # 报/送/发 in the 版记 at the foot of the page (a text box anchored to the bottom), not in a table
    box = re.search(r"<w:txbxContent>.*?</w:txbxContent>", xml).group(0)
    assert box.index("报：某某街道党工委") < box.index("送：督导组") < box.index("发：本单位各党支部")
    assert "<w:tbl>" not in xml
    generate("信息简报", PROFILE, output=tmp_path / "简报.html", issue="3")
    preview = (tmp_path / "简报.html").read_text(encoding="utf-8")
    assert "先进性教育活动简报" in preview and "先进性教育活动简报文件" not in preview


def test_cli_ledger_reads_problems_through_set_option(tmp_path):
    out = tmp_path / "台账.docx"
    result = CliRunner().invoke(cli, ["generate", "整改台账", "--org", "红星社区党支部", "--sector", "社区",
                                      "--set", f"problems={FIXTURES / 'problems_gb18030.csv'}", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "流动党员联系不畅" in docx_text(out)


def test_every_form_is_listed_by_kb_types():
    result = CliRunner().invoke(cli, ["types"])
    assert result.exit_code == 0
    for name in [f[0] for f in FORMS] + ["会议通知", "会议议程", "签到表", "会议记录", "会议纪要", "会议材料"]:
        assert name in result.output


def test_every_meeting_and_form_type_is_documented_with_pictures():
    from dangjian.generators.api import document_types

    docs = Path(__file__).parent.parent / "docs"
    text = (docs / "meetings.md").read_text(encoding="utf-8")
    ours = [t for t in document_types() if t.template.startswith(("meetings/", "forms/"))]
    assert len(ours) == 18
    assert [t.name for t in ours if f"| {t.name} | {t.key} |" not in text] == []
    images = re.findall(r"\]\((images/kit-[^)]+\.png)\)", text)
    assert len(images) >= 8 and all((docs / image).is_file() for image in images)


@pytest.mark.parametrize("options,date", [({}, "二〇〇五年七月三日"), ({"issued": "2005-07-05"}, "二〇〇五年七月五日")],
                         ids=["profile-date", "issued-option"])
def test_filing_report_is_dated(options, date, tmp_path):
    # A 2005 report follows the format of its time: the date in Chinese numerals, a 主题词 line after it.
    out = tmp_path / "报告.docx"
    generate("备案报告", {**PROFILE, "成文日期": "2005-07-03"}, output=out, **options)
    text = docx_text(out)
    assert f"\n{date}\n" in text and text.index(date) < text.index("主题词：")


def test_filing_report_in_the_2012_format_has_an_arabic_date_and_no_subject_terms(tmp_path):
    out = tmp_path / "报告.docx"
    generate("备案报告", {**PROFILE, "成文日期": "2005-07-03", "格式标准": "2012"}, output=out)
    text = docx_text(out)
    assert "\n2005年7月3日\n" in text and "主题词" not in text


def test_feedback_form_titles_every_sheet_and_sizes_rows_for_handwriting(tmp_path):
    out = tmp_path / "反馈表.docx"
    generate("评议意见反馈表", PROFILE, output=out)
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert xml.count('<w:pStyle w:val="Title"/>') == 3  # one title per member's sheet
    heights = [int(h) for h in re.findall(r'<w:trHeight w:val="(\d+)"', xml)]
    assert len(heights) == 33 and sum(h >= 15 * 56 for h in heights) == 24  # 8 write-in rows of 15 mm a sheet
