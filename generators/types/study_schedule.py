"""学习安排表: a week-by-week table of study sessions over the 学习动员 phase.

The sessions come from the campaign pack (``study.sessions``), in order; they
are spread over the weeks of the phase computed from the profile's start date,
duration and phase shares, evenly; weeks left over become 个人自学 weeks.
"""

from __future__ import annotations

import datetime as _dt
import copy
import math
import re
from dataclasses import dataclass
from typing import Any

from ..campaign import Campaign, Session
from ..profile import Profile
from ..registry import DocumentType, Request
from ._common import Citations, Span, base_context, cn_md, hours_text, render, timeline

#: Days after a week's first day on which its first and second sessions fall.
_SESSION_DAYS = (0, 3)


@dataclass
class Row:
    """One line of the 学习安排表."""

    week: int
    day: _dt.date
    hours: float
    topic: str
    form: str
    tutor: str
    participants: str
    session: Session | None  #: None for a self-study week
    day_text: str = ""  #: instead of the date, when each 党支部 sets its own day
    time: str = ""  #: time of day (晚上7:00, 下午4:30（课后）…)
    group: int = 0  #: the lines of one session held once per 班次 share a group (0: a session of its own)
    offset: int = 0  #: days after the session's date on which this line falls (1: the night shift, next morning)
    workdays: int = 0  #: working days after the session's date on which this line falls (a 党支部's second 场)
    weekend: int = 0  #: 5 or 6: this line falls on the Saturday or Sunday after the session's date (in-service members)
    part: str = ""  #: （之一）, （之二）: the sitting of a session held in two because one would end too late
    last: _dt.date | None = None  #: a weekend line after this day falls on the weekend before (the phase's last day)

    def on(self, base: _dt.date) -> _dt.date:
        """The day of this line when its session is held on ``base``."""
        if self.weekend:
            day = base + _dt.timedelta(days=(self.weekend - base.weekday()) % 7)
            return day - _dt.timedelta(days=7) if self.last and day > self.last else day
        return _after_workdays(base, self.workdays) if self.workdays else base + _dt.timedelta(days=self.offset)

    def base(self) -> _dt.date:
        """The day of this line's session (the first line's day; a weekend line's own day)."""
        if self.weekend:
            return self.day
        return _before_workdays(self.day, self.workdays) if self.workdays else self.day - _dt.timedelta(days=self.offset)

    @property
    def hours_text(self) -> str:
        return f"{self.hours:g}"


#: Session forms the 党委 or 党总支 holds for all its members; the others each 党支部 holds itself.
COMMITTEE_FORMS = ("动员大会", "党课", "专题辅导")
#: Weekday (0 = Monday) on which the i-th 党支部 holds its own sessions, in turn.
BRANCH_WEEKDAYS = (1, 2, 3, 4)


def plan(profile: Profile, campaign: Campaign, span: Span | None = None, branch: int | None = None,
         notes: list[str] | None = None, table_notes: list[str] | None = None,
         collect: dict[int, list[Row]] | None = None) -> list[Row]:
    """Return the schedule rows of the 学习动员 phase (or ``span``) for ``profile``.

    For a 党委 or 党总支 with branches, sessions of the forms in
    :data:`COMMITTEE_FORMS` are held for all; the others are held by each
    党支部 on its own weekday.  ``branch`` (an index into the branches) writes
    the schedule of that branch: its sessions on its day, the 党委's marked as such.
    The sector's calendar (generators/campaign_calendar.py) moves sessions out
    of public holidays and closed seasons (a school's vacation; a session with
    no day left becomes self-study) and gives each a time of day; a 党支部
    keeps its own calendar (a 镇中心学校党支部 its vacation, a 卫生院 its
    值班); members who work shifts get one line per 班次.  No tutor, room or
    leader is in two places at overlapping times (each session lasts its
    学时, at least :data:`MIN_SESSION_HOURS` hours).  Why a session moved is
    appended to ``notes``; sentences for the table's 注 to ``table_notes``.
    ``collect`` receives the rows of every branch up to ``branch`` (index → rows).
    """
    if span is None:
        times = timeline(profile, campaign)
        span = times.span(campaign.structure.units[0].key) if campaign.structure.units else None
    from ..campaign_calendar import shifts
    from ..levels import DAY_WORK_TIME, SHIFT_SECTORS, branch_sector, works_shifts

    tutors, tutor_note = tutor_pool(profile)
    if notes is not None and tutor_note:
        notes.append(tutor_note)
    branches = profile.org.branches if profile.org.leads_branches else []
    if notes is not None:
        notes.append(tutor_plan_note(profile, tutors, bool(branches)))
    if branch is None or len(branches) < 2:
        rows = _calendar(profile, campaign, _plan(profile, campaign, span, branch, tutors), span, notes)
        _number_parts(rows)
        if notes is not None and split_note(rows):
            notes.append(split_note(rows))
        return rows
    # one calendar for the 党委: its own sessions first, then the branches before this one with their rooms,
    # tutors and leaders at their hours
    busy: dict[str, list[tuple[_dt.datetime, _dt.datetime]]] = {}
    for row in _calendar(profile, campaign, _plan(profile, campaign, span, None, tutors), span, None):
        if row.session is not None and not row.day_text:
            for interval in intervals(row):
                busy.setdefault(_EVERYONE, []).append(interval)
                if row.tutor in tutors:
                    busy.setdefault("人" + row.tutor, []).append(interval)
    rows: list[Row] = []
    for j in range(branch + 1):
        sector = branch_sector(branches[j], profile.sector)
        retired = "离退休" in branches[j].name
        rows = _calendar(profile, campaign, _plan(profile, campaign, span, j, tutors), span,
                         notes if j == branch else None, retired=retired, sector=sector,
                         table_notes=table_notes if j == branch else None)
        if sector in SHIFT_SECTORS and not works_shifts(sector, branches[j].name) and not retired:
            for row in rows:  # a 机关 支部 of a plant works days: its own sessions at the day-work hour
                if row.session is not None and row.participants.startswith("本支部"):
                    row.time = DAY_WORK_TIME
        if works_shifts(sector, branches[j].name) and shifts(sector):
            rows = _by_shift(rows, branches[j], sector, span)
            if table_notes is not None and j == branch:
                table_notes.append(shift_note(sector, bool(tutors)))
        else:
            if table_notes is not None and j == branch and sector != profile.sector and duty_note(sector):
                table_notes.append(duty_note(sector))
            rows = _by_sitting(rows, branches[j])
            if evening_sitting(profile) and not retired and sector == profile.sector:
                rank = sum(1 for b in branches[:j] if _room(profile, b) == _room(profile, branches[j]))
                rows = _in_service(rows, branches[j], rank, span.end if span else None)
                if table_notes is not None and j == branch:
                    table_notes.append(IN_SERVICE_NOTE)
                if notes is not None and j == branch:
                    notes.append(f"在职党员{profile.count('in_service')}名白天上班：本支部每项学习内容另在周末"
                                 "（阶段最后一周在当天晚上）为在职党员开一场，由支部委员主持（默认值，与学习要求"
                                 "“在晚上或周末组织集中学习”一致；可在学习安排表中改动）")
        moved = _free(rows, _room(profile, branches[j]), busy, tutors, span)
        if collect is not None:
            collect[j] = rows
        if notes is not None and j == branch and moved:
            notes.append(f"辅导人或学习地点与其他党支部、{running_of(profile)}的安排时间重叠（每场按学时计、"
                         f"至少{MIN_SESSION_HOURS}小时），已调开：{'，'.join(moved)}")
    _own_sitting(rows, profile, campaign, branches[branch], works_shifts(sector, branches[branch].name))
    _number_parts(rows)
    if notes is not None and split_note(rows):
        notes.append(split_note(rows))
    return rows


def _own_sitting(rows: list[Row], profile: Profile, campaign: Campaign, me: Any, shift_work: bool) -> None:
    """A branch table gives the 党委's sessions at this branch's own sitting, as the 党委 table does.

    The 党委 table holds a session in two sittings by 党支部 (上午9:00 for the first group, 下午2:30 for the
    second: :func:`hall_groups`); a branch of the second group hears it at 下午2:30.  A branch that does not
    work shifts (离退休, 机关) goes to the day shift's sitting, without the other 班次' lines.
    """
    groups = hall_groups(profile, campaign)
    second = len(groups) > 1 and me.name in groups[1].split("、")
    for row in rows:
        if row.session is None or row.day_text or row.participants.startswith("本支部"):
            continue
        if second and row.time.startswith("上午") and row.form != "动员大会":
            row.time = "下午2:30"
        if not shift_work:
            day_shift = re.match(r"交接班后（白班([^；，）]+)", row.time)
            if day_shift:
                row.time = f"{day_shift.group(1)}（随白班场）"
            elif "传达学习" in row.time:
                row.time = row.time.split("；")[0]


#: A session's length for the clash check: its 学时 in hours, at least this many hours (a default).
MIN_SESSION_HOURS = 2
#: The busy key of the 党委's own sessions (every member attends: no 支部 meets then).
_EVERYONE = "全体"
_CLOCK = re.compile(r"(次日|(?:(\d{1,2})月)?(\d{1,2})日)?(上午|中午|下午|晚上)(\d{1,2})[:：](\d{2})")


def intervals(row: Row) -> list[tuple[_dt.datetime, _dt.datetime]]:
    """When ``row`` occupies its tutor and room: from each hour its time names (次日 = the next day), for its length."""
    length = _dt.timedelta(hours=max(float(row.hours or 0), MIN_SESSION_HOURS))
    starts = []
    for m in _CLOCK.finditer(row.time or ""):
        hour = int(m.group(5)) + (12 if m.group(4) in ("下午", "晚上") and int(m.group(5)) < 12 else 0)
        day = row.day + _dt.timedelta(days=1 if m.group(1) == "次日" else 0)
        if m.group(3):  # a date of its own (夜班5日上午8:30, 夜班8月1日…): the first such date on or after the row's day
            month = int(m.group(2)) if m.group(2) else row.day.month
            day = _dt.date(row.day.year, month, int(m.group(3)))
            if day < row.day:
                day = _dt.date(row.day.year + 1, day.month, day.day)
        starts.append(_dt.datetime.combine(day, _dt.time(hour % 24, int(m.group(6)))))
    if not starts:
        starts = [_dt.datetime.combine(row.day, _dt.time(14, 30))]
    return [(s, s + length) for s in starts]


def _overlaps(a: list[tuple[_dt.datetime, _dt.datetime]], b: list[tuple[_dt.datetime, _dt.datetime]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def running_of(profile: Profile) -> str:
    from ..titles import running_name

    return running_name(profile) or "党委"


def tutor_pool(profile: Profile) -> tuple[list[str], str]:
    """Who gives the 专题辅导 and tutored 集中学习: the profile's 辅导员, else the 班子 (副书记, 宣传委员, 委员).

    Returns (names as the table prints them, a 提示 when the 班子 stands in for missing tutors, else "").
    """
    if profile.tutors:
        return list(profile.tutors), ""
    from ..titles import post

    org = profile.org
    members = sorted(org.members, key=lambda o: (o.duty != "宣传委员", o.duty == "组织委员"))
    officers = [*org.deputies, *members] or ([org.secretary] if org.secretary else [])
    officers = [o for o in officers if o.name]
    names = [o.name for o in officers]  # the table gives the name, as for the 书记's 党课; the 提示 gives the post
    if not names:
        return ["支部书记"], "单位资料未列辅导员（“辅导员”），专题辅导暂由支部书记担任；请党校教员或宣讲团辅导的，在“辅导员”中写明"
    posts = "、".join(f"{post(org, o)}{o.name}同志" for o in officers)
    return names, (f"单位资料未列辅导员（“辅导员”），专题辅导和辅导学习暂由{posts}担任；"
                   f"请县（市、区）委党校教员或宣讲团成员辅导的，在单位资料“辅导员”中写明姓名和单位")


#: How many sessions one lecturer from outside the unit (a 党校 teacher, a 宣讲团 member) gives in the phase: the
#: 党委's 专题辅导 only, at most this many (a default); the 集中学习 of each 党支部 is tutored by its own 支部书记.
EXTERNAL_TUTOR_LIMIT = 2
#: A tutor whose unit starts with one of these belongs to the organization itself (厂党校, 公司党校, 本校…).
_OWN_UNITS = ("厂", "公司", "企业", "本", "校党", "院党", "局党", "所党", "社区", "镇党", "乡党", "街道党")


def tutor_plan_note(profile: Profile, tutors: list[str], branches: bool) -> str:
    """The 提示 saying who tutors which session (a practice and a default, never a user's fact)."""
    outside = [t for t in tutors if is_external(t, profile)]
    inside = [t for t in tutors if t not in outside]
    who = "各党支部的集中学习由本支部书记辅导，座谈讨论由支部书记主持" if branches else \
        f"集中学习由{'、'.join(inside) if inside else '书记' + (profile.secretary or '')}辅导"
    if outside:
        who += (f"；{'、'.join(outside)}只作{running_of(profile)}统一组织的专题辅导，每人本阶段至多"
                f"{EXTERNAL_TUTOR_LIMIT}场（默认值，外请辅导人不承担各支部的集中学习）")
    return who + "。这是当时的通行做法，可在学习安排表中改动"


def is_external(tutor: str, profile: Profile) -> bool:
    """True when ``tutor`` (as the profile's 辅导员 gives it: "市委党校 许光华") comes from outside the organization:
    a 党校, 宣讲团 or university of the city or district.  A member of the 班子, a tutor of the unit's own 党校
    (厂党校 何建国) or of the unit itself is not."""
    text = tutor.strip()
    org = profile.org
    own = {o.name for o in [*org.deputies, *org.members] if o.name} | {org.secretary.name if org.secretary else ""}
    own.discard("")
    if text in own:
        return False
    unit = re.split(r"[\s　]+", text)[0] if re.search(r"[\s　]", text) else ""
    if not unit:
        return True  # a name alone, not of the 班子: a guest (counted as from outside, to be safe)
    from ..organization import unit_of

    short = unit_of(profile.name) or ""
    if unit.startswith(_OWN_UNITS) or (short and (unit.startswith(short) or unit.startswith(short[-2:]))):
        return False
    return True


def _by_shift(rows: list[Row], branch: object, sector: str, span: Span | None) -> list[Row]:
    """One line per 班次 for each of the branch's own sessions: its date (the next day for the night shift), hour
    and leader (the tutor on the first, the 支部书记 and 支委 in turn on the others)."""
    from ..campaign_calendar import shifts as shift_list

    leaders = [n for n in [getattr(branch, "secretary", ""), *(o.name for o in getattr(branch, "committee", []))] if n]
    out: list[Row] = []
    group = 0
    for row in rows:
        if row.session is None or not row.participants.startswith("本支部"):
            out.append(row)
            continue
        group += 1
        for i, shift in enumerate(shift_list(sector)):
            line = copy.copy(row)
            line.day = row.day + _dt.timedelta(days=shift.offset)
            line.time = shift.time
            line.group = group
            line.offset = shift.offset
            line.participants = f"本支部{shift.name}党员"
            if row.session.by != "tutor" or i > 0:
                who = (leaders[1:][(i - 1) % (len(leaders) - 1)] if i and len(leaders) > 1
                       else leaders[0] if leaders else "支部书记")
                line.tutor = f"{who}主持" + ("（按辅导提纲）" if row.session.by == "tutor" else "")
            out.append(line)
    return out


def _by_sitting(rows: list[Row], branch: Any) -> list[Row]:
    """A 党支部 of more than LARGE_BRANCH members who do not work shifts meets by 党小组 in several 场: one line per
    场, each on its own working day (the session's day, then the next ones) at the branch's hour, the first led by
    the session's tutor or chair, the others by a 支部委员 (the 支部书记 when the branch has none)."""
    from ..levels import LARGE_BRANCH

    count = int(getattr(branch, "count", 0) or 0)
    if count <= LARGE_BRANCH:
        return rows
    n = -(-count // LARGE_BRANCH)
    each = -(-count // n)
    secretary = getattr(branch, "secretary", "") or "支部书记"
    others = [o.name for o in getattr(branch, "committee", []) if o.name] or [secretary]
    out: list[Row] = []
    group = 100  # apart from the 班次 groups
    for row in rows:
        if row.session is None or not row.participants.startswith("本支部") or "自学" in row.participants:
            out.append(row)
            continue
        group += 1
        for i in range(n):
            line = copy.copy(row)
            line.group = group
            line.workdays = i
            line.day = _after_workdays(row.day, i)
            line.participants = f"本支部第{_CN_NUM[i + 1]}场（按党小组，约{each}人）"
            if i:
                who = others[(i - 1) % len(others)]
                line.tutor = f"{who}主持" + ("（按辅导提纲）" if row.session.by == "tutor" else "")
            out.append(line)
    return out


#: When the in-service members of a 党支部 that meets on weekday mornings (a community's) study the same content:
#: at the weekend, Saturday morning for the first 支部 of a room, Saturday afternoon for the second, Sunday for the
#: next (defaults: the 学习要求 says 在职党员 study in the evening or at the weekend).
WEEKEND_SITTINGS = ((5, "上午9:00"), (5, "下午2:30"), (6, "上午9:00"), (6, "下午2:30"))
IN_SERVICE_NOTE = "在职党员另在周末（阶段最后一周在当天晚上）学习同一内容，由支部委员主持"


def _in_service(rows: list[Row], branch: Any, rank: int, last: _dt.date | None) -> list[Row]:
    """Add to each of the branch's own sessions a weekend line for its in-service members (:data:`WEEKEND_SITTINGS`),
    led by a 支部委员; the weekday lines become those of the other members."""
    weekday, time = WEEKEND_SITTINGS[rank % len(WEEKEND_SITTINGS)]
    secretary = getattr(branch, "secretary", "") or "支部书记"
    others = [o.name for o in getattr(branch, "committee", []) if o.name] or [secretary]
    out: list[Row] = []
    group = 200
    turn = 0
    for row in rows:
        out.append(row)
        if row.session is None or not row.participants.startswith("本支部") or "自学" in row.participants \
                or row.workdays:
            continue
        if not row.group:
            group += 1
            row.group = group
        row.participants = row.participants.replace("本支部全体党员", "本支部党员（在职党员除外）")
        line = copy.copy(row)
        who = others[turn % len(others)]
        turn += 1
        line.tutor = f"{who}主持" + ("（按辅导提纲）" if row.session.by == "tutor" else "")
        line.weekend = weekday
        line.last = last
        line.day = line.on(row.day)
        line.time = time
        if last is not None and row.day + _dt.timedelta(days=(weekday - row.day.weekday()) % 7) > last \
                and row.hours <= 2:
            # the phase ends before that weekend: the same day's evening (two 学时 end by 9:00)
            from ..campaign_calendar import EVENING

            line.weekend, line.day, line.time = 0, row.day, EVENING
            line.participants = "本支部在职党员（晚上场）"
            out.append(line)
            continue
        line.participants = "本支部在职党员（周末场）"
        out.append(line)
    return out


_CN_NUM = "〇一二三四五六七八九十"


def _after_workdays(day: _dt.date, n: int) -> _dt.date:
    """The ``n``-th working day after ``day`` (weekends and public holidays skipped)."""
    from ..campaign_calendar import holiday

    while n > 0:
        day += _dt.timedelta(days=1)
        if day.weekday() < 5 and holiday(day) is None:
            n -= 1
    return day


def _before_workdays(day: _dt.date, n: int) -> _dt.date:
    from ..campaign_calendar import holiday

    while n > 0:
        day -= _dt.timedelta(days=1)
        if day.weekday() < 5 and holiday(day) is None:
            n -= 1
    return day


def shift_note(sector: str, tutors: bool) -> str:
    """The 注 sentence of a 支部 whose members work shifts."""
    from ..campaign_calendar import SHIFT_NOTES, shifts as shift_list

    lines = "，".join(f"{'次日' if s.offset else ''}{s.time}" for s in sorted(shift_list(sector), key=_hour))
    return SHIFT_NOTES.get(sector, "同一学习内容按班次分场进行（{lines}）").format(lines=lines)


def _hour(shift: object) -> tuple[int, _dt.datetime]:
    row = Row(0, _dt.date(2005, 1, 3), 0, "", "", "", "", None, time=str(getattr(shift, "time", "")))
    return int(getattr(shift, "offset", 0)), intervals(row)[0][0]


def duty_note(sector: str) -> str:
    from ..campaign_calendar import DUTY_NOTES

    return DUTY_NOTES.get(sector, "")


def _room(profile: Profile, branch: object) -> str:
    """The branch's room without the unit's name (社区二楼会议室 and 红旗社区二楼会议室 are one room)."""
    from ..organization import unit_of

    place = str(getattr(branch, "place", "") or profile.place or "")
    unit = unit_of(profile.name)
    for prefix in (unit, unit[-2:], unit[-1:]) if unit else ():  # 红旗社区…, 社区…
        if place.startswith(prefix) and len(place) > len(prefix):
            return place[len(prefix):]
    return place


def _free(rows: list[Row], room: str, busy: dict[str, list[tuple[_dt.datetime, _dt.datetime]]],
          tutors: list[str], span: Span | None) -> list[str]:
    """Move this branch's own sessions off a room, tutor or leader busy at an overlapping time; mark them busy.

    The lines of one session (one per 班次) move together.  A tutor clash takes
    another free tutor first; a room clash (or no free tutor) the nearest free
    working day in the phase, later first.  Returns what moved, for a 提示.
    """
    from ..campaign_calendar import holiday

    own = [r for r in rows if r.session is not None and r.participants.startswith("本支部")]
    groups: dict[object, list[Row]] = {}
    for r in own:
        groups.setdefault(r.group or id(r), []).append(r)
    own_days = {r.base() for r in own} | {r.day for r in own}
    committee = [r for r in rows if r.session is not None and not r.participants.startswith("本支部")]
    committee_days = {r.day for r in committee}
    moved: list[str] = []

    def person(row: Row) -> str:
        name = row.tutor.removesuffix("主持").split("（")[0]
        return name if name in tutors or row.tutor in tutors else ""

    def busy_at(key: str, spans: list[tuple[_dt.datetime, _dt.datetime]]) -> bool:
        return _overlaps(busy.get(key, []), spans)

    def placed(lines: list[Row], base: _dt.date) -> list[str] | None:
        """The tutor of each line when the session is held on ``base``; None when the room or the hour is taken."""
        picks: list[str] = []
        for line in lines:
            moved_line = copy.copy(line)
            moved_line.day = line.on(base)
            spans = intervals(moved_line)
            if busy_at("室" + room, spans) or busy_at(_EVERYONE, spans):
                return None
            if span is not None and line is not lines[0] and not (span.start <= moved_line.day <= span.end):
                return None  # a later 场 after the phase's end
            name = person(line)
            if not name:
                picks.append(line.tutor)
                continue
            free = [t for t in [name, *tutors] if not busy_at("人" + t, spans)]
            if not free:
                return None
            picks.append(free[0])
        return picks

    ordered = list(groups.values())
    bases = [g[0].base() for g in ordered]
    previous = span.start - _dt.timedelta(days=1) if span is not None else None
    for n, lines in enumerate(ordered):
        base = bases[n]
        picks = placed(lines, base)
        day = base
        following = bases[n + 1] if n + 1 < len(bases) else None
        # the nearest free working day, later first, else earlier; first keeping the sessions' order
        for in_order in (True, False):
            if picks is not None or span is None:
                break
            for step in (1, -1):
                probe = base + _dt.timedelta(days=step)
                while span.start <= probe <= span.end:
                    if in_order and not (previous < probe and (following is None or probe < following)):
                        probe += _dt.timedelta(days=step)
                        continue
                    if (probe.weekday() < 5 and not holiday(probe) and probe not in own_days
                            and probe not in committee_days):
                        picks = placed(lines, probe)
                        if picks is not None:
                            day = probe
                            break
                    probe += _dt.timedelta(days=step)
                if picks is not None:
                    break
        previous = day
        if picks is None:  # no free day in the phase: kept (the user resolves it)
            picks = [line.tutor for line in lines]
        if day != base:
            own_days.discard(base)
            own_days.add(day)
            moved.append(f"“{lines[0].topic}”改在{cn_md(day)}")
        for line, pick in zip(lines, picks):
            line.day = line.on(day)
            line.tutor = pick if person(line) else line.tutor
            spans = intervals(line)
            busy.setdefault("室" + room, []).extend(spans)
            if person(line):
                busy.setdefault("人" + person(line), []).extend(spans)
    rows.sort(key=lambda r: (r.day, r.week, r.time))
    if span is not None:
        for r in rows:
            r.week = (r.day - span.start).days // 7 + 1
    return moved


def _calendar(profile: Profile, campaign: Campaign, rows: list[Row], span: Span | None,
              notes: list[str] | None, retired: bool = False, sector: str = "",
              table_notes: list[str] | None = None) -> list[Row]:
    """Apply the calendar: holidays, closed and busy seasons, the time of day.

    ``sector`` is a 党支部's own sector when it differs from the organization's (a 镇中心学校党支部): its own
    sessions follow its own seasons and hours (in its vacation they move before it, else after it, else become
    self-study) and the 党委's sessions in its vacation become self-study for its members.
    """
    from ..campaign_calendar import move_session, seasons, session_time
    from ..campaign_calendar import shifts as shift_list
    from ..sector_blocks import block_for

    if span is None:
        return rows
    block = block_for(profile, campaign)
    key = block.key if block else ""
    own_sector = sector or profile.sector
    own_key = key if own_sector == profile.sector else own_sector
    out: list[Row] = []
    taken: set[_dt.date] = set()
    moved: dict[str, list[str]] = {}
    early: list[tuple[Row, str]] = []
    closed = [s for s in seasons(own_sector, own_key) if s.closed] if own_sector != profile.sector else []
    for row in rows:
        if row.session is None:
            out.append(row)
            continue
        mine = row.participants.startswith("本支部") or row.participants == "各党支部分别组织"
        if closed and any(s.contains(row.day) for s in closed):
            season = next(s for s in closed if s.contains(row.day))
            if mine:
                early.append((row, season.reason))
                continue
            moved.setdefault(season.reason, []).append(f"{running_of(profile)}组织的“{row.topic}”改为个人自学")
            out.append(Row(row.week, row.day, 0, f"个人自学：{row.topic}", "个人自学", "——",
                           "本支部党员（假期自学）", None))
            continue
        sec, k = (own_sector, own_key) if mine else (profile.sector, key)
        day, why = move_session(row.day, span.start, span.end, sec, k, taken)
        if why:
            moved.setdefault(why, []).append(f"“{row.topic}”" + (f"改在{cn_md(day)}" if day else "改为个人自学"))
        if day is None:
            out.append(Row(row.week, row.day, 0, f"个人自学：{row.topic}", "个人自学", "——", row.participants, None))
            continue
        row.day = day
        row.time = session_time(sec, k, day, retired="离退休" in row.participants
                                or retired and row.participants.startswith("本支部"))
        if row.form == "动员大会" and not mine and shift_list(sec):
            # held once, after the first 班次 (as its notice says); the other 班次 hear it relayed the next day
            after = day + _dt.timedelta(days=1)
            first_shift = shift_list(sec)[0]
            others = "、".join(x.name for x in shift_list(sec)[1:])
            row.time = f"{first_shift.time}；{others}党员{after.day}日由支部组织传达学习"
        if why:
            taken.add(day)
        out.append(row)
    if early:  # a branch's own sessions in its vacation: on the free working days before it, in their order
        early.sort(key=lambda pair: pair[0].day)
        out.extend(_before_season(early, out, span, own_sector, own_key, moved))
    if table_notes is not None and closed and (early or any(r.participants.endswith("（假期自学）") for r in out)):
        season = closed[0]
        from ..campaign_calendar import xun

        first, last = _dt.date(span.start.year, *season.start), _dt.date(span.start.year, *season.end)
        table_notes.append(f"本支部按学校校历安排：{season.name}（{first.month}月{xun(first)}至{last.month}月{xun(last)}）"
                           f"前完成集中学习，{season.name}期间党员个人自学（{running_of(profile)}"
                           f"专题辅导的材料发给个人），开学后在分析评议阶段的第一次支部学习中集中交流学习体会")
    if notes is not None:
        notes.extend(f"{why}：{'，'.join(what)}" for why, what in moved.items())
        for season in seasons(profile.sector, key):
            if not season.closed and any(season.contains(r.day) for r in out if r.session is not None):
                notes.append(season.reason)
    for r in out:
        if r.day_text:  # each 支部 sets its own day (the table after gives it): no hour, no week of its own
            r.time = ""
    branches = profile.org.branches if profile.org.leads_branches else []
    if branches and not sector:
        groups = hall_groups(profile, campaign)
        evening = evening_sitting(profile)
        for r in out:
            if r.session is None or r.day_text or r.participants.startswith("本支部") or r.form == "动员大会" and \
                    "分会场" in r.participants:
                continue
            if len(groups) > 1 and r.time.startswith("上午") and r.form != "动员大会":  # its notice: one sitting
                r.time = f"{r.time}（{groups[0]}）；下午2:30（{groups[1]}）"
                r.participants = f"{r.participants}（按党支部分两场）"
            if evening and r.time.startswith("上午"):
                r.time += f"；在职党员{evening}另场"
    out.sort(key=lambda r: (r.day, r.week))
    for r in out:  # the week follows the (possibly moved) day
        r.week = (r.day - span.start).days // 7 + 1
    return out


def _before_season(early: list[tuple[Row, str]], placed: list[Row], span: Span, sector: str, key: str,
                   moved: dict[str, list[str]]) -> list[Row]:
    """Hold ``early`` (own sessions falling in the branch's vacation) on the free working days before the vacation;
    the branch's own sessions keep their order.  What does not fit moves after the vacation or becomes self-study."""
    from ..campaign_calendar import holiday, move_session, seasons, session_time

    season = next(s for s in seasons(sector, key) if s.closed and s.contains(early[0][0].day))
    last = season.last_before(early[0][0].day)
    used = {r.day for r in placed if r.session is not None}
    own = [r for r in placed if r.session is not None and r.participants.startswith("本支部")]
    after = max([r.day for r in own if r.day <= last], default=span.start - _dt.timedelta(days=1))
    free = []
    day = after + _dt.timedelta(days=1)
    while day <= min(last, span.end):
        if day.weekday() < 5 and holiday(day) is None and day not in used:
            free.append(day)
        day += _dt.timedelta(days=1)
    out = []
    for (row, why), day in zip(early, free):
        row.day = day
        row.time = session_time(sector, key, day)
        moved.setdefault(why, []).append(f"“{row.topic}”提前到{cn_md(day)}（放假前）")
        out.append(row)
    for row, why in early[len(free):]:
        day, _ = move_session(row.day, span.start, span.end, sector, key, used)
        if day is None:
            moved.setdefault(why, []).append(f"“{row.topic}”改为假期个人自学，开学后在分析评议阶段的支部学习中集中交流")
            topic = f"个人自学：{row.topic}" if row.form != "座谈讨论" else "个人自学，撰写学习体会（开学后在分析评议阶段的支部学习中交流）"
            out.append(Row(row.week, row.day, 0, topic, "个人自学", "——", "本支部党员（假期自学）", None))
        else:
            row.day = day
            row.time = session_time(sector, key, day)
            moved.setdefault(why, []).append(f"“{row.topic}”改在{cn_md(day)}（开学后）")
            out.append(row)
    return out


def _plan(profile: Profile, campaign: Campaign, span: Span | None = None, branch: int | None = None,
          tutors: list[str] | None = None) -> list[Row]:
    """The rows before the calendar is applied (see :func:`plan`)."""
    from ..levels import is_large, sittings

    if span is None:
        times = timeline(profile, campaign)
        span = times.span(campaign.structure.units[0].key) if campaign.structure.units else None
    sessions = list(campaign.study.sessions)
    if span is None or not sessions:
        return []
    organization = profile.org
    branches = organization.branches if organization.leads_branches else []
    the_branch = branches[branch] if (branch is not None and branches) else None
    weeks = max(1, math.ceil(span.days / 7))
    cap_for = _capper(profile, campaign, the_branch)
    # Session i goes to week floor(i * weeks / n): evenly spread, the first session in week 1.
    by_week: dict[int, list[Session]] = {}
    for i, session in enumerate(sessions):
        by_week.setdefault(i * weeks // len(sessions), []).append(session)
    rows: list[Row] = []
    tutors = list(tutors if tutors is not None else tutor_pool(profile)[0])
    outside = [t for t in tutors if is_external(t, profile)]
    inside = [t for t in tutors if t not in outside]
    booked: dict[str, int] = {}
    tutor_turn = 0
    inside_turn = 0
    secretary = profile.secretary or "×××"
    large = is_large(profile, campaign)
    everyone = "全体党员"
    if branches:
        everyone = "主会场和各支部分会场" if large else "全体党员"
    self_study = next((f for f in campaign.study.forms if f.key == "self_study"), None)
    for week in range(weeks):
        first = span.start + _dt.timedelta(days=7 * week)
        todays = by_week.get(week, [])
        if not todays:
            topic = f"个人自学：{self_study.text}" if self_study else "个人自学"
            rows.append(Row(week + 1, min(first, span.end), 0, topic, "个人自学", "——", "全体党员", None))
            continue
        branch_turn = 0
        cap = cap_for(first)
        parts = [(session, k, n) for session in todays for n in [_parts(session.hours, cap)] for k in range(n)]
        for i, (session, part, n_parts) in enumerate(parts):
            day = _weekday(first + _dt.timedelta(days=_SESSION_DAYS[min(i, len(_SESSION_DAYS) - 1)] + max(0, i - 1)),
                           span)
            by_branch = bool(branches) and session.form not in COMMITTEE_FORMS
            participants = everyone
            if session.by == "tutor" and by_branch:
                # 集中学习: the unit's own people (its 党校, the 班子), never a lecturer from outside; in a 党支部's
                # table its own 支部书记 (below)
                tutor = inside[inside_turn % len(inside)] if inside else secretary
                inside_turn += 1
            elif session.by == "tutor":
                # 专题辅导: the outside lecturers in turn, each at most EXTERNAL_TUTOR_LIMIT times, then the unit's own
                free = [t for t in tutors if t not in outside or booked.get(t, 0) < EXTERNAL_TUTOR_LIMIT]
                tutor = free[tutor_turn % len(free)] if free else secretary
                tutor_turn += 1
                booked[tutor] = booked.get(tutor, 0) + 1
            elif session.by == "secretary":
                tutor = secretary
            elif session.by == "leaders":
                tutor = "、".join([profile.secretary, *profile.committee]) or "领导班子成员"
            else:
                tutor = f"{secretary}主持"
            day_text = ""
            if by_branch:
                if the_branch is not None:
                    own = branch_weekdays(profile)[branch]
                    day = _on_weekday(first, own) + _dt.timedelta(days=2 * branch_turn)
                    if day.weekday() >= 5:  # a second session that week: two days before the branch's day
                        day = _on_weekday(first, own) - _dt.timedelta(days=2 * branch_turn)
                    day = _weekday(max(day, span.start), span)
                    branch_turn += 1
                    tutor = f"{the_branch.secretary or '支部书记'}主持" if session.by in ("secretary", "members") \
                        else (the_branch.secretary or "支部书记")
                    split = sittings(the_branch.count, the_branch.sector or profile.sector, the_branch.name)
                    if split and "班次" in split:
                        split += "，同一内容各班次分别组织一次"
                    participants = f"本支部党员{split}" if split else "本支部全体党员"
                else:
                    tutor = "各支部书记主持" if session.by in ("secretary", "members") else "各支部书记"
                    participants = "各党支部分别组织"
                    day_text = "各支部按表后日期"
            elif branches and the_branch is not None:
                participants = f"{everyone}（党委统一组织）" if organization.level != "党总支" \
                    else f"{everyone}（党总支统一组织）"
            rows.append(Row(week + 1, day, session.hours / n_parts, session.topic, session.form, tutor, participants,
                            session, day_text, part="" if n_parts == 1 else f"（之{_CN_NUM[part + 1]}）"))
    return rows


def _capper(profile: Profile, campaign: Campaign, the_branch: Any) -> Any:
    """day → the most 学时 one sitting of this table's own sessions may last that week (None: no limit known)."""
    from ..campaign_calendar import session_cap, session_time
    from ..levels import branch_sector
    from ..sector_blocks import block_for

    block = block_for(profile, campaign)
    key = block.key if block else ""
    sector = branch_sector(the_branch, profile.sector) if the_branch is not None else profile.sector
    own_key = key if sector == profile.sector else sector
    retired = the_branch is not None and "离退休" in the_branch.name

    def cap(day: _dt.date) -> float | None:
        return session_cap(session_time(sector, own_key, day, retired=retired))

    return cap


def _parts(hours: float, cap: float | None) -> int:
    """In how many sittings a session of ``hours`` 学时 is held when one sitting may last at most ``cap``."""
    return max(1, math.ceil(hours / cap - 1e-9)) if cap and hours else 1


def _number_parts(rows: list[Row]) -> None:
    """Number the sittings of a session split in two (之一, 之二) in the order they are held, after the calendar
    moved them."""
    parts: dict[str, dict[str, tuple[_dt.date, int]]] = {}
    for r in rows:
        m = re.search(r"（之([一二三四五六])）$", r.part)
        if r.session is None or not m:
            continue
        first = parts.setdefault(r.session.key + r.participants.split("第")[0], {})
        when = (r.day, int((intervals(r)[0][0]).timestamp()))
        first[m.group(1)] = min(first.get(m.group(1), when), when)
    for r in rows:
        m = re.search(r"（之([一二三四五六])）$", r.part)
        if r.session is None or not m:
            continue
        order = sorted(parts[r.session.key + r.participants.split("第")[0]].items(), key=lambda kv: kv[1])
        rank = [k for k, _ in order].index(m.group(1))
        r.part = f"（之{_CN_NUM[rank + 1]}）"


def split_note(rows: list[Row]) -> str:
    """The 提示 saying which sessions were held in two sittings to end in time, the total unchanged ("" when none)."""
    from ..campaign_calendar import end_limit

    split = [r for r in rows if r.session is not None and r.part == "（之一）"]
    if not split:
        return ""
    names = "、".join(dict.fromkeys(f"“{r.session.topic}”" for r in split))
    timed = next((r for r in split if r.time), None)
    if timed is not None:
        h, m = end_limit(timed.time)
        start = re.sub(r"（[^）]*）", "", timed.time)
        why = f"每次集中学习{start}开始、{'下午' if h < 19 else '晚上'}{h - 12}:{m:02d}前结束（默认值）"
    else:
        why = f"各党支部课后或晚上的一次集中学习不超过{math.ceil(split[0].hours)}学时（默认值）"
    return (f"{why}：{names}分{round(split[0].session.hours / split[0].hours)}次进行，每次{split[0].hours:g}学时，"
            f"本阶段合计学时不变（{total_hours(rows):g}学时；各场次的学时是当时常见的安排，默认值）")


#: Members one room holds at a 党委's own session (动员大会, 党课, 专题辅导) held without 分会场: above it the
#: session is held by 党支部 in two sittings (a default; a 党委 with a larger hall names it as its 地点).
ROOM_LIMIT = 100


def hall_groups(profile: Profile, campaign: Campaign | None = None) -> list[str]:
    """The 党支部 of each sitting of a 党委's own session, when its members do not fit one room: two groups of
    consecutive branches (第一党支部、第二党支部); [] when one sitting holds them (or 分会场 are set up)."""
    from ..levels import is_large

    branches = profile.org.branches if profile.org.leads_branches else []
    total = profile.total or 0
    if len(branches) < 2 or total <= ROOM_LIMIT or (campaign is not None and is_large(profile, campaign)):
        return []
    counts = [b.count or 0 for b in branches]
    cut = min(range(1, len(counts)), key=lambda k: max(sum(counts[:k]), sum(counts[k:])))
    return ["、".join(b.name for b in branches[:cut]), "、".join(b.name for b in branches[cut:])]


def evening_sitting(profile: Profile) -> str:
    """When in-service members hear a 党委's daytime session: the same day's evening ("" when none work or the
    sector's sessions are not in the morning).  A community's members are mostly retired and meet in the morning."""
    from ..campaign_calendar import EVENING, SESSION_TIMES

    if not profile.count("in_service") or not SESSION_TIMES.get(profile.sector, "").startswith("上午"):
        return ""
    return f"当天{EVENING}"


def _on_weekday(week_start: _dt.date, weekday: int) -> _dt.date:
    """The day of the week starting ``week_start`` that falls on ``weekday``."""
    return week_start + _dt.timedelta(days=(weekday - week_start.weekday()) % 7)


def branch_weekdays(profile: Profile) -> list[int]:
    """The weekday of each 党支部's own sessions: in turn over :data:`BRANCH_WEEKDAYS`, but never the weekday of an
    earlier 支部 that meets in the same room (two 支部 sharing a room meet on different days)."""
    branches = profile.org.branches if profile.org.leads_branches else []
    used: set[tuple[str, int]] = set()
    out = []
    n = len(BRANCH_WEEKDAYS)
    for i, b in enumerate(branches):
        room = _room(profile, b)
        order = [BRANCH_WEEKDAYS[(i + k) % n] for k in range(n)]
        pick = next((d for d in order if (room, d) not in used), order[0])
        used.add((room, pick))
        out.append(pick)
    return out


def branch_days(profile: Profile, campaign: Campaign | None = None, span: Span | None = None) -> list[dict[str, object]]:
    """Each 党支部 with the weekday, hour and place of its own sessions (for the 党委's schedule)."""
    from ..campaign_calendar import seasons, session_time, shifts
    from ..levels import DAY_WORK_TIME, SHIFT_SECTORS, branch_sector, works_shifts
    from ..sector_blocks import block_for

    organization = profile.org
    block = block_for(profile, campaign) if campaign is not None else None
    dates = _branch_dates(profile, campaign, span)
    out = []
    for i, b in enumerate(organization.branches if organization.leads_branches else []):
        sector = branch_sector(b, profile.sector)
        key = (block.key if block else "") if sector == profile.sector else sector
        retired = "离退休" in b.name
        if works_shifts(sector, b.name) and shifts(sector):
            lines = sorted(shifts(sector), key=_hour)
            hour = f"{'按值班' if sector == 'hospital' else '按班次'}分{len(lines)}场（{'、'.join(s.time.split('（')[0] for s in lines)}）"
        elif sector in SHIFT_SECTORS and not retired:
            hour = DAY_WORK_TIME
        else:
            hour = session_time(sector, key, span.start if span else None, retired=retired)
            closed = [x for x in seasons(sector, key) if x.closed] if sector != profile.sector else []
            if closed and span is not None and any(x.contains(span.end) or x.contains(span.start) for x in closed):
                hour += f"，{closed[0].name}前完成集中学习"
        out.append({"name": b.name, "secretary": b.secretary or "×××", "count": b.count,
                    "weekday": "一二三四五六日"[branch_weekdays(profile)[i]],
                    "dates": dates.get(i, ""), "time": hour, "place": b.place or "由支部确定"})
    return out


def _branch_dates(profile: Profile, campaign: Campaign | None, span: Span | None) -> dict[int, str]:
    """Branch index → the days its own sessions are held, as its own 学习安排表 has them (7月6日、13日、8月3日)."""
    branches = profile.org.branches if profile.org.leads_branches else []
    if campaign is None or len(branches) < 2:
        return {}
    collect: dict[int, list[Row]] = {}
    plan(profile, campaign, span, branch=len(branches) - 1, collect=collect)
    out = {}
    for j, rows in collect.items():
        days = sorted({r.day for r in rows if r.session is not None and r.participants.startswith("本支部")})
        parts, month = [], None
        for d in days:
            parts.append(f"{d.day}日" if d.month == month else f"{d.month}月{d.day}日")
            month = d.month
        out[j] = "、".join(parts)
    return out


def _weekday(day: _dt.date, span: Span) -> _dt.date:
    """Return ``day`` moved off a weekend (to Monday, or back to Friday at the phase's end), within ``span``."""
    day = min(day, span.end)
    if day.weekday() >= 5:
        monday = day + _dt.timedelta(days=7 - day.weekday())
        friday = day - _dt.timedelta(days=day.weekday() - 4)
        if monday <= span.end:
            day = monday
        elif friday >= span.start:
            day = friday
    return day


def total_hours(rows: list[Row]) -> float:
    """Hours of collective study in ``rows`` (self-study weeks not counted; a session held once per 班次 once)."""
    seen: set[int] = set()
    total = 0.0
    for r in rows:
        if r.session is None or (r.group and r.group in seen):
            continue
        seen.add(r.group)
        total += r.hours
    return total


def markdown(request: Request) -> str:
    """Return the 学习安排表 as Markdown (landscape table)."""
    cite = Citations(request.citations)
    context = base_context(request, cite, dated=False)
    campaign = request.campaign
    span = context["times"].spans[0] if context["times"].spans else None
    profile = request.profile
    index = None
    wanted = request.options.get("branch")
    if wanted:
        from ...kb.errors import InputError

        if not context["branches"]:
            raise InputError(f"单位资料没有列出党支部（“党支部”键），不能按 --branch {wanted} 选择")
        chosen = profile.org.branch(str(wanted))
        index = [b.name for b in context["branches"]].index(chosen.name)
    table_notes: list[str] = []
    rows = plan(profile, campaign, span, branch=index, notes=request.warnings, table_notes=table_notes)
    if index is None and hall_groups(profile, campaign):
        request.warnings.append(f"党员{profile.total}名，{running_of(profile)}统一组织的党课和专题辅导按党支部分上午、下午两场"
                                f"（一场超过{ROOM_LIMIT}人才分场，这是默认值）")
    if index is None and evening_sitting(profile):
        request.warnings.append(f"在职党员{profile.count('in_service')}名白天上班：{running_of(profile)}统一组织的学习当天晚上7:00"
                                "另开一场（默认值）")
    from ..levels import is_large

    context.update(
        large=bool(context["branches"]) and is_large(profile, campaign),
        the_branch=context["branches"][index] if index is not None else None,
        branch_days=branch_days(profile, campaign, span) if index is None else [],
        span=span,
        rows=rows,
        table_notes=table_notes,
        total=total_hours(rows),
        total_text=hours_text(total_hours(rows)),
        cn_md=cn_md,
        weekday="一二三四五六日",
    )
    return render("campaign/学习安排表.md.j2", context, cite, request=request)


DOCUMENT_TYPE = DocumentType(
    key="study_schedule",
    name="学习安排表",
    summary="学习动员阶段逐周学习安排：日期、学时、内容、形式、辅导人、参加人员；党委、党总支的集中学习按党支部安排。",
    markdown=markdown,
    aliases=("学习计划表", "schedule"),
    template="campaign/学习安排表.md.j2",
    phase="mobilize",
    options={"branch": "党支部名称：写这个支部的学习安排（单位资料列出“党支部”时）"},
    order=30,
)
