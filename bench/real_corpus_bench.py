"""Search quality on real guidance the project does not ship: kb against two plain baselines, same run.

Usage::

    python3 bench/real_corpus_bench.py CORPUS_DIR [--show] [--write]

``CORPUS_DIR`` holds real public regulations, notices and reports as .md/.txt
files (not committed: the project ships none of them; docs/performance.md says
which were used).  ``bench/real_corpus_questions.yaml`` gives each question the
document (file name without suffix) and the unit that answers it: ``第X条`` in a
regulation, ``N.`` for a numbered item, ``一、`` for a part.

Each file is checked for completeness first (its 第X条 numbers contiguous from
第一条) and then imported with ``kb add`` into a fresh knowledge base (the
bundled guidance stays in as a distractor).  The three engines rank the same
passages:

* ``kb`` — :meth:`KnowledgeBase.search`, top 10;
* FTS5 — SQLite FTS5 over the passages cut by the project's segmenter (words
  and sub-words), the query the OR of its words without the segmenter's stop
  words, ranked by ``bm25``;
* bigram — BM25 (k1 1.2, b 0.75) over the character bigrams of each passage
  and of the query.

A hit is right when it is a passage of the expected document that overlaps the
expected unit; units are found in the file's own text (independently of how kb
divides it) and a passage is placed by finding its text there.  Reported:
MRR@10, R@1 and the questions with no right hit in the top 10, overall and by
kind of question.
"""

from __future__ import annotations

import argparse
import collections
import math
import re
import sqlite3
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
QUESTIONS = BENCH / "real_corpus_questions.yaml"
SECTION = "## 真实文件检索质量（bench/real_corpus_bench.py）"

def cn_number(text: str) -> int:
    """一 … 九百九十九 as an int (the project's own reader, so the check counts articles as kb does)."""
    from dangjian.kb.outline import chinese_to_int

    return chinese_to_int(text)


def compact(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


_ARTICLE = re.compile(r"(?m)^[\s#*]*第([一二三四五六七八九十百零〇]+)条")
_ITEM = re.compile(r"(?m)^[\s#*]*(\d{1,3})[.．、]")
_PART = re.compile(r"(?m)^[\s#*]*([一二三四五六七八九十]+)、")


def units(raw: str) -> tuple[str, list[tuple[str, int]]]:
    """Return (compacted text, [(unit label, start offset in it)]) of a document's own text."""
    for pattern, label in ((_ARTICLE, lambda m: f"第{m.group(1)}条"), (_ITEM, lambda m: m.group(1) + "."),
                           (_PART, lambda m: m.group(1) + "、")):
        found = list(pattern.finditer(raw))
        if len(found) >= 3:
            break
    else:
        found, label = [], None
    text, marks, last = "", [], 0
    for m in found:
        text += compact(raw[last : m.start()])
        marks.append((label(m), len(text)))
        last = m.start()
    text += compact(raw[last:])
    return text, marks


def check_complete(name: str, raw: str) -> str:
    numbers = [cn_number(n) for n in _ARTICLE.findall(raw)]
    if numbers:
        if numbers != list(range(1, len(numbers) + 1)):
            return f"{name}: 条号不连续 {numbers}"
        return f"{name}: 第一条至第{len(numbers)}条连续"
    return f"{name}: 无条文编号（按 N. 或 一、划分）"


class Locator:
    """Places passages (their text) in a document's own text and names the units they overlap."""

    def __init__(self, raw: str) -> None:
        self.text, self.marks = units(raw)

    def span(self, passage_text: str) -> tuple[int, int] | None:
        body = compact(passage_text)
        if not body:
            return None
        start = self.text.find(body)
        if start >= 0:
            return start, start + len(body)
        head, tail = body[:24], body[-24:]
        start = self.text.find(head)
        if start < 0:
            return None
        end = self.text.find(tail, start)
        return start, (end + len(tail) if end >= 0 else start + len(body))

    def unit_span(self, label: str) -> tuple[int, int] | None:
        for i, (name, start) in enumerate(self.marks):
            if name == label:
                end = self.marks[i + 1][1] if i + 1 < len(self.marks) else len(self.text)
                return start, end
        return None


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


# -- baselines -------------------------------------------------------------------------------------

def fts_engine(passages: list) -> callable:
    from dangjian.kb import segment

    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE p USING fts5(n UNINDEXED, tokens)")
    con.executemany("INSERT INTO p VALUES (?, ?)",
                    [(i, " ".join(t.text for t in segment.tokenize(p.text))) for i, p in enumerate(passages)])

    def run(query: str) -> list[int]:
        words = [w for w in dict.fromkeys(segment.words(query.replace('"', " "))) if not segment.is_stopword(w)]
        words = words or list(dict.fromkeys(segment.words(query.replace('"', " "))))
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = con.execute("SELECT n FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT 10", (match,)).fetchall()
        return [r[0] for r in rows]

    return run


def bigrams(text: str) -> list[str]:
    out = []
    for run in re.findall(r"[\u3400-\u9fff]+|[A-Za-z0-9]+", text):
        if len(run) == 1 or not ("\u3400" <= run[0] <= "\u9fff"):
            out.append(run.lower())
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def bigram_engine(passages: list) -> callable:
    docs = [collections.Counter(bigrams(p.text)) for p in passages]
    lengths = [sum(d.values()) for d in docs]
    avg = sum(lengths) / max(1, len(lengths))
    df = collections.Counter(g for d in docs for g in d)
    postings: dict[str, list[int]] = collections.defaultdict(list)
    for i, d in enumerate(docs):
        for g in d:
            postings[g].append(i)
    n = len(docs)

    def run(query: str) -> list[int]:
        scores: dict[int, float] = collections.defaultdict(float)
        for g in set(bigrams(query)):
            idf = math.log(1 + (n - df[g] + 0.5) / (df[g] + 0.5)) if df[g] else 0.0
            for i in postings.get(g, ()):
                tf = docs[i][g]
                scores[i] += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * lengths[i] / avg))
        return [i for i, _ in sorted(scores.items(), key=lambda kv: -kv[1])[:10]]

    return run


# -- scoring ---------------------------------------------------------------------------------------

def judge(hits: list, question: dict, locators: dict[str, Locator], doc_names: dict[str, str]) -> int | None:
    """Return the 1-based rank of the first right hit, or None."""
    locator = locators[question["doc"]]
    wanted = [locator.unit_span(u) for u in question["want"]]
    if not all(wanted):
        raise SystemExit(f"问题“{question['q']}”的 {question['want']} 不在 {question['doc']} 中")
    for rank, passage in enumerate(hits, 1):
        if doc_names.get(passage.doc_id) != question["doc"]:
            continue
        span = locator.span(passage.text)
        if span and any(span[0] < end and start < span[1] for start, end in wanted):
            return rank
    return None


def summarize(ranks: list[int | None]) -> tuple[float, float, int]:
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    r1 = sum(1 for r in ranks if r == 1) / len(ranks)
    return mrr, r1, sum(1 for r in ranks if not r)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="the questions file (YAML)")
    parser.add_argument("--show", action="store_true", help="print each question's ranks and kb's top hit")
    parser.add_argument("--write", action="store_true", help="put the table into docs/performance.md")
    args = parser.parse_args()

    from dangjian.kb.api import KnowledgeBase

    files = sorted(p for p in args.corpus.iterdir() if p.suffix in (".md", ".txt", ".html", ".docx"))
    if not files:
        raise SystemExit(f"{args.corpus} 中没有文件")
    raws = {p.stem: p.read_text(encoding="utf-8") for p in files if p.suffix in (".md", ".txt")}
    checks = [check_complete(name, raw) for name, raw in raws.items()]
    print("\n".join(checks))
    locators = {name: Locator(raw) for name, raw in raws.items()}
    questions = load_questions(args.questions)

    with tempfile.TemporaryDirectory() as home:
        kb = KnowledgeBase.open(home)
        report = kb.add(files)
        if report.failed:
            raise SystemExit(report.summary())
        doc_names = {}
        for document in kb.documents():
            source = Path(document.source).stem
            if source in raws:
                doc_names[document.id] = source
        passages = [p for d in kb.documents() for p in d.passages]
        chars = sum(len(raw) for raw in raws.values())
        engines = {
            "kb": lambda q: [h.passage for h in kb.search(q, limit=10)],
        }
        fts, bigram = fts_engine(passages), bigram_engine(passages)
        engines["FTS5（rjieba 分词）"] = lambda q: [passages[i] for i in fts(q)]
        engines["字二元组 BM25"] = lambda q: [passages[i] for i in bigram(q)]
        ranks: dict[str, list[int | None]] = {name: [] for name in engines}
        for question in questions:
            for name, engine in engines.items():
                hits = engine(question["q"])
                ranks[name].append(judge(hits, question, locators, doc_names))
            if args.show:
                top = kb.search(question["q"], limit=1)
                where = top[0].passage.citation if top else "（无结果）"
                print(f"{question['q']:<24} kb={ranks['kb'][-1]} fts={ranks['FTS5（rjieba 分词）'][-1]} "
                      f"bigram={ranks['字二元组 BM25'][-1]}  首条：{where}")
        kb.close()

    kinds = sorted({q["kind"] for q in questions})
    lines = [
        f"语料：{len(raws)} 份真实公开文件，共 {chars:,} 字（不随项目发布）；{len(passages)} 段（含内置文件）；"
        f"{len(questions)} 个问题（检索前写定）。",
        "",
        "| 引擎 | MRR@10 | R@1 | 前 10 无正确结果 | " + " | ".join(f"{k} MRR" for k in kinds) + " |",
        "|---|---|---|---|" + "---|" * len(kinds),
    ]
    for name, values in ranks.items():
        mrr, r1, misses = summarize(values)
        by_kind = []
        for kind in kinds:
            sub = [r for r, q in zip(values, questions) if q["kind"] == kind]
            by_kind.append(f"{summarize(sub)[0]:.3f}（{len(sub)}）")
        lines.append(f"| {name} | {mrr:.3f} | {r1:.3f} | {misses} | " + " | ".join(by_kind) + " |")
    missed = [q["q"] for q, r in zip(questions, ranks["kb"]) if not r]
    lines += ["", "kb 未找到的问题：" + ("、".join(missed) if missed else "无")]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section(text, checks)


def write_section(text: str, checks: list[str]) -> None:
    path = ROOT / "docs" / "performance.md"
    old = path.read_text(encoding="utf-8")
    body = (f"{SECTION}\n\n运行：`python3 bench/real_corpus_bench.py 语料目录 --write`。问题和期望条文见 "
            f"`bench/real_corpus_questions.yaml`；语料文件完整性检查：\n\n"
            + "\n".join(f"- {c}" for c in checks) + "\n\n" + text + "\n")
    if SECTION in old:
        head, _, rest = old.partition(SECTION)
        tail = rest[rest.find("\n## ") :] if "\n## " in rest else "\n"
        new = head + body + ("\n" + tail.lstrip("\n") if tail.strip() else "")
    else:
        new = old.rstrip("\n") + "\n\n" + body
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
