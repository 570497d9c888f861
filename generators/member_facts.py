"""Member facts stated truthfully: counts whose categories overlap, 失联 members, rosters that fall short.

Member categories overlap: a 年老体弱 member is usually 离退休, a 流动 member
may be 在职, a 知识分子 is 在职 or 离退休.  The sentence this module writes
breaks the total down only by categories that do not overlap (在职, 离退休,
下岗失业, 学生, 新经济组织), puts 年老体弱 inside 离退休 ("其中…"), and names the
others apart, always inside the total: 流动 and 失联 members are listed with
the status categories when the sum fits ("…、流动党员15名、失去联系的党员3名；
其余11名为其他党员"), or said to be counted in them ("其中流动党员4名，均含在上述
人数内"), never "另有" on top of the total; a remainder the categories leave
uncovered gets its own clause; 知识分子 etc. go "在上述党员中，有知识分子党员30名",
so that no "其中" breakdown exceeds its total.  When no counts
are given it says nothing rather than printing a broken sentence.
"""

from __future__ import annotations

from typing import Any

#: Categories that split the members by status (they do not overlap each other).
MAIN = ("in_service", "retired", "laid_off", "student", "new_org")
#: How each category is named in a sentence.
WORDS = {
    "in_service": "在职党员", "retired": "离退休党员", "laid_off": "下岗失业党员", "student": "学生党员",
    "new_org": "新经济组织和新社会组织中的党员", "elderly": "年老体弱、行动不便的党员", "mobile": "流动党员",
    "intellectual": "知识分子党员", "low_literacy": "文化程度较低的党员", "poor": "生活困难党员",
}


def members_sentence(profile: Any, subject: str) -> str:
    """One complete sentence about the members of ``subject`` (社区党委, 本支部 …), or "" when nothing is known.

    社区党委共有党员168名（含预备党员5名），其中在职党员21名、离退休党员118名（其中年老体弱、行动不便的37名）、
    流动党员15名、失去联系的党员3名；其余11名为其他党员。
    """
    counts = dict(getattr(profile, "counts", {}) or {})
    total = getattr(profile, "total", None)
    probationary = getattr(profile, "probationary", None)
    lost = getattr(profile, "lost", None)
    main = [k for k in MAIN if counts.get(k)]
    main_sum = sum(counts[k] for k in main)
    parts = []
    for key in main:
        text = f"{WORDS[key]}{counts[key]}名"
        if key == "retired" and counts.get("elderly") and counts["elderly"] <= counts["retired"]:
            text += f"（其中年老体弱、行动不便的{counts['elderly']}名）"
        parts.append(text)
    elderly_apart = counts.get("elderly") and not (counts.get("retired") and counts["elderly"] <= counts["retired"])
    extra = []
    if counts.get("mobile"):
        extra.append(f"流动党员{counts['mobile']}名")
    if lost:
        extra.append(f"失去联系的党员{lost}名")
    overlapping = [f"{WORDS[k]}{counts[k]}名" for k in ("intellectual", "low_literacy", "poor") if counts.get(k)]
    if elderly_apart:
        overlapping.insert(0, f"{WORDS['elderly']}{counts['elderly']}名")
    head = ""
    if total:
        head = f"{subject}共有党员{total}名"
        if probationary:
            head += f"（含预备党员{probationary}名）"
        if parts and main_sum <= total:
            head += f"，其中{'、'.join(parts)}"
        elif parts:  # the breakdown exceeds the total: say the categories overlap instead of "其中"
            head += f"；按类别统计（有交叉）有{'、'.join(parts)}"
    elif parts:
        head = f"{subject}有{'、'.join(parts)}"
        if probationary:
            head += f"（含预备党员{probationary}名）"
    elif probationary:
        head = f"{subject}有预备党员{probationary}名"
    sentences = []
    if head:
        sentence = head
        if extra and total and parts and main_sum <= total:
            extra_sum = (counts.get("mobile") or 0) + (lost or 0)
            if main_sum + extra_sum <= total:  # 流动/失联 are the members the status categories leave out
                sentence += f"、{'、'.join(extra)}"
                covered = main_sum + extra_sum
            else:  # they overlap the status categories: inside the total, never on top of it
                sentence += f"；{'、'.join(extra)}均含在上述人数内"
                covered = main_sum
            if covered < total:
                sentence += f"；其余{total - covered}名为其他党员"
        elif extra and total:
            sentence += f"；{'、'.join(extra)}均含在上述人数内"
        elif extra:
            sentence += f"；{'、'.join(extra)}"
        elif total and parts and main_sum < total:
            sentence += f"；其余{total - main_sum}名为其他党员"
        sentences.append(sentence + "。")
    elif extra:
        sentences.append(f"{subject}有{'、'.join(extra)}。")
    if overlapping:
        sentences.append(f"在上述党员中，有{'、'.join(overlapping)}。")
    return "".join(sentences)


def breakdown_problem(profile: Any) -> str:
    """A warning when the status categories add up to more than the total ("" when they fit)."""
    counts = dict(getattr(profile, "counts", {}) or {})
    total = getattr(profile, "member_total", None) or None
    main_sum = sum(counts.get(k, 0) for k in MAIN)
    if total and main_sum > total:
        listed = "、".join(f"{WORDS[k]}{counts[k]}名" for k in MAIN if counts.get(k))
        return f"{listed}合计{main_sum}名，多于党员总数{total}名：请核对各类党员人数"
    return ""


def roster_problem(name: str, roster: list[Any], count: int | None) -> str:
    """A warning when a roster is shorter (or longer) than the member count ("" when they agree or one is missing)."""
    if not roster or not count or len(roster) == count:
        return ""
    if len(roster) < count:
        return (f"{name}的党员名单只有{len(roster)}人，少于党员人数{count}人："
                f"签到表等表格在名单后留出{count - len(roster)}个空行，请补全名单")
    return f"{name}的党员名单有{len(roster)}人，多于党员人数{count}人：请核对"


def branches_problem(profile: Any) -> str:
    """A warning when the branches' members do not add up to the 党员总数 ("" when they agree or one is missing)."""
    org = getattr(profile, "org", None)
    total = getattr(profile, "member_total", None)
    branch_total = org.branch_total if org is not None else None
    if total and branch_total is not None and branch_total != total:
        return f"各党支部党员人数合计{branch_total}名，与党员总数{total}名不一致：请核对"
    return ""
