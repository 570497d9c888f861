"""dangjian's knowledge base: bundled guidance, document import and Chinese search.

>>> from dangjian.kb import KnowledgeBase
>>> kb = KnowledgeBase.open()
>>> hits = kb.search("流动党员如何参加学习")

Heavy modules (whoosh, the segmenter) load on first use, not on import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import (
    DangjianError,
    ImportFailed,
    IndexBusyError,
    InputError,
    NotFoundError,
    QueryError,
    UnknownNameError,
)
from .model import Document, Gap, Hit, Passage

if TYPE_CHECKING:
    from .api import KnowledgeBase

__all__ = [
    "KnowledgeBase",
    "Document",
    "Passage",
    "Gap",
    "Hit",
    "DangjianError",
    "ImportFailed",
    "IndexBusyError",
    "InputError",
    "NotFoundError",
    "QueryError",
    "UnknownNameError",
]


def __getattr__(name: str):
    if name == "KnowledgeBase":
        from .api import KnowledgeBase

        return KnowledgeBase
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
