"""Ranking: the best-scoring passage is never pruned away; rare topic words outweigh generic ones."""

from __future__ import annotations

from dangjian.kb import query
from dangjian.kb.api import KnowledgeBase
from dangjian.kb.outline import build_document
from dangjian.kb.readers import Block


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    return (digits[n // 10] if n >= 20 else "") + "十" + (digits[n % 10] if n % 10 else "")


def _regulation() -> list[Block]:
    lines, n = [], 0
    for chapter in range(1, 8):
        lines.append(f"第{_cn(chapter)}章　监察机关及其职责")
        for k in range(9):
            n += 1
            lines.append(f"第{_cn(n)}条　监察机关对监察对象进行监察，监察人员应当依法履行监察职责，接受监督。"
                         + "监察机关" * (k % 3))
    n += 1
    lines.append(f"第{_cn(n)}条　监察机关涉密人员离岗离职后，应当遵守脱密期管理规定，严格履行保密义务。")
    for chapter in range(8, 10):
        lines.append(f"第{_cn(chapter)}章　监察人员")
        for _ in range(9):
            n += 1
            lines.append(f"第{_cn(n)}条　监察人员必须模范遵守法律，监察机关加强对监察人员的管理。")
    return [Block(line, soft_break=False) for line in lines]


def test_the_best_passage_is_in_a_short_candidate_list(tmp_path):
    # whoosh's own top-N collection dropped this article (its score the highest of all) once the list was full.
    with KnowledgeBase.open(tmp_path) as kb:
        kb.add_documents([build_document(_regulation(), title="某某监察规定", source="j.txt", doc_id="j")])
        parsed = query.parse("监察人员离职后要保密吗")
        for limit in (3, 5, 20):
            raw = kb._index.search(parsed, {}, {}, limit)
            assert raw[0].passage.citation.endswith("第六十四条"), limit
        assert kb.search("监察人员离职后要保密吗", limit=1)[0].passage.citation.endswith("第六十四条")


def test_a_rare_topic_word_outweighs_common_ones(tmp_path):
    lines = [f"第{_cn(n)}条　公务接待应当严格执行公务接待标准，规范公务接待管理。" for n in range(1, 9)]
    lines.append("第九条　接待单位不得提供香烟和高档酒水。")
    with KnowledgeBase.open(tmp_path) as kb:
        kb.add_documents([build_document([Block(t, soft_break=False) for t in lines], title="某某接待规定",
                                         source="g.txt", doc_id="g")])
        hits = kb.search("公务接待能不能上烟酒")
        assert hits[0].passage.citation == "《某某接待规定》第九条"
