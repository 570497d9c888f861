"""Chinese word segmentation for indexing and queries.

The segmenter is rjieba (a Rust port of jieba 0.42 that cuts text into the
same words), falling back to pure-Python jieba where rjieba cannot be
imported.  The shipped domain dictionary ``corpus/userdict.txt`` is loaded
once, on first use, so that 先进性教育活动, 流动党员 or 整改提高 stay whole.

Words are normalized for matching (NFKC, lower case); punctuation and
whitespace are never tokens.  Long words are also indexed by the dictionary
words inside them (整改提高 → 整改, 提高), as jieba's ``cut_for_search`` does,
so that a search for 整改 finds 整改提高.

Stop words (question words and particles such as 如何, 什么, 的) are indexed
like any other word, because dropping them would leave holes in the token
positions and make quoted phrases such as “党的先进性” fail; they are only
left out of the *required* words of a query (see :func:`is_stopword`).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.resources
import importlib.util
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Iterator

#: Words a question contains that say nothing about what is wanted.
STOPWORDS = frozenset(
    """
    如何 怎么 怎样 怎么样 什么 哪些 哪个 哪里 哪 为什么 为何 是否 有没有 能否 可否 多少 几
    吗 呢 吧 啊 呀 么 的 地 得 了 着 过 是 要 和 与 及 或 在 对 把 被 给 从 向 也 都 就 还 又
    请问 请 一下 关于 有关 相关 需要 应该 应当 可以 能 会 该 我 我们 你 你们 他们 这 那 这个 那个
    有 中 里 上 下 个 等
    and or not the a an of to in
    """.split()
)

_LOCK = threading.Lock()
_STATE: dict[str, object] = {}


@dataclass(frozen=True)
class Token:
    """A word of a text: normalized form, ordinal position and character span."""

    text: str  #: normalized word (NFKC, lower case)
    pos: int  #: ordinal of the word among the words of the text (sub-words share their word's)
    start: int  #: offset of the first character in the original text
    end: int  #: offset after the last character
    sub: bool = False  #: True for a dictionary word found inside a longer word


def backend_name() -> str:
    """Return ``"rjieba"`` or ``"jieba"``: the segmenter that will be used (without importing it)."""
    return "rjieba" if importlib.util.find_spec("rjieba") is not None else "jieba"


def _backend_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


def _userdict_text() -> str:
    return importlib.resources.files("dangjian.corpus").joinpath("userdict.txt").read_text(encoding="utf-8")


def userdict_words() -> list[tuple[str, int | None]]:
    """Return the shipped domain dictionary as (word, frequency or None) pairs."""
    words = []
    for line in _userdict_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        freq = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else None
        words.append((fields[0], freq))
    return words


def dict_version() -> str:
    """Return a short hash of the domain dictionary and the segmenter's name and version.

    The index records it and is rebuilt when it changes, because a different
    dictionary cuts the same text into different words.
    """
    name = backend_name()
    digest = hashlib.sha256()
    digest.update(_userdict_text().encode("utf-8"))
    digest.update(f"\0{name}\0{_backend_version(name)}".encode())
    return f"{name}-{_backend_version(name)}-{digest.hexdigest()[:12]}"


class _Segmenter:
    """The loaded segmenter with the domain dictionary added."""

    def __init__(self, backend: str | None = None, *, shared: bool = False) -> None:
        try:
            if backend == "jieba":
                raise ImportError("jieba requested")
            import rjieba

            self.name = "rjieba"
            # rjieba loads its dictionary on import; the shared segmenter reuses that
            # instance (adding the domain words to it) instead of loading a second copy.
            self._engine = rjieba if shared else rjieba.Jieba()
            self._has_word = self._engine.has_word
            self._suggest = self._engine.suggest_freq
        except ImportError:
            import logging
            import warnings

            with warnings.catch_warnings():
                # jieba 0.42 imports pkg_resources, which warns on recent setuptools.
                warnings.simplefilter("ignore")
                import jieba

            jieba.setLogLevel(logging.WARNING)
            self.name = "jieba"
            self._engine = jieba.Tokenizer()
            self._engine.initialize()
            freq = self._engine.FREQ
            self._has_word = lambda word: freq.get(word, 0) > 0
            self._suggest = lambda word: self._engine.suggest_freq(word, False)
        for word, freq in userdict_words():
            self._engine.add_word(word, freq if freq is not None else self._suggest(word), None)

    def cut(self, text: str) -> list[tuple[str, int, int]]:
        return list(self._engine.tokenize(text))

    def has_word(self, word: str) -> bool:
        return bool(self._has_word(word))


def load_segmenter(backend: str | None = None) -> _Segmenter:
    """Return a new segmenter with the domain dictionary: rjieba, or jieba when asked or rjieba is missing."""
    return _Segmenter(backend)


def _segmenter() -> _Segmenter:
    seg = _STATE.get("seg")
    if seg is None:
        with _LOCK:
            seg = _STATE.get("seg")
            if seg is None:
                seg = _STATE["seg"] = _Segmenter(shared=True)
    return seg  # type: ignore[return-value]


#: Full-width ASCII to half-width, one character for one, so offsets stay valid.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold_width(text: str) -> str:
    """Return ``text`` with full-width letters, digits and signs made half-width (same length)."""
    return text.translate(_WIDTH)


def normalize(word: str) -> str:
    """Return the form a word is matched by: NFKC (full-width letters to ASCII) and lower case."""
    return unicodedata.normalize("NFKC", word).lower()


def is_word(text: str) -> bool:
    """Return True if ``text`` contains a letter, digit or CJK character (is not punctuation or space)."""
    return any(ch.isalnum() for ch in text)


def is_stopword(word: str) -> bool:
    """Return True for question words and particles a query does not require."""
    return normalize(word) in STOPWORDS


def subwords(word: str) -> list[str]:
    """Return the dictionary words inside a longer word, longest first (整改提高 → 整改, 提高)."""
    if len(word) <= 2 or not all(is_cjk(ch) for ch in word):
        return []
    seg = _segmenter()
    found: list[str] = []
    for size in range(len(word) - 1, 1, -1):
        for i in range(len(word) - size + 1):
            part = word[i : i + size]
            if part not in found and seg.has_word(part):
                found.append(part)
    return found


def is_cjk(ch: str) -> bool:
    """Return True for a CJK ideograph."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def words(text: str) -> list[str]:
    """Return the normalized words of ``text`` in order, without punctuation and sub-words."""
    return [t.text for t in tokenize(text, with_subwords=False)]


def tokenize(text: str, *, with_subwords: bool = True) -> Iterator[Token]:
    """Yield the words of ``text`` for indexing, each with its ordinal position.

    Positions count words, not characters, so that phrase queries see
    adjacent words as adjacent.  Sub-words of a long word (when
    ``with_subwords``) follow it at the same position.
    """
    for text_, pos, start, end, sub in spans(text, with_subwords=with_subwords):
        yield Token(text_, pos, start, end, sub)


@functools.lru_cache(maxsize=1 << 18)
def _word_info(raw: str) -> tuple[str, tuple[tuple[str, int], ...]] | None:
    # Cached because the same words recur all through a corpus: normalizing them
    # and looking up their sub-words once is most of the cost of indexing.
    if not is_word(raw):
        return None
    parts = [(normalize(part), raw.index(part)) for part in subwords(raw)]
    if not raw.isalnum() and len(raw) > 1:
        # 3.5%, e-mail: its letter and digit runs too, so that an exact phrase
        # (compared without punctuation) always finds its words in the index.
        parts += [(normalize(m.group(0)), m.start()) for m in _RUN.finditer(raw)]
    return normalize(raw), tuple(parts)


def spans(text: str, *, with_subwords: bool = True) -> list[tuple[str, int, int, int, bool]]:
    """Return the words of ``text`` as (normalized word, position, start, end, is sub-word) tuples.

    The same words as :func:`tokenize`, as plain tuples (faster to build).
    """
    out: list[tuple[str, int, int, int, bool]] = []
    append = out.append
    info = _word_info
    pos = 0
    for raw, start, end in _segmenter().cut(fold_width(text)):
        found = info(raw)
        if found is None:
            continue
        word, parts = found
        append((word, pos, start, end, False))
        if with_subwords:
            for part, offset in parts:
                append((part, pos, start + offset, start + offset + len(part), True))
        pos += 1
    return out


_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[^\\W_{_CJK_CLASS}]+")
_UNITS = re.compile(f"[{_CJK_CLASS}]|[^\\W_{_CJK_CLASS}]+")


def units(text: str) -> list[str]:
    """Return what exact phrases compare: each CJK character and each letter/digit run, normalized."""
    # Common CJK characters are their own normal form: skip NFKC for them (the verification hot path).
    return [u if "\u4e00" <= u <= "\u9fff" else normalize(u) for u in _UNITS.findall(fold_width(text))]


def compact(text: str) -> str:
    """Return ``text`` as its :func:`units` with punctuation and spaces dropped, letter runs fenced by NUL.

    A quoted phrase occurs in a text exactly when ``compact(phrase) in compact(text)``:
    punctuation between characters is ignored, and ``bc`` does not occur in ``abcd``.
    """
    return "".join(u if is_cjk(u[0]) else f"\0{u}\0" for u in units(text) if u)


def char_tokens(text: str) -> Iterator[Token]:
    """Yield ``text`` as single CJK characters and whole ASCII/alphanumeric runs, positions ordinal.

    This is the index for exact phrases: a quoted phrase matches wherever its
    characters stand next to each other, however the segmenter cut the text.
    """
    text = fold_width(text)
    pos = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if is_cjk(ch):
            yield Token(ch, pos, i, i + 1)
            pos += 1
            i += 1
        elif ch.isalnum():
            j = i + 1
            while j < n and text[j].isalnum() and not is_cjk(text[j]):
                j += 1
            yield Token(normalize(text[i:j]), pos, i, j)
            pos += 1
            i = j
        else:
            i += 1
