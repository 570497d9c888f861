"""Word segmentation: domain words stay whole, positions count words, both segmenters agree."""

from __future__ import annotations

import importlib.resources
import subprocess
import sys

import pytest

from dangjian.kb import segment

DOMAIN_WORDS = ["三个代表", "先进性教育活动", "流动党员", "分析评议", "整改提高", "学习动员", "专题组织生活会",
                "民主生活会", "党性分析", "巡回检查组", "督导组", "四个清楚", "送学帮学", "主题实践活动", "民主评议"]


@pytest.mark.parametrize("word", DOMAIN_WORDS, ids=DOMAIN_WORDS)
def test_domain_dictionary_keeps_word_whole(word):
    assert segment.words(f"要认真开展{word}工作") .count(word) == 1


@pytest.mark.parametrize(
    "word, inside",
    [("整改提高", {"整改", "提高"}), ("流动党员", {"流动", "党员"}), ("专题组织生活会", {"专题", "组织生活会"})],
    ids=["整改提高", "流动党员", "专题组织生活会"],
)
def test_long_words_are_indexed_with_the_words_inside_them(word, inside):
    tokens = list(segment.tokenize(word))
    assert tokens[0].text == word and not tokens[0].sub
    subs = {t.text for t in tokens if t.sub}
    assert inside <= subs
    assert all(t.pos == 0 for t in tokens), "sub-words share their word's position"


def test_positions_are_word_ordinals_and_offsets_are_characters():
    text = "抓好整改提高，召开专题组织生活会。"
    main = [t for t in segment.tokenize(text) if not t.sub]
    assert [t.text for t in main] == ["抓好", "整改提高", "召开", "专题组织生活会"]
    assert [t.pos for t in main] == [0, 1, 2, 3]
    assert [text[t.start:t.end] for t in main] == ["抓好", "整改提高", "召开", "专题组织生活会"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("“三个代表”重要思想！", ["三个代表", "重要", "思想"]),
        ("ＡＢＣ与PDF", ["abc", "与", "pdf"]),
        ("  ×××\n", []),
    ],
    ids=["full-width-quotes", "full-width-latin-lowercased", "only-marks"],
)
def test_punctuation_and_whitespace_are_not_words(text, expected):
    assert segment.words(text) == expected


def test_char_tokens_are_single_characters_with_ascii_runs_whole():
    tokens = list(segment.char_tokens("党员，PDF２份"))
    assert [t.text for t in tokens] == ["党", "员", "pdf2", "份"]
    assert [t.pos for t in tokens] == [0, 1, 2, 3]


@pytest.mark.parametrize("word, stop", [("如何", True), ("什么", True), ("的", True), ("AND", True),
                                        ("流动党员", False), ("学习", False)],
                         ids=["如何", "什么", "的", "AND", "流动党员", "学习"])
def test_stop_words(word, stop):
    assert segment.is_stopword(word) is stop


def test_rjieba_and_jieba_cut_the_bundled_guidance_identically():
    text = importlib.resources.files("dangjian.corpus").joinpath("guidance/000_de32c9863abd3484.txt").read_text(
        encoding="utf-8")
    fast = segment.load_segmenter()
    slow = segment.load_segmenter("jieba")
    assert slow.name == "jieba"
    assert fast.cut(text) == slow.cut(text)


def test_dict_version_changes_with_the_dictionary(monkeypatch):
    before = segment.dict_version()
    assert before.startswith(segment.backend_name())
    monkeypatch.setattr(segment, "_userdict_text", lambda: "新词一个\n")
    assert segment.dict_version() != before


def test_importing_segment_does_not_load_the_segmenter():
    code = "import sys, dangjian.kb.segment; print(any(m in sys.modules for m in ('rjieba', 'jieba')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
