"""转段请示: at the end of a phase the organization asks the higher 党委's 领导小组 to move on (抄送 the 督导组).

A 请示 under GB/T 9704 (版头, 文号, 签发人): each 转段 condition of the pack's
``procedure.transition`` with the facts that prove it (the same facts as the
阶段小结, generators/types/phase_report.py) and its 佐证材料, "妥否，请批示。",
the 阶段小结 as 附件.  After the last phase it asks for the 群众满意度测评 the
higher organization runs.  Dated like the 小结 (3 working days before the phase ends); without the phase's results
(profile ``阶段情况``) it is a draft without 文号.
"""

from __future__ import annotations

from ..registry import DocumentType, Request


def markdown(request: Request) -> str:
    """Return the 转段请示 for the phase given by the ``phase`` option (default the first) as Markdown."""
    from .phase_report import transition_markdown

    return transition_markdown(request)


DOCUMENT_TYPE = DocumentType(
    key="transition_request",
    name="转段申请",
    summary="转段请示：阶段末向上级党委先进性教育活动领导小组请示转段（抄送督导组），逐项列出转段条件和证明情况，"
            "附阶段小结；最后阶段请示组织群众满意度测评。实际情况未给出时为不编文号的草稿。",
    markdown=markdown,
    aliases=("转段请示", "转段报告", "transition"),
    template="forms/transition.md.j2",
    phase="",
    options={"phase": "阶段：学习动员、分析评议、整改提高（默认第一个）", "issued": "成文日期（默认为该阶段结束前3个工作日）"},
    order=216,
)
