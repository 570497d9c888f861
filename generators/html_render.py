"""The HTML renderer: :class:`DocModel` → one self-contained HTML page for preview.

It prints the same model as the Word renderer, with the same text
normalization, title line breaks, numbering and signature layout, on A4-sized
page boxes styled with CSS (fonts fall back to whatever CJK fonts the browser has).
"""

from __future__ import annotations

from html import escape

from .docmodel import (
    Attachment,
    Attendees,
    Block,
    DocModel,
    Heading,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    Table,
)
from .text import display_width, normalize, title_lines

_CSS = """
body { background: #e8e8e8; margin: 0; padding: 1em 0; }
.page { background: #fff; width: 156mm; min-height: 225mm; margin: 0 auto 1em; padding: 37mm 26mm 35mm 28mm;
  box-shadow: 0 0 4px #999; font: 16pt/28.95pt "仿宋_GB2312", "仿宋", FangSong, "Noto Serif CJK SC", serif;
  text-align: justify; }
.page.landscape { width: 225mm; min-height: 156mm; padding: 28mm 35mm 26mm 37mm; }
p { margin: 0; }
.body, .h1, .h2, .h3, .h4 { text-indent: 2em; }
.title { font: 22pt/28.95pt "方正小标宋简体", "小标宋", "Noto Serif CJK SC", serif; font-weight: 700; text-align: center; }
.h1 { font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; }
.h2 { font-family: "楷体_GB2312", "楷体", KaiTi, serif; }
.h3 { font-weight: bold; }
.center { text-align: center; } .right { text-align: right; }
.red-mark { color: #f00; text-align: center; font: 30pt/1.4 "方正小标宋简体", "Noto Serif CJK SC", serif; font-weight: 700;
  margin-top: 35mm; }
.doc-number { text-align: center; border-bottom: 2px solid #f00; padding-bottom: 4mm; margin: 57.9pt 0 28.95pt; }
.issue-number { text-align: center; margin: 57.9pt 0 0; }
.doc-number.compiler { display: flex; justify-content: space-between; margin-top: 0; }
.label { font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; }
table { border-collapse: collapse; width: 100%; font-size: 12pt; line-height: 1.4; margin: 0.5em 0; }
th, td { border: 1px solid #000; padding: 2px 4px; vertical-align: middle; }
th { font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; font-weight: normal; text-align: center; }
.end-block { border-top: 1.3px solid #000; border-bottom: 1.3px solid #000; margin-top: 2em; font-size: 14pt; }
.end-block p { padding: 0 1em; } .end-block p + p { border-top: 1px solid #000; }
.end-block .printed { display: flex; justify-content: space-between; }
.end-block p.distribution + p.distribution { border-top: none; }
"""


def render_html(doc: DocModel) -> str:
    """Return ``doc`` as a complete HTML page (UTF-8, inline CSS)."""
    title = escape(normalize(doc.title or (doc.parts[0].title if doc.parts else "")))
    pages = [_document(part) for part in (doc.parts or [doc])]
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>\n" + "\n".join(pages) + "\n</body></html>\n"
    )


def _inline(runs: Inline) -> str:
    out = []
    for run in runs:
        text = escape(normalize(run.text)).replace("\n", "<br>")
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


def _p(cls: str, html: str, style: str = "") -> str:
    style_attr = f' style="{style}"' if style else ""
    return f'<p class="{cls}"{style_attr}>{html or "&#8203;"}</p>'


def _document(doc: DocModel) -> str:
    landscape = " landscape" if doc.landscape else ""
    out = [f'<section class="page{landscape}">']
    if doc.has_red_header:
        out.append(_p("red-mark", escape(normalize(doc.red_mark))))
        if doc.has_compiler_line:
            out.append(_p("issue-number", escape(normalize(doc.number))))
            out.append(_p("doc-number compiler", f"<span>{escape(normalize(doc.compiled_by))}</span>"
                                                  f"<span>{escape(normalize(doc.compiled_date))}</span>"))
        else:
            signer = f"　　签发人：{escape(normalize(doc.signer))}" if doc.signer else ""
            out.append(_p("doc-number", escape(normalize(doc.number)) + signer))
    if doc.title and not (doc.has_red_header and doc.is_minutes):
        out.append(_p("title", "<br>".join(escape(line) for line in title_lines(normalize(doc.title)))))
        if doc.number and not doc.has_red_header:
            out.append(_p("center", escape(normalize(doc.number))))
    if doc.to:
        out.append(_p("", ""))
        out.append(_p("", escape(normalize(doc.to.rstrip(":：") + "："))))
    out.extend(_block(block) for block in doc.body)
    if doc.attachments:
        out.append(_p("", ""))
        if len(doc.attachments) == 1:
            out.append(_p("body", escape(normalize(f"附件：{doc.attachments[0]}"))))
        else:
            for i, name in enumerate(doc.attachments, 1):
                label = "附件：" if i == 1 else ""
                out.append(_p("", escape(normalize(f"{label}{i}.{name}")), f"padding-left: {2 if i == 1 else 5}em"))
    out.extend(_signature(doc))
    if doc.note:
        note = doc.note if doc.note.startswith(("（", "(")) else f"（{doc.note}）"
        out.append(_p("body", escape(normalize(note))))
    for page in doc.attachment_pages:
        out.append("</section>")
        out.append(_attachment(page, doc.landscape))
    if doc.has_end_block:
        out.append('<div class="end-block">')
        if doc.subject_line:
            out.append(f'<p class="subject"><b>主题词：</b>{escape(normalize(doc.subject_line))}</p>')
        for label, value in doc.distribution:
            out.append(_p("distribution", escape(normalize(f"{label}：{value}"))))
        for label, names in doc.copy_lines:
            out.append(_p("", escape(normalize(f"{label}：{names}。"))))
        if doc.printed_by:
            date = f"{normalize(doc.printed_date)}印发" if doc.printed_date else ""
            out.append(f'<p class="printed"><span>{escape(normalize(doc.printed_by))}</span><span>{escape(date)}</span></p>')
        out.append("</div>")
    out.append("</section>")
    return "\n".join(out)


def _attachment(page: Attachment, doc_landscape: bool) -> str:
    landscape = " landscape" if page.landscape or doc_landscape else ""
    out = [f'<section class="page{landscape}">', _p("label", escape(f"附件{page.number}")), _p("", "")]
    if page.title:
        out.append(_p("title", "<br>".join(escape(line) for line in title_lines(normalize(page.title)))))
        out.append(_p("", ""))
    out.extend(_block(block) for block in page.body)
    return "\n".join(out)


def _signature(doc: DocModel) -> list[str]:
    signature, date = normalize(doc.signature), normalize(doc.date_text)
    if not signature and not date:
        return []
    sig_w, date_w = display_width(signature), display_width(date)
    if doc.seal:
        date_right = 4.0
        sig_right = max(0.0, date_right + (date_w - sig_w) / 2)
        out = [_p("", "")] * 3
    else:
        date_right = max(2.0, sig_w - date_w) if signature else 2.0
        sig_right = 2 + date_right + date_w - sig_w
        out = [_p("", "")]
    if signature:
        out.append(_p("right", escape(signature), f"padding-right: {sig_right}em"))
    if date:
        out.append(_p("right", escape(date), f"padding-right: {date_right}em"))
    return out


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        number = escape(block.number)
        return _p(f"h{block.level}", number + _inline(block.runs))
    if isinstance(block, Paragraph):
        cls = {"body": "body", "noindent": "", "center": "center", "subtitle": "center h2",
               "right": "right", "signature": "right", "title": "title"}.get(block.role, "body")
        return _p(cls, _inline(block.runs))
    if isinstance(block, ListBlock):
        marker = (lambda i: f"{block.start + i}.") if block.ordered else (lambda i: "●")
        return "\n".join(_p("body", escape(marker(i)) + _inline(item)) for i, item in enumerate(block.items))
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Attendees):
        lines = [_p("", "")]
        for label, names in block.lines:
            lines.append(_p("body", f'<span class="label">{escape(label)}：</span>{escape(normalize(names))}'))
        return "\n".join(lines)
    if isinstance(block, PageBreak):
        return '</section>\n<section class="page">'
    return ""


def _table(table: Table) -> str:
    out = ["<table>"]
    for r, row in enumerate(table.rows):
        tag = "th" if r < table.header_rows else "td"
        cells = []
        for cell in row:
            span = ""
            if cell.rowspan > 1:
                span += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                span += f' colspan="{cell.colspan}"'
            if cell.align:
                span += f' style="text-align: {cell.align}"'
            cells.append(f"<{tag}{span}>{_inline(cell.runs)}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)
