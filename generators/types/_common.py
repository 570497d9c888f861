"""What the campaign document types share: the timeline, citations, the template context and rendering.

A type module builds a context with :func:`base_context` and its own facts,
and renders its template with :func:`render`.  Templates call
``cite(section, entry, …)`` next to the text an entry of the pack gave them;
``citations_appendix()`` at the end prints the 编写依据 table of everything
cited (or nothing with ``--no-citations``).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ...kb.errors import CampaignError, InputError
from ..campaign import Campaign, Unit, passage_resolver
from ..profile import Profile, parse_date
from ..registry import Request

_RESOLVER: Any = None


def resolver() -> Any:
    """Return the (cached) passage resolver over the bundled guidance."""
    global _RESOLVER
    if _RESOLVER is None:
        _RESOLVER = passage_resolver()
    return _RESOLVER


def cn_date(day: _dt.date) -> str:
    """2005年7月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_md(day: _dt.date) -> str:
    """7月1日."""
    return f"{day.month}月{day.day}日"


def add_months(day: _dt.date, months: int) -> _dt.date:
    """Return ``day`` moved ``months`` months later (clamped to the month's last day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    import calendar

    return _dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class Span:
    """A unit of the campaign with its dates."""

    unit: Unit
    start: _dt.date
    end: _dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def xun(self) -> str:
        """2005年7月上旬至8月上旬: the span in 旬, as plans of the time gave it."""
        from ..campaign_calendar import xun_text

        return xun_text(self.start, self.end)

    @property
    def text(self) -> str:
        """2005年7月1日至8月5日 (the year once when both are in it)."""
        end = cn_md(self.end) if self.end.year == self.start.year else cn_date(self.end)
        return f"{cn_date(self.start)}至{end}"


@dataclass
class Timeline:
    """When the campaign runs for one organization, and which values are defaults."""

    start: _dt.date
    end: _dt.date
    months: int
    spans: list[Span]
    defaults: list[str]  #: Chinese notes on values taken from the pack's defaults
    minimum: float | None

    @property
    def duration(self) -> str:
        """The length as the dates give it: 三个月, 三个半月, 近三个月 …"""
        from ..campaign_calendar import duration_text

        return duration_text(self.start, self.end)

    def span(self, key: str) -> Span:
        for span in self.spans:
            if span.unit.key == key:
                return span
        raise CampaignError(f"活动资料包没有“{key}”阶段")


def timeline(profile: Profile, campaign: Campaign) -> Timeline:
    """Return the organization's dates: start, end and each phase, shares from the profile or the pack."""
    notes: list[str] = []
    if profile.start is not None:
        start = profile.start
    else:
        start = parse_date(campaign.parameter("start"), "开始日期")
        notes.append(f"开始日期未给出，按活动资料包默认值 {cn_date(start)}（{campaign.parameters['start'].note}）")
    months_param = campaign.parameters["months"]
    if profile.end is not None:
        end = profile.end
        months = max(1, round((end - start).days / 30.4))
        if profile.months is not None:
            months = profile.months
    else:
        if profile.months is not None:
            months = profile.months
        else:
            months = int(months_param.default)
            notes.append(f"月数未给出，按活动资料包默认值 {months} 个月（{months_param.note}）")
        end = add_months(start, months) - _dt.timedelta(days=1)
    if end <= start:
        raise CampaignError(f"结束日期 {cn_date(end)} 不能早于开始日期 {cn_date(start)}")
    units = campaign.structure.units
    spans: list[Span] = []
    if campaign.structure.kind == "phases" and units:
        shares = profile.shares or [u.share or 0 for u in units]
        if len(shares) != len(units):
            names = "、".join(u.name for u in units)
            raise CampaignError(f"阶段比例有 {len(shares)} 个数，但本活动有 {len(units)} 个阶段（{names}）")
        total = sum(shares)
        days = (end - start).days + 1
        if days < len(units):
            raise CampaignError(f"{days} 天不够安排 {len(units)} 个阶段")
        from ..campaign_calendar import boundary, holiday, last_day

        if profile.end is None:
            moved = last_day(end)
            if moved != end:
                notes.append(f"结束日期 {cn_date(end)} 在{holiday(end)[2]}假期内，延后到假期后的 {cn_date(moved)}"
                             f"（集中学习教育时间不少于 {months} 个月）")
                end = moved
                days = (end - start).days + 1
        elif holiday(end):
            notes.append(f"结束日期 {cn_date(end)} 在{holiday(end)[2]}假期内，请考虑调整")
        cursor = start
        used = 0.0
        for i, (unit, share) in enumerate(zip(units, shares)):
            used += share / total
            if i == len(units) - 1:
                last = end
            else:
                wanted = start + _dt.timedelta(days=max(round(days * used) - 1, 0))
                low = max(cursor + _dt.timedelta(days=6), wanted - _dt.timedelta(days=10))
                high = min(end - _dt.timedelta(days=7 * (len(units) - 1 - i)), wanted + _dt.timedelta(days=10))
                last = boundary(wanted, low, high) if low <= high else wanted  # the end of a 旬, never in a holiday
            last = max(last, cursor)
            spans.append(Span(unit, cursor, last))
            cursor = last + _dt.timedelta(days=1)
    else:
        spans = [Span(unit, start, end) for unit in units]
    return Timeline(start, end, months, spans, notes, months_param.minimum)


#: The kinds a statement of a generated document can have (the 依据 working paper lists each with its kind).
KINDS = {"guidance": "指导原文", "practice": "通行做法", "default": "默认值", "user": "单位资料"}

#: How the 依据 is delivered: a working paper of its own (default), an attachment of the document, or not at all.
CITATION_MODES = {"file": "file", "单独": "file", "工作底稿": "file", "appendix": "appendix", "附件": "appendix",
                  "none": "none", "不附": "none", "无": "none"}


def citation_mode(value: Any) -> str:
    """Return file, appendix or none for ``value`` (True → file, False/None → none, or a mode name)."""
    if value is True:
        return "file"
    if value is False or value is None:
        return "none"
    mode = CITATION_MODES.get(str(value).strip().lower())
    if mode is None:
        raise InputError(f"依据的给法应是 file（单独成文，默认）、appendix（作为附件）或 none（不附），而不是“{value}”")
    return mode


@dataclass
class Statement:
    """One statement of a document and what it rests on."""

    section: str
    kind: str  #: a key of KINDS
    text: str  #: the statement (or what it says, shortened)
    passage_id: str = ""  #: guidance only
    support: str = ""  #: guidance: the sentence of the passage that supports it; default: the option; practice: ""
    name: str = ""  #: guidance: the pack entry's name (四个一, 信息反馈制度 …), also checked against the sentence


class Citations:
    """Collects what each section of a document rests on, for the 依据 (working paper or attachment).

    ``cite`` records guidance (pack entries with ``sources``/``quote``);
    ``note`` records practice, defaults (with the option that changes them)
    and the profile's facts.  Passage IDs and tool commands never go into an
    official document: the attachment names the passage by its place in the
    speech; only the working paper shows the IDs.
    """

    def __init__(self, enabled: Any = True) -> None:
        self.mode = citation_mode(enabled)
        self.enabled = self.mode != "none"
        self.statements: list[Statement] = []
        self._seen: set[tuple[str, str, str]] = set()

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        """(section, passage ID, supporting sentence) of every guidance statement."""
        return [(s.section, s.passage_id, s.support) for s in self.statements if s.kind == "guidance"]

    def cite(self, section: str, *entries: Any) -> str:
        """Record the guidance ``entries`` (pack objects with ``sources``/``quote``, or passage IDs) rest on under ``section``; return ""."""
        for entry in entries:
            if entry is None:
                continue
            if isinstance(entry, str):
                pairs: Iterable[tuple[str, str]] = [(entry, "")]
                said = ""
            elif isinstance(entry, (list, tuple)):
                self.cite(section, *entry)
                continue
            elif hasattr(entry, "default") and hasattr(entry, "note"):  # a pack parameter: a default, never cited
                self.note(section, "default", f"{entry.name}（默认{entry.default}）",
                          f"{entry.note}；单位资料中的“{entry.name}”可改")
                continue
            else:
                said = statement_text(entry)
                if not entry.sources:  # a pack entry without sources is the period's practice
                    self.note(section, "practice", said)
                    continue
                theme = getattr(entry, "theme", "")
                if isinstance(theme, str) and theme:  # the 主题实践活动 the plan names, then what it is about
                    self.cite(section, _Quoted(f"组织党员开展“{theme}”主题实践活动", entry.sources, theme))
                pairs = [(pid, getattr(entry, "quote", "") or "") for pid in entry.sources]
            for passage_id, quote in pairs:
                key = (section, passage_id, said)
                if key in self._seen:
                    continue
                self._seen.add(key)
                name = getattr(entry, "name", "") or ""
                name = name if isinstance(name, str) else ""
                support = (supporting_sentence(resolver()(passage_id), quote, f"{name} {said}")
                           if self.enabled else quote)
                self.statements.append(Statement(section, "guidance", said, passage_id, support, name))
        return ""

    def note(self, section: str, kind: str, text: str, support: str = "") -> str:
        """Record a statement of ``kind`` (practice, default, user) under ``section``; return ""."""
        if kind not in KINDS or kind == "guidance":
            raise ValueError(kind)
        key = (section, kind, text)
        if text and key not in self._seen:
            self._seen.add(key)
            self.statements.append(Statement(section, kind, text, "", support))
        return ""

    def ids(self) -> list[str]:
        """Every cited passage ID, in order of first citation."""
        return list(dict.fromkeys(s.passage_id for s in self.statements if s.kind == "guidance"))

    def _doc_titles(self) -> list[str]:
        titles: list[str] = []
        for passage_id in self.ids():
            citation = resolver()(passage_id).citation
            title = citation.split("》")[0].lstrip("《") if "》" in citation else ""
            if title and title not in titles:
                titles.append(title)
        return titles

    def appendix(self, heading: str = "# 附件 编写依据") -> str:
        """Return the 编写依据 attachment (appendix mode only): section, what it rests on, the supporting sentence.

        Nothing in it is a tool's: places in the speech are named by part and
        paragraph, never by passage ID.
        """
        if self.mode != "appendix" or not self.statements:
            return ""
        docs = "、".join(f"《{t}》" for t in self._doc_titles()) or "指导原文"
        lines = ["| 部分 | 类别 | 依据 |", "|:--|:-:|:--|"]
        previous = None
        for s in self.statements:
            shown = s.section if s.section != previous else "^"
            previous = s.section
            lines.append(f"| {cell(shown)} | {KINDS[s.kind]} | {cell(self._basis(s, ids=False))} |")
        intro = (f"本文依据{docs}和上级有关要求编写。“指导原文”一栏摘录支持该部分的原话；"
                 "“通行做法”是当时基层的常见做法；“默认值”是可以按本单位实际修改的数字；“单位资料”是本单位提供的情况。")
        if any(EXPANDED in s.support for s in self.statements):
            intro += EXPANDED_NOTE
        return "\n".join([heading, "", intro, "", *lines, ""])

    def _basis(self, s: Statement, ids: bool) -> str:
        if s.kind == "guidance":
            passage = resolver()(s.passage_id)
            where = passage.citation.split("》", 1)[-1].strip() or passage.citation
            place = f"{where}（{s.passage_id}）" if ids else where
            return f"{place}：“{s.support}”"
        if s.kind == "default":
            return f"{s.text}（默认值；{s.support}）" if s.support else f"{s.text}（默认值）"
        return s.text

    def working_paper(self, title: str, org: str) -> str:
        """Return the 依据 working paper (Markdown): every recorded statement of the document with its kind."""
        if self.mode != "file" or not self.statements:
            return ""
        docs = "、".join(f"《{t}》" for t in self._doc_titles()) or "指导原文"
        counts = {k: sum(1 for s in self.statements if s.kind == k) for k in KINDS}
        summary = "，".join(f"{KINDS[k]}{n}条" for k, n in counts.items() if n)
        lines = ["| 序号 | 部分 | 类别 | 内容 | 依据 |", "|:-:|:--|:-:|:--|:--|"]
        for i, s in enumerate(self.statements, start=1):
            content = s.text if s.kind == "guidance" else "　"
            if s.kind != "guidance":
                content = s.text
                basis = {"practice": "当时基层的通行做法，不是指导原文", "user": "本单位资料",
                         "default": (s.support if "默认" in s.support else f"默认值，{s.support}") if s.support
                         else "默认值"}[s.kind]
            else:
                basis = self._basis(s, ids=True)
            lines.append(f"| {i} | {cell(s.section)} | {KINDS[s.kind]} | {cell(content or '（本部分）')} | {cell(basis)} |")
        head = ["---", "类型: 工作底稿", "横向: 是", "列宽: [[1.2, 3.0, 2.2, 9.0, 9.6]]", "---",
                f"# 《{title}》编写依据", "", f"单位：{org}", "",
                f"本表是起草时的工作底稿，不随文件印发。文件的每一部分依据什么写成，逐条列出：{docs}中的原话（括号内为段落编号），"
                f"当时基层的通行做法，可以修改的默认值，以及本单位提供的情况。共{len(self.statements)}条：{summary}。"
                + (EXPANDED_NOTE if any(EXPANDED in s.support for s in self.statements) else ""), ""]
        return "\n".join([*head, *lines, ""])

    def number_problems(self) -> list[str]:
        """Statements that state a number none of the passages they are cited to contains (must be empty)."""
        passages: dict[tuple[str, str], list[str]] = {}
        for s in self.statements:
            if s.kind == "guidance":
                passages.setdefault((s.section, s.text), []).append(s.passage_id)
        problems = []
        for (section, said), ids in passages.items():
            texts = [resolver()(pid).text.replace("、", "") for pid in ids]  # 一、两个 = 一两个
            for number in NUMBER.findall(said):
                if not any(number in text for text in texts):
                    problems.append(f"{section}：“{said}”中的“{number}”不在所引段落 {'、'.join(ids)} 中")
        return problems


    def support_problems(self) -> list[str]:
        """Guidance statements whose quoted sentence does not share the statement's key terms (must be empty).

        A sentence supports a statement when it names the entry ("四个清楚",
        "集中学习") or shares at least two of the statement's key words (one when
        the statement has three or fewer): words of two or more characters, and the
        dictionary words inside them, that are not particles or the campaign's
        everyday words (党员, 教育活动 …).
        """
        problems = []
        for s in self.statements:
            if s.kind != "guidance" or not (s.text or s.name):  # a bare passage ID claims nothing to check
                continue
            wanted = key_terms(f"{s.name} {s.text}")
            shared = wanted & key_terms(s.support)
            named = len(s.name) >= 2 and s.name in s.support
            if not named and len(shared) < (1 if len(wanted) <= 3 else 2):
                problems.append(f"{s.section}：“{s.text}”所引 {s.passage_id} 的原话“{s.support}”与之没有共同的关键词")
        return problems


#: Words too common in the campaign's texts to show that a sentence supports a statement.
COMMON_WORDS = frozenset(
    "保持共产党员先进性 先进性 先进 共产 共产党 教育 活动 教育活动 先进性教育 先进性教育活动 党员 共产党员 保持 开展 进行 工作 要求 单位 本单位 各级 全体 "
    "认真 加强 做好 搞好 实际 情况 党组织 基层 第二批 一定 方面 通过 结合 注意 重要 积极 进一步 不断 切实 主要".split())


def key_terms(text: str) -> set[str]:
    """The words of ``text`` that say what it is about (see :meth:`Citations.support_problems`)."""
    from ...kb.segment import is_stopword, tokenize

    return {t.text for t in tokenize(text) if len(t.text) >= 2 and not is_stopword(t.text) and t.text not in COMMON_WORDS}


#: Numbers in a statement: Arabic digits, or Chinese numerals with a measure word.
NUMBER = re.compile(r"\d+(?:\.\d+)?|[一二三四五六七八九十两百千万]+(?=[个名次天周月年学时字篇条项])")


@dataclass
class _Quoted:
    """A statement made for citing: what a document says, the passages and the words that support it."""

    text: str
    sources: list[str]
    quote: str = ""


def statement_text(entry: Any) -> str:
    """What a pack entry says, as it appears in documents.

    Its text (or a sector's 着力点, a phase's goal), else its name; a named
    formula is given with its items ("四个一：一条主线、一个主题…").
    """
    items = getattr(entry, "items", None)
    if isinstance(items, list) and items and all(hasattr(i, "name") for i in items):
        return f"{entry.name}：" + "、".join(f"{i.name}（{i.text}）" if i.text and len(i.text) <= 12 else i.name
                                            for i in items)
    for attr in ("text", "focus", "goal", "name", "topic"):
        value = getattr(entry, attr, None)
        if isinstance(value, str) and value:
            return value
    return ""


def supporting_sentence(passage: Any, quote: str, statement: str, limit: int = 90) -> str:
    """Return the sentence of ``passage`` that supports ``statement``: the one holding ``quote``, else the closest.

    Closest means sharing the most two-character pieces with the statement;
    sentences that lost a number in the scraped copy are passed over.
    """
    text = passage.text.replace("×", "").replace("hjt", EXPANDED)
    sentences = [s.strip() for s in re.split(r"(?<=[。；！？])", text) if s.strip()]
    if not sentences:
        return ""
    chosen = ""
    if quote:
        for sentence in sentences:
            if quote in sentence:
                chosen = sentence
                break
        if not chosen and quote in text:
            chosen = quote
    if not chosen:
        wanted = {statement[i:i + 2] for i in range(len(statement) - 1)}
        terms = key_terms(statement)

        def score(sentence: str) -> tuple[int, int]:
            return (len(terms & key_terms(sentence)), len(wanted & {sentence[i:i + 2] for i in range(len(sentence) - 1)}))

        chosen = max(sentences, key=score)
    chosen = chosen.rstrip("。；")
    if len(chosen) > limit:
        at = chosen.find(quote) if quote else -1
        begin = 0
        if at > 0:  # from the clause the quote is in (after a mark), never from the middle of a word
            marks = [i + 1 for i in range(max(0, at - 20), at) if chosen[i] in "，、：；（“"]
            begin = marks[-1] if marks else at
        chosen = ("……" if begin else "") + chosen[begin:begin + limit] + "……"
    return chosen


#: How a quotation shows the leader's name the scraped guidance abbreviates (in Latin letters): an editor's
#: addition in 〔〕, explained once in the 依据's header (:data:`EXPANDED_NOTE`).
EXPANDED = "〔胡锦涛〕"
EXPANDED_NOTE = "原话中〔〕内的文字是整理时补出的：所据文本此处为领导人姓名的缩写。"


def cell(text: str) -> str:
    """Return ``text`` safe inside a Markdown table cell."""
    return str(text).replace("|", "｜").replace("\n", " ")


def yaml_value(text: Any) -> str:
    """Return ``text`` quoted for YAML front matter."""
    return json.dumps("" if text is None else str(text), ensure_ascii=False)


def members_sentence(profile: Profile) -> str:
    """全体党员共56名，其中在职党员20名、离退休党员35名…, or "" when no counts are given."""
    from ...kb import taxonomy

    parts = [f"{taxonomy.label('member', k)}党员{profile.count(k)}名" for k in profile.categories]
    total = profile.total
    if profile.probationary:
        parts.append(f"预备党员{profile.probationary}名")
    if not total:
        return f"全体党员（其中{'、'.join(parts)}）" if parts else "全体党员"
    return f"全体党员共{total}名，其中{'、'.join(parts)}" if parts else f"全体党员共{total}名"


def base_context(request: Request, cite: Citations, date_span: Callable[[Timeline], Span | None] | None = None,
                 role: str = "", dated: bool = True,
                 role_day: Callable[[Timeline], _dt.date | None] | None = None) -> dict[str, Any]:
    """Return the variables every campaign template gets: org, campaign, timeline, formulas, cite …

    ``role`` places the document in the organization's set (generators/docset.py):
    it fixes the 发文字号 and the 成文日期 (``plan``, ``study``, ``rectify`` …);
    the ``issued`` option dates the document explicitly, with a warning when
    that date contradicts the role.  Without a role the document is dated when
    the span ``date_span`` picks starts, else when the campaign starts.
    ``role_day`` gives the role's date when it depends on more than the
    timeline (the 整改方案's 公示 period).  Only roles of the set
    (docset.roles) get a 文号: a 征求意见稿 (``rectify_draft``) has none.
    """
    from .. import docset, titles
    from ..member_facts import branches_problem, breakdown_problem
    from ..member_facts import members_sentence as facts_sentence

    profile, campaign = request.profile, request.campaign
    times = timeline(profile, campaign)
    request.warnings.extend(times.defaults)
    if times.minimum and times.months < times.minimum:
        request.warnings.append(
            f"月数 {times.months} 少于活动要求的 {times.minimum:g} 个月（{campaign.parameters['months'].note}）")
    elif times.minimum and times.end + _dt.timedelta(days=1) < add_months(times.start, int(times.minimum)):
        request.warnings.append(
            f"活动时间 {cn_date(times.start)} 至 {cn_date(times.end)} 为{times.duration}，少于活动要求的 {times.minimum:g} 个月"
            f"（{campaign.parameters['months'].note}）：请把结束日期延后")
    explicit = request.options.get("issued") or (profile.date if role == "plan" else None)
    number = ""
    if role:
        when = docset.role_date(role, times, explicit=explicit, campaign=campaign,
                                default=role_day(times) if role_day else None)
        if when.note:
            request.warnings.append(when.note)
        date_text = when.text
        if role in docset.roles(campaign):
            number = docset.document_number(profile, campaign, role, when.day.year if when.day else None)
            if docset.number_note(profile):
                request.warnings.append(docset.number_note(profile))
    else:
        date = profile.date or times.start
        if profile.date is None and dated:
            span = date_span(times) if date_span else None
            if span is None:
                request.warnings.append(f"成文日期未给出，按开始日期 {cn_date(date)}")
            else:
                date = span.start
        date_text = cn_date(date)
    window = getattr(campaign, "window", None) or {}
    if window.get("start") and window.get("end"):
        first, last = parse_date(window["start"], "开始日期"), parse_date(window["end"], "结束日期")
        if times.start < first or times.end > last:
            request.warnings.append(
                f"活动时间 {cn_date(times.start)} 至 {cn_date(times.end)} 超出{window.get('name') or campaign.name}的时间"
                f"（{cn_date(first)}至{cn_date(last)}）：请调整开始日期或月数，或请上级党委书面同意")
    for problem in (breakdown_problem(profile), branches_problem(profile)):
        if problem:
            request.warnings.append(problem)
    organization = profile.org
    running = titles.running_name(profile)
    sector = campaign.sector(profile.sector)
    from ..sector_blocks import block_for

    block = block_for(profile, campaign)
    own_focus = ""
    if block is not None:
        from ..sector_blocks import fitted

        block = fitted(block, times.start, times.end)
        if block.focus and sector is not None and sector.focus:
            import dataclasses

            cite.note("分类指导", "practice", f"着力点按{block.name}的实际表述：{block.focus}",
                      f"指导原文的表述是“{sector.focus}”")
            sector = dataclasses.replace(sector, focus=block.focus)
        elif block.focus:  # the guidance gives this sector no 着力点: the unit names its own, as plans of the time did
            own_focus = block.focus
            cite.note("分类指导", "practice", f"着力点（指导原文未对{block.name}单列，按当时通行做法提出）：{block.focus}")
    ordered = (campaign.parameters["practice_theme"].default if "practice_theme" in campaign.parameters
               else campaign.practice.theme)
    theme = profile.practice_theme or ordered
    if profile.practice_theme and profile.practice_theme != ordered and role in ("plan", "study"):
        request.warnings.append(f"主题实践活动按单位资料定为“{theme}”，与指导原文确定的主题“{ordered}”不同"
                                "（本地的具体活动可作副题列在主题之下）：请确认已经上级党委同意")
    amounts: dict[str, int] = {}
    for key, spec in (campaign.amounts or {}).items():
        if spec.get("only") and not (block is not None and getattr(block, spec["only"], False)):
            continue  # an amount for some sectors only (倒班党员笔记字数: sectors whose members work shifts)
        given = getattr(profile, key, None)
        amounts[key] = int(given if given is not None else spec["default"])
        if given is None and role.startswith(str(spec.get("role", role))):  # an amount of one document is noted in that one
            cite.note("默认数量", "default", f"{spec['name']}{amounts[key]}",
                      f"{spec['note']}；单位资料“{spec['name']}”可改")
    _note_profile(cite, profile, times, facts_sentence(profile, running))
    tasks = {t.key: t for u in campaign.structure.units for t in u.tasks if t.key}
    by_label = {f.label: f for f in campaign.formulas.values()}
    return {
        "task": lambda key: tasks.get(key),
        "formula": lambda label: by_label.get(label),
        "org": profile,
        "organization": organization,
        "branches": organization.branches if organization.leads_branches else [],
        "contacts": _contacts(organization, running),
        "running": running,
        "short": profile.short,
        "formal": profile.formal,
        "secretary_ref": titles.secretary(organization, full=True, running=running),
        "secretary_short": titles.secretary(organization),
        "supervisor_ref": titles.supervisor(profile).ref,
        "campaign": campaign,
        "times": times,
        "date": date_text,
        "number": number,
        "sector": sector,
        "members": campaign.members,
        "present": [campaign.members[k] for k in profile.categories if k in campaign.members],
        "parent": profile.parent or "上级党委",
        "members_sentence": members_sentence(profile),
        "members_facts": facts_sentence(profile, running),
        "cite": cite.cite,
        "cite_name": lambda section, entry: cite.cite(section, _Quoted(entry.name, entry.sources)),  # the heading only
        "cite_enabled": cite.enabled,
        "q": yaml_value,
        "cn_date": cn_date,
        "label": lambda key: _label(key),
        "cn_md": cn_md,
        "to": docset.addressee(profile),
        "practice_theme": theme,
        "block": block,
        "own_focus": own_focus,
        "amounts": amounts,
        "makeup": makeup_text(amounts.get("makeup_days", 7)),
        "note": cite.note,
        "models": profile.models,
        "proc": _procedure(campaign),
    }


def _note_profile(cite: Citations, profile: Profile, times: Timeline, members: str) -> None:
    """Record the unit's own facts a document uses (kind user): who, when, how many, who leads, who supervises."""
    section = "单位资料"
    facts = [
        f"单位：{profile.formal}" + (f"（上级党组织：{profile.parent}）" if profile.parent else ""),
        f"开始日期：{cn_date(profile.start)}" if profile.start else "",
        f"集中学习教育月数：{profile.months}" if profile.months else "",
        f"结束日期：{cn_date(profile.end)}" if profile.end else "",
        f"党员人数和构成：{members}" if members else "",
        f"书记：{profile.secretary}" if profile.secretary else "",
        f"副书记：{profile.deputy}" if profile.deputy else "",
        "委员：" + "、".join(profile.committee) if profile.committee else "",
        "党支部：" + "、".join(getattr(b, "name", str(b)) for b in profile.branches) if profile.branches else "",
        f"学习地点：{profile.place}" if profile.place else "",
        "辅导人：" + "、".join(profile.tutors) if profile.tutors else "",
        f"督导组：{profile.supervisor_team or ''}（组长{profile.supervisor}）" if profile.supervisor else "",
        "先进典型：" + "、".join(profile.models) if profile.models else "",
        f"主题实践活动：{profile.practice_theme}" if profile.practice_theme else "",
    ]
    for fact in facts:
        if fact:
            cite.note(section, "user", fact, "单位资料")


def _procedure(campaign: Campaign) -> Any:
    from ..procedure import procedure

    return procedure(campaign)


def makeup_text(days: int) -> str:
    """7 → 一周内, 14 → 两周内, else N天内."""
    return {7: "一周内", 14: "两周内", 3: "三天内"}.get(days, f"{days}天内")


def _label(key: str) -> str:
    from ...kb import taxonomy

    return taxonomy.label("member", key)


def hours_text(hours: float) -> str:
    """12.0 → 12, 2.5 → 2.5."""
    return f"{hours:g}"


def paper_title(text: str) -> str:
    """The title a 依据 working paper names: the last level-1 heading, without 附件 and markup ({.landscape})."""
    titles = re.findall(r"^# (.+)$", text, re.M)
    title = re.sub(r"^附件\d*\s*", "", titles[-1] if titles else "")
    return re.sub(r"\s*\{[^}]*\}\s*$", "", title).strip()


def render(template: str, context: dict[str, Any], cite: Citations, appendix: str = "附件",
           request: Request | None = None) -> str:
    """Return the Markdown of ``template``; the 依据 goes after it as ``appendix`` (附件, 附件2 …) in appendix mode.

    In file mode (the default) the 依据 is a working paper of its own: it is
    put on ``request.working_paper`` for the caller to write beside the document.
    """
    from ..render import template_source

    text, _ = template_source(template, context)
    text = with_end_block(text, context)
    if request is not None:
        note_told_defaults(cite, request.warnings)
    table = cite.appendix(f"# {appendix} 编写依据")
    if request is not None and cite.mode == "file":
        title = context.get("paper_title") or paper_title(text)
        request.working_paper = cite.working_paper(title, str(context.get("formal") or ""))
        request.statements = list(cite.statements)
    elif request is not None:
        request.statements = list(cite.statements)
    return text.rstrip("\n") + ("\n\n" + table if table else "") + "\n"


def with_end_block(text: str, context: dict[str, Any]) -> str:
    """Give an issued document (one with a 文号) the 版记 lines of the period: 抄报 and 印发.

    A document the 党委 issues under a 文号 is reported to the higher 党委's
    先进性教育活动办公室 and to the 督导组 (抄报; under GB/T 9704-2012 that line is
    the 抄送), and its 版记 closes with the 印发机关 — the 领导小组办公室 that
    prints it — and the 印发日期, the day it is signed.  A template that writes
    its own 抄送, 抄报 or 印发 keeps them; a draft without a 文号 has no 版记 lines.
    """
    from .. import titles
    from ..text import display_width, format_date
    from ..unbreakable import printed_width

    head = re.match(r"---\n(.*?\n)---\n", text, re.S)
    if not head or "org" not in context:
        return text
    meta = head.group(1)
    number = re.search(r"^文号:[ \t]*(.*)$", meta, re.M)
    if not number or number.group(1).strip() in ("", '""', "''", "null") or re.search(r"^(抄送|抄报|印发):", meta, re.M):
        return text
    to = re.search(r"^主送:[ \t]*(.*)$", meta, re.M)
    to = to.group(1) if to else ""
    campaign = context["campaign"].short_name
    up = [f"{context.get('parent') or '上级党委'}{campaign}办公室", titles.supervisor(context["org"]).team]
    up = [name for name in up if name and name not in to]
    date = re.search(r"^日期:[ \t]*(.*)$", meta, re.M)
    lines: list[str] = [f"抄报: {yaml_value('，'.join(up))}"] if up else []
    date = date.group(1).strip() if date else ""
    # The 党委办公室 prints the documents when the unit has one (profile 党委办公室, or a 整改 list naming it:
    # ``printer``); else the 领导小组办公室; when the name and the date do not fit one 版记 line (29 characters
    # of 4号), the 党委 itself is named, as grassroots units without an office did.
    short = str(context.get("short") or context["running"])
    party_office = str(context.get("printer") or getattr(context["org"], "party_office", "") or "").strip()
    if party_office and not party_office.startswith(short):
        party_office = short + party_office.removeprefix("党委")
    shown = format_date(date.strip("'\"")) if date else ""
    office = ""
    for name in ([party_office] if party_office else []) + [f"{short}{campaign}领导小组办公室", short]:
        office = name
        if display_width(office) + 1 + printed_width(f"{shown}印发") <= 29:
            break
    lines.append(f"印发: {yaml_value(office)}")
    if date:
        lines.append(f"印发日期: {date}")
    return f"---\n{meta}{''.join(line + chr(10) for line in lines)}---\n" + text[head.end():]


#: Words of a 提示 that tells the user a value was chosen for him (a default he can change).
_TOLD = ("未给出", "默认", "延后到", "未列")
#: The option that changes a told default, when the 提示 itself names none.
_OPTIONS = (("结束日期", "单位资料“结束日期”可改"), ("月数", "单位资料“集中学习教育月数”可改"),
            ("开始日期", "单位资料“开始日期”可改"))


def note_told_defaults(cite: Citations, warnings: list[str]) -> None:
    """Record every default the 提示 told the user (结束日期 moved past 国庆, 成文日期, 分会场 threshold …) as kind default.

    The statement is the 提示's text before its last parenthesis; the support
    is the parenthesis (how the default was chosen, which option changes it).
    """
    for warning in warnings:
        if not any(word in warning for word in _TOLD):
            continue
        text, support = warning.rstrip("。"), ""
        if text.endswith("）") and "（" in text:
            cut = text.rindex("（")
            text, support = text[:cut], text[cut + 1:-1]
        text = text.replace("活动资料包默认值", "默认值")
        support = re.sub(r"可用 ?--date ?或 ?--set issued=日期 ?指定", "生成时可另行指定成文日期（实施方案也可在单位资料“成文日期”中写明）", support)
        support = support.replace("活动资料包", "活动")
        if not any(word in support for word in ("可改", "可用", "写明", "指定")):
            option = next((o for key, o in _OPTIONS if text.startswith(key)), "")
            support = "；".join(x for x in (support, option) if x)
        cite.note("其他默认值", "default", text, support)


def _contacts(organization: Any, running: str) -> dict[str, str]:
    """Branch name → its 联系领导 as the 联系点 table writes it (社区党委副书记刘建国、社区党委书记王秀兰)."""
    if not (organization.leads_branches and len(organization.branches) > 1):
        return {}
    from ..titles import office_of

    return {name: "、".join(f"{running}{o.post}{office_of(o)}{o.name}" for o in officers)
            for name, officers in liaisons(organization).items()}


#: Why the 联系点 are what they are (the 依据 gives it with the assignment, kind default).
LIAISON_NOTE = ("联系点是默认安排：先定专题组织生活会到会点评的联系领导（不是本支部党员），全体班子成员都是本支部党员的支部"
                "由本支部的班子成员联系，其余班子成员联系本人所在的支部或党员多的支部；请按班子分工调整")


def liaisons(organization: Any) -> dict[str, list[Any]]:
    """Branch name → the 班子 members who take it as their 联系点: every member links one branch or more.

    The 组织生活会's 联系领导 (``contact_leaders``: from outside the branch, for
    the 点评) comes first; a branch every 班子 member belongs to is linked by
    one of its own 班子 members (a leader may link his own branch; only the
    点评 needs someone from outside); a member still without a branch (the
    书记 as a rule) links the branch with fewest links among those he is not a
    member of (he is at his own branch's meetings anyway).  Each branch lists
    its leaders by rank, 书记 first, as the 联系点 table prints them.
    """
    from ..branch_meetings import contact_leaders

    branches = list(organization.branches)
    leaders = [*([organization.secretary] if organization.secretary else []), *organization.deputies,
               *organization.members]
    picked = contact_leaders(organization)
    result: dict[str, list[Any]] = {b.name: ([picked[b.name]] if picked.get(b.name) is not None else [])
                                    for b in branches}

    def linked(officer: Any) -> bool:
        return any(o.name == officer.name for links in result.values() for o in links)

    def own(officer: Any) -> list[Any]:
        return [b for b in branches
                if officer.name in organization.members_of(b)]

    for branch in branches:
        if result[branch.name]:
            continue
        mine = [o for o in leaders if branch in own(o)]
        mine.sort(key=lambda o: (linked(o), branch.secretary != o.name))
        if mine:
            result[branch.name].append(mine[0])
    for officer in leaders:
        if linked(officer) or not branches:
            continue
        home = own(officer)
        others = [b for b in branches if b not in home] or branches
        target = min(others, key=lambda b: (len(result[b.name]), -(b.count or 0)))
        result[target.name].append(officer)
    rank = {o.name: i for i, o in enumerate(leaders)}
    return {name: sorted(officers, key=lambda o: rank.get(o.name, len(rank))) for name, officers in result.items()}
