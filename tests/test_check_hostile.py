"""kb check on hostile .docx files: no traceback, one line per bad file, the other files still checked,
and the same zip-bomb guard as kb add (memory measured, not time)."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from dangjian.generators.check import check_docx
from dangjian.generators.render import render_markdown
from dangjian.kb.cli import cli
from dangjian.kb.errors import InputError

from test_limits import _bomb, _peak_rss_mb

GOLDEN = Path(__file__).parent / "golden" / "render"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    case = sorted(GOLDEN.glob("*.md"))[0]
    out = tmp_path_factory.mktemp("good") / "好.docx"
    render_markdown(case.read_text(encoding="utf-8"), output=out)
    return out


def _edit(src: Path, dst: Path, part: str, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)
    return dst


HOSTILE = {
    "no-body": ("word/document.xml", lambda x: re.sub(r"<w:body>.*</w:body>", "", x, flags=re.S)),
    "sz-abc": ("word/styles.xml", lambda x: re.sub(r'<w:sz w:val="\d+"', '<w:sz w:val="abc"', x)),
    "sz-in-document": ("word/document.xml", lambda x: x.replace("<w:rPr>", '<w:rPr><w:sz w:val="x1"/>', 1)),
    "firstLine-x": ("word/styles.xml", lambda x: re.sub(r'w:firstLine="\d+"', 'w:firstLine="x"', x)),
    "bottom-nan": ("word/document.xml", lambda x: re.sub(r'w:bottom="\d+"', 'w:bottom="nan"', x)),
    "w-400-digits": ("word/document.xml", lambda x: re.sub(r'<w:pgSz w:w="\d+"', '<w:pgSz w:w="' + "9" * 400 + '"', x)),
    "h-inf": ("word/document.xml", lambda x: re.sub(r'w:h="\d+"', 'w:h="inf"', x)),
    "line-huge": ("word/styles.xml", lambda x: re.sub(r'w:line="\d+"', 'w:line="1e308"', x)),
    "outline-x": ("word/styles.xml", lambda x: x.replace("<w:pPr>", '<w:pPr><w:outlineLvl w:val="x"/>', 1)),
    "charSpace-x": ("word/document.xml", lambda x: re.sub(r'<w:docGrid ', '<w:docGrid w:charSpace="--" ', x, count=1)),
    "deep": ("word/document.xml", lambda x: x.replace("<w:body>", "<w:body>" + "<w:sdt><w:sdtContent>" * 200
                                                       + "</w:sdtContent></w:sdt>" * 200, 1)),
}


@pytest.mark.parametrize("case", sorted(HOSTILE), ids=sorted(HOSTILE))
def test_hostile_values_give_a_report_or_one_line(tmp_path, good, case):
    part, change = HOSTILE[case]
    path = _edit(good, tmp_path / f"{case}.docx", part, change)
    try:
        report = check_docx(path)
    except InputError as error:
        assert "\n" not in str(error) and str(path) in str(error)
    else:
        assert report.items


def test_one_bad_file_does_not_stop_the_others(tmp_path, good):
    bad = _edit(good, tmp_path / "坏.docx", "word/document.xml", lambda x: re.sub(r"<w:body>.*</w:body>", "", x, flags=re.S))
    odd = _edit(good, tmp_path / "怪.docx", "word/styles.xml", lambda x: re.sub(r'<w:sz w:val="\d+"', '<w:sz w:val="abc"', x))
    result = CliRunner().invoke(cli, ["check", str(bad), str(odd), str(good)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert f"错误：{bad} 已损坏：word/document.xml 中没有正文（w:body）" in result.stderr
    assert f"{odd}：" in result.stdout and f"{good}：通过" in result.stdout


def test_check_has_the_zip_bomb_guard_of_kb_add(tmp_path):
    bomb = _bomb(tmp_path / "炸弹.docx", 300)
    base = _peak_rss_mb("import dangjian.generators.check")[0]
    peak, out = _peak_rss_mb(f"""
        from dangjian.generators.check import check_docx
        from dangjian.kb.errors import InputError
        try:
            check_docx({str(bomb)!r})
        except InputError as error:
            print(error)
    """)
    assert "解压后的内容超过上限 60 MB" in out
    assert peak - base < 200, (peak, base)


def test_special_files_are_refused_without_opening_them(tmp_path, good):
    fifo = tmp_path / "管道.docx"
    os.mkfifo(fifo)
    (tmp_path / "零.docx").symlink_to("/dev/zero")
    result = CliRunner().invoke(cli, ["check", str(fifo), str(tmp_path / "零.docx"), str(good)])
    assert result.exit_code == 1
    assert result.stderr.count("不是普通文件") == 2 and f"{good}：通过" in result.stdout
