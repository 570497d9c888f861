"""The search index: the only module that imports whoosh.

Fields of one index document (= one passage):

* ``id`` (unique), ``doc`` — passage and document IDs;
* ``text`` — the passage's words (:func:`segment.tokenize`), positions are word
  ordinals so that phrase queries work;
* ``chars`` — the passage as single characters, for exact phrases however the
  segmenter cut the text;
* ``heading`` — the titles of the part and item the passage stands under;
* ``sector``, ``phase``, ``member``, ``topic`` — taxonomy keys, for filters;
* ``title`` and ``data`` (the passage as JSON) — stored, so a hit needs no
  other file.

The index records the versions it was built with (:func:`versions`); a
mismatch makes the knowledge base rebuild it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.analysis import Token as WToken
from whoosh.analysis import Tokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.scoring import BM25F

from . import segment
from .errors import IndexCorruptError
from .model import FACETS, Document, Passage
from .query import ParsedQuery

SCHEMA_VERSION = "3"
ANALYZER_VERSION = "words-ordinal-2+chars-1"


def versions() -> dict[str, str]:
    """Return the versions an index depends on: schema, analyzer and segmenter dictionary."""
    return {"schema": SCHEMA_VERSION, "analyzer": ANALYZER_VERSION, "dict": segment.dict_version()}


class WordTokenizer(Tokenizer):
    """Whoosh tokenizer over :func:`segment.tokenize`: positions are word ordinals, chars are offsets.

    (jieba's own ``ChineseAnalyzer`` sets positions to character offsets, so
    two adjacent words are never adjacent to whoosh's phrase matcher.)
    """

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[WToken]:
        token = WToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        source = segment.tokenize(value) if tokenize else [segment.Token(segment.normalize(value), 0, 0, len(value))]
        for word in source:
            token.text = word.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word.text
            if positions:
                token.pos = start_pos + word.pos
            if chars:
                token.startchar = start_char + word.start
                token.endchar = start_char + word.end
            yield token


class CharTokenizer(Tokenizer):
    """Whoosh tokenizer over :func:`segment.char_tokens`: one CJK character per token."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[WToken]:
        token = WToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for char in segment.char_tokens(value):
            token.text = char.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = char.text
            if positions:
                token.pos = start_pos + char.pos
            if chars:
                token.startchar = start_char + char.start
                token.endchar = start_char + char.end
            yield token


def make_schema() -> Schema:
    """Return the index schema."""
    tags = {facet: KEYWORD(scorable=True, lowercase=False) for facet in FACETS}
    return Schema(
        id=ID(stored=True, unique=True),
        doc=ID(stored=True),
        text=TEXT(analyzer=WordTokenizer(), phrase=True),
        chars=TEXT(analyzer=CharTokenizer(), phrase=True),
        heading=TEXT(analyzer=WordTokenizer(), phrase=False),
        title=STORED(),
        data=STORED(),
        **tags,
    )


@dataclass
class RawHit:
    """A passage the index matched, before ranking by the API."""

    passage: Passage
    title: str
    score: float


def _fields(document: Document, passage: Passage) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": passage.id,
        "doc": document.id,
        "text": passage.text,
        "chars": passage.text,
        "heading": " ".join(t for t in (passage.part_title, passage.item_title) if t),
        "title": document.title,
        "data": json.dumps(passage.to_dict(), ensure_ascii=False),
    }
    for facet in FACETS:
        keys = passage.tags.get(facet) or []
        if keys:
            fields[facet] = " ".join(keys)
    return fields


class Index:
    """A whoosh index directory: add and delete documents, search passages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ix: Any = None
        self._searcher: Any = None

    @staticmethod
    def exists(path: Path) -> bool:
        """Return True if ``path`` holds a whoosh index."""
        return path.is_dir() and whoosh_index.exists_in(str(path))

    @classmethod
    def create(cls, path: Path) -> Index:
        """Create an empty index at ``path`` (replacing anything there) and return it."""
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)
        index = cls(path)
        index._ix = whoosh_index.create_in(str(path), make_schema())
        return index

    def _open(self) -> Any:
        if self._ix is None:
            try:
                self._ix = whoosh_index.open_dir(str(self.path))
            except Exception as error:  # whoosh raises many kinds for a damaged directory
                raise IndexCorruptError(f"检索索引无法打开（{type(error).__name__}），请运行 kb index --rebuild") from None
        return self._ix

    def close(self) -> None:
        """Release open files."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    # -- writing ---------------------------------------------------------------

    def write(self, add: Iterable[Document] = (), delete: Iterable[str] = (), *, progress: Any = None) -> None:
        """Delete the passages of the documents ``delete``, add those of ``add``, and commit.

        Either everything is committed or nothing: on any error the writer is cancelled.
        """
        ix = self._open()
        writer = ix.writer(limitmb=256)
        try:
            for doc_id in delete:
                writer.delete_by_term("doc", doc_id)
            for document in add:
                for passage in document.passages:
                    writer.add_document(**_fields(document, passage))
                if progress:
                    progress(document)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self._refresh()

    def _refresh(self) -> None:
        if self._searcher is not None:
            self._searcher = self._searcher.refresh()

    # -- reading ---------------------------------------------------------------

    def searcher(self) -> Any:
        """Return an up-to-date whoosh searcher (kept open between queries)."""
        if self._searcher is None:
            self._searcher = self._open().searcher(weighting=BM25F(B=0.6, K1=1.2))
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    def passage_count(self) -> int:
        """Return the number of passages in the index."""
        try:
            return self.searcher().doc_count()
        except IndexCorruptError:
            raise
        except Exception as error:  # a damaged index makes whoosh fail in many ways
            self.close()
            raise IndexCorruptError(f"检索索引读取出错（{type(error).__name__}），请运行 kb index --rebuild") from None

    def search(self, parsed: ParsedQuery, filters: dict[str, str], boosts: dict[str, list[str]],
               limit: int) -> list[RawHit]:
        """Return up to ``limit`` passages matching ``parsed``, best first, by whoosh's score.

        ``filters`` maps a facet (or ``doc``) to the key every hit must carry;
        ``boosts`` maps a facet to keys whose passages score a little higher.
        """
        query = build_query(parsed, boosts)
        filter_query = None
        if filters:
            filter_query = Q.And([Q.Term(facet, key) for facet, key in filters.items()])
        try:
            results = self.searcher().search(query, filter=filter_query, limit=limit)
            return [
                RawHit(Passage.from_dict(json.loads(hit["data"])), hit["title"], float(hit.score))
                for hit in results
            ]
        except IndexCorruptError:
            raise
        except Exception as error:  # a damaged index makes whoosh fail in many ways
            self.close()
            raise IndexCorruptError(f"检索索引读取出错（{type(error).__name__}），请运行 kb index --rebuild") from None


def _chars_query(chars: list[str], boost: float = 1.0) -> Q.Query:
    if len(chars) == 1:
        return Q.Term("chars", chars[0], boost=boost)
    return Q.Phrase("chars", chars, boost=boost)


def build_query(parsed: ParsedQuery, boosts: dict[str, list[str]] | None = None) -> Q.Query:
    """Return the whoosh query for a parsed query (built from objects, never from query syntax).

    Each word matches as itself, as its characters side by side, or as all
    the dictionary words inside it; quoted phrases are required.
    """
    optional: list[Q.Query] = []
    for word in parsed.words:
        alternatives: list[Q.Query] = [
            Q.Term("text", word.text),
            _chars_query([t.text for t in segment.char_tokens(word.text)], boost=0.5),
            Q.Term("heading", word.text, boost=0.3),
        ]
        if word.subwords:
            alternatives.append(Q.And([Q.Term("text", s) for s in word.subwords], boost=0.5))
        optional.append(Q.Or(alternatives))
    for facet, keys in (boosts or {}).items():
        optional.extend(Q.Term(facet, key, boost=0.5) for key in keys)
    required: list[Q.Query] = []
    for words, chars in zip(parsed.phrases, parsed.phrase_chars):
        exact = [_chars_query(chars)]
        if len(words) > 1:
            exact.append(Q.Phrase("text", words))
        elif words:
            exact.append(Q.Term("text", words[0]))
        required.append(Q.And([exact[0], Q.Or(exact)]) if len(exact) > 1 else exact[0])
    if required and optional:
        return Q.AndMaybe(Q.And(required), Q.Or(optional))
    if required:
        return Q.And(required)
    return Q.Or(optional)


def phrase_query(field: str, words: list[str]) -> Q.Query:
    """Return a whoosh phrase query on one field (used by tests of token positions)."""
    return Q.Phrase(field, words)


def count(path: Path, query: Q.Query) -> int:
    """Return how many passages of the index at ``path`` match a whoosh query object."""
    ix = whoosh_index.open_dir(str(path))
    try:
        with ix.searcher() as searcher:
            return len(searcher.search(query, limit=None))
    finally:
        ix.close()
