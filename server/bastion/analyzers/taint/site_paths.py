"""A redirect target tested to be a path of this site, in one condition: it starts with `/`, not
with `//` (a host of the scheme's), and holds no backslash (a browser reads `/\\evil.example` as
`//evil.example`): `if url.startswith("/") and not url.startswith("//") and "\\\\" not in url`, or
the `or` of the negations false. Such a URL's host is this site's, as a constant prefix fixes it.
Without the backslash test the check stays a redirect anywhere. Separate from guards.py, which
asks it when every operand of a condition holds, as path_guards.one_component.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.item_guards import Env, narrow
from bastion.analyzers.taint.path_guards import held, prefix_test, without

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


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
        if found == {"slash", "not_two", "no_backslash"} and name in env and env[name].tainted:
            env = narrow(env, names[name], value=env[name].evolve(prefix=False))
    return env


def _fact(test: ast.expr, truth: bool) -> tuple[ast.Name, str] | None:
    """What `test`, evaluated to `truth`, proves of a name: it starts with one slash
    (`slash`), not with two (`not_two`), or holds no backslash (`no_backslash`)."""
    prefixed = prefix_test(test)
    if prefixed is not None and isinstance(prefixed[0], ast.Name):
        if prefixed[1] == "/" and truth:
            return prefixed[0], "slash"
        if prefixed[1] == "//" and not truth:
            return prefixed[0], "not_two"
    name = without(test, truth, "\\")
    return (name, "no_backslash") if isinstance(name, ast.Name) else None
