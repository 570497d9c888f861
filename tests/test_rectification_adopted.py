"""整改方案（定稿）as a signing secretary reads it (review r5): who answers, by when, the 班子's own 整改, the 版记."""

from __future__ import annotations

import re
from pathlib import Path

from dangjian.generators.api import generate

SETS = Path(__file__).parent / "fixtures" / "sets"
PROBLEMS = {
    "community": [
        {"问题": "小区楼道照明和下水管网老化", "来源": "群众座谈会", "措施": "协调物业维修楼道照明",
         "责任领导": "刘建国（副书记）", "责任人": "社区服务站", "时限": "2005-09-30"},
        {"问题": "党委班子深入居民楼院少", "来源": "民主生活会", "措施": "班子成员分片包楼院",
         "责任领导": "张立新（组织委员）", "责任人": "党委办公室", "时限": "长期坚持"},
        {"问题": "流动党员联系不经常", "来源": "党性分析", "措施": "建立流动党员联系卡",
         "责任领导": "张立新", "责任人": "各党支部组织委员", "时限": "2005-09-20"},
    ],
    "school": [
        {"问题": "部分党员教师教学方法陈旧", "来源": "民主评议", "措施": "开展党员示范课活动，由校教务处组织",
         "责任领导": "王建军（宣传委员）", "责任人": "校教务处", "时限": "长期坚持"},
    ],
    "soe": [
        {"问题": "铸造车间除尘设备老化", "来源": "征求意见", "措施": "更换铸造车间两台除尘器",
         "责任领导": "秦玉林（党委委员）", "责任人": "设备动力处", "时限": "2005-09-30"},
    ],
}


def _final(sector: str, tmp_path: Path):
    import yaml

    data = yaml.safe_load((SETS / f"{sector}.yaml").read_text(encoding="utf-8"))
    data["整改问题"] = PROBLEMS[sector]
    return generate("整改方案", data, fmt="md")


def _item(markdown: str, words: str) -> str:
    return next(line for line in markdown.splitlines() if line.startswith(tuple("123456789")) and "针对“" in line
                and words in line)


def _final_with(sector: str, **changes):
    import yaml

    data = yaml.safe_load((SETS / f"{sector}.yaml").read_text(encoding="utf-8"))
    data["整改问题"] = PROBLEMS[sector]
    data.update(changes)
    return generate("整改方案", data, fmt="md")


def test_departments_are_not_called_persons_and_the_office_is_its_head(tmp_path):
    markdown = _final("community", tmp_path).markdown
    assert "责任部门：社区服务站" in _item(markdown, "楼道照明")
    # 办公室主任 heads the 领导小组's office, not the 党委办公室: the department stays a department
    assert "责任部门：党委办公室" in _item(markdown, "深入居民楼院")
    markdown = _final_with("community", 党委办公室主任="周红").markdown
    assert "责任人：周红（党委办公室主任）" in _item(markdown, "深入居民楼院")
    assert "责任人：各党支部组织委员" in _item(markdown, "流动党员")
    header = re.search(r"^\| 序号 \|.+$", markdown, re.M).group(0)
    assert "| 责任部门（责任人） |" in header  # a mixed column says what it holds
    for sector in ("soe",):
        only_departments = _final(sector, tmp_path).markdown
        header = re.search(r"^\| 序号 \|.+$", only_departments, re.M).group(0)
        assert "| 责任部门 |" in header and "责任人" not in header


def test_a_listed_leader_gets_his_full_posts(tmp_path):
    markdown = _final("community", tmp_path).markdown
    assert "责任领导：张立新（党委委员、组织委员）" in _item(markdown, "深入居民楼院")
    assert "责任领导：刘建国（党委副书记、居委会主任）" in _item(markdown, "楼道照明")
    assert "（组织委员）" not in markdown.replace("党委委员、组织委员", "")
    soe = _final("soe", tmp_path).markdown
    assert "责任领导：秦玉林（党委委员、厂长）" in _item(soe, "除尘")


def test_no_deadline_on_or_before_the_plans_own_date(tmp_path):
    result = _final("community", tmp_path)
    date = re.search(r'^日期: "?(\d{4})年(\d+)月(\d+)日', result.markdown, re.M)
    issued = (int(date[1]), int(date[2]), int(date[3]))
    for year, month, day in re.findall(r"完成时限：(\d{4})年(\d+)月(\d+)日", result.markdown):
        assert (int(year), int(month), int(day)) > issued, (year, month, day)
    assert "2005年9月20日。" not in _item(result.markdown, "流动党员")
    assert any("第3个问题的时限9月20日不晚于整改方案的成文日期" in w for w in result.warnings)


def test_the_adopted_plan_says_how_the_leaders_own_problems_are_rectified(tmp_path):
    markdown = _final("community", tmp_path).markdown
    line = next(l for l in markdown.splitlines() if l.startswith("班子成员对照各自在专题民主生活会上查摆的问题"))
    assert "书面整改措施" in line and "督导组" in line
    # a profile without the meeting's 查摆 gets no such line
    text = generate("整改方案", Path(__file__).parent / "fixtures" / "profiles" / "community.yaml", fmt="md",
                    problems=Path(__file__).parent / "fixtures" / "rosters" / "problems.csv").markdown
    assert "各自在专题民主生活会上查摆的问题" not in text


def _printer(markdown: str) -> str:
    return re.search(r'^印发: "?(.+?)"?$', markdown, re.M).group(1)


def test_the_party_office_prints_when_the_unit_has_one(tmp_path):
    # the unit's own list names its 党委办公室: it is the 印发机关
    assert _printer(_final("community", tmp_path).markdown) == "红旗社区党委办公室"
    # a profile that says so
    assert _printer(_final_with("soe", 党委办公室="是").markdown) == "哈尔滨东风机械厂党委办公室"
    # neither: the 领导小组办公室 does not fit the line with the date, the 党委 itself prints
    assert _printer(_final("soe", tmp_path).markdown) == "哈尔滨东风机械厂党委"
    plan = generate("实施方案", SETS / "community.yaml", fmt="md", with_notice=True).markdown
    assert _printer(plan) == "红旗社区党委"


def test_the_subject_terms_name_the_form_once():
    from dangjian.generators.standard import default_subject_terms

    assert default_subject_terms("红旗社区党委先进性教育活动整改方案") == "党建 先进性教育 整改 方案"
    assert default_subject_terms("关于印发《某某党委先进性教育活动实施方案》的通知") == "党建 先进性教育 方案 通知"


def test_the_school_calls_its_office_as_its_plan_does(tmp_path):
    result = _final("school", tmp_path)
    plan = generate("实施方案", SETS / "school.yaml", fmt="md").markdown
    assert "教导处" in plan and "教务处" not in plan
    assert "教务处" not in result.markdown and "责任部门：校教导处" in result.markdown
    assert any("“教务处”" in w for w in result.warnings)


def test_an_officer_who_heads_the_unit_is_shown_with_both_posts_in_meetings_too(tmp_path):
    from dangjian.generators import titles
    from dangjian.generators.profile import load_profile

    profile = load_profile(SETS / "soe.yaml")
    officer = next(o for o in profile.org.officers if o.name == "秦玉林")
    assert titles.post(profile.org, officer, duty=True) == "党委委员、厂长"
    from docx_helpers import docx_text

    from dangjian.generators.types.meetings import generate_kit

    generate_kit(SETS / "soe.yaml", "专题民主生活会", outdir=tmp_path, date="2005-09-08", warnings=[])
    assert "党委委员、厂长秦玉林同志" in docx_text(tmp_path / "专题民主生活会-会议纪要.docx")


def test_the_plans_working_paper_lists_only_the_defaults_it_uses():
    paper = generate("整改方案", SETS / "soe.yaml", fmt="md").working_paper
    assert "公示天数5" in paper
    assert "笔记字数" not in paper and "心得篇数" not in paper


def test_a_marked_key_problem_due_after_the_campaign_is_warned_and_an_unmarked_one_is_no_claim(tmp_path):
    import yaml

    data = yaml.safe_load((SETS / "soe.yaml").read_text(encoding="utf-8"))
    data["整改问题"] = [
        {"问题": "铸造车间除尘设备老化", "来源": "征求意见", "措施": "更换两台除尘器", "责任领导": "秦玉林",
         "时限": "2005-12-20", "突出问题": "是"},
        {"问题": "困难职工帮扶不及时", "来源": "职工座谈会", "措施": "建立困难职工档案", "责任领导": "沈立国",
         "时限": "2005-09-30"}]
    result = generate("整改方案", data, fmt="md")
    assert any("突出问题“铸造车间除尘设备老化”的时限不在集中学习教育期间" in w for w in result.warnings)
    data["整改问题"][0]["时限"] = "2005-09-30"
    result = generate("整改方案", data, fmt="md")
    assert not any("不在集中学习教育期间" in w for w in result.warnings)
    hot = next(line for line in result.markdown.splitlines() if line.startswith("在集中学习教育期间"))
    assert "反映最集中" in hot  # the unit marked it
    del data["整改问题"][0]["突出问题"]
    data["整改问题"][1]["来源"] = "党性分析"
    markdown = generate("整改方案", data, fmt="md").markdown
    hot = next(line for line in markdown.splitlines() if line.startswith("在集中学习教育期间"))
    assert "反映最集中" not in hot and "征求意见中干部职工提出的" in hot  # nobody said more than that
