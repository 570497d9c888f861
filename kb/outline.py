"""Turn cleaned paragraphs into a :class:`~dangjian.kb.model.Document`: outline, passages, citations.

Structure
    A document is divided as part → item → paragraph → passage.  Parts are
    ``一、`` headings (or Word/Markdown/HTML level-1 headings); items are
    ``第一，`` or ``（一）`` paragraphs (or level-2 headings).  When a document
    has no such markers, the highest-ranked numbering it does use becomes the
    parts and the next one the items, in the order of GB/T 9704 headings:
    ``一、`` › ``（一）``/``第一，`` › ``1.`` › ``（1）``.  A numbered heading is
    accepted only in sequence (一 after nothing, 二 after 一 …), so a line
    like ``一、两个群众…`` in the middle of a list does not start a part.

Passage IDs
    ``{doc_id}:{part}.{item}.{para}.{chunk}`` — part 0 is the text before the
    first part heading, item 0 the text of a part before its first item;
    paragraphs and chunks count from 1.  A heading line is a title, not a
    paragraph; a paragraph that starts with its item marker (``第一，紧密联系
    实际，科学制定实施方案。参加…``) is paragraph 1 and its first sentence is the
    item title.

Passages
    A paragraph of up to 600 characters is one passage.  A longer one is split
    at its own enumeration (一要/二要…, 一是/二是…, inline 第一，/（一）), then at
    sentence groups of even length; pieces under 100 characters join their
    neighbour.  Only a paragraph that is itself short gives a short passage.

Citations
    ``《标题》一、第四 第2段`` = part 一, item 第四, paragraph 2 of that item.
    The labels are the markers as written (``一、``, ``第四``, ``（四）``, ``3.``);
    headings without numbers are counted (``第2部分``, ``第3项``).  Text
    before the first part is ``开头`` (``开头 第1段``, or ``开头（一） 第1段``
    for an item there); a part's lead text has the part label only
    (``一、 第1段``); a document without headings cites ``第5段``.  When a
    paragraph is split, each passage adds ``之k`` (``第2段之1``, ``第2段之2``).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .clean import (
    ARABIC_MARK,
    CN_NUM,
    ITEM_MARK,
    PAREN_ARABIC_MARK,
    PART_MARK,
    clean_blocks,
    find_gaps,
    fix_punctuation,
    strip_controls,
)
from .errors import ImportFailed
from .model import Document, Passage
from .readers import Block, read_file

MIN_PASSAGE = 100
MAX_PASSAGE = 600

#: marker kind → rank (0 = part level of GB/T 9704, 1 = item level, …)
_RANK = {"H1": 0, "一、": 0, "H2": 1, "第一": 1, "（一）": 1, "H3": 2, "1.": 2, "（1）": 3}


def chinese_to_int(numeral: str) -> int:
    """Return the value of a Chinese numeral from 一 to 九百九十九 (十一, 二十, 一百零五); 0 if it is none."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits.update({"〇": 0, "○": 0, "两": 2})
    value, current = 0, 0
    for ch in numeral:
        if ch in digits:
            current = digits[ch]
        elif ch == "十":
            value += (current or 1) * 10
            current = 0
        elif ch == "百":
            value += (current or 1) * 100
            current = 0
        else:
            return 0
    return value + current


@dataclass
class _Marker:
    kind: str
    number: int | None  #: value of the numeral, ``None`` for styled headings
    label: str  #: the marker as written (一、 / 第四 / （四） / 3.)
    rest: str  #: the text after the marker


def _marker(block: Block) -> _Marker | None:
    """The block's heading marker: its heading level, else the numbering it starts with."""
    numbered = _numbered(block.text)
    if block.level is not None and block.level <= 3:
        if numbered is not None:
            return _Marker(f"H{block.level}", None, numbered.label, numbered.rest)
        return _Marker(f"H{block.level}", None, "", block.text)
    if block.level is not None:
        return None
    return numbered


def _numbered(text: str) -> _Marker | None:
    match = PART_MARK.match(text)
    if match:
        return _Marker("一、", chinese_to_int(match.group(1)), match.group(0), text[match.end() :])
    match = ITEM_MARK.match(text)
    if match:
        if match.group(1):
            return _Marker("第一", chinese_to_int(match.group(1)), "第" + match.group(1), text[match.end() :])
        return _Marker("（一）", chinese_to_int(match.group(2)), match.group(0), text[match.end() :])
    match = ARABIC_MARK.match(text)
    if match:
        return _Marker("1.", int(match.group(1)), match.group(1) + ".", text[match.end() :])
    match = PAREN_ARABIC_MARK.match(text)
    if match:
        return _Marker("（1）", int(match.group(1)), match.group(0), text[match.end() :])
    return None


def _standalone(block: Block, marker: _Marker) -> bool:
    """Whether a heading block is only a heading (not a paragraph that opens with its marker)."""
    rest = marker.rest.strip()
    if block.level is not None:
        # A styled heading may end with a full stop; one holding several sentences is a paragraph too.
        rest = rest.rstrip("。！？!?；;")
        return len(rest) <= 60 and not re.search(r"[。！？!?；]", rest)
    return len(rest) <= 50 and not re.search(r"[。！？!?；]", rest)


def _title_of(marker: _Marker) -> str:
    """The heading's title: the heading line, or the first sentence of a paragraph that opens with its marker.

    A long first sentence that starts with a label (``学习动员阶段：7月1日至…``)
    gives the label.
    """
    sentence = re.split(r"[。！？!?；]", marker.rest.strip(), maxsplit=1)[0]
    label, colon, _ = sentence.partition("：")
    if colon and len(sentence) > 40 and len(label) <= 20:
        sentence = label
    return sentence.strip(" ，,：:")


def _choose_tiers(blocks: list[Block]) -> tuple[str | None, str | None]:
    """Return the marker kinds used for parts and for items (``None`` when absent)."""
    counts: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    for index, block in enumerate(blocks):
        marker = _marker(block)
        if marker is None:
            continue
        counts[marker.kind] = counts.get(marker.kind, 0) + 1
        first_seen.setdefault(marker.kind, index)
    # A numbering used once is not a structure (a stray 一、 or 1.), a heading style is.
    kinds = [k for k, n in counts.items() if n >= 2 or k.startswith("H")]
    if not kinds:
        return None, None
    kinds.sort(key=lambda k: (_RANK[k], first_seen[k]))
    part = kinds[0]
    lower = [k for k in kinds if _RANK[k] > _RANK[part]]
    return part, (lower[0] if lower else None)


@dataclass
class _Section:
    part: int
    item: int
    part_label: str
    item_label: str
    part_title: str
    item_title: str
    heading: str  #: heading text, used as the only paragraph when the section has no text
    paragraphs: list[str] = field(default_factory=list)


def _attachment(text: str) -> str | None:
    """附件 / 附件2 as a line of its own (where an attachment starts): its label, else None.

    ``附件：某某方案`` in a notice's body lists the attachments; it does not start one.
    """
    match = ATTACHMENT_MARK.match(text.strip())
    return "附件" + match.group(1) if match else None


def _sections(blocks: list[Block]) -> list[_Section]:
    part_kind, item_kind = _choose_tiers(blocks)
    sections = [_Section(0, 0, "", "", "", "", "")]
    last_part = 0
    last_item = 0
    base = 0  #: parts before the current attachment (IDs count on; numbering starts again)
    prefix = ""  #: 附件2 before the labels of an attachment's parts
    attachment_title = False  #: the next short line is the attachment's title
    for block in blocks:
        marker = _marker(block)
        current = sections[-1]
        attachment = _attachment(block.text) if marker is None and block.level is None else None
        if attachment is not None and (len(sections) > 1 or sections[0].paragraphs):
            # An attachment (a plan sent with its notice) numbers its parts from 一、 again.
            base += last_part + 1
            last_part = last_item = 0
            prefix = attachment
            sections.append(_Section(base, 0, prefix, "", "", "", ""))
            attachment_title = True
            continue
        if attachment_title:
            attachment_title = False
            text = block.text.strip()
            if marker is None and len(text) <= 40 and not re.search(r"[。；！？，]", text):
                current.part_title = text  # the attachment's own title line
                continue
        if marker is not None and marker.kind == part_kind and (marker.number in (None, last_part + 1)):
            last_part += 1
            last_item = 0
            label = prefix + (marker.label or f"第{last_part}部分")
            current = _Section(base + last_part, 0, label, "", _title_of(marker), "", block.text)
            sections.append(current)
            if not _standalone(block, marker):
                current.paragraphs.append(block.text)
            continue
        if marker is not None and marker.kind == item_kind and (marker.number in (None, last_item + 1)):
            last_item += 1
            label = marker.label or f"第{last_item}项"
            current = _Section(
                current.part, last_item, current.part_label, label, current.part_title, _title_of(marker), block.text
            )
            sections.append(current)
            if not _standalone(block, marker):
                current.paragraphs.append(block.text)
            continue
        current.paragraphs.append(block.text)
    # A heading with nothing under it keeps its words as its one paragraph.
    for index, section in enumerate(sections):
        if section.paragraphs or not section.heading:
            continue
        has_items = any(s.part == section.part and s.item > 0 for s in sections[index + 1 :])
        if section.item > 0 or not has_items:
            section.paragraphs.append(section.heading)
    return sections


# --- splitting paragraphs into passages ------------------------------------------

_BOUNDARY = r"(?:(?<=^)|(?<=[。！？；：]))"
_ENUMERATIONS = [
    re.compile(_BOUNDARY + rf"\s*(?P<n>[{CN_NUM}])要"),
    re.compile(_BOUNDARY + rf"\s*(?P<n>[{CN_NUM}])是"),
    re.compile(_BOUNDARY + rf"\s*第(?P<n>[{CN_NUM}]+)[，、]"),
    re.compile(_BOUNDARY + rf"\s*（(?P<n>[{CN_NUM}]+)）"),
    re.compile(_BOUNDARY + rf"\s*(?P<n>[{CN_NUM}])则"),
    re.compile(_BOUNDARY + rf"\s*(?P<n>[{CN_NUM}])方面"),
    re.compile(_BOUNDARY + r"\s*(?P<n>\d{1,2})[.．、](?!\d)"),
]


def _enumeration_cuts(text: str) -> list[int]:
    """Offsets where the paragraph's own enumeration (一要, 二要 …) starts each member."""
    best: list[int] = []
    for pattern in _ENUMERATIONS:
        cuts: list[int] = []
        expected = 1
        for match in pattern.finditer(text):
            numeral = match.group("n")
            value = int(numeral) if numeral.isdigit() else chinese_to_int(numeral)
            if value == expected:
                cuts.append(match.start("n") - (1 if text[match.start("n") - 1 : match.start("n")] in "第（" else 0))
                expected += 1
        if len(cuts) >= 2 and len(cuts) > len(best):
            best = cuts
    return [c for c in best if c > 0]


_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』）)]*|[^。！？!?]+$")


def _sentences(text: str) -> list[str]:
    """The sentences of ``text``; one longer than a passage is cut at ；, then ，, then 、, then by length."""
    out: list[str] = []
    for sentence in _SENTENCE.findall(text):
        if sentence:
            out.extend(_clauses(sentence, "；，、 "))
    return out


def _clauses(text: str, separators: str) -> list[str]:
    if len(text) <= MAX_PASSAGE:
        return [text]
    if not separators:
        return [text[i : i + MAX_PASSAGE] for i in range(0, len(text), MAX_PASSAGE)]
    separator, rest = separators[0], separators[1:]
    parts = [p for p in re.findall(rf"[^{separator}]*{separator}+|[^{separator}]+$", text) if p]
    if len(parts) <= 1:
        return _clauses(text, rest)
    return [piece for part in parts for piece in _clauses(part, rest)]


def _balanced_split(text: str) -> list[str]:
    """Cut ``text`` at sentence ends into the fewest pieces of at most MAX_PASSAGE, of even length."""
    sentences = _sentences(text)
    if len(sentences) <= 1:
        return sentences or [text]
    ends = list(itertools.accumulate(len(s) for s in sentences))
    total = ends[-1]
    for count in range(math.ceil(total / MAX_PASSAGE), len(sentences) + 1):
        cuts: list[int] = []
        for k in range(1, count):
            target = total * k / count
            i = bisect.bisect_left(ends, target, 0, len(ends) - 1)
            options = [e for e in ends[max(0, i - 1) : i + 1] if (not cuts or e > cuts[-1]) and e < total]
            if options:
                cuts.append(min(options, key=lambda e: abs(e - target)))
        bounds = [0, *cuts, total]
        pieces = [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
        if all(len(p) <= MAX_PASSAGE for p in pieces):
            return pieces
    return sentences


def _merge_short(pieces: list[str]) -> list[str]:
    out: list[str] = []
    for piece in pieces:
        if out and (len(piece) < MIN_PASSAGE or len(out[-1]) < MIN_PASSAGE):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def split_paragraph(text: str) -> list[str]:
    """Return the passages of one paragraph (the paragraph itself when it is at most 600 characters)."""
    if len(text) <= MAX_PASSAGE:
        return [text]
    cuts = _enumeration_cuts(text)
    bounds = [0, *cuts, len(text)]
    pieces = _merge_short([text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a])
    result: list[str] = []
    for piece in pieces:
        if len(piece) <= MAX_PASSAGE:
            result.append(piece)
        elif cuts and _enumeration_cuts(piece):
            result.extend(split_paragraph(piece))
        else:
            result.extend(_balanced_split(piece))
    merged = _merge_short(result)
    final: list[str] = []
    for piece in merged:
        final.extend(_balanced_split(piece) if len(piece) > MAX_PASSAGE else [piece])
    return final


# --- regulations: 编/章/节/条 ---------------------------------------------------------

_NUMERAL = r"[一二三四五六七八九十百零〇○两]+"
#: 第四条 at the start of a paragraph: the article's own text follows (or comes in the next paragraph)
ARTICLE_MARK = re.compile(rf"^第({_NUMERAL})条(?:[\s\u3000:：]+|$)")
#: 第四条党员享有… (a line break after 条 that Markdown joined): accepted only as the next article in sequence
_ARTICLE_JOINED = re.compile(rf"^第({_NUMERAL})条(?=[\u4e00-\u9fff（“《])")
#: 第三编 / 第十一章 / 第一节 heading line, its title after it
DIVISION_MARK = re.compile(rf"^第({_NUMERAL})([编章节])(?:[\s\u3000]*(.*))?$")
#: 附件 / 附件1 / 附件二： line that starts an attachment
ATTACHMENT_MARK = re.compile(r"^附\s*件\s*([0-9一二三四五六七八九十]*)\s*[:：]?\s*$")
#: unnumbered headings of a regulation's lead text
LEAD_HEADINGS = ("总纲", "序言", "前言", "引言", "总则", "附则")
#: a regulation needs this many articles
MIN_ARTICLES = 3
#: an article up to this long is one passage; a longer one is split, each part keeping its lead sentence
ARTICLE_MAX = 700
_DIVISION_RANK = {"编": 0, "章": 1, "节": 2}


def _article_match(text: str, last: int) -> re.Match[str] | None:
    """The article marker at the start of ``text``; a marker run into its text only as article ``last + 1``."""
    match = ARTICLE_MARK.match(text)
    if match is None:
        match = _ARTICLE_JOINED.match(text)
        if match is not None and chinese_to_int(match.group(1)) != last + 1:
            return None
    return match if match is not None and chinese_to_int(match.group(1)) else None


def _article_blocks(blocks: list[Block]) -> int:
    count, last = 0, 0
    for block in blocks:
        match = _article_match(block.text.strip(), last)
        if match:
            count += 1
            last = chinese_to_int(match.group(1))
    return count


def is_regulation(blocks: list[Block]) -> bool:
    """Whether the blocks are a regulation: at least MIN_ARTICLES paragraphs start with 第X条."""
    return _article_blocks(blocks) >= MIN_ARTICLES


@dataclass
class _Unit:
    part: int  #: division (编/章/节/附件) ordinal in the document, 0 before the first
    item: int  #: article ordinal in the document, 0 for lead text
    place: str  #: citation place: 附件1 第三编 第十一章 / 总纲 / 开头
    heading: str  #: division titles (第一章 党员), for the heading field
    label: str = ""  #: 第四条
    paragraphs: list[str] = field(default_factory=list)


def _division(text: str) -> tuple[str, str, str] | None:
    """(rank char, label, title) of a 第X编/章/节 heading line, else None."""
    compacted = re.sub(r"(?<=[\u4e00-\u9fff])[\s\u3000]+(?=[\u4e00-\u9fff])", " ", text.strip())
    match = DIVISION_MARK.match(compacted)
    if not match or len(compacted) > 40 or re.search(r"[。；！？]", compacted):
        return None
    if chinese_to_int(match.group(1)) == 0:
        return None
    title = re.sub(r"[\s\u3000]+", "", match.group(3) or "")
    return match.group(2), f"第{match.group(1)}{match.group(2)}", title


def _regulation_units(blocks: list[Block]) -> list[_Unit]:
    """Divide a regulation into lead text (under 总纲/序言 or 开头) and articles with their 款 and 项."""
    units: list[_Unit] = []
    divisions: dict[str, tuple[str, str]] = {}
    attachment = ""
    attachment_heading = ""
    part = 0
    articles = 0
    last_number = 0
    lead_heading = ""
    attachment_title = False  #: the next short line is the attachment's title
    pending = False  #: an article marker alone on its line: its text is the next paragraph

    def place() -> str:
        labels = [divisions[k][0] for k in sorted(divisions, key=_DIVISION_RANK.get)]
        return " ".join(([attachment] if attachment else []) + labels)

    def heading() -> str:
        names = [f"{divisions[k][0]} {divisions[k][1]}".strip() for k in sorted(divisions, key=_DIVISION_RANK.get)]
        return " ".join(([attachment_heading] if attachment and attachment_heading else []) + names)

    def lead_unit() -> _Unit:
        current = units[-1] if units else None
        if current is None or current.item:
            where = place() or lead_heading or ("开头" if not attachment else attachment)
            if attachment and not place() and lead_heading:
                where = f"{attachment} {lead_heading}"
            current = _Unit(part, 0, where, heading() or lead_heading)
            units.append(current)
        return current

    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        division = _division(text)
        if division is not None:
            rank, label, title = division
            divisions = {k: v for k, v in divisions.items() if _DIVISION_RANK[k] < _DIVISION_RANK[rank]}
            divisions[rank] = (label, title)
            part += 1
            lead_heading = ""
            pending = False
            units.append(_Unit(part, 0, place(), heading()))
            continue
        match = ATTACHMENT_MARK.match(text)
        if match:
            attachment = "附件" + match.group(1)
            attachment_heading = ""
            divisions = {}
            last_number = 0
            lead_heading = ""
            part += 1
            pending = False
            units.append(_Unit(part, 0, attachment, ""))
            attachment_title = True
            continue
        if attachment_title and len(text) <= 40 and not re.search(r"[。；！？，]", text):
            # The attachment's own title line (某某管理办法): a heading, not a paragraph.
            attachment_title = False
            units[-1].heading = attachment_heading = text
            continue
        attachment_title = False
        bare = re.sub(r"[\s\u3000]+", "", text)
        if bare in LEAD_HEADINGS or (block.level is not None and len(bare) <= 20 and not ARTICLE_MARK.match(text)
                                     and not re.search(r"[。；！？]", bare)):
            lead_heading = bare
            pending = False
            part += 1
            units.append(_Unit(part, 0, " ".join(x for x in (place(), bare) if x) if attachment or divisions
                               else bare, heading() or bare))
            continue
        match = _article_match(text, last_number)
        if match:
            articles += 1
            last_number = chinese_to_int(match.group(1))
            label = f"第{match.group(1)}条"
            rest = text[match.end():].strip()
            unit = _Unit(part, articles, place(), heading(), label)
            units.append(unit)
            if rest:
                unit.paragraphs.append(f"{label}\u3000{rest}")
            pending = not rest
            continue
        current = units[-1] if units and units[-1].item else None
        if current is not None:
            if pending:
                current.paragraphs.append(f"{current.label}\u3000{text}")
                pending = False
            else:
                current.paragraphs.append(text)
        else:
            lead_unit().paragraphs.append(text)
    for unit in units:
        if unit.item and not unit.paragraphs:
            unit.paragraphs.append(unit.label)
    return [u for u in units if u.paragraphs]


def _lead_sentence(text: str) -> str:
    """The article's lead: its first paragraph when short (第四条 党员享有下列权利：), else its first sentence."""
    first = text.split("\n", 1)[0]
    if len(first) <= 150:
        return first
    match = re.match(r"[^。；：！？]*[。；：！？]", first)
    return match.group(0) if match and len(match.group(0)) <= 150 else first[:60]


def split_article(text: str) -> list[str]:
    """Return the passages of one article: itself, or parts of at most ARTICLE_MAX each starting with its lead."""
    if len(text) <= ARTICLE_MAX:
        return [text]
    lead = _lead_sentence(text)
    body = text[len(lead):].lstrip("\n")
    pieces: list[str] = []
    for paragraph in body.split("\n"):
        pieces.extend(split_paragraph(paragraph) if len(paragraph) > MAX_PASSAGE else [paragraph])
    room = max(MAX_PASSAGE - len(lead), MIN_PASSAGE * 2)
    groups: list[list[str]] = [[]]
    for piece in pieces:
        if groups[-1] and sum(len(p) + 1 for p in groups[-1]) + len(piece) > room:
            groups.append([])
        groups[-1].append(piece)
    return ["\n".join([lead, *group]) for group in groups if group]


def _article_title(text: str) -> str:
    lead = _lead_sentence(text)
    lead = ARTICLE_MARK.sub("", lead)
    return re.split(r"[。；：！？]", lead, maxsplit=1)[0][:60]


def _regulation_passages(doc_id: str, title: str, blocks: list[Block]) -> list[Passage]:
    passages: list[Passage] = []
    for unit in _regulation_units(blocks):
        if unit.item:
            text = "\n".join(unit.paragraphs)
            chunks = split_article(text)
            for chunk, piece in enumerate(chunks, start=1):
                suffix = f"之{chunk}" if len(chunks) > 1 else ""
                passages.append(Passage(
                    id=f"{doc_id}:{unit.part}.{unit.item}.1.{chunk}", doc_id=doc_id, part=unit.part,
                    item=unit.item, para=1, chunk=chunk, text=piece,
                    citation=f"《{title}》{unit.place}{' ' if unit.place else ''}{unit.label}{suffix}",
                    part_title=unit.heading, item_title=_article_title(text), gaps=find_gaps(piece)))
            continue
        for para, paragraph in enumerate(unit.paragraphs, start=1):
            chunks = split_paragraph(paragraph)
            for chunk, piece in enumerate(chunks, start=1):
                suffix = f"之{chunk}" if len(chunks) > 1 else ""
                place = unit.place or "开头"
                passages.append(Passage(
                    id=f"{doc_id}:{unit.part}.0.{para}.{chunk}", doc_id=doc_id, part=unit.part, item=0,
                    para=para, chunk=chunk, text=piece, citation=f"《{title}》{place} 第{para}段{suffix}",
                    part_title=unit.heading, item_title="", gaps=find_gaps(piece)))
    return passages


def _place_tokens(text: str) -> list[str]:
    """The parts of a citation place, Arabic article numbers written in Chinese (第4条 → 第四条)."""
    def chinese(match: re.Match[str]) -> str:
        n = int(match.group(1))
        digits = "零一二三四五六七八九"
        hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
        out = (digits[hundreds] + "百") if hundreds else ""
        if tens:
            out += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
        elif hundreds and ones:
            out += "零"
        out += digits[ones] if ones else ""
        return f"第{out}{match.group(2)}"

    text = re.sub(r"第\s*(\d{1,3})\s*([编章节条])", chinese, fix_punctuation(text))
    return [t for t in re.split(r"[\s\u3000]+", text.strip()) if t]


def find_place(document: Document, place: str) -> Passage | None:
    """Return the first passage of ``document`` whose citation place is ``place`` (第四条, 第二章 第四条, 总纲)."""
    wanted = _place_tokens(place)
    if not wanted:
        return None
    for passage in document.passages:
        cited = passage.citation.rsplit("》", 1)[-1]
        tokens = _place_tokens(re.sub(r"之\d+$", "", cited))
        if tokens[-len(wanted):] == wanted or (len(wanted) == 1 and wanted[0] in tokens):
            return passage
        if "".join(wanted) and "".join(tokens).startswith("".join(wanted)):
            return passage
    return None


# --- documents -----------------------------------------------------------------------


def _citation(title: str, section: _Section, has_parts: bool, para: int, chunk: int, chunks: int) -> str:
    if section.part:
        place = section.part_label
    else:
        place = "开头" if has_parts else ""
    if section.item:
        place += section.item_label
    suffix = f"之{chunk}" if chunks > 1 else ""
    return f"《{title}》{place}{' ' if place else ''}第{para}段{suffix}"


def _bare_title(title: str) -> str:
    """The title without book-title marks around all of it (《某某办法》 → 某某办法); inner ones are kept
    (中共中央办公厅印发《某某办法》 keeps its closing 》)."""
    title = title.strip()
    while title.startswith("《") and title.endswith("》") and title.count("《") == 1:
        title = title[1:-1].strip()
    return title


def build_document(
    blocks: list[Block],
    *,
    title: str,
    source: str,
    doc_id: str | None = None,
    meta: dict | None = None,
) -> Document:
    """Return the document built from raw blocks: cleaned, outlined, split into cited passages with gaps.

    ``doc_id`` defaults to ``"d"`` + the first 8 hex digits of the SHA-256 of
    the cleaned text, which is also :attr:`Document.sha256`.  ``meta`` may
    give ``issuer``, ``year``, ``campaign``, ``note`` and ``bundled``.
    Raises :class:`ImportFailed` when no text remains after cleaning.
    """
    cleaned = clean_blocks(blocks)
    body = [b for b in cleaned.blocks if not b.is_title]
    text = "\n".join(b.text for b in body)
    if not text.strip():
        dropped = f"（删除了 {len(cleaned.dropped)} 行广告或网站信息）" if cleaned.dropped else ""
        raise ImportFailed(f"{source} 清理后没有正文{dropped}，未导入")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc_id = doc_id or "d" + sha[:8]
    title = _bare_title(fix_punctuation(strip_controls(title))) or source
    meta = dict(meta or {})
    passages: list[Passage] = []
    # In a citation the title's own book-title marks become the inner ones: 《关于印发〈某某办法〉的通知》.
    cited = title.replace("《", "〈").replace("》", "〉")
    sections = [] if is_regulation(body) else _sections(body)
    if not sections:
        passages = _regulation_passages(doc_id, cited, body)
    has_parts = any(s.part > 0 for s in sections)
    for section in sections:
        for para, paragraph in enumerate(section.paragraphs, start=1):
            chunks = split_paragraph(paragraph)
            for chunk, piece in enumerate(chunks, start=1):
                passages.append(
                    Passage(
                        id=f"{doc_id}:{section.part}.{section.item}.{para}.{chunk}",
                        doc_id=doc_id,
                        part=section.part,
                        item=section.item,
                        para=para,
                        chunk=chunk,
                        text=piece,
                        citation=_citation(cited, section, has_parts, para, chunk, len(chunks)),
                        part_title=section.part_title,
                        item_title=section.item_title,
                        gaps=find_gaps(piece),
                    )
                )
    year = meta.get("year")
    return Document(
        id=doc_id,
        title=title,
        source=source,
        sha256=sha,
        issuer=str(meta.get("issuer") or ""),
        year=int(year) if year not in (None, "") else None,
        campaign=str(meta.get("campaign") or ""),
        note=str(meta.get("note") or ""),
        bundled=bool(meta.get("bundled", False)),
        passages=passages,
        dropped=list(cleaned.dropped),
    )


def import_file(path: Path) -> Document:
    """Return the document read from a .txt/.md/.docx/.html file.

    The title is the file's own (Word Title style, a lone first heading,
    ``<title>``, a short first line) or else the file name without suffix.
    Raises :class:`ImportFailed` for files that cannot be imported.
    """
    path = Path(path)
    blocks, title = read_file(path)
    return build_document(blocks, title=title or path.stem, source=path.name)
