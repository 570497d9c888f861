"""Titles of imported reports and web pages: several-line titles joined, site navigation skipped."""

from __future__ import annotations

from dangjian.kb.outline import import_file
from dangjian.kb.readers import read_html_text, read_plain_text

REPORT = """高举某某伟大旗帜
为全面建设某某而团结奋斗
——在某某代表大会上的报告
张三
（某年某月某日）
同志们：
现在，我代表某某委员会向大会作报告。
"""


def test_report_title_takes_its_lines_and_subtitle():
    blocks, title = read_plain_text(REPORT)
    assert title == "高举某某伟大旗帜 为全面建设某某而团结奋斗——在某某代表大会上的报告"
    assert [b.text for b in blocks if not b.is_title][0] == "张三"


def test_title_broken_after_de_is_joined_without_a_space():
    _, title = read_plain_text("关于开展某某学习教育的\n实施意见\n一、总体要求\n认真学习。\n")
    assert title == "关于开展某某学习教育的实施意见"


def test_one_line_title_stays_one_line():
    _, title = read_plain_text("某某工作方案\n为了做好某某工作，制定本方案。\n一、目标\n明确。\n")
    assert title == "某某工作方案"


def test_a_short_line_after_a_title_is_not_part_of_it():
    _, title = read_plain_text("在某某会议上的讲话\n李四\n同志们：今天我们召开会议。\n")
    assert title == "在某某会议上的讲话"


PAGE = """<html><head><title>关于做好某某工作的通知_某某市人民政府网</title></head><body>
<div class="content"><h1>网站首页</h1><h2>关于做好某某工作的通知</h2>
<p>各单位：为了做好某某工作，现将有关事项通知如下。</p><p>一、提高认识。各单位要高度重视。</p>
<p>二、加强领导。各单位要明确责任。</p></div></body></html>"""


def test_web_page_title_is_the_article_heading_not_the_site_h1():
    blocks, title = read_html_text(PAGE)
    assert title == "关于做好某某工作的通知"
    assert "网站首页" not in [b.text for b in blocks]


def test_web_page_title_falls_back_to_the_page_title(tmp_path):
    path = tmp_path / "p.html"
    path.write_text(PAGE.replace("<h1>网站首页</h1><h2>关于做好某某工作的通知</h2>", "<h1>网站首页</h1>"),
                    encoding="utf-8")
    assert import_file(path).title == "关于做好某某工作的通知"
