"""Bounded work on hostile imports (docs/limits.md): special files, zip bombs, style cycles, deep nesting,
huge paragraph counts; odd list numbering; unreadable files and folders; terminal escapes in names.

Memory is measured (peak RSS of a child process), never time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from dangjian.kb import limits
from dangjian.kb.cli import cli
from dangjian.kb.errors import ImportFailed
from dangjian.kb.readers import read_file

from test_readers import _NUMBERING, _W, make_docx, p

NOTICE = "关于开展读书交流活动的通知\n\n各支部：\n定于下月开展读书交流活动，请认真组织党员参加。\n"


def _peak_rss_mb(code: str) -> tuple[float, str]:
    """Run ``code`` in a fresh Python; return its peak RSS in MB and what it printed."""
    script = textwrap.dedent(code) + "\nimport resource\nprint('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    out = done.stdout.strip().splitlines()
    return int(out[-1].split()[1]) / 1024, "\n".join(out[:-1])


def _baseline_mb() -> float:
    return _peak_rss_mb("from dangjian.kb.outline import import_file\nimport lxml.etree, markdown")[0]


# --- only regular files, read with a cap ---------------------------------------------------------


def test_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "管道.txt"
    os.mkfifo(fifo)
    with pytest.raises(ImportFailed, match="不是普通文件"):
        read_file(fifo)  # would block forever if opened


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_symlink_to_a_device_is_refused(tmp_path, device):
    link = tmp_path / "看似文本.txt"
    link.symlink_to(device)
    with pytest.raises(ImportFailed, match="不是普通文件"):
        read_file(link)


def test_reading_stops_at_the_cap(tmp_path):
    path = tmp_path / "大.txt"
    path.write_text("党" * 5000, encoding="utf-8")
    with pytest.raises(ImportFailed, match="文件太大.*拆分"):
        read_file(path, max_bytes=1000)


def test_symlink_to_a_regular_file_is_read(tmp_path):
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    assert read_file(tmp_path / "b.txt")[1] == "关于开展读书交流活动的通知"


# --- zip bombs: sizes counted from what decompresses ------------------------------------------------


def _bomb(path: Path, megabytes: int, declared: int | None = None) -> Path:
    """A .docx whose document.xml decompresses to ``megabytes`` MB (one paragraph of spaces)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body><w:p><w:r><w:t>'.encode()
    tail = "党</w:t></w:r></w:p></w:body></w:document>".encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * (1 << 20)
    body = [compressor.compress(head)]
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        body.append(compressor.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    body.append(compressor.compress(tail))
    body.append(compressor.flush())
    crc = zlib.crc32(tail, crc)
    data = b"".join(body)
    size = len(head) + len(tail) + megabytes * (1 << 20)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    # Append the member by hand: the real compressed stream, with a declared size that may lie.
    with open(path, "r+b") as handle:
        archive = zipfile.ZipFile(handle, "a")
        info = zipfile.ZipInfo("word/document.xml", date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.CRC = crc
        info.compress_size = len(data)
        info.file_size = size if declared is None else declared
        handle.seek(archive.start_dir)
        info.header_offset = handle.tell()
        handle.write(info.FileHeader(zip64=False))
        handle.write(data)
        archive.start_dir = handle.tell()
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info
        archive._didModify = True
        archive.close()
    return path


def test_zip_bomb_stops_at_the_budget_and_memory_stays_bounded(tmp_path):
    bomb = _bomb(tmp_path / "炸弹.docx", 300)  # 300 MB of XML in ~300 KB
    assert bomb.stat().st_size < 2_000_000
    base = _baseline_mb()
    peak, out = _peak_rss_mb(f"""
        from pathlib import Path
        from dangjian.kb.errors import ImportFailed
        from dangjian.kb.readers import read_file
        try:
            read_file(Path({str(bomb)!r}))
        except ImportFailed as error:
            print(error)
    """)
    assert "解压后的内容超过上限 60 MB" in out and "炸弹.docx" in out
    # the budget (60 MB) and one copy of it, not 300 MB
    assert peak - base < 200, (peak, base)


@pytest.mark.parametrize("declared", [100, 2**31])
def test_forged_sizes_in_the_header_change_nothing(tmp_path, monkeypatch, declared):
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 2_000_000)
    bomb = _bomb(tmp_path / "伪造.docx", 5, declared=declared)
    with pytest.raises(ImportFailed) as caught:
        read_file(bomb)
    message = str(caught.value)
    assert "\n" not in message and "伪造.docx" in message
    assert ("超过上限" in message) if declared > 100 else ("不是有效的 .docx" in message)


# --- Word structure: style cycles, list numbers, budgets -----------------------------------------


def _styles_cycle(n: int) -> str:
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="s{i}"><w:name w:val="样式{i}"/><w:basedOn w:val="s{(i + 1) % n}"/></w:style>'
        for i in range(n)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><w:styles {_W}>{styles}</w:styles>'


def test_basedon_cycle_and_long_chains_resolve_each_style_once(tmp_path, monkeypatch):
    """A 40-style cycle took 114 CPU seconds (each base resolved twice per level): now each style once."""
    from dangjian.kb import readers

    calls = []
    original = readers._HEADING_NAME.match

    class Counting:
        def match(self, text):
            calls.append(text)
            return original(text)

    monkeypatch.setattr(readers, "_HEADING_NAME", Counting())
    body = "".join(p(f"第{i}段正文内容。", f"s{i % 40}") for i in range(60))
    blocks, _ = read_file(make_docx(tmp_path / "环.docx", body, styles=_styles_cycle(40)))
    assert len(blocks) == 60
    assert len(calls) <= 2 * 40 + 60  # name and id once per style, plus lookups for unknown ids


def _numbering(fmt: str = "chineseCounting", ilvl: str = "0") -> str:
    return _NUMBERING.replace('w:ilvl="0"', f'w:ilvl="{ilvl}"', 1).replace("chineseCounting", fmt, 1)


def test_chinese_list_numbers_past_ninety_nine(tmp_path):
    body = "".join(p(f"第{i}项", num=(5, 0)) for i in range(1, 121))
    blocks, _ = read_file(make_docx(tmp_path / "长清单.docx", body))
    labels = [b.text.split("、")[0] for b in blocks]
    assert labels[98:101] == ["九十九", "一百", "一百零一"]
    assert labels[109] == "一百一十" and labels[119] == "一百二十"


def test_chinese_number_words():
    from dangjian.kb.readers import _chinese_number

    assert [_chinese_number(n) for n in (1, 10, 11, 20, 99, 100, 105, 110, 999, 1001, 2020, 12345)] == [
        "一", "十", "十一", "二十", "九十九", "一百", "一百零五", "一百一十", "九百九十九", "一千零一", "二千零二十", "12345"]


@pytest.mark.parametrize("bad", ["x", "-1", "99999999999999999999", "٣"])
def test_bad_list_levels_do_not_crash(tmp_path, bad):
    body = p("第一项").replace("<w:p>", f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{bad}"/><w:numId w:val="5"/></w:numPr></w:pPr>', 1)
    body += p("正文第二段。")
    blocks, _ = read_file(make_docx(tmp_path / "级别.docx", body))
    assert blocks[-1].text == "正文第二段。"
    numbering = make_docx(tmp_path / "编号.docx", p("甲", num=(5, 0)) + p("乙。"))
    with zipfile.ZipFile(numbering) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["word/numbering.xml"] = _numbering(ilvl=bad).encode()
    with zipfile.ZipFile(numbering, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert read_file(numbering)[0][-1].text == "乙。"


def test_too_many_paragraphs_is_refused_before_the_outline(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_BLOCKS", 1000)
    body = p("x") * 1500
    with pytest.raises(ImportFailed, match=r"1,500 个段落，超过上限 1,000"):
        read_file(make_docx(tmp_path / "多.docx", body))
    (tmp_path / "多.txt").write_text("\n".join(f"第{i}行。" for i in range(1500)), encoding="utf-8")
    with pytest.raises(ImportFailed, match="超过上限 1,000"):
        read_file(tmp_path / "多.txt")


def _deflated(path: Path) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_300000_paragraphs_in_a_small_docx_are_refused_with_bounded_memory(tmp_path):
    path = _deflated(make_docx(tmp_path / "三十万.docx", "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 300_000))
    assert path.stat().st_size < 200_000
    base = _baseline_mb()
    peak, out = _peak_rss_mb(f"""
        from pathlib import Path
        from dangjian.kb.errors import ImportFailed
        from dangjian.kb.readers import read_file
        try:
            read_file(Path({str(path)!r}))
        except ImportFailed as error:
            print(error)
    """)
    assert "300,000 个段落，超过上限 100,000" in out
    assert peak - base < 600, (peak, base)


def test_deep_xml_nesting_is_refused(tmp_path):
    body = "<w:sdt><w:sdtContent>" * 150 + p("深处") + "</w:sdtContent></w:sdt>" * 150
    with pytest.raises(ImportFailed, match="嵌套超过 100 层"):
        read_file(make_docx(tmp_path / "深.docx", body))


def test_too_many_passages_is_refused_before_indexing(kb, tmp_path, monkeypatch):
    import dangjian.kb.api as api

    monkeypatch.setattr(api, "MAX_PASSAGES", 3)
    (tmp_path / "长.txt").write_text("标题\n\n" + "\n\n".join(f"第{i}段内容较长，说明具体要求。" * 3 for i in range(10)),
                                    encoding="utf-8")
    report = kb.add([tmp_path / "长.txt"])
    assert report.failed and "超过一个文档的上限 3 段" in report.failed[0].message


# --- Markdown and HTML nesting ------------------------------------------------------------------------


def test_markdown_list_nested_2000_deep_is_refused_with_bounded_memory(tmp_path):
    path = tmp_path / "深.md"
    path.write_text("# 标题\n\n" + "\n".join("    " * i + "- 项" for i in range(2000)), encoding="utf-8")
    base = _baseline_mb()
    peak, out = _peak_rss_mb(f"""
        from pathlib import Path
        from dangjian.kb.errors import ImportFailed
        from dangjian.kb.readers import read_file
        try:
            read_file(Path({str(path)!r}))
        except ImportFailed as error:
            print(error)
    """)
    assert "嵌套约 2000 层，超过上限 100 层" in out
    assert peak - base < 100, (peak, base)


def test_markdown_quotes_nested_deep_are_refused(tmp_path):
    path = tmp_path / "引用.md"
    path.write_text("> " * 500 + "话\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="嵌套"):
        read_file(path)


def test_html_nested_deep_is_refused_or_read_without_recursion_error(tmp_path):
    path = tmp_path / "深.html"
    path.write_text("<html><body>" + "<div>" * 5000 + "党的建设" + "</div>" * 5000 + "</body></html>", encoding="utf-8")
    try:
        blocks, _ = read_file(path)
    except ImportFailed as error:
        assert "嵌套" in str(error) or "正文" in str(error)


# --- kb add: one bad file or folder does not stop the others -------------------------------------


def test_one_unreadable_file_among_several(kb_home, tmp_path, monkeypatch):
    folder = tmp_path / "材料"
    folder.mkdir()
    (folder / "a.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "b.txt").write_text(NOTICE.replace("读书", "观影"), encoding="utf-8")
    blocked = str(folder / "b.txt")
    real_open = os.open

    def guarded(path, *args, **kwargs):
        if str(path) == blocked:
            raise PermissionError(13, "Permission denied", blocked)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    result = CliRunner().invoke(cli, ["--home", str(kb_home), "add", str(folder / "a.txt"), blocked])
    assert result.exit_code == 1, result.output
    assert "已导入" in result.stdout and "a.txt" in result.stdout
    assert "导入失败" in result.stderr and "b.txt" in result.stderr and "没有读取权限" in result.stderr
    assert "Permission denied" not in result.output and "Error" not in result.output


def test_unreadable_subfolder_is_reported(kb_home, tmp_path, monkeypatch):
    folder = tmp_path / "材料"
    (folder / "锁住").mkdir(parents=True)
    (folder / "a.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "锁住" / "b.txt").write_text(NOTICE.replace("读书", "观影"), encoding="utf-8")
    locked = str(folder / "锁住")
    real_scandir = os.scandir

    def guarded(path=".", *args):
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path, *args)

    monkeypatch.setattr(os, "scandir", guarded)
    result = CliRunner().invoke(cli, ["--home", str(kb_home), "add", str(folder)])
    assert result.exit_code == 1
    assert "a.txt" in result.stdout
    assert f"无法读取文件夹 {locked}（没有读取权限），其中的文件没有导入" in result.stderr


# --- terminal safety -------------------------------------------------------------------------------

_HOSTILE = "\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\x9b31m\u202egpj.exe\r\x08"


def _clean(text: str) -> bool:
    return not any(ch in text for ch in "\x1b\x07\x9b\u202e\r\x08")


def test_escape_sequences_in_file_names_never_reach_the_terminal(kb_home, tmp_path):
    name = f"通知{_HOSTILE}.txt"
    (tmp_path / name).write_text(NOTICE, encoding="utf-8")
    runner = CliRunner()
    added = runner.invoke(cli, ["--home", str(kb_home), "add", str(tmp_path / name)])
    assert added.exit_code == 0 and _clean(added.output), repr(added.output)
    listed = runner.invoke(cli, ["--home", str(kb_home), "docs"])
    assert "通知" in listed.stdout and _clean(listed.output), repr(listed.output)
    as_json = runner.invoke(cli, ["--home", str(kb_home), "docs", "--json"])
    assert _clean(as_json.output)  # JSON escapes controls (\u001b) and the filter removes the rest


def test_a_query_echo_carries_no_escape_sequences(kb_home):
    result = CliRunner().invoke(cli, ["--home", str(kb_home), "search", f"火星{_HOSTILE}"])
    assert _clean(result.output), repr(result.output)
    missing = CliRunner().invoke(cli, ["--home", str(kb_home), "show", f"x{_HOSTILE}:1"])
    assert missing.exit_code == 1 and _clean(missing.output), repr(missing.output)


def test_safe_text_removes_every_kind_of_control():
    from dangjian.kb.terminal import SafeStream, safe_text

    assert safe_text("a\x1b]8;;http://x\x1b\\b\x1b]8;;\x1b\\c") == "abc"
    assert safe_text("a\x1bP1$r\x1b\\b\x9d0;t\x9cc\x07d\x7fe\x85f") == "abcdef"
    assert safe_text("文件\u202e\u2066名\u200f") == "文件名"
    assert safe_text("一\n二\t三", newlines=False) == "一 二 三"
    import io

    out = io.StringIO()
    SafeStream(out).write("\x1b[31m红\x1b[0m\x1b[2J\x1b]0;title\x07")
    assert out.getvalue() == "\x1b[31m红\x1b[0m"


# --- .xlsx rosters: every row, and one line for a damaged file ----------------------------------------


def _rewrite_sheet(path: Path, change) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    parts[sheet] = change(parts[sheet])
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _roster_xlsx(tmp_path: Path, units: int = 10) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["单位名称", "领域", "在职"])
    for i in range(units):
        sheet.append([f"第{i + 1}党支部", "社区", 10 + i])
    path = tmp_path / "名册.xlsx"
    book.save(path)
    return path


def test_xlsx_whose_dimension_understates_its_rows_reads_every_row(tmp_path):
    import re

    from dangjian.generators.roster import read_roster

    path = _rewrite_sheet(_roster_xlsx(tmp_path), lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', xml))
    roster = read_roster(path)
    assert [row.values["单位名称"] for row in roster.rows] == [f"第{i}党支部" for i in range(1, 11)]


@pytest.mark.parametrize("damage", ["truncated", "dtd", "entity-bomb", "not-xml"])
def test_damaged_xlsx_roster_is_one_chinese_line(tmp_path, damage):
    from dangjian.generators.roster import read_roster
    from dangjian.kb.errors import InputError

    def change(xml: bytes) -> bytes:
        if damage == "truncated":
            return xml[: len(xml) // 2]
        if damage == "not-xml":
            return b"\x00\x01garbage"
        entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(6))
        doctype = f"<!DOCTYPE worksheet [{entities}]>" if damage == "entity-bomb" else '<!DOCTYPE worksheet SYSTEM "file:///etc/passwd">'
        return xml.replace(b"?>", b"?>" + doctype.encode(), 1)

    path = _rewrite_sheet(_roster_xlsx(tmp_path), change)
    try:
        roster = read_roster(path)
    except InputError as error:
        assert "\n" not in str(error) and "名册.xlsx" in str(error), str(error)
    else:
        assert damage in ("dtd", "entity-bomb") and len(roster) == 10  # a DTD that is ignored is harmless
    result = CliRunner().invoke(cli, ["batch", str(path), "--types", "学习要求", "-o", str(tmp_path / "out")])
    assert "Traceback" not in result.output and not isinstance(result.exception, Exception) or result.exit_code in (0, 1)
    assert result.exit_code in (0, 1), result.output


@pytest.mark.parametrize("markup", ["[a]", "<b>a</b> ", "`a` "])
def test_markdown_paragraph_with_too_much_inline_markup_is_refused(tmp_path, markup):
    """300,000 reference links in one paragraph took 276 s in the Markdown library (quadratic per paragraph)."""
    path = tmp_path / "标记.md"
    path.write_text("# 标题\n\n" + markup * 300_000 + "\n\n[a]: http://x\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="超过每段 2,000 个的上限"):
        read_file(path)
    many = tmp_path / "多段.md"
    many.write_text("# 标题\n\n" + "\n\n".join(markup * 600 for _ in range(400)), encoding="utf-8")
    with pytest.raises(ImportFailed, match="超过上限 200,000"):
        read_file(many)


def test_kb_render_has_the_same_markdown_budgets(tmp_path):
    (tmp_path / "坏.md").write_text("# 通知\n\n" + "<b>a</b> " * 100_000, encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", str(tmp_path / "坏.md"), "-o", str(tmp_path / "坏.docx")])
    assert result.exit_code == 1 and "超过每段 2,000 个的上限" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_web_page_with_too_many_elements_is_refused_before_the_text_is_looked_for(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_HTML_ELEMENTS", 1000)
    path = tmp_path / "表.html"
    path.write_text("<html><body><table>" + "<tr><td><p>党</p></td></tr>" * 1000 + "</table></body></html>", encoding="utf-8")
    with pytest.raises(ImportFailed, match="网页的元素超过 1,000 个"):
        read_file(path)


def test_render_and_roster_read_only_regular_files_within_the_cap(tmp_path, monkeypatch):
    from dangjian.generators.roster import read_roster
    from dangjian.kb.errors import InputError

    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "大.md"
    big.write_text("# 通知\n\n" + "党" * 2000, encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", str(big), "-o", str(tmp_path / "o.docx")])
    assert result.exit_code == 1 and "文件太大" in result.stderr
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称\n" + "某社区党支部\n" * 200, encoding="utf-8")
    with pytest.raises(InputError, match="文件太大"):
        read_roster(roster)


def test_a_big_folder_is_committed_in_batches(kb, tmp_path, monkeypatch):
    import dangjian.kb.api as api

    monkeypatch.setattr(api, "MAX_BATCH_CHARS", 10)
    commits = []
    original = api.KnowledgeBase._add_documents

    def counting(self, candidates, report):
        commits.append(len(candidates))
        return original(self, candidates, report)

    monkeypatch.setattr(api.KnowledgeBase, "_add_documents", counting)
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(NOTICE.replace("读书", f"第{i}次读书"), encoding="utf-8")
    report = kb.add([tmp_path])
    assert len(report.added) == 3 and commits == [1, 1, 1, 0]
    assert len({r.doc_id for r in report.added}) == 3


def test_the_progress_bar_still_redraws_its_line():
    import io

    from dangjian.kb.terminal import SafeStream

    out = io.StringIO()
    SafeStream(out).write("\r\x1b[?25l生成中  [####----]  3/8\x1b]52;c;eA==\x07\r")
    assert out.getvalue() == "\r\x1b[?25l生成中  [####----]  3/8"
