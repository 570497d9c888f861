"""Text a table cell must never break across lines: names, dates, numbers and short header words.

The renderer (``docx_render.column_widths``) gives every column at least the
width of its widest unbreakable piece, and ``kb check --pages`` (``pages``)
looks for these pieces on the printed page: a piece the .docx holds in a table
cell that no printed table line holds whole was broken ("许光/华", "学/时",
"2005年9月/30日").

The pieces of a cell's text:

* dates ("2005年9月30日", "7月8日（周五）"), numbers, times and codes ("4:30", "13800000001");
* short bracketed words ("（周五）");
* in a line that is a list rather than a sentence (no ，。；：), every word of at
  most :data:`SHORT_WORD` characters between spaces, 、 or / — a name ("许光华"), a
  unit ("市委党校"), "在职", "第一支部" — and the whole line when it is that short;
* in a header row, a header word of at most :data:`HEADER_WORD` characters ("学时", "辅导人", "完成时限").
"""

from __future__ import annotations

import re

from .text import display_width

#: Dates, numbers and codes, short bracketed words.
ATOM = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日(?:（周.）)?|[0-9A-Za-z][0-9A-Za-z.:/\-]*|（[^（）]{1,4}）")
#: A word this wide or narrower (a name, 在职, 第一支部) is one unbreakable piece.
SHORT_WORD = 4.5
#: A header of at most this many characters never breaks.
HEADER_WORD = 4
_SEPARATORS = re.compile(r"[\s\u3000、／/]+")
_SENTENCE = re.compile(r"[，,。；;：:！？]")
AUTOSPACE = 0.21  #: the space Word and LibreOffice add between a digit and a Chinese character, in characters


def printed_width(text: str) -> float:
    """Width of ``text`` in characters as printed: half-width digits plus the automatic space around them."""
    gaps = len(re.findall(r"(?<=[0-9A-Za-z])(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])(?=[0-9A-Za-z])", text))
    return display_width(text) + AUTOSPACE * gaps


def spans(line: str, header: bool = False) -> list[tuple[int, int]]:
    """Where the pieces of one line of a cell's text stand: (start, end) offsets, in order."""
    stripped = line.strip()
    if not stripped:
        return []
    lead = line.index(stripped[0])
    if printed_width(stripped) <= (HEADER_WORD if header else SHORT_WORD):
        return [(lead, lead + len(stripped))]
    found = [(m.start(), m.end()) for m in ATOM.finditer(line)]
    if not _SENTENCE.search(line):
        at = 0
        for word in _SEPARATORS.split(line):
            start = line.index(word, at) if word else at
            at = start + len(word)
            if word and printed_width(word) <= SHORT_WORD and not ATOM.fullmatch(word):
                found.append((start, at))
    found.sort()
    out: list[tuple[int, int]] = []
    for start, end in found:  # a word may hold an atom ("9:00" in "上午9:00"): keep the outer span
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def pieces(text: str, header: bool = False) -> list[str]:
    """The pieces of a cell's ``text`` that must each stay on one line."""
    return [line[start:end] for line in text.split("\n") for start, end in spans(line, header)]


#: Characters that may not start a line (the layout moves the character before them down with them).
NOT_AT_LINE_START = set("）)]】》」』〉，。、；：？！…”’%．,.;:?!·")


def _char_widths(line: str) -> list[float]:
    """Each character's printed width in characters, with the automatic space between digits and Chinese."""
    widths = [0.5 if c.isascii() else 1.0 for c in line]
    for i in range(1, len(line)):
        a, b = line[i - 1], line[i]
        if (a.isascii() and a.isalnum() and not b.isascii()) or (b.isascii() and b.isalnum() and not a.isascii()):
            widths[i] += AUTOSPACE
    return widths


def keep_whole(text: str, chars: float, header: bool = False) -> str:
    """``text`` with line breaks added where a column ``chars`` wide would break a piece.

    Chinese text breaks anywhere, so a column wide enough for each piece may still
    break one ("7月4日（周/一）", "党委委员、支/部书记").  This follows the layout's own
    greedy line filling (with the rule that a closing mark or 、 never starts a line)
    and moves a piece that would straddle a line end to the next line.  Text with
    no piece at risk comes back unchanged.
    """
    out = []
    for line in text.split("\n"):
        marks = spans(line, header)
        widths = _char_widths(line)
        forced: list[int] = []
        start = 0
        while start < len(line):
            used = 0.0
            i = start
            while i < len(line) and used + widths[i] <= chars + 1e-6:
                used += widths[i]
                i += 1
            if i >= len(line):
                break
            i = max(i, start + 1)
            while i > start + 1 and line[i] in NOT_AT_LINE_START:
                i -= 1
            inside = next((s for s, e in marks if s < i < e), None)
            if inside is not None and inside > start:
                i = inside
                forced.append(i)
            start = i
        for at in reversed(forced):
            line = line[:at].rstrip() + "\n" + line[at:]
        out.append(line)
    return "\n".join(out)
