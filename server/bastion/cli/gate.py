"""What `bastion check` fails on: the baseline, the net-new gate and the risk threshold.

`Gate.prepare(args)` checks the options before anything is analysed (an unknown git ref or a
broken baseline stops the run with exit status 2 at once); `Gate.apply(results)` narrows the
results after analysis:

1. fingerprints are computed over every finding of a file (reported and suppressed), so that
   SARIF and the baseline agree however the results are narrowed afterwards;
2. findings listed in the baseline are set aside (SARIF still carries them, as suppressed
   results with `baselineState: unchanged`);
3. with --diff-base, only findings on lines changed since the ref are kept;
4. the exit status counts the remaining findings at or above --fail-on (severity) and
   --fail-on-confidence (confidence).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import attrs

from bastion import attrs_classes
from bastion.baseline import configured_path
from bastion.config import ConfigError, config_for_path
from bastion.model import Finding, Level
from bastion.report.results import CheckResults, FileResult

if TYPE_CHECKING:
    from bastion.baseline import Baseline
    from bastion.gitdiff import ChangeSet

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
LEVELS = ("low", "medium", "high")

EXIT_STATUS_HELP = """\
exit status:
  0  no reported finding at or above the --fail-on threshold (or --fail-on never)
  1  at least one reported finding at or above it: severity >= --fail-on and
     confidence >= --fail-on-confidence (findings in the baseline, and with --diff-base
     findings on unchanged lines, are not reported and never fail the run)
  2  usage, configuration, baseline or git error (bad option, invalid pyproject.toml,
     unreadable baseline, not a git repository, unknown --diff-base ref), or a broken
     install whose rule files are missing
  3  a file was not (fully) analysed (an analyzer failed on it, a statement nests deeper
     than the limit, or the file is over 8 MiB): its findings may be missing; whatever
     --fail-on says, even never

examples:
  bastion check --fail-on high                  fail on high severity only
  bastion check --fail-on medium/high           medium or high severity, high confidence
  bastion check --format sarif -o bastion.sarif for GitHub code scanning
  bastion check --diff-base origin/main         only findings on lines changed since main
  bastion baseline create                       accept today's findings, gate new ones
"""


class GateError(Exception):
    """A problem with --baseline, --diff-base or --fail-on: exit status 2."""


def parse_fail_on(value: str) -> str:
    """`never`, `LEVEL` or `SEVERITY/CONFIDENCE` (levels: low, medium, high)."""
    text = value.strip().lower()
    if text == "never":
        return text
    parts = text.split("/")
    if len(parts) in (1, 2) and all(p in LEVELS for p in parts):
        return text
    raise argparse.ArgumentTypeError(
        f"invalid value {value!r}: use low, medium, high or never, optionally with a "
        "confidence: high/medium")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fail-on", type=parse_fail_on, default="low", metavar="SEVERITY[/CONF]",
                        help="exit 1 when a reported finding has this severity or higher: low, "
                             "medium, high or never; SEVERITY/CONFIDENCE also sets the minimum "
                             "confidence, e.g. high/medium (default: low)")
    parser.add_argument("--fail-on-confidence", choices=LEVELS, default=None,
                        help="only findings with this confidence or higher fail the run "
                             "(default: low)")
    parser.add_argument("--baseline", type=Path, metavar="FILE",
                        help="report and fail only on findings not listed in this baseline "
                             "(default: [tool.bastion] baseline, or .bastion-baseline.json at "
                             "the project root when it exists)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="ignore any baseline: report every finding")
    parser.add_argument("--diff-base", metavar="REF",
                        help="report only findings on lines changed since this git ref "
                             "(committed, staged or not; untracked files are all new)")
    parser.epilog = EXIT_STATUS_HELP
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


@attrs_classes.frozen
class FailOn:
    severity: Level | None  # None: never fail
    confidence: Level = Level.LOW

    @classmethod
    def from_args(cls, fail_on: str, confidence: str | None) -> FailOn:
        if fail_on == "never":
            return cls(None)
        severity, _, conf = fail_on.partition("/")
        if conf and confidence and conf != confidence:
            raise GateError(f"--fail-on {fail_on} and --fail-on-confidence {confidence} "
                            "disagree about the confidence; give it once")
        return cls(Level.parse(severity), Level.parse(conf or confidence or "low"))

    def failing(self, results: CheckResults) -> int:
        if self.severity is None:
            return 0
        return results.count_at_least(self.severity, self.confidence)

    def describe(self) -> str:
        if self.severity is None:
            return "never"
        return f"severity >= {self.severity.label}, confidence >= {self.confidence.label}"


@attrs_classes.define
class _Source:
    """The baseline that applies under one PATH argument."""

    root: str  # absolute PATH argument
    baseline: Baseline | None


@attrs_classes.define
class Gate:
    fail_on: FailOn
    sources: list[_Source] = attrs.Factory(list)
    diff_base: str | None = None
    paths: tuple[str, ...] = ()
    # filled by apply()
    fingerprints: dict[tuple[str, Finding], str] = attrs.Factory(dict)
    baselined: list[tuple[FileResult, Finding]] = attrs.Factory(list)
    outside_diff: int = 0
    stale: Counter = attrs.Factory(Counter)  # baseline file -> entries that matched nothing
    applied: bool = False

    # ---- before the analysis -------------------------------------------------------------

    @classmethod
    def prepare(cls, args: argparse.Namespace) -> Gate:
        fail_on = FailOn.from_args(getattr(args, "fail_on", "low") or "low",
                                   getattr(args, "fail_on_confidence", None))
        paths = tuple(args.paths or ["."])
        gate = cls(fail_on, paths=paths, diff_base=getattr(args, "diff_base", None))
        explicit = getattr(args, "baseline", None)
        if explicit is not None and getattr(args, "no_baseline", False):
            raise GateError("--baseline and --no-baseline cannot be used together")
        if explicit is not None:
            baseline = _load(explicit, "--baseline")
            gate.sources = [_Source(os.path.abspath(p), baseline) for p in paths]
        elif not getattr(args, "no_baseline", False):
            for raw in paths:
                gate.sources.append(_Source(os.path.abspath(raw), _configured(raw, args)))
        if gate.diff_base is not None:
            from bastion.gitdiff import GitError, toplevel, verify_ref  # git only when asked

            try:
                first = Path(paths[0])
                top = toplevel(first if first.exists() else Path.cwd())
                verify_ref(gate.diff_base, top)
            except GitError as exc:
                raise GateError(f"--diff-base: {exc}") from None
        return gate

    @property
    def baselines(self) -> list[Baseline]:
        unique = {id(s.baseline): s.baseline for s in self.sources if s.baseline is not None}
        return list(unique.values())

    def baseline_for(self, path: str) -> Baseline | None:
        full = os.path.abspath(path)
        for source in self.sources:
            if full == source.root or full.startswith(source.root.rstrip(os.sep) + os.sep):
                return source.baseline
        return None

    # ---- after the analysis --------------------------------------------------------------

    def apply(self, results: CheckResults, fingerprint_all: bool = False) -> None:
        """Narrow `results` in place. `fingerprint_all`: fingerprint every file with findings
        (for SARIF); otherwise only files the baseline lists."""
        self.applied = True
        changes: ChangeSet | None = None
        if self.diff_base is not None:
            from bastion.gitdiff import GitError, changed_lines

            try:
                changes = changed_lines(self.diff_base, list(self.paths))
            except GitError as exc:
                raise GateError(f"--diff-base: {exc}") from None
        narrowed: list[FileResult] = []
        for file in results.files:
            analysis = file.analysis
            findings, suppressed = tuple(analysis.findings), tuple(analysis.suppressed)
            baseline = self.baseline_for(file.path)
            rel = baseline.relative(file.path) if baseline is not None else None
            listed = rel is not None and baseline.has_path(rel)
            if (fingerprint_all or listed) and (findings or suppressed):
                from bastion.report.sarif import file_fingerprints

                self.fingerprints.update(file_fingerprints([file]))
            known: tuple[Finding, ...] = ()
            if listed:
                # imported here: matching a baseline (and fingerprinting) is no cost of a check without one
                from bastion.baseline import split_known

                prints = {x: self.fingerprints.get((file.path, x), "") for x in findings}
                findings, known = split_known(findings, rel, baseline, prints,
                                              _legacy(file.path, findings, suppressed))
                entries = sum(1 for e in baseline.entries if e.path == rel)
                self.stale[str(baseline.file)] += entries - len(known)
            if changes is not None:
                kept = tuple(x for x in findings if changes.touches(file.path, x))
                self.outside_diff += len(findings) - len(kept)
                findings = kept
                suppressed = tuple(x for x in suppressed if changes.touches(file.path, x))
                known = tuple(x for x in known if changes.touches(file.path, x))
            if (findings, suppressed) != (tuple(analysis.findings), tuple(analysis.suppressed)):
                file = attrs.evolve(file, analysis=attrs.evolve(analysis, findings=findings,
                                                                suppressed=suppressed))
            narrowed.append(file)
            self.baselined.extend((file, x) for x in known)
        # Fingerprints are keyed by path and finding, which narrowing does not change.
        results.files[:] = narrowed

    def sarif_extra(self) -> dict:
        if not self.applied:
            return {}
        extra: dict = {"fingerprints": self.fingerprints}
        if self.baselines:
            extra["baselined"] = self.baselined
            extra["baseline_file"] = ", ".join(_shown(b.file) for b in self.baselines)
        return extra

    def exit_code(self, results: CheckResults) -> int:
        return EXIT_FINDINGS if self.fail_on.failing(results) else EXIT_CLEAN

    def notes(self, out: TextIO = sys.stderr) -> None:
        """What was left out, and why: for CI logs (stderr, after the report)."""
        if self.baselined or self.baselines:
            names = ", ".join(_shown(b.file) for b in self.baselines)
            count = len(self.baselined)
            out.write(f"bastion: {count} known finding{'s' if count != 1 else ''} in the "
                      f"baseline ({names}) not reported.\n")
        stale = sum(self.stale.values())
        if stale > 0:
            out.write(f"bastion: {stale} baseline entr{'ies' if stale != 1 else 'y'} no longer "
                      "match a finding (fixed?); `bastion baseline update` removes "
                      f"{'them' if stale != 1 else 'it'}.\n")
        if self.diff_base is not None:
            out.write(f"bastion: --diff-base {self.diff_base}: {self.outside_diff} finding"
                      f"{'s' if self.outside_diff != 1 else ''} on unchanged lines not "
                      "reported.\n")


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _load(path: Path, origin: str) -> Baseline:
    # here, not at the top: a check without a baseline never loads the store (two attrs classes)
    from bastion.baseline import BaselineError, load_baseline

    try:
        return load_baseline(path)
    except BaselineError as exc:
        raise GateError(f"{origin}: {exc}") from None


def _configured(raw: str, args: argparse.Namespace) -> Baseline | None:
    if not Path(raw).exists():
        return None  # the analysis loop reports it
    try:
        config, _warnings = config_for_path(Path(raw), getattr(args, "config", None))
    except ConfigError:
        return None  # the analysis loop reports it
    path, explicit = configured_path(config)
    if path is None:
        return None
    if explicit and not path.exists():
        raise GateError(f"{path}: baseline file not found (set by [tool.bastion] baseline); "
                        "create it with `bastion baseline create`, or run with --no-baseline")
    return _load(path, "baseline")


def _legacy(path: str, findings, suppressed) -> dict:
    """Old-form fingerprints of secret findings, so that a baseline written before they were
    redacted still applies until `bastion baseline update` rewrites it."""
    from bastion.baseline import legacy_prints
    from bastion.files import UnreadableSource, read_source
    from bastion.model.redact import SECRET_RULES

    if not any(f.rule_id in SECRET_RULES for f in findings):
        return {}
    try:
        return legacy_prints(findings, suppressed, read_source(path).text)
    except UnreadableSource:
        return {}
