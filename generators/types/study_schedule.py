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

    @property
    def hours_text(self) -> str:
        return f"{self.hours:g}"


def plan(profile: Profile, campaign: Campaign, span: Span | None = None) -> list[Row]:
    """Return the schedule rows of the 学习动员 phase (or ``span``) for ``profile``."""
    if span is None:
        times = timeline(profile, campaign)
        span = times.span(campaign.structure.units[0].key) if campaign.structure.units else None
    sessions = list(campaign.study.sessions)
    if span is None or not sessions:
        return []
    weeks = max(1, math.ceil(span.days / 7))
    # Session i goes to week floor(i * weeks / n): evenly spread, the first session in week 1.
    by_week: dict[int, list[Session]] = {}
    for i, session in enumerate(sessions):
        by_week.setdefault(i * weeks // len(sessions), []).append(session)
    rows: list[Row] = []
    tutors = list(profile.tutors)
    tutor_turn = 0
    secretary = profile.secretary or "党组织书记"
    self_study = next((f for f in campaign.study.forms if f.key == "self_study"), None)
    for week in range(weeks):
        first = span.start + _dt.timedelta(days=7 * week)
        todays = by_week.get(week, [])
        if not todays:
            topic = f"个人自学：{self_study.text}" if self_study else "个人自学"
            rows.append(Row(week + 1, min(first, span.end), 0, topic, "个人自学", "——", "全体党员", None))
            continue
        for i, session in enumerate(todays):
            day = _weekday(first + _dt.timedelta(days=_SESSION_DAYS[min(i, len(_SESSION_DAYS) - 1)] + max(0, i - 1)),
                           span)
            if session.by == "tutor":
                tutor = tutors[tutor_turn % len(tutors)] if tutors else "（待定）"
                tutor_turn += 1
            elif session.by == "secretary":
                tutor = secretary
            elif session.by == "leaders":
                tutor = "、".join([profile.secretary, *profile.committee]) or "领导班子成员"
            else:
                tutor = f"{secretary}主持"
            rows.append(Row(week + 1, day, session.hours, session.topic, session.form, tutor, "全体党员", session))
    return rows


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
    context = base_context(request, cite)
    campaign = request.campaign
    span = context["times"].spans[0] if context["times"].spans else None
    rows = plan(request.profile, campaign, span)
    context.update(
        span=span,
        rows=rows,
        total=total_hours(rows),
        total_text=hours_text(total_hours(rows)),
        cn_md=cn_md,
        weekday="一二三四五六日",
    )
    return render("campaign/学习安排表.md.j2", context, cite)


DOCUMENT_TYPE = DocumentType(
    key="study_schedule",
    name="学习安排表",
    summary="学习动员阶段逐周学习安排：日期、学时、内容、形式、辅导人、参加人员。",
    markdown=markdown,
    aliases=("学习计划表", "schedule"),
    template="campaign/学习安排表.md.j2",
    phase="mobilize",
    order=30,
)
