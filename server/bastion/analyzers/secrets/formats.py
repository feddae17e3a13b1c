"""Provider key formats: the credentials whose shape alone says what they are.

Every pattern is linear-time on Python's backtracking `re`: each starts with a literal prefix or
a fixed short alternation (so a failed start costs a bounded number of steps), uses only
bounded or possessive-free single-class repetitions whose class cannot match what follows
them, and nests no quantifier. A crafted line therefore costs O(length × the longest bound);
bench/secrets_bench.py measures a 1 MB single line and a 5 MB file.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs


@attrs.frozen
class Format:
    rule_id: str
    label: str  # what the credential is, in the message
    pattern: re.Pattern[str]
    group: str = "secret"  # the group holding the value that is reported (and redacted)
    severity: str = "high"
    # A further test of the match (checksums, context) that the pattern cannot express.
    accept: Callable[[re.Match[str], str], bool] | None = None


def _compile(source: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(source, flags)


# Word boundary of a token: not preceded by a character that would make it part of a longer one.
_B = r"(?<![A-Za-z0-9_/+])"
_E = r"(?![A-Za-z0-9_])"


FORMATS: tuple[Format, ...] = (
    Format("BST301", "AWS access key id",
           _compile(_B + r"(?P<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})" + _E)),
    Format("BST301", "AWS secret access key",
           _compile(r"(?i:aws_?secret_?(?:access_?)?key)[\"']?[ \t]{0,8}(?::|=|=>)[ \t]{0,8}[\"']?"
                    r"(?P<secret>[A-Za-z0-9/+]{40})" + r"(?![A-Za-z0-9/+=])")),
)
