"""What was said at a 专题民主生活会 or 专题组织生活会: the facts only the organization knows (profile ``会议情况``).

A 纪要 records what the meeting heard and decided.  The tool knows who was
there, who chaired and who commented; what each member found in himself,
the criticism and the 点评 come from the profile::

    会议情况:
      专题民主生活会:
        发出征求意见表: 120
        收回征求意见表: 112
        意见条数: 46
        归纳方面: 5
        查摆问题: {王秀兰: 深入楼栋走访少，对在职党员服务社区抓得不紧, 刘建国: ……}
        批评意见: [班子成员之间交心谈心不够经常]
        点评: [查摆问题具体，批评开诚布公，整改措施要落到实处]
      专题组织生活会:
        第一党支部: {……}          # a 党委's branches each under their name

A meeting without them is written with the old fill-in instructions and a
提示 naming the keys to give; nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..kb.errors import CampaignError

#: Result key → (English alias, unit or "" for sentences, "map" for name → sentence).
FIELDS: dict[str, tuple[str, str]] = {
    "发出征求意见表": ("forms_sent", "份"),
    "收回征求意见表": ("forms_back", "份"),
    "意见条数": ("opinions", "条"),
    "归纳方面": ("aspects", "个"),
    "查摆问题": ("problems", "map"),
    "批评意见": ("criticism", ""),
    "点评": ("comments", ""),
    "实到人数": ("present", "人"),
}
_ALIASES = {**{k: k for k in FIELDS}, **{v[0]: k for k, v in FIELDS.items()},
            "发出": "发出征求意见表", "收回": "收回征求意见表", "征求意见条数": "意见条数", "实到": "实到人数"}
#: Meetings whose 纪要 (or 简报: the 动员大会, 实到人数 only) the results fill.
MEETINGS = ("专题民主生活会", "专题组织生活会", "动员大会")


@dataclass
class MeetingResults:
    """The results given for one meeting (of one organization or 支部)."""

    meeting: str
    numbers: dict[str, int] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)  #: member name → what he found in himself

    def missing(self, people: list[str]) -> list[str]:
        """The keys still to give for a 纪要 listing ``people`` (names)."""
        out = [k for k in ("发出征求意见表", "收回征求意见表", "意见条数", "归纳方面") if k not in self.numbers]
        if any(p not in self.problems for p in people) or not people and not self.problems:
            out.append("查摆问题")
        out.extend(k for k in ("批评意见", "点评") if not self.texts.get(k))
        return out


def parse(value: Any) -> dict[str, Any]:
    """Return meeting → results (or 支部 → results) from the profile's ``会议情况``; CampaignError when malformed."""
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise CampaignError("“会议情况”应写成 会议名: {意见条数: 46, 查摆问题: {姓名: 问题}, ...} 的映射")
    out: dict[str, Any] = {}
    for meeting, entry in value.items():
        name = str(meeting).strip()
        if name not in MEETINGS:
            raise CampaignError(f"“会议情况”中没有“{name}”这种会议。可选：{'、'.join(MEETINGS)}")
        if not isinstance(entry, Mapping):
            raise CampaignError(f"“会议情况”中“{name}”的内容应写成 意见条数: 46 这样的映射")
        if entry and all(_key(k) is None and isinstance(v, Mapping) for k, v in entry.items()):
            out[name] = {str(b).strip(): _results(name, v, f"{name}（{b}）") for b, v in entry.items()}
        else:
            out[name] = _results(name, entry, name)
    return out


def _key(raw: Any) -> str | None:
    return _ALIASES.get(str(raw).strip()) or _ALIASES.get(str(raw).strip().lower())


def _results(meeting: str, entry: Mapping, where: str) -> MeetingResults:
    from .profile import parse_count

    results = MeetingResults(meeting)
    for raw_key, raw in entry.items():
        key = _key(raw_key)
        if key is None:
            raise CampaignError(f"“会议情况”中{where}没有“{raw_key}”这一项。可选：{'、'.join(FIELDS)}")
        if raw in (None, ""):
            continue
        kind = FIELDS[key][1]
        if kind == "map":
            if not isinstance(raw, Mapping):
                raise CampaignError(f"“会议情况”中{where}的“查摆问题”应写成 姓名: 问题 的映射")
            results.problems = {str(k).strip(): str(v).strip().rstrip("。；;") for k, v in raw.items() if v}
        elif kind:
            results.numbers[key] = parse_count(raw, f"“会议情况”中{where}的“{key}”")
        else:
            items = raw if isinstance(raw, (list, tuple)) else [raw]
            results.texts[key] = [str(i).strip().rstrip("。；;") for i in items if str(i).strip()]
    return results


def results_for(profile: Any, meeting: str, branch: str = "") -> MeetingResults | None:
    """The results the profile gives for ``meeting`` (of ``branch`` for a 党委's 支部), None when none."""
    given = (getattr(profile, "meeting_results", None) or {}).get(meeting)
    if isinstance(given, dict):
        return given.get(branch) if branch else None
    return given
