"""Exceptions raised by dangjian.

Every error the library raises derives from :class:`DangjianError`; the CLI
turns them into one-line messages.  ``str(error)`` is that message, in Chinese,
and says what to do where there is something to do.
"""

from __future__ import annotations


class DangjianError(Exception):
    """Base class of every error dangjian raises on purpose."""


class InputError(DangjianError, ValueError):
    """The caller passed something unusable (bad option, unknown name, bad date)."""


class QueryError(InputError):
    """A search query cannot be run."""


class UnknownNameError(InputError, LookupError):
    """A sector, phase, member category or document type that does not exist."""


class NotFoundError(DangjianError, LookupError):
    """A document or passage that is not in the knowledge base."""


class ImportFailed(DangjianError):
    """A file could not be imported (unreadable, empty, binary, too large, corrupt)."""


class IndexBusyError(DangjianError):
    """Another process holds the knowledge base for writing."""


class IndexCorruptError(DangjianError):
    """The on-disk knowledge base cannot be read; it can be rebuilt."""


class TemplateError(DangjianError):
    """A template or Markdown source is invalid (names file and line)."""


class RenderError(DangjianError):
    """A document model cannot be written out."""


class CampaignError(DangjianError):
    """A campaign pack or organization profile is invalid."""


class WriteFailed(DangjianError):
    """Writing the knowledge base failed (full disk, no permission); what was half done is undone or repaired."""
