"""实施方案: the organization's plan for the campaign, with phase dates computed from its start and duration.

指导思想, 目标要求, 基本原则, 范围和时间, each unit of the campaign's structure
with its dates, tasks and documents, 主题实践活动, 分类指导 for the sector and
member categories, 组织领导 from the profile, 工作制度, 工作要求 and the 备案
line.  With ``with_notice`` the plan is issued as the attachment of an 印发通知.
"""

from __future__ import annotations

import re
from typing import Any

from ..registry import DocumentType, Request
from ._common import LIAISON_NOTE, Citations, base_context, render


def markdown(request: Request) -> str:
    """Return the 实施方案 (or its 印发通知 with the plan attached) as Markdown."""
    from .. import titles
    from ..levels import branch_task, rally_sentence, venue_note
    from ..sector_blocks import branch_publics

    cite = Citations(request.citations)
    context = base_context(request, cite, role="plan")
    profile, campaign = request.profile, request.campaign
    bodies = {b.key: b for b in campaign.bodies}
    with_notice = bool(request.options.get("with_notice"))
    title = f"{profile.short}开展{campaign.name}实施方案"
    organization = context["organization"]
    if venue_note(profile, campaign):
        request.warnings.append(venue_note(profile, campaign))
    for officer in organization.members:
        if not officer.duty and officer.name != getattr(profile, "executive", ""):
            request.warnings.append(f"{titles.post(organization, officer)}{officer.name}同志没有写分工（“委员”中写 "
                                    f"{{姓名: {officer.name}, 分工: 宣传委员}} 或 {officer.name}（工会主席）），领导小组名单中只写职务")
    if bodies.get("office") and not str(getattr(profile, "office", "") or "").strip():
        head = organization.officer_with_duty("组织委员")
        if head is not None:  # the 办公室主任 is the 组织委员 by default: say so, the user may name another
            request.warnings.append(f"领导小组办公室主任默认由组织委员{head.name}同志担任"
                                    "（单位资料“办公室主任”可改）")
    if context["contacts"]:
        cite.note("组织领导", "default", "联系点：" + "；".join(f"{b}—{c}" for b, c in context["contacts"].items()),
                  LIAISON_NOTE)
    context.update(
        group=titles.leading_group(organization, profile),
        supervisor=titles.supervisor(profile),
        branch_task=lambda key: branch_task(campaign, key, profile, context["running"]),
        rally=rally_sentence(profile, campaign),
        unit_keys=[u.key for u in campaign.structure.units],
        title=title,
        with_notice=with_notice,
        leading_group=bodies.get("leading_group"),
        office=bodies.get("office"),
        supervision=bodies.get("supervision_team"),
        formula_verbs=formula_phrase,
        plan_label="附件1" if cite.mode == "appendix" else "附件",
        branch_publics=branch_publics(profile, organization, campaign) if context["branches"] else [],
        preparation=preparation_items(campaign, context["block"], profile),
        leadership=leadership_text(context["block"], profile, organization),
    )
    return render("campaign/实施方案.md.j2", context, cite, appendix="附件2" if with_notice else "附件", request=request)


def leadership_text(block: Any, profile: Any, organization: Any) -> str:
    """The sector block's 组织领导 sentence for this unit.

    When the 书记 is also the 行政负责人 (a 校长 who is 党总支书记), the
    block's two clauses for the two posts name one person: "校党总支书记、校长
    对教育活动负总责，并对……统筹安排负责" instead of two people in two clauses.
    """
    text = str(getattr(block, "leadership", "") or "") if block else ""
    executive = str(getattr(profile, "executive", "") or "")
    post = str(getattr(profile, "executive_post", "") or "")
    secretary = organization.secretary
    if not (text and executive and post and secretary is not None and secretary.name == executive):
        return text
    clauses = re.split(r"(?<=[，；])", text)
    lead = next((i for i, c in enumerate(clauses) if "负总责" in c), None)
    joint = next((i for i, c in enumerate(clauses) if c.startswith(post + "对") or c.startswith(post + "把")), None)
    if lead is None or joint is None:
        return text
    head, rest = clauses[lead].split("对教育活动负总责", 1)
    duty = clauses[joint][len(post):].rstrip("，；")
    clauses[lead] = f"{head}、{post}对教育活动负总责，并{duty}{rest or clauses[joint][-1:]}"
    del clauses[joint]
    return "".join(clauses).rstrip("，；")


def formula_phrase(item_name: str, text: str) -> str:
    """Return one item of a formula as a clause: 一条主线 + X → 以X为主线; 一个方针 + X → 坚持X的方针."""
    for prefix in ("一条", "一个"):
        if item_name.startswith(prefix):
            noun = item_name[len(prefix):]
            return f"坚持{text}的{noun}" if noun == "方针" else f"以{text}为{noun}"
    return f"{item_name}：{text}"


#: The 四个清楚 items whose guidance wording names members a unit may not have, and the categories they name.
_HARDSHIP, _SPECIAL = "困难党员情况清楚", "特殊类型党员情况清楚"


def preparation_items(campaign: Any, block: Any, profile: Any) -> list[dict[str, Any]]:
    """The 四个清楚 as this unit states them: all four items, each {text, entry (the guidance item) or why}.

    The guidance's third item names members of 停产、关闭以及转制企业 and the
    fourth 流动党员: a unit whose sector block does not list the third (a
    镇, a single factory, a school) states it for its own 下岗失业 and 困难
    members; a unit without 流动 members names its own special categories.
    The guidance wording stays when the unit's member counts are not given.
    """
    from ...kb import taxonomy

    items = []
    counts_known = bool(getattr(profile, "counts", None))
    for item in campaign.preparation.items:
        text, why = "", ""
        if item.name == _HARDSHIP and block is not None and item.name not in block.preparation:
            named = [f"{taxonomy.label('member', k)}党员" for k in ("laid_off", "poor") if profile.has(k)]
            text = f"{'和'.join(named) if named else '生活困难党员'}的情况清楚"
            why = f"指导原文是“{item.text}”，本单位按{block.name}和党员构成的实际表述"
        elif item.name == _SPECIAL and counts_known and not profile.has("mobile"):
            named = [f"{taxonomy.label('member', k)}党员" for k in ("retired", "elderly", "low_literacy")
                     if profile.has(k)]
            text = f"特殊类型党员的情况特别是{'、'.join(named)}的情况清楚" if named else "特殊类型党员的情况清楚"
            why = f"指导原文是“{item.text}”，本单位没有流动党员，按党员构成表述"
        items.append({"text": text or item.text, "entry": None if text else item, "why": why})
    return items


DOCUMENT_TYPE = DocumentType(
    key="implementation_plan",
    name="实施方案",
    summary="本单位开展教育活动的实施方案：阶段日期按开始日期和月数推算，可附印发通知。",
    markdown=markdown,
    aliases=("工作方案", "方案", "plan"),
    template="campaign/实施方案.md.j2",
    phase="mobilize",
    options={"with_notice": "以印发通知的附件形式发出（--with-notice）",
             "issued": "成文日期（默认为开始前一周；单位资料的“成文日期”也用于本文件）"},
    order=20,
)
