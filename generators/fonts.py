"""The official fonts of GB/T 9704 documents, and what a machine without them draws instead.

The documents name 方正小标宋简体 (title), 仿宋_GB2312 (body), 楷体_GB2312, 黑体
and 宋体.  A machine without them (a default Linux install) lets fontconfig
pick a substitute, and the first CJK face it finds is usually Noto Sans CJK
**JP**: Japanese glyph forms for 写, 真, 周, and one sans face for title and
body alike.  :func:`fontconfig_aliases` writes a fontconfig file that maps
each official name to a sensible Simplified Chinese face instead (serif for
仿宋/宋体/小标宋, sans for 黑体, a 楷 face where one is installed);
docs/fonts.md describes the step.  :func:`font_report` says which official
fonts are missing and what each will be drawn with (``fc-match``).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

#: Official font → families to draw it with when it is missing, best first.
SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "Noto Serif CJK SC", "Source Han Serif SC",
                 "Source Han Serif CN", "SimSun", "AR PL UMing CN"),
    "仿宋_GB2312": ("仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC",
                   "Source Han Serif CN", "AR PL UMing CN"),
    "楷体_GB2312": ("楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "AR PL KaitiM GB", "Noto Serif CJK SC",
                   "Source Han Serif SC"),
    "黑体": ("SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei"),
    "宋体": ("SimSun", "Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN"),
}
FALLBACK = "逐字回退（多为 Noto Sans CJK JP）"
#: Faces whose glyph forms are not those of Simplified Chinese.
_FOREIGN = ("JP", "KR", "TC", "HK", "Japanese", "Korean")


@dataclass
class FontStatus:
    """One official font: installed or not, and the face drawn in its place."""

    name: str
    installed: bool
    drawn_with: str  #: the family fontconfig picks ("" when fontconfig is not available)

    @property
    def sensible(self) -> bool:
        """True when the font is installed, or its substitute is a Simplified Chinese face of the right kind.

        The right kind: sans (黑体) for 黑体, not sans for the others (仿宋, 楷体, 宋体, 小标宋).
        """
        if self.installed:
            return True
        if not self.drawn_with or any(tag in self.drawn_with for tag in _FOREIGN) or FALLBACK in self.drawn_with:
            return False
        sans = any(word in self.drawn_with for word in ("Sans", "Hei", "黑"))
        return sans == (self.name == "黑体")


def available() -> bool:
    """True when fontconfig's fc-list and fc-match are installed."""
    return bool(shutil.which("fc-list") and shutil.which("fc-match"))


def _families() -> set[str]:
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, errors="replace").stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def font_report() -> list[FontStatus]:
    """Return the status of every official font (empty when fontconfig is not installed)."""
    if not available():
        return []
    installed = _families()
    report = []
    for name in SUBSTITUTES:
        # What LibreOffice gets when it asks for the name; a face without Chinese (DejaVu Sans) means
        # each character falls back to the first CJK face found, usually Noto Sans CJK JP.
        match = subprocess.run(["fc-match", "-f", "%{family[0]}|%{lang}", name], capture_output=True,
                               text=True, errors="replace").stdout.strip()
        family, _, langs = match.partition("|")
        chinese = "zh-cn" in langs.split("|")
        report.append(FontStatus(name, name in installed, family if chinese else FALLBACK))
    return report


def fontconfig_aliases(installed: set[str] | None = None, include_system: bool = False) -> str:
    """Return a fontconfig file mapping each official font name to its best installed substitute.

    ``installed`` is the set of installed families (default: ask fc-list); a
    name with no installed substitute is left out (fontconfig's own choice).
    ``include_system`` makes a complete configuration (for FONTCONFIG_FILE)
    that reads the system's /etc/fonts/fonts.conf first; without it the file
    is meant for ~/.config/fontconfig/conf.d/.
    """
    if installed is None:
        installed = _families() if available() else set()
    rules = []
    for name, choices in SUBSTITUTES.items():
        if name in installed:
            continue
        best = next((c for c in choices if c in installed), None)
        if best is None:
            continue
        rules.append(
            f'  <match target="pattern"><test name="family"><string>{name}</string></test>'
            f'<edit name="family" mode="assign" binding="strong"><string>{best}</string></edit></match>'
        )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        "<!-- dangjian: GB/T 9704 公文字体的替代字体（没有安装正式字体时） -->\n<fontconfig>\n"
        + ('  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' if include_system else "")
        + "\n".join(rules) + "\n</fontconfig>\n"
    )


def font_finding() -> tuple[bool, str, str]:
    """Return (passed, found, message) about the official fonts on this machine, for ``kb check --pages``."""
    report = font_report()
    if not report:
        return True, "未检查（没有 fontconfig）", "没有 fontconfig（fc-list），未检查字体"
    missing = [s for s in report if not s.installed]
    if not missing:
        return True, "正式字体都已安装", "正式字体都已安装"
    found = "；".join(f"{s.name}→{s.drawn_with or '未知'}" for s in missing)
    bad = [s for s in missing if not s.sensible]
    if bad:
        return False, found, (f"本机没有{'、'.join(s.name for s in bad)}，LibreOffice 用"
                              f"{'、'.join(dict.fromkeys(s.drawn_with for s in bad))}代替（不是简体中文字形）："
                              "请安装正式字体，或按 docs/fonts.md 设置替代字体")
    return True, found, f"本机没有{'、'.join(s.name for s in missing)}，以简体中文字体代替：{found}"


if __name__ == "__main__":  # python3 -m dangjian.generators.fonts > ~/.config/fontconfig/conf.d/60-dangjian.conf
    print(fontconfig_aliases(), end="")
