"""kb check: our documents pass; documents made by other tools get clear, specific failures; bad files one line."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from dangjian.generators.check import check_docx
from dangjian.generators.render import render_markdown
from dangjian.kb.cli import cli
from dangjian.kb.errors import InputError

GOLDEN = Path(__file__).parent / "golden" / "render"
FIXTURES = Path(__file__).parent / "fixtures" / "docx"
CASES = sorted(p.stem for p in GOLDEN.glob("*.md"))


def _render(tmp_path: Path, case: str) -> Path:
    out = tmp_path / f"{case}.docx"
    render_markdown((GOLDEN / f"{case}.md").read_text(encoding="utf-8"), output=out)
    return out


@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_every_rendered_document_passes(tmp_path, case):
    report = check_docx(_render(tmp_path, case))
    assert report.ok, [item.message for item in report.failed()]


def test_our_notice_reports_each_role(tmp_path):
    report = check_docx(_render(tmp_path, "headings"))
    found = {item.name: item.found for item in report.items}
    assert found["标题字体字号"] == "方正小标宋简体 22磅"
    assert found["一级标题字体字号"] == "黑体 16磅"
    assert found["二级标题字体字号"] == "楷体_GB2312 16磅"
    assert found["三级标题字体字号"] == "仿宋_GB2312 16磅"
    assert found["四级标题字体字号"] == "仿宋_GB2312 16磅"
    assert found["行距"] == "行距28.95磅，每页22行"
    assert found["每行字数"] == "每行28字"


@pytest.fixture
def python_docx_default(tmp_path) -> Path:
    document = docx.Document()
    document.add_paragraph("关于召开动员大会的通知")
    document.add_paragraph("各党支部:经研究,定于近期召开动员大会,请全体党员准时参加。")
    document.add_paragraph("2005年07月01日")
    path = tmp_path / "default.docx"
    document.save(path)
    return path


def test_python_docx_default_document_fails_with_reasons(python_docx_default):
    report = check_docx(python_docx_default)
    assert not report.ok
    failed = {item.name: item.message for item in report.failed()}
    assert "216×279mm" in failed["纸张"]
    assert "上25.4mm（应为37mm）" in failed["页边距"]
    assert "未找到标题" in failed["标题"]
    # The default template's theme falls back to a Japanese font; the check resolves it.
    assert "ＭＳ 明朝" in failed["正文字体字号"] and "11磅" in failed["正文字体字号"]
    assert "ja-JP" in failed["东亚语言"]
    assert "PAGE" in failed["页码"]
    assert "2005年7月1日" in failed["成文日期"]
    assert "半角标点" in failed["标点"]


def test_libreoffice_round_trip_of_our_document_still_passes():
    report = check_docx(FIXTURES / "libreoffice_roundtrip.docx")
    assert report.ok, [item.message for item in report.failed()]
    assert {i.name: i.found for i in report.items}["正文字体字号"] == "仿宋_GB2312 16磅"


def test_libreoffice_document_from_plain_text_fails_clearly():
    report = check_docx(FIXTURES / "libreoffice_from_text.docx")
    failed = {item.name: item.message for item in report.failed()}
    assert set(failed) >= {"页边距", "标题", "正文字体字号", "首行缩进", "行距", "页码", "成文日期", "标点"}
    assert "每页56行" in failed["行距"]
    assert "纸张" not in failed  # LibreOffice saved it on A4


def _mutate(src: Path, dst: Path, part: str, old: str, new: str) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new).encode("utf-8")
            zout.writestr(info, data)
    return dst


@pytest.mark.parametrize(
    "part, old, new, item, message",
    [
        ("word/document.xml", 'w:eastAsia="仿宋_GB2312"', 'w:eastAsia="宋体"', "正文字体字号", "宋体"),
        ("word/document.xml", 'w:top="2098"', 'w:top="1440"', "页边距", "上25.4mm"),
        ("word/settings.xml", "<w:evenAndOddHeaders/>", "", "页码", "奇偶页"),
        ("word/document.xml", "2005年7月1日", "2005年07月01日", "成文日期", "不应编虚位"),
        ("word/document.xml", "经研究，定于", "经研究,定于", "标点", "研究,定于"),
        ("word/styles.xml", 'w:firstLine="630" w:firstLineChars="200"', 'w:firstLine="0" w:firstLineChars="0"', "首行缩进", "缩进"),
        ("word/styles.xml", 'w:line="579" w:lineRule="exact"', 'w:line="360" w:lineRule="auto"', "行距", "每页"),
    ],
    ids=["body-font", "margin", "odd-even-footer", "padded-date", "half-width-comma", "indent", "line-pitch"],
)
def test_check_catches_a_broken_document(tmp_path, part, old, new, item, message):
    broken = _mutate(_render(tmp_path, "notice"), tmp_path / "broken.docx", part, old, new)
    report = check_docx(broken)
    failed = {i.name: i.message for i in report.failed()}
    assert item in failed, [i.message for i in report.failed()]
    assert message in failed[item]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p.write_text("不是 Word 文件"), "不是有效的 .docx 文件"),
        (lambda p: zipfile.ZipFile(p, "w").writestr("x.txt", "x"), "缺少 word/document.xml"),
        (lambda p: zipfile.ZipFile(p, "w").writestr("word/document.xml", "<w:document"), "已损坏"),
        (lambda p: None, "找不到文件"),
    ],
    ids=["text-file", "zip-without-document", "broken-xml", "missing"],
)
def test_bad_files_raise_one_line_input_errors(tmp_path, make, message):
    path = tmp_path / "坏.docx"
    make(path)
    with pytest.raises(InputError) as error:
        check_docx(path)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_truncated_docx_is_an_error_not_a_crash(tmp_path):
    good = _render(tmp_path, "notice").read_bytes()
    path = tmp_path / "截断.docx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(InputError):
        check_docx(path)


# ---------------------------------------------------------------- CLI
def test_check_command_exit_codes_and_messages(tmp_path, python_docx_default):
    ours = _render(tmp_path, "notice")
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(ours)])
    assert result.exit_code == 0 and result.output == f"{ours}：通过\n"
    result = runner.invoke(cli, ["check", str(ours), str(python_docx_default)])
    assert result.exit_code == 1
    assert f"{python_docx_default}：未通过（11项不符）" in result.output
    assert "  ✗ 纸张：纸张应为 A4（210×297mm），实际为 216×279mm" in result.output


def test_check_command_json(tmp_path, python_docx_default):
    ours = _render(tmp_path, "red_header")
    result = CliRunner().invoke(cli, ["check", "--json", str(ours), str(python_docx_default)])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [d["ok"] for d in data] == [True, False]
    item = next(i for i in data[1]["items"] if i["name"] == "纸张")
    assert set(item) == {"name", "passed", "expected", "found", "message"} and item["passed"] is False


def test_check_command_bad_file_is_one_line(tmp_path):
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"PK\x03\x04broken")
    result = CliRunner().invoke(cli, ["check", str(bad)])
    assert result.exit_code == 1
    assert result.output.strip().startswith("错误：") and len(result.output.strip().splitlines()) == 1


def test_check_reads_documents_that_use_theme_fonts(tmp_path):
    # python-docx's default document refers to theme fonts only; the check resolves them for zh-CN.
    path = tmp_path / "theme.docx"
    document = docx.Document()
    document.settings.element.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}themeFontLang"
    ).set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "zh-CN")
    document.add_paragraph("这是一段足够长的正文内容，用于检查主题字体的解析。")
    document.save(path)
    found = {i.name: i.found for i in check_docx(path).items}
    assert found["正文字体字号"].startswith("宋体")


def _minimal_docx(path: Path, styles: str, body: str) -> Path:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/styles.xml", f'<w:styles {w}>{styles}</w:styles>')
        package.writestr("word/document.xml", f'<w:document {w}><w:body>{body}'
                         '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    return path


def test_fonts_resolve_through_defaults_based_on_chain_and_character_styles(tmp_path):
    styles = (
        '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsia="宋体"/><w:sz w:val="24"/></w:rPr></w:rPrDefault>'
        "</w:docDefaults>"
        '<w:style w:type="paragraph" w:styleId="A"><w:name w:val="甲"/><w:rPr><w:rFonts w:eastAsia="仿宋"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="B"><w:name w:val="乙"/><w:basedOn w:val="A"/>'
        '<w:pPr><w:ind w:firstLineChars="200"/></w:pPr><w:rPr><w:sz w:val="32"/></w:rPr></w:style>'
        '<w:style w:type="character" w:styleId="C"><w:name w:val="丙"/><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>'
    )
    text = "各党支部要认真组织党员学习有关文件，切实把思想统一到部署上来。"
    body = (
        '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="44"/></w:rPr><w:t>关于学习的通知</w:t></w:r></w:p>'
        f'<w:p><w:pPr><w:pStyle w:val="B"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'
        f'<w:p><w:pPr><w:pStyle w:val="B"/></w:pPr><w:r><w:rPr><w:rStyle w:val="C"/></w:rPr><w:t>一、</w:t></w:r>'
        "<w:r><w:t>总体要求</w:t></w:r></w:p>"
    )
    report = check_docx(_minimal_docx(tmp_path / "chain.docx", styles, body))
    found = {i.name: i.found for i in report.items}
    assert found["标题字体字号"] == "宋体 22磅"  # docDefaults font, run size
    assert found["正文字体字号"] == "仿宋 16磅"  # font from A, size from B (basedOn A)
    assert found["一级标题字体字号"] == "黑体 16磅"  # the character style on the heading's first run
    assert found["首行缩进"] == "1/1段首行缩进2字"  # firstLineChars from the style


def test_a_landscape_page_numbered_at_the_foot_of_the_landscape_view_fails(tmp_path):
    """GB/T 9704-2012 §8: a landscape page keeps the number where the portrait pages have it."""
    good = tmp_path / "good.docx"
    render_markdown("# 通知\n\n正文。\n\n# 附件 台账 {.landscape}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", output=good)
    assert check_docx(good).ok
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/_rels/document.xml.rels":  # the landscape section gets the portrait footers
                data = data.replace(b'Target="footerLandscapeOdd.xml"', b'Target="footer1.xml"')
                data = data.replace(b'Target="footerLandscapeEven.xml"', b'Target="footer2.xml"')
            dst.writestr(item, data)
    item = next(i for i in check_docx(bad).items if i.name == "页码")
    assert not item.passed and "横向页的页码" in item.message
