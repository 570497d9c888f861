"""Where a user's knowledge base lives on disk, and how it is written safely.

Layout of the home directory::

    docs/<doc id>.json   one file per document (passages, tags, gaps)
    catalog.json         summary of every document (title, source, sha256, counts)
    index/               the whoosh search index (see :mod:`dangjian.kb.index`)
    state.json           versions the index was built with; bundled documents seeded
    journal.json         present while a change is under way: what it changes
    taxonomy.yaml        optional user extension of the taxonomy
    write.lock           held while one process writes

Every file is written to a temporary name and renamed over the old one, so a
reader sees either the old or the new version.  Writers take ``write.lock``
with a bounded wait; readers never take it.

The document files are the source of truth; the catalog and the index are
derived from them.  A change first writes ``journal.json`` (the IDs it
touches), then the document files, the catalog and the index, and deletes the
journal last.  After a crash the journal says which documents to bring the
catalog and the index in line with (see :mod:`dangjian.kb.consistency`).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote, unquote

from .errors import IndexBusyError, IndexCorruptError, InputError, NotFoundError, WriteFailed
from .model import Document

APP = "dangjian"


def default_home() -> Path:
    """Return the per-user data directory: ``%LOCALAPPDATA%\\dangjian`` on Windows, else XDG data home."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP


def resolve_home(home: str | os.PathLike[str] | None = None) -> Path:
    """Return the knowledge base directory: ``home`` if given, else ``$DANGJIAN_HOME``, else the default."""
    if home is not None and str(home) != "":
        return Path(home).expanduser()
    env = os.environ.get("DANGJIAN_HOME")
    return Path(env).expanduser() if env else default_home()


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half-written."""
    from .fileperm import honour_umask

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        honour_umask(fd)  # mkstemp makes 0600; follow the umask like every other file in the home
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


_OS_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "磁盘是只读的",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EIO: "磁盘读写出错",
}


def os_reason(error: BaseException) -> str:
    """Return a short Chinese reason for an error met while writing (磁盘空间不足…)."""
    if isinstance(error, OSError):
        reason = _OS_REASONS.get(error.errno or 0)
        if reason:
            return reason
        return f"系统错误 {error.errno}" if error.errno else "系统错误"
    if isinstance(error, KeyboardInterrupt):
        return "已中断"
    return type(error).__name__


def write_failed(error: BaseException, what: str) -> WriteFailed:
    """Return the :class:`WriteFailed` to raise when ``what`` (写入知识库…) failed with ``error``."""
    return WriteFailed(f"{what}失败（{os_reason(error)}）")


class WriteLock:
    """An exclusive lock on the knowledge base, waited for at most ``timeout`` seconds."""

    def __init__(self, path: Path, timeout: float = 10.0) -> None:
        self.path = path
        self.timeout = timeout
        self._handle: Any = None
        self._depth = 0

    def try_acquire(self) -> bool:
        """Take the lock if it is free now; return whether it was taken."""
        if self._depth:
            self._depth += 1
            return True
        try:
            handle = open(self.path, "a+b")
        except OSError:
            return False
        if not _try_lock(handle):
            handle.close()
            return False
        self._handle = handle
        self._depth = 1
        return True

    def acquire(self) -> None:
        """Take the lock, or raise :class:`IndexBusyError` after waiting ``timeout`` seconds."""
        if self._depth:
            self._depth += 1
            return
        try:
            handle = open(self.path, "a+b")
        except OSError as error:
            raise InputError(f"无法写入知识库目录 {self.path.parent}：{error.strerror or error}（请检查权限或用 --home 另选目录）") from None
        deadline = time.monotonic() + max(self.timeout, 0.0)
        while True:
            if _try_lock(handle):
                break
            if time.monotonic() >= deadline:
                handle.close()
                raise IndexBusyError("知识库正被另一个进程写入，请稍后再试")
            time.sleep(0.05)
        self._handle = handle
        self._depth = 1

    def release(self) -> None:
        """Give the lock back."""
        if not self._depth:
            return
        self._depth -= 1
        if self._depth == 0:
            _unlock(self._handle)
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._depth > 0

    def __enter__(self) -> WriteLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: Any) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(handle: Any) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: Any) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(handle: Any) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _file_name(doc_id: str) -> str:
    return quote(doc_id, safe="-_.") + ".json"


#: the file that records a change under way (see the module docstring)
JOURNAL = "journal.json"


class Store:
    """The files of one knowledge base home directory (documents, catalog, state)."""

    def __init__(self, home: str | os.PathLike[str] | None = None, *, lock_timeout: float = 10.0) -> None:
        self.home = resolve_home(home)
        self.docs_dir = self.home / "docs"
        self.index_dir = self.home / "index"
        self.lock = WriteLock(self.home / "write.lock", lock_timeout)

    def ensure(self) -> None:
        """Create the home directory and its ``docs`` folder if missing."""
        if self.home.exists() and not self.home.is_dir():
            raise InputError(f"知识库目录 {self.home} 已存在但不是文件夹，请用 --home 另选目录")
        try:
            self.docs_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(f"无法创建知识库目录 {self.home}：{error.strerror or error}") from None

    # -- small JSON files ---------------------------------------------------

    def _read_json(self, name: str) -> dict[str, Any]:
        path = self.home / name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            raise IndexCorruptError(f"{path} 已损坏，请运行 kb index --rebuild") from None
        return data if isinstance(data, dict) else {}

    def _write_json(self, name: str, data: dict[str, Any]) -> None:
        atomic_write_text(self.home / name, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))

    def load_state(self) -> dict[str, Any]:
        """Return ``state.json``; empty when the knowledge base was never built or the file is damaged.

        An empty state makes the knowledge base rebuild its index, which rewrites the file.
        """
        try:
            return self._read_json("state.json")
        except IndexCorruptError:
            return {}

    def save_state(self, state: dict[str, Any]) -> None:
        """Replace ``state.json``."""
        self._write_json("state.json", state)

    def catalog(self) -> dict[str, dict[str, Any]]:
        """Return ``{doc id: summary}`` of the documents in the knowledge base.

        Raises :class:`IndexCorruptError` for a damaged catalog (opening the
        knowledge base repairs it from the document files).
        """
        data = self._read_json("catalog.json")
        for entry in data.values():
            if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
                raise IndexCorruptError(f"{self.home / 'catalog.json'} 已损坏，请运行 kb index --repair")
        return data

    def save_catalog(self, catalog: dict[str, dict[str, Any]]) -> None:
        """Replace ``catalog.json``."""
        self._write_json("catalog.json", catalog)

    def has_catalog(self) -> bool:
        """Return True if ``catalog.json`` exists."""
        return (self.home / "catalog.json").is_file()

    # -- the journal of a change under way --------------------------------------

    def write_journal(self, op: str, doc_ids: list[str]) -> None:
        """Record that ``op`` (add, remove or rebuild) is about to change ``doc_ids``."""
        self._write_json(JOURNAL, {"op": op, "docs": sorted(doc_ids), "pid": os.getpid(),
                                   "started": time.strftime("%Y-%m-%d %H:%M:%S")})

    def read_journal(self) -> dict[str, Any] | None:
        """Return the journal of an unfinished change, or None; a damaged journal reads as a rebuild."""
        if not (self.home / JOURNAL).exists():
            return None
        try:
            data = self._read_json(JOURNAL)
        except IndexCorruptError:
            return {"op": "rebuild", "docs": []}
        if data.get("op") not in ("add", "remove", "rebuild") or not isinstance(data.get("docs"), list):
            return {"op": "rebuild", "docs": []}
        data["docs"] = [str(d) for d in data["docs"]]
        return data

    def clear_journal(self) -> None:
        """Delete the journal: the change it recorded is complete (or fully undone)."""
        try:
            (self.home / JOURNAL).unlink()
        except FileNotFoundError:
            pass

    def leftovers(self) -> list[Path]:
        """Return what interrupted writes left behind: staging indexes and temporary files."""
        found: list[Path] = []
        if self.home.is_dir():
            found += sorted(p for p in self.home.iterdir() if p.name == "index.new" or p.name.startswith("index.old-"))
            found += sorted(p for p in self.home.glob(".*.tmp") if p.is_file())
        if self.docs_dir.is_dir():
            found += sorted(p for p in self.docs_dir.glob(".*.tmp") if p.is_file())
        if self.index_dir.is_dir():
            # whoosh's own: a table of contents written under a temporary name, a writer's scratch folder
            found += sorted(p for p in self.index_dir.glob("_*.toc.*") if p.is_file())
            found += sorted(p for p in self.index_dir.glob("*.tmp") if p.is_dir())
        return found

    def remove_leftovers(self) -> list[Path]:
        """Delete :meth:`leftovers` (call with the write lock held) and return them."""
        found = self.leftovers()
        for path in found:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
        return found

    # -- documents ------------------------------------------------------------

    def doc_path(self, doc_id: str) -> Path:
        """Return the JSON file of a document."""
        return self.docs_dir / _file_name(doc_id)

    def has_document(self, doc_id: str) -> bool:
        """Return True if the document's file exists."""
        return self.doc_path(doc_id).is_file()

    def read_document(self, doc_id: str) -> Document:
        """Return a stored document; :class:`NotFoundError` if there is none with that ID."""
        path = self.doc_path(doc_id)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NotFoundError(f"知识库中没有文档 {doc_id}（用 kb docs 查看已有文档）") from None
        except (OSError, ValueError):
            raise IndexCorruptError(f"文档文件 {path} 已损坏，请删除该文档后重新导入") from None
        try:
            document = Document.from_dict(data)
        except (TypeError, KeyError, ValueError, AttributeError):
            raise IndexCorruptError(f"文档文件 {path} 格式不对，请删除该文档后重新导入") from None
        if document.id != doc_id:
            raise IndexCorruptError(f"文档文件 {path} 中的编号 {document.id} 与文件名不符，请运行 kb index --repair")
        return document

    def write_document(self, document: Document) -> None:
        """Write a document's JSON file (atomically)."""
        atomic_write_text(self.doc_path(document.id), json.dumps(document.to_dict(), ensure_ascii=False))

    def delete_document(self, doc_id: str) -> None:
        """Delete a document's JSON file if it exists."""
        try:
            self.doc_path(doc_id).unlink()
        except FileNotFoundError:
            pass

    def doc_ids(self) -> set[str]:
        """Return the IDs of the documents whose files are in ``docs/`` (from the file names)."""
        if not self.docs_dir.is_dir():
            return set()
        return {unquote(p.name[: -len(".json")]) for p in self.docs_dir.glob("*.json")}

    def set_aside(self, doc_id: str) -> Path:
        """Rename a damaged document file to ``<name>.damaged`` (out of the knowledge base) and return it."""
        path = self.doc_path(doc_id)
        target = path.with_name(path.name + ".damaged")
        os.replace(path, target)
        return target

    def stored_documents(self) -> list[Document]:
        """Return every document whose file is in ``docs/``, sorted by ID."""
        if not self.docs_dir.is_dir():
            return []
        documents = []
        for path in sorted(self.docs_dir.glob("*.json")):
            try:
                documents.append(Document.from_dict(json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError, TypeError, KeyError):
                raise IndexCorruptError(f"文档文件 {path} 已损坏，请删除它后重新导入该文档") from None
        return sorted(documents, key=lambda d: d.id)


def summary(document: Document) -> dict[str, Any]:
    """Return the catalog entry of a document."""
    return {
        "title": document.title,
        "source": document.source,
        "sha256": document.sha256,
        "bundled": document.bundled,
        "passages": len(document.passages),
        "gaps": len(document.gaps),
        "dropped": len(document.dropped),
        "issuer": document.issuer,
        "year": document.year,
        "added": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
