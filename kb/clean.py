"""Clean scraped text: paragraph marks, punctuation, broken lines, advertisements, lost numbers.

Documents copied from websites carry artifacts that are repaired here by
general rules (the bundled guidance is such a copy, and so are many files
users import):

* ``×`` used as a paragraph mark — at line starts (``×``/``××``), after a
  numbered heading (``…有序进行×根据…``) and after a sentence (``。 ×第一，``) —
  becomes a paragraph break; ``×××`` inside a sentence is a redaction and
  stays.
* Half-width ``, : ; ( ) ? !`` next to Chinese text become full-width; Latin
  text, numbers and URLs are left alone; full-width punctuation is never
  touched.
* A plain-text line that ends mid-sentence is joined to the next line, even
  when the next line starts like a heading (``…都要解决⏎一、两个…``).
* Advertisement and site lines (prices, 免费/会员/下载 promotions, 上一篇,
  版权所有, 扫码关注 …) are dropped and listed in :attr:`Cleaned.dropped`.
* Control and zero-width characters are removed.

:func:`find_gaps` finds the places where a number was stripped from the text
(``不少于个月``, ``用天时间``, ``只有-人``) so that they can be shown, never filled in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Gap
from .readers import Block

# --- shared character classes and numbering patterns ------------------------

#: characters that make a neighbouring half-width mark "Chinese punctuation"
_CJK_CONTEXT = "\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201f\u2026\u2014"
_CJK_RE = re.compile(f"[{_CJK_CONTEXT}]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

CN_NUM = "一二三四五六七八九十"
#: part heading marker at the start of a paragraph: 一、
PART_MARK = re.compile(rf"^([{CN_NUM}]+)、")
#: item markers at the start of a paragraph: 第一， / （一）
ITEM_MARK = re.compile(rf"^(?:第([{CN_NUM}]+)[，、]|（([{CN_NUM}]+)）)")
#: third-level markers: 1. / 1、 / 1．
ARABIC_MARK = re.compile(r"^(\d{1,2})[.．、](?!\d)")
#: fourth-level markers: （1）
PAREN_ARABIC_MARK = re.compile(r"^（(\d{1,2})）")

_NUMBERED = re.compile(
    rf"^(?:[{CN_NUM}]+、|第[{CN_NUM}]+[，、,]|[（(][{CN_NUM}\d]+[)）]|\d{{1,2}}[.．、](?!\d))"
)


@dataclass
class Cleaned:
    """The result of :func:`clean_blocks`."""

    blocks: list[Block]  #: cleaned paragraphs
    dropped: list[str] = field(default_factory=list)  #: lines removed as ads/site boilerplate, verbatim


def clean_blocks(blocks: list[Block]) -> Cleaned:
    """Return the blocks cleaned of scraping artifacts, and the lines dropped as boilerplate.

    Steps, in order: remove control characters; split at ``×`` paragraph
    marks; drop advertisement and site lines; make punctuation next to
    Chinese full-width; join lines broken inside a sentence; merge a short
    salutation line (``同志们：``) into the paragraph it opens.
    """
    normalised = [Block(strip_controls(b.text), b.level, b.is_title, b.soft_break) for b in blocks]
    normalised = [b for b in normalised if b.text]
    x_breaks = _uses_x_breaks([b.text for b in normalised])
    dropped: list[str] = []
    pieces: list[Block] = []
    for block in normalised:
        if block.is_title or block.level is not None:
            parts = [_X_LINE_START.sub("", block.text)] if x_breaks else [block.text]
        else:
            parts = split_x_breaks(block.text, line_start=x_breaks)
        for i, text in enumerate(parts):
            text = text.strip(" \t\u3000")
            if not text:
                continue
            if not block.is_title and is_boilerplate(text):
                dropped.append(text)
                continue
            soft = block.soft_break if i == len(parts) - 1 else False
            pieces.append(Block(fix_punctuation(text), block.level, block.is_title, soft))
    joined = _join_broken_lines(pieces)
    return Cleaned(_merge_salutations(joined), dropped)


# --- characters ------------------------------------------------------------

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufffe\u00ad]")


def strip_controls(text: str) -> str:
    """Return ``text`` without control, zero-width and direction characters; tabs and NBSPs become spaces."""
    text = text.replace("\t", " ").replace("\u00a0", " ")
    text = _CONTROLS.sub("", text)
    return text.strip(" \u3000\r\n")


_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_PAIR = re.compile(r"\(([^()\n]*)\)")
_HALF_WIDTH = re.compile(r"[,:;?!()]")


def _cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_RE.match(ch))


def fix_punctuation(text: str) -> str:
    """Return ``text`` with half-width ``, : ; ( ) ? !`` next to Chinese made full-width.

    A mark changes only when a neighbouring character is Chinese (or Chinese
    punctuation); a bracket pair changes when it encloses Chinese or follows
    Chinese.  ``3.5``, ``a, b``, ``f(x)`` and URLs are unchanged.
    """
    marks = [m.start() for m in _HALF_WIDTH.finditer(text)]
    if not marks:
        return text
    chars = list(text)
    pairs = [(m.start(), m.end() - 1, m.group(1)) for m in _PAIR.finditer(text)]
    paired = {i for start, end, _ in pairs for i in (start, end)}
    for i in marks:
        if i not in paired:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if _cjk(before) or _cjk(after):
                chars[i] = _HALF_TO_FULL[text[i]]
    for start, end, inner in pairs:
        before = chars[start - 1] if start else ""
        after = chars[end + 1] if end + 1 < len(chars) else ""
        if _HAN.search(inner) or _cjk(before) or (before in ("", " ") and _cjk(after)):
            chars[start], chars[end] = "（", "）"
    return "".join(chars)


# --- × paragraph marks --------------------------------------------------------

_X_LINE_START = re.compile(r"^×{1,2}(?!×)(?=[^\s：:，,、；;。])")
_X_AFTER_SENTENCE = re.compile(r"(?<=[。！？；])[ \u3000]*×{1,2}(?!×)")
_X_BEFORE_ITEM = re.compile(rf"(?<!×)×{{1,2}}(?=第[{CN_NUM}]+[，,、]|[（(][{CN_NUM}]+[)）])")
_X_AFTER_HEADING = re.compile(rf"^((?:[{CN_NUM}]+、|第[{CN_NUM}]+[，,、]|[（(][{CN_NUM}]+[)）])[^。×\n]{{2,80}}?)(?<!×)×(?!×)")


def _uses_x_breaks(lines: list[str]) -> bool:
    """Whether the text marks paragraphs with ``×`` (rather than using it as a placeholder)."""
    starts = sum(1 for line in lines if _X_LINE_START.match(line))
    inline = any(_X_AFTER_SENTENCE.search(line) for line in lines)
    return (starts >= 2 and starts * 5 >= len(lines)) or (starts >= 1 and inline)


def split_x_breaks(text: str, line_start: bool = True) -> list[str]:
    """Return the paragraphs of a line that uses ``×`` as a paragraph mark.

    ``line_start`` says whether a leading ``×``/``××`` is a mark (decided per
    document); marks after a heading, after a sentence end and before an item
    marker are always breaks.  ``×××`` is never a mark.
    """
    if line_start:
        text = _X_LINE_START.sub("", text)
    heading = _X_AFTER_HEADING.match(text)
    head: list[str] = []
    if heading:
        head = [heading.group(1)]
        text = text[heading.end() :]
    text = _X_AFTER_SENTENCE.sub("\n", text)
    text = _X_BEFORE_ITEM.sub("\n", text)
    return head + [piece for piece in text.split("\n")]


# --- boilerplate --------------------------------------------------------------

_CHROME = re.compile(
    r"^(?:上一篇|下一篇|上一页|下一页|上一章|下一章|返回顶部|返回首页|返回列表|打印本页|关闭窗口|分享到|"
    r"扫一扫|微信扫|相关阅读|相关文章|相关链接|推荐阅读|热门文章|热门推荐|延伸阅读|猜你喜欢|"
    r"责任编辑|网站地图|联系我们|免责声明|版权声明|【打印】|【关闭】|【字号|字号[:：]?[大中小])"
)
_CHROME_ANYWHERE = re.compile(
    r"版权所有|Copyright|©|ICP备|ICP证|All Rights Reserved|关注(?:我们的)?(?:微信)?公众号|扫码关注|扫描二维码|"
    r"公网安备|本站(?:所有|内容|声明)|转载请注明",
    re.I,
)
_META = re.compile(r"^(?:来源|稿源|发布时间|发布日期|更新时间|浏览次数|浏览量|阅读量|点击数|点击量|作者)[:：]")
_SITE_MARK = re.compile(r"\d|网|报|社|www|\.com|\.cn|\.net|http", re.I)
#: words that sell something
_PROMO = re.compile(
    r"免费|会员|VIP|下载|登录|注册|充值|开通|购买|订阅|优惠|特价|折扣|仅需|仅售|尊享|权益|领取|限时|秒杀|包邮|"
    r"广告|推广|客服|加微信|QQ群|点击进入|立即",
    re.I,
)
#: what such sites sell
_WARES = re.compile(r"试题|题库|资源|范文|作文|课件|教案|万套|万篇|万道")
_PRICE = re.compile(r"\d\s*(?:元|块|折)|[￥¥]\s*\d|\d+(?:\.\d+)?\s*元")
_PAGINATION = re.compile(r"^(?:\d+|[\s|｜]|首页|尾页|末页|上一页|下一页|共\d+页|第\d+页|页|[>»«<])+$")


def is_boilerplate(line: str) -> bool:
    """Whether a line is a website's advertisement, navigation or copyright line rather than text.

    Only short lines qualify; a line that reads as an ordinary sentence
    (ending in 。) needs a price to count as an advertisement.
    """
    text = line.strip()
    if len(text) > 120:
        return False
    if _CHROME.match(text) and len(text) <= 80:
        return True
    if _CHROME_ANYWHERE.search(text):
        return True
    if _META.match(text) and len(text) <= 80 and _SITE_MARK.search(text):
        return True
    if len(text) <= 60 and _PAGINATION.match(text) and re.search(r"\d.*\d|页", text):
        return True
    promos = set(_PROMO.findall(text))
    wares = set(_WARES.findall(text))
    priced = bool(_PRICE.search(text))
    if _SENTENCE_END.search(text):
        return priced and len(promos) >= 2
    has_digit = bool(re.search(r"\d", text))
    return (
        (len(promos) >= 2 and (has_digit or priced))
        or (len(promos) >= 1 and len(wares) >= 2 and has_digit)
        or (priced and len(promos) >= 1)
        or len(promos) >= 3
    )


#: a sentence end, possibly followed by closing quotes and a bracketed attribution (（吴兴华）)
_SENTENCE_END = re.compile(r"[。！？!?…；;][”’」』）)》]*(?:[（(][^（()）]{1,20}[)）])?$")


# --- joining broken lines ---------------------------------------------------


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence (。！？…；, possibly followed by a closing quote or bracket)."""
    return bool(_SENTENCE_END.search(text))


def _heading_like(text: str) -> bool:
    """A short line that stands alone: a numbered heading, or a headline or label without clause punctuation."""
    if _NUMBERED.match(text) and len(text) <= 40 and "。" not in text:
        return True
    return len(text) <= 40 and not re.search(r"[，。；,;！？!?]", text)


#: characters that cannot start a sentence: a line starting with one continues the previous line
_CONTINUATION = "”’」』）)》，,。、；;：:！？!?…"


def _latin_pair(a: str, b: str) -> bool:
    """Whether two characters meeting at a line break are Latin letters or digits (so a space separates them)."""
    return a.isascii() and a.isalnum() and b.isascii() and b.isalnum()


def _wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped text was wrapped at (most lines the same length), or ``None``."""
    if len(lines) < 4:
        return None
    counts: dict[int, int] = {}
    for line in lines:
        counts[len(line)] = counts.get(len(line), 0) + 1
    width = max(counts, key=lambda n: (counts[n], n))
    near = sum(counts.get(n, 0) for n in (width - 1, width, width + 1))
    return width if width >= 15 and near * 5 >= len(lines) * 2 else None


def _continues(prev: Block, line: str, block: Block, wrap: int | None) -> bool:
    """Whether ``block`` continues the sentence that the plain-text ``line`` (ending ``prev``) broke off."""
    if not prev.soft_break or prev.level is not None or prev.is_title or block.level is not None or block.is_title:
        return False
    if ends_sentence(prev.text):
        return False
    if block.text[0] in _CONTINUATION or line.endswith(("，", ",", "、")):
        return True
    if wrap is not None and len(line) >= wrap - 1 and not _NUMBERED.match(line):
        return True
    return not _heading_like(line) and not (line.endswith(("：", ":")) and _NUMBERED.match(block.text))


def _join_broken_lines(blocks: list[Block]) -> list[Block]:
    wrap = _wrap_width([b.text for b in blocks if b.soft_break and b.level is None and not b.is_title])
    groups: list[list[Block]] = []
    for block in blocks:
        if groups and _continues(groups[-1][-1], groups[-1][-1].text, block, wrap):
            groups[-1].append(block)
        else:
            groups.append([block])
    out: list[Block] = []
    for group in groups:
        if len(group) == 1:
            out.append(group[0])
            continue
        pieces = [group[0].text]
        for before, block in zip(group, group[1:]):
            pieces.append((" " if _latin_pair(before.text[-1], block.text[0]) else "") + block.text)
        out.append(Block("".join(pieces), None, False, group[-1].soft_break))
    return out


def _merge_salutations(blocks: list[Block]) -> list[Block]:
    """Merge a short line ending in a colon (同志们：, 各党支部：) into the body paragraph after it."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            nxt is not None
            and block.level is None
            and not block.is_title
            and len(block.text) <= 15
            and block.text.endswith(("：", ":"))
            and "，" not in block.text
            and nxt.level is None
            and not nxt.is_title
            and not _NUMBERED.match(nxt.text)
        ):
            out.append(Block(block.text + nxt.text, None, False, nxt.soft_break))
            i += 2
            continue
        out.append(block)
        i += 1
    return out


# --- gaps (stripped numbers) ----------------------------------------------------

_NUMERAL = "0-9０-９零〇一二三四五六七八九十百千万两几数半多"
_QTY_WORDS = "不少于|不多于|不低于|不超过|不得少于|少于|多于|低于|超过|至少|最少|最多|为期|历时|长达|用了|需要|共计|累计|合计|总计|大约|用|需|为|于|到|至|约|共|近|满|达|有|是"
_QTY = f"(?:{_QTY_WORDS})"
#: words before a length of time (not 于/为/满/近, which form idioms with 天: 大于天, 满天, 民以食为天)
_SPAN_WORDS = "不少于|不多于|不超过|不得少于|少于|多于|超过|至少|最少|最多|为期|历时|长达|用了|需要|共计|累计|大约|连续|提前|用|需|约|共"
#: characters before 月 that make it not a month number's place (7月, ×月, 每月, 本月, 岁月 …)
_NOT_BEFORE_MONTH = _NUMERAL + "×xX每本当上下这那该同次岁日正腊闰隔前后翌某年"
#: characters after 日 that make a word (日报, 日常, 日寇), so 月日 there is not a lost day
_DAY_WORDS = "[均常益报子记程夜趋寇本军方元用新光出落照历期语文籍商资产]"

#: (pattern, kind, characters one of which the text must contain for the pattern to apply)
_GAP_PATTERNS: list[tuple[re.Pattern[str], str, str]] = [
    # Patterns lead with the unit and look back from it, so that the regex engine can skip to the unit.
    # 从年月上旬 / 于年月日: a year with no number before the month
    (re.compile(r"(?P<g>)年(?<=[从于到至在自]年)(?=月|[上下]半年)"), "年份", "年"),
    (re.compile(r"(?P<g>)月(?<=[从于到至在自]年月)"), "月份", "月"),
    (re.compile(rf"(?P<g>)日(?<=[从于到至在自]年月日)(?!{_DAY_WORDS})"), "日期", "日"),
    # 月日召开: neither month nor day
    (re.compile(rf"(?P<g>)月(?<![{_NOT_BEFORE_MONTH}]月)(?=日(?!{_DAY_WORDS}))"), "月份", "月"),
    (re.compile(rf"(?P<g>)日(?<=月日)(?<![{_NOT_BEFORE_MONTH}]月日)(?!{_DAY_WORDS})"), "日期", "日"),
    # 7月日, ×月日: a month with no day
    (re.compile(rf"(?P<g>)日(?<=[0-9０-９一二三四五六七八九十×]月日)(?!{_DAY_WORDS})"), "日期", "日"),
    # 到月基本结束, 于月上旬
    (re.compile(r"(?P<g>)月(?<=[从于到至在自]月)(?=[上中下]旬|[日号]|基本|开始|结束|完成|起|止|前后)"), "月份", "月"),
    # 不少于个月, 原则上为个月左右
    (re.compile(rf"(?P<g>)个月(?<![{_NUMERAL}每这那上下整哪某首头前后本该同隔个一]个月)"), "月数", "个"),
    # 为期天, 用天时间, 用天的时间
    (re.compile(r"为期(?P<g>)(?=(?:个)?(?:天|周|星期|个月|年|小时))"), "时长", "为"),
    (re.compile(rf"(?:{_SPAN_WORDS})(?P<g>)(?:个)?天(?=时间|的时间|左右|以上|以内|之内|内|后|完成|[，。；、]|$)"), "天数", "天"),
    (re.compile(rf"(?:{_QTY_WORDS}|第)(?P<g>)(?:周|个星期)(?=时间|的时间|左右|以上|以内|之内|内|后|[，。；、]|$)"), "周数", "周星"),
    (re.compile(r"(?:为期|历时|长达|用|需要?|共|约|满|超过|不少于|少于)(?P<g>)年(?=时间|的时间|左右|以上|以内|之内|内|[，。；、]|$)"), "年数", "年"),
    (re.compile(rf"{_QTY}(?P<g>)(?:个)?(?:小时|学时|课时)(?![候工])"), "小时数", "时"),
    # 第次, 第批: an ordinal with no number
    (re.compile(r"第(?P<g>)(?=[天次周批期届轮名]|个月)"), "序号", "第"),
    # 只有-人: a range with neither end
    (re.compile(rf"(?P<g>)[-－~～](?<=[\u4e00-\u9fff].)(?<![{_NUMERAL}].)(?=[人名个次天年周]|小时)"), "人数", "-－~～"),
    (re.compile(r"(?:共|共计|合计|总计|累计|计有|仅有|只有|配备|选派|选配)(?P<g>)名(?=[\u4e00-\u9fff])"), "人数", "名"),
    (re.compile(r"(?:共|共计|合计|总计|累计|计有)(?P<g>)人(?![民们员士物才口生家事力格性类])"), "人数", "人"),
    (re.compile(r"(?:共|共计|合计|总计|累计)(?P<g>)次(?![要序数日年])"), "次数", "次"),
    (re.compile(r"满(?<=[年不未]满)(?P<g>)周?岁"), "岁数", "岁"),
    (re.compile(r"(?:达到|超过|占|提高|增长|下降|不低于|不少于|低于)(?P<g>)[%％]"), "百分比", "%％"),
]
_RANGE_UNIT_KIND = {"人": "人数", "名": "人数", "个": "数量", "次": "次数", "天": "天数", "年": "年数", "周": "周数", "小": "小时数"}


def find_gaps(text: str) -> list[Gap]:
    """Return the places in ``text`` where a number is missing, in order of offset.

    A gap is a unit (年, 月, 日, 天, 个月, 人, 名, 次, 小时, …) directly after a
    word that expects a quantity (于, 为, 用, 有, 到, 从, 第 …) or a bare range
    dash, as in ``不少于个月`` or ``只有-人``.  ``offset`` is where the number
    would go; ``before``/``after`` are up to six characters either side.
    """
    found: dict[int, Gap] = {}
    present = set(text)
    for pattern, kind, trigger in _GAP_PATTERNS:
        if present.isdisjoint(trigger):
            continue
        for match in pattern.finditer(text):
            offset = match.start("g")
            if kind == "人数" and text[offset : offset + 1] in "-－~～":
                kind_here = _RANGE_UNIT_KIND.get(text[offset + 1 : offset + 2], "数量")
            else:
                kind_here = kind
            if offset not in found:
                found[offset] = Gap(offset, text[max(0, offset - 6) : offset], text[offset : offset + 6], kind_here)
    return [found[k] for k in sorted(found)]
