"""Numeral forms made alike for matching: 二〇三五 / 二○三五 / 2035, 〇 / ○ / 零.

Real texts write years in Chinese digits with either of two zero characters
(〇 U+3007, or the circle ○ U+25CB that many web pages use), users type Arabic
digits.  :func:`normalize` turns a run of four Chinese digits (a year, 二〇三五)
into Arabic digits and every zero-like circle into 〇, keeping the length of
the text, so that character offsets (highlighting, gaps) stay valid.  It is
applied to passages when they are indexed and to queries, never to stored text.
"""

from __future__ import annotations

import re

_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
_DIGIT.update({"○": "0", "零": "0", "Ｏ": "0", "０": "0"})
#: four Chinese digits, with 〇/○/零 for zero, not inside a longer run (一九九八年, 二○三五年)
_YEAR = re.compile(r"(?<![〇○零一二三四五六七八九十百千万])[〇○零一二三四五六七八九]{4}(?=年)")


def _year(match: re.Match[str]) -> str:
    digits = match.group(0)
    # A year has a zero-like or a 一/二 first digit and at least one more digit than 一 (一一一一 is no year).
    if digits[0] not in "一二" or len(set(digits)) == 1:
        return digits
    return "".join(_DIGIT[c] for c in digits)


def normalize(text: str) -> str:
    """Return ``text`` with Chinese-digit years in Arabic digits and ○ as 〇; the length is unchanged.

    (It runs on every candidate passage of every search: plain ``in`` tests and
    ``replace`` first, the regular expression only where a 年 is.)
    """
    if "○" in text or "◯" in text:
        text = text.replace("○", "〇").replace("◯", "〇")
    if "年" in text:
        text = _YEAR.sub(_year, text)
    return text
