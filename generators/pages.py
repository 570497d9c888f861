"""The printed pages, as a filing clerk sees them: LibreOffice lays a .docx out, poppler reads the PDF back.

``kb check --pages`` adds these items to the format check:

* 空白页 — a page with nothing but (at most) its page number;
* 署名页无正文 — a page holding only the 署名 and 成文日期 (and the 附件说明), without 正文 (GB/T 9704
  wants line spacing adjusted so the 署名 stands with body text; see :mod:`.closing`);
* 页面内容过少 — a page holding two lines or fewer (a widow line of a note, "填表日期" alone);
* 表格前页面过空 — a page filled less than a third, the next page starting with a table (a table kept whole
  and moved on, leaving the title and its intro alone on the page);
* 标点显示 — punctuation in the .docx that the PDF does not show (marks hung at the line end);
* 页码位置 — "— N —" on the right of odd portrait pages and on the left of even ones; on a landscape
  page, where the portrait pages have it once the sheet is turned back (GB/T 9704-2012 §8): written
  top to bottom along the landscape view's left edge (the portrait foot), at its bottom on odd pages
  and at its top on even pages (see ``docx_render._landscape_footer_xml`` for the geometry);
* 版记位置 — the 版记 closes its document: nothing under it on its (portrait) page;
* 表格折行 — a name, date, number or short header word of a table cell broken across lines
  ("许光/华", "学/时"; the pieces are defined in :mod:`.unbreakable`);
* 行数和字数 — lines per portrait page (at most 22, or as many as a tightened pitch allows on the page
  :mod:`.closing` tightened) and characters per body line (at most 28);
* 字体 — the official fonts installed, or drawn with a Simplified Chinese substitute (not Noto CJK JP).

Needs LibreOffice (``soffice``) and poppler (``pdftotext``); :func:`available`
says whether both are installed.  Several files are converted in one soffice
run (:func:`check_pages_many`), with a private LibreOffice profile, so a
check may run beside a LibreOffice the user has open.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..kb.errors import InputError

MARKS = "，。、；：？！"
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TABLE_TEXT = (13.0, 17.0)  #: points: the height pdftotext gives a word of 12 pt table text (小四号)
BATCH = 100  #: files per LibreOffice run
SIDE_MARGIN = 90.0  #: points: text ending left of this on a landscape page stands in its left margin
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]")  #: spaces and zero-width marks: not printed
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_PAGE_NUMBER = re.compile(r"^[—－-]\s*(\d+)\s*[—－-]$")
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


@dataclass
class Line:
    """One printed line: its text and where it sits (points from the page's top-left corner)."""

    text: str
    x0: float
    y0: float
    x1: float
    height: float


@dataclass
class Page:
    """One printed page: size in points and its lines, top to bottom."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    #: on a landscape page, the text standing in the left margin read top to bottom (the turned page number)
    side: Line | None = None

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def page_number_line(self) -> Line | None:
        """The "— N —" line of the page, if any: at its foot, or turned in the left margin of a landscape page."""
        if self.side is not None and _PAGE_NUMBER.match(self.side.text.replace(" ", "")):
            return self.side
        for line in reversed(self.lines):
            if _PAGE_NUMBER.match(line.text.replace(" ", "")):
                return line
        return None

    def content_lines(self) -> list[Line]:
        """Every line except the page number."""
        number = self.page_number_line()
        return [line for line in self.lines if line is not number]


def available() -> bool:
    """True when LibreOffice (soffice) and poppler (pdftotext) are both installed."""
    return bool(_soffice() and shutil.which("pdftotext"))


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(paths: list[Path], folder: Path, timeout: float = 900) -> dict[Path, Path]:
    """Convert ``paths`` to PDF in ``folder`` in one LibreOffice run; return each .docx's PDF."""
    soffice = _soffice()
    if not soffice or not shutil.which("pdftotext"):
        raise InputError("检查排版后的页面需要 LibreOffice（soffice）和 poppler（pdftotext）：请先安装")
    profile = (folder / "lo-profile").resolve().as_uri()

    def convert(batch: list[Path]) -> None:
        try:
            subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                            "--outdir", str(folder), *map(str, batch)], capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise InputError(f"LibreOffice 转换超时（{timeout:g} 秒）") from None

    # One soffice run silently stops after about 250 files (LibreOffice 7.4, exit status 0): convert in
    # batches, then once more whatever a run left out.
    for start in range(0, len(paths), BATCH):
        convert(paths[start:start + BATCH])
    missing = [path for path in paths if not (folder / f"{path.stem}.pdf").is_file()]
    if missing:
        convert(missing)
    result = {}
    for path in paths:
        pdf = folder / f"{path.stem}.pdf"
        if not pdf.is_file():
            raise InputError(f"LibreOffice 无法打开 {path}，不能检查页面")
        result[path] = pdf
    return result


def read_pages(pdf: Path) -> list[Page]:
    """Return the pages of ``pdf`` with their lines (words on one baseline joined)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          errors="replace").stdout
    pages = []
    for number, (width, height, body) in enumerate(_PAGE.findall(html), 1):
        page = Page(number, float(width), float(height))
        words = sorted((float(y0), float(x0), float(x1), float(y1) - float(y0), _unescape(text))
                       for x0, y0, x1, y1, text in _WORD.findall(body))
        if page.landscape:
            # The turned page number stands left of the text block (35 mm): one column of words, read downwards.
            side = [w for w in words if w[2] < SIDE_MARGIN]
            if side:
                words = [w for w in words if w[2] >= SIDE_MARGIN]
                top, bottom = side[0][0], max(w[0] + w[3] for w in side)
                page.side = Line("".join(w[4] for w in side), min(w[1] for w in side), top,
                                 max(w[2] for w in side), bottom - top)
        for y0, x0, x1, h, text in words:
            last = page.lines[-1] if page.lines else None
            if last is not None and abs(last.y0 - y0) < 3:
                gap = x0 - last.x1
                last.text += (" " if gap > 2 and not (_CJK.match(text[:1]) and _CJK.match(last.text[-1:])) else "") + text
                last.x1 = max(last.x1, x1)
                last.x0 = min(last.x0, x0)
            else:
                page.lines.append(Line(text, x0, y0, x1, h))
        for line in page.lines:  # words of one line may come out of order horizontally
            line.text = line.text.strip()
        pages.append(page)
    return pages


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def docx_marks(path: Path) -> Counter:
    """Count the punctuation marks of the text the .docx prints (a VML fallback copy is not printed)."""
    try:
        xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return Counter()
    xml = re.sub(r"<mc:Fallback>.*?</mc:Fallback>", "", xml, flags=re.S)
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    return Counter(c for c in text if c in MARKS)


def docx_cells(path: Path) -> list[tuple[str, bool]]:
    """The text of every table cell of the .docx (paragraphs joined by newlines), and whether it is a header."""
    try:
        xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return []
    xml = re.sub(r"<mc:Fallback>.*?</mc:Fallback>", "", xml, flags=re.S)
    cells = []
    for row in re.findall(r"<w:tr[ >].*?</w:tr>", xml, flags=re.S):
        header = "<w:tblHeader/>" in row or '<w:tblHeader w:val="1"/>' in row
        for cell in re.findall(r"<w:tc>.*?</w:tc>", row, flags=re.S):
            paragraphs = re.findall(r"<w:p[ >].*?</w:p>", cell, flags=re.S)
            text = "\n".join(_unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para)))
                             for para in paragraphs)
            cells.append((text, header))
    return cells


def broken_pieces(path: Path, pages: list[Page]) -> list[str]:
    """Pieces of table cells (names, dates, numbers, short headers) that no printed table line holds whole."""
    from .unbreakable import pieces

    wanted: Counter = Counter()
    for text, header in docx_cells(path):
        wanted.update(_INVISIBLE.sub("", piece) for piece in pieces(text, header))
    # A piece printed whole fewer times than the cells hold it was broken somewhere.  (A repeated header
    # row or the same words inside longer text only add whole copies: a break may hide, never be invented.)
    printed = "\n".join(_INVISIBLE.sub("", line.text) for page in pages for line in page.lines
                         if TABLE_TEXT[0] <= line.height <= TABLE_TEXT[1])
    return [piece for piece, count in wanted.items() if len(piece) >= 2 and printed.count(piece) < count]


@dataclass
class PageFinding:
    """One item of the page check."""

    name: str
    passed: bool
    expected: str
    found: str
    message: str = ""


def page_findings(path: Path, pages: list[Page]) -> list[PageFinding]:
    """Return the page check items for the .docx at ``path`` laid out as ``pages``."""
    out: list[PageFinding] = []
    n = len(pages)
    blank = [p.number for p in pages if not p.content_lines()]
    out.append(PageFinding("空白页", not blank, "无", f"第{'、'.join(map(str, blank))}页为空白页" if blank else "无",
                           "" if not blank else f"第{'、'.join(map(str, blank))}页只有页码或什么也没有"))
    # A page holding only the 版记 is how GB/T 9704 prints it when the body fills the page before.
    thin = [p for p in pages if p.content_lines() and len(p.content_lines()) <= 2 and n > 1
            and not all(_is_end_block_line(line.text) for line in p.content_lines())]
    found = "；".join(f"第{p.number}页只有“{'／'.join(line.text[:12] for line in p.content_lines())}”" for p in thin)
    out.append(PageFinding("页面内容过少", not thin, "每页多于两行", found or "无"))
    short = _short_before_table(pages)
    found = "、".join(f"第{n}页（约{fill:.0%}）" for n, fill in short)
    out.append(PageFinding("表格前页面过空", not short, f"表格前的页面至少排满{SHORT_PAGE:.0%}",
                           f"{found}内容过少，下一页从表格开始" if short else "无",
                           f"{found}只有标题和几行文字，表格整个移到了下一页：应让表格接在文字之后、跨页续表"
                           if short else ""))
    alone = [p.number for p in pages if _closing_alone(p)]
    found = "、".join(map(str, alone))
    out.append(PageFinding("署名页无正文", not alone, "署名、成文日期与正文同页",
                           f"第{found}页只有附件说明、署名和成文日期" if alone else "无",
                           f"第{found}页只有附件说明、署名和成文日期，没有正文：应调整行距或让正文末几行随署名移到该页"
                           if alone else ""))
    printed = Counter()
    for page in pages:
        for line in page.lines:
            printed.update(c for c in line.text if c in MARKS)
    lost = {m: k - printed[m] for m, k in docx_marks(path).items() if k > printed[m]}
    lost_text = "、".join(f"“{m}”{k}个" for m, k in lost.items())
    out.append(PageFinding("标点显示", not lost, "文件中的标点都印在页面上", lost_text or "全部显示",
                           f"页面上少了标点：{lost_text}" if lost else ""))
    wrong = []
    footed = []  # landscape pages numbered at the foot of the landscape view
    for page in pages:
        line = page.page_number_line()
        if line is None:
            continue
        odd = page.number % 2 == 1
        if page.landscape:
            # Turned with the sheet: in the left margin, read downwards; odd pages at the bottom, even at the top.
            if line is not page.side:
                footed.append(page.number)
                continue
            low = line.y0 + line.height / 2 > page.height / 2
            if low != odd:
                wrong.append(f"第{page.number}页（横向）页码在左{'下' if low else '上'}角")
            continue
        right = (line.x0 + line.x1) / 2 > page.width / 2
        if right != odd:
            wrong.append(f"第{page.number}页页码在{'右' if right else '左'}侧")
    if footed:
        wrong.insert(0, f"第{_ranges(footed)}页（横向）页码在横向页面下方，应竖排于左侧（纵向页的页脚一侧）")
    out.append(PageFinding("页码位置", not wrong, "单页居右、双页居左；横向页竖排于左侧（单页左下、双页左上）",
                           "；".join(wrong) or "正确"))
    # The 版记 closes its document: nothing but the page number under it on its page, and the page
    # portrait; after it only a new document may follow (a combined kit), never more of the same one.
    end_pages = [p for p in pages if any(_is_end_block_line(line.text) for line in p.lines)]
    problems = []
    for page in end_pages:
        lines = page.content_lines()
        first = next(i for i, line in enumerate(lines) if _is_end_block_line(line.text))
        # 版记 lines are 4号 (14 pt, lower than the 3号 body): a long 抄送 or 报/送 wraps onto another 4号 line
        after = [line.text for line in lines[first:] if not _is_end_block_line(line.text)
                 and not re.match(r"^(报|送|发)[：:]", line.text.replace(" ", "")) and line.height >= BODY_MIN_HEIGHT]
        if after:
            problems.append(f"第{page.number}页版记之后还有“{after[0][:10]}”")
        if page.landscape:
            problems.append(f"第{page.number}页版记在横向页上")
    out.append(PageFinding("版记位置", not problems, "文件最后一页（纵向）页面底部",
                           "；".join(problems) or ("第" + "、".join(str(p.number) for p in end_pages) + "页"
                                                  if end_pages else "无版记")))
    broken = broken_pieces(path, pages)
    shown = "、".join(f"“{piece}”" for piece in broken[:5]) + ("等" if len(broken) > 5 else "")
    out.append(PageFinding("表格折行", not broken, "表格中的姓名、日期、数字和短表头不折行",
                           f"{shown}被折成两行" if broken else "无",
                           f"表格中{shown}被折成两行：请加宽该列或改用横向页面" if broken else ""))
    most_lines = 0
    most_chars = 0
    over = []
    for page in pages:
        if page.landscape:
            continue
        body = [line for line in page.content_lines() if BODY_MIN_HEIGHT <= line.height <= 24]
        most_lines = max(most_lines, len(body))
        for line in body:
            chars = sum(1 for c in line.text if _CJK.match(c)) + sum(0.5 for c in line.text if c.isascii() and c != " ")
            most_chars = max(most_chars, chars)
            if chars > CHARS_PER_LINE + 0.5:
                over.append(f"第{page.number}页“{line.text[:10]}…”{chars:g}字")
        if len(body) > _lines_allowed(body):
            over.append(f"第{page.number}页{len(body)}行")
    out.append(PageFinding("行数和字数", not over, f"每页不超过{LINES_PER_PAGE}行、每行不超过{CHARS_PER_LINE}字",
                           "；".join(over[:3]) or f"每页最多{most_lines}行，每行最多{most_chars:g}字"))
    for item in out:
        if not item.message:
            item.message = f"{item.name}：{item.found}" if item.passed else f"{item.name}应为{item.expected}，实际{item.found}"
    return out


#: Lowest line height (pt) of 3号 body text as LibreOffice lays it out (about 20.8); 4号 lines (版记, page numbers)
#: are about 18.2 and are not held to the 28-character grid.
BODY_MIN_HEIGHT = 19


TEXT_HEIGHT = 637.8  #: points: the height of the portrait text block (225 mm)
PITCH = 28.95  #: points: the line pitch of a 22-line page


SHORT_PAGE = 1 / 3  #: a page filled less than this, followed by a page that starts with a table, is reported
TOP_MARGIN = (104.9, 79.4)  #: points: where the text block starts on a portrait and on a landscape page
TEXT_HEIGHTS = (637.8, 442.3)  #: points: the height of the text block of a portrait and of a landscape page


def _short_before_table(pages: list[Page]) -> list[tuple[int, float]]:
    """Pages filled less than SHORT_PAGE whose next page starts with table text (a table moved whole to the next
    page, leaving the title and a few lines alone): (page number, how full)."""
    out = []
    for page, after in zip(pages, pages[1:]):
        lines, following = page.content_lines(), after.content_lines()
        if not lines or not following:
            continue
        first = following[0]
        if not (TABLE_TEXT[0] <= first.height <= TABLE_TEXT[1]):
            continue
        top, height = TOP_MARGIN[page.landscape], TEXT_HEIGHTS[page.landscape]
        fill = (max(line.y0 + line.height for line in lines) - top) / height
        if fill < SHORT_PAGE:
            out.append((page.number, max(fill, 0.0)))
    return out


def _lines_allowed(body: list[Line]) -> int:
    """22 lines; more on a page whose line pitch was tightened to keep the 署名 with 正文 (see :mod:`.closing`)."""
    gaps = sorted(b.y0 - a.y0 for a, b in zip(body, body[1:]) if 0 < b.y0 - a.y0 < PITCH + 1)
    if not gaps:
        return LINES_PER_PAGE
    pitch = gaps[len(gaps) // 2]
    return LINES_PER_PAGE if pitch >= PITCH - 0.5 else max(LINES_PER_PAGE, int(TEXT_HEIGHT / pitch + 0.01))


def _ranges(numbers: list[int]) -> str:
    """"1–3、5" for [1, 2, 3, 5]."""
    out: list[str] = []
    for n in numbers:
        if out and n == int(out[-1].split("–")[-1]) + 1:
            out[-1] = f"{out[-1].split('–')[0]}–{n}"
        else:
            out.append(str(n))
    return "、".join(out)


#: points: the left edge of the portrait text block (28 mm); a line starting less than 3 characters right of it
#: is body text (a first line indented 2 characters, or a full line), unless it is the 附件说明
TEXT_LEFT = 79.35
_DATE = re.compile(r"^(\d{4}|[〇○零一二三四五六七八九]{4})年[\d〇○零一二三四五六七八九十]{1,3}月[\d〇○零一二三四五六七八九十]{1,3}日$")


def _closing_alone(page: Page) -> bool:
    """True when the page holds a 署名 and 成文日期 (and the 附件说明) but no 正文 before them.

    GB/T 9704 does not allow such a page ("此页无正文" is not the remedy): the 署名 stands with body text.
    """
    if page.landscape:
        return False
    lines = page.content_lines()
    dates = [i for i, line in enumerate(lines) if _DATE.match(line.text.replace(" ", ""))
             and line.x0 > TEXT_LEFT + 3 * 16]
    if not dates:
        return False
    before = lines[:dates[0]]
    in_note = False
    for line in before:
        text = line.text.replace(" ", "")
        if text.startswith("附件"):
            in_note = True
            continue
        if line.x0 < TEXT_LEFT + 3 * 16 - 1:
            return False  # a body line
        if not in_note and line.x0 < page.width / 3:
            return False  # an indented line that is not a 署名 (a 署名 stands right of the middle)
    return True


def _is_end_block_line(text: str) -> bool:
    text = text.replace(" ", "")
    return bool(re.match(r"^(抄报|抄送|主题词)[：:]", text)) or (text.endswith("印发") and len(text) > 4)


def check_pages_many(paths: list[str | Path]) -> dict[Path, list[PageFinding]]:
    """Lay every file out with LibreOffice (one run) and return each file's page check items."""
    files = [Path(p) for p in paths]
    with tempfile.TemporaryDirectory(prefix="dangjian-pages-") as tmp:
        folder = Path(tmp)
        # Copies with distinct names: two inputs with one stem would write one PDF.
        copies = {}
        for i, path in enumerate(files):
            copy = folder / f"{i:04d}.docx"
            shutil.copyfile(path, copy)
            copies[copy] = path
        pdfs = to_pdf(list(copies), folder)
        from .fonts import font_finding

        passed, found, message = font_finding()
        fonts = PageFinding("字体", passed, "正式字体或简体中文替代字体", found, message)
        return {copies[copy]: [*page_findings(copy, read_pages(pdf)), fonts] for copy, pdf in pdfs.items()}
