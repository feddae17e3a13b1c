"""Large and deep inputs: time and peak RSS of `bastion check` and of a whole-file engine
analysis (what the editor runs when a document is opened), with the documented bounds asserted.

Usage: python bench/large_inputs_bench.py [--server DIR] [--only NAME ...] [--timeout 120]
           [--no-assert] [--keep DIR] [--json]
`--server` is the `server/` folder of the code to measure (default: this checkout's), so the
same generated inputs can be run against an older commit (`--no-assert` for such a run); the
catalog is read from the `rules/` folder beside it (a copy of `server/` alone measures no taint).
Each measurement is its own process; peak RSS is that process's (`os.wait4`). Linux counts in
it the memory of the process that forked it, so this one never holds an input or a report: they
are generated and read by child processes. Prints a table and one JSON line. Bounds (BOUNDS
below) are generous for the project's shared 2-vCPU machines. A case may be a project (a
folder, `paths_8k`): it is checked as a folder, with no whole-file engine run. `--json` also
times `bastion check --format json` on each input, to compare with SARIF. `--keep DIR` generates
the inputs in DIR and leaves them there with their reports (NAME.sarif, NAME.json), to profile
one by hand or compare the reports of two `--server` runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SHELL_CALL = "import subprocess\nx = subprocess.call(cmd, shell=True)"


def _assignments(count: int) -> str:
    return "".join(f"value_{i} = {i}\n" for i in range(count))


def _findings(count: int) -> str:
    return "".join(f"r{i} = eval(data)\n" for i in range(count))


def _list_literal(size: int) -> str:
    items, total, i = [], 0, 0
    while total < size:
        item = f"{i}, "
        items.append(item)
        total += len(item)
        i += 1
    return "x = [" + "".join(items) + "]\n"


def _near_cap(size: int) -> str:
    block = ("def handler_{n}(request, cmd):\n"
             "    data = request.args.get('q', '')\n"
             "    if data:\n"
             "        return subprocess.call(cmd, shell=True)\n"
             "    return [item * 2 for item in range(10) if item % 3]\n\n\n")
    parts, total, n = ["import subprocess\n\n\n"], 0, 0
    while total < size:
        part = block.format(n=n)
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts)


def _tainted_views(count: int) -> str:
    """Flask views each passing request data to a shell: every B602 is judged by the taint
    verdicts and replaced by a taint finding (verdicts.py), so the verdicts meet `count` pattern
    findings and `count` taint findings."""
    view = ("@app.route('/r{n}')\n"
            "def r{n}():\n"
            "    command = request.args['c']\n"
            "    return str(subprocess.call(command, shell=True))\n\n\n")
    head = "import subprocess\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
    return head + "".join(view.format(n=n) for n in range(count))


HELPERS = """import subprocess


def build(prefix, value):
    cleaned = value.strip()
    return prefix + cleaned


def run_shell(command):
    line = command + " 2>&1"
    return subprocess.call(line, shell=True)
"""
# Seven-step paths: through a helper's return (`build`), or into a helper's sink (`run_shell`:
# the path's last steps are in helpers.py).
PATH_VIEWS = ("@app.route('/r{n}')\n"
              "def r{n}():\n"
              "    raw = request.args['c']\n"
              "    first = raw.lower()\n"
              "    command = build('ls ', first)\n"
              "    full = command + ' -l'\n"
              "    return str(subprocess.call(full, shell=True))\n\n\n"
              "@app.route('/s{n}')\n"
              "def s{n}():\n"
              "    raw = request.args['c']\n"
              "    first = raw.lower()\n"
              "    command = 'ls ' + first\n"
              "    full = command + ' -l'\n"
              "    return str(run_shell(full))\n\n\n")


def _taint_project(findings: int, modules: int = 40) -> dict[str, str]:
    """A package of `modules` view modules with `findings` taint findings in all, each path of
    seven steps, half of them ending in another module."""
    head = ("import subprocess\n\nfrom flask import Flask, request\n\n"
            "from app.helpers import build, run_shell\n\napp = Flask(__name__)\n\n\n")
    pairs = findings // modules // 2
    files = {"app/__init__.py": "", "app/helpers.py": HELPERS}
    for m in range(modules):
        files[f"app/views_{m}.py"] = head + "".join(PATH_VIEWS.format(n=n) for n in range(pairs))
    return files


def _nested_calls(depth: int) -> str:
    return SHELL_CALL + "\ny = " + "f(" * depth + ")" * depth + "\nz = eval(w)\n"


# name -> (generator, what the README calls it)
CASES = {
    "assign_200k": (lambda: _assignments(200_000), "200k one-line assignments"),
    "findings_50k": (lambda: _findings(50_000), "50k findings (B307) in one file"),
    "list_2mb": (lambda: _list_literal(2 * 1024 * 1024), "2 MB list literal on one line"),
    "near_cap_7mb": (lambda: _near_cap(7 * 1024 * 1024), "7 MB of functions (under the 8 MiB cap)"),
    "over_cap_10mb": (lambda: _near_cap(10 * 1024 * 1024), "10 MB file (over the cap)"),
    "sum_1k": (lambda: SHELL_CALL + " + 0" * 1_000 + "\n", "shell=True call + 1,000 terms"),
    "sum_3k": (lambda: SHELL_CALL + " + 0" * 3_000 + "\n", "shell=True call + 3,000 terms"),
    "sum_100k": (lambda: SHELL_CALL + "\ny = 0" + " + 0" * 100_000 + "\nz = eval(w)\n",
                 "sum of 100k terms"),
    "attr_100k": (lambda: SHELL_CALL + "\ny = a" + ".b" * 100_000 + "\nz = eval(w)\n",
                  "attribute chain of 100k"),
    "calls_20k": (lambda: _nested_calls(20_000), "20k nested calls"),
    "views_4k": (lambda: _tainted_views(4_000), "4k views with a tainted shell call"),
    "paths_8k": (lambda: _taint_project(8_000), "a project with 8k seven-step taint paths"),
    "paths_32k": (lambda: _taint_project(32_000), "a project with 32k seven-step taint paths"),
}

# name -> (check seconds, check MB, engine seconds, engine MB): the documented bounds.
BOUNDS: dict[str, tuple[float, float, float | None, float | None]] = {
    "assign_200k": (120, 800, 120, 800),
    "findings_50k": (150, 500, 150, 500),
    "list_2mb": (40, 500, 40, 500),
    "near_cap_7mb": (300, 2000, 300, 2000),
    "over_cap_10mb": (10, 100, 10, 100),
    "sum_1k": (15, 100, 15, 100),
    "sum_3k": (15, 100, 15, 100),
    "sum_100k": (40, 200, 40, 200),
    "attr_100k": (40, 200, 40, 200),
    "calls_20k": (15, 100, 15, 100),
    "views_4k": (60, 500, 60, 500),
    "paths_8k": (120, 600, None, None),  # a project: no whole-file engine run
    "paths_32k": (300, 1000, None, None),
}

# A whole-file analysis as the editor runs it on didOpen (unit caches on, no disk cache),
# configuration applied; the file size cap is the server's as well once `limits` exists.
ENGINE_SCRIPT = r"""
import json, sys
from bastion.config import Config
from bastion.engine.engine import apply_config
from bastion.engine.registry import create_engine
from bastion.model.text import split_lines
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
try:
    from bastion.limits import MAX_FILE_BYTES
except ImportError:
    MAX_FILE_BYTES = None
if MAX_FILE_BYTES is not None and len(text.encode()) > MAX_FILE_BYTES:
    print(json.dumps({"findings": 0, "errors": ["too large"], "rules": []}))
    sys.exit(0)
engine = create_engine()
analysis = apply_config(engine.analyse_raw(text, path, lines=split_lines(text), use_disk=False),
                        path, Config())
print(json.dumps({"findings": len(analysis.findings), "errors": [str(e) for e in analysis.errors],
                  "rules": sorted({f.rule_id for f in analysis.findings})}))
"""


def measure(argv: list[str], env: dict[str, str], timeout: float, out_path: Path | None = None
            ) -> dict:
    """Seconds, peak RSS (MB), exit status and stdout of one process; None times on timeout."""
    stdout = open(out_path, "wb") if out_path else subprocess.PIPE
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE, env=env)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            return {"seconds": None, "mb": usage.ru_maxrss / 1024, "status": "timeout",
                    "stdout": "", "stderr": ""}
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    output = b"" if out_path else proc.stdout.read()
    if out_path:
        stdout.close()
    return {"seconds": seconds, "mb": usage.ru_maxrss / 1024, "status": proc.returncode,
            "stdout": output.decode(errors="replace"), "stderr": proc.stderr.read().decode(
                errors="replace")[-2000:]}


SARIF_SUMMARY = r"""
import json, sys
try:
    doc = json.load(open(sys.argv[1], encoding="utf-8"))
    run = doc["runs"][0]
    print(json.dumps({"check_complete": run["invocations"][0]["executionSuccessful"],
                      "check_rules": sorted({r["ruleId"] for r in run["results"]})}))
except (OSError, ValueError, KeyError, IndexError):
    print("{}")
"""


def run_case(name: str, folder: Path, server: Path, timeout: float, with_json: bool,
             keep: bool) -> dict:
    subprocess.run([sys.executable, __file__, "--generate", name, str(folder)], check=True)
    project = (folder / name).is_dir()
    source = folder / name if project else folder / f"{name}.py"
    env = {**os.environ, "PYTHONPATH": str(server), "BASTION_NO_CACHE": "1"}
    sarif = folder / f"{name}.sarif"
    check = _check(source, "sarif", sarif, env, timeout)
    result = {"name": name, "bytes": _size(source),
              "check_s": check["seconds"], "check_mb": check["mb"], "check_status": check["status"],
              "sarif_mb": sarif.stat().st_size / 2**20 if sarif.exists() else None,
              "engine_s": None, "engine_mb": None}
    if with_json:
        report = folder / f"{name}.json"
        plain = _check(source, "json", report, env, timeout)
        result.update({"json_s": plain["seconds"], "json_mb": plain["mb"],
                       "json_report_mb": report.stat().st_size / 2**20 if report.exists() else None})
        if not keep:
            report.unlink(missing_ok=True)
    if not project:
        engine = measure([sys.executable, "-c", ENGINE_SCRIPT, str(source)], env, timeout)
        result.update({"engine_s": engine["seconds"], "engine_mb": engine["mb"]})
        try:
            result.update(json.loads(engine["stdout"]))
        except ValueError:
            result["engine_failure"] = (engine["stderr"].strip().splitlines() or [
                str(engine["status"])])[-1][:200]
    summary = json.loads(subprocess.run([sys.executable, "-c", SARIF_SUMMARY, str(sarif)],
                                        capture_output=True, text=True, check=True).stdout)
    result.update(summary)
    if not summary:
        result["check_failure"] = (check["stderr"].strip().splitlines() or [
            str(check["status"])])[-1][:200]
    if keep:
        return result
    if project:
        shutil.rmtree(source)
    else:
        source.unlink()
    sarif.unlink(missing_ok=True)
    return result


def _check(source: Path, output_format: str, report: Path, env: dict[str, str],
           timeout: float) -> dict:
    return measure([sys.executable, "-m", "bastion", "check", "--no-cache", "--jobs", "1",
                    "--fail-on", "never", "--format", output_format, "-o", str(report),
                    str(source)], env, timeout)


def _size(source: Path) -> int:
    if source.is_dir():
        return sum(p.stat().st_size for p in source.rglob("*.py"))
    return source.stat().st_size


def _generate(name: str, folder: Path) -> None:
    made = CASES[name][0]()
    if isinstance(made, str):
        (folder / f"{name}.py").write_text(made, encoding="utf-8")
        return
    for relative, text in made.items():
        path = folder / name / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def violations(result: dict) -> list[str]:
    check_s, check_mb, engine_s, engine_mb = BOUNDS[result["name"]]
    problems = []
    for key, bound in (("check_s", check_s), ("engine_s", engine_s)):
        if bound is not None and (result[key] is None or result[key] > bound):
            problems.append(f"{key} {result[key]} > {bound}")
    for key, bound in (("check_mb", check_mb), ("engine_mb", engine_mb)):
        if bound is not None and result[key] > bound:
            problems.append(f"{key} {result[key]:.0f} > {bound}")
    if "check_complete" not in result:
        problems.append(f"check wrote no SARIF: {result.get('check_failure')}")
    if "engine_failure" in result and engine_s is not None:
        problems.append(f"engine failed: {result['engine_failure']}")
    return problems


def _fmt(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def main() -> int:
    if sys.argv[1:2] == ["--generate"]:
        _generate(sys.argv[2], Path(sys.argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", type=Path, default=ROOT / "server")
    parser.add_argument("--only", nargs="*", choices=sorted(CASES))
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--no-assert", action="store_true")
    parser.add_argument("--json", action="store_true",
                        help="also time `bastion check --format json` (for comparison)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="generate the inputs in DIR and keep them and their reports")
    args = parser.parse_args()
    names = args.only or list(CASES)
    results, failed = [], []
    print("| input | bytes | check s | check MB | SARIF MB | JSON s / MB / report MB | engine s | "
          "engine MB | findings | complete | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with contextlib.nullcontext(str(args.keep)) if args.keep else tempfile.TemporaryDirectory(
            prefix="bastion-large-") as tmp:
        for name in names:
            result = run_case(name, Path(tmp), args.server.resolve(), args.timeout, args.json,
                              args.keep is not None)
            results.append(result)
            errors = result.get("errors") or [result.get("engine_failure", "")]
            print(f"| {name} | {result['bytes']} | {_fmt(result['check_s'], 2)} | "
                  f"{_fmt(result['check_mb'], 0)} | {_fmt(result['sarif_mb'])} | "
                  f"{_fmt(result.get('json_s'), 2)} / {_fmt(result.get('json_mb'), 0)} / "
                  f"{_fmt(result.get('json_report_mb'))} | "
                  f"{_fmt(result['engine_s'], 2)} | {_fmt(result['engine_mb'], 0)} | "
                  f"{result.get('findings', '—')} | {result.get('check_complete', '—')} | "
                  f"{'; '.join(e for e in errors if e)[:80]} |", flush=True)
            problems = violations(result)
            if problems:
                failed.append((name, problems))
    print(json.dumps(results))
    if failed and not args.no_assert:
        for name, problems in failed:
            print(f"BOUND EXCEEDED: {name}: {'; '.join(problems)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
