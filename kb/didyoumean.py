""""Did you mean": the near name for a typo, and the usual everyday words for sectors.

Used wherever a name is looked up — commands, document types, sectors and
other taxonomy names, profile keys, roster columns — so that ``kb serach``,
``学习要球`` or ``书计`` get the one suggestion the user needs rather than a
list of everything.
"""

from __future__ import annotations

import difflib
from typing import Iterable

#: Everyday words for an organization that are not one sector: what to ask instead (sector facet only).
SECTOR_QUESTIONS: dict[str, str] = {
    "企业": "“企业”是国有企业还是非公企业？请写“国有企业”（国企）或“非公企业”（民营企业、私营企业）",
    "公司": "“公司”是国有企业还是非公企业？请写“国有企业”（国企）或“非公企业”（民营企业、私营企业）",
    "两新组织": "“两新组织”包括非公企业和社会组织：请写“非公企业”或“社会组织”",
    "两新": "“两新组织”包括非公企业和社会组织：请写“非公企业”或“社会组织”",
    "村": "活动资料包没有单独的村领域：村党组织请写“乡镇机关”（别名“农村”“乡镇”），其内容针对乡镇和农村",
    "行政村": "活动资料包没有单独的村领域：村党组织请写“乡镇机关”（别名“农村”“乡镇”），其内容针对乡镇和农村",
    "村党支部": "活动资料包没有单独的村领域：村党组织请写“乡镇机关”（别名“农村”“乡镇”），其内容针对乡镇和农村",
}


#: Words people use on purpose that look like a typo of another (序号 is not a misspelt 文号, 时间 not 时长).
NOT_TYPOS = frozenset({"序号", "编号", "备注", "时间", "电话", "联系电话", "手机", "联系人", "人数", "日期"})


def suggest(word: str, choices: Iterable[str], cutoff: float = 0.5) -> str:
    """Return the choice closest to ``word`` (difflib), or '' when none is close.

    A short Chinese word that differs in one character (书计 → 书记, 学习要球 →
    学习要求) counts as close even where difflib's ratio would not.
    """
    options = [c for c in dict.fromkeys(choices) if c]
    text = word.strip()
    if not text or text in NOT_TYPOS:
        return ""
    lowered = {o.lower(): o for o in options}
    found = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=cutoff)
    if found:
        return lowered[found[0]]
    if len(text) <= 6:
        for option in options:
            if len(option) == len(text) and sum(a == b for a, b in zip(option, text)) >= len(text) - 1 >= 1:
                return option
    return ""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return "是不是“X”？" for the closest choice, or ''."""
    near = suggest(word, choices)
    return f"是不是“{near}”？" if near else ""
