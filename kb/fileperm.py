"""File modes: files dangjian writes are readable as the user's umask says, like any other program's.

``tempfile.mkstemp`` creates its file 0600 whatever the umask, so a document
written through a temporary file and a rename would be unreadable to
colleagues on a shared folder or to a web server.  :func:`honour_umask` gives
such a file the mode ``open()`` would have given it: 0666 less the umask.
"""

from __future__ import annotations

import os
import threading

_LOCK = threading.Lock()


def current_umask() -> int:
    """Return the process umask without changing it for other threads (Linux: /proc; elsewhere a guarded swap)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def new_file_mode() -> int:
    """Return the mode a new regular file gets: 0666 less the umask (0644 under umask 022)."""
    return 0o666 & ~current_umask()


def honour_umask(fd_or_path: int | str | os.PathLike[str]) -> None:
    """Give a file made by ``mkstemp`` (open descriptor or path) the mode the umask asks for."""
    if isinstance(fd_or_path, int) and os.chmod not in os.supports_fd:
        return  # Windows: no modes to speak of
    os.chmod(fd_or_path, new_file_mode())
