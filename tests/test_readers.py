"""Reading users' files: formats, encodings and the messages for files that cannot be read."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

from dangjian.kb.errors import ImportFailed
from dangjian.kb.outline import import_file
from dangjian.kb.readers import SUPPORTED_SUFFIXES, Block, read_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# --- a hand-made .docx (the renderer owns python-docx; reading never needs it) -----------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
# Chinese Word gives styles opaque ids ("a3", "1") and English names.
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {_W}>
<w:style w:type="paragraph" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="wps3"><w:name w:val="标题 3"/></w:style>
<w:style w:type="paragraph" w:styleId="myhead"><w:name w:val="我的标题"/><w:basedOn w:val="1"/></w:style>
</w:styles>"""
_NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {_W}>
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum>
<w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>"""


def p(text: str = "", style: str | None = None, num: tuple[int, int] | None = None, runs: str | None = None) -> str:
    ppr = ""
    if style or num:
        style_xml = '<w:pStyle w:val="%s"/>' % style if style else ""
        num_xml = '<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr>' % (num[1], num[0]) if num else ""
        ppr = "<w:pPr>" + style_xml + num_xml + "</w:pPr>"
    if runs is None:
        runs = '<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % text
    return "<w:p>" + ppr + runs + "</w:p>"


def make_docx(path: Path, body: str, *, styles: bool | str = True, numbering: bool = True) -> Path:
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>{body}</w:body></w:document>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
        if styles:
            archive.writestr("word/styles.xml", styles if isinstance(styles, str) else _STYLES)
        if numbering:
            archive.writestr("word/numbering.xml", _NUMBERING)
    return path


DOCX_BODY = "".join(
    [
        p("社区党委学习计划", "a3"),
        p("", None),
        p("学习内容", "1", num=(5, 0)),
        p(runs='<w:r><w:t>认真学习</w:t></w:r><w:r><w:t xml:space="preserve">党章，</w:t></w:r><w:del><w:r><w:delText>删掉的字</w:delText></w:r></w:del><w:r><w:t>领会精神。</w:t></w:r>'),
        p("集中学习", "2", num=(5, 1)),
        p(runs="<w:r><w:t>每月第一周集中学习，</w:t><w:br/><w:t>由支部书记主持。</w:t></w:r>"),
        p("个人自学", "2", num=(5, 1)),
        p("党员每天自学不少于半小时。"),
        "<w:tbl><w:tr><w:tc>" + p("月份") + "</w:tc><w:tc>" + p("内容") + "</w:tc></w:tr>"
        "<w:tr><w:tc>" + p("七月") + "</w:tc><w:tc>" + p("党章") + p("第一章") + "</w:tc></w:tr></w:tbl>",
        p("工作要求", "myhead", num=(5, 0)),
        p("小标题", "wps3"),
        p("各支部要认真落实。"),
    ]
)


def test_docx_paragraphs_headings_tables_and_numbering(tmp_path):
    blocks, title = read_file(make_docx(tmp_path / "计划.docx", DOCX_BODY))
    assert title == "社区党委学习计划"
    assert [(b.text, b.level, b.is_title) for b in blocks] == [
        ("社区党委学习计划", None, True),
        ("一、学习内容", 1, False),
        ("认真学习党章，领会精神。", None, False),
        ("（一）集中学习", 2, False),
        ("每月第一周集中学习，", None, False),
        ("由支部书记主持。", None, False),
        ("（二）个人自学", 2, False),
        ("党员每天自学不少于半小时。", None, False),
        ("月份｜内容", None, False),
        ("七月｜党章 第一章", None, False),
        ("二、工作要求", 1, False),
        ("小标题", 3, False),
        ("各支部要认真落实。", None, False),
    ]
    assert blocks[4].soft_break is True and blocks[5].soft_break is False
    assert blocks[8].soft_break is False


def test_docx_imports_with_outline_from_its_styles(tmp_path):
    doc = import_file(make_docx(tmp_path / "计划.docx", DOCX_BODY))
    assert doc.title == "社区党委学习计划"
    rows = [(p.id.split(":")[1], p.citation, p.text) for p in doc.passages]
    assert rows[:4] == [
        ("1.0.1.1", "《社区党委学习计划》一、 第1段", "认真学习党章，领会精神。"),
        ("1.1.1.1", "《社区党委学习计划》一、（一） 第1段", "每月第一周集中学习，由支部书记主持。"),
        ("1.2.1.1", "《社区党委学习计划》一、（二） 第1段", "党员每天自学不少于半小时。"),
        ("1.2.2.1", "《社区党委学习计划》一、（二） 第2段", "月份｜内容"),
    ]
    assert doc.passages[1].part_title == "学习内容" and doc.passages[1].item_title == "集中学习"
    assert [(p.part, p.item, p.text) for p in doc.passages[-2:]] == [(2, 0, "小标题"), (2, 0, "各支部要认真落实。")]


def test_docx_text_box_is_read_once(tmp_path):
    box = (
        '<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        "<mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>框内文字。</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框内文字。</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r><w:r><w:t>正文。</w:t></w:r>"
    )
    blocks, _ = read_file(make_docx(tmp_path / "box.docx", p(runs=box)))
    assert [b.text for b in blocks] == ["框内文字。正文。"]


def test_docx_without_styles_part_is_read_as_plain_paragraphs(tmp_path):
    blocks, title = read_file(make_docx(tmp_path / "a.docx", p("第一段。") + p("第二段。"), styles=False, numbering=False))
    assert [b.text for b in blocks] == ["第一段。", "第二段。"] and title is None


def test_docx_plain_first_line_that_reads_like_a_title_is_the_title(tmp_path):
    body = p("关于召开动员大会的通知") + p("各党支部:") + p("经研究,定于7月5日召开动员大会。")
    blocks, title = read_file(make_docx(tmp_path / "a.docx", body))
    assert title == "关于召开动员大会的通知" and blocks[0].is_title


def centered(text: str) -> str:
    return '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>' % text


def test_official_document_title_is_the_centered_lines_after_masthead_and_number(tmp_path):
    body = (
        centered("中共某某街道工作委员会文件")
        + centered("某街党发〔2024〕3号")
        + centered("关于在全体党员中开展")
        + centered("党纪学习教育的实施方案")
        + p("各社区党委：")
        + p("现将实施方案印发给你们，请认真贯彻落实。")
    )
    blocks, title = read_file(make_docx(tmp_path / "方案.docx", body))
    assert title == "关于在全体党员中开展党纪学习教育的实施方案"
    assert [b.text for b in blocks if not b.is_title] == ["中共某某街道工作委员会文件", "某街党发〔2024〕3号", "各社区党委：", "现将实施方案印发给你们，请认真贯彻落实。"]


def test_two_title_paragraphs_make_one_title(tmp_path):
    body = p("关于开展", "a3") + p("主题党日活动的通知", "a3") + p("各支部要按时开展。")
    blocks, title = read_file(make_docx(tmp_path / "t.docx", body))
    assert title == "关于开展主题党日活动的通知"
    assert [b.text for b in blocks] == ["关于开展主题党日活动的通知", "各支部要按时开展。"]


def test_centered_sentences_are_not_taken_for_a_title(tmp_path):
    blocks, title = read_file(make_docx(tmp_path / "c.docx", centered("党员要学习。") + centered("支部要落实。") + p("各支部认真执行。")))
    assert title is None and not any(b.is_title for b in blocks)


def test_masthead_and_end_block_styles_are_not_text(tmp_path):
    styles_body = p("中共某某委员会文件", "RedMark") + p("各党支部要认真学习。") + p("某某委员会办公室 2024年3月1日印发", "EndBlock")
    styles = (
        f'<w:styles {_W}><w:style w:type="paragraph" w:styleId="RedMark"><w:name w:val="发文机关标志"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="EndBlock"><w:name w:val="版记"/></w:style></w:styles>'
    )
    path = make_docx(tmp_path / "m.docx", styles_body, styles=styles)
    assert [b.text for b in read_file(path)[0]] == ["各党支部要认真学习。"]


def test_docx_style_ids_speak_for_themselves_without_styles_part(tmp_path):
    body = p("学习计划", "Title") + p("一、内容", "Heading1") + p("学习党章。") + p("二、方式", "Heading1") + p("集中学习。")
    blocks, title = read_file(make_docx(tmp_path / "s.docx", body, styles=False))
    assert title == "学习计划"
    assert [(b.text, b.level) for b in blocks if not b.is_title] == [("一、内容", 1), ("学习党章。", None), ("二、方式", 1), ("集中学习。", None)]


def test_docx_that_unpacks_to_a_huge_text_is_refused(tmp_path, monkeypatch):
    import dangjian.kb.limits as limits

    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 1000)
    path = make_docx(tmp_path / "炸弹.docx", p("党" * 2000))
    with pytest.raises(ImportFailed, match=r"炸弹\.docx 解压后的内容超过上限.*拆分"):
        read_file(path)


# --- text files and encodings --------------------------------------------------------------


def test_gb18030_text_with_characters_outside_gbk():
    blocks, title = read_file(FIXTURES / "gb18030.txt")
    assert title == "关于开展“党员先锋岗”活动的安排"
    assert blocks[-1].text == "联系人:王𠀀华(退休党员,“䶮”字辈)"


def test_gbk_text():
    blocks, title = read_file(FIXTURES / "gbk.txt")
    assert title == "支部学习计划"
    assert [b.text for b in blocks][1:3] == ["一、学习内容", "认真学习党章,重点学习党员的权利和义务。"]


TEXT = "支部学习计划\n一、学习内容\n认真学习党章。\n"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("gbk"),
        TEXT.replace("\n", "\r\n").encode("gb18030"),
    ],
    ids=["utf-8-bom", "utf-8", "utf-16-le-bom", "utf-16-be-bom", "gbk", "gb18030-crlf"],
)
def test_text_encodings_are_detected(tmp_path, data):
    path = tmp_path / "计划.txt"
    path.write_bytes(data)
    blocks, title = read_file(path)
    assert title == "支部学习计划"
    assert [b.text for b in blocks] == ["支部学习计划", "一、学习内容", "认真学习党章。"]


def test_official_document_in_plain_text_skips_masthead_and_number_for_its_title(tmp_path):
    path = tmp_path / "方案.txt"
    path.write_text("中共某某社区委员会文件\n某社党发〔2024〕3号\n关于开展党纪学习教育的实施方案\n各党支部：\n现印发给你们。\n", encoding="utf-8")
    blocks, title = read_file(path)
    assert title == "关于开展党纪学习教育的实施方案"
    assert [b.text for b in blocks if not b.is_title] == ["中共某某社区委员会文件", "某社党发〔2024〕3号", "各党支部：", "现印发给你们。"]


def test_first_line_that_is_a_sentence_is_not_a_title(tmp_path):
    path = tmp_path / "讲话.txt"
    path.write_text("同志们:\n今天召开会议。\n", encoding="utf-8")
    blocks, title = read_file(path)
    assert title is None and not any(b.is_title for b in blocks)


def test_gb18030_file_imports_with_its_outline():
    doc = import_file(FIXTURES / "gb18030.txt")
    assert doc.title == "关于开展“党员先锋岗”活动的安排"
    assert [(p.part, p.item, p.citation.split("》")[1]) for p in doc.passages] == [
        (0, 0, "开头 第1段"),
        (1, 0, "一、 第1段"),
        (2, 1, "二、（一） 第1段"),
        (2, 2, "二、（二） 第1段"),
        (2, 2, "二、（二） 第2段"),
    ]
    assert doc.passages[0].text.startswith("各党小组：为深入开展主题实践活动，经支委会研究")
    assert doc.passages[-1].text == "联系人：王𠀀华（退休党员，“䶮”字辈）"


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_headings_and_markup():
    blocks, title = read_file(FIXTURES / "plan.md")
    assert title == "社区党委学习教育安排"
    assert [(b.text, b.level) for b in blocks if not b.is_title] == [
        ("为推动学习教育扎实开展，结合社区实际，作如下安排。", None),
        ("一、学习内容", 1),
        ("学习党章和有关文件；", None),
        ("学习先进典型事迹。", None),
        ("二、学习方式", 1),
        ("1. 集中学习：每月一次；", None),
        ("2. 送学上门：年老体弱党员由在职党员送学。", None),
        ("时间｜内容｜形式", None),
        ("7月｜党章｜集中学习", None),
        ("8月｜讲话精神｜专题辅导", None),
        ("各支部要认真组织，确保学习质量。", None),
    ]


def test_markdown_without_front_matter_takes_the_lone_top_heading_as_title(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("# 学习要求\n\n## 一、内容\n\n学习*党章*。\n\n## 二、方式\n\n集中学习。\n", encoding="utf-8")
    blocks, title = read_file(path)
    assert title == "学习要求"
    assert [(b.text, b.level) for b in blocks if not b.is_title] == [("一、内容", 1), ("学习党章。", None), ("二、方式", 1), ("集中学习。", None)]


def test_markdown_with_several_top_headings_keeps_them_as_parts(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("# 一、内容\n\n学习党章。\n\n# 二、方式\n\n集中学习。\n", encoding="utf-8")
    blocks, title = read_file(path)
    assert title is None
    assert [(b.text, b.level) for b in blocks] == [("一、内容", 1), ("学习党章。", None), ("二、方式", 1), ("集中学习。", None)]


# --- HTML -------------------------------------------------------------------------------------------


def test_html_main_text_without_site_furniture():
    blocks, title = read_file(FIXTURES / "page.html")
    assert title == "街道党工委召开先进性教育活动动员大会"
    text = "\n".join(b.text for b in blocks)
    for furniture in ("首页", "要闻", "热门文章", "试题", "分享到", "网友评论", "版权所有", "广告脚本", "color"):
        assert furniture not in text, furniture
    assert "7月5日上午，街道党工委召开第二批先进性教育活动动员大会，全体党员和居民代表参加会议。" in text
    assert [b.text for b in blocks if b.level] == ["一、统一思想认识", "二、扎实组织学习"]
    assert "阶段｜时间" in text


def test_html_import_drops_source_and_previous_article_lines():
    doc = import_file(FIXTURES / "page.html")
    assert doc.dropped == ["来源：某某新闻网 2005-07-05 09:30", "上一篇：某社区党委召开专题组织生活会"]
    assert "采取送学、帮学的办法组织他们学习。" in doc.passages[2].text
    assert doc.passages[1].citation == "《街道党工委召开先进性教育活动动员大会》一、 第1段"


def test_html_without_article_uses_the_element_with_most_chinese(tmp_path):
    path = tmp_path / "p.htm"
    body = "".join(f"<p>第{i}段：各级党组织要认真组织学习，切实提高党员素质。</p>" for i in range(5))
    path.write_text(
        f"<html><head><title>学习通知 - 某网</title></head><body><div class='menu'>首页 新闻</div>"
        f"<div class='links'><a>链接一</a></div><div class='content'>{body}</div></body></html>",
        encoding="utf-8",
    )
    blocks, title = read_file(path)
    assert title == "学习通知"
    assert [b.text[:3] for b in blocks] == ["第0段", "第1段", "第2段", "第3段", "第4段"]


def test_web_page_saved_as_txt_is_read_as_html(tmp_path):
    path = tmp_path / "网页.txt"
    path.write_text("<!DOCTYPE html><html><head><title>学习通知</title></head><body><p>认真学习党章。</p></body></html>", encoding="utf-8")
    blocks, title = read_file(path)
    assert title == "学习通知" and [b.text for b in blocks] == ["认真学习党章。"]


def test_html_in_utf8_with_a_stale_gb2312_declaration(tmp_path):
    path = tmp_path / "p.html"
    path.write_bytes('<html><head><meta charset="gb2312"></head><body><p>认真学习党章。</p></body></html>'.encode("utf-8"))
    assert [b.text for b in read_file(path)[0]] == ["认真学习党章。"]


def test_html_layout_table_keeps_its_paragraphs(tmp_path):
    path = tmp_path / "gov.htm"
    path.write_text(
        "<html><body><table><tr><td>导航</td><td><div id='zoom'><p>　　各级党组织要认真学习。</p>"
        "<p>　　全体党员要带头落实。</p></div></td></tr></table>"
        "<table><tr><td>序号</td><td>内容</td></tr><tr><td>1</td><td>学习党章</td></tr></table></body></html>",
        encoding="utf-8",
    )
    blocks, _ = read_file(path)
    assert [b.text for b in blocks] == ["各级党组织要认真学习。", "全体党员要带头落实。"]


def test_html_data_table_rows_are_joined_cells(tmp_path):
    path = tmp_path / "t.html"
    path.write_text(
        "<html><body><p>学习安排如下：</p><table><tr><td>序号</td><td>内容</td></tr><tr><td>1</td><td>学习党章</td></tr></table></body></html>",
        encoding="utf-8",
    )
    assert [b.text for b in read_file(path)[0]] == ["学习安排如下：", "序号｜内容", "1｜学习党章"]


def test_html_class_hint_never_drops_the_main_text(tmp_path):
    path = tmp_path / "p.html"
    text = "各级党组织要认真组织学习，切实提高党员素质，把学习教育引向深入。"
    path.write_text(
        f"<html><body><div class='layout sidebar-left'><p>{text}</p><p>{text}</p></div>"
        "<div class='sidebar'>热门文章</div></body></html>",
        encoding="utf-8",
    )
    blocks, _ = read_file(path)
    assert [b.text for b in blocks] == [text, text]


# --- files that cannot be imported -------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def corrupt_docx_without_document(tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not word")
    return write(tmp_path, "无正文.docx", buffer.getvalue())


def corrupt_docx_bad_xml(tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
    return write(tmp_path, "坏XML.docx", buffer.getvalue())


ERROR_CASES = [
    ("missing", lambda t: t / "没有这个文件.txt", r"找不到文件.*没有这个文件\.txt.*检查路径"),
    ("folder", lambda t: t, r"是文件夹"),
    ("pdf", lambda t: write(t, "文件.pdf", b"%PDF-1.4"), r"文件\.pdf 已损坏或无法解析"),
    ("old-word", lambda t: write(t, "旧文件.doc", b"\xd0\xcf\x11\xe0"), r"旧文件\.doc 不是 Word/WPS 文件"),
    ("xlsx", lambda t: write(t, "表.xlsx", b"PK"), r"不支持的文件类型“\.xlsx”.*\.txt \.md \.markdown \.docx \.html \.htm \.pdf \.doc \.wps.*名册请用 kb batch"),
    ("no-suffix", lambda t: write(t, "README", b"text"), r"不支持的文件类型（没有扩展名）"),
    ("empty", lambda t: write(t, "空.txt", b""), r"文件是空的：空\.txt"),
    ("blank", lambda t: write(t, "空白.md", b" \n\r\n\t"), r"文件是空的"),
    ("binary", lambda t: write(t, "图片.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), r"图片\.txt 不是文本文件"),
    ("undecodable", lambda t: write(t, "乱码.txt", b"abc\x80\x80\x80def\xff\xfe\xfd"), r"无法识别 乱码\.txt 的文字编码.*UTF-8"),
    ("corrupt-docx", lambda t: write(t, "坏文件.docx", b"PK\x03\x04 this is not really a zip"), r"坏文件\.docx 不是有效的 \.docx 文件.*另存为"),
    ("docx-no-document", corrupt_docx_without_document, r"无正文\.docx 不是有效的 \.docx"),
    ("docx-bad-xml", corrupt_docx_bad_xml, r"坏XML\.docx 不是有效的 \.docx"),
    ("docx-no-text", lambda t: make_docx(t / "空白.docx", p("") + p("  ")), r"空白\.docx 中没有找到正文"),
    ("html-no-text", lambda t: write(t, "空页.html", b"<html><body><script>x=1</script></body></html>"), r"没有找到正文"),
]


@pytest.mark.parametrize("make, message", [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES])
def test_unreadable_files_give_one_line_chinese_messages(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(ImportFailed, match=message) as info:
        read_file(path)
    assert "\n" not in str(info.value)


def test_file_larger_than_the_limit(tmp_path):
    path = write(tmp_path, "大文件.txt", "党员学习。\n".encode() * 1000)
    with pytest.raises(ImportFailed, match=r"文件太大：大文件\.txt.*超过上限.*拆分"):
        read_file(path, max_bytes=1000)
    assert read_file(path)[0]


def test_supported_suffixes_are_case_insensitive(tmp_path):
    path = write(tmp_path, "计划.TXT", "认真学习党章。".encode())
    assert [b.text for b in read_file(path)[0]] == ["认真学习党章。"]
    assert ".docx" in SUPPORTED_SUFFIXES


def test_block_defaults_describe_a_plain_text_line():
    assert Block("文字") == Block("文字", None, False, True)
