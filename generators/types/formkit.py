"""Rendering of the meeting-kit and form templates, with table layout hints from the front matter.

A form template may say, in its front matter,

* ``列宽: [[2, 5, 2, 3], [1, 4]]`` — relative column widths of the 1st, 2nd … table;
* ``表头行数: [0, 1]`` — how many rows of each table are a header repeated on
  every page (a Markdown table always has one; 0 makes the first row an
  ordinary row, as in a form whose first row is a field like 会议类型).

``null`` (or a missing entry) leaves a table as the renderer lays it out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from ...kb.errors import TemplateError
from ..docmodel import DocModel, Table

WIDTHS_KEY = "列宽"
HEADER_KEY = "表头行数"


def build_model(template: str, context: dict[str, Any], *, template_dirs: list[Path] | None = None) -> tuple[DocModel, str]:
    """Return (document model, Markdown source) of ``template`` rendered with ``context``.

    Raises TemplateError naming the template for invalid templates or hints.
    """
    from ..markdown_model import parse_markdown
    from ..render import template_source

    source, filename = template_source(template, context, template_dirs=template_dirs)
    doc = parse_markdown(source, filename=filename)
    apply_table_hints(doc, filename)
    return doc, source


def render_form(template: str, context: dict[str, Any], *, fmt: str = "docx", output: str | Path | None = None,
                template_dirs: list[Path] | None = None) -> bytes | str:
    """Render a form template to 'docx' bytes, 'html' or 'md' text; write it to ``output`` if given."""
    from ..render import render_markdown, render_model

    doc, source = build_model(template, context, template_dirs=template_dirs)
    if fmt == "md":
        return render_markdown(source, fmt="md", output=output)
    return render_model(doc, fmt=fmt, output=output)


def tables(doc: DocModel) -> Iterator[Table]:
    """Yield the tables of ``doc`` in printing order (body, then attachment pages, then parts)."""
    for block in doc.body:
        if isinstance(block, Table):
            yield block
    for page in doc.attachment_pages:
        for block in page.body:
            if isinstance(block, Table):
                yield block
    for part in doc.parts:
        yield from tables(part)


def apply_table_hints(doc: DocModel, filename: str = "<string>") -> None:
    """Apply the ``列宽`` and ``表头行数`` front-matter hints kept in ``doc.meta`` to its tables."""
    widths = doc.meta.pop(WIDTHS_KEY, None) or []
    headers = doc.meta.pop(HEADER_KEY, None) or []
    if not isinstance(widths, list) or not isinstance(headers, list):
        raise TemplateError(f"{filename}：{WIDTHS_KEY}、{HEADER_KEY}应为列表，每个表格一项")
    for index, table in enumerate(tables(doc)):
        if index < len(widths) and widths[index]:
            row = widths[index]
            if not isinstance(row, list) or len(row) != table.columns:
                raise TemplateError(f"{filename}：第{index + 1}个表格有{table.columns}列，{WIDTHS_KEY}给了{row}")
            table.widths = [float(w) for w in row]
        if index < len(headers) and headers[index] is not None:
            table.header_rows = int(headers[index])
