"""整改方案: the rectification phase's plan, with the problems and the 整改台账 when a problem list is given."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

import datetime

import pytest

from dangjian.generators import rectification
from dangjian.generators.api import document_types, generate
from dangjian.generators.campaign import load_campaign, passage_resolver
from dangjian.generators.check import check_docx
from dangjian.kb.cli import cli
from docx_helpers import docx_text, in_order

PROFILES = Path(__file__).parent / "fixtures" / "profiles"
PROBLEMS = Path(__file__).parent / "fixtures" / "rosters" / "problems.csv"
PACK = Path(__file__).parent / "fixtures" / "campaigns" / "lxyz2016.yaml"
SETS = Path(__file__).parent / "fixtures" / "sets"


def test_registered_under_chinese_and_english_names():
    kinds = {t.key: t for t in document_types()}
    assert kinds["rectification_plan"].name == "整改方案"
    assert kinds["rectification_plan"].phase == "rectify"


def test_without_a_problem_list_it_is_the_draft_for_publicity(tmp_path):
    out = tmp_path / "整改方案.docx"
    result = generate("整改方案", PROFILES / "community.yaml", output=out)
    text = docx_text(out)
    flat = text.replace("\n", "")
    # only the sector's areas to check, none of the unit's own findings: no 突出问题 is proposed (review r5)
    assert "集中力量解决" not in flat
    assert in_order(flat, ["整改方案（征求意见稿）", "公示（五个工作日）", "指导思想和目标", "存在的主要问题",
                           "初步梳理出以下", "待公示核实", "1.在职党员到社区报到不普遍", "整改措施和责任分工",
                           "能整改的立说立行", "第一责任人", "1.针对“在职党员到社区报到不普遍", "责任领导：", "完成时限：",
                           "诫勉谈话", "长效机制", "组织领导", "方法步骤和时间安排",
                           "公示、征求党员群众意见后报督导组审核", "向群众公布整改情况", "整改情况通报会",
                           "群众满意度测评由上级党委会同督导组组织", "工作要求", "意见请于"])
    # the rules are sentences, not a list of their names; no section repeats another
    assert "人人有整改措施、立说立行" not in flat and "从中选出" not in flat and "定稿时写明" not in flat
    assert flat.count("整改措施和责任分工") == 1 and flat.count("整改一项、销号一项") == 1
    assert "〔2005〕" not in text and "文号" not in result.markdown.split("---")[1]  # a 征求意见稿 has no 文号
    assert "附件" not in text  # no ledger attached without problems; the 依据 is a file
    paper = docx_text(tmp_path / "整改方案.依据.docx")
    assert "编写依据" in paper and "待公示核实" in paper and "通行做法" in paper
    assert "着力构建城市社区党建工作新格局" in text  # the community sector's focus, from the pack
    assert any("不是本单位的评议结果" in w for w in result.warnings)
    assert not any("kb generate" in w for w in result.warnings)
    assert check_docx(out).ok


SECTORS = ("community", "school", "township", "soe")


def _items(markdown: str) -> list[str]:
    return re.findall(r"^\d+\.针对“.+?”：(.+)$", markdown, re.M)


def _phase(profile: Path):
    from dangjian.generators.profile import load_profile
    from dangjian.generators.types._common import timeline

    return timeline(load_profile(profile), load_campaign(None)).span("rectify")


@pytest.mark.parametrize("sector", SECTORS)
def test_each_problem_has_its_measure_leader_and_deadline(sector):
    profile = SETS / f"{sector}.yaml"
    result = generate("整改方案", profile, fmt="md", citations=False)
    markdown = result.markdown
    listed = re.findall(r"^(\d+)\.(?!针对)(.+?)。$", markdown.split("## 存在的主要问题")[1].split("\n## ")[0], re.M)
    items = _items(markdown)
    assert len(listed) >= 3 and len(items) == len(listed)
    officers = load_profile_officers(profile)
    steps = rectification.dates(_phase(profile))
    allowed = {steps.deadline("soon"), steps.deadline("end"), steps.deadline("later"), rectification.LONG_TERM}
    for item in items:
        measure, rest = item.split("。责任领导：")
        assert len(measure) > 20  # a concrete measure, not a heading
        leader = re.match(r"(.+?)（", rest).group(1)
        assert leader in officers  # a named 班子 member
        assert re.search(r"完成时限：(.+?)。$", rest).group(1) in allowed
    assert len({re.search(r"责任领导：(.+?)（", i).group(1) for i in items}) >= 2  # by 分工, not one person for all


def load_profile_officers(path: Path) -> set[str]:
    from dangjian.generators.profile import load_profile

    return {o.name for o in load_profile(path).org.officers}


@pytest.mark.parametrize("sector", SECTORS)
def test_the_one_or_two_hot_problems_are_named(sector):
    markdown = generate("整改方案", SETS / f"{sector}.yaml", fmt="md", citations=False).markdown
    sentence = re.search(r"集中力量解决(.+?)问题[。，]", markdown).group(1)
    assert "拟集中力量解决" in markdown and "定稿时根据" in markdown  # a draft proposes, the 公示 decides
    numbers = re.search(r"第([\d、]+)项", sentence).group(1).split("、")
    assert 1 <= len(numbers) <= 2
    for number in numbers:  # each named problem is one of the plan's, and its measure is the sector's (hot) one
        assert re.search(rf"^{number}\.针对“", markdown, re.M)


@pytest.mark.parametrize("sector", SECTORS)
def test_draft_and_final_are_dated_by_the_phase_steps(sector):
    profile = SETS / f"{sector}.yaml"
    span = _phase(profile)
    steps = rectification.dates(span)
    draft = generate("整改方案", profile, fmt="md", citations=False)
    assert span.start <= steps.draft <= steps.publicity_end < steps.adopted <= steps.soon <= steps.done < steps.publish <= span.end
    for day in (steps.draft, steps.publicity_end, steps.adopted, steps.soon, steps.done, steps.publish):
        assert rectification.working_day(day), day  # never a weekend or a holiday (国庆 falls in the phase)
    assert steps.draft == _first_working_day(span.start)  # the draft is published when the phase begins
    assert _cn_date(steps.draft) in draft.markdown.split("---")[1]
    assert f"{steps.draft.month}月{steps.draft.day}日至" in draft.markdown  # the 公示 period in the text
    assert f"于{steps.adopted.month}月{steps.adopted.day}日印发" in draft.markdown
    final = generate("整改方案", profile, fmt="md", citations=False, problems=PROBLEMS)
    head = final.markdown.split("---")[1]
    assert _cn_date(steps.adopted) in head and re.search(r"文号: \".+〔2005〕\d+号\"", head)
    assert "征求意见稿）" not in final.markdown.split("\n# ")[1].split("\n")[0]


def _first_working_day(day):
    while not rectification.working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _cn_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def test_the_publicity_period_is_a_default_the_profile_changes():
    profile = {"名称": "某某社区党委", "领域": "社区", "开始日期": "2005-07-11", "月数": 3}
    five = generate("整改方案", profile, fmt="md", citations=False).markdown
    ten = generate("整改方案", {**profile, "公示天数": 10}, fmt="md", citations=False).markdown
    assert "公示（五个工作日）" in five and "公示（十个工作日）" in ten
    paper = generate("整改方案", profile, fmt="md").statements
    assert any(s.kind == "default" and s.text.startswith("公示天数5") for s in paper)
    plan = generate("实施方案", profile, fmt="md").statements  # an amount of the 整改方案 only
    assert not any(s.text.startswith("公示天数") for s in plan)


def test_problems_from_the_profile_make_the_final_plan_with_the_marked_hot_problem():
    profile = {"名称": "某某社区党委", "领域": "社区", "书记": "王一", "副书记": "李二",
               "委员": [{"姓名": "赵三", "分工": "组织委员"}], "文号": "某社党发〔2005〕{n}号",
               "整改问题": ["楼道照明损坏多，居民夜间出行不便",
                         {"问题": "流动党员联系不畅", "来源": "党性分析", "措施": "建立流动党员联系卡",
                          "责任领导": "赵三", "时限": "长期坚持"},
                         {"问题": "社区活动室冬季供暖不足", "来源": "征求意见", "措施": "协调街道维修暖气管线",
                          "责任领导": "李二", "责任部门": "社区居委会", "突出问题": "是"}]}
    result = generate("整改方案", profile, fmt="md", citations=False)
    markdown = result.markdown
    assert "（征求意见稿）" not in markdown and "某社党发〔2005〕" in markdown
    assert "1.楼道照明损坏多，居民夜间出行不便。" in markdown and "3.社区活动室冬季供暖不足（来源：征求意见）。" in markdown
    assert "集中力量解决第3项，即社区活动室冬季供暖不足问题" in markdown
    assert "责任部门：社区居委会" in markdown and "完成时限：长期坚持" in markdown  # a department, not a 责任人
    assert any("没有写整改措施" in w for w in result.warnings)  # the first has none: said, not invented
    assert any("没有写责任领导" in w for w in result.warnings)
    assert "整改台账" in markdown


def test_leaders_follow_the_division_of_labour():
    from dangjian.generators.organization import Officer, Organization

    org = Organization("某某厂党委", "党委", "中共某某厂委员会", "某某厂党委",
                       officers=[Officer("甲", "书记"), Officer("乙", "副书记"), Officer("丙", "委员", "组织委员"),
                                 Officer("丁", "委员", "厂长")])
    assert rectification.leader_for(org, ["厂长", "副书记"]).name == "丁"
    assert rectification.leader_for(org, ["组织委员"]).name == "丙"
    assert rectification.leader_for(org, ["工会"]).name == "乙"  # nobody has the 分工: the 副书记
    assert rectification.leader_text(org, org.officers[2]) == "丙（党委委员、组织委员）"


def test_problem_list_goes_into_the_plan_and_a_landscape_ledger(tmp_path):
    out = tmp_path / "整改方案.docx"
    generate("整改方案", PROFILES / "community.yaml", output=out, problems=PROBLEMS, citations="appendix")
    text = docx_text(out)
    assert in_order(text, ["存在的主要问题", "1.社区活动室冬季供暖不足（来源：征求意见）。",
                           "2.流动党员联系不畅（来源：党性分析）。", "见附件1）", "附件：1.", "整改台账", "2.编写依据",
                           "附件1", "整改台账", "协调街道维修暖气管线", "附件2", "编写依据"])
    assert "党组织和领导班子方面" not in text
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>' in xml
    assert check_docx(out).ok


def test_a_single_ledger_is_the_unnumbered_attachment(tmp_path):
    out = tmp_path / "整改方案.docx"
    result = generate("整改方案", PROFILES / "community.yaml", output=out, problems=PROBLEMS)
    assert "见附件）" in result.markdown and "# 附件 某某社区党委整改台账" in result.markdown
    assert "附件1" not in result.markdown and "附件2" not in result.markdown
    assert check_docx(out).ok


def test_every_citation_resolves_to_a_guidance_passage(tmp_path):
    result = generate("整改方案", PROFILES / "township.yaml", fmt="md")
    ids = [s.passage_id for s in result.statements if s.kind == "guidance"]
    assert len(set(ids)) >= 5
    resolve = passage_resolver()
    for passage_id in ids:
        assert resolve(passage_id).text
    assert "编写依据" not in generate("整改方案", PROFILES / "township.yaml", fmt="md", citations=False).markdown


def test_a_continuous_campaign_without_phases_still_gets_a_plan(tmp_path):
    assert load_campaign(PACK).structure.kind != "phases"
    out = tmp_path / "整改方案.docx"
    # (citations off: the fixture pack cites a fixture guidance that is not in the bundled knowledge base)
    generate("整改方案", PROFILES / "community.yaml", output=out, campaign=PACK, citations=False)
    text = docx_text(out)
    assert "整改方案" in text.replace("\n", "") and "整改措施" in text and check_docx(out).ok


def test_cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["generate", "rectification_plan", "-p", str(PROFILES / "soe.yaml"),
                                      "--set", f"problems={PROBLEMS}"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "整改方案.docx").exists()


def test_without_a_division_of_labour_the_leaders_fall_back_with_a_warning():
    result = generate("整改方案", PROFILES / "community.yaml", fmt="md", citations=False)  # 委员 without 分工
    assert any("没有" in w and "分工" in w and "委员" in w for w in result.warnings)
    assert set(re.findall(r"责任领导：(.+?)（", result.markdown)) == {"张三"}  # the 书记, not an invented division


def test_the_ledger_reads_the_profiles_problems_too():
    profile = {"名称": "某某社区党委", "领域": "社区", "整改问题": [{"问题": "楼道照明损坏多", "措施": "更换灯具"}]}
    markdown = generate("整改台账", profile, fmt="md").markdown
    assert "楼道照明损坏多" in markdown and "更换灯具" in markdown
