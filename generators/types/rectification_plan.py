"""整改方案: how the organization rectifies what the 分析评议 phase brought to light.

With the problems the analysis found (the ``problems`` option, or the
profile's ``整改问题``) it is the adopted plan: a 文号, dated after the 公示,
one measure per problem with its 责任领导, 责任部门 and 时限, and the
整改台账 as a landscape attachment.  Without them it is the 征求意见稿
published when the phase begins: no 文号, the problems the profile records
(专题民主生活会, 分析评议) and then the sector's typical problems as areas to
check (practice, labelled so in the 依据), each with a measure, and the 公示
period.  The adopted plan adds the 班子's problems from the 专题民主生活会.  Both name the one or two 突出问题 solved during the campaign
and put the phase's steps on the calendar (generators/rectification.py).
"""

from __future__ import annotations

from typing import Any

from ...kb.errors import CampaignError
from ..registry import DocumentType, Request
from ._common import Citations, base_context, render
from .forms import ledger_table, problem_records
from .org_facts import md


def markdown(request: Request) -> str:
    """Return the 整改方案 as Markdown."""
    from .. import rectification, titles

    cite = Citations(request.citations)
    profile, campaign = request.profile, request.campaign
    source = request.options.get("problems") or getattr(profile, "problems", None)
    records = problem_records(source) if source else []
    final = any(str(r.get("problem", "") or "").strip() for r in records)
    days = _publicity_days(request)

    def steps_of(times: Any) -> Any:
        span = rectify_span(times)
        return rectification.dates(span, days) if span is not None else None

    def role_day(times: Any) -> Any:
        steps = steps_of(times)
        return None if steps is None else (steps.adopted if final else steps.draft)

    context = base_context(request, cite, role="rectify" if final else "rectify_draft", role_day=role_day)
    organization = context["organization"]
    # the 依据 lists the defaults this plan uses (the 公示 period), not the study amounts (笔记字数 …) — review r5
    cite.statements[:] = [s for s in cite.statements if s.section != "默认数量" or s.text.startswith("公示天数")]
    span = rectify_span(context["times"])
    steps = steps_of(context["times"])
    block = context["block"]
    found = rectification.findings(profile, campaign)
    fixed = [f for f in found if rectification.solved(f.problem)]
    found = [f for f in found if f not in fixed]
    if final:
        from ..campaign_calendar import seasons as sector_seasons

        items = rectification.adopted_items(
            records, profile, campaign, organization, steps, request.warnings,
            sector_seasons(profile.sector or "", block.key if block else ""),
            issued=rectification.date_of(str(context.get("date") or "")))
        cite.note("存在的主要问题", "user", f"问题清单{len(items)}项（问题、来源、措施、责任领导、时限）")
    elif steps is not None and (found or block is not None and block.measures):
        known = rectification.facts(profile, campaign)
        typical, dropped = rectification.contradicted(list(block.measures) if block else [], known)
        items, free = rectification.from_findings(found, typical, organization, steps,
                                                  answers=list(block.answers) if block else [])
        for finding in fixed:
            cite.note("存在的主要问题", "user", f"不列“{finding.problem}”：{finding.source}已经解决")
            request.warnings.append(f"“{finding.problem}”（{finding.source}）已经解决，整改方案不再列为整改问题；"
                                    "如仍需整改，请改写单位资料中的这一条")
        _note_findings(cite, items)
        for measure, fact in dropped:
            cite.note("存在的主要问题", "user", f"不列“{measure.name or measure.problem}”：单位资料记载“{fact}”")
        if free:
            items += rectification.from_block(free, organization, steps, request.warnings, start=len(items) + 1)
            for item in items:
                if item.part == rectification.CHECK_PART:
                    cite.note("存在的主要问题", "practice",
                              f"{block.name}常见问题（初步梳理，列为对照检查的方面，待公示核实）：{item.problem}")
                    cite.note("整改措施和责任分工", "practice", f"当时的常见整改措施：{item.measure}")
        if items:
            cite.note("整改措施和责任分工", "user", "责任领导按单位资料中班子成员的分工确定")
        own = sum(1 for i in items if i.part != rectification.CHECK_PART)
        typical = len(items) - own
        parts = ([f"{own}个问题取自单位资料记载的专题民主生活会和分析评议情况"] if own else []) + (
            [f"{typical}个是{block.name if block else '本领域'}当时常见的问题，列为对照检查的方面，不是本单位的评议结果"]
            if typical else [])
        request.warnings.append(
            f"未给出问题清单，整改方案按征求意见稿生成：{'；'.join(parts)}。"
            "公示前请按征求到的意见和查摆出的问题修改；"
            "问题清单（CSV 或 XLSX，列：问题、来源、措施、责任领导、责任人、时限、突出问题）整理好后，"
            "给出问题清单即生成定稿和整改台账")
    else:
        items = []
        request.warnings.append("未给出问题清单，本领域也没有常见问题可列：整改方案按征求意见稿生成，问题和措施待填")
    # a draft proposes its 突出问题 among the unit's own findings, never among the areas still to be checked
    hot = rectification.hot_items(items) if final else rectification.draft_hot(items)
    late = [i for i in hot if final and not _within(i.deadline, span)]
    if late:
        request.warnings.append(
            f"集中解决的突出问题“{'、'.join(i.short for i in late)}”的时限不在集中学习教育期间"
            f"（{span.text if span else ''}）：突出问题应在活动期间解决，请把时限提前到阶段结束前，或另选突出问题")
    if hot and final:
        rule = "问题清单中标为突出问题的" if any(i.hot for i in items) else "来源为征求意见的前两项（无则前两项）"
        cite.note("整改措施和责任分工", "user", f"集中解决的突出问题：{'、'.join(i.short for i in hot)}（按{rule}问题选定）")
    elif hot:
        cite.note("整改措施和责任分工", "practice",
                  f"拟集中解决的突出问题：{'、'.join(i.short for i in hot)}（从本单位查摆出、阶段内能完成的问题中提出，"
                  "是建议，公示后根据党员群众意见确定）")
    if steps is not None:
        cite.note("方法步骤和时间安排", "default",
                  f"时限：立说立行的问题{steps.deadline('soon')}，其余{steps.deadline('end')}，"
                  f"阶段内办不完的{steps.deadline('later')}，长效机制{rectification.LONG_TERM}",
                  "按整改提高阶段的日期推算（定稿后一周、阶段结束前、阶段结束后第二个月底前）；问题清单的“时限”列可改")
    columns, rows, label = [], [], "责任人"
    if final:
        from .forms import ledger_rows

        columns, _, _ = ledger_table(campaign, None)
        rows = ledger_rows(rectification.ledger_records(items), [c["name"] for c in columns])
        # the column holds persons only when every row names one; departments are not called 责任人
        label = "责任人" if all(i.person for i in items if i.owner) else (
            "责任部门" if not any(i.person for i in items) else "责任部门（责任人）")
        for column in columns:
            if column["name"] == "责任人":
                column["name"] = label
    leaders_found = [f for f in found if f.part == rectification.LEADERS_PART and f.who]
    if final and leaders_found:
        cite.note("整改措施和责任分工", "user",
                  f"班子成员在专题民主生活会上查摆的问题{len(leaders_found)}条（单位资料“会议情况”）")
        cite.note("整改措施和责任分工", "practice", "班子成员对照专题民主生活会查摆的个人问题逐人写出书面整改措施，公开，"
                  "接受督导组和党员群众监督")
    said = rectification.comments(profile) if any(i.part == rectification.LEADERS_PART for i in items) else []
    for comment in said:
        cite.note("存在的主要问题", "user", f"专题民主生活会点评：{comment}")
    parts = [p for p in (rectification.LEADERS_PART, rectification.MEMBERS_PART, rectification.CHECK_PART)
             if any(i.part == p for i in items)]
    opinions = None if final else _opinions(profile, campaign)
    if final and any("党委办公室" in i.owner for i in items):  # the unit's own list names its 党委办公室: it prints
        context["printer"] = "党委办公室"
    context.update(
        opinions=opinions,
        hot_marked=any(i.hot for i in items),
        hot_public=all(any(w in i.source for w in ("征求意见", "群众")) for i in hot),
        leaders_found=leaders_found if final else [],
        owner_label=label,
        paper_title=f"{profile.short}{campaign.short_name}整改方案" + ("" if final else "（征求意见稿）"),
        parts=parts,
        leaders_part=rectification.LEADERS_PART,
        members_part=rectification.MEMBERS_PART,
        check_part=rectification.CHECK_PART,
        comments=said,
        title=f"{profile.short}{campaign.short_name}整改方案",
        final=final,
        span=span,
        steps=steps,
        items=items,
        hot=hot,
        hot_numbers="、".join(str(i.number) for i in hot),
        hot_names="、".join(i.short for i in hot),
        quoted=lambda text: md(str(text).replace("“", "‘").replace("”", "’")),
        party_public=_with_members(block.public if block else "群众"),
        md=md,
        publicity_days=days,
        rules={r.key: r for r in campaign.rectification},
        leaders_first=next((r for r in campaign.requirements if r.key == "leaders_first"), None),
        masses=next((r for r in campaign.requirements if r.key == "masses"), None),
        consult=context["task"]("consult"),
        report_meeting=_meeting(campaign, "整改情况通报会"),
        supervisor_team=titles.supervisor(profile).team,
        columns=columns,
        rows=rows,
        ledger_label="附件1" if cite.mode == "appendix" else "附件",
        cn_n=_cn,
        cn_count=lambda n: "两" if n == 2 else _cn(n),
    )
    return render("campaign/整改方案.md.j2", context, cite, appendix="附件2" if rows else "附件", request=request)


def _note_findings(cite: Citations, items: list[Any]) -> None:
    for item in items:
        cite.note("存在的主要问题", "user", f"{item.source}：{item.problem}")
        if item.grouped:
            continue
        cite.note("整改措施和责任分工", "practice", f"当时的常见整改措施：{item.measure}")
        for number in item.defaults:
            cite.note("整改措施和责任分工", "default", f"措施中的“{number}”是默认值",
                      "公示期间按党员群众意见修改，定稿时写入问题清单的“措施”列")
    grouped = [i for i in items if i.grouped]
    if grouped:
        cite.note("整改措施和责任分工", "practice",
                  f"班子成员个人查摆问题的整改（第{'、'.join(str(i.number) for i in grouped)}项）：{grouped[0].measure}")


def _within(deadline: str, span: Any) -> bool:
    """True when a 时限 (2005年9月30日, 9月30日前) falls within the phase ``span``; 长期坚持 and 12月底前 do not."""
    import re

    from .. import rectification

    day = rectification.date_of(deadline)
    if day is None and span is not None:
        m = re.fullmatch(r"(\d{1,2})月(\d{1,2})日前?", deadline.strip())
        if m:
            import datetime as dt

            day = dt.date(span.end.year, int(m[1]), int(m[2]))
    return day is not None and (span is None or day <= span.end)


def _opinions(profile: Any, campaign: Any) -> Any:
    """The 分析评议 phase's opinions as the profile gives them: count and texts (None when it gives no count)."""
    from types import SimpleNamespace

    from .. import phase_results

    for unit in campaign.structure.units:
        if unit.key == "evaluate":
            results = phase_results.results_for(profile, unit)
            texts = results.texts.get("群众意见", [])
            count = results.numbers.get("征求意见条数") or (len(texts) if texts else None)
            return SimpleNamespace(count=count, texts=texts) if count else None
    return None


def _publicity_days(request: Request) -> int:
    from ..profile import parse_count

    given = request.options.get("publicity_days")
    if given not in (None, ""):
        days = parse_count(given, "公示天数")
    else:
        days = getattr(request.profile, "publicity_days", None)
    if days is None:
        spec = (request.campaign.amounts or {}).get("publicity_days") or {}
        from ..rectification import PUBLICITY_DAYS

        days = int(spec.get("default", PUBLICITY_DAYS))
    if days < 1:
        raise CampaignError(f"公示天数应至少为 1 个工作日，而不是 {days}")
    return int(days)


def _with_members(public: str) -> str:
    """党员和干部职工; 党员、学生家长和学生 (no second 和)."""
    return f"党员、{public}" if "和" in public else f"党员和{public}"


_CN = "零一二三四五六七八九十"


def _cn(n: int) -> str:
    return _CN[n] if n <= 10 else f"十{_CN[n - 10]}" if n < 20 else str(n)


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
    summary="整改方案：整改提高阶段的问题、每个问题的措施、责任领导和时限、突出问题和步骤；"
            "给出问题清单时为定稿（附整改台账），否则为公示用的征求意见稿。",
    markdown=markdown,
    aliases=("整改提高方案", "rectification"),
    template="campaign/整改方案.md.j2",
    phase="rectify",
    options={"problems": "问题清单文件（CSV 或 XLSX，列：问题、来源、措施、责任领导、责任人、时限、突出问题……），"
                         "列入方案并附整改台账（单位资料的“整改问题”也可给出）",
             "publicity_days": "征求意见稿的公示天数（工作日，默认5）",
             "issued": "成文日期（默认：征求意见稿为整改提高阶段的第一个工作日，定稿为公示期满、报督导组审核之后）"},
    order=40,
)
