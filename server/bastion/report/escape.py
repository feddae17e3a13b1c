"""Scanned text made safe to print: messages, paths, comments and code come from the repository,
and a terminal or a CI log reads control characters in them as commands (an ESC sequence, a line
break that starts a `::error` workflow command, a bidi override that reorders what is shown).
"""

from __future__ import annotations

import re

from bastion.deferred_patterns import deferred

# C0 (line breaks and tabs too: one finding is one line), DEL, C1 (NEL, CSI...), Unicode line
# and paragraph separators, and the bidi controls of the Trojan Source attacks (CVE-2021-42574).
_CONTROL = deferred("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_control(text: str) -> str:
    """`text` with every control character written as a Python escape (`\\x1b`, `\\u202e`)."""
    return _CONTROL().sub(_visible, text)
