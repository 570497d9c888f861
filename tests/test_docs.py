"""Every command and every document type is documented, with an example."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from dangjian.generators import document_types
from dangjian.kb.cli import COMMANDS, cli

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _reference():
    spec = importlib.util.spec_from_file_location("make_cli_reference", DOCS / "make_cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.reference()


def test_cli_reference_is_up_to_date():
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == _reference(), (
        "docs/cli.md is stale: run python3 docs/make_cli_reference.py"
    )


@pytest.mark.parametrize("name", list(COMMANDS), ids=list(COMMANDS))
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"], prog_name="kb")
    assert result.exit_code == 0
    assert "例" in result.output, f"kb {name} --help has no example"


@pytest.mark.parametrize("doc_type", document_types(), ids=lambda t: t.key)
def test_every_document_type_is_documented(doc_type):
    pages = [*DOCS.glob("*.md"), *DOCS.glob("types/*.md")]
    entries = [
        line
        for page in pages
        if page.name != "cli.md"
        for line in page.read_text(encoding="utf-8").splitlines()
        if (line.startswith("#") and doc_type.name in line) or line.startswith(f"| {doc_type.name} | {doc_type.key} |")
    ]
    assert entries, f"{doc_type.name} ({doc_type.key}) has neither a section nor a table row in docs/"
