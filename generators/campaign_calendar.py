"""A calendar that knows the year: public holidays, 旬, sector seasons and the time of day of sessions.

Phase boundaries fall on the end of a 旬 (the 10th, the 20th, the month's
last day) and never inside a public holiday; a study session never falls in
a holiday or in a sector's closed season (a school's summer vacation) and is
moved, with the reason given as a 提示; sessions carry a time of day that
suits the sector (evening for 在职 community members, after classes for
teachers, by shift in enterprises).  The holiday table covers 2005 and 2006
(the campaign's years); other years are added to :data:`HOLIDAYS`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

D = _dt.date

#: Public holidays (the State Council's arrangement of each year): year → (first day, last day, name).
HOLIDAYS: dict[int, list[tuple[_dt.date, _dt.date, str]]] = {
    2005: [(D(2005, 1, 1), D(2005, 1, 3), "元旦"), (D(2005, 2, 9), D(2005, 2, 15), "春节"),
           (D(2005, 5, 1), D(2005, 5, 7), "劳动节"), (D(2005, 10, 1), D(2005, 10, 7), "国庆节")],
    2006: [(D(2006, 1, 1), D(2006, 1, 3), "元旦"), (D(2006, 1, 29), D(2006, 2, 4), "春节"),
           (D(2006, 5, 1), D(2006, 5, 7), "劳动节"), (D(2006, 10, 1), D(2006, 10, 7), "国庆节")],
}


@dataclass(frozen=True)
class Season:
    """A recurring period of a sector's year (month, day)–(month, day): closed (no sessions) or busy (evenings)."""

    start: tuple[int, int]
    end: tuple[int, int]
    name: str
    closed: bool  #: True: no collective sessions (vacation); False: sessions thinned to evenings
    reason: str

    def contains(self, day: _dt.date) -> bool:
        return self.start <= (day.month, day.day) <= self.end

    def first_after(self, day: _dt.date) -> _dt.date:
        return D(day.year, *self.end) + _dt.timedelta(days=1)

    def last_before(self, day: _dt.date) -> _dt.date:
        return D(day.year, *self.start) - _dt.timedelta(days=1)


#: Sector seasons (sector block key or sector key → seasons).
SEASONS: dict[str, list[Season]] = {
    "school": [Season((7, 15), (8, 31), "暑假", True, "学校暑假（7月中旬至8月底）不安排集中学习，党员自学，开学后集中学习")],
    "university": [Season((7, 10), (8, 31), "暑假", True, "高校暑假不安排集中学习，党员自学，开学后集中学习")],
    "township": [Season((7, 1), (8, 31), "防汛", False, "7、8月份防汛，集中学习安排在晚上"),
                 Season((9, 10), (10, 31), "秋收", False, "9、10月份秋收农忙，集中学习安排在晚上，不误农时")],
}

#: Time of day of a study session by sector (block key or sector key); 离退休 members study in the morning.
#: A community's members are mostly retired: its sessions are in the morning (在职 members study in the evening apart).
SESSION_TIMES = {
    "community": "上午9:00", "school": "下午4:30（课后）", "university": "晚上7:00", "township": "下午2:30",
    "soe": "交接班后（白班下午4:30；夜班次日上午8:30，中班次日下午1:00）", "private": "晚上7:00", "organ": "下午2:30",
    "public_inst": "下午4:00", "hospital": "下午5:00（交接班后）",
}
DEFAULT_TIME = "下午2:30"


@dataclass(frozen=True)
class Shift:
    """One 班次 of members who work shifts, and when its members study (``offset`` days after the session's date)."""

    name: str
    time: str
    offset: int = 0


#: Sectors whose members work shifts: their 班次 and study hours (the period's practice; a default).  The
#: production 支部 of a plant run three shifts (白班 8:00–16:00, 中班 16:00–24:00, 夜班 0:00–8:00): on the
#: session's date the 夜班 studies after handing over in the morning, the 中班 before taking over, the 白班 after
#: handing over.  A 卫生院 or hospital keeps a night duty: the night staff after handing over in the morning,
#: the day staff after handing over in the afternoon.
SHIFTS: dict[str, tuple[Shift, ...]] = {
    "soe": (Shift("白班", "下午4:30（白班交班后）"), Shift("中班", "下午1:00（中班接班前）"),
            Shift("夜班", "上午8:30（夜班交班后）")),
    "hospital": (Shift("白班", "下午5:00（交接班后）"), Shift("值夜班", "上午8:30（值班人员交班后）")),
}
#: The 注 sentence of a 支部 whose members work shifts ({lines}: each 班次 with its hour).
SHIFT_NOTES = {
    "soe": "本支部党员倒班，同一学习内容当天按班次分场进行（{lines}），每个班次分别签到；集中学习由支部书记"
           "辅导白班一场，中班、夜班两场由支部委员按同一辅导提纲主持",
    "hospital": "本院昼夜值班，同一学习内容当天分两场进行（{lines}）：前一夜值班的党员上午交班后学习，"
                "其他党员下午交接班后学习，由支部书记和支部委员主持，不影响值班",
}
#: The 注 sentence of a 支部 whose sector has duties but no shift lines.
DUTY_NOTES: dict[str, str] = {}


def shifts(sector: str) -> tuple[Shift, ...]:
    """The 班次 of a sector whose members work shifts (empty for the others)."""
    return SHIFTS.get(sector, ())
EVENING = "晚上7:00"
#: When a session must be over (a default): a school's after-class session by 下午6:30 (two 学时 from 4:30, before
#: the teachers go home and the pupils' 晚自习 or the parents' evening); any other session by 晚上9:00.
AFTER_CLASS_END = (18, 30)
LATEST_END = (21, 0)


def start_hour(text: str) -> float | None:
    """The hour (24h, with minutes as a fraction) of the first clock time in ``text`` (下午4:30 → 16.5), or None."""
    import re

    m = re.search(r"(上午|中午|下午|晚上)(\d{1,2})[:：](\d{2})", text or "")
    if not m:
        return None
    hour = int(m.group(2)) + (12 if m.group(1) in ("下午", "晚上") and int(m.group(2)) < 12 else 0)
    return hour + int(m.group(3)) / 60


def end_limit(text: str) -> tuple[int, int]:
    """The latest end of a session held at ``text``: 下午6:30 after class, else 晚上9:00 (defaults)."""
    return AFTER_CLASS_END if "课后" in (text or "") else LATEST_END


def session_cap(text: str) -> float | None:
    """The most 学时 (hours) a session starting at ``text`` can last and still end by :func:`end_limit`; None when
    the text gives no hour."""
    start = start_hour(text)
    if start is None:
        return None
    h, m = end_limit(text)
    return max(1.0, h + m / 60 - start)


def holiday(day: _dt.date) -> tuple[_dt.date, _dt.date, str] | None:
    """The public holiday ``day`` falls in, or None."""
    for first, last, name in HOLIDAYS.get(day.year, []):
        if first <= day <= last:
            return first, last, name
    return None


def xun_ends(start: _dt.date, end: _dt.date) -> list[_dt.date]:
    """Every end of a 旬 (10th, 20th, last day of the month) from ``start`` to ``end``."""
    import calendar

    days = []
    year, month = start.year, start.month
    while D(year, month, 1) <= end:
        last = calendar.monthrange(year, month)[1]
        for d in (10, 20, last):
            day = D(year, month, d)
            if start <= day <= end:
                days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def boundary(wanted: _dt.date, low: _dt.date, high: _dt.date) -> _dt.date:
    """The last day of a phase near ``wanted``: the nearest end of a 旬 in [low, high] not in or before a holiday.

    Neither the last day nor the next phase's first day may fall in a public
    holiday; when no 旬 end fits, ``wanted`` itself is moved out of the holiday.
    """
    def fits(day: _dt.date) -> bool:
        return holiday(day) is None and holiday(day + _dt.timedelta(days=1)) is None

    candidates = [d for d in xun_ends(low, high) if fits(d)]
    if candidates:
        return min(candidates, key=lambda d: (abs((d - wanted).days), d))
    day = wanted
    found = holiday(day) or holiday(day + _dt.timedelta(days=1))
    if found:
        before = found[0] - _dt.timedelta(days=1)
        day = before if before >= low else min(found[1], high)
    return day


def last_day(wanted: _dt.date) -> _dt.date:
    """The campaign's last day: ``wanted`` moved *later*, past a public holiday it falls in (the minimum length holds).

    The new last day is the first end of a 旬 after the holiday (10月10日 after 国庆), else the day after it.
    """
    found = holiday(wanted)
    if not found:
        return wanted
    after = found[1] + _dt.timedelta(days=1)
    ends = [d for d in xun_ends(after, after + _dt.timedelta(days=11)) if holiday(d) is None]
    return ends[0] if ends else after


def _add_months(day: _dt.date, months: int) -> _dt.date:
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return D(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months(start: _dt.date, end: _dt.date) -> tuple[int, int, int]:
    """(whole months, days left over, days short of one more month) from ``start`` to ``end`` (both included)."""
    after = end + _dt.timedelta(days=1)
    months = 0
    while _add_months(start, months + 1) <= after:
        months += 1
    return months, (after - _add_months(start, months)).days, (_add_months(start, months + 1) - after).days


_CN = "零一二三四五六七八九十"


def _cn(n: int) -> str:
    return _CN[n] if n <= 10 else f"十{_CN[n - 10]}" if n < 20 else str(n)


def duration_text(start: _dt.date, end: _dt.date) -> str:
    """How long ``start``–``end`` is, truthfully: 三个月, 三个月左右, 三个多月, 三个半月, 近四个月.

    Never rounds up past the dates: a period a few days short of three months is "近三个月", not "三个月".
    """
    months, left, short = whole_months(start, end)
    if months == 0:
        return f"{(end - start).days + 1}天"
    if left == 0:
        return f"{_cn(months)}个月"
    if short <= 10:
        return f"近{_cn(months + 1)}个月"
    if left <= 5:
        return f"{_cn(months)}个月左右"
    if 13 <= left <= 19:
        return f"{_cn(months)}个半月"
    return f"{_cn(months)}个多月"


def xun(day: _dt.date) -> str:
    """上旬, 中旬 or 下旬 of ``day``."""
    return "上旬" if day.day <= 10 else "中旬" if day.day <= 20 else "下旬"


def xun_text(start: _dt.date, end: _dt.date) -> str:
    """2005年9月上旬至10月中旬 (the year once when both are in it)."""
    tail = f"{end.month}月{xun(end)}" if end.year == start.year else f"{end.year}年{end.month}月{xun(end)}"
    return f"{start.year}年{start.month}月{xun(start)}至{tail}"


def seasons(sector: str, block_key: str = "") -> list[Season]:
    """The seasons of a sector (its block's first, e.g. university, else the sector's)."""
    return SEASONS.get(block_key) or SEASONS.get(sector) or []


def session_time(sector: str, block_key: str = "", day: _dt.date | None = None, retired: bool = False) -> str:
    """The time of day of a session: the sector's, in the evening in a busy season, mornings for 离退休 members.

    With ``day``, a second sitting "次日" is given its date (夜班次日上午8:30 → 夜班5日上午8:30; the month too
    when it is the next month's).
    """
    if retired:
        return "上午9:00"
    if day is not None and any(s.contains(day) and not s.closed for s in seasons(sector, block_key)):
        return EVENING
    text = SESSION_TIMES.get(block_key) or SESSION_TIMES.get(sector) or DEFAULT_TIME
    if day is not None and "次日" in text:
        after = day + _dt.timedelta(days=1)
        text = text.replace("次日", f"{after.day}日" if after.month == day.month else f"{after.month}月{after.day}日")
    return text


def move_session(day: _dt.date, start: _dt.date, end: _dt.date, sector: str, block_key: str = "",
                 taken: set[_dt.date] | None = None) -> tuple[_dt.date | None, str]:
    """Return (the day a session planned on ``day`` is held, why it moved) within [start, end].

    A session in a public holiday goes to the first working day after it; one
    in a closed season to the first free working day after the season; None
    when the phase has no day left (the session becomes self-study).  ``why`` is "" when the session stays.
    """
    why = ""
    for season in seasons(sector, block_key):
        if season.closed and season.contains(day):
            return _working(season.first_after(day), end, taken), season.reason
    found = holiday(day)
    if found:
        why = f"{found[2]}假期（{found[0].month}月{found[0].day}日至{found[1].month}月{found[1].day}日）不安排学习"
        return _working(found[1] + _dt.timedelta(days=1), end, taken), why
    return day, why


def _working(day: _dt.date, end: _dt.date, taken: set[_dt.date] | None) -> _dt.date | None:
    while day <= end:
        if day.weekday() < 5 and holiday(day) is None and not (taken and day in taken):
            return day
        day += _dt.timedelta(days=1)
    return None
