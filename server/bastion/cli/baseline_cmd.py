"""`bastion baseline create|update [PATH...]`: accept today's findings, gate only new ones.

  bastion baseline create [PATH...] [-o FILE]   record every finding reported now
  bastion baseline update [PATH...] [-o FILE]   drop entries whose finding is gone (fixed,
                                                suppressed, file deleted); never adds any

The file (default: `[tool.bastion] baseline`, else .bastion-baseline.json at the project root,
the folder of the nearest pyproject.toml) is sorted JSON, one entry per finding: path relative
to the project root, rule, fingerprint, line and message. Commit it; `bastion check` and the
editor then report only findings that are not in it. Entries match by path + rule +
fingerprint, so moved lines, re-indentation and reformatting keep them matched.

Exit status: 0 written, 2 usage, configuration or baseline error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from bastion.baseline import (
    DEFAULT_NAME,
    MAX_BYTES,
    BaselineError,
    Entry,
    configured_path,
    dumps,
    entries_for,
    fingerprints,
    legacy_prints,
    load_baseline,
    project_root,
    root_field,
    write_baseline,
)
from bastion.config import ConfigError, config_for_path
from bastion.files import UnreadableSource, iter_source_files, read_limited, read_source
from bastion.report.results import CheckResults, FileResult

EXIT_OK, EXIT_ERROR = 0, 2


def add_parser(sub) -> None:
    parser = sub.add_parser("baseline",
                            help="record known findings so that CI fails only on new ones",
                            description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="baseline_action", metavar="ACTION")
    create = actions.add_parser("create", help="write a baseline with every finding reported now")
    update = actions.add_parser("update", help="remove entries whose finding is gone (never adds)")
    for action, func in ((create, run_create), (update, run_update)):
        action.add_argument("paths", nargs="*", default=["."], metavar="PATH")
        action.add_argument("--output", "--file", "-o", dest="file", type=Path, metavar="FILE",
                            help=f"the baseline file (default: [tool.bastion] baseline, else "
                                 f"{DEFAULT_NAME} at the project root)")
        action.add_argument("--config", type=Path,
                            help="pyproject.toml to use instead of the nearest one")
        action.add_argument("--jobs", "-j", type=int, default=None,
                            help="worker processes (default: one per available core)")
        action.add_argument("--no-cache", action="store_true",
                            help="do not read or write the persistent result cache")
        action.set_defaults(func=func)
    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_ERROR


class _Failed(Exception):
    pass


def _analyse(args: argparse.Namespace) -> CheckResults:
    """The same analysis as `bastion check` (same engine, configuration and files)."""
    from bastion.catalog.paths import missing_rules
    from bastion.scan import ScanItem, scan

    problem = missing_rules()  # a baseline of no rule's findings would hide every one
    if problem is not None:
        raise _Failed(problem)
    results = CheckResults()
    items: list[ScanItem] = []
    for raw in args.paths:
        root = Path(raw)
        if not root.exists():
            raise _Failed(f"{raw}: no such file or folder")
        try:
            config, warnings = config_for_path(root, args.config)
        except ConfigError as exc:
            raise _Failed(str(exc)) from None
        for warning in warnings:
            print(f"bastion: warning: {warning}", file=sys.stderr)
        within = (str(root),) if root.is_dir() else ()  # as `bastion check` reads them
        for path in iter_source_files(root, config):
            shown = os.path.relpath(path) if not root.is_absolute() else str(path)
            items.append(ScanItem(str(path), shown, config, within))
    for outcome in scan(items, jobs=args.jobs, use_cache=not args.no_cache):
        if outcome.analysis is None:
            results.errors.append((outcome.item.shown, outcome.error or "skipped"))
        else:
            results.files.append(FileResult(outcome.item.shown, outcome.analysis))
    for path, message in results.errors:
        print(f"bastion: warning: {path}: {message}", file=sys.stderr)
    for file, problem in results.not_analysed():  # its findings cannot be in the baseline
        print(f"bastion: warning: {file.path}: {problem}", file=sys.stderr)
    return results


def _baseline_file(args: argparse.Namespace) -> tuple[Path, Path]:
    """(baseline file, project root) for these arguments."""
    root = project_root(Path.cwd(), args.config)
    if args.file is not None:
        return Path(os.path.abspath(args.file)), root
    first = Path(args.paths[0]) if args.paths else Path(".")
    try:
        config, _ = config_for_path(first if first.exists() else Path.cwd(), args.config)
    except ConfigError as exc:
        raise _Failed(str(exc)) from None
    path, explicit = configured_path(config)
    if explicit and path is None:
        raise _Failed("[tool.bastion] baseline is empty (baselines are off); pass -o FILE")
    if path is not None:
        return path, root
    return root / DEFAULT_NAME, root


def _file_prints(file: FileResult, legacy: dict | None = None) -> dict:
    """The fingerprints of a file's findings; `legacy` receives the old form of its secret
    findings' fingerprints, which baselines written before they were redacted hold."""
    every = (*file.analysis.findings, *file.analysis.suppressed)
    if not file.analysis.findings:
        return {}
    try:
        text = read_source(file.path).text
    except UnreadableSource:
        return {}
    if legacy is not None:
        legacy.update(legacy_prints(file.analysis.findings, file.analysis.suppressed, text))
    return fingerprints(every, text)


def _shown(path: Path) -> str:
    rel = os.path.relpath(path)
    return path.as_posix() if rel.startswith("..") else rel


def run_create(args: argparse.Namespace) -> int:
    try:
        file, root = _baseline_file(args)
        results = _analyse(args)
    except _Failed as exc:
        print(f"bastion: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    entries: list[Entry] = []
    for result in results.files:
        if not result.analysis.findings:
            continue
        rel = _relative(result.path, root)
        if rel is None:
            print(f"bastion: error: {result.path} is outside the project root {root}",
                  file=sys.stderr)
            return EXIT_ERROR
        prints = _file_prints(result)
        entries.extend(entries_for(rel, [x for x in result.analysis.findings if x in prints],
                                   prints))
    existed = file.exists()
    try:
        write_baseline(file, root, entries)
    except BaselineError as exc:
        print(f"bastion: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    count, files = len(entries), len({e.path for e in entries})
    print(f"bastion: {'replaced' if existed else 'wrote'} {_shown(file)}: {count} finding"
          f"{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}. Commit it; "
          "`bastion check` now reports and fails only on findings that are not in it.",
          file=sys.stderr)
    return EXIT_OK


def run_update(args: argparse.Namespace) -> int:
    try:
        file, _root = _baseline_file(args)
        baseline = load_baseline(file)
        results = _analyse(args)
    except (_Failed, BaselineError) as exc:
        print(f"bastion: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    current: dict[str, Counter] = {}  # path -> (rule, fingerprint) -> how many now
    fresh: dict[tuple[str, str, str], list[Entry]] = {}  # current line and message
    # An entry written before secrets were redacted -> the current entry it becomes.
    renamed: dict[tuple[str, str, str], list[Entry]] = {}
    for result in results.files:
        rel = baseline.relative(result.path)
        if rel is None:
            continue
        current.setdefault(rel, Counter())
        if not baseline.has_path(rel):
            continue
        legacy: dict = {}
        prints = _file_prints(result, legacy)
        found = [x for x in result.analysis.findings if x in prints]
        for finding, entry in zip(found, entries_for(rel, found, prints), strict=True):
            current[rel][(entry.rule, entry.fingerprint)] += 1
            fresh.setdefault(entry.key, []).append(entry)
            if finding in legacy:
                renamed.setdefault((rel, entry.rule, legacy[finding]), []).append(entry)
    unreadable = {baseline.relative(p) for p, _ in results.errors}
    scanned = [os.path.abspath(p) for p in args.paths]
    kept: list[Entry] = []
    for entry in baseline.entries:
        if entry.path in current:
            matches = current[entry.path]
            if matches[(entry.rule, entry.fingerprint)] > 0:
                matches[(entry.rule, entry.fingerprint)] -= 1
                now = fresh[entry.key].pop(0)
                kept.append(Entry(entry.path, entry.rule, entry.fingerprint, now.line, now.message))
            elif renamed.get(entry.key):  # rewritten in the redacted form
                now = renamed[entry.key].pop(0)
                if matches[(now.rule, now.fingerprint)] > 0:
                    matches[(now.rule, now.fingerprint)] -= 1
                    fresh[now.key].remove(now)
                    kept.append(now)
            continue  # analysed, and the finding is gone
        full = os.path.join(baseline.root, *entry.path.split("/"))
        if entry.path in unreadable or (os.path.exists(full) and not _under(full, scanned)):
            kept.append(entry)  # not analysed this time: keep it as it is
    removed = len(baseline.entries) - len(kept)
    text = dumps(kept, root_field(file, baseline.root))
    try:
        old = read_limited(file, MAX_BYTES, "baseline")[0].decode("utf-8")
    except (UnreadableSource, UnicodeDecodeError):
        old = None
    try:
        if text != old:
            write_baseline(file, baseline.root, kept)
    except BaselineError as exc:
        print(f"bastion: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"bastion: updated {_shown(file)}: removed {removed} entr"
          f"{'ies' if removed != 1 else 'y'} whose finding is gone; {len(kept)} remain"
          f"{'' if removed else ' (nothing was fixed)'}. New findings are never added by update.",
          file=sys.stderr)
    return EXIT_OK


def _relative(path: str, root: Path) -> str | None:
    try:
        rel = Path(os.path.abspath(path)).relative_to(root)
    except ValueError:
        return None
    return rel.as_posix()


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
