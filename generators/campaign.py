"""Campaign packs: what a campaign asks of a grassroots organization, each statement with its source.

A pack is one YAML file under ``corpus/campaigns/`` (or anywhere, given by
path).  It names the campaign's formulas, its structure (phases, parallel
measures or continuous), each unit's tasks and required documents, the focus
of each sector, the study method of each member category, the working systems,
the bodies and their duties, the evaluation and rectification rules and the
preparation check — and every entry carries ``sources``, the IDs of the
guidance passages it comes from.  Numbers the guidance lost (dates,
durations) are ``parameters`` with stated defaults.  docs/campaign-pack.md
describes the format; :data:`SCHEMA` is the format as data.

>>> from dangjian.generators.campaign import load_campaign, check_campaign
>>> pack = load_campaign("xjx2005")
>>> check_campaign(pack.path).ok
True
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterator

from ..kb.errors import CampaignError, NotFoundError

#: Name of the pack used when none is asked for.
DEFAULT_CAMPAIGN = "xjx2005"

STRUCTURE_KINDS = {"phases": "分阶段", "measures": "几项措施同时推进", "continuous": "常态化、不分阶段"}

# ---------------------------------------------------------------- schema
# A spec is a type name ("str", "int", "number", "bool", "date", "sources", "str_list"),
# ("list", spec), ("map", {field: (spec, required)}) or ("dict", spec) for free keys.
_SOURCES = "sources"
ITEM = ("map", {
    "key": ("str", False), "name": ("str", False), "text": ("str", True),
    "quote": ("str", False), "sources": (_SOURCES, True),
})
NAMED_ITEM = ("map", {**ITEM[1], "name": ("str", True)})
FORMULA = ("map", {
    "name": ("str", True), "label": ("str", True), "items": (("list", NAMED_ITEM), True),
    "quote": ("str", False), "sources": (_SOURCES, True),
})
PARAMETER = ("map", {
    "name": ("str", True), "default": ("any", True), "minimum": ("number", False),
    "note": ("str", True), "sources": (_SOURCES, True),
})
UNIT = ("map", {
    "key": ("str", True), "name": ("str", True), "share": ("number", False),
    "goal": ("str", True), "tasks": (("list", ITEM), True), "documents": ("str_list", True),
    "quote": ("str", False), "sources": (_SOURCES, True),
})
SECTOR = ("map", {
    "focus": ("str", False), "measures": (("list", ITEM), False), "fallback": (ITEM, False),
    "quote": ("str", False), "sources": (_SOURCES, True),
})
MEMBER = ("map", {
    "method": ("str", True), "text": ("str", True), "eased": ("bool", False),
    "quote": ("str", False), "sources": (_SOURCES, True),
})
SESSION = ("map", {
    "key": ("str", True), "topic": ("str", True), "form": ("str", True), "hours": ("number", True),
    "by": ("str", True), "quote": ("str", False), "sources": (_SOURCES, False),
})
BODY = ("map", {
    "key": ("str", True), "name": ("str", True), "duties": ("str_list", True),
    "quote": ("str", False), "sources": (_SOURCES, True),
})
#: A sector's substance as the period's practice (not cited): generators/sector_blocks.py reads it.
#: A 转段 condition: its text, the facts that prove it and the 佐证材料 (generators/procedure.py).
CONDITION = ("map", {"text": ("str", True), "facts": ("str_list", False), "materials": ("str_list", False)})
#: A 整改 problem with its measure (sector_blocks.Measure); ``defaults`` are the measure's numbers the user may change.
MEASURES = ("list", ("map", {
    "problem": ("str", True), "name": ("str", False), "measure": ("str", True), "lead": ("str_list", False),
    "dept": ("str", False), "term": ("str", False), "hot": ("bool", False), "covers": ("str_list", False),
    "unless": ("str_list", False), "defaults": ("str_list", False),
}))
SECTOR_BLOCK = ("map", {
    "sector": ("str", True), "name": ("str", True), "match": ("str_list", False), "public": ("str", True),
    "study": ("str", True), "issues": ("str_list", True),
    "vehicles": (("list", ("map", {"name": ("str", True), "text": ("str", True)})), True),
    "rectify": ("str_list", True), "preparation": ("str_list", True), "members": ("str_list", True),
    "consult": ("str", True), "calendar": ("str", False), "practice_theme": ("str", True),
    "goals": (("dict", "str"), False), "phases": (("dict", "str"), False), "texts": ("str", False),
    "focus": ("str", False),
    "measures": (MEASURES, False),
    # 整改 measures for problems a unit may find in itself, never listed unless a finding is on their topic
    "answers": (MEASURES, False),
    "offices": (("dict", "str_list"), False),  # department name → other names for it (教导处: [教务处])
    # How the sector shapes the rest of the plan and the 学习要求 (all practice, optional):
    "guiding": ("str", False),  # 指导思想: what the campaign is joined with in this sector
    "leadership": ("str", False),  # 组织领导: who leads the work in this sector
    "tasks": (("dict", "str"), False),  # 方法步骤: task key → how this sector does it
    "requirements": (("dict", "str"), False),  # 工作要求: requirement key → this sector's point
    "systems": (("dict", "str"), False),  # 工作制度: system key → how this sector runs it
    "leaders": ("str", False),  # 学习要求 领导带头: what the leaders do in this sector
    "notes": ("str", False),  # 学习要求: what the 心得体会 are written about
    "retired": ("str", False),  # 学习要求: how this sector's retired members study
    "elderly": ("str", False),  # 学习要求: who brings the study to this sector's frail members
    "mobile": ("str", False),  # 学习要求: who this sector's 流动 members are and how they study
    "readings": (("list", ("map", {"title": ("str", True), "why": ("str", True)})), False),  # sector texts of 2005
    "forms": ("str", False),  # 学习形式 suited to the sector's members
    "topics": ("str_list", False),  # 讨论题 for the 具体要求 discussion
    "standards": ("str_list", False),  # a draft of the sector's 先进性具体要求, for the discussion to revise
    "shifts": ("bool", False),  # members work in shifts (lower 笔记 default)
    "worry": ("str", False),  # what members fear the campaign hurts (影响教学), for the guidance's 怕影响生产
})
SCHEMA = ("map", {
    "id": ("str", True),
    "name": ("str", True),
    "short_name": ("str", True),
    "batch": ("str", False),
    "years": ("str", True),
    "guidance": (("list", ITEM), True),
    "scope": (ITEM, True),
    "parameters": (("dict", PARAMETER), True),
    "formulas": (("dict", FORMULA), True),
    "structure": (("map", {
        "kind": ("str", True), "fixed_order": ("bool", False), "key_unit": ("str", False),
        "text": ("str", True), "units": (("list", UNIT), True), "quote": ("str", False),
        "sources": (_SOURCES, True),
    }), True),
    "preparation": (FORMULA, True),
    "sectors": (("dict", SECTOR), True),
    "members": (("dict", MEMBER), True),
    "study": (("map", {
        "content": (("list", ITEM), True), "forms": (("list", ITEM), True),
        "leaders": (("list", ITEM), True), "sessions": (("list", SESSION), True),
        "line": (ITEM, False),  # the study's 主线 (学习实践“三个代表”重要思想): a guiding line, not a text to study
    }), True),
    "practice": (("map", {
        "theme": ("str", True), "text": ("str", True), "items": ("str_list", True),
        "quote": ("str", False), "sources": (_SOURCES, True),
    }), True),
    "systems": (("list", NAMED_ITEM), True),
    "bodies": (("list", BODY), True),
    "evaluation": (("map", {
        "grades": ("str_list", True), "handling_phase": ("bool", True), "survey_scale": ("str_list", False),
        "pass_threshold": ("number", False), "text": ("str", True), "quote": ("str", False),
        "sources": (_SOURCES, True),
    }), True),
    "rectification": (("list", ITEM), True),
    "requirements": (("list", NAMED_ITEM), True),
    "filing": (ITEM, True),
    # Sections read by other generators (meeting kits, forms); their entries' citations are checked too.
    "meetings": ("any", False),
    "forms": ("any", False),
    # Practice of the period for organizations with branches (generators/organization.py): not cited.
    "organization": ("any", False),
    # Practice of the period per sector (generators/sector_blocks.py): not cited.
    "sector_blocks": (("dict", SECTOR_BLOCK), False),
    # The procedure as run in practice (steps, 转段, who runs the 满意度测评): generators/procedure.py; not cited.
    "procedure": (("map", {
        "steps": (("dict", "str_list"), True),
        "transition": (("map", {"text": ("str", True), "conditions": (("dict", ("list", CONDITION)), True)}), True),
        "survey": ("str", True), "makeup": ("str", True),
    }), False),
    # The batch's window (第二批: 2005-07-01 … 2005-12-31): a plan outside it is warned about.
    "window": (("map", {"start": ("any", True), "end": ("any", True), "name": ("str", False)}), False),
    # Amounts of the period's plans (笔记字数 …): defaults the profile may change, never cited.
    "amounts": (("dict", ("map", {"name": ("str", True), "default": ("number", True), "note": ("str", True),
                                  "role": ("str", False), "only": ("str", False)})), False),
})


# ---------------------------------------------------------------- model
@dataclass
class Item:
    """One statement of the pack in the project's own words, with the passages it comes from."""

    text: str
    sources: list[str]
    name: str = ""
    key: str = ""
    quote: str = ""  #: words of the guidance, shown in the 依据 table (must occur in a source)


@dataclass
class Formula:
    """A named enumeration (四个一, 五个坚持 …)."""

    key: str
    name: str
    label: str  #: what it is (总体要求, 目标要求, 指导原则)
    items: list[Item]
    sources: list[str]
    quote: str = ""


@dataclass
class Parameter:
    """A value the guidance lost or leaves to the unit, with its default."""

    key: str
    name: str
    default: Any
    note: str
    sources: list[str]
    minimum: float | None = None


@dataclass
class Unit:
    """A phase (or parallel measure) of the campaign's structure."""

    key: str
    name: str
    goal: str
    tasks: list[Item]
    documents: list[str]
    sources: list[str]
    share: float | None = None
    quote: str = ""


@dataclass
class Structure:
    """How the campaign runs: phases in order, parallel measures, or continuous."""

    kind: str  #: phases | measures | continuous
    text: str
    units: list[Unit]
    sources: list[str]
    fixed_order: bool = False
    key_unit: str = ""
    quote: str = ""

    def unit(self, key: str) -> Unit:
        """Return the unit with ``key``; raise CampaignError if the pack has none."""
        for unit in self.units:
            if unit.key == key:
                return unit
        raise CampaignError(f"活动资料包没有“{key}”阶段")


@dataclass
class SectorGuide:
    """What the guidance says to one sector."""

    key: str
    sources: list[str]
    focus: str = ""  #: empty: the guidance gives this sector no 着力点
    measures: list[Item] = field(default_factory=list)
    fallback: Item | None = None
    quote: str = ""


@dataclass
class MemberGuide:
    """How members of one category study."""

    key: str
    method: str
    text: str
    sources: list[str]
    eased: bool = False  #: reading notes and 党性分析 not held to one standard
    quote: str = ""


@dataclass
class Session:
    """One study session the 学习安排表 can schedule."""

    key: str
    topic: str
    form: str
    hours: float
    by: str  #: secretary | tutor | leaders | members
    sources: list[str]  #: empty: the period's practice, not the guidance's (动员大会, 交流小结)
    quote: str = ""


@dataclass
class Study:
    content: list[Item]
    forms: list[Item]
    leaders: list[Item]
    sessions: list[Session]
    line: Item | None = None  #: the 主线 the study follows (not listed as study material)


@dataclass
class Practice:
    theme: str
    text: str
    items: list[str]
    sources: list[str]
    quote: str = ""


@dataclass
class Body:
    key: str
    name: str
    duties: list[str]
    sources: list[str]
    quote: str = ""


@dataclass
class Evaluation:
    """How members are evaluated: grades (empty: none), a separate handling phase, survey scale."""

    grades: list[str]
    handling_phase: bool
    text: str
    sources: list[str]
    survey_scale: list[str] = field(default_factory=list)
    pass_threshold: float | None = None
    quote: str = ""


@dataclass
class Campaign:
    """A loaded campaign pack."""

    id: str
    name: str
    short_name: str
    years: str
    guidance: list[Item]
    scope: Item
    parameters: dict[str, Parameter]
    formulas: dict[str, Formula]
    structure: Structure
    preparation: Formula
    sectors: dict[str, SectorGuide]
    members: dict[str, MemberGuide]
    study: Study
    practice: Practice
    systems: list[Item]
    bodies: list[Body]
    evaluation: Evaluation
    rectification: list[Item]
    requirements: list[Item]
    filing: Item
    batch: str = ""
    path: Path | None = None
    sector_blocks: dict[str, Any] = field(default_factory=dict)  #: key → raw block (sector_blocks.SectorBlock reads it)
    amounts: dict[str, Any] = field(default_factory=dict)  #: key → {name, default, note}: defaults, never cited
    procedure: dict[str, Any] = field(default_factory=dict)  #: steps, transition, survey, makeup (practice)
    window: dict[str, Any] = field(default_factory=dict)  #: start, end, name of the batch (warnings outside it)

    def parameter(self, key: str) -> Any:
        """Return the default of parameter ``key``; raise CampaignError if the pack has none."""
        if key not in self.parameters:
            raise CampaignError(f"活动资料包 {self.id} 没有参数“{key}”")
        return self.parameters[key].default

    def sector(self, key: str) -> SectorGuide | None:
        """Return the guide for sector ``key``, or None when the pack says nothing about it."""
        return self.sectors.get(key)

    @property
    def full_name(self) -> str:
        """The campaign's name with its batch (第二批保持共产党员先进性教育活动)."""
        return self.name


# ---------------------------------------------------------------- problems and reports
@dataclass
class Problem:
    """One thing wrong in a pack: where (a YAML path like ``sectors.school.sources[0]``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '（文件）'}：{self.message}"


@dataclass
class CheckResult:
    """The outcome of :func:`check_campaign`."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    citations: int = 0  #: number of citations checked
    campaign: Campaign | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """Return a Chinese report: one line per problem, then a count."""
        lines = [str(p) for p in self.problems]
        if self.ok:
            lines.append(f"{self.path.name}：通过。{self.citations} 处出处均能在知识库中找到。")
        else:
            lines.append(f"{self.path.name}：发现 {len(self.problems)} 个问题（共检查 {self.citations} 处出处）。")
        return "\n".join(lines)


# ---------------------------------------------------------------- locating and loading
def campaigns_dir() -> Path:
    """Return the folder of the bundled campaign packs."""
    return Path(str(resources.files("dangjian.corpus").joinpath("campaigns")))


def bundled_campaigns() -> list[str]:
    """Return the IDs of the bundled packs."""
    return sorted(p.stem for p in campaigns_dir().glob("*.yaml") if p.stem != "schema")


def pack_path(name_or_path: str | os.PathLike[str] | None = None) -> Path:
    """Return the file of a pack given by bundled ID (xjx2005) or by path; raise CampaignError if none."""
    if name_or_path is None or str(name_or_path).strip() == "":
        name_or_path = DEFAULT_CAMPAIGN
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml"):
        if not candidate.is_file():
            raise CampaignError(f"找不到活动资料包文件：{candidate}")
        return candidate
    bundled = campaigns_dir() / f"{name_or_path}.yaml"
    if bundled.is_file():
        return bundled
    raise CampaignError(f"没有名为“{name_or_path}”的活动资料包。可选：{'、'.join(bundled_campaigns())}，或给出 .yaml 文件路径")


def read_pack(path: Path) -> Any:
    """Return the YAML data of a pack file (dates left as text)."""
    from ..kb.readers import decode_text
    from ..kb.yamlfile import load_yaml

    try:
        text = decode_text(path.read_bytes(), path.name)
    except OSError as error:
        raise CampaignError(f"无法读取活动资料包 {path}：{error.strerror or error}") from None
    except Exception as error:  # undecodable bytes
        raise CampaignError(str(error)) from None
    return load_yaml(text, f"活动资料包 {path.name}", error=CampaignError)


_CACHE: dict[tuple[str, float], Campaign] = {}


def load_campaign(name_or_path: str | os.PathLike[str] | None = None) -> Campaign:
    """Return the pack given by bundled ID or path, checked against the schema (not the knowledge base).

    Raises CampaignError listing the first problems with their YAML paths.
    Use :func:`check_campaign` to also resolve every citation.
    """
    path = pack_path(name_or_path)
    stamp = (str(path.resolve()), path.stat().st_mtime)
    if stamp in _CACHE:
        return _CACHE[stamp]
    data = read_pack(path)
    problems = list(validate(data))
    if problems:
        shown = "；".join(str(p) for p in problems[:5])
        more = f"（另有 {len(problems) - 5} 个问题）" if len(problems) > 5 else ""
        raise CampaignError(f"活动资料包 {path.name} 有误：{shown}{more}；运行 kb campaign check {path} 查看全部")
    campaign = build(data, path)
    _CACHE[stamp] = campaign
    return campaign


def check_campaign(name_or_path: str | os.PathLike[str] | None = None,
                   resolve: Callable[[str], Any] | None = None) -> CheckResult:
    """Return every problem of a pack: schema, then citations against the knowledge base.

    ``resolve(id)`` returns a passage or raises NotFoundError; by default the
    bundled guidance (:func:`passage_resolver`).  Each citation must resolve
    and each ``quote`` must occur in one of the passages its entry cites.
    """
    path = pack_path(name_or_path)
    result = CheckResult(path=path)
    data = read_pack(path)
    result.problems.extend(validate(data))
    resolve = resolve or passage_resolver()
    for where, ids, quote in cited_entries(data):
        texts = []
        for i, passage_id in enumerate(ids):
            result.citations += 1
            try:
                passage = resolve(passage_id)
            except NotFoundError:
                result.problems.append(Problem(f"{where}.sources[{i}]", f"出处“{passage_id}”在知识库中找不到"))
                continue
            texts.append(_squash(passage.text))
        if quote and texts and not any(_squash(quote) in t for t in texts):
            result.problems.append(Problem(f"{where}.quote", f"引文“{quote}”不在所引段落中"))
    if not result.problems:
        result.campaign = build(data, path)
    return result


def passage_resolver(home: str | os.PathLike[str] | None = None, use_kb: bool = False) -> Callable[[str], Any]:
    """Return a function id → Passage over the bundled guidance (and the knowledge base at ``home`` if ``use_kb``)."""
    from ..kb.bundled import bundled_documents

    passages = {p.id: p for d in bundled_documents() for p in d.passages}
    kb = None

    def resolve(passage_id: str) -> Any:
        nonlocal kb
        if passage_id in passages:
            return passages[passage_id]
        if use_kb:
            if kb is None:
                from ..kb.api import KnowledgeBase

                kb = KnowledgeBase.open(home)
            return kb.passage(passage_id)
        raise NotFoundError(f"没有段落 {passage_id}")

    return resolve


def cited_entries(data: Any, path: str = "") -> Iterator[tuple[str, list[str], str]]:
    """Yield (YAML path, source IDs, quote) for every mapping in ``data`` that has ``sources``."""
    if isinstance(data, dict):
        sources = data.get("sources")
        if isinstance(sources, list):
            quote = data.get("quote") if isinstance(data.get("quote"), str) else ""
            yield path or "（顶层）", [str(s) for s in sources], quote
        for key, value in data.items():
            yield from cited_entries(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from cited_entries(value, f"{path}[{i}]")


_PUNCT = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(_PUNCT))


# ---------------------------------------------------------------- validation
_TYPE_NAMES = {"str": "文字", "int": "整数", "number": "数字", "bool": "是/否（true/false）",
               "date": "日期", "str_list": "文字列表", "sources": "出处列表", "list": "列表", "map": "映射",
               "dict": "映射"}
_PASSAGE_ID = re.compile(r"^[A-Za-z0-9_\-]+:\d+\.\d+\.\d+\.\d+$")


def validate(data: Any) -> Iterator[Problem]:
    """Yield the schema problems of pack ``data`` (missing or mistyped fields, bad structure), with YAML paths."""
    if not isinstance(data, dict):
        yield Problem("", "活动资料包应是一个映射（id、name、structure……）")
        return
    yield from _validate(data, SCHEMA, "")
    if any(True for _ in _validate(data, SCHEMA, "")):
        return
    structure = data["structure"]
    if structure["kind"] not in STRUCTURE_KINDS:
        yield Problem("structure.kind", f"应为 {'、'.join(STRUCTURE_KINDS)} 之一，而不是“{structure['kind']}”")
    units = structure["units"]
    if structure["kind"] != "continuous" and not units:
        yield Problem("structure.units", "分阶段或分措施的活动至少要有一个单元")
    keys = [u["key"] for u in units]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            yield Problem(f"structure.units[{i}].key", f"单元键“{key}”重复")
    if structure.get("key_unit") and structure["key_unit"] not in keys:
        yield Problem("structure.key_unit", f"“{structure['key_unit']}”不是 units 中的键")
    shares = [u.get("share") for u in units]
    if structure["kind"] == "phases" and units:
        if any(s is None for s in shares):
            yield Problem("structure.units", "分阶段的活动每个阶段都要给出 share（时间比例）")
        elif abs(sum(shares) - 1) > 0.01:
            yield Problem("structure.units", f"各阶段 share 之和应为 1，而不是 {sum(shares):g}")
    for name in ("start", "months"):
        if name not in data["parameters"]:
            yield Problem(f"parameters.{name}", "缺少此参数（活动开始日期和时长的默认值）")
    if "start" in data["parameters"]:
        from .profile import parse_date

        try:
            parse_date(data["parameters"]["start"]["default"])
        except CampaignError as error:
            yield Problem("parameters.start.default", str(error))
    if "months" in data["parameters"]:
        default = data["parameters"]["months"]["default"]
        if not isinstance(default, int) or isinstance(default, bool) or default <= 0:
            yield Problem("parameters.months.default", f"应为正整数，而不是“{default}”")
    yield from _validate_names(data)
    evaluation = data["evaluation"]
    if evaluation["grades"] and evaluation.get("pass_threshold") is not None:
        if not 0 < evaluation["pass_threshold"] <= 1:
            yield Problem("evaluation.pass_threshold", "应在 0 到 1 之间（如 0.8 表示满意率 80%）")


def _validate_names(data: dict) -> Iterator[Problem]:
    from ..kb import taxonomy
    from ..kb.errors import UnknownNameError

    for facet, where in (("sector", "sectors"), ("member", "members")):
        for key in data[where]:
            try:
                resolved = taxonomy.resolve(facet, str(key))
            except UnknownNameError as error:
                yield Problem(f"{where}.{key}", str(error))
                continue
            if resolved != key:
                yield Problem(f"{where}.{key}", f"请用英文键“{resolved}”")


def _validate(value: Any, spec: Any, path: str) -> Iterator[Problem]:
    where = path or "（顶层）"
    if spec == "any":
        return
    if isinstance(spec, str):
        ok = {
            "str": isinstance(value, str) and value.strip() != "",
            "int": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "date": isinstance(value, (str, _dt.date)),
            "str_list": isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value),
            _SOURCES: isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value),
        }[spec]
        if spec == "str" and isinstance(value, (int, float)) and not isinstance(value, bool):
            ok = True
        if not ok:
            if spec == _SOURCES and isinstance(value, list) and not value:
                yield Problem(where, "出处列表不能为空：每一条都要注明来自哪一段指导原文")
            elif spec == "str" and isinstance(value, str):
                yield Problem(where, "不能为空")
            else:
                yield Problem(where, f"应为{_TYPE_NAMES[spec]}，而不是“{_show(value)}”")
            return
        if spec == _SOURCES:
            for i, passage_id in enumerate(value):
                if not _PASSAGE_ID.match(passage_id):
                    yield Problem(f"{where}[{i}]", f"“{passage_id}”不是段落编号（应为 文档:部分.条.段.块，如 xjx2005:3.4.1.2）")
        return
    kind = spec[0]
    if kind == "list":
        if not isinstance(value, list):
            yield Problem(where, f"应为列表，而不是“{_show(value)}”")
            return
        for i, item in enumerate(value):
            yield from _validate(item, spec[1], f"{path}[{i}]")
    elif kind == "dict":
        if not isinstance(value, dict):
            yield Problem(where, f"应为映射，而不是“{_show(value)}”")
            return
        for key, item in value.items():
            yield from _validate(item, spec[1], f"{path}.{key}" if path else str(key))
    elif kind == "map":
        if not isinstance(value, dict):
            yield Problem(where, f"应为映射，而不是“{_show(value)}”")
            return
        fields_ = spec[1]
        for name, (sub, required) in fields_.items():
            sub_path = f"{path}.{name}" if path else name
            if name not in value or value[name] is None:
                if required:
                    yield Problem(sub_path, "缺少此项（必填）")
                continue
            yield from _validate(value[name], sub, sub_path)
        for name in value:
            if name not in fields_:
                yield Problem(f"{path}.{name}" if path else str(name),
                              f"未知字段（可用：{'、'.join(fields_)}）")


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 30 else text[:30] + "…"


# ---------------------------------------------------------------- building
def _item(d: dict) -> Item:
    return Item(text=str(d["text"]), sources=list(d["sources"]), name=str(d.get("name", "")),
                key=str(d.get("key", "")), quote=str(d.get("quote", "")))


def _formula(key: str, d: dict) -> Formula:
    return Formula(key=key, name=d["name"], label=d["label"], items=[_item(i) for i in d["items"]],
                   sources=list(d["sources"]), quote=d.get("quote", ""))


def build(data: dict, path: Path | None = None) -> Campaign:
    """Return the :class:`Campaign` of validated pack ``data``."""
    s = data["structure"]
    study = data["study"]
    ev = data["evaluation"]
    pr = data["practice"]
    return Campaign(
        id=str(data["id"]),
        name=data["name"],
        short_name=data["short_name"],
        batch=data.get("batch", ""),
        years=str(data["years"]),
        guidance=[_item(g) for g in data["guidance"]],
        scope=_item(data["scope"]),
        parameters={k: Parameter(key=k, name=p["name"], default=p["default"], note=p["note"],
                                 sources=list(p["sources"]), minimum=p.get("minimum"))
                    for k, p in data["parameters"].items()},
        formulas={k: _formula(k, f) for k, f in data["formulas"].items()},
        structure=Structure(
            kind=s["kind"], text=s["text"], sources=list(s["sources"]), fixed_order=bool(s.get("fixed_order")),
            key_unit=s.get("key_unit", ""), quote=s.get("quote", ""),
            units=[Unit(key=u["key"], name=u["name"], goal=u["goal"], tasks=[_item(t) for t in u["tasks"]],
                        documents=list(u["documents"]), sources=list(u["sources"]), share=u.get("share"),
                        quote=u.get("quote", "")) for u in s["units"]],
        ),
        preparation=_formula("preparation", data["preparation"]),
        sectors={k: SectorGuide(key=k, sources=list(v["sources"]), focus=v.get("focus", ""),
                                measures=[_item(m) for m in v.get("measures", [])],
                                fallback=_item(v["fallback"]) if v.get("fallback") else None,
                                quote=v.get("quote", ""))
                 for k, v in data["sectors"].items()},
        members={k: MemberGuide(key=k, method=v["method"], text=v["text"], sources=list(v["sources"]),
                                eased=bool(v.get("eased")), quote=v.get("quote", ""))
                 for k, v in data["members"].items()},
        study=Study(
            content=[_item(i) for i in study["content"]],
            forms=[_item(i) for i in study["forms"]],
            leaders=[_item(i) for i in study["leaders"]],
            line=_item(study["line"]) if study.get("line") else None,
            sessions=[Session(key=x["key"], topic=x["topic"], form=x["form"], hours=float(x["hours"]),
                              by=x["by"], sources=list(x.get("sources") or []),
                              quote=str(x.get("quote", ""))) for x in study["sessions"]],
        ),
        practice=Practice(theme=pr["theme"], text=pr["text"], items=list(pr["items"]),
                          sources=list(pr["sources"]), quote=pr.get("quote", "")),
        systems=[_item(i) for i in data["systems"]],
        bodies=[Body(key=b["key"], name=b["name"], duties=list(b["duties"]), sources=list(b["sources"]),
                     quote=b.get("quote", "")) for b in data["bodies"]],
        evaluation=Evaluation(grades=list(ev["grades"]), handling_phase=bool(ev["handling_phase"]),
                              text=ev["text"], sources=list(ev["sources"]),
                              survey_scale=list(ev.get("survey_scale", [])),
                              pass_threshold=ev.get("pass_threshold"), quote=ev.get("quote", "")),
        rectification=[_item(i) for i in data["rectification"]],
        requirements=[_item(i) for i in data["requirements"]],
        filing=_item(data["filing"]),
        path=path,
        sector_blocks=dict(data.get("sector_blocks") or {}),
        amounts=dict(data.get("amounts") or {}),
        procedure=dict(data.get("procedure") or {}),
        window=dict(data.get("window") or {}),
    )
