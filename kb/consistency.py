"""Checking and repairing a knowledge base: catalog and index brought in line with the document files.

The document files in ``docs/`` are the source of truth (see :mod:`dangjian.kb.store`).
:func:`examine` compares the journal of an unfinished change, leftovers of
interrupted writes, ``catalog.json`` and the index with them and returns the
problems found with what will fix each; :func:`repair` carries that out.  Both
need the write lock held by the caller for a repair.

Opening a knowledge base runs the cheap part (:func:`needs_repair`: journal,
leftovers, the catalog's list of documents against the files) and repairs what
it finds; ``kb index --check`` also compares every document with the index,
and ``kb index --repair`` fixes what that finds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import IndexCorruptError
from .model import Document
from .store import Store, summary

if TYPE_CHECKING:  # pragma: no cover
    from .api import KnowledgeBase

#: catalog fields that must agree with the document file ("added" is the import time, kept as it is)
_SUMMARY_KEYS = ("title", "source", "sha256", "bundled", "passages", "gaps", "dropped", "issuer", "year")


@dataclass
class Problem:
    """One disagreement between the document files and what is derived from them."""

    kind: str  #: journal, leftover, damaged, catalog, index, rebuild
    message: str  #: in Chinese
    doc_id: str | None = None


@dataclass
class Plan:
    """What :func:`repair` does: the problems and the actions that fix them."""

    problems: list[Problem] = field(default_factory=list)
    rebuild: bool = False  #: rebuild the whole index from the files
    finish_removal: list[str] = field(default_factory=list)  #: document files a removal had still to delete
    set_aside: list[str] = field(default_factory=list)  #: damaged document files to rename
    catalog: dict[str, dict[str, Any]] | None = None  #: the catalog to save (None: unchanged)
    reindex: list[Document] = field(default_factory=list)
    unindex: list[str] = field(default_factory=list)
    leftovers: bool = False
    journal: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def needs_repair(store: Store) -> bool:
    """Return True when the cheap checks find something to repair (no document file is read)."""
    if store.read_journal() is not None or store.leftovers():
        return True
    try:
        catalog = store.catalog()
    except IndexCorruptError:
        return True
    ids = store.doc_ids()
    if ids and not store.has_catalog():
        return True
    return set(catalog) != ids


def examine(kb: KnowledgeBase, deep: bool = False) -> Plan:
    """Return the problems of the knowledge base and how to fix them.

    Without ``deep`` only the documents a journal names, or that the catalog and
    the file list disagree on, are read; with it every document is read and
    compared with the index.
    """
    store = kb.store
    plan = Plan()
    journal = store.read_journal()
    ids = store.doc_ids()
    scope: set[str] = set()
    if journal is not None:
        plan.journal = True
        started = f"，开始于 {journal['started']}" if journal.get("started") else ""
        names = {"add": "导入", "remove": "删除", "rebuild": "重建索引"}
        plan.problems.append(Problem(
            "journal", f"上次的{names[journal['op']]}没有完成（进程 {journal.get('pid', '?')}{started}），"
                       f"涉及 {len(journal['docs'])} 个文档"))
        if journal["op"] == "remove":
            plan.finish_removal = [d for d in journal["docs"] if d in ids]
            ids -= set(plan.finish_removal)
        elif journal["op"] == "rebuild":
            plan.rebuild = True
        scope |= set(journal["docs"])
    for path in store.leftovers():
        plan.leftovers = True
        plan.problems.append(Problem("leftover", f"中断的写入留下了 {path.relative_to(store.home)}"))
    try:
        catalog = store.catalog()
        if ids and not store.has_catalog():
            plan.problems.append(Problem("catalog", f"catalog.json 不见了，docs/ 中有 {len(ids)} 个文档"))
    except IndexCorruptError:
        catalog = {}
        plan.problems.append(Problem("catalog", "catalog.json 已损坏"))
    scope |= set(catalog) ^ ids
    if deep or plan.rebuild:
        scope |= ids | set(catalog)
    from .index import Index

    if not Index.exists(store.index_dir):
        plan.rebuild = True
        plan.problems.append(Problem("index", "检索索引不存在或无法打开"))
    present: dict[str, Document] = {}
    for doc_id in sorted(scope & ids):
        try:
            present[doc_id] = store.read_document(doc_id)
        except IndexCorruptError:
            plan.set_aside.append(doc_id)
            plan.problems.append(Problem("damaged", f"文档文件 {store.doc_path(doc_id).name} 已损坏，将移到一旁（改名为 .damaged）", doc_id))
    new_catalog = dict(catalog)
    for doc_id in sorted(scope):
        document = present.get(doc_id)
        entry = catalog.get(doc_id)
        if document is None:
            if entry is not None:
                new_catalog.pop(doc_id)
                plan.problems.append(Problem("catalog", f"目录中的文档 {doc_id} 没有文档文件", doc_id))
            continue
        wanted = summary(document)
        if entry is None:
            plan.problems.append(Problem("catalog", f"文档 {doc_id} 不在目录 catalog.json 中", doc_id))
            new_catalog[doc_id] = wanted
        elif any(entry.get(k) != wanted.get(k) for k in _SUMMARY_KEYS):
            plan.problems.append(Problem("catalog", f"目录中文档 {doc_id} 的信息与文档文件不符", doc_id))
            new_catalog[doc_id] = wanted | {"added": entry.get("added", wanted["added"])}
    if new_catalog != catalog or not store.has_catalog() and ids:
        plan.catalog = new_catalog
    if plan.rebuild:
        return plan
    absent = sorted(d for d in scope if d not in present)
    if deep:
        try:
            held = kb._index.contents()
        except IndexCorruptError:
            plan.rebuild = True
            plan.problems.append(Problem("index", "检索索引无法读取"))
            return plan
        for doc_id, document in present.items():
            wanted_ids = sorted(p.id for p in document.passages)
            have = sorted(held.get(doc_id, []))
            if have != wanted_ids:
                if not have:
                    text = f"文档 {doc_id} 的 {len(wanted_ids)} 段不在索引中"
                elif len(have) > len(set(have)):
                    text = f"文档 {doc_id} 的段落在索引中重复（应有 {len(wanted_ids)} 段，索引中有 {len(have)} 段）"
                else:
                    text = f"文档 {doc_id} 应有 {len(wanted_ids)} 段，索引中有 {len(have)} 段"
                plan.problems.append(Problem("index", text, doc_id))
                plan.reindex.append(document)
        for doc_id in sorted(set(held) - set(present)):
            if doc_id not in ids or doc_id in plan.set_aside:
                plan.problems.append(Problem("index", f"索引中还有已不在知识库中的文档 {doc_id}（{len(held[doc_id])} 段）", doc_id))
                plan.unindex.append(doc_id)
    else:
        # Without reading the index, make it agree for every document in doubt (idempotent).
        plan.reindex = [present[d] for d in sorted(present)]
        plan.unindex = absent
    return plan


def repair(kb: KnowledgeBase, plan: Plan) -> None:
    """Carry out ``plan`` (the caller holds the write lock)."""
    store = kb.store
    for doc_id in plan.finish_removal:
        store.delete_document(doc_id)
    for doc_id in plan.set_aside:
        store.set_aside(doc_id)
    if plan.leftovers:
        kb._index.close()
        store.remove_leftovers()
    if plan.rebuild:
        kb._rebuild_locked(store.load_state())  # builds index and catalog from the files, clears the journal
        return
    if plan.catalog is not None:
        store.save_catalog(plan.catalog)
    if plan.reindex or plan.unindex:
        kb._index.write(add=[kb._tagged_document(d) for d in plan.reindex], delete=plan.unindex)
    kb._docs.clear()
    store.clear_journal()
