"""`bastion check [PATH...]`: the same engine and config as the editor, for terminals and CI.

Exit status: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage or config error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from bastion.config import ConfigError, config_for_path
from bastion.files import UnreadableSource, iter_python_files, read_source
from bastion.model import Level
from bastion.report.results import CheckResults, FileResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def add_parser(sub) -> None:
    parser = sub.add_parser("check", help="analyse files and folders, print findings",
                            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    parser.add_argument("--fail-on", choices=("low", "medium", "high", "never"), default="low",
                        help="exit 1 when a finding of this severity or higher is reported (default: low)")
    parser.add_argument("--config", type=Path, help="pyproject.toml to use instead of the nearest one")
    parser.add_argument("--output", "-o", type=Path, help="write the report to this file")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bastion.engine.registry import create_engine

    results = CheckResults()
    engine = create_engine()
    started = time.perf_counter()
    for raw in args.paths:
        root = Path(raw)
        if not root.exists():
            print(f"bastion: error: {raw}: no such file or folder", file=sys.stderr)
            return EXIT_ERROR
        try:
            config, warnings = config_for_path(root, args.config)
        except ConfigError as exc:
            print(f"bastion: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        for warning in warnings:
            print(f"bastion: warning: {warning}", file=sys.stderr)
        for path in iter_python_files(root, config):
            shown = os.path.relpath(path) if not Path(raw).is_absolute() else str(path)
            try:
                source = read_source(path)
            except UnreadableSource as exc:
                results.errors.append((shown, f"skipped: {exc}"))
                continue
            analysis = engine.analyse(source.text, str(path), config)
            lines = source.text.split("\n")
            results.scanned_lines += len(lines)
            results.files.append(FileResult(shown, lines, analysis))
            for start, end in analysis.broken:
                results.errors.append((shown, f"lines {start + 1}-{end + 1} do not parse; "
                                              "findings there are not reported"))
    results.seconds = time.perf_counter() - started
    _write(results, args)
    if args.fail_on == "never":
        return EXIT_CLEAN
    return EXIT_FINDINGS if results.count_at_least(Level.parse(args.fail_on)) else EXIT_CLEAN


def _catalog():
    try:
        from bastion.catalog.index import load_catalog
    except ImportError:
        return None
    return load_catalog()


def _write(results: CheckResults, args: argparse.Namespace) -> None:
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        if args.format == "json":
            from bastion.report.json_report import write_json
            write_json(results, out)
        elif args.format == "sarif":
            from bastion.report.sarif import write_sarif
            write_sarif(results, out, _catalog(), Path.cwd())
        else:
            from bastion.report.text import write_text
            colour = args.color == "always" or (
                args.color == "auto" and out.isatty() and not os.environ.get("NO_COLOR"))
            catalog = _catalog()
            hints = catalog.hints() if catalog is not None else {}
            write_text(results, out, hints, colour)
    finally:
        if args.output:
            out.close()
