"""Text normalization on the way out, so every document follows GB/T 9704 typing rules.

* half-width ``, : ; ( ) ? !`` next to Chinese text become full-width, and
  straight quotes around Chinese text become “ ” and ‘ ’;
* document numbers get 〔〕 and lose 第 and zero padding: ``[2005]012号`` → ``〔2005〕12号``;
* zero-padded dates lose the padding: ``2005年07月01日`` → ``2005年7月1日``;
* spaces typed between Chinese and digits/Latin letters are removed (Word adds that space itself);
* control characters are removed (they are not allowed in XML).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re

from ..kb.errors import InputError

# CJK ideographs, CJK punctuation and full-width forms.
CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_CHAR = re.compile(f"[{CJK}]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
_HALF_NEXT_TO_CJK = re.compile(rf"(?<=[{CJK}])\s*([,:;?!)])|([,:;?!(])\s*(?=[{CJK}])")
_PAREN_PAIR = re.compile(r"\(([^()\n]*)\)")
_DOUBLE_QUOTES = re.compile(r'"([^"\n]*)"')
_SINGLE_QUOTES = re.compile(r"(?<![A-Za-z])'([^'\n]*)'")
_SPACE_CJK_ALNUM = re.compile(rf"(?<=[{CJK}])[ \t]+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])[ \t]+(?=[{CJK}])")
_DOC_NUMBER = re.compile(r"[\[［（(【〔]\s*(\d{4})\s*[\]］）)】〕]\s*第?\s*0*(\d+)\s*号")
_PADDED_DATE = re.compile(r"(\d{4})\s*年\s*0*(\d{1,2})\s*月(?:\s*0*(\d{1,2})\s*日)?")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


#: A fill-in instruction left for the user: "（写明做法…）", "（标题）", "（议定事项一…）", "（待填）", a blank "第　期",
#: a blank figure "＿＿名" (a draft 小结's results not yet given).
#: (An instruction starts with what to write; a note that mentions 写明 further on is part of the form.)
PLACEHOLDER = re.compile(r"（[^（），\n]{0,12}?(?:写明|填写)[^（）\n]*）|（(?:此处|议定事项|正文)[^（）\n]*）|（标题）|（待填）"
                         r"|第[\s\u3000]+期|＿{2,}(?=[名次篇条个份]|人次)")


def placeholders(text: str) -> list[str]:
    """Return the fill-in instructions in ``text`` (see :data:`PLACEHOLDER`)."""
    return [m.group(0) for m in PLACEHOLDER.finditer(text or "")]


def remove_control(text: str) -> str:
    """Return ``text`` without characters XML cannot hold (tabs and newlines are kept)."""
    return _CONTROL.sub("", text)


def has_cjk(text: str) -> bool:
    """True when ``text`` contains a Chinese character or full-width punctuation."""
    return bool(_CJK_CHAR.search(text))


def full_width_punctuation(text: str) -> str:
    """Return ``text`` with half-width , : ; ( ) ? ! next to Chinese text made full-width.

    Straight quotes around Chinese text become “ ” and ‘ ’.
    """

    def pair(match: re.Match) -> str:
        inner = match.group(1)
        start, end = match.span()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if has_cjk(inner) or has_cjk(before) or has_cjk(after):
            return f"（{inner}）"
        return match.group(0)

    text = _PAREN_PAIR.sub(pair, text)
    text = _DOUBLE_QUOTES.sub(lambda m: f"“{m.group(1)}”" if has_cjk(m.group(1)) else m.group(0), text)
    text = _SINGLE_QUOTES.sub(lambda m: f"‘{m.group(1)}’" if has_cjk(m.group(1)) else m.group(0), text)
    return _HALF_NEXT_TO_CJK.sub(lambda m: _FULL[m.group(1) or m.group(2)], text)


def document_number(text: str) -> str:
    """Return ``text`` with document numbers written 〔2005〕12号 (no 第, no zero padding)."""
    return _DOC_NUMBER.sub(lambda m: f"〔{m.group(1)}〕{int(m.group(2))}号", text)


def unpad_dates(text: str) -> str:
    """Return ``text`` with dates like 2005年07月01日 written 2005年7月1日."""

    def fix(m: re.Match) -> str:
        day = f"{int(m.group(3))}日" if m.group(3) else ""
        return f"{m.group(1)}年{int(m.group(2))}月{day}"

    return _PADDED_DATE.sub(fix, text)


def normalize(text: str) -> str:
    """Return ``text`` as it should be printed in an official document (see module doc)."""
    if not text:
        return text
    text = remove_control(text)
    text = document_number(text)
    text = unpad_dates(text)
    text = _SPACE_CJK_ALNUM.sub("", text)
    return full_width_punctuation(text)


def format_date(value: object, what: str = "日期") -> str:
    """Return a 成文日期 like 2005年7月1日 from a date, 2005-07-01, 2005/7/1 or 2005年07月01日.

    Chinese-numeral dates (二〇〇五年七月一日) are read too; the result is always
    in Arabic numerals (a GB/T 9704-1999 document prints it in Chinese numerals,
    see :mod:`dangjian.generators.standard`).  Raises InputError for text that
    is not a date.
    """
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    text = str(value).strip().translate(_FULLWIDTH_DIGITS)
    from .standard import date_of

    day = date_of(text) if not text[:1].isdigit() else None
    if day is not None:
        return f"{day.year}年{day.month}月{day.day}日"
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?", text)
    if not m:
        raise InputError(f"{what}“{value}”无法识别：请写成 2005年7月1日 或 2005-07-01")
    year, month, day = (int(g) for g in m.groups())
    try:
        _dt.date(year, month, day)
    except ValueError:
        raise InputError(f"{what}“{value}”不存在") from None
    return f"{year}年{month}月{day}日"


def display_width(text: str) -> float:
    """Return the width of ``text`` in Chinese characters (a half-width character counts ½)."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


_BREAK_AFTER = set("，、；：。！？）》”")
_BREAK_BEFORE = set("（《“")
#: Words that end an organization's name: a line break after them keeps the name whole.
_NAME_ENDS = ("委员会", "党委", "党工委", "党总支", "党支部", "公司", "集团", "社区", "街道")


def title_lines(title: str, max_width: float = 20.0) -> list[str]:
    """Break a long title into lines no wider than ``max_width`` characters, never inside a word.

    Lines are as even as the words allow, upper lines no shorter than lower
    ones (GB/T 9704 asks for a trapezoid or diamond); breaking after 的 or after
    punctuation is preferred.  Words come from the project's segmenter (rjieba
    with the domain dictionary, so 保持共产党员先进性 stays on one line).
    """
    title = title.strip()
    if display_width(title) <= max_width or len(title) < 4:
        return [title] if title else []
    tokens = _title_tokens(title)
    total = display_width(title)
    lines_needed = int(-(-total // max_width))
    best: tuple[float, list[str]] | None = None
    for count in (lines_needed, lines_needed + 1):
        candidate = _best_split(tokens, count, max_width, total, count - lines_needed)
        if candidate and (best is None or candidate[0] < best[0]):
            best = candidate
    if best is None:  # a single word longer than a line: break by characters
        step = int(max_width)
        return [title[i : i + step] for i in range(0, len(title), step)]
    return best[1]


@functools.lru_cache(maxsize=1)
def _title_segmenter():
    # A private segmenter with the domain dictionary, so that line breaks do not
    # depend on what else in the process changed the shared one.
    from ..kb.segment import load_segmenter

    return load_segmenter()


def _title_tokens(title: str) -> list[str]:
    tokens = [word for word, _, _ in _title_segmenter().cut(title)]
    merged: list[str] = []
    for token in tokens:
        # Keep opening brackets with what follows and closing punctuation with what precedes.
        if merged and (token[0] in _BREAK_AFTER or merged[-1][-1] in _BREAK_BEFORE):
            merged[-1] += token
        else:
            merged.append(token)
    return merged


def _best_split(tokens: list[str], count: int, max_width: float, total: float,
                extra_lines: int) -> tuple[float, list[str]] | None:
    widths = [display_width(t) for t in tokens]
    n = len(tokens)
    target = total / count
    # cost[i][k]: best cost of putting tokens[:i] on k lines; back-pointers in prev.
    inf = float("inf")
    cost = [[inf] * (count + 1) for _ in range(n + 1)]
    prev = [[-1] * (count + 1) for _ in range(n + 1)]
    last_width = [[0.0] * (count + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for k in range(1, count + 1):
        for i in range(1, n + 1):
            width = 0.0
            for j in range(i - 1, -1, -1):
                width += widths[j]
                if width > max_width:
                    break
                if cost[j][k - 1] == inf:
                    continue
                penalty = (width - target) ** 2
                if k > 1 and width > last_width[j][k - 1] + 0.01:
                    penalty += 4 + (width - last_width[j][k - 1]) * 2  # lower line longer than upper
                if i < n:
                    tail = tokens[i - 1]
                    if tail.endswith("的") or tail[-1] in _BREAK_AFTER or tail.endswith(_NAME_ENDS):
                        penalty -= 3
                    if tokens[i] in ("的", "和", "与", "及"):
                        penalty += 6
                    if tokens[i].startswith(_NAME_ENDS):
                        penalty += 80  # 有限责任|公司, 社区|委员会: a name split (worse than one more line)
                total_cost = cost[j][k - 1] + penalty
                if total_cost < cost[i][k]:
                    cost[i][k] = total_cost
                    prev[i][k] = j
                    last_width[i][k] = width
    if cost[n][count] == inf:
        return None
    lines: list[str] = []
    i = n
    for k in range(count, 0, -1):
        j = prev[i][k]
        lines.append("".join(tokens[j:i]))
        i = j
    lines.reverse()
    return cost[n][count] + extra_lines * 60, lines
