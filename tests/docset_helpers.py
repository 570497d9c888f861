"""Write one organization's full document set, as a secretary would over a campaign (tests and review).

The set: 实施方案 with its 印发通知, 学习要求, 学习安排表 (the 党委's, and one per
党支部), the 动员大会 kit, a 专题组织生活会 kit per 党支部, the 专题民主生活会
kit, 整改方案 and the three 阶段小结.  Meeting dates are taken inside their
phases; branch documents go into a folder per branch.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from dangjian.generators.api import generate
from dangjian.generators.campaign import load_campaign
from dangjian.generators.profile import load_profile
from dangjian.generators.types._common import timeline
from dangjian.generators.types.meetings import generate_kit


@dataclass
class DocumentSet:
    folder: Path
    files: dict[str, list[Path]] = field(default_factory=dict)  #: label → files
    warnings: list[str] = field(default_factory=list)

    def all(self) -> list[Path]:
        return [p for paths in self.files.values() for p in paths]


def _weekday(day: _dt.date) -> _dt.date:
    while day.weekday() >= 5:
        day += _dt.timedelta(days=1)
    return day


def meeting_dates(profile_path: Path) -> dict[str, _dt.date]:
    """Dates inside the right phase: 动员大会 on the first weekday; the branches' 专题组织生活会 from a third into
    分析评议 (the first 支部's day: the others follow, one or two a day); the 专题民主生活会 in its last week —
    or the days the profile's 阶段情况 gives (专题组织生活会日期, 专题民主生活会日期), which the 小结 reports."""
    profile = load_profile(profile_path)
    times = timeline(profile, load_campaign(None))
    mobilize, evaluate = times.spans[0], times.spans[1]
    third = evaluate.start + _dt.timedelta(days=evaluate.days // 3)
    last = evaluate.end - _dt.timedelta(days=2)
    while last.weekday() >= 5:
        last -= _dt.timedelta(days=1)
    dates = {"动员大会": _weekday(mobilize.start), "专题组织生活会": _weekday(third), "专题民主生活会": last}
    held = (profile.phase_results or {}).get(evaluate.unit.name, {})  # the days the profile says they were held
    for meeting in ("专题组织生活会", "专题民主生活会"):
        if held.get(f"{meeting}日期"):
            dates[meeting] = held[f"{meeting}日期"]
    return dates


def full_set(profile_path: Path, folder: Path) -> DocumentSet:
    """Generate the full set for the profile at ``profile_path`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    result = DocumentSet(folder)
    profile = load_profile(profile_path)
    dates = meeting_dates(profile_path)

    def one(label: str, doc_type: str, name: str, **options) -> None:
        out = folder / name
        generated = generate(doc_type, profile_path, output=out, **options)
        result.files.setdefault(label, []).append(out)
        result.warnings.extend(f"{name}：{w}" for w in generated.warnings)

    one("实施方案", "实施方案", "01-印发实施方案的通知.docx", with_notice=True)
    one("学习要求", "学习要求", "02-学习要求.docx")
    one("学习安排表", "学习安排表", "03-学习安排表.docx")
    for branch in profile.org.branches:
        (folder / branch.name).mkdir(exist_ok=True)
        one("学习安排表", "学习安排表", f"{branch.name}/学习安排表.docx", branch=branch.name)
    for meeting, label in (("动员大会", "动员大会"), ("专题组织生活会", "专题组织生活会"),
                           ("专题民主生活会", "专题民主生活会")):
        warnings: list[str] = []
        written = generate_kit(profile_path, meeting, outdir=folder / "会议材料" if meeting != "专题组织生活会" else folder,
                               date=dates[meeting].isoformat(), warnings=warnings)
        result.files[label] = written
        result.warnings.extend(f"{meeting}：{w}" for w in warnings)
    one("整改方案", "整改方案", "05-整改方案.docx")
    for i, phase in enumerate(("学习动员", "分析评议", "整改提高"), start=1):
        one("阶段小结", "阶段小结", f"06-{i}-{phase}阶段小结.docx", phase=phase)
    return result
