"""Structure of regulations (编/章/节/条/款/项), constitutions with a 总纲, notices with attachments.

The fixtures are written for these tests in the shapes real guidance has; they are not real texts.
"""

from __future__ import annotations

import pytest

from dangjian.kb.outline import ARTICLE_MAX, build_document, chinese_to_int, is_regulation, split_article
from dangjian.kb.readers import Block


def doc_of(lines: list[str], title: str = "某某工作条例", **levels: int):
    blocks = [Block(line, levels.get(line), soft_break=False) for line in lines]
    return build_document(blocks, title=title, source="t.txt", doc_id="t")


def citations(doc) -> list[str]:
    return [p.citation for p in doc.passages]


CODE = [
    "第一编　总　　则",
    "第一章　指导思想和原则",
    "第一条　为了规范某某工作，制定本条例。",
    "第二条　某某工作应当坚持下列原则：",
    "（一）坚持党的领导；",
    "（二）坚持实事求是；",
    "（三）坚持民主集中制。",
    "前款规定的原则，各级组织应当遵守。",
    "第二编　分　　则",
    "第十一章　对违反组织纪律行为的处分",
    "第一节　一般规定",
    "第三条　违反规定的，给予警告或者严重警告处分。",
    "第二节　特别规定",
    "第四条　私自出国的，给予撤销党内职务处分。",
]


def test_articles_carry_their_parts_chapters_and_sections():
    doc = doc_of(CODE)
    assert citations(doc) == [
        "《某某工作条例》第一编 第一章 第一条",
        "《某某工作条例》第一编 第一章 第二条",
        "《某某工作条例》第二编 第十一章 第一节 第三条",
        "《某某工作条例》第二编 第十一章 第二节 第四条",
    ]


def test_an_article_is_one_passage_with_its_clauses_and_items():
    doc = doc_of(CODE)
    second = doc.passages[1]
    assert second.text.splitlines() == [
        "第二条\u3000某某工作应当坚持下列原则：", "（一）坚持党的领导；", "（二）坚持实事求是；",
        "（三）坚持民主集中制。", "前款规定的原则，各级组织应当遵守。",
    ]
    assert second.item_title == "某某工作应当坚持下列原则"
    assert second.part_title == "第一编 总则 第一章 指导思想和原则"


def test_article_ids_are_unique_and_stable():
    first, again = doc_of(CODE), doc_of(CODE)
    ids = [p.id for p in first.passages]
    assert len(set(ids)) == len(ids)
    assert ids == [p.id for p in again.passages]
    assert ids[0] == "t:2.1.1.1"


def test_constitution_general_programme_and_chapters():
    doc = doc_of([
        "（某次代表大会通过）",
        "总纲",
        "本组织是某某的先锋队。",
        "本组织以某某理论作为行动指南。",
        "第一章　成员",
        "第一条　年满十八岁的，可以申请加入。",
        "第二条　成员必须履行下列义务：",
        "（一）认真学习；",
        "（二）执行决议。",
        "第三条　成员享有下列权利：",
        "（一）参加会议；",
        "（二）提出建议。",
    ], title="某某章程")
    assert citations(doc) == [
        "《某某章程》开头 第1段",
        "《某某章程》总纲 第1段",
        "《某某章程》总纲 第2段",
        "《某某章程》第一章 第一条",
        "《某某章程》第一章 第二条",
        "《某某章程》第一章 第三条",
    ]
    assert doc.passages[5].text.startswith("第三条\u3000成员享有下列权利：\n（一）参加会议；")
    ids = [p.id for p in doc.passages]
    assert len(set(ids)) == len(ids)


def test_kb_show_finds_an_article_by_document_name_and_place(tmp_path):
    from dangjian.kb.api import KnowledgeBase
    from dangjian.kb.errors import NotFoundError

    doc = doc_of(["总纲", "本组织是某某的先锋队。", "第一章　成员", "第一条　年满十八岁的，可以申请加入。",
                  "第二条　成员必须履行下列义务：", "（一）认真学习。", "第三条　成员享有下列权利：", "（一）参加会议。"],
                 title="某某组织章程")
    with KnowledgeBase.open(tmp_path) as kb:
        kb.add_documents([doc])
        assert kb.article("章程", "第三条").text.startswith("第三条")
        assert kb.article("某某组织章程", "第3条").citation == "《某某组织章程》第一章 第三条"
        assert kb.article("t", "第一章 第二条").citation == "《某某组织章程》第一章 第二条"
        assert kb.article("《某某组织章程》", "总纲").text == "本组织是某某的先锋队。"
        with pytest.raises(NotFoundError, match="第九条"):
            kb.article("章程", "第九条")
        with pytest.raises(NotFoundError, match="没有文档"):
            kb.article("办法", "第一条")


def test_article_number_alone_on_its_line_takes_the_next_paragraph():
    doc = doc_of(["第一条", "为了规范接待，制定本规定。", "第二条", "本规定适用于各级机关。",
                  "接待应当节俭。", "第三条", "本规定自发布之日起施行。"], title="某某接待规定")
    assert citations(doc) == ["《某某接待规定》第一条", "《某某接待规定》第二条", "《某某接待规定》第三条"]
    assert doc.passages[1].text == "第二条\u3000本规定适用于各级机关。\n接待应当节俭。"


def test_article_run_into_its_text_is_found_in_sequence_only():
    doc = doc_of(["第一条为了规范某事，制定本办法。", "第二条本办法适用于各单位。", "第三条本办法自发布之日起施行。",
                  "第三条规定的事项另行通知。"], title="某某办法")
    assert citations(doc) == ["《某某办法》第一条", "《某某办法》第二条", "《某某办法》第三条"]
    assert doc.passages[2].text.endswith("第三条规定的事项另行通知。")


def test_notice_with_an_attached_regulation():
    doc = doc_of([
        "各地区各部门：",
        "现将《某某管理办法》印发给你们，请认真贯彻执行。",
        "附件",
        "某某管理办法",
        "第一章　总则",
        "第一条　为了加强管理，制定本办法。",
        "第二条　本办法适用于各级机关。",
        "第三条　本办法自印发之日起施行。",
    ], title="关于印发《某某管理办法》的通知")
    assert citations(doc) == [
        "《关于印发〈某某管理办法〉的通知》开头 第1段",
        "《关于印发〈某某管理办法〉的通知》附件 第一章 第一条",
        "《关于印发〈某某管理办法〉的通知》附件 第一章 第二条",
        "《关于印发〈某某管理办法〉的通知》附件 第一章 第三条",
    ]
    assert doc.passages[1].part_title == "某某管理办法 第一章 总则"


def test_long_article_is_split_and_each_part_keeps_its_lead():
    items = [f"（{n}）" + "违反规定组织或者参加某某活动，造成不良影响的情形" * 3 + "；"
             for n in "一二三四五六七八九十"]
    doc = doc_of(["第一条　有下列行为之一的，给予警告处分：", *items, "第二条　本条例自发布之日起施行。",
                  "第三条　本条例由某部门负责解释。"])
    parts = [p for p in doc.passages if p.item == 1]
    assert len(parts) > 1
    assert all(p.text.startswith("第一条\u3000有下列行为之一的，给予警告处分：") for p in parts)
    assert all(len(p.text) <= ARTICLE_MAX for p in parts)
    assert [p.citation for p in parts] == [f"《某某工作条例》第一条之{k}" for k in range(1, len(parts) + 1)]
    body = "".join(p.text.split("\n", 1)[1] for p in parts)
    assert body == "\n".join(items).replace("\n", "") or body.replace("\n", "") == "".join(items)


def test_short_article_stays_whole():
    text = "第五条　某某。\n（一）甲；\n（二）乙。"
    assert split_article(text) == [text]


def test_speech_numbering_is_not_a_regulation():
    blocks = [Block(t) for t in ["一、提高认识", "（一）第一条是学习。", "二、加强领导", "第三条道路不走。"]]
    assert not is_regulation(blocks)


def test_two_articles_are_not_a_regulation():
    doc = doc_of(["一、总体要求", "按照第一条的要求开展。", "第一条　某某。", "第二条　某某。", "二、工作安排", "认真组织。"])
    assert all("条" not in c.split("》")[1] for c in citations(doc))


@pytest.mark.parametrize("numeral, value", [("一", 1), ("十", 10), ("十一", 11), ("二十三", 23), ("一百", 100),
                                            ("一百零五", 105), ("一百一十二", 112), ("某", 0)])
def test_chinese_numerals(numeral, value):
    assert chinese_to_int(numeral) == value


def test_campaign_tags_only_on_the_campaign_documents(tmp_path):
    from dangjian.kb.api import KnowledgeBase

    regulation = doc_of(["第一条　各级组织应当加强学习培训，落实整改措施。", "第二条　某某。", "第三条　某某。"],
                        title="某某条例")
    own = build_document([Block("先进性教育活动要加强学习培训，落实整改措施。")], title="某某方案", source="p.txt",
                         doc_id="p")
    with KnowledgeBase.open(tmp_path) as kb:
        kb.add_documents([regulation, own])
        assert not {"phase", "topic"} & set(kb.document("t").passages[0].tags)
        assert "phase" in kb.document("p").passages[0].tags


def test_notice_with_an_attached_plan_numbers_its_parts_again():
    doc = doc_of([
        "各党支部：",
        "为了做好某某工作，现将有关事项通知如下。",
        "一、提高认识",
        "各支部要高度重视，认真组织。",
        "二、加强领导",
        "各支部书记是第一责任人。",
        "附件：某某工作实施方案",
        "附件",
        "某某工作实施方案",
        "一、指导思想",
        "以某某为指导，扎实推进。",
        "二、方法步骤",
        "（一）学习动员。认真组织学习。",
        "（二）整改提高。抓好整改落实。",
    ], title="关于开展某某工作的通知")
    assert citations(doc) == [
        "《关于开展某某工作的通知》开头 第1段",
        "《关于开展某某工作的通知》一、 第1段",
        "《关于开展某某工作的通知》二、 第1段",
        "《关于开展某某工作的通知》二、 第2段",
        "《关于开展某某工作的通知》附件一、 第1段",
        "《关于开展某某工作的通知》附件二、（一） 第1段",
        "《关于开展某某工作的通知》附件二、（二） 第1段",
    ]
    assert doc.passages[4].part_title == "指导思想"
    ids = [p.id for p in doc.passages]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("title, expected", [
    ("《某某办法》", "某某办法"),
    ("中共中央办公厅印发《某某办法》", "中共中央办公厅印发《某某办法》"),
    ("关于印发《某某办法》的通知", "关于印发《某某办法》的通知"),
])
def test_titles_keep_their_inner_book_title_marks(title, expected):
    doc = build_document([Block("正文一段。")], title=title, source="t.txt", doc_id="t")
    assert doc.title == expected
    assert doc.passages[0].citation.startswith("《" + expected.replace("《", "〈").replace("》", "〉") + "》")
