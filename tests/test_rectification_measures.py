"""整改方案 征求意见稿: every listed problem has a measure of its own, and the 突出问题 is a proposal within the phase.

Review r5 graded the 征求意见稿 C in all four sectors: half its items said "本人对照查摆的问题制定个人整改措施"
(in a paper the 党委 issues and shows the public) or "领导班子对照批评意见逐条研究整改措施"; a taken-over
measure carried another problem's text; a problem already put right was listed; the 突出问题 was called the
public's top concern without data and one was due after the campaign's end.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from dangjian.generators.api import generate
from dangjian.generators.campaign import load_campaign
from dangjian.generators.sector_blocks import blocks

SETS = Path(__file__).parent / "fixtures" / "sets"
SECTORS = ("community", "school", "township", "soe")
PLACEHOLDERS = ("本人", "逐条研究整改措施", "整改措施待定")


def _draft(sector: str, profile: Path | None = None):
    return generate("整改方案", profile or SETS / f"{sector}.yaml", fmt="md")


def _measures(markdown: str) -> dict[int, str]:
    """Item number → its line in 整改措施和责任分工."""
    part = markdown.split("## 整改措施和责任分工")[1].split("\n## ")[0]
    return {int(m[1]): m[0] for m in re.finditer(r"^(\d+)\.针对“.+$", part, re.M)}


@pytest.mark.parametrize("sector", SECTORS)
def test_every_item_has_a_measure_of_its_own_with_who_and_when(sector):
    markdown = _draft(sector).markdown
    for word in PLACEHOLDERS:
        assert word not in markdown, (sector, word)
    lines = _measures(markdown)
    listed = re.findall(r"^(\d+)\.(?!针对)", markdown.split("## 存在的主要问题")[1].split("\n## ")[0], re.M)
    assert sorted(lines) == sorted(int(n) for n in listed)  # one measure per listed problem
    measures = [re.search(r"”：(.+?)。责任领导", line).group(1) for line in lines.values()]
    assert len(set(measures)) == len(measures), sector  # no measure repeated for several problems
    for line in lines.values():
        assert "责任领导：" in line and "完成时限：" in line, line


def test_the_school_lesson_visits_get_a_visiting_measure_with_its_default_named():
    result = _draft("school")
    line = next(l for l in _measures(result.markdown).values() if "深入课堂听课少" in l)
    assert "每周深入课堂听课不少于2节" in line and "责任部门：教导处" in line
    assert re.search(r"默认值 \| 措施中的“每周深入课堂听课不少于2节”是默认值", result.working_paper)


def _community_with(tmp_path, replacements: dict[str, str]):
    """The community fixture with some of its 民主生活会 problems replaced (problems no measure is known for)."""
    text = (SETS / "community.yaml").read_text(encoding="utf-8")
    for old, new in replacements.items():
        text = text.replace(old, new)
    profile = tmp_path / "社区.yaml"
    profile.write_text(text, encoding="utf-8")
    return profile


def test_the_leaders_problems_without_a_known_measure_are_answered_together(tmp_path):
    profile = _community_with(tmp_path, {"宣传工作形式单一，对离退休党员的学习辅导不够": "对上级精神领会不深，工作缺乏创新",
                                         "对社区财务公开的监督不及时，听取居民意见不够": "廉洁自律方面要求不够严格"})
    result = _draft("community", profile)
    markdown = result.markdown
    for word in PLACEHOLDERS:
        assert word not in markdown
    numbers = [n for n, line in enumerate(_problems_list(markdown), 1)
               if "工作缺乏创新" in line or "廉洁自律" in line]
    assert len(numbers) == 2
    together = re.findall(r"^针对第(\d+)、(\d+)项（班子成员个人查摆的问题）：(.+)$", markdown, re.M)
    assert len(together) == 1 and [int(n) for n in together[0][:2]] == numbers
    assert "书面整改措施" in together[0][2] and "督导组" in together[0][2] and "公开" in together[0][2]
    assert "责任领导：王秀兰（党委书记）" in together[0][2]
    assert not any(n in _measures(markdown) for n in numbers)  # no placeholder line per problem


def _problems_list(markdown: str) -> list[str]:
    part = markdown.split("## 存在的主要问题")[1].split("\n## ")[0]
    return re.findall(r"^\d+\.(.+)$", part, re.M)


def _phase_end(markdown: str) -> dt.date:
    m = re.search(r"阶段自(\d{4})年(\d+)月(\d+)日至(?:(\d{4})年)?(?:(\d+)月)?(\d+)日进行", markdown)
    year = int(m[4] or m[1])
    return dt.date(year, int(m[5] or m[2]), int(m[6]))


@pytest.mark.parametrize("sector", SECTORS)
def test_the_drafts_key_problem_is_a_proposal_among_its_own_findings_due_within_the_phase(sector):
    markdown = _draft(sector).markdown
    assert "反映最集中、热盼解决" not in markdown  # nobody's data says so
    m = re.search(r"拟集中力量解决第([\d、]+)项", markdown)
    assert m, sector
    assert "定稿时根据" in markdown  # the 公示 decides
    checked = markdown.split("### 需要对照检查的方面")[1] if "### 需要对照检查的方面" in markdown else ""
    check_numbers = {int(n) for n in re.findall(r"^(\d+)\.", checked.split("\n## ")[0], re.M)}
    end = _phase_end(markdown)
    lines = _measures(markdown)
    for number in (int(n) for n in m[1].split("、")):
        assert number not in check_numbers, (sector, number)  # not an area still to check
        deadline = re.search(r"完成时限：(.+?)。", lines[number]).group(1)
        day = re.fullmatch(r"(\d+)月(\d+)日前", deadline)
        assert day, (sector, deadline)  # a date, not 长期坚持 or 12月底前
        assert dt.date(end.year, int(day[1]), int(day[2])) <= end, (sector, deadline)


def test_a_draft_never_proposes_what_is_due_after_the_campaign():
    from dangjian.generators.rectification import CHECK_PART, LEADERS_PART, Item, draft_hot

    def item(n, term, hot=False, part=LEADERS_PART):
        return Item(n, f"问题{n}", f"措施{n}", "某某", "", "", hot=hot, part=part, term=term)

    items = [item(1, "later", hot=True), item(2, "long", hot=True), item(3, "end", hot=True, part=CHECK_PART),
             item(4, "soon"), item(5, "end", hot=True)]
    assert [i.number for i in draft_hot(items)] == [5]  # marked, own, dated within the phase
    items[4].hot = False
    assert [i.number for i in draft_hot(items)] == [4, 5]  # none marked: the own findings due within it


def test_the_community_draft_says_where_the_publics_opinions_went_and_lists_them_when_given(tmp_path):
    markdown = _draft("community").markdown
    assert "意见建议126条" in markdown and "归纳列入以下问题" in markdown
    text = (SETS / "community.yaml").read_text(encoding="utf-8").replace(
        "    征求意见条数: 126\n",
        "    征求意见条数: 126\n    群众意见: [楼道照明坏了没人修, 低保评审不公开]\n")
    profile = tmp_path / "社区.yaml"
    profile.write_text(text, encoding="utf-8")
    markdown = _draft("community", profile).markdown
    assert "主要有：楼道照明坏了没人修；低保评审不公开。" in markdown


def test_the_packs_answers_are_well_formed():
    for key, block in blocks(load_campaign(None)).items():
        for answer in block.answers:
            assert answer.covers, (key, answer.problem)
            for number in answer.defaults:
                assert number in answer.measure, (key, number)
            for word in PLACEHOLDERS:
                assert word not in answer.measure


def test_grouped_problems_that_include_a_criticism_are_the_leaderships(tmp_path):
    profile = _community_with(tmp_path, {"宣传工作形式单一，对离退休党员的学习辅导不够": "对上级精神领会不深，工作缺乏创新",
                                         "对居民反映的环境卫生问题，班子研究多、落实慢": "班子民主决策程序执行不严"})
    markdown = _draft("community", profile).markdown
    assert re.search(r"^针对第\d+、\d+项（领导班子的问题）：班子成员对照", markdown, re.M)


def test_the_draft_counts_its_own_problems_apart_from_the_aspects_to_check():
    """Review r6: "十个方面需要整改的问题" counted two sector aspects the school had not found, with measures as if
    they were its own."""
    from pathlib import Path

    from dangjian.generators.api import generate

    text = generate("整改方案", Path(__file__).parent / "fixtures" / "sets" / "school.yaml", fmt="md",
                    citations=False).markdown
    assert "初步梳理出以下八个方面需要整改的问题，另列两个需要对照检查的方面" in text
    assert "9.针对“学生上下学安全和校园周边环境有隐患”：经公示核实确有问题的，" in text
