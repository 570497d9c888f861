"""整改方案: the rectification phase's plan, with the problems and the 整改台账 when a problem list is given."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

from dangjian.generators.api import document_types, generate
from dangjian.generators.campaign import load_campaign, passage_resolver
from dangjian.generators.check import check_docx
from dangjian.kb.cli import cli
from docx_helpers import docx_text, in_order

PROFILES = Path(__file__).parent / "fixtures" / "profiles"
PROBLEMS = Path(__file__).parent / "fixtures" / "rosters" / "problems.csv"
PACK = Path(__file__).parent / "fixtures" / "campaigns" / "lxyz2016.yaml"


def test_registered_under_chinese_and_english_names():
    kinds = {t.key: t for t in document_types()}
    assert kinds["rectification_plan"].name == "整改方案"
    assert kinds["rectification_plan"].phase == "rectify"


def test_without_a_problem_list_the_problems_are_left_to_fill_in(tmp_path):
    out = tmp_path / "整改方案.docx"
    result = generate("整改方案", PROFILES / "community.yaml", output=out)
    text = docx_text(out)
    assert in_order(text.replace("\n", ""), ["整改方案（征求意见稿）", "指导思想和目标", "存在的主要问题", "征求党员和群众（社区居民和驻区单位）的意见",
                           "1.部分在职党员组织关系不在社区", "整改措施", "人人有整改措施、立说立行、解决一两个突出问题",
                           "1.在职党员服务社区的登记、报到和考核制度", "组织领导和责任分工", "第一责任人", "方法步骤",
                           "公示、征求党员群众意见后报督导组审核", "向群众公布整改情况", "群众满意度测评由上级党委会同督导组组织",
                           "工作要求", "整改情况通报会"])
    assert "（……）" not in text and text.count("人人有整改措施") == 1 and text.count("立说立行") == 1  # no list printed twice
    assert "整改台账" in text and "附件" not in text  # no ledger attached without problems; the 依据 is a file
    assert "编写依据" in docx_text(tmp_path / "整改方案.依据.docx")
    assert "着力构建城市社区党建工作新格局" in text  # the community sector's focus, from the pack
    # dated when the rectification phase begins (the default 3 months from 2005-07-01, default shares)
    assert re.search(r"二〇〇五年九月[一二三四五六七八九十]+日\n", text)
    assert any("整改提高阶段开始日期" in w for w in result.warnings)
    assert check_docx(out).ok


def test_problem_list_goes_into_the_plan_and_a_landscape_ledger(tmp_path):
    out = tmp_path / "整改方案.docx"
    generate("整改方案", PROFILES / "community.yaml", output=out, problems=PROBLEMS, citations="appendix")
    text = docx_text(out)
    assert in_order(text, ["存在的主要问题", "1.社区活动室冬季供暖不足（来源：征求意见）。",
                           "2.流动党员联系不畅（来源：党性分析）。", "见附件1", "附件：1.", "整改台账", "2.编写依据",
                           "附件1", "整改台账", "协调街道维修暖气管线", "附件2", "编写依据"])
    assert "党组织和领导班子方面" not in text
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>' in xml
    assert check_docx(out).ok


def test_a_single_ledger_is_the_unnumbered_attachment(tmp_path):
    out = tmp_path / "整改方案.docx"
    result = generate("整改方案", PROFILES / "community.yaml", output=out, problems=PROBLEMS)
    assert "见附件。" in result.markdown and "# 附件 某某社区党委整改台账" in result.markdown
    assert "附件1" not in result.markdown and "附件2" not in result.markdown
    assert check_docx(out).ok


def test_every_citation_resolves_to_a_guidance_passage(tmp_path):
    result = generate("整改方案", PROFILES / "township.yaml", fmt="md")
    ids = [s.passage_id for s in result.statements if s.kind == "guidance"]
    assert len(set(ids)) >= 5
    resolve = passage_resolver()
    for passage_id in ids:
        assert resolve(passage_id).text
    assert "编写依据" not in generate("整改方案", PROFILES / "township.yaml", fmt="md", citations=False).markdown


def test_a_continuous_campaign_without_phases_still_gets_a_plan(tmp_path):
    assert load_campaign(PACK).structure.kind != "phases"
    out = tmp_path / "整改方案.docx"
    # (citations off: the fixture pack cites a fixture guidance that is not in the bundled knowledge base)
    generate("整改方案", PROFILES / "community.yaml", output=out, campaign=PACK, citations=False)
    text = docx_text(out)
    assert "整改方案" in text.replace("\n", "") and "整改措施" in text and check_docx(out).ok


def test_cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["generate", "rectification_plan", "-p", str(PROFILES / "soe.yaml"),
                                      "--set", f"problems={PROBLEMS}"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "整改方案.docx").exists()
