#!/usr/bin/env python3
"""Parity check: does `bastion check` report exactly what the bandit CLI reports?

Runs `bastion check --format json` and `bandit -f json` on the same real files and compares
the multisets of (path, test id, line, severity, confidence). Bastion runs bandit in process,
unit by unit, with its own splitter, context and `# nosec` handling; this script is the outside
check that none of that changes what bandit would have said about a file that parses.

Only bandit's own findings are compared: Bastion's results are filtered to ids `B<digits>`
(Bastion's own rules are `BST...`). Suppressed findings are compared too: bandit leaves `# nosec`
lines out of its results, Bastion lists them under "suppressed", so neither side counts them.

Default corpus: 25+ modules of the running Python's standard library (real, varied code with
many findings), plus any files or folders given. Folders are expanded here into one list of
`.py` files, so both tools see exactly the same files. Both tools run with default settings:
Bastion gets an empty configuration file so a pyproject.toml near the files is not applied
(bandit's CLI does not read one either).

usage: scripts/parity.py [PATH ...] [--modules a,b/c,...] [--no-stdlib] [--columns] [--quiet]
exit status: 0 the multisets are equal, 1 any difference (or a tool reported a file error), 2 usage
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

DEFAULT_MODULES = (
    "subprocess", "tarfile", "pydoc", "zipfile", "_pydecimal", "argparse", "shutil", "tempfile",
    "pickle", "os", "random", "ssl", "smtplib", "ftplib", "imaplib", "http/server",
    "urllib/request", "xml/dom/minidom", "logging/config", "multiprocessing/connection",
    "ctypes/util", "asyncio/subprocess", "textwrap", "inspect", "configparser",
    # more modules with findings (shell, crypto, xml, pickle, tmp, exec, random, bind, ...)
    "http/client", "xmlrpc/client", "xmlrpc/server", "poplib", "webbrowser", "uuid", "platform",
    "code", "pdb", "shelve", "socketserver", "wsgiref/simple_server", "xml/etree/ElementTree",
    "mailbox", "sqlite3/dump", "dbm/dumb", "telnetlib", "nntplib", "cgi", "tkinter/filedialog",
)
BANDIT_ID = re.compile(r"^B\d+$")
SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", ".tox", ".nox", ".venv", "venv", ".eggs",
             "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def stdlib_file(name: str, stdlib: Path) -> Path | None:
    """`http/server` -> <stdlib>/http/server.py, or the package's __init__.py."""
    base = stdlib / name
    for candidate in (base.with_name(base.name + ".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def expand(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    found = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info"))
        found.extend(Path(folder, f) for f in sorted(files) if f.endswith((".py", ".pyw")))
    return found


def key_path(path: str) -> str:
    return os.path.realpath(path)


def byte_to_code_point_col(path: str, line: int, byte_col: int, cache: dict) -> int:
    if path not in cache:
        cache[path] = Path(path).read_bytes().split(b"\n")
    lines = cache[path]
    if 0 < line <= len(lines):
        return len(lines[line - 1][:byte_col].decode("utf-8", "replace"))
    return byte_col


def run_bandit(files: list[str], columns: bool) -> tuple[Counter, list, float]:
    cmd = [sys.executable, "-m", "bandit", "-f", "json", "-q", *files]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        sys.exit(f"parity: bandit failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    doc = json.loads(proc.stdout)
    found, cache = Counter(), {}
    for r in doc["results"]:
        item = (key_path(r["filename"]), r["test_id"], r["line_number"],
                r["issue_severity"].lower(), r["issue_confidence"].lower())
        if columns:
            col = byte_to_code_point_col(r["filename"], r["line_number"], r["col_offset"], cache)
            item += (col + 1,)
        found[item] += 1
    errors = [(key_path(e["filename"]), e["reason"]) for e in doc.get("errors", [])]
    return found, errors, seconds


def run_bastion(files: list[str], columns: bool) -> tuple[Counter, list, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp, "pyproject.toml")
        empty.write_text("[tool.bastion]\nbandit_exact = true\n", encoding="utf-8")  # parity mode
        cmd = [sys.executable, "-m", "bastion", "check", "--format", "json", "--fail-on", "never",
               "--config", str(empty), *files]
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"parity: bastion check failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    doc = json.loads(proc.stdout)
    found, own = Counter(), 0
    for r in doc["results"]:
        if not BANDIT_ID.match(r["rule_id"]):
            own += 1
            continue
        item = (key_path(r["path"]), r["rule_id"], r["line"], r["severity"], r["confidence"])
        if columns:
            item += (r["column"],)
        found[item] += 1
    errors = [(key_path(e["path"]), e["message"]) for e in doc.get("errors", [])]
    return found, errors, seconds, own


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="extra files or folders to compare")
    parser.add_argument("--modules", help="comma-separated stdlib modules instead of the default "
                                          "set, as paths: 'subprocess,http/server'")
    parser.add_argument("--no-stdlib", action="store_true", help="only the paths given")
    parser.add_argument("--columns", action="store_true",
                        help="also compare start columns (bandit's UTF-8 byte offset converted "
                             "to code points)")
    parser.add_argument("--quiet", action="store_true", help="only differences and totals")
    args = parser.parse_args(argv)

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    modules = [] if args.no_stdlib else (
        [m.strip() for m in args.modules.split(",") if m.strip()] if args.modules is not None
        else list(DEFAULT_MODULES))
    files: list[Path] = []
    missing = []
    for name in modules:
        found = stdlib_file(name, stdlib)
        if found is None:
            missing.append(name)
        else:
            files.append(found)
    for path in args.paths:
        if not path.exists():
            print(f"parity: {path}: no such file or folder", file=sys.stderr)
            return 2
        files.extend(expand(path))
    files = list(dict.fromkeys(p.resolve() for p in files))
    if missing:
        print(f"parity: not in this Python's stdlib ({stdlib}), skipped: {', '.join(missing)}",
              file=sys.stderr)
    if not files:
        print("parity: no files to compare", file=sys.stderr)
        return 2
    names = [str(p) for p in files]

    bandit, bandit_errors, bandit_s = run_bandit(names, args.columns)
    bastion, bastion_errors, bastion_s, own = run_bastion(names, args.columns)

    only_bandit = bandit - bastion
    only_bastion = bastion - bandit
    per_file: dict[str, Counter] = defaultdict(Counter)
    for name, counter in (("bandit", bandit), ("bastion", bastion),
                          ("only_bandit", only_bandit), ("only_bastion", only_bastion)):
        for item, n in counter.items():
            per_file[item[0]][name] += n

    def shown(path: str) -> str:
        try:
            return str(Path(path).relative_to(stdlib.resolve()))
        except ValueError:
            return os.path.relpath(path)

    width = max(len(shown(str(p))) for p in files)
    header = (f"{'file':<{width}}  {'lines':>6}  {'bandit':>6}  {'bastion':>7}  "
              f"{'only bandit':>11}  {'only bastion':>12}")
    print(f"Parity: bandit CLI vs bastion check, {len(files)} files "
          f"({'with' if args.columns else 'without'} columns)")
    print(header)
    print("-" * len(header))
    total_lines = 0
    for p in files:
        path = str(p)
        lines = p.read_bytes().count(b"\n") + 1
        total_lines += lines
        c = per_file.get(path, Counter())
        differs = c["only_bandit"] or c["only_bastion"]
        if args.quiet and not differs:
            continue
        mark = "  <-- differs" if differs else ""
        print(f"{shown(path):<{width}}  {lines:>6}  {c['bandit']:>6}  {c['bastion']:>7}  "
              f"{c['only_bandit']:>11}  {c['only_bastion']:>12}{mark}")
    print("-" * len(header))
    print(f"{'total':<{width}}  {total_lines:>6}  {bandit.total():>6}  {bastion.total():>7}  "
          f"{only_bandit.total():>11}  {only_bastion.total():>12}")

    def listing(title: str, items: Counter) -> None:
        if items:
            print(f"\n{title}:")
            for item, n in sorted(items.items()):
                extra = f":{item[5]}" if len(item) > 5 else ""
                times = f" (x{n})" if n > 1 else ""
                print(f"  {shown(item[0])}:{item[2]}{extra} {item[1]} {item[3]}/{item[4]}{times}")

    listing("Reported by bandit only", only_bandit)
    listing("Reported by Bastion only", only_bastion)
    for tool, errors in (("bandit", bandit_errors), ("bastion", bastion_errors)):
        for path, message in errors:
            print(f"{tool} error: {shown(path)}: {message}")
    ids = Counter(item[1] for item in bandit)
    print(f"\nFiles: {len(files)}; lines: {total_lines}; bandit findings: {bandit.total()} "
          f"({len(ids)} test ids); Bastion bandit-id findings: {bastion.total()}; Bastion own-rule "
          f"findings (not compared): {own}; differences: "
          f"{only_bandit.total() + only_bastion.total()}.")
    print(f"Time: bandit CLI {bandit_s:.2f}s, bastion check {bastion_s:.2f}s (one run each, "
          f"process start included).")
    if only_bandit or only_bastion or bandit_errors or bastion_errors:
        print("PARITY: FAILED")
        return 1
    print("PARITY: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
