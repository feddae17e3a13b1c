"""Findings: what a check reports, with an exact code-point range."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from bastion import attrs_classes
from bastion.deferred_patterns import deferred
from bastion.model.redact import redact_message


class Level(enum.IntEnum):
    """Bandit's three-step scale, used for both severity and confidence."""

    UNDEFINED = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @classmethod
    def parse(cls, value: str | Level) -> Level:
        if isinstance(value, Level):
            return value
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown level {value!r}: expected low, medium or high"
            ) from None

    @property
    def label(self) -> str:
        return _LABELS[self]


# Asked several times per diagnostic: the enum's `name` is a descriptor lookup each time.
_LABELS = {level: level.name.lower() for level in Level}


@attrs_classes.frozen(order=True)
class Span:
    """A range in a document: 0-based lines, columns in code points, end exclusive."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int

    def shifted(self, lines: int) -> Span:
        return Span(self.start_line + lines, self.start_col, self.end_line + lines, self.end_col)

    def contains(self, line: int, col: int) -> bool:
        if (line, col) < (self.start_line, self.start_col):
            return False
        return (line, col) <= (self.end_line, self.end_col)


@attrs_classes.frozen
class Suppression:
    """Why a finding is not reported: the comment that silenced it and where it is.

    `kind` is the comment's dialect: "nosec" (bandit), "noqa" (ruff) or "bastion"
    (`# bastion: ignore[...] reason="..." until=YYYY-MM-DD`); `text` is the whole comment.
    `reason` is the justification it gives (`reason="..."`, or for nosec/noqa the text of a
    following `# ...`); `until` the last day a bastion comment silences.
    """

    kind: str  # "nosec" | "noqa" | "bastion"
    line: int  # 0-based line of the comment
    text: str
    reason: str | None = None
    until: date | None = None


@attrs_classes.frozen
class FlowStep:
    """One step of a data-flow path (taint findings): where, and what happens there."""

    span: Span
    message: str
    path: str | None = None  # a step in another file (a workspace module's summary), else None

    def shifted(self, lines: int) -> FlowStep:
        if self.path is not None:  # lines of another file: an edit here does not move them
            return self
        return FlowStep(self.span.shifted(lines), self.message)


# The hash is kept once computed (never pickled: a process hashes strings its own way): the
# editor's diagnostic memo looks every finding up at each keystroke, and a finding with a path
# hashed all its steps each time (views.py's 167 findings: 0.4 ms a key).
@attrs_classes.frozen(cache_hash=True)
class Finding:
    rule_id: str
    name: str
    severity: Level
    confidence: Level
    cwe: int | None
    message: str = attrs.field(converter=redact_message)  # never a possible secret in clear
    span: Span
    source: str = "bandit"
    # 0-based lines of the flagged statement: a suppression comment on any of them applies.
    lines: tuple[int, ...] = ()
    suppressed_by: Suppression | None = None
    # A data-flow finding's path, from the source to the sink (empty for pattern findings).
    steps: tuple[FlowStep, ...] = ()
    # Why a whole-file analysis retracted this pattern finding (its argument is constant, or a
    # taint finding with the path replaces it); reported only with `bandit_exact` (config.py).
    retracted: str | None = None

    @property
    def line(self) -> int:
        return self.span.start_line

    def replaced_by(self) -> tuple[str, int] | None:
        """(rule id, 0-based line) of the finding with the path that replaces this retracted
        one (`replacement`), or None when it was retracted for another reason."""
        found = _REPLACED().match(self.retracted or "")
        return None if found is None else (found.group(1), int(found.group(2)) - 1)


    def shifted(self, lines: int) -> Finding:
        return attrs.evolve(
            self,
            span=self.span.shifted(lines),
            lines=tuple(n + lines for n in self.lines),
            steps=tuple(step.shifted(lines) for step in self.steps),
        )

    def sort_key(self) -> tuple:
        return (self.span.start_line, self.span.start_col, self.rule_id, self.span.end_line)


@attrs_classes.frozen
class NotAnalysed:
    """Part of a file that was not analysed, and why: the file's result is incomplete, and
    every output says so (a finding there may be missing)."""

    reason: str
    start_line: int | None = None  # 0-based, inclusive; None: the whole file
    end_line: int | None = None
    analyzer: str | None = None  # the analyzer that failed, when one did

    def __str__(self) -> str:
        return f"not analysed{self.where()}: {self.reason}"

    def where(self) -> str:
        if self.start_line is None:
            return ""
        if self.end_line is None or self.end_line == self.start_line:
            return f" (line {self.start_line + 1})"
        return f" (lines {self.start_line + 1}-{self.end_line + 1})"

    def shifted(self, lines: int) -> NotAnalysed:
        if self.start_line is None or not lines:
            return self
        end = None if self.end_line is None else self.end_line + lines
        return attrs.evolve(self, start_line=self.start_line + lines, end_line=end)


_REPLACED = deferred(r"replaced by (\w+) \(line (\d+)\)")


def replacement(rule_id: str, line: int) -> str:
    """Why a pattern finding is retracted for the finding of `rule_id` at (0-based) `line`,
    which reports the same flow with its path (`Finding.replaced_by` reads it back)."""
    return f"replaced by {rule_id} (line {line + 1}), which has the path"
