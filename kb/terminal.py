"""Terminal safety: text from files, names and queries never drives the user's terminal.

A file name, a title or a query may carry control characters: escape sequences
(CSI to move the cursor or clear the screen, OSC 52 to set the clipboard, OSC 8
links, DCS…), BEL, backspace and carriage return that overwrite what was
printed, C1 controls (U+0080–U+009F, which some terminals read as ESC [),
and bidirectional overrides (U+202E) that make a name read backwards.

:func:`safe_text` removes all of them from a piece of data; :class:`SafeStream`
wraps standard output and error so that whatever a command prints passes the
same filter, except the colour codes the program writes itself (SGR, ``ESC [ … m``) and
what click's progress bar needs (a leading carriage return, cursor hide/show).
"""

from __future__ import annotations

import re
from typing import Any

#: ESC sequences: CSI (ESC [ … final), OSC / DCS / APC / PM / SOS strings (ESC ] … BEL or ST), two-byte ESC x.
_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC (to BEL or ST, or the end)
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    r"|[\x90\x9d\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # 8-bit OSC, DCS…
    r"|\x1b[ -/]*[0-~]?"  # other ESC sequences (and a lone ESC)
)
#: What :class:`SafeStream` lets through: SGR colour codes (the program's own highlighting) and the
#: cursor hide/show codes of click's progress bar.
_SGR = re.compile(r"\x1b\[[0-9;]*m|\x1b\[\?25[lh]")
#: Controls left after the escape sequences: C0 except tab and newline, DEL, C1; bidi embeddings,
#: overrides and isolates, and the directional marks.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_text(text: Any, newlines: bool = True) -> str:
    """Return ``text`` without escape sequences, control characters or bidi overrides.

    Tabs stay; newlines stay if ``newlines`` (else they become spaces).
    """
    text = _CONTROL.sub("", _ESCAPE.sub("", str(text)))
    return text if newlines else text.replace("\n", " ").replace("\t", " ")


def safe_name(name: str) -> str:
    """Return a name fit to be part of a file name: :func:`safe_text` on one line."""
    return safe_text(name, newlines=False)


def _keep_colours(text: str) -> str:
    pieces = []
    last = 0
    for match in _SGR.finditer(text):
        pieces.append(safe_text(text[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(safe_text(text[last:]))
    return "".join(pieces)


class SafeStream:
    """A text stream that filters what is written through :func:`safe_text`, keeping SGR colour codes."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if isinstance(text, str):
            # A progress bar redraws its line with a leading carriage return: keep that one.
            lead = "\r" if text.startswith("\r") else ""
            text = lead + (_keep_colours(text) if "\x1b" in text else safe_text(text))
        return self._stream.write(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
