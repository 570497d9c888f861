"""学习要求: what and how the organization's members study, written for its sector and member make-up.

The sector's 着力点 (or, for sectors the guidance gives none, what it does
say), the study content, a section per member category the organization
actually has, eased requirements for elderly and low-literacy members, the
leaders' duties and the time frame, all from the campaign pack.
"""

from __future__ import annotations

from typing import Any

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
    from ..sector_blocks import fresh

    context.update(
        fresh=fresh,
        span=span,
        weeks=max((r.week for r in rows), default=0),
        hours=hours_text(total_hours(rows)),
        # a session held in two sittings (之一、之二) is one session of the phase
        sessions=len([r for r in rows if r.session is not None and getattr(r, "part", "") in ("", "（之一）")]),
        split_sessions=len([r for r in rows if r.session is not None and getattr(r, "part", "") == "（之一）"]),
        many_elderly=bool(elderly) and (not total or elderly / total >= MANY_ELDERLY),
        eased=[m for m in context["present"] if m.eased],
        leaders=campaign.study.leaders,
        leaders_refs=[titles.person(organization, o) for o in organization.officers if o.post != "书记"],
        lectures=[r for r in rows if r.session is not None and r.session.by == "secretary" and r.session.form == "党课"],
    )
    import re

    # the sessions' hours (the 动员大会 has its own notice); "；" inside a bracket is part of one hour's text
    timed = [r for r in rows if r.session is not None and getattr(r, "time", "") and "见表后" not in r.time]
    timed = [r for r in timed if r.session.form != "动员大会"] or timed
    pieces = list(dict.fromkeys(piece for r in timed
                                for piece in re.split(r"；(?![^（]*）)", re.sub(r"(\d+月)?\d+日", "次日", str(r.time)))
                                if re.search(r"\d:\d\d", piece)))  # an hour, not 传达学习 by the 支部
    # 上午9:00 is dropped when a row says which 支部 meet then (上午9:00（第一党支部…）); branch hours before the rest
    hours_of_day = sorted((p for p in pieces if not any(q.startswith(p + "（") for q in pieces)),
                          key=lambda p: "党支部）" not in p)
    if hours_of_day:
        sector_name = context["block"].name if context["block"] is not None else "本领域"
        cite.note("时间和纪律", "default", f"{context['running']}统一组织的场次时间：{'；'.join(hours_of_day)}",
                  f"按{sector_name}当时的作息定的默认时间，各场次见学习安排表；"
                  "单位资料没有对应的项，时间不合适的在学习安排表上改")
    context["party_hours"] = "；".join(hours_of_day)
    context["liaison_pairs"] = liaison_pairs(organization) if context["branches"] else []
    if context["liaison_pairs"]:
        from ._common import LIAISON_NOTE

        cite.note("领导带头", "default", "联系点：" + "，".join(context["liaison_pairs"]), LIAISON_NOTE)
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


def liaison_pairs(organization: Any) -> list[str]:
    """The 联系点 of the 实施方案's table as sentences, by rank, a branch's leaders together:
    党委书记冯树林同志、党委副书记陈卫东同志联系镇机关党支部."""
    from .. import titles
    from ._common import liaisons

    if len(organization.branches) < 2:
        return []
    groups: dict[tuple[str, ...], list[str]] = {}  # the same leaders → their branches, in the table's order
    people: dict[tuple[str, ...], list[Any]] = {}
    for branch, leaders in liaisons(organization).items():
        key = tuple(o.name for o in leaders)
        if key:
            groups.setdefault(key, []).append(branch)
            people[key] = leaders
    ranked = [o.name for o in (*([organization.secretary] if organization.secretary else []),
                               *organization.deputies, *organization.members)]
    order = sorted(groups, key=lambda k: ranked.index(k[0]) if k[0] in ranked else len(ranked))
    def named(officer: Any) -> str:  # 党委委员、厂长秦玉林同志
        return titles.person(organization, officer, post_text=titles.post(organization, officer, office=True))

    return [f"{'、'.join(named(o) for o in people[k])}联系{'、'.join(groups[k])}"
            for k in order]
