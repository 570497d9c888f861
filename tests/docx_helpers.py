"""Reading generated .docx files back in tests (imported by the test modules; not a test module)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path


def docx_text(path: Path) -> str:
    """The text of a .docx: paragraphs and line breaks end with a newline, table cells with |."""
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    # A text box (the 版记) is printed once: its VML copy for older readers is not text of its own, and the
    # box's position (<wp:align>center</wp:align>) is not text at all.
    xml = re.sub(r"<mc:Fallback>.*?</mc:Fallback>", "", xml, flags=re.S)
    xml = re.sub(r"<wp:(align|posOffset)>[^<]*</wp:\1>", "", xml)
    xml = re.sub(r"</w:p>", "\n", xml)
    xml = re.sub(r"</w:tc>", "|", xml)
    xml = re.sub(r"<w:br/>", "\n", xml)
    return re.sub(r"<[^>]+>", "", xml)


def in_order(text: str, parts: list[str]) -> bool:
    """True when every part occurs in ``text``, each after the one before."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True
