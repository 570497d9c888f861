"""dangjian's document generators and the GB/T 9704-2012 renderer.

>>> from dangjian.generators import generate, document_types
>>> generate("实施方案", "单位.yaml", output="实施方案.docx")

Names load on first use, so importing the package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .api import Generated, document_types, generate
    from .profile import Profile, load_profile

__all__ = ["generate", "document_types", "Generated", "Profile", "load_profile"]


def __getattr__(name: str):
    if name in ("generate", "document_types", "Generated"):
        from . import api

        return getattr(api, name)
    if name in ("Profile", "load_profile"):
        from . import profile

        return getattr(profile, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
