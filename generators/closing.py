"""The closing block (附件说明, 署名, 成文日期) never stands on a page without 正文.

GB/T 9704-1999 forbids "此页无正文" and asks instead that line and character
spacing be adjusted so the 署名 (and the seal, GB/T 9704-2012 §7.3.5) stays on
a page with body text.  The renderer cannot ask a layout engine where its
pages break (LibreOffice is not there at generation time in general), so this
module *estimates* the layout from what the renderer wrote: the 版头's
heights, the title's lines (already broken by :func:`.titles`), body lines
of 28 characters, blank lines, and the closing block's own lines.

When the estimate says the closing block (which is kept together) will not fit
on the page the body ends on, :func:`fit_closing`

1. tightens the line pitch of that page's 3号 lines (exact spacing, never below
   :data:`MIN_PITCH`, 26 pt, against the normal 28.95 pt of a 22-line page), or,
   when that is not enough,
2. splits the last body paragraph at its last sentence end: the last sentence
   becomes a paragraph of its own that goes with the closing block, so the next
   page starts with 正文 and nothing is broken mid-sentence (a one-sentence
   paragraph moves whole).

The estimate works on the paragraph XML the renderer built (``ppr``/``runs``
strings); a table before the closing block makes it give up (its height is not
known), and the renderer's usual keep-together rules apply alone.
"""

from __future__ import annotations

import re
from typing import Protocol

from .unbreakable import printed_width

PAGE = 12756  #: twips: the height of the text block (297 mm less the 37 mm and 35 mm margins)
PITCH = 579  #: twips: the normal line pitch, 22 lines on a page (28.95 pt)
MIN_PITCH = 520  #: twips: the tightest pitch used to keep the 署名 with 正文 (26 pt)
SLACK = 120  #: twips: room left for the estimate's error (about 6 pt)
LINE_CHARS = 28
MARK_LINE = 1.44  #: height of an auto-spaced line of the 发文机关标志, in ems of its size
HANGING = set("，。、；：？！")  #: marks that hang at the line end (``w:overflowPunct``)
OPENING = set("（《“‘〔【")  #: marks that never end a line


class Para(Protocol):
    ppr: str
    runs: str

    def keep_with_next(self) -> None: ...


def _text(runs: str) -> str:
    runs = re.sub(r"<w:br/>", "\n", runs)
    runs = re.sub(r"<w:tab/>", " ", runs)
    return re.sub(r"<[^>]+>", "", runs).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def _chars(ppr: str, name: str) -> float:
    m = re.search(rf'w:{name}Chars="(-?\d+)"', ppr)
    return int(m.group(1)) / 100 if m else 0.0


def _style(ppr: str) -> str:
    m = re.search(r'<w:pStyle w:val="(\w+)"/>', ppr)
    return m.group(1) if m else ""


def _pitch(ppr: str) -> int | None:
    """The paragraph's own exact line pitch, or None for the normal one."""
    m = re.search(r'<w:spacing[^>]*w:line="(\d+)"[^>]*w:lineRule="exact"', ppr)
    return int(m.group(1)) if m else None


def break_lines(text: str, first_room: float, room: float) -> list[str]:
    """Lay ``text`` out in lines as the renderer's settings do: ``room`` characters a line (``first_room`` on
    the first), a mark hanging past the end, an opening mark moved to the next line."""
    lines: list[str] = []
    line, width = "", 0.0
    limit = first_room
    for ch in text:
        w = printed_width(line + ch) - width if line else printed_width(ch)
        if line and width + w > limit + 1e-6 and not (ch in HANGING and line[-1:] not in HANGING):
            carry = ""
            while line and line[-1] in OPENING:
                carry = line[-1] + carry
                line = line[:-1]
            lines.append(line)
            line, limit = carry, room
            width = printed_width(line)
            w = printed_width(line + ch) - width if line else printed_width(ch)
        line += ch
        width += w
    lines.append(line)
    return lines


def paragraph_lines(para: Para) -> list[str] | None:
    """The lines a body paragraph prints (text per line), or None when it is not a plain body paragraph."""
    style = _style(para.ppr)
    if style not in ("BodyText", "NoIndent", ""):
        return None
    room = LINE_CHARS - _chars(para.ppr, "left") - _chars(para.ppr, "right")
    first = 2.0 if style == "BodyText" and "w:firstLine" not in para.ppr and "w:hanging" not in para.ppr else \
        _chars(para.ppr, "firstLine") - _chars(para.ppr, "hanging")
    out: list[str] = []
    for segment in _text(para.runs).split("\n"):
        out.extend(break_lines(segment, room - first, room))
    return out


def _measure(para: Para | str) -> tuple[int, int, int, bool] | None:
    """(height before the lines, lines, pitch, tightenable) of one item, in twips; None when unknown (a table)."""
    if isinstance(para, str):
        return None
    style = _style(para.ppr)
    extra = 0
    m = re.search(r'w:before="(\d+)"', para.ppr)
    if m:
        extra += int(m.group(1))
    m = re.search(r'<w:bottom w:val="single" w:sz="(\d+)" w:space="(\d+)"', para.ppr)
    if m:
        extra += int(m.group(2)) * 20 + int(m.group(1)) * 20 // 8
    if style == "RedMark" or 'w:lineRule="auto"' in para.ppr:
        sizes = [int(s) for s in re.findall(r'<w:sz w:val="(\d+)"/>', para.runs)] or [32]
        lines = _text(para.runs).count("\n") + 1
        return extra, lines, int(max(sizes) / 2 * MARK_LINE * 20), False
    if style == "Title":
        return extra, _text(para.runs).count("\n") + 1, _pitch(para.ppr) or PITCH, True
    if style not in ("BodyText", "NoIndent", "", "Heading1", "Heading2", "Heading3", "Heading4",
                     "AttachmentLabel"):
        return None
    if style.startswith("Heading"):
        para_lines = break_lines(_text(para.runs), LINE_CHARS - 2, LINE_CHARS)
    else:
        para_lines = paragraph_lines(para) or [""]
    border = bool(re.search(r"<w:pBdr>", para.ppr))
    return extra, len(para_lines), _pitch(para.ppr) or PITCH, not border


def _new_page(para: Para | str) -> bool:
    return not isinstance(para, str) and ("<w:pageBreakBefore/>" in para.ppr or 'w:type="page"' in para.runs)


def fit_closing(items: list, start: int, body_end: int, end: int) -> str:
    """Keep the closing block ``items[body_end:end]`` on a page with 正文 (see the module's docstring).

    ``items[start:body_end]`` is the document from its first page on.  Return what was done:
    "" (it fits, or the layout is unknown), "tightened" or "split".
    """
    measured = [_measure(item) for item in items[start:end]]
    if any(m is None for m in measured) or any(_new_page(item) for item in items[body_end:end]):
        return ""
    # Where the body ends: lines flow from page to page (widow control is off).
    y, page_first = 0, (start, 0)  # page_first: (item, line) starting the last page
    for offset, item in enumerate(items[start:body_end]):
        extra, lines, pitch, _ = measured[offset]
        if _new_page(item):
            y, page_first = 0, (start + offset, 0)
        if y and y + extra + pitch > PAGE:
            y, page_first = 0, (start + offset, 0)
        y += extra
        for line in range(lines):
            if y + pitch > PAGE:
                y, page_first = 0, (start + offset, line)
            y += pitch
    block = sum(extra + lines * pitch for extra, lines, pitch, _ in measured[body_end - start:])
    if y + block <= PAGE - SLACK:
        return ""
    # 1. Tighten the 3号 lines of the last page.
    fixed, flexible = 0, 0
    at, from_line = page_first
    for index in range(at, end):
        extra, lines, pitch, tight = measured[index - start]
        if index == at:
            lines -= from_line
        fixed += extra
        if tight and pitch == PITCH:
            flexible += lines
        else:
            fixed += lines * pitch
    if flexible:
        new = (PAGE - SLACK - fixed) // flexible
        if new >= MIN_PITCH:
            for index in range(at, end):
                if measured[index - start][3] and measured[index - start][2] == PITCH:
                    _set_pitch(items[index], int(min(new, PITCH)))
            return "tightened"
    # 2. The last body paragraph's last sentence becomes a paragraph of its own that goes with the closing
    # block: the next page starts with 正文, and the split is at a sentence end, so it reads as two paragraphs
    # and survives editing.
    last = items[body_end - 1]
    lines = paragraph_lines(last) if not isinstance(last, str) else None
    if lines is None or 'w:rStyle' in last.runs or "<w:br/>" in last.runs or last.runs.count("<w:r>") != 1:
        if not isinstance(last, str):
            last.keep_with_next()  # not a plain paragraph: it moves whole
        return "split"
    text = "".join(lines)
    cut = _sentence_cut(text)
    if cut is None:
        last.keep_with_next()  # one sentence: the paragraph moves whole
        return "split"
    rpr = re.search(r"<w:rPr>.*?</w:rPr>", last.runs).group(0)
    from xml.sax.saxutils import escape

    def run(part: str) -> str:
        return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(part)}</w:t></w:r>'

    tail = type(last)(last.ppr, run(text[cut:]))
    tail.keep_with_next()
    last.runs = run(text[:cut])
    items.insert(body_end, tail)
    return "split"


def _sentence_cut(text: str) -> int | None:
    """Where to split a paragraph so that its last sentence starts a paragraph: the index after the last
    sentence end (。！？, with a closing quote or bracket that follows it) before the text's own end; None
    for a single sentence."""
    ends = [m.end() for m in re.finditer(r"[。！？][”’）」]*", text) if m.end() < len(text)]
    return ends[-1] if ends else None


def _set_pitch(para: Para, pitch: int) -> None:
    """Give ``para`` an exact line pitch of ``pitch`` twips, off the document grid (schema order kept)."""
    spacing = f'<w:snapToGrid w:val="0"/><w:spacing w:line="{pitch}" w:lineRule="exact"/>'
    ppr = re.sub(r'<w:snapToGrid w:val="\d"/>', "", para.ppr)
    ppr = re.sub(r"<w:spacing [^>]*/>", "", ppr)
    m = re.search(r"<w:(ind|contextualSpacing|mirrorIndents|jc|rPr)\b", ppr)
    para.ppr = ppr[:m.start()] + spacing + ppr[m.start():] if m else ppr + spacing
