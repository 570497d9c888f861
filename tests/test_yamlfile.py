"""YAML as users write it (issue 12) and as attackers do (issue 13): one loader for every YAML file."""

from __future__ import annotations

import os
import resource
import stat

import pytest
from click.testing import CliRunner

from dangjian.generators import generate
from dangjian.generators.markdown_model import split_front_matter
from dangjian.generators.profile import load_profile
from dangjian.kb.cli import cli
from dangjian.kb.errors import CampaignError, InputError, TemplateError
from dangjian.kb.yamlfile import MAX_DEPTH, load_yaml, unknown_keys


def test_bare_scalars_mean_what_the_user_meant():
    data = load_yaml("阶段比例: 4:3:3\n时间: 9:30\n序号: 05\n回答: yes\n否: no\n开关: on\n"
                     "日期: 2005-07-01\n坏日期: 2005-13-45\n时刻: 2005-07-01T25:00:00\n"
                     "人数: 20\n负数: -3\n比例: 0.4\n真: true\n假: False\n空:\n波浪: ~\n十六进制: 0x1F\n")
    assert data == {"阶段比例": "4:3:3", "时间": "9:30", "序号": "05", "回答": "yes", "否": "no", "开关": "on",
                    "日期": "2005-07-01", "坏日期": "2005-13-45", "时刻": "2005-07-01T25:00:00",
                    "人数": 20, "负数": -3, "比例": 0.4, "真": True, "假": False, "空": None, "波浪": None,
                    "十六进制": "0x1F"}


def test_explicit_tags_build_no_dates_or_bytes():
    assert load_yaml("a: !!timestamp 2005-13-45\nb: !!binary eA==\n") == {"a": "2005-13-45", "b": "eA=="}


@pytest.mark.parametrize(
    "text, line, cause",
    [
        ("名称: 某某社区党委\n领域：社区\n书记: 张三\n", 2, "全角冒号"),
        ("名称: 某某社区党委\n\t领域: 社区\n", 2, "Tab"),
        ("名称: 某某社区党委\n委员: [李四, 王五\n书记: 张三\n", 2, "方括号没有闭合"),
        ("名称: 某某社区党委\n委员: [李四, 王五\n", 2, "方括号没有闭合"),
        ("名称: 某某社区党委\n地点: \"党员活动室\n书记: 张三\n", 2, "引号没有闭合"),
        ("名称: 某某社区党委\n书记:张三\n领域: 社区\n", 2, "冒号后面缺少空格"),
        ("名称: 某某社区党委\n书记:\u3000张三\n领域: 社区\n", 2, "全角空格"),
        ("名称: 某某社区党委\n\u3000书记: 张三\n  领域: 社区\n", 2, "全角空格"),
    ],
    ids=["fullwidth-colon", "tab", "unclosed-bracket", "unclosed-bracket-at-end", "unclosed-quote",
         "no-space-after-colon", "fullwidth-space-after-colon", "fullwidth-indent"],
)
def test_profile_errors_name_the_real_line_and_cause_in_chinese(tmp_path, text, line, cause):
    path = tmp_path / "单位.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert f"第{line}行" in message and cause in message
    assert not any(word in message for word in ("could not", "found character", "expected"))


def test_front_matter_errors_count_file_lines():
    with pytest.raises(TemplateError, match="第3行：这一行用了全角冒号"):
        split_front_matter("---\n标题: 通知\n发文机关：某某党委\n---\n正文\n", "通知.md")


def test_alias_bomb_is_refused_before_it_grows():
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(9))
    bomb += "抄送: *j\n"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError, match="第2行：不支持 YAML 别名"):
        load_yaml(bomb, "front")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # kB: nothing was expanded


def test_front_matter_alias_bomb_is_a_template_error():
    source = "---\n甲: &i [1, 2]\n抄送: *i\n---\n正文\n"
    with pytest.raises(TemplateError, match="第3行：不支持 YAML 别名"):
        split_front_matter(source, "a.md")


@pytest.mark.parametrize("text", ["a: " + "[" * 5000 + "]" * 5000,
                                  "a:\n" + "".join("  " * i + "-\n" for i in range(1, 500)),
                                  "a: " + "{b: " * 3000 + "1" + "}" * 3000],
                         ids=["flow-lists", "block-lists", "flow-mappings"])
def test_deep_nesting_is_refused(text):
    with pytest.raises(InputError, match=f"嵌套超过 {MAX_DEPTH} 层"):
        load_yaml(text, "x.yaml")


def test_profile_alias_bomb(tmp_path):
    path = tmp_path / "单位.yaml"
    path.write_text("名称: 某某社区党委\n领域: 社区\n_a: &i [甲, 乙]\n委员: *i\n", encoding="utf-8")
    with pytest.raises(CampaignError, match="第4行：不支持 YAML 别名"):
        load_profile(path)


def test_unknown_keys_get_a_suggestion():
    notes = unknown_keys(["书计", "名称", "领城", "乱七八糟的"], ["名称", "领域", "书记"], "单位资料项")
    assert notes == ["未识别的单位资料项“书计”，已忽略，是不是“书记”？", "未识别的单位资料项“领城”，已忽略，是不是“领域”？",
                     "未识别的单位资料项“乱七八糟的”，已忽略"]


def test_documented_profile_with_bare_ratio_generates_every_main_type(tmp_path):
    path = tmp_path / "单位.yaml"
    path.write_text("名称: 某某社区党委\n领域: 社区\n书计: 张三\n阶段比例: 4:3:3\n开始日期: 2005-07-01\n"
                    "文号: 05\n", encoding="utf-8")
    profile = load_profile(path)
    assert profile.shares == [0.4, 0.3, 0.3] and profile.number == "05"
    for kind in ("实施方案", "学习要求", "学习安排表", "整改方案"):
        result = generate(kind, str(path), output=tmp_path / f"{kind}.docx")
        assert "未识别的单位资料项“书计”，已忽略，是不是“书记”？" in result.warnings


def test_cli_warns_about_a_misspelled_key(tmp_path):
    path = tmp_path / "单位.yaml"
    path.write_text("名称: 某某社区党委\n领域: 社区\n书计: 张三\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["generate", "学习要求", "-p", str(path), "-o", str(tmp_path / "a.docx")])
    assert result.exit_code == 0, result.output
    assert "是不是“书记”" in result.output


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_outputs_and_home_follow_the_umask(tmp_path, umask_022, monkeypatch):
    out = tmp_path / "a.docx"
    result = CliRunner().invoke(cli, ["generate", "学习要求", "--org", "某某社区党委", "--sector", "社区", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    home = tmp_path / "home"
    note = tmp_path / "n.txt"
    note.write_text("关于学习的说明\n\n流动党员要参加学习。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--home", str(home), "add", str(note)])
    assert result.exit_code == 0, result.output
    files = [p for p in home.rglob("*") if p.is_file() and not p.name.upper().endswith("LOCK")]
    assert any(p.name == "catalog.json" for p in files) and len(files) > 3
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    for path in home.rglob("*"):  # whoosh's empty lock file is 0755 (its own os.open mode), still not private
        assert path.stat().st_mode & 0o044 == 0o044, path


def test_umask_077_keeps_files_private(tmp_path):
    old = os.umask(0o077)
    try:
        from dangjian.generators.render import write_atomic

        write_atomic(tmp_path / "x.txt", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.txt").stat().st_mode) == 0o600


def test_a_file_of_full_width_colons_only(tmp_path):
    path = tmp_path / "单位.yaml"
    path.write_text("名称：红星社区党委\n领域：社区\n", encoding="utf-8")
    with pytest.raises(CampaignError, match="第1行：这一行用了全角冒号"):
        load_profile(path)
    with pytest.raises(TemplateError, match="第2行：这一行用了全角冒号"):
        split_front_matter("---\n标题：通知\n---\n正文\n", "a.md")


def test_real_words_are_not_taken_for_typos():
    assert unknown_keys(["序号", "时间"], ["文号", "时长"]) == ["未识别的键“序号”，已忽略", "未识别的键“时间”，已忽略"]


def test_deep_flow_nesting_is_refused_before_the_parser_sees_it(monkeypatch):
    import yaml

    def parser_called(*args, **kwargs):
        raise AssertionError("PyYAML's scanner is quadratic in [[[ nesting: it must not see this text")

    monkeypatch.setattr(yaml, "load", parser_called)
    with pytest.raises(InputError, match="第2行：嵌套超过"):
        load_yaml("a: 1\nb: " + "[" * 100_000 + "]" * 100_000)


def test_brackets_in_quotes_and_comments_are_not_nesting():
    text = 'a: "' + "[" * 60 + '"  # ' + "{" * 60 + "\nb: [[1]]\n"
    assert load_yaml(text) == {"a": "[" * 60, "b": [[1]]}


def test_oversized_yaml_is_refused_unread():
    with pytest.raises(InputError, match="太大（超过 1 MB）"):
        load_yaml("a: " + "x" * 1_000_001, "x.yaml")
