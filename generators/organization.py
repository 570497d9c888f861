"""The party organization as a body with a level, officers and branches.

A profile names one organization; this module reads what kind of body it is
(党委, 党总支, 党支部, 党组, 临时党支部 — from the formal name "中共××镇委员会",
the short name "××镇党委" or an explicit ``层级``), its formal name (for the
落款 and the 版头) and short name (for running text), its officers with their
posts and 分工, and the 党支部 it leads, each with its own secretary,
committee, members and sector (inherited from the parent when not given)::

    名称: 中共某某县某某镇委员会
    书记: 冯四
    副书记: 陈五
    委员: [{姓名: 褚六, 分工: 组织委员}, 卫七（宣传委员）]
    党支部:
      - {名称: 镇机关党支部, 书记: 蒋一, 委员: [沈二], 党员人数: 38}
      - {名称: 镇卫生院党支部, 书记: 韩三, 党员名单: [韩三, 杨四, 朱五]}

:func:`organization` returns an :class:`Organization`; the generators read
posts, names and branches only from it.  Bad input raises CampaignError with
a one-line Chinese message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..kb.errors import CampaignError

#: Levels of party organization, highest first: level → (short suffix, formal suffix).
LEVELS: dict[str, tuple[str, str]] = {
    "党委": ("党委", "委员会"),
    "党工委": ("党工委", "工作委员会"),
    "党组": ("党组", "党组"),
    "党总支": ("党总支", "总支部委员会"),
    "党支部": ("党支部", "支部委员会"),
    "临时党支部": ("临时党支部", "临时支部委员会"),
}
#: Levels that lead branches (write to 各党支部, hold the 专题民主生活会 of their 班子).
LEADING_LEVELS = ("党委", "党工委", "党组", "党总支")
#: Aliases accepted for ``层级``.
_LEVEL_ALIASES = {
    "党委": "党委", "委员会": "党委", "基层党委": "党委", "committee": "党委",
    "党工委": "党工委", "工委": "党工委",
    "党组": "党组", "leading_group": "党组",
    "党总支": "党总支", "总支": "党总支", "总支部": "党总支", "general_branch": "党总支",
    "党支部": "党支部", "支部": "党支部", "branch": "党支部",
    "临时党支部": "临时党支部", "临时支部": "临时党支部", "temporary_branch": "临时党支部",
}
#: How a short name ends → level (longest first).
_SHORT_ENDINGS = (("临时党支部", "临时党支部"), ("党工委", "党工委"), ("党总支", "党总支"), ("党支部", "党支部"),
                  ("党委", "党委"), ("党组", "党组"), ("总支", "党总支"), ("支部", "党支部"))
#: How a formal name (中共…) ends → level (longest first).
_FORMAL_ENDINGS = (("临时支部委员会", "临时党支部"), ("总支部委员会", "党总支"), ("支部委员会", "党支部"),
                   ("工作委员会", "党工委"), ("党组", "党组"), ("委员会", "党委"))
_PREFIXES = ("中国共产党", "中共")
#: A county, city or district in front of a township or street name: 某某县某某镇 → 某某镇.
_ADMIN_PREFIX = re.compile(r"^(.+?[县市区旗])(.{2,}(?:镇|乡|街道))$")
#: Sectors whose 班子 members belong to the unit's 机关党支部 unless a roster says otherwise (Organization.home_branch).
HOME_BRANCH_SECTORS = ("township", "organ")

#: 分工 of committee members, in the order a list gives them.
DUTIES = ("组织委员", "宣传委员", "纪检委员", "青年委员", "统战委员", "保密委员", "群工委员", "生产委员", "武装委员")


@dataclass
class Officer:
    """A member of the organization's committee with post and 分工."""

    name: str
    post: str  #: 书记 / 副书记 / 委员
    duty: str = ""  #: 组织委员, 宣传委员, 纪检委员 … (empty when not given)
    office: str = ""  #: the unit's administrative post he also holds (厂长, 校长, 镇长, 居委会主任; profile 行政负责人)


@dataclass
class Branch:
    """A 党支部 led by the organization."""

    name: str
    secretary: str = ""
    deputy: str = ""
    committee: list[Officer] = field(default_factory=list)
    total: int | None = None
    roster: list[str] = field(default_factory=list)
    sector: str = ""  #: taxonomy key; the parent's when not given
    place: str = ""
    level: str = "党支部"

    @property
    def officers(self) -> list[Officer]:
        people = [Officer(self.secretary, "书记")] if self.secretary else []
        if self.deputy:
            people.append(Officer(self.deputy, "副书记"))
        return people + list(self.committee)

    @property
    def count(self) -> int | None:
        """Members of the branch: the given count, else the length of its roster."""
        if self.total is not None:
            return self.total
        return len(self.roster) or None

    @property
    def short(self) -> str:
        return self.name


@dataclass
class Organization:
    """One party organization: level, names, officers and branches."""

    name: str  #: as the profile gives it
    level: str  #: 党委, 党总支, 党支部 … ("" when neither the name nor 层级 says)
    formal: str  #: 中共某某社区委员会 (for 落款 and 版头)
    short: str  #: 某某社区党委 (for titles and running text)
    officers: list[Officer] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)
    groups: int = 0  #: number of 党小组 (a branch that has them writes to 各党小组)

    @property
    def leads_branches(self) -> bool:
        """True for a 党委, 党工委, 党组 or 党总支 (it writes to 各党支部 and its branches hold the 组织生活会)."""
        return self.level in LEADING_LEVELS

    @property
    def is_branch(self) -> bool:
        return self.level in ("党支部", "临时党支部")

    @property
    def level_word(self) -> str:
        """The level as running text says it after the unit word: 党委, 党总支, 党支部 (党组织 when unknown)."""
        return self.level or "党组织"

    @property
    def secretary(self) -> Officer | None:
        return next((o for o in self.officers if o.post == "书记"), None)

    @property
    def deputies(self) -> list[Officer]:
        return [o for o in self.officers if o.post == "副书记"]

    @property
    def members(self) -> list[Officer]:
        """Committee members other than the secretary and deputies."""
        return [o for o in self.officers if o.post == "委员"]

    def officer_with_duty(self, duty: str) -> Officer | None:
        return next((o for o in self.officers if o.duty == duty), None)

    def branch(self, name: str) -> Branch:
        """Return the branch called ``name`` (exact, or a unique part of its name); raise CampaignError."""
        wanted = str(name).strip()
        for branch in self.branches:
            if branch.name == wanted:
                return branch
        found = [b for b in self.branches if wanted and wanted in b.name]
        if len(found) == 1:
            return found[0]
        listing = "、".join(b.name for b in self.branches) or "（单位资料未列出党支部）"
        if found:
            raise CampaignError(f"党支部“{wanted}”不明确，可能是：{'、'.join(b.name for b in found)}")
        raise CampaignError(f"没有名为“{wanted}”的党支部；可选：{listing}")

    @property
    def home_branch(self) -> Branch | None:
        """The branch the 班子 members belong to when no roster places them: a 镇's (or a 机关's) one 机关党支部.

        A 乡镇党委's 书记, 镇长 and 委员 are party members of the 镇机关党支部 as a
        rule; a factory or a school has no such rule (its leaders' branch is given
        by a roster, or not known).
        """
        found = [b for b in self.branches if "机关" in b.name and b.sector in HOME_BRANCH_SECTORS]
        return found[0] if len(found) == 1 else None

    def members_of(self, branch: Branch) -> set[str]:
        """The names known to be members of ``branch``: its roster and officers, and the 班子 members no roster
        places when it is the :attr:`home_branch`."""
        names = set(branch.roster) | {o.name for o in branch.officers}
        home = self.home_branch
        if home is not None and home.name == branch.name:
            placed = {n for b in self.branches for n in (*b.roster, *(o.name for o in b.officers))}
            names |= {o.name for o in self.officers if o.name not in placed}
        return names

    @property
    def branch_total(self) -> int | None:
        """Sum of the branches' members when every branch gives a count."""
        counts = [b.count for b in self.branches]
        if not counts or any(c is None for c in counts):
            return None
        return sum(c for c in counts if c is not None)


# ---------------------------------------------------------------- names and levels
def parse_level(value: Any) -> str:
    """Return the level named by ``层级`` (党委, 总支, branch …); raise CampaignError listing the choices."""
    text = str(value).strip()
    level = _LEVEL_ALIASES.get(text) or _LEVEL_ALIASES.get(text.lower())
    if level is None:
        raise CampaignError(f"层级“{text}”无法识别。可选：{'、'.join(LEVELS)}")
    return level


def level_of(name: str, explicit: str = "") -> str:
    """Return the level of an organization called ``name``: the explicit one, else from the name ("" if neither says)."""
    if explicit:
        return parse_level(explicit)
    text = name.strip()
    formal = text.startswith(_PREFIXES)
    body = _strip_prefix(text)
    if formal or body.endswith("委员会"):
        for ending, level in _FORMAL_ENDINGS:
            if body.endswith(ending):
                return level
    for ending, level in _SHORT_ENDINGS:
        if text.endswith(ending):
            return level
    return ""


def unit_of(name: str) -> str:
    """Return the unit an organization belongs to: 中共某某县某某镇委员会 → 某某县某某镇; 某某社区党委 → 某某社区."""
    body = _strip_prefix(name.strip())
    for ending, _ in _FORMAL_ENDINGS + _SHORT_ENDINGS:
        if body.endswith(ending) and len(body) > len(ending):
            return body[: -len(ending)]
    return body


def names_of(name: str, level: str, short: str = "") -> tuple[str, str]:
    """Return (formal name, short name) of an organization called ``name`` at ``level``.

    中共某某县某某镇委员会 (党委) → (中共某某县某某镇委员会, 某某镇党委);
    某某社区党委 → (中共某某社区委员会, 某某社区党委).  An unknown level keeps ``name`` for both.
    """
    if not level:
        return name, short or name
    unit = unit_of(name)
    short_suffix, formal_suffix = LEVELS[level]
    formal = name if name.startswith(_PREFIXES) else f"中共{unit}{formal_suffix}"
    if not short:
        match = _ADMIN_PREFIX.match(unit)
        short = f"{match.group(2) if match else unit}{short_suffix}"
    return formal, short


def _strip_prefix(text: str) -> str:
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


# ---------------------------------------------------------------- officers
def parse_officers(secretary: Any, deputy: Any, committee: Any) -> list[Officer]:
    """Return the officers: 书记, 副书记 (one or several), then 委员 with their 分工.

    A 委员 is a name, ``王五（组织委员）``, or a mapping {姓名, 分工}; a name
    repeated as 书记 or 副书记 is not listed twice.
    """
    people: list[Officer] = []
    for name, _duty in _people(secretary):
        people.append(Officer(name, "书记"))
    for name, _duty in _people(deputy):
        people.append(Officer(name, "副书记"))
    seen = {o.name for o in people}
    for name, duty in _people(committee):
        if name in seen:
            for officer in people:
                if officer.name == name and duty:
                    officer.duty = duty
            continue
        seen.add(name)
        people.append(Officer(name, "委员", duty))
    return people


def _people(value: Any) -> list[tuple[str, str]]:
    if value in (None, ""):
        return []
    items: list[Any]
    if isinstance(value, str):
        items = [p for p in re.split(r"[、，,；;\s]+", value.strip()) if p]
    elif isinstance(value, Mapping):
        items = [value]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        items = [value]
    out = []
    for item in items:
        if isinstance(item, Mapping):
            name = _text(item.get("姓名") or item.get("name") or item.get("名字"))
            duty = _text(item.get("分工") or item.get("duty") or item.get("职务"))
        else:
            name, duty = _split_duty(str(item).strip())
        if name:
            out.append((name, _duty_word(duty)))
    return out


def _split_duty(text: str) -> tuple[str, str]:
    for open_, close in (("（", "）"), ("(", ")")):
        if text.endswith(close) and open_ in text:
            head, _, tail = text.partition(open_)
            return head.strip(), tail[:-1].strip()
    return text, ""


def _duty_word(duty: str) -> str:
    duty = duty.strip()
    if not duty:
        return ""
    if duty.endswith("委员"):
        return duty
    return f"{duty}委员" if f"{duty}委员" in DUTIES else duty


# ---------------------------------------------------------------- branches
_BRANCH_KEYS = {
    "name": ("名称", "name", "支部名称", "党支部名称", "党支部"),
    "secretary": ("书记", "secretary", "支部书记"),
    "deputy": ("副书记", "deputy"),
    "committee": ("委员", "committee", "支委", "支部委员"),
    "total": ("党员人数", "人数", "党员总数", "total", "members"),
    "roster": ("党员名单", "名单", "roster"),
    "sector": ("领域", "sector"),
    "place": ("地点", "place", "学习地点"),
}


def parse_branches(value: Any, sector: str) -> list[Branch]:
    """Return the branches of a ``党支部`` list (mappings, or names); a branch without 领域 takes ``sector``."""
    from ..kb import taxonomy

    if value in (None, ""):
        return []
    if isinstance(value, Mapping):  # {第一党支部: {书记: …}, …}
        value = [{"名称": k, **(v if isinstance(v, Mapping) else {"党员人数": v})} for k, v in value.items()]
    if isinstance(value, str):
        value = [v for v in re.split(r"[、，,；;]+", value) if v.strip()]
    if not isinstance(value, (list, tuple)):
        raise CampaignError("“党支部”应是列表：每项写 名称、书记、委员、党员人数或党员名单")
    branches: list[Branch] = []
    seen: set[str] = set()
    for i, item in enumerate(value, start=1):
        data = item if isinstance(item, Mapping) else {"名称": item}
        get = {f: next((data[k] for k in keys if k in data and data[k] not in (None, "")), None)
               for f, keys in _BRANCH_KEYS.items()}
        name = _text(get["name"])
        if not name:
            raise CampaignError(f"第{i}个党支部缺少“名称”")
        if name in seen:
            raise CampaignError(f"党支部“{name}”列了两次")
        seen.add(name)
        officers = parse_officers(get["secretary"], get["deputy"], get["committee"])
        roster = [p for p in (_text(x) for x in _list(get["roster"])) if p]
        total = _count(get["total"], f"{name}的党员人数")
        branch_sector = taxonomy.resolve("sector", _text(get["sector"])) if get["sector"] else sector
        branches.append(Branch(
            name=name,
            secretary=next((o.name for o in officers if o.post == "书记"), ""),
            deputy=next((o.name for o in officers if o.post == "副书记"), ""),
            committee=[o for o in officers if o.post == "委员"],
            total=total, roster=roster, sector=branch_sector, place=_text(get["place"]),
            level=level_of(name) or "党支部",
        ))
    return branches


def _list(value: Any) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [v for v in re.split(r"[、，,；;\s]+", value.strip()) if v]
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _count(value: Any, what: str) -> int | None:
    from .profile import parse_count

    return parse_count(value, what)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


# ---------------------------------------------------------------- the organization of a profile
def organization(profile: Any) -> Organization:
    """Return the :class:`Organization` of a profile (its name, 层级, officers and 党支部)."""
    name = str(getattr(profile, "name", "") or "")
    level = level_of(name, getattr(profile, "level", "") or "")
    formal, short = names_of(name, level, getattr(profile, "short_name", "") or "")
    officers = parse_officers(getattr(profile, "secretary", ""), getattr(profile, "deputy", ""),
                              getattr(profile, "committee_raw", None) or getattr(profile, "committee", []))
    executive = str(getattr(profile, "executive", "") or "").strip()
    executive_post = str(getattr(profile, "executive_post", "") or "").strip()
    for officer in officers:
        if executive and executive_post and officer.name == executive:
            officer.office = executive_post
    branches = list(getattr(profile, "branches", []) or [])
    return Organization(name=name, level=level, formal=formal, short=short, officers=officers,
                        branches=branches, groups=int(getattr(profile, "groups", 0) or 0))
