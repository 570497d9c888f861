"""Budgets on the work one input may cause, and the guarded reading that enforces them.

Every limit is checked before the expensive step it protects, from what is
actually read (never from sizes a file declares about itself), and a breach
is an :class:`~dangjian.kb.errors.ImportFailed` with a one-line Chinese
message.  docs/limits.md lists them for users.

* :func:`read_regular_file` — only regular files, at most ``max_bytes`` read
  (a FIFO, a device such as /dev/zero, or a file growing while read is refused);
* :func:`read_zip_member` — a zip member decompressed in chunks, counting
  the bytes that come out against a budget shared by all parts of one file
  (a zip bomb stops at the budget, whatever its headers say);
* :func:`parse_xml` — XML parsed without entities or network, counting
  elements and nesting depth as the tree is built.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path

from .errors import ImportFailed

#: Largest file read for an import (bytes).
MAX_FILE_BYTES = 20_000_000
#: Largest total of a Word file's XML parts after decompression (bytes): document, styles, numbering.
MAX_UNPACKED_BYTES = 60_000_000
#: Most XML elements in one Word part (a paragraph with one run of text is about 5).
MAX_XML_ELEMENTS = 2_000_000
#: Most elements in a web page (checked before its text is looked for; a news page has a few thousand).
MAX_HTML_ELEMENTS = 300_000
#: Deepest nesting of XML or HTML elements, and of Markdown lists and quotes.
MAX_DEPTH = 100
#: Most paragraphs (lines, table rows) read from one file.
MAX_BLOCKS = 100_000
#: Most passages one imported document may have (each is indexed).
MAX_PASSAGES = 30_000
#: Most inline markup characters (``[ ` < * _ &``) in one Markdown paragraph, and in a whole file: the
#: Markdown library's inline pass takes time growing with the square of their number per paragraph
#: (300,000 links in one paragraph took 276 s).
MAX_MD_MARKUP_PER_PARAGRAPH = 2_000
MAX_MD_MARKUP = 200_000
#: Most styles in a Word file's styles.xml.
MAX_STYLES = 20_000
#: Most list definitions (abstract numberings and levels) in numbering.xml.
MAX_NUMBERING = 20_000


def _mb(n: float) -> str:
    return f"{n / 1e6:g} MB"


def read_regular_file(path: Path, max_bytes: int | None = None) -> bytes:
    """Return the bytes of ``path`` if it is a regular file of at most ``max_bytes``.

    The type is checked before opening and again on the open file (a file swapped
    in between is refused too); reading stops one chunk past the limit.
    """
    name = path.name
    if max_bytes is None:
        max_bytes = MAX_FILE_BYTES
    try:
        info = os.stat(path)
    except OSError as error:
        raise ImportFailed(f"无法读取文件 {name}：{os_reason(error)}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ImportFailed(f"{name} 不是普通文件（是设备、管道或套接字等），不能读取")
    if info.st_size > max_bytes:
        raise ImportFailed(_too_large(name, info.st_size, max_bytes))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise ImportFailed(f"无法读取文件 {name}：{os_reason(error)}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ImportFailed(f"{name} 不是普通文件（是设备、管道或套接字等），不能读取")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise ImportFailed(_too_large(name, total, max_bytes, growing=True))
            chunks.append(chunk)
    except OSError as error:
        raise ImportFailed(f"无法读取文件 {name}：{os_reason(error)}") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def _too_large(name: str, size: int, limit: int, growing: bool = False) -> str:
    has = f"超过 {_mb(limit)}" if growing else f"有 {size / 1e6:.1f} MB"
    return f"文件太大：{name} {has}，超过上限 {_mb(limit)}；请拆分成几个文件"


_REASONS = {
    "EACCES": "没有读取权限", "EPERM": "没有读取权限", "ENOENT": "找不到文件", "EISDIR": "是文件夹",
    "ELOOP": "符号链接循环", "EIO": "磁盘读写出错", "ENAMETOOLONG": "路径太长", "ENOTDIR": "路径中有一段不是文件夹",
    "ENXIO": "设备不存在", "EAGAIN": "暂时无法读取",
}


def os_reason(error: OSError) -> str:
    """Return a short Chinese reason for an error met while reading (没有读取权限…)."""
    import errno

    code = errno.errorcode.get(error.errno or 0, "")
    return _REASONS.get(code, f"系统错误 {code or error.errno}")


class Budget:
    """Bytes left to decompress from one archive."""

    def __init__(self, name: str, limit: int | None = None) -> None:
        self.name = name
        self.limit = MAX_UNPACKED_BYTES if limit is None else limit
        self.left = self.limit

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise ImportFailed(
                f"{self.name} 解压后的内容超过上限 {_mb(self.limit)}（可能是压缩炸弹）；请确认文件来源，或拆分成几个文件")


def read_zip_member(archive: zipfile.ZipFile, member: str, budget: Budget) -> bytes:
    """Return a member of ``archive`` decompressed in chunks, each counted against ``budget``."""
    out = io.BytesIO()
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            budget.take(len(chunk))
            out.write(chunk)
    return out.getvalue()


def parse_xml(data: bytes, name: str, max_elements: int = MAX_XML_ELEMENTS, max_depth: int = MAX_DEPTH):
    """Return the root of ``data`` parsed without entities, DTD loading or network, within the budgets.

    Raises :class:`ImportFailed` when the part has more than ``max_elements``
    elements or nests deeper than ``max_depth``; lxml's ``XMLSyntaxError`` for
    malformed XML (the caller words it).
    """
    from lxml import etree

    events = etree.iterparse(io.BytesIO(data), events=("start", "end"), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=True, remove_comments=True)
    depth = 0
    count = 0
    for event, _ in events:
        if event == "start":
            depth += 1
            count += 1
            if depth > max_depth:
                raise ImportFailed(f"{name} 中的元素嵌套超过 {max_depth} 层，不像正常文件，未处理")
            if count > max_elements:
                raise ImportFailed(f"{name} 中的元素超过 {max_elements:,} 个（上限），请拆分成几个文件")
        else:
            depth -= 1
    return events.root


_MD_NESTING = re.compile(r"^((?:[ \t]*>)*)([ \t]*)([-*+]|\d+[.)])?", re.M)
_MD_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_MD_MARKUP = re.compile(r"[\[`<*_&]")


def markdown_problem(text: str) -> str | None:
    """Return why Markdown ``text`` is beyond the budgets (a Chinese sentence), or None.

    Nesting (lists by indentation, quotes by ``>``) is bounded by :data:`MAX_DEPTH`:
    the Markdown library recurses per level and its memory grows with the square
    of the depth (2,000 nested list levels pass 4 GB).  Inline markup is bounded
    per paragraph and per file (:data:`MAX_MD_MARKUP_PER_PARAGRAPH`, :data:`MAX_MD_MARKUP`).
    """
    deepest = 0
    for match in _MD_NESTING.finditer(text):
        quotes = match.group(1).count(">")
        indent = len(match.group(2).expandtabs(4))
        deepest = max(deepest, quotes + indent // 4 + (1 if match.group(3) else 0))
    if deepest > MAX_DEPTH:
        return f"Markdown 文件的列表或引用嵌套约 {deepest} 层，超过上限 {MAX_DEPTH} 层；请减少缩进"
    total = 0
    for paragraph in _MD_PARAGRAPH.split(text):
        marks = len(_MD_MARKUP.findall(paragraph))
        total += marks
        if marks > MAX_MD_MARKUP_PER_PARAGRAPH:
            return (f"Markdown 文件中有一段含 {marks:,} 个标记符号（[ ` < * _ &），超过每段 "
                    f"{MAX_MD_MARKUP_PER_PARAGRAPH:,} 个的上限；请分段，或另存为 .txt")
    if total > MAX_MD_MARKUP:
        return (f"Markdown 文件含 {total:,} 个标记符号（[ ` < * _ &），超过上限 {MAX_MD_MARKUP:,}；"
                "请拆分成几个文件，或另存为 .txt")
    return None
