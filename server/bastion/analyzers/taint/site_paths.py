"""A redirect target tested to be a path of this site, in one condition: it starts with `/`, not
with `//` (a host of the scheme's), and holds no backslash (a browser reads `/\\evil.example` as
`//evil.example`): `if url.startswith("/") and not url.startswith("//") and "\\\\" not in url`, or
the `or` of the negations false, or the same tests in separate conditions (`if not
url.startswith("/"): return ...` then `if url.startswith("//"): return ...`): each fact proven
is kept in the value's `clean` as a mark. Which redirects the marks keep on this site is
redirect_encodings.py's to say: `/\\t/evil.com` passes all three tests, and a redirect that drops
the tab instead of encoding it (Werkzeug's, a browser's) sends `//evil.com`. A parse of the target
with neither scheme nor host (`p = urlparse(url)`, `not p.scheme and not p.netloc`) marks it too,
with `not url.startswith("//")` Django's check written by hand (`url_has_allowed_host_and_scheme`
with no host allowed).
Separate from guards.py, which asks it for each test and when every operand of a condition holds,
as path_guards.one_component.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.item_guards import Env, narrow
from bastion.analyzers.taint.path_guards import held, prefix_test, without
from bastion.analyzers.taint.url_hosts import parsed_url

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

# The facts a site path needs, kept as marks in a value's `clean` (no sink class is named so)
SLASH_LED, NOT_TWO_SLASHES, NO_BACKSLASH = "site_slash_led", "site_not_two_slashes", "site_no_backslash"
FACTS = frozenset({SLASH_LED, NOT_TWO_SLASHES, NO_BACKSLASH})
# `not url.startswith("/\\")` (a backslash after the first slash only is a path's: `/a\\b`), and
# `url.isprintable()`, which refuses the tab and line breaks a browser and `urlsplit` drop
NOT_SLASH_BACKSLASH, PRINTABLE = "site_not_slash_backslash", "site_printable"
# a parse of the URL found no scheme (`not p.scheme`), no host (`not p.netloc`)
NO_SCHEME, NO_NETLOC = "site_no_scheme", "site_no_netloc"
_PARSED_FACTS = {"scheme": NO_SCHEME, "netloc": NO_NETLOC}


def site_path(ev: Evaluator, tests: list[ast.expr], env: Env, truth: bool) -> Env:
    """`env` where the tests, each evaluated to `truth`, prove a name a path of this site."""
    if "url_allowlist" not in ev.models.guard_models:
        return env
    facts: dict[str, set[str]] = {}
    names: dict[str, ast.Name] = {}
    for test in tests:
        for name, fact in _facts(*held(test, truth)) + _parsed_facts(ev, *held(test, truth)):
            facts.setdefault(name.id, set()).add(fact)
            names[name.id] = name
    for name, found in facts.items():
        if name not in env or not env[name].tainted or not env[name].prefix:
            continue
        if not found <= env[name].clean:
            env = narrow(env, names[name], frozenset(found))
    return env


def _facts(test: ast.expr, truth: bool) -> list[tuple[ast.Name, str]]:
    """What `test`, evaluated to `truth`, proves of a name: it starts with a slash, not with two
    nor with a slash and a backslash (`startswith(("//", "/\\\\"))` false proves both), holds no
    backslash, or is printable."""
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and truth \
            and test.func.attr == "isprintable" and not test.args and isinstance(test.func.value, ast.Name):
        return [(test.func.value, PRINTABLE)]
    prefixed = _prefixes(test)
    if prefixed is not None and isinstance(prefixed[0], ast.Name):
        led = {SLASH_LED} if prefixed[1] == ("/",) and truth else set()
        refused = {_REFUSED[p] for p in prefixed[1] if p in _REFUSED} if not truth else set()
        return [(prefixed[0], fact) for fact in sorted(led | refused)]
    name = without(test, truth, "\\")
    return [(name, NO_BACKSLASH)] if isinstance(name, ast.Name) else []


def _parsed_facts(ev: Evaluator, test: ast.expr, truth: bool) -> list[tuple[ast.Name, str]]:
    """What `p.scheme` or `p.netloc` false proves of the URL local `p` parsed."""
    if truth or not isinstance(test, ast.Attribute) or test.attr not in _PARSED_FACTS:
        return []
    url = parsed_url(ev, test.value)
    return [(url, _PARSED_FACTS[test.attr])] if isinstance(url, ast.Name) else []


_REFUSED = {"//": NOT_TWO_SLASHES, "/\\": NOT_SLASH_BACKSLASH}


def _prefixes(test: ast.expr) -> tuple[ast.expr, tuple] | None:
    """(value, prefixes) of `value.startswith(CONSTANT)` or `value.startswith((C1, C2))`."""
    prefixed = prefix_test(test)
    if prefixed is not None:
        return prefixed[0], (prefixed[1],)
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) \
            and test.func.attr == "startswith" and len(test.args) == 1 and not test.keywords \
            and isinstance(test.args[0], ast.Tuple) \
            and all(isinstance(e, ast.Constant) for e in test.args[0].elts):
        return test.func.value, tuple(e.value for e in test.args[0].elts)
    return None
