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
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ...kb.errors import CampaignError
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
        cursor = start
        used = 0.0
        for i, (unit, share) in enumerate(zip(units, shares)):
            used += share / total
            last = end if i == len(units) - 1 else start + _dt.timedelta(days=max(round(days * used) - 1, 0))
            last = max(last, cursor)
            spans.append(Span(unit, cursor, last))
            cursor = last + _dt.timedelta(days=1)
    else:
        spans = [Span(unit, start, end) for unit in units]
    return Timeline(start, end, months, spans, notes, months_param.minimum)


class Citations:
    """Collects the passages each section of a document derives from, for the 编写依据 table."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.rows: list[tuple[str, str, str]] = []  #: (section, passage ID, quote)
        self._seen: set[tuple[str, str]] = set()

    def cite(self, section: str, *entries: Any) -> str:
        """Record the sources of ``entries`` (pack objects with ``sources``/``quote``, or passage IDs) under ``section``; return ""."""
        for entry in entries:
            if entry is None:
                continue
            if isinstance(entry, str):
                pairs: Iterable[tuple[str, str]] = [(entry, "")]
            elif isinstance(entry, (list, tuple)):
                self.cite(section, *entry)
                continue
            else:
                pairs = [(pid, getattr(entry, "quote", "") or "") for pid in entry.sources]
            for passage_id, quote in pairs:
                if (section, passage_id) in self._seen:
                    continue
                self._seen.add((section, passage_id))
                self.rows.append((section, passage_id, quote))
        return ""

    def ids(self) -> list[str]:
        """Every cited passage ID, in order of first citation."""
        return list(dict.fromkeys(pid for _, pid, _ in self.rows))

    def appendix(self, heading: str = "# 附件 编写依据") -> str:
        """Return the 编写依据 appendix as Markdown (empty when citations are off or nothing was cited)."""
        if not self.enabled or not self.rows:
            return ""
        resolve = resolver()
        titles: list[str] = []
        lines = ["| 部分 | 出处 | 原文摘录 |", "|:--|:--|:--|"]
        previous = None
        for section, passage_id, quote in self.rows:
            passage = resolve(passage_id)
            doc_title = passage.citation.split("》")[0].lstrip("《") if "》" in passage.citation else ""
            if doc_title and doc_title not in titles:
                titles.append(doc_title)
            where = passage.citation.split("》", 1)[-1].strip()
            text = passage.text
            if not quote or quote not in text:
                quote = excerpt(passage)
            shown = section if section != previous else "^"
            previous = section
            lines.append(f"| {cell(shown)} | {cell(where)}（{passage_id}） | {cell(quote)} |")
        docs = "、".join(f"《{t}》" for t in titles)
        intro = f"本文依据{docs}编写。各部分所依据的原文段落如下，括号内为原文段落编号。"
        return "\n".join([heading, "", intro, "", *lines, ""])


def excerpt(passage: Any, limit: int = 36) -> str:
    """Return the passage's first sentence that lost no number (no 不少于个月), cut to ``limit`` characters."""
    text = passage.text
    gaps = [g.offset for g in getattr(passage, "gaps", [])]
    start = 0
    for sentence in text.split("。"):
        end = start + len(sentence)
        if sentence.strip() and not any(start <= g <= end for g in gaps):
            return sentence if len(sentence) <= limit else sentence[:limit] + "……"
        start = end + 1
    return "（原文此段数字缺失，请查阅原文）"


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
                 role: str = "", dated: bool = True) -> dict[str, Any]:
    """Return the variables every campaign template gets: org, campaign, timeline, formulas, cite …

    ``role`` places the document in the organization's set (generators/docset.py):
    it fixes the 发文字号 and the 成文日期 (``plan``, ``study``, ``rectify`` …);
    the ``issued`` option dates the document explicitly, with a warning when
    that date contradicts the role.  Without a role the document is dated when
    the span ``date_span`` picks starts, else when the campaign starts.
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
    explicit = request.options.get("issued") or (profile.date if role == "plan" else None)
    number = ""
    if role:
        when = docset.role_date(role, times, explicit=explicit, campaign=campaign)
        if when.note:
            request.warnings.append(when.note)
        date_text = when.text
        number = docset.document_number(profile, campaign, role, when.day.year if when.day else None)
    else:
        date = profile.date or times.start
        if profile.date is None and dated:
            span = date_span(times) if date_span else None
            if span is None:
                request.warnings.append(f"成文日期未给出，按开始日期 {cn_date(date)}")
            else:
                date = span.start
        date_text = cn_date(date)
    for problem in (breakdown_problem(profile), branches_problem(profile)):
        if problem:
            request.warnings.append(problem)
    organization = profile.org
    running = titles.running_name(profile)
    sector = campaign.sector(profile.sector)
    tasks = {t.key: t for u in campaign.structure.units for t in u.tasks if t.key}
    by_label = {f.label: f for f in campaign.formulas.values()}
    return {
        "task": lambda key: tasks.get(key),
        "formula": lambda label: by_label.get(label),
        "org": profile,
        "organization": organization,
        "branches": organization.branches if organization.leads_branches else [],
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
        "cite_enabled": cite.enabled,
        "q": yaml_value,
        "cn_date": cn_date,
        "label": lambda key: _label(key),
        "cn_md": cn_md,
        "to": docset.addressee(profile),
        "practice_theme": campaign.parameters["practice_theme"].default if "practice_theme" in campaign.parameters
        else campaign.practice.theme,
    }


def _label(key: str) -> str:
    from ...kb import taxonomy

    return taxonomy.label("member", key)


def hours_text(hours: float) -> str:
    """12.0 → 12, 2.5 → 2.5."""
    return f"{hours:g}"


def render(template: str, context: dict[str, Any], cite: Citations, appendix: str = "附件") -> str:
    """Return the Markdown of ``template`` with the 编写依据 appendix appended as ``appendix`` (附件, 附件2 …)."""
    from ..render import template_source

    text, _ = template_source(template, context)
    table = cite.appendix(f"# {appendix} 编写依据")
    return text.rstrip("\n") + ("\n\n" + table if table else "") + "\n"
