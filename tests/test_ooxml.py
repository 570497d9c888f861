"""Every generated .docx passes the strict OOXML check (ISO/IEC 29500 schemas plus Word's own rules).

The checker is the project's shared tool ``shared/tools/ooxml/validate.py``
(found beside the repository, or named by DANGJIAN_OOXML_VALIDATOR); it is run
once over the whole document set (see tests/document_set.py) in both format
standards, and any schema error, package error or warning fails the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from document_set import build_set


def _validator() -> Path | None:
    named = os.environ.get("DANGJIAN_OOXML_VALIDATOR")
    if named:
        return Path(named)
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "tools" / "ooxml" / "validate.py"
        if candidate.is_file():
            return candidate
    return None


VALIDATOR = _validator()
pytestmark = pytest.mark.skipif(VALIDATOR is None, reason="找不到 OOXML 检查工具 shared/tools/ooxml/validate.py")


@pytest.mark.parametrize("standard", ["1999", "2012"])
def test_every_document_passes_the_strict_ooxml_check(tmp_path, standard):
    files = build_set(tmp_path / "set", standard=standard)
    report = tmp_path / "report.json"
    subprocess.run([sys.executable, str(VALIDATOR), "--quiet", "--json", str(report), *map(str, files)],
                   capture_output=True, timeout=600)
    results = json.loads(report.read_text(encoding="utf-8"))
    assert len(results) == len(files)
    problems = {
        Path(r["file"]).name: [*(e.get("message", e) for e in r["schema_errors"]), *r["errors"], *r["warnings"]]
        for r in results if r["schema_errors"] or r["errors"] or r["warnings"]
    }
    assert problems == {}


@pytest.mark.parametrize("start, own, other", [("2005-07-01", "1999", "2012"), ("2026-03-02", "2012", "1999")],
                         ids=["2005", "2026"])
def test_a_set_passes_kb_check_against_its_own_standard_and_fails_against_the_other(tmp_path, start, own, other):
    from dangjian.generators.check import check_docx

    files = build_set(tmp_path / "set", start=start)
    dated = 0
    for path in files:
        report = check_docx(path)
        # Outlines (总结, 小结, 简报, 纪要) keep their fill-in instructions, and say so; nothing else fails.
        assert {i.name for i in report.failed()} <= {"待填写内容"}, (path.name, [i.message for i in report.failed()])
        assert next(i.found for i in report.items if i.name == "格式标准").startswith(f"GB/T 9704-{own}")
        date = next(i for i in report.items if i.name == "成文日期")
        if "不适用" in date.message:
            continue
        dated += 1
        failed = {i.name for i in check_docx(path, standard=other).failed()}
        assert {"成文日期", "主题词"} <= failed, path.name
    assert dated >= 8
