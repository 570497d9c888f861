"""The format standard a document follows: GB/T 9704-1999 (before 2012-07-01) or GB/T 9704-2012.

A document is written in the format in force on its 成文日期.  Documents dated
before 2012-07-01 followed GB/T 9704-1999 (and the party organs' format of the
time): the 成文日期 in Chinese numerals with 〇 (二〇〇五年七月六日) and a 主题词
line in the 版记.  GB/T 9704-2012 writes the date in Arabic numerals
(2005年7月6日) and has no 主题词.  Both put the 发文字号 under the red
发文机关标志 of the 版头.

>>> parse_standard("GB/T 9704-1999"), standard_for_date("2005年7月6日"), chinese_date("2005年7月6日")
('1999', '1999', '二〇〇五年七月六日')
"""

from __future__ import annotations

import datetime as _dt
import re

from ..kb.errors import InputError

STANDARDS = ("1999", "2012")
#: The day GB/T 9704-2012 came into force.
CUTOVER = _dt.date(2012, 7, 1)
TITLES = {"1999": "GB/T 9704-1999", "2012": "GB/T 9704-2012"}

_DIGITS = "〇一二三四五六七八九"
_ARABIC_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_CN_DATE = re.compile(r"^\s*([〇零○一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                      r"\s*([一二三四五六七八九十]{1,3})\s*日\s*$")
#: 文种 (document kinds) a title ends with, for the default 主题词.
_KINDS = ("实施方案", "整改方案", "方案", "通知", "通报", "报告", "请示", "意见", "决定", "纪要", "计划", "总结",
          "批复", "函", "规定", "办法", "要求", "简报")
#: Subject words a title may carry (the 类属词 of the 主题词).
_TOPICS = ("先进性教育", "组织生活会", "民主生活会", "民主评议", "整改", "学习", "动员", "备案", "总结", "评议")


def parse_standard(value: object) -> str:
    """Return "1999" or "2012" for ``value`` (1999, "2012", "GB/T 9704-1999", "99"…); "" for empty.

    Raises InputError for anything else.
    """
    if value is None:
        return ""
    text = str(value).strip().upper().replace(" ", "")
    if not text:
        return ""
    for standard in STANDARDS:
        if text in (standard, standard[2:], TITLES[standard].replace(" ", ""), f"9704-{standard}"):
            return standard
    raise InputError(f"格式标准“{value}”无法识别：请写 1999 或 2012（GB/T 9704-1999 或 GB/T 9704-2012）")


def date_of(text: str) -> _dt.date | None:
    """Return the date written in ``text`` (2005年7月6日 or 二〇〇五年七月六日), or None."""
    m = _ARABIC_DATE.match(text or "")
    if m:
        numbers = [int(g) for g in m.groups()]
    else:
        m = _CN_DATE.match(text or "")
        if not m:
            return None
        year = int("".join(str(_DIGITS.index(c.replace("零", "〇").replace("○", "〇"))) for c in m.group(1)))
        numbers = [year, _small_number(m.group(2)), _small_number(m.group(3))]
    try:
        return _dt.date(*numbers)
    except ValueError:
        return None


def standard_for_date(text: str) -> str:
    """Return the standard in force on the date in ``text``; "" when ``text`` holds no date."""
    day = date_of(text)
    if day is None:
        return ""
    return "1999" if day < CUTOVER else "2012"


def chinese_date(text: str) -> str:
    """Return the date in ``text`` written in Chinese numerals with 〇 (二〇〇五年七月六日); other text as is."""
    day = date_of(text)
    if day is None:
        return text
    year = "".join(_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{chinese_small_number(day.month)}月{chinese_small_number(day.day)}日"


def is_chinese_date(text: str) -> bool:
    """True for a date written in Chinese numerals with 〇 (二〇〇五年七月六日), as GB/T 9704-1999 asks."""
    m = _CN_DATE.match(text or "")
    return bool(m) and "零" not in m.group(1) and "○" not in m.group(1) and date_of(text) is not None


def chinese_small_number(n: int) -> str:
    """Return 1–31 in Chinese numerals: 1 → 一, 10 → 十, 12 → 十二, 30 → 三十."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{_DIGITS[tens]}十")
    return head + (_DIGITS[ones] if ones else "")


def _small_number(text: str) -> int:
    if "十" not in text:
        return _DIGITS.index(text) if len(text) == 1 else -1
    tens, _, ones = text.partition("十")
    return (_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(ones) if ones else 0)


def default_subject_terms(title: str, kind: str = "") -> str:
    """Return a 主题词 line for a document without one: 党建, the subjects named in its title, its 文种."""
    terms = ["党建"]
    found: list[str] = []
    for topic in _TOPICS:  # a longer topic first (民主评议 before 评议), then in the title's own order
        if topic in title and not any(topic in t for t in found):
            found.append(topic)
    terms += sorted(found, key=title.index)[:2]
    # A notice issuing a document (关于印发《…实施方案》的通知) names what it issues: 方案 before 通知.
    issued = re.search(r"《([^》]+)》", title)
    inner = next((k for k in _KINDS if issued and issued.group(1).endswith(k)), "")
    if inner:
        inner = "方案" if inner.endswith("方案") else inner
        if inner not in terms:
            terms.append(inner)
    form = next((k for k in _KINDS if title.endswith(k)), "") or next((k for k in _KINDS if kind.endswith(k)), "")
    # the 文种 without a subject already named (整改方案 after 整改 is 方案: no "整改 整改方案")
    for term in terms[1:]:
        if form.startswith(term) and form[len(term):] in _KINDS:
            form = form[len(term):]
    if form and form not in terms:
        terms.append(form)
    return " ".join(terms)
