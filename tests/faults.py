"""Fault injection at each file-system write of the knowledge base (used by tests/test_crash.py).

:class:`Faults` wraps every primitive through which the knowledge base and
whoosh change files — creating a temporary file, fsync, rename/replace,
unlink, rmtree, and whoosh's own create/rename/delete of index files — and
counts the calls.  At the N-th call it fails in one of three ways:

* ``"error"``: raises RuntimeError once (a bug or an unexpected exception);
* ``"enospc"``: raises OSError(ENOSPC) at that write and at every later write
  that needs space (deleting still works, as on a full disk);
* ``"interrupt"``: raises KeyboardInterrupt once (Ctrl-C);
* ``"kill"``: sends SIGKILL to its own process (use in a forked child).
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import tempfile
from contextlib import contextmanager
from typing import Any, Callable

from whoosh.filedb.filestore import FileStorage

#: (owner, attribute, whether the write needs disk space)
POINTS: list[tuple[Any, str, bool]] = [
    (tempfile, "mkstemp", True),
    (os, "fsync", True),
    (os, "replace", False),
    (os, "rename", False),
    (os, "unlink", False),
    (shutil, "rmtree", False),
    (FileStorage, "create_file", True),
    (FileStorage, "rename_file", False),
    (FileStorage, "delete_file", False),
]


class Faults:
    """Counts writes and fails at the ``at``-th (0: never, just count)."""

    def __init__(self, at: int = 0, mode: str = "error") -> None:
        self.at = at
        self.mode = mode
        self.count = 0
        self.fired = False
        self.events: list[str] = []

    def _wrap(self, name: str, original: Callable[..., Any], needs_space: bool) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            self.events.append(name)
            if self.at and (self.count == self.at or (self.fired and self.mode == "enospc" and needs_space)):
                self.fired = True
                if self.mode == "kill":
                    os.kill(os.getpid(), signal.SIGKILL)
                if self.mode == "enospc":
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                if self.mode == "interrupt":
                    raise KeyboardInterrupt
                raise RuntimeError(f"injected fault at write {self.count} ({name})")
            return original(*args, **kwargs)

        return wrapper

    @contextmanager
    def active(self):
        saved = []
        for owner, attr, needs_space in POINTS:
            original = getattr(owner, attr)
            saved.append((owner, attr, original))
            setattr(owner, attr, self._wrap(f"{getattr(owner, '__name__', owner)}.{attr}", original, needs_space))
        try:
            yield self
        finally:
            for owner, attr, original in saved:
                setattr(owner, attr, original)
