"""The campaign document types: sector outputs differ, member sections follow the profile, dates follow the
profile, every citation resolves, every .docx passes kb check, and no text the guidance lost leaks out."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from dangjian.generators.titles import running_name
from dangjian.generators import document_types, generate
from dangjian.generators.check import check_docx
from dangjian.generators.profile import load_profile
from dangjian.kb.errors import InputError, UnknownNameError

PROFILES = Path(__file__).parent / "fixtures" / "profiles"
SECTORS = ["community", "school", "township", "soe", "private"]

#: Words that belong to one sector's 学习要求 only.
SECTOR_WORDS = {
    "community": ["共驻共建", "新型社区"],
    "school": ["师德校风", "可靠接班人"],
    "township": ["税费改革", "农民收入"],
    "soe": ["国有资产", "现代企业制度"],
    "private": ["未对非公有制企业单列着力点", "不具备建立党组织的条件"],
}

#: Text the scraped guidance lost numbers from; generated documents must never show it.
GAP_TEXT = re.compile(r"(?<![0-9一二三四五六七八九十两])个月|年月|月日|用天|只有-人|▢")


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


@pytest.fixture(scope="module")
def requirements(tmp_path_factory):
    """学习要求 of every fixture sector, as Markdown and as .docx."""
    out = tmp_path_factory.mktemp("requirements")
    made = {}
    for sector in SECTORS:
        result = generate("学习要求", PROFILES / f"{sector}.yaml", output=out / f"{sector}.docx")
        made[sector] = (result.markdown, out / f"{sector}.docx")
    return made


@pytest.mark.parametrize("sector", SECTORS, ids=SECTORS)
def test_sector_words_appear_only_in_their_sector(requirements, sector):
    markdown, docx = requirements[sector]
    text = docx_text(docx)
    for owner, words in SECTOR_WORDS.items():
        for word in words:
            assert (word in text) == (owner == sector), f"{word} in {sector}"
            assert (word in markdown) == (owner == sector), f"{word} in {sector} markdown"


@pytest.mark.parametrize(
    "sector, present, absent",
    [
        ("community", ["流动党员（3名）", "邮寄学习资料", "年老体弱党员（12名）", "送学帮学作如下安排", "结对送学",
                       "驻区单位和机关在职党员参与上门送学", "不强求一律", "离退休党员（35名）"],
         ["知识分子党员", "学生党员"]),
        ("school", ["在职党员（30名）", "知识分子党员（30名）", "座谈讨论", "学生党员（6名）"],
         ["邮寄", "流动党员", "送学", "不强求一律"]),
        ("township", ["流动党员（15名）", "邮寄学习资料", "文化程度低党员（8名）", "不强求一律"],
         ["送学帮学作如下安排", "年老体弱党员"]),
        ("soe", ["下岗失业党员（15名）", "困难党员（10名）", "为他们参加"], ["邮寄", "送学", "不强求一律"]),
        ("private", ["新经济组织党员（9名）", "业余、小型、分散", "流动党员（2名）"], ["在职党员（", "送学"]),
    ],
    ids=SECTORS,
)
def test_member_sections_follow_the_profile(requirements, sector, present, absent):
    markdown, _ = requirements[sector]
    body = markdown.split("# 附件 编写依据")[0]
    for text in present:
        assert text in body, text
    for text in absent:
        assert text not in body, text


@pytest.mark.parametrize("sector", SECTORS, ids=SECTORS)
def test_requirements_pass_kb_check_and_use_the_profile(requirements, sector):
    markdown, docx = requirements[sector]
    report = check_docx(docx)
    assert report.ok, [str(i) for i in report.items]
    profile = load_profile(PROFILES / f"{sector}.yaml")
    text = docx_text(docx)
    assert profile.formal in text and running_name(profile) in text  # 落款 formal, running text short
    if profile.secretary:
        assert f"书记{profile.secretary}" in text
    assert not GAP_TEXT.search(text), GAP_TEXT.search(text)


@pytest.mark.parametrize("doc_type", ["学习要求", "实施方案", "学习安排表"], ids=["requirements", "plan", "schedule"])
@pytest.mark.parametrize("sector", SECTORS, ids=SECTORS)
def test_every_citation_resolves_and_every_section_is_cited(shared_kb, tmp_path, doc_type, sector):
    result = generate(doc_type, PROFILES / f"{sector}.yaml", output=tmp_path / "x.docx")
    ids = [s.passage_id for s in result.statements if s.kind == "guidance"]
    assert ids
    for passage_id in ids:
        assert shared_kb.passage(passage_id).id == passage_id
    sections = {s.section.split("·")[0] for s in result.statements}
    for heading in re.findall(r"^## (.+)$", result.markdown, re.M):
        assert heading in sections, heading
    # the 依据 is a working paper beside the document, not part of it
    assert "编写依据" not in result.markdown
    assert result.working_paper_output == tmp_path / "x.依据.docx" and result.working_paper_output.exists()
    paper = docx_text(result.working_paper_output)
    assert "工作底稿" in paper and ids[0] in paper
    assert check_docx(tmp_path / "x.docx").ok
    assert not GAP_TEXT.search(docx_text(tmp_path / "x.docx"))


@pytest.mark.parametrize("doc_type", ["学习要求", "实施方案", "学习安排表"], ids=["requirements", "plan", "schedule"])
def test_no_citations_leaves_out_the_appendix(doc_type, tmp_path):
    result = generate(doc_type, PROFILES / "community.yaml", output=tmp_path / "x.md", citations=False)
    assert "编写依据" not in result.markdown and "xjx2005:" not in result.markdown
    assert not result.working_paper and not (tmp_path / "x.依据.md").exists()


@pytest.mark.parametrize("doc_type", ["学习要求", "实施方案", "学习安排表", "整改方案"])
def test_appendix_mode_names_places_not_ids_and_no_tool(doc_type):
    markdown = generate(doc_type, PROFILES / "community.yaml", fmt="md", citations="appendix").markdown
    appendix = markdown.split("编写依据", 1)[1]
    assert "| 部分 | 类别 | 依据 |" in appendix and "指导原文" in appendix
    assert "xjx2005:" not in markdown and "kb " not in markdown and not re.search(r"\d+\.\d+\.\d+\.\d+", markdown)


@pytest.mark.parametrize(
    "changes, phases",
    [
        ({}, ["学习动员阶段（2005年7月1日至7月31日）", "分析评议阶段（2005年8月1日至8月31日）",
              "整改提高阶段（2005年9月1日至9月30日）"]),
        ({"月数": 6, "阶段比例": "1:1:1"}, ["学习动员阶段（2005年7月1日至8月31日）", "分析评议阶段（2005年9月1日至10月31日）",
                                      "整改提高阶段（2005年11月1日至12月31日）"]),
        ({"开始日期": "2005-11-15", "月数": 3}, ["学习动员阶段（2005年11月15日至12月20日）",
                                          "分析评议阶段（2005年12月21日至2006年1月20日）", "整改提高阶段（2006年1月21日至2月14日）"]),
    ],
    ids=["default-shares", "six-months-equal", "across-new-year"],
)
def test_plan_phase_dates_follow_start_and_duration(changes, phases):
    profile = {"名称": "某某社区党委", "领域": "社区", "开始日期": "2005-07-01", **changes}
    markdown = generate("实施方案", profile, fmt="md", citations=False).markdown
    for text in phases:
        assert text in markdown


def test_plan_sections_leading_group_and_filing():
    markdown = generate("实施方案", PROFILES / "community.yaml", fmt="md", citations=False).markdown
    headings = re.findall(r"^## (.+)$", markdown, re.M)
    assert headings == ["指导思想", "目标要求", "基本原则", "范围和时间", "方法步骤", "主题实践活动", "分类指导",
                        "组织领导", "工作制度", "工作要求"]
    for text in ["以学习实践“三个代表”重要思想为主线", "组长：张三（社区党委书记）", "成员：李四（党委委员）、王五（党委委员）",
                 "某某街道党工委督导组（组长孙八同志）",
                 "领导干部联系点制度", "民主评议不确定党员格次", "本方案报某某街道党工委先进性教育活动办公室备案",
                 "社区党委共有党员55名", "至2005年9月30日基本结束", "在职党员进社区", "楼栋党员责任区"]:
        assert text in markdown, text


def test_plan_with_notice_single_attachment_is_unnumbered(tmp_path):
    result = generate("实施方案", PROFILES / "school.yaml", output=tmp_path / "n.docx", with_notice=True)
    assert result.markdown.count("\n# ") == 2  # notice title, 附件 the plan (the 依据 is a file of its own)
    assert "# 附件 某某中学党总支开展" in result.markdown and "附件1" not in result.markdown
    assert "编写依据" not in result.markdown and check_docx(tmp_path / "n.docx").ok


def test_plan_with_notice_is_an_attachment_of_a_notice(tmp_path):
    result = generate("实施方案", PROFILES / "school.yaml", output=tmp_path / "n.docx", with_notice=True,
                      citations="appendix")
    assert result.markdown.count("\n# ") == 3  # notice title, 附件1 the plan, 附件2 编写依据
    assert "# 关于印发《某某中学党总支开展第二批保持共产党员先进性教育活动实施方案》的通知" in result.markdown
    assert "# 附件1 某某中学党总支开展" in result.markdown and "# 附件2 编写依据" in result.markdown
    assert check_docx(tmp_path / "n.docx").ok


def test_schedule_spans_the_mobilization_phase_week_by_week():
    markdown = generate("学习安排表", PROFILES / "community.yaml", fmt="md", citations=False).markdown
    rows = [line for line in markdown.splitlines() if line.startswith("| 第")]
    weeks = [int(re.match(r"\| 第(\d+)周", r).group(1)) for r in rows]
    assert weeks[0] == 1 and weeks[-1] == 5 and weeks == sorted(weeks)
    assert set(range(1, 6)) <= set(weeks)
    assert "7月1日（周五）" in rows[0] and "召开动员大会" in rows[0]
    assert any("书记讲党课" in r and "| 张三 |" in r for r in rows)
    assert any("| 赵六 |" in r for r in rows) and any("| 钱七 |" in r for r in rows)
    assert "送学帮学登记表" in markdown and "寄出学习资料" in markdown


def test_schedule_without_tutors_names_committee_members_and_other_members_notes():
    result = generate("学习安排表", PROFILES / "school.yaml", fmt="md", citations=False)
    markdown = result.markdown
    assert "待定" not in markdown and "| 郑三 |" in markdown  # the 班子 stands in, with a 提示
    assert any("未列辅导员" in w for w in result.warnings)
    assert "送学" not in markdown and "寄出" not in markdown


def test_requirements_hours_match_the_schedule():
    req = generate("学习要求", PROFILES / "community.yaml", fmt="md", citations=False).markdown
    sch = generate("学习安排表", PROFILES / "community.yaml", fmt="md", citations=False).markdown
    hours = re.search(r"合计(\d+)学时", req).group(1)
    assert f"合计{hours}学时" in sch


def test_defaults_are_reported_not_hidden():
    result = generate("学习要求", {"名称": "某某社区党委", "领域": "社区"}, fmt="md", citations=False)
    assert any("默认值 2005年7月1日" in w for w in result.warnings)
    assert any("默认值 3 个月" in w for w in result.warnings)
    short = generate("实施方案", {"名称": "甲党支部", "领域": "学校", "月数": 2}, fmt="md")
    assert any("少于活动要求的 3 个月" in w for w in short.warnings)


def test_generated_with_a_continuous_pack_with_grades():
    pack = Path(__file__).parent / "fixtures" / "campaigns" / "lxyz2016.yaml"
    markdown = generate("实施方案", PROFILES / "community.yaml", campaign=pack, fmt="md", citations=False).markdown
    assert "民主评议按优秀、合格、基本合格、不合格评定党员格次" in markdown
    assert "## 主要措施" in markdown and "阶段（" not in markdown


@pytest.mark.parametrize(
    "profile",
    [PROFILES / "school.yaml", str(PROFILES / "school.yaml"), {"名称": "某某中学党总支", "领域": "学校"}],
    ids=["path", "str-path", "dict"],
)
def test_api_accepts_profile_forms(profile, tmp_path):
    result = generate("implementation_plan", profile, output=tmp_path / "p.docx")
    assert result.output == tmp_path / "p.docx" and (tmp_path / "p.docx").stat().st_size > 5000
    assert generate("学习要求", load_profile(profile), fmt="html").data.startswith("<")


def test_document_types_are_registered_through_entry_points():
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group="dangjian.document_types")}
    assert {"study_requirements", "implementation_plan", "study_schedule"} <= names
    assert [t.name for t in document_types()][:3] == ["学习要求", "实施方案", "学习安排表"]


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: generate("通知书", {"名称": "甲", "领域": "学校"}), UnknownNameError, ["通知书", "是不是“会议通知”", "kb types"]),
        (lambda: generate("学习要求", {"名称": "甲", "领域": "学校"}, colour="red"), InputError, ["colour"]),
        (lambda: generate("学习要求", {"名称": "甲", "领域": "学校"}, fmt="rtf"), InputError, ["rtf", "docx、html、md、pdf"]),
    ],
    ids=["unknown-type", "unknown-option", "unknown-format"],
)
def test_bad_calls(call, error, words):
    with pytest.raises(error) as caught:
        call()
    for word in words:
        assert word in str(caught.value)


def test_schedule_sessions_fall_on_weekdays_in_the_phase():
    # 2005-07-02 is a Saturday: the first session moves to Monday 7月4日.
    from dangjian.generators.campaign import load_campaign
    from dangjian.generators.types.study_schedule import plan

    profile = load_profile({"名称": "某某社区党委", "领域": "社区", "开始日期": "2005-07-02", "月数": 3})
    rows = plan(profile, load_campaign(None))
    assert rows[0].day.isoformat() == "2005-07-04"
    assert all(r.day.weekday() < 5 for r in rows)
    assert all(dt_ >= profile.start for dt_ in (r.day for r in rows))


@pytest.mark.parametrize(
    "sector, words",
    [
        ("社会组织", ["未对社会团体和中介组织单列着力点"]),
        ("机关", ["未对机关单列着力点"]),
        ("事业单位", ["未对事业单位单列着力点"]),
        ("医院", ["未对医院单列着力点", "院党委"]),
    ],
    ids=["social_org", "organ", "public_inst", "hospital"],
)
def test_sectors_without_a_focus_say_so_honestly(tmp_path, sector, words):
    name = "某某医院党委" if sector == "医院" else "某某单位党委"
    generate("学习要求", {"名称": name, "领域": sector, "各类党员": "在职=10"}, output=tmp_path / "a.docx")
    text = docx_text(tmp_path / "a.docx")
    for word in words:
        assert word in text
    assert "着力点放在" not in text
    assert check_docx(tmp_path / "a.docx").ok


def test_phase_shares_must_match_the_phases():
    from dangjian.kb.errors import CampaignError

    with pytest.raises(CampaignError, match="阶段比例有 2 个数，但本活动有 3 个阶段"):
        generate("实施方案", {"名称": "甲党支部", "领域": "学校", "阶段比例": "1:1"}, fmt="md")
