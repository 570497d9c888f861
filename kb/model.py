"""The knowledge base's data model: documents, passages, gaps and search hits.

A document is divided as document → part → item → paragraph → passage.  A
passage ID is ``{doc_id}:{part}.{item}.{para}.{chunk}``: ``part`` 0 is text
before the first part heading, ``item`` 0 is text of a part before its first
numbered item, ``para`` and ``chunk`` count from 1.  Because the ID is a
position in the document, it is the same every time the same content is built.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

#: Tag facets, English keys; values are taxonomy keys (see ``taxonomy.yaml``).
FACETS = ("sector", "phase", "member", "topic")


@dataclass(frozen=True)
class Gap:
    """A number the source text lost, such as the blank in 不少于个月."""

    offset: int  #: character offset in the passage text where the number is missing
    before: str  #: a few characters of context before the gap
    after: str  #: a few characters of context after the gap
    kind: str  #: what is missing, in Chinese (e.g. 月数, 日期, 天数, 人数)

    def __str__(self) -> str:
        # the context without what lies beyond a punctuation mark (间，原则上为▢ → 原则上为▢)
        before = re.split(r"[，。；：、！？,.;:!?]", self.before)[-1]
        after = re.split(r"[，。；：、！？,.;:!?]", self.after)[0]
        return f"{before}▢{after}（缺{self.kind}）"


@dataclass
class Passage:
    """A focused piece of a document (about 100–600 characters) that search returns."""

    id: str
    doc_id: str
    part: int
    item: int
    para: int
    chunk: int
    text: str
    citation: str  #: Chinese citation path, e.g. 《…》一、第四 第2段
    part_title: str = ""
    item_title: str = ""
    tags: dict[str, list[str]] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        data = dict(data)
        data["gaps"] = [Gap(**g) for g in data.get("gaps", [])]
        return cls(**data)


@dataclass
class Document:
    """One imported or bundled document and its passages, in reading order."""

    id: str
    title: str
    source: str  #: file name it was imported from, or ``bundled:<name>``
    sha256: str  #: hash of the cleaned text; the same content is imported once
    issuer: str = ""
    year: int | None = None
    campaign: str = ""
    note: str = ""
    bundled: bool = False
    passages: list[Passage] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  #: lines cleaning removed (ads, site boilerplate)

    @property
    def gaps(self) -> list[tuple[Passage, Gap]]:
        return [(p, g) for p in self.passages for g in p.gaps]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        data = dict(data)
        data["passages"] = [Passage.from_dict(p) for p in data.get("passages", [])]
        return cls(**data)


@dataclass
class Hit:
    """One search result."""

    rank: int
    score: float
    passage: Passage
    title: str  #: the document's title
    snippet: str  #: a short excerpt with matched terms wrapped in 【】

    def to_dict(self) -> dict[str, Any]:
        p = self.passage
        return {
            "rank": self.rank,
            "id": p.id,
            "doc": p.doc_id,
            "title": self.title,
            "path": p.citation,
            "text": p.text,
            "snippet": self.snippet,
            "score": round(self.score, 4),
            "tags": p.tags,
            "gaps": [str(g) for g in p.gaps],
        }
