"""Check any .docx against GB/T 9704-2012: page, margins, fonts by role, indent, line pitch, page numbers…

>>> from dangjian.generators.check import check_docx
>>> report = check_docx("通知.docx")
>>> report.ok, [item.message for item in report.items if not item.passed]

The file is read with ``zipfile`` and ``lxml`` only, so documents made by
Word, WPS, LibreOffice or python-docx are read alike.  Effective fonts and
sizes are resolved the way Word does: document defaults → paragraph style
(its ``basedOn`` chain) → character style → the run's own properties, with
theme fonts looked up in the theme for the document's East Asian language.

Roles are recognised from the text: the title is the first centred (or
``Title``-styled, or ≥ 18 pt) paragraph near the top; headings start with
一、 （一） 1. （1） or use a heading style; body paragraphs are the other
left-aligned paragraphs outside tables, frames and the signature block.
"""

from __future__ import annotations

import math
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from lxml import etree

from ..kb import limits
from ..kb.errors import ImportFailed, InputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {"w": W, "a": A}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


#: Font families a role accepts (lower-case substrings of the East Asian font name).
FAMILIES = {
    "小标宋": ("小标宋", "xiaobiaosong", "xbs"),
    "黑体": ("黑体", "simhei", "heiti", "hei"),
    "楷体": ("楷体", "kaiti", "kai"),
    "仿宋": ("仿宋", "fangsong", "fang song"),
    "宋体": ("宋体", "simsun", "songti", "song"),
}
ROLE_RULES = {
    # role: (Chinese name, family, size in pt)
    "title": ("标题", "小标宋", 22.0),
    "h1": ("一级标题", "黑体", 16.0),
    "h2": ("二级标题", "楷体", 16.0),
    "h3": ("三级标题", "仿宋", 16.0),
    "h4": ("四级标题", "仿宋", 16.0),
    "body": ("正文", "仿宋", 16.0),
}
_HEADING_PATTERNS = (
    ("h1", re.compile(r"^\s*[一二三四五六七八九十]+、")),
    ("h2", re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")),
    ("h4", re.compile(r"^\s*[（(]\d+[）)]")),
    ("h3", re.compile(r"^\s*\d+[.．](?!\d)")),
)
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_HALF_PUNCT = re.compile(rf"[{_CJK}]\s*[,:;?!()]|[,:;?!()]\s*[{_CJK}]")
_REDS = ("FF0000", "C00000", "E60000")
_ISSUE = re.compile(r"^\s*第[\s\u3000\d一二三四五六七八九十]*期\s*$")
_ATTENDEES = re.compile(r"^\s*(出席|请假|列席|缺席|记录)\s*[：:]")
_CN_NUM = "〇零○一二三四五六七八九十"
_DATE_LINE = re.compile(rf"^\s*([\d０-９{_CN_NUM}]{{4}})\s*年\s*([\d０-９{_CN_NUM}]{{1,3}})\s*月\s*([\d０-９{_CN_NUM}]{{1,3}})\s*日\s*$")
_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_PADDED = re.compile(r"\d{4}\s*年\s*0\d\s*月|月\s*0\d\s*日")
_DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号|[\[【(（]\d{4}[\]】)）]\s*\d+\s*号")
_THEME_SCRIPT = {"zh-CN": "Hans", "zh-SG": "Hans", "zh-TW": "Hant", "zh-HK": "Hant", "ja-JP": "Jpan", "ko-KR": "Hang"}


@dataclass
class CheckItem:
    """One check: what was expected, what was found, and a Chinese message."""

    name: str
    passed: bool
    expected: str
    found: str
    message: str


@dataclass
class CheckReport:
    """The result of checking one file; ``ok`` is True when every item passed."""

    path: str
    items: list[CheckItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(item.passed for item in self.items)

    def failed(self) -> list[CheckItem]:
        """Return the items that did not pass."""
        return [item for item in self.items if not item.passed]

    def to_dict(self) -> dict:
        """Return the report as plain data (for ``--json``)."""
        return {"path": self.path, "ok": self.ok, "items": [asdict(item) for item in self.items]}

    def add(self, name: str, passed: bool, expected: str, found: str, message: str = "") -> None:
        if not message:
            message = f"{name}符合要求（{found}）" if passed else f"{name}应为{expected}，实际为{found}"
        self.items.append(CheckItem(name, bool(passed), expected, found, message))


# ---------------------------------------------------------------- reading
@dataclass
class _Props:
    east: str | None = None
    ascii: str | None = None
    size: float | None = None
    bold: bool | None = None
    spacing: float | None = None  # character spacing in pt


@dataclass
class _Para:
    text: str
    style_name: str
    jc: str
    first_line: float  # twips, resolved (chars converted using the paragraph's font size)
    line: float | None  # effective line pitch in pt
    outline: int | None
    runs: list[tuple[str, _Props]]
    in_table: bool
    framed: bool
    color_red: bool
    section: int
    red_rule: bool = False  # a red bottom border: the rule under a red header (版头)

    def main_props(self) -> _Props:
        """The properties of most of the paragraph's characters."""
        counts: Counter = Counter()
        props: dict = {}
        for text, p in self.runs:
            key = (p.east, p.size)
            counts[key] += len(text.strip())
            props[key] = p
        if not counts:
            return _Props()
        return props[counts.most_common(1)[0][0]]


class _Docx:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
            names = set(self.zip.namelist())
        except (zipfile.BadZipFile, OSError) as error:
            raise InputError(f"{path} 不是有效的 .docx 文件（{_reason(error)}）") from None
        try:
            self._read(path, names)
        except BaseException:
            self.zip.close()
            raise

    def _read(self, path: Path, names: set[str]) -> None:
        self.names = names
        # Sizes counted as parts decompress (the zip bomb guard of kb add), elements and depth bounded.
        self.budget = limits.Budget(str(path))
        self.document = self._xml("word/document.xml", required=True)
        if self.document.find("w:body", NS) is None:
            raise InputError(f"{path} 已损坏：word/document.xml 中没有正文（w:body）")
        self.styles = self._xml("word/styles.xml")
        self.settings = self._xml("word/settings.xml")
        self.theme = self._theme()
        self.rels = self._rels()
        self.lang = self._east_asian_lang()
        self.style_by_id = {}
        if self.styles is not None:
            for st in self.styles.iter(_w("style")):
                self.style_by_id[st.get(_w("styleId"))] = st
        self.default_para_style = next(
            (sid for sid, st in self.style_by_id.items()
             if st.get(_w("type")) == "paragraph" and st.get(_w("default")) in ("1", "true", "on")), None)

    def _xml(self, name: str, required: bool = False):
        if name not in self.names:
            if required:
                raise InputError(f"{self.path} 不是有效的 .docx 文件（缺少 {name}）")
            return None
        try:
            return limits.parse_xml(limits.read_zip_member(self.zip, name, self.budget), f"{self.path} 的 {name}")
        except ImportFailed as error:
            raise InputError(str(error)) from None
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError,
                RuntimeError, zlib.error) as error:
            raise InputError(f"{self.path} 已损坏：{name} 无法读取（{_reason(error)}）") from None

    def _rels(self) -> dict[str, str]:
        rels = self._xml("word/_rels/document.xml.rels")
        if rels is None:
            return {}
        return {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PKG_R}}}Relationship")}

    def _theme(self):
        for name in sorted(self.names):
            if name.startswith("word/theme/") and name.endswith(".xml"):
                return self._xml(name)
        return None

    def _east_asian_lang(self) -> str:
        lang = None
        if self.styles is not None:
            for el in self.styles.iterfind(".//w:docDefaults//w:lang", NS):
                lang = el.get(_w("eastAsia")) or lang
        return lang or ""

    def theme_font_lang(self) -> str:
        if self.settings is None:
            return ""
        el = self.settings.find("w:themeFontLang", NS)
        return (el.get(_w("eastAsia")) or "") if el is not None else ""

    def theme_font(self, ref: str) -> str:
        """Resolve a theme font reference such as minorEastAsia to a typeface name."""
        if self.theme is None:
            return f"（主题字体 {ref}）"
        major = ref.startswith("major")
        scheme = self.theme.find(f".//a:fontScheme/a:{'majorFont' if major else 'minorFont'}", NS)
        if scheme is None:
            return f"（主题字体 {ref}）"
        if "EastAsia" in ref:
            ea = scheme.find("a:ea", NS)
            if ea is not None and ea.get("typeface"):
                return ea.get("typeface")
            script = _THEME_SCRIPT.get(self.theme_font_lang() or self.lang or "zh-CN", "Hans")
            for font in scheme.findall("a:font", NS):
                if font.get("script") == script:
                    return font.get("typeface") or ""
            return f"（主题字体 {ref}）"
        latin = scheme.find("a:latin", NS)
        return latin.get("typeface") if latin is not None else f"（主题字体 {ref}）"

    # -- property resolution -----------------------------------------------
    def _apply_rpr(self, props: _Props, rpr) -> None:
        if rpr is None:
            return
        fonts = rpr.find("w:rFonts", NS)
        if fonts is not None:
            theme = fonts.get(_w("eastAsiaTheme"))
            if theme:
                props.east = self.theme_font(theme)
            elif fonts.get(_w("eastAsia")):
                props.east = fonts.get(_w("eastAsia"))
            theme = fonts.get(_w("asciiTheme"))
            if theme:
                props.ascii = self.theme_font(theme)
            elif fonts.get(_w("ascii")):
                props.ascii = fonts.get(_w("ascii"))
        size = rpr.find("w:sz", NS)
        if size is not None and _num(size.get(_w("val"))) is not None:
            props.size = _num(size.get(_w("val"))) / 2
        bold = rpr.find("w:b", NS)
        if bold is not None:
            props.bold = bold.get(_w("val"), "true") not in ("0", "false", "off")
        spacing = rpr.find("w:spacing", NS)
        if spacing is not None and _num(spacing.get(_w("val"))) is not None:
            props.spacing = _num(spacing.get(_w("val"))) / 20

    def style_chain(self, sid: str | None) -> list:
        chain = []
        seen = set()
        while sid and sid in self.style_by_id and sid not in seen:
            seen.add(sid)
            st = self.style_by_id[sid]
            chain.append(st)
            based = st.find("w:basedOn", NS)
            sid = based.get(_w("val")) if based is not None else None
        return list(reversed(chain))

    def default_rpr(self, props: _Props) -> None:
        if self.styles is not None:
            self._apply_rpr(props, self.styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS))

    def default_ppr(self):
        if self.styles is None:
            return []
        ppr = self.styles.find("w:docDefaults/w:pPrDefault/w:pPr", NS)
        return [ppr] if ppr is not None else []

    def style_name(self, sid: str | None) -> str:
        st = self.style_by_id.get(sid) if sid else None
        if st is None:
            return ""
        name = st.find("w:name", NS)
        return name.get(_w("val")) if name is not None else sid or ""


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return {"File is not a zip file": "不是 zip 格式"}.get(text, text)


def _sections(doc: _Docx) -> list:
    body = doc.document.find("w:body", NS)
    sects = [p for p in body.iterfind(".//w:pPr/w:sectPr", NS)]
    final = body.find("w:sectPr", NS)
    if final is not None:
        sects.append(final)
    return sects


#: Largest magnitude taken from a measurement attribute (twips, half-points…); beyond it the value is ignored.
_MAX_MEASURE = 10_000_000


def _num(value: str | None) -> float | None:
    """Return an attribute's number, or None if it is missing, not a number, NaN, infinite or absurdly large."""
    if value is None or len(value) > 32:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and abs(number) <= _MAX_MEASURE else None


def _int(el, attr: str, default: float | None = None) -> float | None:
    if el is None:
        return default
    number = _num(el.get(_w(attr)))
    return default if number is None else number


def _paragraphs(doc: _Docx) -> list[_Para]:
    """Return every paragraph of the main text with resolved properties."""
    sections = _sections(doc)
    grid_pitch = []
    for sect in sections:
        grid = sect.find("w:docGrid", NS)
        kind = grid.get(_w("type")) if grid is not None else None
        grid_pitch.append(_int(grid, "linePitch") / 20 if kind in ("lines", "linesAndChars", "snapToChars") and _int(grid, "linePitch") else None)
    body = doc.document.find("w:body", NS)
    result = []
    section = 0
    for p in body.iter(_w("p")):
        if _ancestor(p, body, ("txbxContent",)):
            continue  # text boxes (the 版记, logos) are not body text
        ppr = p.find("w:pPr", NS)
        sid = None
        if ppr is not None and ppr.find("w:pStyle", NS) is not None:
            sid = ppr.find("w:pStyle", NS).get(_w("val"))
        sid = sid or doc.default_para_style
        chain = doc.style_chain(sid)
        layers = doc.default_ppr() + [st.find("w:pPr", NS) for st in chain] + [ppr]
        jc, first, first_chars, hanging, line, rule, outline, snap = "left", 0.0, None, 0.0, None, None, None, True
        framed = False
        for layer in layers:
            if layer is None:
                continue
            el = layer.find("w:jc", NS)
            if el is not None:
                jc = el.get(_w("val"), jc)
            ind = layer.find("w:ind", NS)
            if ind is not None:
                if _int(ind, "firstLine") is not None:
                    first, hanging = _int(ind, "firstLine"), 0.0
                if _int(ind, "hanging") is not None:
                    hanging, first = _int(ind, "hanging"), 0.0
                if _int(ind, "firstLineChars") is not None:
                    first_chars = _int(ind, "firstLineChars")
                if _int(ind, "hangingChars"):
                    first_chars = -_int(ind, "hangingChars")
            sp = layer.find("w:spacing", NS)
            if sp is not None and _int(sp, "line") is not None:
                line, rule = _int(sp, "line"), sp.get(_w("lineRule"), "auto")
            el = layer.find("w:outlineLvl", NS)
            if el is not None:
                level = _int(el, "val", 9)
                outline = int(level) if 0 <= level <= 9 else 9
            el = layer.find("w:snapToGrid", NS)
            if el is not None:
                snap = el.get(_w("val"), "true") not in ("0", "false", "off")
            if layer.find("w:framePr", NS) is not None:
                framed = True
        para_props = _Props()
        doc.default_rpr(para_props)
        for st in chain:
            doc._apply_rpr(para_props, st.find("w:rPr", NS))
        runs = []
        red = False
        for r in p.iter(_w("r")):
            if _ancestor(r, p, ("txbxContent",)):
                continue
            text = "".join(t.text or "" for t in r.findall("w:t", NS))
            if not text:
                continue
            props = _Props(**vars(para_props))
            rpr = r.find("w:rPr", NS)
            if rpr is not None and rpr.find("w:rStyle", NS) is not None:
                for st in doc.style_chain(rpr.find("w:rStyle", NS).get(_w("val"))):
                    doc._apply_rpr(props, st.find("w:rPr", NS))
            doc._apply_rpr(props, rpr)
            color = rpr.find("w:color", NS) if rpr is not None else None
            if color is not None and (color.get(_w("val")) or "").upper() in _REDS:
                red = True
            runs.append((text, props))
        text = "".join(t for t, _ in runs)
        size = max((pr.size or 10.0 for _, pr in runs), default=para_props.size or 10.0)
        if first_chars is not None and first_chars != 0:
            first = first_chars / 100 * size * 20
        elif first_chars == 0 and first == 0:
            first = 0.0
        if hanging:
            first = -hanging
        pitch = None
        grid = grid_pitch[min(section, len(grid_pitch) - 1)] if grid_pitch else None
        if rule in ("exact", "atLeast") and line:
            pitch = line / 20
            if rule == "atLeast" and grid and snap:
                pitch = max(pitch, grid)
        elif grid and snap:
            pitch = grid * max(1.0, (line or 240) / 240)
        else:
            pitch = size * 1.3 * (line or 240) / 240
        in_table = _ancestor(p, body, ("tbl",))
        border = p.find("w:pPr/w:pBdr/w:bottom", NS)
        red_rule = border is not None and (border.get(_w("color")) or "").upper() in _REDS
        result.append(_Para(text, doc.style_name(sid), jc, first, pitch, outline, runs, in_table, framed, red, section,
                            red_rule))
        if ppr is not None and ppr.find("w:sectPr", NS) is not None:
            section += 1
    return result


def _ancestor(el, stop, names: tuple[str, ...]) -> bool:
    parent = el.getparent()
    tags = {_w(n) for n in names}
    while parent is not None and parent is not stop:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _family(font: str | None) -> str:
    name = (font or "").lower()
    for family, keys in FAMILIES.items():
        if any(k in name for k in keys):
            return family
    return ""


def _fmt_size(size: float | None) -> str:
    if size is None:
        return "未设置"
    return f"{size:g}磅"


# ---------------------------------------------------------------- checks
def check_docx(path: str | Path, standard: str | None = None) -> CheckReport:
    """Check the .docx at ``path`` against GB/T 9704 and return the report.

    ``standard`` ("1999" or "2012") names the edition to check against; by
    default the one the document claims (the category dangjian writes into
    docProps/core.xml), else the one its content shows (a 成文日期 in Chinese
    numerals or a 主题词 line: 1999), else 2012.  The editions differ in the
    成文日期 (二〇〇五年七月六日 against 2005年7月6日) and the 主题词 (1999 only).
    Raises InputError (one line, in Chinese) when the file is missing, not a
    .docx or corrupt, or ``standard`` is not an edition.
    """
    path = Path(path)
    if not path.is_file():
        if path.exists() and not path.is_dir():
            raise InputError(f"{path} 不是普通文件（是设备、管道或套接字等），不能检查")
        raise InputError(f"找不到文件：{path}")
    if path.suffix.lower() in (".doc", ".wps", ".pdf", ".rtf", ".odt"):
        raise InputError(f"{path} 不是 .docx 文件：kb check 只检查 .docx，请用 Word 或 WPS 打开后另存为 .docx 再检查")
    doc = _Docx(path)
    try:
        return _check(doc, path, standard)
    except (ValueError, TypeError, ArithmeticError, AttributeError, IndexError, KeyError, RecursionError) as error:
        # A hostile file this checker does not foresee: one line, and the other files go on.
        raise InputError(f"{path} 的格式无法检查（{type(error).__name__}），文件可能已损坏；请用 Word 或 WPS 另存后再试") from None
    finally:
        doc.zip.close()


def _check(doc: _Docx, path: Path, standard: str | None = None) -> CheckReport:
    report = CheckReport(str(path))
    sections = _sections(doc)
    _check_page(report, sections)
    paras = _paragraphs(doc)
    roles = _classify(paras)
    _check_roles(report, roles)
    _check_indent(report, roles.get("body", []))
    _check_pitch(report, roles.get("body", []), sections)
    _check_page_numbers(report, doc, sections)
    edition = _edition(report, doc, paras, standard)
    _check_dates(report, paras, edition)
    _check_subject_terms(report, doc, paras, edition)
    _check_fill_in(report, doc)
    _check_punctuation(report, paras)
    _check_language(report, doc)
    return report


def _check_page(report: CheckReport, sections: list) -> None:
    sizes = []
    portrait = []
    for sect in sections:
        size = sect.find("w:pgSz", NS)
        w, h = _int(size, "w", 12240), _int(size, "h", 15840)
        sizes.append((w, h))
        if w <= h:
            portrait.append(sect)
    a4 = all({round(w / 56.7), round(h / 56.7)} == {210, 297} for w, h in sizes)
    found = "、".join(sorted({f"{w / 56.7:.0f}×{h / 56.7:.0f}mm" for w, h in sizes})) or "未设置"
    report.add("纸张", a4, "A4（210×297mm）", found,
               "" if a4 else f"纸张应为 A4（210×297mm），实际为 {found}")
    expected = {"top": 37, "bottom": 35, "left": 28, "right": 26}
    if sections and not portrait:
        # A landscape-only document (a wide ledger) is the portrait sheet turned a quarter clockwise (the table
        # head towards the portrait left edge, GB/T 9704-2012 §8): its margins turn with it.
        expected = {"top": 28, "bottom": 26, "left": 35, "right": 37}
    bad = []
    values = []
    for sect in portrait or sections[:1]:
        mar = sect.find("w:pgMar", NS)
        for side, mm in expected.items():
            got = _int(mar, side, 1440) / 56.7
            values.append(f"{_SIDE[side]}{got:.0f}")
            if abs(abs(got) - mm) > 1.05:
                bad.append(f"{_SIDE[side]}{got:.1f}mm（应为{mm}mm）")
    found = "、".join(dict.fromkeys(values)) + "mm"
    report.add("页边距", not bad, "上37 下35 左28 右26mm（±1mm）", found,
               "" if not bad else "页边距不符：" + "，".join(dict.fromkeys(bad)))


_SIDE = {"top": "上", "bottom": "下", "left": "左", "right": "右"}


def _landscape(sect) -> bool:
    size = sect.find("w:pgSz", NS)
    return _int(size, "w", 12240) > _int(size, "h", 15840)


def _classify(paras: list[_Para]) -> dict[str, list[_Para]]:
    roles: dict[str, list[_Para]] = {}
    main = [p for p in paras if not p.in_table and not p.framed and p.text.strip()]
    title_index = None
    for i, p in enumerate(main[:8]):
        text = p.text.strip()
        if p.color_red and text.endswith("纪要"):
            # A 纪要's red mark is its title; its size is not fixed by the standard.
            title_index = i
            roles["title"] = [p]
            roles["minutes_mark"] = [p]
            break
        if p.color_red or p.red_rule or (_DOC_NUMBER.search(text) or _ISSUE.match(text)) and len(text) < 30:
            continue
        props = p.main_props()
        if (p.jc == "center" and len(text) > 2) or "title" in p.style_name.lower() or p.style_name == "标题" \
                or (props.size or 0) >= 18:
            title_index = i
            roles["title"] = [p]
            # A title broken over several paragraphs: the centred paragraphs that follow.
            for q in main[i + 1 : i + 3]:
                if q.jc == "center" and (q.main_props().size or 0) == (props.size or 0) and not _DOC_NUMBER.search(q.text):
                    roles["title"].append(q)
                else:
                    break
        break
    for i, p in enumerate(main):
        if "title" in roles and p in roles["title"]:
            continue
        if title_index is not None and i < title_index:
            continue
        text = p.text.strip()
        role = None
        for name, pattern in _HEADING_PATTERNS:
            if pattern.match(text) and len(text) < 120:
                role = name
                break
        if role is None and p.outline is not None and 0 <= p.outline <= 3:
            role = f"h{p.outline + 1}"
        if role is None and (m := re.match(r"heading\s*(\d)", p.style_name.lower())) and 1 <= int(m.group(1)) <= 4:
            role = f"h{m.group(1)}"
        if role is None:
            if p.jc in ("center", "right", "end") or _DATE_LINE.match(text) or text.startswith("附件") \
                    or _ATTENDEES.match(text) or _ISSUE.match(text):
                continue
            if text.endswith(("：", ":")) and len(text) < 40 and p.first_line <= 0:
                continue  # 主送机关
            if len(text) < 10:
                continue  # labels and captions, not body paragraphs
            role = "body"
        roles.setdefault(role, []).append(p)
    return roles


def _first_run_props(p: _Para) -> _Props:
    # A run-in heading (（一）标题。正文……) carries the heading font on its first runs.
    for text, props in p.runs:
        if text.strip():
            return props
    return _Props()


def _check_roles(report: CheckReport, roles: dict[str, list[_Para]]) -> None:
    for role, (name, family, size) in ROLE_RULES.items():
        paras = roles.get(role, [])
        expected = f"{family} {size:g}磅"
        if not paras:
            if role == "title":
                report.add(name, False, expected, "未找到",
                           "未找到标题：文件开头应有居中的标题（2号小标宋）")
            elif role == "body":
                report.add(f"{name}字体字号", True, expected, "无正文段落", "没有正文段落（如纯表格），不检查正文字体")
            continue
        if role == "title" and roles.get("minutes_mark"):
            props = paras[0].main_props()
            passed = _family(props.east) == family
            report.add("标题字体字号", passed, "纪要标志：小标宋（红色）", f"{props.east or '未设置'} {_fmt_size(props.size)}",
                       "" if passed else f"纪要标志应为红色小标宋，实际为{props.east or '未设置'}")
            continue
        counts: Counter = Counter()
        bad_examples = []
        for p in paras:
            props = p.main_props() if role in ("title", "body") else _first_run_props(p)
            found = f"{props.east or '未设置'} {_fmt_size(props.size)}"
            counts[found] += 1
            ok = _family(props.east) == family and props.size is not None and abs(props.size - size) <= 0.5
            if not ok and len(bad_examples) < 1:
                bad_examples.append(f"“{p.text.strip()[:12]}”为{found}")
        found_text = "、".join(f"{k}" for k, _ in counts.most_common(3))
        bad = sum(
            1 for p in paras
            if not ((pr := (p.main_props() if role in ("title", "body") else _first_run_props(p))) and
                    _family(pr.east) == family and pr.size is not None and abs(pr.size - size) <= 0.5)
        )
        # The body passes when nine in ten paragraphs are right (quotes or emphasis may differ).
        passed = bad == 0 if role != "body" else bad <= len(paras) * 0.1
        message = ""
        if not passed:
            message = f"{name}应为{expected}，{bad}/{len(paras)}段不符（如{bad_examples[0]}）" if bad_examples else ""
        report.add(f"{name}字体字号", passed, expected, found_text, message)
        if role == "title":
            centred = all(p.jc == "center" for p in paras)
            report.add("标题居中", centred, "居中", "居中" if centred else paras[0].jc,
                       "" if centred else "标题应居中排布")


def _check_indent(report: CheckReport, body: list[_Para]) -> None:
    if not body:
        return
    bad = [p for p in body if not (p.first_line and 1.8 * 16 * 20 * 0.9 <= p.first_line <= 2.2 * 16 * 20)]
    passed = len(bad) <= len(body) * 0.1
    found = f"{len(body) - len(bad)}/{len(body)}段首行缩进2字"
    example = f"（如“{bad[0].text.strip()[:12]}”缩进{bad[0].first_line / 20:g}磅）" if bad else ""
    report.add("首行缩进", passed, "正文首行缩进2字（32磅）", found,
               "" if passed else f"正文段落首行应缩进2字，{len(bad)}/{len(body)}段不符{example}")


def _check_pitch(report: CheckReport, body: list[_Para], sections: list) -> None:
    # 22 lines of 28 characters is the portrait page; landscape pages (wide tables) are not held to it.
    body = [p for p in body if not sections or not _landscape(sections[min(p.section, len(sections) - 1)])]
    if not body:
        return
    sect = sections[min(body[0].section, len(sections) - 1)] if sections else None
    size = sect.find("w:pgSz", NS) if sect is not None else None
    mar = sect.find("w:pgMar", NS) if sect is not None else None
    height = (_int(size, "h", 15840) - abs(_int(mar, "top", 1440)) - abs(_int(mar, "bottom", 1440))) / 20
    width = (_int(size, "w", 12240) - _int(mar, "left", 1800) - _int(mar, "right", 1800)) / 20
    pitches = Counter(round(p.line or 0, 2) for p in body)
    pitch = pitches.most_common(1)[0][0]
    lines = int(height / pitch + 0.01) if pitch else 0
    passed = 28.0 <= pitch <= 29.5 and lines == 22
    report.add("行距", passed, "每页22行（行距约28.95磅）", f"行距{pitch:g}磅，每页{lines}行",
               "" if passed else f"每页应排22行（行距约28.95磅），实际行距{pitch:g}磅、每页{lines}行")
    # Characters per line: the grid's character pitch, or the font size plus character spacing.
    grid = sect.find("w:docGrid", NS) if sect is not None else None
    props = Counter()
    for p in body:
        mp = p.main_props()
        props[(mp.size or 10.0, mp.spacing or 0.0)] += 1
    font_size, spacing = props.most_common(1)[0][0]
    char_pitch = font_size + spacing
    if grid is not None and grid.get(_w("type")) in ("linesAndChars", "snapToChars") and grid.get(_w("charSpace")):
        char_pitch = font_size + (_int(grid, "charSpace") or 0.0) / 4096
    chars = int(width / char_pitch + 0.01) if char_pitch else 0
    passed = chars == 28
    report.add("每行字数", passed, "每行28字", f"每行{chars}字",
               "" if passed else f"每行应排28字，实际约{chars}字（版心宽{width / 2.835:.0f}mm，字距{char_pitch:g}磅）")


def _footer_parts(doc: _Docx, sect) -> dict[str, object]:
    out = {}
    for ref in sect.findall("w:footerReference", NS):
        target = doc.rels.get(ref.get(f"{{{R}}}id"))
        if not target:
            continue
        name = "word/" + target.lstrip("/").removeprefix("word/")
        xml = doc._xml(name) if name in doc.names else None
        if xml is not None:
            out[ref.get(_w("type"), "default")] = xml
    return out


def _page_field(footer) -> tuple[bool, str, float | None, str]:
    """Return (has PAGE field, text around it, font size, alignment) of a footer part."""
    instr = " ".join((t.text or "") for t in footer.iter(_w("instrText")))
    simple = " ".join(f.get(_w("instr"), "") for f in footer.iter(_w("fldSimple")))
    has = "PAGE" in (instr + simple).upper().split() or bool(re.search(r"\bPAGE\b", (instr + simple).upper()))
    for p in footer.iter(_w("p")):
        if p.find(".//w:p", NS) is not None:  # the paragraph anchoring a text box: read the box's own
            continue
        texts = "".join(t.text or "" for t in p.iter(_w("t")))
        p_instr = " ".join((t.text or "") for t in p.iter(_w("instrText"))) + " ".join(
            f.get(_w("instr"), "") for f in p.iter(_w("fldSimple")))
        if "PAGE" in p_instr.upper():
            jc = p.find("w:pPr/w:jc", NS)
            size = None
            for sz in p.iter(_w("sz")):
                size = _int(sz, "val", 0.0) / 2 or None
            return has, texts, size, jc.get(_w("val")) if jc is not None else ""
    return has, "", None, ""


def _check_page_numbers(report: CheckReport, doc: _Docx, sections: list) -> None:
    expected = "页脚“— N —”，4号（14磅），单页居右、双页居左"
    if not sections:
        report.add("页码", False, expected, "无分节信息", "未找到页面设置，无法检查页码")
        return
    portrait = [sect for sect in sections if not _landscape(sect)]
    footers = _footer_parts(doc, (portrait or sections)[-1])
    default = footers.get("default")
    if default is None or not _page_field(default)[0]:
        report.add("页码", False, expected, "无页码", "页脚中没有页码（PAGE 域）：公文应在页脚编排“— 1 —”式页码")
        return
    _, text, size, jc = _page_field(default)
    problems = []
    if not re.search(r"[—－–-]", text):
        problems.append("页码两侧应有一字线“— 1 —”")
    if size is not None and abs(size - 14) > 0.5:
        problems.append(f"页码字号应为4号（14磅），实际{size:g}磅")
    even_flag = doc.settings is not None and doc.settings.find("w:evenAndOddHeaders", NS) is not None
    even = footers.get("even")
    if not even_flag or even is None or not _page_field(even)[0]:
        problems.append("未设置奇偶页不同的页码（单页居右、双页居左）")
    else:
        if jc not in ("right", "end"):
            problems.append("单页页码应居右")
        even_jc = _page_field(even)[3]
        if even_jc not in ("left", "start", ""):
            problems.append("双页页码应居左")
    # A landscape page keeps its number where the portrait pages have it: turned, in a vertical text box.
    for sect in sections:
        if _landscape(sect):
            turned = _footer_parts(doc, sect).values()
            if not turned or not all(_page_field(f)[0] and _vertical(f) for f in turned):
                problems.append("横向页的页码应与纵向页位置一致（竖排于横向页左侧，单页左下、双页左上）")
                break
    found = f"“{text.strip()}”" + (f" {size:g}磅" if size else "")
    report.add("页码", not problems, expected, found, "；".join(problems))


def _vertical(footer) -> bool:
    """True when the footer's page number stands in a text box of vertical text (read top to bottom)."""
    wps = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}bodyPr"
    if any(b.get("vert") in ("vert", "eaVert") for b in footer.iter(wps)):
        return True
    vml = "{urn:schemas-microsoft-com:vml}textbox"
    return any("layout-flow:vertical" in (b.get("style") or "").replace(" ", "") for b in footer.iter(vml))


def _edition(report: CheckReport, doc: _Docx, paras: list[_Para], asked: str | None) -> str:
    """The GB/T 9704 edition to check against: ``asked``, else the one the document claims or shows."""
    from .standard import TITLES, is_chinese_date, parse_standard

    if asked:
        edition, source = parse_standard(asked), "按要求检查"
    else:
        claim = ""
        core = doc._xml("docProps/core.xml")
        if core is not None:
            for el in core.iter("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}category"):
                claim = next((e for e in ("1999", "2012") if e in f"9704-{el.text or ''}" and "9704" in (el.text or "")), "")
        if claim:
            edition, source = claim, "文件声明"
        elif any(is_chinese_date(p.text.strip()) for p in paras) or _subject_text(doc):
            edition, source = "1999", "按中文数字日期或主题词判断"
        else:
            edition, source = "2012", "默认"
    report.add("格式标准", True, "GB/T 9704-1999 或 GB/T 9704-2012", f"{TITLES[edition]}（{source}）",
               f"按 {TITLES[edition]} 检查（{source}）")
    return edition


def _subject_text(doc: _Docx) -> str:
    """The 主题词 line anywhere in the document (the 版记 is often a text box), or ""."""
    body = doc.document.find("w:body", NS)
    for p in body.iter(_w("p")):
        if next(p.iterdescendants(_w("p")), None) is not None:
            continue  # a paragraph anchoring a text box: its own paragraphs are read one by one
        text = "".join(t.text or "" for t in p.iter(_w("t"))).strip()
        if text.startswith("主题词"):
            return text
    return ""


def _check_dates(report: CheckReport, paras: list[_Para], edition: str = "2012") -> None:
    from .standard import chinese_date, is_chinese_date

    if edition == "1999":
        expected = "中文数字、零写作〇（如二〇〇五年七月一日）"
    else:
        expected = "阿拉伯数字、不编虚位（如2005年7月1日）"
    candidates = [p for p in paras if not p.in_table and _DATE_LINE.match(p.text)]
    padded = [p.text.strip() for p in paras if _PADDED.search(p.text)]
    if not candidates and not padded:
        report.add("成文日期", True, expected, "未找到单独成行的日期", "未找到单独成行的成文日期（不适用）")
        return
    problems = []
    found = candidates[-1].text.strip() if candidates else padded[0]
    for p in candidates:
        m = _DATE_LINE.match(p.text)
        year, month, day = m.groups()
        text = p.text.strip()
        arabic = year.isdigit() and month.isdigit() and day.isdigit()
        if edition == "1999":
            if not is_chinese_date(text):
                problems.append(f"“{text}”应使用中文数字（写成{chinese_date(text.translate(_FULL_DIGITS))}）"
                                if arabic else f"“{text}”应使用中文数字，零写作〇")
        elif not arabic or any(c in text for c in "０１２３４５６７８９"):
            problems.append(f"“{text}”应使用阿拉伯数字")
        elif month.startswith("0") or day.startswith("0"):
            problems.append(f"“{text}”的月、日不应编虚位（写成{int(year)}年{int(month)}月{int(day)}日）")
    if edition == "2012":
        for text in padded:
            if not any(text in pr for pr in problems):
                problems.append(f"“{text[:20]}”中的日期不应编虚位")
    report.add("成文日期", not problems, expected, found, "；".join(dict.fromkeys(problems)))


def _check_subject_terms(report: CheckReport, doc: _Docx, paras: list[_Para], edition: str) -> None:
    """GB/T 9704-1999 documents carry a 主题词 line in the 版记; GB/T 9704-2012 dropped it."""
    subject = _subject_text(doc)
    dated = any(not p.in_table and _DATE_LINE.match(p.text) for p in paras)
    if edition == "1999":
        if not dated and not subject:
            report.add("主题词", True, "版记中标注主题词", "无成文日期", "无成文日期，不要求主题词（不适用）")
            return
        report.add("主题词", bool(subject), "版记中标注主题词", subject or "无",
                   "" if subject else "GB/T 9704-1999 格式的公文应在版记中标注主题词")
    else:
        report.add("主题词", not subject, "不标注主题词", subject or "无",
                   "" if not subject else f"GB/T 9704-2012 已不标注主题词，却有“{subject}”")


def _check_fill_in(report: CheckReport, doc: _Docx) -> None:
    """Fill-in instructions left in the document (the 待填写 style, or text like （写明做法…）, 第　期)."""
    from .text import placeholders

    fill_ids = {sid for sid, st in doc.style_by_id.items()
                if st.get(_w("type")) == "character" and (st.find("w:name", NS) is not None
                                                          and st.find("w:name", NS).get(_w("val")) == "待填写")}
    body = doc.document.find("w:body", NS)
    found: list[str] = []
    for p in body.iter(_w("p")):
        if next(p.iterdescendants(_w("p")), None) is not None:
            continue
        text = "".join(t.text or "" for t in p.iter(_w("t")))
        styled = ["".join(t.text or "" for t in r.iter(_w("t"))) for r in p.iter(_w("r"))
                  if r.find("w:rPr/w:rStyle", NS) is not None and r.find("w:rPr/w:rStyle", NS).get(_w("val")) in fill_ids]
        found.extend(dict.fromkeys([*styled, *placeholders(text)]))
    found = list(dict.fromkeys(f.strip() for f in found if f.strip()))
    report.add("待填写内容", not found, "无", f"{len(found)}处" if found else "无",
               "" if not found else f"有{len(found)}处待填写的内容，如“{found[0][:24]}”")


def _check_punctuation(report: CheckReport, paras: Iterable[_Para]) -> None:
    hits = []
    for p in paras:
        for m in _HALF_PUNCT.finditer(p.text):
            start = max(0, m.start() - 6)
            hits.append(p.text[start : m.end() + 6].strip())
    passed = not hits
    found = f"{len(hits)}处半角标点" if hits else "无"
    report.add("标点", passed, "中文中使用全角标点（，：；（）？！）", found,
               "" if passed else f"中文中有{len(hits)}处半角标点，如“{hits[0]}”")


def _check_language(report: CheckReport, doc: _Docx) -> None:
    theme_lang = doc.theme_font_lang()
    problems = []
    if theme_lang and theme_lang != "zh-CN":
        problems.append(f"主题字体语言为 {theme_lang}，中文可能回退为该语言的字体")
    if doc.lang and doc.lang not in ("zh-CN", "zh-SG"):
        problems.append(f"默认东亚语言为 {doc.lang}")
    found = f"东亚语言 {doc.lang or '未设置'}，主题 {theme_lang or '未设置'}"
    report.add("东亚语言", not problems, "zh-CN", found, "；".join(problems))
