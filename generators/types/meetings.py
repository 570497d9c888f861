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
    BLANK_DATE,
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
#: What reports a meeting whose pack entry says ``report: 简报`` (the 动员大会), in place of the 纪要.
BULLETIN = ("信息简报", "meetings/bulletin.md.j2")


def kit_templates(meeting: Any) -> dict[str, str]:
    """Document type → template of ``meeting``'s kit: a 简报 in place of the 纪要 when the pack says so."""
    if getattr(meeting, "report", "纪要") != "简报":
        return dict(KIT)
    return {**{k: v for k, v in KIT.items() if k != "会议纪要"}, BULLETIN[0]: BULLETIN[1]}

#: Ruled lines for speeches in a 会议记录 (enough for one page).
SPEECH_ROWS = 16
#: Blank lines on a 签到表 when no roster of names is given and no member count either.
DEFAULT_SIGNIN_ROWS = 15

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
    chair: str = "书记"  #: who chairs: 书记, or 副书记 when the 书记 gives the main speech
    level: str = ""  #: 党支部: held by each branch (专题组织生活会); "" : by the organization itself
    votes: bool = False  #: the meeting votes (a 表决 block in its record)
    report: str = "纪要"  #: what reports the meeting besides its 会议记录: 纪要, or 简报 (a 动员大会 decides nothing)

    @property
    def leaders_only(self) -> bool:
        """True for a meeting of the 领导班子 (专题民主生活会)."""
        return "班子" in self.attendees

    @property
    def members_meeting(self) -> bool:
        """True for a meeting of all members (动员大会, 专题组织生活会 …)."""
        return self.attendees == "全体党员"


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
            chair=str(spec.get("chair") or "书记"),
            level=str(spec.get("level") or ""),
            votes=bool(spec.get("votes")),
            report="简报" if str(spec.get("report") or "").strip() == "简报" else "纪要",
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
    from ...kb.didyoumean import did_you_mean

    raise UnknownNameError(f"没有名为“{name}”的会议；{did_you_mean(name, table)}可选：{choices}")


def _with_year(date: object, profile: Any, pack: Any) -> object:
    """Return 7月5日 as 2005年7月5日: a meeting date without a year is in the year the campaign starts."""
    if not isinstance(date, str) or not re.fullmatch(r"\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日?\s*", date):
        return date
    from ..profile import parse_date

    start = getattr(profile, "start", None) or parse_date(pack.parameter("start"), "开始日期")
    return f"{start.year}年{date.strip()}"


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
    branch: str | None = None,
) -> dict[str, Any]:
    """Return the template variables for one meeting of one organization.

    Empty date, time or place become blanks to fill in by hand; names that the
    profile does not give are printed as posts with ×××.  A meeting each
    党支部 holds (专题组织生活会) is written for the branch ``branch`` names;
    a 党委 that lists branches must name one.  The context's ``warnings``
    are notes for the user.  Raises InputError for a bad date or a missing
    branch, UnknownNameError for an unknown meeting.
    """
    from .. import docset, titles
    from ..levels import MAIN_HALL, is_large, kit_branches, main_hall_count
    from ..member_facts import roster_problem
    from ..profile import Profile, load_profile
    from ..sector_blocks import block_for

    org_profile = profile if isinstance(profile, Profile) else load_profile(profile)
    top = org_profile
    m = find_meeting(pack, meeting)
    warnings: list[str] = []
    if m.level == "党支部":
        targets = kit_branches(org_profile, branch)
        if len(targets) > 1:
            names = "、".join(t.name for t in targets)
            raise InputError(f"{m.name}由各党支部分别召开（{names}）：请用 --branch 指定党支部，"
                             f"或用 kb generate 会议材料 --meeting {m.name} -o 文件夹 为每个支部各生成一套")
        org_profile = targets[0]
    elif branch:
        raise InputError(f"{m.name}由{titles.running_name(org_profile)}召开，不按党支部分开：不用 --branch")
    organization = org_profile.org
    block = block_for(org_profile, pack)  # the sector's (a 支部's own when it has one)
    running = titles.running_name(org_profile)
    facts = org_facts(org_profile)
    if m.leaders_only and organization.is_branch:
        warnings.append(f"{m.name}是党委（党总支）领导班子的会议；{organization.short}召开的是专题组织生活会")
    context = base_context(facts, pack, issued=issued)
    context["org"] = md(org_profile.short)
    context["fm"]["org"] = yaml_text(org_profile.formal)
    campaign = campaign_name(pack)
    date = _with_year(date, profile, pack)
    parent_org = profile.org if m.level == "党支部" and org_profile is not profile and hasattr(profile, "org") else None
    leader, slot = None, None
    if parent_org is not None and parent_org.leads_branches and len(parent_org.branches) > 1:
        # the branches meet one or two a day, each with its 联系领导 (a 党委 班子 member)
        from ..branch_meetings import contact_leaders, stagger
        from ..profile import parse_date as _parse

        own = parent_org.branch(org_profile.self_ref)
        leader = contact_leaders(parent_org).get(own.name)
        if date:
            first = _parse(date, "会议日期")
            span = next((s for s in getattr(_times(profile, pack), "spans", []) if s.unit.name == m.phase), None)
            slot = stagger(parent_org.branches, first, span.start if span else None, span.end if span else None,
                           profile.sector)[own.name]
            date, time = slot.day.isoformat(), slot.time
    day = date_text(date, "会议日期")
    if date and not (time or "").strip() and m.name == "动员大会":
        # the 动员大会 is the first row of the 学习安排表: the same hour (the sector's), not a weekday morning
        from ..campaign_calendar import session_time
        from ..profile import parse_date as _parse_day

        time = session_time(org_profile.sector, block.key if block else "", _parse_day(date, "会议日期"))
        relay = _relay(org_profile, _parse_day(date, "会议日期"))
        if relay:  # members who work shifts: the meeting is held once, after the 白班; the others hear it relayed
            time = relay["time"]
    if m.leaders_only and not organization.is_branch:  # a 支部's 支委 meet where the 支部 does
        if date and not (time or "").strip():  # the 班子 meets in working hours; a school's after class
            time = _LEADERS_TIME.get(org_profile.sector, "上午8:30")
        if not (place or "").strip():
            place = str(getattr(top, "meeting_room", "") or "").strip()
            if not place:
                place = f"{organization.level_word}会议室"
                warnings.append(f"{m.name}地点默认为{place}（领导班子成员的会议不用全体党员的会场；"
                                "单位资料“会议室”可改，或生成时用 --place 指定）")
    time_text = md((time or "").strip())
    when = day if date else "＿＿月＿＿日"
    when_full = f"{day}{time_text}" if time_text else f"{day}　　时　　分"
    times = _times(org_profile, pack)
    meeting_day = None
    if date:
        from ..profile import parse_date

        meeting_day = parse_date(date, "会议日期")
        note = docset.meeting_phase_note(m.name, m.phase, meeting_day, times)
        if note:
            warnings.append(note)
    notice_date = docset.role_date("notice", times, explicit=issued, meeting_day=meeting_day)
    chair = md(titles.chair(organization, m.chair, running=running))
    supervisor = titles.supervisor(org_profile)
    observers = [_observer(o, supervisor) for o in m.observers]
    if block is not None:  # 群众代表 as the sector says it: 社区居民和驻区单位代表, 干部职工代表
        reps = _PUBLIC_REPS.get(block.key, f"{block.public}代表")
        observers = [md(reps) if o == "群众代表" else o for o in observers]
    if "上级党委联系领导" in observers:
        # the higher 党委's 联系领导 is named from the profile, or left out (not printed as an unnamed post)
        liaison = str(getattr(top, "liaison", "") or "").strip()
        if liaison:
            observers = [md(f"{liaison}同志") if o == "上级党委联系领导" else o for o in observers]
        else:
            observers = [o for o in observers if o != "上级党委联系领导"]
            warnings.append(f"{m.name}：上级党委联系领导未列入列席人员（单位资料未给出；可写“上级联系领导: "
                            "职务姓名”，如 市国资委党委副书记李某）")
    commenter = md(supervisor.ref)
    if m.level == "党支部" and org_profile is not profile and hasattr(profile, "org") and profile.org.leads_branches:
        # a branch of a 党委: the 党委's 联系领导 comments; the 督导组 may sit in
        parent_name = titles.running_name(profile)
        if leader is not None:
            post = f"{parent_name}{leader.post}{titles.office_of(leader)}"
            commenter = md(f"{post}{leader.name}同志")
            observers = [f"联系本支部的{post}{leader.name}同志", *observers]
        elif parent_org is not None and len(parent_org.branches) > 1:
            # every 班子 member belongs to this 支部: they take part as ordinary members; the 督导组 comments
            observers = [*observers]
        else:
            commenter = md(f"{parent_name}联系本支部的领导同志")
            observers = [f"{parent_name}联系领导", *observers]
        if slot is not None and not slot.supervised:
            observers = [o for o in observers if supervisor.team not in o]
            if leader is None:
                commenter = md(f"{parent_name}领导班子成员")
    roles = {
        "主持人": chair,
        "书记": md(titles.secretary(organization, full=True, running=running)),
        "委员": md(titles.member_speaker(organization)),
        "督导组": commenter,
    }
    split = ""
    if m.level == "党支部" and parent_org is not None and parent_org.branches:
        from ..levels import sittings

        own = parent_org.branch(org_profile.self_ref)
        split = sittings(own.count, own.sector or profile.sector, own.name)
    agenda = []
    for who, does in m.agenda:
        person = _ROLE.sub(lambda r: roles[r.group(1)], who)
        if who == "党员" and organization.is_branch:
            person = "支部党员"
            if split:
                person, does = "各党小组组长", "通报本组党员党性分析和相互批评情况（党小组会已先期召开）"
        if not organization.is_branch:
            does = does.replace("本单位", running)
        text = f"{person}{does}"
        agenda.append({"who": person, "does": does, "text": text, "minute": f"{text}。",
                       "heard": heard_phrase(person, does) if who != "{主持人}" and "{" in who else ""})
    attendees = m.attendees
    large = m.members_meeting and m.level != "党支部" and is_large(org_profile, pack)
    if m.leaders_only:
        attendees = f"{running}领导班子成员"
    elif m.members_meeting and m.level != "党支部" and organization.leads_branches and organization.branches:
        attendees = f"{running}所属各党支部全体党员"
    if split:  # a large 支部: 党小组 sittings over several days, the 支部 meets only for 通报 and 总结
        attendees = (f"{attendees}（本支部党员{own.count}名，{split}：党员党性分析和相互批评在会前几天的各党小组会上进行，"
                     f"由党小组长主持、支部委员分工参加；本次支部会议集中通报各党小组情况并作总结）")
    if large:
        reps = getattr(org_profile, "representatives", None)
        who = MAIN_HALL if organization.leads_branches else "领导班子成员和党员代表"
        attendees = (f"主会场：{who}（党员代表{f'{reps}名，' if reps else ''}由各党支部推选）；"
                     f"分会场：各党支部其他党员在本支部分会场参加")
    sheets = _sheets(org_profile, organization, m, warnings, roster_problem, large)
    expected = sum(sheet["expected"] or 0 for sheet in sheets if not sheet.get("hall")) or None
    hall = main_hall_count(org_profile) if large and organization.leads_branches else None
    title = f"{campaign}{m.name}" if campaign and not m.name.startswith(campaign) else m.name
    notice_to = f"{running}领导班子成员" if m.leaders_only else docset.addressee(org_profile)
    requirements = [r for r in m.requirements if _applies(r, org_profile)]
    if organization.leads_branches and organization.branches and m.level != "党支部":
        # the 党委 reaches its members through their branches
        requirements = [r.replace("向党组织请假", "向所在党支部请假").replace("由党组织", "由所在党支部")
                        for r in requirements]
    higher = str(getattr(org_profile, "parent", "") or "").strip()
    if higher and m.leaders_only:  # name who gets the report: the higher 党委's campaign office and the 督导组
        requirements = [r.replace("报上级党组织", f"报{higher}先进性教育活动办公室和{supervisor.team}")
                        for r in requirements]
    if parent_org is not None and parent_org.leads_branches and len(parent_org.branches) > 1:
        this = parent_org.branch(org_profile.self_ref)
        own_people = parent_org.members_of(this)
        leads = {o.name for o in this.officers if o.post in ("书记", "副书记")}
        # a 班子 member is an ordinary member only in a 支部 he does not lead (its 书记 chairs the meeting)
        inside = [o for o in parent_org.officers if o.name in own_people and o.name not in leads]
        if inside:
            parent_name = titles.running_name(profile)
            names = "、".join(f"{parent_name}{o.post}{o.name}同志" for o in inside)
            requirements = [*requirements, f"{names}是本支部党员，以普通党员身份参加会议，按要求作党性分析"]
    relay = _relay(org_profile, meeting_day) if m.name == "动员大会" else None
    if relay and relay["time"] != (time or "").strip():
        relay = None  # the user set the hour: no relay sittings are assumed
    if relay:
        requirements.insert(0, relay["text"])
    elif m.name == "动员大会" and meeting_day is not None and organization.leads_branches:
        from .study_schedule import evening_sitting

        evening = evening_sitting(org_profile)
        if evening:  # as the 学习安排表 says: in-service members hear it in the evening (review r3-4)
            requirements.insert(0, f"在职党员白天上班的，由所在党支部于{evening}另行组织传达学习，播放会议录音录像或"
                                   "宣读讲话材料，分别签到")
    if m.level == "党支部" and parent_org is not None and parent_org.branches and m.record_kind == "组织生活会":
        duty = _duty_rule(own, own.sector or profile.sector, split)
        if duty:
            requirements.append(duty)
    if large:
        requirements = [r.replace("全体党员准时参加", "全体党员按时到主会场或本支部分会场参加") for r in requirements]
        requirements.insert(0, _hall_leads(organization) if organization.leads_branches else
                            "其他党员由党小组组织参加；不能参加的，会后由党小组在一周内组织传达学习")
    context.update({
        "meeting": {
            "name": m.name,
            "title": md(title),
            "phase": m.phase,
            "record_kind": m.record_kind,
            "purpose": m.purpose,
            "attendees": attendees,
            "observers": observers,
            "agenda": agenda,
            "requirements": requirements,
            "votes": m.votes,
            "leaders_only": m.leaders_only,
        },
        "running": running,
        "level_word": titles.level_word(organization),
        "is_branch": organization.is_branch,
        "when": when,
        "when_full": when_full,
        "place": md((place or facts.place or "").strip()) or BLANK,
        "chair": chair,
        "recorder": md((recorder or "").strip()) or "　",
        "record_time": f"{day}　　时　　分至　　时　　分",
        "contact": md((contact or "").strip()),
        "sheets": sheets,
        "roster": [row for sheet in sheets for row in sheet["rows"]],
        "expected": expected,
        "hall_expected": hall,
        "relay": relay,  #: the main hall's own count (班子, 支部书记, 党员代表) of a 动员大会 with 分会场
        "probationary": facts.probationary if not m.leaders_only else None,
        "speech_rows": SPEECH_ROWS,
        "notice_date": notice_date.text,
        "notice_note": notice_date.note,  #: for the 会议通知 only (the other documents carry no 成文日期)
        "warnings": warnings,
        "supervisor_ref": md(supervisor.ref),
        "heard": [step["heard"] for step in agenda if step["heard"]],
        "commenter": commenter,
        "split": split,
        "secretary_ref": roles["书记"],
    })
    if m.record_kind in ("组织生活会", "民主生活会"):
        context["said"] = _said(top, org_profile, m, sheets, organization, parent_org, profile, meeting_day, times,
                                warnings)
    if m.report == "简报":
        context["bulletin"] = _bulletin(org_profile, pack, m, meeting_day, times, context, supervisor)
    present = [row["name"] for sheet in sheets for row in sheet["rows"] if row["name"]]
    if large:
        reps = getattr(org_profile, "representatives", None)
        who = "领导班子成员、各党支部书记" if organization.leads_branches else "领导班子成员"
        in_minutes = f"{who}、党员代表{f'{reps}名' if reps else ''}（主会场）；各党支部分会场"
    else:
        # not the notice's rules on how the 党小组 sit; not "全体党员" before anyone came (review r3-5)
        in_minutes = "本支部党员" if (split or organization.is_branch) else attendees.replace("全体党员", "党员")
    from ..meeting_results import results_for

    given = results_for(top, m.name, org_profile.self_ref if org_profile is not top else "") \
        or (results_for(org_profile, m.name) if org_profile is top else None)
    came = given.numbers.get("实到人数") if given else None
    came = "　　" if came is None else came
    context["fm"].update({
        "notice_to": yaml_text(notice_to),
        # the names only when 会议情况 says everyone came; else the count, 实到 to fill in (review r3-5)
        "attendees": yaml_text("、".join(present) if (len(sheets) == 1 and present and len(present) == (expected or 0)
                                                     and len(present) <= 60 and came == expected)
                               else f"主会场和各党支部分会场应到{expected or '　　'}人，实到　　人（名单见签到表）" if large
                               else f"{in_minutes}{f'应到{expected}人，' if expected else ''}实到{came}人（名单见签到表）"),
        "absent": yaml_text(""),
        "observers": yaml_text("、".join(context["meeting"]["observers"])),
        "notice_date": yaml_text(notice_date.text),
    })
    return context


#: Who represents the public at a meeting where the sector's public is not all grown-ups (a school's pupils are not
#: invited to sit in: their parents and the staff are).
_PUBLIC_REPS = {"school": "家长委员会代表和教职工代表"}

#: When a 领导班子 meets (专题民主生活会) unless the user says: the working day's morning; a school's after class.
_LEADERS_TIME = {"school": "下午4:30（课后）"}


def _bulletin(profile: Any, pack: Any, m: Meeting, day: Any, times: Any, context: dict, supervisor: Any) -> dict:
    """The 简报 that reports a 动员大会: masthead, 报/送/发, and the tasks set with deadlines from the calendar.

    The deadlines are the model's: 补学 within the profile's 补学天数 of the
    meeting, the study and the 心得体会 by the end of the meeting's phase.
    Without a meeting date they are said relative to the meeting.
    """
    import datetime as _dt

    from ._common import makeup_text

    given = getattr(profile, "makeup_days", None)
    default = ((getattr(pack, "amounts", None) or {}).get("makeup_days") or {}).get("default", 7)
    makeup = int(given if given is not None else default)
    span = next((s for s in getattr(times, "spans", []) or [] if s.unit.name == m.phase), None)
    end = f"{span.end.month}月{span.end.day}日" if span is not None else ""
    units = "各党支部" if profile.org.leads_branches else context["running"]
    place = context["place"]
    from ..levels import MAIN_HALL as MAIN_HALL_TEXT
    from ..meeting_results import results_for

    results = results_for(profile, m.name)
    present = (results.numbers.get("实到人数") if results else None)
    expected = context["expected"]
    count = (f"应到{expected}人，" if expected else "") + f"实到{present if present is not None else '　　'}人"
    if "分会场" in context["meeting"]["attendees"]:
        hall = context.get("hall_expected")
        opening = (f"在{place}设主会场、各党支部设分会场，召开{context['meeting']['title']}。"
                   f"{MAIN_HALL_TEXT if profile.org.leads_branches else '领导班子成员和党员代表'}在主会场参加"
                   f"{f'（{hall}人）' if hall else ''}，其他党员在各党支部分会场参加，{count}")
    else:
        opening = f"在{place}召开{context['meeting']['title']}，{context['meeting']['attendees']}{count}"
    relay = context.get("relay")
    if relay:
        last = relay["last"]
        opening += (f"；当班不能到会的党员，由所在党支部于{last.month}月{last.day}日分班次组织传达学习")
    if present is None:
        context["warnings"].append(f"{m.name}简报中的实到人数留空待填（单位资料“会议情况: {m.name}: 实到人数:”可给出）")
    if day is not None:
        due = day + _dt.timedelta(days=makeup)
        makeup_when = f"{due.month}月{due.day}日前"
    else:
        makeup_when = f"会后{makeup_text(makeup)}"
    tasks = [f"未到会的党员，由{'所在党支部' if units == '各党支部' else context['running']}在{makeup_when}组织补学，传达会议精神"]
    tasks.append(f"{units}按学习安排表组织集中学习、专题辅导和座谈讨论{f'，{end}前完成学习动员阶段的学习' if end else ''}")
    tasks.append(f"每名党员撰写读书笔记和心得体会{f'，{end}前' if end else '，'}交支部检查登记")
    short = str(getattr(pack, "short_name", "") or campaign_name(pack))
    higher = str(getattr(profile, "parent", "") or "").strip() or "上级党委"
    head = {
        "masthead": f"{short}简报",
        "issuer": f"{profile.short}先进性教育活动办公室",
        # issued after the last sitting: the day after the relay sittings of members on shift, else the meeting day
        "date": (date_text((relay["last"] + _dt.timedelta(days=1)).isoformat()) if relay and day is not None
                 else date_text(day.isoformat()) if day is not None else BLANK_DATE),
        "to_parent": f"{higher}先进性教育活动办公室",
        "to_supervisor": supervisor.team,
        "to_members": "各党支部" if profile.org.leads_branches else "全体党员",
    }
    return {"fm": {k: yaml_text(v) for k, v in head.items()}, "title": md(f"{profile.short}召开先进性教育活动{m.name}"),
            "opening": opening, "tasks": [md(t) for t in tasks]}


def _said(top: Any, org_profile: Any, m: Meeting, sheets: list, organization: Any, parent_org: Any, parent: Any,
          day: Any, times: Any, warnings: list[str]) -> dict[str, Any]:
    """What a 生活会 纪要 records beyond the model: the profile's ``会议情况`` (None values: still to fill in).

    The 反馈 deadline of a branch's 评议意见 is the model's: a week after the
    meeting, not past the end of its phase.  A 提示 names the keys not given.
    """
    from ..meeting_results import results_for

    branch = org_profile.self_ref if org_profile is not top else ""
    results = results_for(top, m.name, branch) or results_for(org_profile, m.name)
    rows = [row for sheet in sheets for row in sheet["rows"] if row["name"]][:60]
    names = [row["name"] for row in rows]
    people = [{"title": _titled(row, organization, m.leaders_only, parent_org, parent),
               "problem": md(results.problems[row["name"]]) if results and row["name"] in results.problems else ""}
              for row in rows]
    if not rows and results and results.problems:  # no roster: the members the profile names, in its order
        people = [{"title": md(name), "problem": md(problem)} for name, problem in results.problems.items()]
    missing = results.missing(names) if results else ["发出征求意见表", "收回征求意见表", "意见条数", "归纳方面",
                                                      "查摆问题", "批评意见", "点评"]
    if missing:
        where = f"“会议情况: {m.name}: {branch}:”" if branch else f"“会议情况: {m.name}:”"
        warnings.append(f"{branch or ''}{m.name}纪要中会上的发言情况未给出（单位资料{where}下的 {'、'.join(missing)}）："
                        "纪要中留有待填写的内容")
    feedback = ""
    if day is not None:
        from ..branch_meetings import feedback_due

        span = next((s for s in getattr(times, "spans", []) or [] if s.unit.name == m.phase), None)
        due = feedback_due(day, span)
        feedback = f"{due.month}月{due.day}日"
    numbers = results.numbers if results else {}
    return {
        "people": people,
        "numbers": {k: str(v) for k, v in numbers.items()},
        "consulted": all(k in numbers for k in ("发出征求意见表", "收回征求意见表", "意见条数", "归纳方面")),
        "criticism": [md(t) for t in (results.texts.get("批评意见", []) if results else [])],
        "comments": [md(t) for t in (results.texts.get("点评", []) if results else [])],
        "feedback": feedback,
    }


def _titled(row: dict, organization: Any, leaders_only: bool, parent_org: Any, parent: Any) -> str:
    """A name for the 纪要's list of speakers: with its post when the person holds one (党委书记王某, 支部委员李某)."""
    from .. import titles

    name = row["name"]
    if leaders_only and row.get("category"):
        return f"{row['category']}{name}"
    for o in organization.officers:
        if o.name == name:
            return f"{'支部' if organization.is_branch else ''}{o.post}{name}"
    for o in (parent_org.officers if parent_org is not None else []):
        if o.name == name:
            return f"{titles.running_name(parent)}{o.post}{name}"
    return name


def heard_phrase(who: str, does: str) -> str:
    """What a 纪要 says the meeting heard from one agenda item: 社区党委书记张三同志所作的动员讲话 ("" if not a report)."""
    first = does.split("，")[0]
    if first == "讲话":
        return f"{who}的讲话"
    match = re.search(r"作(.+)$", first)
    if match:
        return f"{who}所作的{match.group(1)}"
    match = re.search(r"(说明|通报)(.+)$", first)
    if match:
        return f"{who}关于{match.group(2)}的{match.group(1)}"
    return ""


def _hall_leads(organization: Any) -> str:
    """The notice's rule on the 分会场: each led by a named 支委 who stays with the branch (the 书记 is in the main hall)."""
    from ..levels import hall_lead

    named = [f"{b.name}{lead}同志" for b in organization.branches if (lead := hall_lead(b))]
    rest = [b.name for b in organization.branches if not hall_lead(b)]
    text = "各党支部分会场由留在本支部的支部委员负责组织本支部党员参加并签到"
    if named:
        text += f"（{'、'.join(named)}"
        text += f"；{'、'.join(rest)}由支部书记会前指定一名党员负责）" if rest else "）"
    return text + "；不能参加的，会后由支部在一周内组织传达学习"


#: How members on shift or on duty attend a branch's 组织生活会 (sector → the notice's rule; a default).
DUTY_RULES = {
    "hospital": "本院昼夜值班，会议当天值班的党员由院里提前调班参加会议；急诊抢救等确实不能离岗的，会前书面提交党性分析"
                "材料在会上宣读，会后由支部书记当面通报会议情况",
    "soe": "本支部党员倒班，会议当天当班的党员由车间提前调班参加会议；确实调不开的，会前书面提交党性分析材料在会上宣读，"
           "会后由支部书记当面通报会议情况",
}


def _duty_rule(branch: Any, sector: str, split: str) -> str:
    """The notice's rule for members on shift or duty ("" when the 支部 does not work shifts, or meets by 党小组)."""
    from ..levels import branch_sector, works_shifts

    own = branch_sector(branch, sector)
    if split or not works_shifts(own, branch.name):
        return ""
    return DUTY_RULES.get(own, "")


def _relay(profile: Any, day: Any) -> dict | None:
    """For members who work shifts: the 动员大会 is held once, after the first 班次; the other 班次 hear it relayed.

    Returns the meeting's hour, the notice's sentence on the relay sittings and the last sitting's day; None for a
    sector without shifts.
    """
    import datetime as _dt

    from ..campaign_calendar import shifts

    lines = shifts(getattr(profile, "sector", "") or "")
    if not lines or day is None:
        return None
    first, others = lines[0], lines[1:]
    after = day + _dt.timedelta(days=1)
    when = f"{after.month}月{after.day}日"
    order = ("上午", "下午", "晚上")
    others = sorted(others, key=lambda s: next((i for i, w in enumerate(order) if s.time.startswith(w)), 3))
    times = "、".join(f"{s.time.split('（')[0]}（{s.name}）" for s in others)
    names = "、".join(s.name for s in others)
    return {"time": first.time,
            "text": f"当班不能到会的{names}党员，由所在党支部于{when}{times}组织传达学习，播放会议录音录像或宣读讲话材料，"
                    "分别签到",
            "last": after, "shift": first.name}


def _observer(name: str, supervisor: Any) -> str:
    return supervisor.team + "成员" if name == "督导组成员" else name


def _times(profile: Any, pack: Any) -> Any:
    from ._common import timeline

    try:
        return timeline(profile, pack)
    except (CampaignError, KeyError, AttributeError, TypeError):
        return None


def _sheets(profile: Any, organization: Any, m: Meeting, warnings: list[str], roster_problem: Any,
            large: bool = False) -> list[dict]:
    """The sign-in sheets: one for the meeting, or one per 党支部 for a 党委's members' meeting.

    Each sheet's rows are the people it is for: the roster's names, then a
    blank row for each member the roster lacks (with a warning).
    """
    from ..levels import branch_profile

    if m.leaders_only:
        rows = [{"name": md(o.name), "category": md(_post(organization, o))} for o in organization.officers if o.name]
        missing = 0 if rows else DEFAULT_SIGNIN_ROWS // 3
        return [{"title": "", "place": "", "expected": len(rows) or None,
                 "rows": rows + [{"name": "", "category": ""} for _ in range(missing)]}]
    if m.members_meeting and organization.leads_branches and organization.branches:
        sheets = []
        for b in organization.branches:
            child = branch_profile(profile, b)
            sheet = _sheet(child, warnings, roster_problem)
            sheet["title"] = f"{b.name}（应到{sheet['expected']}人）" if sheet["expected"] else b.name
            sheet["place"] = md(f"分会场：{b.place}") if (large and b.place) else ""
            if large:
                from ..levels import hall_lead

                lead = hall_lead(b)
                sheet["title"] = md(f"{b.name}分会场（本支部党员{sheet['expected'] or '　　'}名，支部书记和党员代表在主会场签到"
                                    f"{f'；负责人：支部{lead}同志' if lead else ''}）")
            sheets.append(sheet)
        if large:
            sheets.insert(0, _hall_sheet(profile, organization))
        return sheets
    return [_sheet(profile, warnings, roster_problem)]


def _hall_sheet(profile: Any, organization: Any) -> dict:
    """The main hall's sheet of a 动员大会 with 分会场: the 班子, the 支部书记 by name, a blank row per 党员代表."""
    from ..levels import main_hall_count

    rows, seen = [], set()
    for o in organization.officers:
        if o.name and o.name not in seen:
            seen.add(o.name)
            rows.append({"name": md(o.name), "category": "领导班子成员"})
    for b in organization.branches:
        if b.secretary and b.secretary not in seen:
            seen.add(b.secretary)
            rows.append({"name": md(b.secretary), "category": md(f"{b.name}书记")})
    reps = getattr(profile, "representatives", None) or 0
    rows += [{"name": "", "category": "党员代表"} for _ in range(int(reps))]
    count = main_hall_count(profile)
    return {"title": f"主会场（应到{count}人）" if count else "主会场", "place": "", "expected": count,
            "rows": rows, "hall": True}


def _post(organization: Any, officer: Any) -> str:
    from .. import titles

    return titles.post(organization, officer, duty=True)


def _sheet(profile: Any, warnings: list[str], roster_problem: Any) -> dict:
    facts = org_facts(profile)
    count = facts.member_total
    problem = roster_problem(facts.name, facts.roster, count)
    if problem:
        warnings.append(problem)
    rows = [{"name": md(p.name), "category": md(p.category)} for p in facts.roster]
    if count and len(rows) < count:
        blanks = count - len(rows)
    elif rows:
        blanks = 0
    else:
        blanks = count or DEFAULT_SIGNIN_ROWS
    rows += [{"name": "", "category": ""} for _ in range(blanks)]
    return {"title": "", "place": "", "expected": count or (len(facts.roster) or None), "rows": rows}


def _options(request: Request) -> dict[str, Any]:
    opts = dict(request.options)
    return {k: opts.get(k) for k in ("date", "time", "place", "issued", "recorder", "contact", "branch")}


def _markdown(doc_type: str) -> Callable[[Request], str]:
    template = KIT[doc_type]

    def markdown(request: Request) -> str:
        from ..render import template_source

        context = meeting_context(request.profile, request.campaign, request.options.get("meeting"), **_options(request))
        request.warnings.extend(context["warnings"])
        if doc_type == "会议通知" and context["notice_note"]:
            request.warnings.append(context["notice_note"])
        return template_source(template, context)[0]

    markdown.__doc__ = f"Return the {doc_type} of the meeting named by the 'meeting' option, as Markdown."
    return markdown


def kit_markdown(request: Request) -> list[tuple[str, str]]:
    """Return (document type, Markdown) for each document of one meeting's kit, in printing order."""
    from ..render import template_source

    context = meeting_context(request.profile, request.campaign, request.options.get("meeting"), **_options(request))
    request.warnings.extend(context["warnings"])
    if context["notice_note"]:
        request.warnings.append(context["notice_note"])
    found = find_meeting(request.campaign, request.options.get("meeting"))
    return [(name, template_source(template, context)[0]) for name, template in kit_templates(found).items()]


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
    force: bool = False,
    warnings: list[str] | None = None,
    **options: Any,
) -> list[Path]:
    """Write one meeting's kit for ``profile``; return the files written.

    Without ``combine`` the five documents go to ``outdir`` as
    ``会议-文件.docx`` (existing files are kept unless ``force``); with
    ``combine`` they go to ``output`` as one document, each part from a new
    page, pages numbered continuously (an existing ``output`` is an InputError
    unless ``force``).  A meeting each 党支部 holds
    (专题组织生活会) of a 党委 that lists its branches gets one kit per
    branch, each in a folder named after the branch, unless the ``branch``
    option picks one.  Notes for the user are appended to ``warnings``.
    Raises InputError, UnknownNameError or CampaignError before writing anything.
    """
    from ..batch import safe_name
    from ..campaign import Campaign, load_campaign
    from ..docmodel import combine as combine_models
    from ..levels import kit_branches
    from ..markdown_model import parse_markdown
    from ..profile import load_profile
    from ..render import render_markdown, render_model

    org = load_profile(profile)
    pack = campaign if isinstance(campaign, Campaign) else load_campaign(campaign or org.campaign or None)
    wanted = {k: v for k, v in options.items() if v is not None}
    unknown = sorted(set(wanted) - set(MEETING_OPTIONS))
    if unknown:
        raise InputError(f"会议材料不支持选项：{'、'.join(unknown)}")
    found = find_meeting(pack, meeting)
    name = found.name
    per_branch = found.level == "党支部" and not wanted.get("branch") and len(kit_branches(org, None)) > 1
    if per_branch and combine:
        raise InputError(f"{name}由各党支部分别召开：合成一个文件时请用 --branch 指定党支部")
    jobs: list[tuple[str, list[tuple[str, str]]]] = []
    if per_branch:
        for child in kit_branches(org, None):
            request = Request(profile=org, campaign=pack, options={"meeting": meeting, **wanted,
                                                                   "branch": child.self_ref})
            jobs.append((child.self_ref, kit_markdown(request)))
            if warnings is not None:
                warnings.extend(request.warnings)
    else:
        request = Request(profile=org, campaign=pack, options={"meeting": meeting, **wanted})
        jobs.append(("", kit_markdown(request)))
        if warnings is not None:
            warnings.extend(request.warnings)
    if combine:
        if fmt == "md":
            raise InputError("合成一个文件时请选择 docx 或 html 格式")
        if output is None:
            raise InputError("合成会议材料需要指定输出文件（-o 文件名.docx）")
        if Path(output).exists() and not force:
            raise InputError(f"输出文件已存在：{output}（要覆盖请加 --force，或传 force=True）")
        from ..api import org_standard

        variables = {"格式标准": org_standard(org)} if org_standard(org) else None
        models = [parse_markdown(text, variables=variables, filename=f"{name}-{doc_type}") for doc_type, text in jobs[0][1]]
        render_model(combine_models(models), fmt=fmt, output=output)
        return [Path(output)]
    folder = Path(outdir) if outdir is not None else Path(".")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"输出位置 {folder} 已存在且不是文件夹")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    from ..api import org_standard

    variables = {"格式标准": org_standard(org)} if org_standard(org) else None
    kept = 0
    for branch_name, parts in jobs:
        target_dir = folder / safe_name(branch_name) if branch_name else folder
        target_dir.mkdir(parents=True, exist_ok=True)
        for doc_type, text in parts:
            target = target_dir / kit_file_name(doc_type, name, fmt)
            if target.exists() and not force:
                kept += 1
                continue
            render_markdown(text, fmt=fmt, output=target, variables=variables, filename=target.name)
            written.append(target)
    if kept and written and warnings is not None:
        warnings.append(f"{folder} 中已有的{kept}份材料未覆盖（加 --force 覆盖）")
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
    "branch": "党支部名称：由各党支部分别召开的会议（专题组织生活会、民主评议党员大会）写这个支部的",
}
#: Options each kit document uses.
_USES = {
    "会议通知": ("meeting", "date", "time", "place", "issued", "contact", "branch"),
    "会议议程": ("meeting", "date", "time", "place", "branch"),
    "签到表": ("meeting", "date", "time", "place", "branch"),
    "会议记录": ("meeting", "date", "place", "recorder", "branch"),
    "会议纪要": ("meeting", "date", "place", "branch"),
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
    summary="一次会议的全套材料：通知、议程、签到表、记录、纪要（分别成文件，或 --combine 合成一个）；"
            "专题组织生活会由党委、党总支的每个党支部各写一套。",
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


#: Words of a meeting requirement → the member category it is about (left out when the unit has none).
_CATEGORY_WORDS = (("流动党员", "mobile"), ("年老体弱", "elderly"))


def _applies(requirement: str, profile: Any) -> bool:
    """False for a requirement about members the organization does not have (流动 or 年老体弱 members)."""
    count = getattr(profile, "count", None)
    if count is None:
        return True
    return all(count(key) for word, key in _CATEGORY_WORDS if word in requirement)
