"""The Word renderer: :class:`DocModel` → .docx bytes in the GB/T 9704-2012 format.

This is the only module that imports python-docx.  python-docx builds the
*base* package once per process (styles, settings, odd/even page-number
footers, fonts, zh-CN language); each document then only needs its own
``word/document.xml``, which is written as text here and zipped with the
prepared parts.  That keeps rendering fast (no template parsing per document)
and the XML under our control.

Numbers (twips unless said): A4 11906 × 16838; margins top 2098, bottom 1984,
left 1587, right 1474 (37/35/28/26 mm); text block 8844 × 12756; 22 lines of
28 characters: exact line spacing 579 (28.95 pt) on a ``lines`` document grid
of pitch 579, and body text condensed by 0.25 pt (a character pitch of 15.75 pt).
A ``linesAndChars`` grid would give the pitch too, but LibreOffice lays it out
with about half the characters per line.
"""

from __future__ import annotations

import functools
import io
import math
import re
import zipfile
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape

from ..kb.errors import RenderError
from .closing import fit_closing
from .docmodel import (
    Attachment,
    Attendees,
    Block,
    Cell,
    DocModel,
    Heading,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Table,
    plain,
)
from .standard import TITLES
from .text import PLACEHOLDER, display_width, normalize, title_lines
from .unbreakable import keep_whole, pieces, printed_width

#: East Asian font of each role.  These are the names Chinese Word users have
#: installed; Word (and LibreOffice) substitute a similar font when one is missing.
FONTS = {
    "title": "方正小标宋简体",
    "body": "仿宋_GB2312",
    "h1": "黑体",
    "h2": "楷体_GB2312",
    "h3": "仿宋_GB2312",
    "h4": "仿宋_GB2312",
    "page": "宋体",
    "table": "仿宋_GB2312",
    "table_header": "黑体",
}
#: Font of digits and Latin letters in every run.
LATIN = "Times New Roman"

PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 8845 ≈ 156 mm
TEXT_W_LANDSCAPE = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 12756 ≈ 225 mm
LINE_PITCH = 579
CONDENSE = -5  # −0.25 pt per character: 28 characters of 16 pt fit the 156 mm line
CHAR = 315  # twips per character of body text (15.75 pt)
#: Punctuation at the end of a full line.  Word's default (overflowPunct on) lets a "，" that does not fit
#: hang in the margin, where Word draws it.  LibreOffice reads the flag inverted (its DOCX import sets
#: hanging punctuation when overflowPunct is *off*, and its hanging marks are not drawn in PDF), so the
#: default must be written out: Word keeps its behaviour, and LibreOffice applies the line-start rule
#: instead (the last character moves down with the mark; full lines keep 28 characters).
PUNCT = '<w:overflowPunct w:val="1"/>'
ZERO_SPACING = '<w:spacing w:val="0"/>'
FOOTER_DISTANCE = 1247  # 22 mm: the page number's dash sits about 7 mm under the text block
RED = "FF0000"
FILL_IN = "0070C0"  #: colour of fill-in instructions (待填写), underlined with dots
TABLE_CHAR = 240  # one 12 pt character of table text
CELL_MARGIN = 57  # 1 mm left and right inside each cell
ROW_HEIGHT = 454  # 8 mm

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
V_NS = "urn:schemas-microsoft-com:vml"
W10_NS = "urn:schemas-microsoft-com:office:word"
EMU_PER_TWIP = 635
KEEP_ROWS = 12  #: a table of at most this many rows moves whole with the line after it
SIGNATURE_CHARS = 20  #: a longer 署名 is broken into lines
END_BLOCK_CHARS = 29  # 14 pt characters on one 版记 line (156 mm less one character each side)


# ---------------------------------------------------------------- base package
@dataclass(frozen=True)
class _Base:
    parts: tuple[tuple[str, bytes], ...]  #: every zip member except document.xml and core.xml
    odd_footer: str  #: relationship id of the odd-page (default) footer
    even_footer: str
    landscape_odd_footer: str = ""  #: the footers of landscape sections (page number turned, see below)
    landscape_even_footer: str = ""


def _styles_xml() -> str:
    def rfonts(east: str) -> str:
        return f'<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{east}" w:cs="{LATIN}"/>'

    def style(sid: str, name: str, east: str, size: int, *, based: str = "Normal", ppr: str = "",
              rpr: str = "", kind: str = "paragraph", extra: str = "") -> str:
        return (
            f'<w:style w:type="{kind}" w:customStyle="{0 if sid in _BUILTIN else 1}" w:styleId="{sid}">'
            f'<w:name w:val="{name}"/><w:basedOn w:val="{based}"/>{extra}<w:qFormat/>'
            f"<w:pPr>{ppr}</w:pPr><w:rPr>{rfonts(east)}{rpr}{'' if size == 16 else ZERO_SPACING}"
            f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/></w:rPr></w:style>'
        )

    indent = f'<w:ind w:firstLine="{2 * CHAR}" w:firstLineChars="200"/>'
    no_indent = '<w:ind w:firstLine="0" w:firstLineChars="0"/>'
    exact = f'<w:spacing w:line="{LINE_PITCH}" w:lineRule="exact"/>'
    table_spacing = '<w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'{rfonts(FONTS["body"])}<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f'<w:pPrDefault><w:pPr><w:widowControl w:val="0"/>{PUNCT}{exact}<w:jc w:val="both"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:widowControl w:val="0"/>{PUNCT}{exact}<w:jc w:val="both"/></w:pPr>'
        f'<w:rPr>{rfonts(FONTS["body"])}<w:spacing w:val="{CONDENSE}"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        + style("BodyText", "正文缩进", FONTS["body"], 16, ppr=indent)
        + style("NoIndent", "无缩进", FONTS["body"], 16, ppr=no_indent)
        + style("Title", "Title", FONTS["title"], 22, ppr=f'<w:snapToGrid w:val="0"/>{no_indent}<w:jc w:val="center"/>')
        + style("Heading1", "heading 1", FONTS["h1"], 16,
                ppr=f'<w:keepNext/>{indent}<w:outlineLvl w:val="0"/>')
        + style("Heading2", "heading 2", FONTS["h2"], 16,
                ppr=f'<w:keepNext/>{indent}<w:outlineLvl w:val="1"/>')
        + style("Heading3", "heading 3", FONTS["h3"], 16, rpr="<w:b/><w:bCs/>",
                ppr=f'<w:keepNext/>{indent}<w:outlineLvl w:val="2"/>')
        + style("Heading4", "heading 4", FONTS["h4"], 16,
                ppr=f'<w:keepNext/>{indent}<w:outlineLvl w:val="3"/>')
        + style("TableText", "表格文字", FONTS["table"], 12, ppr=f'{table_spacing}{no_indent}<w:jc w:val="left"/>')
        + style("TableHeader", "表头", FONTS["table_header"], 12,
                ppr=f'{table_spacing}{no_indent}<w:jc w:val="center"/>')
        + style("Footer", "footer", FONTS["page"], 14, ppr='<w:snapToGrid w:val="0"/>'
                '<w:spacing w:line="240" w:lineRule="auto"/>')
        + style("EndBlock", "版记", FONTS["body"], 14, ppr=no_indent)
        + style("RedMark", "发文机关标志", FONTS["title"], 30, rpr=f'<w:color w:val="{RED}"/>',
                ppr=f'<w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/>{no_indent}'
                '<w:jc w:val="center"/>')
        + style("AttachmentLabel", "附件标识", FONTS["h1"], 16, ppr=no_indent)
        + '<w:style w:type="character" w:customStyle="1" w:styleId="FillIn"><w:name w:val="待填写"/>'
        f'<w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:color w:val="{FILL_IN}"/>'
        f'<w:u w:val="dotted" w:color="{FILL_IN}"/></w:rPr></w:style>'
        + "</w:styles>"
    )


_BUILTIN = {"Title", "Heading1", "Heading2", "Heading3", "Heading4", "Footer"}


def _font_table_xml() -> str:
    # charset 86 (GB2312) lets Word pick a Chinese font when a named one is missing.
    entries = [
        (LATIN, "00", "roman", "02020603050405020304", ""),
        ("宋体", "86", "auto", "02010600030101010101", "SimSun"),
        ("仿宋_GB2312", "86", "modern", "02010609030101010101", "仿宋"),
        ("楷体_GB2312", "86", "modern", "02010609030101010101", "楷体"),
        ("黑体", "86", "modern", "02010609060101010101", "SimHei"),
        ("方正小标宋简体", "86", "script", "02000000000000000000", "宋体"),
    ]
    fonts = "".join(
        f'<w:font w:name="{name}">' + (f'<w:altName w:val="{alt}"/>' if alt else "")
        + f'<w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/><w:family w:val="{family}"/>'
        '<w:pitch w:val="variable"/></w:font>'
        for name, charset, family, panose, alt in entries
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="{W_NS}">{fonts}</w:fonts>'


def _page_number_runs(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run(text: str | None = None, fld: str | None = None, instr: str | None = None) -> None:
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        fonts = OxmlElement("w:rFonts")
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONTS["page"])
        rpr.append(fonts)
        for tag in ("w:sz", "w:szCs"):
            size = OxmlElement(tag)
            size.set(qn("w:val"), "28")
            rpr.append(size)
        r.append(rpr)
        if fld:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), fld)
        elif instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
        else:
            el = OxmlElement("w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        r.append(el)
        paragraph._p.append(r)

    run("— ")
    run(fld="begin")
    run(instr=" PAGE ")
    run(fld="separate")
    run("1")
    run(fld="end")
    run(" —")


def _landscape_footer_xml(odd: bool) -> str:
    """The footer of a landscape page: "— N —" where the portrait pages have it, turned with the sheet.

    GB/T 9704-2012 (式样, 表格): a table printed across an A4 sheet keeps the page
    number where the other pages have it, with the table head towards the binding
    edge (订口) on odd pages and towards the outer edge (切口) on even pages.

    Geometry.  Bound, an odd page has its binding on the sheet's left edge and an
    even page on its right edge.  The table head faces the binding on odd pages
    and the outer edge on even pages: on both, that is the portrait sheet's *left*
    edge.  So every landscape page is the portrait sheet turned a quarter
    clockwise: the landscape view's top is the portrait left edge, its right is
    the portrait top, its bottom the portrait right edge and its *left* edge the
    portrait foot.  The margins turn with it (top 28 mm, right 37 mm, bottom
    26 mm, left 35 mm), and the page number stays at the portrait foot, i.e. at
    the landscape view's left edge, written along that edge so that it reads
    upright when the sheet is turned back to portrait: in the landscape view it
    runs top to bottom.  The portrait foot's right corner (odd pages, number one
    character in from the right margin) is the landscape view's bottom-left
    corner; its left corner (even pages) is the top-left corner.

    The number is a text box anchored to the page (vertical text, ``vert="vert"``)
    in the footer, with a VML fallback of the same content.
    """
    one = 280  # one 14 pt character
    length = 1800  # along the edge: "— 123 —" with room to spare
    thick = 360  # across: one 14 pt line
    left = FOOTER_DISTANCE - 20  # the portrait number's band: 22 mm from the sheet's foot, as on portrait pages
    top = PAGE_W - MARGIN_RIGHT - one - length if odd else MARGIN_LEFT + one
    jc = "right" if odd else "left"  # the line's end is its bottom in a top-to-bottom line
    runs = _page_number_xml()
    para = (f'<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="{jc}"/></w:pPr>{runs}</w:p>')
    content = f"<w:txbxContent>{para}</w:txbxContent>"
    emu = EMU_PER_TWIP
    shape = 9000 + (1 if odd else 2)
    choice = (
        '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        f'relativeHeight="{251659264 + shape}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{left * emu}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{top * emu}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{thick * emu}" cy="{length * emu}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{shape}" name="页码{shape}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{WPS_NS}"><wps:wsp><wps:cNvSpPr txBox="1"/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{thick * emu}" cy="{length * emu}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        f'<wps:txbx>{content}</wps:txbx>'
        '<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr">'
        "<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )
    fallback = (
        f'<w:pict><v:rect id="页码{shape}" style="position:absolute;margin-left:{left / 20:g}pt;'
        f'margin-top:{top / 20:g}pt;width:{thick / 20:g}pt;height:{length / 20:g}pt;z-index:{shape};'
        "mso-position-horizontal-relative:page;mso-position-vertical-relative:page;"
        'v-text-anchor:middle" filled="f" stroked="f">'
        f'<v:textbox style="layout-flow:vertical" inset="0,0,0,0">{content}</v:textbox>'
        '<w10:wrap anchorx="page" anchory="page"/></v:rect></w:pict>'
    )
    anchor = (f'<w:p><w:pPr><w:pStyle w:val="Footer"/><w:spacing w:line="20" w:lineRule="exact"/></w:pPr>'
              f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{choice}</mc:Choice>'
              f"<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r></w:p>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}" xmlns:wps="{WPS_NS}" '
            f'xmlns:mc="{MC_NS}" xmlns:v="{V_NS}" xmlns:w10="{W10_NS}">{anchor}</w:ftr>')


def _page_number_xml() -> str:
    """The runs "— PAGE —" in the page number's font and size (4号), as XML."""
    rpr = (f'<w:rPr><w:rFonts w:ascii="{FONTS["page"]}" w:hAnsi="{FONTS["page"]}" w:eastAsia="{FONTS["page"]}" '
           f'w:cs="{FONTS["page"]}"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>')
    return (f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r><w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{rpr}<w:t>1</w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r><w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>')


@functools.lru_cache(maxsize=1)
def _base() -> _Base:
    """Build the base package once: python-docx's default template, restyled for GB/T 9704."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Twips

    document = docx.Document()
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml", "/numbering")):
            part.drop_rel(rel_id)

    settings = document.settings
    settings.odd_and_even_pages_header_footer = True
    sett = settings.element
    for el in sett.findall(f"{{{W_NS}}}themeFontLang"):
        el.set(f"{{{W_NS}}}val", "en-US")
        el.set(f"{{{W_NS}}}eastAsia", "zh-CN")
    for el in sett.findall(f"{{{W_NS}}}rsids"):
        sett.remove(el)
    # python-docx's template has <w:zoom w:val="bestFit"/>: the schema requires w:percent.
    for el in sett.findall(f"{{{W_NS}}}zoom"):
        el.set(f"{{{W_NS}}}percent", "100")

    styles = document.styles.element
    new_styles = parse_xml(_styles_xml().encode("utf-8"))
    for child in list(styles):
        styles.remove(child)
    for child in list(new_styles):
        styles.append(child)

    section = document.sections[0]
    section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
    odd = section.footer.paragraphs[0]
    odd.style = document.styles["footer"]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Twips(280)
    _page_number_runs(odd)
    even = section.even_page_footer.paragraphs[0]
    even.style = document.styles["footer"]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Twips(280)
    _page_number_runs(even)

    buffer = io.BytesIO()
    document.save(buffer)
    sect = section._sectPr
    odd_id = even_id = ""
    for ref in sect.findall(f"{{{W_NS}}}footerReference"):
        kind = ref.get(f"{{{W_NS}}}type")
        rid = ref.get(f"{{{R_NS}}}id")
        if kind == "default":
            odd_id = rid
        elif kind == "even":
            even_id = rid
    members = []
    footer_type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
    footer_content = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
    turned = {"rIdLandscapeOdd": "footerLandscapeOdd.xml", "rIdLandscapeEven": "footerLandscapeEven.xml"}
    with zipfile.ZipFile(buffer) as package:
        for name in package.namelist():
            if name in ("word/document.xml", "docProps/core.xml", "docProps/thumbnail.jpeg"):
                continue
            data = package.read(name)
            if name == "word/fontTable.xml":
                data = _font_table_xml().encode("utf-8")
            elif name == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*thumbnail[^>]*/>", b"", data)
            elif name == "word/_rels/document.xml.rels":
                rels = "".join(f'<Relationship Id="{rid}" Type="{footer_type}" Target="{target}"/>'
                               for rid, target in turned.items())
                data = data.replace(b"</Relationships>", rels.encode("utf-8") + b"</Relationships>")
            elif name == "[Content_Types].xml":
                overrides = "".join(f'<Override PartName="/word/{target}" ContentType="{footer_content}"/>'
                                    for target in turned.values())
                data = data.replace(b"</Types>", overrides.encode("utf-8") + b"</Types>")
            members.append((name, data))
    members.append(("word/footerLandscapeOdd.xml", _landscape_footer_xml(True).encode("utf-8")))
    members.append(("word/footerLandscapeEven.xml", _landscape_footer_xml(False).encode("utf-8")))
    return _Base(parts=tuple(members), odd_footer=odd_id, even_footer=even_id,
                 landscape_odd_footer="rIdLandscapeOdd", landscape_even_footer="rIdLandscapeEven")


def _core_xml(doc: DocModel) -> bytes:
    title = escape(normalize(doc.title))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>dangjian</dc:creator>"
        f"<cp:keywords>{escape(doc.kind)}</cp:keywords>"
        # The format standard the document follows; ``kb check`` checks against it.
        f"<cp:category>{TITLES[doc.format_standard]}</cp:category></cp:coreProperties>"
    ).encode("utf-8")


# ---------------------------------------------------------------- document.xml
class _P:
    """A paragraph under construction: properties and runs, joined at the end."""

    __slots__ = ("ppr", "runs", "sect")

    def __init__(self, ppr: str, runs: str) -> None:
        self.ppr = ppr
        self.runs = runs
        self.sect = ""

    def keep_with_next(self) -> None:
        """Keep this paragraph on the page of the next (w:keepNext, placed after the style as the schema orders it)."""
        if "<w:keepNext/>" in self.ppr:
            return
        head, sep, rest = self.ppr.partition("/>") if self.ppr.startswith("<w:pStyle") else ("", "", self.ppr)
        self.ppr = f"{head}{sep}<w:keepNext/>{rest}"

    def xml(self) -> str:
        ppr = self.ppr + self.sect
        return f"<w:p><w:pPr>{ppr}</w:pPr>{self.runs}</w:p>" if ppr else f"<w:p>{self.runs}</w:p>"


def _rpr(font: str, bold: bool = False, italic: bool = False, size: float | None = None, color: str = "") -> str:
    out = f'<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{font}" w:cs="{LATIN}"/>'
    if bold:
        out += "<w:b/><w:bCs/>"
    if italic:
        out += "<w:i/><w:iCs/>"
    if color:
        out += f'<w:color w:val="{color}"/>'
    if size:
        half = int(round(size * 2))
        out += f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
    return f"<w:rPr>{out}</w:rPr>"


def _run(text: str, font: str, bold: bool = False, italic: bool = False, size: float | None = None,
         color: str = "") -> str:
    text = normalize(text)
    if not text:
        return ""
    if PLACEHOLDER.search(text):
        # Fill-in instructions print in the 待填写 style (blue, dotted underline): visibly unfinished.
        out, at = [], 0
        for m in PLACEHOLDER.finditer(text):
            out.append(_plain_run(text[at:m.start()], _rpr(font, bold, italic, size, color)))
            rpr = _rpr(font, bold, italic, size, color).replace("<w:rPr>", '<w:rPr><w:rStyle w:val="FillIn"/>', 1)
            out.append(_plain_run(m.group(0), rpr))
            at = m.end()
        out.append(_plain_run(text[at:], _rpr(font, bold, italic, size, color)))
        return "".join(out)
    return _plain_run(text, _rpr(font, bold, italic, size, color))


def _plain_run(text: str, rpr: str) -> str:
    if not text:
        return ""
    pieces = []
    for i, line in enumerate(text.split("\n")):
        if i:
            pieces.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return f"<w:r>{rpr}{''.join(pieces)}</w:r>"


def _runs(runs: Inline, font: str, bold: bool = False, size: float | None = None) -> str:
    return "".join(_run(r.text, font, r.bold or bold, r.italic, size) for r in runs)


def _ind(*, first: float | None = None, left: float | None = None, right: float | None = None,
         hanging: float | None = None) -> str:
    attrs = []
    if left is not None:
        attrs.append(f'w:left="{int(round(left * CHAR))}" w:leftChars="{int(round(left * 100))}"')
    if right is not None:
        attrs.append(f'w:right="{int(round(right * CHAR))}" w:rightChars="{int(round(right * 100))}"')
    if hanging is not None:
        attrs.append(f'w:hanging="{int(round(hanging * CHAR))}" w:hangingChars="{int(round(hanging * 100))}"')
    if first is not None:
        attrs.append(f'w:firstLine="{int(round(first * CHAR))}" w:firstLineChars="{int(round(first * 100))}"')
    return f"<w:ind {' '.join(attrs)}/>"


class _Writer:
    def __init__(self, base: _Base) -> None:
        self.base = base
        self.items: list[_P | str] = []
        self.landscape = False  #: orientation of the section being written
        self.want = False  #: orientation of the content to come; a change starts a section when content comes
        self.shapes = 0
        self.break_pending = False
        self.table_at: int | None = None  #: index in items of the table just written
        self.table_heights: dict[int, int] = {}  #: index in items of a table → its estimated height (twips)
        self.wide_tables: set[int] = set()  #: ids of the tables printed on landscape pages

    # -- primitives -----------------------------------------------------
    def p(self, style: str = "", runs: str = "", ppr: str = "") -> _P:
        self._sync()
        head = f'<w:pStyle w:val="{style}"/>' if style else ""
        if self.break_pending:
            # The page break of the previous part or block, as a property of this paragraph: a paragraph
            # holding only a break could itself spill onto a page of its own after a full page.
            self.break_pending = False
            if "<w:pageBreakBefore/>" not in ppr:
                lead = re.match(r"(?:<w:keepNext/>|<w:keepLines/>)*", ppr).group(0)  # schema order
                ppr = f"{lead}<w:pageBreakBefore/>{ppr[len(lead):]}"
        para = _P(head + ppr, runs)
        if runs and self.table_at is not None and len(self.items) == self.table_at + 2:
            self._keep_table_with_next()
        self.items.append(para)
        return para

    def _keep_table_with_next(self) -> None:
        """Text right after a short table keeps the table with it (never a line alone on a page).

        Every row of a table of at most KEEP_ROWS rows keeps with the next (LibreOffice honours
        keep-with-next on a table only when all its rows carry it); a longer table keeps its last
        two rows (Word's rule; LibreOffice splits it as usual).
        """
        at = self.table_at
        self.table_at = None
        table = self.items[at]
        keep = functools.partial(re.sub, r'(<w:pStyle w:val="Table\w+"/>)', r"\1<w:keepNext/>")
        if table.count("<w:tr>") <= KEEP_ROWS and not self._would_leave_page_short(at):
            self.items[at] = keep(table)
        else:
            head, sep, rows = table.rpartition("<w:tr>")
            head2, sep2, row2 = head.rpartition("<w:tr>")
            if "<w:tblHeader/>" in row2:
                return
            self.items[at] = f"{head2}{sep2}{keep(row2)}{sep}{keep(rows)}"
        spacer = self.items[at + 1]
        if isinstance(spacer, _P):
            spacer.keep_with_next()

    def _would_leave_page_short(self, at: int) -> bool:
        """True when the table at ``at``, kept whole, would move to the next page and leave its page short.

        The table starts a page's content after a few paragraphs (a title and an intro) and does not fit the
        rest of that page (estimated); moving it whole would leave the page less than half full, so the table
        starts under the paragraphs and splits across pages, its header row repeated.  Unknown (another
        table, or shapes, earlier on the page): False, the table is kept whole as before.
        """
        table_height = self.table_heights.get(at)
        if table_height is None:
            return False
        page = (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT) if self.landscape else (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM)
        width = self.text_width()
        before = 0
        for item in reversed(self.items[:at]):
            if not isinstance(item, _P) or "<w:drawing" in item.runs or "mc:AlternateContent" in item.runs:
                return False
            if item.sect or 'w:type="page"' in item.runs:
                break
            before += _paragraph_height(item, width)
            if "<w:pageBreakBefore/>" in item.ppr:
                break
        return before + table_height > page and before < page / 2

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.p("NoIndent")

    def page_break(self) -> None:
        """Start a new page at the next paragraph (see :meth:`p`)."""
        self._sync()
        self.break_pending = True

    def _flush_break(self) -> None:
        """Content that is not a paragraph (a table) comes next: write the pending break as a paragraph."""
        if self.break_pending:
            self.break_pending = False
            self.items.append(_P("", '<w:r><w:br w:type="page"/></w:r>'))

    def sect_pr(self, landscape: bool) -> str:
        if landscape:
            size = f'<w:pgSz w:w="{PAGE_H}" w:h="{PAGE_W}" w:orient="landscape"/>'
            # The portrait sheet turned a quarter clockwise (see _landscape_footer_xml): its left edge is the top.
            margins = (f'<w:pgMar w:top="{MARGIN_LEFT}" w:right="{MARGIN_TOP}" w:bottom="{MARGIN_RIGHT}" '
                       f'w:left="{MARGIN_BOTTOM}" w:header="851" w:footer="{FOOTER_DISTANCE - 400}" w:gutter="0"/>')
            odd, even = self.base.landscape_odd_footer, self.base.landscape_even_footer
        else:
            size = f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
            margins = (f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
                       f'w:left="{MARGIN_LEFT}" w:header="851" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>')
            odd, even = self.base.odd_footer, self.base.even_footer
        return (
            f'<w:sectPr><w:footerReference w:type="default" r:id="{odd}"/>'
            f'<w:footerReference w:type="even" r:id="{even}"/>'
            f'{size}{margins}<w:cols w:space="425"/>'
            f'<w:docGrid w:type="lines" w:linePitch="{LINE_PITCH}"/></w:sectPr>'
        )

    def set_orientation(self, landscape: bool) -> None:
        """Ask for ``landscape`` pages from the next content on (a change starts a new section and page)."""
        self.want = landscape

    def _sync(self) -> None:
        """End the current section if the content about to be written has the other orientation."""
        if self.want == self.landscape:
            return
        if not self.items:  # nothing printed yet: no empty page before a landscape document
            self.landscape = self.want
            return
        if isinstance(self.items[-1], _P) and not self.items[-1].sect:
            self.items[-1].sect = self.sect_pr(self.landscape)
        else:
            para = _P('<w:pStyle w:val="NoIndent"/>', "")
            para.sect = self.sect_pr(self.landscape)
            self.items.append(para)
        self.landscape = self.want
        self.break_pending = False  # the new section starts a new page anyway

    def text_width(self) -> int:
        return TEXT_W_LANDSCAPE if self.landscape else TEXT_W

    def xml(self) -> str:
        body = "".join(item.xml() if isinstance(item, _P) else item for item in self.items)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}" xmlns:wps="{WPS_NS}" '
            f'xmlns:mc="{MC_NS}" xmlns:v="{V_NS}" xmlns:w10="{W10_NS}"><w:body>{body}'
            f"{self.sect_pr(self.landscape)}</w:body></w:document>"
        )

    # -- document parts -------------------------------------------------
    def document(self, doc: DocModel) -> None:
        if doc.parts:
            for i, part in enumerate(doc.parts):
                if i:
                    self.new_page(part.landscape)
                else:
                    self.set_orientation(part.landscape)
                self.single(part)
        else:
            self.set_orientation(doc.landscape)
            self.single(doc)

    def new_page(self, landscape: bool) -> None:
        """Start the next part on a new page: a section break when the orientation changes, else a page break."""
        self.want = landscape
        if landscape == self.landscape:
            self.page_break()

    def single(self, doc: DocModel) -> None:
        start = len(self.items)
        # A table too wide for a portrait page (its dates, numbers or names would break) turns the page:
        # the whole document when the table is the first thing after the title, else the table's own pages.
        wide = [b for b in doc.body if isinstance(b, Table) and not table_fits(b, TEXT_W)
                and table_fits(b, TEXT_W_LANDSCAPE)]
        self.wide_tables = {id(b) for b in wide}
        if wide and not self.landscape and doc.body and doc.body[0] is wide[0] and not doc.to:
            self.set_orientation(True)
            self._sync()
        if doc.has_red_header:
            self.red_header(doc)
        # A 纪要 with a red header carries its title as the red mark.
        if doc.title and not (doc.has_red_header and doc.is_minutes):
            self.title(doc.title)
            if doc.number and not doc.has_red_header:
                self.p("NoIndent", _run(doc.number, FONTS["body"]), '<w:jc w:val="center"/>')
        if doc.to:
            self.blank()
            to = doc.to.rstrip(":：") + "："
            self.p("NoIndent", _run(to, FONTS["body"]))
        for block in doc.body:
            self.block(block)
        body_end = len(self.items)
        if doc.attachments:
            self.attachment_note(doc.attachments)
        self.signature(doc)
        # The 署名 and date never stand alone on a page: the 附件说明, and the last body paragraph
        # unless it is long and an 附件说明 goes with them, keep with them (Word and LibreOffice
        # move them to the next page together; LibreOffice moves a kept paragraph whole, so a long
        # one would leave most of a page empty).
        first = body_end - 1
        if doc.attachments and body_end and isinstance(self.items[first], _P) and \
                display_width(re.sub(r"<[^>]+>", "", self.items[first].runs)) > 2 * 28:
            first = body_end
        if body_end and len(self.items) > body_end + 1 and isinstance(self.items[body_end - 1], _P):
            for item in self.items[first : len(self.items) - 1]:
                if isinstance(item, _P):
                    item.keep_with_next()
        if body_end and first == body_end and not self.landscape:
            # Only the closing block moves: make sure it does not stand on a page without 正文.
            fit_closing(self.items, start, body_end, len(self.items))
        if doc.note:
            note = doc.note.strip()
            if not note.startswith(("（", "(")):
                note = f"（{note}）"
            self.p("BodyText", _run(note, FONTS["body"]))
        for page in doc.attachment_pages:
            self.attachment(page, doc.landscape)
        if doc.has_end_block:
            self.end_block(doc)

    def red_header(self, doc: DocModel) -> None:
        mark = doc.red_mark
        # The mark fills at most the text block's width; 30 pt for short names.
        size = max(18, min(30, int(TEXT_W / 20 / max(display_width(normalize(mark)), 1))))
        if display_width(normalize(mark)) * size > TEXT_W / 20:
            # Too long even at 18 pt: break between words into balanced lines, the upper one the longer.
            mark = "\n".join(title_lines(normalize(mark), max_width=int(TEXT_W / 20 / size)))
        before = 1830  # the mark's top edge 35 mm (1984) under the text block, less the line's leading
        self.p("RedMark", _run(mark, FONTS["title"], size=size, color=RED),
               f'<w:spacing w:before="{before}" w:line="240" w:lineRule="auto"/>')
        self.blank(2)
        number = normalize(doc.number) if doc.number else ""
        # The red rule: a bottom border 4 mm (≈ 11 pt) under the last line of the header.
        rule = '<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="11" w:color="FF0000"/></w:pBdr>'
        if doc.has_compiler_line:
            # 简报: the issue number centred, then 编发单位 flush left and the date flush right.
            self.p("NoIndent", _run(number, FONTS["body"]), '<w:jc w:val="center"/>')
            # The date never wraps: a 编发单位 too long for the room left of it breaks between words.
            unit, date = normalize(doc.compiled_by), normalize(doc.compiled_date)
            room = 28 - printed_width(date) - 2
            if display_width(unit) > room:
                unit = "\n".join(title_lines(unit, max_width=room))
            line = _run(unit, FONTS["body"]) + '<w:r><w:tab/></w:r>' + _run(date, FONTS["body"])
            self.p("NoIndent", line, f'{rule}<w:tabs><w:tab w:val="right" w:pos="{TEXT_W}"/></w:tabs>'
                                     '<w:jc w:val="left"/>')
        elif doc.signer:
            # A 上行文: the 发文字号 one character in from the left, "签发人：" and the name (楷体) one in from the right.
            line = (_run(number, FONTS["body"]) + '<w:r><w:tab/></w:r>' + _run("签发人：", FONTS["body"])
                    + _run(normalize(doc.signer), FONTS["h2"]))
            self.p("NoIndent", line, f'{rule}<w:tabs><w:tab w:val="right" w:pos="{TEXT_W - 320}"/></w:tabs>'
                                     '<w:ind w:left="320" w:right="0" w:firstLine="0"/><w:jc w:val="left"/>')
        else:
            self.p("NoIndent", _run(number, FONTS["body"]), f'{rule}<w:jc w:val="center"/>')
        self.blank(1)

    def title(self, title: str) -> None:
        lines = title_lines(normalize(title))
        self.p("Title", _run("\n".join(lines), FONTS["title"]))

    def block(self, block: Block) -> None:
        if isinstance(block, Heading):
            style = f"Heading{block.level}"
            font = FONTS[f"h{block.level}"]
            runs = ([Run(block.number)] if block.number else []) + list(block.runs)
            self.p(style, _runs(runs, font, bold=block.level == 3))
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, ListBlock):
            for i, item in enumerate(block.items):
                marker = f"{block.start + i}." if block.ordered else "●"
                self.p("BodyText", _run(marker, FONTS["body"]) + _runs(item, FONTS["body"]))
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Attendees):
            self.blank()
            for label, names in block.lines:
                label_text = label.rstrip(":：") + "："
                width = display_width(normalize(label_text))
                self.p("NoIndent",
                       _run(label_text, FONTS["h1"]) + _run(names, FONTS["body"]),
                       _ind(left=2 + width, hanging=width))
        elif isinstance(block, PageBreak):
            self.page_break()
        else:  # pragma: no cover - the model has no other block types
            raise RenderError(f"无法排版的内容：{type(block).__name__}")

    def paragraph(self, para: Paragraph) -> None:
        font = FONTS["body"]
        role = para.role
        if role == "center":
            self.p("NoIndent", _runs(para.runs, font), '<w:jc w:val="center"/>')
        elif role == "subtitle":
            self.p("NoIndent", _runs(para.runs, FONTS["h2"]), '<w:jc w:val="center"/>')
        elif role in ("right", "signature"):
            self.p("NoIndent", _runs(para.runs, font), f'{_ind(right=2)}<w:jc w:val="right"/>')
        elif role == "noindent":
            self.p("NoIndent", _runs(para.runs, font))
        elif role == "title":  # a title repeated on a later sheet of a form
            self.title(plain(para.runs))
        else:
            self.p("BodyText", _runs(para.runs, font))

    def attachment_note(self, names: list[str]) -> None:
        self.blank()
        if len(names) == 1:
            self.p("BodyText", _run(f"附件：{names[0]}", FONTS["body"]), _ind(left=5, hanging=3))
            return
        for i, name in enumerate(names, 1):
            label = "附件：" if i == 1 else ""
            item = f"{i}." + name.rstrip("。.；;，,")
            if i == 1:
                self.p("NoIndent", _run(label + item, FONTS["body"]), _ind(left=6, hanging=4))
            else:
                self.p("NoIndent", _run(item, FONTS["body"]), _ind(left=6, hanging=1))

    def signature(self, doc: DocModel) -> None:
        signature = normalize(doc.signature)
        date = normalize(doc.date_text)
        if not signature and not date:
            return
        # A 署名 too long for one line (a 30-character organ name) breaks between words into
        # right-aligned lines, the upper one the longer.
        sig_lines = title_lines(signature, max_width=SIGNATURE_CHARS) if display_width(signature) > SIGNATURE_CHARS \
            else [signature]
        signature = "\n".join(sig_lines)
        sig_w = max((display_width(line) for line in sig_lines), default=0)
        date_w = printed_width(date)
        if doc.seal:
            # 成文日期右空四字; 署名 centred over the date; room above for the seal.
            self.blank(3)
            date_right = 4.0
            sig_right = max(0.0, date_right + (date_w - sig_w) / 2)
        else:
            # 署名右空二字; the date starts two characters right of the 署名 (or 右空二字 if longer).
            self.blank(1)
            date_right = max(2.0, sig_w - date_w) if signature else 2.0
            sig_right = 2 + date_right + date_w - sig_w
        if signature:
            self.p("NoIndent", _run(signature, FONTS["body"]),
                   f'<w:keepNext/><w:keepLines/>{_ind(right=sig_right)}<w:jc w:val="right"/>')
        if date:
            self.p("NoIndent", _run(date, FONTS["body"]), f'{_ind(right=date_right)}<w:jc w:val="right"/>')

    def attachment(self, page: Attachment, doc_landscape: bool) -> None:
        landscape = page.landscape or doc_landscape
        # A change of orientation starts a section, and so a page; otherwise break the page.
        brk = "" if landscape != self.landscape else "<w:pageBreakBefore/>"
        self.want = landscape
        label = f"附件{page.number}"
        self.p("AttachmentLabel", _run(label, FONTS["h1"]), brk)
        self.blank()
        if page.title:
            self.title(page.title)
            self.blank()
        for block in page.body:
            self.block(block)
        self.want = doc_landscape

    def end_block(self, doc: DocModel) -> None:
        """The 版记: a borderless text box anchored to the bottom of the text block, holding its rules and lines.

        A DrawingML text box (``wp:anchor`` aligned to the bottom of the
        margin box) is laid out the same way by Word, WPS and LibreOffice; text
        that would run into it moves to the next page, and the box with it.
        The box is wrapped in ``mc:AlternateContent`` with a VML text box of
        the same content as the fallback, which readers without DrawingML
        shapes (pandoc, mammoth, older Word) use, so the 抄送/印发 lines survive.
        The rules are paragraphs of their own, as wide as the 版心 (156 mm);
        the lines between them are indented one character from each side.
        """
        thick = 'w:val="single" w:sz="8" w:space="1" w:color="000000"'
        thin = 'w:val="single" w:sz="4" w:space="1" w:color="000000"'
        one = 280  # one 14 pt character
        font = FONTS["body"]
        # Groups of lines, a thin rule between groups, thick rules above and below all (under the 主题词 in 1999):
        # a 简报's 报/送/发 lines, the 抄送 line, the 印发 line.  Each line: (pPr tail, runs, lines it takes).
        groups: list[list[tuple[str, str, int]]] = []
        subject = normalize(doc.subject_line)
        if doc.distribution:
            group = []
            for label, value in doc.distribution:
                text = f"{label}：{normalize(value)}"
                hang = one * (len(label) + 1)
                group.append((f'<w:ind w:left="{one + hang}" w:right="{one}" w:hanging="{hang}"/>', _run(text, font),
                              max(1, int(-(-display_width(text) // END_BLOCK_CHARS)))))
            groups.append(group)
        for label, names in doc.copy_lines:  # 抄报 and 抄送 (1999), or 抄送 alone (2012), a thin rule between
            cc = f"{label}：" + normalize(names).rstrip("。.") + "。"
            groups.append([(f'<w:ind w:left="{one * 4}" w:right="{one}" w:hanging="{one * 3}"/>', _run(cc, font),
                            max(1, int(-(-display_width(cc) // END_BLOCK_CHARS))))])
        if doc.printed_by:
            date = f"{normalize(doc.printed_date)}印发" if doc.printed_date else ""
            runs = _run(doc.printed_by, font) + ("<w:r><w:tab/></w:r>" + _run(date, font) if date else "")
            groups.append([(f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_W - one}"/></w:tabs>'
                            f'<w:ind w:left="{one}" w:right="{one}"/>', runs, 1)])

        def rule(border: str) -> str:
            return ('<w:p><w:pPr><w:pStyle w:val="EndBlock"/><w:pBdr>'
                    f'<w:bottom {border}/></w:pBdr><w:snapToGrid w:val="0"/><w:spacing w:line="40" w:lineRule="exact"/>'
                    '<w:ind w:left="0" w:right="0"/></w:pPr></w:p>')

        paras = []
        lines = 0.0
        if subject:
            # GB/T 9704-1999: the 主题词 line heads the 版记 (label 3号黑体, terms 3号小标宋), a rule under it.
            paras.append('<w:p><w:pPr><w:pStyle w:val="EndBlock"/><w:ind w:left="0" w:right="0"/></w:pPr>'
                         + _run("主题词：", FONTS["h1"], size=16) + _run(subject, FONTS["title"], size=16) + "</w:p>")
            lines += 1
        paras.append(rule(thick))
        for g, group in enumerate(groups):
            for tail, runs, count in group:
                paras.append(f'<w:p><w:pPr><w:pStyle w:val="EndBlock"/>{tail}</w:pPr>{runs}</w:p>')
                lines += count
            paras.append(rule(thick if g == len(groups) - 1 else thin))
        lines += 0.1 * len([p for p in paras if "w:pBdr" in p])
        content = f'<w:txbxContent>{"".join(paras)}</w:txbxContent>'
        self.shapes += 1
        width = TEXT_W * EMU_PER_TWIP
        height_twips = int(lines * LINE_PITCH + 120)
        height = height_twips * EMU_PER_TWIP
        choice = (
            '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
            f'relativeHeight="{251659264 + self.shapes}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">'
            '<wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>'
            '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>'
            f'<wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
            f'<wp:docPr id="{self.shapes}" name="版记{self.shapes}"/><wp:cNvGraphicFramePr/>'
            f'<a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{WPS_NS}"><wps:wsp><wps:cNvSpPr txBox="1"/>'
            f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
            f'<wps:txbx>{content}</wps:txbx>'
            '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b">'
            "<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        )
        fallback = (
            f'<w:pict><v:rect id="版记{self.shapes}" style="position:absolute;margin-left:0;margin-top:0;'
            f'width:{TEXT_W / 20:g}pt;height:{height_twips / 20:g}pt;z-index:{self.shapes};'
            "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
            'mso-position-vertical:bottom;mso-position-vertical-relative:margin" filled="f" stroked="f">'
            f'<v:textbox inset="0,0,0,0">{content}</v:textbox><w10:wrap type="topAndBottom"/></v:rect></w:pict>'
        )
        box = (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{choice}</mc:Choice>'
               f"<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r>")
        # The 版记 belongs on a portrait page: after a landscape attachment it starts a portrait section.
        self.want = False
        self._sync()
        # The anchor paragraph is one point high so that it does not add a line of its own; it stays
        # in the current section (the last page), whatever orientation comes next.
        self.items.append(_P('<w:pStyle w:val="NoIndent"/><w:snapToGrid w:val="0"/>'
                             '<w:spacing w:line="20" w:lineRule="exact"/>', box))

    # -- tables ---------------------------------------------------------
    def table(self, table: Table) -> None:
        if not table.rows or table.columns == 0:
            return
        turned = id(table) in self.wide_tables and not self.want
        if turned:
            self.want = True
        self._sync()
        self._flush_break()
        width = self.text_width()
        widths = column_widths(table, width)
        owners = _owners(table)
        border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
        borders = "".join(f"<w:{side} {border}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        out = [
            f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>'
            + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
            + "</w:tblGrid>"
        ]
        centred = _short_columns(table)
        estimate = 0
        for r in range(len(table.rows)):
            header = r < table.header_rows
            # Rows at least 8 mm high leave room to write or sign in the blank rows of a form.
            mm = table.heights[min(r, len(table.heights) - 1)] if table.heights else 0
            row_height = max(ROW_HEIGHT, int(mm * 56.7)) if not header else int(mm * 56.7)
            height = f'<w:trHeight w:val="{row_height}" w:hRule="atLeast"/>' if row_height else ""
            trpr = f"<w:trPr><w:cantSplit/>{height}" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
            out.append(f"<w:tr>{trpr}")
            lines = 1
            c = 0
            while c < table.columns:
                owner = owners[r][c]
                if owner is None:
                    c += 1
                    continue
                orow, ocol, cell = owner
                span = cell.colspan
                cell_w = sum(widths[ocol : ocol + span])
                tcpr = f'<w:tcW w:w="{cell_w}" w:type="dxa"/>'
                if span > 1:
                    tcpr += f'<w:gridSpan w:val="{span}"/>'
                if orow == r and ocol == c:
                    if cell.rowspan > 1:
                        tcpr += '<w:vMerge w:val="restart"/>'
                    tcpr += '<w:vAlign w:val="center"/>'
                    align = cell.align or ("center" if header or centred[c] else "")
                    jc = f'<w:jc w:val="{align}"/>' if align and align != "left" else ""
                    style = "TableHeader" if header else "TableText"
                    font = FONTS["table_header"] if header else FONTS["table"]
                    runs = cell.runs
                    per_line = max(1.0, (cell_w - 2 * CELL_MARGIN) / TABLE_CHAR)
                    lines = max(lines, sum(max(1, math.ceil(len(part) / per_line))
                                           for part in "".join(x.text for x in runs).split("\n")))
                    if len(runs) == 1:  # names, dates and short words never straddle a line end
                        chars = (cell_w - 2 * CELL_MARGIN) / TABLE_CHAR - 0.15
                        runs = [replace(runs[0], text=keep_whole(runs[0].text, chars, header))]
                    out.append(f'<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/>{jc}</w:pPr>'
                               f"{_runs(runs, font)}</w:p></w:tc>")
                elif ocol == c:
                    tcpr += '<w:vMerge/><w:vAlign w:val="center"/>'
                    out.append(f'<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr></w:p></w:tc>')
                c = ocol + span if ocol + span > c else c + 1
            out.append("</w:tr>")
            estimate += max(row_height, lines * TABLE_LINE)
        out.append("</w:tbl>")
        self.items.append("".join(out))
        self.table_at = len(self.items) - 1
        self.table_heights[self.table_at] = estimate
        # A paragraph after a table keeps the next table or section break apart from it; one point
        # high, so that a table ending at the foot of a page does not push it onto a blank page.
        self.p("NoIndent", "", '<w:snapToGrid w:val="0"/><w:spacing w:line="20" w:lineRule="exact"/>')
        if turned:
            self.want = False


TABLE_LINE = 320  #: twips: the height of one line of 12 pt table text (single spacing), for estimates


def _paragraph_height(para: _P, width: int) -> int:
    """The estimated height (twips) of a paragraph ``width`` twips wide: its lines at the line pitch (a 22 pt title
    at one and a half), a one-point spacer nothing."""
    if 'w:line="20"' in para.ppr:
        return 20
    text = re.sub(r"<[^>]+>", "", para.runs)
    title = 'w:val="Title"' in para.ppr
    size = 22 * 20 if title else 16 * 20
    per_line = max(1, width // size)
    lines = max(1, math.ceil(len(text) / per_line))
    return int(lines * LINE_PITCH * (1.5 if title else 1))


def _owners(table: Table) -> list[list[tuple[int, int, Cell] | None]]:
    height = len(table.rows)
    owners: list[list[tuple[int, int, Cell] | None]] = [[None] * table.columns for _ in range(height)]
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while c < table.columns and owners[r][c] is not None:
                c += 1
            if c >= table.columns:
                break
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if r + dr < height and c + dc < table.columns:
                        owners[r + dr][c + dc] = (r, c, cell)
            c += cell.colspan
    return owners


def _short_columns(table: Table) -> list[bool]:
    """Columns whose body cells are all short (序号, dates, 是/否) are centred."""
    short = [True] * table.columns
    for r, row in enumerate(_owners(table)):
        if r < table.header_rows:
            continue
        for c, owner in enumerate(row):
            if owner and owner[2].colspan == 1 and display_width(plain(owner[2].runs)) > 5:
                short[c] = False
    return short


def _column_chars(table: Table) -> tuple[list[float], list[float]]:
    """Return (minimum, desired) width of each column in 12 pt characters.

    The minimum keeps unbreakable text whole (:mod:`.unbreakable`): dates,
    numbers, names and other short words, and header words of up to four
    characters (a longer header may break into pieces of two).
    """
    minimum = [1.0] * table.columns
    desired = [1.0] * table.columns
    for r, row in enumerate(_owners(table)):
        for c, owner in enumerate(row):
            if not owner or owner[2].colspan != 1 or owner[0] != r:
                continue
            text = normalize(plain(owner[2].runs))
            lines = text.split("\n")
            longest = max((printed_width(line) for line in lines), default=0)
            header = r < table.header_rows
            atoms = [printed_width(piece) for piece in pieces(text, header)]
            if header:
                atoms.append(2.0)  # a longer header breaks into pieces of at least two characters
                desired[c] = max(desired[c], longest)
            else:
                desired[c] = max(desired[c], min(longest, 16))
            minimum[c] = max(minimum[c], max(atoms, default=1.0))
    return minimum, [max(d, m) for d, m in zip(desired, minimum)]


def _available_chars(table: Table, total: int) -> float:
    return (total - table.columns * (2 * CELL_MARGIN + 20)) / TABLE_CHAR


def table_fits(table: Table, total: int) -> bool:
    """True when ``table`` fits ``total`` twips without breaking a date, number, name or header word."""
    return sum(_column_chars(table)[0]) <= _available_chars(table, total) + 0.01


def tables_too_wide(doc: DocModel) -> list[Table]:
    """The tables of ``doc`` (and its parts and attachments) that even a landscape page cannot hold unbroken."""
    docs = [doc, *doc.parts]
    blocks = [b for d in docs for b in d.body] + [b for d in docs for page in d.attachment_pages for b in page.body]
    return [b for b in blocks if isinstance(b, Table) and b.rows and not table_fits(b, TEXT_W_LANDSCAPE)]


def column_widths(table: Table, total: int) -> list[int]:
    """Return column widths in twips that add up to ``total``, fitted to each column's content.

    Every column first gets its minimum (see :func:`_column_chars`); the space
    left is shared in proportion to how much longer each column's text is.
    Given widths (front matter 列宽) are kept as proportions, except that no
    column is made narrower than its minimum.
    """
    pad = 2 * CELL_MARGIN + 20
    minimum, desired = _column_chars(table)
    if table.widths and len(table.widths) == table.columns:
        # Given widths are proportions; a column they make narrower than its unbreakable text gets that
        # width, taken from the columns that have room to spare.
        widths = _scale([max(float(w), 0.1) for w in table.widths], total)
        floor = [int(m * TABLE_CHAR + pad + 0.5) for m in minimum]
        if sum(floor) > total:
            return _scale([float(f) for f in floor], total)
        for _ in range(table.columns):
            short = sum(max(f - w, 0) for w, f in zip(widths, floor))
            if not short:
                break
            spare = [max(w - f, 0) for w, f in zip(widths, floor)]
            share = short / (sum(spare) or 1)
            widths = [max(w, f) - int(sp * share) for w, f, sp in zip(widths, floor, spare)]
            widths[max(range(table.columns), key=lambda i: widths[i] - floor[i])] += total - sum(widths)
        return widths
    avail = _available_chars(table, total)
    if sum(desired) <= avail:
        chars = desired
    elif sum(minimum) >= avail:
        chars = minimum
    else:
        extra = [d - m for d, m in zip(desired, minimum)]
        share = (avail - sum(minimum)) / (sum(extra) or 1)
        chars = [m + e * share for m, e in zip(minimum, extra)]
    return _scale([c * TABLE_CHAR + pad for c in chars], total)


def _scale(weights: list[float], total: int) -> list[int]:
    scale = total / sum(weights)
    widths = [int(w * scale) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


# ---------------------------------------------------------------- public
def render_docx(doc: DocModel) -> bytes:
    """Return the .docx bytes of ``doc``.  Raises RenderError when the model cannot be written."""
    base = _base()
    writer = _Writer(base)
    try:
        writer.document(doc)
        document_xml = writer.xml().encode("utf-8")
    except (ValueError, TypeError, KeyError) as error:
        raise RenderError(f"无法生成 Word 文件：{error}") from None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in base.parts:
            package.writestr(name, data)
            if name == "[Content_Types].xml":
                package.writestr("word/document.xml", document_xml)
        package.writestr("docProps/core.xml", _core_xml(doc))
    return buffer.getvalue()


def document_xml(doc: DocModel) -> str:
    """Return ``word/document.xml`` of ``doc`` as text (used by golden tests and benchmarks)."""
    writer = _Writer(_base())
    writer.document(doc)
    return writer.xml()
