"""The whoosh index: word positions are ordinals so phrases match; versions trigger rebuilds."""

from __future__ import annotations

import json

import pytest

from dangjian.kb import segment
from dangjian.kb.api import KnowledgeBase
from dangjian.kb.index import CharTokenizer, Index, WordTokenizer, count, phrase_query, versions
from dangjian.kb.model import Document, Passage

TEXT = "第六，大力开展主题实践活动，不断体现和落实党的先进性。要开好专题组织生活会，抓好整改提高。"


@pytest.fixture
def tiny_index(tmp_path):
    passage = Passage("t:1.1.1.1", "t", 1, 1, 1, 1, TEXT, "《测试》一、第一 第1段")
    index = Index.create(tmp_path / "ix")
    index.write(add=[Document("t", "测试", "test", "0" * 64, passages=[passage])])
    index.close()
    return tmp_path / "ix"


def test_word_tokenizer_positions_are_ordinals_not_character_offsets():
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in WordTokenizer()("体现和落实党的先进性", positions=True, chars=True)]
    main = [(text, pos) for text, pos, _, _ in tokens if text in ("体现", "和", "落实", "党", "的", "先进性")]
    assert main == [("体现", 0), ("和", 1), ("落实", 2), ("党", 3), ("的", 4), ("先进性", 5)]
    assert ("落实", 2, 3, 5) in tokens  # characters stay offsets, for highlighting


def test_char_tokenizer_positions_are_ordinals():
    tokens = [(t.text, t.pos) for t in CharTokenizer()("党的，先进性", positions=True)]
    assert tokens == [("党", 0), ("的", 1), ("先", 2), ("进", 3), ("性", 4)]


@pytest.mark.parametrize(
    "field, phrase, hits",
    [
        ("text", "整改提高", 1),
        ("text", "体现和落实党的先进性", 1),
        ("text", "抓好整改提高", 1),
        ("text", "先进性的党落实", 0),
        ("chars", "落实党的先进", 1),
        ("chars", "先进的党", 0),
    ],
    ids=["one-word", "six-words", "two-words", "words-out-of-order", "chars-across-words", "chars-out-of-order"],
)
def test_phrase_queries_need_adjacent_words_in_order(tiny_index, field, phrase, hits):
    words = segment.words(phrase) if field == "text" else [t.text for t in segment.char_tokens(phrase)]
    assert count(tiny_index, phrase_query(field, words)) == hits


def test_versions_name_schema_analyzer_and_dictionary():
    v = versions()
    assert set(v) == {"schema", "analyzer", "dict"}
    assert v["dict"] == segment.dict_version()


def test_reopening_a_current_index_does_not_rebuild(kb_home):
    before = json.loads((kb_home / "state.json").read_text(encoding="utf-8"))["build_id"]
    KnowledgeBase.open(kb_home).close()
    after = json.loads((kb_home / "state.json").read_text(encoding="utf-8"))["build_id"]
    assert before == after


@pytest.mark.parametrize("key", ["dict", "analyzer", "schema", "taxonomy"])
def test_index_is_rebuilt_when_a_version_changes(kb_home, key):
    state_file = kb_home / "state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state["versions"][key] = "old"
    state_file.write_text(json.dumps(state), encoding="utf-8")
    messages: list[str] = []
    kb = KnowledgeBase.open(kb_home, progress=messages.append)
    new_state = json.loads(state_file.read_text(encoding="utf-8"))
    assert new_state["versions"][key] != "old" and new_state["build_id"] != state["build_id"]
    assert any("重建" in m for m in messages)
    assert kb.search("流动党员", limit=1)


def test_user_taxonomy_change_rebuilds_and_tags(kb_home):
    (kb_home / "taxonomy.yaml").write_text("topic:\n  ledger:\n    name: 台账\n    keywords: [邮寄学习资料]\n",
                                           encoding="utf-8")
    kb = KnowledgeBase.open(kb_home)
    hits = kb.search("学习", topic="台账")
    assert [h.passage.id for h in hits] == ["xjx2005:3.4.1.3"]


def test_first_use_indexes_the_bundled_guidance(tmp_path):
    messages: list[str] = []
    kb = KnowledgeBase.open(tmp_path / "new", progress=messages.append)
    info = kb.info()
    assert info.documents == 1 and info.passages >= 30
    assert any("首次使用" in m for m in messages)
    assert (tmp_path / "new" / "docs").is_dir()


def test_missing_index_directory_is_rebuilt(kb_home):
    import shutil

    shutil.rmtree(kb_home / "index")
    kb = KnowledgeBase.open(kb_home)
    assert "督导组" in kb.search("督导组", limit=1)[0].passage.text


def test_bundled_document_is_refreshed_when_its_passages_change(kb_home):
    import json as json_module

    path = kb_home / "docs" / "xjx2005.json"
    data = json_module.loads(path.read_text(encoding="utf-8"))
    data["passages"] = data["passages"][:3]  # as if older ingest code had cut it differently
    path.write_text(json_module.dumps(data, ensure_ascii=False), encoding="utf-8")
    state_file = kb_home / "state.json"
    state = json_module.loads(state_file.read_text(encoding="utf-8"))
    state["bundled"] = "older-release"
    state_file.write_text(json_module.dumps(state), encoding="utf-8")
    kb = KnowledgeBase.open(kb_home)
    assert len(kb.document("xjx2005").passages) > 30
    assert kb.search("流动党员如何参加学习")[0].passage.id == "xjx2005:3.4.1.3"


def test_removed_document_disappears_from_an_open_knowledge_base(kb_home):
    from dangjian.kb.outline import build_document
    from dangjian.kb.readers import Block

    kb = KnowledgeBase.open(kb_home)
    document = build_document([Block(f"第{i}段：琢磨不透的测试词语出现在这里。") for i in range(3)],
                              title="测试", source="t.txt")
    kb.add_documents([document])
    assert len(kb.search("琢磨不透")) == 3
    kb.remove(document.id)
    assert kb.search("琢磨不透") == []
    kb.close()
