"""Crash consistency: a failure at any write of kb add / remove / rebuild, then a rerun, leaves every
document in the knowledge base exactly once, and ``kb index --check`` finds nothing.

Faults (tests/faults.py) are injected at each write in turn: an exception, a full disk (ENOSPC from
that write on), Ctrl-C, and a real SIGKILL of a forked process at that write.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dangjian.kb.api import KnowledgeBase
from dangjian.kb.cli import cli
from dangjian.kb.errors import DangjianError, NotFoundError

from faults import Faults

FILES = {
    "甲.txt": "关于开展读书交流活动的通知\n\n各支部：\n为深入学习，定于下月开展甲乙读书交流活动，请各支部认真组织参加。\n",
    "乙.md": "# 流动党员管理办法\n\n一、对流动党员实行丙丁登记管理，外出前须向支部报告去向。\n\n二、支部每季度联系一次。\n",
    "丙.txt": "整改措施清单\n\n一、针对戊己学习不够深入的问题，制定学习计划，每月集中学习两次。\n",
}
# A fault while whoosh writes a segment leaves its half-made files open until they are garbage
# collected (inside whoosh, nothing to close them by); the warnings that gives are not the point here.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

MARKERS = {"甲.txt": "甲乙读书", "乙.md": "丙丁登记", "丙.txt": "戊己学习"}


@pytest.fixture(autouse=True)
def _collect_whoosh_leftovers():
    """Let the files a failed whoosh writer left open be collected inside the test (see pytestmark)."""
    yield
    gc.collect()


@pytest.fixture(scope="module")
def small_home(tmp_path_factory, built_home) -> Path:
    """A built home without the bundled guidance: the same code paths, a tenth of the indexing time."""
    home = tmp_path_factory.mktemp("small") / "home"
    shutil.copytree(built_home, home, ignore=shutil.ignore_patterns("write.lock"))
    with KnowledgeBase.open(home) as kb:
        kb.remove("xjx2005")
    return home


@pytest.fixture
def sources(tmp_path) -> list[Path]:
    folder = tmp_path / "src"
    folder.mkdir()
    paths = []
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def _fresh_home(base: Path, built: Path, n: int) -> Path:
    home = base / f"home{n}"
    shutil.copytree(built, home, ignore=shutil.ignore_patterns("write.lock"))
    return home


def assert_consistent(home: Path, expected: set[str]) -> None:
    """The KB is consistent and holds each file in ``expected`` exactly once (and the bundled guidance)."""
    kb = KnowledgeBase.open(home)
    try:
        assert [p.message for p in kb.check()] == []
        catalog = kb.catalog()
        shas = [entry["sha256"] for entry in catalog.values()]
        assert len(shas) == len(set(shas))
        held = kb._index.contents()
        assert set(held) == set(catalog)
        for doc_id, entry in catalog.items():
            assert len(held[doc_id]) == entry["passages"] == len(set(held[doc_id]))
        for name, marker in MARKERS.items():
            docs = {hit.passage.doc_id for hit in kb.search(f'"{marker}"')}
            assert len(docs) == (1 if name in expected else 0), (name, docs)
        assert not (home / "journal.json").exists()
        assert not list(home.glob("index.*")), list(home.glob("index.*"))
        assert not list(home.glob(".*.tmp")) and not list((home / "docs").glob(".*.tmp"))
        assert not list((home / "index").glob("_*.toc.*")) and not list((home / "index").glob("*.tmp"))
    finally:
        kb.close()


def _count_writes(home: Path, action) -> int:
    faults = Faults()
    kb = KnowledgeBase.open(home)
    with faults.active():
        action(kb)
    kb.close()
    assert faults.count > 5, faults.events
    return faults.count


def _run_with_fault(home: Path, action, at: int, mode: str) -> None:
    """Run ``action`` with a fault at write ``at``: in-process, or in a forked child for ``kill``."""
    if mode == "kill":
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                kb = KnowledgeBase.open(home)
                with Faults(at, "kill").active():
                    action(kb)
            finally:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) or os.WTERMSIG(status) == signal.SIGKILL
        return
    kb = KnowledgeBase.open(home)
    try:
        with Faults(at, mode).active():
            try:
                action(kb)
            except KeyboardInterrupt:
                assert mode == "interrupt"
            except DangjianError as error:
                assert "Traceback" not in str(error) and str(error)
    finally:
        kb.close()


def _add(paths):
    def action(kb):
        report = kb.add(paths)
        for result in report.failed:
            assert "写入知识库失败" in result.message and "撤销" in result.message, result.message
    return action


MODES = ["error", "enospc", "interrupt", "kill"]
#: Ctrl-C takes the same paths as an exception in remove and rebuild (both undo on BaseException):
#: checked at every write of add only, to keep the suite's time down.
MODES_BUT_INTERRUPT = ["error", "enospc", "kill"]


@pytest.mark.parametrize("mode", MODES)
def test_fault_at_each_write_of_add_then_rerun_imports_each_file_once(tmp_path, small_home, sources, mode):
    total = _count_writes(_fresh_home(tmp_path, small_home, 0), _add(sources))
    for at in range(1, total + 1):
        home = _fresh_home(tmp_path, small_home, at)
        _run_with_fault(home, _add(sources), at, mode)
        with KnowledgeBase.open(home) as kb:  # the rerun
            kb.add(sources)
        assert_consistent(home, set(FILES))
        shutil.rmtree(home)


def _remove(doc_id):
    def action(kb):
        try:
            kb.remove(doc_id)
        except NotFoundError:
            pass
    return action


@pytest.mark.parametrize("mode", MODES_BUT_INTERRUPT)
def test_fault_at_each_write_of_remove_then_rerun_removes_it(tmp_path, small_home, sources, mode):
    base = _fresh_home(tmp_path, small_home, 0)
    with KnowledgeBase.open(base) as kb:
        doc_id = kb.add(sources[:2]).added[0].doc_id
    total = _count_writes(_fresh_home(tmp_path, base, 1000), _remove(doc_id))
    for at in range(1, total + 1):
        home = _fresh_home(tmp_path, base, at)
        _run_with_fault(home, _remove(doc_id), at, mode)
        with KnowledgeBase.open(home) as kb:
            _remove(doc_id)(kb)
        assert_consistent(home, {"乙.md"})
        shutil.rmtree(home)


def _rebuild(kb):
    kb.rebuild()


@pytest.mark.parametrize("mode", MODES_BUT_INTERRUPT)
def test_fault_at_each_write_of_rebuild_then_rerun_rebuilds(tmp_path, small_home, sources, mode):
    base = _fresh_home(tmp_path, small_home, 0)
    with KnowledgeBase.open(base) as kb:
        kb.add(sources)
    total = _count_writes(_fresh_home(tmp_path, base, 1000), _rebuild)
    for at in range(1, total + 1):
        home = _fresh_home(tmp_path, base, at)
        _run_with_fault(home, _rebuild, at, mode)
        if mode == "enospc":
            assert not (home / "index.new").exists()  # the staging index is gone at once, freeing the disk
        with KnowledgeBase.open(home) as kb:
            kb.rebuild()
        assert_consistent(home, set(FILES))
        shutil.rmtree(home)


def test_kill_without_rerun_is_repaired_on_open(tmp_path, small_home, sources):
    """After a kill at any write of add, merely opening the KB makes it consistent (no rerun)."""
    total = _count_writes(_fresh_home(tmp_path, small_home, 0), _add(sources))
    for at in range(1, total + 1):
        home = _fresh_home(tmp_path, small_home, at)
        _run_with_fault(home, _add(sources), at, "kill")
        with KnowledgeBase.open(home) as kb:
            kept = {name for name in FILES if any(True for _ in kb.search(f'"{MARKERS[name]}"'))}
        assert_consistent(home, kept)
        shutil.rmtree(home)


KILLER = """
import os, signal, sys
sys.path.insert(0, {tests!r})
from faults import Faults
Faults({at}, "kill").active().__enter__()
from dangjian.kb.cli import main
sys.argv = ["kb"] + sys.argv[1:]
main()
"""


def test_cli_add_killed_at_writes_then_rerun(tmp_path, small_home, sources):
    """The real command in its own process, SIGKILLed at a write; the rerun's output and exit status."""
    tests = str(Path(__file__).parent)
    for at in (3, 8, 12, 16, 20):
        home = _fresh_home(tmp_path, small_home, at)
        args = [sys.executable, "-c", KILLER.format(tests=tests, at=at), "--home", str(home), "add",
                *map(str, sources)]
        killed = subprocess.run(args, capture_output=True, text=True)
        assert killed.returncode in (-signal.SIGKILL, 0), killed.stderr
        assert "Traceback" not in killed.stderr
        rerun = subprocess.run([sys.executable, "-m", "dangjian.kb", "--home", str(home), "add", *map(str, sources)],
                               capture_output=True, text=True)
        assert rerun.returncode == 0, rerun.stderr
        assert "Traceback" not in rerun.stderr
        assert_consistent(home, set(FILES))


def test_deleted_catalog_is_detected_and_rebuilt_from_the_document_files(kb_home, sources):
    with KnowledgeBase.open(kb_home) as kb:
        kb.add(sources)
        before = {doc_id: entry["title"] for doc_id, entry in kb.catalog().items()}
    (kb_home / "catalog.json").unlink()
    runner = CliRunner()
    checked = runner.invoke(cli, ["--home", str(kb_home), "index", "--check"])
    assert checked.exit_code == 1 and "catalog.json 不见了" in checked.output
    docs = runner.invoke(cli, ["--home", str(kb_home), "docs"])
    assert docs.exit_code == 0 and "正在修复" in docs.stderr
    for doc_id, title in before.items():
        assert doc_id in docs.stdout and title in docs.stdout
    assert_consistent(kb_home, set(FILES))


def test_check_finds_and_repair_fixes_each_kind_of_damage(kb_home, sources):
    from dangjian.kb.index import Index

    with KnowledgeBase.open(kb_home) as kb:
        ids = [r.doc_id for r in kb.add(sources).added]
        document = kb.document(ids[0])
        ghost = kb.document(ids[1])
    # passages indexed twice (the old bug), a document gone from the index, a deleted document still indexed
    index = Index(kb_home / "index")
    ix = index._open()
    from dangjian.kb.index import _fields

    with ix.writer() as writer:
        for passage in document.passages:
            writer.add_document(**_fields(document, passage))
        writer.delete_by_term("doc", ids[2])
    index.close()
    (kb_home / "docs" / (ghost.id + ".json")).unlink()
    catalog = json.loads((kb_home / "catalog.json").read_text(encoding="utf-8"))
    catalog[ids[0]]["passages"] = 99
    (kb_home / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    (kb_home / "index.new").mkdir()
    runner = CliRunner()
    checked = runner.invoke(cli, ["--home", str(kb_home), "index", "--check"])
    assert checked.exit_code == 1, checked.output
    for text in ("重复", f"文档 {ids[2]} 的", "不在索引中", f"目录中的文档 {ghost.id} 没有文档文件",
                 "信息与文档文件不符", "index.new", "kb index --repair"):
        assert text in checked.output, (text, checked.output)
    assert (kb_home / "index.new").exists()  # --check changes nothing
    repaired = runner.invoke(cli, ["--home", str(kb_home), "index", "--repair"])
    assert repaired.exit_code == 0 and "已修复" in repaired.output
    again = runner.invoke(cli, ["--home", str(kb_home), "index", "--check"])
    assert again.exit_code == 0 and "一致" in again.output
    assert_consistent(kb_home, {"甲.txt", "丙.txt"})


def test_damaged_document_file_is_set_aside_by_repair(kb_home, sources):
    with KnowledgeBase.open(kb_home) as kb:
        doc_id = kb.add(sources[:1]).added[0].doc_id
        path = kb.store.doc_path(doc_id)
    path.write_text("{broken", encoding="utf-8")
    runner = CliRunner()
    repaired = runner.invoke(cli, ["--home", str(kb_home), "index", "--repair"])
    assert repaired.exit_code == 0 and "已损坏" in repaired.output
    assert path.with_name(path.name + ".damaged").exists()
    assert_consistent(kb_home, set())


def test_rebuild_on_a_full_disk_is_one_line_and_leaves_nothing_behind(kb_home, sources):
    with KnowledgeBase.open(kb_home) as kb:
        kb.add(sources)
    runner = CliRunner()
    faults = Faults(at=12, mode="enospc")
    with faults.active():
        result = runner.invoke(cli, ["--home", str(kb_home), "index", "--rebuild"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == "错误：重建检索索引失败（磁盘空间不足）", result.stderr
    assert not (kb_home / "index.new").exists() and not list(kb_home.glob("index.old-*"))
    assert_consistent(kb_home, set(FILES))


def test_add_on_a_full_disk_reports_in_chinese_and_keeps_nothing(kb_home, sources):
    before = (kb_home / "catalog.json").read_text(encoding="utf-8")
    runner = CliRunner()
    with Faults(at=2, mode="enospc").active():
        result = runner.invoke(cli, ["--home", str(kb_home), "add", *map(str, sources)])
    assert result.exit_code == 1
    assert "写入知识库失败（磁盘空间不足），已撤销本次导入" in result.stderr
    assert (kb_home / "catalog.json").read_text(encoding="utf-8") == before
    assert_consistent(kb_home, set())


@pytest.mark.parametrize("damage", ["not-a-dict", "entry-not-a-dict", "no-sha", "list"])
def test_malformed_catalog_is_repaired_on_open(kb_home, sources, damage):
    with KnowledgeBase.open(kb_home) as kb:
        kb.add(sources)
    catalog = json.loads((kb_home / "catalog.json").read_text(encoding="utf-8"))
    first = sorted(catalog)[0]
    if damage == "not-a-dict":
        text = "42"
    elif damage == "list":
        text = "[1, 2]"
    elif damage == "entry-not-a-dict":
        catalog[first] = 5
        text = json.dumps(catalog)
    else:
        del catalog[first]["sha256"]
        text = json.dumps(catalog)
    (kb_home / "catalog.json").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--home", str(kb_home), "docs"])
    assert result.exit_code == 0, result.output
    assert_consistent(kb_home, set(FILES))


def test_document_file_under_another_name_is_set_aside(kb_home, sources):
    with KnowledgeBase.open(kb_home) as kb:
        ids = [r.doc_id for r in kb.add(sources[:2]).added]
        path = kb.store.doc_path(ids[0])
    data = json.loads(path.read_text(encoding="utf-8"))
    data["id"] = ids[1]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--home", str(kb_home), "index", "--repair"])
    assert result.exit_code == 0 and "已损坏" in result.output
    assert_consistent(kb_home, {"乙.md"} if "乙" in json.loads(
        (kb_home / "docs" / (ids[1] + ".json")).read_text(encoding="utf-8"))["source"] else {"甲.txt"})
