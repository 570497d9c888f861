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
COMMON_OPTIONS = {"campaign": "活动资料包（ID 或 .yaml 路径）", "citations": "是否附“编写依据”"}


@dataclass
class Generated:
    """One generated document."""

    type: DocumentType
    markdown: str  #: the Markdown source that was rendered
    data: bytes | str  #: .docx bytes, or HTML / Markdown text
    output: Path | None = None
    warnings: list[str] = field(default_factory=list)  #: things the user should know (defaults used …)


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
    citations: bool = True,
    overwrite: bool = False,
    **options: Any,
) -> Generated:
    """Write one document of ``doc_type`` for ``profile``; return a :class:`Generated`.

    ``profile`` is a Profile, a mapping (Chinese or English keys) or the path
    of a profile YAML file.  ``fmt`` is docx, html or md (default: the suffix
    of ``output``, else docx); with ``output`` the result is also written
    there (atomically).  ``campaign`` names the pack
    (default: the profile's, else xjx2005).  ``citations=False`` leaves out the
    编写依据 appendix.  An existing ``output`` is an InputError unless
    ``overwrite=True`` (as ``kb generate`` refuses without ``--force``).  Other keyword ``options`` are those the type declares
    (``kb types`` lists them); options only other types know are ignored, so
    one set of options can serve a batch.  Raises InputError,
    UnknownNameError or CampaignError for bad input, before writing anything.
    """
    from .render import render_markdown, resolve_format

    fmt = resolve_format(fmt, output)
    if output is not None and not overwrite and Path(output).exists():
        raise InputError(f"输出文件已存在：{output}（要覆盖请传 overwrite=True）")
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
    data = render_markdown(markdown, fmt=fmt, output=output, variables=variables,
                           filename=f"{kind.name}（{org.name}）")
    return Generated(type=kind, markdown=markdown, data=data, output=Path(output) if output else None,
                     warnings=list(request.warnings))
