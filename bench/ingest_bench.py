"""Import speed: reading, cleaning, outlining and splitting a large plain-text file.

Corpus: People's Daily, January 1998 (``bench/peoples_daily.py``), written
as one UTF-8 and one GB18030 file of 19,484 lines.  Baseline, measured in the
same run: reading and decoding the file, splitting lines and hashing the text
(what any importer must do).  Prints medians and the ratio to the baseline.

Run: ``python3 bench/ingest_bench.py [--rounds 5]``
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from peoples_daily import paragraphs  # noqa: E402

from dangjian.kb.outline import import_file  # noqa: E402
from dangjian.kb.readers import decode_text  # noqa: E402


def _baseline(path: Path) -> int:
    text = decode_text(path.read_bytes(), path.name)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return len(lines)


def _median_seconds(func, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    text = "\n".join(paragraphs())
    chars = len(text)
    with tempfile.TemporaryDirectory() as tmp:
        for encoding in ("utf-8", "gb18030"):
            path = Path(tmp) / f"人民日报199801-{encoding}.txt"
            path.write_bytes(text.encode(encoding))
            document = import_file(path)
            base = _median_seconds(lambda: _baseline(path), args.rounds)
            full = _median_seconds(lambda: import_file(path), args.rounds)
            print(
                f"{encoding}: {chars:,} 字符, {len(document.passages):,} 段落片段; "
                f"导入 {full:.2f} 秒（{chars / full / 1e6:.2f} M 字符/秒）; "
                f"基线（解码+分行+哈希）{base:.3f} 秒; 倍数 {full / base:.1f}×"
            )
    print(f"环境：Python {platform.python_version()}，{platform.machine()}，单进程单核，{args.rounds} 轮中位数")


if __name__ == "__main__":
    main()
