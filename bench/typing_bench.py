"""Keystroke-to-diagnostics latency: Bastion and `ruff server` (S rules) side by side, same run.

Usage: python bench/typing_bench.py [--files textwrap.py argparse.py _pydecimal.py views.py]
           [--edits 132]
           [--gap-ms 0] [--ruff PATH] [--markdown]
Each CPython file gets `import subprocess` prepended, as ruff's S602 needs it to resolve the
typed `subprocess.call(cmd, shell=True)`. `views.py` is not CPython's: a Flask module of 60
generated views (~25 statements each, bench/taint_bench.py's), where every function reads the
request, so the taint analysis runs on each keystroke. Figures are medians of one run each; the
machine's noise is large, so compare the two servers within a row, not across runs.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE / "lsp_bench.py"
RUFF_INIT = json.dumps({"settings": {"lint": {"select": ["S"]}}})
VIEWS = "views.py"  # generated, see the docstring


def views() -> str:
    sys.path.insert(0, str(HERE))
    from taint_bench import HEADER, view

    rng = random.Random(3)
    return HEADER + "\n\n".join(view(i, 25, rng) for i in range(60))


def run(server: str, file: Path, edits: int, gap_ms: float, extra: list[str]) -> dict:
    cmd = [sys.executable, str(BENCH), "--server", server, "--file", str(file), "--edits",
           str(edits), "--quiet"]
    cmd += ["--gap-ms", str(gap_ms)] if gap_ms else ["--wait"]
    out = subprocess.run(cmd + extra, capture_output=True, text=True, timeout=900)
    last = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else "{}"
    return json.loads(last)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", nargs="+", default=["textwrap.py", "argparse.py", "_pydecimal.py", VIEWS])
    parser.add_argument("--edits", type=int, default=132)
    parser.add_argument("--gap-ms", type=float, default=0)
    parser.add_argument("--ruff", default=shutil.which("ruff") or str(Path(sys.executable).parent / "ruff"))
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    bastion = f"{sys.executable} -m bastion lsp"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.files:
            target = Path(tmp) / name
            target.write_text("import subprocess\n" + (views() if name == VIEWS else
                                                       (stdlib / name).read_text(encoding="utf-8")))
            servers = (("ruff server", f"{args.ruff} server", ["--init-options", RUFF_INIT]),
                       ("bastion", bastion, []))
            for label, server, extra in servers:
                data = run(server, target, args.edits, args.gap_ms, extra)
                edit = data.get("edit_ms", {})
                rows.append((name, data.get("lines"), label, data.get("cold_ms"), edit.get("p50"),
                             edit.get("p95"), data.get("settle_ms"),
                             (data.get("server_cpu") or {}).get("per_edit_ms"),
                             data.get("peak_rss_mb")))
    header = ("file", "lines", "server", "open ms", "key p50 ms", "key p95 ms", "settle ms",
              "CPU ms/key", "RSS MB")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join("" if v is None else str(v) for v in row) + " |")
    else:
        print(("{:<14}{:>7}  {:<12}" + "{:>12}" * 6).format(*header))
        for row in rows:
            print(("{:<14}{:>7}  {:<12}" + "{:>12}" * 6).format(*("-" if v is None else v for v in row)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
