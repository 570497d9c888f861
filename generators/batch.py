"""Generate documents for many organizations at once (``kb batch``).

One organization per roster row, one folder per organization under the output
folder, one file per document type.  Work is spread over processes; each
worker loads templates once.  A row that cannot be generated is reported and
skipped; the others go on.  Every file is written under a temporary name
(``.名称.docx.part``) and renamed when complete, so an interrupted run leaves no
half-written document, and a rerun writes only what is missing (existing files
are kept unless ``force``).

>>> from dangjian.generators.batch import generate_batch
>>> report = generate_batch([{"单位名称": "某某社区党委", "领域": "社区"}], ["学习要求"], "out")
>>> print(report.summary())
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from ..kb.errors import DangjianError, InputError
from .profile import PROFILE_KEYS
from .roster import Row

#: Suffix of files being written; such files are removed by the next run.
PART_SUFFIX = ".part"

#: Longest folder or file name stem, in characters (a Chinese character is 3 bytes in UTF-8; ext4 allows 255).
MAX_NAME = 60

# C0, DEL and C1 controls, bidi embeddings/overrides/isolates and marks (U+202E makes a name read backwards).
_UNSAFE = re.compile('[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069/\\\\:*?"<>|]+')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)

Progress = Callable[[int, int, "OrgResult"], None]


@dataclass
class OrgResult:
    """What happened to one roster row."""

    line: int  #: the row's line in the roster (0 when rows came from Python)
    name: str  #: the organization's name as given
    folder: Path  #: where its files are (or would be) written
    written: list[Path] = field(default_factory=list)
    existing: list[Path] = field(default_factory=list)  #: files kept because they already existed
    errors: list[str] = field(default_factory=list)  #: one message per failed document or bad row

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class BatchReport:
    """The outcome of :func:`generate_batch`: one :class:`OrgResult` per row, in roster order."""

    outdir: Path
    types: list[str]
    results: list[OrgResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def written(self) -> int:
        """Number of files written."""
        return sum(len(r.written) for r in self.results)

    @property
    def existing(self) -> int:
        """Number of files kept because they existed already."""
        return sum(len(r.existing) for r in self.results)

    @property
    def failed(self) -> list[OrgResult]:
        """Rows with at least one error."""
        return [r for r in self.results if r.errors]

    @property
    def ok(self) -> bool:
        """True when every row was generated."""
        return not self.failed

    def summary(self) -> str:
        """Return a Chinese summary: counts, then one line per failed row."""
        lines = [
            f"共 {len(self.results)} 个单位，{len(self.types)} 种文件：新生成 {self.written} 个文件，"
            f"已存在未覆盖 {self.existing} 个，出错 {len(self.failed)} 个单位；用时 {self.seconds:.1f} 秒。"
        ]
        if self.existing:
            lines.append("已存在的文件未覆盖（要重新生成请加 --force）。")
        lines.extend(_failure_lines(self.failed))
        lines.append(f"输出目录：{self.outdir}")
        return "\n".join(lines)


def _failure_lines(failed: list[OrgResult]) -> list[str]:
    """One line per failed row and message; a message shared by more than 3 rows is said once with its rows."""
    shared: dict[str, list[OrgResult]] = {}
    for result in failed:
        for message in result.errors:
            shared.setdefault(message, []).append(result)
    lines = []
    said: set[str] = set()
    for result in failed:
        where = f"第 {result.line} 行" if result.line else "第 ? 行"
        for message in result.errors:
            rows = shared[message]
            if len(rows) <= 3:
                lines.append(f"{where}（{result.name or '无名称'}）：{message}")
            elif message not in said:
                said.add(message)
                numbers = "、".join(str(r.line) for r in rows[:5])
                more = "……" if len(rows) > 5 else ""
                lines.append(f"{len(rows)} 行同样出错（第 {numbers} 行{more}）：{message}")
    return lines


def safe_name(name: str, *, fallback: str = "未命名单位") -> str:
    """Return ``name`` made safe as one file or folder name.

    Path separators, characters Windows forbids and control characters become
    ``_``; leading/trailing dots, spaces and ``_`` are dropped (no ``..``, no
    hidden files); reserved device names get a ``_``; the result is at most
    :data:`MAX_NAME` characters and never empty.
    """
    text = unicodedata.normalize("NFC", str(name))
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" ._\u3000")
    text = re.sub(r"_{2,}", "_", text)
    text = text[:MAX_NAME].rstrip(" ._")
    if not text:
        return fallback
    if _RESERVED.match(text):
        text += "_"
    return text


def assign_folders(names: Sequence[str]) -> list[str]:
    """Return one distinct safe folder name per entry of ``names`` (a repeated name gets （2）, （3）…).

    The same list of names always gives the same folders, so a rerun finds its files.
    """
    taken: set[str] = set()
    out: list[str] = []
    for name in names:
        base = safe_name(name)
        candidate, n = base, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{base[: MAX_NAME - 5]}（{n}）"
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def file_name(doc_type: str, fmt: str, meeting: str = "") -> str:
    """Return the file name a document type is written to: 学习要求.docx, or 动员大会-会议通知.docx for a meeting document."""
    from .types.meetings import KIT

    stem = f"{meeting}-{doc_type}" if meeting and doc_type in KIT else doc_type
    return f"{safe_name(stem, fallback='文件')}.{fmt}"


def generate_batch(
    rows: Iterable[Row | Mapping[str, object]],
    types: Sequence[str],
    outdir: str | Path,
    *,
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    fmt: str = "docx",
    options: Mapping[str, object] | None = None,
) -> BatchReport:
    """Generate ``types`` for every organization in ``rows`` under ``outdir``; return a :class:`BatchReport`.

    ``rows`` are :class:`~dangjian.generators.roster.Row` objects (from
    :func:`~dangjian.generators.roster.read_roster`) or mappings with profile
    keys, Chinese or English.  ``workers`` is the number of processes (default:
    the number of cores; 1 runs in this process).  ``progress(done, total,
    result)`` is called after each organization.  ``options`` are passed to
    every document (e.g. ``{"meeting": "专题组织生活会", "date": "2005-09-01"}``).

    Raises InputError/UnknownNameError before writing anything when a type is
    unknown or ``outdir`` is not a folder; errors in single rows are reported
    in the result instead.
    """
    started = time.perf_counter()
    options = dict(options or {})
    types, meeting = _check_request(types, fmt, options)
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise InputError(f"输出位置 {outdir} 已存在且不是文件夹")
    rows = [_as_row(r, i) for i, r in enumerate(rows, start=1)]
    names = [_row_name(r) for r in rows]
    folders = assign_folders(names)
    parents = _parents(rows, names)
    outdir.mkdir(parents=True, exist_ok=True)
    root = outdir.resolve()
    jobs: list[_Job] = []
    for index, (row, name, folder) in enumerate(zip(rows, names, folders)):
        parent = parents.get(index)
        base = root / folders[parent] if parent is not None else root
        target = (base / folder).resolve()
        if target.parent != base.resolve():  # safe_name makes this impossible; refuse rather than trust it
            raise InputError(f"单位名称“{name}”不能用作文件夹名")
        values = dict(row.values)
        if parent is not None:
            values = _inherit(values, rows[parent].values)
        jobs.append(_Job(row.line, name, str(target), values, tuple(types), fmt, force, options, meeting))
    report = BatchReport(outdir=outdir, types=list(types))
    results: list[OrgResult | None] = [None] * len(jobs)
    count = workers if workers is not None else (os.cpu_count() or 1)
    count = max(1, min(count, len(jobs)))

    done = 0

    def record(index: int, result: OrgResult) -> None:
        nonlocal done
        results[index] = result
        done += 1
        if progress is not None:
            progress(done, len(jobs), result)

    if count == 1:
        _init_worker(tuple(types))
        for index, job in enumerate(jobs):
            record(index, _run_job(job))
    else:
        _run_pool(jobs, count, tuple(types), record)
    report.results = [r for r in results if r is not None]
    report.seconds = time.perf_counter() - started
    return report


@dataclass(frozen=True)
class _Job:
    line: int
    name: str
    folder: str
    values: dict
    types: tuple[str, ...]
    fmt: str
    force: bool
    options: dict
    meeting: str = ""


def _run_pool(jobs: list[_Job], count: int, types: tuple[str, ...], record: Callable[[int, OrgResult], None]) -> None:
    # Jobs go in slices of a few rows so that IPC costs little next to the rendering;
    # at most 2 slices per worker are in flight, so an interrupted run stops promptly.
    size = max(1, min(16, len(jobs) // (count * 8) or 1))
    slices = [list(range(i, min(i + size, len(jobs)))) for i in range(0, len(jobs), size)]
    with ProcessPoolExecutor(max_workers=count, initializer=_init_worker, initargs=(types,)) as pool:
        pending: dict[Future, list[int]] = {}
        queue = iter(slices)
        try:
            for indexes in queue:
                pending[pool.submit(_run_slice, [jobs[i] for i in indexes])] = indexes
                if len(pending) >= count * 2:
                    break
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    indexes = pending.pop(future)
                    for index, result in zip(indexes, future.result()):
                        record(index, result)
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending[pool.submit(_run_slice, [jobs[i] for i in nxt])] = nxt
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _init_worker(types: tuple[str, ...]) -> None:
    """Load the document types and their templates once per process."""
    from . import api

    api.preload(types)


def _run_slice(jobs: list[_Job]) -> list[OrgResult]:
    return [_run_job(job) for job in jobs]


def _run_job(job: _Job) -> OrgResult:
    from . import api

    folder = Path(job.folder)
    result = OrgResult(line=job.line, name=job.name, folder=folder)
    try:
        profile = api.load_profile(job.values)
    except DangjianError as error:
        result.errors.append(str(error))
        return result
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        result.errors.append(f"无法建立文件夹 {folder.name}：{error.strerror or error}")
        return result
    for doc_type in job.types:
        target = folder / file_name(doc_type, job.fmt, job.meeting)
        part = target.with_name(f".{target.name}{PART_SUFFIX}")
        _remove_leftovers(folder, target.name)
        _remove_leftovers(folder, api.working_paper_path(target).name)  # the 依据 paper is written as a part too
        if target.exists() and not job.force:
            result.existing.append(target)
            continue
        paper_part = api.working_paper_path(part)
        try:
            generated = api.generate(doc_type, profile, output=part, fmt=job.fmt, overwrite=True, **job.options)
            if generated.working_paper_output:  # the 依据 working paper goes beside its document (first:
                os.replace(generated.working_paper_output, api.working_paper_path(target))  # the document marks done)
            os.replace(part, target)
        except DangjianError as error:
            result.errors.append(f"{doc_type}：{error}")
        except OSError as error:
            result.errors.append(f"{doc_type}：无法写入 {target.name}（{error.strerror or error}）")
        except Exception as error:  # a bug in one document must not stop the other organizations
            result.errors.append(f"{doc_type}：内部错误（请报告）：{type(error).__name__}: {error}")
        else:
            result.written.append(target)
        finally:
            part.unlink(missing_ok=True)
            paper_part.unlink(missing_ok=True)
    return result


def _remove_leftovers(folder: Path, name: str) -> None:
    """Remove temporary files an interrupted run left for ``name``.

    These are ``.name.part`` and the temporary file :func:`write_atomic` makes
    while writing it, ``..name.part.XXXX.tmp`` (two dots: its own and the part's).
    """
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        if entry.startswith(".") and entry.lstrip(".").startswith(name) and (
                entry.endswith(PART_SUFFIX) or entry.endswith(".tmp")):
            try:
                os.unlink(folder / entry)
            except OSError:
                pass


def _check_request(types: Sequence[str], fmt: str, options: dict) -> tuple[list[str], str]:
    """Return the document types to write (a 会议材料 expanded into its documents) and the meeting name.

    Raises before anything is written: unknown type, format or option, a
    meeting document without a meeting, a bad date.
    """
    from . import api
    from .types.meetings import KIT, MEETING_KIT, find_meeting
    from .types.org_facts import date_text

    if fmt not in ("docx", "pdf", "html", "md"):
        raise InputError(f"不支持的格式“{fmt}”（可用：docx、pdf、html、md）")
    names: list[str] = []
    for wanted in _unique(types):
        name = api.resolve_type(wanted)
        for item in (list(KIT) if name == MEETING_KIT.name else [name]):
            if item not in names:
                names.append(item)
    if not names:
        raise InputError("请至少指定一种文件类型（--types 学习要求,实施方案）")
    known = set(api.COMMON_OPTIONS) | {o for t in api.document_types() for o in t.options}
    unknown = sorted(set(options) - known)
    if unknown:
        raise InputError(f"未知选项：{'、'.join(unknown)}")
    for key in ("date", "issued"):
        if options.get(key):
            date_text(options[key])
    meeting = ""
    if any(n in KIT for n in names):
        from .campaign import load_campaign

        meeting = find_meeting(load_campaign(options.get("campaign")), options.get("meeting")).name
        options["meeting"] = meeting
    return names, meeting


def _as_row(row: Row | Mapping[str, object], index: int) -> Row:
    if isinstance(row, Row):
        return row
    if isinstance(row, Mapping):
        return Row(line=index, values=dict(row))
    raise InputError(f"第 {index} 行不是一个单位的资料（应为字典或 Row）")


def _row_name(row: Row) -> str:
    names = {n.casefold() for n in PROFILE_KEYS["name"]}
    for key, value in row.values.items():
        if str(key).strip().casefold() in names and value:
            return str(value).strip()
    return ""


def _parents(rows: list[Row], names: list[str]) -> dict[int, int]:
    """Row index → the row index of its 上级党组织, for rows whose parent is itself a row of the roster.

    A branch's parent may be written by its name or its short name (某某镇党委 for 中共某某县某某镇委员会).
    """
    from .organization import level_of, names_of

    keys = {n.casefold() for n in PROFILE_KEYS["parent"]}
    known: dict[str, int] = {}
    for index, name in enumerate(names):
        if name:
            known.setdefault(name, index)
            known.setdefault(names_of(name, level_of(name))[1], index)
    out: dict[int, int] = {}
    for index, row in enumerate(rows):
        parent = next((str(v).strip() for k, v in row.values.items() if str(k).strip().casefold() in keys and v), "")
        if parent and parent in known and known[parent] != index:
            out[index] = known[parent]
    return out


def _inherit(values: dict, parent: Mapping[str, object]) -> dict:
    """A branch row takes its parent's 领域, dates, 督导组 and 活动 when it does not give its own."""
    own = {_field(k) for k in values}
    for key, value in parent.items():
        field_name = _field(key)
        if field_name in ("sector", "start", "months", "end", "shares", "supervisor", "campaign") \
                and field_name not in own and value:
            values[key] = value
    return values


def _field(key: object) -> str:
    folded = str(key).strip().casefold()
    return next((f for f, names in PROFILE_KEYS.items() if folded in {n.casefold() for n in names}), folded)


def _unique(items: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        item = str(item).strip()
        if item and item not in seen:
            seen.append(item)
    return seen
