"""The knowledge-base commands of ``kb``: search, show, add, docs, remove, index.

Each command opens :class:`dangjian.kb.api.KnowledgeBase` and prints what it
returns.  Heavy modules are imported inside the commands so that ``kb --help``
stays fast.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

import click

from .cli import KbCommand
from .model import FACETS, Hit, Passage
from .terminal import safe_text

_MARK = re.compile(r"【(.*?)】")


def _open(ctx: click.Context, repair: bool = True) -> Any:
    from .api import KnowledgeBase
    from .errors import InputError

    home = (ctx.obj or {}).get("home")
    wait = os.environ.get("DANGJIAN_LOCK_TIMEOUT", "10")
    try:
        timeout = float(wait)
    except ValueError:
        raise InputError(f"环境变量 DANGJIAN_LOCK_TIMEOUT 应是秒数，而不是“{wait}”") from None
    return KnowledgeBase.open(home, lock_timeout=timeout, progress=lambda message: click.echo(message, err=True),
                              repair=repair)


def _highlight(snippet: str) -> str:
    """Colour matched words on a terminal; keep the 【】 marks when piped."""
    if not sys.stdout.isatty():
        return snippet
    return _MARK.sub(lambda m: click.style(m.group(1), fg="red", bold=True), snippet)


def _tag_line(kb: Any, passage: Passage) -> str:
    from .taxonomy import FACET_NAMES

    parts = []
    for facet in FACETS:
        keys = passage.tags.get(facet) or []
        if keys:
            names = "、".join(kb.taxonomy.label(facet, key) for key in keys)
            parts.append(f"{FACET_NAMES[facet]}：{names}")
    return "；".join(parts)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.command(cls=KbCommand)
@click.argument("query", nargs=-1, required=True, metavar="查询词...")
@click.option("--sector", help="只看某领域，如 社区、学校、乡镇机关、国有企业（也可用英文键）。")
@click.option("--phase", help="只看某阶段：学习动员、分析评议、整改提高。")
@click.option("--member", help="只看某类党员，如 流动、离退休、年老体弱。")
@click.option("--topic", help="只看某主题，如 学习培训、党性分析、工作制度。")
@click.option("--doc", help="只在一个文档中检索（文档编号或标题，见 kb docs）。")
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True, help="最多显示几条结果。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果。")
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], sector: str | None, phase: str | None, member: str | None,
           topic: str | None, doc: str | None, limit: int, as_json: bool) -> None:
    """全文检索知识库，给出出处。

    \b
    不加引号的词语可多可少，包含词语越多的段落越靠前；
    “如何”“什么”等疑问词不要求出现；引号中的短语必须原样出现。
    \b
    例：
      kb search 流动党员如何参加学习
      kb search '"整改提高"' --sector 社区
      kb search 送学帮学 --member 年老体弱 --json
    """
    text = " ".join(query)
    kb = _open(ctx)
    hits: list[Hit] = kb.search(text, sector=sector, phase=phase, member=member, topic=topic, doc=doc, limit=limit)
    if as_json:
        _echo_json([hit.to_dict() for hit in hits])
        return
    if not hits and not kb.catalog():
        click.echo("知识库是空的，没有可检索的文档。用 kb add 文件或文件夹 导入，"
                   "或 kb index --rebuild --restore-bundled 恢复内置文档。")
        return
    if not hits:
        filters = any(v for v in (sector, phase, member, topic, doc))
        hint = "去掉筛选条件，或" if filters else ""
        click.echo(f"没有找到与“{safe_text(text, newlines=False)}”相关的段落。可以{hint}换用更短、更常用的词语，或去掉引号再试。")
        return
    for hit in hits:
        passage = hit.passage
        click.echo(safe_text(f"{hit.rank}. {passage.citation}  [{passage.id}]", newlines=False))
        click.echo(f"   {_highlight(safe_text(hit.snippet, newlines=False))}")
        tags = _tag_line(kb, passage)
        if tags:
            click.echo(f"   {tags}")
        if passage.gaps:
            click.echo("   原文缺数字：" + "；".join(str(g) for g in passage.gaps))


@click.command(cls=KbCommand)
@click.argument("passage_id", metavar="段落编号或文件")
@click.argument("place", required=False, metavar="[条文]")
@click.option("--context", "-C", "context", type=click.IntRange(0, 20), default=1, show_default=True,
              help="前后各显示几段。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.pass_context
def show(ctx: click.Context, passage_id: str, place: str | None, context: int, as_json: bool) -> None:
    """显示一段原文、上下文及缺失的数字。

    可以给段落编号，也可以给文档（编号、标题或标题的一部分）和条文，如 kb show 章程 第四条。

    \b
    例：
      kb show xjx2005:3.4.1.1
      kb show xjx2005:3.4.1.1 --context 0
      kb show 章程 第四条
    """
    kb = _open(ctx)
    if place is not None:
        passage_id = kb.article(passage_id, place).id
    passage = kb.passage(passage_id)
    before, after = kb.neighbours(passage_id, context)
    title = kb.document(passage.doc_id).title
    if as_json:
        _echo_json({
            "title": title,
            "passage": passage.to_dict(),
            "before": [p.to_dict() for p in before],
            "after": [p.to_dict() for p in after],
        })
        return
    click.echo(safe_text(f"{passage.citation}  [{passage.id}]", newlines=False))
    tags = _tag_line(kb, passage)
    if tags:
        click.echo(tags)
    click.echo("")
    for other in before:
        click.echo(click.style(safe_text(f"（上文 {other.id}）{other.text}"), dim=True) if sys.stdout.isatty()
                   else f"（上文 {other.id}）{other.text}")
        click.echo("")
    click.echo(safe_text(passage.text))
    for other in after:
        click.echo("")
        click.echo(click.style(safe_text(f"（下文 {other.id}）{other.text}"), dim=True) if sys.stdout.isatty()
                   else f"（下文 {other.id}）{other.text}")
    if passage.gaps:
        click.echo("")
        click.echo("原文在此缺少数字（使用时请按实际情况补全）：")
        for gap in passage.gaps:
            click.echo(f"  {gap}")


@click.command(cls=KbCommand)
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False), metavar="文件或文件夹...")
@click.pass_context
def add(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """导入文件或文件夹（.docx .doc .wps .pdf .txt .md .html）。

    文件夹中的文件逐个导入；内容相同的文件只导入一次；不能导入的文件逐个列出原因并计入“跳过”。
    .doc 和 .wps 经 LibreOffice 转换（需已安装），.pdf 读取其中的文字层（扫描件无法导入）。
    有文件导入失败时退出状态为 1，其他文件照常导入。

    \b
    例：
      kb add 通知.docx
      kb add 我的文件夹/
    """
    kb = _open(ctx)
    report = kb.add(list(paths))
    for result in report.results:
        if result.status == "added":
            gaps = f"，缺失数字 {result.gaps} 处" if result.gaps else ""
            click.echo(safe_text(f"已导入 {result.path} → {result.doc_id}《{result.title}》（{result.passages} 段{gaps}）", newlines=False))
            if result.dropped:
                click.echo(f"  清除了 {len(result.dropped)} 行非正文内容：")
                for line in result.dropped[:5]:
                    click.echo(f"    {safe_text(line[:60], newlines=False)}")
                if len(result.dropped) > 5:
                    click.echo(f"    ……等共 {len(result.dropped)} 行")
        elif result.status == "skipped":
            click.echo(safe_text(f"已跳过 {result.path}：{result.message}", newlines=False))
        else:
            click.echo(safe_text(f"导入失败 {result.path}：{result.message}", newlines=False), err=True)
    click.echo(report.summary())
    if not report.ok:
        ctx.exit(1)


@click.command(cls=KbCommand)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.pass_context
def docs(ctx: click.Context, as_json: bool) -> None:
    """列出知识库中的文档。

    \b
    例：
      kb docs
    """
    kb = _open(ctx)
    catalog = kb.catalog()
    if as_json:
        _echo_json([{"id": doc_id, **entry} for doc_id, entry in sorted(catalog.items())])
        return
    if not catalog:
        click.echo("知识库中还没有文档。用 kb add 文件 导入，或 kb index --rebuild --restore-bundled 恢复内置文档。")
        return
    for doc_id, entry in sorted(catalog.items()):
        mark = "（内置）" if entry.get("bundled") else ""
        gaps = f"，缺失数字 {entry['gaps']} 处" if entry.get("gaps") else ""
        source = "" if entry.get("bundled") else f"  来源：{entry.get('source', '')}"  # bundled:000_….txt means nothing
        click.echo(safe_text(f"{doc_id}  《{entry.get('title', '')}》{mark}  {entry.get('passages', 0)} 段{gaps}{source}", newlines=False))
    click.echo(f"共 {len(catalog)} 个文档")


@click.command(cls=KbCommand)
@click.argument("doc_id", metavar="文档编号")
@click.pass_context
def remove(ctx: click.Context, doc_id: str) -> None:
    """从知识库删除一个文档。

    \b
    文档编号见 kb docs 每行开头（导入的文件如 d3b8fa658，内置文档如 xjx2005）。

    \b
    例：
      kb docs
      kb remove d3b8fa658
    """
    kb = _open(ctx)
    document = kb.remove(doc_id)
    click.echo(safe_text(f"已删除 {document.id}《{document.title}》（{len(document.passages)} 段）", newlines=False))
    if document.bundled:
        click.echo("这是内置文档；需要时可用 kb index --rebuild --restore-bundled 恢复。")


@click.command(cls=KbCommand)
@click.option("--rebuild", is_flag=True, help="从已存文档重建检索索引。")
@click.option("--restore-bundled", is_flag=True, help="重建时恢复已删除的内置文档。")
@click.option("--check", is_flag=True, help="核对目录、文档文件和检索索引是否一致（不做修改）。")
@click.option("--repair", is_flag=True, help="核对并修复：以文档文件为准，补齐或删去目录和索引中的条目。")
@click.pass_context
def index(ctx: click.Context, rebuild: bool, restore_bundled: bool, check: bool, repair: bool) -> None:
    """查看、核对、修复或重建检索索引。

    \b
    例：
      kb index
      kb index --check
      kb index --repair
      kb index --rebuild
    """
    if check or repair:
        kb = _open(ctx, repair=False)
        problems = kb.repair() if repair else kb.check()
        for problem in problems:
            click.echo(f"{'已修复' if repair else '发现'}：{problem.message}")
        if not problems:
            click.echo("知识库一致：目录、文档文件和检索索引相符。")
        elif repair:
            click.echo(f"共修复 {len(problems)} 项。")
        else:
            click.echo(f"共 {len(problems)} 项不一致；运行 kb index --repair 修复。")
            ctx.exit(1)
        if not (rebuild or restore_bundled):
            return
    else:
        kb = _open(ctx)
    if rebuild or restore_bundled:
        info = kb.rebuild(progress=lambda message: click.echo(message, err=True), restore_bundled=restore_bundled)
    else:
        info = kb.info()
    click.echo(f"知识库目录：{info.home}")
    click.echo(f"文档：{info.documents} 个，段落：{info.passages} 段")
    click.echo(f"建立时间：{info.built}")
    versions = info.versions
    click.echo(
        f"版本：索引结构 {versions.get('schema', '?')}，分词 {versions.get('analyzer', '?')}，"
        f"词典 {versions.get('dict', '?')}，分类体系 {versions.get('taxonomy', '?')}"
    )
    for warning in kb.taxonomy.synonym_warnings(user_only=True):
        click.echo(f"提示：{warning}（{kb.taxonomy.sources[-1]}）")
