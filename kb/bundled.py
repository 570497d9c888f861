"""The guidance documents that ship with dangjian (``corpus/guidance/*.txt``).

Each text file has a YAML file of the same name giving its ``id`` (used in
every passage ID), ``title``, ``issuer``, ``year``, ``campaign`` and ``note``.
"""

from __future__ import annotations

from importlib import resources

from .errors import ImportFailed
from .model import Document
from .outline import build_document
from .readers import decode_text, read_plain_text

_META_KEYS = ("id", "title", "issuer", "year", "campaign", "note")


def bundled_documents() -> list[Document]:
    """Return every bundled guidance document, built fresh, in file-name order.

    Documents have ``bundled=True`` and ``source="bundled:<file name>"``.
    Raises :class:`ImportFailed` if a bundled file's metadata is unreadable
    (a broken installation).
    """
    from .yamlfile import load_yaml

    folder = resources.files("dangjian.corpus").joinpath("guidance")
    documents = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".txt"):
            continue
        stem = entry.name[: -len(".txt")]
        meta_file = folder.joinpath(stem + ".yaml")
        meta: dict = {}
        if meta_file.is_file():
            try:
                meta = load_yaml(meta_file.read_text(encoding="utf-8"), f"内置文件 {stem}.yaml", error=ImportFailed) or {}
            except ImportFailed as error:
                raise ImportFailed(f"{error}；请重新安装 dangjian") from None
            if not isinstance(meta, dict):
                raise ImportFailed(f"内置文件 {stem}.yaml 应为键值对；请重新安装 dangjian")
            unknown = set(meta) - set(_META_KEYS)
            if unknown:
                raise ImportFailed(f"内置文件 {stem}.yaml 有未知字段 {'、'.join(sorted(unknown))}；请重新安装 dangjian")
        blocks, title_guess = read_plain_text(decode_text(entry.read_bytes(), entry.name))
        documents.append(
            build_document(
                blocks,
                title=str(meta.get("title") or title_guess or stem),
                source=f"bundled:{entry.name}",
                doc_id=str(meta["id"]) if meta.get("id") else None,
                meta={**meta, "bundled": True},
            )
        )
    return documents
