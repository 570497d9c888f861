"""The organization profile: who the documents are written for.

A profile is read from YAML (Chinese or English keys), from a mapping (a
roster row, CLI options) or built in Python::

    名称: 某某社区党委
    领域: 社区
    上级党委: 某某街道党工委
    书记: 张三
    委员: [李四, 王五]
    各类党员: {在职: 20, 离退休: 35, 年老体弱: 12, 流动: 3}
    开始日期: 2005-07-01
    月数: 3
    地点: 社区党员活动室

Sector and member categories are checked against the taxonomy
(:mod:`dangjian.kb.taxonomy`); dates are checked to exist and to be in order.
Every problem raises :class:`~dangjian.kb.errors.CampaignError` (or
:class:`~dangjian.kb.errors.UnknownNameError` for an unknown name) with a
one-line Chinese message.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from ..kb.errors import CampaignError, UnknownNameError

#: Profile field → keys accepted in YAML, mappings and roster rows (case-insensitive).
PROFILE_KEYS: dict[str, tuple[str, ...]] = {
    "name": ("name", "org", "organization", "名称", "单位", "单位名称", "组织名称", "党组织", "党组织名称"),
    "sector": ("sector", "领域", "所属领域", "行业", "所属行业", "单位类型", "单位类别", "类别"),
    "parent": ("parent", "parent_committee", "上级党委", "上级党组织", "上级", "上级党组织名称"),
    "secretary": ("secretary", "书记", "党组织书记", "书记姓名", "党组织书记姓名"),
    "deputy": ("deputy", "副书记"),
    "committee": ("committee", "委员", "支委", "班子成员"),
    "counts": ("counts", "member_counts", "党员人数", "各类党员", "党员构成"),
    "member_total": ("member_total", "total", "党员总数"),
    "start": ("start", "start_date", "开始日期", "开始", "起始日期"),
    "months": ("months", "月数", "时长"),
    "end": ("end", "end_date", "结束日期"),
    "place": ("place", "地点", "会议地点", "学习地点"),
    "meeting_room": ("meeting_room", "会议室", "党委会议室"),  # where the 班子 meets (专题民主生活会)
    "tutors": ("tutors", "辅导员", "辅导人", "授课人"),
    "supervisor": ("supervisor", "督导组", "督导员"),
    "roster": ("roster", "党员名单", "名单"),
    "office": ("office", "办公室", "办公室主任"),
    # the 党委's own office (prints its documents; answers in a 整改 list): its name, and its head
    "party_office": ("party_office", "党委办公室", "印发机关"),
    "party_office_head": ("party_office_head", "党委办公室主任"),
    "contact": ("contact", "联系人"),  # a 请示's 附注 (GB/T 9704)
    "phone": ("phone", "联系电话", "电话"),
    "self_ref": ("self_ref", "自称"),
    "date": ("date", "成文日期", "日期"),
    "number": ("number", "文号"),
    "campaign": ("campaign", "活动", "资料包"),
    "shares": ("shares", "阶段比例"),
    # The organization model (generators/organization.py) and the document set (generators/docset.py).
    "level": ("level", "层级"),
    "short_name": ("short_name", "简称"),
    "branches": ("branches", "党支部", "所属党支部"),
    "groups": ("groups", "党小组", "党小组数"),
    "number_start": ("number_start", "文号起始", "起始文号"),
    "supervisor_team": ("supervisor_team", "督导组名称"),
    "representatives": ("representatives", "党员代表", "党员代表人数"),
    "liaison": ("liaison", "上级联系领导", "联系领导"),
    "standard": ("standard", "格式标准"),
    # Sector substance and study amounts (issue 9): what the pack gives as a default, the profile may change.
    "practice_theme": ("practice_theme", "主题实践活动", "主题实践活动名称"),
    "models": ("models", "先进典型", "学习的先进典型"),
    "notes_chars": ("notes_chars", "笔记字数", "读书笔记字数"),
    "shift_notes_chars": ("shift_notes_chars", "倒班党员笔记字数"),
    "reflections": ("reflections", "心得篇数", "心得体会篇数"),
    "makeup_days": ("makeup_days", "补学天数", "补学期限"),
    # The 整改方案 (generators/rectification.py): the problems the analysis found, and the 公示 period.
    "problems": ("problems", "整改问题", "问题清单"),
    "publicity_days": ("publicity_days", "公示天数"),
    # The 领导小组 and the 动员大会 (issue 9): the unit's 行政负责人, extra members, and when to use 分会场.
    "executive": ("executive", "行政负责人", "行政领导", "行政一把手"),
    "group_members": ("group_members", "领导小组成员"),
    "large_meeting": ("large_meeting", "分会场人数", "分会场"),
    # What really happened in each phase (generators/phase_results.py): the 阶段小结 and 转段请示 report it.
    "phase_results": ("phase_results", "阶段情况", "阶段实际情况"),
    # What was said at the 生活会 (generators/meeting_results.py): their 纪要 report it.
    "meeting_results": ("meeting_results", "会议情况"),
}

#: Counts that are not taxonomy member categories but are asked for in the 摸底 (key → Chinese name).
EXTRA_COUNTS = {"lost": "失联", "probationary": "预备党员"}
_EXTRA_ALIASES = {"失联": "lost", "失联党员": "lost", "lost": "lost", "预备党员": "probationary",
                  "预备": "probationary", "probationary": "probationary"}

#: Word used after 本 for an organization of each sector (本社区党委, 本校党委 …).
_SELF_WORD = {
    "community": "社区", "school": "校", "township": "镇", "soe": "公司", "private": "企业",
    "social_org": "单位", "organ": "机关", "public_inst": "单位", "hospital": "院",
}
#: How a unit's name ends → the word after 本 (某某机械厂 → 本厂); checked before the sector's word.
_NAME_WORDS = (("社区", "社区"), ("街道", "街道"), ("村", "村"), ("车间", "车间"), ("乡", "乡"), ("镇", "镇"), ("厂", "厂"), ("矿", "矿"),
               ("公司", "公司"), ("集团", "集团"), ("医院", "院"), ("卫生院", "院"), ("大学", "校"), ("学院", "院"),
               ("中学", "校"), ("小学", "校"), ("学校", "校"), ("局", "局"), ("所", "所"), ("站", "站"))


@dataclass
class Profile:
    """One organization, as the generators need it."""

    name: str
    sector: str  #: taxonomy key, e.g. ``community``
    parent: str = ""
    secretary: str = ""
    deputy: str = ""
    committee: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  #: member category key → number (categories overlap)
    member_total: int | None = None
    start: _dt.date | None = None  #: None: the campaign pack's default
    months: int | None = None  #: None: the campaign pack's default
    end: _dt.date | None = None
    place: str = ""
    meeting_room: str = ""  #: where the 领导班子 meets; "" → the 党委's 会议室 (a default, said in a 提示)
    tutors: list[str] = field(default_factory=list)
    supervisor: str = ""
    roster: list[str] = field(default_factory=list)
    office: str = ""
    party_office: str = ""  #: the 党委办公室 as the 版记 names it (厂党委办公室); "" : none given
    party_office_head: str = ""  #: its 主任
    self_ref: str = ""
    date: _dt.date | None = None  #: 成文日期; None: a few days before the start
    number: str = ""
    campaign: str = ""
    shares: list[float] = field(default_factory=list)
    standard: str = ""  #: "1999" or "2012" (GB/T 9704); "": the one in force on each document's date
    lost: int | None = None
    probationary: int | None = None
    level: str = ""  #: 党委, 党总支, 党支部 … ("" : read from the name)
    short_name: str = ""
    branches: list[Any] = field(default_factory=list)  #: organization.Branch, one per 党支部
    committee_raw: Any = None  #: 委员 as given (names with 分工), read by organization.parse_officers
    groups: int = 0  #: number of 党小组
    number_start: int | None = None  #: first sequence number of the 文号 pattern
    supervisor_team: str = ""  #: the 督导组's name (南岗区委第三督导组); ``supervisor`` is its 组长
    representatives: int | None = None  #: 党员代表 at a 动员大会 held with 分会场
    liaison: str = ""  #: the higher 党委's leader who links this organization (市国资委党委副书记李某): sits in its meetings
    practice_theme: str = ""  #: the 主题实践活动's name ("" : the pack's default, announced as a 提示)
    models: list[str] = field(default_factory=list)  #: local 先进典型 the members study
    notes_chars: int | None = None  #: 读书笔记 characters per member (None: the pack's default)
    shift_notes_chars: int | None = None  #: 读书笔记 characters for members on shifts (None: the pack's default)
    reflections: int | None = None  #: 心得体会 per member (None: the pack's default)
    makeup_days: int | None = None  #: days to make up a missed session (None: the pack's default)
    #: the problems for the 整改方案: a problem-list file or a list (texts, or mappings with 问题/措施/责任领导/时限 …)
    problems: Any = None
    contact: str = ""  #: the 联系人 a 请示's 附注 names ("" : the 办公室主任, else a blank)
    phone: str = ""  #: his 联系电话 ("" : a blank to fill in)
    publicity_days: int | None = None  #: working days the 整改方案's 征求意见稿 is 公示'd (None: the pack's default)
    executive: str = ""  #: the unit's 行政负责人 (厂长, 校长, 镇长, 居委会主任)
    executive_post: str = ""  #: his post (厂长 …)
    executive_member: bool = True  #: whether he is a party member (only then is he 副组长 of the 领导小组)
    group_members: list[str] = field(default_factory=list)  #: further 领导小组 成员, "name（post）" (department heads)
    large_meeting: int | bool | None = None  #: members above which the 动员大会 has 分会场; True/False: always/never
    #: phase name → its results (参学人数, 问题 …; generators/phase_results.py); a phase without them is a draft
    phase_results: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: meeting → its results (or 支部 → results); generators/meeting_results.py
    meeting_results: dict[str, Any] = field(default_factory=dict)
    #: warnings about the source (keys nobody reads, with a suggestion); not part of the profile's data
    notes: list[str] = field(default_factory=list, compare=False, repr=False)

    @property
    def org(self) -> Any:
        """The organization model: level, formal and short names, officers, branches (generators/organization.py)."""
        from .organization import organization

        return organization(self)

    # -- derived facts -------------------------------------------------
    @property
    def sector_name(self) -> str:
        """The sector's Chinese name (社区, 学校 …)."""
        from ..kb import taxonomy

        return taxonomy.label("sector", self.sector)

    @property
    def categories(self) -> list[str]:
        """Member categories the organization actually has (count > 0), in taxonomy order."""
        from ..kb import taxonomy

        order = [e.key for e in taxonomy.choices("member")]
        return [k for k in order if self.counts.get(k, 0) > 0]

    def has(self, category: str) -> bool:
        """True when the organization has members of ``category`` (a taxonomy key)."""
        return self.counts.get(category, 0) > 0

    def count(self, category: str) -> int:
        """Number of members of ``category`` (0 when not given)."""
        return self.counts.get(category, 0)

    @property
    def total(self) -> int | None:
        """Number of members: the given total, else the branches' sum, else in-service plus retired members."""
        if self.member_total:
            return self.member_total
        from .organization import Branch

        counts = [b.count for b in self.branches if isinstance(b, Branch)]
        if counts and all(c is not None for c in counts):
            return sum(c for c in counts if c is not None)
        base = self.count("in_service") + self.count("retired")
        return base or None

    @property
    def org_suffix(self) -> str:
        """党委, 党总支, 党支部 … from 层级 or the name, formal (中共…委员会) or short (党组织 when neither says)."""
        from .organization import level_of

        return level_of(self.name, self.level) or "党组织"

    @property
    def me(self) -> str:
        """How the organization names itself in its documents: 本社区党委, 本校党委, 本厂党委 …"""
        if self.self_ref:
            return self.self_ref
        return f"{self.unit}{self.org_suffix}"

    @property
    def short(self) -> str:
        """The short name for titles and running text (某某镇党委 for 中共某某县某某镇委员会)."""
        return self.org.short

    @property
    def formal(self) -> str:
        """The formal name for the 落款 and the 版头 (中共某某社区委员会 for 某某社区党委)."""
        return self.org.formal

    @property
    def unit(self) -> str:
        """The unit without its party organization: 本社区, 本校, 本镇, 本厂 …"""
        from .organization import unit_of

        base = unit_of(self.name)
        for ending, word in _NAME_WORDS:
            if base.endswith(ending):
                return f"本{word}"
        return f"本{_SELF_WORD.get(self.sector, '单位')}"

    def to_dict(self) -> dict[str, Any]:
        """Return the profile as plain data (dates as ISO strings)."""
        out: dict[str, Any] = {}
        from dataclasses import asdict, is_dataclass

        for f in fields(self):
            if f.name == "notes":
                continue
            value = getattr(self, f.name)
            if isinstance(value, list):
                value = [asdict(v) if is_dataclass(v) else v for v in value]
            out[f.name] = value.isoformat() if isinstance(value, _dt.date) else value
        return out


# ---------------------------------------------------------------- loading
def load_profile(source: Profile | Mapping[str, Any] | str | os.PathLike[str]) -> Profile:
    """Return a checked :class:`Profile` from a Profile, a mapping (Chinese or English keys) or a YAML file path.

    Raises CampaignError for a missing name, an impossible date, a bad number
    or an unreadable file; UnknownNameError (listing the choices) for an
    unknown sector or member category.
    """
    if isinstance(source, Profile):
        return _check(source)
    if isinstance(source, (str, os.PathLike)):
        return profile_from_mapping(read_profile_file(source))
    if isinstance(source, Mapping):
        return profile_from_mapping(source)
    raise CampaignError(f"单位资料应为 YAML 文件路径、字典或 Profile，而不是 {type(source).__name__}")


def read_profile_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Return the mapping in a profile YAML file (UTF-8 or GB18030), dates, times and ratios left as text."""
    from ..kb.readers import decode_text
    from ..kb.yamlfile import load_mapping

    file = Path(path)
    if not file.is_file():
        raise CampaignError(f"找不到单位资料文件：{file}")
    try:
        text = decode_text(file.read_bytes(), file.name)
    except OSError as error:
        raise CampaignError(f"无法读取单位资料文件 {file}：{error.strerror or error}") from None
    except Exception as error:  # decode_text raises ImportFailed for undecodable bytes
        raise CampaignError(str(error)) from None
    return load_mapping(text, f"单位资料文件 {file}", error=CampaignError, expected="“键: 值”的形式（名称、领域、书记……）")


def profile_from_mapping(data: Mapping[str, Any]) -> Profile:
    """Return a checked Profile from a mapping with Chinese or English keys (see :data:`PROFILE_KEYS`).

    Member counts may be given as a mapping under 各类党员/counts, as
    ``在职=20,流动=3`` text, or as top-level keys named by category (在职: 20).
    A list of names under ``members`` is taken as the roster.
    """
    from ..kb import taxonomy

    lookup = {_fold(k): v for k, v in data.items() if v is not None and v != ""}
    aliases = {_fold(a): f for f, names in PROFILE_KEYS.items() for a in names}
    values: dict[str, Any] = {}
    counts: dict[str, Any] = {}
    member_keys = _member_names()
    unknown: list[Any] = []
    originals = {_fold(k): k for k in data}
    duplicates: list[str] = []
    given_as: dict[str, str] = {}  # field → the key it was given under
    for raw_key, value in lookup.items():
        if raw_key in aliases:
            target = aliases[raw_key]
            if target == "counts" and _is_number(value):
                target = "member_total"  # 党员人数: 48 is the total, not a breakdown by category
            if target in values:
                given = originals.get(given_as[target], given_as[target])
                duplicates.append(f"“{originals.get(raw_key, raw_key)}”与“{given}”是同一项，已用“{given}”")
                continue
            values[target] = value
            given_as[target] = raw_key
        elif raw_key in ("members", "党员"):
            if isinstance(value, Mapping) or (isinstance(value, str) and "=" in value):
                values.setdefault("counts", value)
            else:
                values.setdefault("roster", value)
        elif raw_key in member_keys or raw_key in _EXTRA_ALIASES:
            counts[raw_key] = value
        elif raw_key in ("supervisor_names", "meeting"):
            continue
        else:
            unknown.append(raw_key)
    if "counts" in values:
        given = values.pop("counts")
        if _is_number(given):  # 党员人数: 45 is the total, not a breakdown by category
            values.setdefault("member_total", given)
        else:
            counts = {**parse_counts(given), **counts}
    name = _text(values.get("name"))
    if not name:
        raise CampaignError("单位资料缺少“名称”（单位或党组织的名称，如 某某社区党委）")
    sector_text = _text(values.get("sector"))
    if not sector_text:
        listing = "、".join(str(e) for e in taxonomy.choices("sector"))
        raise CampaignError(f"单位资料缺少“领域”。可选：{listing}")
    profile = Profile(name=name, sector=taxonomy.resolve("sector", sector_text))
    profile.notes = duplicates
    if unknown:
        from ..kb.yamlfile import unknown_keys

        profile.notes += unknown_keys([originals.get(k, k) for k in unknown], known_profile_keys(), "单位资料项")
    profile.parent = _text(values.get("parent"))
    profile.secretary = _text(values.get("secretary"))
    profile.deputy = _text(values.get("deputy"))
    profile.committee_raw = values.get("committee")
    profile.committee = [o.name for o in _officers(values.get("committee"))]
    profile.place = _text(values.get("place"))
    profile.meeting_room = _text(values.get("meeting_room"))
    profile.tutors = _names(values.get("tutors"))
    supervisor = values.get("supervisor")
    if isinstance(supervisor, Mapping):  # 督导组: {名称: 某某区委第三督导组, 组长: 孙八}
        profile.supervisor_team = _text(supervisor.get("名称") or supervisor.get("name"))
        profile.supervisor = _text(supervisor.get("组长") or supervisor.get("leader"))
    else:
        profile.supervisor = _text(supervisor)
    if values.get("supervisor_team"):
        profile.supervisor_team = _text(values.get("supervisor_team"))
    profile.roster = _names(values.get("roster"))
    profile.liaison = _text(values.get("liaison"))
    profile.office = _text(values.get("office"))
    profile.party_office = _text(values.get("party_office"))
    if profile.party_office in ("是", "有", "yes", "true", "True"):
        profile.party_office = "党委办公室"
    profile.party_office_head = _text(values.get("party_office_head"))
    profile.contact = _text(values.get("contact"))
    profile.phone = _text(values.get("phone"))
    profile.self_ref = _text(values.get("self_ref"))
    profile.number = _text(values.get("number"))
    profile.campaign = _text(values.get("campaign"))
    profile.member_total = _count(values.get("member_total"), "党员总数")
    profile.representatives = _count(values.get("representatives"), "党员代表人数")
    profile.groups = _count(values.get("groups"), "党小组数") or 0
    profile.practice_theme = _text(values.get("practice_theme"))
    profile.models = _names(values.get("models"))
    profile.notes_chars = _count(values.get("notes_chars"), "笔记字数")
    profile.shift_notes_chars = _count(values.get("shift_notes_chars"), "倒班党员笔记字数")
    profile.reflections = _count(values.get("reflections"), "心得篇数")
    profile.makeup_days = _count(values.get("makeup_days"), "补学天数")
    profile.publicity_days = _count(values.get("publicity_days"), "公示天数")
    profile.problems = _problems(values.get("problems"))
    if values.get("executive") not in (None, ""):
        profile.executive, profile.executive_post, profile.executive_member = _executive(values["executive"])
    profile.group_members = _names(values.get("group_members"))
    if values.get("large_meeting") not in (None, ""):
        profile.large_meeting = _large_meeting(values["large_meeting"])
    if "phase_results" in values:
        from .phase_results import parse as parse_phase_results

        profile.phase_results = parse_phase_results(values["phase_results"])
    if "meeting_results" in values:
        from .meeting_results import parse as parse_meeting_results

        profile.meeting_results = parse_meeting_results(values["meeting_results"])
    if "number_start" in values:
        profile.number_start = _count(values.get("number_start"), "文号起始")
    profile.short_name = _text(values.get("short_name"))
    if "level" in values:
        from .organization import parse_level

        profile.level = parse_level(values["level"])
    if "branches" in values:
        from .organization import parse_branches

        profile.branches = parse_branches(values["branches"], profile.sector)
    profile.start = parse_date(values["start"], "开始日期") if "start" in values else None
    profile.end = parse_date(values["end"], "结束日期") if "end" in values else None
    profile.date = parse_date(values["date"], "成文日期") if "date" in values else None
    if "months" in values:
        profile.months = parse_months(values["months"])
    if "shares" in values:
        profile.shares = parse_shares(values["shares"])
    if "standard" in values:
        from ..kb.errors import InputError
        from .standard import parse_standard

        try:
            profile.standard = parse_standard(values["standard"])
        except InputError as error:
            raise CampaignError(str(error)) from None
    for key, value in counts.items():
        category = _category(key)
        number = _count(value, key)
        if category in EXTRA_COUNTS:
            setattr(profile, category, number)
        elif number is not None:
            profile.counts[category] = number
    return _check(profile)


def _problems(value: Any) -> Any:
    """整改问题: None, a file name, or a list of mappings keyed as a problem list (a text is a problem alone)."""
    if value in (None, "", []):
        return None
    if isinstance(value, (str, os.PathLike)) and not isinstance(value, list):
        return str(value)
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise CampaignError(f"整改问题应是问题清单文件名或问题的列表，而不是“{value}”")
    out = []
    for item in value:
        if isinstance(item, Mapping):
            out.append({str(k): "" if v is None else str(v) for k, v in item.items()})
        elif str(item).strip():
            out.append({"问题": str(item).strip()})
    return out or None


def known_profile_keys() -> list[str]:
    """Every key a profile may use (Chinese first): :data:`PROFILE_KEYS`, member categories, 党员."""
    from ..kb import taxonomy

    keys = [name for names in PROFILE_KEYS.values() for name in names]
    for entry in taxonomy.choices("member"):
        keys.extend((entry.name, *entry.aliases, entry.key))
    keys.extend(_EXTRA_ALIASES)
    keys.extend(("党员", "members"))
    return sorted(set(keys), key=lambda k: (k.isascii(), k))


def _check(profile: Profile) -> Profile:
    from ..kb import taxonomy

    profile.sector = taxonomy.resolve("sector", profile.sector)
    counts: dict[str, int] = {}
    for key, number in profile.counts.items():
        category = _category(key)
        if category in EXTRA_COUNTS:
            setattr(profile, category, number)
            continue
        if not isinstance(number, int) or number < 0:
            raise CampaignError(f"{taxonomy.label('member', category)}党员人数应为不小于 0 的整数，而不是“{number}”")
        counts[category] = number
    profile.counts = counts
    if profile.months is not None and profile.months <= 0:
        raise CampaignError(f"月数应大于 0，而不是 {profile.months}")
    if profile.start and profile.end and profile.end <= profile.start:
        raise CampaignError(f"结束日期 {_cn(profile.end)} 不能早于或等于开始日期 {_cn(profile.start)}")
    return profile


# ---------------------------------------------------------------- parsing helpers
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def parse_date(value: Any, what: str = "日期") -> _dt.date:
    """Return the date in ``value`` (a date, 2005-07-01, 2005/7/1, 2005.7.1 or 2005年7月1日).

    Raises CampaignError naming ``what`` when it is not a date or does not exist (2005-02-30).
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip().translate(_FULLWIDTH_DIGITS)
    m = _DATE.fullmatch(text)
    if not m:
        raise CampaignError(f"{what}“{value}”无法识别：请写成 2005-07-01 或 2005年7月1日")
    year, month, day = (int(g) for g in m.groups())
    try:
        return _dt.date(year, month, day)
    except ValueError:
        raise CampaignError(f"{what}“{value}”不存在（{year}年{month}月没有{day}日）") from None


def parse_months(value: Any) -> int:
    """Return a duration in whole months (3, "3", "3个月", "三个月"); raise CampaignError unless it is a positive integer."""
    text = str(value).strip().translate(_FULLWIDTH_DIGITS).removesuffix("个月").removesuffix("月").strip()
    try:
        months = int(text) if text.isascii() else _chinese_int(text)
    except ValueError:
        raise CampaignError(f"月数应为正整数（如 3），而不是“{value}”") from None
    if months <= 0:
        raise CampaignError(f"月数应大于 0，而不是 {months}")
    if months > 36:
        raise CampaignError(f"月数 {months} 太大：一次集中教育活动不超过 36 个月")
    return months


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _chinese_int(text: str) -> int:
    """Return 三 → 3, 十二 → 12, 二十四 → 24 (up to 99); raise ValueError for anything else."""
    if text and all(c in _CN_DIGITS for c in text) and len(text) == 1:
        return _CN_DIGITS[text]
    tens, sep, ones = text.partition("十")
    if not sep or any(c not in _CN_DIGITS for c in tens + ones) or len(tens) > 1 or len(ones) > 1:
        raise ValueError(text)
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def parse_shares(value: Any) -> list[float]:
    """Return phase shares from ``4:3:3``, ``40,30,30`` or a list; they are normalized to sum to 1."""
    items = value if isinstance(value, (list, tuple)) else re.split(r"[:：,，/、\s]+", str(value).strip())
    try:
        numbers = [float(str(x).strip().rstrip("%％")) for x in items if str(x).strip()]
    except ValueError:
        raise CampaignError(f"阶段比例应写成 4:3:3 这样的数字，而不是“{value}”") from None
    if not numbers or any(n <= 0 for n in numbers):
        raise CampaignError(f"阶段比例中的每个数都应大于 0：“{value}”")
    total = sum(numbers)
    return [n / total for n in numbers]


def parse_counts(value: Any) -> dict[str, int]:
    """Return category → count from a mapping or text like ``在职=20,流动=3`` (keys not yet resolved)."""
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, str):
        items = []
        for part in re.split(r"[,，;；、\s]+", value.strip()):
            if not part:
                continue
            m = re.fullmatch(r"([^=:：]+)[=:：](.*)", part)
            if not m:
                raise CampaignError(f"党员人数“{part}”应写成 类别=人数，如 在职=20,流动=3")
            key, number = m.groups()
            items.append((key.strip(), number.strip()))
    else:
        raise CampaignError("党员人数应写成 类别: 人数 的映射，或 在职=20,流动=3")
    out: dict[str, int] = {}
    for key, number in items:
        category = _category(str(key))
        count = _count(number, str(key))
        if count is not None:
            out[category] = count
    return out


def _category(name: str) -> str:
    from ..kb import taxonomy

    folded = _fold(name)
    if folded in _EXTRA_ALIASES:
        return _EXTRA_ALIASES[folded]
    try:
        return taxonomy.resolve("member", name)
    except UnknownNameError:
        listing = "、".join([str(e) for e in taxonomy.choices("member")]
                           + [f"{cn} ({key})" for key, cn in EXTRA_COUNTS.items()])
        raise UnknownNameError(f"没有名为“{name}”的党员类别。可选：{listing}") from None


def _member_names() -> set[str]:
    from ..kb import taxonomy

    names: set[str] = set()
    for entry in taxonomy.choices("member"):
        names.update(_fold(n) for n in (entry.key, entry.name, *entry.aliases))
    return names


def _count(value: Any, what: str) -> int | None:
    return parse_count(value, f"“{what}”的人数")


def parse_count(value: Any, label: str) -> int | None:
    """Return a head count written as 12, "１２", "12人", "1,034名" (None when empty); ``label`` names it in errors."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CampaignError(f"{label}应为整数，而不是“{value}”")
    text = str(value).strip().translate(_FULLWIDTH_DIGITS).removesuffix("名").removesuffix("人").strip()
    try:
        number = int(text.replace(",", "").replace("，", ""))
    except ValueError:
        raise CampaignError(f"{label}应为整数，而不是“{value}”") from None
    if number < 0:
        raise CampaignError(f"{label}不能是负数（{number}）")
    return number


def _officers(value: Any) -> list[Any]:
    from .organization import parse_officers

    return parse_officers(None, None, value)


_YES = ("是", "有", "设", "true", "yes", "1")
_NO = ("否", "不是", "无", "不设", "false", "no", "0")


def _executive(value: Any) -> tuple[str, str, bool]:
    """行政负责人: {姓名, 职务, 党员: 是/否} or "郑国栋（厂长）" → (name, post, party member)."""
    if isinstance(value, Mapping):
        name = _text(value.get("姓名") or value.get("name"))
        post = _text(value.get("职务") or value.get("post"))
        member = value.get("党员", value.get("member", True))
    else:
        text = _text(value)
        name, post = text, ""
        for open_, close in (("（", "）"), ("(", ")")):
            if text.endswith(close) and open_ in text:
                name, _, rest = text.partition(open_)
                post = rest[:-1]
        name, member = name.strip(), True
    if not name:
        raise CampaignError("“行政负责人”缺少姓名：写 {姓名: 某某, 职务: 厂长, 党员: 是} 或 某某（厂长）")
    if isinstance(member, str):
        if member.strip().lower() in _NO:
            member = False
        elif member.strip().lower() in _YES:
            member = True
        else:
            raise CampaignError(f"“行政负责人”的“党员”应为 是 或 否，而不是“{member}”")
    return name, post.strip() or "行政负责人", bool(member)


def _large_meeting(value: Any) -> int | bool:
    """分会场: 是/否 (always / never), or the number of members above which the 动员大会 has 分会场."""
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _YES[:4] + ("yes",):
        return True
    if text in _NO[:5] + ("no",):
        return False
    number = _count(value, "分会场人数")
    if number is None or number <= 0:
        raise CampaignError(f"“分会场人数”应为正整数（党员超过这个数的动员大会设分会场），或 是/否，而不是“{value}”")
    return number


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and re.fullmatch(r"\s*\d+\s*人?\s*", value.translate(_FULLWIDTH_DIGITS)) is not None


def _names(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [n for n in re.split(r"[、，,；;\s]+", value.strip()) if n]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value).strip()]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value).strip()


def _fold(key: Any) -> str:
    return str(key).strip().lower()


def _cn(day: _dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
