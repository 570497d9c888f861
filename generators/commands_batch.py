"""``kb batch``: generate documents for every organization of a roster."""

from __future__ import annotations

import sys

import click

from ..kb.cli import KbCommand


@click.command(name="batch", cls=KbCommand)
@click.argument("roster", type=click.Path(dir_okay=False), metavar="名册")
@click.option("-t", "--types", "types", required=True, help="文件类型，逗号分隔，如 学习要求,实施方案（kb types 列出全部）。")
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False), help="输出文件夹；每个单位一个子文件夹。")
@click.option("-f", "--format", "fmt", type=click.Choice(["docx", "pdf", "html", "md"]), default="docx", show_default=True, help="输出格式（pdf 需已安装 LibreOffice，每份文件都要经它转换，较慢）。")
@click.option("--force", is_flag=True, help="覆盖已存在的文件（默认保留，只补生成缺少的文件）。")
@click.option("-j", "--workers", type=click.IntRange(min=1), default=None, help="并行进程数（默认为 CPU 核数）。")
@click.option("--sheet", default=None, help="Excel 名册的工作表名（默认第一个）。")
@click.option("--meeting", default=None, help="会议类文件的会议类型，如 专题组织生活会。")
@click.option("--date", "date", default=None, help="会议或成文日期，如 2005-09-01。")
@click.option("--place", default=None, help="会议地点（覆盖名册中的“地点”列）。")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条。")
def batch(roster, types, outdir, fmt, force, workers, sheet, meeting, date, place, quiet):
    """按名册（CSV 或 Excel）为每个单位生成文件，每个单位一个文件夹。

    名册每行一个单位，第一行是表头，可用中文列名：单位名称（必填）、领域、上级党委、
    书记、委员、党员名单、党员总数、在职、离退休、流动、开始日期、月数、地点等
    （完整列表见 docs/batch.md）。CSV 可为 UTF-8 或 GB18030 编码。

    出错的行会报告并跳过，不影响其他单位；已存在的文件不覆盖（除非 --force），
    中断后重新运行只补生成缺少的文件。

    \b
    例：
      kb batch 名册.xlsx --types 学习要求,实施方案 -o 输出
      kb batch 名册.csv -t 会议通知,签到表 --meeting 动员大会 --date 2005-07-10 -o 输出
    """
    from .batch import generate_batch
    from .roster import read_roster

    rows = read_roster(roster, sheet=sheet)
    for note in rows.notes:
        click.echo(f"提示：{note}", err=True)
    if rows.unknown_columns:
        from ..kb.didyoumean import suggest
        from .profile import known_profile_keys

        known = known_profile_keys()
        guesses = [f"“{c}”是不是“{near}”？" for c in rows.unknown_columns if (near := suggest(c, known))]
        click.echo(f"提示：名册中这些列未使用：{'、'.join(rows.unknown_columns)}（可用列见 docs/batch.md）"
                   + ("；" + "".join(guesses) if guesses else ""), err=True)
    wanted = [t.strip() for t in types.replace("，", ",").replace("、", ",").split(",") if t.strip()]
    options = {k: v for k, v in (("meeting", meeting), ("date", date), ("place", place)) if v}
    bar = None
    if not quiet and len(rows):
        bar = click.progressbar(
            length=len(rows), label="生成中", file=sys.stderr, show_pos=True, show_eta=True, width=30
        )
        bar.__enter__()

    def progress(done, total, result):
        if bar is not None:
            bar.update(1)

    try:
        report = generate_batch(rows, wanted, outdir, force=force, workers=workers, progress=progress, fmt=fmt, options=options)
    except KeyboardInterrupt:
        click.echo("\n已中断。已写出的文件都是完整的；重新运行同一命令只补生成缺少的文件。", err=True)
        raise click.exceptions.Exit(130) from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(report.summary())
    if not len(rows):
        click.echo("名册中没有单位。", err=True)
    if not report.ok:
        raise click.exceptions.Exit(1)
