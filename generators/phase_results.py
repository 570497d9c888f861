"""What really happened in a phase: the figures and findings only the organization knows (profile ``阶段情况``).

A 阶段小结 and a 转段请示 report what a phase achieved.  The tool knows what
the plan and the 学习安排表 scheduled; the results (how many members took
part, how many 集中学习 were held, how many opinions were collected …) come
from the profile, one mapping per phase::

    阶段情况:
      学习动员:
        参学人数: 160
        补学人数: 9
        集中学习次数: 9
        心得篇数: 356
        亮点: [在职党员到社区报到21名，认领楼栋服务岗位]
        问题: [少数离退休党员参加集中学习不经常]

Each phase has the figures it must report (:data:`REQUIRED`; 补学人数 too when
fewer members took part than the organization has); while one is
missing the documents are drafts without a 文号, the missing figures are
blanks to fill in, and a 提示 names the keys to give.  Nothing here is ever
guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..kb.errors import CampaignError

#: Result key (Chinese, as the profile writes it) → (English alias, unit or "" for a list of sentences).
FIELDS: dict[str, tuple[str, str]] = {
    "参学人数": ("attended", "名"),
    "补学人数": ("made_up", "名"),
    "集中学习次数": ("sessions", "次"),
    "心得篇数": ("reflections", "篇"),
    "征求意见条数": ("opinions", "条"),
    "群众意见": ("opinion_texts", ""),  # the opinions themselves (the 整改方案 征求意见稿 lists them)
    "谈心人次": ("talks", "人次"),
    "党性分析份数": ("analyses", "份"),
    "整改问题数": ("problems_listed", "个"),
    "已整改数": ("problems_solved", "个"),
    "解决的突出问题": ("key_problems", ""),
    "建立制度": ("systems", ""),
    "公布整改情况": ("announced", ""),
    "通报评议情况": ("evaluation_told", ""),  #: how the 评议情况 was made known to the public (else not reported)
    # the days the 分析评议 meetings were held (the 专题组织生活会: the first 支部's, as the meeting kits take it)
    "专题组织生活会日期": ("branch_meetings_day", "日期"),
    "专题民主生活会日期": ("leaders_meeting_day", "日期"),  #: how and when the 整改情况 was made public (else the plan's 拟于…)
    "亮点": ("highlights", ""),
    "问题": ("shortcomings", ""),
}
_ALIASES = {**{k: k for k in FIELDS}, **{v[0]: k for k, v in FIELDS.items()},
            "参加人数": "参学人数", "心得体会篇数": "心得篇数", "意见条数": "征求意见条数", "谈心次数": "谈心人次",
            "成效": "亮点", "主要意见": "群众意见", "意见建议": "群众意见", "存在的问题": "问题", "不足": "问题", "长效机制": "建立制度"}

#: Phase key → the results its 阶段小结 and 转段请示 cannot do without.
REQUIRED: dict[str, tuple[str, ...]] = {
    "mobilize": ("参学人数", "集中学习次数", "心得篇数", "亮点", "问题"),
    "evaluate": ("征求意见条数", "谈心人次", "党性分析份数", "亮点", "问题"),
    "rectify": ("整改问题数", "已整改数", "解决的突出问题", "建立制度", "亮点", "问题"),
}
#: Results every phase without its own list must give.
REQUIRED_OTHER = ("参学人数", "亮点", "问题")
#: What stands in a draft for a figure not given.
BLANK = "＿＿"


@dataclass
class PhaseResults:
    """The results the profile gives for one phase (numbers and lists of sentences), and what is still missing."""

    phase: str  #: the phase's Chinese name
    numbers: dict[str, int] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)
    dates: dict[str, Any] = field(default_factory=dict)  #: key → datetime.date
    missing: list[str] = field(default_factory=list)  #: required keys not given

    @property
    def complete(self) -> bool:
        return not self.missing

    def number(self, key: str) -> str:
        """The figure as text ("160"), or the blank to fill in."""
        return str(self.numbers[key]) if key in self.numbers else BLANK

    def has(self, key: str) -> bool:
        return key in self.numbers or bool(self.texts.get(key)) or key in self.dates

    def hint(self) -> str:
        """The 提示 for a draft: which keys of ``阶段情况`` to fill ("" when complete)."""
        if self.complete:
            return ""
        keys = "、".join(self.missing)
        return (f"{self.phase}阶段的实际情况未给出（单位资料“阶段情况: {self.phase}:”下的 {keys}）："
                f"文件按草稿生成，不编文号，空白处待填；填写后重新生成即为正式文件")


def parse(value: Any) -> dict[str, dict[str, Any]]:
    """Return phase name → {result key: int or list of sentences} from the profile's ``阶段情况``.

    Raises CampaignError (one Chinese line) for a value that is not a mapping,
    an unknown result key or a figure that is not a whole number.
    """
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise CampaignError("“阶段情况”应写成 阶段名: {参学人数: 160, 问题: [...]} 的映射")
    from .profile import parse_count, parse_date

    out: dict[str, dict[str, Any]] = {}
    for phase, results in value.items():
        name = str(phase).strip().removesuffix("阶段")
        if results in (None, ""):
            continue
        if not isinstance(results, Mapping):
            raise CampaignError(f"“阶段情况”中“{name}”的内容应写成 参学人数: 160 这样的映射")
        entry: dict[str, Any] = {}
        for raw_key, raw in results.items():
            key = _ALIASES.get(str(raw_key).strip()) or _ALIASES.get(str(raw_key).strip().lower())
            if key is None:
                raise CampaignError(f"“阶段情况”中“{name}”没有“{raw_key}”这一项。可选：{'、'.join(FIELDS)}")
            if raw in (None, ""):
                continue
            if FIELDS[key][1] == "日期":
                entry[key] = parse_date(raw, f"“阶段情况”中{name}的“{key}”")
            elif FIELDS[key][1]:
                entry[key] = parse_count(raw, f"“阶段情况”中{name}的“{key}”")
            else:
                items = raw if isinstance(raw, (list, tuple)) else [raw]
                entry[key] = [str(i).strip().rstrip("。；;") for i in items if str(i).strip()]
        out[name] = entry
    return out


def results_for(profile: Any, unit: Any) -> PhaseResults:
    """The results the profile gives for the phase ``unit`` (by Chinese name or key), with the missing keys."""
    given: dict[str, dict[str, Any]] = getattr(profile, "phase_results", None) or {}
    entry = given.get(unit.name) or given.get(unit.key) or {}
    results = PhaseResults(unit.name)
    for key, value in entry.items():
        if isinstance(value, list):
            results.texts[key] = value
        elif FIELDS.get(key, ("", ""))[1] == "日期":
            results.dates[key] = value
        else:
            results.numbers[key] = value
    required = REQUIRED.get(unit.key, REQUIRED_OTHER)
    if getattr(profile, "problems", None):  # the adopted plan's 台账 gives the count and the 突出问题
        required = tuple(k for k in required if k not in ("整改问题数", "解决的突出问题"))
    results.missing = [k for k in required if not results.has(k)]
    return results


def check_phases(profile: Any, campaign: Any) -> list[str]:
    """Warnings for ``阶段情况`` entries naming no phase of ``campaign``."""
    units = list(getattr(getattr(campaign, "structure", None), "units", []) or [])
    names = {u.name for u in units} | {u.key for u in units}
    given = getattr(profile, "phase_results", None) or {}
    return [f"“阶段情况”中的“{p}”不是本活动的阶段（{'、'.join(u.name for u in units)}），未使用"
            for p in given if p not in names]
