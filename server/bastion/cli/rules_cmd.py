"""`bastion rules validate [DIR]` and `bastion rules list`: the rule catalog from a terminal.

`validate` exits 1 when any rule file has a problem (CI runs it), 0 when the catalog is clean.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bastion.catalog.schema import LEVELS

EXIT_CLEAN, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def add_parser(sub) -> None:
    parser = sub.add_parser("rules", help="list or validate the rule catalog",
                            description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="rules_command", metavar="ACTION")

    validate = actions.add_parser("validate", help="check every rule file; exit 1 on any problem")
    validate.add_argument("directory", nargs="?", type=Path, metavar="DIR",
                          help="folder of rule files (default: the shipped rules)")
    validate.set_defaults(func=run_validate)

    listing = actions.add_parser("list", help="show the rules: id, severity, CWE, title")
    listing.add_argument("--tag", help="only rules with this tag")
    listing.add_argument("--severity", choices=LEVELS, help="only rules of this severity")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(func=run_list)

    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def run_validate(args: argparse.Namespace) -> int:
    from bastion.analyzers.taint.model_files import validate_models
    from bastion.catalog.loader import rule_files, shown_path, validate_catalog
    from bastion.catalog.paths import rules_dir
    from bastion.catalog.schema import SchemaError
    from bastion.engine.registry import create_engine

    directory: Path = args.directory or rules_dir()
    errors = validate_catalog(directory, create_engine().rule_names)
    if (directory / "taint").is_dir():
        # Taint models (sources, sinks, ...) are not rules: checked against their own schema.
        errors = [*errors, *(SchemaError(f"{shown_path(directory / 'taint')}/{p.file}", p.field,
                                         p.message) for p in validate_models(directory / "taint"))]
    for error in errors:
        print(error)
    files = len(rule_files(directory)) if directory.is_dir() else 0
    bad_files = len({e.file for e in errors})
    where = shown_path(directory)
    if errors:
        print(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in {bad_files} "
              f"file{'s' if bad_files != 1 else ''} ({files} rule files in {where})")
        return EXIT_INVALID
    print(f"{files} rule file{'s' if files != 1 else ''} in {where}: all valid")
    return EXIT_CLEAN


def run_list(args: argparse.Namespace) -> int:
    from bastion.catalog import index

    specs = [spec for spec in index.load_catalog().all()
             if (args.tag is None or args.tag.lower() in spec.tags)
             and (args.severity is None or spec.severity == args.severity)]
    if args.format == "json":
        rows = [{"id": s.id, "name": s.name, "title": s.title, "severity": s.severity,
                 "confidence": s.confidence, "cwe": s.cwe.id, "owasp": s.owasp,
                 "tags": list(s.tags)} for s in specs]
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_CLEAN
    rows = [("ID", "SEVERITY", "CWE", "TITLE")]
    rows += [(s.id, s.severity, f"CWE-{s.cwe.id}", s.title) for s in specs]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
        print("  ".join([*cells, row[3]]))
    print(f"{len(specs)} rule{'s' if len(specs) != 1 else ''}", file=sys.stderr)
    return EXIT_CLEAN
