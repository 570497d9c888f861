"""Everyday use without surprises (issue 12): rosters as people write them, output names, CLI manners."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dangjian.generators.batch import BatchReport, OrgResult
from dangjian.generators.profile import profile_from_mapping
from dangjian.generators.roster import read_roster
from dangjian.kb.cli import cli
from dangjian.kb.errors import InputError


def run(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="kb")


# ---------------------------------------------------------------- rosters
def test_roster_column_aliases_and_a_plain_total(tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text("党组织名称,所属领域,书记姓名,党员人数,上级党组织名称\n"
                      "甲社区党委,社区,张三,45,某某街道党工委\n乙小学党支部,小学,李四,12人,某某教育局党委\n",
                      encoding="utf-8")
    rows = read_roster(roster)
    assert rows.unknown_columns == []
    first = profile_from_mapping(rows.rows[0].values)
    assert (first.name, first.sector, first.secretary, first.total, first.parent) == (
        "甲社区党委", "community", "张三", 45, "某某街道党工委")
    second = profile_from_mapping(rows.rows[1].values)
    assert (second.sector, second.total) == ("school", 12)
    out = tmp_path / "out"
    result = run("batch", str(roster), "-t", "实施方案", "-o", str(out), "-q", "-f", "md")
    assert result.exit_code == 0, result.output
    assert "45" in (out / "甲社区党委" / "实施方案.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("header", ["单位类型", "类别", "单位类别", "行业"])
def test_sector_column_aliases(tmp_path, header):
    roster = tmp_path / "r.csv"
    roster.write_text(f"名称,{header}\n甲社区党委,社区\n", encoding="utf-8")
    assert profile_from_mapping(read_roster(roster).rows[0].values).sector == "community"


def test_missing_sector_column_is_said_once_with_a_guess(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("名称,种类,开始日期\n" + "".join(f"第{i}社区党委,社区,2005-07-01\n" for i in range(60)),
                      encoding="utf-8")
    result = run("batch", str(roster), "-t", "学习要求", "-o", str(tmp_path / "out"), "-q")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "名册没有“领域”列（第 1 行表头有：名称、种类、开始日期）；“种类”是不是领域？" in result.output
    assert not (tmp_path / "out").exists()


def test_missing_name_column_guesses_by_the_cells(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("支部,领域\n甲社区党委,社区\n乙党支部,学校\n", encoding="utf-8")
    with pytest.raises(InputError, match="名册没有“单位名称”列.*“支部”是不是单位名称？"):
        read_roster(roster)


def test_same_error_in_many_rows_is_reported_once():
    report = BatchReport(outdir=Path("out"), types=["学习要求"])
    for line in range(2, 62):
        report.results.append(OrgResult(line=line, name=f"单位{line}", folder=Path("x"), errors=["人数应为整数"]))
    report.results.append(OrgResult(line=70, name="火星", folder=Path("x"), errors=["没有名为“火星”的领域"]))
    summary = report.summary()
    assert summary.count("人数应为整数") == 1
    assert "60 行同样出错（第 2、3、4、5、6 行……）：人数应为整数" in summary
    assert "第 70 行（火星）：没有名为“火星”的领域" in summary


def test_xlsx_title_row_above_the_header_is_skipped_with_a_note(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某某街道党组织名册（2005年）"])
    sheet.merge_cells("A1:C1")
    sheet.append(["单位名称", "领域", "书记"])
    sheet.append(["甲社区党委", "社区", "张三"])
    path = tmp_path / "名册.xlsx"
    book.save(path)
    rows = read_roster(path)
    assert [r.values for r in rows.rows] == [{"单位名称": "甲社区党委", "领域": "社区", "书记": "张三"}]
    assert rows.rows[0].line == 3
    assert rows.notes == ["第 1 行像是标题（如合并单元格的表名），表头取第 2 行"]
    result = run("batch", str(path), "-t", "学习要求", "-o", str(tmp_path / "out"), "-q")
    assert result.exit_code == 0, result.output
    assert "第 1 行像是标题" in result.output


def test_misspelled_roster_column_gets_a_suggestion(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("名称,领域,书计\n甲社区党委,社区,张三\n", encoding="utf-8")
    result = run("batch", str(roster), "-t", "学习要求", "-o", str(tmp_path / "out"), "-q")
    assert result.exit_code == 0
    assert "“书计”是不是“书记”？" in result.output


# ---------------------------------------------------------------- did you mean, CLI manners
@pytest.mark.parametrize(
    "sector, says",
    [("社去", "是不是“社区”？"), ("村", "村党组织请写“乡镇机关”"), ("企业", "是国有企业还是非公企业"),
     ("两新组织", "请写“非公企业”或“社会组织”")],
)
def test_sector_mistakes_get_the_near_one(tmp_path, sector, says):
    result = run("generate", "学习要求", "--org", "甲党支部", "--sector", sector, "-o", str(tmp_path / "a.md"))
    assert result.exit_code == 1 and says in result.output
    assert not (tmp_path / "a.md").exists()


@pytest.mark.parametrize("sector, key", [("中学", "school"), ("小学", "school"), ("私企", "private"), ("国企", "soe")])
def test_everyday_sector_words(sector, key):
    assert profile_from_mapping({"名称": "甲党支部", "领域": sector}).sector == key


def test_typos_in_commands_and_types():
    assert "没有命令 serach（是不是 search？）" in run("serach", "流动党员").output
    result = run("generate", "学习要球", "--org", "甲", "--sector", "社区")
    assert "没有名为“学习要球”的文件类型，是不是“学习要求”？" in result.output and "(study_schedule)" not in result.output


def test_kb_alone_shows_help_and_succeeds():
    result = run()
    assert result.exit_code == 0
    assert result.output.startswith("用法：kb [选项] 命令") and "错误" not in result.output


def test_meeting_date_errors_say_meeting_date(tmp_path):
    result = run("generate", "会议通知", "--org", "甲党支部", "--sector", "社区", "--meeting", "动员大会",
                 "--date", "2005-13-45", "-o", str(tmp_path / "a.docx"))
    assert result.exit_code == 1
    assert "会议日期“2005-13-45”不存在" in result.output and "成文日期" not in result.output


def test_options_that_do_not_apply_are_warned(tmp_path):
    result = run("generate", "学习要求", "--org", "甲党支部", "--sector", "社区", "--meeting", "动员大会",
                 "--time", "9:00", "-o", str(tmp_path / "a.docx"))
    assert result.exit_code == 0
    assert "--meeting 不适用于学习要求，已忽略" in result.output and "--time 不适用于学习要求" in result.output
    quiet = run("generate", "会议材料", "--org", "甲党支部", "--sector", "社区", "--meeting", "动员大会",
                "--time", "9:00", "-o", str(tmp_path / "kit"))
    assert quiet.exit_code == 0 and "不适用" not in quiet.output


# ---------------------------------------------------------------- output names, overwriting
@pytest.mark.parametrize("name, says", [("x.doc", "不支持输出为“x.doc”"), ("x.wps", ".wps 是旧格式"),
                                         ("x", "没有扩展名：请写成 x.docx"), ("x.txt", "不支持输出为“x.txt”")])
def test_wrong_output_names_are_refused_listing_the_supported(tmp_path, name, says):
    for command in (["generate", "学习要求", "--org", "甲党支部", "--sector", "社区"], ["render", str(_note(tmp_path))]):
        result = run(*command, "-o", str(tmp_path / name))
        assert result.exit_code == 2, result.output
        assert says in result.output and ".docx（Word）、.pdf" in result.output
        assert not (tmp_path / name).exists()


def _note(folder: Path) -> Path:
    note = folder / "通知.md"
    note.write_text("# 关于召开动员大会的通知\n\n各党支部：\n\n定于近日召开动员大会。\n", encoding="utf-8")
    return note


def test_kit_output_named_like_a_file_without_combine(tmp_path):
    result = run("generate", "会议材料", "--org", "甲党支部", "--sector", "社区", "--meeting", "动员大会",
                 "-o", str(tmp_path / "动员大会.docx"))
    assert result.exit_code == 2
    assert "-o 是存放它们的文件夹" in result.output and "--combine" in result.output
    assert not (tmp_path / "动员大会.docx").exists()


def test_pdf_output_through_libreoffice(tmp_path, monkeypatch):
    from dangjian.generators import pdf_output

    if pdf_output.soffice() is None:
        result = run("generate", "学习要求", "--org", "甲党支部", "--sector", "社区", "-o", str(tmp_path / "a.pdf"))
        assert result.exit_code == 1 and "需要 LibreOffice" in result.output
        return
    result = run("render", str(_note(tmp_path)), "-o", str(tmp_path / "通知.pdf"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "通知.pdf").read_bytes().startswith(b"%PDF")
    monkeypatch.setattr(pdf_output.shutil, "which", lambda name: None)  # as on a machine without LibreOffice
    result = run("render", str(_note(tmp_path)), "-o", str(tmp_path / "b.pdf"))
    assert result.exit_code == 1 and "输出 PDF 需要 LibreOffice" in result.output
    assert not (tmp_path / "b.pdf").exists()


def test_python_api_refuses_to_overwrite(tmp_path):
    from dangjian.generators import generate

    target = tmp_path / "a.docx"
    target.write_bytes(b"mine")
    with pytest.raises(InputError, match="输出文件已存在"):
        generate("学习要求", {"名称": "甲党支部", "领域": "社区"}, output=target)
    assert target.read_bytes() == b"mine"
    generate("学习要求", {"名称": "甲党支部", "领域": "社区"}, output=target, overwrite=True)
    assert target.read_bytes() != b"mine"


# ---------------------------------------------------------------- kb add 文件夹/
OFFICE = Path(__file__).parent / "fixtures" / "office"


def _mixed_folder(folder: Path) -> Path:
    import shutil

    folder.mkdir()
    for name in ("通知.pdf", "通知.doc", "安排.wps"):
        shutil.copy(OFFICE / name, folder / name)
    (folder / "笔记.txt").write_text("关于整改提高阶段的说明\n\n各党支部要边学边改，认真整改。\n", encoding="utf-8")
    (folder / "名册.xlsx").write_bytes(b"PK\x03\x04 not really")
    (folder / "~$通知.docx").write_bytes(b"lock")
    return folder


def test_add_folder_of_mixed_files_with_libreoffice(run_kb, tmp_path):
    from dangjian.kb import readers_office

    if readers_office.soffice() is None:
        pytest.skip("没有安装 LibreOffice（apt-get install libreoffice-writer-nogui），.doc/.wps 导入测试跳过")
    folder = _mixed_folder(tmp_path / "党务")
    result = run_kb("add", str(folder))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "已导入" in out and "通知.doc → " in out and "安排.wps → " in out and "《关于整改提高阶段的说明》" in out
    assert "通知.pdf：内容与已有文档" in out  # the same text as the .doc: imported once
    assert "已跳过" in out and "名册.xlsx：不支持的文件类型“.xlsx”" in out and "名册请用 kb batch" in out
    assert "~$通知.docx：Word/WPS 打开文件时留下的临时文件" in out
    assert "导入 3 个，跳过 3 个，失败 0 个" in out
    found = run_kb("search", "流动党员通过书信参加学习")
    assert "关于组织党员参加集中学习的" in found.stdout


def test_add_folder_without_libreoffice(run_kb, tmp_path, monkeypatch):
    from dangjian.kb import readers_office

    monkeypatch.setattr(readers_office.shutil, "which", lambda name: None)
    folder = _mixed_folder(tmp_path / "党务")
    result = run_kb("add", str(folder))
    assert result.exit_code == 1
    assert "通知.pdf → " in result.stdout  # PDF text needs no LibreOffice
    assert "导入 .doc 文件需要 LibreOffice（本机没有安装）：通知.doc 未导入" in result.stderr
    assert "导入 .wps 文件需要 LibreOffice" in result.stderr
    assert "导入 2 个，跳过 2 个，失败 2 个" in result.stdout


def test_pdf_without_a_text_layer(tmp_path):
    import pypdf

    from dangjian.kb.errors import ImportFailed
    from dangjian.kb.outline import import_file

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "扫描件.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    with pytest.raises(ImportFailed, match="没有文字层（可能是扫描件）"):
        import_file(path)
    (tmp_path / "假.pdf").write_bytes(b"not a pdf at all")
    with pytest.raises(ImportFailed, match="不是 PDF 文件"):
        import_file(tmp_path / "假.pdf")
    (tmp_path / "坏.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises(ImportFailed, match="坏.pdf"):
        import_file(tmp_path / "坏.pdf")


# ---------------------------------------------------------------- smaller things
def test_empty_knowledge_base_says_so(run_kb):
    run_kb("remove", "xjx2005")
    result = run_kb("search", "流动党员")
    assert result.exit_code == 0 and "知识库是空的" in result.stdout and "没有找到" not in result.stdout


def test_docs_does_not_show_bundled_file_names(run_kb):
    result = run_kb("docs")
    assert "xjx2005" in result.stdout and "bundled:" not in result.stdout


def test_check_old_word_file_says_save_as_docx(tmp_path):
    old = tmp_path / "旧文件.doc"
    old.write_bytes((OFFICE / "通知.doc").read_bytes())
    result = run("check", str(old))
    assert result.exit_code == 1 and "请用 Word 或 WPS 打开后另存为 .docx" in result.output


def test_ledger_dates_come_out_alike(tmp_path):
    import datetime

    import openpyxl

    from dangjian.generators import generate

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["问题", "整改措施", "完成时限", "销号日期"])
    sheet.append(["学习不深入", "集中学习", datetime.datetime(2005, 10, 30), "2005-11-5"])
    sheet.append(["联系群众不够", "走访", "2005/10/31", "长期坚持"])
    path = tmp_path / "问题.xlsx"
    book.save(path)
    text = generate("整改台账", {"名称": "甲党支部", "领域": "社区"}, fmt="md", problems=str(path)).markdown
    assert "2005年10月30日" in text and "2005年11月5日" in text and "2005年10月31日" in text
    assert "长期坚持" in text and "2005-10" not in text and "2005/10" not in text


def test_skip_reasons_are_shown_and_chinese():
    import re

    config = (Path(__file__).parent.parent / "setup.cfg").read_text(encoding="utf-8")
    assert re.search(r"addopts\s*=.*-rs", config)
    reasons = []
    for test_file in Path(__file__).parent.glob("test_*.py"):
        source = test_file.read_text(encoding="utf-8")
        reasons += re.findall(r"reason=\s*\(?\s*[\"']([^\"']*)", source)
        reasons += re.findall(r"pytest\.skip\(\s*f?[\"']([^\"']*)", source)
    assert reasons
    for reason in reasons:
        assert re.search(r"[\u4e00-\u9fff]", reason), reason


def test_documents_quote_no_commands():
    from dangjian.generators import document_types, generate

    for kind in document_types():
        options = {"meeting": "动员大会"} if "meeting" in kind.options else {}
        if kind.key == "meeting_kit":
            continue
        text = generate(kind, {"名称": "甲社区党委", "领域": "社区", "书记": "张三"}, fmt="md", **options).markdown
        import re

        assert not re.search(r"\bkb [a-z]|--[a-z]", text), kind.name


def test_a_total_and_a_breakdown_both_count_and_repeated_keys_are_said():
    profile = profile_from_mapping({"名称": "甲社区党委", "领域": "社区", "党员人数": 48,
                                    "各类党员": {"在职": 20, "离退休": 25, "流动": 3}, "书记": "张三", "党组织书记": "李四"})
    assert profile.total == 48 and profile.counts == {"in_service": 20, "retired": 25, "mobile": 3}
    assert profile.secretary == "张三"
    assert profile.notes == ["“党组织书记”与“书记”是同一项，已用“书记”"]


@pytest.mark.parametrize("command", ["", "search", "show", "add", "docs", "remove", "index", "render", "check",
                                     "generate", "types", "campaign", "batch"])
def test_help_has_no_english_placeholders(command):
    import re

    text = run(*command.split(), "--help").output
    assert not re.findall(r"\b(?:QUERY|ROSTER|DOC_ID|SOURCE|FILES|TYPE|PATHS|TEXT|PACK)\b", text)
    assert " 文本 " not in text


@pytest.mark.parametrize("text, months", [("三", 3), ("三个月", 3), ("十二", 12), ("二十四个月", 24), ("６个月", 6)])
def test_months_as_people_write_them(text, months):
    assert profile_from_mapping({"名称": "甲党支部", "领域": "社区", "月数": text}).months == months


def test_meeting_date_without_a_year_is_in_the_campaign_year(tmp_path):
    from dangjian.generators import generate

    text = generate("会议通知", {"名称": "甲党支部", "领域": "社区", "开始日期": "2006-01-10"}, fmt="md",
                    meeting="动员大会", date="1月15日").markdown
    assert "2006年1月15日" in text
    text = generate("会议通知", {"名称": "甲党支部", "领域": "社区"}, fmt="md", meeting="动员大会", date="7月5日").markdown
    assert "2005年7月5日" in text


def test_meeting_names_get_a_suggestion():
    result = run("generate", "会议通知", "--org", "甲党支部", "--sector", "社区", "--meeting", "通报会议")
    assert "是不是“整改情况通报会”？" in result.output


def test_batch_to_pdf(tmp_path):
    from dangjian.generators import pdf_output

    roster = tmp_path / "r.csv"
    roster.write_text("名称,领域\n甲社区党委,社区\n", encoding="utf-8")
    result = run("batch", str(roster), "-t", "学习要求", "-f", "pdf", "-o", str(tmp_path / "out"), "-q", "-j", "1")
    if pdf_output.soffice() is None:
        assert result.exit_code == 1 and "需要 LibreOffice" in result.output
        return
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "甲社区党委" / "学习要求.pdf").read_bytes().startswith(b"%PDF")
    # no .part left; the 依据 working paper beside its document
    assert sorted(p.name for p in (tmp_path / "out" / "甲社区党委").iterdir()) == ["学习要求.pdf", "学习要求.依据.pdf"]
