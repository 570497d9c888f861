"""The facts of one phase, for its 阶段小结 and its 转段请示 (the same facts in both).

What the tool knows it says from the model: the dates of the phase, the
动员大会, 党课 and 专题辅导 of the 学习安排表, what each 党支部 studied, how the
sector's members were reached (the sector block), the procedure's steps.  What
only the organization knows — how many took part, how many opinions, the
problems — comes from the profile's ``阶段情况`` (generators/phase_results.py);
a figure not given is a blank ``＿＿`` and the document is a draft.

Facts are sentences keyed by a fact name (``rally``, ``attendance`` …); the
小结 groups them under the phase's tasks (:data:`TASK_FACTS`), the 请示 under
the pack's 转段 conditions (``procedure.transition.conditions[].facts``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..phase_results import PhaseResults, results_for
from ..registry import Request
from .org_facts import md

#: Phase task key → the facts reported under it in the 小结 (a task without facts is left out).
TASK_FACTS: dict[str, tuple[str, ...]] = {
    "mobilization": ("rally",),
    "study": ("sessions", "attendance", "notes"),
    "lectures": ("lectures",),
    "standards": ("standards",),
    "consult": ("consult", "talks"),
    "party_spirit": ("analyses",),
    "criticism": ("meetings",),
    "publish": ("feedback",),
    "measures": ("plan", "ledger", "announce"),
    "hot_issues": ("hot",),
    "mechanisms": ("mechanisms",),
}
#: What each fact rests on, for the 依据 working paper: ``user`` (the profile: 阶段情况, counts), ``default`` (the
#: 学习安排表's computed dates) or ``practice`` (the period's procedure).
FACT_KINDS: dict[str, str] = {
    "rally": "default", "lectures": "default", "sessions": "user", "attendance": "user",
    "coverage": "user", "notes": "user", "standards": "practice", "consult": "user", "talks": "user",
    "analyses": "user", "meetings": "user", "feedback": "default", "plan": "default", "ledger": "user",
    "announce": "practice", "hot": "user", "mechanisms": "user",
}
_SUPPORT = {"default": "学习安排表排定的日期和辅导人（单位资料“开始日期”“阶段比例”“辅导员”可改）"}
#: Why a fact that is not a schedule date is of its kind (the 依据's 说明 column).
_FACT_SUPPORT = {
    "plan": "整改方案征求意见稿和定稿的成文日期（按整改提高阶段的日期推算，见整改方案）",
    "announce": "整改方案的安排（拟于…公布）：已公布的写入单位资料“阶段情况: 整改提高: 公布整改情况”",
    "feedback": "各支部专题组织生活会纪要的反馈期限（会后一周，不晚于转段请示之日）；已通报的评议情况按单位资料",
    "meetings": "单位资料“阶段情况: 分析评议”的会议日期（各支部依次排开，同会议材料）和“会议情况”的征求意见数字",
}
#: How the members who cannot attend the sessions studied, in the 参学 breakdown (else the pack's method).
_SHORT_METHOD = {"elderly": "送学帮学", "mobile": "邮寄资料自学"}
#: Written where a list the profile must give (亮点, 问题 …) is missing.
TO_FILL = "（待填）"


@dataclass
class PhaseFacts:
    """One phase of one organization: its dates, the facts by name, the results and what is missing."""

    unit: Any
    when: str  #: 2005年7月11日至8月10日 ("" when the dates are unknown)
    results: PhaseResults
    facts: dict[str, str] = field(default_factory=dict)
    until: str = ""  #: 本阶段至8月10日结束。 (when the 小结 is dated before the phase's last day)
    next_name: str = ""
    next_when: str = ""
    next_start: str = ""  #: 8月11日
    next_work: str = ""  #: what the next phase does, as the plan orders it
    headings: dict[str, str] = field(default_factory=dict)  #: fact → the 请示 condition's heading, claiming no more
    sections: dict[str, str] = field(default_factory=dict)  #: task → the 小结's section name, claiming no more

    @property
    def complete(self) -> bool:
        return self.results.complete

    def list_of(self, key: str) -> list[str]:
        return [md(t) for t in self.results.texts.get(key, [])]


def _md_day(day: Any) -> str:
    return f"{day.month}月{day.day}日"


def _person(tutor: str) -> str:
    """市委党校 许光华 → 市委党校许光华同志; "" for a tutor still to be named."""
    text = re.sub(r"\s+", "", tutor or "")
    if not text or "待定" in text or text.endswith("主持"):
        return ""
    return f"{text}同志"


def _topic(text: str) -> str:
    """学习《保持共产党员先进性教育读本》（上） → 《保持共产党员先进性教育读本》（上）."""
    return text.removeprefix("学习") if text.startswith("学习《") or text == "学习党章" else text


def phase_facts(request: Request, unit: Any, context: dict[str, Any]) -> PhaseFacts:
    """Return the facts of phase ``unit`` for the organization of ``request`` (``context``: the forms' context)."""
    from ..procedure import procedure
    from ..sector_blocks import block_for, fitted
    from .forms import _timeline, _units

    profile, campaign = request.profile, request.campaign
    units = _units(campaign)
    index = units.index(unit)
    line = _timeline(request, quiet=True)
    spans = {s.unit.key: s for s in line.spans} if line else {}
    span = spans.get(unit.key)
    following = units[index + 1] if index + 1 < len(units) else None
    next_span = spans.get(following.key) if following is not None else None
    results = results_for(profile, unit)
    report = PhaseFacts(unit, span.text if span else "", results)
    today = context.get("issued_day")
    if span is not None and today is not None and today < span.end:
        # written before the phase's last day (the 请示 leaves the 督导组 time): the work so far, the end ahead
        from ..docset import cn

        report.when = f"自{cn(span.start)}起"
        report.until = f"本阶段至{_md_day(span.end)}结束。"
    if following is not None:
        report.next_name = md(following.name)
        report.next_when = next_span.text if next_span else ""
        report.next_start = _md_day(next_span.start) if next_span else ""
    proc = procedure(campaign)
    block = block_for(profile, campaign) if hasattr(profile, "org") else None
    if block is not None and line is not None:
        block = fitted(block, line.start, line.end)  # no vacation rule the campaign's dates never reach
    org = getattr(profile, "org", None)
    branches = list(org.branches) if org is not None and org.leads_branches else []
    say = _Sayer(request, context, results, block, branches, proc, span)
    builders = {"mobilize": say.mobilize, "evaluate": say.evaluate, "rectify": say.rectify}
    if unit.key in builders:
        report.facts = builders[unit.key](span)
        report.headings = say.headings
        report.sections = say.sections
    if following is not None:
        steps = proc.steps_of(following.key) or [t.name or t.text for t in following.tasks]
        report.next_work = "、".join(md(s.split("，")[0]) for s in steps)
    return report


@dataclass
class _Late:
    """The branches' own study a 小结 dated before its phase ends finds still to come."""

    topics: list[str] = field(default_factory=list)  #: topics some 支部 has not begun (said as arranged)
    days: str = ""  #: 8月9日至10日: the days of those
    unfinished: set[str] = field(default_factory=set)  #: topics every 支部 has begun, with sittings still to come
    rest: str = ""  #: 离退休党支部的党小组第二场（…）安排在8月8日: those sittings, said as the text says them


class _Sayer:
    """Writes the facts of each phase from the model and the results."""

    def __init__(self, request: Request, context: dict[str, Any], results: PhaseResults, block: Any,
                 branches: list[Any], proc: Any, span: Any = None) -> None:
        self.request = request
        self.profile = request.profile
        self.campaign = request.campaign
        self.context = context
        self.r = results
        self.block = block
        self.branches = branches
        self.proc = proc
        self.span = span  #: the phase's Span (None when the dates are unknown)
        self.running = context.get("running") or context["org"]
        self.units_word = "各党支部" if branches else self.running
        self.public = md(block.public) if block is not None else "党员群众"
        self.headings: dict[str, str] = {}  #: fact → the 请示's heading when the pack's claims more than the facts
        self.sections: dict[str, str] = {}  #: task → the 小结's section name when the task's claims more

    # ------------------------------------------------------------ 学习动员
    def mobilize(self, span: Any) -> dict[str, str]:
        from . import study_schedule

        rows: list[Any] = []
        if span is not None and hasattr(self.profile, "org"):
            rows = [r for r in study_schedule.plan(self.profile, self.campaign, span, notes=[]) if r.session is not None]
        facts: dict[str, str] = {}
        rally = next((r for r in rows if r.session.form == "动员大会"), None)
        secretary = self.context.get("secretary_ref") or "书记"
        if rally is not None:
            where = (f"，{md(self.profile.place)}设主会场、各党支部设分会场" if "分会场" in rally.participants and
                     self.profile.place else (f"，地点在{md(self.profile.place)}" if self.profile.place else ""))
            facts["rally"] = (f"{_md_day(rally.day)}，{self.running}召开先进性教育活动动员大会{where}，"
                              f"{secretary}作动员讲话，对教育活动作出部署，讲明开展教育活动的重大意义和目标要求。")
        branch_rows = [r for r in rows if r.session.form in ("集中学习", "座谈讨论") and
                       (r.day_text or r.participants.startswith(("各党支部", "本支部")) or not self.branches)]
        # a session held in two sittings (之一、之二: review r5) is one text studied
        studied = list(dict.fromkeys(_topic(md(r.topic)) for r in branch_rows if r.session.form == "集中学习"))
        how = md(self.block.phases.get("mobilize", "")) if self.block is not None else ""
        sessions = ""
        if studied:
            who = "各党支部以支部和党小组为单位" if self.branches else self.running
            sessions = f"按照学习安排表，{who}组织党员集中学习了{'、'.join(studied)}，并进行座谈讨论。"
        if how:
            sessions += f"按照实施方案，{how}。"
        sessions += (f"{self._as_of() or '本阶段'}共组织集中学习、专题辅导和座谈讨论"
                     f"{self.r.number('集中学习次数')}次。")
        late = self._branch_sessions_after(span)
        if late.topics:  # a topic some 支部 has not begun by the 小结's date: said as arranged
            sessions += f"各党支部余下的学习（{'、'.join(late.topics)}）安排在{late.days}进行。"
            self.headings["sessions"] = "集中学习、专题辅导和党课按学习安排表进行，支部余下的学习已作安排"
        if late.rest:  # the other sittings of topics already studied
            sessions += f"{late.rest}进行。"
        facts["sessions"] = sessions
        facts.update(self._attendance())
        facts["notes"] = f"{self._as_of()}党员按照学习要求撰写读书笔记和心得体会，共交心得体会{self.r.number('心得篇数')}篇。"
        lectures = []
        for row in rows:
            if row.session.form == "党课":
                topic = md(row.topic).split("：", 1)[-1]
                lectures.append(f"{_md_day(row.day)}，{secretary}为党员讲党课“{topic}”")
            elif row.session.form == "专题辅导":
                tutor, own = self._tutor(md(row.tutor))
                who = (tutor + "作" if own else "请" + tutor + "作") if tutor else "组织"
                lectures.append(f"{_md_day(row.day)}，{who}专题辅导，{md(row.topic)}")
        if lectures:
            facts["lectures"] = "；".join(lectures) + "。"
        standards = next((r for r in rows if r.session.key == "standards"), None) if rows else None
        if standards is not None:
            who = "各党支部" if self.branches else self.running
            if _topic(md(standards.topic)) in late.topics:  # not begun by the 小结's date
                facts["standards"] = (f"{who}组织党员对照党章座谈讨论、提出保持共产党员先进性具体要求的学习，安排在"
                                      f"{late.days}进行，讨论结果作为分析评议和整改提高的标尺。")
                self.headings["standards"] = "讨论提出保持共产党员先进性具体要求已作安排"
            elif _topic(md(standards.topic)) in late.unfinished:  # begun everywhere, a sitting or two still to come
                facts["standards"] = (f"在学习的基础上，{who}组织党员对照党章座谈讨论，结合{self._unit_word()}实际和"
                                      "岗位特点，基本完成了保持共产党员先进性具体要求的讨论，余下场次结束后汇总，"
                                      "作为分析评议和整改提高的标尺。")
                self.headings["standards"] = "保持共产党员先进性具体要求的讨论已基本完成"
            else:
                facts["standards"] = (f"在学习的基础上，{who}组织党员对照党章座谈讨论，结合{self._unit_word()}实际和"
                                      "岗位特点，提出保持共产党员先进性的具体要求，作为分析评议和整改提高的标尺。")
        today = self.context.get("issued_day")
        reported = [r for r in rows if r.session.form in ("动员大会", "党课", "专题辅导") or r.session.key == "standards"
                    or (r in branch_rows and r.session.form == "集中学习")]
        late = [r for r in reported if today is not None and r.day > today]
        if late:
            self.request.warnings.append(
                "学习安排表中" + "、".join(f"{_md_day(r.day)}的{md(r.session.form)}" for r in late)
                + f"在小结和转段请示的成文日期（{self.context.get('issued', '')}）之后：按当时做法，本阶段的学习在转段检查"
                "之前完成，请把这些场次安排得早一些，或用 --date 把请示的日期定在它们之后（离阶段结束至少3个工作日）")
        return facts

    def _as_of(self) -> str:
        """"截至8月5日，" when the 小结 is dated before its phase's last day (its figures are those of that day)."""
        today, span = self.context.get("issued_day"), self.span
        return f"截至{_md_day(today)}，" if today is not None and span is not None and today < span.end else ""

    def _branch_sessions_after(self, span: Any) -> _Late:
        """What of the branches' own study the 学习安排表 puts after the 小结's date (nothing when it is dated
        after the phase's sessions, or the unit has no branches)."""
        from . import study_schedule

        today = self.context.get("issued_day")
        if today is None or span is None or not self.branches:
            return _Late()
        collected: dict[int, list[Any]] = {}
        study_schedule.plan(self.profile, self.campaign, span, branch=len(self.branches) - 1, notes=[],
                            collect=collected)
        first: dict[tuple[int, str], Any] = {}  # (branch, topic) → the day of its first sitting
        later: list[tuple[Any, int, str]] = []  # (row, branch, topic) of each sitting after the 小结's date
        for index, rows in collected.items():
            for r in rows:
                if r.session is None or not r.participants.startswith("本支部") or "自学" in r.participants:
                    continue
                topic = _topic(md(r.topic))
                first[(index, topic)] = min(first.get((index, topic), r.day), r.day)
                if r.day > today:
                    later.append((r, index, topic))
        later.sort(key=lambda item: item[0].day)
        begun_late = {topic for (_, topic), day in first.items() if day > today}
        new = [r for r, _, topic in later if topic in begun_late]
        rest = [(r, index, topic) for r, index, topic in later if topic not in begun_late]
        rest_topics = list(dict.fromkeys(topic for _, _, topic in rest))
        late = _Late(topics=list(dict.fromkeys(t for _, _, t in later if t in begun_late)),
                     days=_span_text(new[0].day, new[-1].day) if new else "", unfinished=set(rest_topics))
        if rest:
            kinds = [w for w, found in (("在职党员场", any("在职党员" in r.participants for r, _, _ in rest)),
                                       ("党小组第二场", any("场（" in r.participants for r, _, _ in rest))) if found]
            names = list(dict.fromkeys(self.branches[index].name for _, index, _ in rest))
            who = "各支部" if len(names) >= len(self.branches) - 1 and len(names) > 3 else "、".join(names)
            late.rest = (f"{who}的{'和'.join(kinds or ['其余场次'])}（{'、'.join(rest_topics)}）"
                         f"安排在{_span_text(rest[0][0].day, rest[-1][0].day)}")
        return late

    # ------------------------------------------------------------ 分析评议
    def evaluate(self, span: Any) -> dict[str, str]:
        consult = md(self.block.consult) if self.block is not None else "召开座谈会、发放征求意见表、设立意见箱"
        spec = (getattr(self.campaign, "forms", None) or {})
        aspects = "、".join(spec.get("party_analysis", {}).get("aspects", []) if isinstance(spec, dict) else []) or \
            "理想信念、宗旨观念、组织纪律、思想和工作作风"
        return {
            "consult": f"采取{consult}等方式广泛征求意见，共征求到意见建议{self.r.number('征求意见条数')}条，"
                       "分类整理后原原本本反馈到每名党员。",
            "talks": f"领导班子成员之间、班子成员与党员之间、党员之间普遍开展谈心，共谈心{self.r.number('谈心人次')}人次。",
            "analyses": f"党员对照党章和先进性具体要求，从{aspects}等方面撰写党性分析材料，共写出{self.r.number('党性分析份数')}份；"
                        "领导班子写出对照检查材料。",
            **self._meetings(span),
        }

    def _meetings(self, span: Any) -> dict[str, str]:
        """The 专题组织生活会 and 专题民主生活会 as held (阶段情况's days, the 纪要's figures), the 反馈 the branch
        纪要 set and the 通报 the unit reports; a meeting or 反馈 after the 小结's own date is said as arranged."""
        from ..branch_meetings import feedback_due, stagger
        from ..meeting_results import results_for as meeting_results

        today = self.context.get("issued_day")
        end = span.end if span is not None else None
        first = self.r.dates.get("专题组织生活会日期")
        leaders_day = self.r.dates.get("专题民主生活会日期")
        days: list[Any] = []
        if first is not None:
            if len(self.branches) > 1:
                slots = stagger(self.branches, first, span.start if span else None, end, self.profile.sector)
                days = sorted(slot.day for slot in slots.values())
            else:
                days = [first]
        late: list[str] = []
        if self.branches:
            held = f"{len(self.branches)}个党支部分别召开专题组织生活会"
        else:
            held = f"{self.running}召开专题组织生活会"
        if days:
            held = f"{_span_text(days[0], days[-1])}，{held}"
            if today is not None and days[-1] > today:
                held = (f"{len(self.branches)}个党支部的专题组织生活会安排在{_span_text(days[0], days[-1])}召开"
                        if self.branches else f"{self.running}拟于{_span_text(days[0], days[-1])}召开专题组织生活会")
                late.append(f"专题组织生活会（{_span_text(days[0], days[-1])}）")
        parts = [held]
        if self.branches:
            leaders = f"{self.running}领导班子召开专题民主生活会"
            if leaders_day is not None:
                if today is not None and leaders_day > today:
                    leaders = f"{self.running}领导班子拟于{_md_day(leaders_day)}召开专题民主生活会"
                    late.append(f"专题民主生活会（{_md_day(leaders_day)}）")
                else:
                    leaders = f"{_md_day(leaders_day)}，{leaders}"
            said = meeting_results(self.profile, "专题民主生活会")
            numbers = said.numbers if said is not None else {}
            if all(k in numbers for k in ("发出征求意见表", "收回征求意见表", "意见条数")):
                leaders += (f"，会前发出征求意见表{numbers['发出征求意见表']}份、收回{numbers['收回征求意见表']}份，"
                            f"征求到对领导班子的意见建议{numbers['意见条数']}条")
            parts.append(leaders)
        facts = {"meetings": "；".join(parts) + "，开展批评和自我批评。"}
        if first is None or (self.branches and leaders_day is None):
            self.request.warnings.append(
                "分析评议阶段小结未写专题组织生活会和专题民主生活会的日期：可在单位资料“阶段情况: 分析评议:”下写"
                "“专题组织生活会日期”（第一个支部的日期，同会议材料）和“专题民主生活会日期”")
        who = "各支部委员会" if self.branches else "支部委员会"
        feedback = f"会后{who}对每名党员提出评议意见"
        if days:
            dues = sorted(feedback_due(d, span) for d in days)
            source = "各支部专题组织生活会纪要" if len(days) > 1 else "专题组织生活会纪要"
            if today is not None and dues[-1] > today:
                feedback += f"，按{source}的安排，拟于{_md_day(dues[-1])}前由支部委员当面反馈本人"
                late.append(f"当面反馈评议意见（{_md_day(dues[-1])}前）")
            else:  # the minutes' deadlines have passed by the 小结's date: the feedback is reported as given
                feedback += f"，{_md_day(dues[-1])}前已由支部委员当面反馈本人"
        else:
            feedback += "，由支部委员当面反馈本人"
        told = [md(t) for t in self.r.texts.get("通报评议情况", [])]
        feedback += ("；" + "；".join(told)) if told else ""
        facts["feedback"] = feedback + "。"
        if not told:  # the 小结's section: what was done, without claiming the 评议 was made public
            self.sections["publish"] = "反馈评议意见"
        if late:
            self.headings["meetings"] = "专题组织生活会、专题民主生活会已作安排"
        if "拟于" in feedback:
            self.headings["feedback"] = "评议意见当面反馈已作安排"
        elif not told:
            self.headings["feedback"] = "评议意见已当面反馈"
        if not told:
            self.request.warnings.append(
                f"分析评议阶段小结没有写评议情况向{self.public}通报：已通报的，请在单位资料“阶段情况: 分析评议: "
                "通报评议情况”中写明何时、以什么方式通报")
        if late:
            self.request.warnings.append(
                "、".join(late) + f"在小结和转段请示的成文日期（{self.context.get('issued', '')}）之后，文中写作安排："
                "按当时做法，本阶段的会议和反馈应在转段检查之前完成，请把它们安排得早一些")
        return facts

    # ------------------------------------------------------------ 整改提高
    def rectify(self, span: Any) -> dict[str, str]:
        from ...kb.errors import CampaignError

        items = self._plan_items(span)
        listed = self.r.numbers.get("整改问题数")
        solved = self.r.numbers.get("已整改数")
        if items is not None:
            if listed is not None and listed != len(items):
                self.request.warnings.append(
                    f"“阶段情况”中整改提高的整改问题数{listed}与整改方案台账的{len(items)}个问题不一致："
                    f"小结按台账写{len(items)}个；各支部台账的问题如要写入，请列入问题清单（单位资料“整改问题”）")
            listed = len(items)
        if listed is not None and solved is not None and solved > listed:
            raise CampaignError(f"“阶段情况”中整改提高的已整改数{solved}多于列入整改台账的问题数{listed}：请核对")
        count = str(listed) if listed is not None else self.r.number("整改问题数")
        if items is not None and solved is not None:
            ledger = self._ledger_text(items, solved)
        else:
            ledger = f"列入整改台账的问题{count}个，已整改销号{self.r.number('已整改数')}个"
            if listed is not None and solved is not None:
                ledger += (f"，其余{listed - solved}个明确了整改时限和措施，继续抓好落实" if listed > solved else "，全部销号")
        systems = self.list_text("建立制度", sep="、")
        announce = self._publish_text(span)
        if "公布整改情况" not in self.r.texts:
            self.request.warnings.append(
                f"整改提高阶段小结和请示写的是整改方案的安排（“{announce.rstrip('。')}”）：已向{self.public}公布整改情况的，"
                "请在单位资料“阶段情况: 整改提高: 公布整改情况”中写明何时、以什么方式公布，文件即按已公布写")
        return {
            "plan": self._plan_text(span),
            "ledger": ledger if ledger.endswith("。") else ledger + "。",
            "announce": announce,
            "hot": self._hot_text(items),
            "mechanisms": f"建立健全了{systems}，使整改成果长期坚持下去。",
        }

    def _plan_items(self, span: Any) -> list[Any] | None:
        """The adopted plan's problems (the profile's 整改问题, as the 整改方案 reads them); None without a list."""
        from .. import rectification
        from .forms import problem_records

        source = getattr(self.profile, "problems", None)
        if not source or span is None:
            return None
        records = problem_records(source)
        if not any(str(r.get("problem", "") or "").strip() for r in records):
            return None
        org = getattr(self.profile, "org", None)
        when = rectification.dates(span, self._publicity_days())
        return rectification.adopted_items(records, self.profile, self.campaign, org, when, [])

    def _hot_text(self, items: list[Any] | None) -> str:
        """The 突出问题 the plan named, each with what was done (阶段情况) or the plan's measure."""
        from .. import rectification

        given = [md(t) for t in self.r.texts.get("解决的突出问题", [])]
        if items is None:
            return f"集中力量解决了群众热盼的突出问题：{'；'.join(given) if given else TO_FILL}。"
        hot = rectification.hot_items(items)
        if not hot:
            return f"集中力量解决了群众热盼的突出问题：{'；'.join(given) if given else TO_FILL}。"
        done, used = _pair(hot, given)
        order = "一二三四五六"
        parts = []
        for i, item in enumerate(hot):
            what = done.get(i) or (f"按照整改方案，{md(item.measure)}" if item.measure else "")
            lead = f"{order[i]}是" if len(hot) > 1 else ""
            parts.append(f"{lead}{md(item.short)}{'：' + what if what else ''}")
        unused = [t for j, t in enumerate(given) if j not in used]
        if unused:
            self.request.warnings.append(
                "“阶段情况”中解决的突出问题“" + "；".join(unused) + "”不是整改方案确定的突出问题（"
                + "、".join(i.short for i in hot) + "）：小结按整改方案写；请核对问题清单的“突出问题”列或阶段情况")
        return f"按照整改方案，集中力量解决群众热盼的{len(hot)}个突出问题：{'；'.join(parts)}。"

    def _publish_text(self, span: Any) -> str:
        """公布整改情况: what the unit reports it did (阶段情况 公布整改情况), else the plan's arrangement (拟于…)."""
        from .. import rectification

        given = [md(t) for t in self.r.texts.get("公布整改情况", [])]
        if given:
            return "；".join(given) + "，接受群众评议。"
        if span is None:
            return f"按照整改方案，拟于阶段结束前向{self.public}公布整改情况，接受群众评议。"
        when = rectification.dates(span, self._publicity_days())
        return f"按照整改方案，拟于{_md_day(when.publish)}向{self.public}公布整改情况，接受群众评议。"

    def _ledger_text(self, items: list[Any], solved: int) -> str:
        """The ledger as it stands: 销号 items, those to keep up (长期坚持) and those put in a later plan (never 销号),
        and the open ones by number and name, an overdue one flagged rather than printed as still pending."""
        from .. import rectification

        long_term = [i for i in items if rectification.LONG_TERM in i.deadline]
        planned = [i for i in items if i not in long_term and not i.hot and _LATER_PLAN.search(i.measure)]
        closable = [i for i in items if i not in long_term and i not in planned]
        closable.sort(key=lambda i: (not i.hot, i.number))  # the 突出问题 the 小结 reports solved come first
        if solved > len(closable):
            self.request.warnings.append(
                f"“阶段情况”中整改提高的已整改数{solved}多于能销号的{len(closable)}个问题：需长期坚持的"
                f"{len(long_term)}个" + (f"、列入以后计划的{len(planned)}个" if planned else "")
                + f"不计入销号，小结按已完成{len(closable)}个写；请核对")
        done = min(solved, len(closable))
        still = sorted(closable[done:], key=lambda i: i.number)
        parts = [f"列入整改台账的问题{len(items)}个，已完成销号{done}个"]
        if long_term:
            parts.append(f"需长期坚持的{len(long_term)}个（{_numbers(long_term)}），作为长效机制抓好落实，不计入销号")
        if planned:
            parts.append(f"列入以后计划的{len(planned)}个（{_numbers(planned)}），"
                         + "；".join(f"{_plan_clause(i.measure)}" for i in planned))
        day = self.context.get("issued_day")
        for item in still:
            due = _deadline_day(item.deadline, day)
            name = f"第{item.number}项（{md(item.short)}）"
            if due is not None and day is not None and due < day:
                parts.append(f"{name}未能按原定时限（{md(item.deadline)}）完成，需重新明确整改时限")
                self.request.warnings.append(
                    f"整改台账第{item.number}项“{item.short}”的时限{item.deadline}已过，按已整改数仍未销号："
                    "小结写明未按期完成；请确定新的时限（问题清单“时限”）或核对已整改数")
            else:
                parts.append(f"{name}按整改方案的时限（{md(item.deadline)}）继续抓好落实")
        return "；".join(parts) + "。"

    def _publicity_days(self) -> int:
        from .. import rectification

        given = getattr(self.profile, "publicity_days", None)
        spec = ((getattr(self.campaign, "amounts", None) or {}).get("publicity_days") or {})
        return int(given if given is not None else spec.get("default", rectification.PUBLICITY_DAYS))

    def _reached(self) -> list[tuple[str, int]]:
        """The members studied away from the sessions, as the sector's study methods reach them: (key, count)."""
        members = getattr(self.campaign, "members", {}) or {}
        return [(key, self.profile.count(key)) for key in ("elderly", "mobile")
                if hasattr(self.profile, "count") and self.profile.count(key) and key in members]

    def _attendance(self) -> dict[str, str]:
        """参学 and 补学: how many members studied, in the sessions or by the sector's methods, and who made up.

        ``参学人数`` counts every member who studied: those at the 集中学习 and
        those who cannot attend them (年老体弱 members studied at home, 流动
        members by mailed material), so the figure is broken down
        (参学党员150名…其中参加集中学习的98名、…).  The others were absent;
        ``补学人数`` are those of them who made the study up.  Impossible
        figures (more than the members, fewer 参学 than the members reached at
        home or by post) are a CampaignError (one line); surprising ones a 提示.
        """
        from ...kb.errors import CampaignError

        members = self.profile.total if hasattr(self.profile, "total") else None
        lost = getattr(self.profile, "lost", None) or 0
        # 失联 members cannot attend nor make the study up: 参学 and 补学 are counted among the others
        total = members - lost if members and lost and lost < members else members
        attended = self.r.numbers.get("参学人数")
        made_up = self.r.numbers.get("补学人数")
        among = f"（失去联系的{lost}名除外）" if total != members else ""
        if attended is not None and total and attended > total:
            raise CampaignError(f"“阶段情况”中{self.r.phase}的参学人数{attended}多于应参学的党员{total}名{among}：请核对")
        if attended is not None and made_up is not None and total and attended + made_up > total:
            raise CampaignError(
                f"“阶段情况”中{self.r.phase}的参学人数{attended}加补学人数{made_up}多于应参学的党员{total}名{among}："
                f"补学人数是缺席学习、事后补学的党员，最多{total - attended}名")
        members_of = getattr(self.campaign, "members", {}) or {}
        reached = self._reached()
        away = sum(n for _, n in reached)
        ways = [f"{_SHORT_METHOD.get(k) or md(members_of[k].method).replace('、', '')}的{self._label(k)}党员{n}名"
                for k, n in reached]
        if attended is not None and away and attended < away:
            raise CampaignError(
                f"“阶段情况”中{self.r.phase}的参学人数{attended}少于送学、寄送资料自学的党员{away}名（"
                + "、".join(ways) + "）：参学人数包括参加集中学习的党员和这些党员，请核对")
        rate = f"，参学率{attended * 100 / total:.1f}%" if attended is not None and total else ""
        head = (f"{self.running}{members}名党员{among}中，" if among else f"{self.running}{total}名党员中，") if total else ""
        text = f"{head}参学党员{self.r.number('参学人数')}名{rate}"
        if away:
            present = str(attended - away) if attended is not None else "＿＿"
            text += f"，其中参加集中学习的{present}名，" + "，".join(ways)
        text += "。"
        if attended is not None and total and away and attended - away < (total - away) / 2:
            self.request.warnings.append(
                f"{self.r.phase}阶段参加集中学习的党员只有{attended - away}名（参学{attended}名中除去送学、寄送资料自学的"
                f"{away}名），不到能参加集中学习的{total - away}名的一半：请核对参学人数")
        facts: dict[str, str] = {}
        if attended is not None and total and attended < total and made_up is None:
            self.r.missing.append("补学人数")
        if made_up is not None or (attended is not None and total and attended < total):
            absent = total - attended if attended is not None and total else None
            if absent is not None and made_up is not None and made_up == absent:
                said = f"因故缺席学习的{absent}名党员，已全部由所在支部组织补学"
            elif absent is not None:
                said = f"因故缺席学习的{absent}名党员中，{self.r.number('补学人数')}名已由所在支部组织补学"
            else:
                said = f"因故缺席学习的{self.r.number('补学人数')}名党员，已由所在支部组织补学"
            text += f"{said}。"
            if absent is not None and made_up is not None and made_up < absent:
                self.request.warnings.append(
                    f"{self.r.phase}阶段缺席学习的{absent}名党员中有{absent - made_up}名未写明补学：转段条件要求"
                    "缺席党员已补学，请核实（送学上门、寄送资料自学的党员已计入参学人数，不再计入补学人数）")
        facts["attendance"] = self._as_of() + text
        if reached:
            if attended is not None:
                facts["coverage"] = "、".join(f"{n}名{self._label(k)}党员采取{md(members_of[k].method)}的办法"
                                             for k, n in reached) + "学习，均已计入参学人数。"
            else:
                facts["coverage"] = "按照学习要求，" + "；".join(
                    f"对{n}名{self._label(k)}党员采取{md(members_of[k].method)}的办法" for k, n in reached) + "。"
        return facts

    # ------------------------------------------------------------ helpers
    def list_text(self, key: str, sep: str = "；") -> str:
        items = [md(t) for t in self.r.texts.get(key, [])]
        return sep.join(items) if items else TO_FILL

    def _plan_text(self, span: Any) -> str:
        """The 整改方案's steps on the calendar the 整改方案 itself uses (generators/rectification.py)."""
        from .. import rectification

        if span is None:
            return (f"{self.running}制定整改方案，公示征求党员群众意见后定稿；"
                    "按照实施方案，每名党员对照评议意见订出个人整改措施。")
        when = rectification.dates(span, self._publicity_days())
        return (f"{_md_day(when.draft)}，{self.running}提出整改方案征求意见稿，{when.publicity}公示、征求党员群众意见，"
                f"{_md_day(when.adopted)}定稿印发；按照实施方案，每名党员对照评议意见订出个人整改措施。")

    def _tutor(self, tutor: str) -> tuple[str, bool]:
        """The tutor in running text and whether he is one of the unit's own 班子 (党委委员褚志强同志: not "请"-ed)."""
        from .. import titles

        org = getattr(self.profile, "org", None)
        officer = next((o for o in getattr(org, "officers", []) if o.name and o.name == tutor.strip()), None)
        if officer is not None:
            return md(titles.person(org, officer, full=True, running=self.running)), True
        return _person(tutor), False

    def _team(self) -> str:
        from .. import titles

        return md(titles.supervisor(self.profile).team)

    def _label(self, key: str) -> str:
        from ...kb import taxonomy

        return {"retired": "离退休", "elderly": "年老体弱", "mobile": "流动"}.get(key) or taxonomy.label("member", key)

    def _unit_word(self) -> str:
        me = getattr(self.profile, "me", "") or "本单位"
        return str(me).removesuffix("党委").removesuffix("党总支").removesuffix("党支部") or "本单位"


#: A problem the unit reports already put right in the phase (经支部帮助后重写, 已纠正): not left to the next phase.
_SOLVED = re.compile(r"(帮助后|督促后|指出后)(已|作了|进行了)?(重写|重新|改正|纠正|整改|补)|已(经)?(重写|纠正|改正|整改到位|解决)")
#: A measure that puts (part of) the work into a later year's plan: not 销号 during the campaign.
_LATER_PLAN = re.compile(r"列入(明年|下一年度|下年度|今后|以后)[^，。；]*?(计划|规划)")


def _span_text(first: Any, last: Any) -> str:
    """8月22日 / 8月22日至26日 / 10月31日至11月2日."""
    if first == last:
        return _md_day(first)
    tail = f"{last.day}日" if (first.year, first.month) == (last.year, last.month) else _md_day(last)
    return f"{_md_day(first)}至{tail}"


def _numbers(items: list[Any]) -> str:
    return "第" + "、".join(str(i.number) for i in items) + "项"


def _plan_clause(measure: str) -> str:
    """协调…，下水管网改造列入明年街道计划并向居民说明 → 下水管网改造列入明年街道计划."""
    for clause in re.split(r"[，；]", measure):
        if _LATER_PLAN.search(clause):
            return md(re.split(r"并", clause)[0])
    return md(measure)


def _deadline_day(text: str, today: Any) -> Any:
    """9月30日前 / 2005年9月30日 → the date (the year of ``today``); None for 长期坚持, 年底前 and the like."""
    import datetime as _dt

    found = re.search(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日", text or "")
    if not found or today is None:
        return None
    year = int(found.group(1)) if found.group(1) else today.year
    try:
        return _dt.date(year, int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


#: Words too common in problems and measures to tell one problem from another.
_COMMON = set("党员 群众 居民 职工 社区 问题 工作 建立 制度 整改 解决 及时 不够 部分 个别 情况 意见 落实 加强 一个 每人 每月".split())


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)} - _COMMON


def _pair(items: list[Any], texts: list[str]) -> tuple[dict[int, str], set[int]]:
    """Match the user's 解决的突出问题 to the plan's 突出问题 by shared words: item index → text, and the texts used."""
    done: dict[int, str] = {}
    used: set[int] = set()
    for i, item in enumerate(items):
        words = _bigrams(f"{item.problem}{item.measure}")
        scored = sorted(((len(words & _bigrams(t)), j) for j, t in enumerate(texts) if j not in used), reverse=True)
        if scored and scored[0][0] >= 2:
            done[i] = texts[scored[0][1]]
            used.add(scored[0][1])
    return done, used


def task_sections(report: PhaseFacts) -> list[dict[str, Any]]:
    """The 小结's 主要工作: each task of the phase that has facts, with them in order."""
    sections = []
    for task in report.unit.tasks:
        keys = TASK_FACTS.get(task.key, ())
        texts = [report.facts[k] for k in keys if k in report.facts]
        if texts:
            sections.append({"name": md(report.sections.get(task.key) or task.name or task.text), "facts": texts})
    return sections


def condition_rows(report: PhaseFacts, conditions: list[Any], profile: Any) -> list[dict[str, Any]]:
    """The 请示's conditions: each with its facts and 佐证材料 (conditions about members the unit lacks dropped)."""
    rows = []
    for condition in conditions:
        text = _only_present(condition.text, profile)
        if not text:
            continue
        facts = [report.facts[k] for k in condition.facts if k in report.facts]
        if "announce" in condition.facts and any("拟于" in f for f in facts):
            text = "向群众公布整改情况已作安排"  # the plan's arrangement, not yet reported done
        text = next((report.headings[k] for k in condition.facts if k in report.headings), text)
        rows.append({"text": md(text), "facts": facts, "materials": "、".join(md(m) for m in condition.materials)})
    return rows


def _only_present(condition: str, profile: Any) -> str:
    """Drop the parts of a condition about members the organization does not have (送学帮学, 寄送资料)."""
    parts = {"年老体弱党员送学帮学": "elderly", "流动党员寄送学习资料": "mobile", "流动党员邮寄学习资料": "mobile"}
    if not any(p in condition for p in parts) or not hasattr(profile, "count"):
        return condition
    kept = [p for p, key in parts.items() if p in condition and profile.count(key)]
    return f"{'、'.join(kept)}已落实" if kept else ""


# ---------------------------------------------------------------- the documents
def _prepare(request: Request, role: str) -> tuple[Any, PhaseFacts, dict[str, Any]]:
    """The phase, its facts and the forms' context for the document with ``role`` (summary or transition)."""
    from .. import titles
    from ..member_facts import members_sentence
    from .forms import _facts_context, find_phase
    from .org_facts import yaml_text

    unit = find_phase(request.campaign, request.options.get("phase"))
    _, context = _facts_context(request, role=f"{role}:{unit.key}")
    report = phase_facts(request, unit, context)
    if not report.complete:
        context["fm"]["number"] = yaml_text("")  # a draft carries no 文号
        hint = report.results.hint()
        if hint not in request.warnings:
            request.warnings.append(hint)
    parent = str(getattr(request.profile, "parent", "") or "").strip() or "上级党委"
    team = titles.supervisor(request.profile).team
    context.update({
        "phase": md(unit.name),
        "when": report.when,
        "until": report.until,
        "draft": not report.complete,
        "next_phase": report.next_name,
        "next_when": report.next_when,
        "next_start": report.next_start,
        "next_work": report.next_work,
        "team": md(team),
        "leading_group": md(f"{parent}先进性教育活动领导小组"),
        "to_fill": TO_FILL,
        "members": md(members_sentence(request.profile, context["running"])) if hasattr(request.profile, "org") else "",
    })
    context["fm"]["cc"] = yaml_text(team)
    _working_paper(request, report, context)
    return unit, report, context


def _working_paper(request: Request, report: PhaseFacts, context: dict[str, Any]) -> None:
    """Put the 依据 working paper on ``request``: every fact of the phase with its kind (nothing here is cited)."""
    from ._common import Citations

    cite = Citations(request.citations)
    for task in report.unit.tasks:
        for key in TASK_FACTS.get(task.key, ()):
            if key in report.facts:
                kind = FACT_KINDS.get(key, "practice")
                if key == "announce" and report.results.texts.get("公布整改情况"):
                    kind = "user"  # the unit reports it was made public
                cite.note(md(task.name or task.text), kind, report.facts[key],
                          ("" if key == "announce" and kind == "user" else _FACT_SUPPORT.get(key))
                          or _SUPPORT.get(kind, ""))
    for key, section in (("亮点", "取得的成效"), ("问题", "存在的问题")):
        for item in report.list_of(key):
            cite.note(section, "user", item)
    if report.next_name:
        cite.note("下一阶段打算", "default", f"{report.next_name}阶段{report.next_when}", "按开始日期、月数和阶段比例推算")
        cite.note("下一阶段打算", "practice", report.next_work)
    request.statements = list(cite.statements)
    if cite.mode == "file":
        title = f"{context['org']}{context['campaign']}{report.unit.name}阶段的小结和转段请示"
        request.working_paper = cite.working_paper(title, str(context["fm"]["org"]).strip('"'))


def summary_markdown(request: Request) -> str:
    """Return the 阶段小结 of the phase given by the ``phase`` option (default the first) as Markdown.

    Complete (with its 文号) when the profile's ``阶段情况`` gives the phase's
    results; else a draft without 文号 whose blanks a 提示 names.
    """
    from ..procedure import procedure
    from .forms import _render
    from .org_facts import yaml_text

    _, report, context = _prepare(request, "summary")
    proc = procedure(request.campaign)
    # the 请示's 附件, part of that document: no 文号, 主送 or 抄送 of its own (the 请示 carries them)
    context["fm"]["to"] = yaml_text("")
    context["fm"]["cc"] = yaml_text("")
    context.update({
        "sections": task_sections(report),
        "highlights": report.list_of("亮点"),
        "shortcomings": report.list_of("问题"),
        "solved": [bool(_SOLVED.search(t)) for t in report.list_of("问题")],
        "survey": _cooperation(proc, context["running"]),
        "makeup": md(proc.makeup) if proc.makeup else "",
    })
    return _render("forms/phase_summary.md.j2", context)


def transition_markdown(request: Request) -> str:
    """Return the 转段请示 of the phase given by the ``phase`` option: a 请示 to the higher 领导小组, 抄送 the 督导组.

    Each 转段 condition of the pack with the facts that prove it and its
    佐证材料; the 阶段小结 is its 附件.  Without the phase's results it is a
    draft without 文号, like the 小结.
    """
    from ..procedure import procedure
    from .forms import _render
    from .org_facts import yaml_text

    unit, report, context = _prepare(request, "transition")
    proc = procedure(request.campaign)
    conditions = proc.conditions_of(unit.key)
    if not conditions:
        from ..procedure import Condition

        conditions = [Condition(f"{t.name or t.text}已完成", list(TASK_FACTS.get(t.key, ()))) for t in unit.tasks]
    secretary = getattr(getattr(request.profile, "org", None), "secretary", None)
    context["fm"]["to"] = yaml_text(context["leading_group"])
    context["fm"]["signer"] = yaml_text(secretary.name if secretary is not None and report.complete else "")
    context["fm"]["attachment"] = yaml_text(f"{unit.name}阶段小结")
    context["fm"]["note"] = yaml_text(_contact_note(request))
    context.update({
        "conditions": condition_rows(report, conditions, request.profile),
        "survey": _cooperation(proc, context["running"]),
    })
    return _render("forms/transition.md.j2", context)


#: A blank the user writes the 联系人 or 电话 in by hand (a fill-in line the document check reports).
_HAND = "＿＿＿＿"


def _contact_note(request: Request) -> str:
    """The 请示's 附注 (GB/T 9704): （联系人：张立新；联系电话：…）— the 办公室主任 by default, blanks to write in."""
    profile = request.profile
    contact = str(getattr(profile, "contact", "") or "").strip()
    phone = str(getattr(profile, "phone", "") or "").strip()
    if not contact and getattr(profile, "office", ""):
        contact = str(profile.office).strip()
        request.warnings.append(f"请示的附注按办公室主任写联系人{contact}：不是他时请在单位资料“联系人”中写明")
    if not contact or not phone:
        missing = "、".join(k for k, v in (("联系人", contact), ("联系电话", phone)) if not v)
        request.warnings.append(f"请示的附注（联系人和联系电话）中{missing}未给出，留空待填：可在单位资料“{missing}”中写明")
    return f"（联系人：{md(contact) if contact else _HAND}；联系电话：{md(phone) if phone else _HAND + _HAND}）"


def _cooperation(proc: Any, running: str) -> str:
    """What the unit does in the 群众满意度测评 the higher 党委 runs (配合做好…), from the pack's ``survey``."""
    if not proc.survey:
        return ""
    part = proc.survey.split("，", 1)[-1] if "，" in proc.survey else proc.survey
    return md(part.replace("本单位", running) if "本单位" in part else f"{running}{part}")
