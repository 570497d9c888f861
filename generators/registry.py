"""The document-type registry: every type, built-in or added, comes from one entry-point group.

A document type is one module, one template and one registration line.  The
module defines a :class:`DocumentType`; ``setup.cfg`` (or another package's
metadata) names it in the entry-point group ``dangjian.document_types``::

    [options.entry_points]
    dangjian.document_types =
        study_requirements = dangjian.generators.types.study_requirements:DOCUMENT_TYPE

The built-ins are registered exactly so; nothing here lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from ..kb.errors import InputError, UnknownNameError

if TYPE_CHECKING:
    from .campaign import Campaign
    from .profile import Profile

#: The entry-point group document types register in.
GROUP = "dangjian.document_types"


@dataclass
class Request:
    """Everything a document type gets to write one document."""

    profile: Profile
    campaign: Campaign
    citations: bool | str = True  #: the 依据: file (True, default), appendix, none (False)
    options: dict[str, Any] = field(default_factory=dict)  #: type-specific options (see DocumentType.options)
    warnings: list[str] = field(default_factory=list)  #: the type appends notes for the user here
    working_paper: str = ""  #: the 依据 working paper (Markdown), when the type wrote one
    statements: list[Any] = field(default_factory=list)  #: what each statement rests on (_common.Statement)


@dataclass(frozen=True)
class DocumentType:
    """A kind of document ``kb generate`` can write."""

    key: str  #: English key (``study_requirements``)
    name: str  #: Chinese name (学习要求)
    summary: str  #: one line for ``kb types``
    markdown: Callable[[Request], str]  #: returns the document as Markdown with front matter (docs/render.md)
    aliases: tuple[str, ...] = ()
    template: str = ""  #: the template it renders, for documentation
    phase: str = ""  #: campaign phase it belongs to (taxonomy key), if any
    options: dict[str, str] = field(default_factory=dict)  #: option name → Chinese help
    order: int = 100  #: position in ``kb types`` (smaller first)

    def names(self) -> tuple[str, ...]:
        """Every name the type answers to."""
        return (self.key, self.name, *self.aliases)


_TYPES: dict[str, DocumentType] | None = None


def document_types() -> list[DocumentType]:
    """Return every registered document type, ordered by ``order`` then key."""
    return list(_load().values())


def get_type(name: str) -> DocumentType:
    """Return the type whose key, Chinese name or alias is ``name``; raise UnknownNameError listing them."""
    wanted = name.strip().lower()
    for doc_type in _load().values():
        if wanted in (n.lower() for n in doc_type.names()):
            return doc_type
    from ..kb.didyoumean import suggest

    listing = "、".join(f"{t.name} ({t.key})" for t in _load().values())
    owners = {n: t.name for t in _load().values() for n in t.names()}
    near = suggest(name, owners)
    if near:
        raise UnknownNameError(f"没有名为“{name.strip()}”的文件类型，是不是“{owners[near]}”？（kb types 列出全部）")
    raise UnknownNameError(f"没有名为“{name.strip()}”的文件类型。可选：{listing}")


def _load() -> dict[str, DocumentType]:
    global _TYPES
    if _TYPES is None:
        from importlib.metadata import entry_points

        found: dict[str, DocumentType] = {}
        points = list(entry_points(group=GROUP))
        for point in points:
            try:
                doc_type = point.load()
            except Exception as error:  # a broken plug-in must not take the built-ins down with it
                raise InputError(f"文件类型插件 {point.name}（{point.value}）无法加载：{error}") from None
            if not isinstance(doc_type, DocumentType):
                raise InputError(f"文件类型插件 {point.name}（{point.value}）不是 DocumentType")
            if doc_type.key in found:
                raise InputError(f"文件类型 {doc_type.key} 注册了两次（{point.value}）")
            found[doc_type.key] = doc_type
        if not found:
            raise InputError("没有注册任何文件类型：dangjian 的安装不完整，请重新运行 pip install")
        _TYPES = dict(sorted(found.items(), key=lambda kv: (kv[1].order, kv[0])))
    return _TYPES


def register(doc_type: DocumentType) -> None:
    """Add ``doc_type`` for this process only (tests, notebooks); packages use the entry-point group."""
    types = _load()
    if doc_type.key in types and types[doc_type.key] is not doc_type:
        raise InputError(f"文件类型 {doc_type.key} 已存在")
    types[doc_type.key] = doc_type
