"""Markdown with YAML front matter → :class:`~dangjian.generators.docmodel.DocModel`.

The conventions (front matter keys, heading levels, ``{.class}`` roles,
attachments, tables with ``^``/``<`` merges) are described in docs/render.md.
python-markdown with the ``tables`` and ``attr_list`` extensions parses the
text; this module walks the element tree it builds.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any


from ..kb.errors import InputError, TemplateError
from ..kb.yamlfile import load_mapping
from .docmodel import (
    Attachment,
    Attendees,
    Block,
    Cell,
    DocModel,
    Heading,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Table,
    plain,
)
from .standard import parse_standard
from .text import format_date

#: Front matter key (Chinese or English) → DocModel field.
FRONT_MATTER_KEYS: dict[str, str] = {
    "标题": "title", "title": "title",
    "发文机关": "issuer", "issuer": "issuer",
    "文号": "number", "发文字号": "number", "number": "number",
    "签发人": "signer", "signer": "signer",
    "主送": "to", "主送机关": "to", "to": "to",
    "署名": "signature", "signature": "signature",
    "日期": "date", "成文日期": "date", "date": "date",
    "附件": "attachments", "attachments": "attachments",
    "抄送": "cc", "cc": "cc",
    "抄报": "cc_up", "cc_up": "cc_up",
    "印发": "printed_by", "印发机关": "printed_by", "printed_by": "printed_by",
    "印发日期": "printed_date", "printed_date": "printed_date",
    "报": "报", "送": "送", "发": "发",
    "红头": "red_header", "red_header": "red_header",
    "编发单位": "compiled_by", "compiled_by": "compiled_by",
    "编发日期": "compiled_date", "compiled_date": "compiled_date",
    "盖章": "seal", "seal": "seal",
    "附注": "note", "note": "note",
    "类型": "kind", "kind": "kind",
    "格式标准": "standard", "standard": "standard",
    "主题词": "subject_terms", "subject_terms": "subject_terms",
    "横向": "landscape", "landscape": "landscape",
    "列宽": "column_widths", "column_widths": "column_widths",
    "表头行数": "header_rows", "header_rows": "header_rows",
    "行高": "row_heights", "row_heights": "row_heights",
    "出席": "出席", "attendees": "出席",
    "请假": "请假", "absent": "请假",
    "列席": "列席", "observers": "列席",
}
_BOOL_FIELDS = {"red_header", "seal", "landscape"}
_ATTENDEE_LABELS = ("出席", "请假", "列席")
_DISTRIBUTION_LABELS = ("报", "送", "发")
_TRUE = {"true", "yes", "1", "是", "要", "有", "y", "on"}
_FALSE = {"false", "no", "0", "否", "不", "无", "n", "off", ""}

_CN_DIGITS = "零一二三四五六七八九"
_TYPED_NUMBER = {
    1: re.compile(r"^[一二三四五六七八九十百]+、"),
    2: re.compile(r"^[（(][一二三四五六七八九十百]+[）)]"),
    3: re.compile(r"^\d+[.．、]"),
    4: re.compile(r"^[（(]\d+[）)]"),
}
_ATTACHMENT_HEADING = re.compile(r"^附件\s*(\d*)\s*[：:、.．]?\s*(.*)$")
_STASH = re.compile("\x02wzxhzdk:\\d+\x03")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def chinese_number(n: int) -> str:
    """Return ``n`` (1–99) in Chinese numerals: 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """Return the printed number of the ``n``-th heading of ``level``: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def split_front_matter(source: str, filename: str = "<string>") -> tuple[dict[str, Any], str, int]:
    """Return (front matter dict, Markdown body, number of lines the front matter took)."""
    m = _FRONT_MATTER.match(source)
    if not m:
        return {}, source.lstrip("\ufeff"), 0
    data = load_mapping(m.group(1), f"{filename} 的文件头（front matter）", error=TemplateError, first_line=2)
    return data, source[m.end():], m.group(0).count("\n")


def apply_fields(doc: DocModel, data: dict[str, Any], filename: str = "<string>") -> None:
    """Set the model fields named by the front-matter style ``data`` (Chinese or English keys)."""
    attendees: dict[str, str] = {}
    for key, value in data.items():
        name = FRONT_MATTER_KEYS.get(str(key).strip())
        if name is None:
            doc.meta[str(key)] = value
            continue
        if name in ("column_widths", "header_rows", "row_heights"):
            doc.meta[f"_{name}"] = value
        elif name in _ATTENDEE_LABELS:
            attendees[name] = _join(value)
        elif name in _DISTRIBUTION_LABELS:
            if value not in (None, ""):
                doc.distribution.append((name, _join(value)))
        elif name in _BOOL_FIELDS:
            setattr(doc, name, _boolean(value, key, filename))
        elif name == "attachments":
            doc.attachments = [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value else [])
        elif name == "printed_date":
            setattr(doc, name, format_date(value) if value not in (None, "") else "")
        elif name == "standard":
            try:
                doc.standard = parse_standard(value)
            except InputError as error:
                raise TemplateError(f"{filename}：{error}") from None
        elif name == "subject_terms":
            terms = value if isinstance(value, list) else str(value or "").replace("、", " ").split()
            doc.subject_terms = " ".join(str(term).strip() for term in terms if str(term).strip())
        elif name in ("date", "compiled_date"):
            # a blank form line such as "　　年　月　日" is kept for filling in by hand (成文日期 not yet known)
            if value in (None, ""):
                setattr(doc, name, "")
            elif isinstance(value, str) and not re.search(r"\d", value):
                setattr(doc, name, value)
            else:
                setattr(doc, name, format_date(value))
        else:
            setattr(doc, name, "" if value is None else _join(value))
    doc.distribution.sort(key=lambda line: _DISTRIBUTION_LABELS.index(line[0]))
    if attendees:
        lines = [(label, attendees[label]) for label in _ATTENDEE_LABELS if label in attendees]
        doc.meta["_attendees"] = lines


def _per_table(value: Any, count: int, nested: bool) -> list[Any]:
    """Spread a front matter table option over ``count`` tables: one value for all, or a list, one per table."""
    if value is None:
        return [None] * count
    if isinstance(value, list) and (not nested or (value and all(v is None or isinstance(v, list) for v in value))):
        return (list(value) + [None] * count)[:count]
    return [value] * count


def _apply_table_options(doc: DocModel, filename: str) -> None:
    """Apply front matter 列宽 (column widths), 表头行数 (header rows) and 行高 (row heights) to the tables in order."""
    widths = doc.meta.pop("_column_widths", None)
    headers = doc.meta.pop("_header_rows", None)
    heights = doc.meta.pop("_row_heights", None)
    if widths is None and headers is None and heights is None:
        return
    tables = [b for b in doc.body if isinstance(b, Table)]
    for page in doc.attachment_pages:
        tables.extend(b for b in page.body if isinstance(b, Table))
    for table, height in zip(tables, _per_table(heights, len(tables), True)):
        if height is not None:
            try:
                table.heights = [float(h) for h in (height if isinstance(height, list) else [height])]
            except (TypeError, ValueError):
                raise TemplateError(f"{filename}：文件头“行高”应为毫米数或毫米数列表，如 [10, 20, 20]") from None
    for i, (table, width, header) in enumerate(
            zip(tables, _per_table(widths, len(tables), True), _per_table(headers, len(tables), False)), 1):
        if width is not None:
            try:
                numbers = [float(w) for w in width]
            except (TypeError, ValueError):
                raise TemplateError(f"{filename}：文件头“列宽”应为数字列表，如 [1, 4, 2]") from None
            if len(numbers) != table.columns:
                raise TemplateError(f"{filename}：第{i}个表格有{table.columns}列，而“列宽”给了{len(numbers)}个数")
            table.widths = numbers
        if header is not None:
            try:
                table.header_rows = max(0, min(int(header), len(table.rows)))
            except (TypeError, ValueError):
                raise TemplateError(f"{filename}：文件头“表头行数”应为整数") from None


def _join(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def _boolean(value: Any, key: str, filename: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise TemplateError(f"{filename}：文件头“{key}”应为 是/否（true/false），而不是“{value}”")


class _Capture:
    """A python-markdown tree processor that keeps the finished element tree."""

    def __init__(self) -> None:
        self.root: ET.Element | None = None


def _markdown_tree(body: str) -> tuple[ET.Element, Any]:
    import markdown
    from markdown.treeprocessors import Treeprocessor

    capture = _Capture()

    class Keep(Treeprocessor):
        def run(self, root):  # noqa: D401 - python-markdown hook
            capture.root = root
            return None

    md = markdown.Markdown(extensions=["tables", "attr_list"])
    md.treeprocessors.register(Keep(md), "dangjian_keep", 0)
    md.convert(body)
    # python-markdown skips its tree processors for blank input.
    return (capture.root if capture.root is not None else ET.Element("div")), md


def parse_markdown(source: str, *, variables: dict | None = None, filename: str = "<string>") -> DocModel:
    """Return the document model of Markdown ``source`` (front matter, then body; see docs/render.md).

    ``variables`` are applied after the front matter and override it.  Raises
    TemplateError (naming ``filename``) for invalid front matter or structure.
    """
    data, body, _ = split_front_matter(source, filename)
    from ..kb.limits import markdown_problem

    problem = markdown_problem(body)
    if problem:
        raise TemplateError(f"{filename}：{problem}")
    doc = DocModel()
    apply_fields(doc, data, filename)
    if variables:
        apply_fields(doc, variables, filename)
    root, md = _markdown_tree(body)
    _Walker(doc, md, filename).walk(root)
    attendees = doc.meta.pop("_attendees", None)
    if attendees:
        block = next((b for b in reversed(doc.body) if isinstance(b, Attendees)), None)
        if block is None:
            doc.body.append(Attendees(attendees))
        else:
            order = {label: i for i, label in enumerate(_ATTENDEE_LABELS)}
            block.lines = sorted(attendees + block.lines, key=lambda line: order.get(line[0], len(order)))
    _apply_table_options(doc, filename)
    if not doc.title and not doc.body and not doc.attachment_pages:
        raise TemplateError(f"{filename}：没有任何内容（至少要有一个 # 标题或一段正文）")
    if not doc.attachments and doc.attachment_pages:
        doc.attachments = [page.title for page in doc.attachment_pages]
    if not doc.kind and doc.title.endswith("纪要"):
        doc.kind = "纪要"
    return doc


class _Walker:
    def __init__(self, doc: DocModel, md: Any, filename: str) -> None:
        self.doc = doc
        self.md = md
        self.filename = filename
        self.blocks: list[Block] = doc.body
        self.counters = [0, 0, 0, 0, 0]
        self.seen_title = False  # the first # heading is the title, even when front matter has one

    # -- blocks ---------------------------------------------------------
    def walk(self, root: ET.Element) -> None:
        for element in root:
            self.block(element)

    def block(self, el: ET.Element) -> None:
        tag = el.tag
        classes = set((el.get("class") or "").split())
        if tag == "h1":
            self.h1(el, classes)
        elif tag in ("h2", "h3", "h4", "h5", "h6"):
            self.heading(min(int(tag[1]) - 1, 4), self.inline(el))
        elif tag == "p":
            self.paragraph(el, classes)
        elif tag in ("ul", "ol"):
            items = [self.inline(li) for li in el if li.tag == "li"]
            start = int(el.get("start") or 1)
            self.blocks.append(ListBlock(items=items, ordered=tag == "ol", start=start))
        elif tag == "table":
            self.blocks.append(self.table(el))
        elif tag == "hr":
            self.blocks.append(PageBreak())
        elif tag == "pre":
            for line in "".join(el.itertext()).strip("\n").split("\n"):
                self.blocks.append(Paragraph([Run(line)], role="noindent"))
        elif tag in ("blockquote", "div"):
            for child in el:
                self.block(child)
        else:
            runs = self.inline(el)
            if plain(runs).strip():
                self.blocks.append(Paragraph(runs))

    def h1(self, el: ET.Element, classes: set[str]) -> None:
        text = plain(self.inline(el)).strip()
        if not self.seen_title:
            self.doc.title = text
            self.seen_title = True
            return
        m = _ATTACHMENT_HEADING.match(text)
        if not m:
            raise TemplateError(
                f"{self.filename}：只能有一个一级标题（# {self.doc.title}）；“# {text}”之后的部分"
                "若是附件，请写成“# 附件1 标题”"
            )
        page = Attachment(number=m.group(1), title=m.group(2).strip(), landscape="landscape" in classes)
        self.doc.attachment_pages.append(page)
        self.blocks = page.body
        self.counters = [0, 0, 0, 0, 0]

    def heading(self, level: int, runs: Inline) -> None:
        text = plain(runs).strip()
        self.counters[level] += 1
        for lower in range(level + 1, 5):
            self.counters[lower] = 0
        if _TYPED_NUMBER[level].match(text):
            self.blocks.append(Heading(level=level, runs=_strip_runs(runs)))
        else:
            self.blocks.append(Heading(level=level, runs=_strip_runs(runs), number=heading_number(level, self.counters[level])))

    def paragraph(self, el: ET.Element, classes: set[str]) -> None:
        runs = self.inline(el)
        text = plain(runs).strip()
        if "pagebreak" in classes:
            self.blocks.append(PageBreak())
            return
        if "attendees" in classes:
            for line in text.split("\n"):
                label, sep, names = line.replace(":", "：").partition("：")
                if not sep:
                    raise TemplateError(f"{self.filename}：与会人员行“{line}”应写成“出席：张三、李四”")
                entry = (label.strip(), names.strip())
                if self.blocks and isinstance(self.blocks[-1], Attendees):
                    self.blocks[-1].lines.append(entry)
                else:
                    self.blocks.append(Attendees([entry]))
            return
        if not text:
            return
        role = "body"
        for candidate in ("noindent", "center", "right", "signature", "note", "subtitle", "title"):
            if candidate in classes:
                role = candidate
        self.blocks.append(Paragraph(_strip_runs(runs), role=role))

    def table(self, el: ET.Element) -> Table:
        rows: list[list[tuple[Inline, str]]] = []
        header_rows = 0
        for section in el:
            for tr in section if section.tag in ("thead", "tbody") else [section]:
                if tr.tag != "tr":
                    continue
                cells = []
                for td in tr:
                    style = td.get("style") or td.get("align") or ""
                    align = next((a for a in ("center", "right", "left") if a in style), "")
                    cells.append((_strip_runs(self.inline(td)), align))
                rows.append(cells)
                if section.tag == "thead":
                    header_rows += 1
        columns = max((len(r) for r in rows), default=0)
        return _merge_cells(rows, columns, header_rows, self.filename)

    # -- inline ---------------------------------------------------------
    def inline(self, el: ET.Element, bold: bool = False, italic: bool = False) -> Inline:
        runs: Inline = []
        tag = el.tag
        bold = bold or tag in ("strong", "b")
        italic = italic or tag in ("em", "i")
        if tag == "br":
            runs.append(Run("\n", bold, italic))
        elif tag == "img":
            runs.append(Run(el.get("alt") or "", bold, italic))
        if el.text and tag not in ("ul", "ol"):
            runs.append(Run(self.clean(el.text), bold, italic))
        for child in el:
            if child.tag in ("ul", "ol"):
                for li in child:
                    runs.append(Run("\n"))
                    runs.extend(self.inline(li, bold, italic))
            else:
                runs.extend(self.inline(child, bold, italic))
            if child.tail:
                runs.append(Run(self.clean(child.tail), bold, italic))
        return _merge_runs(runs)

    def clean(self, text: str) -> str:
        # A soft line break inside Chinese text is not a space; a <br> (unstashed after) is a line break.
        text = re.sub(r"[ \t]*\n[ \t]*", "", text)
        return _STASH.sub(lambda m: self._unstash(m.group(0)), text)

    def _unstash(self, placeholder: str) -> str:
        index = int(placeholder[len("\x02wzxhzdk:"):-1])
        raw = self.md.htmlStash.rawHtmlBlocks[index]
        raw = raw if isinstance(raw, str) else ""
        if re.fullmatch(r"\s*<br\s*/?>\s*", raw, re.I):
            return "\n"
        return "" if raw.lstrip().startswith("<") else raw


def _merge_runs(runs: Inline) -> Inline:
    merged: Inline = []
    for run in runs:
        if not run.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return merged


def _strip_runs(runs: Inline) -> Inline:
    runs = [Run(r.text, r.bold, r.italic) for r in runs]
    while runs and not runs[0].text.strip():
        runs.pop(0)
    while runs and not runs[-1].text.strip():
        runs.pop()
    if runs:
        runs[0].text = runs[0].text.lstrip()
        runs[-1].text = runs[-1].text.rstrip()
    return runs


def _merge_cells(rows: list[list[tuple[Inline, str]]], columns: int, header_rows: int, filename: str) -> Table:
    """Build a Table from raw cell texts, where ``^`` merges a cell up and ``<`` merges it left."""
    origin: list[list[Cell | None]] = [[None] * columns for _ in rows]
    kept: list[list[Cell]] = [[] for _ in rows]
    for r, row in enumerate(rows):
        row = row + [([], "")] * (columns - len(row))
        for c, (runs, align) in enumerate(row):
            mark = plain(runs).strip()
            # A body cell never merges into the header row above it.
            if mark == "^" and r > 0 and r != header_rows and origin[r - 1][c] is not None:
                above = origin[r - 1][c]
                assert above is not None
                _, top_c = _position(origin, above)
                if top_c == c:
                    above.rowspan += 1
                origin[r][c] = above
                continue
            if mark == "<" and c > 0 and origin[r][c - 1] is not None:
                left = origin[r][c - 1]
                assert left is not None
                top_r, _ = _position(origin, left)
                if top_r == r:
                    left.colspan += 1
                origin[r][c] = left
                continue
            if mark in ("^", "<"):
                raise TemplateError(f"{filename}：表格第{r + 1}行第{c + 1}列的“{mark}”没有可合并的单元格")
            cell = Cell(runs=runs, align=align)
            origin[r][c] = cell
            kept[r].append(cell)
    return Table(rows=kept, columns=columns, header_rows=header_rows)


def _position(origin: list[list[Cell | None]], cell: Cell) -> tuple[int, int]:
    for r, row in enumerate(origin):
        for c, other in enumerate(row):
            if other is cell:
                return r, c
    raise AssertionError("cell not in table")

