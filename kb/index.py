"""The search index: the only module that imports whoosh.

Fields of one index document (= one passage):

* ``id`` (unique), ``doc`` — passage and document IDs;
* ``text`` — the passage's words (:func:`segment.tokenize`), positions are word
  ordinals so that phrase queries work;
* ``tail`` — the endings of long words (教育活动, 育活动 of 先进性教育活动), so
  that a quoted phrase starting inside a word still finds its candidates;
* ``heading`` — the titles of the part and item the passage stands under;
* ``sector``, ``phase``, ``member``, ``topic`` — taxonomy keys, for filters;
* ``title`` and ``data`` (the passage as JSON) — stored, so a hit needs no
  other file.

Quoted phrases are exact by construction (:class:`ExactPhrase`): the index
proposes candidates from the words any occurrence of the phrase must produce,
however the segmenter cut the text, and each candidate's stored text is then
checked for the phrase.  (An earlier schema indexed every character with its
position for this; that field was half of all postings and of indexing time.)

The index records the versions it was built with (:func:`versions`); a
mismatch makes the knowledge base rebuild it.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.analysis import Token as WToken
from whoosh.analysis import Tokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.scoring import BM25F

from . import numerals, segment
from .errors import IndexCorruptError
from .model import FACETS, Document, Passage
from .query import ParsedQuery

SCHEMA_VERSION = "4"
ANALYZER_VERSION = "words-ordinal-3+tails-2+numerals-1"


def versions() -> dict[str, str]:
    """Return the versions an index depends on: schema, analyzer and segmenter dictionary."""
    return {"schema": SCHEMA_VERSION, "analyzer": ANALYZER_VERSION, "dict": segment.dict_version()}


class Segmented(str):
    """Text with its :func:`segment.spans` attached (whoosh accepts only ``str`` values for text fields)."""

    spans: list[tuple[str, int, int, int, bool]]

    def __new__(cls, text: str, spans: list[tuple[str, int, int, int, bool]]) -> Segmented:
        self = super().__new__(cls, text)
        self.spans = spans
        return self

    def __reduce__(self) -> tuple[Any, tuple[str, list[tuple[str, int, int, int, bool]]]]:
        return (Segmented, (str(self), self.spans))


class WordTokenizer(Tokenizer):
    """Whoosh tokenizer over :func:`segment.tokenize`: positions are word ordinals, chars are offsets.

    (jieba's own ``ChineseAnalyzer`` sets positions to character offsets, so
    two adjacent words are never adjacent to whoosh's phrase matcher.)  A list
    :class:`Segmented` text brings its words along, so that a passage is
    segmented once for all the fields that need its words.
    """

    def __call__(self, value: Any, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[WToken]:
        # One Token object, refilled for each word, as whoosh's own tokenizers do.
        token = WToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        if isinstance(value, Segmented):
            source = value.spans
        elif tokenize:
            source = segment.spans(value)
        else:
            source = [(segment.normalize(value), 0, 0, len(value), False)]
        for text, pos, start, end, _ in source:
            token.text = text
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
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
        tail=KEYWORD(lowercase=False, scorable=False),
        heading=TEXT(analyzer=WordTokenizer(), phrase=False),
        title=STORED(),
        data=STORED(),
        **tags,
    )


class _Codec(W3Codec):
    """Whoosh's codec without per-block field-length statistics.

    Collecting them reads every posting's field length back from disk while
    a segment is written (a fifth of indexing time); they only let whoosh skip
    blocks of long posting lists, which these passages' short lists do not
    need.  Scores do not change: they use the lengths stored per document.
    Blocks are compressed at zlib level 1: as small as level 3 here, and faster.
    """

    length_stats = False

    def __init__(self) -> None:
        super().__init__(compression=1)

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        # Segments pickle their codec into the index's table of contents: store
        # the stock codec there, so that any whoosh can read the index.
        return (W3Codec, ())


@dataclass
class RawHit:
    """A passage the index matched, before ranking by the API."""

    passage: Passage
    title: str
    score: float


#: Shortest word whose endings go into the ``tail`` field (shorter words have no ending of two characters).
_TAIL_FROM = 3


def _tails(spans: list[tuple[str, int, int, int, bool]]) -> str:
    tails: set[str] = set()
    for text, _, _, _, sub in spans:
        if not sub and len(text) >= _TAIL_FROM and all(segment.is_cjk(ch) for ch in text):
            tails.update(text[i:] for i in range(1, len(text) - 1))
    return " ".join(sorted(tails))


def _fields(document: Document, passage: Passage) -> dict[str, Any]:
    spans = segment.spans(numerals.normalize(passage.text))
    fields: dict[str, Any] = {
        "id": passage.id,
        "doc": document.id,
        "text": Segmented(passage.text, spans),
        "heading": " ".join(t for t in (passage.part_title, passage.item_title) if t),
        "title": document.title,
        "data": json.dumps(passage.to_dict(), ensure_ascii=False),
    }
    tails = _tails(spans)
    if tails:
        fields["tail"] = tails
    for facet in FACETS:
        keys = passage.tags.get(facet) or []
        if keys:
            fields[facet] = " ".join(keys)
    return fields


def _storage(path: Path) -> Any:
    # Without mmap: whoosh-reloaded copies each memory-mapped segment file into a
    # BytesIO on opening, i.e. reads the whole index into memory in every search
    # process (175 MB peak for `kb search` over 19,000 passages, 68 MB without;
    # warm queries are ~2 ms slower reading plain files).
    return FileStorage(str(path), supports_mmap=False)


class Index:
    """A whoosh index directory: add and delete documents, search passages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ix: Any = None
        self._searcher: Any = None

    @staticmethod
    def exists(path: Path) -> bool:
        """Return True if ``path`` holds a whoosh index."""
        try:
            return path.is_dir() and whoosh_index.exists_in(str(path))
        except Exception:  # an unreadable table of contents: the caller rebuilds the index
            return False

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
                self._ix = _storage(self.path).open_index()
            except Exception as error:  # whoosh raises many kinds for a damaged directory
                raise IndexCorruptError(f"检索索引无法打开（{type(error).__name__}），请运行 kb index --rebuild") from None
        return self._ix

    def __del__(self) -> None:
        # Segment files stay open while a searcher is (no mmap, see _storage):
        # close them when a caller drops the index without close().
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def close(self) -> None:
        """Release open files."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    # -- writing ---------------------------------------------------------------

    def write(self, add: Iterable[Document] = (), delete: Iterable[str] = (), *, progress: Any = None,
              workers: int = 1) -> None:
        """Delete the passages of the documents ``delete``, add those of ``add``, and commit.

        Either everything is committed or nothing: on any error the writer is cancelled.
        With ``workers`` > 1 (where processes can be forked), that many processes
        index in parallel, each writing its own segment (for large builds).
        """
        ix = self._open()
        delete = list(delete)
        # Parallel only into an empty index, where the result can be counted:
        # whoosh's worker processes do not report their errors to the parent.
        method = multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_all_start_methods()[0]
        parallel = workers > 1 and not delete and method == "fork" and ix.doc_count_all() == 0
        # _lk=False: the knowledge base's write.lock already keeps writers apart, and whoosh's
        # own lock stays taken for the life of the process when a writer fails half made.
        try:
            if parallel:
                writer = ix.writer(procs=workers, multisegment=True, batchsize=200, limitmb=128, codec=_Codec(),
                                   subargs={"limitmb": 128, "codec": _Codec()}, _lk=False)
            else:
                writer = ix.writer(limitmb=256, codec=_Codec(), _lk=False)
        except BaseException:
            self.close()
            raise
        added = 0
        # Adding is idempotent: a document's old passages go first (those of a
        # crashed run that committed the index but not the rest), and each
        # passage replaces any with its ID.
        replace = not parallel and ix.doc_count_all() > 0
        try:
            for doc_id in delete:
                writer.delete_by_term("doc", doc_id)
            for document in add:
                if replace:
                    writer.delete_by_term("doc", document.id)
                for passage in document.passages:
                    if replace:
                        writer.update_document(**_fields(document, passage))
                    else:
                        writer.add_document(**_fields(document, passage))
                    added += 1
                if progress:
                    progress(document)
        except BaseException:
            writer.cancel()
            raise
        try:
            writer.commit()
        except BaseException:
            # The table of contents was not replaced: the index is as before.  Close
            # what the failed commit left open (whoosh does not on an error).
            for cleanup in (writer._close_segment, writer._finish):
                try:
                    cleanup()
                except Exception:
                    pass
            self.close()
            raise
        if parallel:
            self.close()
            if self._open().doc_count_all() != added:
                raise IndexCorruptError(f"并行建立索引时有进程出错（应有 {added} 段），请重新运行 kb index --rebuild")
        self._refresh()

    def _refresh(self) -> None:
        self.searcher()

    # -- reading ---------------------------------------------------------------

    def searcher(self) -> Any:
        """Return an up-to-date whoosh searcher (kept open between queries)."""
        ix = self._open()
        if self._searcher is not None and ix.latest_generation() != self._searcher.reader().generation():
            # Not whoosh's refresh(): it reuses the reader of a segment by its ID and
            # so misses documents deleted from that segment since.
            self._searcher.close()
            self._searcher = None
        if self._searcher is None:
            self._searcher = ix.searcher(weighting=BM25F(B=0.6, K1=1.2))
        return self._searcher

    def contents(self) -> dict[str, list[str]]:
        """Return ``{doc id: [passage IDs]}`` of what the index holds (a passage held twice is listed twice)."""
        held: dict[str, list[str]] = {}
        try:
            reader = self.searcher().reader()
            for fields in reader.all_stored_fields():
                held.setdefault(fields.get("doc", ""), []).append(fields.get("id", ""))
        except IndexCorruptError:
            raise
        except Exception as error:  # a damaged index makes whoosh fail in many ways
            self.close()
            raise IndexCorruptError(f"检索索引读取出错（{type(error).__name__}），请运行 kb index --rebuild") from None
        return held

    def word_weights(self, parsed: ParsedQuery) -> dict[str, float]:
        """Return each query word's weight for ranking: its inverse document frequency in the index.

        A word counts as often as its most frequent form found (the word, its
        synonyms, or all its sub-words together), so that a rare topic word
        (烟酒 → 香烟) outweighs a generic one (公务, 接待) that most passages have.
        """
        try:
            reader = self.searcher().reader()
            total = max(reader.doc_count(), 1)

            def df(term: str) -> int:
                return reader.doc_frequency("text", term) if ("text", term) in reader else 0

            weights: dict[str, float] = {}
            for word in parsed.words:
                if word.question:
                    weights[word.text] = 1.0
                    continue
                forms = [df(word.text)]
                if word.subwords:
                    forms.append(min(df(s) for s in word.subwords))
                for synonym in word.synonyms:
                    parts = segment.words(synonym)
                    if parts:
                        forms.append(min(df(w) for w in parts))
                found = max(forms)
                weights[word.text] = math.log((total + 1) / (found + 1)) + 1.0 if found else 1.0
            return weights
        except IndexCorruptError:
            raise
        except Exception as error:  # a damaged index makes whoosh fail in many ways
            self.close()
            raise IndexCorruptError(f"检索索引读取出错（{type(error).__name__}），请运行 kb index --rebuild") from None

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
        filter_query = None
        if filters:
            filter_query = Q.And([Q.Term(facet, key) for facet, key in filters.items()])
        try:
            searcher = self.searcher()
            query = build_query(parsed, boosts, searcher.reader())
            results = _top(searcher, query, filter_query, limit)
            return [
                RawHit(Passage.from_dict(json.loads(hit["data"])), hit["title"], float(hit.score))
                for hit in results
            ]
        except IndexCorruptError:
            raise
        except Exception as error:  # a damaged index makes whoosh fail in many ways
            self.close()
            raise IndexCorruptError(f"检索索引读取出错（{type(error).__name__}），请运行 kb index --rebuild") from None


def _top(searcher: Any, query: Q.Query, filter_query: Q.Query | None, limit: int) -> Any:
    """Return whoosh's results for the ``limit`` best-scoring passages, all of them considered.

    Not ``searcher.search(limit=…)``: its collector keeps "replacing" the
    matcher once the top list is full, dropping the words whose estimated
    maximum score is below the list's lowest — and with this index's codec (no
    per-block length statistics) the estimates are too low, so the best
    passage could be dropped (《监察法》第五十九条 for 监察人员离职后要保密吗,
    first of all matches, was missing from the top 50).  Block-quality
    skipping stays off too: for a union of many words it seldom skipped
    anything and its bookkeeping cost more than it saved.
    """
    collector: Any = collectors.TopCollector(limit=limit, usequality=False, replace=0)
    if filter_query is not None:
        collector = collectors.FilterCollector(collector, allow=filter_query)
    searcher.search_with_collector(query, collector)
    return collector.results()


#: Share of passages above which a query word only scores passages its other words found.
COMMON_SHARE = 0.05
#: ... and in more than this many passages (in a small knowledge base every word is "common").
COMMON_MIN = 500

_COMPAT = re.compile("[\uf900-\ufaff]")

#: How far (in characters) into a phrase the first word boundary is looked for; longer words are not cut.
_MAX_WORD = 16


class ExactPhrase(Q.Query):
    """Matches the passages whose text contains a phrase, exactly (punctuation between characters ignored).

    Candidates come from the words any occurrence must produce, however the
    segmenter cut the text there: either one word holds the whole phrase (a
    ``text`` or ``tail`` term starting with it), or the occurrence is a chain
    of words: a first one ending in the phrase's first units (that piece as a
    word, or the ``tail`` of a longer word; unknown when it is one unit), then
    whole pieces of the phrase, then a last word starting with the phrase's
    rest.  The chains are followed by dynamic programming over the phrase's
    units.  Every candidate's stored text is then compared with
    :func:`segment.compact`, so the result is exact by construction.
    """

    def __init__(self, units: list[str], boost: float = 1.0) -> None:
        self.units = [segment.normalize(u) for u in units]
        self.target = "".join(u if segment.is_cjk(u[0]) else f"\0{u}\0" for u in self.units if u)
        self.boost = boost
        self.fieldname = "text"

    def __repr__(self) -> str:
        return f"ExactPhrase({''.join(self.units)!r}, boost={self.boost})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExactPhrase) and (self.units, self.boost) == (other.units, other.boost)

    def __hash__(self) -> int:
        return hash((tuple(self.units), self.boost))

    def has_terms(self) -> bool:
        return False

    def estimate_size(self, ixreader: Any) -> int:
        return ixreader.doc_count_all()

    def estimate_min_size(self, ixreader: Any) -> int:
        return 0

    def _candidates(self, reader: Any) -> set[int]:
        def ids(field: str, term: str) -> set[int]:
            if (field, term) not in reader:
                return set()
            return set(reader.postings(field, term).all_ids())

        def starting(field: str, prefix: str) -> set[int]:
            found: set[int] = set()
            for term in reader.expand_prefix(field, prefix):
                found |= ids(field, term)
            return found

        units, n = self.units, len(self.units)
        if n == 1:
            # One character or letter run: any word containing it (rare in queries, so a lexicon scan).
            found: set[int] = set()
            for term in reader.field_terms("text"):
                if units[0] in term:
                    found |= ids("text", term)
            return found

        def piece(a: int, b: int) -> str:
            return "".join(units[a:b])

        # ends[b]: passages where words of the text end exactly after unit b-1 of
        # the phrase, the first of them covering the phrase's start (None: any
        # passage, since a word ending in the first unit is not indexed).
        ends: list[set[int] | None] = [set() for _ in range(n)]
        ends[1] = None
        for b in range(2, n):
            found = set()
            if b <= _MAX_WORD:
                found = ids("text", piece(0, b)) | ids("tail", piece(0, b))
            for a in range(max(1, b - _MAX_WORD), b):
                before = ends[a]
                if before is None:
                    found |= ids("text", piece(a, b))
                elif before:
                    found |= before & ids("text", piece(a, b))
            ends[b] = found
        found = starting("text", piece(0, n)) | starting("tail", piece(0, n))
        for b in range(1, n):
            before = ends[b]
            if before is None:
                found |= starting("text", piece(b, n))
            elif before:
                found |= before & starting("text", piece(b, n))
        return found

    def _verified(self, searcher: Any) -> list[int]:
        reader = searcher.reader()
        if not self.target:
            return []
        plain = "".join(self.units) if all("\u4e00" <= u <= "\u9fff" for u in self.units) else None
        out = []
        for docnum in sorted(self._candidates(reader)):
            if reader.is_deleted(docnum):
                continue
            text = numerals.normalize(json.loads(reader.stored_fields(docnum)["data"])["text"])
            # Quick answers before compacting the text: the phrase as typed is there,
            # or one of its characters is missing (sure only without compatibility ideographs).
            if plain is not None:
                if plain in text:
                    out.append(docnum)
                    continue
                if not _COMPAT.search(text) and not all(ch in text for ch in plain):
                    continue
            if self.target in segment.compact(text):
                out.append(docnum)
        return out

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        found = self._verified(searcher)
        return ListMatcher(found, all_weights=self.boost) if found else NullMatcher()

    def docs(self, searcher: Any) -> Iterator[int]:
        return iter(self._verified(searcher))


def build_query(parsed: ParsedQuery, boosts: dict[str, list[str]] | None = None, reader: Any = None) -> Q.Query:
    """Return the whoosh query for a parsed query (built from objects, never from query syntax).

    Each word matches as itself or as all the dictionary words inside it;
    generic words only score passages other words found; quoted phrases are
    required (:class:`ExactPhrase`) and score as words too.  With the index's
    ``reader``, words and headings the index does not hold are left out
    (fewer matchers for whoosh to step through).
    """

    def term(field: str, text: str, boost: float = 1.0) -> Q.Query | None:
        if reader is not None and (field, text) not in reader:
            return None
        return Q.Term(field, text, boost=boost)

    optional: list[Q.Query] = []
    weak: list[Q.Query] = []
    # Generic words (开展, 工作, lone characters) only add to the score of passages
    # found by the others: on their own they match most passages, and walking
    # their postings was most of the time of a question's search.
    strong = any(not w.weak for w in parsed.words)
    # Likewise words in more than COMMON_SHARE of the passages (人民, 工作 in news)
    # as long as a rarer word of the query finds passages.
    common: set[str] = set()
    if reader is not None:
        limit = max(reader.doc_count_all() * COMMON_SHARE, COMMON_MIN)
        counts = {w.text: reader.doc_frequency("text", w.text) for w in parsed.words if not w.weak}
        common = {t for t, c in counts.items() if c > limit}
        if len(common) == len(counts):
            common = set()
    for word in parsed.words:
        found = [term("text", word.text), term("heading", word.text, boost=0.3)]
        alternatives: list[Q.Query] = [q for q in found if q is not None]
        if word.subwords:
            parts = [term("text", s) for s in word.subwords]
            if all(q is not None for q in parts):
                alternatives.append(Q.And(parts, boost=0.5))
        for synonym in word.synonyms:
            parts = [term("text", w, boost=0.8) for w in segment.words(synonym)]
            if parts and all(q is not None for q in parts):
                alternatives.append(parts[0] if len(parts) == 1 else Q.And(parts, boost=0.8))
        if not alternatives:
            continue
        (weak if strong and (word.weak or word.text in common) else optional).append(Q.Or(alternatives))
    for facet, keys in (boosts or {}).items():
        optional.extend(Q.Term(facet, key, boost=0.5) for key in keys)
    required: list[Q.Query] = []
    for words, chars in zip(parsed.phrases, parsed.phrase_chars):
        exact: list[Q.Query] = [ExactPhrase(chars)]
        if len(words) > 1:
            exact.append(Q.Phrase("text", words))
        elif words:
            exact.append(Q.Term("text", words[0]))
        required.append(Q.And([exact[0], Q.Or(exact)]) if len(exact) > 1 else exact[0])
    if weak:
        optional = [Q.AndMaybe(Q.Or(optional), Q.Or(weak))] if optional else weak
    if required and optional:
        return Q.AndMaybe(Q.And(required), Q.Or(optional))
    if required:
        return Q.And(required)
    return Q.Or(optional)


def phrase_query(field: str, words: list[str]) -> Q.Query:
    """Return a phrase query on one field (used by tests of token positions).

    ``chars`` (the characters of the phrase) gives an :class:`ExactPhrase`.
    """
    if field == "chars":
        return ExactPhrase(words)
    return Q.Phrase(field, words)


def count(path: Path, query: Q.Query) -> int:
    """Return how many passages of the index at ``path`` match a whoosh query object."""
    ix = _storage(path).open_index()
    try:
        with ix.searcher() as searcher:
            return len(searcher.search(query, limit=None))
    finally:
        ix.close()
