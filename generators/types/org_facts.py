"""What the meeting kits and forms need to know about an organization, in one place.

:func:`org_facts` reads an organization profile (``generators/profile.py``)
into :class:`OrgFacts`; the rest of :mod:`meetings` and :mod:`forms` reads only
``OrgFacts``, so a change in the profile touches this module alone.  Names
that are not given are printed as the office (党组织书记, 督导组), never invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...kb.errors import InputError
from ..text import format_date

#: Blank to write a date in by hand.
BLANK_DATE = "　　　　年　　月　　日"
#: A table cell two lines high, for writing in (zero-width spaces keep the empty lines from being trimmed).
TALL_CELL = "\u200b<br>\u200b"
#: Blank to write a place or a name in by hand.
BLANK = "＿＿＿＿＿＿＿＿"


@dataclass
class Person:
    """A member on a sign-in sheet or form."""

    name: str
    category: str = ""  #: 正式党员 / 预备党员 / 在职 / 离退休 …


@dataclass
class OrgFacts:
    """An organization's name, people and counts as the forms print them."""

    name: str
    parent: str = ""
    secretary: str = ""
    deputy: str = ""
    committee: list[str] = field(default_factory=list)
    supervisor: str = ""
    roster: list[Person] = field(default_factory=list)
    member_total: int | None = None
    probationary: int | None = None
    place: str = ""

    @property
    def parent_ref(self) -> str:
        """The higher committee as named in a sentence ("上级党委" when not given)."""
        return self.parent or "上级党委"

    @property
    def secretary_ref(self) -> str:
        """党组织书记张三, or 党组织书记 when no name is given."""
        return f"党组织书记{self.secretary}" if self.secretary else "党组织书记"

    @property
    def leaders(self) -> list[Person]:
        """The leading body (书记, 副书记, 委员) by name, for meetings of the 领导班子."""
        names = [self.secretary, self.deputy, *self.committee]
        titles = ["书记", "副书记", *["委员"] * len(self.committee)]
        return [Person(n, t) for n, t in zip(names, titles) if n]

    @property
    def expected(self) -> int | None:
        """Number of people expected at a members' meeting: the roster, else the member count."""
        return len(self.roster) if self.roster else self.member_total


def org_facts(profile: object) -> OrgFacts:
    """Return the :class:`OrgFacts` of an organization profile (object or mapping)."""
    name = _text(_get(profile, "name", "org", "organization", "单位名称", "单位"))
    if not name:
        raise InputError("缺少单位名称")
    roster = [_person(p) for p in _list(_get(profile, "roster", "member_names", "members_list", "党员名单"))]
    probationary = _get(profile, "probationary", "预备党员")
    return OrgFacts(
        name=name,
        parent=_text(_get(profile, "parent", "parent_committee", "上级党委")),
        secretary=_text(_get(profile, "secretary", "书记")),
        deputy=_text(_get(profile, "deputy", "副书记")),
        committee=[str(x).strip() for x in _list(_get(profile, "committee", "committee_members", "委员"))],
        supervisor=_text(_get(profile, "supervisor", "督导组")),
        roster=[p for p in roster if p.name],
        member_total=_int(_get(profile, "total", "member_total", "党员总数")) or _sum_counts(profile),
        probationary=_int(probationary) if probationary is not None
        # a roster that marks no 预备党员 does not say there are none: the count is left to fill in
        else (sum("预备" in p.category for p in roster) or None),
        place=_text(_get(profile, "place", "地点")),
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#])")


def md(text: object) -> str:
    """Return ``text`` safe to put in a Markdown paragraph or table cell (prints as typed).

    Markdown specials are escaped, ``|`` and ``<`` become full-width (they would
    end a cell or start HTML), line breaks become spaces, and a cell that is
    only ``^`` or ``<`` (the merge marks) is made full-width.
    """
    value = "" if text is None else str(text)
    value = re.sub(r"[\r\n]+", " ", value).replace("|", "｜").replace("<", "＜").replace(">", "＞")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    if value.strip() == "^":
        value = "＾"
    return value


def date_text(value: object, what: str = "日期") -> str:
    """Return a date as 2005年7月1日, or a blank to fill in when ``value`` is empty; errors name ``what``."""
    if value in (None, ""):
        return BLANK_DATE
    return format_date(value, what)


def _get(obj: object, *names: str) -> object:
    for name in names:
        if isinstance(obj, dict):
            if obj.get(name) not in (None, ""):
                return obj[name]
        else:
            value = getattr(obj, name, None)
            if value not in (None, "") and not callable(value):
                return value
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value).strip()


def _list(value: object) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        from ..roster import split_names

        return split_names(value)
    return list(value)  # type: ignore[arg-type]


def _person(value: object) -> Person:
    if isinstance(value, Person):
        return value
    if isinstance(value, dict):
        return Person(str(value.get("name") or value.get("姓名") or "").strip(),
                      str(value.get("category") or value.get("类别") or "").strip())
    name = getattr(value, "name", None)
    if name is not None:
        return Person(str(name), str(getattr(value, "category", "") or ""))
    text = str(value).strip()
    # 张三（预备党员） or 张三(离退休): the bracket holds the category.
    for open_, close in (("（", "）"), ("(", ")")):
        if text.endswith(close) and open_ in text:
            head, _, tail = text.partition(open_)
            return Person(head.strip(), tail[:-1].strip())
    return Person(text)


def _int(value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _sum_counts(profile: object) -> int | None:
    # Categories overlap (a 流动 member may also be 在职), so only an explicit total counts.
    counts = _get(profile, "counts", "member_counts", "members")
    if isinstance(counts, dict):
        return _int(counts.get("total") or counts.get("总数") or counts.get("党员总数"))
    return None


_PACK_CACHE: dict[tuple[str, float], dict] = {}


def pack_data(campaign: Any) -> dict:
    """Return the raw YAML mapping of a campaign pack (for keys the Campaign model does not carry).

    ``campaign`` is a loaded Campaign (its ``path`` is read, once per process)
    or a mapping, returned as is.
    """
    if isinstance(campaign, dict):
        return campaign
    path = getattr(campaign, "path", None)
    if path is None:
        return {}
    from pathlib import Path

    from ..campaign import read_pack

    path = Path(path)
    stamp = (str(path.resolve()), path.stat().st_mtime)
    if stamp not in _PACK_CACHE:
        data = read_pack(path)
        _PACK_CACHE[stamp] = data if isinstance(data, dict) else {}
    return _PACK_CACHE[stamp]


def campaign_name(campaign: Any) -> str:
    """Return the campaign's name as printed in titles, without its batch (保持共产党员先进性教育活动)."""
    get = campaign.get if isinstance(campaign, dict) else (lambda key: getattr(campaign, key, ""))
    name = str(get("name") or "").strip()
    batch = str(get("batch") or "").strip()
    if batch and name.startswith(batch) and len(name) > len(batch):
        name = name[len(batch):]
    return name


def yaml_text(text: object) -> str:
    """Return ``text`` quoted for a YAML front-matter value (a JSON string is valid YAML)."""
    import json

    return json.dumps("" if text is None else str(text), ensure_ascii=False)


def base_context(facts: OrgFacts, campaign: Any, *, issued: object = None) -> dict[str, Any]:
    """Return the variables every kit and form template uses.

    Texts are escaped for Markdown; ``fm`` holds the same texts quoted for the
    YAML front matter (署名, 主送, 发文机关 …).
    """
    name = campaign_name(campaign)
    return {
        "org": md(facts.name),
        "parent": md(facts.parent),
        "parent_ref": md(facts.parent_ref),
        "secretary": md(facts.secretary),
        "campaign": md(name),
        "blank_date": BLANK_DATE,
        "tall": TALL_CELL,
        "issued": date_text(issued) if issued else "",
        "fm": {
            "org": yaml_text(facts.name),
            "parent_ref": yaml_text(facts.parent_ref),
            "campaign": yaml_text(name),
        },
    }
