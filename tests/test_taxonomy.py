"""Taxonomy: names resolve in Chinese or English, tags come from keywords and headings, users extend it."""

from __future__ import annotations

import pytest

from dangjian.kb import taxonomy
from dangjian.kb.errors import InputError, UnknownNameError


@pytest.mark.parametrize(
    "facet, name, key",
    [
        ("sector", "社区", "community"),
        ("sector", "街道社区", "community"),
        ("sector", "school", "school"),
        ("sector", " SCHOOL ", "school"),
        ("sector", "国企", "soe"),
        ("phase", "分析评议", "evaluate"),
        ("phase", "rectify", "rectify"),
        ("member", "流动", "mobile"),
        ("member", "流动党员", "mobile"),
        ("member", "年老体弱", "elderly"),
        ("topic", "党性分析", "party_spirit"),
        ("topic", "工作制度", "systems"),
    ],
    ids=lambda v: str(v),
)
def test_resolve_accepts_chinese_alias_or_key(facet, name, key):
    assert taxonomy.resolve(facet, name) == key


def test_unknown_name_lists_the_choices():
    with pytest.raises(UnknownNameError) as info:
        taxonomy.resolve("sector", "医药公司")
    message = str(info.value)
    assert "医药公司" in message and "社区 (community)" in message and "学校 (school)" in message


def test_unknown_facet_is_an_error():
    with pytest.raises(UnknownNameError, match="sector"):
        taxonomy.resolve("colour", "红")


@pytest.mark.parametrize("facet, names", [
    ("sector", {"社区", "学校", "乡镇机关", "国有企业", "非公企业", "社会组织", "机关"}),
    ("phase", {"学习动员", "分析评议", "整改提高"}),
    ("member", {"在职", "离退休", "年老体弱", "流动", "下岗失业", "知识分子", "文化程度低", "新经济组织", "困难"}),
    ("topic", {"学习培训", "征求意见", "党性分析", "民主评议", "整改", "组织领导", "督导检查", "工作制度",
               "准备工作", "实施方案", "思想发动", "主题实践活动", "分类指导"}),
], ids=["sector", "phase", "member", "topic"])
def test_choices_cover_the_campaign(facet, names):
    assert names <= {entry.name for entry in taxonomy.choices(facet)}


@pytest.mark.parametrize(
    "text, headings, facet, key",
    [
        ("一些流动在外不能回来的党员，可采取邮寄学习资料的办法组织自学", "", "member", "mobile"),
        ("年老体弱、行动不便的党员要采取送学、帮学的办法", "", "member", "elderly"),
        ("学校要把着力点放在师德校风建设上", "", "sector", "school"),
        ("二要搞好党性分析，找准存在的问题。", "", "topic", "party_spirit"),
        ("要开好会议。", "认真抓好分析评议，真正找准突出问题", "phase", "evaluate"),
    ],
    ids=["mobile-by-keyword", "elderly", "school", "party-spirit", "phase-by-heading"],
)
def test_tags_from_keywords_and_headings(text, headings, facet, key):
    assert key in taxonomy.load().tag(text, headings).get(facet, [])


def test_untagged_text_gets_no_tags():
    assert taxonomy.load().tag("同志们：下面讲几点意见。") == {}


def test_user_taxonomy_extends_the_shipped_one(tmp_path):
    (tmp_path / "taxonomy.yaml").write_text(
        "sector:\n  hospital:\n    aliases: [卫生系统]\n  army:\n    name: 部队\n    keywords: [连队]\n",
        encoding="utf-8",
    )
    assert taxonomy.resolve("sector", "卫生系统", home=tmp_path) == "hospital"
    assert taxonomy.resolve("sector", "医院", home=tmp_path) == "hospital"
    assert taxonomy.resolve("sector", "部队", home=tmp_path) == "army"
    assert taxonomy.load(tmp_path).tag("连队党支部") == {"sector": ["army"]}
    assert taxonomy.load(tmp_path).version() != taxonomy.load().version()


@pytest.mark.parametrize(
    "content, message",
    [
        ("sector: [\n", "第1行：方括号没有闭合"),
        ("colour:\n  red: {name: 红}\n", "不是分类"),
        ("sector:\n  army: {keywords: [连队]}\n", "缺少 name"),
        ("sector:\n  army: {name: 部队, aliases: [学校]}\n", "同时指向"),
        ("synonyms: [打工, 流动]\n", "synonyms 应是"),
        ("synonyms:\n  打工: {流动: 1}\n", "synonyms.打工 应是词语列表"),
    ],
    ids=["bad-yaml", "unknown-facet", "missing-name", "alias-clash", "synonyms-not-a-mapping", "synonym-not-a-list"],
)
def test_bad_user_taxonomy_is_a_clear_error(tmp_path, content, message):
    (tmp_path / "taxonomy.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        taxonomy.load(tmp_path)


def test_synonyms_are_shipped_and_extended_by_the_user(tmp_path):
    assert taxonomy.load().synonyms["打工"][:2] == ("流动", "务工")
    (tmp_path / "taxonomy.yaml").write_text("synonyms:\n  居家: [年老体弱]\n  打工: [外出, 流动]\n", encoding="utf-8")
    merged = taxonomy.load(tmp_path)
    assert merged.synonyms["居家"] == ("年老体弱",)
    assert merged.synonyms["打工"] == ("流动", "务工", "外出")
    # synonyms act at query time: the index (which depends on version()) need not be rebuilt
    assert merged.version() == taxonomy.load().version()
