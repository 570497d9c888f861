"""Generate documents for an organization: the API behind ``kb generate`` and ``kb types``.

>>> from dangjian.generators import generate, document_types
>>> [t.name for t in document_types()][:3]
['学习要求', '实施方案', '学习安排表']
>>> result = generate("实施方案", {"名称": "某某社区党委", "领域": "社区"}, output="方案.docx")
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..kb.errors import InputError
from .campaign import Campaign, load_campaign
from .profile import Profile
from .profile import load_profile as _load_profile
from .registry import DocumentType, Request, get_type
from .registry import document_types as _document_types

#: Options every document type accepts (besides its own).
COMMON_OPTIONS = {"campaign": "活动资料包（ID 或 .yaml 路径）",
                  "citations": "编写依据：file 单独成文（默认，-o 方案.docx 另写 方案.依据.docx）、appendix 作为附件、none 不附"}


@dataclass
class Generated:
    """One generated document."""

    type: DocumentType
    markdown: str  #: the Markdown source that was rendered
    data: bytes | str  #: .docx bytes, or HTML / Markdown text
    output: Path | None = None
    warnings: list[str] = field(default_factory=list)  #: things the user should know (defaults used …)
    working_paper: str = ""  #: the 依据 working paper as Markdown (citations="file"), else ""
    working_paper_output: Path | None = None  #: where it was written (beside ``output``: 方案.依据.docx)
    statements: list[Any] = field(default_factory=list)  #: every recorded statement with its kind


def document_types() -> list[DocumentType]:
    """Return every registered document type (built-ins and plug-ins)."""
    return _document_types()


def resolve_type(name: str) -> str:
    """Return the Chinese name of the document type called ``name`` (Chinese name, alias or key)."""
    return get_type(name).name


def load_profile(source: Profile | Mapping[str, Any] | str | os.PathLike[str]) -> Profile:
    """Return a checked organization profile (see :func:`dangjian.generators.profile.load_profile`)."""
    return _load_profile(source)


def org_standard(org: Profile) -> str:
    """The format standard of ``org``'s documents: as set, else the one in force on its 成文日期 or start date."""
    from .standard import CUTOVER

    if org.standard:
        return org.standard
    day = org.date or org.start
    return "" if day is None else ("1999" if day < CUTOVER else "2012")


def preload(types: Iterable[str] = ()) -> None:
    """Load the named document types, the default campaign pack and the templates, so that later calls are fast."""
    for name in types:
        get_type(name)
    load_campaign(None)


def generate(
    doc_type: str | DocumentType,
    profile: Profile | Mapping[str, Any] | str | os.PathLike[str],
    *,
    output: str | os.PathLike[str] | None = None,
    fmt: str | None = None,
    campaign: str | os.PathLike[str] | Campaign | None = None,
    citations: bool | str = True,
    overwrite: bool = False,
    **options: Any,
) -> Generated:
    """Write one document of ``doc_type`` for ``profile``; return a :class:`Generated`.

    ``profile`` is a Profile, a mapping (Chinese or English keys) or the path
    of a profile YAML file.  ``fmt`` is docx, html or md (default: the suffix
    of ``output``, else docx); with ``output`` the result is also written
    there (atomically).  ``campaign`` names the pack
    (default: the profile's, else xjx2005).  ``citations`` places the 编写依据:
    ``"file"`` (or True, the default) writes it as a working paper of its own
    beside ``output`` (方案.docx → 方案.依据.docx), ``"appendix"`` attaches it to
    the document, ``"none"`` (or False) leaves it out.  An existing ``output`` (or its
    working paper) is an InputError unless ``overwrite=True`` (as ``kb generate``
    refuses without ``--force``).  Other keyword ``options`` are those the type declares
    (``kb types`` lists them); options only other types know are ignored, so
    one set of options can serve a batch.  Raises InputError,
    UnknownNameError or CampaignError for bad input, before writing anything.
    """
    from .render import render_markdown, resolve_format
    from .types._common import citation_mode

    fmt = resolve_format(fmt, output)
    citations = citation_mode(citations)
    if output is not None and not overwrite and Path(output).exists():
        raise InputError(f"输出文件已存在：{output}（要覆盖请传 overwrite=True）")
    if (output is not None and not overwrite and citations == "file" and _key(doc_type) in CITING_TYPES
            and working_paper_path(output).exists()):
        raise InputError(f"输出文件已存在：{working_paper_path(output)}（要覆盖请传 overwrite=True）")
    kind = doc_type if isinstance(doc_type, DocumentType) else get_type(doc_type)
    known = set(COMMON_OPTIONS) | {o for t in document_types() for o in t.options}
    unknown = sorted(set(options) - known)
    if unknown:
        raise InputError(f"未知选项：{'、'.join(unknown)}（{kind.name}可用：{'、'.join(kind.options) or '无'}）")
    org = _load_profile(profile)
    pack = campaign if isinstance(campaign, Campaign) else load_campaign(campaign or org.campaign or None)
    request = Request(profile=org, campaign=pack, citations=citations,
                      options={k: v for k, v in options.items() if k in kind.options})
    request.warnings.extend(org.notes)
    markdown = kind.markdown(request)
    variables = {"格式标准": org_standard(org)} if org_standard(org) else None
    request.warnings.extend(_wide_table_warnings(markdown, kind.name))
    data = render_markdown(markdown, fmt=fmt, output=output, variables=variables,
                           filename=f"{kind.name}（{org.name}）")
    paper_path = None
    if request.working_paper and output is not None:
        paper_path = working_paper_path(output)
        render_markdown(request.working_paper, fmt=fmt, output=paper_path, variables=variables,
                        filename=f"{kind.name}编写依据（{org.name}）")
    return Generated(type=kind, markdown=markdown, data=data, output=Path(output) if output else None,
                     warnings=list(request.warnings), working_paper=request.working_paper,
                     working_paper_output=paper_path, statements=list(request.statements))


def _wide_table_warnings(markdown: str, name: str) -> list[str]:
    """A warning for each table whose names, dates or numbers cannot stay whole even on a landscape page."""
    from .docmodel import plain
    from .docx_render import tables_too_wide
    from .markdown_model import parse_markdown
    from .unbreakable import pieces

    out = []
    for table in tables_too_wide(parse_markdown(markdown, filename=name)):
        head = "、".join(plain(cell.runs) for cell in table.rows[0][:4]) if table.rows else ""
        longest = max((p for row in table.rows for cell in row for p in pieces(plain(cell.runs))), key=len, default="")
        out.append(f"{name}的表格（{head}…）共{table.columns}列，横排也放不下其中的姓名、日期和数字"
                   f"（如“{longest}”），打印时会折行：请减少列数或分成两张表")
    return out


#: Types that write a 编写依据 (the others are forms and meeting papers).
CITING_TYPES = ("implementation_plan", "study_requirements", "study_schedule", "rectification_plan", "phase_summary",
                "transition_request")


def _key(doc_type: str | DocumentType) -> str:
    return doc_type.key if isinstance(doc_type, DocumentType) else get_type(doc_type).key


def working_paper_path(output: str | os.PathLike[str]) -> Path:
    """方案.docx → 方案.依据.docx: where the 依据 working paper of ``output`` goes (.方案.docx.part → .方案.依据.docx.part)."""
    path = Path(output)
    part = ".part" if path.name.endswith(".part") else ""
    inner = Path(path.name.removesuffix(part))
    return path.with_name(f"{inner.stem}.依据{inner.suffix}{part}")
