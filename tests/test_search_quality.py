"""Search quality over the bundled guidance: realistic queries, each with the passage it must find.

The score is the mean reciprocal rank of the expected passage in the top 10
(MRR@10); it is printed (run with ``-s``) and must stay at or above 0.9.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

D = "xjx2005:"

#: (query, filters, expected passage ID)
CASES: list[tuple[str, dict[str, str], str]] = [
    # questions as people type them
    ("流动党员如何参加学习", {}, D + "3.4.1.3"),
    ("年老体弱的党员怎么组织学习", {}, D + "3.4.1.3"),
    ("巡回检查组的职责是什么", {}, D + "2.1.2.1"),
    ("督导组有哪些职责", {}, D + "2.1.3.1"),
    ("领导小组办公室的主要职责", {}, D + "2.1.1.1"),
    ("四个清楚是指什么", {}, D + "3.1.1.2"),
    ("党性分析要对照检查哪些方面", {}, D + "1.4.1.2"),
    ("民主评议要不要确定党员格次", {}, D + "1.5.1.3"),
    ("要不要单独搞组织处理阶段", {}, D + "1.5.1.3"),
    ("怎样建立保持先进性的长效机制", {}, D + "1.5.1.4"),
    ("主题实践活动的主题是什么", {}, D + "1.6.1.1"),
    ("非公有制经济组织的党员如何参加先进性教育活动", {}, D + "3.4.1.5"),
    ("文化程度低的党员党性分析怎么搞", {}, D + "3.4.1.4"),
    ("社区党组织力量不足怎么办", {}, D + "3.4.1.4"),
    ("制定实施方案能不能照抄照搬", {}, D + "1.1.1.2"),
    ("第二批先进性教育活动在哪些单位进行", {}, D + "1.0.1.1"),
    ("哪个阶段是承上启下的关键", {}, D + "2.2.1.2"),
    ("巡回检查组和督导组怎样开展工作", {}, D + "2.2.1.1"),
    ("征求到的意见怎么反馈给党员", {}, D + "1.4.1.1"),
    # keyword lists
    ("理想信念 宗旨观念 组织纪律", {}, D + "1.4.1.2"),
    ("专题组织生活会 专题民主生活会 自我批评", {}, D + "1.4.1.3"),
    ("公开评议结果 群众监督", {}, D + "1.4.1.4"),
    ("整改措施 立说立行 整改时限", {}, D + "1.5.1.2"),
    ("诫勉谈话 谈心", {}, D + "1.5.1.3"),
    ("领导干部联系点", {}, D + "3.5.1.1"),
    ("信息反馈制度", {}, D + "3.5.1.2"),
    ("四个一 五个坚持", {}, D + "1.1.1.1"),
    ("党课 宣讲团 先进典型", {}, D + "1.3.1.2"),
    ("下岗失业党员 拖欠工资", {}, D + "3.4.1.5"),
    ("驻区单位 共驻共建", {}, D + "3.4.1.4"),
    ("骨干培训 学习政策", {}, D + "3.3.1.1"),
    ("知识分子党员 座谈讨论", {}, D + "3.4.1.3"),
    # exact phrases
    ('"邮寄学习资料"', {}, D + "3.4.1.3"),
    ("“承上启下”", {}, D + "2.2.1.2"),
    ("“口袋”党员 “双找”", {}, D + "3.1.1.3"),
    ('"争当振兴老工业基地先锋"', {}, D + "1.6.1.1"),
    # paraphrases and harder questions (not all first; one known miss below)
    ("老党员行动不便怎么学习", {}, D + "3.4.1.3"),
    ("集中学习教育时间不少于几个月", {}, D + "1.0.1.1"),
    ("一个单位的教育活动搞多长时间", {}, D + "3.4.1.3"),
    ("社区党建 共驻共建", {}, D + "3.4.1.4"),
    ("失去联系的党员", {}, D + "3.1.1.3"),
    ("软弱涣散党组织整顿", {}, D + "3.1.1.3"),
    ("群众热盼解决的突出问题", {}, D + "1.5.1.2"),
    ("不合格党员怎么处理", {}, D + "1.5.1.3"),
    ("民主评议结果要公开吗", {}, D + "1.4.1.4"),
    ("学习内容重点学什么", {}, D + "1.3.1.1"),
    ("振兴老工业基地", {}, D + "1.6.1.1"),
    ("田韩案件", {}, D + "3.2.1.2"),
    ("督导组和党委的关系", {}, D + "2.2.1.1"),
    ("起草文件 筹备会议", {}, D + "2.1.1.1"),
    ("理顺情绪 化解矛盾", {}, D + "3.2.1.2"),
    ("国有资产 运营效率", {}, D + "3.4.1.2"),
    ("学校党员的着力点", {}, D + "3.4.1.2"),
    ("怎么征求群众意见", {}, D + "1.4.1.1"),
    ("批评与自我批评怎么开展", {}, D + "1.4.1.3"),
    ("在外地打工的党员怎么参加教育", {}, D + "3.4.1.3"),  # 打工/外地 → 流动/在外 through the taxonomy's synonyms
    ("老人怎么学习", {}, D + "3.4.1.3"),
    ("国企的着力点是什么", {}, D + "3.4.1.2"),
    # with filters
    ("着力点", {"sector": "学校"}, D + "3.4.1.2"),
    ("着力点", {"sector": "township"}, D + "3.4.1.2"),
    ("学习", {"member": "流动党员"}, D + "3.4.1.3"),
    ("制度", {"topic": "工作制度"}, D + "3.5.1.1"),
    ("公开", {"phase": "分析评议"}, D + "1.4.1.4"),
    ("帮助", {"member": "困难", "topic": "准备工作"}, D + "3.1.1.3"),
]


def _reciprocal_rank(kb, query: str, filters: dict[str, str], expected: str) -> float:
    ids = [hit.passage.id for hit in kb.search(query, limit=10, **filters)]
    return 1.0 / (ids.index(expected) + 1) if expected in ids else 0.0


@pytest.mark.parametrize(
    "query, filters, expected",
    CASES,
    ids=[c[0] + "".join(c[1].values()) for c in CASES],
)
def test_query_finds_its_passage_in_top_10(shared_kb, query, filters, expected):
    assert _reciprocal_rank(shared_kb, query, filters, expected) > 0, f"{query} 未在前 10 条中找到 {expected}"


def test_mean_reciprocal_rank_at_10(shared_kb):
    assert len(CASES) >= 30
    ranks = [_reciprocal_rank(shared_kb, q, f, e) for q, f, e in CASES]
    mrr = sum(ranks) / len(ranks)
    print(f"\nMRR@10 = {mrr:.3f} over {len(CASES)} queries; "
          f"first place {sum(r == 1.0 for r in ranks)}/{len(ranks)}, missed {sum(r == 0 for r in ranks)}")
    assert mrr >= 0.9


def test_kb_help_loads_no_search_engine_or_segmenter():
    code = (
        "import sys\n"
        "from dangjian.kb.cli import cli\n"
        "try:\n    cli.main(['--help'], prog_name='kb')\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('whoosh', 'jieba', 'rjieba', 'docx') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "search" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"
