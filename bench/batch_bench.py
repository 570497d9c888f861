"""Benchmark ``kb batch``: N organizations × 2 document types, against the naive approach, in the same run.

* batch: :func:`dangjian.generators.batch.generate_batch` over all cores
  (ProcessPoolExecutor, templates loaded once per worker, atomic writes);
* naive: one process, and for every file the same Markdown written through a
  fresh python-docx ``Document()`` (the usual first implementation), timed on
  a sample of the organizations (its rate is what is compared).

Prints documents/s (median of the rounds), peak RSS of this process and of
the workers, and the ratio; ``--write`` appends the result to docs/performance.md.

    python3 bench/batch_bench.py                      # 1000 × (学习要求, 实施方案), 3 rounds
    python3 bench/batch_bench.py --orgs 200 --rounds 1 --types 签到表,整改台账
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

SECTORS = ["社区", "学校", "乡镇机关", "国有企业", "非公企业", "社会组织", "机关", "事业单位", "医院"]


def roster(count: int) -> list[dict]:
    """Return ``count`` organizations of every sector, each with its own name, people and numbers."""
    rows = []
    for i in range(1, count + 1):
        sector = SECTORS[i % len(SECTORS)]
        rows.append({
            "单位名称": f"第{i}{sector}党支部",
            "领域": sector,
            "上级党委": f"第{i % 17 + 1}街道党工委",
            "书记": f"书记{i}",
            "委员": f"委员{i}甲、委员{i}乙",
            "在职": str(10 + i % 30),
            "离退休": str(i % 25),
            "流动": str(i % 4),
            "开始日期": "2005-07-01",
            "月数": "3",
        })
    return rows


def naive(rows: list[dict], types: list[str], out: Path, options: dict) -> float:
    """Write every file the naive way (fresh python-docx Document() per file, serially); return seconds."""
    import docx  # bench/ is not the library: the baseline uses python-docx directly

    from dangjian.generators.api import generate
    from dangjian.generators.docmodel import Heading, ListBlock, Paragraph, Table, plain
    from dangjian.generators.markdown_model import parse_markdown

    start = time.perf_counter()
    for n, row in enumerate(rows):
        for doc_type in types:
            markdown = generate(doc_type, row, fmt="md", **options).markdown
            model = parse_markdown(markdown)
            document = docx.Document()
            document.add_heading(model.title, level=0)
            for block in model.body:
                if isinstance(block, Heading):
                    document.add_heading(block.number + plain(block.runs), level=min(block.level, 4))
                elif isinstance(block, Paragraph):
                    document.add_paragraph(plain(block.runs))
                elif isinstance(block, ListBlock):
                    for item in block.items:
                        document.add_paragraph(plain(item))
                elif isinstance(block, Table):
                    grid = block.grid()
                    table = document.add_table(rows=len(grid), cols=block.columns)
                    for r, cells in enumerate(grid):
                        for c, cell in enumerate(cells):
                            if cell is not None:
                                table.cell(r, c).text = plain(cell.runs)
            folder = out / f"{n}"
            folder.mkdir(parents=True, exist_ok=True)
            document.save(str(folder / f"{doc_type}.docx"))
    return time.perf_counter() - start


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished children so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def children_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def self_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--types", default="学习要求,实施方案")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--naive-sample", type=int, default=100, help="organizations the naive approach writes")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--meeting", default="动员大会", help="for meeting documents")
    parser.add_argument("--write", action="store_true", help="append the result to docs/performance.md")
    args = parser.parse_args()

    from dangjian.generators.batch import generate_batch

    types = [t for t in args.types.split(",") if t]
    rows = roster(args.orgs)
    options = {"meeting": args.meeting} if args.meeting else {}
    from dangjian.generators.api import get_type

    options = {k: v for k, v in options.items() if any(k in get_type(t).options for t in types)}
    files = args.orgs * len(types)
    work = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    try:
        seconds, cpus = [], []
        load_before = os.getloadavg()[0]
        for round_ in range(args.rounds):
            out = work / f"batch{round_}"
            cpu = cpu_seconds()
            report = generate_batch(rows, types, out, workers=args.workers, options=options)
            cpus.append(cpu_seconds() - cpu)
            if not report.ok or report.written != files:
                sys.exit(f"批量生成出错：{report.summary()}")
            seconds.append(report.seconds)
            print(f"  第{round_ + 1}轮：{files} 份 {report.seconds:.1f} 秒（CPU {cpus[-1]:.1f} 秒）", file=sys.stderr)
            shutil.rmtree(out)
        batch_seconds = statistics.median(seconds)
        batch_cpu = statistics.median(cpus)
        batch_rate = files / batch_seconds
        batch_rss = max(self_rss_mb(), children_rss_mb())
        sample = rows[: args.naive_sample]
        cpu = cpu_seconds()
        naive_seconds = naive(sample, types, work / "naive", options)
        naive_cpu = cpu_seconds() - cpu
        naive_rate = len(sample) * len(types) / naive_seconds
        total_rss = self_rss_mb()
        load_after = os.getloadavg()[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    cores = os.cpu_count() or 1
    lines = [
        "## 批量生成（bench/batch_bench.py）",
        "",
        f"运行：`python3 bench/batch_bench.py --orgs {args.orgs} --types {args.types} --rounds {args.rounds}`",
        "",
        f"- 规模：{args.orgs} 个单位 × {len(types)} 种文件（{'、'.join(types)}）= {files} 份 .docx，九个领域轮流",
        f"- kb batch（{args.workers or cores} 个进程，每个进程只加载一次模板，写临时文件再改名）："
        f"{batch_seconds:.1f} 秒（{args.rounds} 轮中位数），{batch_rate:.1f} 份/秒"
        f"{'，达到' if batch_seconds <= 30 else '，未达到'}“1000×2 不超过 30 秒”的目标" if args.orgs == 1000 else
        f"- kb batch（{args.workers or cores} 个进程）：{batch_seconds:.1f} 秒（中位数），{batch_rate:.1f} 份/秒",
        f"- 基线（同一内容、每份文件新建 python-docx Document()、单进程顺序写，抽样 {len(sample)} 个单位）："
        f"{naive_rate:.1f} 份/秒，折合 {files / naive_rate:.0f} 秒",
        f"- 倍数（kb batch ÷ 基线，按实际用时）：{batch_rate / naive_rate:.1f}×",
        f"- CPU 时间（不受同机其他程序影响）：kb batch {1000 * batch_cpu / files:.1f} ms/份，"
        f"基线 {1000 * naive_cpu / (len(sample) * len(types)):.1f} ms/份（{(naive_cpu / (len(sample) * len(types))) / (batch_cpu / files):.1f}×）；"
        f"{args.workers or cores} 核空闲时 kb batch 约需 {batch_cpu / (args.workers or cores):.1f} 秒",
        f"- 测量时机器负载（1 分钟平均）：开始 {load_before:.1f}，结束 {load_after:.1f}（负载高于核数时实际用时偏长）",
        f"- 峰值内存（RSS）：主进程与每个工作进程最多 {batch_rss:.0f} MB；连同基线 {total_rss:.0f} MB",
        "- 各轮：" + "；".join(f"{t:.1f} 秒（CPU {c:.1f} 秒）" for t, c in zip(seconds, cpus)),
        f"- 环境：Python {platform.python_version()}，{platform.machine()}，{cores} 核",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        doc = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
        with doc.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
