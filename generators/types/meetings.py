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
from typing import Any

from ...kb.errors import CampaignError, InputError, UnknownNameError
from .org_facts import BLANK, BLANK_DATE, OrgFacts, Person, date_text, org_facts

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
DEFAULT_SIGNIN_ROWS = 20

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


def meetings(pack: Any) -> dict[str, Meeting]:
    """Return the meetings of a campaign pack by name, in pack order.

    Raises CampaignError when the pack defines none or one is malformed.
    """
    raw = _pack_meetings(pack)
    if not raw:
        raise CampaignError(f"活动资料包“{_pack_name(pack)}”中没有会议定义（meetings）")
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
    campaign = _campaign_name(pack)
    day = date_text(date)
    time_text = (time or "").strip()
    when = day if date else "＿＿月＿＿日"
    when_full = f"{day}{time_text}" if time_text else (f"{day}　　时　　分" if date else f"{BLANK_DATE}　　时　　分")
    chair = facts.secretary_ref
    roles = {
        "主持人": chair,
        "书记": facts.secretary_ref,
        "委员": f"支委{facts.committee[0]}" if facts.committee else "支委",
        "督导组": f"督导组{facts.supervisor}" if facts.supervisor else "督导组",
    }
    agenda = []
    for who, does in m.agenda:
        person = _ROLE.sub(lambda r: roles[r.group(1)], who)
        text = f"{person}{does}"
        agenda.append({"who": person, "does": does, "text": text, "minute": f"{text}。", "who_shown": False})
    roster = facts.roster or []
    expected = facts.expected
    blank_rows = expected if (expected and not roster) else (0 if roster else DEFAULT_SIGNIN_ROWS)
    rows = [{"name": p.name, "category": p.category} for p in roster]
    rows += [{"name": "", "category": ""} for _ in range(min(blank_rows, 200))]
    return {
        "org": facts.name,
        "parent": facts.parent,
        "parent_ref": facts.parent_ref,
        "campaign": campaign,
        "meeting": {
            "name": m.name,
            "title": f"{campaign}{m.name}" if campaign and not m.name.startswith(campaign) else m.name,
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
        "place": (place or facts.place or BLANK).strip(),
        "chair": chair,
        "recorder": (recorder or "").strip() or "　",
        "record_time": f"{day}　　时　　分至　　时　　分",
        "notice_to": "各党小组、全体党员" if m.attendees == "全体党员" else m.attendees,
        "issued": date_text(issued) if issued else "",
        "contact": (contact or "").strip(),
        "roster": rows,
        "expected": expected,
        "probationary": facts.probationary,
        "speech_rows": SPEECH_ROWS,
        "attendees": [p.name for p in roster],
        "absent": "",
        "observers": list(m.observers),
    }


def kit(meeting: str) -> list[tuple[str, str]]:
    """Return the (document type, template) pairs of one meeting's kit, in printing order."""
    return list(KIT.items())


def kit_file_stem(doc_type: str, meeting: str) -> str:
    """Return the file name stem of a kit document, e.g. 专题组织生活会-会议通知."""
    return f"{meeting}-{doc_type}"


def _pack_meetings(pack: Any) -> dict:
    if isinstance(pack, dict):
        data = pack.get("meetings")
    else:
        data = getattr(pack, "meetings", None)
        if data is None:
            raw = getattr(pack, "data", None) or getattr(pack, "raw", None)
            if isinstance(raw, dict):
                data = raw.get("meetings")
    if isinstance(data, dict):
        return data
    if isinstance(data, list):
        return {str(item.get("name")): item for item in data if isinstance(item, dict)}
    return {}


def _pack_name(pack: Any) -> str:
    if isinstance(pack, dict):
        return str(pack.get("name") or pack.get("id") or "")
    return str(getattr(pack, "name", "") or getattr(pack, "id", ""))


def _campaign_name(pack: Any) -> str:
    for key in ("short_name", "short", "title", "name"):
        value = pack.get(key) if isinstance(pack, dict) else getattr(pack, key, None)
        if value and isinstance(value, str):
            return value.strip()
    return ""


__all__ = ["KIT", "Meeting", "OrgFacts", "Person", "find_meeting", "kit", "meeting_context", "meetings"]
