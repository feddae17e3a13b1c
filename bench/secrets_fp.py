"""False-positive survey of the secrets rules: the analyzer over every file `bastion check`
would read under ROOT, counted per rule, with each finding's place and redacted message.

Usage: python bench/secrets_fp.py ROOT [SKIP ...]   (SKIP: path fragments to leave out)
e.g.   python bench/secrets_fp.py /root/.pyenv/versions/3.11.7/lib/python3.11 /site-packages/
       python bench/secrets_fp.py . /node_modules/ /.venv
"""

from __future__ import annotations

import collections
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from bastion.analyzers.secrets.analyzer import SecretsAnalyzer  # noqa: E402
from bastion.config import Config  # noqa: E402
from bastion.filekinds import kind_of  # noqa: E402
from bastion.files import UnreadableSource, iter_source_files, read_source  # noqa: E402


def main() -> None:
    root, skips = Path(sys.argv[1]), sys.argv[2:]
    analyzer = SecretsAnalyzer()
    counts: collections.Counter[str] = collections.Counter()
    files = lines = 0
    shown: list[str] = []
    started = time.perf_counter()
    for path in iter_source_files(root, Config()):
        if any(skip in str(path) for skip in skips):
            continue
        try:
            text = read_source(path).text
        except UnreadableSource:
            continue
        files += 1
        lines += text.count("\n") + 1
        for finding in analyzer.analyse_text(text, str(path), kind_of(path)):
            counts[finding.rule_id] += 1
            shown.append(f"{os.path.relpath(path, root)}:{finding.line + 1} {finding.rule_id} "
                         f"{finding.message}")
    print(f"{files} files, {lines} lines, {time.perf_counter() - started:.1f} s; "
          f"{sum(counts.values())} findings {dict(sorted(counts.items()))}")
    for line in shown:
        print("  " + line)


if __name__ == "__main__":
    main()
