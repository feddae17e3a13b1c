"""Workspace scan: `bastion check` (cold and warm cache) against `bandit -r` and `ruff check --select S`.

Usage: python bench/scan_bench.py [TREE | --small] [--jobs N] [--repeat N] [--markdown]
Without TREE, a copy of CPython's standard library (top-level modules and the email, http,
json, urllib, xml, asyncio, logging, multiprocessing, concurrent and importlib packages) is
scanned; with --small, a small project: the 20 modules at the top of the `email` package
(some 9.7k lines), where start-up and fixed costs count most. The same tree is given to every
tool; bandit's and Bastion's findings are compared (path, rule id, line) so a speed-up never
hides a lost finding. With --repeat N every tool runs N times, in turn, and the median is shown
(each cold run starts from an empty result cache; the parsed rule files, which Bastion keeps
beside it once per installation and rule edit, are kept from the first cold run on). A run with
--no-cache (no result cache read or written) is timed too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
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


def copy_small(target: Path) -> Path:
    tree = target / "email_small"
    tree.mkdir()
    for path in (Path(sysconfig.get_paths()["stdlib"]) / "email").glob("*.py"):
        shutil.copy2(path, tree / path.name)
    return tree


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (the process and its workers, user + system) and stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tree", nargs="?", type=Path)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--small", action="store_true", help="the small project (see above)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    if args.tree and args.small:
        parser.error("give a TREE or --small, not both")
    bindir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        if args.tree:
            tree = args.tree.resolve()
        else:
            tree = copy_small(Path(tmp)) if args.small else copy_stdlib(Path(tmp))
        files = [p for p in tree.rglob("*.py")]
        lines = sum(p.read_bytes().count(b"\n") for p in files)
        # Installed tools run from byte-compiled modules; a session that forbids writing them
        # (PYTHONDONTWRITEBYTECODE) would charge every run for compiling the sources again.
        base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).parents[1] / "server")],
                       env=base_env, check=False)
        env = {**base_env, "BASTION_CACHE_DIR": str(Path(tmp) / "cache")}
        bastion = [str(bindir / "bastion"), "check", str(tree), "--format", "json", "--bandit-exact",
                   "--fail-on", "never"] + (["--jobs", str(args.jobs)] if args.jobs else [])
        ruff = shutil.which("ruff") or str(bindir / "ruff")
        times: dict[str, list[float]] = {k: [] for k in ("bandit", "cold", "warm", "nocache", "ruff")}
        cpus: dict[str, list[float]] = {k: [] for k in times}

        def run(name: str, cmd: list[str], run_env: dict) -> str:
            seconds, cpu, out = timed(cmd, run_env)
            times[name].append(seconds)
            cpus[name].append(cpu)
            return out

        for _ in range(args.repeat):
            out_bandit = run("bandit", [str(bindir / "bandit"), "-r", "-q", "-f", "json", str(tree)],
                             base_env)
            for path in (Path(tmp) / "cache").glob("results-v*"):
                path.unlink()
            out_cold = run("cold", bastion, env)
            out_warm = run("warm", bastion, env)
            out_nocache = run("nocache", bastion + ["--no-cache"], env)
            run("ruff", [ruff, "check", "--select", "S", "--no-cache", "--exit-zero", "-q", str(tree)],
                base_env)
        t_bandit, t_cold, t_warm, t_ruff = (statistics.median(times[k])
                                            for k in ("bandit", "cold", "warm", "ruff"))
        cpu = {k: statistics.median(v) for k, v in cpus.items()}
    theirs = {(os.path.abspath(r["filename"]), r["test_id"], r["line_number"])
              for r in json.loads(out_bandit)["results"]}
    cold = {(os.path.abspath(r["path"]), r["rule_id"], r["line"]) for r in json.loads(out_cold)["results"]
            if r["rule_id"][1:].isdigit()}
    warm = {(os.path.abspath(r["path"]), r["rule_id"], r["line"]) for r in json.loads(out_warm)["results"]
            if r["rule_id"][1:].isdigit()}
    nocache = {(os.path.abspath(r["path"]), r["rule_id"], r["line"])
               for r in json.loads(out_nocache)["results"] if r["rule_id"][1:].isdigit()}
    rows = [("bandit -r", "bandit", len(theirs)), ("bastion check (cold cache)", "cold", len(cold)),
            ("bastion check (warm cache)", "warm", len(warm)),
            ("bastion check --no-cache", "nocache", len(nocache)), ("ruff check --select S", "ruff", None)]
    wall = {k: statistics.median(v) for k, v in times.items()}
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    runs = f"; median of {args.repeat} runs" if args.repeat > 1 else ""
    print(f"{len(files)} files, {lines} lines; {os.cpu_count()} cores{load}{runs}")
    if args.markdown:
        print("| tool | seconds | CPU seconds | bandit-id findings |\n|---|---|---|---|")
        for name, key, count in rows:
            print(f"| {name} | {wall[key]:.2f} | {cpu[key]:.2f} | {'' if count is None else count} |")
    else:
        print(f"{'':<30}{'wall':>8}  {'CPU':>8}")
        for name, key, count in rows:
            print(f"{name:<30}{wall[key]:>8.2f}  {cpu[key]:>8.2f} s  {'' if count is None else count}")
    print(f"cold speed-up over bandit: {t_bandit / t_cold:.1f}x (cold = {t_cold / t_bandit:.2f}x "
          f"bandit's time; CPU {cpu['cold'] / cpu['bandit']:.2f}x); warm over cold: "
          f"{t_cold / t_warm:.1f}x; --no-cache = {wall['nocache'] / t_bandit:.2f}x bandit's time "
          f"(CPU {cpu['nocache'] / cpu['bandit']:.2f}x)")
    same = theirs == cold == warm == nocache
    print("findings identical to bandit:", same)
    if not same:
        print("  only bandit:", sorted(theirs - cold)[:10], "\n  only bastion:", sorted(cold - theirs)[:10])
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
