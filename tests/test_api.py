"""The KnowledgeBase API: search, filters, bad queries, import, removal, locking, rollback."""

from __future__ import annotations

import json
import os

import pytest

from dangjian.kb.api import KnowledgeBase
from dangjian.kb.errors import (
    DangjianError,
    IndexBusyError,
    NotFoundError,
    QueryError,
    UnknownNameError,
)
from dangjian.kb.model import Document, Passage
from dangjian.kb.store import WriteLock, resolve_home


# -- searching -------------------------------------------------------------------------------


def test_question_finds_the_mailing_passage_first(shared_kb):
    hit = shared_kb.search("流动党员如何参加学习")[0]
    assert hit.passage.id == "xjx2005:3.4.1.3"
    assert "邮寄学习资料" in hit.passage.text
    assert "【流动】" in hit.snippet and "【学习】" in hit.snippet
    assert 60 <= len(hit.snippet.replace("【", "").replace("】", "")) <= 130
    assert hit.title == "在第二批先进性教育活动工作培训会上的讲话"
    assert "mobile" in hit.passage.tags["member"]


def test_passages_with_all_words_rank_before_passages_with_some(shared_kb):
    hits = shared_kb.search("巡回检查组 信息反馈", limit=20)
    both = [("巡回检查组" in h.passage.text and "信息反馈" in h.passage.text) for h in hits]
    assert both[0] and both == sorted(both, reverse=True)
    assert len(hits) > sum(both), "passages with only one word are still found (OR)"


def test_everyday_words_find_the_guidance_wording_through_synonyms(shared_kb):
    hits = shared_kb.search("打工的党员")
    assert "打工" not in "".join(h.passage.text for h in hits)
    assert "【流动】" in hits[0].snippet or "【务工】" in hits[0].snippet
    hit = shared_kb.search("老人怎么学习")[0]
    assert hit.passage.id == "xjx2005:3.4.1.3" and "【年老体弱】" in hit.snippet


def test_user_synonyms_apply_without_a_rebuild(kb_home):
    (kb_home / "taxonomy.yaml").write_text("synonyms:\n  居家: [送学]\n", encoding="utf-8")
    with KnowledgeBase.open(kb_home) as kb:
        hit = kb.search("居家党员")[0]
    assert "送学" in hit.passage.text and "【送学】" in hit.snippet


@pytest.mark.parametrize("query", ['"整改提高"', "“整改提高”", "「整改提高」"], ids=["ascii", "chinese", "corner"])
def test_quoted_phrase_is_exact(shared_kb, query):
    hits = shared_kb.search(query, limit=50)
    assert hits and all("整改提高" in h.passage.text for h in hits)
    assert all("【整改提高】" in h.snippet for h in hits)


def test_quoted_phrase_matches_however_the_segmenter_cut_it(shared_kb):
    # In the text the segmenter cuts 要开好…; on its own 开好 becomes 开/好.
    hits = shared_kb.search('"开好专题组织生活会"')
    assert [h.passage.id for h in hits] == ["xjx2005:1.4.1.3"]


def test_words_out_of_order_are_not_a_phrase(shared_kb):
    assert shared_kb.search('"提高整改"') == []
    assert shared_kb.search("提高整改")  # unquoted: the words are enough


def test_phrase_plus_words(shared_kb):
    hits = shared_kb.search('"整改提高" 群众')
    assert hits and all("整改提高" in h.passage.text for h in hits)
    assert "群众" in hits[0].passage.text


@pytest.mark.parametrize(
    "filters",
    [{"sector": "社区"}, {"sector": "community"}, {"sector": "街道社区"}],
    ids=["chinese", "english", "alias"],
)
def test_sector_filter_in_chinese_or_english(shared_kb, filters):
    hits = shared_kb.search("党员", limit=50, **filters)
    assert hits and all("community" in h.passage.tags.get("sector", []) for h in hits)
    assert {h.passage.id for h in hits} == {h.passage.id for h in shared_kb.search("党员", limit=50, sector="社区")}


@pytest.mark.parametrize(
    "facet, value, key",
    [("phase", "分析评议", "evaluate"), ("member", "年老体弱", "elderly"), ("topic", "工作制度", "systems")],
    ids=["phase", "member", "topic"],
)
def test_other_filters(shared_kb, facet, value, key):
    hits = shared_kb.search("党员 工作", limit=50, **{facet: value})
    assert hits and all(key in h.passage.tags.get(facet, []) for h in hits)


def test_passages_under_part_one_item_four_are_phase_evaluate(shared_kb):
    document = shared_kb.document("xjx2005")
    under = [p for p in document.passages if (p.part, p.item) == (1, 4)]
    assert under and all("evaluate" in p.tags.get("phase", []) for p in under)


def test_doc_filter_by_id_or_title(shared_kb):
    assert shared_kb.search("督导组", doc="xjx2005")
    assert shared_kb.search("督导组", doc="《在第二批先进性教育活动工作培训会上的讲话》")
    with pytest.raises(NotFoundError, match="kb docs"):
        shared_kb.search("督导组", doc="nosuchdoc")


def test_unknown_filter_value_lists_choices(shared_kb):
    with pytest.raises(UnknownNameError, match="学校 \\(school\\)"):
        shared_kb.search("党员", sector="火星")


def test_limit(shared_kb):
    assert len(shared_kb.search("党员", limit=3)) == 3
    assert [h.rank for h in shared_kb.search("党员", limit=3)] == [1, 2, 3]
    for bad in (0, -1, 100000, "5"):
        with pytest.raises(QueryError):
            shared_kb.search("党员", limit=bad)


BAD_QUERIES = [
    ("", "error"),
    ("   ", "error"),
    ("，。！？", "error"),
    ("((", "error"),
    ('"', "error"),
    ("“”", "error"),
    ("x" * 10_000, "error"),
    ('"整改提高', "hits"),
    ("（分析评议", "hits"),
    ("流动党员)", "hits"),
    ("AND", "any"),
    ("OR NOT", "any"),
    ("流动党员 AND 学习", "hits"),
    ("整改 OR", "hits"),
    ("NOT 整改", "hits"),
    ("流动\x00党员\x07", "hits"),
    ("title:整改 *:* ~2 ^3 [a TO b]", "hits"),
    ("的", "any"),
    ("什么", "any"),
    ("党员" * 900, "hits"),
]


@pytest.mark.parametrize("query, outcome", BAD_QUERIES, ids=[repr(q[:20]) for q, _ in BAD_QUERIES])
def test_odd_queries_give_results_or_a_clear_error(shared_kb, query, outcome):
    try:
        hits = shared_kb.search(query)
    except QueryError as error:
        assert outcome == "error", f"unexpected error: {error}"
        assert str(error) and "\n" not in str(error) and "Traceback" not in str(error)
        return
    assert outcome != "error", f"expected a QueryError, got {len(hits)} hits"
    if outcome == "hits":
        assert hits


# -- reading ---------------------------------------------------------------------------------


def test_passage_and_neighbours(shared_kb):
    passage = shared_kb.passage("xjx2005:3.4.1.3")
    assert "邮寄学习资料" in passage.text
    before, after = shared_kb.neighbours("xjx2005:3.4.1.3", n=1)
    assert [p.id for p in before] == ["xjx2005:3.4.1.2"] and [p.id for p in after] == ["xjx2005:3.4.1.4"]
    first = shared_kb.document("xjx2005").passages[0]
    before, after = shared_kb.neighbours(first.id, n=2)
    assert before == [] and len(after) == 2


@pytest.mark.parametrize("bad", ["xjx2005:9.9.9.9", "nodoc:1.1.1.1", "garbage", ":1.1"],
                         ids=["no-passage", "no-doc", "no-colon", "empty-doc"])
def test_missing_passage_is_not_found(shared_kb, bad):
    with pytest.raises(NotFoundError):
        shared_kb.passage(bad)


def test_documents_lists_the_bundled_guidance(shared_kb):
    (document,) = shared_kb.documents()
    assert document.id == "xjx2005" and document.bundled and document.gaps


# -- adding ----------------------------------------------------------------------------------

NOTICE = "关于开展学习活动的通知\n\n各党支部：\n\n一、学习内容\n\n认真学习党章，组织党员开展读书交流，每季度召开一次座谈会。\n"


def test_add_text_file_then_search_it(kb, tmp_path):
    path = tmp_path / "通知.txt"
    path.write_text(NOTICE, encoding="utf-8")
    report = kb.add([path])
    assert report.ok and len(report.added) == 1
    doc_id = report.added[0].doc_id
    hits = kb.search("读书交流")
    assert hits and hits[0].passage.doc_id == doc_id
    assert doc_id in {d.id for d in kb.documents()}
    assert KnowledgeBase.open(kb.home).search("读书交流")[0].passage.doc_id == doc_id


def test_gb18030_file(kb, tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(NOTICE.replace("读书交流", "读书笔记交流").encode("gb18030"))
    assert kb.add(path).ok
    assert "读书笔记交流" in kb.search('"读书笔记交流"')[0].passage.text


def test_same_content_twice_is_skipped(kb, tmp_path):
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(NOTICE, encoding="utf-8")
    report = kb.add([tmp_path / "a.txt", tmp_path / "b.txt"])
    assert [r.status for r in report.results] == ["added", "skipped"]
    assert "相同" in report.skipped[0].message
    again = kb.add([tmp_path / "a.txt"])
    assert [r.status for r in again.results] == ["skipped"]


def test_folder_is_imported_recursively_and_each_file_fails_alone(kb, tmp_path):
    folder = tmp_path / "材料"
    (folder / "子目录").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    (folder / "一.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "子目录" / "二.md").write_text("# 整改台账说明\n\n整改台账要逐项销号，注明责任人和时限。\n", encoding="utf-8")
    (folder / "子目录" / "坏.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "空.txt").write_text("", encoding="utf-8")
    (folder / ".hidden" / "隐藏.txt").write_text("隐藏文件不应导入。", encoding="utf-8")
    (folder / "图片.png").write_bytes(b"\x89PNG")
    report = kb.add([folder, tmp_path / "不存在.txt"])
    status = {os.path.basename(r.path): r.status for r in report.results}
    assert status == {"一.txt": "added", "二.md": "added", "坏.txt": "failed", "空.txt": "failed",
                      "不存在.txt": "failed", "图片.png": "skipped"}
    assert all(r.message for r in report.failed)
    assert kb.search("整改台账 销号")[0].passage.text.startswith("整改台账")
    assert report.summary() == "导入 2 个，跳过 1 个，失败 3 个"


def test_failed_index_write_keeps_nothing_and_loses_nothing(kb, tmp_path, monkeypatch):
    from dangjian.kb import index as index_module

    before_docs = sorted(p.name for p in (kb.home / "docs").iterdir())
    before_catalog = (kb.home / "catalog.json").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")

    def broken(self, add=(), delete=(), progress=None):
        for _ in add:
            pass
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index_module.Index, "write", broken)
    report = kb.add([tmp_path / "a.txt"])
    assert [r.status for r in report.results] == ["failed"] and "撤销" in report.failed[0].message
    monkeypatch.undo()
    assert sorted(p.name for p in (kb.home / "docs").iterdir()) == before_docs
    assert (kb.home / "catalog.json").read_text(encoding="utf-8") == before_catalog
    fresh = KnowledgeBase.open(kb.home)
    assert fresh.search("读书交流") == [] or all(h.passage.doc_id == "xjx2005" for h in fresh.search("读书交流"))
    assert fresh.search("流动党员如何参加学习")[0].passage.id == "xjx2005:3.4.1.3"


def test_add_documents_in_bulk(kb):
    docs = []
    for n in range(3):
        text = f"第{n}号通报：某某社区开展送学上门活动，共走访年老体弱党员若干名。编号{n}"
        passage = Passage(f"gen{n}:0.0.1.1", f"gen{n}", 0, 0, 1, 1, text, f"《通报{n}》第1段")
        docs.append(Document(f"gen{n}", f"通报{n}", "generated", f"{n:064d}", passages=[passage]))
    docs.append(docs[0])
    report = kb.add_documents(docs)
    assert [r.status for r in report.results] == ["added", "added", "added", "skipped"]
    hits = kb.search("走访 年老体弱", limit=5)
    assert {h.passage.doc_id for h in hits[:3]} == {"gen0", "gen1", "gen2"}
    assert "elderly" in hits[0].passage.tags["member"]


def test_clashing_document_id_gets_a_suffix(kb):
    passage = Passage("xjx2005:0.0.1.1", "xjx2005", 0, 0, 1, 1, "另一份同编号的文件正文。", "《另一份》第1段")
    report = kb.add_documents([Document("xjx2005", "另一份", "x", "f" * 64, passages=[passage])])
    assert report.added[0].doc_id == "xjx2005-2"
    assert kb.passage("xjx2005-2:0.0.1.1").text == "另一份同编号的文件正文。"


# -- removing, rebuilding, locking -----------------------------------------------------------


def test_remove_user_document(kb, tmp_path):
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    doc_id = kb.add([tmp_path / "a.txt"]).added[0].doc_id
    assert kb.remove(doc_id).id == doc_id
    assert kb.search("读书交流") == [] or all(h.passage.doc_id != doc_id for h in kb.search("读书交流"))
    with pytest.raises(NotFoundError):
        kb.passage(f"{doc_id}:1.0.1.1")
    with pytest.raises(NotFoundError):
        kb.remove(doc_id)


def test_removed_bundled_document_stays_removed_until_restored(kb):
    kb.remove("xjx2005")
    assert kb.search("流动党员") == []
    assert KnowledgeBase.open(kb.home).documents() == []
    info = kb.rebuild(restore_bundled=True)
    assert info.documents == 1
    assert kb.search("流动党员")


def test_rebuild_keeps_user_documents(kb, tmp_path):
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    kb.add([tmp_path / "a.txt"])
    info = kb.rebuild()
    assert info.documents == 2
    assert kb.search("读书交流")[0].passage.doc_id != "xjx2005"


def test_writer_waits_then_reports_busy(kb_home, tmp_path):
    kb = KnowledgeBase.open(kb_home, lock_timeout=0.2)
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    with WriteLock(kb_home / "write.lock"):
        with pytest.raises(IndexBusyError, match="稍后再试"):
            kb.add([tmp_path / "a.txt"])
        assert kb.search("流动党员")  # readers never wait
    assert kb.add([tmp_path / "a.txt"]).ok


def test_another_process_writes_are_seen_by_an_open_reader(kb_home, tmp_path):
    reader = KnowledgeBase.open(kb_home)
    assert all(h.passage.doc_id == "xjx2005" for h in reader.search("读书交流"))
    writer = KnowledgeBase.open(kb_home)
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    writer.add([tmp_path / "a.txt"])
    assert any(h.passage.doc_id != "xjx2005" for h in reader.search("读书交流"))
    writer.rebuild()
    assert any(h.passage.doc_id != "xjx2005" for h in reader.search("读书交流"))


def test_damaged_state_file_makes_a_rebuild(kb_home):
    (kb_home / "state.json").write_text("{not json", encoding="utf-8")
    assert KnowledgeBase.open(kb_home).search("流动党员如何参加学习")[0].passage.id == "xjx2005:3.4.1.3"
    assert json.loads((kb_home / "state.json").read_text(encoding="utf-8"))["build_id"]


# whoosh leaves the damaged segment file open when it fails to read it
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_damaged_index_is_a_clear_error_and_rebuild_fixes_it(kb_home):
    import gc

    for path in (kb_home / "index").glob("*.seg"):
        path.write_bytes(b"garbage")
    kb = KnowledgeBase.open(kb_home)
    with pytest.raises(DangjianError, match="kb index --rebuild"):
        kb.search("流动党员")
    gc.collect()
    kb.rebuild()
    assert kb.search("流动党员")


def test_home_resolution(monkeypatch, tmp_path):
    assert resolve_home(tmp_path / "x") == tmp_path / "x"
    monkeypatch.setenv("DANGJIAN_HOME", str(tmp_path / "env"))
    assert resolve_home() == tmp_path / "env"
    monkeypatch.delenv("DANGJIAN_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_home() == tmp_path / "xdg" / "dangjian"


def test_home_that_is_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(DangjianError, match="不是文件夹"):
        KnowledgeBase.open(tmp_path / "file")


def test_hit_json_fields(shared_kb):
    data = shared_kb.search("督导组", limit=1)[0].to_dict()
    assert {"id", "doc", "title", "path", "text", "snippet", "score", "tags"} <= set(data)
    json.dumps(data, ensure_ascii=False)


def test_unwritable_home_is_a_clear_error(kb_home, tmp_path):
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    kb = KnowledgeBase.open(kb_home)
    lock = kb_home / "write.lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()  # the lock file cannot be opened, as in a read-only folder
    with pytest.raises(DangjianError, match="无法写入知识库目录"):
        kb.add([tmp_path / "a.txt"])
    assert kb.search("流动党员")


def test_a_table_too_wide_even_for_a_landscape_page_is_warned():
    from dangjian.generators.api import _wide_table_warnings

    columns = 16
    source = ("# 表\n\n| " + " | ".join(f"出生年月{i}" for i in range(columns)) + " |\n|" + "---|" * columns + "\n| "
              + " | ".join("2005年9月30日" for _ in range(columns)) + " |\n")
    (warning,) = _wide_table_warnings(source, "统计表")
    assert "共16列" in warning and "横排也放不下" in warning and "“2005年9月30日”" in warning
    assert _wide_table_warnings(source.replace("| 2005年9月30日", "| 1").replace("出生年月", "项"), "统计表") == []
