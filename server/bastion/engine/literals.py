"""One finding per literal: bandit's hard-coded password checks and the secrets rules.

In a Python file, `DB_PASSWORD = "…"` may be reported by bandit (B105, B106, B107: the name looks
like a password) and by a secrets rule (the value looks like a credential). The user sees one:
- a provider-format rule (BST301–BST305) wins over bandit's: it says which credential it is;
- bandit's wins over the generic rule (BST306), which adds only what bandit does not see, so that
  existing `# nosec B105` comments keep working.
"""

from __future__ import annotations

from collections.abc import Sequence

from bastion.model import Finding

BANDIT_PASSWORDS = frozenset({"B105", "B106", "B107"})
GENERIC = "BST306"


def one_per_literal(findings: Sequence[Finding]) -> Sequence[Finding]:
    secrets = [f for f in findings if f.rule_id.startswith("BST3")]
    if not secrets:
        return findings
    bandit = [f for f in findings if f.rule_id in BANDIT_PASSWORDS]
    if not bandit:
        return findings
    dropped: set[int] = set()
    for secret in secrets:
        for other in bandit:
            if _same_literal(secret, other):
                dropped.add(id(secret) if secret.rule_id == GENERIC else id(other))
    if not dropped:
        return findings
    return tuple(f for f in findings if id(f) not in dropped)


def _same_literal(secret: Finding, other: Finding) -> bool:
    """Whether bandit's finding covers the secret's value (bandit's span is the literal, or the
    call or function whose argument it is)."""
    a, b = secret.span, other.span
    return (b.start_line, b.start_col) <= (a.start_line, a.start_col) \
        and (a.end_line, a.end_col) <= (b.end_line, b.end_col)
