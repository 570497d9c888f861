"""整改: the 整改方案's calendar, its problems with one measure each, who answers for them, and the 突出问题.

The 整改提高 phase ran in three steps (the pack's ``procedure``): the plan is
drafted and 公示'd as a 征求意见稿 when the phase begins, revised and sent to
the 督导组, then adopted; the measures are carried out; the results are made
public before the phase ends.  :func:`dates` puts those steps on the
calendar (working days, never in a public holiday), and every measure's 时限
is one of its dates: a week after adoption for what can be done at once
(立说立行), the phase's end for the rest, the end of the second month after
the phase for what cannot be done within it (秋收, the school term), or
长期坚持 for a 长效机制.

The problems are the user's (a problem list, or the profile's ``整改问题``)
when given: the plan is then the adopted one, and the 班子's own problems from
the 专题民主生活会 (profile ``会议情况``) are added as its 领导班子 part.
Without them the plan is the 征求意见稿 and lists, in order, what the profile
records the unit found (:func:`findings`: the 专题民主生活会's 查摆问题 and
批评意见, the 分析评议 phase's 问题), then the sector block's ``measures`` —
the problems a unit of that sector typically found — as areas to check.  A
finding on a typical problem's topic (``covers``) takes its measure over; a
typical problem a fact of the unit's contradicts (``unless``: all 21 在职党员
reported) is not listed.  Each problem gets a 责任领导: the member who found it
in himself, else the 班子 member whose 分工 or post matches the measure's
``lead`` words, in order.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from .campaign_calendar import holiday
from .sector_blocks import Measure

#: Working days the 征求意见稿 is 公示'd (a default; profile key 公示天数).
PUBLICITY_DAYS = 5
#: Working days after the 公示 ends until the plan is adopted (opinions summed up, plan revised, 督导组 审核).
ADOPT_AFTER = 2
#: Days after adoption by which what can be done at once (立说立行) is done.
SOON_DAYS = 7
#: Days before the results are made public by which the other measures are done.
DONE_BEFORE = 3
#: Deadline text of a 长效机制.
LONG_TERM = "长期坚持"
#: Values of a problem list's 突出问题 column that mark a problem as one to solve during the campaign.
_YES = {"是", "√", "✓", "y", "yes", "true", "1", "重点", "突出"}


def working_day(day: _dt.date) -> bool:
    """True for a weekday outside the public holidays."""
    return day.weekday() < 5 and holiday(day) is None


def _forward(day: _dt.date, ceiling: _dt.date) -> _dt.date:
    """The first working day on or after ``day`` (``ceiling`` when none comes before it)."""
    while day < ceiling and not working_day(day):
        day += _dt.timedelta(days=1)
    return min(day, ceiling)


def _back(day: _dt.date, floor: _dt.date) -> _dt.date:
    """The last working day on or before ``day`` (``floor`` when none comes after it)."""
    while day > floor and not working_day(day):
        day -= _dt.timedelta(days=1)
    return max(day, floor)


def _add_working(day: _dt.date, count: int, ceiling: _dt.date) -> _dt.date:
    """``day`` moved on by ``count`` working days (not past ``ceiling``)."""
    while count > 0 and day < ceiling:
        day += _dt.timedelta(days=1)
        if working_day(day):
            count -= 1
    return min(day, ceiling)


def _md(day: _dt.date) -> str:
    return f"{day.month}月{day.day}日"


@dataclass
class Dates:
    """The 整改提高 phase's steps on the calendar."""

    start: _dt.date  #: the phase's first day
    draft: _dt.date  #: the 征求意见稿 is issued and 公示'd (the phase's first working day)
    publicity_end: _dt.date  #: last day of the 公示
    adopted: _dt.date  #: the plan is adopted after the 公示 and the 督导组's 审核
    soon: _dt.date  #: what can be done at once is done
    done: _dt.date  #: the other measures are done
    publish: _dt.date  #: the results are made public (the phase's last working day)
    end: _dt.date  #: the phase's last day

    def deadline(self, term: str) -> str:
        """The 时限 of a measure with ``term``: soon 9月27日前, end 10月10日前, later 12月底前, long 长期坚持.

        ``end`` is the phase's end (the results are made public then);
        ``later`` what cannot be done within the phase: the end of the second
        month after it (年份 written when it is another year).
        """
        if term == "long":
            return LONG_TERM
        if term == "later":
            month = (self.end.month + 1) % 12 + 1
            year = self.end.year + (1 if month < self.end.month else 0)
            return f"{year}年{month}月底前" if year != self.end.year else f"{month}月底前"
        return f"{_md(self.soon if term == 'soon' else self.publish)}前"

    @property
    def publicity(self) -> str:
        """9月12日至16日: the 公示 period."""
        return self.between(self.draft, self.publicity_end)

    @staticmethod
    def between(first: _dt.date, last: _dt.date) -> str:
        """9月12日至16日, 9月26日至10月3日."""
        end = f"{last.day}日" if last.month == first.month else _md(last)
        return f"{_md(first)}至{end}"


def dates(span: Any, publicity_days: int = PUBLICITY_DAYS) -> Dates:
    """Return the steps of the phase ``span`` (a Span with start and end) on working days, in order."""
    start, end = span.start, span.end
    draft = _forward(start, end)
    publicity_end = _add_working(draft, max(publicity_days, 1) - 1, end)
    adopted = _add_working(publicity_end, ADOPT_AFTER, end)
    # the results are made public (整改情况通报会) before the phase's 小结 and 请示 ask for the 满意度测评
    from .docset import transition_day, working_days_before

    publish = max(working_days_before(transition_day(span), 1, adopted), adopted)
    done = max(_back(publish - _dt.timedelta(days=DONE_BEFORE), adopted), adopted)
    soon = min(_forward(adopted + _dt.timedelta(days=SOON_DAYS), done), done)
    return Dates(start, draft, publicity_end, adopted, soon, done, publish, end)


@dataclass
class Item:
    """One problem of the plan with its measure and who answers for it by when."""

    number: int
    problem: str
    measure: str
    leader: str  #: 韩文斌（党委委员、组织委员）
    owner: str  #: 责任部门/支部 (or 责任人 as a problem list gives it)
    deadline: str  #: 9月30日前 / 长期坚持 / as the list gives it
    source: str = ""
    hot: bool = False
    given: bool = False  #: from the user's list (else the sector's 初步梳理)
    extra: dict[str, str] = field(default_factory=dict)  #: the list's other columns (进展, 备注 …) for the ledger
    name: str = ""  #: a short name (安全生产); "" : the problem's first clause
    part: str = ""  #: 领导班子 / 党员队伍 (the unit's own findings), 对照检查 (the sector's typical problems)
    typical: bool = False  #: the measure is the sector's typical one (practice)
    term: str = ""  #: soon / end / later / long when the calendar set the 时限 ("" : as a list gives it)
    defaults: list[str] = field(default_factory=list)  #: numbers in the measure that are defaults (每周听课不少于2节)
    grouped: bool = False  #: one of the 班子's problems answered together (no measure of its own is known)
    person: bool = False  #: ``owner`` names a person (责任人), not a department (责任部门)

    @property
    def short(self) -> str:
        """The problem's short name, else its first clause: 安全生产责任落实不到位."""
        return self.name or self.problem.split("，")[0].rstrip("。；")


def leader_for(org: Any, words: list[str]) -> Any:
    """The 班子 member who answers for a measure: the first of ``words`` matching a 分工 or post, exactly first.

    Falls back to the 副书记, then the 书记 (None when the profile names nobody).
    """
    officers = list(getattr(org, "officers", []) or [])
    for word in words:
        for officer in officers:
            if officer.post == word or officer.duty == word:
                return officer
        for officer in officers:
            if officer.duty and word in officer.duty:
                return officer
    deputies = [o for o in officers if o.post == "副书记"]
    return deputies[0] if deputies else next((o for o in officers if o.post == "书记"), None)


def leader_text(org: Any, officer: Any) -> str:
    """韩文斌（党委委员、组织委员）; the post alone with ××× when the name is unknown."""
    from . import titles

    if officer is None:
        return f"{titles.NO_NAME}（{titles.level_word(org)}书记）"
    return f"{officer.name or titles.NO_NAME}（{titles.post(org, officer, duty=True)}）"


def matches(org: Any, words: list[str]) -> bool:
    """True when a 班子 member's 分工 or post matches one of ``words`` (else :func:`leader_for` falls back)."""
    return any(o.post == w or (o.duty and w in o.duty) for w in words for o in getattr(org, "officers", []) or [])


def from_block(measures: list[Measure], org: Any, when: Dates, warnings: list[str] | None = None,
               start: int = 1) -> list[Item]:
    """The sector's 初步梳理: one item per pack measure, leader by 分工, 时限 from the calendar.

    When no 班子 member has the 分工 a measure asks for, the 副书记 (else the
    书记) answers for it and ``warnings`` says which measures those are.
    """
    unmatched = [m for m in measures if not matches(org, m.lead)]
    if unmatched and warnings is not None:
        names = "、".join(m.name or m.problem.split("，")[0] for m in unmatched)
        wanted = "、".join(dict.fromkeys(w for m in unmatched for w in m.lead[:1]))
        warnings.append(f"班子成员中没有{wanted}分工，{names}的责任领导暂由副书记或书记担任："
                        "请在单位资料“委员”中写明分工（如 {姓名: 王五, 分工: 纪检委员}）")
    return [Item(i, m.problem, m.measure, leader_text(org, leader_for(org, m.lead)), m.dept, when.deadline(m.term),
                 hot=m.hot, name=m.name, part=CHECK_PART, typical=True, term=m.term, defaults=list(m.defaults))
            for i, m in enumerate(measures, start=start)]


#: Endings of a 责任人 that names a person by post (各党支部书记, 社区民政助理), not a department.
_PERSON_ENDINGS = ("书记", "委员", "主任", "助理", "厂长", "校长", "镇长", "站长", "所长", "处长", "科长", "部长",
                   "组长", "干事", "会计", "主席", "队长", "同志")
#: Words naming the 党委's own office, whose head the profile may give (办公室主任).
_OFFICE_WORDS = ("办公室", "党政办", "党办")


def owner_of(owner: str, org: Any, office_head: str = "") -> tuple[str, bool]:
    """The 责任人 column's value and whether it names a person.

    A person: a post (各党支部书记, 社区民政助理) or a 班子 member's name (shown
    with his posts); the 党委's office becomes its head when the profile names
    one (profile 党委办公室主任: 张立新（党委办公室主任）); any other department stays a department.
    """
    text = owner.strip()
    if not text:
        return "", False
    officer = _officer(org, text.split("（")[0])
    if officer is not None:
        return leader_text(org, officer), True
    if text.endswith(_PERSON_ENDINGS) or "（" in text:
        return text, True
    if office_head and any(w in text for w in _OFFICE_WORDS) and "党" in text:
        return f"{office_head}（{text}主任）", True
    return text, False


def canonical_leader(leader: str, org: Any) -> str:
    """A list's 责任领导 with the member's full posts: 张立新（组织委员） → 张立新（党委委员、组织委员）."""
    officer = _officer(org, leader.split("（")[0].strip())
    return leader_text(org, officer) if officer is not None else leader


def from_records(records: list[dict[str, str]], org: Any, when: Dates, warnings: list[str],
                 seasons: Any = (), issued: _dt.date | None = None, offices: dict[str, str] | None = None,
                 office_head: str = "") -> list[Item]:
    """The user's problems (canonical keys: problem, source, measure, leader, owner, deadline, hot …).

    A problem without a measure or a 责任领导 gets a warning (the 书记 answers
    for it until one is named); one without a 时限 is due before the results
    are made public.  A dated 时限 in a public holiday, or inside a season
    (``seasons``: 秋收 …) its measure says to wait for, gets a warning; one on
    or before the plan's own date (``issued``) cannot be a deadline the plan
    sets: it becomes the 立说立行 时限, with a warning.  A 班子 member named as
    责任领导 gets his full posts; a department called by another name than the
    unit's (``offices``: 教务处 → 教导处) gets the unit's name; the 责任人
    column's value says whether it names a person (:func:`owner_of`).
    """
    from .text import format_date
    from ..kb.errors import InputError

    items: list[Item] = []
    known = {"problem", "source", "measure", "leader", "owner", "deadline", "hot"}
    for record in records:
        problem = str(record.get("problem", "") or "").strip().rstrip("。；;")
        if not problem:
            continue
        number = len(items) + 1
        measure = str(record.get("measure", "") or "").strip().rstrip("。；;")
        if not measure:
            warnings.append(f"问题清单第{number}个问题“{problem}”没有写整改措施：定稿前请补上")
        leader = canonical_leader(str(record.get("leader", "") or "").strip(), org)
        if not leader:
            leader = leader_text(org, getattr(org, "secretary", None))
            warnings.append(f"问题清单第{number}个问题没有写责任领导，暂由书记负责：请按分工写明")
        deadline = str(record.get("deadline", "") or "").strip()
        _check_deadline(number, deadline, measure, seasons, warnings)
        day = date_of(deadline)
        if deadline and day is not None and issued is not None and day <= issued:
            moved = f"{when.soon.year}年{when.soon.month}月{when.soon.day}日"
            warnings.append(f"问题清单第{number}个问题的时限{_md(day)}不晚于整改方案的成文日期{_md(issued)}，"
                            f"方案中按立说立行的时限写作“{moved}”：如这一问题已经整改完毕，请在问题清单中写明，"
                            "不再列为整改问题")
            deadline = moved
        if deadline:
            try:
                deadline = format_date(deadline.replace(" 00:00:00", ""))
            except InputError:
                pass  # 10月底前, 长期坚持 …: kept as written
        else:
            deadline = when.deadline("end")
        hot = str(record.get("hot", "") or "").strip().casefold() in _YES
        extra = {k: str(v) for k, v in record.items() if k not in known and v not in (None, "")}
        owner = str(record.get("owner", "") or "").strip()
        for alias, name in (offices or {}).items():
            if alias in owner or alias in measure:
                if not any(f"“{alias}”" in w for w in warnings):
                    warnings.append(f"问题清单中的“{alias}”按本单位的叫法写作“{name}”（与实施方案一致）")
                owner, measure = owner.replace(alias, name), measure.replace(alias, name)
        owner, person = owner_of(owner, org, office_head)
        items.append(Item(number, problem, measure, leader, owner, deadline,
                          source=str(record.get("source", "") or "").strip(), hot=hot, given=True, extra=extra,
                          person=person))
    return items


def date_of(text: str) -> _dt.date | None:
    """The date a text starts with (2005-09-20, 2005年9月20日), or None."""
    m = re.match(r"(\d{4})(?:-|年)(\d{1,2})(?:-|月)(\d{1,2})", text)
    if m is None:
        return None
    try:
        return _dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _check_deadline(number: int, deadline: str, measure: str, seasons: Any, warnings: list[str]) -> None:
    """Warn of a dated 时限 in a public holiday, or inside the season its measure says to wait for (秋收后)."""
    day = date_of(deadline)
    if day is None:
        return
    off = holiday(day)
    if off is not None:
        warnings.append(f"问题清单第{number}个问题的时限{_md(day)}在{off[2]}假期内，请改到假期前或假期后的工作日")
    for season in seasons or ():
        if f"{season.name}后" in measure and season.contains(day):
            warnings.append(f"问题清单第{number}个问题的措施要在{season.name}后进行，时限{_md(day)}却在{season.name}期间"
                            f"（{season.start[0]}月{season.start[1]}日至{season.end[0]}月{season.end[1]}日）：请把时限改到"
                            f"{season.name}之后，或写明阶段内先做到哪一步")


def hot_items(items: list[Item]) -> list[Item]:
    """The one or two problems solved during the campaign: those marked, else the first two the public raised.

    The public raised a problem whose 来源 names 征求意见 or 群众; when none
    does, the first two problems are taken.  At most two.
    """
    marked = [i for i in items if i.hot]
    if not marked:
        public = [i for i in items if any(w in i.source for w in ("征求意见", "群众"))]
        marked = public or list(items)
    return marked[:2]


def ledger_records(items: list[Item]) -> list[dict[str, str]]:
    """The items as problem-list records (canonical keys) for the 整改台账."""
    return [{**i.extra, "problem": i.problem, "source": i.source, "measure": i.measure, "leader": i.leader,
             "owner": i.owner, "deadline": i.deadline} for i in items]


#: What a finding of the unit's own is called in the plan's parts and in the 依据.
LEADERS_PART = "领导班子"
MEMBERS_PART = "党员队伍"
CHECK_PART = "对照检查"
#: The meeting whose findings are the 班子's problems.
LEADERS_MEETING = "专题民主生活会"


@dataclass
class Finding:
    """A problem the unit itself found: a 班子 member's 查摆, a 批评意见, a 分析评议 problem."""

    problem: str
    part: str  #: LEADERS_PART or MEMBERS_PART
    source: str  #: 专题民主生活会查摆 / 专题民主生活会批评意见 / 分析评议
    who: str = ""  #: the 班子 member who found it in himself ("" for the others)


def findings(profile: Any, campaign: Any) -> list[Finding]:
    """The problems the profile records before the plan is drafted, in order.

    The 专题民主生活会's 查摆问题 (one per 班子 member) and 批评意见 (the
    班子's problems), then the 分析评议 phase's 问题 (the members').
    """
    from . import meeting_results, phase_results

    out: list[Finding] = []
    meeting = meeting_results.results_for(profile, LEADERS_MEETING)
    if meeting is not None:
        for who, problem in meeting.problems.items():
            out.append(Finding(problem, LEADERS_PART, f"{LEADERS_MEETING}查摆", who))
        for problem in meeting.texts.get("批评意见", []):
            out.append(Finding(problem, LEADERS_PART, f"{LEADERS_MEETING}批评意见"))
    for unit in campaign.structure.units:
        if unit.key == "evaluate":
            for problem in phase_results.results_for(profile, unit).texts.get("问题", []):
                out.append(Finding(problem, MEMBERS_PART, f"{unit.name}阶段"))
    return out


def comments(profile: Any) -> list[str]:
    """The 专题民主生活会's 点评 that speak of the 整改 (整改要从“门难进、脸难看”改起)."""
    from . import meeting_results

    meeting = meeting_results.results_for(profile, LEADERS_MEETING)
    return [c for c in (meeting.texts.get("点评", []) if meeting else []) if "整改" in c]


def facts(profile: Any, campaign: Any) -> list[str]:
    """What the profile says went well before the 整改提高 phase (亮点, 解决的突出问题, 建立制度)."""
    from . import phase_results

    out: list[str] = []
    for unit in campaign.structure.units:
        if unit.key == "rectify":
            break
        results = phase_results.results_for(profile, unit)
        for key in ("亮点", "解决的突出问题", "建立制度"):
            out.extend(results.texts.get(key, []))
    return out


def _officer(org: Any, name: str) -> Any:
    return next((o for o in getattr(org, "officers", []) or [] if o.name == name), None)


#: A finding the unit already put right (经支部帮助后重写, 已整改): reported, never listed as a 整改 item.
_SOLVED = re.compile(r"经[^，。；]{0,10}(帮助|教育|提醒|批评)后[^，。；]{0,6}(重写|改正|纠正|补写|整改)"
                     r"|已(经)?(整改|解决|纠正|改正|重写|补写|补交|办结)")


def solved(text: str) -> bool:
    """True when a finding says it was already put right (个别党员党性分析避重就轻，经支部帮助后重写)."""
    return bool(_SOLVED.search(text))


#: The measure of the 班子's problems no known measure answers: the campaign's practice for them.
GROUP_MEASURE = ("班子成员对照专题民主生活会查摆的问题和大家提出的批评意见，逐人写出书面整改措施，写明整改时限，"
                 "在党员群众中公开，接受督导组和党员群众监督；整改进展在整改情况通报会上向党员群众说明")


def from_findings(found: list[Finding], measures: list[Measure], org: Any, when: Dates,
                  start: int = 1, answers: list[Measure] | None = None) -> tuple[list[Item], list[Measure]]:
    """Items for the unit's own findings, each with a measure on its own topic.

    A finding takes the measure of the first of ``answers`` (measures for
    problems a unit of the sector may find in itself) on its topic, else of
    the first typical measure on it; the first typical measure on its topic is
    no longer listed as an area to check either way.  Returns the items and the
    typical measures no finding took.  A 班子 member's 查摆 is his to answer
    for; a 批评意见 the 书记's; a 分析评议 problem the 组织委员's (by 分工).  The
    班子's problems no measure is known for are answered together
    (``grouped``: each member writes his measures, made public and supervised);
    a member's problem without one is talked over by his 党支部.
    """
    free = list(measures)
    items: list[Item] = []
    for finding in found:
        taken = next((m for m in free if m.about(finding.problem)), None)
        if taken is not None:
            free.remove(taken)
        answer = next((m for m in answers or [] if m.about(finding.problem)), None) or taken
        if finding.who:
            officer = _officer(org, finding.who)
            leader = leader_text(org, officer) if officer is not None else finding.who
        elif finding.part == LEADERS_PART:
            leader = leader_text(org, getattr(org, "secretary", None))
        else:
            leader = leader_text(org, leader_for(org, ["组织委员"]))
        grouped = False
        if answer is not None:
            measure, owner, term, hot = answer.measure, answer.dept, answer.term, answer.hot
            if answer is not taken and not finding.who and answer.lead and matches(org, answer.lead):
                leader = leader_text(org, leader_for(org, answer.lead))
        elif finding.part == LEADERS_PART:
            measure, owner, term, hot, grouped = GROUP_MEASURE, "", "end", False, True
            leader = leader_text(org, getattr(org, "secretary", None))
        else:
            measure, owner, term, hot = ("各党支部对有关党员逐人谈心，帮助其对照问题制定个人整改措施，"
                                         "支部书记督促落实"), "各党支部", "soon", False
        items.append(Item(start + len(items), finding.problem, measure, leader, owner, when.deadline(term),
                          source=finding.source, hot=hot, given=True, name=answer.name if answer else "",
                          part=finding.part, typical=answer is not None, term=term,
                          defaults=list(answer.defaults) if answer else [], grouped=grouped))
    return items, free


def draft_hot(items: list[Item]) -> list[Item]:
    """The one or two 突出问题 a 征求意见稿 proposes: among the unit's own findings done within the phase.

    Only a finding (not an area still to check) with a dated 时限 inside the
    phase (``soon`` or ``end``) and a measure of its own; those marked first.
    """
    own = [i for i in items if i.part != CHECK_PART and not i.grouped and i.term in ("soon", "end")]
    marked = [i for i in own if i.hot]
    return (marked or own)[:2]


def contradicted(measures: list[Measure], known: list[str]) -> tuple[list[Measure], list[tuple[Measure, str]]]:
    """The typical measures no fact of the unit's contradicts, and those it does with the fact."""
    kept: list[Measure] = []
    dropped: list[tuple[Measure, str]] = []
    for measure in measures:
        fact = next((f for f in known if measure.contradicted_by(f)), None)
        if fact is None:
            kept.append(measure)
        else:
            dropped.append((measure, fact))
    return kept, dropped


def listed(problem: str, items: list[Item]) -> bool:
    """True when ``items`` already hold ``problem`` (the same words, or one within the other)."""
    return any(problem in i.problem or i.problem in problem for i in items)


def adopted_items(records: list[dict[str, str]], profile: Any, campaign: Any, org: Any, when: Dates,
                  warnings: list[str], seasons: Any = (), issued: _dt.date | None = None) -> list[Item]:
    """The adopted plan's ledger: the user's problem list as given, nothing added.

    The 整改方案 prints it and the 整改提高 阶段小结 counts it, so both read the
    same ledger.  The list is the unit's decision after the 公示: the 班子's
    own problems from the 专题民主生活会 are not added to it (they would repeat
    rows the unit already wrote in its own words, with generic measures);
    when the list has no row from the 民主生活会 although the profile records
    its 查摆问题, ``warnings`` says so.
    """
    from .sector_blocks import block_for

    block = block_for(profile, campaign)
    offices = {alias: name for name, aliases in (block.offices if block else {}).items() for alias in aliases}
    items = from_records(records, org, when, warnings, seasons, issued=issued or when.adopted, offices=offices,
                         office_head=str(getattr(profile, "party_office_head", "") or "").strip())
    leaders = [f for f in findings(profile, campaign) if f.part == LEADERS_PART and not listed(f.problem, items)]
    if leaders and not any("民主生活会" in i.source for i in items):
        warnings.append(f"问题清单中没有来自专题民主生活会的问题，单位资料记载班子成员查摆的问题{len(leaders)}条："
                        "请把需要整改的列入问题清单（来源写“民主生活会”），写明措施和责任领导")
    return items
