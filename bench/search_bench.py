"""Search benchmark: the knowledge base against SQLite FTS5 over the same words, same run.

Corpus: the bundled guidance plus People's Daily, January 1998 (19,484
paragraphs, :mod:`peoples_daily`), 100 paragraphs per document.

Measured for both engines:

* index build (passages/s), index size on disk, peak RSS of the build process;
* warm query latency p50/p95 (each query's median of several runs) over the
  queries of ``tests/test_search_quality.py`` plus keyword queries drawn from
  the news;
* cold search: a new process that opens the index and runs one query
  (``kb search`` with ``DANGJIAN_HOME`` at the built index; for FTS5 a python
  process that opens the db, segments the query and runs it), median of runs;
* ``kb --help`` wall time;
* MRR@10 of the quality test set with the news passages added as distractors.

FTS5 gets each passage pre-segmented by the project's segmenter (words and
sub-words, space-joined) under the default ``unicode61`` tokenizer; a query is
the OR of its words, ranked by ``bm25``.

Run: ``python3 bench/search_bench.py`` (``--quick`` for 2,000 news
paragraphs, ``--write`` to put the results into docs/performance.md).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

PER_DOC = 100
NEWS_QUERIES = 40
WARM_RUNS = 5
COLD_RUNS = 7
SECTION = "## 知识库检索（bench/search_bench.py）"


# -- corpus and queries ----------------------------------------------------------------------

def news_documents(limit: int | None) -> list:
    """Return People's Daily paragraphs as Documents of PER_DOC paragraphs each."""
    from dangjian.kb.outline import build_document
    from dangjian.kb.readers import Block

    import peoples_daily

    paras = peoples_daily.paragraphs()[:limit]
    docs = []
    for n, start in enumerate(range(0, len(paras), PER_DOC), 1):
        blocks = [Block(p) for p in paras[start : start + PER_DOC]]
        docs.append(build_document(blocks, title=f"人民日报1998年1月（{n}）", source=f"rmrb199801-{n:03d}.txt"))
    return docs


def quality_cases() -> list[tuple[str, dict[str, str], str]]:
    """Return the (query, filters, expected passage) table of tests/test_search_quality.py."""
    spec = importlib.util.spec_from_file_location("search_quality_cases", ROOT / "tests" / "test_search_quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return list(module.CASES)


def news_queries(docs: list, n: int = NEWS_QUERIES) -> list[str]:
    """Return ``n`` two-word keyword queries drawn (seeded) from the news passages."""
    from dangjian.kb import segment

    rng = random.Random(1998)
    passages = [p for d in docs for p in d.passages if len(p.text) > 60]
    queries: list[str] = []
    while len(queries) < n and passages:
        passage = rng.choice(passages)
        words = sorted({w for w in segment.words(passage.text)
                        if len(w) >= 2 and all(segment.is_cjk(c) for c in w) and not segment.is_stopword(w)})
        if len(words) >= 2:
            queries.append(" ".join(rng.sample(words, 2)))
    return queries


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def timed_queries(run, queries: list[str]) -> tuple[list[float], list[float]]:
    """Return each query's median (wall ms, CPU ms) over WARM_RUNS runs, after one warm-up round.

    CPU time is reported too because the machine may be shared: other
    processes stretch wall time, much less the CPU time of this thread.
    """
    for q in queries:
        run(q)
    walls: dict[str, list[float]] = {q: [] for q in queries}
    cpus: dict[str, list[float]] = {q: [] for q in queries}
    for _ in range(WARM_RUNS):
        for q in queries:
            start, cpu = time.perf_counter(), time.thread_time()
            run(q)
            walls[q].append((time.perf_counter() - start) * 1000)
            cpus[q].append((time.thread_time() - cpu) * 1000)
    return [statistics.median(t) for t in walls.values()], [statistics.median(t) for t in cpus.values()]


def maxrss_mb() -> float:
    """Peak RSS of this process or of any child it waited for (the index may be built by workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of the children it waited for (indexing workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def mrr(ranked_ids, cases) -> float:
    ranks = []
    for query, filters, expected in cases:
        ids = ranked_ids(query, filters)
        ranks.append(1.0 / (ids.index(expected) + 1) if expected in ids else 0.0)
    return sum(ranks) / len(ranks)


# -- phases, each in its own process (so peak RSS is its own) ----------------------------------

def phase_ours(home: Path, limit: int | None) -> dict:
    from dangjian.kb.api import KnowledgeBase

    docs = news_documents(limit)
    kb = KnowledgeBase.open(home)
    bundled_passages = kb.info().passages
    start = time.perf_counter()
    report = kb.add_documents(docs)
    add_seconds = time.perf_counter() - start
    assert report.ok, report.summary()
    start, cpu = time.perf_counter(), cpu_seconds()
    info = kb.rebuild()
    rebuild_seconds = time.perf_counter() - start
    rebuild_cpu = cpu_seconds() - cpu
    cases = quality_cases()
    queries = [q for q, f, _ in cases if not f] + news_queries(docs)
    latencies, cpu_ms = timed_queries(lambda q: kb.search(q, limit=10), queries)
    distractor_mrr = mrr(lambda q, f: [h.passage.id for h in kb.search(q, limit=10, **f)], cases)
    kb.close()
    return {
        "passages": info.passages, "bundled_passages": bundled_passages,
        "added_passages": info.passages - bundled_passages,
        "add_rate": (info.passages - bundled_passages) / add_seconds,
        "build_rate": info.passages / rebuild_seconds, "build_seconds": rebuild_seconds,
        "build_cpu_rate": info.passages / rebuild_cpu,
        "cpu_p50": percentile(cpu_ms, 0.5), "cpu_p95": percentile(cpu_ms, 0.95),
        "size_mb": dir_size(home / "index") / 2**20,
        "p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95), "queries": queries,
        "mrr": distractor_mrr, "cases": len(cases), "rss_mb": maxrss_mb(),
    }


def fts_tokens(text: str) -> str:
    from dangjian.kb import segment

    return " ".join(t.text for t in segment.tokenize(text))


def fts_match(query: str) -> str:
    """Return the FTS5 MATCH expression: the OR of the query's words, each quoted."""
    from dangjian.kb import segment

    words = dict.fromkeys(segment.words(query))
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words)


FTS_SQL = "SELECT id FROM passages WHERE passages MATCH ? ORDER BY bm25(passages) LIMIT 10"


def phase_fts(home: Path, db: Path, queries: list[str]) -> dict:
    from dangjian.kb.store import Store

    documents = Store(home).stored_documents()  # the same passages, read before the clock starts
    passages = [(p.id, p.text) for d in documents for p in d.passages]
    from dangjian.kb import segment

    segment.words("预热")  # load the segmenter outside the clock, as the knowledge base has it loaded
    if db.exists():
        db.unlink()
    start, cpu = time.perf_counter(), cpu_seconds()
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE passages USING fts5(id UNINDEXED, tokens)")
    con.executemany("INSERT INTO passages VALUES (?, ?)", ((pid, fts_tokens(text)) for pid, text in passages))
    con.commit()
    build_seconds = time.perf_counter() - start
    build_cpu = cpu_seconds() - cpu

    def run(q: str) -> list[str]:
        match = fts_match(q)
        return [row[0] for row in con.execute(FTS_SQL, (match,))] if match else []

    latencies, cpu_ms = timed_queries(run, queries)
    unfiltered = [c for c in quality_cases() if not c[1]]
    fts_mrr = mrr(lambda q, f: run(q), unfiltered)
    con.close()
    return {
        "passages": len(passages), "build_rate": len(passages) / build_seconds, "build_seconds": build_seconds,
        "build_cpu_rate": len(passages) / build_cpu,
        "cpu_p50": percentile(cpu_ms, 0.5), "cpu_p95": percentile(cpu_ms, 0.95),
        "size_mb": db.stat().st_size / 2**20, "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95), "mrr": fts_mrr, "cases": len(unfiltered), "rss_mb": maxrss_mb(),
    }


FTS_COLD = """
import sqlite3, sys
from dangjian.kb import segment
con = sqlite3.connect(sys.argv[1])
words = dict.fromkeys(segment.words(sys.argv[2]))
match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
for (pid,) in con.execute({sql!r}, (match,)):
    print(pid)
"""


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command; return (wall seconds, peak RSS MB, stdout)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{args} failed ({proc.returncode}): {text[-500:]}")
    return wall, usage.ru_maxrss / 1024, text


def cold(args_for, queries: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Return (median wall seconds, max peak RSS MB) of COLD_RUNS fresh processes."""
    walls, rss = [], []
    for i in range(COLD_RUNS):
        wall, peak, _ = run_child(args_for(queries[i % len(queries)]), env)
        walls.append(wall)
        rss.append(peak)
    return statistics.median(walls), max(rss)


def kb_command() -> list[str]:
    """The ``kb`` console script next to this interpreter (as in a virtual environment), else ``python -m``.

    Not whatever ``kb`` is on PATH: a pyenv shim there is a shell script that
    runs pyenv first, which adds about 0.1 s that is not the program's.
    """
    script = Path(sys.executable).with_name("kb")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "dangjian.kb"]


# -- report ----------------------------------------------------------------------------------

def table(ours: dict, fts: dict) -> list[str]:
    rows = [
        ("建索引（段/秒，越大越好）", ours["build_rate"], fts["build_rate"], "{:.0f}"),
        ("建索引（段/CPU 秒，含子进程，越大越好）", ours["build_cpu_rate"], fts["build_cpu_rate"], "{:.0f}"),
        ("索引大小（MB）", ours["size_mb"], fts["size_mb"], "{:.1f}"),
        ("热查询 p50（毫秒）", ours["p50"], fts["p50"], "{:.1f}"),
        ("热查询 p95（毫秒）", ours["p95"], fts["p95"], "{:.1f}"),
        ("热查询 p50（CPU 毫秒）", ours["cpu_p50"], fts["cpu_p50"], "{:.1f}"),
        ("热查询 p95（CPU 毫秒）", ours["cpu_p95"], fts["cpu_p95"], "{:.1f}"),
        ("冷启动检索（秒，新进程）", ours["cold"], fts["cold"], "{:.2f}"),
        ("建索引进程峰值内存（MB，单个进程最大值）", ours["rss_mb"], fts["rss_mb"], "{:.0f}"),
        ("冷启动检索进程峰值内存（MB）", ours["cold_rss"], fts["cold_rss"], "{:.0f}"),
    ]
    lines = ["| 指标 | 本项目（whoosh） | SQLite FTS5 | 倍数（本项目 ÷ FTS5） |", "|---|---:|---:|---:|"]
    for name, a, b, fmt in rows:
        lines.append(f"| {name} | {fmt.format(a)} | {fmt.format(b)} | {a / b if b else float('inf'):.2f}× |")
    return lines


def report(ours: dict, fts: dict, extra: dict, args: argparse.Namespace) -> str:
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = "python3 bench/search_bench.py" + (" --quick" if args.quick else "") + " --write"
    lines = [
        SECTION, "",
        f"运行：`{command}`（{when}；{os.cpu_count()} 核，Python {platform.python_version()}，"
        f"SQLite {sqlite3.sqlite_version}；运行时负载 {extra['load']}）", "",
        f"- 语料：内置指导文件 {ours['bundled_passages']} 段 + 人民日报 1998 年 1 月 {ours['added_passages']} 段"
        f"（每 {PER_DOC} 段一个文档），共 {ours['passages']} 段",
        f"- 查询：{len(ours['queries'])} 个（检索质量测试中不带筛选的问句、关键词和引号短语，加上从新闻中抽取的"
        f" {NEWS_QUERIES} 组双词关键词），每个查询取 {WARM_RUNS} 次的中位数，再取 p50/p95",
        f"- 冷启动：新进程执行一次检索，{COLD_RUNS} 次取中位数（本项目为 `kb search`，"
        "DANGJIAN_HOME 指向已建索引；FTS5 为打开数据库、分词、查询的 python 进程）",
        f"- 建索引：本项目为 `kb index --rebuild`（读文档、打标签、写索引；5000 段以上由两个进程并行写索引）；"
        f"另计 `kb add` 导入新闻 {ours['add_rate']:.0f} 段/秒（单进程，含写文档文件）", "",
        *table(ours, fts), "",
        f"- `kb --help`：{extra['help']:.2f} 秒（中位数，{COLD_RUNS} 次）；"
        f"同一时间空的 Python 进程（`python3 -c pass`）启动 {extra['python']:.2f} 秒，冷启动数字都含这一段",
        f"- 加入新闻段落作干扰后的检索质量 MRR@10：本项目 {ours['mrr']:.3f}（{ours['cases']} 个查询，"
        f"含筛选）；FTS5 {fts['mrr']:.3f}（其中不带筛选的 {fts['cases']} 个查询，词语 OR + bm25）",
        "- 目标（2 核）：建索引 ≥ 800 段/秒，热查询 p50 ≤ 20 毫秒、p95 ≤ 60 毫秒，冷启动检索 ≤ 1.0 秒，"
        "`kb --help` ≤ 0.3 秒",
    ]
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    path = ROOT / "docs" / "performance.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# 性能\n"
    start = old.find(SECTION)
    if start == -1:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        nxt = old.find("\n## ", start + len(SECTION))
        new = old[:start] + text + ("\n" + old[nxt + 1 :] if nxt != -1 else "")
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the first 2,000 news paragraphs")
    parser.add_argument("--write", action="store_true", help="write the results into docs/performance.md")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep it (default: a temporary folder)")
    parser.add_argument("--phase", choices=["ours", "fts"], help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--queries", help=argparse.SUPPRESS)
    args = parser.parse_args()
    limit = 2000 if args.quick else None

    if args.phase == "ours":
        print(json.dumps(phase_ours(Path(args.home), limit)))
        return
    if args.phase == "fts":
        print(json.dumps(phase_fts(Path(args.home), Path(args.db), json.loads(Path(args.queries).read_text()))))
        return

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    home, db, qfile = work / "home", work / "fts5.db", work / "queries.json"
    if home.exists():
        shutil.rmtree(home)
    env = dict(os.environ, DANGJIAN_HOME=str(home))
    me = [sys.executable, str(Path(__file__).resolve())] + (["--quick"] if args.quick else [])
    try:
        print("建索引并测热查询（本项目）……", flush=True)
        _, _, out = run_child(me + ["--phase", "ours", "--home", str(home)], env)
        ours = json.loads(out.strip().splitlines()[-1])
        qfile.write_text(json.dumps(ours["queries"], ensure_ascii=False))
        print("建索引并测热查询（FTS5）……", flush=True)
        _, _, out = run_child(me + ["--phase", "fts", "--home", str(home), "--db", str(db), "--queries", str(qfile)],
                              env)
        fts = json.loads(out.strip().splitlines()[-1])
        print("冷启动……", flush=True)
        queries = ours["queries"]
        ours["cold"], ours["cold_rss"] = cold(lambda q: kb_command() + ["search", q], queries, env)
        script = FTS_COLD.format(sql=FTS_SQL)
        fts["cold"], fts["cold_rss"] = cold(lambda q: [sys.executable, "-c", script, str(db), q], queries, env)
        helps = [run_child(kb_command() + ["--help"], env)[0] for _ in range(COLD_RUNS)]
        bare = [run_child([sys.executable, "-c", "pass"], env)[0] for _ in range(COLD_RUNS)]
        extra = {"help": statistics.median(helps), "python": statistics.median(bare),
                 "load": " / ".join(f"{x:.1f}" for x in os.getloadavg())}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = report(ours, fts, extra, args)
    print()
    print(text)
    if args.write:
        write_section(text)
        print("已写入 docs/performance.md")


if __name__ == "__main__":
    main()
