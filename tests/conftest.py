"""Shared fixtures.  Every test runs with a temporary knowledge-base home, never the user's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Point DANGJIAN_HOME and XDG_DATA_HOME at temporary folders for every test."""
    base = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("DANGJIAN_HOME", str(base / "dangjian-home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "xdg"))
    monkeypatch.setenv("LOCALAPPDATA", str(base / "localappdata"))


@pytest.fixture(scope="session")
def built_home(tmp_path_factory) -> Path:
    """A knowledge-base home with the bundled guidance indexed once per session (do not modify)."""
    from dangjian.kb.api import KnowledgeBase

    home = tmp_path_factory.mktemp("built") / "home"
    KnowledgeBase.open(home).close()
    return home


@pytest.fixture
def kb_home(tmp_path, built_home) -> Path:
    """A private copy of the built home that a test may change."""
    home = tmp_path / "kbhome"
    shutil.copytree(built_home, home, ignore=shutil.ignore_patterns("write.lock"))
    return home


@pytest.fixture(scope="session")
def shared_kb(built_home):
    """A read-only KnowledgeBase over the bundled guidance, shared by searching tests."""
    from dangjian.kb.api import KnowledgeBase

    kb = KnowledgeBase.open(built_home)
    yield kb
    kb.close()


@pytest.fixture
def kb(kb_home):
    """A KnowledgeBase over a private copy of the bundled guidance."""
    from dangjian.kb.api import KnowledgeBase

    kb = KnowledgeBase.open(kb_home)
    yield kb
    kb.close()


@pytest.fixture
def run_kb(kb_home):
    """Run ``kb --home <private copy> ARGS…`` with CliRunner; return the click Result."""
    from click.testing import CliRunner

    from dangjian.kb.cli import cli

    def run(*args: str, home: Path | None = None):
        runner = CliRunner()
        return runner.invoke(cli, ["--home", str(home or kb_home), *args], catch_exceptions=False, prog_name="kb")

    return run
