"""Read a user's file into paragraphs: plain text, Markdown, Word (.docx) and web pages.

PDF and old Word/WPS files are read by :mod:`dangjian.kb.readers_office` and
registered here by suffix.

Each reader returns :class:`Block` objects, one per paragraph (or table row,
or plain-text line), in reading order, plus a guess at the document's title.
Cleaning (:mod:`dangjian.kb.clean`) and the outline (:mod:`dangjian.kb.outline`)
work on these blocks and do not care which format they came from.

Every problem with the file itself — missing, empty, binary, too large,
corrupt, in an unknown encoding or of an unsupported type — raises
:class:`~dangjian.kb.errors.ImportFailed` with a one-line Chinese message that
says what to do.  Word files are read with :mod:`zipfile` and :mod:`lxml`
(only the renderer uses python-docx).
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from . import limits
from .errors import ImportFailed
from .readers_office import OFFICE_SUFFIXES  # .pdf through pypdf; .doc/.wps through LibreOffice

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".html", ".htm", *OFFICE_SUFFIXES)

_SUPPORTED_LIST = " ".join(SUPPORTED_SUFFIXES)


@dataclass
class Block:
    """One paragraph of source text."""

    text: str
    #: heading level if the source says so (Word heading styles, Markdown ``#``,
    #: HTML h1–h4); ``None`` for body text or unknown
    level: int | None = None
    #: the document's title (Word Title style, a lone first ``#``/h1, ``<title>``)
    is_title: bool = False
    #: the break after this block may fall inside a sentence (a plain-text line
    #: or a ``<br>``); ``False`` for real paragraphs, table rows and headings,
    #: which cleaning never joins to the next block
    soft_break: bool = True


def read_file(path: Path, max_bytes: int | None = None) -> tuple[list[Block], str | None]:
    """Return the file's paragraphs and a title guess (``None`` if the file suggests none).

    Raises :class:`ImportFailed` with a one-line Chinese reason for a missing,
    empty, binary, oversized, corrupt, undecodable or unsupported file, for
    anything but a regular file (a FIFO, /dev/zero), and for a file beyond the
    budgets of :mod:`dangjian.kb.limits`.
    """
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if not path.exists():
        raise ImportFailed(f"找不到文件：{path}（请检查路径和文件名）")
    if path.is_dir():
        raise ImportFailed(f"{path} 是文件夹，不是文件；请指定其中的文件")
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportFailed(unsupported_message(name, suffix))
    data = limits.read_regular_file(path, max_bytes)
    if not data.strip():
        raise ImportFailed(f"文件是空的：{name}，没有可导入的文字")
    if suffix == ".docx":
        blocks, title = read_docx_bytes(data, name)
    elif suffix in OFFICE_SUFFIXES:
        from .readers_office import read_office

        blocks, title = read_office(path, data)
    else:
        if suffix in (".html", ".htm"):
            text = decode_text(data, name, declared=_declared_charset(data))
            blocks, title = read_html_text(text)
        else:
            text = decode_text(data, name)
            if suffix == ".txt" and _looks_like_html(text):
                blocks, title = read_html_text(text)  # a saved web page named .txt
            elif suffix == ".txt":
                blocks, title = read_plain_text(text)
            else:
                blocks, title = read_markdown_text(text)
    if not any(b.text.strip() for b in blocks):
        raise ImportFailed(f"{name} 中没有找到正文文字，未导入")
    _check_blocks(blocks, name)
    return blocks, title


def _check_blocks(blocks: list[Block], name: str) -> None:
    if len(blocks) > limits.MAX_BLOCKS:
        raise ImportFailed(f"{name} 有 {len(blocks):,} 个段落，超过上限 {limits.MAX_BLOCKS:,}；请拆分成几个文件后再导入")


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html")) or (head.startswith("<?xml") and "<html" in head)


def unsupported_message(name: str, suffix: str) -> str:
    hint = "其他格式请先另存为其中一种"
    if suffix in (".xls", ".xlsx", ".et", ".csv"):
        hint = "表格不是指导文件；名册请用 kb batch，问题清单请用 --set problems="
    elif suffix in (".rtf", ".odt"):
        hint = "请用 Word 或 WPS 打开后另存为 .docx，或把文字复制到 .txt 文件"
    kind = f"“{suffix}”" if suffix else "（没有扩展名）"
    return f"不支持的文件类型{kind}：{name}。只能导入 {_SUPPORTED_LIST} 文件；{hint}"


# --- decoding ------------------------------------------------------------

_BINARY_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode_text(data: bytes, name: str = "文件", declared: str | None = None) -> str:
    """Return ``data`` decoded as UTF-8 (with or without BOM), UTF-16 (with BOM) or GB18030/GBK.

    ``declared`` is an encoding the file names itself (an HTML ``charset``),
    tried after UTF-8.  Raises :class:`ImportFailed` for binary or undecodable data.
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec if codec == "utf-8" else _utf16_codec(bom))
            except UnicodeDecodeError:
                raise ImportFailed(_undecodable(name)) from None
            return text
    if b"\x00" in data or len(_BINARY_CONTROL.findall(data[:65536])) > max(8, len(data[:65536]) // 100):
        raise ImportFailed(f"{name} 不是文本文件（含二进制内容）；请确认文件类型，或另存为 .txt/.docx 后再导入")
    # Valid UTF-8 beats a declaration: pages often keep a stale charset=gb2312 after conversion.
    codecs_to_try = ["utf-8", "gb18030"]
    if declared and declared not in codecs_to_try:
        codecs_to_try.insert(1, declared)
    for codec in codecs_to_try:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if codec == "utf-8" or _plausible(text):
            return text
    raise ImportFailed(_undecodable(name))


def _utf16_codec(bom: bytes) -> str:
    return "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"


def _undecodable(name: str) -> str:
    return f"无法识别 {name} 的文字编码（不是 UTF-8、UTF-16 或 GB18030/GBK）；请另存为 UTF-8 编码的文本后再导入"


#: what a wrong legacy decoding produces: control characters and private-use code points
_MOJIBAKE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\U000f0000-\U0010ffff]")


def _plausible(text: str) -> bool:
    """Whether a legacy-codec decoding looks like real text rather than mojibake."""
    return len(_MOJIBAKE.findall(text)) <= max(2, len(text) // 100)


_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


# --- plain text ----------------------------------------------------------

_NUMBERED_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十]+[，,、]|\d{1,2}[.．、](?!\d))"
)
_LINE_END_PUNCT = "，,：:；;。！？!?、"


def read_plain_text(text: str) -> tuple[list[Block], str | None]:
    """Return one soft-broken block per non-empty line and a title guess.

    The first line is taken as the title when it is short, is not followed by
    punctuation that would continue it, and is not a numbered heading.
    """
    lines = [line.strip(" \t\u3000\u00a0\ufeff") for line in text.splitlines()]
    blocks = [Block(line) for line in lines if line]
    _check_blocks(blocks, "文本")
    return _first_line_title(blocks)


def _first_line_title(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """Mark the opening line that reads like a title as the title; return the blocks and the title.

    A title is short, does not end in punctuation that would continue it, is
    not a numbered heading and is followed by more text.  An official
    document's masthead (…文件) and number (…〔2024〕3号) before it are skipped.
    """
    for index, block in enumerate(blocks[:4]):
        text = block.text
        if index == len(blocks) - 1 or block.level is not None or not _title_like(text):
            break
        if _NOT_A_TITLE.search(text):
            continue
        return _title_lines(blocks, index)
    return blocks, None


#: A title line ending in one of these runs on into the next line (关于…的 / 实施意见).
_TITLE_RUNS_ON = "的和与及、在对于之"


def _title_lines(blocks: list[Block], index: int) -> tuple[list[Block], str]:
    """Mark the title starting at ``blocks[index]`` and the lines that continue it; return the joined title.

    A title may take several lines: a second line that reads like a title (a
    report's two clauses, or 关于…的 / 实施意见), and a subtitle starting with
    ——.  A short line (a speaker's name), a date, a number or a parenthesis
    ends it, and so does the last line (a title is followed by text).
    """
    lines = [blocks[index].text]
    end = index + 1
    while end < len(blocks) - 1 and len(lines) < 4:
        text = blocks[end].text
        runs_on = lines[-1][-1] in _TITLE_RUNS_ON
        subtitle = text.startswith(("——", "—", "--"))
        if blocks[end].level is not None or _NOT_A_TITLE.search(text) or text[0] in "（(【[《":
            break
        if not subtitle and (not _title_like(text) or (len(text) <= 4 and not runs_on)):
            break
        if sum(map(len, lines)) + len(text) > 100:
            break
        lines.append(text)
        end += 1
    title = lines[0]
    for line in lines[1:]:
        title += line if title[-1] in _TITLE_RUNS_ON or line.startswith("—") else " " + line
    for i in range(index, end):
        blocks[i] = Block(blocks[i].text, is_title=True, soft_break=False)
    return blocks, title


def _title_like(text: str) -> bool:
    return (
        len(text) <= 40
        and text[-1] not in _LINE_END_PUNCT
        and not _NUMBERED_START.match(text)
        and "×" not in text
        and "。" not in text
    )


# --- Markdown ------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def read_markdown_text(text: str) -> tuple[list[Block], str | None]:
    """Return the paragraphs of a Markdown text with markup removed, and its title.

    Headings come from ``#`` (and underlined) headings; a lone top-level
    heading at the start is the title.  A ``title:`` in YAML front matter is
    the title too.
    """
    import markdown

    title = None
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front.group(1).splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() in ("title", "标题") and value.strip():
                title = value.strip().strip("\"'")
        text = text[front.end() :]
    _check_markdown_depth(text)
    html = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
    from lxml import html as lxml_html

    if not html.strip():
        return [], title
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    blocks = _blocks_from_element(root)
    blocks, heading_title = _normalise_headings(blocks)
    return blocks, title or heading_title


def _check_markdown_depth(text: str) -> None:
    """Refuse Markdown beyond the budgets of :func:`dangjian.kb.limits.markdown_problem`."""
    problem = limits.markdown_problem(text)
    if problem:
        raise ImportFailed(problem)


# --- HTML ----------------------------------------------------------------

_DROP_TAGS = (
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
    "template", "svg", "button", "select", "input", "textarea", "object", "embed", "canvas",
)
_BOILERPLATE_ATTR = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|footer|foot|header|topbar|ad|ads|advert|advertisement|"
    r"banner|guanggao|gg|comment|comments|reply|share|social|sidebar|side|breadcrumb|crumb|related|"
    r"recommend|hot|copyright|login|toolbar|pagination|pager|page-nav|subscribe|qrcode|popup|modal)"
    r"(?:$|[-_\s\d])",
    re.I,
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def read_html_text(text: str) -> tuple[list[Block], str | None]:
    """Return the main text of a web page as blocks, and its title.

    Scripts, styles, navigation, headers, footers, sidebars, forms and elements
    whose class or id names navigation, ads, comments, sharing or sidebars are
    dropped; the ``<article>``, ``<main>`` or the element holding most Chinese
    text is read.  Headings come from h1–h4.
    """
    from lxml import etree
    from lxml import html as lxml_html

    text = re.sub(r"\A\s*<\?xml[^>]*\?>", "", text)
    if text.count("<") > 2 * limits.MAX_HTML_ELEMENTS:  # before the parser builds the tree
        raise ImportFailed(f"网页的元素超过 {limits.MAX_HTML_ELEMENTS:,} 个（上限），请拆分成几个文件后再导入")
    try:
        doc = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return [], None
    _check_html_depth(doc)
    page_title = full_title = None
    title_el = doc.find(".//title")
    if title_el is not None and title_el.text_content().strip():
        full_title = _collapse(title_el.text_content())
        page_title = _site_title(title_el.text_content())
    for el in list(doc.iter(etree.Comment, etree.ProcessingInstruction)):
        _remove(el)
    head = doc.find("head")
    if head is not None:
        _remove(head)
    for el in list(doc.iter(*_DROP_TAGS)):
        _remove(el)
    total = _cjk_count(doc)
    for el in list(doc.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        attrs = " ".join(filter(None, (el.get("class"), el.get("id"))))
        if attrs and _BOILERPLATE_ATTR.search(attrs) and el.tag not in ("html", "body", "article", "main"):
            # A class name is only a hint: never drop the element that holds most of the page's text.
            if _cjk_count(el) * 2 <= total:
                _remove(el)
    root = _main_element(doc)
    heading_texts = [_collapse(h.text_content()) for tag in ("h1", "h2") for h in root.iter(tag)]
    blocks = _blocks_from_element(root)
    blocks, heading_title = _normalise_headings(blocks)
    title = _page_title([t for t in (heading_title, *heading_texts) if t], full_title) or page_title
    if title != heading_title:
        for block in blocks:
            if block.is_title and block.text == heading_title:
                block.is_title = False  # site navigation, not the article's title: not text either
                block.text = ""
            elif block.level is not None and block.text == title:
                block.is_title, block.level = True, None
                break
        blocks = [b for b in blocks if b.text]
    return blocks, title


def _check_html_depth(root) -> None:
    """Refuse a page nested deeper than the budget (the text walk recurses per level) or with too many elements."""
    stack = [(root, 0)]
    count = 0
    while stack:
        el, depth = stack.pop()
        count += 1
        if depth > limits.MAX_DEPTH:
            raise ImportFailed(f"网页的元素嵌套超过 {limits.MAX_DEPTH} 层，不像正常网页，未导入")
        if count > limits.MAX_HTML_ELEMENTS:
            raise ImportFailed(f"网页的元素超过 {limits.MAX_HTML_ELEMENTS:,} 个（上限），请拆分成几个文件后再导入")
        stack.extend((child, depth + 1) for child in el)


#: Headings that name a site or its navigation, not the article (网站首页, 当前位置).
_SITE_HEADING = re.compile(r"首页|主页|网站|门户|导航|当前位置|您的位置|栏目|频道|登录|注册|网$|^欢迎")


def _page_title(headings: list[str], full_title: str | None) -> str | None:
    """The article's title: the heading that the page's ``<title>`` names, else the first heading that is
    not site navigation (网站首页); None when there is none (the caller takes the ``<title>``)."""
    candidates = [h for h in dict.fromkeys(headings) if h and not (_SITE_HEADING.search(h) and len(h) <= 12)]
    chosen = None
    if full_title:
        named = [h for h in candidates if len(h) >= 4 and h in full_title]
        chosen = named[0] if named else None
    if chosen is None and candidates:
        chosen = candidates[0]
    return chosen


def _remove(el) -> None:
    """Remove an element but keep its tail text (the text after it belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    previous = el.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _site_title(title: str) -> str:
    """The page title without a trailing site name (``标题_某某网`` → ``标题``)."""
    title = _collapse(title)
    parts = [p.strip() for p in re.split(r"\s*[-_|｜–—]+\s*", title) if p.strip()]
    if len(parts) > 1:
        return max(parts, key=lambda p: len(_CJK.findall(p)) or len(p) / 10)
    return title


def _cjk_count(el) -> int:
    return len(_CJK.findall(el.text_content()))


def _main_element(doc):
    body = doc.find("body")
    if body is None:
        body = doc
    total = _cjk_count(body)
    candidates = [el for el in body.iter("article", "main") if isinstance(el.tag, str)]
    candidates += [el for el in body.iter() if isinstance(el.tag, str) and el.get("role") == "main"]
    if candidates:
        best = max(candidates, key=_cjk_count)
        if _cjk_count(best) >= max(20, total // 3):
            return best
    scores: dict = {}
    for p in body.iter("p", "div", "td", "li", "section", "br"):
        parent = p.getparent()
        if parent is None:
            continue
        own = len(_CJK.findall((p.text or "") + "".join(c.tail or "" for c in p)))
        if p.tag == "br":
            own = len(_CJK.findall(p.tail or ""))
        if own:
            scores[parent] = scores.get(parent, 0) + own
    if scores:
        best = max(scores, key=scores.get)
        if _cjk_count(best) >= total // 2:
            return best
    return body


_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "figure", "figcaption",
    "address", "center", "body", "html", "hr", "td", "th",
}
_HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
_LAYOUT_INSIDE = {"p", "div", "table", "br", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"}


def _layout_row(row) -> bool:
    """Whether a table row lays out a page (its cells hold paragraphs) rather than holding data."""
    return any(isinstance(el.tag, str) and el.tag in _LAYOUT_INSIDE for el in row.iterdescendants())


_WIDE = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’"
_NEWLINE_IN_CHINESE = re.compile(f"(?<=[{_WIDE}])\\s*\\n\\s*(?=[{_WIDE}])")


def _collapse(text: str) -> str:
    """Collapse HTML whitespace: a run with a newline between Chinese characters vanishes."""
    text = text.replace("\u00a0", " ")
    text = _NEWLINE_IN_CHINESE.sub("", text)
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip(" ")


def _blocks_from_element(root) -> list[Block]:
    """Walk an element tree and return its text as blocks (one per paragraph, heading or table row)."""
    blocks: list[Block] = []
    buffer: list[str] = []

    def flush(soft: bool = False, level: int | None = None) -> None:
        text = _collapse("".join(buffer)).strip(" \u3000")
        buffer.clear()
        if text:
            blocks.append(Block(text, level=level, soft_break=soft and level is None))

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            flush(soft=True)
            if el.tail:
                buffer.append(el.tail)
            return
        if tag == "tr" and not _layout_row(el):
            flush()
            cells = [_collapse(c.text_content()) for c in el if isinstance(c.tag, str) and c.tag in ("td", "th")]
            cells = [c for c in cells if c]
            if cells:
                blocks.append(Block("｜".join(cells), soft_break=False))
            if el.tail:
                buffer.append(el.tail)
            return
        is_block = tag in _BLOCK_TAGS
        if is_block:
            flush()
        if tag == "li":
            parent = el.getparent()
            if parent is not None and parent.tag == "ol":
                items = [c for c in parent if isinstance(c.tag, str) and c.tag == "li"]
                try:
                    start = int(parent.get("start", "1"))
                except ValueError:
                    start = 1
                buffer.append(f"{start + items.index(el)}. ")
        if el.text:
            buffer.append(el.text)
        for child in el:
            walk(child)
        if is_block:
            flush(level=_HEADING_LEVEL.get(tag))
        if el.tail:
            buffer.append(el.tail)

    walk(root)
    flush()
    return blocks


def _normalise_headings(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """Mark a lone top-level heading at the start as the title and make the top remaining level 1.

    Returns the blocks and the title (``None`` when there is no such heading).
    """
    title = next((b.text for b in blocks if b.is_title), None)
    headings = [b for b in blocks if b.level is not None and not b.is_title]
    if not headings:
        return blocks, title
    top = min(b.level for b in headings)
    first = headings[0]
    deeper = [b for b in headings if b.level > top]
    if (
        title is None
        and first is blocks[0]
        and first.level == top
        and sum(1 for b in headings if b.level == top) == 1
        and (deeper or len(blocks) > 1)
    ):
        first.is_title = True
        first.level = None
        title = first.text
        headings = deeper
    if headings:
        shift = min(b.level for b in headings) - 1
        for b in headings:
            b.level -= shift
    return blocks, title


# --- Word (.docx) ----------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def read_docx_bytes(data: bytes, name: str = "文件") -> tuple[list[Block], str | None]:
    """Return the paragraphs and table rows of a .docx file in body order, and its title.

    Heading levels come from paragraph styles (Heading 1…, 标题 1…, or an
    outline level); the Title style marks the title.  Automatic list numbers
    are written out (``一、``, ``（一）``, ``1.``) so that numbered headings are
    found as in plain text.
    """
    import io

    from lxml import etree

    corrupt = (
        f"{name} 不是有效的 .docx 文件（已损坏，或不是 Word 2007 及以后的格式）；"
        "请用 Word 或 WPS 打开后重新另存为 .docx"
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise ImportFailed(corrupt)
        # Sizes counted as the parts decompress, not taken from the (forgeable) headers.
        budget = limits.Budget(name)

        def part(member: str):
            if member not in names:
                return None
            return limits.parse_xml(limits.read_zip_member(archive, member, budget), f"{name} 的 {member}")

        document = part("word/document.xml")
        styles = part("word/styles.xml")
        numbering = part("word/numbering.xml")
    except ImportFailed:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, etree.XMLSyntaxError, KeyError, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, zlib.error):
        raise ImportFailed(corrupt) from None
    body = document.find(f"{{{_W}}}body")
    if body is None:
        raise ImportFailed(corrupt)
    paragraphs = sum(1 for _ in body.iter(_w("p")))
    if paragraphs > limits.MAX_BLOCKS:
        raise ImportFailed(f"{name} 有 {paragraphs:,} 个段落，超过上限 {limits.MAX_BLOCKS:,}；请拆分成几个文件后再导入")
    style_info = _docx_styles(styles)
    numberer = _Numberer(numbering, style_info)
    blocks: list[Block] = []
    centered: set[int] = set()
    _docx_walk(body, blocks, style_info, numberer, centered)
    _check_blocks(blocks, name)
    blocks = _merge_title_lines(blocks)
    if not any(b.is_title for b in blocks):
        blocks = _centered_title(blocks, centered)
    title = next((b.text for b in blocks if b.is_title), None)
    blocks, heading_title = _normalise_headings(blocks)
    if title or heading_title:
        return blocks, title or heading_title
    return _first_line_title(blocks)


def _merge_title_lines(blocks: list[Block]) -> list[Block]:
    """Join consecutive title paragraphs (a two-line title) into one title block."""
    out: list[Block] = []
    for block in blocks:
        if block.is_title and out and out[-1].is_title:
            out[-1] = Block(out[-1].text + block.text, is_title=True, soft_break=False)
        else:
            out.append(block)
    return out


_NOT_A_TITLE = re.compile(r"文件$|〔\d{4}〕|\[\d{4}\]|\d+\s*号$|^\d{4}\s*年.*日$|^[（(]?(?:密级|特急|加急)|^-\s*\d+\s*-$")


def _centered_title(blocks: list[Block], centered: set[int]) -> list[Block]:
    """Mark the title of a document without a Title style: the centered lines that open it.

    An official document opens with centered lines — the issuer's masthead
    (…文件), the document number (…〔2024〕3号) and the title, which may take
    two lines; the title is the last run of those that is neither.
    """
    lead = []
    for block in blocks[:8]:
        if id(block) not in centered or block.level is not None:
            break
        lead.append(block)
    if not lead or len(lead) == len(blocks):
        return blocks
    run: list[Block] = []
    for block in lead:
        if _NOT_A_TITLE.search(block.text) or len(block.text) > 60 or re.search(r"[。；]$", block.text):
            run = []
        else:
            run.append(block)
    if not run:
        return blocks
    title = Block("".join(b.text for b in run), is_title=True, soft_break=False)
    first = blocks.index(run[0])
    return blocks[:first] + [title] + blocks[first + len(run) :]


_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
#: styles of an official document's masthead and end block, which are not its text
_FURNITURE_STYLES = {"发文机关标志", "版记", "RedMark", "EndBlock", "header", "footer", "页眉", "页脚"}


def _int_val(el) -> int | None:
    value = el.get(_w("val"), "") if el is not None else ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 6 else None


def _level_val(el, attr: str = "val") -> int:
    """A list level (``w:ilvl``): 0–8 in Word; anything else counts as 0."""
    value = el.get(_w(attr), "") if el is not None else ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 2 else 0


def _docx_styles(styles) -> dict[str, dict]:
    """Map styleId → {'level': int|None, 'title': bool, 'num': (numId, ilvl)|None} following basedOn."""
    raw: dict[str, dict] = {}
    if styles is None:
        return {}
    for count, style in enumerate(styles.iter(_w("style"))):
        if count >= limits.MAX_STYLES:
            break
        sid = style.get(_w("styleId"))
        if not sid:
            continue
        name_el = style.find("w:name", _NS)
        name = (name_el.get(_w("val")) if name_el is not None else "") or ""
        based = style.find("w:basedOn", _NS)
        outline = style.find("w:pPr/w:outlineLvl", _NS)
        jc = style.find("w:pPr/w:jc", _NS)
        num_id = style.find("w:pPr/w:numPr/w:numId", _NS)
        ilvl = style.find("w:pPr/w:numPr/w:ilvl", _NS)
        raw[sid] = {
            "name": name.strip(),
            "based": based.get(_w("val")) if based is not None else None,
            "outline": _int_val(outline),
            "center": jc.get(_w("val")) == "center" if jc is not None else None,
            "num": (num_id.get(_w("val")), _level_val(ilvl)) if num_id is not None else None,
        }

    # Each style resolved once (memoized); a basedOn cycle or a chain longer
    # than 20 ends as if the style had no base.
    resolved: dict[str, dict] = {}
    resolving: set[str] = set()

    def resolve(sid: str, depth: int = 0) -> dict:
        if sid in resolved:
            return resolved[sid]
        info = raw.get(sid)
        if info is None or depth > 20 or sid in resolving:
            return {"level": None, "title": False, "num": None, "center": None, "furniture": False}
        resolving.add(sid)
        try:
            result = _resolve_style(sid, info, depth)
        finally:
            resolving.discard(sid)
        resolved[sid] = result
        return result

    def _resolve_style(sid: str, info: dict, depth: int) -> dict:
        name = info["name"]
        lowered = name.lower()
        match = _HEADING_NAME.match(name) or _HEADING_NAME.match(sid)
        if lowered in ("title", "标题") or sid.lower() == "title":
            result = {"level": None, "title": True}
        elif match:
            result = {"level": int(match.group(1)), "title": False}
        elif info["outline"] is not None and info["outline"] < 9:
            result = {"level": info["outline"] + 1, "title": False}
        elif info["based"]:
            base = resolve(info["based"], depth + 1)
            result = {"level": base["level"], "title": base["title"]}
        else:
            result = {"level": None, "title": False}
        base = resolve(info["based"], depth + 1) if info["based"] else None
        result = dict(result)
        result["num"] = info["num"] if info["num"] is not None or base is None else base["num"]
        result["center"] = info["center"] if info["center"] is not None or base is None else base["center"]
        result["furniture"] = name in _FURNITURE_STYLES or sid in _FURNITURE_STYLES
        return result

    return {sid: resolve(sid) for sid in raw}


_CN_DIGITS = "零一二三四五六七八九"
_CHINESE_FORMATS = {
    "chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting", "chineseLegalSimplified"
}


def _chinese_number(n: int) -> str:
    """Return ``n`` in Chinese numerals, as list numbers are written (十一, 二十, 一百零五, 一千二百).

    Numbers from 10,000 up are written in Arabic digits.
    """
    if n < 0 or n >= 10_000:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n - 10] if n > 10 else "")
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero and out:
                out += "零"
            out += _CN_DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return out


class _Numberer:
    """Writes out Word's automatic list numbers as text (``一、``, ``（二）``, ``3.``)."""

    def __init__(self, numbering, styles: dict[str, dict]) -> None:
        self.formats: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if numbering is None:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        seen = 0
        for an in numbering.iter(_w("abstractNum")):
            levels = {}
            for lvl in an.iter(_w("lvl")):
                seen += 1
                if seen > limits.MAX_NUMBERING:
                    break
                fmt = lvl.find("w:numFmt", _NS)
                text = lvl.find("w:lvlText", _NS)
                start = lvl.find("w:start", _NS)
                levels[_level_val(lvl, "ilvl")] = (
                    fmt.get(_w("val")) if fmt is not None else "decimal",
                    text.get(_w("val")) if text is not None else "",
                    _int_val(start) if _int_val(start) is not None else 1,
                )
            abstract[an.get(_w("abstractNumId"))] = levels
        for num in numbering.iter(_w("num")):
            ref = num.find("w:abstractNumId", _NS)
            if ref is not None and ref.get(_w("val")) in abstract:
                self.formats[num.get(_w("numId"))] = abstract[ref.get(_w("val"))]

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.formats.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, pattern, start = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none") or not pattern:
            return ""

        def render(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            value = counters.get(level, levels.get(level, ("decimal", "", 1))[2])
            level_fmt = levels.get(level, ("decimal", "", 1))[0]
            if level_fmt in _CHINESE_FORMATS:
                return _chinese_number(value)
            if level_fmt in ("lowerLetter", "upperLetter"):
                letter = chr(ord("a") + (value - 1) % 26)
                return letter.upper() if level_fmt == "upperLetter" else letter
            return str(value)

        return re.sub(r"%(\d)", render, pattern)


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_SKIP_ANCESTORS = {_w("del"), f"{{{_MC}}}Fallback"}


def _paragraphs_in(el):
    """Yield the paragraphs inside ``el`` in document order, except those in deleted or fallback content."""
    stack = list(reversed(el))
    while stack:
        node = stack.pop()
        if node.tag in _SKIP_ANCESTORS:
            continue
        if node.tag == _P:
            yield node
        stack.extend(reversed(node))


def _docx_paragraph_text(p, checked: bool = False) -> list[str]:
    """Return the visible text of a paragraph, split at manual line breaks.

    Deleted revisions, and the fallback copy Word keeps of every text box, are
    skipped as whole subtrees (one pass over the paragraph, whatever its depth).
    ``checked``: the caller knows no ancestor of ``p`` is such content.
    """
    lines: list[list[str]] = [[]]  # pieces of each line, joined once (no quadratic string growth)
    if not checked and any(a.tag in _SKIP_ANCESTORS for a in p.iterancestors()):
        return [""]
    stack = [p]
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag in _SKIP_ANCESTORS:
            continue
        if tag == _T:
            lines[-1].append(el.text or "")
        elif tag == _TAB:
            if el.getparent() is not None and el.getparent().tag == _R:
                lines[-1].append(" ")
        elif tag in _BREAKS:
            if el.get(_w("type")) in (None, "textWrapping"):
                lines.append([])
        elif tag == _NB_HYPHEN:
            lines[-1].append("-")
        else:
            stack.extend(reversed(el))
    return ["".join(line) for line in lines]


_T, _TAB, _R, _P, _NB_HYPHEN = _w("t"), _w("tab"), _w("r"), _w("p"), _w("noBreakHyphen")
_BREAKS = {_w("br"), _w("cr")}


def _docx_walk(
    container, blocks: list[Block], styles: dict[str, dict], numberer: _Numberer, centered_blocks: set[int]
) -> None:
    for child in container:
        tag = child.tag
        if tag == _w("p"):
            _docx_paragraph(child, blocks, styles, numberer, centered_blocks)
        elif tag == _w("tbl"):
            for row in child.iter(_w("tr")):
                if any(anc.tag == _w("tbl") for anc in row.iterancestors() if anc is not child):
                    continue  # rows of nested tables are part of their cell's text
                cells = []
                for cell in row.findall("w:tc", _NS):
                    texts = ["".join(_docx_paragraph_text(p, checked=True)).strip() for p in _paragraphs_in(cell)]
                    cells.append(" ".join(t for t in texts if t))
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    blocks.append(Block("｜".join(cells), soft_break=False))
        elif tag in (_w("sdt"), _w("customXml"), _w("smartTag")):
            content = child.find("w:sdtContent", _NS) if tag == _w("sdt") else child
            if content is not None:
                _docx_walk(content, blocks, styles, numberer, centered_blocks)


def _style_from_id(sid: str) -> dict:
    """What a style id says by itself (``Heading1``, ``Title``) when styles.xml does not define it."""
    match = _HEADING_NAME.match(sid)
    return {
        "level": int(match.group(1)) if match else None,
        "title": sid.lower() == "title",
        "num": None,
        "center": None,
        "furniture": False,
    }


def _docx_paragraph(
    p, blocks: list[Block], styles: dict[str, dict], numberer: _Numberer, centered_blocks: set[int]
) -> None:
    ppr = p.find("w:pPr", _NS)
    info = {"level": None, "title": False, "num": None, "center": None, "furniture": False}
    num = None
    outline = None
    centered = bool(styles.get("Normal", {}).get("center"))
    if ppr is not None:
        style = ppr.find("w:pStyle", _NS)
        if style is not None:
            sid = style.get(_w("val")) or ""
            info = styles.get(sid) or _style_from_id(sid)
            centered = bool(info.get("center"))
        jc = ppr.find("w:jc", _NS)
        if jc is not None:
            centered = jc.get(_w("val")) == "center"
        num_id = ppr.find("w:numPr/w:numId", _NS)
        if num_id is not None:
            num = (num_id.get(_w("val")), _level_val(ppr.find("w:numPr/w:ilvl", _NS)))
        lvl = _int_val(ppr.find("w:outlineLvl", _NS))
        if lvl is not None and lvl < 9:
            outline = lvl + 1
    num = num or info.get("num")
    pieces = [piece.strip(" \u3000\u00a0") for piece in _docx_paragraph_text(p)]
    label = numberer.label(*num) if num else ""
    pieces = [x for x in pieces if x]
    if not pieces or info.get("furniture"):
        return
    if label and not pieces[0].startswith(label.strip()):
        pieces[0] = label + pieces[0] if label[-1:] in "、.．）)，, " else label + " " + pieces[0]
    level = outline or info["level"]
    if info["title"]:
        blocks.append(Block("".join(pieces), is_title=True, soft_break=False))
        return
    if level is not None:
        text = " ".join(pieces) if all(piece.isascii() for piece in pieces) else "".join(pieces)
        blocks.append(Block(text, level=level, soft_break=False))
        return
    for i, piece in enumerate(pieces):
        blocks.append(Block(piece, soft_break=i < len(pieces) - 1))
        if centered:
            centered_blocks.add(id(blocks[-1]))

