"""Meeting kits: 会议通知, 会议议程, 签到表, 会议记录 and 纪要 for each meeting of a campaign.

The meetings (动员大会, 专题组织生活会, …) are defined in the campaign pack
under ``meetings:`` — phase, record type, attendees, observers, agenda and
requirements.  :func:`meeting_context` turns a pack meeting plus an
organization profile plus the user's date/place into the variables the
templates under ``templates/meetings/`` print.  :func:`kit` lists the five
documents of one meeting, for ``kb generate 会议材料``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ...kb.errors import CampaignError, InputError, UnknownNameError
from ..registry import DocumentType, Request
from .org_facts import (
    BLANK,
    base_context,
    campaign_name,
    date_text,
    md,
    org_facts,
    pack_data,
    yaml_text,
)

#: Document type → (template, file stem suffix) of one meeting's kit, in printing order.
KIT: dict[str, str] = {
    "会议通知": "meetings/notice.md.j2",
    "会议议程": "meetings/agenda.md.j2",
    "签到表": "meetings/signin.md.j2",
    "会议记录": "meetings/record.md.j2",
    "会议纪要": "meetings/minutes.md.j2",
}

#: Ruled lines for speeches in a 会议记录 (enough for one page).
SPEECH_ROWS = 16
#: Blank lines on a 签到表 when no roster of names is given and no member count either.
DEFAULT_SIGNIN_ROWS = 15
#: At most this many blank lines on a 签到表 (a bigger organization prints its own roster).
MAX_SIGNIN_ROWS = 200

_ROLE = re.compile(r"\{(主持人|书记|委员|督导组)\}")


@dataclass(frozen=True)
class Meeting:
    """One meeting of a campaign, as defined in the pack."""

    name: str
    phase: str
    record_kind: str
    purpose: str
    attendees: str
    observers: tuple[str, ...]
    agenda: tuple[tuple[str, str], ...]  #: (who, does) pairs; who may hold {主持人} {书记} {委员} {督导组}
    requirements: tuple[str, ...]
    sources: tuple[str, ...] = ()  #: passages of the guidance the meeting comes from


def meetings(pack: Any) -> dict[str, Meeting]:
    """Return the meetings of a campaign pack by name, in pack order.

    Raises CampaignError when the pack defines none or one is malformed.
    """
    raw = _pack_meetings(pack)
    if not raw:
        raise CampaignError(f"活动资料包 {_pack_name(pack)} 中没有会议定义（meetings 部分），无法生成会议材料")
    out: dict[str, Meeting] = {}
    for name, spec in raw.items():
        if not isinstance(spec, dict) or not spec.get("agenda"):
            raise CampaignError(f"资料包中会议“{name}”缺少议程（agenda）")
        agenda = []
        for step in spec["agenda"]:
            if not isinstance(step, dict) or "does" not in step:
                raise CampaignError(f"资料包中会议“{name}”的议程每项应有 who 和 does")
            agenda.append((str(step.get("who", "")), str(step["does"])))
        out[str(name)] = Meeting(
            name=str(name),
            phase=str(spec.get("phase", "")),
            record_kind=str(spec.get("record_kind", "党员大会")),
            purpose=str(spec.get("purpose", "")).rstrip("。"),
            attendees=str(spec.get("attendees", "全体党员")),
            observers=tuple(str(o) for o in spec.get("observers") or ()),
            agenda=tuple(agenda),
            requirements=tuple(str(r).rstrip("。；;") for r in spec.get("requirements") or ()),
            sources=tuple(str(s) for s in spec.get("sources") or ()),
        )
    return out


def find_meeting(pack: Any, name: str | None) -> Meeting:
    """Return the meeting called ``name`` (a unique prefix or substring is enough).

    Raises InputError when ``name`` is missing, UnknownNameError when it matches none or several.
    """
    table = meetings(pack)
    choices = "、".join(table)
    if not name:
        raise InputError(f"请用 --meeting 指定会议：{choices}")
    name = str(name).strip()
    if name in table:
        return table[name]
    found = [m for m in table if name in m or m in name]
    if len(found) == 1:
        return table[found[0]]
    if found:
        raise UnknownNameError(f"会议“{name}”不明确，可能是：{'、'.join(found)}")
    raise UnknownNameError(f"没有名为“{name}”的会议；可选：{choices}")


def meeting_context(
    profile: Any,
    pack: Any,
    meeting: str | None,
    *,
    date: object = None,
    time: str | None = None,
    place: str | None = None,
    issued: object = None,
    recorder: str | None = None,
    contact: str | None = None,
) -> dict[str, Any]:
    """Return the template variables for one meeting of one organization.

    Empty date, time or place become blanks to fill in by hand; names that the
    profile does not give are printed as offices.  Raises InputError for a bad
    date, UnknownNameError for an unknown meeting.
    """
    facts = org_facts(profile)
    m = find_meeting(pack, meeting)
    context = base_context(facts, pack, issued=issued)
    campaign = campaign_name(pack)
    day = date_text(date)
    time_text = md((time or "").strip())
    when = day if date else "＿＿月＿＿日"
    when_full = f"{day}{time_text}" if time_text else f"{day}　　时　　分"
    chair = md(facts.secretary_ref)
    roles = {
        "主持人": chair,
        "书记": chair,
        "委员": md(f"支委{facts.committee[0]}") if facts.committee else "支委",
        "督导组": md(f"督导组{facts.supervisor}") if facts.supervisor else "督导组",
    }
    agenda = []
    for who, does in m.agenda:
        person = _ROLE.sub(lambda r: roles[r.group(1)], who)
        text = f"{person}{does}"
        agenda.append({"who": person, "does": does, "text": text, "minute": f"{text}。"})
    roster = facts.roster
    expected = facts.expected
    if "班子" in m.attendees:  # a 民主生活会 is the leading body's meeting, not all members'
        roster = facts.leaders
        expected = len(roster) or None
    blank_rows = 0 if roster else min(expected or DEFAULT_SIGNIN_ROWS, MAX_SIGNIN_ROWS)
    rows = [{"name": md(p.name), "category": md(p.category)} for p in roster]
    rows += [{"name": "", "category": ""} for _ in range(blank_rows)]
    title = f"{campaign}{m.name}" if campaign and not m.name.startswith(campaign) else m.name
    context.update({
        "meeting": {
            "name": m.name,
            "title": md(title),
            "phase": m.phase,
            "record_kind": m.record_kind,
            "purpose": m.purpose,
            "attendees": m.attendees,
            "observers": list(m.observers),
            "agenda": agenda,
            "requirements": list(m.requirements),
        },
        "when": when,
        "when_full": when_full,
        "place": md((place or facts.place or "").strip()) or BLANK,
        "chair": chair,
        "recorder": md((recorder or "").strip()) or "　",
        "record_time": f"{day}　　时　　分至　　时　　分",
        "contact": md((contact or "").strip()),
        "roster": rows,
        "expected": expected,
        "probationary": facts.probationary,
        "speech_rows": SPEECH_ROWS,
    })
    context["fm"].update({
        "notice_to": yaml_text("各党小组、全体党员" if m.attendees == "全体党员" else m.attendees),
        "attendees": yaml_text("、".join(p.name for p in roster)),
        "absent": yaml_text(""),
        "observers": yaml_text("、".join(m.observers)),
    })
    return context


def _options(request: Request) -> dict[str, Any]:
    opts = dict(request.options)
    return {k: opts.get(k) for k in ("date", "time", "place", "issued", "recorder", "contact")}


def _markdown(doc_type: str) -> Callable[[Request], str]:
    template = KIT[doc_type]

    def markdown(request: Request) -> str:
        from ..render import template_source

        context = meeting_context(request.profile, request.campaign, request.options.get("meeting"), **_options(request))
        return template_source(template, context)[0]

    markdown.__doc__ = f"Return the {doc_type} of the meeting named by the 'meeting' option, as Markdown."
    return markdown


def kit_markdown(request: Request) -> list[tuple[str, str]]:
    """Return (document type, Markdown) for each document of one meeting's kit, in printing order."""
    from ..render import template_source

    context = meeting_context(request.profile, request.campaign, request.options.get("meeting"), **_options(request))
    return [(name, template_source(template, context)[0]) for name, template in KIT.items()]


def kit_file_name(doc_type: str, meeting: str, fmt: str = "docx") -> str:
    """Return the file name of one kit document, e.g. 专题组织生活会-会议通知.docx."""
    return f"{meeting}-{doc_type}.{fmt}"


def generate_kit(
    profile: Any,
    meeting: str | None,
    *,
    outdir: str | Path | None = None,
    output: str | Path | None = None,
    combine: bool = False,
    fmt: str = "docx",
    campaign: Any = None,
    force: bool = True,
    **options: Any,
) -> list[Path]:
    """Write one meeting's kit for ``profile``; return the files written.

    Without ``combine`` the five documents go to ``outdir`` as
    ``会议-文件.docx`` (existing files are kept unless ``force``); with
    ``combine`` they go to ``output`` as one document, each part from a new
    page, pages numbered continuously.  Raises InputError, UnknownNameError or
    CampaignError before writing anything.
    """
    from ..campaign import Campaign, load_campaign
    from ..docmodel import combine as combine_models
    from ..markdown_model import parse_markdown
    from ..profile import load_profile
    from ..render import render_markdown, render_model

    org = load_profile(profile)
    pack = campaign if isinstance(campaign, Campaign) else load_campaign(campaign or org.campaign or None)
    wanted = {k: v for k, v in options.items() if v is not None}
    unknown = sorted(set(wanted) - set(MEETING_OPTIONS))
    if unknown:
        raise InputError(f"会议材料不支持选项：{'、'.join(unknown)}")
    request = Request(profile=org, campaign=pack, options={"meeting": meeting, **wanted})
    parts = kit_markdown(request)
    name = find_meeting(pack, meeting).name
    if combine:
        if fmt == "md":
            raise InputError("合成一个文件时请选择 docx 或 html 格式")
        if output is None:
            raise InputError("合成会议材料需要指定输出文件（-o 文件名.docx）")
        models = [parse_markdown(text, filename=f"{name}-{doc_type}") for doc_type, text in parts]
        render_model(combine_models(models), fmt=fmt, output=output)
        return [Path(output)]
    folder = Path(outdir) if outdir is not None else Path(".")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"输出位置 {folder} 已存在且不是文件夹")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for doc_type, text in parts:
        target = folder / kit_file_name(doc_type, name, fmt)
        if target.exists() and not force:
            continue
        render_markdown(text, fmt=fmt, output=target, filename=target.name)
        written.append(target)
    return written


def _kit_as_one(request: Request) -> str:
    raise InputError("会议材料包含多个文件：请用 kb generate 会议材料 --meeting 会议名称 -o 文件夹（或加 --combine 合成一个文件）")


MEETING_OPTIONS = {
    "meeting": "会议名称（资料包 meetings 中的会议）：动员大会、专题组织生活会、专题民主生活会、民主评议党员大会、整改情况通报会、总结大会",
    "date": "会议日期，如 2005-09-01（不填则留空待填）",
    "time": "会议时间，如 上午9:00",
    "place": "会议地点（默认用单位资料中的地点）",
    "issued": "通知的成文日期",
    "recorder": "记录人",
    "contact": "联系人及电话",
}
#: Options each kit document uses.
_USES = {
    "会议通知": ("meeting", "date", "time", "place", "issued", "contact"),
    "会议议程": ("meeting", "date", "time", "place"),
    "签到表": ("meeting", "date", "time", "place"),
    "会议记录": ("meeting", "date", "place", "recorder"),
    "会议纪要": ("meeting", "date", "place"),
}

_SUMMARIES = {
    "会议通知": ("meeting_notice", ("通知",), "会议通知：时间、地点、参加人员、议程和要求。"),
    "会议议程": ("meeting_agenda", ("议程",), "会议议程：按资料包规定的会议程序逐项列出。"),
    "签到表": ("signin_sheet", ("会议签到表",), "签到表：有党员名单时列出姓名，含缺席原因和补学情况。"),
    "会议记录": ("meeting_record", ("记录",), "党支部会议记录：表头预填，留出发言、表决、决议和会后任务栏。"),
    "会议纪要": ("meeting_minutes", ("纪要",), "会议纪要（GB/T 9704 纪要格式，含出席、请假、列席）。"),
}


def _document_type(name: str) -> DocumentType:
    key, aliases, summary = _SUMMARIES[name]
    return DocumentType(key=key, name=name, summary=summary, markdown=_markdown(name), aliases=aliases,
                        template=KIT[name], options={k: MEETING_OPTIONS[k] for k in _USES[name]},
                        order=151 + list(KIT).index(name))


MEETING_NOTICE = _document_type("会议通知")
MEETING_AGENDA = _document_type("会议议程")
SIGNIN_SHEET = _document_type("签到表")
MEETING_RECORD = _document_type("会议记录")
MEETING_MINUTES = _document_type("会议纪要")
MEETING_KIT = DocumentType(
    key="meeting_kit", name="会议材料", aliases=("会议套件", "全套会议材料"),
    summary="一次会议的全套材料：通知、议程、签到表、记录、纪要（分别成文件，或 --combine 合成一个）。",
    markdown=_kit_as_one, template="meetings/", options={**MEETING_OPTIONS, "combine": "合成一个 Word 文件，分页、页码连续"},
    order=150,
)


def _pack_meetings(pack: Any) -> dict:
    data = pack_data(pack).get("meetings")
    if isinstance(data, dict):
        return data
    if isinstance(data, list):
        return {str(item.get("name")): item for item in data if isinstance(item, dict)}
    return {}


def _pack_name(pack: Any) -> str:
    return str(getattr(pack, "id", "") or "") or campaign_name(pack)


__all__ = ["KIT", "Meeting", "find_meeting", "generate_kit", "kit_file_name", "kit_markdown",
           "meeting_context", "meetings"]
