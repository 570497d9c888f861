"""转段申请: at the end of a phase the organization asks the 督导组 to agree to move on (the period's 转段 practice).

The request names the phase and its dates, lists the conditions the pack's
``procedure.transition`` checks for that phase as a table to tick (with the
materials that prove each), says the 阶段小结 is done, and asks to move to the
next phase on the day it begins; after the last phase it asks for the
群众满意度测评 the higher organization runs.  It is dated on the phase's last
working day (the 阶段小结's date) and carries no 文号: it goes to the 督导组
with the 小结.
"""

from __future__ import annotations

from ..registry import DocumentType, Request
from .forms import _facts_context, _render, _timeline, _units, find_phase
from .org_facts import md, yaml_text


def markdown(request: Request) -> str:
    """Return the 转段申请 for the phase given by the ``phase`` option (default the first) as Markdown."""
    from .. import titles
    from ..procedure import procedure

    campaign = request.campaign
    unit = find_phase(campaign, request.options.get("phase"))
    _, context = _facts_context(request, role=f"summary:{unit.key}")
    context["fm"]["number"] = yaml_text("")
    units = _units(campaign)
    index = units.index(unit)
    line = _timeline(request, quiet=True)
    spans = {s.unit.key: s for s in line.spans} if line else {}
    span = spans.get(unit.key)
    following = units[index + 1] if index + 1 < len(units) else None
    next_span = spans.get(following.key) if following is not None else None
    proc = procedure(campaign)
    conditions = proc.conditions_of(unit.key) or [md(t.name or t.text) + "已完成" for t in unit.tasks]
    conditions = [_only_present(c, request.profile) for c in conditions]
    conditions = [c for c in conditions if c]
    team = titles.supervisor(request.profile)
    context["fm"]["parent_ref"] = yaml_text(team.team)
    context.update({
        "phase": md(unit.name),
        "phase_when": span.text if span else "",
        "next_phase": md(following.name) if following is not None else "",
        "next_start": f"{next_span.start.month}月{next_span.start.day}日" if next_span else "",
        "conditions": [md(c) for c in conditions],
        "documents": [md(d) for d in unit.documents],
        "team": md(team.team),
        "survey": md(proc.survey.replace("本单位", context["running"])) if proc.survey else "",
    })
    return _render("forms/transition.md.j2", context)


def _only_present(condition: str, profile) -> str:
    """Drop the parts of a condition about members the organization does not have (送学帮学, 寄送资料)."""
    parts = {"年老体弱党员送学帮学": "elderly", "流动党员寄送学习资料": "mobile"}
    if not any(p in condition for p in parts):
        return condition
    kept = [p for p, key in parts.items() if p in condition and profile.count(key)]
    return f"{'、'.join(kept)}已落实" if kept else ""


DOCUMENT_TYPE = DocumentType(
    key="transition_request",
    name="转段申请",
    summary="阶段末向督导组提出的转段申请：对照转段条件逐项检查，附阶段小结，请求转入下一阶段（最后阶段请求组织群众满意度测评）。",
    markdown=markdown,
    aliases=("转段请示", "转段报告", "transition"),
    template="forms/transition.md.j2",
    phase="",
    options={"phase": "阶段：学习动员、分析评议、整改提高（默认第一个）", "issued": "成文日期（默认为该阶段结束之日）"},
    order=216,
)
