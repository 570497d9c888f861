"""Campaign packs: the bundled 2005 pack is complete and every citation resolves; broken packs are reported by YAML path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dangjian.generators.campaign import check_campaign, load_campaign, pack_path
from dangjian.kb.bundled import bundled_documents
from dangjian.kb.errors import CampaignError, NotFoundError

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_resolver():
    """Resolve IDs of the test guidance (a 两学一做-style summary) built by the real ingest code."""
    from dangjian.kb.outline import build_document
    from dangjian.kb.readers import read_plain_text

    text = (FIXTURES / "guidance" / "lxyz2016.txt").read_text(encoding="utf-8")
    blocks, title = read_plain_text(text)
    doc = build_document(blocks, title=title or "学习教育要点", source="fixture", doc_id="lxyz2016", meta={})
    passages = {p.id: p for p in doc.passages}

    def resolve(passage_id):
        if passage_id not in passages:
            raise NotFoundError(passage_id)
        return passages[passage_id]

    return resolve


def test_bundled_pack_passes_check_and_cites_the_knowledge_base(shared_kb):
    result = check_campaign("xjx2005", resolve=shared_kb.passage)
    assert result.ok, result.summary()
    assert result.citations > 100
    pack = result.campaign
    assert [u.name for u in pack.structure.units] == ["学习动员", "分析评议", "整改提高"]
    assert pack.structure.fixed_order and pack.structure.key_unit == "evaluate"
    assert [i.name for i in pack.formulas["four_ones"].items] == ["一条主线", "一个主题", "一个着眼点", "一个方针"]
    assert len(pack.formulas["five_principles"].items) == 5
    assert [i.name for i in pack.formulas["four_sentences"].items] == [
        "提高党员素质", "加强基层组织", "服务人民群众", "促进各项工作"]
    assert len(pack.preparation.items) == 4 and pack.preparation.name == "四个清楚"
    assert [b.name for b in pack.bodies] == ["领导小组", "领导小组办公室", "巡回检查组", "督导组"]
    assert [len(b.duties) for b in pack.bodies] == [4, 4, 3, 4]
    assert [s.name for s in pack.systems] == ["领导干部联系点制度", "群众监督评价制度", "督促检查制度", "信息反馈制度"]
    assert pack.evaluation.grades == [] and pack.evaluation.handling_phase is False
    assert pack.parameter("months") == 3 and pack.parameters["months"].minimum == 3
    assert {"community", "school", "township", "soe"} <= {k for k, s in pack.sectors.items() if s.focus}
    assert not pack.sectors["private"].focus and pack.sectors["private"].fallback
    assert pack.members["elderly"].method == "送学、帮学" and pack.members["elderly"].eased


def test_every_citation_of_the_bundled_pack_is_a_real_passage():
    ids = {p.id for d in bundled_documents() for p in d.passages}
    text = pack_path("xjx2005").read_text(encoding="utf-8")
    cited = set(__import__("re").findall(r"xjx2005:\d+\.\d+\.\d+\.\d+", text))
    assert cited and cited <= ids


def _broken(tmp_path, change) -> Path:
    data = yaml.safe_load(pack_path("xjx2005").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _set(path, value):
    def change(data):
        *head, last = path
        node = data
        for key in head:
            node = node[key]
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value
    return change


_DELETE = object()


@pytest.mark.parametrize(
    "change, where, words",
    [
        (_set(["sectors", "school", "sources", 0], "xjx2005:9.9.9.9"), "sectors.school.sources[0]", ["找不到"]),
        (_set(["sectors", "school", "quote"], "发展素质教育"), "sectors.school.quote", ["不在所引段落中"]),
        (_set(["structure", "units", 1, "tasks", 0, "sources"], []), "structure.units[1].tasks[0].sources", ["不能为空"]),
        (_set(["bodies", 0, "duties"], _DELETE), "bodies[0].duties", ["缺少"]),
        (_set(["filing"], _DELETE), "filing", ["缺少"]),
        (_set(["sectors", "farm"], {"focus": "x", "sources": ["xjx2005:3.4.1.2"]}), "sectors.farm", ["社区 (community)"]),
        (_set(["members", "流动"], {"method": "x", "text": "y", "sources": ["xjx2005:3.4.1.3"]}), "members.流动", ["mobile"]),
        (_set(["structure", "units", 0, "share"], 0.9), "structure.units", ["share"]),
        (_set(["structure", "kind"], "waves"), "structure.kind", ["phases"]),
        (_set(["scope", "sources", 0], "三.4"), "scope.sources[0]", ["不是段落编号"]),
        (_set(["parameters", "start", "default"], "2005-02-30"), "parameters.start.default", ["不存在"]),
        (_set(["evaluation", "colour"], "red"), "evaluation.colour", ["未知字段"]),
    ],
    ids=["citation-not-found", "quote-not-in-passage", "empty-sources", "missing-duties", "missing-filing",
         "unknown-sector", "chinese-member-key", "shares-not-one", "bad-structure-kind", "malformed-id",
         "impossible-default-date", "unknown-field"],
)
def test_broken_pack_problems_name_the_yaml_path(tmp_path, change, where, words):
    result = check_campaign(_broken(tmp_path, change))
    assert not result.ok
    lines = [str(p) for p in result.problems if p.path == where]
    assert lines, result.summary()
    for word in words:
        assert any(word in line for line in lines), lines


def test_load_campaign_refuses_a_broken_pack_with_one_line(tmp_path):
    path = _broken(tmp_path, _set(["bodies", 0, "duties"], _DELETE))
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    assert "bodies[0].duties" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "name, message",
    [("xjx1999", "没有名为"), ("missing.yaml", "找不到")],
    ids=["unknown-id", "missing-file"],
)
def test_unknown_pack(name, message):
    with pytest.raises(CampaignError, match=message):
        load_campaign(name)


def test_a_continuous_pack_with_grades_fits_the_model():
    path = FIXTURES / "campaigns" / "lxyz2016.yaml"
    result = check_campaign(path, resolve=fixture_resolver())
    assert result.ok, result.summary()
    pack = result.campaign
    assert pack.structure.kind == "continuous"
    assert all(u.share is None for u in pack.structure.units)
    assert pack.evaluation.grades == ["优秀", "合格", "基本合格", "不合格"]
    # Checked against the bundled guidance only, its citations do not resolve: the check says so.
    assert not check_campaign(path).ok
