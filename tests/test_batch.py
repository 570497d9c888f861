"""Batch generation from rosters: reading CSV/XLSX, safe folder names, bad rows, no overwrite, interrupted runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from dangjian.generators.batch import assign_folders, generate_batch, safe_name
from dangjian.generators.check import check_docx
from dangjian.generators.roster import read_problems, read_roster
from dangjian.kb.cli import cli
from dangjian.kb.errors import InputError, UnknownNameError

FIXTURES = Path(__file__).parent / "fixtures" / "rosters"
GOOD = ["红星社区党支部", "实验小学党支部", "etc_x", "第一党支部_第二", "红星社区党支部（2）"]


def _xlsx(tmp_path: Path) -> Path:
    import openpyxl

    lines = (FIXTURES / "roster.csv").read_text(encoding="utf-8").splitlines()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名册"
    for line in lines:
        cells = line.split(",")
        sheet.append([int(c) if c.isdigit() else (c or None) for c in cells])
    path = tmp_path / "名册.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("name", ["roster.csv", "roster_bom.csv", "roster_gb18030.csv", "xlsx"],
                         ids=["utf8", "utf8-bom", "gb18030", "xlsx"])
def test_roster_reads_the_same_in_every_encoding_and_format(name, tmp_path):
    path = _xlsx(tmp_path) if name == "xlsx" else FIXTURES / name
    roster = read_roster(path)
    assert len(roster) == 8
    first = roster.rows[0]
    assert first.line == 2
    assert first.values["单位名称"] == "红星社区党支部"
    assert first.values["党员名单"] == "张三、李四、王五、刘七"
    assert first.values["在职"] == "20"
    assert roster.unknown_columns == ["备注"]


@pytest.mark.parametrize("content,message", [
    (b"", "空的"),
    ("领域,书记\n社区,张三\n".encode("utf-8"), "单位名称"),
    (b"\xff\xfe" + "单位名称\n".encode("utf-16-le"), "UTF-16"),
], ids=["empty", "no-name-column", "utf16"])
def test_unusable_roster_is_one_clear_error(content, message, tmp_path):
    path = tmp_path / "名册.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_roster(path)


@pytest.mark.parametrize("suffix,message", [(".xls", "另存为 .xlsx"), (".docx", "只能读取")], ids=["xls", "docx"])
def test_other_file_kinds_are_refused(suffix, message, tmp_path):
    path = tmp_path / f"名册{suffix}"
    path.write_bytes(b"x")
    with pytest.raises(InputError, match=message):
        read_roster(path)


def test_problem_list_maps_chinese_headers(tmp_path):
    rows = read_problems(FIXTURES / "problems_gb18030.csv")
    assert rows[0].values["problem"] == "社区活动室冬季供暖不足"
    assert rows[0].values["measure"] == "协调街道维修暖气管线"
    assert rows[1].values["note"] == "已寄出第一批"


@pytest.mark.parametrize("name,expected", [
    ("../../etc/x", "etc_x"),
    ("第一党支部/第二", "第一党支部_第二"),
    ("a\\b:c*d?e\"f<g>h|i", "a_b_c_d_e_f_g_h_i"),
    ("..", "未命名单位"),
    ("", "未命名单位"),
    (" .隐藏. ", "隐藏"),
    ("con", "con_"),
    ("甲\x00乙\n丙", "甲_乙_丙"),
    ("长" * 100, "长" * 60),
], ids=["traversal", "slash", "windows-chars", "dotdot", "empty", "dots-spaces", "device", "control", "long"])
def test_safe_name(name, expected):
    assert safe_name(name) == expected


def test_same_names_get_distinct_folders():
    assert assign_folders(["甲", "甲", "乙", "甲", "A", "a"]) == ["甲", "甲（2）", "乙", "甲（3）", "A", "a（2）"]


def _all_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "process-pool"])
def test_batch_writes_one_folder_per_row_and_reports_bad_rows(workers, tmp_path):
    out = tmp_path / "输出"
    seen = []
    report = generate_batch(read_roster(FIXTURES / "roster.csv"), ["学习要求", "签到表"], out, workers=workers,
                            options={"meeting": "动员大会"}, progress=lambda done, total, r: seen.append((done, total)))
    assert sorted(p.name for p in out.iterdir()) == sorted(GOOD)
    for folder in GOOD:
        assert sorted(p.name for p in (out / folder).iterdir()) == ["动员大会-签到表.docx", "学习要求.docx", "学习要求.依据.docx"]
    assert report.written == 10 and report.existing == 0
    assert [(r.line, r.name) for r in report.failed] == [(7, "火星党支部"), (8, ""), (9, "人数有误党支部")]
    summary = report.summary()
    assert "共 8 个单位" in summary and "新生成 10 个文件" in summary and "出错 3 个单位" in summary
    assert "第 7 行（火星党支部）：没有名为“火星”的领域" in summary
    assert "第 9 行（人数有误党支部）：“在职”的人数应为整数" in summary
    assert seen[-1] == (8, 8) and len(seen) == 8
    # Every file is inside the output folder, and a complete Word document.
    for path in out.rglob("*.docx"):
        assert out.resolve() in path.resolve().parents
        assert check_docx(path).ok
    assert not (tmp_path / "etc").exists()
    signin = zipfile.ZipFile(out / "红星社区党支部" / "动员大会-签到表.docx").read("word/document.xml").decode()
    assert "刘七" in signin


def test_rerun_keeps_existing_files_unless_forced(tmp_path):
    rows = [{"单位名称": "甲党支部", "领域": "社区"}, {"单位名称": "乙党支部", "领域": "学校"}]
    out = tmp_path / "out"
    generate_batch(rows, ["学习要求"], out, workers=1)
    edited = out / "甲党支部" / "学习要求.docx"
    edited.write_bytes(b"user's own edits")
    (out / "乙党支部" / "学习要求.docx").unlink()
    report = generate_batch(rows, ["学习要求"], out, workers=1)
    assert edited.read_bytes() == b"user's own edits"
    assert report.written == 1 and report.existing == 1
    assert "已存在的文件未覆盖" in report.summary()
    report = generate_batch(rows, ["学习要求"], out, workers=1, force=True)
    assert report.written == 2 and zipfile.is_zipfile(edited)


def test_rerun_after_an_interruption_completes_only_what_is_missing(tmp_path):
    rows = [{"单位名称": f"第{i}党支部", "领域": "社区"} for i in range(1, 4)]
    out = tmp_path / "out"
    generate_batch(rows[:1], ["学习要求", "实施方案"], out, workers=1)
    # What a killed run leaves: a half-written temporary file and a folder with part of its files.
    (out / "第2党支部").mkdir()
    (out / "第2党支部" / ".学习要求.docx.part").write_bytes(b"PK\x03\x04half")
    (out / "第2党支部" / ".实施方案.docx.part.abc123.tmp").write_bytes(b"PK")
    # the temporary file write_atomic() makes for a .part file: its own dot plus the part's
    (out / "第2党支部" / "..实施方案.docx.part.def456.tmp").write_bytes(b"PK")
    (out / "第1党支部" / "..学习要求.docx.part.ghi789.tmp").write_bytes(b"PK")
    # and the same for the 依据 working paper, written beside its document
    (out / "第1党支部" / ".实施方案.依据.docx.part").write_bytes(b"PK")
    (out / "第1党支部" / "..实施方案.依据.docx.part.jkl012.tmp").write_bytes(b"PK")
    before = (out / "第1党支部" / "学习要求.docx").stat().st_mtime_ns
    report = generate_batch(rows, ["学习要求", "实施方案"], out, workers=1)
    assert report.written == 4 and report.existing == 2
    assert _all_files(out) == sorted(f"第{i}党支部/{t}.docx" for i in range(1, 4)
                                    for t in ("学习要求", "实施方案", "学习要求.依据", "实施方案.依据"))
    assert (out / "第1党支部" / "学习要求.docx").stat().st_mtime_ns == before


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_interrupted_batch_leaves_no_partial_documents_and_rerun_completes(signum, tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,领域\n" + "".join(f"第{i}党支部,社区\n" for i in range(1, 41)), encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "dangjian.kb", "batch", str(roster), "-t", "学习要求,实施方案", "-o", str(out),
               "-j", "2", "-q"]
    with (tmp_path / "stderr.txt").open("wb") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list(out.rglob("*.docx"))) < 6:
            time.sleep(0.05)
        os.killpg(process.pid, signum)
        process.wait(timeout=60)
    if signum == signal.SIGINT:
        assert process.returncode == 130
        message = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
        assert "已中断" in message and "Traceback" not in message
    finished = list(out.rglob("*.docx"))
    assert 0 < len(finished) < 160, "the run should have been stopped part way"
    for path in finished:
        assert zipfile.is_zipfile(path), f"{path} is half-written"
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert len(list(out.rglob("*.docx"))) == 160  # 80 documents, each with its 依据 working paper
    assert not [p for p in out.rglob("*") if p.is_file() and not p.name.endswith(".docx")]
    assert "已存在未覆盖" in result.stdout


@pytest.mark.parametrize("types,options,error", [
    (["学习须知"], {}, UnknownNameError),
    ([], {}, InputError),
    (["签到表"], {}, InputError),
    (["会议通知"], {"meeting": "茶话会"}, UnknownNameError),
    (["学习要求"], {"colour": "红"}, InputError),
    (["会议通知"], {"meeting": "动员大会", "date": "2005-13-01"}, InputError),
], ids=["unknown-type", "no-type", "meeting-missing", "meeting-unknown", "unknown-option", "bad-date"])
def test_bad_request_fails_before_anything_is_written(types, options, error, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(error):
        generate_batch([{"单位名称": "甲", "领域": "社区"}], types, out, options=options)
    assert not out.exists()


def test_meeting_kit_expands_into_its_documents(tmp_path):
    report = generate_batch([{"单位名称": "甲", "领域": "社区"}], ["会议材料"], tmp_path, workers=1,
                            options={"meeting": "组织生活会"})
    assert report.written == 5
    assert sorted(p.name for p in (tmp_path / "甲").iterdir()) == sorted(
        f"专题组织生活会-{t}.docx" for t in ("会议通知", "会议议程", "签到表", "会议记录", "会议纪要"))


def test_cli_batch_prints_summary_and_progress_and_exits_1_on_bad_rows(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(FIXTURES / "roster_gb18030.csv"), "--types", "学习要求，会议通知",
                                      "--meeting", "动员大会", "--date", "2005-07-10", "-o", str(out), "-j", "1"])
    assert result.exit_code == 1
    assert "新生成 10 个文件" in result.stdout
    assert "第 8 行（无名称）：单位资料缺少“名称”" in result.stdout
    assert "生成中" in result.stderr and "名册中这些列未使用：备注" in result.stderr
    assert "Traceback" not in result.output


def test_cli_batch_missing_roster_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "无.csv"), "-t", "学习要求", "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("错误：找不到文件")
    assert not (tmp_path / "o").exists()


DOCS = Path(__file__).parent.parent / "docs"


def test_batch_doc_lists_every_roster_column():
    from dangjian.generators.profile import PROFILE_KEYS

    text = (DOCS / "batch.md").read_text(encoding="utf-8")
    assert [key for key in PROFILE_KEYS if key not in text] == []


def test_batch_help_is_chinese_with_an_example():
    result = CliRunner().invoke(cli, ["batch", "--help"])
    assert result.exit_code == 0 and "例：" in result.output and "kb batch 名册.xlsx" in result.output


def test_a_file_that_cannot_be_written_is_reported_and_the_rest_go_on(tmp_path):
    out = tmp_path / "out"
    (out / "甲党支部" / "学习要求.docx").mkdir(parents=True)  # a folder where the file should go
    report = generate_batch([{"单位名称": "甲党支部", "领域": "社区"}, {"单位名称": "乙党支部", "领域": "社区"}],
                            ["学习要求"], out, workers=1, force=True)
    assert [r.name for r in report.failed] == ["甲党支部"]
    assert "学习要求：" in report.failed[0].errors[0]
    assert (out / "乙党支部" / "学习要求.docx").is_file()
    assert not [p for p in (out / "甲党支部").iterdir() if p.name.startswith(".")]


def test_xlsx_sheet_dates_and_numbers_read_as_typed(tmp_path):
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "说明"
    sheet = book.create_sheet("名册")
    sheet.append(["单位名称", "领域", "开始日期", "在职"])
    sheet.append(["甲党支部", "社区", datetime.datetime(2005, 7, 1), 20.0])
    path = tmp_path / "名册.xlsx"
    book.save(path)
    (row,) = read_roster(path, sheet="名册").rows
    assert row.values == {"单位名称": "甲党支部", "领域": "社区", "开始日期": "2005-07-01", "在职": "20"}
    with pytest.raises(InputError, match="没有名为“名单”的工作表（有：说明、名册）"):
        read_roster(path, sheet="名单")
    with pytest.raises(InputError, match="工作表“说明”：是空的，没有表头；可用 --sheet 指定其他工作表（名册）"):
        read_roster(path)


def test_tab_separated_roster(tmp_path):
    path = tmp_path / "名册.txt"
    path.write_text("单位名称\t领域\n甲党支部\t社区\n", encoding="gb18030")
    assert read_roster(path).rows[0].values == {"单位名称": "甲党支部", "领域": "社区"}
