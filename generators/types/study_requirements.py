"""学习要求: what and how the organization's members study, written for its sector and member make-up.

The sector's 着力点 (or, for sectors the guidance gives none, what it does
say), the study content, a section per member category the organization
actually has, eased requirements for elderly and low-literacy members, the
leaders' duties and the time frame, all from the campaign pack.
"""

from __future__ import annotations

from ..registry import DocumentType, Request
from ._common import Citations, base_context, hours_text, render
from .study_schedule import plan, total_hours

#: A share of elderly members at or above which 送学帮学 gets its own detailed arrangements.
MANY_ELDERLY = 0.15


def markdown(request: Request) -> str:
    """Return the 学习要求 as Markdown."""
    cite = Citations(request.citations)
    from .. import titles

    context = base_context(request, cite, role="study")
    profile, campaign = request.profile, request.campaign
    organization = context["organization"]
    span = context["times"].spans[0] if context["times"].spans else None
    rows = plan(profile, campaign, span)
    total = profile.total or 0
    elderly = profile.count("elderly")
    context.update(
        span=span,
        weeks=max((r.week for r in rows), default=0),
        hours=hours_text(total_hours(rows)),
        sessions=len([r for r in rows if r.session is not None]),
        many_elderly=bool(elderly) and (not total or elderly / total >= MANY_ELDERLY),
        eased=[m for m in context["present"] if m.eased],
        leaders=campaign.study.leaders,
        leaders_refs=[titles.person(organization, o) for o in organization.officers if o.post != "书记"],
        lectures=[r for r in rows if r.session is not None and r.session.by == "secretary" and r.session.form == "党课"],
    )
    return render("campaign/学习要求.md.j2", context, cite, request=request)


DOCUMENT_TYPE = DocumentType(
    key="study_requirements",
    name="学习要求",
    summary="按领域着力点和本单位党员构成提出学习内容、形式、笔记和时间要求（以通知形式发出）。",
    markdown=markdown,
    aliases=("学习教育要求", "requirements"),
    template="campaign/学习要求.md.j2",
    phase="mobilize",
    options={"issued": "成文日期（默认为学习动员阶段开始之日）"},
    order=10,
)
