"""Time `generate` per document type against rendering the same Markdown alone (the baseline, same run).

Run: python3 bench/generate_bench.py [--rounds 5] [--per-round 10]

Prints, per type, the median seconds per document for the whole pipeline (profile + pack + template +
citations + render to .docx) and for rendering alone, and their ratio: what the generator adds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from dangjian.generators import generate
from dangjian.generators.render import render_markdown

PROFILE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "profiles" / "community.yaml"


def per_document(action, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        action()
    return (time.perf_counter() - start) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=10)
    args = parser.parse_args()
    started = time.perf_counter()
    first = generate("学习要求", PROFILE, fmt="docx")  # cold: pack, guidance, templates, renderer
    cold = time.perf_counter() - started
    print(f"首次生成（冷启动，含加载资料包、指导原文、模板）：{cold:.3f} 秒；{len(first.data) // 1024} KB")
    for name in ("学习要求", "实施方案", "学习安排表"):
        markdown = generate(name, PROFILE, fmt="md").markdown
        full = [per_document(lambda: generate(name, PROFILE, fmt="docx"), args.per_round) for _ in range(args.rounds)]
        base = [per_document(lambda: render_markdown(markdown, fmt="docx"), args.per_round) for _ in range(args.rounds)]
        f, b = statistics.median(full), statistics.median(base)
        print(f"{name}：生成 {f * 1000:.1f} ms/份，仅渲染（基线）{b * 1000:.1f} ms/份，倍数 {f / b:.2f}×")


if __name__ == "__main__":
    main()
