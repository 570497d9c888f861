"""Forms, ledgers and reports of a campaign: one :class:`DocumentType` each.

征求意见表, 民主评议党员测评表, 群众满意度测评表, 党性分析材料提纲, 评议意见反馈表,
整改台账, 阶段小结, 工作总结, 备案报告, 督导检查表 and 信息简报.  What a form asks
comes from the campaign pack: evaluation grades (none in 2005) and survey
scale from ``evaluation``; ledger columns, survey items and the 党性分析
aspects from ``forms``; phases and their tasks from ``structure``; the 四个清楚
from ``preparation``.  Templates are under ``templates/forms/``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from ...kb.errors import CampaignError, InputError, UnknownNameError
from ..registry import DocumentType, Request
from .org_facts import BLANK_DATE, base_context, campaign_name, date_text, md, org_facts, pack_data, yaml_text

#: Ledger columns when the pack names none (the usual 整改台账).
DEFAULT_LEDGER_COLUMNS = ("序号", "问题", "来源", "措施", "责任领导", "责任人", "时限", "进展/完成情况",
                          "群众评价", "销号日期", "备注")
#: Relative width of a ledger column by name; unknown columns get 2.
LEDGER_WIDTHS = {"序号": 1.3, "问题": 4.0, "来源": 2.0, "措施": 4.0, "责任领导": 2.3, "责任人": 2.0, "时限": 2.2,
                 "进展/完成情况": 3.0, "群众评价": 2.3, "销号日期": 2.3, "备注": 1.6}
#: Survey items when the pack names none.
DEFAULT_SURVEY_ITEMS = ("党组织的组织领导", "党员学习教育", "分析评议", "整改落实", "制度建设", "服务群众")
DEFAULT_SURVEY_SCALE = ("满意", "基本满意", "不满意")
#: Blank rows for a form listing members when no roster is given (and no member count).
DEFAULT_ROWS = 12
MAX_ROWS = 200
#: Blank rows of an empty 整改台账.
LEDGER_BLANK_ROWS = 10


# ---------------------------------------------------------------- helpers
def _facts_context(request: Request, role: str = "") -> tuple[Any, dict[str, Any]]:
    """The forms' context; with ``role`` (generators/docset.py) also the document's 文号, 成文日期 and names.

    An issued document is signed with the formal name (中共某某社区委员会) and
    titled with the short one; its 成文日期 is the role's unless the
    ``issued`` option dates it (a warning when that contradicts the role), a
    blank "　　年　月　日" when nothing gives a date.
    """
    from .. import docset, titles

    facts = org_facts(request.profile)
    context = base_context(facts, request.campaign, issued=request.options.get("issued"))
    profile = request.profile
    context["running"] = context["org"]
    if hasattr(profile, "org"):
        context["org"] = md(profile.short)
        context["fm"]["org"] = yaml_text(profile.formal)
        context["running"] = md(titles.running_name(profile))
        context["secretary_ref"] = md(titles.secretary(profile.org, full=True, running=titles.running_name(profile)))
    if role:
        line = _timeline(request, quiet=True)
        explicit = request.options.get("issued")
        if not explicit and role == "filing":  # reported with the plan: the plan's own 成文日期 when given
            explicit = getattr(profile, "date", None)
        when = docset.role_date(role, line, explicit=explicit, campaign=request.campaign)
        if when.note:
            request.warnings.append(when.note)
        context["issued"] = when.text
        context["issued_day"] = when.day
        context["fm"]["date"] = yaml_text(when.text)
        numbered = role in docset.roles(request.campaign)  # a 小结 goes out as its 请示's 附件: no 文号
        number = docset.document_number(profile, request.campaign, role, when.day.year if when.day else None)
        context["fm"]["number"] = yaml_text(number if numbered else "")
    return facts, context


def _people(facts: Any, *, minimum: int = 0) -> list[str]:
    """Member names (escaped) from the roster, else blank rows as many as the members (or DEFAULT_ROWS)."""
    if facts.roster:
        return [md(p.name) for p in facts.roster]
    return [""] * max(minimum, min(facts.expected or DEFAULT_ROWS, MAX_ROWS))


def _forms(campaign: Any) -> dict:
    forms = pack_data(campaign).get("forms")
    return forms if isinstance(forms, dict) else {}


def _render(template: str, context: dict[str, Any]) -> str:
    from ..render import template_source

    return template_source(template, context)[0]


def _units(campaign: Any) -> list[Any]:
    structure = getattr(campaign, "structure", None)
    return list(getattr(structure, "units", []) or [])


def _timeline(request: Request, quiet: bool = False) -> Any:
    from ._common import timeline

    try:
        line = timeline(request.profile, request.campaign)
    except (CampaignError, KeyError, AttributeError, TypeError):
        return None
    if not quiet:
        request.warnings.extend(w for w in line.defaults if w not in request.warnings)
    return line


def _period(line: Any) -> str:
    if line is None:
        return ""
    return f"{date_text(line.start)}开始，至{date_text(line.end)}结束"


def find_phase(campaign: Any, name: str | None) -> Any:
    """Return the campaign unit (phase) called ``name`` (Chinese name or key); the first when ``name`` is empty.

    Raises UnknownNameError listing the phases.
    """
    units = _units(campaign)
    if not units:
        raise CampaignError("活动资料包没有阶段（structure.units）")
    if not name:
        return units[0]
    wanted = str(name).strip().removesuffix("阶段")
    for unit in units:
        if wanted in (unit.key, unit.name):
            return unit
    try:
        from ...kb import taxonomy

        key = taxonomy.resolve("phase", str(name))
        for unit in units:
            if unit.key == key:
                return unit
    except UnknownNameError:
        pass
    raise UnknownNameError(f"没有名为“{name}”的阶段；可选：{'、'.join(u.name for u in units)}")


# ---------------------------------------------------------------- the forms
def opinion_form(request: Request) -> str:
    """Return the 征求意见表 as Markdown: opinions on the organization and on each named member."""
    facts, context = _facts_context(request)
    due = request.options.get("due")
    context.update({
        "people": _people(facts, minimum=0) if facts.roster else [""] * 8,
        "due": date_text(due) if due else "＿＿月＿＿日",
        "collector": md(request.options.get("collector") or "党组织"),
    })
    return _render("forms/opinion.md.j2", context)


def member_evaluation(request: Request) -> str:
    """Return the 民主评议党员测评表: grade columns when the pack has grades, written opinions when not."""
    facts, context = _facts_context(request)
    evaluation = getattr(request.campaign, "evaluation", None)
    context.update({"people": _people(facts), "grades": [md(g) for g in getattr(evaluation, "grades", []) or []]})
    return _render("forms/evaluation.md.j2", context)


def satisfaction_survey(request: Request) -> str:
    """Return the anonymous 群众满意度测评表: survey items × the pack's scale (满意/基本满意/不满意)."""
    _, context = _facts_context(request)
    evaluation = getattr(request.campaign, "evaluation", None)
    scale = list(getattr(evaluation, "survey_scale", []) or DEFAULT_SURVEY_SCALE)
    survey = _forms(request.campaign).get("survey") or {}
    items = survey.get("items") if isinstance(survey, dict) else None
    context.update({"scale": [md(s) for s in scale], "items": [md(i) for i in (items or DEFAULT_SURVEY_ITEMS)]})
    return _render("forms/satisfaction.md.j2", context)


def party_analysis_outline(request: Request) -> str:
    """Return the 党性分析材料 outline: basic facts, gains, problems by aspect, roots, direction."""
    _, context = _facts_context(request)
    spec = _forms(request.campaign).get("party_analysis") or {}
    members = getattr(request.campaign, "members", {}) or {}
    context.update({
        "standard": md(spec.get("standard") or "党章规定和党员先进性的具体要求"),
        "aspects": [md(a) for a in spec.get("aspects") or ("理想信念", "宗旨观念", "组织纪律", "思想和工作作风")],
        "relaxed": any(getattr(m, "eased", False) for m in members.values()),
    })
    return _render("forms/party_analysis.md.j2", context)


def evaluation_feedback(request: Request) -> str:
    """Return the 评议意见反馈表: one table per member of the roster (each on its own page), or one blank."""
    facts, context = _facts_context(request)
    context["people"] = [md(p.name) for p in facts.roster] or [""]
    return _render("forms/feedback.md.j2", context)


def rectification_ledger(request: Request) -> str:
    """Return the 整改台账: a landscape table with the pack's ledger columns, rows from the ``problems`` file."""
    _, context = _facts_context(request)
    columns, rows, _ = ledger_table(request.campaign, request.options.get("problems")
                                    or getattr(request.profile, "problems", None))
    if not rows:
        # The blank rows fill the landscape page; a long name takes lines from them (the title breaks
        # after 20 characters, the 填报单位 line after 40): without this the 注 spills onto a page alone.
        org = str(context.get("org", ""))
        extra = (len(org) + 4 > 20) + (len(org) + 21 > 40)
        count = LEDGER_BLANK_ROWS - -(-extra * 579 // 454)  # body lines of 28.95 pt, rows of 8 mm
        rows = [[str(i) if c["name"] == "序号" else "　" for c in columns] for i in range(1, count + 1)]
    context.update({"columns": columns, "rows": rows})
    return _render("forms/ledger.md.j2", context)


def ledger_table(campaign: Any, problems: Any) -> tuple[list[dict[str, Any]], list[list[str]], list[dict[str, str]]]:
    """Return (columns, rows, problems) of a 整改台账 with the pack's columns.

    ``problems`` is a CSV/XLSX problem list, a list of mappings (Chinese or
    English column names) or None (no rows).  Columns are dicts with ``name``,
    ``width`` and ``center``; rows hold escaped cells in column order; the
    problems are mappings by canonical key (problem, source, measure …).
    Raises InputError when the file cannot be read or has no 问题 column.
    """
    spec = _forms(campaign).get("ledger") or {}
    names = [str(c) for c in (spec.get("columns") if isinstance(spec, dict) else None) or DEFAULT_LEDGER_COLUMNS]
    columns = [{"name": md(n), "width": LEDGER_WIDTHS.get(n, 2.0),
                "center": n in ("序号", "时限", "责任领导", "责任人", "销号日期", "群众评价")} for n in names]
    records = problem_records(problems) if problems else []
    return columns, ledger_rows(records, names), records


def problem_records(source: Any) -> list[dict[str, str]]:
    """Return the problems of a CSV/XLSX file or a list of mappings, keyed by canonical column (problem, source …)."""
    from ..roster import PROBLEM_COLUMNS, read_problems

    if isinstance(source, (str, Path)):
        return [dict(row.values) for row in read_problems(source)]
    by_header = {name.casefold(): key for key, names in PROBLEM_COLUMNS.items() for name in names}
    return [{by_header.get(str(k).strip().casefold(), str(k)): "" if v is None else str(v) for k, v in dict(r).items()}
            for r in source]


#: Problem-list columns that hold dates: an Excel date cell and a typed date come out alike (2005年10月30日).
_DATE_COLUMNS = ("deadline", "closed")


def _as_date(value: Any) -> str:
    from ..text import format_date

    text = "" if value is None else str(value).strip()
    text = re.sub(r"[ T]00:00(:00)?$", "", text)
    try:
        return format_date(text) if text else ""
    except InputError:
        return text  # 10月底前, 长期坚持 …: not a date, kept as written


def ledger_rows(records: list[dict[str, str]], columns: list[str]) -> list[list[str]]:
    """Return the ledger rows (cells escaped, in ``columns`` order) of problems keyed by canonical column."""
    from ..roster import PROBLEM_COLUMNS

    by_header = {name.casefold(): key for key, names in PROBLEM_COLUMNS.items() for name in names}
    rows = []
    for number, record in enumerate(records, start=1):
        cells = []
        for column in columns:
            key = by_header.get(column.casefold(), column)
            value = record.get(key, "")
            if key in _DATE_COLUMNS:
                value = _as_date(value)
            cells.append(str(number) if key == "序号" else (md(value) or "　"))
        rows.append(cells)
    return rows


def phase_summary(request: Request) -> str:
    """Return the 阶段小结 of the phase given by the ``phase`` option (default the first); see types/phase_report.py."""
    from .phase_report import summary_markdown

    return summary_markdown(request)


def work_summary(request: Request) -> str:
    """Return the outline of the 工作总结: facts, what was done phase by phase, results, problems, next steps."""
    from ..member_facts import members_sentence

    facts, context = _facts_context(request, role="final")
    profile = request.profile
    line = _timeline(request)
    units = _units(request.campaign)
    opening = (f"按照{context['parent_ref']}的统一部署，{context['org']}开展了{context['campaign']}。")
    context.update({
        "opening": opening,
        "members_facts": md(members_sentence(profile, context.get("running") or context["org"])),
        "period": _period(line),
        "phase_names": [md(u.name) for u in units],
        "phases": [{"name": md(u.name), "tasks": [md(t.name or t.text) for t in u.tasks]} for u in units],
    })
    return _render("forms/summary.md.j2", context)


def filing_report(request: Request) -> str:
    """Return the 备案报告 that sends the 实施方案 to the higher committee for the record.

    Dated by the ``issued`` option, else by the profile's 成文日期 (the plan's date).
    """
    facts, context = _facts_context(request, role="filing")
    line = _timeline(request)
    short = getattr(request.profile, "short", facts.name)
    plan_title = f"{short}开展{getattr(request.campaign, 'name', campaign_name(request.campaign))}实施方案"
    context.update({
        "period": f"{_period(line)}，共{line.duration}" if line else "",
        "plan_title": md(plan_title),
    })
    context["fm"]["plan"] = yaml_text(plan_title)
    return _render("forms/filing.md.j2", context)


def inspection_checklist(request: Request) -> str:
    """Return the 巡回检查/督导 checklist: leadership, plan, bodies, 四个清楚, each phase's tasks, systems, evidence."""
    _, context = _facts_context(request)
    campaign = request.campaign
    checks: list[dict[str, Any]] = [
        {"name": "组织领导", "items": ["党组织书记履行第一责任人职责，领导班子成员以足够的时间和精力参加教育活动",
                                     "成立领导小组及办公室，明确工作人员和职责"]},
        {"name": "实施方案", "items": ["结合本单位实际制定实施方案，报上级党委备案"]},
    ]
    preparation = getattr(campaign, "preparation", None)
    if preparation is not None and getattr(preparation, "items", None):
        checks.append({"name": md(preparation.name),
                       "items": [md(i.text or i.name) for i in preparation.items]})
    for unit in _units(campaign):
        checks.append({"name": f"{md(unit.name)}阶段", "items": [md(t.name or t.text) for t in unit.tasks]})
    systems = getattr(campaign, "systems", []) or []
    if systems:
        checks.append({"name": "工作制度", "items": [f"落实{md(s.name)}" for s in systems]})
    documents = [d for u in _units(campaign) for d in getattr(u, "documents", [])]
    if documents:
        checks.append({"name": "佐证材料", "items": ["、".join(md(d) for d in documents)]})
    context.update({"checks": checks, "inspectors": md(request.options.get("inspectors") or "")})
    return _render("forms/inspection.md.j2", context)


def bulletin(request: Request) -> str:
    """Return a 信息简报: masthead with issue number, issuer and date, title, body to fill in, 报/送/发 line."""
    facts, context = _facts_context(request)
    short = str(getattr(request.campaign, "short_name", "") or campaign_name(request.campaign))
    issue = str(request.options.get("issue") or "").strip()
    if issue and not issue.isdigit():
        raise InputError(f"简报期号应为数字，而不是“{issue}”")
    issued = request.options.get("issued")
    context.update({
        "issue": issue or "　　",
        "title": md(request.options.get("title") or "（标题）"),
    })
    context["fm"]["masthead"] = yaml_text(f"{short}简报")
    context["fm"]["issuer"] = yaml_text(request.options.get("issuer") or facts.name)
    context["fm"]["date"] = yaml_text(date_text(issued) if issued else BLANK_DATE)
    context["fm"]["to_parent"] = yaml_text(facts.parent_ref)
    context["fm"]["to_supervisor"] = yaml_text(f"督导组{facts.supervisor}" if facts.supervisor else "督导组")
    return _render("forms/bulletin.md.j2", context)


# ---------------------------------------------------------------- registration
def _type(key: str, name: str, aliases: tuple[str, ...], summary: str, markdown: Callable[[Request], str],
          template: str, phase: str = "", options: dict[str, str] | None = None, order: int = 200) -> DocumentType:
    return DocumentType(key=key, name=name, aliases=aliases, summary=summary, markdown=markdown,
                        template=template, phase=phase, options=options or {}, order=order)


_ISSUED = {"issued": "成文日期，如 2005-10-08"}

OPINION_FORM = _type("opinion_form", "征求意见表", ("意见表",), "征求意见表：对党组织和每名党员的意见建议（可不署名）。",
                     opinion_form, "forms/opinion.md.j2", "evaluate",
                     {"due": "交表截止日期", "collector": "收表人或部门"}, 210)
MEMBER_EVALUATION = _type("member_evaluation", "民主评议党员测评表", ("测评表", "民主评议测评表"),
                          "民主评议党员测评表：按资料包的评议规则（2005 年不定格次）。",
                          member_evaluation, "forms/evaluation.md.j2", "evaluate", order=211)
SATISFACTION_SURVEY = _type("satisfaction_survey", "群众满意度测评表", ("满意度测评表",),
                            "群众满意度测评表：测评项目 × 满意/基本满意/不满意，不记名。",
                            satisfaction_survey, "forms/satisfaction.md.j2", "rectify", order=212)
PARTY_ANALYSIS_OUTLINE = _type("party_analysis_outline", "党性分析材料提纲", ("党性分析提纲", "党性分析材料"),
                               "党性分析材料提纲：基本情况、收获、问题、根源、努力方向。",
                               party_analysis_outline, "forms/party_analysis.md.j2", "evaluate", order=213)
EVALUATION_FEEDBACK = _type("evaluation_feedback", "评议意见反馈表", ("反馈表",),
                            "评议意见反馈表：每名党员一页，优点、问题、整改方向。",
                            evaluation_feedback, "forms/feedback.md.j2", "evaluate", order=214)
RECTIFICATION_LEDGER = _type("rectification_ledger", "整改台账", ("台账",),
                             "整改台账（横向表格）：序号、问题、来源、措施、责任人、时限、销号等；可从问题清单读入。",
                             rectification_ledger, "forms/ledger.md.j2", "rectify",
                             {"problems": "问题清单文件（CSV 或 XLSX，列：问题、来源、措施、责任领导、责任人、时限……）"}, 215)
PHASE_SUMMARY = _type("phase_summary", "阶段小结", ("小结",),
                      "阶段小结：本阶段按计划做的工作（日期、学习、会议），单位资料“阶段情况”给出的实际数字、成效和问题，"
                      "转段和下一阶段打算；实际情况未给出时为不编文号的草稿。",
                      phase_summary, "forms/phase_summary.md.j2", "",
                      {"phase": "阶段：学习动员、分析评议、整改提高（默认第一个）", **_ISSUED}, 216)
WORK_SUMMARY = _type("work_summary", "工作总结", ("总结",), "工作总结提纲：基本情况、各阶段做法、成效、问题、打算。",
                     work_summary, "forms/summary.md.j2", "rectify", dict(_ISSUED), 217)
FILING_REPORT = _type("filing_report", "备案报告", ("实施方案备案报告",), "备案报告：向上级党委报送实施方案备案。",
                      filing_report, "forms/filing.md.j2", "", dict(_ISSUED), 218)
INSPECTION_CHECKLIST = _type("inspection_checklist", "督导检查表", ("巡回检查表", "检查表", "督导表"),
                             "巡回检查/督导记录表：组织领导、方案、四个清楚、各阶段任务、制度、佐证材料。",
                             inspection_checklist, "forms/inspection.md.j2", "", {"inspectors": "检查组成员"}, 219)
BULLETIN = _type("bulletin", "信息简报", ("简报",), "信息简报：报头（期号、编发单位、日期）、标题、正文、报送发。",
                 bulletin, "forms/bulletin.md.j2", "",
                 {"issue": "期号（数字）", "title": "简报标题", "issuer": "编发单位", **_ISSUED}, 220)
