"""Which functions bandit's checks read as a whole, declared by the bandit adapter
(`BanditAdapter.reads_whole`) and kept here, without importing bandit, because the splitter
(engine/units.py) asks it for every function of every document, cached scans included.

- B703 (django `mark_safe`) reads the whole enclosing function.
- B107 (password defaults) and B503 (bad SSL defaults) report a function itself, with a span and
  nosec lines through the end of its body.
The names and values below are supersets of what those checks match
(tests/unit/test_bandit_contract.py compares them with bandit's own).
"""

from __future__ import annotations

import ast
import re

SCOPE_READING = "mark_safe"
PASSWORD_NAME = re.compile(r"pas|pwd|token|secret", re.IGNORECASE)
BAD_SSL_DEFAULTS = frozenset({
    "PROTOCOL_SSLv2", "SSLv2_METHOD", "SSLv23_METHOD", "PROTOCOL_SSLv3", "PROTOCOL_TLSv1",
    "SSLv3_METHOD", "TLSv1_METHOD", "PROTOCOL_TLSv1_1", "TLSv1_1_METHOD"})


def reads_whole_function(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
    """`lines`: the lines the function spans (its body may be a placeholder when it does not parse)."""
    return checked_whole(function.args) or body_reads_whole(lines)


def body_reads_whole(lines: list[str]) -> bool:
    """Statements on these lines make B703 read their enclosing function whole."""
    return any(SCOPE_READING in line for line in lines)


def checked_whole(args: ast.arguments) -> bool:
    """B107 or B503 may report a function with these arguments."""
    defaults = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
    if not defaults:
        return False
    if any(isinstance(d, ast.Constant) and d.value is not None for d in args.defaults) and any(
            PASSWORD_NAME.search(a.arg) for a in (*args.posonlyargs, *args.args)):
        return True
    return any(isinstance(n, ast.Name) and n.id in BAD_SSL_DEFAULTS
               or isinstance(n, ast.Attribute) and n.attr in BAD_SSL_DEFAULTS
               for d in defaults for n in ast.walk(d))
