"""`bastion check [PATH...]`: the same engine and config as the editor, for terminals and CI.

Exit status: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage, config,
baseline, git or output error, 3 a file was not (fully) analysed, whatever --fail-on says
(details at the end of --help and in docs/ci.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TextIO

import attrs

from bastion.cli.output import OutputError, ReportTarget
from bastion.config import ConfigError, config_for_path
from bastion.filekinds import named_kind
from bastion.files import UnreadableSource, iter_source_files, read_source
from bastion.report.escape import escape_control
from bastion.report.results import CheckResults, FileResult
from bastion.scan import ROOT_NAME, ScanItem, default_jobs, scan, unread

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_NOT_ANALYSED = 0, 1, 2, 3


def add_parser(sub) -> None:
    parser = sub.add_parser("check", help="analyse files and folders, print findings",
                            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    parser.add_argument("--output-format", "--format", dest="format", default="text",
                        choices=("text", "concise", "json", "sarif", "github"),
                        help="concise: text without hints; github: GitHub Actions annotations "
                             "(::error file=...::message). --format is the older spelling")
    parser.add_argument("--statistics", action="store_true",
                        help="instead of the findings, their count per rule (text output)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="text output: the findings and errors only (no hints, no summary)")
    from bastion.cli.check_options import add_arguments as add_rule_arguments

    add_rule_arguments(parser)  # --select, --ignore, --severity, --exclude and the like
    from bastion.cli.gate import add_arguments as add_gate_arguments

    add_gate_arguments(parser)  # --fail-on, --fail-on-confidence, --baseline, --diff-base
    parser.add_argument("--config", type=Path, help="pyproject.toml to use instead of the nearest one")
    parser.add_argument("--output", "-o", type=Path,
                        help="write the report to this file (atomically; never through a symlink "
                             "or over a scanned file)")
    parser.add_argument("--no-hints", action="store_true",
                        help="text output: no lesson hint (by default one, under a rule's first "
                             "finding)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--jobs", "-j", type=_jobs, default=None,
                        help="worker processes, at least 1 (default and most: one per available "
                             "core, and no more than the files to analyse)")
    parser.add_argument("--no-cache", action="store_true",
                        help="do not read or write the persistent result cache")
    parser.add_argument("--fix", action="store_true",
                        help="apply safe fixes to the files (verified; written atomically), "
                             "then report what is left")
    parser.add_argument("--unsafe-fixes", action="store_true",
                        help="with --fix or --diff: also apply fixes labelled review")
    parser.add_argument("--diff", action="store_true",
                        help="print the fixes as a unified diff instead of writing them")
    parser.set_defaults(func=run)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {value!r}")
    return jobs


def run(args: argparse.Namespace) -> int:
    from bastion.catalog.paths import missing_rules
    from bastion.cli.check_options import apply, overrides
    from bastion.cli.gate import Gate, GateError
    from bastion.engine.registry import create_engine

    problem = missing_rules()  # a broken install: no rule ran, which must not pass as clean
    if problem is not None:
        print(f"bastion: error: {problem}", file=sys.stderr)
        return EXIT_ERROR
    try:
        given = overrides(args)
    except ConfigError as exc:
        print(f"bastion: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        target = ReportTarget.check(args.output)
        if args.diff:
            ReportTarget.check(None)  # the diff goes to standard output
        gate = Gate.prepare(args)  # baseline, --diff-base and --fail-on, checked before analysis
    except (GateError, OutputError) as exc:
        print(f"bastion: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    scanned: list[str] = []
    walked: list[tuple[str, tuple[str, ...]]] = []  # (path, the folders it must lie in)
    if args.jobs is not None and args.jobs > default_jobs():
        print(f"bastion: note: --jobs {args.jobs}: using {default_jobs()} worker(s), one per "
              "available core (more would only compete for them)", file=sys.stderr)
    results = CheckResults()
    fixing = FixRun(args) if (args.fix or args.diff) else None
    engine = create_engine(disk_cache=not args.no_cache) if fixing is not None else None
    if engine is not None:
        from bastion.analyzers.taint.workspace_attach import attach

        engine.set_roots(args.paths, ROOT_NAME)
        attach(engine, args.paths)
    items: list[ScanItem] = []
    if args.unsafe_fixes and fixing is None:
        print("bastion: warning: --unsafe-fixes has no effect without --fix or --diff",
              file=sys.stderr)
    if args.statistics and args.format not in ("text", "concise"):
        print(f"bastion: warning: --statistics has no effect on --output-format {args.format}",
              file=sys.stderr)
    started = time.perf_counter()
    for raw in args.paths:
        root = Path(raw)
        if not root.exists():
            print(f"bastion: error: {escape_control(raw)}: no such file or folder", file=sys.stderr)
            return EXIT_ERROR
        if not root.is_dir() and named_kind(root) is None:
            # Read as Python, a README would only list the lines that do not parse.
            print(f"bastion: warning: {escape_control(raw)}: skipped, not a file Bastion reads "
                  "(Python sources, dependency manifests and lock files, .env, YAML, JSON, TOML, "
                  "INI, shell scripts, Dockerfiles)", file=sys.stderr)
            continue
        try:
            config, warnings = config_for_path(root, args.config)
        except ConfigError as exc:
            print(f"bastion: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        for warning in warnings:
            print(f"bastion: warning: {warning}", file=sys.stderr)
        config = apply(config, given)
        absolute = root.is_absolute()
        # A file named on the command line is read wherever it links to (the user chose it);
        # one found in a named folder only if it really lies in that folder.
        within = (str(root),) if root.is_dir() else ()
        for path in iter_source_files(root, config):
            scanned.append(str(path))
            walked.append((str(path), within))
            shown = str(path) if absolute else os.path.relpath(path)
            if fixing is None:
                items.append(ScanItem(str(path), shown, config, within))
                continue
            try:
                source = read_source(path, within)
            except UnreadableSource as exc:
                outcome = unread(ScanItem(str(path), shown, config, within), exc)
                if outcome.analysis is None:
                    results.errors.append((shown, outcome.error))
                else:
                    _add_file(results, shown, 0, outcome.analysis)
                continue
            source = fixing.fix(engine, path, shown, config, source, results)
            analysis = engine.analyse(source.text, str(path), config)
            _add_file(results, shown, source.text.count("\n") + 1, analysis, text=source.text)
    try:
        target.refuse_scanned(scanned)
    except OutputError as exc:
        print(f"bastion: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    # Without fixes, files are analysed across processes through the persistent result cache.
    for outcome in scan(items, jobs=args.jobs, use_cache=not args.no_cache, roots=args.paths):
        if outcome.analysis is None:
            results.errors.append((outcome.item.shown, outcome.error or "skipped"))
        else:
            _add_file(results, outcome.item.shown, outcome.lines, outcome.analysis,
                      path=outcome.item.path)
    results.seconds = time.perf_counter() - started
    if fixing is not None:
        fixing.summary()
        if args.diff:
            return EXIT_FINDINGS if fixing.fixed else EXIT_CLEAN
    try:
        gate.apply(results, fingerprint_all=args.format == "sarif")
    except GateError as exc:
        print(f"bastion: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        target.write(lambda out: _write(results, args, out, gate))
    except OutputError as exc:
        print(f"bastion: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    gate.notes(sys.stderr)
    _advisory_index_age(walked)
    if results.not_analysed():
        # An incomplete scan is never a pass, not even with --fail-on never.
        return EXIT_NOT_ANALYSED
    return gate.exit_code(results)  # --fail-on severity and --fail-on-confidence


def _advisory_index_age(scanned: list[tuple[str, tuple[str, ...]]]) -> None:
    """One hint at the end, not one per finding, when manifests that declare dependencies were
    checked against an advisory index more than 30 days old."""
    from bastion.filekinds import FileKind, kind_of

    manifests = (FileKind.REQUIREMENTS, FileKind.PYPROJECT, FileKind.LOCK)
    if not any(kind_of(path) in manifests and _declares_dependencies(path, within)
               for path, within in scanned):
        return
    from bastion.deps import store
    from bastion.deps.index import InvalidIndex

    try:
        hint = store.stale_hint(store.load())
    except InvalidIndex:
        return  # each manifest already says "not analysed" with the reason
    if hint:
        print(f"bastion: hint: {hint}", file=sys.stderr)


def _declares_dependencies(path: str, within: tuple[str, ...]) -> bool:
    from bastion.deps.analysis import declares_dependencies

    try:
        return declares_dependencies(path, read_source(path, within).text)
    except UnreadableSource:
        return False  # reported as skipped with the reason already


def _add_file(results: CheckResults, shown: str, line_count: int, analysis, *,
              text: str | None = None, path: str | None = None) -> None:
    results.scanned_lines += line_count
    results.files.append(FileResult(shown, analysis))
    if analysis.broken:
        # Imported here: its parser (libcst) is a fifth of a cached scan's start-up, and only
        # files that do not parse need it.
        from bastion.engine.syntax_version import newer_syntax_message

        needed = _newer_syntax(text, path)
        if needed is not None:
            results.errors.append((shown, newer_syntax_message(needed)))
            return
    for start, end in analysis.broken:
        results.errors.append((shown, f"lines {start + 1}-{end + 1} do not parse; "
                                      "findings there are not reported"))


def _newer_syntax(text: str | None, path: str | None):
    """The newer Python a file that does not parse needs: its `text`, else the scanned file at
    `path` read again (scans keep no text; this happens only for files that do not parse)."""
    from bastion.engine.syntax_version import newer_syntax

    if text is None:
        try:
            text = read_source(path).text
        except UnreadableSource:
            return None
    return newer_syntax(text)


class FixRun:
    """--fix / --diff: fix each file before it is analysed for the report."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.fixed = 0  # fixes applied (or shown)
        self.files = 0
        self.rejected = 0
        self.skipped: list[str] = []

    def fix(self, engine, path: Path, shown: str, config, source, results):
        from bastion.fixes.files import (
            NotWritten,
            fix_text,
            read_snapshot,
            unified_diff,
            write_atomic,
        )
        from bastion.fixes.planner import describe
        try:
            snapshot = read_snapshot(path)
        except UnreadableSource:
            return source
        outcome = fix_text(engine, snapshot, config, self.args.unsafe_fixes)
        self.rejected += len(outcome.rejected)
        if not outcome.applied or outcome.text == snapshot.text:
            return source
        if self.args.diff:
            sys.stdout.write(describe(outcome.applied))
            sys.stdout.write(unified_diff(snapshot, outcome.text, shown.replace(os.sep, "/")))
            self.fixed += len(outcome.applied)
            self.files += 1
            return source
        try:
            write_atomic(snapshot, outcome.text, roots=self.args.paths or ["."])
        except (NotWritten, OSError) as exc:
            results.errors.append((shown, f"not fixed: {exc}"))
            self.skipped.append(shown)
            return source
        self.fixed += len(outcome.applied)
        self.files += 1
        return attrs.evolve(source, text=outcome.text)

    def summary(self) -> None:
        verb = "Would fix" if self.args.diff else "Fixed"
        kinds = "safe and review" if self.args.unsafe_fixes else "safe"
        line = f"{verb} {self.fixed} issue{'s' if self.fixed != 1 else ''} in {self.files} " \
               f"file{'s' if self.files != 1 else ''} ({kinds} fixes)"
        if self.skipped:
            line += f"; {len(self.skipped)} file(s) not written (see the errors)"
        print(f"bastion: {line}.", file=sys.stderr)


def _catalog():
    try:
        from bastion.catalog.index import load_catalog
    except ImportError:
        return None
    return load_catalog()


def _write(results: CheckResults, args: argparse.Namespace, out: TextIO, gate=None) -> None:
    if args.format == "json":
        from bastion.report.json_report import write_json
        write_json(results, out)
    elif args.format == "sarif":
        from bastion.report.sarif import write_sarif
        write_sarif(results, out, _catalog(), Path.cwd(),
                    **(gate.sarif_extra() if gate is not None else {}))
    elif args.format == "github":
        from bastion.report.github import write_github
        catalog = _catalog()
        write_github(results, out, catalog.hints() if catalog is not None else {})
    elif args.statistics:
        from bastion.report.text import write_statistics
        write_statistics(results, out)
    else:
        from bastion.report.text import write_text
        colour = args.color == "always" or (
            args.color == "auto" and out.isatty() and not os.environ.get("NO_COLOR"))
        from bastion.catalog.index import quick_hints
        hinted = not (args.no_hints or args.quiet or args.format == "concise")
        hints = quick_hints(f.rule_id for _, f in results.findings()) if hinted else {}
        write_text(results, out, hints, colour, summary=not args.quiet)
