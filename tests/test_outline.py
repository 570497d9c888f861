"""Outline, passages, IDs and citations of the bundled guidance and of users' documents."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

from dangjian.kb.bundled import bundled_documents
from dangjian.kb.errors import ImportFailed
from dangjian.kb.outline import MAX_PASSAGE, MIN_PASSAGE, build_document, import_file, split_paragraph
from dangjian.kb.readers import Block

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "guidance" / "000_de32c9863abd3484.txt"
TITLE = "在第二批先进性教育活动工作培训会上的讲话"


@pytest.fixture(scope="module")
def seed():
    (doc,) = [d for d in bundled_documents() if d.id == "xjx2005"]
    return doc


def items_per_part(doc) -> dict[int, int]:
    return {part: max(p.item for p in doc.passages if p.part == part) for part in sorted({p.part for p in doc.passages})}


def test_seed_has_three_parts_with_six_three_and_five_items(seed):
    assert items_per_part(seed) == {0: 0, 1: 6, 2: 3, 3: 5}


@pytest.mark.parametrize(
    "part, title",
    [
        (1, "准确把握总体安排和方法步骤，确保第二批先进性教育活动有序进行"),
        (2, "加强组织领导和检查指导，确保第二批先进性教育活动扎实推进"),
        (3, "注意掌握好有关政策和要求，确保先进性教育活动取得实效"),
    ],
    ids=["part-1", "part-2", "part-3"],
)
def test_seed_part_titles(seed, part, title):
    assert {p.part_title for p in seed.passages if p.part == part} == {title}


SEED_ITEMS = {
    (1, 1): "紧密联系实际，科学制定实施方案",
    (1, 2): "深入搞好思想发动，不断统一思想认识",
    (1, 3): "精心组织学习培训，切实提高党员素质",
    (1, 4): "认真抓好分析评议，真正找准突出问题",
    (1, 5): "积极进行整改提高，努力取得扎实成效",
    (1, 6): "大力开展主题实践活动，不断体现和落实党的先进性",
    (2, 1): "要明确工作任务",
    (2, 2): "要创新工作方法",
    (2, 3): "要提高工作效率和质量",
    (3, 1): "要扎实做好准备工作，为顺利开展第二批先进性教育活动奠定坚实的基础",
    (3, 2): "要坚持把中央和省委的精神与本地本单位的实际相结合，创造性地抓好工作落实",
    (3, 3): "要深入学习把握政策，搞好骨干培训",
    (3, 4): "要区分不同情况，结合各自特点，加强分类指导",
    (3, 5): "要健全完善工作制度，确保第二批先进性教育活动规范有序",
}


@pytest.mark.parametrize("key, title", SEED_ITEMS.items(), ids=[f"{p}.{i}" for p, i in SEED_ITEMS])
def test_seed_item_titles(seed, key, title):
    part, item = key
    assert {p.item_title for p in seed.passages if (p.part, p.item) == key} == {title}


def test_seed_opening_paragraph_is_part_zero(seed):
    opening = [p for p in seed.passages if p.part == 0]
    assert [p.id for p in opening] == ["xjx2005:0.0.1.1"]
    assert opening[0].text.startswith("同志们：")
    assert opening[0].text.endswith("下面，我就开展第二批先进性教育活动的一些具体问题讲几点意见。")
    assert opening[0].citation == f"《{TITLE}》开头 第1段"


def test_seed_part_lead_paragraph_is_item_zero(seed):
    (lead,) = [p for p in seed.passages if (p.part, p.item) == (3, 0)]
    assert lead.id == "xjx2005:3.0.1.1"
    assert lead.text.startswith("与第一批先进性教育活动相比")
    assert lead.citation == f"《{TITLE}》三、 第1段"


def test_seed_item_paragraphs_and_citations(seed):
    duties = [p for p in seed.passages if (p.part, p.item) == (2, 1)]
    assert [(p.id, p.citation) for p in duties] == [
        ("xjx2005:2.1.1.1", f"《{TITLE}》二、第一 第1段"),
        ("xjx2005:2.1.2.1", f"《{TITLE}》二、第一 第2段"),
        ("xjx2005:2.1.3.1", f"《{TITLE}》二、第一 第3段"),
    ]
    assert duties[1].text.startswith("各级巡回检查组的主要职责是：")
    assert duties[2].text.startswith("各级督导组的主要职责是：")


def test_seed_long_paragraph_splits_at_its_enumeration(seed):
    analysis = [p for p in seed.passages if (p.part, p.item) == (1, 4)]
    assert [p.citation for p in analysis] == [f"《{TITLE}》一、第四 第1段之{k}" for k in range(1, len(analysis) + 1)]
    starts = [p.text[:2] for p in analysis[1:]]
    assert starts == ["二要", "三要", "四要"]
    assert "".join(p.text for p in analysis).startswith("第四，认真抓好分析评议")


def test_seed_passages_reassemble_the_text_in_order(seed):
    by_para: dict[tuple[int, int, int], list[str]] = {}
    for p in seed.passages:
        by_para.setdefault((p.part, p.item, p.para), []).append(p.text)
    text = "".join("".join(v) for v in by_para.values())
    assert "健康开展。第一，紧密联系实际" in text
    assert text.endswith("推动第二批先进性教育活动扎实健康地开展。")


def test_seed_passage_sizes(seed):
    sizes = [len(p.text) for p in seed.passages]
    assert all(MIN_PASSAGE <= n <= MAX_PASSAGE for n in sizes), sorted(sizes)
    assert len(seed.passages) == len({p.id for p in seed.passages})


def test_seed_ids_are_stable_across_builds(seed):
    again = bundled_documents()[0]
    assert [(p.id, p.text, p.citation) for p in again.passages] == [(p.id, p.text, p.citation) for p in seed.passages]
    assert again.sha256 == seed.sha256


def test_seed_metadata(seed):
    assert seed.title == TITLE
    assert seed.bundled is True
    assert seed.source == "bundled:000_de32c9863abd3484.txt"
    assert seed.year == 2005
    assert "黑龙江" in seed.issuer
    assert "先进性教育活动" in seed.campaign
    assert "数字" in seed.note


def test_seed_dropped_ads_are_listed(seed):
    assert seed.dropped == SEED.read_text(encoding="utf-8").splitlines()[-2:]
    assert not any("试题" in p.text or "会员" in p.text for p in seed.passages)


def test_seed_rejoined_sentences_sit_in_one_passage(seed):
    for phrase in ("三个代表”重要思想为主线", "都要解决一、两个群众", "整齐划一、搞“齐步走”"):
        assert sum(phrase in p.text for p in seed.passages) == 1, phrase


def test_seed_gaps_live_on_their_passages(seed):
    gaps = Counter((p.id, g.kind) for p, g in seed.gaps)
    assert gaps == Counter(
        {
            ("xjx2005:0.0.1.1", "月份"): 1,
            ("xjx2005:0.0.1.1", "日期"): 1,
            ("xjx2005:0.0.1.1", "天数"): 1,
            ("xjx2005:1.0.1.1", "年份"): 1,
            ("xjx2005:1.0.1.1", "月份"): 2,
            ("xjx2005:1.0.1.1", "月数"): 1,
            ("xjx2005:1.1.1.2", "月数"): 1,
            ("xjx2005:3.3.1.2", "天数"): 1,
            ("xjx2005:3.4.1.3", "月数"): 1,
            ("xjx2005:3.4.1.4", "人数"): 1,
        }
    )
    for passage, gap in seed.gaps:
        assert passage.text[gap.offset - len(gap.before) : gap.offset] == gap.before
        assert passage.text[gap.offset :].startswith(gap.after)


def test_seed_redaction_is_kept_visibly(seed):
    assert sum("建设和谐×××的实际" in p.text for p in seed.passages) == 1
    assert not any(re.search(r"(?<!×)×(?!×)|(?<!×)××(?!×)", p.text) for p in seed.passages)


def test_seed_tags_are_left_for_the_tagger(seed):
    assert all(p.tags == {} for p in seed.passages)


# --- splitting paragraphs ---------------------------------------------------------------

SENTENCE = "各级党组织要认真组织党员学习党章，深刻领会党章的基本内容和精神实质。"  # 34 characters


@pytest.mark.parametrize(
    "text, expected_sizes",
    [
        (SENTENCE * 3, [102]),
        (SENTENCE * 18, [306, 306]),
        (SENTENCE * 36, [408, 408, 408]),
    ],
    ids=["short-stays-whole", "even-halves", "even-thirds"],
)
def test_long_paragraphs_split_at_sentences_into_even_pieces(text, expected_sizes):
    pieces = split_paragraph(text)
    assert [len(p) for p in pieces] == expected_sizes
    assert "".join(pieces) == text


def test_enumeration_split_merges_a_short_trailing_piece():
    text = "总的要求。" + "一要" + SENTENCE * 6 + "二要" + SENTENCE * 6 + "三要" + SENTENCE * 6 + "四要抓好落实。"
    pieces = split_paragraph(text)
    assert [p[:2] for p in pieces] == ["总的", "二要", "三要"]
    assert pieces[-1].endswith("四要抓好落实。")
    assert all(MIN_PASSAGE <= len(p) <= MAX_PASSAGE for p in pieces)


def test_a_sentence_longer_than_a_passage_is_cut_at_clauses():
    clause = "加强学习教育管理监督，"
    text = clause * 80 + "确保取得实效。"
    pieces = split_paragraph(text)
    assert "".join(pieces) == text
    assert all(len(p) <= MAX_PASSAGE for p in pieces)
    assert all(p.endswith(("，", "。")) for p in pieces)


# --- users' documents --------------------------------------------------------------------------


def build(lines: list[str], **kwargs):
    return build_document([Block(t) for t in lines], title="测试文件", source="测试.txt", **kwargs)


def test_document_without_headings_is_part_zero_item_zero():
    doc = build(["党员要按时参加组织生活。", "支部要认真做好记录。"])
    assert [(p.id[len(doc.id) :], p.citation) for p in doc.passages] == [
        (":0.0.1.1", "《测试文件》第1段"),
        (":0.0.2.1", "《测试文件》第2段"),
    ]


def test_default_id_is_the_hash_of_the_cleaned_text():
    doc = build(["党员要按时参加组织生活,认真学习。"])
    text = "党员要按时参加组织生活，认真学习。"
    assert doc.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert doc.id == "d" + doc.sha256[:8]
    assert doc.passages[0].id == doc.id + ":0.0.1.1"


def test_numbered_user_document_with_standalone_headings():
    doc = build(
        [
            "一、指导思想",
            "以党章为根本遵循，坚持学习与实践相结合。",
            "二、主要任务",
            "（一）抓好学习",
            "每月集中学习不少于一次。",
            "（二）开展评议",
            "组织党员开展民主评议。",
            "年底前完成。",
        ]
    )
    rows = [(p.id.split(":")[1], p.part_title, p.item_title, p.citation) for p in doc.passages]
    assert rows == [
        ("1.0.1.1", "指导思想", "", "《测试文件》一、 第1段"),
        ("2.1.1.1", "主要任务", "抓好学习", "《测试文件》二、（一） 第1段"),
        ("2.2.1.1", "主要任务", "开展评议", "《测试文件》二、（二） 第1段"),
        ("2.2.2.1", "主要任务", "开展评议", "《测试文件》二、（二） 第2段"),
    ]


def test_arabic_numbering_without_chinese_parts_makes_parts():
    doc = build(["1. 学习动员阶段", "认真组织学习。", "2. 分析评议阶段", "广泛征求意见。"])
    assert [(p.part, p.part_title, p.citation) for p in doc.passages] == [
        (1, "学习动员阶段", "《测试文件》1. 第1段"),
        (2, "分析评议阶段", "《测试文件》2. 第1段"),
    ]


def test_out_of_sequence_number_is_not_a_heading():
    doc = build(["一、学习", "认真学习。", "三、漏掉的编号不算标题", "二、评议", "认真评议。"])
    assert [p.part_title for p in doc.passages] == ["学习", "学习", "评议"]
    assert doc.passages[1].text == "三、漏掉的编号不算标题"


def test_a_single_numbered_line_is_not_a_structure():
    doc = build(["会议强调了以下要点。", "1. 要加强学习，提高素质。", "全体党员参加。"])
    assert {p.part for p in doc.passages} == {0}


def test_word_heading_styles_make_parts_and_items():
    blocks = [
        Block("学习安排", level=1, soft_break=False),
        Block("集中学习", level=2, soft_break=False),
        Block("每周五下午集中学习。", soft_break=False),
        Block("个人自学", level=2, soft_break=False),
        Block("党员每天自学一小时。", soft_break=False),
        Block("工作要求", level=1, soft_break=False),
    ]
    doc = build_document(blocks, title="学习计划", source="计划.docx")
    assert [(p.id.split(":")[1], p.part_title, p.item_title, p.citation, p.text) for p in doc.passages] == [
        ("1.1.1.1", "学习安排", "集中学习", "《学习计划》第1部分第1项 第1段", "每周五下午集中学习。"),
        ("1.2.1.1", "学习安排", "个人自学", "《学习计划》第1部分第2项 第1段", "党员每天自学一小时。"),
        ("2.0.1.1", "工作要求", "", "《学习计划》第2部分 第1段", "工作要求"),
    ]


def test_title_block_is_not_a_passage():
    blocks = [Block("关于开展学习的通知", is_title=True, soft_break=False), Block("各支部要组织学习。")]
    doc = build_document(blocks, title="关于开展学习的通知", source="通知.txt")
    assert [p.text for p in doc.passages] == ["各支部要组织学习。"]


def test_meta_fields_reach_the_document():
    doc = build(["党员要学习。"], doc_id="abc", meta={"issuer": "某党委", "year": "2024", "campaign": "党纪学习教育", "note": "测试"})
    assert (doc.id, doc.issuer, doc.year, doc.campaign, doc.note, doc.bundled) == ("abc", "某党委", 2024, "党纪学习教育", "测试", False)
    assert doc.passages[0].id == "abc:0.0.1.1"


def test_only_advertisements_is_an_import_failure():
    with pytest.raises(ImportFailed, match="清理后没有正文.*2 行广告"):
        build(["近500万道试题、20多万套资源免费使用", "每天仅需0.22元,尊享会员权益"])


def test_import_file_uses_file_stem_as_title_when_the_file_gives_none(tmp_path):
    path = tmp_path / "支部学习记录.txt"
    path.write_text("第一，认真学习。\n第二，认真记录。\n", encoding="utf-8")
    doc = import_file(path)
    assert doc.title == "支部学习记录"
    assert doc.source == "支部学习记录.txt"
    assert doc.passages[0].citation == "《支部学习记录》第一 第1段"


def test_long_inline_item_title_is_cut_at_its_label():
    doc = build(
        [
            "一、方法步骤",
            "（一）学习动员阶段：2024年4月至5月，主要任务是组织党员认真学习条例，召开动员大会，制定学习计划。",
            "（二）分析评议阶段：广泛征求意见。",
            "二、工作要求",
            "各支部要认真组织。",
        ]
    )
    assert [p.item_title for p in doc.passages] == ["学习动员阶段", "分析评议阶段：广泛征求意见", ""]


def test_seed_passages_match_the_golden_list_that_campaign_packs_cite(seed):
    golden = ROOT / "tests" / "golden" / "xjx2005_passages.tsv"
    rows = [line.split("\t") for line in golden.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert [(p.id, str(len(p.text)), p.citation, p.text[:20]) for p in seed.passages] == [tuple(r) for r in rows]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"], ids=["utf-8-bom", "gb18030", "utf-16"])
def test_same_text_in_another_encoding_is_the_same_document(tmp_path, encoding):
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("\n", "\r\n"), encoding=encoding)
    a, b = import_file(tmp_path / "a.txt"), import_file(tmp_path / "b.txt")
    assert a.sha256 == b.sha256 and a.id == b.id
    assert [p.id for p in a.passages] == [p.id for p in b.passages]


def test_bundled_metadata_with_an_unknown_field_is_reported(tmp_path, monkeypatch):
    import dangjian.kb.bundled as bundled

    folder = tmp_path / "guidance"
    folder.mkdir()
    (folder / "x.txt").write_text("党员要学习。\n", encoding="utf-8")
    (folder / "x.yaml").write_text("id: x\ntitel: 错字\n", encoding="utf-8")
    monkeypatch.setattr(bundled.resources, "files", lambda package: tmp_path)
    with pytest.raises(ImportFailed, match="x.yaml 有未知字段 titel"):
        bundled.bundled_documents()


def test_styled_heading_that_holds_sentences_keeps_them_as_a_paragraph():
    blocks = [
        Block("一、指导思想。以党章为根本遵循，坚持学习与实践相结合，推动学习教育走深走实。", level=1, soft_break=False),
        Block("二、工作要求。", level=1, soft_break=False),
        Block("各支部要认真组织。", soft_break=False),
    ]
    doc = build_document(blocks, title="方案", source="方案.docx")
    assert [(p.part, p.part_title, p.text[:6]) for p in doc.passages] == [(1, "指导思想", "一、指导思想"), (2, "工作要求", "各支部要认真")]


def test_items_before_the_first_part_cite_their_item():
    doc = build(["（一）先学一步", "领导干部带头学。", "（二）多学一点", "党员普遍学。", "一、总体安排", "分三个阶段。", "二、组织领导", "成立领导小组。"])
    assert [p.citation for p in doc.passages][:2] == ["《测试文件》开头（一） 第1段", "《测试文件》开头（二） 第1段"]
