"""Workspace scan: `bastion check` (cold and warm cache) against `bandit -r` and `ruff check --select S`.

Usage: python bench/scan_bench.py [TREE] [--jobs N] [--markdown]
Without TREE, a copy of CPython's standard library (top-level modules and the email, http,
json, urllib, xml, asyncio, logging, multiprocessing, concurrent and importlib packages) is
scanned. The same tree is given to every tool; bandit's and Bastion's findings are compared
(path, rule id, line) so a speed-up never hides a lost finding.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

PACKAGES = ("email", "http", "json", "urllib", "xml", "asyncio", "logging", "multiprocessing",
            "concurrent", "importlib")


def copy_stdlib(target: Path) -> Path:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    tree = target / "stdlib"
    tree.mkdir()
    for path in stdlib.glob("*.py"):
        shutil.copy2(path, tree / path.name)
    for package in PACKAGES:
        shutil.copytree(stdlib / package, tree / package,
                        ignore=shutil.ignore_patterns("__pycache__", "test", "tests"))
    return tree


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
    return time.perf_counter() - started, out.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tree", nargs="?", type=Path)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        tree = args.tree.resolve() if args.tree else copy_stdlib(Path(tmp))
        files = [p for p in tree.rglob("*.py")]
        lines = sum(p.read_bytes().count(b"\n") for p in files)
        # Installed tools run from byte-compiled modules; a session that forbids writing them
        # (PYTHONDONTWRITEBYTECODE) would charge every run for compiling the sources again.
        base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).parents[1] / "server")],
                       env=base_env, check=False)
        env = {**base_env, "BASTION_CACHE_DIR": str(Path(tmp) / "cache")}
        bastion = [str(bindir / "bastion"), "check", str(tree), "--format", "json",
                   "--fail-on", "never"] + (["--jobs", str(args.jobs)] if args.jobs else [])
        t_bandit, out_bandit = timed([str(bindir / "bandit"), "-r", "-q", "-f", "json", str(tree)],
                                     base_env)
        t_cold, out_cold = timed(bastion, env)
        t_warm, out_warm = timed(bastion, env)
        ruff = shutil.which("ruff") or str(bindir / "ruff")
        t_ruff, _ = timed([ruff, "check", "--select", "S", "--no-cache", "--exit-zero", "-q",
                           str(tree)], base_env)
    theirs = {(os.path.abspath(r["filename"]), r["test_id"], r["line_number"])
              for r in json.loads(out_bandit)["results"]}
    cold = {(os.path.abspath(r["path"]), r["rule_id"], r["line"]) for r in json.loads(out_cold)["results"]
            if r["rule_id"][1:].isdigit()}
    warm = {(os.path.abspath(r["path"]), r["rule_id"], r["line"]) for r in json.loads(out_warm)["results"]
            if r["rule_id"][1:].isdigit()}
    rows = [("bandit -r", t_bandit, len(theirs)), ("bastion check (cold cache)", t_cold, len(cold)),
            ("bastion check (warm cache)", t_warm, len(warm)), ("ruff check --select S", t_ruff, None)]
    print(f"{len(files)} files, {lines} lines; {os.cpu_count()} cores")
    if args.markdown:
        print("| tool | seconds | bandit-id findings |\n|---|---|---|")
        for name, secs, count in rows:
            print(f"| {name} | {secs:.2f} | {'' if count is None else count} |")
    else:
        for name, secs, count in rows:
            print(f"{name:<30}{secs:>8.2f} s  {'' if count is None else count}")
    print(f"cold speed-up over bandit: {t_bandit / t_cold:.1f}x; warm over cold: {t_cold / t_warm:.1f}x")
    same = theirs == cold == warm
    print("findings identical to bandit:", same)
    if not same:
        print("  only bandit:", sorted(theirs - cold)[:10], "\n  only bastion:", sorted(cold - theirs)[:10])
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
