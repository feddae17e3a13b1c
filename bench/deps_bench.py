"""Dependency manifests at size: parse + advisory matching of a 5 MB requirements.txt,
pyproject.toml (PEP 621 and Poetry tables), uv.lock, poetry.lock and Pipfile.lock, with pip's own
requirements parser on the same file for comparison, and (with --lsp) open and keystroke latency
in the real server next to ruff server on a Python file of the same size.

Usage: python bench/deps_bench.py [--mb 5] [--lsp] [--keep DIR] [--before SERVER_DIR] [--timeout S]
                                  [--only FILE ...] [--no-pip]
Each engine measurement runs in a fresh process (the index load is reported on its own, since
the server loads it once per session); "view" is the analyzer's CPU time for the preview of the
top 300 lines of the file just opened, "rest" that of the whole read after it; "edit" is the
analyzer's CPU time for the file with one line changed after it has analysed the file once, as
in the editor (median of 15 edits, 3 for lock and TOML files, where a version on a line near the
middle changes); "enter", the same for a new empty line typed near the middle and removed again
(median of 30 or 6 such edits); "line" (pyproject.toml), a dependency line pasted in its PEP 621
array and deleted again (median of 6 such edits); "typed", the same line typed there a character
at a time, "entry", a Poetry line typed three quarters down (the median keystroke; most leave
the TOML invalid), "quoted", a quoted Poetry key typed below another, "inline", a Poetry inline
table typed as "entry" is, "opened", an array opened (`[`) in the PEP 621 array (the keystroke's
CPU: the error is where that array ends). `--before` runs the same on older code, row by row (a
row not done within --timeout seconds says so). Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Real names and versions from the shipped index: vulnerable pins, safe pins, ranges, typos.
LINES = ["django==3.2.5  # web", "requests[socks]==2.19.0 ; python_version > '3.8'",
         "requests==2.32.3", "jinja2>=2.11.3,<4", "urllib3>=1.26,<1.27", "flask",
         "numpy==1.26.4", "reqeusts==2.31.0", "pyyaml==5.3.1 --hash=sha256:0123456789abcdef"]


def requirements(size: int) -> str:
    out, total, i = [], 0, 0
    while total < size:
        line = LINES[i % len(LINES)] if i % 3 == 0 else f"package-{i}=={i % 50}.{i % 7}.0"
        out.append(line)
        total += len(line) + 1
        i += 1
    return "\n".join(out) + "\n"


def pyproject(size: int) -> str:
    """Half PEP 621 requirements, half a Poetry table (plain, caret, inline-table entries)."""
    body = requirements(size // 2).splitlines()
    items = ",\n".join(f'  "{line.split("#")[0].split(" --")[0].strip()}"' for line in body)
    out = [f'[project]\nname = "big"\nversion = "1"\ndependencies = [\n{items}\n]\n\n'
           '[tool.poetry.dependencies]\npython = "^3.10"\n']
    total, i = len(out[0]), 0
    poetry = ['django{i} = "3.2.5"', 'requests{i} = {{ version = "2.19.0", extras = ["socks"] }}',
              'flask{i} = "^0.12"', 'jinja2{i} = "~2.10"']
    while total < size:
        line = poetry[i // 3 % 4].format(i=i or "") if i % 3 == 0 else \
            f'package-{i} = "^{i % 50}.{i % 7}.0"'
        out.append(line + "\n")
        total += len(line) + 1
        i += 1
    return "".join(out)


def uv_lock(size: int) -> str:
    out, total, i = ["version = 1\n"], 0, 0
    names = ["django", "requests", "jinja2", "urllib3", "flask"]
    while total < size:
        name = names[i % 5] if i % 3 == 0 else f"package-{i}"
        version = ["3.2.5", "2.19.0", "2.10", "1.26.4", "0.12"][i % 5] if i % 3 == 0 else "1.0"
        block = (f'\n[[package]]\nname = "{name}"\nversion = "{version}"\n'
                 'source = { registry = "https://pypi.org/simple" }\n')
        out.append(block)
        total += len(block)
        i += 1
    return "".join(out)


def poetry_lock(size: int) -> str:
    out, total, i = [], 0, 0
    names = ["django", "requests", "jinja2", "urllib3", "flask"]
    while total < size:
        name = names[i % 5] if i % 3 == 0 else f"package-{i}"
        version = ["3.2.5", "2.19.0", "2.10", "1.26.4", "0.12"][i % 5] if i % 3 == 0 else "1.0"
        block = (f'[[package]]\nname = "{name}"\nversion = "{version}"\ndescription = "x"\n'
                 'optional = false\npython-versions = "*"\nfiles = [\n'
                 f'    {{file = "{name}-{version}.tar.gz", hash = "sha256:abc"}},\n]\n\n')
        out.append(block)
        total += len(block)
        i += 1
    out.append('[metadata]\nlock-version = "2.0"\npython-versions = "^3.10"\n')
    return "".join(out)


def pipfile_lock(size: int) -> str:
    """As pipenv writes it (json, indent 4), packages in `default` and `develop`."""
    sections: dict[str, dict] = {"default": {}, "develop": {}}
    total, i = 0, 0
    while total < size:
        name = ["django", "requests", "jinja2"][i % 3] + (str(i) if i > 2 else "") \
            if i % 3 == 0 else f"package-{i}"
        version = ["==3.2.5", "==2.19.0", "==2.10"][i % 3] if i % 3 == 0 else "==1.0"
        sections["develop" if i % 2 else "default"][name] = {
            "hashes": ["sha256:0123456789abcdef"], "index": "pypi", "version": version}
        total += 120 + len(name)
        i += 1
    return json.dumps({"_meta": {"hash": {"sha256": "x"}}, **sections}, indent=4) + "\n"


ENGINE = """
import json, re, sys, time
sys.path.insert(0, {server!r})
t0 = time.perf_counter(); c0 = time.process_time()
from bastion.deps import analysis, store
index = store.load()
t1 = time.perf_counter(); c1 = time.process_time()
text = open({path!r}, encoding="utf-8").read()
t2 = time.perf_counter(); c2 = time.process_time()
result = analysis.analyse({path!r}, text, {root!r}, index)
t3 = time.perf_counter(); c3 = time.process_time()
result = analysis.analyse({path!r}, text, {root!r}, index)
t4 = time.perf_counter()
# As the editor opens the file: the lines in view (the top 300) previewed, then the rest, the
# whole read, by a fresh analyzer (a lock's whole read takes the values its preview parsed).
from bastion.analyzers.deps.analyzer import DepsAnalyzer
from bastion.filekinds import kind_of
from bastion.model.text import split_lines
analyzer, kind = DepsAnalyzer(), kind_of({path!r})
analyzer.forget()
c5 = time.process_time()
analyzer.preview(text, split_lines(text), 0, 299, {path!r}, kind)
c6 = time.process_time()
analyzer.analyse_text(text, {path!r}, kind)
view_cpu_ms, rest_cpu_ms = (c6 - c5) * 1000, (time.process_time() - c6) * 1000
# As the editor runs it: the analyzer the engine holds, then one line in the middle of the file
# changed (a requirement pinned vulnerable; in TOML files, a trailing blank) and analysed again.
analyzer = DepsAnalyzer()
lines = text.split("\\n")
analyzer.analyse_text(text, {path!r}, kind)
edits = []
for n in range({edits}):
    at = len(lines) // 2 + n * 7
    if {path!r}.endswith(".txt"):
        lines[at] = ("requests==2.19.0" if n % 2 else "django==3.2.5") + "  # edited"
    else:  # the nearest line below with a version gets another one
        while not re.search(r'(==|"[~^]?)\\d', lines[at]):
            at += 1
        lines[at] = re.sub(r'(==|"[~^]?)(\\d+)', lambda m: f'{{m.group(1)}}{{int(m.group(2)) + 1}}',
                           lines[at], count=1)
    edited = "\\n".join(lines)
    c5 = time.process_time()
    analyzer.analyse_text(edited, {path!r}, kind)
    edits.append((time.process_time() - c5) * 1000)
edit_cpu_ms = sorted(edits)[len(edits) // 2] if edits else None
# Enter typed at the end of a line in the middle (a new empty line), then Backspace (joined).
enters = []
for n in range({edits}):
    at = len(lines) // 2 + n * 5
    for edited in ("\\n".join([*lines[:at + 1], "", *lines[at + 1:]]), "\\n".join(lines)):
        c5 = time.process_time()
        analyzer.analyse_text(edited, {path!r}, kind)
        enters.append((time.process_time() - c5) * 1000)
enter_cpu_ms = sorted(enters)[len(enters) // 2] if enters else None
# pyproject.toml: a dependency line pasted before an element of the PEP 621 array (a quarter down),
# then deleted: the keystrokes that make the TOML valid when a new line is typed.
items = []
at = len(lines) // 4
while {path!r}.endswith("pyproject.toml") and not lines[at].startswith('  "'):
    at += 1
for n in range({edits} if {path!r}.endswith("pyproject.toml") else 0):
    for edited in ("\\n".join([*lines[:at], '  "flask==0.12",', *lines[at:]]), "\\n".join(lines)):
        c5 = time.process_time()
        analyzer.analyse_text(edited, {path!r}, kind)
        items.append((time.process_time() - c5) * 1000)
line_cpu_ms = sorted(items)[len(items) // 2] if items else None
# pyproject.toml: that line typed a character at a time there (most keystrokes leave the TOML
# invalid: the string is open), then a Poetry line three quarters down; the median keystroke each.
typed = {{}}
below = 3 * len(lines) // 4
while {path!r}.endswith("pyproject.toml") and " = " not in lines[below]:
    below += 1
# A quoted key typed below another (written there first), and an array opened (`  [`) in the
# PEP 621 array: its error is where that array ends (the one keystroke that leaves it invalid).
quoted = [*lines[:below], '"zope.interface" = "5.0"', *lines[below:]]
for name, base, where, line in (("typed", lines, at, '  "flask==0.12",'),
                                ("entry", lines, below, 'flask = "0.12"'),
                                ("quoted", quoted, below + 1, '"my-pkg" = "1.0"'),
                                ("inline", lines, below, 'flask = {{ version = "0.12" }}'),
                                ("opened", lines, at, "[")):
    keys = []
    analyzer.analyse_text("\\n".join(base), {path!r}, kind)
    for count in range(len(line) + 1 if {path!r}.endswith("pyproject.toml") else 0):
        edited = "\\n".join([*base[:where], line[:count], *base[where:]])
        c5 = time.process_time()
        analyzer.analyse_text(edited, {path!r}, kind)
        keys.append((time.process_time() - c5) * 1000)
    analyzer.analyse_text("\\n".join(lines), {path!r}, kind)
    typed[name] = keys[-1] if name == "opened" and keys else sorted(keys)[len(keys) // 2] if keys else None
print(json.dumps({{"load_ms": (t1 - t0) * 1000, "first_ms": (t3 - t2) * 1000,
                  "load_cpu_ms": (c1 - c0) * 1000, "first_cpu_ms": (c3 - c2) * 1000,
                  "again_ms": (t4 - t3) * 1000, "view_cpu_ms": view_cpu_ms,
                  "rest_cpu_ms": rest_cpu_ms, "findings": len(result.findings),
                  "not_analysed": len(result.not_analysed), "edit_cpu_ms": edit_cpu_ms,
                  "enter_cpu_ms": enter_cpu_ms, "line_cpu_ms": line_cpu_ms,
                  "typed_cpu_ms": typed["typed"], "entry_cpu_ms": typed["entry"],
                  "quoted_cpu_ms": typed["quoted"], "inline_cpu_ms": typed["inline"],
                  "opened_cpu_ms": typed["opened"]}}))
"""

PIP = """
import json, sys, time
from pip._internal.network.session import PipSession
from pip._internal.req.req_file import parse_requirements
t0 = time.perf_counter(); c0 = time.process_time()
count = sum(1 for _ in parse_requirements({path!r}, session=PipSession()))
print(json.dumps({{"parse_ms": (time.perf_counter() - t0) * 1000,
                  "parse_cpu_ms": (time.process_time() - c0) * 1000, "requirements": count}}))
"""


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def run(code: str, timeout: float) -> dict:
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:  # older code may be quadratic: the row says so
        return {"timeout_s": timeout}
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--lsp", action="store_true", help="also measure the server (and ruff)")
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--timeout", type=float, default=600, help="seconds per file and code")
    parser.add_argument("--before", type=Path, metavar="DIR",
                        help="also run older code (a `server` folder, e.g. from `git archive`)")
    parser.add_argument("--only", action="append", metavar="FILE",
                        help="measure only this file (repeatable: requirements.txt, uv.lock...)")
    parser.add_argument("--no-pip", action="store_true", help="skip pip's parser")
    args = parser.parse_args()
    if args.before and not (args.before / "bastion").is_dir():
        parser.error(f"{args.before} holds no bastion package (the rows would run today's code)")
    size = int(args.mb * 1024 * 1024)
    folder = Path(tempfile.mkdtemp(prefix="bastion-deps-bench-"))
    results = {}
    try:
        files = {"requirements.txt": requirements(size), "pyproject.toml": pyproject(size),
                 "uv.lock": uv_lock(size), "poetry.lock": poetry_lock(size),
                 "Pipfile.lock": pipfile_lock(size)}
        for name, text in files.items():
            (folder / name).write_text(text)
        servers = {"": str(ROOT / "server")}
        if args.before:
            servers = {"before": str(args.before), "after": servers[""]}
        print(f"{'file':<18} {'code':<6} {'MB':>5} {'index load ms':>14} {'(CPU)':>6} "
              f"{'first ms':>9} {'(CPU)':>6} {'again ms':>9} {'view CPU ms':>12} {'rest CPU ms':>12} "
              f"{'edit CPU ms':>12} {'enter CPU ms':>13} "
              f"{'line CPU ms':>12} {'typed CPU ms':>13} {'entry CPU ms':>13} {'quoted CPU ms':>14} "
              f"{'inline CPU ms':>14} {'opened CPU ms':>14} {'findings':>9}")
        for name in args.only or files:
            path = folder / name
            for label, server in servers.items():
                row = run(ENGINE.format(server=server, path=str(path), root=str(folder),
                                        edits=15 if name.endswith(".txt") else 3), args.timeout)
                row["mb"] = path.stat().st_size / 1024 / 1024
                results[f"{name} {label}".strip()] = row
                if "timeout_s" in row:
                    print(f"{name:<18} {label:<6} {row['mb']:>5.1f} not done in {args.timeout:.0f} s")
                    continue
                print(f"{name:<18} {label:<6} {row['mb']:>5.1f} {row['load_ms']:>14.0f} "
                      f"{row['load_cpu_ms']:>6.0f} {row['first_ms']:>9.0f} {row['first_cpu_ms']:>6.0f} "
                      f"{row['again_ms']:>9.0f} {_ms(row.get('view_cpu_ms')):>12} "
                      f"{_ms(row.get('rest_cpu_ms')):>12} {row['edit_cpu_ms']:>12.1f} "
                      f"{row['enter_cpu_ms']:>13.1f} "
                      f"{_ms(row['line_cpu_ms']):>12} {_ms(row.get('typed_cpu_ms')):>13} "
                      f"{_ms(row.get('entry_cpu_ms')):>13} {_ms(row.get('quoted_cpu_ms')):>14} "
                      f"{_ms(row.get('inline_cpu_ms')):>14} {_ms(row.get('opened_cpu_ms')):>14} "
                      f"{row['findings']:>9}")
        if not args.no_pip:
            pip = run(PIP.format(path=str(folder / "requirements.txt")), args.timeout)
            results["pip_parse"] = pip
            print(f"pip's own parser on requirements.txt (parse only): {pip['parse_ms']:.0f} ms "
                  f"(CPU {pip['parse_cpu_ms']:.0f} ms), {pip['requirements']} requirements")
        if args.lsp:
            results["lsp"] = lsp(folder)
        print(json.dumps(results))
    finally:
        if args.keep:
            shutil.copytree(folder, args.keep, dirs_exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def lsp(folder: Path) -> dict:
    """Open + keystroke latency through bench/lsp_bench.py: Bastion on the requirements file,
    ruff server on a Python file of the same size, in the same run."""
    bench = ROOT / "bench" / "lsp_bench.py"
    python_file = folder / "big.py"
    size = (folder / "requirements.txt").stat().st_size
    python_file.write_text("def f():\n    x = 1\n" + "".join(
        f"value_{i} = {i}\n" for i in range(size // 16)))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "server"), BASTION_NO_CACHE="1")
    runs = {
        "bastion requirements.txt": [f"{sys.executable} -m bastion lsp", folder / "requirements.txt",
                                     ["--line", "3", "--snippet", "requests==2.19.0"]],
        "ruff server big.py": ["ruff server", python_file, ["--line", "1"]],
    }
    out = {}
    for label, (command, path, extra) in runs.items():
        if command.startswith("ruff") and shutil.which("ruff") is None:
            continue
        done = subprocess.run([sys.executable, str(bench), "--server", command, "--file", str(path),
                               "--edits", "32", "--wait", "--quiet", *extra], capture_output=True,
                              text=True, timeout=900, env=env, cwd=folder)
        lines = done.stdout.strip().splitlines()
        out[label] = json.loads(lines[-1]) if done.returncode == 0 and lines else {
            "error": done.stderr[-500:]}
        row = out[label]
        if "error" not in row:
            print(f"{label:<26} open {row.get('cold_ms', 0):>7.0f} ms  key p50 "
                  f"{row.get('p50_ms', 0):>6.1f} ms  p95 {row.get('p95_ms', 0):>6.1f} ms")
        else:
            print(f"{label:<26} failed: {row['error'][-200:]}")
    return out


if __name__ == "__main__":
    sys.exit(main())
