"""Golden tests: each tests/golden/render/<case>.md renders to the pretty-printed word/document.xml in <case>.xml.

Regenerate after an intended change with ``DANGJIAN_UPDATE_GOLDEN=1 python3 -m pytest tests/test_render_golden.py``
and review the diff.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from dangjian.generators.render import render_markdown

GOLDEN = Path(__file__).parent / "golden" / "render"
CASES = sorted(p.stem for p in GOLDEN.glob("*.md"))


def pretty_document_xml(docx: bytes) -> str:
    """Return word/document.xml of ``docx`` indented, one element per line."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="unicode") + "\n"


def test_every_case_has_a_golden_file():
    missing = [c for c in CASES if not (GOLDEN / f"{c}.xml").exists() and not os.environ.get("DANGJIAN_UPDATE_GOLDEN")]
    assert CASES and not missing, f"缺少金标准文件：{missing}"


@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_document_xml_matches_golden(case):
    source = (GOLDEN / f"{case}.md").read_text(encoding="utf-8")
    got = pretty_document_xml(render_markdown(source, filename=f"{case}.md"))
    expected_path = GOLDEN / f"{case}.xml"
    if os.environ.get("DANGJIAN_UPDATE_GOLDEN"):
        expected_path.write_text(got, encoding="utf-8")
    assert got == expected_path.read_text(encoding="utf-8")
