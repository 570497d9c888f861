"""Read the files a 党务 folder is mostly made of: PDF (text layer) and old Word/WPS (.doc, .wps).

* ``.pdf`` — the text of each page through pypdf (the only module that imports
  it).  Lines are joined into paragraphs by the usual cleaning; a scanned PDF
  has no text layer and is refused with a message saying so.
* ``.doc`` and ``.wps`` — converted to .docx by LibreOffice (``soffice``) in a
  private temporary folder, then read like any .docx.  Without LibreOffice the
  message says to install it or save the file as .docx.

Both return :class:`~dangjian.kb.readers.Block` lists like the other readers
and raise :class:`~dangjian.kb.errors.ImportFailed` with a one-line Chinese
reason.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ImportFailed

if TYPE_CHECKING:
    from .readers import Block

#: Suffixes read here.
OFFICE_SUFFIXES = (".pdf", ".doc", ".wps")
#: Most pages of a PDF read.
MAX_PDF_PAGES = 2000
#: The first bytes of an OLE compound file: Word 97–2003 and WPS files.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Longest a LibreOffice conversion may take, in seconds.
CONVERT_TIMEOUT = 120


def read_office(path: Path, data: bytes) -> tuple[list[Block], str | None]:
    """Return the paragraphs and a title guess of a .pdf, .doc or .wps file whose bytes are ``data``."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return read_pdf_bytes(data, path.name)
    return read_via_libreoffice(data, path.name, suffix)


def read_pdf_bytes(data: bytes, name: str = "文件") -> tuple[list[Block], str | None]:
    """Return the text of a PDF's pages as blocks (plain-text rules: a line a block, blank lines end paragraphs)."""
    from .readers import read_plain_text

    if not data.startswith(b"%PDF"):
        raise ImportFailed(f"{name} 不是 PDF 文件（文件头不对），未导入")
    try:
        import pypdf
        from pypdf.errors import PyPdfError
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise ImportFailed("导入 PDF 需要 pypdf：请运行 pip install pypdf") from None
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd files are not the user's business
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ImportFailed(f"{name} 有打开密码，无法读取；请先去掉密码再导入")
            except (PyPdfError, NotImplementedError):
                raise ImportFailed(f"{name} 已加密，无法读取；请先去掉密码再导入") from None
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise ImportFailed(f"{name} 有 {len(pages)} 页，超过导入上限 {MAX_PDF_PAGES} 页；请拆分后再导入")
        texts = [page.extract_text() or "" for page in pages]
    except ImportFailed:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as error:
        raise ImportFailed(f"{name} 已损坏或无法解析（{type(error).__name__}），未导入") from None
    text = "\n\n".join(_page_text(t) for t in texts)
    if not re.search(r"[\u4e00-\u9fffA-Za-z0-9]", text):
        raise ImportFailed(f"{name} 中没有文字层（可能是扫描件），无法导入；请先做文字识别（OCR）或另存为 .docx")
    return read_plain_text(text)


def _page_text(text: str) -> str:
    # pypdf puts a space between CJK glyphs drawn separately; such spaces are not in the text.
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    lines = [line.rstrip() for line in text.splitlines()]
    # a line that is only a page number ("- 3 -", "3") is the page's folio, not text
    return "\n".join(line for line in lines if not re.fullmatch(r"\s*[-—]?\s*\d{1,4}\s*[-—]?\s*", line))


def soffice() -> str | None:
    """Return the path of LibreOffice's ``soffice`` (or ``libreoffice``), or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_via_libreoffice(data: bytes, name: str, suffix: str) -> tuple[list[Block], str | None]:
    """Convert an old Word or WPS file to .docx with LibreOffice and read that."""
    from .readers import read_docx_bytes

    head = data[:512].lstrip().lower()
    if not (data.startswith(_OLE) or data.startswith(b"PK\x03\x04") or head.startswith((b"{\\rtf", b"<html", b"<!doctype"))
            or b"mime-version" in head):
        raise ImportFailed(f"{name} 不是 Word/WPS 文件（文件头不对，可能已损坏），未导入")
    program = soffice()
    if program is None:
        raise ImportFailed(f"导入 {suffix} 文件需要 LibreOffice（本机没有安装）：{name} 未导入；"
                           "请安装 LibreOffice，或用 Word/WPS 把它另存为 .docx")
    with tempfile.TemporaryDirectory(prefix="dangjian-import-") as folder:
        work = Path(folder)
        source = work / f"document{suffix}"
        source.write_bytes(data)
        command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(source)]
        try:
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=CONVERT_TIMEOUT, check=False, env={**os.environ, "HOME": folder})
        except subprocess.TimeoutExpired:
            raise ImportFailed(f"{name}：LibreOffice 转换超过 {CONVERT_TIMEOUT} 秒未完成，未导入") from None
        except OSError as error:
            raise ImportFailed(f"{name}：无法运行 LibreOffice（{error.strerror or error}）") from None
        result = work / "out" / "document.docx"
        if not result.is_file() or result.stat().st_size == 0:
            raise ImportFailed(f"{name} 无法由 LibreOffice 转换（文件可能已损坏或不是 Word/WPS 文件），未导入")
        return read_docx_bytes(result.read_bytes(), name)
