"""The rendering pipeline: text normalization, Markdown → model, .docx read back with python-docx, templates, CLI."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Mm

from dangjian.generators.docx_render import printed_width
from dangjian.generators.docmodel import Attachment, Attendees, DocModel, Heading, Paragraph, Run, Table, combine
from dangjian.generators.markdown_model import parse_markdown
from dangjian.generators.render import render_markdown, render_model, render_template
from dangjian.generators.text import display_width, format_date, normalize, title_lines
from dangjian.kb.cli import cli
from dangjian.kb.errors import InputError, TemplateError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

NOTICE = """---
格式标准: 2012
主送: 各党支部
署名: 中共某某社区委员会
日期: 2005-07-01
附件: [动员大会议程]
抄送: 街道党工委
印发: 中共某某社区委员会办公室
印发日期: 2005-07-01
---

# 关于召开动员大会的通知

经研究，定于近期召开动员大会。

## 会议时间

2005年7月5日上午9:30。

| 序号 | 议程 | 主持人 |
|---|---|---|
| 1 | 动员讲话 | 张三 |
| 2 | ^ | 李四 |
"""


# ---------------------------------------------------------------- text
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("时间:上午9:30", "时间：上午9:30"),
        ("各支部,请注意;是否参加?请回复!", "各支部，请注意；是否参加？请回复！"),
        ("确保参会率(流动党员除外)。", "确保参会率（流动党员除外）。"),
        ("Hello, world (test): ok", "Hello, world (test): ok"),
        ("某党发[2005]012号", "某党发〔2005〕12号"),
        ("某党发（2005）第3号", "某党发〔2005〕3号"),
        ("某党发【2005】3 号", "某党发〔2005〕3号"),
        ("2005年07月01日", "2005年7月1日"),
        ("学习 3 天，共 12 人", "学习3天，共12人"),
        ("要做到\"四个清楚\"", "要做到“四个清楚”"),
        ("坏\x0b字\x0c符\x00", "坏字符"),
        ("a < b & c", "a < b & c"),
    ],
    ids=["colon", "comma-semicolon-question", "parentheses", "latin-kept", "doc-number-brackets",
         "doc-number-di", "doc-number-lenticular", "date-padding", "space-digits", "quotes", "control-chars", "xml-chars"],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("2005-07-01", "2005年7月1日"), ("2005/7/1", "2005年7月1日"), ("2005年07月01日", "2005年7月1日"),
     ("２００５年７月１日", "2005年7月1日")],
    ids=["iso", "slash", "padded", "fullwidth"],
)
def test_format_date(value, expected):
    assert format_date(value) == expected


def test_format_date_reads_chinese_numerals():
    assert format_date("二〇〇五年七月一日") == "2005年7月1日" and format_date("二〇一二年十二月三十一日") == "2012年12月31日"


@pytest.mark.parametrize("value", ["二〇〇五年十三月一日", "2005-13-01", "下周一"], ids=["chinese-numerals", "no-month-13", "words"])
def test_format_date_rejects(value):
    with pytest.raises(InputError):
        format_date(value)


@pytest.mark.parametrize(
    "title",
    ["关于开展保持共产党员先进性教育活动的实施方案",
     "中共某某县委关于在全县第二批保持共产党员先进性教育活动中开展专题组织生活会的通知",
     "某某社区党委保持共产党员先进性教育活动学习动员阶段工作小结",
     "关于召开动员大会的通知"],
    ids=["two-lines", "long", "summary", "short"],
)
def test_title_lines_fit_and_never_split_words(title):
    from dangjian.kb.segment import load_segmenter

    lines = title_lines(title)
    assert "".join(lines) == title
    assert all(display_width(line) <= 20 for line in lines)
    if len(lines) > 1:
        boundaries = set()
        pos = 0
        for word, _, _ in load_segmenter().cut(title):
            pos += len(word)
            boundaries.add(pos)
        pos = 0
        for line in lines[:-1]:
            pos += len(line)
            assert pos in boundaries, f"在词中间断行：{lines}"
        # Upper lines are not shorter than lower ones (a trapezoid), give or take one character.
        assert display_width(lines[0]) + 1 >= display_width(lines[-1])


# ---------------------------------------------------------------- markdown model
def test_front_matter_chinese_and_english_keys_give_the_same_model():
    chinese = parse_markdown("---\n主送: 各支部\n署名: 某党委\n日期: 2005-7-1\n盖章: 是\n红头: 否\n---\n# 标题\n\n正文。")
    english = parse_markdown("---\nto: 各支部\nsignature: 某党委\ndate: 2005-07-01\nseal: true\nred_header: false\n---\n# 标题\n\n正文。")
    assert chinese == english
    assert chinese.date == "2005年7月1日" and chinese.seal and not chinese.red_header


def test_variables_override_front_matter():
    doc = parse_markdown("---\n署名: 甲党委\n---\n# 标题\n", variables={"署名": "乙党委"})
    assert doc.signature == "乙党委"


def test_headings_are_numbered_and_typed_numbers_kept():
    doc = parse_markdown("# T\n\n## 甲\n\n### 乙\n\n### 丙\n\n#### 丁\n\n##### 戊\n\n## 二、已编号\n\n### 子\n")
    got = [(b.level, b.number, "".join(r.text for r in b.runs)) for b in doc.body if isinstance(b, Heading)]
    assert got == [(1, "一、", "甲"), (2, "（一）", "乙"), (2, "（二）", "丙"), (3, "1.", "丁"), (4, "（1）", "戊"),
                   (1, "", "二、已编号"), (2, "（一）", "子")]


def test_attachment_sections_become_attachment_pages_and_the_note():
    doc = parse_markdown("# 通知\n\n正文。\n\n# 附件1 台账 {.landscape}\n\n表。\n\n# 附件2 名单\n\n名单。\n")
    assert [(a.number, a.title, a.landscape) for a in doc.attachment_pages] == [("1", "台账", True), ("2", "名单", False)]
    assert doc.attachments == ["台账", "名单"]
    assert doc.body == [Paragraph([Run("正文。")])]


def test_table_merges_up_and_left():
    doc = parse_markdown("# T\n\n| a | b | c |\n|---|---|---|\n| 1 | 2 | < |\n| ^ | 3 | 4 |\n")
    (table,) = [b for b in doc.body if isinstance(b, Table)]
    assert table.header_rows == 1 and table.columns == 3
    first = table.rows[1]
    assert [(c.rowspan, c.colspan) for c in first] == [(2, 1), (1, 2)]
    assert [("".join(r.text for r in c.runs)) for c in table.rows[2]] == ["3", "4"]


@pytest.mark.parametrize(
    "source, message",
    [
        ("---\n日期: [\n---\n# T\n", "第2行"),
        ("# 甲\n\n# 乙\n", "只能有一个一级标题"),
        ("# T\n\n| a | b |\n|---|---|\n| ^ | 1 |\n", "没有可合并的单元格"),
        ("---\n列宽: [1, 2, 3]\n---\n# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "有2列"),
        ("---\n盖章: 也许\n---\n# T\n", "盖章"),
        ("---\n署名: 某党委\n---\n\n", "没有任何内容"),
    ],
    ids=["bad-yaml", "second-title", "merge-nothing", "widths-count", "bad-bool", "empty"],
)
def test_invalid_markdown_is_a_template_error_naming_the_file(source, message):
    with pytest.raises(TemplateError) as error:
        parse_markdown(source, filename="坏.md")
    assert "坏.md" in str(error.value) and message in str(error.value)


# ---------------------------------------------------------------- .docx read back
@pytest.fixture(scope="module")
def notice_docx() -> docx.document.Document:
    return docx.Document(io.BytesIO(render_markdown(NOTICE)))


def test_page_is_a4_with_gbt9704_margins(notice_docx):
    section = notice_docx.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(v.mm) for v in (section.top_margin, section.bottom_margin, section.left_margin,
                                 section.right_margin)] == [37, 35, 28, 26]


@pytest.mark.parametrize(
    "style, east_asian, size",
    [("Normal", "仿宋_GB2312", 16), ("Title", "方正小标宋简体", 22), ("Heading 1", "黑体", 16),
     ("Heading 2", "楷体_GB2312", 16), ("Heading 3", "仿宋_GB2312", 16), ("Heading 4", "仿宋_GB2312", 16)],
    ids=["normal", "title", "h1", "h2", "h3", "h4"],
)
def test_styles_carry_east_asian_font_and_size(notice_docx, style, east_asian, size):
    st = notice_docx.styles[style]
    fonts = st.element.rPr.find(f"{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == east_asian
    assert fonts.get(f"{W}ascii") == "Times New Roman"
    assert st.font.size.pt == size


def test_every_run_sets_its_east_asian_font(notice_docx):
    body = notice_docx.element.body
    runs = [r for r in body.iter(f"{W}r") if r.find(f"{W}t") is not None]
    assert runs
    assert all(r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") for r in runs)


def test_no_japanese_theme_fallback_and_chinese_language(notice_docx):
    settings = notice_docx.settings.element
    lang = settings.find(f"{W}themeFontLang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"
    styles_xml = notice_docx.styles.element.xml
    assert "eastAsiaTheme" not in styles_xml and "ja-JP" not in styles_xml
    assert 'w:eastAsia="zh-CN"' in styles_xml


def test_page_numbers_odd_right_even_left_with_dashes(notice_docx):
    assert notice_docx.settings.odd_and_even_pages_header_footer
    section = notice_docx.sections[0]
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer._element.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        (para,) = footer.paragraphs
        assert para.text.startswith("— ") and para.text.endswith(" —")
        assert para.alignment is not None and para.alignment.name.lower() == alignment
        assert all(r.font.size.pt == 14 for r in para.runs)


def test_body_text_order_and_blocks(notice_docx):
    texts = [p.text for p in notice_docx.paragraphs if p.text]
    assert texts[:4] == ["关于召开动员大会的通知", "各党支部：", "经研究，定于近期召开动员大会。", "一、会议时间"]
    assert "附件：动员大会议程" in texts
    assert texts.index("中共某某社区委员会") < texts.index("2005年7月1日")
    body = [p for p in notice_docx.paragraphs if p.text == "经研究，定于近期召开动员大会。"][0]
    assert body.style.name == "正文缩进"


def test_signature_without_seal_is_right_aligned_two_characters_in(notice_docx):
    sig = [p for p in notice_docx.paragraphs if p.text == "中共某某社区委员会"][0]
    date = [p for p in notice_docx.paragraphs if p.text == "2005年7月1日"][0]
    assert sig.alignment.name == "RIGHT" and date.alignment.name == "RIGHT"
    sig_ind = sig._p.pPr.find(f"{W}ind")
    date_ind = date._p.pPr.find(f"{W}ind")
    sig_right = int(sig_ind.get(f"{W}rightChars")) / 100
    date_right = int(date_ind.get(f"{W}rightChars")) / 100
    assert min(sig_right, date_right) == 2.0  # 右空二字
    # The date starts two characters right of the signature; the date's digits are half width, and
    # Word and LibreOffice add a little space between digits and 年月日 (printed_width counts it).
    assert abs((sig_right + 9) - (date_right + printed_width("2005年7月1日")) - 2) < 0.01


def test_table_header_repeats_and_cells_merge(notice_docx):
    table = notice_docx.tables[0]  # the other table is the 版记
    first_row = table.rows[0]._tr
    assert first_row.find(f"{W}trPr/{W}tblHeader") is not None
    assert table.rows[1]._tr.find(f"{W}trPr/{W}tblHeader") is None
    merged = table.rows[2]._tr.findall(f"{W}tc")[1].find(f"{W}tcPr/{W}vMerge")
    assert merged is not None and merged.get(f"{W}val") is None
    widths = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
    assert abs(sum(widths) - 8845) <= 2
    assert widths[1] > widths[0]  # the longer column gets more room


def test_end_block_sits_at_the_bottom_of_the_text_block(notice_docx):
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    (anchor,) = notice_docx.element.body.iter(f"{wp}anchor")
    assert anchor.find(f"{wp}positionV").get("relativeFrom") == "margin"
    assert anchor.find(f"{wp}positionV/{wp}align").text == "bottom"
    assert int(anchor.find(f"{wp}extent").get("cx")) == 8845 * 635  # 156 mm wide
    texts = ["".join(t.text for t in p.iter(f"{W}t")) for p in anchor.iter(f"{W}p")]
    texts = [t for t in texts if t]
    assert texts[0] == "抄送：街道党工委。"
    assert texts[-1].startswith("中共某某社区委员会办公室") and texts[-1].endswith("2005年7月1日印发")


def test_landscape_attachment_gets_its_own_section_and_numbering_continues():
    source = "# 通知\n\n正文。\n\n# 附件1 台账 {.landscape}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n# 附件2 名单\n\n名单。\n"
    document = docx.Document(io.BytesIO(render_markdown(source)))
    orientations = [s.orientation.name for s in document.sections]
    assert orientations == ["PORTRAIT", "LANDSCAPE", "PORTRAIT"]
    assert all(s._sectPr.find(f"{W}pgNumType") is None for s in document.sections)  # numbering continues
    assert document.sections[1].page_width == Mm(297) or abs(document.sections[1].page_width.mm - 297) < 0.5


def test_control_characters_do_not_break_rendering():
    data = render_markdown("# 标\x0b题\n\n正文\x0c有\x01控制字符。")
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text]
    assert texts == ["标题", "正文有控制字符。"]


def test_combine_starts_each_part_on_a_new_page():
    first = parse_markdown("# 会议通知\n\n通知正文。")
    second = parse_markdown("# 会议议程\n\n议程正文。")
    data = render_model(combine([first, second]))
    document = docx.Document(io.BytesIO(data))
    xml = document.element.body.xml
    assert xml.count('<w:pageBreakBefore/>') == 1 and len(document.sections) == 1
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts == ["会议通知", "通知正文。", "会议议程", "议程正文。"]


def test_model_built_in_python_renders():
    doc = DocModel(title="测试", body=[Heading(1, [Run("甲")], "一、"), Attendees([("出席", "张三")])],
                   attachment_pages=[Attachment("", "附表")])
    text = render_model(doc, fmt="html")
    assert "一、甲" in text and "出席" in text and "附件" in text


def test_html_preview_has_the_same_text():
    html = render_markdown(NOTICE, fmt="html")
    for text in ("关于召开动员大会的通知", "各党支部：", "一、会议时间", "附件：动员大会议程", "2005年7月1日", "抄送：街道党工委。"):
        assert text in html
    assert 'rowspan="2"' in html


def test_md_format_returns_normalized_markdown():
    text = render_markdown("---\n署名: 甲\n---\n# 通知\n\n时间:上午,地点(活动室)。\n", fmt="md", variables={"署名": "乙"})
    assert "署名: 乙" in text and "时间：上午，地点（活动室）。" in text


# ---------------------------------------------------------------- templates and output
def test_template_missing_variable_names_it_and_the_line(tmp_path):
    (tmp_path / "t.md.j2").write_text("# {{ title }}\n\n第二行\n\n{{ missing_thing }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as error:
        render_template("t", {"title": "标题"}, template_dirs=[tmp_path])
    assert "missing_thing" in str(error.value) and "第5行" in str(error.value) and "t.md.j2" in str(error.value)


def test_template_syntax_error_names_file_and_line(tmp_path):
    (tmp_path / "bad.md.j2").write_text("# 标题\n\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as error:
        render_template("bad", {}, template_dirs=[tmp_path])
    assert "bad.md.j2" in str(error.value) and "第3行" in str(error.value)


def test_user_template_folder_overrides_and_sandbox_blocks_internals(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    (first / "t.md.j2").write_text("# 用户模板{{ x }}\n", encoding="utf-8")
    (second / "t.md.j2").write_text("# 另一个模板\n", encoding="utf-8")
    assert "用户模板1" in render_template("t", {"x": 1}, fmt="html", template_dirs=[first, second])
    (first / "evil.md.j2").write_text("# {{ ''.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    with pytest.raises(TemplateError):
        render_template("evil", {}, template_dirs=[first], sandboxed=True)


def test_unknown_template_is_a_clear_error(tmp_path):
    with pytest.raises(TemplateError, match="找不到模板"):
        render_template("不存在的模板", {}, template_dirs=[tmp_path])


def test_output_is_written_atomically_and_kept_on_error(tmp_path):
    target = tmp_path / "out.docx"
    render_markdown(NOTICE, output=target)
    before = target.read_bytes()
    assert zipfile.is_zipfile(target)
    with pytest.raises(TemplateError):
        render_markdown("# 甲\n\n# 乙\n", output=target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]


# ---------------------------------------------------------------- CLI
def _run(args, cwd: Path, monkeypatch):
    monkeypatch.chdir(cwd)
    Path("通知.md").write_text(NOTICE, encoding="utf-8")
    Path("图片.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = CliRunner().invoke(cli, args)
    files = {p.name: p.read_bytes() for p in Path(".").iterdir()}
    return result, files


@pytest.mark.parametrize(
    "args, exit_code, output, created",
    [
        (["render", "通知.md", "-o", "通知.docx"], 0, "已生成：通知.docx", "通知.docx"),
        (["render", "通知.md"], 0, "已生成：通知.docx", "通知.docx"),
        (["render", "通知.md", "-o", "预览.html"], 0, "已生成：预览.html", "预览.html"),
        (["render", "通知.md", "-o", "通知.md"], 1, "错误：输出文件不能与输入文件相同", None),
        (["render", "没有.md", "-o", "x.docx"], 1, "错误：找不到文件：没有.md", None),
        (["render", "通知.md", "--var", "无等号"], 2, "名称=值", None),
        (["render", "图片.md", "-o", "x.docx"], 1, "错误：图片.md 不是文本文件", None),
    ],
    ids=["docx", "default-output", "html-by-suffix", "same-as-input", "missing-input", "bad-var", "binary-input"],
)
def test_render_command(tmp_path, monkeypatch, args, exit_code, output, created):
    result, files = _run(args, tmp_path, monkeypatch)
    assert result.exit_code == exit_code, result.output
    assert output in result.output
    if created:
        assert created in files
    else:
        assert set(files) == {"通知.md", "图片.md"}


def test_render_refuses_to_overwrite_without_force(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    Path("通知.md").write_text(NOTICE, encoding="utf-8")
    Path("通知.docx").write_bytes(b"old")
    result = runner.invoke(cli, ["render", "通知.md", "-o", "通知.docx"])
    assert result.exit_code == 1 and "--force" in result.output
    assert Path("通知.docx").read_bytes() == b"old"
    result = runner.invoke(cli, ["render", "通知.md", "-o", "通知.docx", "--force"])
    assert result.exit_code == 0 and zipfile.is_zipfile("通知.docx")


def test_render_reads_gb18030_and_applies_var(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    Path("旧.md").write_bytes("---\n署名: 甲党委\n---\n# 通知\n\n正文。\n".encode("gb18030"))
    result = runner.invoke(cli, ["render", "旧.md", "-o", "旧.html", "--var", "署名=乙党委"])
    assert result.exit_code == 0, result.output
    html = Path("旧.html").read_text(encoding="utf-8")
    assert "乙党委" in html and "甲党委" not in html


def test_render_template_with_missing_variable_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    Path("tpl").mkdir()
    Path("tpl/方案.md.j2").write_text("# {{ 单位 }}实施方案\n\n{{ 缺的变量 }}\n", encoding="utf-8")
    result = runner.invoke(cli, ["render", "方案", "--templates", "tpl", "--var", "单位=某社区", "-o", "方案.docx"])
    assert result.exit_code == 1
    assert result.output.strip().startswith("错误：") and "缺的变量" in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = runner.invoke(cli, ["render", "方案", "--templates", "tpl", "--var", "单位=某社区",
                                 "--var", "缺的变量=补上", "-o", "方案.html"])
    assert result.exit_code == 0, result.output
    assert "某社区实施方案" in Path("方案.html").read_text(encoding="utf-8")


def test_docs_example_renders_and_passes_check(tmp_path):
    import re

    from dangjian.generators.check import check_docx

    text = (Path(__file__).parent.parent / "docs" / "render.md").read_text(encoding="utf-8")
    example = re.search(r"```markdown\n(---\n.*?)```", text, re.S).group(1)
    out = tmp_path / "example.docx"
    render_markdown(example, output=out)
    report = check_docx(out)
    assert report.ok, [i.message for i in report.failed()]


def test_output_suffix_chooses_the_format(tmp_path):
    render_markdown(NOTICE, output=tmp_path / "预览.html")
    assert (tmp_path / "预览.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    render_markdown(NOTICE, output=tmp_path / "通知.docx")
    assert zipfile.is_zipfile(tmp_path / "通知.docx")


def test_format_contradicting_the_suffix_is_refused_before_writing(tmp_path):
    with pytest.raises(InputError, match="文件名请以 .docx 结尾"):
        render_markdown(NOTICE, fmt="docx", output=tmp_path / "通知.html")
    assert list(tmp_path.iterdir()) == []


def test_distribution_lines_in_front_matter_keep_their_order_and_go_to_the_end_block():
    doc = parse_markdown("---\n发: 各支部\n报: 街道党工委\n送: 督导组\n---\n# 简报\n\n正文。\n")
    assert doc.distribution == [("报", "街道党工委"), ("送", "督导组"), ("发", "各支部")]
    assert doc.has_end_block
    xml = zipfile.ZipFile(io.BytesIO(render_model(doc))).read("word/document.xml").decode("utf-8")
    box = xml[xml.index("<w:txbxContent>"):xml.index("</w:txbxContent>")]
    assert box.index("报：街道党工委") < box.index("送：督导组") < box.index("发：各支部")
    # one rule above and one below the three lines, none between them; each rule is a paragraph
    # of its own without indent, as wide as the text block (156 mm)
    assert box.count("<w:bottom ") == 2 and box.index("报：") < box.index("<w:bottom ", box.index("<w:bottom ") + 1)
    rules = re.findall(r"<w:p><w:pPr>(?:(?!</w:p>).)*<w:pBdr>(?:(?!</w:p>).)*</w:p>", box)
    assert len(rules) == 2 and all('<w:ind w:left="0" w:right="0"/>' in rule and "<w:t" not in rule for rule in rules)


def test_1999_format_chinese_date_subject_terms_and_red_header():
    doc = parse_markdown("---\n发文机关: 中共某某社区委员会\n文号: 某社党发〔2005〕3号\n署名: 中共某某社区委员会\n"
                         "日期: 2005-07-06\n---\n# 关于开展学习的通知\n\n正文。\n")
    assert doc.format_standard == "1999" and doc.date_text == "二〇〇五年七月六日" and doc.has_red_header
    xml = zipfile.ZipFile(io.BytesIO(render_model(doc))).read("word/document.xml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", xml)
    assert text.index("中共某某社区委员会文件") < text.index("某社党发〔2005〕3号") < text.index("关于开展学习的通知")
    assert "二〇〇五年七月六日" in text and "主题词：党建 学习 通知" in text
    doc.standard = "2012"
    text = re.sub(r"<[^>]+>", "", zipfile.ZipFile(io.BytesIO(render_model(doc))).read("word/document.xml").decode())
    assert "2005年7月6日" in text and "主题词" not in text and "中共某某社区委员会文件" in text
    doc.date = "2026年3月2日"
    doc.standard = ""
    assert doc.format_standard == "2012" and doc.subject_line == ""


@pytest.mark.parametrize("value, shown", [("", ""), ('"　　年　月　日"', "　　年　月　日"), ("2005-09-05", "2005年9月5日")],
                         ids=["empty", "blank-form-line", "date"])
def test_bulletin_date_may_be_left_blank_for_filling_in(value, shown):
    doc = parse_markdown(f"---\n编发单位: 某某社区党委\n编发日期: {value}\n---\n# 简报\n\n正文。\n")
    assert doc.compiled_date == shown


def test_a_table_too_wide_for_portrait_turns_the_page_and_keeps_dates_and_names_whole():
    from dangjian.generators.docx_render import TABLE_CHAR, TEXT_W, TEXT_W_LANDSCAPE, column_widths, table_fits
    from document_set import WIDE_TABLE

    doc = parse_markdown(WIDE_TABLE.format(date="2005-07-01"))
    table = doc.body[0]
    assert not table_fits(table, TEXT_W) and table_fits(table, TEXT_W_LANDSCAPE)
    widths = column_widths(table, TEXT_W_LANDSCAPE)
    pad = 2 * 57 + 20
    chars = [(w - pad) / TABLE_CHAR for w in widths]
    # 入党时间 "2005年9月30日", 联系电话 "13800000001", 姓名 "欧阳建10", 序号 on one line
    assert chars[4] >= printed_width("2005年9月30日") and chars[9] >= 5.5 and chars[1] >= 4 and chars[0] >= 2
    document = docx.Document(io.BytesIO(render_model(doc)))
    assert document.sections[0].orientation.name == "LANDSCAPE"
    narrow = parse_markdown("# 表\n\n| 序号 | 姓名 |\n|---|---|\n| 1 | 张三 |\n")
    assert table_fits(narrow.body[0], TEXT_W)
    assert docx.Document(io.BytesIO(render_model(narrow))).sections[0].orientation.name == "PORTRAIT"


@pytest.mark.parametrize("title, whole", [
    ("中共某某省某某市第二机械制造集团有限责任公司第一分公司委员会专题组织生活会纪要", "有限责任公司"),
    ("关于印发《中共红星社区委员会开展第二批保持共产党员先进性教育活动实施方案》的通知", "红星社区委员会"),
], ids=["long-name", "notice"])
def test_titles_never_split_an_organization_name_and_are_widest_on_top(title, whole):
    lines = title_lines(title)
    assert "".join(lines) == title and any(whole in line for line in lines)
    widths = [display_width(line) for line in lines]
    assert widths == sorted(widths, reverse=True) and max(widths) <= 20


def test_a_red_mark_too_long_for_one_line_breaks_between_words():
    doc = parse_markdown("---\n红头: 是\n---\n# 中共某某省某某市第二机械制造集团有限责任公司第一分公司委员会专题组织生活会纪要\n\n正文。\n")
    xml = zipfile.ZipFile(io.BytesIO(render_model(doc))).read("word/document.xml").decode("utf-8")
    mark = xml[xml.index('<w:pStyle w:val="RedMark"/>'):]
    mark = mark[:mark.index("</w:p>")]
    assert "有限责任公司</w:t><w:br/>" in mark


def test_landscape_pages_turn_the_portrait_sheet_and_number_it_at_the_portrait_foot():
    """GB/T 9704-2012 §8: the table head faces the portrait left edge; "— N —" stays at the portrait foot."""
    source = "# 通知\n\n正文。\n\n# 附件 台账 {.landscape}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    data = render_markdown(source)
    document = docx.Document(io.BytesIO(data))
    turned = document.sections[1]
    # Portrait left 28 mm → top, portrait right 26 mm → bottom, portrait foot 35 mm → left, portrait top 37 mm → right.
    assert [round(m.mm) for m in (turned.top_margin, turned.bottom_margin, turned.left_margin,
                                  turned.right_margin)] == [28, 26, 35, 37]
    package = zipfile.ZipFile(io.BytesIO(data))
    sect = turned._sectPr.xml
    odd, even = (package.read(f"word/footerLandscape{kind}.xml").decode("utf-8") for kind in ("Odd", "Even"))
    assert 'r:id="rIdLandscapeOdd"' in sect and 'r:id="rIdLandscapeEven"' in sect
    assert 'r:id="rIdLandscape' not in document.sections[0]._sectPr.xml
    for footer in (odd, even):
        # vertical text in a page-anchored box, with a VML copy for readers without DrawingML shapes
        assert 'vert="vert"' in footer and "layout-flow:vertical" in footer and "<mc:Fallback>" in footer
        assert footer.count(" PAGE ") == 2 and "— " in footer
    # odd: at the landscape view's bottom-left, the number's end at the bottom; even: top-left, from the top
    top = [int(re.search(r"<wp:positionV[^>]*><wp:posOffset>(\d+)", f).group(1)) / 635 for f in (odd, even)]
    assert top[0] > 5953 > top[1]
    assert '<w:jc w:val="right"/>' in odd and '<w:jc w:val="left"/>' in even


def test_given_column_widths_never_make_a_column_narrower_than_its_names_and_dates():
    from dangjian.generators.docx_render import TABLE_CHAR, TEXT_W, column_widths

    doc = parse_markdown("---\n列宽: [[6, 0.5, 0.8, 1]]\n---\n# 表\n\n| 学习内容 | 学时 | 辅导人 | 时间 |\n"
                         "|---|---|---|---|\n| 学习党章和读本，交流体会 | 3 | 市委党校 许光华 | 7月8日（周五） |\n")
    widths = column_widths(doc.body[0], TEXT_W)
    chars = [(w - 2 * 57 - 20) / TABLE_CHAR for w in widths]
    assert sum(widths) == TEXT_W
    assert chars[1] >= 2 and chars[2] >= 4 and chars[3] >= printed_width("7月8日（周五）") - 0.01
    assert chars[0] > chars[2]  # the free-text column keeps the room left over


def test_end_block_has_a_report_line_under_1999_and_one_copy_line_under_2012():
    source = ("---\n发文机关: 中共某某社区委员会\n文号: 某社党发〔2005〕3号\n署名: 中共某某社区委员会\n日期: {date}\n"
              "抄报: 某某街道党工委先进性教育活动办公室，某某区委第三督导组\n抄送: 某某小学党支部\n"
              "印发: 某某社区党委\n印发日期: {date}\n---\n# 关于印发《学习计划》的通知\n\n正文。\n")
    old = parse_markdown(source.format(date="2005-07-06"))
    assert old.copy_lines == [("抄报", "某某街道党工委先进性教育活动办公室，某某区委第三督导组"), ("抄送", "某某小学党支部")]
    assert old.subject_line == "党建 学习 计划 通知"
    xml = zipfile.ZipFile(io.BytesIO(render_model(old))).read("word/document.xml").decode("utf-8")
    box = xml[xml.index("<mc:Choice"):xml.index("</mc:Choice>")]
    text = [t for t in ("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in re.findall(r"<w:p>.*?</w:p>", box))
            if t]
    assert text == ["主题词：党建 学习 计划 通知", "抄报：某某街道党工委先进性教育活动办公室，某某区委第三督导组。",
                    "抄送：某某小学党支部。", "某某社区党委2005年7月6日印发"]
    new = parse_markdown(source.format(date="2026-03-02"))
    assert new.copy_lines == [("抄送", "某某街道党工委先进性教育活动办公室，某某区委第三督导组，某某小学党支部")]


def test_the_plan_notice_is_reported_upwards_and_names_its_printer_in_the_end_block(tmp_path):
    from dangjian.generators import generate
    from docx_helpers import docx_text

    out = tmp_path / "方案.docx"
    generate("实施方案", Path(__file__).parent / "fixtures" / "sets" / "community.yaml", output=out, with_notice=True)
    text = docx_text(out)
    tail = text[text.index("主题词："):]
    # once each, and no layout words: the dump reads the box, not its VML copy or its position
    assert text.count("主题词：") == 1 and "centerbottom" not in text
    assert tail.startswith("主题词：党建 先进性教育 方案 通知")  # the notice issues a 方案
    assert "抄报：和兴街道党工委先进性教育活动办公室，南岗区委第三督导组。" in tail
    assert re.search(r"\n红旗社区党委\t?2005年7月4日印发\n", tail.replace("<w:tab/>", "\t")), tail


def test_a_reader_without_text_boxes_keeps_the_end_block(tmp_path):
    """mammoth (no DrawingML shapes) reads the VML copy of the 版记: 主题词, 抄报 and 印发 lines survive."""
    import mammoth

    from dangjian.generators import generate

    out = tmp_path / "方案.docx"
    generate("实施方案", Path(__file__).parent / "fixtures" / "sets" / "community.yaml", output=out, with_notice=True)
    with open(out, "rb") as handle:
        text = mammoth.extract_raw_text(handle).value
    for line in ("主题词：党建 先进性教育 方案 通知", "抄报：和兴街道党工委先进性教育活动办公室，南岗区委第三督导组。",
                 "2005年7月4日印发"):
        assert text.count(line) == 1, line
