"""The documents as a reader sees them: LibreOffice lays them out, poppler reads the pages back.

All documents are converted in one soffice run with its own profile folder
(``-env:UserInstallation``), so these tests may run beside other soffice users.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dangjian.generators.markdown_model import parse_markdown
from dangjian.generators.render import combine, render_markdown, render_model

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="soffice (LibreOffice) 或 pdftotext (poppler-utils) 未安装：无法检查排版后的页面",
)

GOLDEN = Path(__file__).parent / "golden" / "render"
LINE = "各党支部要把学习贯彻作为当前的首要政治任务认真组织党员学习有关文件切实把思想和行动统一到上级党委的部署上来确保教育活动取得实效"
FULL = "# 关于开展学习的实施方案\n\n" + "\n\n".join(LINE * 3 for _ in range(12)) + "\n"
END_BLOCK = """---
格式标准: 2012
署名: 中共某某社区委员会
日期: 2005-07-01
抄送: 街道党工委
印发: 中共某某社区委员会办公室
印发日期: 2005-07-01
---

# 关于召开动员大会的通知

经研究，定于近期召开动员大会，请各党支部组织全体党员参加。
"""
# A title and 21 one-line paragraphs fill page 1 (22 lines): the 署名 and date would stand alone on page 2.
SIGNATURE = "---\n格式标准: 2012\n署名: 中共某某社区委员会\n日期: 2005-07-01\n---\n# 关于开展学习的通知\n\n" + "\n\n".join(
    f"第{i}段，各党支部认真组织党员学习有关文件。" for i in range(1, 22)) + "\n"
SOURCES = {
    "notice": (GOLDEN / "notice.md").read_text(encoding="utf-8"),
    "attachments": (GOLDEN / "attachments.md").read_text(encoding="utf-8"),
    "full": FULL,
    "end_block": END_BLOCK,
    "signature": SIGNATURE,
    "kit": [(GOLDEN / "attachments.md").read_text(encoding="utf-8"), END_BLOCK, "# 会议议程\n\n一、主持人宣布开会。\n"],
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("lo")
    docs = []
    for name, source in SOURCES.items():
        path = folder / f"{name}.docx"
        if isinstance(source, list):
            render_model(combine([parse_markdown(part) for part in source]), output=path)
        else:
            render_markdown(source, output=path)
        docs.append(str(path))
    profile = (folder / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder), *docs],
        check=True, capture_output=True, timeout=240,
    )
    return {name: folder / f"{name}.pdf" for name in SOURCES}


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _page_size(pdf: Path, page: int) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", "-f", str(page), "-l", str(page), str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    m = re.search(rf"Page\s+{page} size:\s+([\d.]+) x ([\d.]+)", info)
    return float(m.group(1)), float(m.group(2))


def _words(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """Return (word, xMin, yMin) of every word on ``page``."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [(w, float(x), float(y)) for x, y, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', html)]


def _body_lines(page: str) -> list[str]:
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return [line for line in lines if not re.fullmatch(r"[—-]\s*\d+\s*[—-]", line)]


def test_one_page_notice_is_one_page(pdfs):
    assert len(_pages(pdfs["notice"])) == 1


def test_a_full_page_holds_22_lines_of_28_characters(pdfs):
    pages = _pages(pdfs["full"])
    assert len(pages) >= 3
    lines = _body_lines(pages[1])
    assert len(lines) == 22, lines
    full = [line.replace(" ", "") for line in lines if not line.startswith(" ")]
    assert max(len(line) for line in full) == 28


def test_page_numbers_odd_right_even_left(pdfs):
    width, _ = _page_size(pdfs["full"], 1)
    for page, right in ((1, True), (2, False), (3, True)):
        dashes = [x for w, x, y in _words(pdfs["full"], page) if w == str(page)]
        assert dashes, f"第{page}页没有页码"
        assert (dashes[-1] > width / 2) == right


def test_title_starts_at_the_top_of_the_text_block(pdfs):
    words = _words(pdfs["full"], 1)
    y = min(y for w, x, y in words if w.strip())
    assert 37 * 2.835 - 6 <= y <= 37 * 2.835 + 12  # 37 mm top margin


def test_attachments_start_new_pages_and_the_ledger_is_landscape(pdfs):
    pages = _pages(pdfs["attachments"])
    assert len(pages) == 3
    assert "关于开展整改工作的通知" in pages[0] and "附件：1.整改台账" in pages[0].replace(" ", "")
    assert _body_lines(pages[1])[0].replace(" ", "") == "附件1"
    assert _body_lines(pages[2])[0].replace(" ", "") == "附件2"
    width, height = _page_size(pdfs["attachments"], 2)
    assert width > height  # landscape
    width, height = _page_size(pdfs["attachments"], 3)
    assert width < height
    numbers = [re.search(r"[—-]\s*(\d+)\s*[—-]", page).group(1) for page in pages]
    assert numbers == ["1", "2", "3"]  # numbering continues through the landscape section


def test_end_block_sits_at_the_foot_of_the_last_page(pdfs):
    _, height = _page_size(pdfs["end_block"], 1)
    words = _words(pdfs["end_block"], 1)
    cc_y = next(y for w, x, y in words if w.startswith("抄送"))
    date_y = next(y for w, x, y in words if w.startswith("2005") and y < cc_y)
    bottom_of_text = height - 35 * 2.835
    assert cc_y > date_y
    assert bottom_of_text - 3 * 29 < cc_y < bottom_of_text


def test_combined_parts_each_start_a_page_without_blank_pages(pdfs):
    pages = _pages(pdfs["kit"])
    firsts = [_body_lines(page)[0].replace(" ", "") for page in pages]
    assert firsts == ["关于开展整改工作的通知", "附件1", "附件2", "关于召开动员大会的通知", "会议议程"]
    numbers = [re.search(r"[—-]\s*(\d+)\s*[—-]", page).group(1) for page in pages]
    assert numbers == ["1", "2", "3", "4", "5"]
    width, height = _page_size(pdfs["kit"], 2)
    assert width > height


def test_signature_never_stands_alone_on_a_page(pdfs):
    pages = _pages(pdfs["signature"])
    assert len(pages) == 2
    last = [line.replace(" ", "") for line in _body_lines(pages[1])]
    assert last == ["第21段，各党支部认真组织党员学习有关文件。", "中共某某社区委员会", "2005年7月1日"]
