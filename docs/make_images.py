"""Regenerate docs/images: ``python3 docs/make_images.py`` (needs LibreOffice, poppler and fontconfig).

The pictures show the documents as a user sees them on a default install
after the font step of docs/fonts.md: the official font names are mapped to
Simplified Chinese faces by a fontconfig file written by
:func:`dangjian.generators.fonts.fontconfig_aliases` (used here through
FONTCONFIG_FILE, so the machine's own settings are left alone).  Each picture
is one page at 60 dpi, rendered by LibreOffice and rasterized by pdftoppm.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
PROFILES = ROOT / "tests" / "fixtures" / "profiles"
PROBLEMS = ROOT / "tests" / "fixtures" / "rosters" / "problems.csv"
GOLDEN = ROOT / "tests" / "golden" / "render"


def _render_md_example() -> str:
    """The first Markdown example of docs/render.md (the notice whose first page the page shows)."""
    text = (ROOT / "docs" / "render.md").read_text(encoding="utf-8")
    return re.search(r"```markdown\n(.*?)```", text, re.S).group(1)


STANDARD = """---
发文机关: 中共红星社区委员会
文号: 红社党发〔{year}〕3号
署名: 中共红星社区委员会
日期: {date}
主送: 各党支部
抄送: 某某街道党工委
印发: 中共红星社区委员会办公室
印发日期: {date}
---
# 关于开展保持共产党员先进性教育活动的通知

现将有关事项通知如下，请认真贯彻执行。
"""

#: picture name → (how to make the .docx, page)
PICTURES = {
    "gen-study_requirements": (("generate", "学习要求", "community.yaml", {}), 1),
    "gen-study_requirements-citations": (("generate", "学习要求", "community.yaml", {}), -1),
    "gen-study_requirements_school": (("generate", "学习要求", "school.yaml", {}), 1),
    "gen-implementation_plan": (("generate", "实施方案", "township.yaml", {}), 1),
    "gen-implementation_plan-p2": (("generate", "实施方案", "township.yaml", {}), 2),
    "gen-implementation_plan_notice": (("generate", "实施方案", "township.yaml", {"with_notice": True}), 1),
    "gen-study_schedule": (("generate", "学习安排表", "community.yaml", {}), 1),
    "gen-rectification_plan": (("generate", "整改方案", "community.yaml", {"problems": str(PROBLEMS)}), 1),
    "gen-rectification_plan-ledger": (("generate", "整改方案", "community.yaml", {"problems": str(PROBLEMS)}),
                                      "landscape"),
    "kit-notice": (("generate", "会议通知", "community.yaml", {"meeting": "专题组织生活会", "date": "2005-09-01"}), 1),
    "kit-record": (("generate", "会议记录", "community.yaml", {"meeting": "专题组织生活会", "date": "2005-09-01"}), 1),
    "kit-minutes": (("generate", "会议纪要", "community.yaml", {"meeting": "专题组织生活会", "date": "2005-09-01"}), 1),
    "kit-signin": (("generate", "签到表", "community.yaml", {"meeting": "专题组织生活会", "date": "2005-09-01"}), 1),
    "kit-ledger": (("generate", "整改台账", "community.yaml", {"problems": str(PROBLEMS)}), 1),
    "kit-evaluation": (("generate", "民主评议党员测评表", "community.yaml", {}), 1),
    "kit-survey": (("generate", "群众满意度测评表", "community.yaml", {}), 1),
    "kit-checklist": (("generate", "督导检查表", "community.yaml", {}), 1),
    "kit-bulletin": (("generate", "信息简报", "community.yaml",
                      {"issue": "3", "title": "红星社区开好专题组织生活会", "issued": "2005-09-05"}), 1),
    "render-notice-page1": (("markdown", _render_md_example()), 1),
    "render-ledger-landscape": (("markdown", (GOLDEN / "attachments.md").read_text(encoding="utf-8")), "landscape"),
    "standard-1999": (("markdown", STANDARD.format(year=2005, date="2005-07-06")), 1),
    "standard-2012": (("markdown", STANDARD.format(year=2026, date="2026-03-02")), 1),
}


def _make(spec: tuple, target: Path) -> None:
    from dangjian.generators import generate
    from dangjian.generators.render import render_markdown

    if spec[0] == "generate":
        _, kind, profile, options = spec
        generate(kind, PROFILES / profile, output=target, **options)
    else:
        render_markdown(spec[1], output=target)


def _page(pdf: Path, which) -> int:
    info = subprocess.run(["pdfinfo", "-l", "999", str(pdf)], capture_output=True, text=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    if which == "landscape":
        return next(i for i, (w, h) in enumerate(sizes, 1) if w > h)
    return len(sizes) if which == -1 else which


def main() -> int:
    from dangjian.generators.fonts import fontconfig_aliases

    if not (shutil.which("soffice") and shutil.which("pdftoppm") and shutil.which("fc-list")):
        print("需要 LibreOffice（soffice）、poppler（pdftoppm）和 fontconfig", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        conf = folder / "fonts.conf"
        conf.write_text(fontconfig_aliases(include_system=True), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(conf), "DANGJIAN_HOME": str(folder / "home")}
        os.environ.update(env)
        docs = {}
        for name, (spec, _) in PICTURES.items():
            key = repr(spec)
            if key not in docs:
                docs[key] = folder / f"doc{len(docs)}.docx"
                _make(spec, docs[key])
        subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'lo').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), *map(str, docs.values())],
                       check=True, capture_output=True, env=env)
        for name, (spec, which) in PICTURES.items():
            pdf = docs[repr(spec)].with_suffix(".pdf")
            page = _page(pdf, which)
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(IMAGES / name)], check=True)
            print(f"docs/images/{name}.png（第{page}页）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
