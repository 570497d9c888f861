"""The third secretary review of the 实施方案, 学习要求 and their 依据 (REVIEW-A/B, r3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dangjian.generators.api import generate
from dangjian.generators.branch_meetings import contact_leaders
from dangjian.generators.organization import Branch, Officer, Organization
from dangjian.generators.profile import load_profile
from dangjian.generators.sector_blocks import fresh
from dangjian.generators.types._common import liaisons

SETS = Path(__file__).parent / "fixtures" / "sets"
SECTORS = ["community", "school", "township", "soe"]


def _plan(sector: str, path: Path | None = None) -> str:
    return generate("实施方案", path or SETS / f"{sector}.yaml", fmt="md", citations=False).markdown


def _study(sector: str, path: Path | None = None) -> str:
    return generate("学习要求", path or SETS / f"{sector}.yaml", fmt="md", citations=False).markdown


def _table_cells(plan: str) -> dict[str, str]:
    rows = re.findall(r"^\| (\S+党支部) \| \S+ \| \S+ \| (.+?) \|$", plan, re.M)
    return dict(rows)


# ---------------------------------------------------------------- 1. 联系点
@pytest.mark.parametrize("sector", SECTORS)
def test_every_leader_has_a_branch_and_every_branch_a_leader_in_the_table(sector):
    profile = load_profile(SETS / f"{sector}.yaml")
    plan = _plan(sector)
    cells = _table_cells(plan)
    assert len(cells) == len(profile.org.branches)
    assert "督导组点评" not in plan and all(cells.values())
    for officer in profile.org.officers:  # the 书记 too
        assert any(officer.name in cell for cell in cells.values()), (officer.name, cells)
    assert "领导班子成员每人联系一个以上党支部" in plan
    assert "每人联系一个党支部" not in plan  # 工作制度 agrees with the table: some link two


@pytest.mark.parametrize("sector", ["community", "township"])
def test_study_requirements_name_the_same_liaisons_as_the_plan(sector):
    cells = _table_cells(_plan(sector))
    study = _study(sector)
    for branch, cell in cells.items():
        for name in re.findall(r"(?:书记|委员)(\S+?)(?:、|$)", cell):
            assert re.search(f"{name}[^，。]*同志联系[^，。]*{branch}", study), (name, branch)


@pytest.mark.parametrize("sector", SECTORS)
def test_liaisons_are_listed_by_rank_the_secretary_first(sector):
    profile = load_profile(SETS / f"{sector}.yaml")
    org = profile.org
    rank = [o.name for o in (org.secretary, *org.deputies, *org.members)]
    for cell in _table_cells(_plan(sector)).values():
        names = [n for n in rank if n in cell]
        assert sorted(names, key=lambda n: cell.index(n)) == names, cell
    pairs = [s for s in re.split("[，。：]", _study(sector)) if "同志联系" in s]
    assert org.secretary.name in pairs[0]  # the sentences too begin with the 书记
    linked = [b for s in pairs for b in re.findall(r"\S+?党支部", s.split("同志联系")[1])]
    assert len(linked) == len(set(linked))  # a branch with two leaders is named once, with both


def test_a_leader_who_holds_the_administrative_post_is_named_with_both_in_the_liaisons():
    """Review r5: the 联系点 table said 厂党委委员秦玉林 (he is also the 厂长)."""
    assert "厂党委委员、厂长秦玉林" in _plan("soe") and "党委委员、厂长秦玉林同志联系" in _study("soe")
    assert "镇党委副书记、镇长陈卫东" in _plan("township")


def test_a_secretary_who_is_also_the_head_is_one_person_in_the_leadership_sentence():
    plan = _plan("school")
    assert "校党总支书记、校长对教育活动负总责，并对教育活动和教育教学工作的统筹安排负责" in plan
    assert "，校长对教育活动" not in plan


def test_township_leadership_names_no_post_the_profile_lacks():
    plan = _plan("township")
    assert "分管党群工作的副书记" not in plan  # the only 副书记 is the 镇长
    assert "各站所党支部书记" not in plan  # one 站所 branch


def test_the_office_head_default_is_told():
    result = generate("实施方案", SETS / "school.yaml", fmt="md", citations=False)
    assert any("办公室主任默认由组织委员郑海燕同志担任" in w and "“办公室主任”可改" in w for w in result.warnings)


def _org(branch_rosters: dict[str, list[str]]) -> Organization:
    officers = [Officer("王书记", "书记"), Officer("刘副", "副书记"), Officer("张委", "委员", "组织委员")]
    branches = [Branch(name=n, secretary=r[0], roster=r) for n, r in branch_rosters.items()]
    return Organization(name="某党委", level="党委", formal="中共某委员会", short="某党委", officers=officers,
                        branches=branches)


def test_a_branch_of_every_leader_is_linked_by_one_of_them_and_the_meetings_pick_is_kept():
    org = _org({"一支部": ["张委", "王书记", "刘副", "甲"], "二支部": ["乙", "丙"], "三支部": ["丁"]})
    picked = contact_leaders(org)
    links = liaisons(org)
    assert picked["一支部"] is None and [o.name for o in links["一支部"]] == ["王书记"]  # own member, not yet linked
    for branch, officer in picked.items():
        if officer is not None:
            assert officer in links[branch]  # the 组织生活会's 联系领导 stays the branch's 联系点
    linked = {o.name for os in links.values() for o in os}
    assert linked == {"王书记", "刘副", "张委"}


def test_a_leader_without_a_branch_of_his_own_links_the_branch_with_fewest_links():
    org = _org({"一支部": ["甲"], "二支部": ["乙", "丙", "丁"]})
    links = liaisons(org)
    assert all(links.values())
    assert {o.name for os in links.values() for o in os} == {"王书记", "刘副", "张委"}


# ---------------------------------------------------------------- 2. sector leaks
@pytest.mark.parametrize("sector, word", [("community", "影响社区工作"), ("school", "影响教学"),
                                          ("township", "影响中心工作"), ("soe", "影响生产")])
def test_both_requirement_names_what_this_sectors_members_fear(sector, word):
    plan = _plan(sector)
    assert f"针对党员中怕{word}" in plan
    if sector != "soe":
        assert "影响生产" not in plan


@pytest.mark.parametrize("sector", SECTORS)
def test_work_requirements_repeat_no_sentence(sector):
    plan = _plan(sector)
    section = plan[plan.index("## 工作要求"):]
    clauses = [c for c in re.split(r"[，；。\n]", section) if len(c) >= 8]
    repeated = {c for c in clauses if clauses.count(c) > 1}
    assert not repeated, repeated
    assert section.count("照抄照搬") == 1
    study = _study(sector)
    timing = study[study.index("## 时间和纪律"):]
    assert timing.count("倒班党员按班次") <= 1 and timing.count("考试期间不安排") <= 1


@pytest.mark.parametrize("sector", SECTORS)
def test_the_four_clears_are_four_and_name_only_members_the_unit_has(sector):
    profile = load_profile(SETS / f"{sector}.yaml")
    plan = _plan(sector)
    line = re.search(r"按照“四个清楚”的要求(?:，结合本单位党员构成)?做好准备：(.+?)。", plan).group(1)
    items = line.split("；")
    assert len(items) == 4, items
    assert ("流动党员" in line) == profile.has("mobile")
    if sector in ("township", "soe", "school"):
        assert "停产、关闭以及转制企业" not in line
    if sector == "soe":
        assert "下岗失业党员和困难党员的情况清楚" in items
    if sector == "school":
        assert "离退休党员、年老体弱党员" in line


def test_four_clears_reworded_items_are_practice_with_the_guidance_words_beside():
    result = generate("实施方案", SETS / "school.yaml", fmt="md")
    reworded = [s for s in result.statements if s.text.startswith("四个清楚：") and s.kind != "guidance"]
    assert len(reworded) == 2 and all(s.kind == "practice" and "指导原文是" in s.support for s in reworded)


def test_township_branches_of_other_sectors_hear_their_own_public():
    plan = _plan("township")
    assert "专题组织生活会按机关和站所党支部召开" not in plan
    assert "机关和站所党支部征求意见以村为单位" in plan
    assert re.search(r"镇卫生院党支部重点听取患者和家属的意见", plan)
    assert re.search(r"镇中心学校党支部重点听取学生家长和学生的意见", plan)
    assert "镇机关党支部重点听取" not in plan  # the 镇's own branches hear the farmers, as the plan says


def test_single_factory_has_no_template_post_and_school_plan_no_parents_at_the_rally():
    assert "厂长（经理）" not in _plan("soe") and "厂长对教育活动和生产经营的统筹安排负责" in _plan("soe")
    assert "动员大会上请家长代表" not in _plan("school")


def _moved(tmp_path: Path, start: str) -> Path:
    text = (SETS / "community.yaml").read_text(encoding="utf-8")
    path = tmp_path / "community.yaml"
    path.write_text(re.sub(r"开始日期: \S+", f"开始日期: {start}", text), encoding="utf-8")
    return path


def test_spring_festival_is_named_only_when_the_campaign_spans_it(tmp_path):
    summer = _study("community")
    assert "春节" not in summer and "利用回社区的时间集中补学" in summer
    winter = _study("community", _moved(tmp_path, "2005-11-14"))  # three months: to February 2006
    assert "利用春节等回社区的时间集中补学" in winter


def test_fresh_keeps_only_what_the_phase_rule_did_not_say():
    said = "倒班党员按班次编组学习，集中学习安排在交接班前后或公休日，做到学习、生产两不误"
    text = "倒班党员按班次分组学习，集中学习安排在交接班前后或公休日，不影响生产；生产高峰期适当减少集中学习次数"
    assert fresh(text, said) == "生产高峰期适当减少集中学习次数"
    assert fresh("暑假不安排集中学习", said) == "暑假不安排集中学习"


# ---------------------------------------------------------------- 3. 依据
def test_plan_working_paper_lists_the_defaults_the_user_was_told():
    result = generate("实施方案", SETS / "township.yaml", fmt="md", with_notice=True)
    told = [s for s in result.statements if s.section == "其他默认值"]
    texts = " ".join(s.text for s in told)
    assert all(s.kind == "default" for s in told)
    assert "延后到假期后的2005年10月10日" in texts.replace(" ", "")
    assert "成文日期未给出" in texts and "6月27日" in texts
    rally = next(s for s in told if "分会场" in s.text)
    assert "300" in rally.support and "分会场人数" in rally.support  # the option that changes it
    dated = next(s for s in told if "成文日期" in s.text)
    assert "--" not in dated.support and "单位资料“成文日期”" in dated.support
    assert any("延后到" in w for w in result.warnings)  # the same default the 提示 told


@pytest.mark.parametrize("sector, hour", [("township", "晚上7:00"), ("soe", "白班下午4:30；夜班次日上午8:30，中班次日下午1:00"),
                                          ("community", "上午9:00")])
def test_study_requirements_state_the_party_committees_session_times_as_a_default(sector, hour):
    result = generate("学习要求", SETS / f"{sector}.yaml", fmt="md")
    note = next(s for s in result.statements if "统一组织的场次时间" in s.text)
    assert note.kind == "default" and hour in note.text and "学习安排表" in note.support
    assert hour in result.markdown.split("---", 2)[2]


@pytest.mark.parametrize("sector", SECTORS)
def test_no_working_paper_speaks_of_the_pack(sector):
    for kind in ("实施方案", "学习要求", "整改方案"):
        result = generate(kind, SETS / f"{sector}.yaml", fmt="md")
        assert "资料包" not in result.working_paper, kind


def test_the_shift_hours_are_one_sentence_not_cut_inside_their_bracket():
    """Review r6: 时间一般为下午4:30（白班交班后）；交接班后（白班下午4:30；夜班次日上午8:30…） — the 动员大会's
    hour and a bracket cut at its "；"."""
    study = _study("soe")
    assert "时间一般为交接班后（白班下午4:30；夜班次日上午8:30，中班次日下午1:00），具体以学习安排表为准" in study
    assert "（白班交班后）；交接班后" not in study


def test_sessions_held_in_two_sittings_are_counted_once_and_said():
    """Review r7: 学习要求 said 9次 while the table shows 13 lines (four sessions in two sittings each)."""
    assert "安排集中学习、专题辅导和座谈讨论9次（其中4次因时间所限分两次进行）" in _study("school")
    assert "座谈讨论9次，合计" in _study("soe")
