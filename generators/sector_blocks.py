"""Sector substance: what a plan of the period names for each sector (issues, 载体, 整改 areas, the public …).

The campaign pack's ``sector_blocks`` hold the period's practice per sector;
they are not the guidance's words, so documents use them as *practice* (the
依据 working paper labels them so).  A sector may have several blocks (中小学
and 高校 are both 学校): the one whose ``match`` words occur in the unit's name
wins, else the one without ``match``.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from typing import Any

from ..kb.errors import CampaignError


@dataclass
class Vehicle:
    """One concrete 载体 of the 主题实践活动."""

    name: str
    text: str


@dataclass
class Measure:
    """One problem a 整改方案 of the sector lists before the analysis confirms it, with its measure.

    ``lead`` are words matched in order against the 班子 members' 分工 or post
    (组织委员, 纪检委员, 副书记, 厂长 …) to find the 责任领导; ``term`` is when it
    is done: ``soon`` (a week after the plan is adopted), ``end`` (before the
    phase ends), ``later`` (what cannot be done within the phase: a dated later
    step) or ``long`` (a 长效机制, 长期坚持); ``hot`` marks the one or two
    problems the public most wants solved during the campaign.
    """

    problem: str
    measure: str
    name: str = ""  #: a short name (安全生产) for the sentence naming the 突出问题
    lead: list[str] = field(default_factory=list)
    dept: str = ""
    term: str = "end"
    hot: bool = False
    #: What the problem is about, each entry words joined by "+" that must all occur (在职党员+报到): a finding
    #: of the unit's own on the topic takes the measure over; a fact of the unit's on it contradicts the problem.
    covers: list[str] = field(default_factory=list)
    #: Facts that make the problem untrue (in the same form): 在职党员+报到 (all of them reported).
    unless: list[str] = field(default_factory=list)
    #: The measure's numbers that are defaults of the period's practice (每周听课不少于2节), named so in the 依据.
    defaults: list[str] = field(default_factory=list)

    def about(self, text: str) -> bool:
        """True when ``text`` is on one of this problem's topics (all words of one entry occur in it)."""
        return _any_topic(self.covers, text)

    def contradicted_by(self, text: str) -> bool:
        """True when ``text`` (a fact of the unit's) says the problem does not exist there."""
        return _any_topic(self.unless, text)


def _any_topic(topics: list[str], text: str) -> bool:
    return any(all(w in text for w in topic.split("+") if w) for topic in topics)


#: soon: a week after adoption; end: by the phase's end; later: a dated step after the phase (年底前 …);
#: long: a 长效机制, 长期坚持.
TERMS = ("soon", "end", "later", "long")


@dataclass
class SectorBlock:
    """One sector's substance."""

    key: str
    sector: str
    name: str
    public: str  #: who "the public" is: residents, parents and students, farmers, workers …
    study: str  #: the study emphasis
    issues: list[str]
    vehicles: list[Vehicle]
    rectify: list[str]  #: typical 整改 areas
    preparation: list[str]  #: the 四个清楚 items that apply
    members: list[str]  #: member categories that matter
    consult: str  #: how opinions are asked for
    practice_theme: str
    calendar: str = ""
    match: list[str] = field(default_factory=list)
    goals: dict[str, str] = field(default_factory=dict)  #: 四句话 item name → this sector's goal
    phases: dict[str, str] = field(default_factory=dict)  #: unit key → how this sector runs the phase
    texts: str = ""  #: laws and documents of the sector studied besides the campaign's texts
    focus: str = ""  #: the guidance's 着力点 worded for this kind of unit ("" : the sector's as the guidance words it)
    measures: list[Measure] = field(default_factory=list)  #: the 整改方案's problems and measures
    #: Measures for problems a unit of the sector may find in itself (a finding on their topic takes one); never
    #: listed as problems of their own.
    answers: list[Measure] = field(default_factory=list)
    #: The unit's departments by the sector's usual name, with the other names a problem list may use
    #: (教导处: [教务处]); the 整改方案 writes the usual one, as the 实施方案 does.
    offices: dict[str, list[str]] = field(default_factory=dict)
    guiding: str = ""  #: 指导思想: what the campaign is joined with in this sector
    leadership: str = ""  #: 组织领导: who leads the work in this sector
    tasks: dict[str, str] = field(default_factory=dict)  #: task key → how this sector does it
    requirements: dict[str, str] = field(default_factory=dict)  #: 工作要求 key → this sector's point
    systems: dict[str, str] = field(default_factory=dict)  #: 工作制度 key → how this sector runs it
    leaders: str = ""  #: what the leaders do in this sector (学习要求)
    notes: str = ""  #: what the 心得体会 are written about
    retired: str = ""  #: how this sector's retired members study
    elderly: str = ""  #: who brings the study to this sector's frail members
    mobile: str = ""  #: who this sector's 流动 members are and how they study
    readings: list[tuple[str, str]] = field(default_factory=list)  #: (title, what to learn from it): texts of 2005
    forms: str = ""  #: 学习形式 suited to the members
    topics: list[str] = field(default_factory=list)  #: questions for the 具体要求 discussion
    standards: list[str] = field(default_factory=list)  #: a draft 先进性具体要求 the discussion revises
    shifts: bool = False  #: members work in shifts
    worry: str = ""  #: what members fear the campaign hurts (影响教学), for the guidance's 怕影响生产 ("" : as worded)


def _block(key: str, raw: dict[str, Any]) -> SectorBlock:
    return SectorBlock(
        key=key, sector=str(raw["sector"]), name=str(raw["name"]), public=str(raw["public"]),
        study=str(raw["study"]), issues=[str(i) for i in raw["issues"]],
        vehicles=[Vehicle(str(v["name"]), str(v["text"])) for v in raw["vehicles"]],
        rectify=[str(r) for r in raw["rectify"]], preparation=[str(p) for p in raw["preparation"]],
        members=[str(m) for m in raw["members"]], consult=str(raw["consult"]),
        practice_theme=str(raw["practice_theme"]), calendar=str(raw.get("calendar", "")),
        match=[str(m) for m in raw.get("match", []) or []],
        goals={str(k): str(v) for k, v in (raw.get("goals") or {}).items()},
        phases={str(k): str(v) for k, v in (raw.get("phases") or {}).items()},
        texts=str(raw.get("texts", "")), focus=str(raw.get("focus", "")),
        measures=[_measure(key, m) for m in raw.get("measures") or []],
        answers=[_measure(key, m) for m in raw.get("answers") or []],
        offices={str(k): [str(a) for a in v or []] for k, v in (raw.get("offices") or {}).items()},
        guiding=str(raw.get("guiding", "")), leadership=str(raw.get("leadership", "")),
        tasks={str(k): str(v) for k, v in (raw.get("tasks") or {}).items()},
        requirements={str(k): str(v) for k, v in (raw.get("requirements") or {}).items()},
        systems={str(k): str(v) for k, v in (raw.get("systems") or {}).items()},
        leaders=str(raw.get("leaders", "")), notes=str(raw.get("notes", "")), retired=str(raw.get("retired", "")),
        elderly=str(raw.get("elderly", "")), mobile=str(raw.get("mobile", "")),
        readings=[(str(r["title"]), str(r["why"])) for r in raw.get("readings") or []],
        forms=str(raw.get("forms", "")), topics=[str(x) for x in raw.get("topics") or []],
        standards=[str(x) for x in raw.get("standards") or []],
        shifts=bool(raw.get("shifts", False)), worry=str(raw.get("worry") or ""),
    )


def _measure(key: str, raw: dict[str, Any]) -> Measure:
    term = str(raw.get("term") or "end")
    if term not in TERMS:
        raise CampaignError(f"活动资料包 sector_blocks.{key}.measures 的 term 应是 {'、'.join(TERMS)} 之一，而不是“{term}”")
    return Measure(problem=str(raw["problem"]), measure=str(raw["measure"]), name=str(raw.get("name") or ""),
                   lead=[str(w) for w in raw.get("lead") or []], dept=str(raw.get("dept") or ""),
                   term=term, hot=bool(raw.get("hot", False)),
                   covers=[str(t) for t in raw.get("covers") or []],
                   unless=[str(t) for t in raw.get("unless") or []],
                   defaults=[str(t) for t in raw.get("defaults") or []])


def blocks(campaign: Any) -> dict[str, SectorBlock]:
    """Every sector block of ``campaign``, by key."""
    try:
        return {k: _block(k, v) for k, v in (campaign.sector_blocks or {}).items()}
    except (KeyError, TypeError) as error:
        raise CampaignError(f"活动资料包的 sector_blocks 格式不对：{error}") from None


def block_for(profile: Any, campaign: Any) -> SectorBlock | None:
    """The block for ``profile``'s sector (chosen by the unit's name when the sector has several), or None."""
    candidates = [b for b in blocks(campaign).values() if b.sector == profile.sector]
    if not candidates:
        return None
    name = f"{profile.name}{getattr(profile, 'short_name', '')}"
    for block in candidates:
        if block.match and any(word in name for word in block.match):
            return block
    plain = [b for b in candidates if not b.match]
    return plain[0] if plain else candidates[0]


def _fit(text: str, start: Any, end: Any, closed: list[Any]) -> str:
    """``text`` without the clauses (split at "；") about a closed season the campaign does not touch."""
    import datetime as _dt

    days = [start + _dt.timedelta(days=i) for i in range((end - start).days + 1)]
    untouched = [s.name for s in closed if not any(s.contains(d) for d in days)]
    if not untouched or not text:
        return text
    kept = [c for c in text.split("；") if not any(name in c for name in untouched)]
    return "；".join(kept)


def fitted(block: SectorBlock, start: Any, end: Any) -> SectorBlock:
    """``block`` for a campaign from ``start`` to ``end``: rules about a vacation the dates never reach are left out.

    A school that starts after the summer vacation says nothing about the vacation;
    a campaign that ends in October names no 春节 as the time 流动党员 come home.
    """
    import dataclasses

    from .campaign_calendar import seasons

    block = dataclasses.replace(block, mobile=_holidays_fit(block.mobile, start, end))
    closed = [s for s in seasons(block.sector, block.key) if s.closed]
    if not closed:
        return block
    return dataclasses.replace(block, calendar=_fit(block.calendar, start, end, closed),
                               phases={k: _fit(v, start, end, closed) for k, v in block.phases.items()})


def _holidays_fit(text: str, start: Any, end: Any) -> str:
    """``text`` without a holiday the campaign does not span: 利用春节等回社区的时间 → 利用回社区的时间 in a July–October
    campaign."""
    import datetime as _dt

    from .campaign_calendar import HOLIDAYS, holiday

    names = {name for spans in HOLIDAYS.values() for _, _, name in spans}
    spanned = set()
    day = start
    while day <= end:
        hit = holiday(day)
        if hit:
            spanned.add(hit[2])
        day += _dt.timedelta(days=1)
    for name in names - spanned:  # 利用春节等返乡时间 → 利用返乡时间; 利用春节等回社区的时间 → 利用回社区的时间
        text = re.sub(f"利用{name}等(\\S{{1,5}}?时间)", r"利用\1", text)
    return text


def branch_publics(profile: Any, organization: Any, campaign: Any) -> list[tuple[str, str]]:
    """(党支部, its public) for each 党支部 whose own sector differs from the unit's: a 镇卫生院 asks patients.

    The branch's sector is its 领域, else the one its name says (卫生院, 学校);
    its public is that sector's block's.
    """
    from types import SimpleNamespace

    from .levels import branch_sector

    result = []
    for branch in getattr(organization, "branches", []) or []:
        sector = branch_sector(branch, profile.sector)
        if sector == profile.sector:
            continue
        block = block_for(SimpleNamespace(sector=sector, name=branch.name, short_name=""), campaign)
        if block is not None:
            result.append((branch.name, block.public))
    return result


def fresh(text: str, said: str) -> str:
    """``text`` without the clauses ``said`` already says (the calendar after a phase's rule that covers it).

    Clauses split at "；" and "，"; a clause is said when six characters of it
    in a row occur in ``said``; a short clause (under six characters) goes with
    the clause before it.
    """
    import re

    groups = []
    for group in text.split("；"):
        kept, dropped = [], False
        for clause in group.split("，"):
            if len(clause) >= 6:
                dropped = any(clause[i:i + 6] in said for i in range(len(clause) - 5))
            if not dropped:
                kept.append(clause)
        if kept:
            groups.append("，".join(kept))
    return re.sub(r"^[，；]+", "", "；".join(groups))
