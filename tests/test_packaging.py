"""The package installs from a wheel, with its data, and runs from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("dangjian-*.whl")
    return path


def test_wheel_carries_corpus_and_templates_under_one_import_name(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.startswith("dangjian-")}
    assert top == {"dangjian"}, "no generic top-level package (kb, generators, …) may be installed"
    assert "dangjian/corpus/guidance/000_de32c9863abd3484.txt" in names
    assert "dangjian/corpus/guidance/000_de32c9863abd3484.yaml" in names
    assert any(n.startswith("dangjian/templates/") and not n.endswith(".py") for n in names)
    assert "dangjian/kb/py.typed" in names


def test_wheel_installs_into_fresh_venv_and_searches_bundled_corpus(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environ = {**os.environ, "DANGJIAN_HOME": str(tmp_path / "home")}
    kb = env_dir / "bin" / "kb"
    result = subprocess.run(
        [str(kb), "search", "流动党员", "--limit", "3"],
        cwd=elsewhere, env=environ, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "流动" in result.stdout
    assert "《" in result.stdout  # a citation path
    module = subprocess.run(
        [str(python), "-m", "dangjian.kb", "--help"], cwd=elsewhere, env=environ, capture_output=True, text=True
    )
    assert module.returncode == 0 and "search" in module.stdout
