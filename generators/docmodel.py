"""The document model every renderer reads: a small tree of dataclasses.

A :class:`DocModel` is one official document (公文) or one form: the fields of
its header and end block (发文机关, 文号, 主送, 署名, 日期, 附件, 抄送, 印发…) plus
a body, a list of blocks.  Blocks are :class:`Heading`, :class:`Paragraph`,
:class:`ListBlock`, :class:`Table`, :class:`Attendees` and :class:`PageBreak`;
attachment pages are :class:`Attachment`.  The Markdown reader
(:mod:`dangjian.generators.markdown_model`) builds it; the Word and HTML
renderers write it out.  Text in the model is kept as typed; it is normalized
(full-width punctuation, 〔〕 in document numbers, control characters removed)
on the way out by :mod:`dangjian.generators.text`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Union

#: Paragraph roles a :class:`Paragraph` may carry (``{.role}`` in Markdown).
PARAGRAPH_ROLES = ("body", "noindent", "center", "right", "signature", "note", "subtitle", "title")


@dataclass
class Run:
    """A stretch of text with one look."""

    text: str
    bold: bool = False
    italic: bool = False


Inline = list[Run]


def plain(runs: Inline) -> str:
    """Return the text of ``runs`` without formatting."""
    return "".join(run.text for run in runs)


def runs_of(text: str | Inline) -> Inline:
    """Return ``text`` as a list of runs (a plain string becomes one run)."""
    return [Run(text)] if isinstance(text, str) else list(text)


@dataclass
class Heading:
    """A numbered heading: level 1 一、 (黑体), 2 （一） (楷体), 3 1. and 4 （1） (仿宋)."""

    level: int
    runs: Inline
    number: str = ""  #: the number as printed, e.g. "一、"; empty when the text carries its own


@dataclass
class Paragraph:
    """A paragraph of body text; ``role`` picks indent and alignment (see PARAGRAPH_ROLES)."""

    runs: Inline
    role: str = "body"


@dataclass
class ListBlock:
    """A list; each item is printed as an indented paragraph starting with its marker."""

    items: list[Inline]
    ordered: bool = False
    start: int = 1


@dataclass
class Cell:
    """A table cell.  ``rowspan``/``colspan`` > 1 start a merged area; covered cells are not stored."""

    runs: Inline
    rowspan: int = 1
    colspan: int = 1
    align: str = ""  #: "", "left", "center" or "right"


@dataclass
class Table:
    """A table with ``header_rows`` rows repeated on every page.

    ``rows`` hold the cells that start at each row; a cell covered by a merge
    from above or from the left is omitted, so a row may hold fewer cells than
    ``columns``.  ``widths`` are relative column widths (any unit); empty means
    "proportional to the content".
    """

    rows: list[list[Cell]]
    columns: int
    header_rows: int = 1
    widths: list[float] = field(default_factory=list)
    caption: str = ""
    #: row heights in mm (at least; the last one for all rows after); empty: 8 mm rows for writing in
    heights: list[float] = field(default_factory=list)


@dataclass
class Attendees:
    """The 纪要 attendee block: lines like 出席：张三、李四 (label 黑体, names 仿宋)."""

    lines: list[tuple[str, str]]  #: (label without colon, names)


@dataclass
class PageBreak:
    """Start a new page."""


Block = Union[Heading, Paragraph, ListBlock, Table, Attendees, PageBreak]


@dataclass
class Attachment:
    """An attachment page: 附件N top-left (黑体), its title centred, then its body."""

    number: str  #: "1", "2" … or "" for a single attachment
    title: str
    body: list[Block] = field(default_factory=list)
    landscape: bool = False


@dataclass
class DocModel:
    """One document: header fields, body blocks, end block and attachment pages.

    ``parts`` is used by :func:`combine`: a document with parts is printed as
    each part in turn, each starting on a new page, with one page numbering.
    """

    title: str = ""
    issuer: str = ""  #: 发文机关 (used by the red header)
    number: str = ""  #: 发文字号, e.g. 某党发〔2005〕12号
    signer: str = ""  #: 签发人 of a 上行文 (请示, 报告), printed right of the 发文字号 in the 版头
    to: str = ""  #: 主送机关
    signature: str = ""  #: 署名
    date: str = ""  #: 成文日期, already "2005年7月1日" style after normalization
    seal: bool = False  #: leave room for a seal (署名 centred over the date)
    attachments: list[str] = field(default_factory=list)  #: 附件说明 names
    cc: str = ""  #: 抄送
    cc_up: str = ""  #: 抄报 (higher organs): a line of its own under GB/T 9704-1999, part of 抄送 under 2012
    distribution: list[tuple[str, str]] = field(default_factory=list)  #: 简报 报/送/发 lines: (报, 某某党工委)
    printed_by: str = ""  #: 印发机关
    printed_date: str = ""  #: 印发日期
    red_header: bool | None = None  #: None: a 版头 when the document is issued with a 文号 (see has_red_header)
    compiled_by: str = ""  #: 简报: 编发单位, printed left above the red rule
    compiled_date: str = ""  #: 简报: 编发日期, printed right above the red rule
    note: str = ""  #: 附注
    kind: str = ""  #: document kind, e.g. 通知, 纪要, 实施方案
    standard: str = ""  #: "1999" or "2012" (GB/T 9704); "" chooses by the 成文日期 (see format_standard)
    subject_terms: str = ""  #: 主题词, printed in the 版记 under GB/T 9704-1999
    landscape: bool = False
    body: list[Block] = field(default_factory=list)
    attachment_pages: list[Attachment] = field(default_factory=list)
    parts: list["DocModel"] = field(default_factory=list)
    meta: dict = field(default_factory=dict)  #: front matter keys the model does not use

    @property
    def is_minutes(self) -> bool:
        """True for a 纪要 (meeting minutes)."""
        return self.kind.endswith("纪要") or "纪要" in self.kind

    @property
    def red_mark(self) -> str:
        """The red 发文机关标志: the issuer (else the 署名) plus 文件 (a name ending in 文件 or 简报 as is); a 纪要's title."""
        issuer = self.issuer or self.signature
        if self.is_minutes:
            return self.title or f"{issuer}纪要"
        return issuer if issuer.endswith(("文件", "简报")) else f"{issuer}文件"

    @property
    def has_red_header(self) -> bool:
        """True when the document opens with a 版头: asked for (红头), or issued with a 文号 by a named organ."""
        if self.red_header is not None:
            return self.red_header
        return bool(self.number and (self.issuer or self.signature))

    @property
    def format_standard(self) -> str:
        """The GB/T 9704 edition the document follows: as set, else the one in force on its 成文日期, else 2012."""
        from .standard import standard_for_date

        return self.standard or standard_for_date(self.date) or "2012"

    @property
    def date_text(self) -> str:
        """The 成文日期 as printed: Arabic numerals (2012), or Chinese numerals with 〇 (1999)."""
        from .standard import chinese_date

        return chinese_date(self.date) if self.date and self.format_standard == "1999" else self.date

    @property
    def subject_line(self) -> str:
        """The 主题词 printed in the 版记: under GB/T 9704-1999 only, for documents that carry a 成文日期."""
        from .standard import default_subject_terms

        if self.format_standard != "1999" or not (self.subject_terms or (self.date and self.signature)):
            return ""
        return self.subject_terms or default_subject_terms(self.title, self.kind)

    @property
    def has_compiler_line(self) -> bool:
        """True when the red header has a 简报-style line (编发单位 left, date right) above the rule."""
        return bool(self.compiled_by or self.compiled_date)

    @property
    def has_end_block(self) -> bool:
        """True when the document carries a 版记 (报/送/发, 抄报, 抄送 or 印发 lines)."""
        return bool(self.cc or self.cc_up or self.printed_by or self.distribution or self.subject_line)

    @property
    def copy_lines(self) -> list[tuple[str, str]]:
        """The 版记's 抄报 and 抄送 lines as (label, names): 1999 keeps 抄报 apart; 2012 knows only 抄送."""
        up, cc = self.cc_up.strip().rstrip("。."), self.cc.strip().rstrip("。.")
        if self.format_standard == "1999":
            return [(label, text) for label, text in (("抄报", up), ("抄送", cc)) if text]
        both = "，".join(text for text in (up, cc) if text)
        return [("抄送", both)] if both else []


def combine(docs: list[DocModel]) -> DocModel:
    """Return one document printing ``docs`` in order, each from a new page, pages numbered continuously."""
    if not docs:
        return DocModel()
    parts: list[DocModel] = []
    for doc in docs:
        parts.extend(doc.parts if doc.parts else [doc])
    first = parts[0]
    parts = [copy.deepcopy(p) for p in parts]
    # Parts without a date of their own (forms, agendas) follow the standard of the dated parts.
    dated = next((p.format_standard for p in parts if p.standard or p.date), "")
    for part in parts:
        if not part.standard and not part.date:
            part.standard = dated
    return DocModel(title=first.title, kind=first.kind, standard=dated, parts=parts)
