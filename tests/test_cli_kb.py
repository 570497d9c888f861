"""The kb search/show/add/docs/remove/index commands, through click's CliRunner."""

from __future__ import annotations

import json

import pytest


def test_search_prints_rank_citation_snippet_and_tags(run_kb):
    result = run_kb("search", "流动党员如何参加学习", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1. 《在第二批先进性教育活动工作培训会上的讲话》三、第四")
    assert "[xjx2005:3.4.1.3]" in lines[0]
    assert "【流动】" in lines[1] and "\x1b[" not in result.stdout  # not a terminal: no colour codes
    assert "党员类别：" in lines[2] and "流动" in lines[2]
    assert sum(1 for line in lines if line[:2] in ("1.", "2.", "3.")) == 3


def test_search_words_may_be_separate_arguments(run_kb):
    result = run_kb("search", "巡回检查组", "职责")
    assert result.exit_code == 0 and "[xjx2005:2.1.2.1]" in result.stdout.splitlines()[0]


def test_search_json(run_kb):
    result = run_kb("search", "督导组", "--json", "--limit", "2")
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert len(hits) == 2
    assert {"id", "doc", "title", "path", "text", "snippet", "score", "tags"} <= set(hits[0])
    assert "督导组" in result.stdout  # ensure_ascii=False: Chinese as is


def test_search_with_filters(run_kb):
    result = run_kb("search", "着力点", "--sector", "学校", "--json")
    assert [h["id"] for h in json.loads(result.stdout)] == ["xjx2005:3.4.1.2"]
    english = run_kb("search", "着力点", "--sector", "school", "--json")
    assert english.stdout == result.stdout


def test_no_hits_is_a_helpful_message_and_success(run_kb):
    result = run_kb("search", "量子计算机")
    assert result.exit_code == 0
    assert "没有找到" in result.stdout
    filtered = run_kb("search", "量子计算机", "--member", "流动")
    assert "去掉筛选条件" in filtered.stdout
    assert json.loads(run_kb("search", "量子计算机", "--json").stdout) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["search", ""], "请输入要检索的词语"),
        (["search", "，。！"], "没有可检索的文字"),
        (["search", "(("], "没有可检索的文字"),
        (["search", "x" * 10_000], "太长"),
        (["search", "党员", "--sector", "火星"], "可选：社区 (community)"),
        (["search", "党员", "--doc", "nosuch"], "kb docs"),
        (["show", "xjx2005:9.9.9.9"], "没有编号为"),
        (["show", "乱码"], "格式不对"),
        (["remove", "nosuch"], "没有文档"),
    ],
    ids=["empty", "punctuation", "brackets", "10000-chars", "unknown-sector", "unknown-doc",
         "unknown-passage", "bad-passage-id", "remove-unknown"],
)
def test_user_mistakes_are_one_line_errors(run_kb, args, message):
    result = run_kb(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("错误：") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("query", ['"整改提高', "AND", "流动党员 OR NOT", "流动\x07党员", "（分析评议"],
                         ids=["open-quote", "AND", "OR-NOT", "control-char", "open-bracket"])
def test_odd_queries_do_not_crash(run_kb, query):
    result = run_kb("search", query)
    assert result.exit_code == 0 and "Traceback" not in result.output


def test_show_prints_passage_neighbours_and_gaps(run_kb):
    result = run_kb("show", "xjx2005:1.0.1.1")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("《在第二批先进性教育活动工作培训会上的讲话》")
    assert "（上文 xjx2005:0.0.1.1）" in out and "（下文 xjx2005:1.1.1.1）" in out
    assert "根据中央的统一部署" in out
    assert "原文在此缺少数字" in out and "▢" in out


def test_show_without_context(run_kb):
    out = run_kb("show", "xjx2005:3.4.1.3", "--context", "0").stdout
    assert "邮寄学习资料" in out and "上文" not in out and "下文" not in out


def test_add_docs_remove_cycle(run_kb, tmp_path):
    good = tmp_path / "通知.txt"
    good.write_text("关于开展党员读书交流活动的通知\n\n各支部每季度组织一次读书交流。\n", encoding="utf-8")
    bad = tmp_path / "坏.txt"
    bad.write_bytes(b"\x00\xff" * 50)
    result = run_kb("add", str(good), str(bad))
    assert result.exit_code == 1
    assert "已导入" in result.stdout and "导入 1 个，跳过 0 个，失败 1 个" in result.stdout
    assert "导入失败" in result.stderr and "坏.txt" in result.stderr
    again = run_kb("add", str(good))
    assert again.exit_code == 0 and "已跳过" in again.stdout
    docs = run_kb("docs")
    assert docs.exit_code == 0 and "xjx2005" in docs.stdout and "（内置）" in docs.stdout and "共 2 个文档" in docs.stdout
    doc_id = next(d["id"] for d in json.loads(run_kb("docs", "--json").stdout) if not d["bundled"])
    assert run_kb("search", "读书交流", "--json").stdout.count(doc_id) >= 1
    removed = run_kb("remove", doc_id)
    assert removed.exit_code == 0 and f"已删除 {doc_id}" in removed.stdout
    assert doc_id not in run_kb("search", "读书交流", "--json").stdout


def test_removing_bundled_document_says_how_to_restore(run_kb):
    result = run_kb("remove", "xjx2005")
    assert result.exit_code == 0 and "--restore-bundled" in result.stdout
    assert "还没有文档" in run_kb("docs").stdout
    restored = run_kb("index", "--rebuild", "--restore-bundled")
    assert restored.exit_code == 0 and "文档：1 个" in restored.stdout


def test_index_shows_counts_and_versions(run_kb):
    result = run_kb("index")
    assert result.exit_code == 0
    assert "文档：1 个，段落：" in result.stdout and "词典 " in result.stdout
    rebuilt = run_kb("index", "--rebuild")
    assert rebuilt.exit_code == 0 and "索引完成" in rebuilt.stderr


def test_first_use_reports_progress_on_stderr(run_kb, tmp_path):
    result = run_kb("search", "督导组", home=tmp_path / "fresh")
    assert result.exit_code == 0
    assert "首次使用" in result.stderr and "首次使用" not in result.stdout
    assert "[xjx2005:2.1.3.1]" in result.stdout


def test_busy_knowledge_base_is_a_clear_error(run_kb, kb_home, tmp_path, monkeypatch):
    from dangjian.kb.store import WriteLock

    monkeypatch.setenv("DANGJIAN_LOCK_TIMEOUT", "0.1")
    (tmp_path / "a.txt").write_text("一份通知的正文内容。\n", encoding="utf-8")
    with WriteLock(kb_home / "write.lock"):
        result = run_kb("add", str(tmp_path / "a.txt"))
    assert result.exit_code == 1 and "知识库正被另一个进程写入，请稍后再试" in result.stderr


def test_home_option_is_used(run_kb, tmp_path):
    home = tmp_path / "elsewhere"
    run_kb("index", home=home)
    assert (home / "docs").is_dir() and (home / "index").is_dir()
