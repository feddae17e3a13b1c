"""What an analysis found (`RawAnalysis`), and the same with a configuration and the suppression
comments applied (`Analysis`, by `apply_config`). Apart from the engine that computes them: a
scan served from the result cache builds them without loading the engine.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import attrs

from bastion import attrs_classes
from bastion.engine.literals import one_per_literal
from bastion.engine.suppress_govern import SuppressionHint, govern
from bastion.model import Finding, NotAnalysed

if TYPE_CHECKING:
    from bastion.config import Config
    from bastion.engine.records import UnitRecord
    from bastion.engine.suppress import Directive
    from bastion.engine.units import Split


@attrs_classes.frozen
class RawAnalysis:
    """Every finding before configuration and suppressions, and what is needed to apply them."""

    findings: tuple[Finding, ...]
    directives: dict[int, Directive]
    broken: tuple[tuple[int, int], ...]
    errors: tuple[NotAnalysed, ...] = ()  # what was not analysed: the result is incomplete
    split: Split | None = attrs.field(default=None, eq=False)  # None when read from disk
    # One per unit of `split`: what the next analysis of an edit reuses (see units.Reuse).
    records: tuple[UnitRecord, ...] = attrs.field(default=(), eq=False)
    from_disk: bool = attrs.field(default=False, eq=False)  # read from the disk cache


@attrs_classes.frozen
class Analysis:
    # reported (a finding whose suppression did not hold says why at the end of its message)
    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]  # silenced by a comment, with `suppressed_by` set
    broken: tuple[tuple[int, int], ...]  # 0-based line ranges that do not parse
    errors: tuple[NotAnalysed, ...] = ()  # what was not analysed: the result is incomplete
    # the `# nosec` comments by line (where the "suppress" quick fix adds an id)
    directives: dict[int, Directive] = attrs.field(factory=dict, eq=False)
    # unused, blanket, expired, ... suppression comments
    hints: tuple[SuppressionHint, ...] = ()


def apply_config(raw: RawAnalysis, path: str | None, config: Config,
                 today: date | None = None) -> Analysis:
    """Configuration and suppression comments (with their governance) applied to `raw`.

    `today` decides which `until=` dates have passed (default: the current date).
    """
    nosec = {line: d for line, d in raw.directives.items() if d.is_nosec}
    if not config.enabled or config.excludes(path):
        return Analysis((), (), raw.broken, raw.errors, nosec)
    findings = raw.findings
    if not config.bandit_exact:  # findings the taint analysis retracted (Finding.retracted)
        # but one retracted for a finding this configuration does not report (`--select B6`
        # and BST202 replacing B602): hiding both would hide the flow
        replaced = [f.replaced_by() if f.retracted is not None else None for f in findings]
        wanted = set(replaced) - {None}
        shown = {(f.rule_id, f.line) for f in findings if f.retracted is None
                 and (f.rule_id, f.line) in wanted and config.reports(f, path)} if wanted else set()
        findings = tuple(f for f, by in zip(findings, replaced, strict=True)
                         if f.retracted is None or by is not None and by not in shown)
    governed = govern(one_per_literal(findings), raw.directives, lambda f: config.reports(f, path),
                      require_reason=config.require_reason,
                      unsuppressible=config.unsuppressible, today=today, broken=raw.broken)
    return Analysis(governed.reported, governed.suppressed, raw.broken, raw.errors, nosec,
                    governed.hints)
