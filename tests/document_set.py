"""Every document type rendered for two organizations, plus kits and hand-written renders (imported by tests).

The two organizations are the extremes a clerk meets: a 社区 with a short name
and few members, and an enterprise whose name is 30 characters long with 1,000
members (a 180-name roster for the 签到表).  :func:`build_set` writes every
type from ``kb types`` for both, the combined 会议材料 kits, a 简报, a render
with a wide 11-column table and a render with a landscape attachment, in the
format standard asked for (``"1999"``, ``"2012"`` or ``""`` for the default
chosen by the date).
"""

from __future__ import annotations

from pathlib import Path

SHORT = {
    "名称": "红星社区党委", "领域": "社区", "上级党委": "某某街道党工委", "书记": "张三", "委员": ["李四", "王五"],
    "各类党员": {"在职": 20, "离退休": 35, "年老体弱": 12, "流动": 3}, "开始日期": "2005-07-01", "月数": 3,
    "地点": "社区党员活动室",
}
#: 30 characters.
LONG_NAME = "中共某某省某某市第二机械制造集团有限责任公司第一分公司委员会"
LONG = {
    "名称": LONG_NAME, "领域": "国有企业", "上级党委": "中共某某省某某市人民政府国有资产监督管理委员会委员会",
    "书记": "欧阳建国", "委员": ["司马文", "诸葛明", "上官红"],
    "各类党员": {"在职": 640, "离退休": 300, "下岗失业": 40, "流动": 20}, "开始日期": "2005-07-01", "月数": 3,
    "地点": "集团公司办公楼三楼第一会议室",
    "党员名单": [f"{'赵钱孙李周吴郑王冯陈'[i % 10]}{'建国志强海燕秀英文明'[i // 10 % 10]}{'一二三四五六七八九十'[i // 100 % 10]}"
             for i in range(180)],
}
WIDE_TABLE = """---
署名: 红星社区党委
日期: {date}
---
# 党员基本情况统计表

| 序号 | 姓名 | 性别 | 出生年月 | 入党时间 | 学历 | 党员类别 | 所在支部 | 工作单位及职务 | 联系电话 | 备注 |
|---|---|---|---|---|---|---|---|---|---|---|
""" + "".join(f"| {i} | 欧阳建{i} | 男 | 1960年{i}月 | 2005年9月30日 | 大专 | 在职 | 第一支部 | 某某机械厂车间主任 | 13800000{i:03d} | |\n"
              for i in range(1, 13))
LANDSCAPE = """---
署名: 红星社区党委
日期: {date}
抄送: 某某街道党工委
印发: 红星社区党委办公室
印发日期: {date}
---
# 关于开展整改工作的通知

各党支部：

现将整改台账印发给你们，请认真对照落实。

# 附件 整改台账 {{.landscape}}

| 序号 | 存在问题 | 整改措施 | 责任人 | 完成时限 |
|---|---|---|---|---|
| 1 | 学习不够深入 | 每周集中学习一次 | 张三 | 2005年9月30日 |
"""


def build_set(folder: Path, standard: str = "", start: str = "2005-07-01") -> list[Path]:
    """Write the whole set into ``folder`` and return the .docx paths."""
    from dangjian.generators import document_types, generate
    from dangjian.generators.render import render_markdown
    from dangjian.generators.types.meetings import generate_kit

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    date = start
    for key, base in (("short", SHORT), ("long", LONG)):
        profile = {**base, "开始日期": start}
        if standard:
            profile["格式标准"] = standard
        for kind in document_types():
            if kind.key == "meeting_kit":
                target = folder / f"{key}-meeting_kit.docx"
                generate_kit(profile, "动员大会", output=target, combine=True)
                written.append(target)
                continue
            options = {"meeting": "专题组织生活会"} if "meeting" in kind.options else {}
            target = folder / f"{key}-{kind.key}.docx"
            generate(kind.name, profile, output=target, **options)
            written.append(target)
    head = f"格式标准: {standard}\n" if standard else ""
    for name, source in (("wide_table", WIDE_TABLE), ("landscape", LANDSCAPE)):
        text = source.format(date=date).replace("---\n", "---\n" + head, 1)
        target = folder / f"{name}.docx"
        render_markdown(text, output=target)
        written.append(target)
    return written
