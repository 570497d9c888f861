"""What the 生活会 纪要 and the 动员大会 简报 record: the profile's 会议情况, deadlines from the calendar, no blanks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dangjian.generators.check import check_docx
from dangjian.generators.types.meetings import generate_kit
from dangjian.kb.errors import CampaignError
from docx_helpers import docx_text

SETS = Path(__file__).parent / "fixtures" / "sets"


def _profile(**changes) -> dict:
    data = yaml.safe_load((SETS / "community.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_leaders_minutes_record_what_each_said(tmp_path):
    warnings: list[str] = []
    generate_kit(SETS / "community.yaml", "专题民主生活会", outdir=tmp_path, date="2005-09-08", warnings=warnings)
    out = tmp_path / "专题民主生活会-会议纪要.docx"
    text = docx_text(out)
    for said in ("共发出征求意见表120份，收回112份，征求到对领导班子和班子成员的意见建议46条，归纳为5个方面",
                 "党委书记王秀兰同志：深入楼栋走访少，对在职党员服务社区抓得不紧。",
                 "党委委员、纪检委员赵明同志：对社区财务公开的监督不及时",
                 "1.班子成员之间交心谈心不够经常", "孙德胜同志对会议进行了点评，指出：查摆问题具体"):
        assert said in text, said
    assert "（写明" not in text and "＿＿" not in text
    assert not [w for w in warnings if "会议情况" in w]
    assert check_docx(out).ok, [i.message for i in check_docx(out).failed()]


def test_without_them_the_minutes_keep_their_blanks_and_a_hint_names_the_keys(tmp_path):
    warnings: list[str] = []
    generate_kit(_profile(会议情况=None), "专题民主生活会", outdir=tmp_path, date="2005-09-08", warnings=warnings)
    text = docx_text(tmp_path / "专题民主生活会-会议纪要.docx")
    assert "王秀兰同志：（写明本人查摆的主要问题" in text and "征求意见表＿＿份" in text
    hint = next(w for w in warnings if "会议情况" in w)
    assert "“会议情况: 专题民主生活会:”下的 发出征求意见表、收回征求意见表、意见条数、归纳方面、查摆问题、批评意见、点评" in hint


def test_a_member_left_out_is_still_to_fill_in(tmp_path):
    data = _profile()
    del data["会议情况"]["专题民主生活会"]["查摆问题"]["赵明"]
    warnings: list[str] = []
    generate_kit(data, "专题民主生活会", outdir=tmp_path, date="2005-09-08", warnings=warnings)
    text = docx_text(tmp_path / "专题民主生活会-会议纪要.docx")
    assert "赵明同志：（写明" in text and "王秀兰同志：深入楼栋" in text
    assert any("下的 查摆问题）" in w for w in warnings)


def test_branch_minutes_give_the_feedback_deadline(tmp_path):
    generate_kit(SETS / "community.yaml", "专题组织生活会", outdir=tmp_path, date="2005-08-22", branch="第二党支部")
    text = docx_text(tmp_path / "专题组织生活会-会议纪要.docx")
    assert "于8月29日前由支部委员当面反馈本人" in text or "于8月30日前由支部委员当面反馈本人" in text
    assert "＿＿月＿＿日" not in text


@pytest.mark.parametrize("results,message", [
    ({"党课": {"意见条数": 3}}, "没有“党课”这种会议"),
    ({"专题民主生活会": {"意见数": 3}}, "没有“意见数”这一项"),
    ({"专题民主生活会": {"查摆问题": ["问题"]}}, "姓名: 问题"),
], ids=["meeting", "key", "problems-not-a-map"])
def test_bad_meeting_results_are_one_line_errors(results, message, tmp_path):
    with pytest.raises(CampaignError, match=message):
        generate_kit(_profile(会议情况=results), "专题民主生活会", outdir=tmp_path, date="2005-09-08")
    assert not list(tmp_path.iterdir())


def test_the_mobilization_meeting_is_reported_by_a_bulletin_with_dated_tasks(tmp_path):
    written = generate_kit(SETS / "township.yaml", "动员大会", outdir=tmp_path, date="2005-07-04")
    assert [p.name for p in written][-1] == "动员大会-信息简报.docx"
    out = tmp_path / "动员大会-信息简报.docx"
    text = docx_text(out)
    for said in ("先进性教育活动简报", "第1期", "新甸镇党委召开先进性教育活动动员大会", "2005年7月4日，新甸镇党委在",
                 "由所在党支部在7月11日前组织补学", "8月10日前完成学习动员阶段的学习", "8月10日前交支部检查登记",
                 "报：宾县县委先进性教育活动办公室", "送：宾县县委第五督导组", "发：各党支部"):
        assert said in text, said
    # review r3-5: the 简报 does not say "全体党员参加" before anyone came; 实到 is left to fill in when not given
    assert "＿＿" not in text and "全体党员参加" not in text and "实到　　人" in text
    assert check_docx(out).ok, [i.message for i in check_docx(out).failed()]
