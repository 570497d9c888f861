"""User templates (kb render --templates) run in a bounded sandbox: CPU, memory, recursion and files
outside the template folder are all refused with one Chinese line.  Memory is measured, not time."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from dangjian.generators import sandbox
from dangjian.generators.render import render_template, template_source
from dangjian.kb.cli import cli
from dangjian.kb.errors import TemplateError

from test_limits import _peak_rss_mb

HOSTILE = {
    "nested-range": ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "循环超过"),
    "string-times": ("{{ 'x' * 10**9 }}", "重复到"),
    "list-times": ("{{ [1] * 10**9 }}", "重复到"),
    "center": ("{{ 'a'|center(10**9) }}", "参数"),
    "join-times": ("{{ (range(99999)|list|join(',')) * 3000 }}", "重复到"),
    "range-huge": ("{{ range(10**9)|list }}", "range() 最多 100,000 个数"),
    "divide-zero": ("{{ 1/0 }}", "除以零"),
    "modulo-zero": ("{{ 5 % 0 }}", "除以零"),
    "power": ("{{ 10**100000 }}", "数太大"),
    "format-huge": ("{{ '%s'|format(10**100000) }}", "数太大"),
    "recursive-macro": ("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(1) }}", "递归太深"),
    "loop-over-int": ("{% for x in 5 recursive %}{{ loop(x) }}{% endfor %}", "类型"),
    "namespace-doubling": ("{% set ns = namespace(s='xx') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
                           "超过 1,000,000"),
    "output-flood": ("{% for i in range(99999) %}{{ 'x' * 999 }}{% endfor %}", "输出超过"),
    "indent": ("{{ ('a\n' * 1000)|indent(10**6) }}", "参数"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE), ids=sorted(HOSTILE))
def test_hostile_template_is_one_chinese_line(tmp_path, case):
    source, message = HOSTILE[case]
    (tmp_path / "坏.md.j2").write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        template_source("坏", {}, template_dirs=[tmp_path], sandboxed=True)
    text = str(caught.value)
    assert message in text and "\n" not in text and "坏.md.j2" in text, text


def test_self_include_is_a_clear_error(tmp_path):
    (tmp_path / "自己.md.j2").write_text("x{% include '自己.md.j2' %}", encoding="utf-8")
    with pytest.raises(TemplateError, match="递归太深"):
        template_source("自己", {}, template_dirs=[tmp_path], sandboxed=True)


def test_render_deadline(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 0.3)
    monkeypatch.setattr(sandbox, "MAX_ITERATIONS", 10**12)
    # string loops are not counted as range steps: the deadline stops them
    (tmp_path / "慢.md.j2").write_text("{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
                                      encoding="utf-8")
    with pytest.raises(TemplateError, match="渲染超过 0.3 秒"):
        template_source("慢", {}, template_dirs=[tmp_path], sandboxed=True)


def test_memory_stays_bounded_for_the_reported_bombs(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    sources = [HOSTILE[c][0] for c in ("string-times", "list-times", "center", "join-times", "namespace-doubling",
                                        "output-flood")]
    for i, source in enumerate(sources):
        (folder / f"t{i}.md.j2").write_text(source, encoding="utf-8")
    base = _peak_rss_mb("import dangjian.generators.render, jinja2")[0]
    peak, out = _peak_rss_mb(f"""
        from pathlib import Path
        from dangjian.generators.render import template_source
        from dangjian.kb.errors import TemplateError
        for i in range({len(sources)}):
            try:
                template_source(f"t{{i}}", {{}}, template_dirs=[Path({str(folder)!r})], sandboxed=True)
            except TemplateError as error:
                print("refused")
    """)
    assert out.count("refused") == len(sources)
    assert peak - base < 150, (peak, base)


def test_symlink_inside_the_template_folder_cannot_include_outside_files(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    (folder / "passwd_link").symlink_to(secret)
    (folder / "通知.md.j2").write_text("# 通知\n\n{% include 'passwd_link' %}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="指向模板文件夹之外"):
        render_template("通知", {}, template_dirs=[folder], sandboxed=True, fmt="md")
    os.symlink("/etc/passwd", folder / "link.md.j2")
    with pytest.raises(TemplateError, match="指向模板文件夹之外"):
        render_template("link", {}, template_dirs=[folder], sandboxed=True, fmt="md")


def test_symlink_within_the_folder_is_fine(tmp_path):
    folder = tmp_path / "tpl"
    (folder / "parts").mkdir(parents=True)
    (folder / "parts" / "尾.md").write_text("此致", encoding="utf-8")
    (folder / "尾").symlink_to(folder / "parts" / "尾.md")
    (folder / "通知.md.j2").write_text("# 通知\n\n正文。\n\n{% include '尾' %}\n", encoding="utf-8")
    assert "此致" in render_template("通知", {}, template_dirs=[folder], sandboxed=True, fmt="md")


def test_cli_render_of_a_hostile_template_is_one_line(tmp_path):
    (tmp_path / "坏.md.j2").write_text("{{ 'x' * 10**9 }}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", str(tmp_path / "坏.md.j2"), "-o", str(tmp_path / "o.docx")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and "重复到" in lines[0], result.stderr
    assert not (tmp_path / "o.docx").exists()


def test_ordinary_templates_still_work(tmp_path):
    (tmp_path / "表.md.j2").write_text(
        "# {{ 单位 }}学习安排\n\n{% for i in range(1, 4) %}{{ i }}. 第{{ i|cn_number }}周学习，共{{ 2 * i }}学时。\n{% endfor %}",
        encoding="utf-8")
    text, _ = template_source("表", {"单位": "某社区"}, template_dirs=[tmp_path], sandboxed=True)
    assert "1. 第一周学习，共2学时。" in text and "3. 第三周学习，共6学时。" in text


MORE = {
    "format-width": ("{{ '%1000000000d' % 1 }}", "宽度或精度太大"),
    "format-star": ("{{ '%*d' % (10**9, 1) }}", "宽度或精度太大"),
    "filter-format-width": ("{{ '%1000000000s'|format('a') }}", "宽度或精度太大"),
    "str-format-width": ("{{ '{:>1000000000}'.format(1) }}", "宽度或精度太大"),
    "concat-chain": ("{% set s = 'x' * 1000000 %}{{ (s ~ s ~ s ~ s ~ s)|length }}", "超过 1,000,000"),
    "macro-body": ("{% set s = 'x' * 1000000 %}{% macro m() %}" + "{{ s }}" * 50 + "{% endmacro %}{{ m()|length }}",
                   "超过 1,000,000"),
    "join-many": ("{% set s = 'x' * 1000000 %}{{ ([s] * 1000)|join }}", "超过 1,000,000"),
    "replace-blowup": ("{% set s = 'x' * 1000000 %}{{ s|replace('x', s) }}", "超过 1,000,000"),
    "lipsum": ("{{ lipsum(n=1000000) }}", "lipsum"),
    "set-block": ("{% set s = 'x' * 1000000 %}{% set t %}" + "{{ s }}" * 50 + "{% endset %}{{ t|length }}",
                  "超过 1,000,000"),
}


@pytest.mark.parametrize("case", sorted(MORE), ids=sorted(MORE))
def test_more_ways_to_build_a_huge_string_are_refused_before_building_it(tmp_path, case):
    source, message = MORE[case]
    (tmp_path / "坏.md.j2").write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        template_source("坏", {}, template_dirs=[tmp_path], sandboxed=True)
    assert message in str(caught.value), str(caught.value)


def test_small_concatenations_and_formats_still_work(tmp_path):
    (tmp_path / "好.md.j2").write_text(
        "{{ '第' ~ 3 ~ '周' }} {{ '%05.1f' % 3.14159 }} {{ '{:>4}'.format(7) }} {{ ['甲', '乙']|join('、') }}"
        " {{ '党员'|replace('党', '共产党') }} {% set t %}段落{% endset %}{{ t }}", encoding="utf-8")
    text, _ = template_source("好", {}, template_dirs=[tmp_path], sandboxed=True)
    assert text == "第3周 003.1    7 甲、乙 共产党员 段落"


@pytest.mark.parametrize("source, message", [
    ("{% include '/etc/passwd' %}", "找不到要包含的模板“/etc/passwd”"),
    ("{% include '../../etc/passwd' %}", "不能用 .. 或绝对路径"),
    ("{{ self.__init__ }}", "沙箱不允许的属性 __init__"),
    ("{% extends '坏.md.j2' %}", "递归太深"),
])
def test_includes_outside_and_unsafe_attributes_are_chinese_lines(tmp_path, source, message):
    (tmp_path / "坏.md.j2").write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        template_source("坏", {}, template_dirs=[tmp_path], sandboxed=True)
    assert message in str(caught.value) and "not found" not in str(caught.value), str(caught.value)
