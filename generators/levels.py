"""Documents at the right level: what a 党委 does itself and what its 党支部 do.

A 党委 or 党总支 holds the 动员大会, the 党课 and the 辅导报告 for everyone
(with 分会场 or 党员代表 when the unit is large) and its 领导班子 holds the
专题民主生活会; each 党支部 studies on its own days in its own place, and holds
its own 专题组织生活会 chaired by its 支部书记 with its own members.  This
module reads the pack's ``organization`` section (the period's practice) and
derives a branch's own profile, so that a branch document is written exactly
as a 党支部-only profile's would be.
"""

from __future__ import annotations

import copy
from typing import Any

from ..kb.errors import InputError
from .organization import Branch

#: Above this many members a 动员大会 uses 分会场 or 党员代表: a unit of one or two hundred members meets in one
#: hall (a default: the pack's ``organization.large_meeting`` wins, the profile's ``分会场人数`` or ``分会场: 是/否`` over both).
LARGE_MEETING = 300
#: Branch tasks when the pack gives none for a phase.
_GENERIC_TASK = "按照党委的统一安排组织本支部党员完成本阶段各项任务，及时向党委报告进展情况"


def _practice(campaign: Any) -> dict:
    from .types.org_facts import pack_data

    data = pack_data(campaign).get("organization")
    return data if isinstance(data, dict) else {}


#: Clauses of the branch tasks about members an organization may not have (category key → clause).
_MEMBER_CLAUSES = (("elderly", "年老体弱党员送学帮学"), ("mobile", "流动党员寄送学习资料"), ("lost", "失去联系党员的查找"))


def branch_task(campaign: Any, unit_key: str, profile: Any = None, running: str = "") -> str:
    """What each 党支部 does in the phase ``unit_key`` (the pack's practice, or a general sentence).

    With ``profile`` the clauses about 年老体弱, 流动 and 失联 members keep only
    the categories the organization has, and "向党委报告" names the leading
    organization (``running``: 校党总支, 镇党委 …).
    """
    tasks = _practice(campaign).get("branch_tasks") or {}
    text = str(tasks.get(unit_key) or _GENERIC_TASK).rstrip("。")
    if profile is None:
        return text
    full = "、".join(c for _, c in _MEMBER_CLAUSES[:2]) + "和" + _MEMBER_CLAUSES[2][1]
    if f"做好{full}工作" in text:
        def has(key: str) -> bool:
            return bool(getattr(profile, key, None) if key == "lost" else profile.count(key))

        kept = [c for key, c in _MEMBER_CLAUSES if has(key)]
        clause = ("做好" + ("、".join(kept[:-1]) + "和" + kept[-1] if len(kept) > 1 else kept[0]) + "工作") if kept else ""
        text = text.replace(f"，做好{full}工作", f"，{clause}" if clause else "")
    if running:
        text = text.replace("向党委报告", f"向{running}报告")
    return text


#: Above this many members a 党支部 studies and holds its 专题组织生活会 by 党小组 (or by shift), in several sittings.
LARGE_BRANCH = 50
#: Sectors whose members work in shifts: the same session is repeated for each shift.
SHIFT_SECTORS = ("soe", "hospital")


#: The day-work hour of a 支部 without shifts (机关, 技术, 质量) in a shift sector.
DAY_WORK_TIME = "下午4:00"


def works_shifts(sector: str, name: str) -> bool:
    """True when the members of the 支部 ``name`` work in shifts (production branches of a shift sector)."""
    return sector in SHIFT_SECTORS and not any(w in name for w in ("机关", "离退休", "技术", "质量"))


#: Words in a 党支部's name that give its own sector when the profile does not (a 镇中心学校党支部 of a 镇党委).
_SECTOR_WORDS = (("school", ("学校", "中学", "小学", "中心校")), ("hospital", ("卫生院", "医院")))


def branch_sector(branch: Any, parent_sector: str) -> str:
    """The sector whose calendar a 党支部 follows: its own 领域, else the one its name says (学校, 卫生院), else the
    organization's."""
    own = str(getattr(branch, "sector", "") or "")
    if own and own != parent_sector:
        return own
    name = str(getattr(branch, "name", "") or "")
    for sector, words in _SECTOR_WORDS:
        if sector != parent_sector and any(w in name for w in words):
            return sector
    return parent_sector


def sittings(count: int | None, sector: str, name: str = "") -> str:
    """How a 党支部 of ``count`` members sits: "" for one sitting, else by 党小组 (by shift where members work shifts)."""
    if not count or count <= LARGE_BRANCH:
        return ""
    sittings_n = -(-count // LARGE_BRANCH)
    if works_shifts(sector, name):
        return f"按班次和党小组分{sittings_n}场以上进行"
    return f"按党小组分{sittings_n}场以上进行，每场不超过{LARGE_BRANCH}人"


def large_meeting(campaign: Any, profile: Any = None) -> int:
    """Members above which a 动员大会 is held with 分会场 or 党员代表 (the profile's 分会场人数, else the pack's)."""
    own = getattr(profile, "large_meeting", None)
    if isinstance(own, int) and not isinstance(own, bool) and own > 0:
        return own
    value = _practice(campaign).get("large_meeting")
    return int(value) if isinstance(value, int) and value > 0 else LARGE_MEETING


def is_large(profile: Any, campaign: Any) -> bool:
    """True when the organization is too large for one 动员大会 of all its members in one room (or the profile
    says 分会场: 是 / 否)."""
    own = getattr(profile, "large_meeting", None)
    if isinstance(own, bool):
        return own
    total = getattr(profile, "total", None)
    return bool(total and total > large_meeting(campaign, profile))


def venue_note(profile: Any, campaign: Any) -> str:
    """A 提示 saying how the 动员大会's hall was decided when the default threshold decided it ("" otherwise)."""
    own = getattr(profile, "large_meeting", None)
    total = getattr(profile, "total", None)
    if own is not None or not total or not getattr(profile.org, "leads_branches", False):
        return ""
    limit = large_meeting(campaign, profile)
    how = "设主会场和各党支部分会场" if total > limit else "全体党员在一个会场召开，不设分会场"
    return (f"党员{total}名，动员大会{how}（党员超过{limit}名才设分会场，这是默认值；"
            f"单位资料“分会场人数”可改，或写“分会场: 是/否”）")


#: Who sits in the main hall of a 党委's 动员大会 with 分会场: the 班子, each 支部's 书记 and the 党员代表.  The
#: branch's other 支委 stay with its members and lead its 分会场 (see :func:`hall_lead`).
MAIN_HALL = "领导班子成员、各党支部书记和党员代表"


def hall_lead(branch: Branch) -> str:
    """Who leads a 支部's 分会场 while its 书记 is in the main hall: the 副书记, else the 组织委员, else the
    first 委员, with the name (组织委员施强, 委员曹军: read after the branch's name); "" when it lists no one else."""
    if branch.deputy and branch.deputy != branch.secretary:
        return f"副书记{branch.deputy}"
    others = [o for o in branch.committee if o.name and o.name != branch.secretary]
    for o in others:
        if "组织" in (o.duty or ""):
            return f"组织委员{o.name}"
    return f"委员{others[0].name}" if others else ""


def main_hall_count(profile: Any) -> int | None:
    """How many sit in the main hall: the 班子, the 支部书记 not in it, the 党员代表 (None without 党员代表)."""
    reps = getattr(profile, "representatives", None)
    if not reps:
        return None
    org = profile.org
    names = {o.name for o in org.officers if o.name}
    names |= {b.secretary for b in org.branches if b.secretary} if org.leads_branches else set()
    return len(names) + int(reps)


def rally_sentence(profile: Any, campaign: Any) -> str:
    """How the 动员大会 of a large organization is held (分会场 / 党员代表); "" for one that fits in one room."""
    if not is_large(profile, campaign):
        return ""
    org = profile.org
    who = MAIN_HALL if org.leads_branches else "领导班子成员和党员代表"
    reps = getattr(profile, "representatives", None)
    reps_text = f"（党员代表{reps}名，由各党支部推选）" if reps else "（党员代表由各党支部推选）"
    rest = ("各党支部设分会场，由一名支部委员组织本支部其他党员通过有线广播或闭路电视收听收看主会场实况，"
            "不具备条件的分会场和不能参加的党员，由支部在一周内集中传达学习") \
        if org.leads_branches else "其他党员由党小组在一周内集中传达学习"
    return f"动员大会在主会场召开，{who}参加{reps_text}；{rest}。"


def branch_profile(profile: Any, branch: Branch) -> Any:
    """Return a profile for ``branch``: its own name, officers, members and place; dates, campaign and 督导组 of the parent."""
    from .profile import Profile

    from .organization import LEVELS, unit_of

    child: Profile = copy.copy(profile)
    parent_unit = unit_of(profile.name)
    own_unit = unit_of(branch.name)
    if own_unit.startswith(parent_unit) or not parent_unit:
        full_unit = own_unit
    elif own_unit[:1] in "镇乡厂校院所局社" and parent_unit.endswith(own_unit[:1]):
        full_unit = parent_unit + own_unit[1:]  # 新甸镇 + 镇机关 → 新甸镇机关
    else:
        full_unit = parent_unit + own_unit
    level = branch.level or "党支部"
    child.name = f"中共{full_unit}{LEVELS[level][1]}"  # the formal name; titles use the short one
    child.level = level
    child.short_name = branch.name if branch.name.startswith(parent_unit) else f"{profile.short}{branch.name}"
    child.self_ref = branch.name
    child.sector = branch.sector or profile.sector
    child.parent = profile.short
    child.secretary = branch.secretary
    child.deputy = branch.deputy
    child.committee = [o.name for o in branch.committee]
    child.committee_raw = [{"姓名": o.name, "分工": o.duty} for o in branch.committee]
    child.roster = list(branch.roster)
    child.member_total = branch.count
    child.counts = {}
    child.lost = None
    child.probationary = None
    child.place = branch.place or profile.place
    child.branches = []
    child.groups = 0
    child.number = ""
    child.number_start = None
    child.representatives = None
    child.office = ""
    return child


def kit_branches(profile: Any, branch: str | None) -> list[Any]:
    """The profiles a branch-level meeting (专题组织生活会, 民主评议) is written for.

    ``branch`` picks one 党支部 by name; without it every branch of a 党委 or
    党总支.  A 党支部 (or an organization listing no branches) is itself the
    only one.  Raises InputError when a branch is named but the profile lists none.
    """
    org = profile.org
    if branch:
        if not org.branches:
            raise InputError(f"单位资料没有列出党支部（“党支部”键），不能按 --branch {branch} 选择")
        return [branch_profile(profile, org.branch(branch))]
    if org.leads_branches and org.branches:
        return [branch_profile(profile, b) for b in org.branches]
    return [profile]
