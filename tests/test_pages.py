"""The printed pages: every document LibreOffice lays out passes ``kb check --pages``.

The whole document set, dated 2005 and dated 2026 (tests/document_set.py: every type for a short-named
社区 and a 30-character-named 1,000-member enterprise, the combined kits, a
简报, a wide-table render and a landscape-attachment render) is converted in
one soffice run.  Every page check must pass: no blank or near-empty page,
every punctuation mark of the .docx on the page, page numbers on the right
side, the 版记 on a portrait last page, at most 22 lines of at most 28
characters.

The punctuation proof: a full line of 28 characters followed by "，" used to
lose the mark in the PDF (LibreOffice hung it in the margin and did not draw
it).  The renderer now writes Word's default punctuation setting out
explicitly, which LibreOffice reads as "no hanging": the last character moves
down with the mark instead.
"""

from __future__ import annotations

import os
import re
from collections import Counter

import pytest

from dangjian.generators import fonts, pages
from dangjian.generators.render import render_markdown
from document_set import build_set

pytestmark = pytest.mark.skipif(not pages.available(),
                                reason="soffice (LibreOffice) 或 pdftotext (poppler-utils) 未安装：无法检查排版后的页面")


@pytest.fixture(scope="module")
def font_step(tmp_path_factory):
    """The documented font step (docs/fonts.md): fontconfig maps the official names to Chinese faces."""
    conf = tmp_path_factory.mktemp("fonts") / "fonts.conf"
    conf.write_text(fonts.fontconfig_aliases(include_system=True), encoding="utf-8")
    saved = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(conf)
    yield conf
    if saved is None:
        os.environ.pop("FONTCONFIG_FILE", None)
    else:
        os.environ["FONTCONFIG_FILE"] = saved


@pytest.fixture(scope="module", params=["2005-07-01", "2026-03-02"], ids=["1999", "2012"])
def laid_out(request, tmp_path_factory, font_step):
    """The whole set laid out: dated 2005 (GB/T 9704-1999: 主题词, Chinese-numeral dates) and 2026 (2012)."""
    folder = tmp_path_factory.mktemp("pages")
    files = build_set(folder / "set", start=request.param)
    pdfs = pages.to_pdf(files, folder)
    return {path: pages.read_pages(pdf) for path, pdf in pdfs.items()}


def test_every_document_passes_the_page_check(laid_out):
    failed = {path.name: [f.message for f in pages.page_findings(path, layout) if not f.passed]
              for path, layout in laid_out.items()}
    assert {name: messages for name, messages in failed.items() if messages} == {}


@pytest.mark.skipif(not fonts.available(), reason="没有 fontconfig（fc-list）")
def test_after_the_font_step_every_official_font_has_a_chinese_face_of_its_kind(font_step):
    report = {status.name: status for status in fonts.font_report()}
    assert set(report) == set(fonts.SUBSTITUTES)
    assert all(status.sensible for status in report.values()), report
    passed, found, message = fonts.font_finding()
    assert passed and "JP" not in found


def test_pdf_text_holds_every_punctuation_mark_of_the_docx(laid_out):
    missing = {}
    full_lines = 0
    for path, layout in laid_out.items():
        text = "\n".join(line.text for page in layout for line in page.lines)
        printed = Counter(c for c in text if c in pages.MARKS)
        lost = {m: n - printed[m] for m, n in pages.docx_marks(path).items() if n > printed[m]}
        if lost:
            missing[path.name] = lost
        full_lines += sum(1 for page in layout for line in page.lines
                          if len(re.findall(r"[\u3000-\u9fff\uff00-\uffef]", line.text)) == 28)
    assert missing == {}
    assert full_lines > 100  # the body still sets full lines of 28 characters


def _line(text, y, x0=80.0, x1=520.0, height=20.8):
    return pages.Line(text, x0, y, x1, height)


def test_the_page_check_sees_blank_pages_lone_lines_numbers_and_the_end_block(tmp_path):
    body = [_line("各党支部要认真组织党员学习，把思想统一到部署上来。", 110 + 29 * i) for i in range(20)]
    layout = [
        pages.Page(1, 595.3, 841.9, [*body, _line("— 1 —", 790, 470, 520, 14)]),
        pages.Page(2, 595.3, 841.9, [_line("抄送：街道党工委。", 700), _line("— 2 —", 790, 470, 520, 14)]),
        pages.Page(3, 595.3, 841.9, [_line("— 3 —", 790, 470, 520, 14)]),
        pages.Page(4, 595.3, 841.9, [_line("填表日期：　　年　月　日", 110), _line("— 4 —", 790, 470, 520, 14)]),
    ]
    path = tmp_path / "x.docx"
    render_markdown("# 通知\n\n各党支部要认真组织党员学习，把思想统一到部署上来。\n", output=path)
    found = {f.name: f for f in pages.page_findings(path, layout)}
    assert not found["空白页"].passed and "第3页" in found["空白页"].message
    assert not found["页面内容过少"].passed and "第4页只有“填表日期" in found["页面内容过少"].found
    assert "第2页" not in found["页面内容过少"].found  # a page of 版记 alone is allowed
    assert not found["页码位置"].passed and "第2页页码在右侧" in found["页码位置"].found
    assert found["版记位置"].passed  # a page of 版记 alone, then the next document
    assert found["标点显示"].passed and found["行数和字数"].passed


def test_kb_check_pages_reports_on_the_command_line(run_kb, tmp_path):
    path = tmp_path / "通知.docx"
    render_markdown("# 关于开展学习的通知\n\n各党支部：\n\n现将有关事项通知如下。\n", output=path)
    result = run_kb("check", "--pages", "-v", str(path))
    assert result.exit_code == 0, result.output
    assert "✓ 空白页：无" in result.output and "✓ 标点显示：全部显示" in result.output


def test_font_substitutes_are_chosen_by_kind_and_a_fallback_is_not_sensible():
    conf = fonts.fontconfig_aliases(installed={"Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN", "黑体"})
    assert "<string>楷体_GB2312</string>" in conf and "<string>AR PL UKai CN</string>" in conf
    assert "<string>黑体</string></test>" not in conf  # installed: no substitute
    assert conf.count("<match ") == 4 and "/etc/fonts/fonts.conf" not in conf
    assert fonts.FontStatus("仿宋_GB2312", False, "Noto Serif CJK SC").sensible
    assert not fonts.FontStatus("仿宋_GB2312", False, "Noto Sans CJK SC").sensible  # sans for 仿宋
    assert not fonts.FontStatus("黑体", False, "Noto Sans CJK JP").sensible  # Japanese forms
    assert not fonts.FontStatus("宋体", False, fonts.FALLBACK).sensible
    assert fonts.FontStatus("黑体", True, "").sensible


def test_date_starts_two_characters_right_of_the_signature_and_the_masthead_date_never_wraps(tmp_path):
    from dangjian.generators import generate
    from document_set import LONG

    notice = tmp_path / "通知.docx"
    render_markdown("---\n格式标准: 2012\n署名: 中共红星社区委员会\n日期: 2026-03-02\n---\n# 关于开展学习的通知\n\n"
                    "各党支部要认真组织党员学习。\n", output=notice)
    bulletin = tmp_path / "简报.docx"
    generate("信息简报", LONG, output=bulletin, issued="2005-09-05")
    pdfs = pages.to_pdf([notice, bulletin], tmp_path)
    lines = [line for page in pages.read_pages(pdfs[notice]) for line in page.lines]
    signature = next(line for line in lines if line.text == "中共红星社区委员会")
    date = next(line for line in lines if line.text.replace(" ", "") == "2026年3月2日")
    assert abs((date.x0 - signature.x0) - 2 * 15.75) < 3
    first = pages.read_pages(pdfs[bulletin])[0]
    dated = [line.text.replace(" ", "") for line in first.lines if "年" in line.text and "月" in line.text]
    assert any(text.endswith("2005年9月5日") for text in dated), dated


def test_fill_in_instructions_are_marked_and_reported(tmp_path):
    from dangjian.generators.check import check_docx

    path = tmp_path / "简报.docx"
    render_markdown("---\n文号: 第　期\n红头: 是\n发文机关: 某某简报\n---\n# （标题）\n\n（正文：写明做法和成效。）\n\n"
                    "已经写好的一段。\n", output=path)
    xml = __import__("zipfile").ZipFile(path).read("word/document.xml").decode("utf-8")
    assert xml.count('<w:rStyle w:val="FillIn"/>') == 3
    report = check_docx(path)
    item = next(i for i in report.items if i.name == "待填写内容")
    assert not item.passed and item.found == "3处" and "第　期" in item.message


def test_text_under_the_end_block_or_a_landscape_end_block_is_reported(tmp_path):
    path = tmp_path / "x.docx"
    render_markdown("# 通知\n\n正文。\n", output=path)
    layout = [pages.Page(1, 841.9, 595.3, [_line("抄送：街道党工委。", 400), _line("又一段正文", 450),
                                           _line("— 1 —", 560, 700, 760, 14)])]
    found = {f.name: f for f in pages.page_findings(path, layout)}
    assert not found["版记位置"].passed
    assert "版记之后还有“又一段正文”" in found["版记位置"].found and "横向页" in found["版记位置"].found


def test_landscape_pages_are_numbered_at_the_portrait_foot_odd_bottom_left_even_top_left(tmp_path, font_step):
    rows = "".join(f"| {i} | 学习不够深入，理论联系实际不够紧密 | 每周集中学习一次，支部书记带头讲党课 | 张三 | 2005年9月30日 |\n"
                   for i in range(1, 41))
    path = tmp_path / "台账.docx"
    render_markdown("# 关于开展整改工作的通知\n\n各党支部：\n\n现将整改台账印发给你们。\n\n# 附件 整改台账 {.landscape}\n\n"
                    "| 序号 | 存在问题 | 整改措施 | 责任人 | 完成时限 |\n|---|---|---|---|---|\n" + rows, output=path)
    layout = pages.read_pages(pages.to_pdf([path], tmp_path)[path])
    turned = [page for page in layout if page.landscape]
    assert {page.number % 2 for page in turned} == {0, 1}  # an odd and an even landscape page at least
    for page in turned:
        number = page.page_number_line()
        assert number is page.side and number.text.replace(" ", "") == f"—{page.number}—"
        assert number.x1 < 90  # in the left margin: the portrait foot
        # reads top to bottom: the dashes stand above and below the digits, so the column is taller than wide
        assert number.height > 2 * (number.x1 - number.x0)
        middle = number.y0 + number.height / 2
        assert (middle > page.height / 2) == (page.number % 2 == 1), page.number
    found = {f.name: f for f in pages.page_findings(path, layout)}
    assert found["页码位置"].passed and found["版记位置"].passed, found["页码位置"].message


def test_the_page_check_sees_a_landscape_number_at_the_foot_of_the_landscape_view(tmp_path):
    path = tmp_path / "x.docx"
    render_markdown("# 通知\n\n正文。\n", output=path)
    body = [_line("各党支部要认真组织党员学习。", 110 + 29 * i, 110, 700) for i in range(5)]
    foot = pages.Page(1, 841.9, 595.3, [*body, _line("— 1 —", 540, 700, 760, 14)])
    side = pages.Page(2, 841.9, 595.3, body, side=pages.Line("—2—", 58.7, 470, 76.9, 45))  # even, but low
    found = {f.name: f for f in pages.page_findings(path, [foot, side])}
    assert not found["页码位置"].passed
    assert "第1页（横向）页码在横向页面下方" in found["页码位置"].found and "第2页（横向）页码在左下角" in found["页码位置"].found


def test_table_cells_keep_names_dates_and_short_headers_on_one_line(tmp_path, font_step):
    # Given widths squeeze 学时, 辅导人 and 时间; the renderer widens them to their names and dates.
    source = ("---\n列宽: [[7, 0.4, 0.6, 0.9]]\n---\n# 学习安排表\n\n| 学习内容 | 学时 | 辅导人 | 时间 |\n|---|---|---|---|\n"
              + "".join(f"| 学习党章和《保持共产党员先进性教育读本》，交流体会{i} | 3 | 市委党校 许光华 | 7月{i}日（周五） |\n"
                        for i in range(1, 9)))
    path = tmp_path / "安排表.docx"
    render_markdown(source, output=path)
    layout = pages.read_pages(pages.to_pdf([path], tmp_path)[path])
    assert pages.broken_pieces(path, layout) == []
    found = {f.name: f for f in pages.page_findings(path, layout)}
    assert found["表格折行"].passed


def test_the_page_check_sees_a_name_or_header_broken_in_a_table_cell(tmp_path):
    path = tmp_path / "x.docx"
    render_markdown("# 表\n\n| 辅导人 | 学时 |\n|---|---|\n| 市委党校 许光华 | 3 |\n", output=path)
    cell = 15.6  # a line of 12 pt table text
    whole = [pages.Page(1, 595.3, 841.9, [_line("辅导人学时", 100, height=cell), _line("市委党校3", 120, height=cell),
                                          _line("许光华", 136, height=cell)])]
    broken = [pages.Page(1, 595.3, 841.9, [_line("辅导人学", 100, height=cell), _line("时", 116, height=cell),
                                           _line("市委党校许光3", 132, height=cell), _line("华", 148, height=cell)])]
    assert pages.broken_pieces(path, whole) == []
    assert sorted(pages.broken_pieces(path, broken)) == ["学时", "许光华"]
    item = next(f for f in pages.page_findings(path, broken) if f.name == "表格折行")
    assert not item.passed and "“许光华”" in item.message


def test_the_page_check_sees_a_signature_page_without_body_text(tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(b"")
    body = [_line("　　现将方案印发给你们，请认真贯彻落实。", 110 + 29 * i, 111, 515) for i in range(3)]
    alone = [_line("附件：某某社区党委开展学习教育活动实施方案", 110, 111, 515),
             _line("实施方案", 139, 191, 255), _line("中共某某社区委员会", 197, 339, 483),
             _line("二〇〇五年七月四日", 226, 371, 515), _line("— 2 —", 790, 79, 130, 14)]
    layout = [pages.Page(1, 595.3, 841.9, [*body, _line("— 1 —", 790, 470, 520, 14)]),
              pages.Page(2, 595.3, 841.9, alone)]
    found = {f.name: f for f in pages.page_findings(path, layout)}
    assert not found["署名页无正文"].passed and "第2页" in found["署名页无正文"].found
    # The last two body lines on the page with the 署名: passes.
    moved = [_line("情况和问题，请及时报告领导小组办公室。", 110, 79, 515), *alone]
    layout[1] = pages.Page(2, 595.3, 841.9, moved)
    found = {f.name: f for f in pages.page_findings(path, layout)}
    assert found["署名页无正文"].passed


def test_the_issuing_notice_keeps_its_signature_with_body_text(tmp_path, font_step):
    """The 印发实施方案的通知 of the four fixture sets and of a 30-character-named organization: its closing
    block (附件说明, 署名, 成文日期) used to stand alone on page 2 (GB/T 9704 forbids 此页无正文)."""
    from pathlib import Path

    from dangjian.generators import generate
    from dangjian.generators.closing import MIN_PITCH
    from document_set import LONG

    sets = Path(__file__).parent / "fixtures" / "sets"
    files = []
    for name, profile in [(s, sets / f"{s}.yaml") for s in ("community", "school", "township", "soe")] + [("long", LONG)]:
        out = tmp_path / f"{name}.docx"
        generate("实施方案", profile, output=out, with_notice=True)
        files.append(out)
    pdfs = pages.to_pdf(files, tmp_path)
    for path in files:
        layout = pages.read_pages(pdfs[path])
        failed = [f.message for f in pages.page_findings(path, layout) if not f.passed]
        assert not failed, (path.name, failed)
        # The page holding the 成文日期 starts with 正文 (a paragraph's first line, indented two characters:
        # the split is at a sentence end) or is the first page (a tightened pitch).
        page = next(p for p in layout if any(pages._DATE.match(line.text.replace(" ", "")) for line in p.lines))
        first = page.lines[0]
        assert page.number == 1 or (first.x0 < pages.TEXT_LEFT + 34 and not first.text.startswith("附件")), \
            (path.name, first.text)
        gaps = [b.y0 - a.y0 for a, b in zip(page.lines, page.lines[1:]) if 15 < b.y0 - a.y0 < 30]
        assert min(gaps) >= MIN_PITCH / 20 - 0.5, (path.name, gaps)


def _schedule_source(rows: int, intro_chars: int = 110) -> str:
    """A branch 学习安排表 of ``rows`` tall rows (three lines each) under a title and an intro of four lines or so."""
    intro = ("学习动员阶段自2005年9月5日至10月20日，共7周；集中学习、专题辅导和座谈讨论合计22学时。本支部集中学习和座谈讨论"
             "在初中部会议室进行，由支部书记郑海燕同志主持；校党总支统一组织的动员大会、党课和专题辅导在学校阶梯教室进行。")
    row = "| 第{i}周<br>9月{i}日（周一）<br>下午4:30（课后） | 2 | 学习《保持共产党员先进性教育读本》（上） | 集中学习 | 郑海燕 | 全体党员（党总支统一组织） |\n"
    return ("---\n类型: 表格\n列宽: [[2.9, 0.8, 4.6, 1.5, 1.4, 1.6]]\n---\n"
            "# 哈尔滨市第十七中学党总支初中部党支部先进性教育活动学习动员阶段学习安排表\n\n"
            f"{intro[:intro_chars]}\n\n| 时间 | 学时 | 学习内容 | 形式 | 辅导人 | 参加人员 |\n|:-:|:-:|:--|:-:|:-:|:-:|\n"
            + "".join(row.format(i=i) for i in range(1, rows + 1))
            + "\n注：1. 在职党员：集中学习。2. 因故缺席集中学习的党员，须在一周内补学。\n")


def test_a_table_that_does_not_fit_under_its_intro_starts_there_and_continues_with_its_header(tmp_path, font_step):
    """Review r5: a branch 学习安排表 (a table of at most KEEP_ROWS rows, kept whole) printed page 1 with only its title
    and intro and moved the whole table to page 2.  It starts under the intro now and continues on the next page
    under its repeated header row; a short table after a long text still moves whole with the line after it."""
    path = tmp_path / "安排表.docx"
    render_markdown(_schedule_source(10), output=path)
    layout = pages.read_pages(pages.to_pdf([path], tmp_path)[path])
    found = {f.name: f for f in pages.page_findings(path, layout)}
    assert found["表格前页面过空"].passed, found["表格前页面过空"].message
    assert len(layout) == 2
    assert any(pages.TABLE_TEXT[0] <= line.height <= pages.TABLE_TEXT[1] for line in layout[0].content_lines())
    assert layout[1].content_lines()[0].text.replace(" ", "").startswith("时间学时")  # the header row repeated
    assert all(f.passed for f in found.values()), [f.message for f in found.values() if not f.passed]


def test_the_page_check_sees_a_short_page_before_a_page_that_starts_with_a_table(tmp_path):
    path = tmp_path / "x.docx"
    render_markdown("# 表\n\n说明。\n\n| 时间 | 学时 |\n|---|---|\n| 7月5日 | 3 |\n", output=path)
    cell = 15.6
    title = [_line("哈尔滨市第十七中学党总支初中部党支部", 107.6, height=28.6), _line("学习安排表", 140, height=28.6)]
    intro = [_line("学习动员阶段自2005年9月5日至10月20日，共7周；集", 175 + 29 * i) for i in range(4)]
    table = [_line("时间学时学习内容形式辅导人参加人员", 108.4, height=cell),
             *(_line("第1周学习党章集中学习", 125 + 16 * i, height=cell) for i in range(30))]
    number = [_line("— 1 —", 790, 470, 520, 14)]
    short = [pages.Page(1, 595.3, 841.9, [*title, *intro, *number]), pages.Page(2, 595.3, 841.9, table)]
    item = next(f for f in pages.page_findings(path, short) if f.name == "表格前页面过空")
    assert not item.passed and "第1页" in item.message
    full = [pages.Page(1, 595.3, 841.9, [*title, *intro, *(_line("正文", 300 + 29 * i) for i in range(12)), *number]),
            pages.Page(2, 595.3, 841.9, table)]
    assert next(f for f in pages.page_findings(path, full) if f.name == "表格前页面过空").passed
