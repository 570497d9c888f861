"""PDF output through LibreOffice, when it is installed: what people print and send.

The document is rendered as .docx (GB/T 9704 layout) and converted by
``soffice --headless --convert-to pdf`` in a private temporary folder with its
own LibreOffice profile (so a LibreOffice the user has open does not block it).
Without LibreOffice, asking for PDF is a clear error saying how to get it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..kb.errors import RenderError

#: Longest a conversion may take, in seconds.
TIMEOUT = 180


def soffice() -> str | None:
    """Return the path of LibreOffice's ``soffice`` (or ``libreoffice``), or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes) -> bytes:
    """Return the PDF LibreOffice makes of the .docx ``data``; raise RenderError without LibreOffice or on failure."""
    program = soffice()
    if program is None:
        raise RenderError("输出 PDF 需要 LibreOffice（没有找到 soffice）：请安装 LibreOffice，"
                          "或输出 .docx 后用 Word/WPS“另存为 PDF”")
    with tempfile.TemporaryDirectory(prefix="dangjian-pdf-") as folder:
        work = Path(folder)
        source = work / "document.docx"
        source.write_bytes(data)
        profile = (work / "profile").as_uri()
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(work), str(source)]
        try:
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=TIMEOUT,
                           check=False, env={**os.environ, "HOME": folder})
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice 转换 PDF 超过 {TIMEOUT} 秒未完成") from None
        except OSError as error:
            raise RenderError(f"无法运行 LibreOffice：{error.strerror or error}") from None
        result = work / "document.pdf"
        if not result.is_file() or result.stat().st_size == 0:
            raise RenderError("LibreOffice 未能把文件转换为 PDF")
        return result.read_bytes()
