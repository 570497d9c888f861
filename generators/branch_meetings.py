"""The branches' meetings of one phase, spread over it: who links each 党支部, on which day and hour it meets.

A 党委 whose 支部 each hold a 专题组织生活会 cannot hold them all at one hour:
the 联系领导 and the 督导组 who sit in cannot be in several rooms at once.
``contact_leaders`` gives each 支部 one 班子 member (the 联系点), never one
who is a member of that 支部 (he takes part there as an ordinary member);
``stagger`` gives each 支部 its day (one a day, two when the phase is short),
the sector's time of day, and whether the 督导组 can attend (one meeting a day).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from .campaign_calendar import EVENING, holiday, seasons, session_time
from .levels import DAY_WORK_TIME, SHIFT_SECTORS, branch_sector, works_shifts


@dataclass
class Slot:
    """One branch meeting: its day, its time of day, and whether the 督导组 sits in."""

    day: _dt.date
    time: str
    supervised: bool


def contact_leaders(org: Any) -> dict[str, Any]:
    """Branch name → the 班子 member (Officer) who links it, or None when every 班子 member belongs to it.

    Deputies first, then the committee members, then the 书记, in turn over the branches.
    """
    leaders = [*org.deputies, *org.members, *([org.secretary] if org.secretary else [])]
    result: dict[str, Any] = {}
    turn = 0
    for branch in org.branches:
        own = org.members_of(branch)
        pick = None
        for i in range(len(leaders)):
            candidate = leaders[(turn + i) % len(leaders)]
            if candidate.name not in own:
                pick = candidate
                turn = turn + i + 1
                break
        result[branch.name] = pick
    return result


#: Sectors whose 支部 hold the 专题组织生活会 in the evening though they study by day: a 社区 支部's 在职党员
#: work elsewhere by day, and every member must be there to be criticised and to criticise (review r6).
EVENING_MEETINGS = ("community",)

#: Days after a vacation ends before a 支部 of that sector holds its 专题组织生活会: the first working days of term
#: go to its 征求意见 (parents, pupils) and 谈心 (9月1日 opening → 9月5日; review r5 found it on 9月2日).
SETTLE_DAYS = 4


#: Days after a 专题组织生活会 by which each member is told the 评议意见 face to face.
FEEDBACK_DAYS = 7


def feedback_due(day: _dt.date, span: Any = None) -> _dt.date:
    """The 反馈 deadline a branch's 纪要 gives: a week after the meeting, not past the day the phase's 转段请示 goes
    out (the phase's work is done before the 督导组 checks it), never before the meeting itself."""
    from .docset import transition_day

    due = day + _dt.timedelta(days=FEEDBACK_DAYS)
    if span is not None:
        due = min(due, max(transition_day(span), day))
    return due


def _working_days(start: _dt.date, end: _dt.date) -> list[_dt.date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5 and holiday(day) is None:
            days.append(day)
        day += _dt.timedelta(days=1)
    return days


def stagger(branches: list[Any], first: _dt.date, phase_start: _dt.date | None, phase_end: _dt.date | None,
            sector: str) -> dict[str, Slot]:
    """Branch name → Slot: from ``first`` one 支部 a working day (two, morning and the sector's hour, when the
    phase has too few days left; the start moves earlier in the phase when even that does not fit)."""
    n = len(branches)
    end = phase_end or first + _dt.timedelta(days=60)
    days = _working_days(first, end)
    if len(days) < (n + 1) // 2 and phase_start:  # start earlier so that every 支部 fits in the phase
        before = _working_days(max(phase_start, first - _dt.timedelta(days=60)), first - _dt.timedelta(days=1))
        days = before[-((n + 1) // 2 - len(days)):] + days
    if not days:
        days = [first]
    per_day = 1 if len(days) >= n else 2
    slots: dict[str, Slot] = {}
    taken = set(days[: (n + per_day - 1) // per_day])
    for i, branch in enumerate(branches):
        day = days[min(i // per_day, len(days) - 1)]
        retired = "离退休" in branch.name
        own = branch_sector(branch, sector)
        closed = next((s for s in seasons(own) if s.closed and s.contains(day)), None)
        if closed is not None:  # a school 支部 in its vacation: some working days into the term (parents and
            # pupils are asked, and the 谈心 held, once school is back), else the first free working day after
            opening = closed.first_after(day)
            later = (_working_days(opening + _dt.timedelta(days=SETTLE_DAYS), end)
                     or _working_days(opening + _dt.timedelta(days=1), end))
            free = [d for d in later if d not in taken] or later
            if free:
                day = free[0]
                taken.add(day)
        hour = session_time(own, day=day, retired=retired)
        if own in EVENING_MEETINGS and not retired:  # its 在职党员 work by day: the meeting is after work
            hour = EVENING
        if own in SHIFT_SECTORS and not retired and not works_shifts(own, branch.name):
            hour = DAY_WORK_TIME
        if per_day == 2 and i % 2 == 0 and not retired:
            hour = "上午8:30" if not hour.startswith("上午") else hour
        if per_day == 2 and i % 2 == 1 and hour.startswith("上午"):
            hour = "下午2:30"
        slots[branch.name] = Slot(day, hour, supervised=(per_day == 1 or i % 2 == 0))
    return slots
