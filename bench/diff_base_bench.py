"""`--diff-base` line comparison (gitdiff.line_changes) on large and hostile files.

Usage: python bench/diff_base_bench.py [--lines 200000] [--max-seconds 10]
Each case compares an old and a new text of about --lines lines, the way `bastion check
--diff-base` compares a file at the base ref with the work tree: scattered edits, a file of
identical lines edited at both ends (no unique line to anchor on: exact matching there is
quadratic), a file rewritten entirely, and few distinct lines shuffled. Asserts each case takes
under --max-seconds and that the change is found; prints a table and one JSON line (seconds, and
the process's peak RSS in MB). Stretches without a unique line count as changed as a whole (the
"lines changed" column): over-reporting there is the price of staying near-linear.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))
from bastion.gitdiff import line_changes  # noqa: E402


def cases(lines: int) -> dict[str, tuple[list[str], list[str], int]]:
    """name -> (old lines, new lines, a 1-based new line that must count as changed)."""
    rng = random.Random(7)
    unique = [f"value_{n} = compute({n})" for n in range(lines)]
    scattered = list(unique)
    for i in rng.sample(range(lines), 1000):
        scattered[i] = f"eval(input_{i})"
    same = ["pass"] * lines
    ends = same[:lines // 2] + ["eval(x)"] + same[lines // 2:]
    ends[3], ends[-3] = "x = 1", "y = 2"
    few = [f"call_{rng.randrange(10)}()" for _ in range(lines)]
    few_new = list(few)
    for i in rng.sample(range(lines), 100):
        few_new[i] = "eval(y)"
    return {
        "1000 scattered edits": (unique, scattered, scattered.index(next(
            line for line in scattered if line.startswith("eval"))) + 1),
        "identical lines, edits at both ends": (same, ends, lines // 2 + 1),
        "rewritten entirely": (unique, [f"other_{n}()" for n in range(lines)], lines),
        "10 distinct lines shuffled, 100 edits": (few, few_new, few_new.index("eval(y)") + 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--max-seconds", type=float, default=10.0)
    args = parser.parse_args()
    results: dict[str, float] = {}
    for name, (old, new, must) in cases(args.lines).items():
        start = time.perf_counter()
        changes = line_changes("\n".join(old), "\n".join(new))
        results[name] = round(time.perf_counter() - start, 3)
        assert must in changes.added, f"{name}: line {must} not reported as changed"
        print(f"{name:40} {results[name]:8.3f} s  {len(changes.added):>8} lines changed")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"lines": args.lines, "seconds": results, "peak_rss_mb": round(peak_mb)}))
    slow = {name: s for name, s in results.items() if s > args.max_seconds}
    assert not slow, f"over {args.max_seconds}s: {slow}"
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
