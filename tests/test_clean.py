"""Cleaning scraped text: × paragraph marks, punctuation, broken lines, advertisements, lost numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from dangjian.kb.clean import (
    clean_blocks,
    find_gaps,
    fix_punctuation,
    is_boilerplate,
    split_x_breaks,
    strip_controls,
)
from dangjian.kb.readers import Block, read_plain_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "guidance" / "000_de32c9863abd3484.txt"
SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()
AD_LINES = SEED_LINES[-2:]


def cleaned_seed():
    blocks, _ = read_plain_text(SEED.read_text(encoding="utf-8"))
    return clean_blocks(blocks)


def texts(blocks: list[str]):
    return clean_blocks([Block(t) for t in blocks]).blocks


# --- × paragraph marks ----------------------------------------------------------

X_CASES = [
    ("×第一,紧密联系实际。", ["第一,紧密联系实际。"]),
    ("××各级巡回检查组的主要职责是:", ["各级巡回检查组的主要职责是:"]),
    (
        "一、准确把握总体安排和方法步骤,确保第二批先进性教育活动有序进行×根据中央的统一部署,第二批在城市进行。",
        ["一、准确把握总体安排和方法步骤,确保第二批先进性教育活动有序进行", "根据中央的统一部署,第二批在城市进行。"],
    ),
    ("确保第二批先进性教育活动健康开展。 ×第一,紧密联系实际。", ["确保第二批先进性教育活动健康开展。", "第一,紧密联系实际。"]),
    ("要从我省建设和谐×××的实际出发,针对困难。", ["要从我省建设和谐×××的实际出发,针对困难。"]),
    ("×××同志在会上作了讲话。", ["×××同志在会上作了讲话。"]),
    ("会议要求。×××同志作了讲话。", ["会议要求。×××同志作了讲话。"]),
]


@pytest.mark.parametrize(
    "line, expected",
    X_CASES,
    ids=["line-start", "double-at-line-start", "after-part-heading", "inline-after-sentence", "redaction-inside", "redaction-at-start", "redaction-after-sentence"],
)
def test_x_marks_split_paragraphs_but_redactions_stay(line, expected):
    assert [p.strip() for p in split_x_breaks(line, line_start=True) if p.strip()] == expected


def test_leading_x_is_a_placeholder_in_a_document_that_does_not_use_x_as_breaks():
    blocks = texts(["××党支部关于开展主题党日活动的通知", "各党员：", "定于下周召开党员大会。"])
    assert blocks[0].text == "××党支部关于开展主题党日活动的通知"


def test_seed_keeps_the_redaction_and_loses_every_paragraph_mark():
    text = "\n".join(b.text for b in cleaned_seed().blocks)
    assert "建设和谐×××的实际" in text
    assert text.count("×") == 3


def test_seed_part_headings_become_paragraphs_of_their_own():
    heads = [b.text for b in cleaned_seed().blocks if b.text.startswith(("一、", "二、", "三、"))]
    assert heads == [
        "一、准确把握总体安排和方法步骤，确保第二批先进性教育活动有序进行",
        "二、加强组织领导和检查指导，确保第二批先进性教育活动扎实推进",
        "三、注意掌握好有关政策和要求，确保先进性教育活动取得实效",
    ]


# --- punctuation -------------------------------------------------------------------

PUNCT_CASES = [
    ("县(市、区)派驻乡镇", "县（市、区）派驻乡镇"),
    ("同志们:", "同志们："),
    ("宗旨观念;组织纪律", "宗旨观念；组织纪律"),
    ("科学制定实施方案,参加", "科学制定实施方案，参加"),
    ("学习实践“三个代表”重要思想)、把握", "学习实践“三个代表”重要思想）、把握"),
    ("你来了吗?我来了!", "你来了吗？我来了！"),
    ("(一)指导思想", "（一）指导思想"),
    ("具体要求:(1)按时学习", "具体要求：（1）按时学习"),
    ("时间:2005年7月", "时间：2005年7月"),
    ("网址:http://www.example.cn/a?b=1", "网址：http://www.example.cn/a?b=1"),
    # must not change
    ("增长3.5个百分点", "增长3.5个百分点"),
    ("a, b and f(x)", "a, b and f(x)"),
    ("会议于10:30开始", "会议于10:30开始"),
    ("函数f(x)的值", "函数f(x)的值"),
    ("https://example.com/path?q=1;a=2", "https://example.com/path?q=1;a=2"),
    ("全角标点“，：；（）”不变。", "全角标点“，：；（）”不变。"),
]


@pytest.mark.parametrize(
    "raw, expected",
    PUNCT_CASES,
    ids=[
        "brackets", "colon", "semicolon", "comma", "closing-bracket-after-quote", "question-exclamation",
        "numbered-heading", "bracketed-number-after-colon", "colon-before-digits", "colon-before-url", "decimal", "latin-text", "clock-time",
        "latin-function-call", "url", "full-width-untouched",
    ],
)
def test_half_width_punctuation_next_to_chinese_becomes_full_width(raw, expected):
    assert fix_punctuation(raw) == expected


def test_seed_has_no_half_width_punctuation_next_to_chinese():
    import re

    text = "\n".join(b.text for b in cleaned_seed().blocks)
    assert not re.search(r"[\u4e00-\u9fff“”][,:;()?!]|[,:;()?!][\u4e00-\u9fff“”]", text)
    assert "，" in text and "：" in text and "；" in text and "（党组）" in text


# --- control characters ------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [("党员\x00大会", "党员大会"), ("\u200b学习\u200d教育\ufeff", "学习教育"), ("基层\x07组织\x1b", "基层组织"), ("甲\t乙", "甲 乙"), ("\u3000\u3000开头缩进", "开头缩进")],
    ids=["nul", "zero-width", "bell-escape", "tab", "ideographic-indent"],
)
def test_control_characters_are_removed(raw, expected):
    assert strip_controls(raw) == expected


# --- broken lines -----------------------------------------------------------------------


def test_seed_sentences_broken_across_lines_are_rejoined():
    paragraphs = [b.text for b in cleaned_seed().blocks]
    text = "\n".join(paragraphs)
    assert "三个代表”重要思想为主线" in text
    assert "都要解决一、两个群众热盼解决的突出问题" in text
    assert "不要求整齐划一、搞“齐步走”" in text
    assert not any(p.startswith(("一、两个", "一、搞", "”")) for p in paragraphs)


JOIN_CASES = [
    (["要坚持以学习实践“三个代表", "”重要思想为主线。"], ["要坚持以学习实践“三个代表”重要思想为主线。"]),
    (
        ["二是在工作方式方法上，要灵活多样。集中学习教育的起始时间不要求整齐划", "一、搞“齐步走”。"],
        ["二是在工作方式方法上，要灵活多样。集中学习教育的起始时间不要求整齐划一、搞“齐步走”。"],
    ),
    (["工作要求", "全体党员要按时参加学习。"], ["工作要求", "全体党员要按时参加学习。"]),
    (["中共某某社区委员会", "2005年7月1日"], ["中共某某社区委员会", "2005年7月1日"]),
    (
        ["迈向充满希望的新世纪——一九九八年新年讲话（附图片）", "同志们、朋友们、女士们、先生们：新年好！"],
        ["迈向充满希望的新世纪——一九九八年新年讲话（附图片）", "同志们、朋友们、女士们、先生们：新年好！"],
    ),
    (["一、指导思想", "以党章为根本遵循。"], ["一、指导思想", "以党章为根本遵循。"]),
    (["具体要求如下：", "1. 按时参加学习。", "2. 认真撰写笔记。"], ["具体要求如下：", "1. 按时参加学习。", "2. 认真撰写笔记。"]),
    (["党员要按时参加学习。", "支部要做好记录。"], ["党员要按时参加学习。", "支部要做好记录。"]),
    (
        ["参考书目为英文版《邓小平文选》，即外文出版社出版的英文译本，书名为 Selected Works of Deng Xiaoping", "Volume III，供参考。"],
        ["参考书目为英文版《邓小平文选》，即外文出版社出版的英文译本，书名为 Selected Works of Deng Xiaoping Volume III，供参考。"],
    ),
]


@pytest.mark.parametrize(
    "lines, expected",
    JOIN_CASES,
    ids=["closing-quote", "false-heading-after-mid-word", "short-heading", "signature", "headline", "real-heading", "list-after-colon", "complete-sentences", "latin-words-get-a-space"],
)
def test_plain_text_lines_broken_mid_sentence_are_joined(lines, expected):
    assert [b.text for b in texts(lines)] == expected


def test_hard_wrapped_text_is_rejoined_at_its_wrap_width():
    text = (
        "各级党组织要把解决思想认识问题放在首位，深入细致地做好思想发动工作。要借鉴第一批先进性教育活动的有效办法和成功经验，"
        "广泛宣传开展先进性教育活动的重大意义，使广大党员加深认识。"
    )
    lines = [text[i : i + 20] for i in range(0, len(text), 20)]
    assert [b.text for b in texts(["工作要求", *lines, "以上请遵照执行。"])] == ["工作要求", text, "以上请遵照执行。"]


def test_real_paragraphs_are_never_joined_even_without_final_punctuation():
    blocks = [Block("会议议程", soft_break=False), Block("一是传达文件精神", soft_break=False), Block("二是讨论", soft_break=False)]
    assert [b.text for b in clean_blocks(blocks).blocks] == ["会议议程", "一是传达文件精神", "二是讨论"]


def test_headings_are_never_joined():
    blocks = [Block("工作安排", level=1, soft_break=False), Block("全年分三个阶段进行。")]
    assert [b.text for b in clean_blocks(blocks).blocks] == ["工作安排", "全年分三个阶段进行。"]


def test_salutation_opens_the_first_paragraph():
    first = cleaned_seed().blocks[0].text
    assert first.startswith("同志们：月日召开的省委第二批先进性教育活动工作会议")


# --- advertisements and site boilerplate -----------------------------------------------------

DROP = [
    "近500万道试题、20多万套资源、50多万篇作文、60多万篇范文免费使用",
    "每天仅需0.22元,尊享会员权益",
    "上一篇：关于做好党费收缴工作的通知",
    "下一篇：2005年第二批先进性教育活动总结",
    "责任编辑：张三",
    "来源：人民网 2005-07-01 10:23",
    "版权所有 © 2005 某某网 京ICP备05000000号",
    "Copyright 2005-2024 example.com All Rights Reserved",
    "扫码关注公众号，获取更多资料",
    "VIP会员免费下载全部范文，限时特价19.9元",
    "1 2 3 4 5 下一页 尾页",
    "开通会员，每天仅需1元，海量资源免费下载。",
]
KEEP = [
    "要为困难党员免费发放学习资料，帮助他们解决实际困难。",
    "为困难党员免费发放学习资料，每人价值20元。",
    "党员每月按工资的0.5%交纳党费。",
    "来源：群众反映",
    "（三）开展“免费送学”活动",
    "各级党组织要千方百计地解决好街道社区及困难企业开展先进性教育活动缺场所、缺经费等实际困难。",
    "时间：2005年7月1日上午9:00",
    "作者：党支部书记",
]


@pytest.mark.parametrize("line", DROP, ids=[f"drop-{i}" for i in range(len(DROP))])
def test_advertisement_and_site_lines_are_dropped(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", KEEP, ids=[f"keep-{i}" for i in range(len(KEEP))])
def test_ordinary_sentences_are_kept(line):
    assert not is_boilerplate(line)


def test_seed_drops_exactly_the_two_advertisement_lines_and_lists_them():
    result = cleaned_seed()
    assert result.dropped == AD_LINES
    for line in SEED_LINES[:-2]:
        assert not is_boilerplate(line), line


def test_seed_keeps_every_chinese_character_of_the_speech():
    import re

    def han(s: str) -> str:
        return "".join(re.findall(r"[\u4e00-\u9fff]", s))

    kept = han("".join(b.text for b in cleaned_seed().blocks))
    assert kept == han("".join(SEED_LINES[:-2]))


@pytest.mark.parametrize("typo", ["中介组组织", "因人而宜", "在总体上安排上", "hjt等中央领导同志"])
def test_seed_typos_and_abbreviations_are_kept_as_written(typo):
    assert typo in "\n".join(b.text for b in cleaned_seed().blocks)


# --- gaps -----------------------------------------------------------------------------------


def seed_gaps() -> list[tuple[str, str, str]]:
    result = []
    for block in cleaned_seed().blocks:
        for gap in find_gaps(block.text):
            result.append((gap.before[-4:], gap.after[:4], gap.kind))
    return result


def test_seed_gaps_are_all_found_and_nothing_else():
    assert seed_gaps() == [
        ("同志们：", "月日召开", "月份"),  # ×月日
        ("志们：月", "日召开的", "日期"),
        ("组决定用", "天时间，", "天数"),  # 用天时间
        ("育活动从", "年月上旬", "年份"),  # 从年月上旬开始到月基本结束
        ("活动从年", "月上旬开", "月份"),
        ("旬开始到", "月基本结", "月份"),
        ("不得少于", "个月。有", "月数"),  # 不得少于个月
        ("育不少于", "个月的前", "月数"),  # 不少于个月
        ("门也要用", "天的时间", "天数"),  # 用天的时间
        ("原则上为", "个月左右", "月数"),  # 原则上为个月左右
        ("一般只有", "-人，而", "人数"),  # 只有-人
    ]


GAP_CASES = [
    ("会议定于月日召开。", ["月份", "日期"]),
    ("会议定于7月日召开。", ["日期"]),
    ("活动从年月上旬开始。", ["年份", "月份"]),
    ("会议于年月日召开。", ["年份", "月份", "日期"]),
    ("到月底前基本结束，到月基本结束。", ["月份"]),
    ("集中学习教育时间不得少于个月。", ["月数"]),
    ("原则上为个月左右。", ["月数"]),
    ("决定用天时间进行培训。", ["天数"]),
    ("也要用天的时间搞好培训。", ["天数"]),
    ("社区党组织一般只有-人。", ["人数"]),
    ("每个支部配备名联络员。", ["人数"]),
    ("全支部共人参加学习，累计次。", ["人数", "次数"]),
    ("这是第次全体会议。", ["序号"]),
    ("每次学习不少于小时。", ["小时数"]),
    ("为期周的集中培训。", ["时长"]),
    ("年满周岁的公民。", ["岁数"]),
    ("参加率达到%。", ["百分比"]),
]


@pytest.mark.parametrize("text, kinds", GAP_CASES, ids=[c[0][:8] for c in GAP_CASES])
def test_general_gap_patterns(text, kinds):
    assert [g.kind for g in find_gaps(text)] == kinds


NO_GAP = [
    "人民群众最关心的利益，个人自学和集中学习相结合。",
    "每个单位、每个阶段都不能少，本月内完成，当天报送。",
    "民以食为天，用人单位要落实到人，取信于人。",
    "从年轻党员中选拔，那个年月条件艰苦，有人认为不必要。",
    "到月底前完成，于次日上报，于年底前总结。",
    "全心全意为人民服务，历时半年的第一批教育活动。",
    "每天学习两小时，小时候的事，孩子刚满周岁。",
    "近年来，我省各级党组织和党员队伍的状况是好的。",
    "用天然气做饭，满天星光，从早到天黑，星期天休息。",
    "会议于2005年7月1日召开，为期3个月，共50人参加，只有3-5人缺席。",
    "这个月、上个月、下个月、几个月、半个月、每个月都要学习。",
    "每月日均学习时间，本月日程安排。",
    "共产党人，共人民同甘苦，共次序井然。",
    "-个别党员认识不到位。",
    "会议于×月×日召开，由×××同志主持。",
    # from People's Daily, January 1998
    "本报讯近日，国家技术监督局发布通知。",
    "事大于天，已是晚霞满天。",
    "１９４５年９月日寇投降后，请填写出生年月日。",
    "全省共清理文件５６３５个，发放监督卡１１００万份，农民人均减少２４元。（吴兴华）",
]


@pytest.mark.parametrize("text", NO_GAP, ids=[f"ordinary-{i}" for i in range(len(NO_GAP))])
def test_ordinary_sentences_have_no_gaps(text):
    assert find_gaps(text) == []


def test_gap_offset_points_where_the_number_belongs():
    (gap,) = find_gaps("在保证集中学习教育不少于个月的前提下")
    text = "在保证集中学习教育不少于个月的前提下"
    assert text[: gap.offset].endswith("不少于") and text[gap.offset :].startswith("个月")
    assert str(gap) == "习教育不少于▢个月的前提下（缺月数）"


def test_cleaning_twice_changes_nothing():
    once = [b.text for b in cleaned_seed().blocks]
    twice = [b.text for b in clean_blocks([Block(t) for t in once]).blocks]
    assert twice == once


def test_gap_context_stops_at_punctuation():
    (gap,) = find_gaps("集中学习教育的时间，原则上为个月左右，学习动员")
    assert str(gap) == "原则上为▢个月左右（缺月数）"
