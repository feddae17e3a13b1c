"""Baseline loading: time and peak memory for the largest accepted baseline and hostile ones.

Usage: python bench/baseline_bench.py [--server PATH] [--no-assert]
Each case loads one baseline file with `bastion.baseline.load_baseline` in a fresh child process
(PYTHONPATH=PATH, default: this checkout's server/) under a 3 GiB address-space limit, and
reports its wall time and the peak RSS it added (ru_maxrss after minus before the load). Cases:
the largest valid baseline (MAX_ENTRIES realistic entries), files at the value budgets made of
the costliest JSON values (empty lists, short strings, strings filling the size cap), 174 MB of
valid entries (the issue's file) and /dev/zero. Asserts that every case ends within 10 s and 400 MB unless
--no-assert (for measuring old code). Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT_S, LIMIT_MB = 10.0, 400
CHILD = r"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
from bastion.baseline import BaselineError, load_baseline
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    outcome = f"{len(load_baseline(sys.argv[1]))} entries"
except BaselineError as exc:
    outcome = "refused: " + str(exc).partition(": ")[2][:60]
except BaseException as exc:
    outcome = f"crashed: {type(exc).__name__}"
seconds = time.perf_counter() - start
extra = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({"seconds": seconds, "extra_mb": extra, "outcome": outcome}))
"""
ENTRY = ('    {{\n      "path": "src/package/module_{n}.py",\n      "line": {line},\n'
         '      "rule": "B602",\n      "message": "subprocess call with shell=True identified, '
         'security issue.",\n      "fingerprint": "{fp:032x}:0"\n    }}')


def valid(path: Path, entries: int, until_bytes: int = 0) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write('{\n  "version": 1,\n  "tool": "bastion",\n  "root": ".",\n  "findings": [\n')
        n = 0
        while n < entries or out.tell() < until_bytes:
            out.write(("" if n == 0 else ",\n") + ENTRY.format(n=n % 997, line=n % 5000 + 1, fp=n))
            n += 1
        out.write("\n  ]\n}\n")


def budget_file(path: Path, value: str, count: int) -> None:
    path.write_text('{"version": 1, "findings": [], "x": [' + ",".join([value] * count) + "]}",
                    encoding="utf-8")


def run(server: str, file: str) -> dict:
    env = {**os.environ, "PYTHONPATH": server}
    proc = subprocess.run([sys.executable, "-c", CHILD, file], capture_output=True, text=True,
                          env=env, timeout=600)
    if proc.returncode != 0:
        return {"seconds": float("nan"), "extra_mb": float("nan"),
                "outcome": f"exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]}"}
    return json.loads(proc.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=str(ROOT / "server"))
    parser.add_argument("--no-assert", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "server"))  # the cases use this checkout's limits
    from bastion.baseline import schema

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        cases = {
            f"largest valid ({schema.MAX_ENTRIES} entries)": tmp / "valid.json",
            "empty lists up to the budget": tmp / "lists.json",
            "2-letter strings up to the budget": tmp / "strings.json",
            "strings filling MAX_BYTES up to the budget": tmp / "long-strings.json",
            "174 MB of valid entries": tmp / "huge.json",
        }
        valid(cases[f"largest valid ({schema.MAX_ENTRIES} entries)"], schema.MAX_ENTRIES)
        budget_file(cases["empty lists up to the budget"], "[]", schema.MAX_CONTAINERS - 8)
        budget_file(cases["2-letter strings up to the budget"], '"ab"',
                    schema.MAX_QUOTES // 2 - 8)
        count = schema.MAX_QUOTES // 2 - 8
        budget_file(cases["strings filling MAX_BYTES up to the budget"],
                    '"' + "s" * (schema.MAX_BYTES // count - 4) + '"', count)
        valid(cases["174 MB of valid entries"], 0, 174 * 1024 * 1024)
        rows = {name: run(args.server, str(path)) for name, path in cases.items()}
        rows["/dev/zero"] = run(args.server, "/dev/zero")
    print(f"{'case':40} {'seconds':>8} {'+MB':>8}  outcome")
    for name, row in rows.items():
        print(f"{name:40} {row['seconds']:8.2f} {row['extra_mb']:8.1f}  {row['outcome']}")
    print(json.dumps(rows))
    if not args.no_assert:
        for name, row in rows.items():
            assert row["seconds"] < LIMIT_S and row["extra_mb"] < LIMIT_MB, (name, row)
            assert not row["outcome"].startswith(("crashed", "exit")), (name, row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
