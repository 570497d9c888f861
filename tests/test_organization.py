"""The organization model, 称谓 rules, 文号 and dates by role, member sentences, branch kits and batch nesting."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dangjian.generators import docset, titles
from dangjian.generators.api import generate
from dangjian.generators.batch import generate_batch
from dangjian.generators.campaign import load_campaign
from dangjian.generators.member_facts import members_sentence
from dangjian.generators.organization import level_of, names_of, parse_officers
from dangjian.generators.profile import load_profile
from dangjian.generators.types._common import timeline
from dangjian.kb.cli import cli
from dangjian.kb.errors import CampaignError, InputError
from docx_helpers import docx_text

SETS = Path(__file__).parent / "fixtures" / "sets"


@pytest.mark.parametrize("name,level,formal,short", [
    ("中共宾县新甸镇委员会", "党委", "中共宾县新甸镇委员会", "新甸镇党委"),
    ("某某社区党委", "党委", "中共某某社区委员会", "某某社区党委"),
    ("中共某某中学总支部委员会", "党总支", "中共某某中学总支部委员会", "某某中学党总支"),
    ("某某中学党总支", "党总支", "中共某某中学总支部委员会", "某某中学党总支"),
    ("中共某某支部委员会", "党支部", "中共某某支部委员会", "某某党支部"),
    ("红星社区党支部", "党支部", "中共红星社区支部委员会", "红星社区党支部"),
    ("某某局党组", "党组", "中共某某局党组", "某某局党组"),
    ("某某项目临时党支部", "临时党支部", "中共某某项目临时支部委员会", "某某项目临时党支部"),
    ("某某街道党工委", "党工委", "中共某某街道工作委员会", "某某街道党工委"),
], ids=lambda v: v if isinstance(v, str) and v.startswith(("中共", "某", "红")) else None)
def test_levels_and_names_from_formal_or_short_names(name, level, formal, short):
    assert level_of(name) == level
    assert names_of(name, level) == (formal, short)


def test_explicit_level_wins_and_unknown_level_is_one_clear_error():
    assert level_of("红星社区", "总支") == "党总支"
    profile = load_profile({"名称": "红星社区", "领域": "社区", "层级": "党委"})
    assert profile.org.level == "党委" and docset.addressee(profile) == "各党支部"
    with pytest.raises(CampaignError, match="层级“大队”无法识别"):
        load_profile({"名称": "红星社区", "领域": "社区", "层级": "大队"})


def test_formal_township_name_is_a_committee_writing_to_its_branches():
    profile = load_profile({"名称": "中共某某县某某镇委员会", "领域": "乡镇"})
    assert profile.org_suffix == "党委" and profile.me == "本镇党委"
    assert docset.addressee(profile) == "各党支部"
    markdown = generate("学习要求", profile, fmt="md", citations=False).markdown
    assert "本镇党组织" not in markdown and "镇党委" in markdown and "主送: \"各党支部\"" in markdown


def test_officers_carry_posts_and_duties():
    officers = parse_officers("张三", ["李四", "钱七"], ["王五（组织委员）", {"姓名": "赵六", "分工": "宣传"}, "李四"])
    assert [(o.name, o.post, o.duty) for o in officers] == [
        ("张三", "书记", ""), ("李四", "副书记", ""), ("钱七", "副书记", ""),
        ("王五", "委员", "组织委员"), ("赵六", "委员", "宣传委员")]


def test_titles_follow_the_level():
    committee = load_profile({"名称": "红旗社区党委", "领域": "社区", "书记": "王秀兰", "副书记": "刘建国",
                              "委员": ["张立新（组织委员）"], "督导组": "南岗区委第三督导组"})
    org = committee.org
    assert titles.secretary(org, full=True, running=titles.running_name(committee)) == "社区党委书记王秀兰同志"
    assert titles.chair(org, "副书记") == "党委副书记刘建国同志"
    assert titles.chair(org, "书记", running="社区党委") == "社区党委书记王秀兰同志"
    assert titles.member_speaker(org) == "党委委员张立新同志"
    assert titles.supervisor(committee).ref == "南岗区委第三督导组组长×××同志"
    group = titles.leading_group(org, committee)
    assert group["members"] == ["张立新（党委委员、组织委员）"] and group["office_head"] == "党委委员张立新同志"
    branch = load_profile({"名称": "红星社区党支部", "领域": "社区", "委员": ["李四", "王五（组织委员）"]}).org
    assert titles.secretary(branch) == "支部书记×××同志"
    assert [titles.person(branch, o) for o in branch.officers] == ["支委李四同志", "组织委员王五同志"]


@pytest.mark.parametrize("pattern,start,expected", [
    # plan, filing, study, then each phase's 转段请示 (the 整改方案 before the last one), the 总结; a 小结 is its
    # 请示's 附件 and takes no number
    ("红社党发〔2005〕{n}号", None, ["红社党发〔2005〕1号", "红社党发〔2005〕3号", "红社党发〔2005〕6号"]),
    ("红社党发〔2005〕{n}号", 12, ["红社党发〔2005〕12号", "红社党发〔2005〕14号", "红社党发〔2005〕17号"]),
    ("红社党发〔2005〕5号", None, ["红社党发〔2005〕5号", "红社党发〔2005〕7号", "红社党发〔2005〕10号"]),
    ("红社党发", None, ["红社党发〔2005〕1号", "红社党发〔2005〕3号", "红社党发〔2005〕6号"]),
    ("", None, ["〔2005〕　号", "〔2005〕　号", "〔2005〕　号"]),
], ids=["pattern", "pattern-start", "plain-number", "code-only", "blank"])
def test_document_numbers_follow_the_set_order(pattern, start, expected):
    profile = load_profile({"名称": "红旗社区党委", "领域": "社区", "文号": pattern, **({"文号起始": start} if start else {})})
    campaign = load_campaign(None)
    assert [docset.document_number(profile, campaign, r, 2005) for r in ("plan", "study", "rectify")] == expected
    numbers = docset.numbers_of_set(profile, campaign)
    if pattern:
        assert len(set(numbers.values())) == len(numbers)


def test_dates_by_role_and_warnings_for_contradictions():
    profile = load_profile({"名称": "红旗社区党委", "领域": "社区", "开始日期": "2005-07-11"})
    times = timeline(profile, load_campaign(None))
    plan = docset.role_date("plan", times)
    assert plan.day < times.start and "成文日期未给出" in plan.note
    late = docset.role_date("rectify", times, explicit="2005-07-05")
    assert "整改方案的成文日期 2005年7月5日 不在整改提高阶段" in late.note
    notice = docset.role_date("notice", times, meeting_day=_dt.date(2005, 9, 5))
    assert notice.day == _dt.date(2005, 9, 2)
    assert docset.role_date("notice", None).text == docset.BLANK_DATE
    assert "不在分析评议阶段" in docset.meeting_phase_note("专题组织生活会", "分析评议", _dt.date(2005, 7, 20), times)


def test_meeting_notice_without_a_date_has_a_blank_date_and_one_inside_learning_warns(tmp_path):
    out = tmp_path / "通知.docx"
    generate("会议通知", {"名称": "红星社区党支部", "领域": "社区"}, output=out, meeting="动员大会")
    assert docx_text(out).rstrip().endswith("年　月　日")
    result = generate("会议通知", {"名称": "红星社区党支部", "领域": "社区", "开始日期": "2005-07-01"},
                      output=tmp_path / "b.docx", meeting="专题组织生活会", date="2005-07-15")
    assert any("不在分析评议阶段" in w for w in result.warnings)


@pytest.mark.parametrize("values,sentence", [
    ({"党员总数": 168, "各类党员": {"在职": 21, "离退休": 118, "年老体弱": 37, "流动": 15}, "失联": 3},
     "社区党委共有党员168名，其中在职党员21名、离退休党员118名（其中年老体弱、行动不便的37名）、"
     "流动党员15名、失去联系的党员3名；其余11名为其他党员。"),
    ({"党员总数": 117, "各类党员": {"在职": 90, "离退休": 27, "流动": 4}},
     "社区党委共有党员117名，其中在职党员90名、离退休党员27名；流动党员4名均含在上述人数内。"),
    ({"党员总数": 100, "各类党员": {"在职": 80, "流动": 30}},
     "社区党委共有党员100名，其中在职党员80名；流动党员30名均含在上述人数内；其余20名为其他党员。"),
    ({}, ""),
    ({"各类党员": {"在职": 20, "知识分子": 12}}, "社区党委共有党员20名，其中在职党员20名。在上述党员中，有知识分子党员12名。"),
    ({"党员总数": 50, "各类党员": {"在职": 40, "离退休": 30}},
     "社区党委共有党员50名；按类别统计（有交叉）有在职党员40名、离退休党员30名。"),
], ids=["remainder", "inside", "inside-remainder", "nothing", "intellectuals", "exceeds"])
def test_member_sentences_never_break_down_beyond_the_total(values, sentence):
    profile = load_profile({"名称": "红旗社区党委", "领域": "社区", **values})
    assert members_sentence(profile, "社区党委") == sentence


def test_requirements_without_counts_have_no_broken_sentence():
    markdown = generate("学习要求", {"名称": "某党支部", "领域": "社区"}, fmt="md", citations=False).markdown
    assert "全体党员。" not in markdown and "不搞“一刀切”。针对" in markdown


def test_lost_members_are_carried_through():
    markdown = generate("学习要求", {"名称": "某党支部", "领域": "社区", "在职": 10, "失联": 2}, fmt="md",
                        citations=False).markdown
    assert "失去联系的党员（2名）" in markdown and "查找" in markdown


def test_a_roster_shorter_than_the_count_warns_and_the_sheet_keeps_a_row_per_member(tmp_path):
    profile = {"名称": "某党支部", "领域": "社区", "党员总数": 55, "党员名单": ["甲", "乙", "丙", "丁"]}
    result = generate("签到表", profile, output=tmp_path / "s.docx", meeting="动员大会")
    assert any("只有4人，少于党员人数55人" in w for w in result.warnings)
    text = docx_text(tmp_path / "s.docx")
    assert "应到：55人" in text and "|55\n" in text and "|56\n" not in text


def test_organization_life_meeting_of_a_committee_needs_a_branch(tmp_path):
    with pytest.raises(InputError, match="请用 --branch 指定党支部"):
        generate("会议通知", SETS / "school.yaml", output=tmp_path / "a.docx", meeting="专题组织生活会")
    with pytest.raises(CampaignError, match="没有名为“第九党支部”的党支部"):
        generate("会议通知", SETS / "school.yaml", output=tmp_path / "a.docx", meeting="专题组织生活会", branch="第九党支部")
    assert not (tmp_path / "a.docx").exists()
    generate("会议通知", SETS / "school.yaml", output=tmp_path / "a.docx", meeting="专题组织生活会", branch="高中部")
    text = docx_text(tmp_path / "a.docx")
    assert "高中部党支部书记王建军同志" in text and "中共哈尔滨市第十七中学高中部支部委员会" in text


def test_kit_per_branch_from_the_command_line(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["generate", "会议材料", "-p", str(SETS / "township.yaml"), "--meeting",
                                 "专题组织生活会", "-o", str(tmp_path / "kits")])
    assert result.exit_code == 0, result.output
    folders = sorted(p.name for p in (tmp_path / "kits").iterdir())
    assert folders == sorted(["镇机关党支部", "镇直站所党支部", "镇卫生院党支部", "镇中心学校党支部"])
    assert len(list((tmp_path / "kits").rglob("*.docx"))) == 20
    one = runner.invoke(cli, ["generate", "会议材料", "-p", str(SETS / "township.yaml"), "--meeting", "专题组织生活会",
                              "--branch", "镇卫生院党支部", "--combine", "-o", str(tmp_path / "one.docx")])
    assert one.exit_code == 0, one.output
    text = docx_text(tmp_path / "one.docx")
    assert "镇卫生院党支部书记何淑珍同志" in text and "应到：19人" in text and "镇机关" not in text
    bad = runner.invoke(cli, ["generate", "实施方案", "-p", str(SETS / "township.yaml"), "--branch", "镇机关党支部",
                              "-o", str(tmp_path / "x.docx")])
    assert bad.exit_code != 0 and "--branch 不适用于实施方案" in bad.output and not (tmp_path / "x.docx").exists()


def test_democratic_life_meeting_is_the_committee_with_posts(tmp_path):
    out = tmp_path / "签到表.docx"
    generate("签到表", SETS / "soe.yaml", output=out, meeting="专题民主生活会")
    text = docx_text(out)
    assert "应到：6人" in text and "|党委书记\n" in text and "|党委委员、组织委员\n" in text
    assert "吕大庆" not in text  # a branch secretary is not in the committee's meeting


def test_schedule_per_branch(tmp_path):
    markdown = generate("学习安排表", SETS / "soe.yaml", fmt="md", citations=False, branch="离退休党支部").markdown
    assert "离退休党支部" in markdown.split("\n# ", 1)[-1].splitlines()[0]
    # 96 members: by 党小组, no shifts for the retired; sessions in the morning
    # review r5: one line per 场, each with its own day and leader (the 支部书记, then a 支部委员)
    assert "| 本支部第一场（按党小组，约48人） |" in markdown and "| 本支部第二场（按党小组，约48人） |" in markdown
    assert "韦德明主持" in markdown and "分2场以上进行" not in markdown
    assert "上午9:00" in markdown and "交接班后" not in markdown.split("| 本支部党员", 1)[0].rsplit("\n", 2)[-1]
    whole = generate("学习安排表", SETS / "soe.yaml", fmt="md", citations=False).markdown
    assert "各党支部分别组织" in whole and whole.count("| 每周") == 0  # review r3-2: no weekday is claimed
    # each branch's row gives its own days, as its own table has them
    for name in ("质量检验党支部", "铸造车间党支部"):
        own = generate("学习安排表", SETS / "soe.yaml", fmt="md", citations=False, branch=name).markdown
        days = [m.group(1) for line in own.splitlines() if "| 本支部" in line
                for m in [re.search(r"<br>\d+月(\d+日)（周", line)] if m]
        row = next(line for line in whole.splitlines() if line.startswith(f"| {name} |"))
        assert days and all(d in row for d in days), (name, days, row)
    assert "1034" not in whole and "全体党员 |" not in whole.replace("本支部全体党员", "")


def test_batch_puts_branches_under_their_committee(tmp_path):
    rows = [
        {"单位名称": "中共宾县新甸镇委员会", "领域": "乡镇", "开始日期": "2005-07-04"},
        {"单位名称": "镇机关党支部", "上级党组织": "新甸镇党委", "书记": "褚志强", "党员总数": 41},
        {"单位名称": "红星社区党支部", "领域": "社区", "上级党组织": "某某街道党工委"},
    ]
    report = generate_batch(rows, ["学习要求"], tmp_path, workers=1)
    assert report.ok, report.summary()
    assert (tmp_path / "中共宾县新甸镇委员会" / "镇机关党支部" / "学习要求.docx").is_file()
    assert (tmp_path / "红星社区党支部" / "学习要求.docx").is_file()
    text = docx_text(tmp_path / "中共宾县新甸镇委员会" / "镇机关党支部" / "学习要求.docx")
    assert "2005年7月4日" in text  # the branch took its committee's start date and sector


def test_branch_only_profile_still_writes_to_its_members():
    profile = load_profile({"名称": "红星社区党支部", "领域": "社区", "书记": "张三"})
    assert not profile.org.leads_branches and docset.addressee(profile) == "全体党员"
    grouped = load_profile({"名称": "红星社区党支部", "领域": "社区", "党小组": 3})
    assert docset.addressee(grouped) == "各党小组"


def test_counts_that_do_not_add_up_warn():
    result = generate("学习要求", {"名称": "某党委", "领域": "社区", "党员总数": 50,
                                  "各类党员": {"在职": 40, "离退休": 30},
                                  "党支部": [{"名称": "一支部", "党员人数": 20}, {"名称": "二支部", "党员人数": 20}]},
                      fmt="md", citations=False)
    assert any("合计70名，多于党员总数50名" in w for w in result.warnings)
    assert any("各党支部党员人数合计40名，与党员总数50名不一致" in w for w in result.warnings)


def test_only_a_meeting_that_votes_has_a_vote_block(tmp_path):
    pack = tmp_path / "pack.yaml"
    text = (Path(__file__).parent.parent / "corpus" / "campaigns" / "xjx2005.yaml").read_text(encoding="utf-8")
    pack.write_text(text.replace("    record_kind: 民主评议\n", "    record_kind: 民主评议\n    votes: true\n"),
                    encoding="utf-8")
    voting = tmp_path / "voting.docx"
    generate("会议记录", {"名称": "某党支部", "领域": "社区"}, output=voting, meeting="民主评议", campaign=str(pack))
    plain = tmp_path / "plain.docx"
    generate("会议记录", {"名称": "某党支部", "领域": "社区"}, output=plain, meeting="动员大会", campaign=str(pack))
    assert "表决情况" in docx_text(voting) and "预备党员没有表决权" in docx_text(voting)
    assert "表决" not in docx_text(plain) and "工作部署要点" in docx_text(plain)  # a 动员大会 decides nothing


def test_a_date_given_on_the_command_line_that_contradicts_the_role_is_a_note(tmp_path):
    result = CliRunner().invoke(cli, ["generate", "整改方案", "-p", str(SETS / "community.yaml"), "--date", "2005-07-20",
                                      "-o", str(tmp_path / "z.docx")])
    assert result.exit_code == 0, result.output
    assert "整改方案的成文日期 2005年7月20日 不在整改提高阶段" in result.output
    assert "\n二〇〇五年七月二十日\n" in docx_text(tmp_path / "z.docx")  # the user's date is kept (1999 format), with the note


def test_leading_group_models_the_administrative_head():
    from dangjian.generators import titles
    from dangjian.generators.profile import load_profile

    base = {"名称": "某某机械厂党委", "领域": "国有企业", "书记": "甲一", "副书记": "乙二",
            "委员": [{"姓名": "丙三", "分工": "组织委员"}, "丁四"]}
    group = titles.leading_group(load_profile(base).org, load_profile(base))
    assert group["deputies"] == ["乙二（厂党委副书记）"] and "丁四（党委委员）" in group["members"]
    # a separate 厂长 who is a party member is 副组长 before the 副书记
    p = load_profile({**base, "行政负责人": "戊五（厂长）", "领导小组成员": ["己六（党委办公室主任）"]})
    group = titles.leading_group(p.org, p)
    assert group["deputies"][0] == "戊五（厂长）" and "己六（党委办公室主任）" in group["members"]
    # a 委员 who is the 厂长 moves up; a 书记 who is the 厂长 keeps both posts
    p = load_profile({**base, "行政负责人": {"姓名": "丁四", "职务": "厂长"}})
    group = titles.leading_group(p.org, p)
    assert group["deputies"][0] == "丁四（党委委员、厂长）" and not any("丁四" in m for m in group["members"])
    p = load_profile({**base, "行政负责人": {"姓名": "甲一", "职务": "厂长"}})
    assert titles.leading_group(p.org, p)["leader"] == "甲一（厂党委书记、厂长）"
    # a 厂长 who is not a party member is not in the party's 领导小组
    p = load_profile({**base, "行政负责人": {"姓名": "庚七", "职务": "厂长", "党员": "否"}})
    assert not any("庚七" in d for d in titles.leading_group(p.org, p)["deputies"])


def test_bad_administrative_head_or_venue_gives_a_chinese_error():
    from dangjian.generators.profile import load_profile
    from dangjian.kb.errors import CampaignError

    base = {"名称": "某某机械厂党委", "领域": "国有企业"}
    with pytest.raises(CampaignError, match="党员"):
        load_profile({**base, "行政负责人": {"姓名": "戊五", "党员": "也许"}})
    with pytest.raises(CampaignError, match="分会场"):
        load_profile({**base, "分会场人数": "-5"})


def test_branch_venues_follow_the_threshold_or_the_profile():
    from dangjian.generators.campaign import load_campaign
    from dangjian.generators.levels import is_large
    from dangjian.generators.profile import load_profile

    campaign = load_campaign(None)
    base = {"名称": "某某社区党委", "领域": "社区", "党员总数": 168}
    assert not is_large(load_profile(base), campaign)
    assert is_large(load_profile({**base, "党员总数": 400}), campaign)
    assert is_large(load_profile({**base, "分会场人数": 150}), campaign)
    assert is_large(load_profile({**base, "分会场": "是"}), campaign)
    assert not is_large(load_profile({**base, "党员总数": 400, "分会场": "否"}), campaign)


def test_a_document_number_without_its_first_sequence_number_is_flagged():
    """Review 11: 十七中总支发〔2005〕1号 — a unit has issued papers before; the set starts at its next number."""
    base = {"名称": "某某中学党总支", "领域": "学校", "文号": "某中党总支发〔2005〕{n}号"}
    result = generate("实施方案", base, fmt="md", citations=False)
    assert any("文号起始" in w for w in result.warnings) and "某中党总支发〔2005〕1号" in result.markdown
    result = generate("实施方案", {**base, "文号起始": 23}, fmt="md", citations=False)
    assert not any("文号起始" in w for w in result.warnings) and "某中党总支发〔2005〕23号" in result.markdown
    plain = generate("实施方案", {**base, "文号": "某中党总支发〔2005〕7号"}, fmt="md", citations=False)
    assert not any("文号起始" in w for w in plain.warnings)


def test_the_committee_of_a_township_is_in_its_machine_branch_unless_a_roster_places_them():
    from dangjian.generators.organization import Branch, Officer, Organization

    officers = [Officer("冯", "书记"), Officer("陈", "副书记"), Officer("褚", "委员")]
    branches = [Branch("镇机关党支部", secretary="褚", sector="township"), Branch("镇卫生院党支部", secretary="何",
                                                                                roster=["何", "陈"], sector="hospital")]
    org = Organization(name="某镇党委", level="党委", formal="", short="", officers=officers, branches=branches)
    assert org.home_branch is branches[0]
    assert org.members_of(branches[0]) == {"冯", "褚"}  # 陈 is placed by the 卫生院's roster
    factory = Organization(name="某厂党委", level="党委", formal="", short="", officers=officers,
                           branches=[Branch("机关第一党支部", sector="soe"), Branch("机关第二党支部", sector="soe")])
    assert factory.home_branch is None and factory.members_of(factory.branches[0]) == set()
