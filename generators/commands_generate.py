"""``kb generate``, ``kb types`` and ``kb campaign``: thin click layers over :mod:`dangjian.generators.api`."""

from __future__ import annotations

from pathlib import Path

import click

from ..kb.cli import KbCommand, KbSubgroup
from ..kb.errors import InputError
from .render import SUFFIXES

_FORMATS = ("docx", "pdf", "md", "html")


@click.command(cls=KbCommand)
@click.argument("doc_type", metavar="文件类型")
@click.option("--profile", "-p", "profile_file", type=click.Path(dir_okay=False), help="单位资料 YAML 文件（中文或英文键）。")
@click.option("--org", help="单位名称，如 某某社区党委。")
@click.option("--sector", help="领域：社区、学校、乡镇机关、国有企业、非公企业、社会组织……")
@click.option("--parent", help="上级党委名称。")
@click.option("--secretary", help="党组织书记姓名。")
@click.option("--committee", help="委员姓名，用顿号或逗号分隔。")
@click.option("--members", help="各类党员人数，如 在职=20,离退休=35,年老体弱=12,流动=3。")
@click.option("--total", "member_total", help="党员总数（各类人数有交叉时给出）。")
@click.option("--start", help="开始日期，如 2005-07-01（默认按活动资料包）。")
@click.option("--months", help="集中学习教育月数（默认按活动资料包）。")
@click.option("--end", help="结束日期（可代替 --months）。")
@click.option("--shares", help="各阶段时间比例，如 4:3:3。")
@click.option("--place", help="学习和会议地点。")
@click.option("--tutors", help="辅导人姓名，用顿号或逗号分隔。")
@click.option("--supervisor", help="督导组（组长或成员姓名）。")
@click.option("--date", help="成文日期（默认按文件在活动中的位置定：实施方案在开始前一周，学习要求在学习动员开始时，整改方案在整改提高阶段内……）；会议类文件为会议日期。")
@click.option("--standard", type=click.Choice(["1999", "2012"]),
              help="格式标准：1999 或 2012（GB/T 9704）；默认按成文日期，2012年7月1日以前为 1999（中文数字日期、主题词）。")
@click.option("--campaign", help="活动资料包 ID 或 .yaml 路径（默认 xjx2005）。")
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default=None, help="输出格式（默认按 -o 的扩展名，否则 docx）。")
@click.option("--output", "-o", type=click.Path(), help="输出文件（默认 <类型>.<格式>，写在当前目录；会议材料不合成时为文件夹）。")
@click.option("--citations", "citations_mode", default=None, metavar="file|appendix|none",
              help="编写依据：file 单独成文（默认，-o 方案.docx 另写 方案.依据.docx，不随文件印发）、appendix 作为文件的附件、none 不附。")
@click.option("--no-citations", is_flag=True, help="不写“编写依据”（同 --citations none）。")
@click.option("--with-notice", is_flag=True, help="实施方案：以印发通知的附件形式发出。")
@click.option("--meeting", help="会议类文件：会议名称，如 动员大会、专题组织生活会（此时 --date、--place 为会议的日期和地点）。")
@click.option("--time", "meeting_time", help="会议时间，如 上午9:00。")
@click.option("--branch", help="党支部名称：专题组织生活会等由各党支部分别召开的会议、学习安排表，写这个支部的（单位资料列出“党支部”时）。")
@click.option("--combine", is_flag=True, help="会议材料：合成一个 Word 文件（分页、页码连续）；不加时每份材料一个文件，-o 为文件夹。")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖（默认不覆盖）。")
@click.option("--set", "settings", multiple=True, metavar="选项=值", help="文件类型自己的选项（见 kb types），如 --set problems=问题清单.xlsx、--set phase=分析评议。")
def generate(doc_type: str, profile_file: str | None, fmt: str | None, output: str | None, no_citations: bool,
             citations_mode: str | None,
             with_notice: bool, campaign: str | None, meeting: str | None, meeting_time: str | None,
             branch: str | None, combine: bool, force: bool, settings: tuple[str, ...], **fields: str | None) -> None:
    """按本单位情况生成文件（文件类型可用中文名或英文键，见 kb types）。

    \b
    例：
      kb generate 学习要求 --profile 单位.yaml -o 学习要求.docx
      kb generate 实施方案 --org 某某社区党委 --sector 社区 --members 在职=20,流动=3 --start 2005-07-01 --months 3
      kb generate 实施方案 -p 单位.yaml --with-notice -o 印发通知.docx
      kb generate study_schedule -p 单位.yaml --format md
      kb generate 会议通知 -p 单位.yaml --meeting 专题组织生活会 --date 2005-09-01 --place 党员活动室
      kb generate 会议材料 -p 单位.yaml --meeting 动员大会 --combine -o 动员大会材料.docx
      kb generate 会议材料 -p 党委.yaml --meeting 专题组织生活会 -o 组织生活会/     # 每个党支部一个文件夹
      kb generate 学习安排表 -p 党委.yaml --branch 第一党支部 -o 第一党支部学习安排表.docx
      kb generate 整改台账 -p 单位.yaml --set problems=问题清单.xlsx
    """
    from .api import generate as run
    from .profile import read_profile_file
    from .registry import get_type

    kind = get_type(doc_type)
    values: dict = dict(read_profile_file(profile_file)) if profile_file else {}
    overrides = {k: v for k, v in fields.items() if v not in (None, "")}
    if "meeting" in kind.options:
        overrides.pop("date", None)  # --date is the meeting's date (会议日期), not the profile's 成文日期
    if overrides.get("members"):
        overrides["counts"] = overrides.pop("members")
    values = _override(values, overrides)
    if not values:
        raise click.UsageError("请用 --profile 给出单位资料文件，或至少给出 --org 和 --sector")
    if kind.key == "meeting_kit" and not combine:
        if output and Path(output).suffix.lower() in SUFFIXES:
            raise click.BadParameter(
                f"会议材料不加 --combine 时每份材料写一个文件，-o 是存放它们的文件夹，不能是“{Path(output).name}”；"
                f"要合成一个文件请加 --combine", param_hint="-o")
        fmt = fmt or "docx"
    else:
        fmt = _output_format(fmt, output)
    target = Path(output) if output else Path(f"{kind.name}.{fmt}")
    options = {"with_notice": True} if with_notice else {}
    if with_notice and "with_notice" not in kind.options:
        raise click.UsageError(f"--with-notice 只用于实施方案，{kind.name}不适用")
    options.update(_type_options(kind, fields, meeting, meeting_time, settings))
    if branch:
        if "branch" not in kind.options:
            raise click.UsageError(f"--branch 不适用于{kind.name}（用于会议材料和学习安排表）")
        options["branch"] = branch
    _warn_unused(kind, options)
    if kind.key == "meeting_kit":
        from .types.meetings import generate_kit

        folder = Path(output) if output else Path(".")
        combined = Path(output or f"{kind.name}.{fmt}")
        if combine:
            _refuse_overwrite(combined, force)
        notes: list[str] = []
        written = generate_kit(values, options.pop("meeting", None), outdir=None if combine else folder,
                               output=combined, combine=combine, fmt=fmt, campaign=campaign, force=force,
                               warnings=notes, **options)
        for note in dict.fromkeys(notes):
            click.echo(f"提示：{note}", err=True)
        if not written:
            raise InputError(f"{folder} 中已有这次会议的全部材料，未覆盖（加 --force 覆盖）")
        for path in written:
            click.echo(f"已生成：{path}")
        return
    if combine:
        raise click.UsageError("--combine 只用于会议材料")
    from .types._common import citation_mode

    from .api import CITING_TYPES

    mode = "none" if no_citations else citation_mode(citations_mode or "file")
    _refuse_overwrite(target, force)
    if mode == "file" and kind.key in CITING_TYPES:
        from .api import working_paper_path

        _refuse_overwrite(working_paper_path(target), force)
    result = run(kind, values, output=target, fmt=fmt, campaign=campaign, citations=mode,
                 overwrite=force, **options)
    for warning in result.warnings:
        click.echo(f"提示：{warning}", err=True)
    click.echo(f"已生成{kind.name}：{target}")
    if result.working_paper_output:
        click.echo(f"已生成编写依据（工作底稿，不随文件印发）：{result.working_paper_output}")


#: How each type option is given on the command line (for the "does not apply" warning).
_OPTION_FLAGS = {"meeting": "--meeting", "time": "--time"}


def _warn_unused(kind, options: dict) -> None:
    """Say which given options the type does not use (they would otherwise be ignored without a word)."""
    from ..kb.didyoumean import suggest
    from .api import COMMON_OPTIONS, document_types
    from .types.meetings import KIT

    usable = set(kind.options)
    if kind.key == "meeting_kit":
        from .registry import get_type

        for name in KIT:
            usable |= set(get_type(name).options)
    anywhere = set(COMMON_OPTIONS) | {o for t in document_types() for o in t.options}
    for key in options:
        if key not in anywhere:
            near = suggest(key, sorted(usable) or sorted(anywhere))
            hint = f"是不是 {near}？" if near else f"{kind.name}可用：{'、'.join(kind.options) or '无'}"
            raise click.UsageError(f"没有选项 --set {key}（{hint}）")
        if key not in usable:
            flag = _OPTION_FLAGS.get(key, f"--set {key}")
            click.echo(f"提示：{flag} 不适用于{kind.name}，已忽略", err=True)


def _output_format(fmt: str | None, output: str | None) -> str:
    """Return the format -o and --format ask for; a name that cannot be written is a usage mistake (exit 2)."""
    from .render import resolve_format

    try:
        return resolve_format(fmt, output)
    except InputError as error:
        raise click.BadParameter(str(error), param_hint="-o") from None


def _refuse_overwrite(target: Path, force: bool) -> None:
    if target.exists() and not force:
        raise InputError(f"输出文件已存在：{target}（加 --force 覆盖）")


def _type_options(kind, fields: dict, meeting: str | None, meeting_time: str | None,
                  settings: tuple[str, ...]) -> dict:
    """Return the type-specific options: --meeting/--time, --date/--place for meeting documents, --set 选项=值."""
    options: dict = {}
    if meeting:
        options["meeting"] = meeting
    if meeting_time:
        options["time"] = meeting_time
    if "meeting" in kind.options:
        for key in ("date", "place"):
            if fields.get(key):
                options[key] = fields[key]
    elif "issued" in kind.options and fields.get("date"):
        options["issued"] = fields["date"]  # --date dates this document (its 成文日期)
    for item in settings:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"--set 应写成 选项=值，而不是“{item}”")
        options[key.strip()] = value.strip()
    return options


def _override(values: dict, overrides: dict) -> dict:
    """Return profile ``values`` with CLI ``overrides`` replacing any key (Chinese or English) for the same field."""
    from .profile import PROFILE_KEYS

    folded = {a.lower(): field for field, names in PROFILE_KEYS.items() for a in names}
    kept = {k: v for k, v in values.items() if folded.get(str(k).strip().lower()) not in overrides}
    return {**kept, **overrides}


@click.command(cls=KbCommand)
def types() -> None:
    """列出可以生成的文件类型（中文名、英文键、说明）。

    \b
    例：
      kb types
    """
    from .api import document_types

    for kind in document_types():
        click.echo(f"{kind.name}（{kind.key}）：{kind.summary}")
        for option, text in kind.options.items():
            click.echo(f"    选项 {option}：{text}")


@click.group(cls=KbSubgroup)
def campaign() -> None:
    """校验或查看活动资料包（corpus/campaigns/*.yaml 或自己写的 .yaml）。

    \b
    例：
      kb campaign list
      kb campaign check
      kb campaign check 我的资料包.yaml
      kb campaign show xjx2005
    """


@campaign.command("check")
@click.argument("pack", required=False, metavar="[资料包]")
@click.pass_context
def campaign_check(ctx: click.Context, pack: str | None) -> None:
    """校验资料包：格式、必填项，以及每一处出处能否在知识库中找到（有问题时退出码为 1）。"""
    from .campaign import check_campaign, passage_resolver

    home = (ctx.find_root().obj or {}).get("home")
    result = check_campaign(pack, resolve=passage_resolver(home, use_kb=True))
    click.echo(result.summary())
    if not result.ok:
        ctx.exit(1)


@campaign.command("list")
def campaign_list() -> None:
    """列出内置的资料包。"""
    from .campaign import bundled_campaigns, load_campaign

    for name in bundled_campaigns():
        pack = load_campaign(name)
        click.echo(f"{pack.id}：{pack.name}（{pack.years}）")


@campaign.command("show")
@click.argument("pack", required=False, metavar="[资料包]")
def campaign_show(pack: str | None) -> None:
    """显示资料包的概要：结构、阶段、参数默认值。"""
    from .campaign import STRUCTURE_KINDS, load_campaign

    c = load_campaign(pack)
    click.echo(f"{c.id}：{c.name}（{c.years}）")
    click.echo(f"结构：{STRUCTURE_KINDS[c.structure.kind]}")
    for unit in c.structure.units:
        share = f"，默认占 {unit.share:.0%}" if unit.share else ""
        click.echo(f"  {unit.name}（{unit.key}{share}）：任务 {len(unit.tasks)} 项；材料：{'、'.join(unit.documents)}")
    click.echo("参数（原文缺失或由单位确定的值）：")
    for param in c.parameters.values():
        click.echo(f"  {param.name}（{param.key}）默认 {param.default}：{param.note}")
    grades = "、".join(c.evaluation.grades) if c.evaluation.grades else "不评定格次"
    click.echo(f"评议：{grades}")
    click.echo(f"领域：{'、'.join(c.sectors)}；党员类别：{'、'.join(c.members)}")
