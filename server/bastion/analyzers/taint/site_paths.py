"""A redirect target tested to be a path of this site, in one condition: it starts with `/`, not
with `//` (a host of the scheme's), and holds no backslash (a browser reads `/\\evil.example` as
`//evil.example`): `if url.startswith("/") and not url.startswith("//") and "\\\\" not in url`, or
the `or` of the negations false, or the same tests in separate conditions (`if not
url.startswith("/"): return ...` then `if url.startswith("//"): return ...`): each fact proven
is kept in the value's `clean` as a mark. Which redirects the marks keep on this site is
redirect_encodings.py's to say: `/\\t/evil.com` passes all three tests, and a redirect that drops
the tab instead of encoding it (Werkzeug's, a browser's) sends `//evil.com`.
Separate from guards.py, which asks it for each test and when every operand of a condition holds,
as path_guards.one_component.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.item_guards import Env, narrow
from bastion.analyzers.taint.path_guards import held, prefix_test, without

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

# The facts a site path needs, kept as marks in a value's `clean` (no sink class is named so)
SLASH_LED, NOT_TWO_SLASHES, NO_BACKSLASH = "site_slash_led", "site_not_two_slashes", "site_no_backslash"
FACTS = frozenset({SLASH_LED, NOT_TWO_SLASHES, NO_BACKSLASH})


def site_path(ev: Evaluator, tests: list[ast.expr], env: Env, truth: bool) -> Env:
    """`env` where the tests, each evaluated to `truth`, prove a name a path of this site."""
    if "url_allowlist" not in ev.models.guard_models:
        return env
    facts: dict[str, set[str]] = {}
    names: dict[str, ast.Name] = {}
    for test in tests:
        fact = _fact(*held(test, truth))
        if fact is not None:
            facts.setdefault(fact[0].id, set()).add(fact[1])
            names[fact[0].id] = fact[0]
    for name, found in facts.items():
        if name not in env or not env[name].tainted or not env[name].prefix:
            continue
        if not found <= env[name].clean:
            env = narrow(env, names[name], frozenset(found))
    return env


def _fact(test: ast.expr, truth: bool) -> tuple[ast.Name, str] | None:
    """What `test`, evaluated to `truth`, proves of a name: it starts with a slash, not with two,
    or holds no backslash (the marks `FACTS`)."""
    prefixed = prefix_test(test)
    if prefixed is not None and isinstance(prefixed[0], ast.Name):
        if prefixed[1] == "/" and truth:
            return prefixed[0], SLASH_LED
        if prefixed[1] == "//" and not truth:
            return prefixed[0], NOT_TWO_SLASHES
    name = without(test, truth, "\\")
    return (name, NO_BACKSLASH) if isinstance(name, ast.Name) else None
