"""What a search query means: words, exact phrases and their normal forms.

People type questions (流动党员如何参加学习), keyword lists, or quote an
exact phrase ("整改提高" or “整改提高”).  Nothing here is passed to whoosh's
query language, so brackets, AND/OR/NOT and other signs are just text.

* Quoted phrases must occur in a passage, character for character
  (punctuation between characters is ignored).
* Other words are optional; passages with more of them rank first.
  Question words and particles (如何, 什么, 的…) are dropped unless the query
  has nothing else.
* A word with synonyms (打工 → 流动, 务工; see the taxonomy) is found by any of
  them as well.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from . import numerals, segment
from .errors import QueryError

#: Longest query accepted, in characters (a pasted passage fits).
MAX_QUERY_CHARS = 2000
#: Most words of a query that are searched for.
MAX_WORDS = 64

#: Generic verbs and nouns of questions (如何*参加*学习, *开展*什么*工作*): searched for,
#: but a passage lacking them is not ranked below one that has them.
WEAK_WORDS = frozenset(
    """
    参加 参与 开展 进行 做好 搞好 抓好 采取 工作 方面 情况 具体 主要 问一下 规定 要求 内容
    问题 解决 别人 办 搞 弄 干 做 给 收 上 用 算 有关 时候 东西 事情 事 情形 人员 人 不能 不可以 不行 允许 可否
    """.split()
)

#: Question words and phrases (几种, 多长时间, 怎么办…): they ask, they are not what is asked about.
#: Left out like the segmenter's stop words unless the taxonomy gives them synonyms (几种 → 种类).
QUESTION_WORDS = frozenset(
    """
    几 几个 几种 几类 几次 几年 几天 几人 几名 几项 几条 哪几 哪几种 哪几个 哪几类 哪几项 哪些人 哪种 哪类 哪天 哪年
    多久 多长 多长时间 多少 多少天 多少年 多少人 多大 多高 多远 几点 何时 什么时候 啥时候 啥 咋 咋办 怎么办 怎么样
    怎样 如何 怎么 什么 什么样 是什么 为什么 干什么 做什么 能不能 可不可以 是不是 有没有 要不要 会不会 该不该
    行不行 算不算 包括 包含 属于 指 是指 叫 叫做 还 吗 呢 么 吧 呀 啊 哪 哪里 哪儿 谁 由谁 如果 假如 的话 以后 之后
    后 时 能 可以 应该 应当 需要 必须 得 要 会 被 让 把 对 向 跟 同 从
    """.split()
)

_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』", "＂": "＂"}


@dataclass(frozen=True)
class Word:
    """A word of the query with the dictionary words inside it."""

    text: str  #: normalized word
    subwords: tuple[str, ...] = ()
    stop: bool = False
    weak: bool = False  #: a generic word (参加, 开展…) that does not count towards coverage
    synonyms: tuple[str, ...] = ()  #: the guidance's words for it (normalized), each found as the word itself
    question: bool = False  #: a question word kept for its synonyms (几种 → 种类): it never outweighs a topic word


@dataclass
class ParsedQuery:
    """A query split into exact phrases and optional words."""

    text: str
    phrases: list[list[str]] = field(default_factory=list)  #: each phrase as its words
    phrase_chars: list[list[str]] = field(default_factory=list)  #: each phrase as its characters
    words: list[Word] = field(default_factory=list)  #: optional words, stop words left out

    @property
    def empty(self) -> bool:
        return not self.phrases and not self.words


def clean(text: str) -> str:
    """Return the query with control characters turned into spaces and the length checked."""
    if not isinstance(text, str):
        raise QueryError("检索词应是文字")
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else ch for ch in text)
    text = text.strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"检索词太长（{len(text)} 字），请缩短到 {MAX_QUERY_CHARS} 字以内")
    return text


def split_quotes(text: str) -> tuple[list[str], list[str]]:
    """Return (quoted phrases, unquoted pieces).  A quote with no partner is ordinary text."""
    phrases: list[str] = []
    pieces: list[str] = []
    i, start = 0, 0
    while i < len(text):
        close = _QUOTES.get(text[i])
        if close is not None:
            end = text.find(close, i + 1)
            if end != -1:
                pieces.append(text[start:i])
                phrases.append(text[i + 1 : end])
                i = start = end + 1
                continue
        i += 1
    pieces.append(text[start:])
    stray = "".join(_QUOTES) + "".join(_QUOTES.values())
    pieces = [re.sub(f"[{re.escape(stray)}]", " ", p) for p in pieces]
    return phrases, pieces


def parse(text: str, synonyms: Mapping[str, tuple[str, ...]] | None = None) -> ParsedQuery:
    """Return the parsed query; raise :class:`QueryError` if there is nothing to search for.

    ``synonyms`` maps a normalized word to the words that count as it
    (:attr:`dangjian.kb.taxonomy.Taxonomy.synonyms`).
    """
    text = clean(text)
    if not text:
        raise QueryError("请输入要检索的词语，例如：kb search 流动党员如何参加学习")
    phrases, pieces = split_quotes(text)
    parsed = ParsedQuery(text)
    for phrase in phrases:
        phrase = numerals.normalize(phrase)
        chars = [t.text for t in segment.char_tokens(phrase)]
        if chars:
            parsed.phrases.append(segment.words(phrase))
            parsed.phrase_chars.append(chars)
    words: list[Word] = []
    seen: set[str] = set()
    synonyms = synonyms or {}
    longest = max((len(k) for k in synonyms), default=0)
    for piece in pieces:
        tokens = [t.text for t in segment.tokenize(numerals.normalize(piece), with_subwords=False)]
        for text, parts in _join_synonym_keys(tokens, synonyms, longest):
            if text in seen:
                continue
            seen.add(text)
            alternatives = tuple(segment.normalize(a) for a in synonyms.get(text, ()))
            asks = segment.is_stopword(text) or text in QUESTION_WORDS
            words.append(Word(text, parts or tuple(segment.subwords(text)), asks and not alternatives,
                              text in WEAK_WORDS and not alternatives, alternatives, asks))
    content = [w for w in words if not w.stop]
    if any(len(w.text) > 1 and not w.weak for w in content):
        # A lone character (是*指*, 怎么*开*) says little next to real words.
        content = [replace(w, weak=True) if len(w.text) == 1 and segment.is_cjk(w.text) else w for w in content]
    parsed.words = (content or ([] if parsed.phrases else words))[:MAX_WORDS]
    if parsed.empty:
        raise QueryError(f"“{text[:40]}”中没有可检索的文字（只有标点或符号），请输入词语")
    return parsed


def _join_synonym_keys(tokens: list[str], synonyms: Mapping[str, tuple[str, ...]],
                       longest: int) -> list[tuple[str, tuple[str, ...]]]:
    """Return (word, its pieces) for the query's words, adjacent words that make a synonym key joined.

    A key the segmenter cuts into several words (私自出国 → 私自, 出国) is still
    found: the longest run of adjacent words that spells a key becomes one word,
    its pieces kept as sub-words (so the text may also hold them apart).
    """
    out: list[tuple[str, tuple[str, ...]]] = []
    i = 0
    while i < len(tokens):
        end = None
        joined = tokens[i]
        for j in range(i + 1, len(tokens)):
            joined += tokens[j]
            if len(joined) > longest:
                break
            if joined in synonyms:
                end = j
        if end is None:
            out.append((tokens[i], ()))
            i += 1
        else:
            pieces = tuple(t for t in tokens[i : end + 1] if not segment.is_stopword(t))
            out.append(("".join(tokens[i : end + 1]), pieces))
            i = end + 1
    return out


_SENTENCE_END = re.compile(r"[。；;！!？?\n]")


def _covered(words: list[Word], text: str, weights: Mapping[str, float] | None = None) -> float:
    return sum((weights or {}).get(w.text, 1.0) for w in words
               if w.text in text or (w.subwords and all(s in text for s in w.subwords))
               or any(s in text for s in w.synonyms))


_WIDE_OR_UPPER = re.compile(r"[\uff01-\uff5eA-Z]")


def _folded(text: str) -> str:
    """``text`` with full-width forms made half-width and lower case (the work skipped when there is none)."""
    return segment.fold_width(text).lower() if _WIDE_OR_UPPER.search(text) else text


def coverage(parsed: ParsedQuery, text: str, weights: Mapping[str, float] | None = None) -> tuple[float, float]:
    """Return (query words in ``text``, most query words in one sentence of it).

    A word counts when it occurs whole, as all its sub-words (流动…党员 for
    流动党员) or as one of its synonyms.  Generic words (:data:`WEAK_WORDS`) count only when the query
    has nothing else.  Passages are ranked by this pair first: all words
    before some, and words close together before words scattered.
    """
    words = [w for w in parsed.words if not w.weak] or parsed.words
    folded = numerals.normalize(_folded(text))
    # Only the words the passage has can be in one of its sentences (this runs for every candidate).
    present = [w for w in words if _covered([w], folded)]
    total = _covered(present, folded, weights)
    if len(present) < 2:
        return total, total
    best = max((_covered(present, s, weights) for s in _SENTENCE_END.split(folded)), default=0)
    return total, best


def _term_pattern(term: str) -> str:
    chars = [t.text for t in segment.char_tokens(term)]
    if len(chars) > 1:
        return r"[\W_]*".join(re.escape(c) for c in chars)
    return re.escape(term)


def snippet(text: str, parsed: ParsedQuery, width: int = 100) -> str:
    """Return about ``width`` characters of ``text`` around the most query words, each marked 【…】.

    The window is placed where the most different query words (phrases, words,
    or the sub-words of a long word) occur; quoted phrases may stand across
    punctuation in the text.
    """
    text = " ".join(text.split())
    # (weight, strings that count fully, sub-words that count in part)
    groups: list[tuple[float, list[str], list[str]]] = [(2.0, ["".join(chars)], []) for chars in parsed.phrase_chars]
    # Weak single characters are not marked: 指 would light up inside every 指导.
    groups += [(0.5 if w.weak else 1.0, [w.text, *w.synonyms], list(w.subwords)) for w in parsed.words
               if not (w.weak and len(w.text) == 1 and len(parsed.words) > 1)]
    strings = sorted({s for _, whole, parts in groups for s in whole + parts if s}, key=len, reverse=True)
    matches: list[tuple[int, int, str]] = []
    if strings:
        regex = re.compile("|".join(f"(?:{_term_pattern(t)})" for t in strings), re.IGNORECASE)
        haystack = numerals.normalize(segment.fold_width(text))
        for m in regex.finditer(haystack):
            if m.end() > m.start():
                found = "".join(t.text for t in segment.char_tokens(m.group(0)))
                matches.append((m.start(), m.end(), found))
    start, end = 0, min(len(text), width)
    if len(text) > width and matches:
        # Centre on the sentence with the most query words: it is why the passage ranks where it does.
        best = (-1.0, 0, 0)
        for sentence in re.finditer(r"[^。；;！!？?]+[。；;！!？?]?", text):
            inside = [m for m in matches if m[0] >= sentence.start() and m[1] <= sentence.end()]
            found = {m[2] for m in inside}
            score = 0.0
            for weight, whole, parts in groups:
                if any(s in found for s in whole):
                    score += weight
                elif parts:
                    score += weight * sum(1 for sub in parts if sub in found) / len(parts)
            if inside and score > best[0]:
                best = (score, sentence.start(), sentence.end())
        _, s_start, s_end = best
        if s_end - s_start <= width:
            lo = s_start - (width - (s_end - s_start)) // 2
        else:
            lo = min(m[0] for m in matches if m[0] >= s_start) - width // 5
        start = max(0, min(lo, len(text) - width))
        end = start + width
    out = ["…" if start > 0 else ""]
    cursor = start
    for m_start, m_end, _ in matches:
        if m_start < start or m_end > end:
            continue
        out.append(text[cursor:m_start])
        out.append(f"【{text[m_start:m_end]}】")
        cursor = m_end
    out.append(text[cursor:end])
    out.append("…" if end < len(text) else "")
    return "".join(out)
