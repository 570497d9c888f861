"""整改方案: how the organization rectifies what the 分析评议 phase brought to light.

The 整改提高 phase's goal and dates, the problems (from a problem list when
one is given, otherwise headed spaces to fill in), the pack's rectification
rules as the measures, who is responsible, the phase's steps, and — when a
problem list is given — the 整改台账 as a landscape attachment.  Every
statement from the pack is cited in the 编写依据 appendix.
"""

from __future__ import annotations

from typing import Any

from ...kb.errors import CampaignError
from ..registry import DocumentType, Request
from ._common import Citations, base_context, cn_date
from .forms import ledger_table
from .org_facts import md, pack_data


def markdown(request: Request) -> str:
    """Return the 整改方案 as Markdown."""
    from ..render import template_source

    cite = Citations(request.citations)
    context = base_context(request, cite)
    profile, campaign = request.profile, request.campaign
    span = rectify_span(context["times"])
    if profile.date is None and span is not None:
        # dated when the phase begins, not when the campaign began
        request.warnings[:] = [w for w in request.warnings if not w.startswith("成文日期未给出")]
        phase = f"{span.unit.name}阶段" if campaign.structure.kind == "phases" else span.unit.name
        request.warnings.append(f"成文日期未给出，按{phase}开始日期 {cn_date(span.start)}")
        context["date"] = cn_date(span.start)
    problems = request.options.get("problems")
    columns, rows, records = ledger_table(request.campaign, problems) if problems else ([], [], [])
    tasks = {t.key: t for u in campaign.structure.units for t in u.tasks if t.key}
    appendix_heading = "# 附件2 编写依据" if rows else "# 附件 编写依据"
    context.update(
        title=f"{profile.name}{campaign.short_name}整改方案",
        span=span,
        rules=campaign.rectification,
        leaders_first=next((r for r in campaign.requirements if r.key == "leaders_first"), None),
        masses=next((r for r in campaign.requirements if r.key == "masses"), None),
        consult=tasks.get("consult"),
        report_meeting=_meeting(campaign, "整改情况通报会"),
        report_meeting_sources=_meeting_sources(campaign, "整改情况通报会"),
        problems=[{"problem": md(r.get("problem", "")), "source": md(r.get("source", ""))}
                  for r in records if str(r.get("problem", "")).strip()],
        columns=columns,
        rows=rows,
    )
    text, _ = template_source("campaign/整改方案.md.j2", context)
    appendix = cite.appendix(appendix_heading)
    return text.rstrip("\n") + ("\n\n" + appendix if appendix else "") + "\n"


def rectify_span(times: Any) -> Any:
    """The span of the rectification phase: key ``rectify``, else a unit named 整改…, else the last unit."""
    spans = list(times.spans)
    for span in spans:
        if span.unit.key == "rectify":
            return span
    for span in spans:
        if "整改" in span.unit.name:
            return span
    return spans[-1] if spans else None


def _meeting(campaign: Any, name: str) -> Any:
    from .meetings import meetings

    try:
        return meetings(campaign).get(name)
    except CampaignError:
        return None


def _meeting_sources(campaign: Any, name: str) -> list[str]:
    """The passages the pack gives for a meeting (the Meeting model does not carry them)."""
    raw = pack_data(campaign).get("meetings")
    entry = raw.get(name) if isinstance(raw, dict) else None
    sources = entry.get("sources") if isinstance(entry, dict) else None
    return [str(s) for s in sources] if isinstance(sources, list) else []


DOCUMENT_TYPE = DocumentType(
    key="rectification_plan",
    name="整改方案",
    summary="整改方案：整改提高阶段的目标、主要问题、整改措施、责任和步骤；给出问题清单时附整改台账。",
    markdown=markdown,
    aliases=("整改提高方案", "rectification"),
    template="campaign/整改方案.md.j2",
    phase="rectify",
    options={"problems": "问题清单文件（CSV 或 XLSX，列：问题、来源、措施、责任领导、责任人、时限……），列入方案并附整改台账"},
    order=40,
)
