"""The procedure as grassroots organizations ran it: steps per phase, 转段 at every phase end, the 满意度测评.

The campaign pack's ``procedure`` section is the period's practice, not the
guidance's words: documents say it without citing, and the 依据 working paper
labels it as practice.  A pack without the section gives an empty procedure
(documents then say nothing about steps or 转段).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Condition:
    """One 转段 condition: what is checked, the facts of the phase that prove it, and the 佐证材料."""

    text: str
    facts: list[str] = field(default_factory=list)  #: fact keys (generators/types/phase_report.py)
    materials: list[str] = field(default_factory=list)


@dataclass
class Procedure:
    """Steps of each phase, the 转段 rule and conditions, and who runs the 满意度测评."""

    steps: dict[str, list[str]] = field(default_factory=dict)  #: unit key → steps in order
    transition: str = ""  #: how a phase ends (阶段小结, 转段申请, the 督导组's agreement)
    conditions: dict[str, list[Condition]] = field(default_factory=dict)  #: unit key → what is checked before 转段
    survey: str = ""  #: who organizes the 群众满意度测评
    makeup: str = ""  #: 补课 when the public is not satisfied

    def steps_of(self, unit_key: str) -> list[str]:
        return list(self.steps.get(unit_key, []))

    def conditions_of(self, unit_key: str) -> list[Condition]:
        return list(self.conditions.get(unit_key, []))


def procedure(campaign: Any) -> Procedure:
    """The procedure of ``campaign`` (empty when its pack has none)."""
    raw = getattr(campaign, "procedure", None) or {}
    if not raw:
        return Procedure()
    transition = raw.get("transition") or {}
    return Procedure(
        steps={str(k): [str(s) for s in v] for k, v in (raw.get("steps") or {}).items()},
        transition=str(transition.get("text", "")),
        conditions={str(k): [_condition(c) for c in v] for k, v in (transition.get("conditions") or {}).items()},
        survey=str(raw.get("survey", "")),
        makeup=str(raw.get("makeup", "")),
    )


def _condition(raw: Any) -> Condition:
    if isinstance(raw, dict):
        return Condition(str(raw.get("text", "")), [str(f) for f in raw.get("facts") or []],
                         [str(m) for m in raw.get("materials") or []])
    return Condition(str(raw))
