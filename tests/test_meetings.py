"""Meeting kits: 会议通知, 议程, 签到表, 会议记录 and 纪要 for each meeting of the pack, and ``--combine``."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from dangjian.generators.api import generate
from dangjian.generators.campaign import load_campaign
from dangjian.generators.check import check_docx
from dangjian.generators.types.meetings import KIT, find_meeting, generate_kit, kit_templates, meetings
from dangjian.kb.cli import cli
from dangjian.kb.errors import InputError, UnknownNameError
from docx_helpers import docx_text, in_order

PROFILE = {
    "名称": "红星社区党支部",
    "领域": "社区",
    "上级党委": "某某街道党工委",
    "书记": "张三",
    "委员": ["李四", "王五"],
    "督导组": "赵六",
    "党员名单": ["张三", "李四", "王五（预备党员）", "刘七"],
    "地点": "社区党员活动室",
}

MEETINGS = ["动员大会", "专题组织生活会", "专题民主生活会", "民主评议党员大会", "整改情况通报会", "总结大会"]


def test_pack_defines_the_six_meetings():
    assert list(meetings(load_campaign("xjx2005"))) == MEETINGS


@pytest.mark.parametrize("meeting", MEETINGS, ids=MEETINGS)
def test_each_meeting_kit_is_five_checked_documents(meeting, tmp_path):
    written = generate_kit(PROFILE, meeting, outdir=tmp_path, date="2005-09-01", time="上午9:00")
    # a 动员大会 decides nothing: a 信息简报 reports it, not a 纪要 (review 7)
    kit = [t for t in KIT if t != "会议纪要"] + ["信息简报"] if meeting == "动员大会" else list(KIT)
    assert [p.name for p in written] == [f"{meeting}-{t}.docx" for t in kit]
    for path in written:
        report = check_docx(path)
        # the 纪要 keeps its fill-in instructions (（此处写明…）), and kb check says so; nothing else fails
        assert {i.name for i in report.failed()} <= {"待填写内容"}, (path.name, [i.message for i in report.failed()])
    notice = docx_text(tmp_path / f"{meeting}-会议通知.docx")
    assert f"关于召开保持共产党员先进性教育活动{meeting}的通知" in notice.replace("\n", "")
    assert "2005年9月1日上午9:00" in notice
    assert "社区党员活动室" in notice  # the profile's place when --place is not given
    signin = docx_text(tmp_path / f"{meeting}-签到表.docx")
    if meeting == "专题民主生活会":  # the leading body's meeting
        assert in_order(signin, ["张三", "支部书记", "李四", "支委", "王五", "支委"]) and "刘七" not in signin
    else:
        assert in_order(signin, ["张三", "李四", "王五", "预备党员", "刘七"])


AGENDAS = [
    ("动员大会", ["社区党支部书记张三同志主持会议", "社区党支部书记张三同志作动员讲话",
              "支委李四同志说明本单位先进性教育活动实施方案", "某某街道党工委督导组组长赵六同志讲话",
              "对开展好先进性教育活动提出要求"]),
    ("专题组织生活会", ["通报征求意见情况", "社区党支部书记张三同志带头作党性分析", "支部党员逐一作党性分析和自我剖析，开展相互批评",
                 "某某街道党工委督导组组长赵六同志对组织生活会进行点评", "总结讲话"]),
]


@pytest.mark.parametrize("meeting,steps", AGENDAS, ids=[a[0] for a in AGENDAS])
def test_agenda_follows_the_order_the_guidance_gives(meeting, steps, tmp_path):
    out = tmp_path / "议程.docx"
    generate("会议议程", PROFILE, output=out, meeting=meeting)
    assert in_order(docx_text(out), steps)


def test_record_has_every_field_of_a_branch_meeting_record(tmp_path):
    out = tmp_path / "记录.docx"
    generate("会议记录", PROFILE, output=out, meeting="专题组织生活会", date="2005-09-01")
    text = docx_text(out)
    fields = ["组织生活会（专题组织生活会）", "第　　次", "2005年9月1日", "时　　分至", "社区党员活动室",
              "主 持 人", "社区党支部书记张三同志", "记 录 人", "应到人数", "4人（预备党员1人）", "实到人数",
              "缺席人员及原因", "列席人员", "督导组成员", "议　　题", "议　　程", "发言记录", "发言人",
              "会议议定事项", "会后任务", "责任人", "时限", "主持人（签字）", "记录人（签字）"]
    assert in_order(text, fields)


def test_minutes_use_the_gbt9704_minutes_layout(tmp_path):
    out = tmp_path / "纪要.docx"
    generate("会议纪要", PROFILE, output=out, meeting="专题组织生活会", date="2005-09-01")
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    mark = re.search(r"<w:p>(?:(?!</w:p>).)*红星社区党支部专题组织生活会纪要(?:(?!</w:p>).)*</w:p>", xml)
    assert mark and 'w:color w:val="FF0000"' in mark.group(0)  # the red 纪要 mark
    text = docx_text(out)
    # a 生活会 纪要: 通报征求意见, each member's problems, mutual criticism, the 点评, the follow-up
    assert in_order(text, ["会议通报了会前征求意见情况", "查摆的主要问题", "支部书记张三同志：（写明", "李四同志：", "刘七同志：",
                           "相互批评", "对会议进行了点评", "评议意见", "出席：", "本支部党员应到4人，实到　　人",
                           "请假：", "列席：", "督导组成员"])
    assert "张三、李四、王五、刘七" not in text  # review r3-5: nobody is written in as present before the meeting
    assert "会议认为" not in text and "前一阶段" not in text
    assert "准时参加" not in text and "、会议议程" not in text  # no notice rules, no agenda repeated
    assert {i.name for i in check_docx(out).failed()} <= {"待填写内容"}  # fill-in instructions are reported


def test_names_that_look_like_markdown_print_as_typed(tmp_path):
    profile = {**PROFILE, "名称": "第*一*党支部|甲", "党员名单": ["_王_", "[李]"]}
    generate("签到表", profile, output=tmp_path / "签到表.docx", meeting="动员大会")
    generate("会议通知", profile, output=tmp_path / "通知.docx", meeting="动员大会")
    signin = docx_text(tmp_path / "签到表.docx")
    assert "|_王_\n" in signin and "|[李]\n" in signin
    notice = docx_text(tmp_path / "通知.docx")
    assert "\n第*一*党支部|甲\n" in notice  # the 署名, from the YAML front matter


def test_sign_in_sheet_without_roster_has_a_blank_line_per_member(tmp_path):
    out = tmp_path / "签到表.docx"
    generate("签到表", {"名称": "某党支部", "领域": "社区", "党员总数": 7}, output=out, meeting="动员大会")
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert xml.count("<w:tr>") + xml.count("<w:tr ") == 1 + 7


@pytest.mark.parametrize("name,expected", [("组织生活会", "专题组织生活会"), ("民主评议", "民主评议党员大会"),
                                           ("总结大会", "总结大会")], ids=["substring", "prefix", "exact"])
def test_meeting_names_may_be_shortened(name, expected):
    assert find_meeting(load_campaign("xjx2005"), name).name == expected


@pytest.mark.parametrize("name,error", [(None, InputError), ("", InputError), ("生活会", UnknownNameError),
                                        ("茶话会", UnknownNameError)], ids=["none", "empty", "ambiguous", "unknown"])
def test_meeting_must_be_named_and_known(name, error, tmp_path):
    with pytest.raises(error):
        generate("会议通知", PROFILE, output=tmp_path / "x.docx", meeting=name)
    assert not list(tmp_path.iterdir())


def test_cli_generates_a_notice_with_date_and_place(tmp_path):
    out = tmp_path / "通知.docx"
    result = CliRunner().invoke(cli, ["generate", "会议通知", "--org", "红星社区党支部", "--sector", "社区",
                                      "--meeting", "专题组织生活会", "--date", "2005-09-01", "--place", "三楼会议室",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = docx_text(out)
    assert "2005年9月1日" in text and "三楼会议室" in text
    assert "通报征求意见情况" in text


@pytest.mark.parametrize("args,message", [
    (["--meeting", "茶话会"], "没有名为“茶话会”的会议"),
    ([], "请用 --meeting 指定会议"),
    (["--meeting", "动员大会", "--date", "2005-02-30"], "不存在"),
], ids=["unknown-meeting", "no-meeting", "bad-date"])
def test_cli_errors_are_one_line_and_write_nothing(args, message, tmp_path):
    out = tmp_path / "通知.docx"
    result = CliRunner().invoke(cli, ["generate", "会议通知", "--org", "某党支部", "--sector", "社区", *args, "-o", str(out)])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_cli_kit_writes_separate_files(tmp_path):
    folder = tmp_path / "动员大会材料"
    result = CliRunner().invoke(cli, ["generate", "会议材料", "--org", "某党支部", "--sector", "社区",
                                      "--meeting", "动员大会", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"动员大会-{t}.docx" for t in kit_templates(
        find_meeting(load_campaign("xjx2005"), "动员大会")))
    assert (folder / "动员大会-信息简报.docx").exists() and not (folder / "动员大会-会议纪要.docx").exists()


def _pdf_pages(docx: Path, tmp_path: Path) -> list[str]:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / f"{docx.stem}.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="soffice (LibreOffice) 或 pdftotext (poppler-utils) 未安装：无法检查合成后的页面")
def test_combined_kit_has_each_part_on_new_pages_numbered_continuously(tmp_path):
    out = tmp_path / "材料.docx"
    result = CliRunner().invoke(cli, ["generate", "会议材料", "-p", str(_profile_file(tmp_path)),
                                      "--meeting", "专题组织生活会", "--date", "2005-09-01", "--combine", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [i.name for i in check_docx(out).failed()] == ["待填写内容"]  # the 纪要's （议定事项一，写明…）
    pages = _pdf_pages(out, tmp_path)
    numbers = [int(m.group(1)) for page in pages for m in [re.search(r"—\s*(\d+)\s*—", page)] if m]
    assert len(pages) >= 5 and numbers == list(range(1, len(pages) + 1))
    # Each part starts on a page of its own: its title is on a page where the previous part is not.
    starts = ["现将有关事项通知如下", "主持人：", "签到时间", "发言记录", "纪要如下"]
    flat = [re.sub(r"\s+", "", page) for page in pages]
    first_pages = [next(i for i, page in enumerate(flat) if word in page) for word in starts]
    assert first_pages == sorted(first_pages) and len(set(first_pages)) == 5


def _profile_file(tmp_path: Path) -> Path:
    path = tmp_path / "单位.yaml"
    path.write_text("名称: 红星社区党支部\n领域: 社区\n书记: 张三\n党员名单: [张三, 李四, 王五]\n", encoding="utf-8")
    return path


def test_democratic_life_meeting_signs_in_the_leading_body_not_all_members(tmp_path):
    out = tmp_path / "签到表.docx"
    profile = {**PROFILE, "副书记": "钱七"}
    generate("签到表", profile, output=out, meeting="专题民主生活会")
    text = docx_text(out)
    assert in_order(text, ["应到：4人", "张三", "支部书记", "钱七", "支部副书记", "李四", "支委", "王五", "支委"])
    assert "刘七" not in text


def test_pack_without_meetings_is_one_clear_error(tmp_path):
    pack = Path(__file__).parent / "fixtures" / "campaigns" / "lxyz2016.yaml"
    with pytest.raises(Exception, match="活动资料包 lxyz2016 中没有会议定义") as caught:
        generate("会议通知", PROFILE, output=tmp_path / "x.docx", campaign=str(pack), meeting="动员大会")
    from dangjian.kb.errors import CampaignError

    assert isinstance(caught.value, CampaignError)
    assert not (tmp_path / "x.docx").exists()


SOE = Path(__file__).parent / "fixtures" / "sets" / "soe.yaml"


def test_a_large_rally_main_hall_and_branch_halls_are_each_led_and_counted(tmp_path):
    """Review r3-1: the main hall takes the 班子, the 支部书记 and the 党员代表 (and counts them); each 分会场 is
    led by a named 支委 who stays there; a plant on shifts holds the 动员大会 once and relays it to the other
    班次 the next day; the 简报 is dated after the last sitting."""
    warnings: list[str] = []
    written = generate_kit(SOE, "动员大会", outdir=tmp_path, date="2005-07-04", warnings=warnings)
    text = {p.name.split("-")[1].split(".")[0]: docx_text(p) for p in written}
    notice = text["会议通知"]
    assert "主会场：领导班子成员、各党支部书记和党员代表（党员代表150名" in notice
    assert "支部书记和支部委员" not in notice and "由支部书记负责组织" not in notice
    assert "铸造车间党支部组织委员施强同志" in notice and "锻压车间党支部委员曹军同志" in notice
    assert "2005年7月4日下午4:30（白班交班后）。" in notice and "夜班5日" not in notice
    assert "由所在党支部于7月5日上午8:30（夜班）、下午1:00（中班）组织传达学习" in notice
    # 6 班子 members + 12 支部书记 + 150 党员代表
    assert "主会场168人" in text["会议记录"] and "1034" not in text["会议记录"]
    assert "主会场（应到168人）" in text["签到表"] and "负责人：支部组织委员施强同志" in text["签到表"]
    bulletin = text["信息简报"]
    assert "2005年7月6日" in bulletin and "实到　　人" in bulletin and "全体党员参加" not in bulletin
    assert "7月5日分班次组织传达学习" in bulletin


def test_the_higher_liaison_leader_is_named_or_left_out(tmp_path):
    """Review r3-6: "上级党委联系领导" is never printed unnamed: the profile names him, else he is left out."""
    warnings: list[str] = []
    written = generate_kit(SOE, "专题民主生活会", outdir=tmp_path / "a", date="2005-09-08", warnings=warnings)
    notice = docx_text(next(p for p in written if "会议通知" in p.name))
    assert "联系领导" not in notice and any("上级党委联系领导未列入" in w for w in warnings)
    named = tmp_path / "named.yaml"
    named.write_text(SOE.read_text(encoding="utf-8") + "\n上级联系领导: 市国资委党委副书记李光明\n", encoding="utf-8")
    warnings = []
    written = generate_kit(named, "专题民主生活会", outdir=tmp_path / "b", date="2005-09-08", warnings=warnings)
    notice = docx_text(next(p for p in written if "会议通知" in p.name))
    assert "邀请市国资委党委第二督导组成员、市国资委党委副书记李光明同志列席" in notice
    assert not any("上级党委联系领导未列入" in w for w in warnings)


def test_rally_attendance_comes_from_the_profile_when_given(tmp_path):
    """Review r3-5: the 简报 reports 实到 from 会议情况 when given."""
    given = tmp_path / "given.yaml"
    given.write_text(SOE.read_text(encoding="utf-8").replace("会议情况:\n", "会议情况:\n  动员大会: {实到人数: 1002}\n", 1),
                     encoding="utf-8")
    written = generate_kit(given, "动员大会", outdir=tmp_path / "k", date="2005-07-04")
    bulletin = docx_text(next(p for p in written if "简报" in p.name))
    assert "应到1034人，实到1002人" in bulletin


TOWNSHIP = Path(__file__).parent / "fixtures" / "sets" / "township.yaml"
COMMUNITY = Path(__file__).parent / "fixtures" / "sets" / "community.yaml"


def test_a_school_branch_meets_in_term_time_and_a_clinic_says_how_duty_staff_attend(tmp_path):
    """Review r3-3: the 镇中心学校党支部's 专题组织生活会 is after 开学 (9月1日), inside 分析评议 (to 9月10日), not in
    the summer vacation; the 卫生院's notice says how the members on duty attend."""
    written = generate_kit(TOWNSHIP, "专题组织生活会", outdir=tmp_path, date="2005-08-22")
    school = docx_text(next(p for p in written if "镇中心学校" in str(p) and "会议通知" in p.name))
    day = re.search(r"一、会议时间\n2005年(\d+)月(\d+)日", school)
    assert day and (int(day.group(1)), int(day.group(2))) > (9, 1) and (int(day.group(1)), int(day.group(2))) <= (9, 10)
    assert "课后" in school
    clinic = docx_text(next(p for p in written if "镇卫生院" in str(p) and "会议通知" in p.name))
    assert "值班的党员由院里提前调班参加会议" in clinic
    office = docx_text(next(p for p in written if "镇机关" in str(p) and "会议通知" in p.name))
    assert "调班" not in office


def test_a_branch_secretary_is_not_listed_as_an_ordinary_member_of_his_own_branch(tmp_path):
    """Review r3-5: 张立新 (社区党委委员 and 第一党支部书记) chairs his branch's meeting; the other 班子 members in it
    attend as ordinary members; the 纪要 does not write everyone in as present."""
    written = generate_kit(COMMUNITY, "专题组织生活会", outdir=tmp_path, date="2005-08-22")
    notice = docx_text(next(p for p in written if "第一党支部" in str(p) and "会议通知" in p.name))
    rule = next(line for line in notice.splitlines() if "以普通党员身份" in line)
    assert "张立新" not in rule and "王秀兰" in rule
    minutes = docx_text(next(p for p in written if "第一党支部" in str(p) and "会议纪要" in p.name))
    assert re.search(r"出席：本支部党员应到\d+人，实到　　人", minutes) and "出席：全体党员" not in minutes


@pytest.mark.parametrize("sector, hour", [("soe", "上午8:30"), ("school", "下午4:30（课后）")])
def test_the_leaders_meeting_sits_in_a_meeting_room_in_working_hours(tmp_path, sector, hour):
    """Review r5: the 5-person 专题民主生活会 was in the 阶梯教室 / 职工俱乐部 at 8:30 during classes."""
    profile = Path(__file__).parent / "fixtures" / "sets" / f"{sector}.yaml"
    warnings: list[str] = []
    written = generate_kit(profile, "专题民主生活会", outdir=tmp_path / "a", date="2005-09-08", warnings=warnings)
    notice = docx_text(next(p for p in written if "会议通知" in p.name))
    level = "党总支" if sector == "school" else "党委"
    assert f"{level}会议室" in notice and hour in notice
    assert "阶梯教室" not in notice and "职工俱乐部" not in notice
    assert any(f"地点默认为{level}会议室" in w and "“会议室”可改" in w for w in warnings)
    room = tmp_path / "room.yaml"
    room.write_text(profile.read_text(encoding="utf-8") + "\n会议室: 行政楼二楼小会议室\n", encoding="utf-8")
    warnings = []
    written = generate_kit(room, "专题民主生活会", outdir=tmp_path / "b", date="2005-09-08", time="下午2:00",
                           warnings=warnings)
    notice = docx_text(next(p for p in written if "会议通知" in p.name))
    assert "行政楼二楼小会议室" in notice and "下午2:00" in notice and not any("地点默认" in w for w in warnings)


def test_a_roster_without_marks_leaves_the_probationary_count_to_fill_in(tmp_path):
    """Review r5: 第一党支部's record said 预备党员0人 because its roster marks nobody as 预备党员."""
    community = Path(__file__).parent / "fixtures" / "sets" / "community.yaml"
    written = generate_kit(community, "专题组织生活会", outdir=tmp_path, date="2005-08-22", branch="第一党支部")
    record = docx_text(next(p for p in written if "会议记录" in p.name))
    assert "24人（预备党员　　人）" in record and "预备党员0人" not in record


def test_a_school_branch_meets_some_days_into_term_not_on_its_second_day():
    """Review r5: the township's school branch held its 专题组织生活会 on 9月2日, the second day of term, with no
    time to ask parents and pupils or to hold the 谈心 (which cannot happen in the vacation)."""
    import datetime as dt

    from dangjian.generators.branch_meetings import stagger
    from dangjian.generators.profile import load_profile

    township = load_profile(Path(__file__).parent / "fixtures" / "sets" / "township.yaml")
    slots = stagger(township.org.branches, dt.date(2005, 8, 22), dt.date(2005, 8, 11), dt.date(2005, 9, 10),
                    township.sector)
    school = slots["镇中心学校党支部"]
    assert dt.date(2005, 9, 5) <= school.day <= dt.date(2005, 9, 10) and school.day.weekday() < 5
    assert slots["镇机关党支部"].day == dt.date(2005, 8, 22)  # the others keep their days


def test_a_township_committee_belongs_to_its_machine_branch_and_comments_elsewhere(tmp_path):
    """Review r5: 陈卫东 (副书记、镇长) came to the 镇机关党支部's meeting to comment, though he is its member."""
    township = Path(__file__).parent / "fixtures" / "sets" / "township.yaml"
    written = generate_kit(township, "专题组织生活会", outdir=tmp_path, date="2005-08-22", branch="镇机关党支部")
    notice = docx_text(next(p for p in written if "会议通知" in p.name))
    assert "陈卫东同志" in notice and "以普通党员身份参加会议" in notice and "联系本支部的" not in notice
    assert "督导组组长沈国栋同志对组织生活会进行点评" in notice
    written = generate_kit(township, "专题组织生活会", outdir=tmp_path / "b", date="2005-08-22", branch="镇直站所党支部")
    notice = docx_text(next(p for p in written if "会议通知" in p.name))
    assert re.search(r"镇党委(副书记|委员)(、镇长)?\S{2,3}同志对组织生活会进行点评", notice)


def test_a_community_branch_meets_after_work_and_a_deputy_chair_has_both_posts(tmp_path):
    """Review r6: the 社区's 专题组织生活会 were at 上午9:00 on weekdays, when its 在职党员 are at work; the 镇长 who
    chairs the 动员大会 is named 党委副书记 only."""
    sets = Path(__file__).parent / "fixtures" / "sets"
    written = generate_kit(sets / "community.yaml", "专题组织生活会", outdir=tmp_path, date="2005-08-22",
                           branch="第二党支部")
    assert "晚上7:00" in docx_text(next(p for p in written if "会议通知" in p.name))
    written = generate_kit(sets / "township.yaml", "动员大会", outdir=tmp_path / "t", date="2005-07-04")
    assert "党委副书记、镇长陈卫东同志主持会议" in docx_text(next(p for p in written if "会议通知" in p.name))


def test_the_public_invited_is_the_sectors_own(tmp_path):
    """Review r6: the school's 动员大会 invited 群众代表; r7: nor pupils, who are minors."""
    sets = Path(__file__).parent / "fixtures" / "sets"
    written = generate_kit(sets / "school.yaml", "动员大会", outdir=tmp_path, date="2005-09-12")
    notice = docx_text(next(p for p in written if "会议通知" in p.name))
    assert "家长委员会代表和教职工代表列席" in notice and "群众代表" not in notice and "学生代表" not in notice
