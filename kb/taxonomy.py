"""The taxonomy: sectors, campaign phases, member categories and topics.

Each facet (``sector``, ``phase``, ``member``, ``topic``) has entries with an
English key, a Chinese name, aliases and keywords.  The shipped
``corpus/taxonomy.yaml`` can be extended by a ``taxonomy.yaml`` in the
knowledge-base home directory, merged over it.

Public and stable (the generators use them too):

* :func:`resolve` turns what a user typed (学校, 街道社区, ``school``) into a key;
* :func:`choices` lists a facet's entries;
* :func:`label` gives a key's Chinese name.

Passages are tagged by :meth:`Taxonomy.tag`: an entry applies when one of its
keywords occurs in the passage text, or one of its heading keywords in the
titles of the part or item the passage stands under.

The same files hold ``synonyms``: everyday words mapped to the guidance's
wording (打工 → 流动, 务工), which a search uses as alternatives of the word
typed (:attr:`Taxonomy.synonyms`).  They act at query time only.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, UnknownNameError
from .model import FACETS

#: Facets that belong to the bundled campaign (its phases and themes), not to any guidance.
CAMPAIGN_FACETS = ("phase", "topic")

#: Chinese names of the facets, for messages and headings.
FACET_NAMES = {"sector": "领域", "phase": "阶段", "member": "党员类别", "topic": "主题"}

USER_FILE = "taxonomy.yaml"


@dataclass(frozen=True)
class Entry:
    """One value of a facet."""

    key: str  #: English key, stored in tags
    name: str  #: Chinese name, shown to users
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    heading_keywords: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


@dataclass
class Taxonomy:
    """All facets' entries, with lookups by name and a passage tagger."""

    facets: dict[str, dict[str, Entry]]
    sources: list[str] = field(default_factory=list)
    #: query word → words of the guidance that count as it (one way: 打工 → 流动, 务工)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: words that mark a document as one of the campaign's (先进性教育); only such documents, or
    #: documents with a campaign given, get the campaign's facets (:data:`CAMPAIGN_FACETS`)
    campaign_words: tuple[str, ...] = ()
    #: synonym keys written in the user's taxonomy.yaml (checked by :meth:`synonym_warnings`)
    user_synonym_keys: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self._names: dict[str, dict[str, str]] = {}
        self._text_res: dict[str, tuple[re.Pattern[str] | None, dict[str, list[str]]]] = {}
        self._head_res: dict[str, tuple[re.Pattern[str] | None, dict[str, list[str]]]] = {}
        for facet, entries in self.facets.items():
            names: dict[str, str] = {}
            for entry in entries.values():
                for name in (entry.key, entry.name, *entry.aliases):
                    folded = _fold(name)
                    if names.get(folded, entry.key) != entry.key:
                        raise InputError(
                            f"分类体系中{FACET_NAMES.get(facet, facet)}的名称“{name}”同时指向 "
                            f"{names[folded]} 和 {entry.key}（{'、'.join(self.sources)}）"
                        )
                    names[folded] = entry.key
            self._names[facet] = names
            self._text_res[facet] = _matcher({e.key: e.keywords for e in entries.values()})
            self._head_res[facet] = _matcher({e.key: e.heading_keywords for e in entries.values()})

    def choices(self, facet: str) -> list[Entry]:
        """Return the entries of ``facet`` in file order."""
        return list(self._facet(facet).values())

    def resolve(self, facet: str, name: str) -> str:
        """Return the key of the entry whose Chinese name, alias or key is ``name``.

        Raises :class:`UnknownNameError` listing the valid choices.
        """
        entries = self._facet(facet)
        key = self._names[facet].get(_fold(name))
        if key is None:
            from .didyoumean import SECTOR_QUESTIONS, did_you_mean

            listing = "、".join(str(e) for e in entries.values())
            if facet == "sector" and _fold(name) in SECTOR_QUESTIONS:
                raise UnknownNameError(SECTOR_QUESTIONS[_fold(name)])
            near = did_you_mean(name, [n for e in entries.values() for n in (e.name, *e.aliases)])
            raise UnknownNameError(f"没有名为“{name.strip()}”的{FACET_NAMES[facet]}。{near}可选：{listing}")
        return key

    def label(self, facet: str, key: str) -> str:
        """Return the Chinese name of ``key`` in ``facet`` (the key itself if unknown)."""
        entry = self._facet(facet).get(key)
        return entry.name if entry else key

    def tag(self, text: str, headings: str = "") -> dict[str, list[str]]:
        """Return ``{facet: [keys]}`` for the entries whose keywords occur in ``text`` or ``headings``."""
        tags: dict[str, list[str]] = {}
        for facet in self.facets:
            found = set(_find(self._text_res[facet], text))
            if headings:
                found.update(_find(self._head_res[facet], headings))
            if found:
                order = list(self.facets[facet])
                tags[facet] = sorted(found, key=order.index)
        return tags

    def campaign_document(self, campaign: str, text: str) -> bool:
        """Whether a document belongs to the campaign: it names one, or its text has a campaign word."""
        return bool(campaign.strip()) or any(word in text for word in self.campaign_words)

    def mentions(self, facet: str, text: str) -> list[str]:
        """Return keys of ``facet`` whose name or an alias occurs in ``text`` (for query boosting)."""
        folded = _fold(text)
        return sorted({key for name, key in self._names[facet].items() if len(name) >= 2 and name in folded})

    def synonym_warnings(self, user_only: bool = False) -> list[str]:
        """Return a Chinese warning for each synonym key the segmenter cuts into several words.

        Such a key is still found when a query's words spell it side by side
        (私自 + 出国), but not when the query cuts the characters differently;
        a single word (or a shorter key) is safer.  ``user_only`` checks the
        keys of the user's ``taxonomy.yaml`` only (``kb index`` shows those).
        """
        from . import segment

        warnings = []
        for key in self.synonyms:
            if user_only and key not in self.user_synonym_keys:
                continue
            words = segment.words(key)
            if len(words) > 1:
                warnings.append(f"同义词“{key}”会被分成 {'/'.join(words)}，只有检索词恰好这样切分时才能识别")
        return warnings

    def version(self) -> str:
        """Return a short hash of the merged facets; tags in the index depend on it (synonyms do not)."""
        data: dict = {f: {k: vars(e) for k, e in entries.items()} for f, entries in self.facets.items()}
        data["campaign_words"] = list(self.campaign_words)
        return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:12]

    def _facet(self, facet: str) -> dict[str, Entry]:
        if facet not in self.facets:
            raise UnknownNameError(f"没有这个分类：{facet}。可选：{'、'.join(FACETS)}")
        return self.facets[facet]


def _fold(name: str) -> str:
    return name.strip().lower()


def _matcher(keywords: dict[str, tuple[str, ...]]) -> tuple[re.Pattern[str] | None, dict[str, list[str]]]:
    owners: dict[str, list[str]] = {}
    for key, words in keywords.items():
        for word in words:
            owners.setdefault(word, []).append(key)
    if not owners:
        return None, owners
    # Longest first so that a keyword inside a longer one does not hide it.
    pattern = "|".join(re.escape(w) for w in sorted(owners, key=len, reverse=True))
    return re.compile(f"(?=({pattern}))"), owners


def _find(matcher: tuple[re.Pattern[str] | None, dict[str, list[str]]], text: str) -> list[str]:
    regex, owners = matcher
    if regex is None or not text:
        return []
    keys: list[str] = []
    for word in {m.group(1) for m in regex.finditer(text)}:
        keys.extend(owners[word])
    return keys


def _read_yaml(text: str, source: str, *, shipped: bool = False) -> dict:
    """The taxonomy file's data.  A user's file goes through the project's restricted YAML loader; the
    shipped one (the project's own, with some 180 synonyms) through libyaml when PyYAML has it: every
    `kb search` reads it, and the pure-Python parser took 0.1–0.2 s of that.  A test checks that both
    loaders read the shipped file alike."""
    import yaml

    from .yamlfile import load_yaml

    if shipped and hasattr(yaml, "CSafeLoader"):
        data = yaml.load(text, Loader=yaml.CSafeLoader) or {}  # noqa: S506 - the project's own file
    else:
        data = load_yaml(text, f"分类体系文件 {source}", error=InputError) or {}
    if not isinstance(data, dict):
        raise InputError(f"分类体系文件 {source} 应是以 sector/phase/member/topic 为键的映射")
    return data


def _entries(data: dict, source: str, base: dict[str, dict[str, Entry]]) -> dict[str, dict[str, Entry]]:
    merged = {facet: dict(base.get(facet, {})) for facet in FACETS}
    for facet, items in data.items():
        if facet in ("version", "synonyms", "campaign_words"):
            continue
        if facet not in FACETS:
            raise InputError(f"分类体系文件 {source} 中的“{facet}”不是分类；可用：{'、'.join(FACETS)}")
        if not isinstance(items, dict):
            raise InputError(f"分类体系文件 {source} 中 {facet} 应是 键: {{name: …}} 的映射")
        for key, spec in items.items():
            key = str(key)
            spec = spec or {}
            if not isinstance(spec, dict):
                raise InputError(f"分类体系文件 {source} 中 {facet}.{key} 应是映射（name、aliases、keywords）")
            old = merged[facet].get(key)
            name = str(spec.get("name") or (old.name if old else ""))
            if not name:
                raise InputError(f"分类体系文件 {source} 中 {facet}.{key} 缺少 name（中文名）")

            def words(field_name: str) -> tuple[str, ...]:
                value = spec.get(field_name) or []
                if isinstance(value, str):
                    value = [value]
                previous = getattr(old, field_name) if old else ()
                return tuple(dict.fromkeys([*previous, *(str(v) for v in value)]))

            merged[facet][key] = Entry(
                key, name, words("aliases"), words("keywords"), words("heading_keywords")
            )
    return merged


def _synonyms(data: dict, source: str, base: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    merged = dict(base)
    items = data.get("synonyms") or {}
    if not isinstance(items, dict):
        raise InputError(f"分类体系文件 {source} 中 synonyms 应是 词: [同义词, …] 的映射")
    for word, alternatives in items.items():
        if isinstance(alternatives, str):
            alternatives = [alternatives]
        if not isinstance(alternatives, list) or not str(word).strip():
            raise InputError(f"分类体系文件 {source} 中 synonyms.{word} 应是词语列表，如 [流动, 务工]")
        key = _fold(str(word))
        words = [str(a).strip() for a in alternatives if str(a).strip() and _fold(str(a)) != key]
        merged[key] = tuple(dict.fromkeys([*merged.get(key, ()), *words]))
    return merged


def _words_list(data: dict, key: str, source: str) -> list[str]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InputError(f"分类体系文件 {source} 中 {key} 应是词语列表")
    return [str(v).strip() for v in value if str(v).strip()]


def load(home: str | os.PathLike[str] | None = None) -> Taxonomy:
    """Return the shipped taxonomy merged with ``taxonomy.yaml`` in ``home`` if there is one.

    With ``home`` None, the knowledge base's default home is used.
    """
    from .store import resolve_home

    user = resolve_home(home) / USER_FILE
    user_text = user.read_text(encoding="utf-8") if user.is_file() else None
    return _load_cached(str(user) if user_text is not None else "", user_text)


_CACHE: dict[tuple[str, str | None], Taxonomy] = {}


def _load_cached(user_path: str, user_text: str | None) -> Taxonomy:
    cached = _CACHE.get((user_path, user_text))
    if cached is None:
        shipped = importlib.resources.files("dangjian.corpus").joinpath(USER_FILE).read_text(encoding="utf-8")
        data = _read_yaml(shipped, "corpus/taxonomy.yaml", shipped=True)
        facets = _entries(data, "corpus/taxonomy.yaml", {})
        synonyms = _synonyms(data, "corpus/taxonomy.yaml", {})
        sources = ["corpus/taxonomy.yaml"]
        campaign = _words_list(data, "campaign_words", "corpus/taxonomy.yaml")
        user_keys: frozenset[str] = frozenset()
        if user_text is not None:
            data = _read_yaml(user_text, user_path)
            if isinstance(data.get("synonyms"), dict):
                user_keys = frozenset(_fold(str(k)) for k in data["synonyms"])
            facets = _entries(data, user_path, facets)
            synonyms = _synonyms(data, user_path, synonyms)
            campaign += _words_list(data, "campaign_words", user_path)
            sources.append(user_path)
        cached = _CACHE[(user_path, user_text)] = Taxonomy(facets, sources, synonyms,
                                                           tuple(dict.fromkeys(campaign)), user_keys)
    return cached


def resolve(facet: str, name: str, home: str | os.PathLike[str] | None = None) -> str:
    """Return the English key for a Chinese name, alias or key of ``facet``; raise UnknownNameError."""
    return load(home).resolve(facet, name)


def choices(facet: str, home: str | os.PathLike[str] | None = None) -> list[Entry]:
    """Return the entries of ``facet`` (sector, phase, member or topic)."""
    return load(home).choices(facet)


def label(facet: str, key: str, home: str | os.PathLike[str] | None = None) -> str:
    """Return the Chinese name of a key (the key itself if unknown)."""
    return load(home).label(facet, key)


def user_file(home: str | os.PathLike[str] | None = None) -> Path:
    """Return where the user's taxonomy extension lives (it may not exist)."""
    from .store import resolve_home

    return resolve_home(home) / USER_FILE
