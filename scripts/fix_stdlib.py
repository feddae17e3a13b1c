"""Apply every offered fix to the Python standard library's own findings, in memory.

    python scripts/fix_stdlib.py [DIR] [--jobs 2] [--limit N] [--no-tests] [--no-fix-all]

For every .py file under DIR (default: the running interpreter's stdlib, site-packages
excluded; --no-tests also skips test folders), each finding's fixes are computed and verified
as the editor does; every fix that is offered is then applied on its own and checked
independently of the verifier: the whole module must still parse (`ast.parse`), and a fresh
analysis must no longer report the targeted finding in the rewritten statement. With fix-all
(default), all fixes of a file (safe and review) are also applied together and the result must
parse. Prints the counts; exits 1 if a fixed file does not parse or a finding is not gone.
"""

from __future__ import annotations

import argparse
import ast
import multiprocessing
import os
import sys
import sysconfig
import time
from collections import Counter
from pathlib import Path

SKIP = {"site-packages", "dist-packages", "__pycache__"}


def python_files(root: Path, tests: bool) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP and (tests or d not in ("test", "tests"))
                         and not d.startswith("."))
        found.extend(Path(folder) / f for f in sorted(files) if f.endswith(".py"))
    return found


def check_file(path: Path, fix_all_too: bool) -> Counter:
    from bastion.config import Config
    from bastion.engine.registry import create_engine
    from bastion.files import UnreadableSource, read_source
    from bastion.fixes import DocModel, fix_all, verified
    from bastion.fixes.edits import apply_changes

    engine = _ENGINE.get("engine") or _ENGINE.setdefault("engine", create_engine())
    config = Config()
    counts: Counter = Counter()
    try:
        text = read_source(path).text
    except UnreadableSource:
        counts["unreadable files"] += 1
        return counts
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        counts["files that do not parse to begin with"] += 1
        return counts
    counts["files"] += 1
    analysis = engine.analyse(text, str(path), config)
    model = DocModel.build(text, engine)
    counts["findings"] += len(analysis.findings)
    for finding in analysis.findings:
        good, bad = verified(engine, model, config, str(path), finding)
        counts["rejected by verification"] += len(bad)
        for fix, reason in bad:
            counts[f"rejected {fix.rule_id}: {reason.split(' on line')[0]}"] += 1
        if good:
            counts["findings with a fix"] += 1
        for fix in good:
            counts["fixes applied"] += 1
            counts[f"applied {fix.rule_id} ({fix.safety})"] += 1
            new_text = "\n".join(apply_changes(model.lines, fix.changes))
            try:
                ast.parse(new_text)
            except (SyntaxError, ValueError) as exc:
                counts["files that no longer parse"] += 1
                print(f"NO PARSE {path}:{finding.line + 1} {fix.title}: {exc}", file=sys.stderr)
                continue
            after = engine.analyse(new_text, str(path), config)
            shift = sum(c.delta for c in fix.changes if c is not fix.statement
                        and c.start <= fix.statement.start)
            first = fix.statement.start + shift
            last = fix.statement.end + fix.statement.delta + shift
            before_n = sum(1 for f in analysis.findings if f.rule_id == finding.rule_id
                           and fix.statement.start <= f.line <= fix.statement.end)
            after_n = sum(1 for f in after.findings if f.rule_id == finding.rule_id
                          and first <= f.line <= last)
            if after_n >= before_n:
                counts["findings not gone"] += 1
                print(f"NOT GONE {path}:{finding.line + 1} {fix.title}", file=sys.stderr)
    if fix_all_too and counts["findings with a fix"]:
        both = frozenset({"safe", "review"})
        result = fix_all(engine, text, str(path), config, both, model=model, analysis=analysis)
        counts["fix-all fixes applied"] += len(result.applied)
        try:
            ast.parse(result.text)
        except (SyntaxError, ValueError) as exc:
            counts["files that no longer parse"] += 1
            print(f"NO PARSE (fix-all) {path}: {exc}", file=sys.stderr)
    return counts


_ENGINE: dict = {}


def _work(item: tuple[str, bool]) -> Counter:
    path, fix_all_too = item
    try:
        return check_file(Path(path), fix_all_too)
    except Exception as exc:  # noqa: BLE001  (report and go on)
        print(f"ERROR {path}: {exc!r}", file=sys.stderr)
        return Counter({"errors": 1})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", type=Path,
                        default=Path(sysconfig.get_paths()["stdlib"]))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--no-tests", dest="tests", action="store_false",
                        help="skip folders named test/tests")
    parser.add_argument("--no-fix-all", action="store_true")
    args = parser.parse_args(argv)
    files = python_files(args.root, args.tests)
    if args.limit:
        files = files[:args.limit]
    started = time.perf_counter()
    items = [(str(f), not args.no_fix_all) for f in files]
    total: Counter = Counter()
    if args.jobs > 1:
        with multiprocessing.Pool(args.jobs) as pool:
            for counts in pool.imap_unordered(_work, items, chunksize=4):
                total.update(counts)
    else:
        for item in items:
            total.update(_work(item))
    seconds = time.perf_counter() - started
    print(f"{args.root}: {total['files']} files analysed in {seconds:.0f} s")
    for key in ("findings", "findings with a fix", "fixes applied", "rejected by verification",
                "fix-all fixes applied", "files that no longer parse", "findings not gone",
                "errors", "files that do not parse to begin with", "unreadable files"):
        print(f"  {key:<28} {total[key]}")
    for key in sorted(k for k in total if k.startswith("applied ")):
        print(f"    {key:<40} {total[key]}")
    for key in sorted(k for k in total if k.startswith("rejected ")):
        if key != "rejected by verification":
            print(f"    {key:<60} {total[key]}")
    bad = total["files that no longer parse"] + total["findings not gone"] + total["errors"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))
    raise SystemExit(main())
