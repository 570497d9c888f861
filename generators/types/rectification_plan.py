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
from ._common import Citations, base_context, render
from .forms import ledger_table
from .org_facts import md


def markdown(request: Request) -> str:
    """Return the 整改方案 as Markdown."""
    cite = Citations(request.citations)
    from .. import titles

    context = base_context(request, cite, role="rectify")  # inside 整改提高, after 分析评议
    profile, campaign = request.profile, request.campaign
    organization = context["organization"]
    problems = request.options.get("problems")
    columns, rows, records = ledger_table(campaign, problems) if problems else ([], [], [])
    if not problems:  # a 征求意见稿 to publish; how to list the problems is a note, not its text
        request.warnings.append("未给出问题清单，整改方案按征求意见稿生成（列出本领域常见问题供公示征求意见）；问题清单整理好后，"
                                "可用 kb generate 整改方案 --set problems=问题清单.xlsx 生成定稿并附整改台账")
    context.update(
        title=f"{profile.short}{campaign.short_name}整改方案",
        others=[titles.person(organization, o) for o in organization.officers if o.post != "书记"],
        span=rectify_span(context["times"]),
        rules=campaign.rectification,
        leaders_first=next((r for r in campaign.requirements if r.key == "leaders_first"), None),
        masses=next((r for r in campaign.requirements if r.key == "masses"), None),
        consult=context["task"]("consult"),
        report_meeting=_meeting(campaign, "整改情况通报会"),
        problems=[{key: md(r.get(key, "")) for key in ("problem", "source", "measure", "leader", "owner", "deadline")}
                  for r in records if str(r.get("problem", "")).strip()],
        columns=columns,
        rows=rows,
        ledger_label="附件1" if cite.mode == "appendix" else "附件",
    )
    return render("campaign/整改方案.md.j2", context, cite, appendix="附件2" if rows else "附件", request=request)


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


DOCUMENT_TYPE = DocumentType(
    key="rectification_plan",
    name="整改方案",
    summary="整改方案：整改提高阶段的目标、主要问题、整改措施、责任和步骤；给出问题清单时附整改台账。",
    markdown=markdown,
    aliases=("整改提高方案", "rectification"),
    template="campaign/整改方案.md.j2",
    phase="rectify",
    options={"problems": "问题清单文件（CSV 或 XLSX，列：问题、来源、措施、责任领导、责任人、时限……），列入方案并附整改台账",
             "issued": "成文日期（默认为整改提高阶段开始后一周）"},
    order=40,
)
