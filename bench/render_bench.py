"""Benchmark: documents per second for a three-page 实施方案, against a naive python-docx script.

    python3 bench/render_bench.py            # print results
    python3 bench/render_bench.py --write    # also update the section in docs/performance.md
    python3 bench/render_bench.py --pages    # also count the pages with LibreOffice

Measured in one run on one core: (1) the whole pipeline, Markdown → model →
.docx bytes (``render_markdown``); (2) model → .docx only (``render_model``);
(3) the baseline, a straightforward script that builds the same document with
python-docx from ``Document()`` each time (styles, East Asian fonts on every
run, page setup, table) and saves it.  Each figure is the median of several
rounds; the ratio is pipeline ÷ baseline.
"""

from __future__ import annotations

import argparse
import io
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## 公文渲染（bench/render_bench.py）"

PARA = ("各党支部要把开展保持共产党员先进性教育活动作为当前的首要政治任务，认真组织党员学习有关文件，"
        "切实把思想和行动统一到上级党委的部署上来，做到思想认识到位、组织领导到位、工作措施到位。")


def plan_markdown() -> str:
    """Return a three-page 实施方案 (front matter, four parts, a table, signature)."""
    parts = ["---", "主送: 各党支部", "署名: 中共某某社区委员会", "日期: 2005-07-01", "---", "",
             "# 某某社区党委关于开展保持共产党员先进性教育活动的实施方案", ""]
    for part in ("指导思想和目标要求", "方法步骤", "组织领导", "工作要求"):
        parts += [f"## {part}", ""]
        for item in ("第一项", "第二项"):
            parts += [f"### {item}", "", PARA, ""]
    parts += ["| 阶段 | 时间 | 主要任务 | 责任人 |", "|---|---|---|---|"]
    for phase in ("学习动员", "分析评议", "整改提高"):
        parts.append(f"| {phase} | 2005年7月至8月 | 学习培训、征求意见、党性分析 | 张三 |")
    return "\n".join(parts) + "\n"


def naive_docx(title: str, blocks: list[tuple[str, str]], table: list[list[str]]) -> bytes:
    """Build the same document the way a first script would: python-docx from Document() each time."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    def font(run, east: str, size: float) -> None:
        run.font.name = "Times New Roman"
        run.font.size = Pt(size)
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east)

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(p.add_run(title), "方正小标宋简体", 22)
    for kind, text in blocks:
        p = document.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        p.paragraph_format.line_spacing = Pt(28.95)
        east = {"h1": "黑体", "h2": "楷体_GB2312"}.get(kind, "仿宋_GB2312")
        font(p.add_run(text), east, 16)
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    grid.style = "Table Grid"
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            cell = grid.cell(r, c)
            font(cell.paragraphs[0].add_run(text), "黑体" if r == 0 else "仿宋_GB2312", 12)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def naive_inputs(markdown: str) -> tuple[str, list[tuple[str, str]], list[list[str]]]:
    """The same content as plain lists, for the naive script (it does no Markdown parsing)."""
    from dangjian.generators.markdown_model import parse_markdown
    from dangjian.generators.docmodel import Heading, Paragraph, Table, plain

    doc = parse_markdown(markdown)
    blocks: list[tuple[str, str]] = []
    table: list[list[str]] = []
    for block in doc.body:
        if isinstance(block, Heading):
            blocks.append((f"h{block.level}", block.number + plain(block.runs)))
        elif isinstance(block, Paragraph):
            blocks.append(("body", plain(block.runs)))
        elif isinstance(block, Table):
            table = [[plain(cell.runs) for cell in row] for row in block.rows]
    return doc.title, blocks, table


def rate(fn, count: int, rounds: int) -> float:
    """Return the median documents per second of ``rounds`` rounds of ``count`` calls."""
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(count):
            fn()
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates)


def count_pages(data: bytes) -> int | None:
    if shutil.which("soffice") is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.docx"
        path.write_bytes(data)
        subprocess.run(["soffice", f"-env:UserInstallation={Path(folder, 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", folder, str(path)], check=True, capture_output=True)
        info = subprocess.run(["pdfinfo", str(path.with_suffix(".pdf"))], capture_output=True, text=True).stdout
        return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60, help="documents per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    parser.add_argument("--pages", action="store_true", help="count pages with LibreOffice")
    args = parser.parse_args()

    from dangjian.generators.markdown_model import parse_markdown
    from dangjian.generators.render import render_markdown, render_model

    markdown = plan_markdown()
    model = parse_markdown(markdown)
    title, blocks, table = naive_inputs(markdown)
    data = render_markdown(markdown)  # warm up: builds the base package once
    naive_docx(title, blocks, table)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    pipeline = rate(lambda: render_markdown(markdown), args.count, args.rounds)
    model_only = rate(lambda: render_model(model), args.count, args.rounds)
    rss_ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    naive = rate(lambda: naive_docx(title, blocks, table), max(10, args.count // 3), args.rounds)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pages = count_pages(data) if args.pages else None

    lines = [
        f"- 文档：三页实施方案（{len(markdown)} 字符 Markdown，{len(data) // 1024} KB .docx"
        + (f"，LibreOffice 排版 {pages} 页" if pages else "") + "）",
        f"- 全流程 Markdown → .docx：{pipeline:.0f} 份/秒（中位数，{args.rounds} 轮 × {args.count} 份）",
        f"- 仅模型 → .docx：{model_only:.0f} 份/秒",
        f"- 基线（python-docx 每次从 Document() 构建同一文档）：{naive:.0f} 份/秒",
        f"- 倍数（全流程 ÷ 基线）：{pipeline / naive:.1f}×",
        f"- 峰值内存（RSS）：本流程 {rss_ours / 1024:.0f} MB（预热后 {rss_before / 1024:.0f} MB），"
        f"连同基线 {rss:.0f} MB",
        f"- 环境：Python {platform.python_version()}，{platform.machine()}，单进程单核",
    ]
    print("\n".join(lines))
    if args.write:
        write_section(lines)


def write_section(lines: list[str]) -> None:
    """Replace (or append) this benchmark's section in docs/performance.md; other sections are kept."""
    path = ROOT / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# 性能\n"
    body = SECTION + "\n\n运行：`python3 bench/render_bench.py --write --pages`\n\n" + "\n".join(lines) + "\n"
    if SECTION in text:
        start = text.index(SECTION)
        nxt = text.find("\n## ", start + len(SECTION))
        text = text[:start] + body + ("\n" + text[nxt + 1:] if nxt != -1 else "")
        text = text.rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + body
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
