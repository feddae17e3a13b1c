"""Guards: what a test proves about a value on each branch. A branch that always exits (return,
raise, abort) leaves the other branch's refined state as the fall-through, so early exits need
nothing special. Named guard models (enabled from rules/taint/guards.toml): `dotdot` (`'..' in
x`), `quote` (`"'" in x`), `line_break` (`"\\n" in x`), `allowlist` (`x in CONST`), `equality`
(`x == "lit"`), `path_containment` (a normalized path's `startswith` / `is_relative_to`, or its `relative_to`
returning: `checked`), `url_allowlist` (`urlparse(x).netloc in ALLOWED`) and `pattern`
(`re.fullmatch(PATTERN, x)`: safe for the classes the pattern's characters cannot break,
patterns.py; which name a regular expression test matches: regex_tests.py); guard calls and
methods (`isdigit`) are data; a local dict's item is refined in its slot (item_guards.py);
path tests (not absolute, contained in a base) are path_guards.py's, a URL's public address
address_guards.py's, a message's checked signature signed_data.py's."""

from __future__ import annotations

import ast
from types import EllipsisType
from typing import TYPE_CHECKING

from bastion.analyzers.taint.address_guards import public_address
from bastion.analyzers.taint.charsets import allowed_cleans, kept_cleans, removed
from bastion.analyzers.taint.concatenation import fixes_host
from bastion.analyzers.taint.constant_tests import over_constants
from bastion.analyzers.taint.containers import LISTED, members
from bastion.analyzers.taint.domain import (
    APPENDED,
    COMPONENT,
    SAFE,
    UNKNOWN,
    constant,
)
from bastion.analyzers.taint.environments import join_env
from bastion.analyzers.taint.expressions import path_of
from bastion.analyzers.taint.form_choices import VALIDATING, validated_choices
from bastion.analyzers.taint.helper_guards import guard_helper, helper_test, imported_test
from bastion.analyzers.taint.item_guards import Env, narrow
from bastion.analyzers.taint.path_guards import (
    common_path,
    contained,
    may_prove_facts,
    not_absolute,
    one_component,
    own_name,
    parent_of,
)
from bastion.analyzers.taint.patterns import Compiled, cleaned_by
from bastion.analyzers.taint.regex_tests import REGEX_TESTS, held_pattern, none_test, regex_subject
from bastion.analyzers.taint.signed_data import MAC_COMPARISONS, verified
from bastion.analyzers.taint.site_paths import site_path
from bastion.analyzers.taint.string_transforms import WITHOUT
from bastion.analyzers.taint.url_hosts import HOST_FIELDS, domain_suffix, host_of, parsed_local

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

# Methods that raise unless a test of the same arguments holds: that test's method.
_RAISING_CHECKS = {"relative_to": "is_relative_to"}
_SETS = frozenset({"set", "frozenset", "builtins.set", "builtins.frozenset"})
_INTEGERS = frozenset({"int", "builtins.int"})
_BOOLS = frozenset({"bool", "builtins.bool"})
# What the text `int(text)` parses is made of: spaces (line breaks too) around a signed number
# of digits (any script's) and underscores: safe for a path or markup, not a command or query.
_INTEGER_TEXT = cleaned_by(r"\s*[+-]?[\d_]+\s*", 0, "fullmatch")


def refine(ev: Evaluator, test: ast.expr, env: Env | None, truth: bool) -> Env | None:
    """`env` where `test` evaluated to `truth` (a copy when anything is learnt)."""
    if env is None:
        return None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return refine(ev, test.operand, env, not truth)
    if isinstance(test, ast.BoolOp):
        if isinstance(test.op, ast.And) == truth:  # `a and b` true, `a or b` false: each holds
            for value in test.values:
                env = refine(ev, value, env, truth)
            return site_path(ev, test.values, one_component(ev, test.values, env, truth), truth)
        # `a or b` true: one of them holds; what each proves, joined (a join keeps only what all
        # alternatives prove, and alternatives that prove nothing return `env` itself)
        alternatives = [refine(ev, value, env, truth) for value in test.values]
        return env if any(a is env for a in alternatives) else join_env(*alternatives)
    # what the test proves of a site path or a component, kept until the other tests of it
    env = _single(ev, test, env, truth)
    return site_path(ev, [test], one_component(ev, [test], env, truth), truth) \
        if may_prove_facts(test) else env


def _single(ev: Evaluator, test: ast.expr, env: Env, truth: bool) -> Env:
    """`env` where `test`, neither a `not` nor a boolean operation, evaluated to `truth`."""
    if type(test) is ast.Compare and len(test.ops) == 1:
        kind = type(test.ops[0])
        if kind is ast.Is or kind is ast.IsNot:  # regex_tests.none_test's tests: no other enters
            with ev.evaluating_in(env):
                matched = none_test(ev, test)
            if matched is not None:  # `re.fullmatch(P, name) is None`: the test failed
                return refine(ev, matched, env, truth == (kind is ast.IsNot))
        return _compare(ev, test, env, truth)
    if isinstance(test, ast.Call) and len(test.args) == 1 and not test.keywords \
            and isinstance(test.func, ast.Name):
        with ev.evaluating_in(env):
            truth_of_argument = ev.qualname(test.func) in _BOOLS
        if truth_of_argument:  # `return bool(SLUG.fullmatch(value))`
            return refine(ev, test.args[0], env, truth)
    if isinstance(test, ast.Call):
        over = over_constants(ev, test, env, truth, refine)
        if over is not None:  # `any(url.startswith(p) for p in ALLOWED)`
            return over
        if truth:
            return _call(ev, test, env)
        name = _named(ev, test, env)
        if name in ("any", "builtins.any"):
            return _each_character(ev, test, env, negated=True)  # `any(c not in OK for c in s)`
        negated = not_absolute(ev, test, env)
        return negated if negated is not env else _helper(ev, test, env, name, False)
    if not truth and (isinstance(test, ast.Attribute) and test.attr in HOST_FIELDS
                      or isinstance(test, ast.Name) and test.id in ev.host_from):
        with ev.evaluating_in(env):  # `if not urlparse(target).netloc:` holds as `== ""` does
            return _allowed(ev, env, test, ("",), ev.models.guard_models)
    if isinstance(test, ast.Attribute):  # `ipaddress.ip_address(host).is_private`
        return public_address(ev, test, env, truth)
    if isinstance(test, ast.BinOp) and isinstance(test.op, ast.Sub) and not truth:
        return _subset(ev, test.left, test.right, env)  # `set(name) - set(ALLOWED)` is empty
    if isinstance(test, ast.Name) and test.id in ev.matched_from:
        # `m = re.fullmatch(P, name)` ... `if not m:`, `m` and `name` unchanged since
        call, matched, subject = ev.matched_from[test.id]
        with ev.evaluating_in(env):
            held = regex_subject(ev, call)
        if held is not None and env.get(test.id) is matched and env.get(held.id) is subject:
            return refine(ev, call, env, truth)
    return env


def checked(ev: Evaluator, call: ast.Call, env: Env | None,
            name: str | None | EllipsisType = ...) -> Env | None:
    """`env` after `call` returned, when it raises unless a test holds: a normalized path's
    `p.relative_to(BASE)` proves what `p.is_relative_to(BASE)` true does; `int(value)`, that
    `value` is an integer's text; a guard helper that raises (`validate_url(target)`), what
    its paths that return prove. In a `try`, the handlers start from the state before it: one
    that goes on joins the unchecked path back. `name`: the callee's qualified name, when the
    caller has just read it in `env`, which is the walk's own state (`...`: not read)."""
    func = call.func
    if env is None or not call.args and not call.keywords:
        return env
    if not isinstance(func, ast.Attribute) or func.attr not in _RAISING_CHECKS:
        if name is ...:  # not read by the caller
            if env is ev.env:  # the walk's own state (each call statement's)
                name = ev.qualname(func)
            else:
                with ev.evaluating_in(env):
                    name = ev.qualname(func)
        if name in _INTEGERS and len(call.args) == 1 and not call.keywords:
            return narrow(env, call.args[0], _INTEGER_TEXT)
        return _helper(ev, call, env, name, None)  # `validate_url(target)`
    test = ast.Call(ast.Attribute(func.value, _RAISING_CHECKS[func.attr], ast.Load()), call.args,
                    call.keywords)
    return _call(ev, test, env)


def _subset(ev: Evaluator, chars: ast.expr, allowed: ast.expr, env: Env) -> Env:
    """`set(name)` holds only characters of `allowed` (a constant string or collection, or
    `set(...)` of one): `name` is made of them (charsets.py)."""
    if not (isinstance(chars, ast.Call) and len(chars.args) == 1 and not chars.keywords):
        return env
    with ev.evaluating_in(env):
        if ev.qualname(chars.func) not in _SETS:
            return env
        if isinstance(allowed, ast.Call) and len(allowed.args) == 1 \
                and ev.qualname(allowed.func) in _SETS:
            allowed = allowed.args[0]
        cleans = allowed_cleans(ev.eval(allowed).const)
    return narrow(env, chars.args[0], cleans) if cleans else env


def _named(ev: Evaluator, test: ast.Call, env: Env) -> str | None:
    with ev.evaluating_in(env):
        return ev.qualname(test.func)


def _each_character(ev: Evaluator, test: ast.Call, env: Env, negated: bool = False) -> Env:
    """`all(c.isalnum() for c in name)` holds: every character of `name` passes the test; or,
    `negated`, `any(c not in ALLOWED for c in name)` does not: none fails the test it negates."""
    if len(test.args) != 1 or not isinstance(test.args[0], (ast.GeneratorExp, ast.ListComp)):
        return env
    (generator, *more), element = test.args[0].generators, test.args[0].elt
    if more or generator.ifs or generator.is_async or not isinstance(generator.target, ast.Name):
        return env
    if negated:
        if isinstance(element, ast.UnaryOp) and isinstance(element.op, ast.Not):
            element = element.operand  # `any(not c.isalnum() for c in name)`
        elif isinstance(element, ast.Compare) and len(element.ops) == 1 \
                and isinstance(element.ops[0], ast.NotIn):
            element = ast.Compare(element.left, [ast.In()], element.comparators)
        else:
            return env
    with ev.evaluating_in(env):
        cleans = kept_cleans(ev, element, generator.target.id)
    return narrow(env, generator.iter, cleans) if cleans else env


def _compare(ev: Evaluator, test: ast.Compare, env: Env, truth: bool) -> Env:
    op, left, right = test.ops[0], test.left, test.comparators[0]
    models = ev.models.guard_models
    kind = type(op)  # read once: no isinstance call a test
    if kind is ast.LtE and truth:
        return _subset(ev, left, right, env)  # `set(name) <= set(ALLOWED)`
    with ev.evaluating_in(env):
        if kind is ast.In or kind is ast.NotIn:
            holds = truth == (kind is ast.In)  # on this branch `left in right` holds
            needle = left.value if type(left) is ast.Constant else None
            if isinstance(needle, str) and not holds:
                if needle == ".." and "dotdot" in models:
                    # safe appended to a base; used whole or joined it may be absolute
                    return narrow(env, right, frozenset({APPENDED}))
                if needle == "/" and "dotdot" in models:
                    # one component: not absolute, as `name.startswith("/")` false proves
                    return narrow(env, right, frozenset({COMPONENT}))
                if needle in WITHOUT and "quote" in models:
                    return narrow(env, right, frozenset({"sql", WITHOUT[needle]}))
                if needle == "\n" and "line_break" in models:
                    return narrow(env, right, frozenset({"log"}))
            if holds and isinstance(right, ast.Attribute) and right.attr == "parents" \
                    and "path_containment" in models:
                return parent_of(env, right.value)  # `BASE in path.resolve().parents`
            if holds:
                allowed = members(ev, right)
                if allowed is LISTED:
                    return narrow(env, left, frozenset({"path", COMPONENT}))
                if isinstance(allowed, (tuple, frozenset)) and allowed:
                    return _allowed(ev, env, left, allowed, models)
            return env
        if (kind is ast.Eq or kind is ast.NotEq or kind is ast.Is) \
                and truth == (kind is not ast.NotEq):
            inside = common_path(ev, env, left) or common_path(ev, env, right) \
                or own_name(ev, env, left, right) or own_name(ev, env, right, left)
            if inside is not None:
                return inside
            for subject, other in ((left, right), (right, left)):
                literal = ev.eval(other).const
                if literal is not UNKNOWN and isinstance(literal, (str, int, bytes)):
                    return _allowed(ev, env, subject, (literal,), models)
                if "url_allowlist" in models and isinstance(subject, ast.Attribute) \
                        and subject.attr == "netloc":
                    own = _own_host(ev, env, subject, other)
                    if own is not env:
                        return own
        return env


def _own_host(ev: Evaluator, env: Env, subject: ast.Attribute, other: ast.expr) -> Env:
    """`urlparse(target).netloc == urlparse(request.host_url).netloc` holds: `target` is on the
    site's own host (the one the browser asked for, which a redirect source's `cleans` marks),
    so a redirect to it stays there; joined on to that host (the Flask snippet's
    `urlparse(urljoin(request.host_url, target))`), `target` is a path of it or the same host."""
    found = host_of(ev, subject)
    theirs = host_of(ev, other) if isinstance(other, ast.Attribute) and other.attr == "netloc" \
        else None
    if found is None or theirs is None:
        return env
    url, base = found[0], theirs[0]
    if isinstance(url, ast.Call) and ev.qualname(url.func) == "urllib.parse.urljoin" \
            and len(url.args) == 2 and not url.keywords:
        if ast.dump(url.args[0]) != ast.dump(base):
            return env
        url = url.args[1]
    own = ev.eval(base)
    if not own.taint or "redirect" not in own.clean:
        return env
    return narrow(env, url, frozenset({"redirect"}))


def _allowed(ev: Evaluator, env: Env, subject: ast.expr, allowed: tuple | frozenset,
             models: set[str]) -> Env:
    if "url_allowlist" in models and (isinstance(subject, ast.Attribute) and subject.attr in HOST_FIELDS
                                      or isinstance(subject, ast.Name) and subject.id in ev.host_from):
        found = host_of(ev, subject)
        if found is not None:  # the URL is on one of the hosts, and the host one of them
            # none named (`""`): no host to request, but a redirect may leave (redirect_encodings.py)
            env = narrow(env, found[0], found[1] - {"redirect"} if "" in allowed else found[1])
            parsed = parsed_local(ev, subject)
            env = env if parsed is None else narrow(env, parsed, found[1])
        # else a field that happens to be named so (`self.host`): one of the constants too
    if "allowlist" not in models and "equality" not in models:
        return env
    value = constant(next(iter(allowed))) if len(allowed) == 1 else SAFE  # one of the constants
    return narrow(_with_field(ev, env, subject), subject, value=value)


def _with_field(ev: Evaluator, env: Env, node: ast.expr) -> Env:
    """`env` holding a local object's field under its path (`q.column`, as `q.column = ...`
    stores it), so that a test of the field refines what later reads of it find."""
    key = path_of(node) if isinstance(node, ast.Attribute) else None
    root = key.partition(".")[0] if key is not None else None
    if root is None or key in env or root not in env or root == "self":
        return env
    with ev.evaluating_in(env):
        value = ev.eval(node)
    if not value.tainted:
        return env
    ev.attributed.add(root)  # a new binding of the object forgets the field's path
    return {**env, key: value}


def _call(ev: Evaluator, test: ast.Call, env: Env) -> Env:
    func = test.func
    if isinstance(func, ast.Attribute) and func.attr in VALIDATING and ev.module.forms and not test.args:
        chosen = validated_choices(ev, test, env)
        if chosen is not env:  # else another `validate()`, maybe a helper guard of the module's
            return chosen
    if isinstance(func, ast.Attribute) and func.attr in REGEX_TESTS.values() and test.args \
            and "pattern" in ev.models.guard_models:
        # `NAME_RE.fullmatch(name)`, `NAME_RE = re.compile(r"[a-z]+")` in the function or at
        # module level
        compiled = held_pattern(ev, func.value, env)
        if compiled is not None:
            cleans = cleaned_by(compiled.pattern, compiled.flags, func.attr)
            return narrow(env, test.args[0], cleans) if cleans else env
    if isinstance(func, ast.Attribute):
        for model in ev.models.guards.methods.get(func.attr, ()):
            kept = removed(func.value)  # `name.replace("-", "").isalnum()`: `name` of \w and `-`
            return narrow(env, func.value, model.cleans) if kept is None \
                else narrow(env, kept[0], model.cleans & kept[1])
        if func.attr == "endswith" and len(test.args) == 1 and "url_allowlist" in ev.models.guard_models:
            found = host_of(ev, func.value)
            if found is not None and domain_suffix(ev, test.args[0], env):
                # not for a redirect: a browser reads `https://evil.com\.example.com` as
                # evil.com's, where urlparse's host ends with `.example.com`
                return narrow(env, found[0], frozenset({"ssrf"}))
        if func.attr == "startswith" and len(test.args) == 1 and "url_allowlist" in ev.models.guard_models:
            fixed = _url_prefix(ev, test, env)
            if fixed is not env:
                # `"/srv/static/"` is a path of this site too: a normalized path under it is
                # contained as well
                return contained(ev, test, fixed)
        if func.attr == "issubset" and len(test.args) == 1:
            return _subset(ev, func.value, test.args[0], env)
        if func.attr in ("startswith", "is_relative_to"):
            inside = contained(ev, test, env)
            if inside is not env:
                return inside
    name = _named(ev, test, env)
    if name in ("all", "builtins.all"):
        return _each_character(ev, test, env)
    if name in MAC_COMPARISONS:  # `hmac.compare_digest(sig, hmac.new(KEY, blob, ...).digest())`
        return verified(ev, test, env)
    for model in ev.models.guards.by_name(name):
        index = model.args[0] if model.args else 0
        if index < len(test.args):
            return narrow(env, test.args[index], model.cleans)
        # `url_has_allowed_host_and_scheme(url=target, allowed_hosts=...)`
        given = next((k.value for k in test.keywords if k.arg == model.keyword), None) \
            if model.keyword is not None else None
        if given is not None:
            return narrow(env, given, model.cleans)
    if name in REGEX_TESTS and "pattern" in ev.models.guard_models and len(test.args) >= 2:
        return _pattern(ev, test, env, REGEX_TESTS[name])
    return _helper(ev, test, env, name, True)


def _helper(ev: Evaluator, test: ast.Call, env: Env, name: str | None, truth: bool | None) -> Env:
    """`test`, a call of `name`, a guard helper of the module (`is_safe_url(target)`) or of
    another workspace module, returned `truth` (false: `if is_unsafe_url(target): abort(400)`;
    None: returned)."""
    function = guard_helper(ev, test, name)
    if function is not None:
        return helper_test(ev, function, test, env, refine, truth)
    return imported_test(ev, name, test, env, truth)


def _url_prefix(ev: Evaluator, test: ast.Call, env: Env) -> Env:
    """`url.startswith("https://api.example.com/")` (or a tuple of such prefixes, or a path of
    this site: `"/account/"`): the URL's host is fixed, as with a constant prefix."""
    subject = test.func.value
    if not isinstance(subject, ast.Name) or subject.id not in env:
        return env
    with ev.evaluating_in(env):
        prefixes = ev.eval(test.args[0]).const
    prefixes = (prefixes,) if isinstance(prefixes, str) else prefixes
    if not isinstance(prefixes, tuple) or not prefixes \
            or not all(isinstance(p, str) and fixes_host(p) for p in prefixes):
        return env
    return narrow(env, subject, value=env[subject.id].evolve(prefix=False))


def _pattern(ev: Evaluator, test: ast.Call, env: Env, how: str) -> Env:
    """`re.fullmatch(r"[a-z0-9.]+", host)` holds: `host` has only what the pattern matches."""
    with ev.evaluating_in(env):
        pattern = ev.eval(test.args[0]).const
        given = test.args[2] if len(test.args) > 2 else next(
            (k.value for k in test.keywords if k.arg == "flags"), None)
        flags = ev.eval(given).const if given is not None else 0
    if isinstance(pattern, Compiled) and given is None:  # re.fullmatch(NAME_RE, name)
        pattern, flags = pattern.pattern, pattern.flags
    if not isinstance(pattern, (str, bytes)) or not isinstance(flags, int) \
            or isinstance(flags, bool):
        return env
    cleans = cleaned_by(pattern, flags, how)
    return narrow(env, test.args[1], cleans) if cleans else env
