"""What a finding's message shows of a literal that may be a secret: its length, at most its ends.

Bandit's hard-coded password checks (B105, B106, B107) quote the literal they found, which put
the secret itself in the Problems panel, CI logs, SARIF and baselines. Findings are made and
reloaded in several places (analyzers, the result caches, whole-file runs), so the model applies
this on construction and no other layer can hold the clear text.
"""

from __future__ import annotations

import re

# Rules whose findings sit on a statement holding a possible secret in a string literal: their
# baseline fingerprints hash the literals' redacted forms (baseline/fingerprint.py).
SECRET_RULES = frozenset({"B105", "B106", "B107"})
# Rules whose finding's span is the secret value itself (the secrets analyzer's): their baseline
# fingerprints hash the line with that span in its redacted form.
VALUE_SPAN_RULES = frozenset({"BST301", "BST302", "BST303", "BST304", "BST305", "BST306"})
# Every message that quotes a possible secret, with the quoted part as the group named `secret`.
_QUOTED_SECRET = (
    re.compile(r"^(?P<lead>Possible hardcoded password): '(?P<secret>.*)'$", re.DOTALL),
)
# Below this length the two end characters would give away too much of the value.
_ENDS_FROM = 8


def redacted(value: str) -> str:
    if len(value) >= _ENDS_FROM:
        return f"[redacted: {len(value)} characters, {value[0]}...{value[-1]}]"
    return f"[redacted: {len(value)} characters]"


def redact_message(message: str) -> str:
    """`message` with any quoted possible secret replaced by its redacted form (idempotent)."""
    for pattern in _QUOTED_SECRET:
        match = pattern.match(message)
        if match:
            return f"{match['lead']}: {redacted(match['secret'])}"
    return message
