"""The organization profile: Chinese and English keys, counts, dates, and clear errors for bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dangjian.generators.profile import load_profile
from dangjian.kb.errors import CampaignError, UnknownNameError

FIXTURES = Path(__file__).parent / "fixtures" / "profiles"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("community.yaml", {"name": "某某社区党委", "sector": "community", "secretary": "张三",
                            "committee": ["李四", "王五"], "start": dt.date(2005, 7, 1), "months": 3,
                            "categories": ["in_service", "retired", "elderly", "mobile"], "me": "本社区党委"}),
        ("school.yaml", {"sector": "school", "committee": ["吴二", "郑三"], "start": dt.date(2005, 9, 1),
                         "months": 4, "categories": ["in_service", "intellectual", "student"], "me": "本校党总支"}),
        ("township.yaml", {"sector": "township", "committee": ["陈五", "褚六", "卫七"],
                           "categories": ["in_service", "retired", "mobile", "low_literacy"], "me": "本镇党委"}),
        ("township-gbk.yaml", {"name": "某某乡党委", "me": "本乡党委"}),
        ("private.yaml", {"sector": "private", "categories": ["mobile", "new_org"], "me": "本公司党支部"}),
        ("soe.yaml", {"sector": "soe", "me": "本厂党委", "unit": "本厂", "total": 180}),
    ],
    ids=["community-chinese-keys", "school-english-keys", "township-count-text", "gb18030-file", "private", "soe-factory"],
)
def test_profile_files(source, expected):
    profile = load_profile(FIXTURES / source)
    for key, value in expected.items():
        actual = profile.categories if key == "categories" else getattr(profile, key)
        assert actual == value, key


@pytest.mark.parametrize(
    "data, key, value",
    [
        ({"名称": "甲", "领域": "街道社区"}, "sector", "community"),
        ({"名称": "甲", "领域": "soe"}, "sector", "soe"),
        ({"名称": "甲", "领域": "国企", "在职": 5, "流动党员": "2人"}, "counts", {"in_service": 5, "mobile": 2}),
        ({"name": "甲", "sector": "学校", "members": ["张三", "李四"]}, "roster", ["张三", "李四"]),
        ({"name": "甲", "sector": "学校", "members": "在职=3,失联=1"}, "lost", 1),
        ({"名称": "甲", "领域": "学校", "月数": "4个月"}, "months", 4),
        ({"名称": "甲", "领域": "学校", "开始日期": "2005/7/15"}, "start", dt.date(2005, 7, 15)),
        ({"名称": "甲", "领域": "学校", "阶段比例": "2:1:1"}, "shares", [0.5, 0.25, 0.25]),
    ],
    ids=["sector-alias", "sector-key", "top-level-counts", "roster-list", "lost-extra-count", "months-text",
         "slash-date", "shares"],
)
def test_profile_mappings(data, key, value):
    assert getattr(load_profile(data), key) == value


@pytest.mark.parametrize(
    "data, error, words",
    [
        ({"名称": "甲", "领域": "农场"}, UnknownNameError, ["农场", "社区 (community)", "学校 (school)"]),
        ({"名称": "甲", "领域": "学校", "各类党员": {"外星": 1}}, UnknownNameError, ["外星", "流动 (mobile)", "失联"]),
        ({"名称": "甲", "领域": "学校", "开始日期": "2005-02-30"}, CampaignError, ["2005-02-30", "不存在"]),
        ({"名称": "甲", "领域": "学校", "开始日期": "七月一日"}, CampaignError, ["无法识别"]),
        ({"名称": "甲", "领域": "学校", "月数": 0}, CampaignError, ["月数", "大于 0"]),
        ({"名称": "甲", "领域": "学校", "月数": -2}, CampaignError, ["月数"]),
        ({"名称": "甲", "领域": "学校", "开始日期": "2005-07-01", "结束日期": "2005-06-30"}, CampaignError, ["不能早于"]),
        ({"名称": "甲", "领域": "学校", "各类党员": "在职二十"}, CampaignError, ["类别=人数"]),
        ({"名称": "甲", "领域": "学校", "在职": -3}, CampaignError, ["负数"]),
        ({"领域": "学校"}, CampaignError, ["名称"]),
        ({"名称": "甲"}, CampaignError, ["领域", "社区 (community)"]),
    ],
    ids=["unknown-sector", "unknown-category", "impossible-date", "unreadable-date", "zero-months",
         "negative-months", "end-before-start", "bad-count-text", "negative-count", "no-name", "no-sector"],
)
def test_profile_errors(data, error, words):
    with pytest.raises(error) as caught:
        load_profile(data)
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_profile_yaml_impossible_date_is_a_message_not_a_traceback(tmp_path):
    # PyYAML would raise ValueError constructing 2005-02-30 as a date; the profile reads dates as text.
    path = tmp_path / "bad.yaml"
    path.write_text("名称: 甲\n领域: 学校\n开始日期: 2005-02-30\n", encoding="utf-8")
    with pytest.raises(CampaignError, match="不存在"):
        load_profile(path)


def test_profile_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(CampaignError, match="找不到"):
        load_profile(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("名称: [甲\n", encoding="utf-8")
    with pytest.raises(CampaignError, match="第1行：方括号没有闭合"):
        load_profile(bad)
