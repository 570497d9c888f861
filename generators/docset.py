"""One coherent document set: each issued document's 发文字号, its 成文日期 by role, and one 主送.

An organization's documents are one set.  Each issued document has a role
(the plan, its 备案报告, the 学习要求 notice, a phase's 小结, the 整改方案,
the 工作总结) and the role fixes

* its **发文字号**: the profile's ``文号`` pattern (``红旗社党发〔2005〕{n}号``, the
  sequence starting at ``文号起始``, or the number a plain 文号 ends with)
  numbered by the role's place in the set, so that two documents of one
  organization never share a number however many runs make them; without a
  文号 the number is left blank for the user (``〔2005〕　号``);
* its **成文日期**: the plan a week before the start, the 学习要求 when 学习动员
  starts, a 小结 (and its 请示) on the last day of its phase, the 整改方案 inside 整改提高 after
  分析评议 (its 征求意见稿 on the phase's first working day, without a 文号; the
  adopted plan after the 公示), a meeting notice a few days before its meeting, the 总结 at the end
  — unless the user dates the document, in which case a date that contradicts
  the role is a warning; a blank "　年　月　日" when nothing gives a date;
* its **主送**: by hierarchy, the same for the whole set.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any

#: A 成文日期 left for the user to write in.
BLANK_DATE = "　　年　月　日"
#: Days a meeting notice is issued before its meeting.
NOTICE_DAYS = 3
#: Days before the start a plan is issued.
PLAN_DAYS = 7

_NUMBER_END = re.compile(r"^(.*?)(\d+)(\s*号)$")


def _weekday_back(day: _dt.date, floor: _dt.date | None = None) -> _dt.date:
    """``day`` moved back to a Friday when it falls on a weekend (not before ``floor``)."""
    moved = day - _dt.timedelta(days=max(0, day.weekday() - 4))
    return moved if floor is None or moved >= floor else day


def _weekday_forward(day: _dt.date, ceiling: _dt.date | None = None) -> _dt.date:
    """``day`` moved on to a Monday when it falls on a weekend (not after ``ceiling``)."""
    moved = day + _dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
    return moved if ceiling is None or moved <= ceiling else day


#: Working days between a 转段请示 (and the 阶段小结 it carries) and the phase's last day: the 督导组 checks and
#: replies before the next phase begins (practice of the period: 3–5 days).
TRANSITION_LEAD = 3


def is_working_day(day: _dt.date) -> bool:
    """Not a Saturday or Sunday and not in a public holiday of the calendar's table."""
    from .campaign_calendar import holiday

    return day.weekday() < 5 and holiday(day) is None


def working_days_before(end: _dt.date, count: int, floor: _dt.date | None = None) -> _dt.date:
    """The ``count``-th working day before ``end`` (not before ``floor``: then the first working day from it)."""
    day, found = end, 0
    while found < count:
        day -= _dt.timedelta(days=1)
        if floor is not None and day < floor:
            day = floor
            while not is_working_day(day) and day < end:
                day += _dt.timedelta(days=1)
            return day
        if is_working_day(day):
            found += 1
    return day


def transition_day(span: Any) -> _dt.date:
    """The 成文日期 of a phase's 转段请示 and 阶段小结: :data:`TRANSITION_LEAD` working days before its last day."""
    return working_days_before(span.end, TRANSITION_LEAD, span.start)


def cn(day: _dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- roles and their order
def roles(campaign: Any) -> list[str]:
    """The issued documents of one set, in the order they are issued (their 文号 sequence).

    ``plan`` (实施方案 or its 印发通知), ``filing`` (备案报告), ``study`` (学习要求),
    ``transition:<phase>`` (the 转段请示) for each phase, ``rectify`` (整改方案,
    before the last phase's 请示) and ``final`` (工作总结).  A phase's 小结
    (``summary:<phase>``, dated by :func:`role_date`) has no 文号 of its own:
    it goes out as the 附件 of the phase's 请示, part of that document.
    """
    units = list(getattr(getattr(campaign, "structure", None), "units", []) or [])
    rect = rectify_unit(units)
    out = ["plan", "filing", "study"]
    for unit in units:
        if rect is not None and unit.key == rect.key:
            out.append("rectify")
        out.append(f"transition:{unit.key}")
    if "rectify" not in out:
        out.append("rectify")
    out.append("final")
    return out


def rectify_unit(units: list[Any]) -> Any:
    """The rectification unit: key ``rectify``, else one named 整改…, else the last (None without units)."""
    for unit in units:
        if unit.key == "rectify":
            return unit
    for unit in units:
        if "整改" in unit.name:
            return unit
    return units[-1] if units else None


# ---------------------------------------------------------------- 发文字号
def document_number(profile: Any, campaign: Any, role: str, year: int | None = None) -> str:
    """Return the 发文字号 of the document with ``role`` in ``profile``'s set.

    ``文号`` may hold ``{n}`` (the sequence), end with a number (the first
    document's), or be only the 机关代字 (红旗社党发); the year is the
    document's.  Without a 文号 the result is a blank ``〔2005〕　号``.
    """
    pattern = str(getattr(profile, "number", "") or "").strip()
    order = roles(campaign)
    index = order.index(role) if role in order else len(order)
    year_text = str(year) if year else _campaign_year(campaign)
    if not pattern:
        return f"〔{year_text}〕　号"
    start = getattr(profile, "number_start", None)
    if "{n}" in pattern:
        first = start if start is not None else 1
        return pattern.replace("{n}", str(first + index))
    match = _NUMBER_END.match(pattern)
    if match:
        first = start if start is not None else int(match.group(2))
        return f"{match.group(1)}{first + index}{match.group(3).strip()}"
    first = start if start is not None else 1
    return f"{pattern}〔{year_text}〕{first + index}号"


def number_note(profile: Any) -> str:
    """A 提示 when the 文号's sequence starts at 1 only because the profile gives no 文号起始 ("" otherwise).

    By July a 党委 has already issued papers that year: the set's first number is the next one in its
    发文登记簿, which only the user knows.
    """
    pattern = str(getattr(profile, "number", "") or "").strip()
    if not pattern or getattr(profile, "number_start", None) is not None or _NUMBER_END.match(pattern):
        return ""
    return ("文号序号未给出起始号，暂从1号起编；请按本单位发文登记簿在单位资料“文号起始”中写本年度下一个序号"
            "（如 文号起始: 23）")


def _campaign_year(campaign: Any) -> str:
    years = str(getattr(campaign, "years", "") or "")
    match = re.search(r"\d{4}", years)
    return match.group(0) if match else "　　"


def numbers_of_set(profile: Any, campaign: Any) -> dict[str, str]:
    """Every role's 发文字号 (for checking that none repeats)."""
    return {role: document_number(profile, campaign, role) for role in roles(campaign)}


# ---------------------------------------------------------------- 成文日期
@dataclass
class Dated:
    """A document's 成文日期 and how it was chosen."""

    day: _dt.date | None
    text: str  #: 2005年7月1日, or the blank BLANK_DATE
    note: str = ""  #: a 提示 for the user (default used, or the date contradicts the role)


def role_date(role: str, times: Any, *, explicit: Any = None, meeting_day: _dt.date | None = None,
              campaign: Any = None, default: _dt.date | None = None) -> Dated:
    """Return the 成文日期 of a document with ``role`` (see :func:`roles`; ``notice`` for a meeting notice,
    ``rectify_draft`` for the 整改方案's 征求意见稿, which has no 文号).

    ``explicit`` (a date or date text the user gave) wins, with a note when it
    contradicts the role; ``default`` replaces the role's own default date.
    ``times`` is the organization's Timeline (None when unknown).  Without
    either a blank date is returned.
    """
    from .profile import parse_date

    role = _dated_as(role)
    wanted = default or _role_default(role, times, meeting_day)
    if explicit not in (None, ""):
        day = parse_date(explicit, "成文日期")
        return Dated(day, cn(day), _contradiction(role, day, times, meeting_day))
    if wanted is None:
        return Dated(None, BLANK_DATE, "成文日期未给出，留空待填" if role != "notice" else "")
    why = _DEFAULT_NOTES.get(role.split(":")[0], "")
    if role.startswith("summary:"):
        span = _span(times, role.split(":", 1)[1])
        why = (f"按{span.unit.name}阶段结束前{TRANSITION_LEAD}个工作日（转段请示给督导组留出检查、批复的时间）"
               if span else why)
    note = f"成文日期未给出，{why}定为 {cn(wanted)}（可用 --date 或 --set issued=日期 指定）" if why else ""
    return Dated(wanted, cn(wanted), note)


def _dated_as(role: str) -> str:
    """A 转段请示 is dated like the 小结 it goes with."""
    return role.replace("transition:", "summary:", 1) if role.startswith("transition:") else role


_DEFAULT_NOTES = {
    "plan": f"按活动开始前{PLAN_DAYS}天（实施方案在活动开始前印发）",
    "filing": "按实施方案印发后几天（报上级备案）",
    "study": "按学习动员阶段开始之日",
    "rectify": "按征求意见稿公示期满、报督导组审核之后（整改方案定稿在公示之后印发）",
    "rectify_draft": "按整改提高阶段的第一个工作日（整改方案征求意见稿在阶段开始时公示）",
    "final": "按活动结束之日",
    "notice": f"按会议前{NOTICE_DAYS}天",
}


def _span(times: Any, key: str) -> Any:
    for span in getattr(times, "spans", []) or []:
        if span.unit.key == key:
            return span
    return None


def _rectify_span(times: Any) -> Any:
    spans = list(getattr(times, "spans", []) or [])
    unit = rectify_unit([s.unit for s in spans])
    return next((s for s in spans if unit is not None and s.unit.key == unit.key), None)


def _role_default(role: str, times: Any, meeting_day: _dt.date | None) -> _dt.date | None:
    if role == "notice":
        if meeting_day is None:
            return None
        return _weekday_back(meeting_day - _dt.timedelta(days=NOTICE_DAYS))
    if times is None:
        return None
    if role == "plan":
        return _weekday_back(times.start - _dt.timedelta(days=PLAN_DAYS))
    if role == "filing":
        plan = _weekday_back(times.start - _dt.timedelta(days=PLAN_DAYS))
        return _weekday_forward(plan + _dt.timedelta(days=3), times.start - _dt.timedelta(days=1))
    if role == "study":
        first = times.spans[0] if times.spans else None
        return first.start if first else times.start
    if role in ("rectify", "rectify_draft"):
        span = _rectify_span(times)
        if span is None:
            return times.start
        from .rectification import dates

        steps = dates(span)
        return steps.adopted if role == "rectify" else steps.draft
    if role.startswith("summary:"):  # a few working days before the phase's last day: the 督导组 must reply
        span = _span(times, role.split(":", 1)[1])
        return transition_day(span) if span else None
    if role == "final":
        return _weekday_back(times.end, times.start)
    return None


def _contradiction(role: str, day: _dt.date, times: Any, meeting_day: _dt.date | None) -> str:
    text = cn(day)
    if role == "notice":
        if meeting_day is not None and day > meeting_day:
            return f"会议通知的成文日期 {text} 晚于会议日期 {cn(meeting_day)}"
        return ""
    if times is None:
        return ""
    if role in ("plan", "filing") and day > times.start:
        what = "实施方案" if role == "plan" else "备案报告"
        return f"{what}的成文日期 {text} 晚于活动开始日期 {cn(times.start)}：方案应在活动开始前印发"
    if role == "study":
        first = times.spans[0] if times.spans else None
        if first is not None and not first.start - _dt.timedelta(days=PLAN_DAYS) <= day <= first.end:
            return f"学习要求的成文日期 {text} 不在{first.unit.name}阶段（{first.text}）开始前后"
    if role in ("rectify", "rectify_draft"):
        span = _rectify_span(times)
        if span is not None and not span.start <= day <= span.end:
            return (f"整改方案的成文日期 {text} 不在{span.unit.name}阶段（{span.text}）之内："
                    f"整改方案在分析评议之后制定")
    if role.startswith("summary:"):
        span = _span(times, role.split(":", 1)[1])
        if span is not None and not span.start <= day <= span.end + _dt.timedelta(days=7):
            return f"阶段小结的成文日期 {text} 不在{span.unit.name}阶段（{span.text}）结束前后"
        if not is_working_day(day):
            return f"阶段小结和转段请示的成文日期 {text} 不是工作日（周末或法定节假日）"
        if span is not None and day > transition_day(span):
            return (f"转段请示的成文日期 {text} 离{span.unit.name}阶段结束（{cn(span.end)}）不到{TRANSITION_LEAD}个工作日："
                    "督导组来不及检查、批复")
    if role == "final" and day < times.end - _dt.timedelta(days=14):
        return f"工作总结的成文日期 {text} 早于活动结束（{cn(times.end)}）"
    return ""


def meeting_phase_note(meeting: str, phase: str, day: _dt.date, times: Any) -> str:
    """A warning when a meeting falls outside the phase it belongs to ("" when inside or unknown)."""
    if times is None or not phase:
        return ""
    span = next((s for s in getattr(times, "spans", []) if s.unit.name == phase or s.unit.key == phase), None)
    if span is None or span.start <= day <= span.end:
        return ""
    return f"{meeting}的日期 {cn(day)} 不在{span.unit.name}阶段（{span.text}）之内"


# ---------------------------------------------------------------- 主送
def addressee(profile: Any) -> str:
    """The 主送 of every document of the set: 各党支部 for a 党委/党总支, 各党小组 (or 全体党员) for a 党支部."""
    org = profile.org if hasattr(profile, "org") else None
    if org is not None and org.leads_branches:
        return "各党支部"
    if org is not None and org.level in ("", None) and getattr(profile, "branches", None):
        return "各党支部"
    if getattr(profile, "groups", 0):
        return "各党小组"
    return "全体党员"
