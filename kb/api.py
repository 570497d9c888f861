"""The knowledge base as a Python object: open, add, search, show, remove, rebuild.

>>> from dangjian.kb import KnowledgeBase
>>> kb = KnowledgeBase.open("/tmp/kb")           # bundled guidance is indexed on first use
>>> [hit.passage.citation for hit in kb.search("流动党员如何参加学习", limit=3)]

Everything the ``kb`` commands do goes through this class.  Writing (add,
remove, rebuild, first use) takes the home directory's write lock, waiting at
most ``lock_timeout`` seconds; searching and reading never wait.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.resources
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import query as query_mod
from . import taxonomy as taxonomy_mod
from .errors import DangjianError, IndexCorruptError, NotFoundError, QueryError, WriteFailed
from .model import FACETS, Document, Hit, Passage
from .limits import MAX_PASSAGES
from .store import Store, os_reason, summary, write_failed
from .terminal import safe_text

Progress = Callable[[str], None]

#: Most hits one search returns.
MAX_LIMIT = 1000
#: Characters of passage text from which ``add`` commits what it has read (bounds memory on big folders).
MAX_BATCH_CHARS = 20_000_000
#: Passages from which a rebuild indexes in two processes (where the platform forks).
PARALLEL_FROM = 5000


@dataclass
class FileResult:
    """What happened to one file (or document) given to :meth:`KnowledgeBase.add`."""

    path: str
    status: str  #: ``added``, ``skipped`` or ``failed``
    message: str = ""  #: why it was skipped or failed, in Chinese
    doc_id: str | None = None
    title: str = ""
    passages: int = 0
    gaps: int = 0
    dropped: list[str] = field(default_factory=list)  #: lines cleaning removed


@dataclass
class AddReport:
    """Per-file results of an import."""

    results: list[FileResult] = field(default_factory=list)

    def _with(self, status: str) -> list[FileResult]:
        return [r for r in self.results if r.status == status]

    @property
    def added(self) -> list[FileResult]:
        return self._with("added")

    @property
    def skipped(self) -> list[FileResult]:
        return self._with("skipped")

    @property
    def failed(self) -> list[FileResult]:
        return self._with("failed")

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failed

    def summary(self) -> str:
        """Return a one-line Chinese summary (导入 2 个，跳过 1 个，失败 0 个)."""
        return f"导入 {len(self.added)} 个，跳过 {len(self.skipped)} 个，失败 {len(self.failed)} 个"


def _skip_reason(path: Path, wanted: set[str]) -> str:
    """Why a file found in a folder is not imported ('' when it is)."""
    from .readers import unsupported_message

    if path.name.startswith("~$"):
        return "Word/WPS 打开文件时留下的临时文件"
    if path.suffix.lower() not in wanted:
        return unsupported_message(path.name, path.suffix.lower())
    return ""


@dataclass
class IndexInfo:
    """What the index holds and the versions it was built with."""

    home: Path
    documents: int
    passages: int
    versions: dict[str, str]
    built: str


@functools.lru_cache(maxsize=1)
def _bundled_fingerprint() -> str:
    digest = hashlib.sha256()
    root = importlib.resources.files("dangjian.corpus").joinpath("guidance")
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_file():
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    # The bundled documents are built by the ingest code: a change there changes them too.
    code = importlib.resources.files("dangjian.kb")
    for name in ("readers.py", "clean.py", "outline.py", "bundled.py"):
        entry = code.joinpath(name)
        if entry.is_file():
            digest.update(entry.read_bytes())
    try:
        digest.update(importlib.metadata.version("dangjian").encode())
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - source tree without install
        pass
    return digest.hexdigest()[:16]


def _merge_tags(*sources: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for tags in sources:
        for facet, keys in tags.items():
            merged.setdefault(facet, [])
            merged[facet].extend(k for k in keys if k not in merged[facet])
    return {f: merged[f] for f in FACETS if merged.get(f)} | {f: v for f, v in merged.items() if f not in FACETS}


def _renamed(document: Document, new_id: str) -> Document:
    passages = [replace(p, id=f"{new_id}:{p.id.rpartition(':')[2]}", doc_id=new_id) for p in document.passages]
    return replace(document, id=new_id, passages=passages)


class KnowledgeBase:
    """A user's knowledge base: documents on disk and their search index."""

    def __init__(self, store: Store, *, progress: Progress | None = None) -> None:
        """Use :meth:`open`, which also builds the index when needed."""
        from .index import Index

        self.store = store
        self.home = store.home
        self.taxonomy = taxonomy_mod.load(store.home)
        self._index = Index(store.index_dir)
        self._build_id: str | None = None
        self._docs: dict[str, Document] = {}
        self._progress = progress

    # -- opening and keeping the index current ------------------------------------

    @classmethod
    def open(cls, home: str | os.PathLike[str] | None = None, *, lock_timeout: float = 10.0,
             progress: Progress | None = None, repair: bool = True) -> KnowledgeBase:
        """Return the knowledge base in ``home`` (default: ``$DANGJIAN_HOME`` or the user data dir).

        On first use the bundled guidance is stored and indexed; when the
        segmenter, dictionary, taxonomy or schema changed, the index is rebuilt.
        A change that a crash left unfinished (or a deleted ``catalog.json``) is
        repaired, unless ``repair`` is false (see :meth:`check`).
        ``progress`` receives Chinese status lines while that happens.
        """
        store = Store(home, lock_timeout=lock_timeout)
        store.ensure()
        kb = cls(store, progress=progress)
        kb._ensure_current(repair)
        return kb

    def _wanted(self) -> dict[str, str]:
        from .index import versions

        return versions() | {"taxonomy": self.taxonomy.version()}

    def _current(self, state: dict[str, Any]) -> bool:
        from .index import Index

        return (
            state.get("versions") == self._wanted()
            and state.get("bundled") == _bundled_fingerprint()
            and Index.exists(self.store.index_dir)
        )

    def _ensure_current(self, repair: bool = True) -> None:
        from .consistency import needs_repair

        state = self.store.load_state()
        if not self._current(state):
            with self.store.lock:
                state = self.store.load_state()
                if not self._current(state):
                    first = not state
                    self._say("首次使用：正在建立知识库和检索索引……" if first else "检索索引需要更新，正在重建……")
                    self._finish_removal()
                    self._seed_bundled(state)
                    self._rebuild_locked(state)
                    state = self.store.load_state()
        elif repair and needs_repair(self.store):
            self._repair_on_open()
            state = self.store.load_state()
        self._build_id = state.get("build_id")

    def _finish_removal(self) -> None:
        """Delete the files an interrupted removal had still to delete (before a rebuild from the files)."""
        journal = self.store.read_journal()
        if journal is not None and journal["op"] == "remove":
            for doc_id in journal["docs"]:
                self.store.delete_document(doc_id)

    def _repair_on_open(self) -> None:
        """Repair what the cheap checks found, if no other process is writing (readers never wait)."""
        from .consistency import examine, needs_repair, repair

        if not self.store.lock.try_acquire():
            return  # another process is writing: what looks unfinished may be its work
        try:
            if not needs_repair(self.store):
                return
            plan = examine(self)
            self._say("知识库上次的写入没有完成，正在修复：" + "；".join(p.message for p in plan.problems[:3])
                      + (f" 等 {len(plan.problems)} 项" if len(plan.problems) > 3 else ""))
            repair(self, plan)
            self._say("修复完成")
        except (OSError, DangjianError) as error:
            # Reading can go on; the journal stays, so the next writer repairs.
            reason = os_reason(error) if isinstance(error, OSError) else str(error)
            self._say(f"知识库需要修复，但修复没有完成（{reason}）；请解决后运行 kb index --repair")
        finally:
            self.store.lock.release()

    # -- consistency ------------------------------------------------------------------

    def check(self) -> list[Any]:
        """Compare the catalog and the index with the document files; return the problems (empty if none).

        Each problem (:class:`dangjian.kb.consistency.Problem`) has a Chinese ``message``.
        Nothing is changed; :meth:`repair` fixes them.
        """
        from .consistency import examine

        self._fresh()
        return examine(self, deep=True).problems

    def repair(self) -> list[Any]:
        """Fix what :meth:`check` finds (the document files are the truth); return the problems fixed."""
        from .consistency import examine, repair

        with self.store.lock:
            self._fresh()
            plan = examine(self, deep=True)
            if plan.problems:
                try:
                    repair(self, plan)
                except OSError as error:
                    raise write_failed(error, "修复知识库") from None
        return plan.problems

    def _say(self, message: str) -> None:
        if self._progress:
            self._progress(message)

    def _fresh(self) -> None:
        """Reopen the index if another process rebuilt it since we opened it."""
        state = self.store.load_state()
        if state.get("build_id") != self._build_id:
            self._index.close()
            self._docs.clear()
            self._build_id = state.get("build_id")

    def close(self) -> None:
        """Release open index files."""
        self._index.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- tags -------------------------------------------------------------------------

    def _tagged(self, passage: Passage, campaign: bool = True) -> Passage:
        headings = " ".join(t for t in (passage.part_title, passage.item_title) if t)
        found = self.taxonomy.tag(passage.text, headings)
        if not campaign:
            found = {f: keys for f, keys in found.items() if f not in taxonomy_mod.CAMPAIGN_FACETS}
        return replace(passage, tags=_merge_tags(passage.tags, found))

    def _tagged_document(self, document: Document) -> Document:
        # The campaign's phases and themes only on that campaign's documents (先进性教育 named in
        # the text, or a campaign given), not on every regulation that says 培训 or 整改.
        text = "".join(p.text for p in document.passages)
        campaign = self.taxonomy.campaign_document(document.campaign, text)
        return replace(document, passages=[self._tagged(p, campaign) for p in document.passages])

    # -- bundled documents ------------------------------------------------------------

    def _seed_bundled(self, state: dict[str, Any], restore: bool = False) -> None:
        from .bundled import bundled_documents

        removed = set() if restore else set(state.get("removed_bundled", []))
        for document in bundled_documents():
            document = replace(document, bundled=True)
            if document.id in removed:
                continue
            # Compare whole documents: improved ingest code can re-cut the same text.
            if self.store.has_document(document.id):
                if self.store.read_document(document.id).to_dict() == document.to_dict():
                    continue
            self.store.write_document(document)
        state["removed_bundled"] = sorted(removed)
        state["bundled"] = _bundled_fingerprint()
        self.store.save_state(state)

    # -- writing ---------------------------------------------------------------------------

    def rebuild(self, progress: Progress | None = None, *, restore_bundled: bool = False) -> IndexInfo:
        """Rebuild the index from the stored documents and return what it holds.

        With ``restore_bundled``, bundled documents that were removed come back.
        """
        if progress:
            self._progress = progress
        with self.store.lock:
            state = self.store.load_state()
            self._finish_removal()
            try:
                self._seed_bundled(state, restore=restore_bundled)
            except Exception as error:
                raise write_failed(error, "重建检索索引") from None
            self._rebuild_locked(state)
        return self.info()

    def _rebuild_locked(self, state: dict[str, Any]) -> None:
        """Build a new index and catalog from the document files, then swap the index in.

        The journal says a rebuild is under way until the catalog and state are
        written: a crash or a failure after the swap makes the next open rebuild
        again; a failure before it removes the staging index and keeps the live one.
        """
        try:
            self._rebuild_steps(state)
        except DangjianError:
            raise
        except Exception as error:
            raise write_failed(error, "重建检索索引") from None

    def _rebuild_steps(self, state: dict[str, Any]) -> None:
        from .index import Index

        started = time.monotonic()
        unfinished = self.store.read_journal() is not None
        self._index.close()
        self.store.remove_leftovers()
        documents = []
        for doc_id in sorted(self.store.doc_ids()):
            try:
                documents.append(self.store.read_document(doc_id))
            except IndexCorruptError:
                aside = self.store.set_aside(doc_id)
                self._say(f"文档文件 {aside.name} 已损坏，已移到一旁，该文档不在知识库中（需要时请重新导入）")
        total = len(documents)
        self._say(f"正在为 {total} 个文档建立索引……")
        self.store.write_journal("rebuild", [])
        staging = self.store.home / "index.new"
        done = [0]

        def step(document: Document) -> None:
            done[0] += 1
            if total > 20 and done[0] % max(total // 10, 1) == 0:
                self._say(f"  已索引 {done[0]}/{total} 个文档")

        try:
            fresh = Index.create(staging)
            try:
                # Two indexing processes for large rebuilds: about 1.4x faster on two cores.
                fresh.write(add=(self._tagged_document(d) for d in documents), progress=step,
                            workers=2 if sum(len(d.passages) for d in documents) >= PARALLEL_FROM else 1)
            finally:
                fresh.close()
        except BaseException:
            # The live index is untouched: drop the staging copy (it may be what fills the disk).
            shutil.rmtree(staging, ignore_errors=True)
            if not unfinished:
                self.store.clear_journal()
            raise
        live = self.store.index_dir
        old = self.store.home / f"index.old-{uuid.uuid4().hex[:8]}"
        moved = False
        try:
            if live.exists():
                os.replace(live, old)
                moved = True
            os.replace(staging, live)
        except BaseException:
            if moved and not live.exists():
                try:
                    os.replace(old, live)
                except OSError:
                    pass  # no index: the next open rebuilds (the journal says so)
            shutil.rmtree(staging, ignore_errors=True)
            raise
        shutil.rmtree(old, ignore_errors=True)
        try:
            old_catalog = self.store.catalog()
        except IndexCorruptError:
            old_catalog = {}
        catalog = {}
        for document in documents:
            entry = summary(document)
            entry["added"] = old_catalog.get(document.id, {}).get("added", entry["added"])
            catalog[document.id] = entry
        self.store.save_catalog(catalog)
        state["versions"] = self._wanted()
        state["build_id"] = uuid.uuid4().hex
        state["built"] = time.strftime("%Y-%m-%d %H:%M:%S")
        state["build_seconds"] = round(time.monotonic() - started, 3)
        self.store.save_state(state)
        self.store.clear_journal()
        self._build_id = state["build_id"]
        self._docs.clear()
        self._say(f"索引完成：{total} 个文档，{sum(len(d.passages) for d in documents)} 段，"
                  f"用时 {state['build_seconds']:.1f} 秒")

    def add(self, paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> AddReport:
        """Import files and folders (recursively) and return what happened to each file.

        Each file succeeds or fails on its own; content already in the
        knowledge base (same sha256) is skipped.  Documents are committed in
        batches of about :data:`MAX_BATCH_CHARS` characters; if writing fails,
        none of that batch's documents is kept and nothing already there is lost.
        """
        from .outline import import_file
        from .readers import SUPPORTED_SUFFIXES

        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        report = AddReport()
        candidates: list[tuple[str, Document]] = []
        pending = 0
        for path in self._expand([Path(p) for p in paths], SUPPORTED_SUFFIXES, report):
            try:
                if path.is_file() and path.stat().st_size > 2_000_000:
                    self._say(f"正在读取 {safe_text(path.name)}（{path.stat().st_size / 1e6:.1f} MB）……")
            except OSError:
                pass
            try:
                document = import_file(path)
            except DangjianError as error:
                report.results.append(FileResult(str(path), "failed", str(error)))
                continue
            except RecursionError:
                report.results.append(FileResult(str(path), "failed", f"{path.name} 的结构嵌套太深，未导入"))
                continue
            except MemoryError:
                report.results.append(FileResult(str(path), "failed", f"{path.name} 太大，内存不足，未导入"))
                continue
            except Exception as error:  # one bad file must not stop the others
                report.results.append(FileResult(
                    str(path), "failed", f"导入 {path.name} 时出错（{type(error).__name__}），未导入；请把该文件报告给开发者"))
                continue
            candidates.append((str(path), document))
            pending += sum(len(passage.text) for passage in document.passages)
            if pending > MAX_BATCH_CHARS:
                # Commit in batches: a folder of large files is not all held in memory at once.
                self._add_documents(candidates, report)
                candidates, pending = [], 0
        self._add_documents(candidates, report)
        return report

    def add_documents(self, documents: Iterable[Document]) -> AddReport:
        """Add already-built documents (for example generated ones) in one index commit.

        Same rules as :meth:`add`: duplicates by sha256 are skipped, clashing
        IDs get a suffix (``-2``), and a failed index write keeps nothing.
        """
        report = AddReport()
        self._add_documents([(d.source or d.id, d) for d in documents], report)
        return report

    @staticmethod
    def _expand(paths: list[Path], suffixes: Iterable[str], report: AddReport) -> list[Path]:
        files: list[Path] = []
        wanted = {s.lower() for s in suffixes}
        for path in paths:
            if path.is_dir():
                found = []
                unreadable: list[OSError] = []
                # os.walk, not rglob: rglob skips a folder it cannot read without a word.
                for folder, dirs, names in os.walk(path, onerror=unreadable.append):
                    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                    for name in sorted(names):
                        candidate = Path(folder, name)
                        if name.startswith(".") or not candidate.is_file():
                            continue
                        reason = _skip_reason(candidate, wanted)
                        if reason:  # said and counted, never dropped without a word
                            report.results.append(FileResult(str(candidate), "skipped", reason))
                        else:
                            found.append(candidate)
                found.sort()
                for error in unreadable:
                    where = error.filename or path
                    reason = "没有读取权限" if isinstance(error, PermissionError) else os_reason(error)
                    report.results.append(FileResult(
                        str(where), "failed", f"无法读取文件夹 {where}（{reason}），其中的文件没有导入"))
                if not found and not unreadable:
                    report.results.append(FileResult(
                        str(path), "failed", f"文件夹 {path} 中没有可导入的文件（{' '.join(sorted(wanted))}）"))
                files.extend(found)
            else:
                files.append(path)
        return files

    def _add_documents(self, candidates: list[tuple[str, Document]], report: AddReport) -> None:
        if not candidates:
            return
        with self.store.lock:
            self._fresh()
            catalog = self.store.catalog()
            known = {entry["sha256"]: doc_id for doc_id, entry in catalog.items()}
            titles = {doc_id: entry.get("title", "") for doc_id, entry in catalog.items()}
            taken = set(catalog)
            new: list[tuple[FileResult, Document]] = []
            for path, document in candidates:
                if not document.passages:
                    report.results.append(FileResult(path, "failed", f"{Path(path).name} 中没有可检索的正文"))
                    continue
                if len(document.passages) > MAX_PASSAGES:
                    report.results.append(FileResult(path, "failed", (
                        f"{Path(path).name} 切分出 {len(document.passages):,} 段，超过一个文档的上限 {MAX_PASSAGES:,} 段；"
                        "请拆分成几个文件后再导入")))
                    continue
                if document.sha256 in known:
                    other = known[document.sha256]
                    title = titles.get(other, "")
                    report.results.append(FileResult(
                        path, "skipped", f"内容与已有文档 {other}《{title}》相同，已跳过", other, title))
                    continue
                if document.id in taken:
                    n = 2
                    while f"{document.id}-{n}" in taken:
                        n += 1
                    document = _renamed(document, f"{document.id}-{n}")
                known[document.sha256] = document.id
                titles[document.id] = document.title
                taken.add(document.id)
                result = FileResult(path, "added", "", document.id, document.title, len(document.passages),
                                    len(document.gaps), list(document.dropped))
                new.append((result, document))
                report.results.append(result)
            if not new:
                return
            # The journal first, then the document files (the truth), the catalog and
            # the index; the journal goes last.  A crash at any point leaves the
            # journal, and the next open completes the documents whose files exist.
            ids = [document.id for _, document in new]
            try:
                self.store.write_journal("add", ids)
                for _, document in new:
                    self.store.write_document(document)
                for _, document in new:
                    catalog[document.id] = summary(document)
                self.store.save_catalog(catalog)
                passages = sum(len(d.passages) for _, d in new)
                if passages > 2000:
                    self._say(f"正在建立索引（{len(new)} 个文档，{passages:,} 段）……")
                self._index.write(add=[self._tagged_document(d) for _, d in new])
                self.store.clear_journal()
            except BaseException as error:
                undone = self._undo_add(ids)
                for result, _ in new:
                    result.status = "failed"
                    result.message = (f"写入知识库失败（{os_reason(error)}），已撤销本次导入"
                                      + ("" if undone else "；下次运行 kb 时会自动修复，也可运行 kb index --repair"))
                if not isinstance(error, Exception):
                    raise
                return

    def _undo_add(self, ids: list[str]) -> bool:
        """Undo an import that failed: delete its files, then repair catalog and index; False if that failed."""
        from .consistency import examine, repair

        for doc_id in ids:
            try:
                self.store.delete_document(doc_id)
            except OSError:
                pass
        if self.store.read_journal() is None:
            return True  # failed before the journal was written: nothing else was changed
        try:
            repair(self, examine(self))
        except (OSError, DangjianError):
            return False
        return True

    def remove(self, doc_id: str) -> Document:
        """Remove a document (bundled ones too) and return it.

        A removed bundled document stays removed until ``rebuild(restore_bundled=True)``.
        """
        from .consistency import examine, repair

        with self.store.lock:
            self._fresh()
            document = self.document(doc_id)
            try:
                self.store.write_journal("remove", [document.id])
            except Exception as error:
                raise write_failed(error, f"删除文档 {document.id} ") from None
            try:
                if document.bundled:
                    state = self.store.load_state()
                    state["removed_bundled"] = sorted({*state.get("removed_bundled", []), document.id})
                    self.store.save_state(state)
                self.store.delete_document(document.id)
                catalog = self.store.catalog()
                catalog.pop(document.id, None)
                self.store.save_catalog(catalog)
                self._index.write(delete=[document.id])
                self.store.clear_journal()
            except Exception as error:
                # The journal records the removal: finish it now if possible, else on the next open.
                try:
                    repair(self, examine(self))
                    finished = "文档已删除"
                except (OSError, DangjianError):
                    finished = "下次运行 kb 时会自动完成删除，也可运行 kb index --repair"
                if isinstance(error, DangjianError):
                    raise
                raise WriteFailed(f"删除文档 {document.id} 时写入失败（{os_reason(error)}）；{finished}") from None
            self._docs.pop(document.id, None)
            return document

    # -- reading ---------------------------------------------------------------------------

    def document(self, doc_id: str) -> Document:
        """Return a document with its passages (tagged); :class:`NotFoundError` if absent."""
        document = self._docs.get(doc_id)
        if document is None:
            document = self._tagged_document(self.store.read_document(doc_id))
            if len(self._docs) > 64:
                self._docs.clear()
            self._docs[doc_id] = document
        return document

    def documents(self) -> list[Document]:
        """Return every document in the knowledge base, sorted by ID."""
        return [self.document(doc_id) for doc_id in sorted(self.store.catalog())]

    def catalog(self) -> dict[str, dict[str, Any]]:
        """Return ``{doc id: summary}`` (title, source, passages, gaps, added…) without loading passages."""
        return self.store.catalog()

    def passage(self, passage_id: str) -> Passage:
        """Return a passage by its ID (``doc:part.item.para.chunk``)."""
        document, index = self._locate(passage_id)
        return document.passages[index]

    def neighbours(self, passage_id: str, n: int = 1) -> tuple[list[Passage], list[Passage]]:
        """Return (up to ``n`` passages before, up to ``n`` after) the passage, in reading order."""
        document, index = self._locate(passage_id)
        n = max(int(n), 0)
        return document.passages[max(index - n, 0) : index], document.passages[index + 1 : index + 1 + n]

    def _locate(self, passage_id: str) -> tuple[Document, int]:
        passage_id = passage_id.strip()
        doc_id, sep, _ = passage_id.rpartition(":")
        if not sep or not doc_id:
            raise NotFoundError(f"段落编号“{passage_id}”格式不对，应为 文档:部分.条.段.块，例如 xjx2005:3.4.1.1")
        try:
            document = self.document(doc_id)
        except NotFoundError:
            raise NotFoundError(f"没有编号为 {passage_id} 的段落：知识库中没有文档 {doc_id}") from None
        for index, passage in enumerate(document.passages):
            if passage.id == passage_id:
                return document, index
        raise NotFoundError(f"文档 {doc_id} 中没有编号为 {passage_id} 的段落（kb search 的结果给出编号）")

    def article(self, document: str, place: str) -> Passage:
        """Return the first passage of an article or heading of a document: ``article("章程", "第四条")``.

        ``document`` is a document ID, its title, or a part of exactly one title
        (章程 for 《中国共产党章程》); ``place`` is what its citations say
        (第四条, 第4条, 第二章 第四条, 总纲, 一、（三）).  Raises :class:`NotFoundError`.
        """
        from .outline import find_place

        doc_id = self._document_named(document)
        found = find_place(self.document(doc_id), place)
        if found is None:
            raise NotFoundError(f"《{self.document(doc_id).title}》中没有“{place.strip()}”（引用写法见 kb search 的结果）")
        return found

    def _document_named(self, value: str) -> str:
        value = value.strip().strip("《》")
        catalog = self.store.catalog()
        if value in catalog:
            return value
        titles = {doc_id: str(entry.get("title", "")) for doc_id, entry in catalog.items()}
        exact = [doc_id for doc_id, title in titles.items() if title == value]
        partial = [doc_id for doc_id, title in titles.items() if value and value in title]
        for found in (exact, partial):
            if len(found) == 1:
                return found[0]
        if len(partial) > 1:
            names = "、".join(f"《{titles[d]}》（{d}）" for d in sorted(partial)[:5])
            raise NotFoundError(f"“{value}”对应多个文档：{names}，请写全标题或用文档编号")
        raise NotFoundError(f"知识库中没有文档“{value}”（用 kb docs 查看文档编号和标题）")

    def info(self) -> IndexInfo:
        """Return the number of documents and passages and the index versions."""
        self._fresh()
        state = self.store.load_state()
        passages = self._index.passage_count()
        documents = len(self.store.catalog())
        return IndexInfo(self.home, documents, passages, dict(state.get("versions", {})), state.get("built", ""))

    # -- searching --------------------------------------------------------------------------

    def search(self, query: str, sector: str | None = None, phase: str | None = None, member: str | None = None,
               topic: str | None = None, doc: str | None = None, limit: int = 10) -> list[Hit]:
        """Return up to ``limit`` passages for ``query``, best first.

        Words are optional and passages containing more of them rank first;
        quoted phrases ("…" or “…”) must occur exactly; a word with synonyms
        in the taxonomy (打工 → 流动, 务工) is found by them too.  ``sector``, ``phase``,
        ``member`` and ``topic`` take Chinese names, aliases or English keys
        and keep only passages with that tag; ``doc`` keeps one document (ID or
        title).  Raises :class:`QueryError` for a query with nothing to search.
        """
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"结果条数应是 1 到 {MAX_LIMIT} 之间的整数，而不是 {limit!r}")
        parsed = query_mod.parse(query, self.taxonomy.synonyms)
        filters: dict[str, str] = {}
        for facet, value in zip(FACETS, (sector, phase, member, topic)):
            if value is not None and str(value).strip():
                filters[facet] = self.taxonomy.resolve(facet, str(value))
        if doc is not None and str(doc).strip():
            filters["doc"] = self._doc_id(str(doc))
        boosts = {}
        # 打工 boosts the passages tagged 流动 as 流动 would
        mentioned = " ".join([parsed.text, *(s for w in parsed.words for s in w.synonyms)])
        for facet in FACETS:
            keys = [k for k in self.taxonomy.mentions(facet, mentioned) if filters.get(facet) != k]
            if keys:
                boosts[facet] = keys
        self._fresh()
        raw = self._index.search(parsed, filters, boosts, limit=max(limit * 10, 100))
        weights = self._index.word_weights(parsed)
        keys = {id(h): query_mod.coverage(parsed, h.passage.text, weights) for h in raw}
        # Query words found (weighted by rarity), with those close together in one sentence counting
        # half as much again; whoosh's score breaks ties.
        ranked = sorted(raw, key=lambda h: (-round(keys[id(h)][0] + 0.5 * keys[id(h)][1], 6), -h.score))[:limit]
        return [
            Hit(rank, h.score, h.passage, h.title, query_mod.snippet(h.passage.text, parsed))
            for rank, h in enumerate(ranked, 1)
        ]

    def _doc_id(self, value: str) -> str:
        catalog = self.store.catalog()
        value = value.strip()
        if value in catalog:
            return value
        titles = [doc_id for doc_id, entry in catalog.items() if entry.get("title") == value.strip("《》")]
        if len(titles) == 1:
            return titles[0]
        raise NotFoundError(f"知识库中没有文档“{value}”（用 kb docs 查看文档编号）")
