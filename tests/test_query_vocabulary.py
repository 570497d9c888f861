"""Question words, synonym keys the segmenter splits, numeral forms on both sides of the search."""

from __future__ import annotations

import pytest

from dangjian.kb import numerals, query, taxonomy
from dangjian.kb.api import KnowledgeBase
from dangjian.kb.outline import build_document
from dangjian.kb.readers import Block


@pytest.mark.parametrize("text, expected", [
    ("到二〇三五年基本实现", "到2035年基本实现"),
    ("到二○三五年基本实现", "到2035年基本实现"),
    ("一九九八年一月", "1998年一月"),
    ("2035年", "2035年"),
    ("第一二三条", "第一二三条"),
    ("一一一一年", "一一一一年"),
    ("○", "〇"),
])
def test_numerals_are_normalized_keeping_the_length(text, expected):
    assert numerals.normalize(text) == expected
    assert len(numerals.normalize(text)) == len(text)


@pytest.mark.parametrize("text, wanted", [
    ("预备期多长时间", ["预备期"]),
    ("党支部委员会任期几年", ["党支部", "委员会", "任期"]),
    ("领导辞职有哪几种", ["领导", "辞职"]),
    ("党徽是什么样的", ["党徽"]),
])
def test_question_words_are_dropped(text, wanted):
    parsed = query.parse(text)
    assert [w.text for w in parsed.words if not w.weak] == wanted


def test_a_question_of_question_words_only_still_searches():
    assert [w.text for w in query.parse("多长时间").words] == ["多长时间"]


def test_question_word_with_synonyms_counts():
    parsed = query.parse("政务处分有几种", {"几种": ("种类",)})
    assert [(w.text, w.synonyms) for w in parsed.words if w.synonyms] == [("几种", ("种类",))]


def test_synonym_key_the_segmenter_splits_is_joined():
    parsed = query.parse("私自出国办护照怎么处理", {"私自出国": ("因私出境",), "护照": ("出境证件",)})
    words = {w.text: w for w in parsed.words}
    assert words["私自出国"].synonyms == ("因私出境",)
    assert words["私自出国"].subwords == ("私自", "出国")
    assert "私自" not in words and "出国" not in words


def test_shipped_synonyms_cover_everyday_wording():
    synonyms = taxonomy.load("/nonexistent-home-for-test").synonyms
    for word, wording in [("信教", "信仰宗教"), ("红包", "礼金"), ("失联", "失去联系"), ("转正", "转为正式党员"),
                          ("半年", "六个月"), ("办酒席", "操办婚丧喜庆事宜"), ("网上", "网络"), ("私自出国", "因私出境")]:
        assert wording in synonyms[word], word
    assert len(synonyms) >= 150


def test_split_synonym_keys_are_warned_about(tmp_path):
    (tmp_path / "taxonomy.yaml").write_text("synonyms:\n  私自出国: [因私出境]\n  红包: [礼金]\n", encoding="utf-8")
    warnings = taxonomy.load(tmp_path).synonym_warnings()
    assert any("私自出国" in w and "私自/出国" in w for w in warnings)
    assert not any("“红包”" in w for w in warnings)


@pytest.fixture
def kb(tmp_path):
    base = KnowledgeBase.open(tmp_path)
    doc = build_document([Block("到二〇三五年基本实现社会主义现代化。"), Block("对党员的处分种类为警告和严重警告。"),
                          Block("接待单位不得提供香烟和高档酒水。")], title="某某报告", source="r.txt", doc_id="r")
    base.add_documents([doc])
    yield base
    base.close()


@pytest.mark.parametrize("text", ["2035年", "二○三五年", "二〇三五年", '"二○三五年"', "“2035年基本实现”"])
def test_years_are_found_in_any_form(kb, text):
    hits = kb.search(text, doc="r")
    assert hits and hits[0].passage.text.startswith("到二〇三五年")


def test_everyday_word_finds_the_regulation_wording(kb):
    hits = kb.search("接待能不能上烟酒", doc="r")
    assert hits and "香烟" in hits[0].passage.text
    assert "【香烟】" in hits[0].snippet


def test_the_shipped_taxonomy_reads_the_same_with_libyaml_and_the_restricted_loader():
    import importlib.resources

    from dangjian.kb.errors import InputError
    from dangjian.kb.yamlfile import load_yaml

    text = importlib.resources.files("dangjian.corpus").joinpath("taxonomy.yaml").read_text(encoding="utf-8")
    assert taxonomy._read_yaml(text, "corpus/taxonomy.yaml", shipped=True) == load_yaml(text, "t", error=InputError)


def test_kb_index_warns_about_the_users_split_synonym_keys(tmp_path, run_kb):
    (tmp_path / "taxonomy.yaml").write_text("synonyms:\n  私自出国: [因私出境]\n  红包: [礼金]\n", encoding="utf-8")
    result = run_kb("index", home=tmp_path)
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("提示：")]
    assert len(notes) == 1 and "私自出国" in notes[0]


def test_every_shipped_key_the_segmenter_splits_is_still_found_as_typed():
    tax = taxonomy.load("/nonexistent-home-for-test")
    split = [k for k in tax.synonyms if len(__import__("dangjian.kb.segment", fromlist=["words"]).words(k)) > 1]
    assert split
    for key in split:
        words = [w.text for w in query.parse(key, tax.synonyms).words]
        assert key in words, (key, words)
