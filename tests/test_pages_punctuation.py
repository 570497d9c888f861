"""Every punctuation mark of the .docx is on the page: LibreOffice lays out the whole document set, poppler reads it.

A full line of 28 characters followed by "，" used to lose the mark in the PDF
(LibreOffice hung it in the margin and did not draw it).  The renderer now
writes Word's default punctuation setting out explicitly, which LibreOffice
reads as "no hanging": the last character moves down with the mark instead.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter

import pytest

from document_set import build_set

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="soffice (LibreOffice) 或 pdftotext (poppler-utils) 未安装：无法检查排版后的页面",
)
MARKS = "，。、；：？！"


def _docx_marks(path) -> Counter:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    xml = re.sub(r"<mc:Fallback>.*?</mc:Fallback>", "", xml, flags=re.S)  # the 版记's VML copy is not printed
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    return Counter(c for c in text if c in MARKS)


def test_pdf_text_holds_every_punctuation_mark_of_the_docx(tmp_path):
    files = build_set(tmp_path / "set")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), *map(str, files)], check=True, capture_output=True, timeout=900)
    missing = {}
    full_lines = 0
    for path in files:
        pdf = tmp_path / "pdf" / f"{path.stem}.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        printed = Counter(c for c in text if c in MARKS)
        lost = {m: n - printed[m] for m, n in _docx_marks(path).items() if n > printed[m]}
        if lost:
            missing[path.name] = lost
        full_lines += sum(1 for line in text.splitlines() if len(re.findall(r"[\u3000-\u9fff\uff00-\uffef]", line)) == 28)
    assert missing == {}
    assert full_lines > 100  # the body still sets full lines of 28 characters
