"""Read rosters and problem lists from CSV or Excel (.xlsx) files.

A roster has one organization per row and a header row naming the columns;
Chinese headers are accepted (the organization-profile keys; see ``docs/batch.md``).
A problem list has one problem of the 整改台账 per row (see :data:`PROBLEM_COLUMNS`).

CSV files may be UTF-8 (with or without BOM) or GB18030/GBK, separated by
commas, tabs or semicolons.  Excel files are read with openpyxl (first sheet,
or the sheet named by ``sheet=``).  Blank rows are skipped; every row keeps the
line number it had in the file, so messages can point at it.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NoReturn

from ..kb.errors import InputError
from .profile import PROFILE_KEYS, known_profile_keys

#: Roster columns (profile field → headers accepted) are the organization-profile keys:
#: see :data:`dangjian.generators.profile.PROFILE_KEYS`.  Member counts go in columns named
#: by member category (在职, 离退休, 流动, 预备党员 …).  Names in 委员/党员名单 cells are
#: separated by 、，,；; or spaces.

#: Problem-list columns for the 整改台账: canonical key → headers accepted.
PROBLEM_COLUMNS: dict[str, tuple[str, ...]] = {
    "problem": ("problem", "问题", "存在问题", "问题描述", "主要问题"),
    "source": ("source", "来源", "问题来源"),
    "measure": ("measure", "措施", "整改措施"),
    "leader": ("leader", "责任领导", "分管领导"),
    "owner": ("owner", "责任人", "责任部门", "责任单位"),
    "deadline": ("deadline", "时限", "完成时限", "整改时限"),
    "progress": ("progress", "进展", "完成情况", "进展/完成情况", "进展情况"),
    "rating": ("rating", "群众评价"),
    "closed": ("closed", "销号日期", "销号"),
    "note": ("note", "备注"),
    "hot": ("hot", "突出问题", "重点问题"),  #: 是: one of the 一两个 problems solved during the campaign
}

_NAME_SPLIT = re.compile(r"[、，,；;\s]+")
_FOLD_SPACE = re.compile(r"[\s\u3000]+")


@dataclass
class Row:
    """One data row: the line (CSV) or row number (Excel) it came from, and its non-empty cells.

    A roster row's ``values`` are keyed by the header as written (中文 or English);
    a problem-list row's by the canonical keys of :data:`PROBLEM_COLUMNS`.
    """

    line: int
    values: dict[str, object] = field(default_factory=dict)

    def get(self, key: str, default: object = None) -> object:
        return self.values.get(key, default)


@dataclass
class Roster:
    """The organizations of a roster file and the headers no profile field uses."""

    rows: list[Row]
    unknown_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  #: things the user should know (a title row skipped …)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)


def read_roster(path: str | Path, *, sheet: str | None = None) -> Roster:
    """Return the organizations of a roster file (one :class:`Row` per non-blank row) as a :class:`Roster`.

    Headers are the organization-profile keys, Chinese or English (单位名称,
    领域, 上级党委, 书记, 委员, 党员名单, 在职, 流动 …; see docs/batch.md).
    Raises InputError when the file cannot be read or has no 单位名称 column.
    Rows are not validated here: :func:`dangjian.generators.batch.generate_batch`
    reports a bad row and goes on with the others.
    """
    known = {_fold(k) for k in known_profile_keys()}  # the one list of keys a profile (a roster row) may use
    names = {_fold(n) for n in PROFILE_KEYS["name"]}
    path = Path(path)
    lines, label, hint = _read_lines(path, sheet)
    header_line, header = _first_nonblank(lines, label, hint)
    texts = [_cell_text(c) for c in header]
    notes: list[str] = []
    if not any(_fold(t) in names for t in texts):
        below = _header_below(lines, names)
        if below is None:
            _missing_column(label, header_line, texts, lines, "name", hint)
        skipped = header_line
        header_line, texts = below
        while lines and lines[0][0] <= header_line:
            lines.pop(0)
        notes.append(f"第 {skipped} 行像是标题（如合并单元格的表名），表头取第 {header_line} 行")
    sectors = {_fold(n) for n in PROFILE_KEYS["sector"]}
    if not any(_fold(t) in sectors for t in texts):
        _missing_column(label, header_line, texts, lines, "sector", hint)
    unknown = [t for t in texts if t and _fold(t) not in known]
    rows: list[Row] = []
    for number, cells in lines:
        if _blank(cells):
            continue
        row = Row(line=number)
        for index, cell in enumerate(cells):
            text = _cell_text(cell)
            if text and index < len(texts) and texts[index] and texts[index] not in unknown:
                row.values.setdefault(texts[index], text)
        rows.append(row)
    return Roster(rows=rows, unknown_columns=unknown, notes=notes)


#: What the required roster columns are called in messages, and the other names they go by.
_REQUIRED = {"name": ("单位名称", "名称、党组织名称、单位"), "sector": ("领域", "所属领域、行业、单位类型、类别")}


def _header_below(lines: list[tuple[int, list[object]]], names: set[str]) -> tuple[int, list[str]] | None:
    """Return (line, header texts) of a header within the next rows when the first row is a title, else None."""
    for number, cells in lines[:5]:
        texts = [_cell_text(c) for c in cells]
        if any(_fold(t) in names for t in texts):
            return number, texts
    return None


def _missing_column(label: str, line: int, texts: list[str], lines: list[tuple[int, list[object]]],
                    field_name: str, hint: str) -> NoReturn:
    """Raise one InputError for the whole roster: the column is missing; say what the header has and guess."""
    from ..kb.didyoumean import suggest

    wanted, others = _REQUIRED[field_name]
    present = [t for t in texts if t]
    guess = ""
    known = {_fold(k) for k in known_profile_keys()}
    candidates = [(i, t) for i, t in enumerate(texts) if t and _fold(t) not in known]
    for index, text in candidates:  # a column whose cells look like the wanted values
        cells = [_cell_text(c[index]) for _, c in lines[:20] if index < len(c) and _cell_text(c[index])]
        if cells and sum(_looks_like(field_name, c) for c in cells) * 2 > len(cells):
            guess = text
            break
    if not guess:
        guess = suggest(wanted, [t for _, t in candidates]) or ""
    question = f"“{guess}”是不是{wanted}？" if guess else f"请加一列“{wanted}”（也可写作 {others}）"
    listing = "、".join(present) or "（空）"
    raise InputError(f"{label}：名册没有“{wanted}”列（第 {line} 行表头有：{listing}）；{question}{hint}")


def _looks_like(field_name: str, text: str) -> bool:
    if field_name == "name":
        return text.endswith(("党委", "党支部", "支部", "党总支", "党工委", "党组"))
    from ..kb import taxonomy
    from ..kb.errors import UnknownNameError

    try:
        taxonomy.resolve("sector", text)
    except UnknownNameError:
        return False
    return True


def read_problems(path: str | Path, *, sheet: str | None = None) -> list[Row]:
    """Return the problems of a 整改台账 problem list, one :class:`Row` per non-blank row.

    Raises InputError when the file cannot be read or has no 问题 column.
    """
    return read_table(path, PROBLEM_COLUMNS, sheet=sheet, required="problem")


def read_table(
    path: str | Path,
    columns: dict[str, tuple[str, ...]],
    *,
    sheet: str | None = None,
    required: str,
) -> list[Row]:
    """Return the rows of a CSV/XLSX table whose headers are mapped through ``columns``.

    Raises InputError if the file is missing, unreadable, empty, or lacks the
    ``required`` column.
    """
    path = Path(path)
    lines, label, hint = _read_lines(path, sheet)
    header_line, header = _first_nonblank(lines, label, hint)
    keys = _map_header(header, columns)
    if required not in keys.values():
        accepted = "、".join(columns[required][1:4])
        raise InputError(f"{label}：第 {header_line} 行表头中没有“{columns[required][1]}”列（可用列名：{accepted}）{hint}")
    rows: list[Row] = []
    for number, cells in lines:
        if _blank(cells):
            continue
        row = Row(line=number)
        for index, cell in enumerate(cells):
            text = _cell_text(cell)
            if not text:
                continue
            key = keys.get(index)
            if key is not None:
                row.values[key] = text
        rows.append(row)
    return rows


def _read_lines(path: Path, sheet: str | None) -> tuple[list[tuple[int, list[object]]], str, str]:
    """Return (numbered rows, how messages name the source, a hint to add to messages)."""
    if not path.is_file():
        raise InputError(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_lines(path, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv_lines(path), path.name, ""
    if suffix == ".xls":
        raise InputError(f"{path.name}：不支持旧版 .xls 文件，请在 Excel 或 WPS 中另存为 .xlsx 或 .csv")
    raise InputError(f"{path.name}：只能读取 .csv 或 .xlsx 文件")


def split_names(text: str) -> list[str]:
    """Return the names in ``text`` separated by 、，,；; or spaces."""
    return [name for name in _NAME_SPLIT.split(text.strip()) if name]


def _fold(header: str) -> str:
    return _FOLD_SPACE.sub("", header).casefold().rstrip("：:")


def _map_header(header: list[object], columns: dict[str, tuple[str, ...]]) -> dict[int, str]:
    accepted = {_fold(name): key for key, names in columns.items() for name in names}
    mapping: dict[int, str] = {}
    seen: set[str] = set()
    for index, cell in enumerate(header):
        key = accepted.get(_fold(_cell_text(cell)))
        if key and key not in seen:
            mapping[index] = key
            seen.add(key)
    return mapping


def _first_nonblank(lines: list[tuple[int, list[object]]], label: str, hint: str) -> tuple[int, list[object]]:
    while lines:
        number, cells = lines.pop(0)
        if not _blank(cells):
            return number, cells
    raise InputError(f"{label}：是空的，没有表头{hint}")


def _blank(cells: Iterable[object]) -> bool:
    return not any(_cell_text(c) for c in cells)


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, _dt.datetime):
        if cell.time() == _dt.time():
            return cell.date().isoformat()
        return cell.isoformat(sep=" ")
    if isinstance(cell, _dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip().strip("\ufeff").strip()


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path.name}：无法识别文件编码（请存为 UTF-8 或 GB18030 编码的 CSV）")


def _csv_lines(path: Path) -> list[tuple[int, list[object]]]:
    from ..kb.errors import ImportFailed
    from ..kb.limits import read_regular_file

    try:
        data = read_regular_file(path)  # a regular file of at most 20 MB (docs/limits.md)
    except ImportFailed as error:
        raise InputError(str(error)) from None
    if b"\x00" in data[:4096]:
        raise InputError(f"{path.name}：不是文本 CSV 文件（可能是 UTF-16 或二进制文件，请另存为 UTF-8 CSV）")
    text = _decode(data, path)
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[object]]] = []
    try:
        for cells in reader:
            out.append((reader.line_num, list(cells)))
            if len(out) > MAX_ROWS:
                raise InputError(f"{path.name}：超过 {MAX_ROWS:,} 行（上限），请拆分成几个文件")
    except csv.Error as error:
        raise InputError(f"{path.name}：第 {reader.line_num} 行无法解析（{error}）") from None
    return out


#: Most rows read from one roster or problem table (a bound on work; a real roster has hundreds).
MAX_ROWS = 100_000


def _xlsx_lines(path: Path, sheet: str | None) -> tuple[list[tuple[int, list[object]]], str, str]:
    import zipfile
    import zlib

    import openpyxl

    # What a damaged or hostile workbook makes openpyxl raise: a truncated or malformed sheet
    # (ParseError, a SyntaxError), a DTD it refuses, a broken zip, missing parts.
    broken = (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, SyntaxError, TypeError,
              AttributeError, IndexError, EOFError, zlib.error, NotImplementedError)
    corrupt = f"{path.name}：Excel 文件已损坏或格式不对，无法读取（请在 Excel 或 WPS 中打开后另存为 .xlsx，或另存为 .csv）"
    # Our own handle, closed here: openpyxl leaves its file open when a damaged workbook fails to load.
    with open(path, "rb") as handle:
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except broken:
            raise InputError(corrupt) from None
        except Exception as error:  # defusedxml's DTD and entity refusals, and the like
            if type(error).__module__.startswith(("defusedxml", "openpyxl", "xml")):
                raise InputError(corrupt) from None
            raise
        return _sheet_lines(book, path, sheet, broken, corrupt)


def _sheet_lines(book, path: Path, sheet: str | None, broken: tuple, corrupt: str):
    try:
        if sheet is not None:
            if sheet not in book.sheetnames:
                raise InputError(f"{path.name}：没有名为“{sheet}”的工作表（有：{'、'.join(book.sheetnames)}）")
            ws = book[sheet]
        else:
            ws = book.worksheets[0]
        # The <dimension> a sheet declares is often wrong in files other programs wrote
        # (A1:A1 over hundreds of rows): read every row there is, not the declared range.
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        lines = []
        try:
            for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    raise InputError(f"{path.name}：超过 {MAX_ROWS:,} 行（上限），请拆分成几个文件")
                lines.append((number, list(cells)))
        except broken:
            raise InputError(corrupt) from None
        others = [name for name in book.sheetnames if name != ws.title]
        hint = f"；可用 --sheet 指定其他工作表（{'、'.join(others)}）" if sheet is None and others else ""
        return lines, f"{path.name} 工作表“{ws.title}”", hint
    finally:
        try:
            book.close()
        except Exception:  # closing a damaged archive
            pass
