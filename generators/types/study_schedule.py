"""学习安排表: a week-by-week table of study sessions over the 学习动员 phase.

The sessions come from the campaign pack (``study.sessions``), in order; they
are spread over the weeks of the phase computed from the profile's start date,
duration and phase shares, evenly; weeks left over become 个人自学 weeks.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass

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

    @property
    def hours_text(self) -> str:
        return f"{self.hours:g}"


#: Session forms the 党委 or 党总支 holds for all its members; the others each 党支部 holds itself.
COMMITTEE_FORMS = ("动员大会", "党课", "专题辅导")
#: Weekday (0 = Monday) on which the i-th 党支部 holds its own sessions, in turn.
BRANCH_WEEKDAYS = (1, 2, 3, 4)


def plan(profile: Profile, campaign: Campaign, span: Span | None = None, branch: int | None = None,
         notes: list[str] | None = None) -> list[Row]:
    """Return the schedule rows of the 学习动员 phase (or ``span``) for ``profile``.

    For a 党委 or 党总支 with branches, sessions of the forms in
    :data:`COMMITTEE_FORMS` are held for all; the others are held by each
    党支部 on its own weekday.  ``branch`` (an index into the branches) writes
    the schedule of that branch: its sessions on its day, the 党委's marked as such.
    The sector's calendar (generators/campaign_calendar.py) moves sessions out
    of public holidays and closed seasons (a school's vacation; a session with
    no day left becomes self-study) and gives each a time of day; why a
    session moved is appended to ``notes``.
    """
    if span is None:
        times = timeline(profile, campaign)
        span = times.span(campaign.structure.units[0].key) if campaign.structure.units else None
    from ..levels import DAY_WORK_TIME, SHIFT_SECTORS, works_shifts

    branches = profile.org.branches if profile.org.leads_branches else []
    if branch is None or len(branches) < 2:
        return _calendar(profile, campaign, _plan(profile, campaign, span, branch), span, notes)
    # one calendar for the 党委: the branches before this one keep their rooms and tutors at their hours
    busy: set[tuple[str, _dt.date, str]] = set()
    rows: list[Row] = []
    for j in range(branch + 1):
        rows = _calendar(profile, campaign, _plan(profile, campaign, span, j), span, notes if j == branch else None,
                         retired="离退休" in branches[j].name)
        sector = branches[j].sector or profile.sector
        if sector in SHIFT_SECTORS and not works_shifts(sector, branches[j].name) and "离退休" not in branches[j].name:
            for row in rows:  # a 机关 支部 of a plant works days: its own sessions at the day-work hour
                if row.session is not None and row.participants.startswith("本支部"):
                    row.time = DAY_WORK_TIME
        _free(rows, _room(profile, branches[j]), busy, list(profile.tutors), span)
    return rows


def _room(profile: Profile, branch: object) -> str:
    """The branch's room without the unit's name (社区二楼会议室 and 红旗社区二楼会议室 are one room)."""
    from ..organization import unit_of

    place = str(getattr(branch, "place", "") or profile.place or "")
    unit = unit_of(profile.name)
    for prefix in (unit, unit[-2:], unit[-1:]) if unit else ():  # 红旗社区…, 社区…
        if place.startswith(prefix) and len(place) > len(prefix):
            return place[len(prefix):]
    return place


def _free(rows: list[Row], room: str, busy: set[tuple[str, _dt.date, str]], tutors: list[str],
          span: Span | None) -> None:
    """Move this branch's own sessions off a room or tutor another branch already holds at that hour; mark them busy.

    A tutor clash takes another free tutor first; a room clash (or no free tutor) the next free working day.
    """
    from ..campaign_calendar import holiday

    own_days = {r.day for r in rows}
    for row in rows:
        if row.session is None or not row.participants.startswith("本支部"):
            continue
        named = row.tutor if row.tutor in tutors else ""

        def clash(day: _dt.date, tutor: str) -> bool:
            return ("室" + room, day, row.time) in busy or bool(tutor) and ("师" + tutor, day, row.time) in busy

        if clash(row.day, named) and not clash(row.day, "") and named:
            named = next((t for t in tutors if not clash(row.day, t)), named)
            row.tutor = named
        day = row.day
        if clash(day, named) and span is not None:  # the nearest free working day, later first, else earlier
            found = None
            for step in (1, -1):
                probe = row.day + _dt.timedelta(days=step)
                while span.start <= probe <= span.end:
                    if probe.weekday() < 5 and not holiday(probe) and probe not in own_days and not clash(probe, named):
                        found = probe
                        break
                    probe += _dt.timedelta(days=step)
                if found:
                    break
            day = found or row.day  # no free day in the phase: kept (the user resolves it)
        if day != row.day:
            own_days.discard(row.day)
            own_days.add(day)
            row.day = day
        busy.add(("室" + room, row.day, row.time))
        if named:
            busy.add(("师" + named, row.day, row.time))
    rows.sort(key=lambda r: (r.day, r.week))
    if span is not None:
        for r in rows:
            r.week = (r.day - span.start).days // 7 + 1


def _calendar(profile: Profile, campaign: Campaign, rows: list[Row], span: Span | None,
              notes: list[str] | None, retired: bool = False) -> list[Row]:
    from ..campaign_calendar import move_session, seasons, session_time
    from ..sector_blocks import block_for

    if span is None:
        return rows
    block = block_for(profile, campaign)
    key = block.key if block else ""
    out: list[Row] = []
    taken: set[_dt.date] = set()
    moved: dict[str, list[str]] = {}
    for row in rows:
        if row.session is None:
            out.append(row)
            continue
        day, why = move_session(row.day, span.start, span.end, profile.sector, key, taken)
        if why:
            moved.setdefault(why, []).append(f"“{row.topic}”" + (f"改在{cn_md(day)}" if day else "改为个人自学"))
        if day is None:
            out.append(Row(row.week, row.day, 0, f"个人自学：{row.topic}", "个人自学", "——", row.participants, None))
            continue
        row.day = day
        row.time = session_time(profile.sector, key, day, retired="离退休" in row.participants
                                  or retired and row.participants.startswith("本支部"))
        if why:
            taken.add(day)
        out.append(row)
    if notes is not None:
        notes.extend(f"{why}：{'，'.join(what)}" for why, what in moved.items())
        for season in seasons(profile.sector, key):
            if not season.closed and any(season.contains(r.day) for r in out if r.session is not None):
                notes.append(season.reason)
    out.sort(key=lambda r: (r.day, r.week))
    for r in out:  # the week follows the (possibly moved) day
        r.week = (r.day - span.start).days // 7 + 1
    return out


def _plan(profile: Profile, campaign: Campaign, span: Span | None = None, branch: int | None = None) -> list[Row]:
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
    # Session i goes to week floor(i * weeks / n): evenly spread, the first session in week 1.
    by_week: dict[int, list[Session]] = {}
    for i, session in enumerate(sessions):
        by_week.setdefault(i * weeks // len(sessions), []).append(session)
    rows: list[Row] = []
    tutors = list(profile.tutors)
    tutor_turn = 0
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
        for i, session in enumerate(todays):
            day = _weekday(first + _dt.timedelta(days=_SESSION_DAYS[min(i, len(_SESSION_DAYS) - 1)] + max(0, i - 1)),
                           span)
            by_branch = bool(branches) and session.form not in COMMITTEE_FORMS
            participants = everyone
            if session.by == "tutor":
                tutor = tutors[tutor_turn % len(tutors)] if tutors else "（待定）"
                tutor_turn += 1
            elif session.by == "secretary":
                tutor = secretary
            elif session.by == "leaders":
                tutor = "、".join([profile.secretary, *profile.committee]) or "领导班子成员"
            else:
                tutor = f"{secretary}主持"
            day_text = ""
            if by_branch:
                if the_branch is not None:
                    own = BRANCH_WEEKDAYS[branch % len(BRANCH_WEEKDAYS)]
                    day = _on_weekday(first, own) + _dt.timedelta(days=2 * branch_turn)
                    if day.weekday() >= 5:  # a second session that week: two days before the branch's day
                        day = _on_weekday(first, own) - _dt.timedelta(days=2 * branch_turn)
                    day = _weekday(max(day, span.start), span)
                    branch_turn += 1
                    tutor = f"{the_branch.secretary or '支部书记'}主持" if session.by in ("secretary", "members") \
                        else tutor
                    split = sittings(the_branch.count, the_branch.sector or profile.sector, the_branch.name)
                    if split and "班次" in split:
                        split += "，同一内容各班次分别组织一次"
                    participants = f"本支部党员{split}" if split else "本支部全体党员"
                else:
                    tutor = "各支部书记主持" if session.by in ("secretary", "members") else tutor
                    participants = "各党支部分别组织"
                    day_text = "各支部按表后安排"
            elif branches and the_branch is not None:
                participants = f"{everyone}（党委统一组织）" if organization.level != "党总支" \
                    else f"{everyone}（党总支统一组织）"
            rows.append(Row(week + 1, day, session.hours, session.topic, session.form, tutor, participants, session,
                            day_text))
    return rows


def _on_weekday(week_start: _dt.date, weekday: int) -> _dt.date:
    """The day of the week starting ``week_start`` that falls on ``weekday``."""
    return week_start + _dt.timedelta(days=(weekday - week_start.weekday()) % 7)


def branch_days(profile: Profile) -> list[dict[str, object]]:
    """Each 党支部 with the weekday and place of its own sessions (for the 党委's schedule)."""
    organization = profile.org
    out = []
    for i, b in enumerate(organization.branches if organization.leads_branches else []):
        out.append({"name": b.name, "secretary": b.secretary or "×××", "count": b.count,
                    "weekday": "一二三四五六日"[BRANCH_WEEKDAYS[i % len(BRANCH_WEEKDAYS)]],
                    "place": b.place or "由支部确定"})
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
    """Hours of collective study in ``rows`` (self-study weeks not counted)."""
    return sum(r.hours for r in rows if r.session is not None)


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
    rows = plan(profile, campaign, span, branch=index, notes=request.warnings)
    from ..levels import is_large

    context.update(
        large=bool(context["branches"]) and is_large(profile, campaign),
        the_branch=context["branches"][index] if index is not None else None,
        branch_days=branch_days(profile) if index is None else [],
        span=span,
        rows=rows,
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
