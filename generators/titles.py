"""称谓: how the documents name officers, chairs, the 督导组 and the 领导小组.

One place for the rules of the period's practice:

* running text names an officer by post, name and 同志: "社区党委书记张三同志",
  "党委副书记李四同志", "党委委员王五同志"; a name the profile does not give
  is the usual placeholder ×××, never dropped;
* "支委" (and "支部书记") only for a 支部委员会: a 党委's members are 党委委员;
* the 副书记 chairs a meeting at which the 书记 speaks, when there is one;
* the 督导组 is "某某督导组组长×××同志";
* the 领导小组 list gives each member's post, and names the 办公室 and its 主任.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .organization import Officer, Organization

#: Placeholder for a name the profile does not give (the customary ×××).
NO_NAME = "×××"
#: Words in a 督导组 value that make it the group's name rather than its leader's.
_TEAM_WORDS = ("督导组", "检查组", "指导组", "巡回组")


def running_name(profile: Any) -> str:
    """The organization as running text names it: 社区党委, 镇党委, 校党总支, 厂党委 (本… without 本)."""
    me = str(getattr(profile, "me", "") or "")
    if getattr(profile, "self_ref", ""):
        return me
    return me[1:] if me.startswith("本") else me


def level_word(org: Organization) -> str:
    """党委 / 党总支 / 支部 … as a post's prefix ("党委副书记", "支部书记")."""
    if org.is_branch:
        return "支部"
    return org.level_word


def office_of(officer: Officer) -> str:
    """"、厂长" for an officer who also holds the unit's administrative post, else ""."""
    return f"、{officer.office}" if getattr(officer, "office", "") else ""


def post(org: Organization, officer: Officer, *, full: bool = False, running: str = "", duty: bool = False,
         office: bool = False) -> str:
    """The officer's post: 党委书记 (社区党委书记 with ``full``), 党委副书记, 党委委员, 支部书记, 支委 / 组织委员.

    In running text a 党委 member is "党委委员" (with ``duty``, as in the 领导小组
    list, "党委委员、组织委员", and with the unit's administrative post he holds: "党委委员、厂长"; ``office``
    adds that post alone: "党委副书记、镇长"); a 支部 member is "组织委员" when the 分工 is known, else "支委".
    """
    word = level_word(org)
    held = office_of(officer) if (duty or office) else ""
    if officer.post in ("书记", "副书记"):
        head = running if (full and running) else word
        return f"{head}{officer.post}{held}"
    if org.is_branch:
        return officer.duty if officer.duty else "支委"
    return (f"{word}委员、{officer.duty}" if (duty and officer.duty) else f"{word}委员") + held


def person(org: Organization, officer: Officer | None, *, post_text: str = "", full: bool = False,
           running: str = "") -> str:
    """Post + name + 同志: "社区党委书记张三同志"; ×××同志 when the name is unknown."""
    if officer is None:
        return f"{post_text}{NO_NAME}同志"
    title = post_text or post(org, officer, full=full, running=running)
    return f"{title}{officer.name or NO_NAME}同志"


def secretary(org: Organization, *, full: bool = False, running: str = "") -> str:
    """The secretary in running text ("社区党委书记张三同志"), ×××同志 when no secretary is given."""
    officer = org.secretary
    if officer is None:
        head = running if (full and running) else level_word(org)
        return f"{head}书记{NO_NAME}同志"
    return person(org, officer, full=full, running=running)


def chair(org: Organization, meeting_chair: str = "书记", *, running: str = "") -> str:
    """Who chairs: the 副书记 when the meeting asks for one and the organization has one, else the 书记."""
    if meeting_chair == "副书记" and org.deputies:
        deputy = org.deputies[0]  # 党委副书记、镇长陈卫东同志: the post he holds in the unit too
        return person(org, deputy, post_text=post(org, deputy, office=True))
    return secretary(org, full=True, running=running)


def member_speaker(org: Organization) -> str:
    """The committee member who explains the plan: the 组织委员 if named, else the first 委员 (×××同志 if none)."""
    officer = org.officer_with_duty("组织委员") or (org.members[0] if org.members else None)
    if officer is None:
        return f"{'支委' if org.is_branch else level_word(org) + '委员'}{NO_NAME}同志"
    return person(org, officer)


@dataclass
class Supervisor:
    team: str  #: 某某区委第三督导组 (or 督导组)
    leader: str  #: 孙八 (or ×××)

    @property
    def ref(self) -> str:
        """某某区委第三督导组组长孙八同志."""
        return f"{self.team}组长{self.leader}同志"


def supervisor(profile: Any) -> Supervisor:
    """The 督导组 and its 组长 from the profile (督导组 / 督导组名称); the parent's 督导组 and ××× when not given."""
    team = str(getattr(profile, "supervisor_team", "") or "").strip()
    leader = str(getattr(profile, "supervisor", "") or "").strip()
    if leader and any(w in leader for w in _TEAM_WORDS) and not team:
        team, leader = leader, ""
    if not team:
        parent = str(getattr(profile, "parent", "") or "").strip()
        team = f"{parent}督导组" if parent else "上级党委督导组"
    return Supervisor(team=team, leader=leader or NO_NAME)


def leading_group(org: Organization, profile: Any) -> dict[str, Any]:
    """The 领导小组 with posts: 组长, 副组长, 成员 (name + post) and the 办公室 with its 主任.

    As units of the period formed it: 组长 the 书记; 副组长 the unit's 行政负责人 (厂长, 校长, 镇长 — when he is a
    party member; where he is the 书记 or a 班子 member his posts are joined) and the 副书记; 成员 the 委员 and
    the profile's further members (department heads).
    """
    running = running_name(profile)
    sec = org.secretary
    executive = str(getattr(profile, "executive", "") or "").strip()
    exec_post = str(getattr(profile, "executive_post", "") or "").strip() or "行政负责人"
    exec_member = bool(getattr(profile, "executive_member", True))

    def entry(officer: Officer) -> str:
        posts = post(org, officer, full=True, running=running, duty=True)
        if executive and officer.name == executive and not posts.endswith(f"、{exec_post}"):
            posts += f"、{exec_post}"
        return f"{officer.name}（{posts}）"

    leader = entry(sec) if sec else f"{NO_NAME}（{running}书记）"
    deputies = [entry(o) for o in org.deputies]
    members = [entry(o) for o in org.members if o.name != executive]
    if executive and exec_member and executive not in {o.name for o in org.officers}:
        deputies.insert(0, f"{executive}（{exec_post}）")
    elif executive and exec_member and any(o.name == executive for o in org.members):
        deputies.insert(0, entry(next(o for o in org.members if o.name == executive)))
    members += [m for m in getattr(profile, "group_members", []) or [] if m.split("（")[0] not in
                {o.name for o in org.officers} | {executive}]
    office_head = str(getattr(profile, "office", "") or "").strip()
    head_officer = org.officer_with_duty("组织委员")
    if office_head:
        known = next((o for o in org.officers if o.name == office_head), None)
        head = person(org, known) if known else f"{office_head}同志"
    elif head_officer is not None:
        head = person(org, head_officer)
    else:
        head = f"{NO_NAME}同志"
    return {"leader": leader, "deputies": deputies, "members": members, "office_head": head}
