"""A message whose signature the server checked: `hmac.compare_digest(sig, expected)` true, one
side the digest `hmac.new(KEY, message, ...)` computes (`.digest()` / `.hexdigest()`, or
`hmac.digest(KEY, message, ...)`), written there or bound once to a local, under a key the
request did not write. The message is then bytes this server signed, a pickle it made itself
(the Python documentation's advice for `pickle`: "consider signing data with hmac"): safe to
load, for the `deserialize` class only, since what it signed may hold a sender's text.

A guard of guards.py's (the test true); kept apart because it reads the local bindings of the
digest, not the tested value's own tests."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.item_guards import Env, narrow
from bastion.analyzers.taint.local_bindings import bindings

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

MAC_COMPARISONS = frozenset({"hmac.compare_digest", "secrets.compare_digest"})
_MACS = frozenset({"hmac.new", "hmac.HMAC"})
_ONE_SHOT = frozenset({"hmac.digest"})
_DIGESTS = frozenset({"digest", "hexdigest"})
_SIGNED = frozenset({"deserialize"})


def verified(ev: Evaluator, test: ast.Call, env: Env) -> Env:
    """`env` where `test`, a call of MAC_COMPARISONS, returned true."""
    if len(test.args) != 2 or test.keywords:
        return env
    for side in test.args:
        message = _signed(ev, side, env)
        if message is not None:
            return narrow(env, message, _SIGNED)
    return env


def _signed(ev: Evaluator, node: ast.expr, env: Env) -> ast.Name | None:
    """The local whose MAC `node` is, under a key the request did not write."""
    node = _bound(ev, node)
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Attribute) and node.func.attr in _DIGESTS and not node.args:
        mac = _bound(ev, node.func.value)
        if not isinstance(mac, ast.Call) or _name(ev, mac, env) not in _MACS:
            return None
        return _message(ev, mac, env)
    return _message(ev, node, env) if _name(ev, node, env) in _ONE_SHOT else None


def _bound(ev: Evaluator, node: ast.expr) -> ast.expr | None:
    """What a local `node` names is bound to, when it is bound once (else `node` itself)."""
    if not isinstance(node, ast.Name):
        return node
    found = bindings(ev, node.id)
    return found[0] if found is not None and len(found) == 1 else None


def _name(ev: Evaluator, call: ast.Call, env: Env) -> str | None:
    with ev.evaluating_in(env):
        return ev.qualname(call.func)


def _message(ev: Evaluator, mac: ast.Call, env: Env) -> ast.Name | None:
    """The message of `hmac.new(key, msg, ...)` / `hmac.digest(key, msg, ...)`: a local bound
    once (a signature covers the value it was computed over), its key not the request's."""
    given = {k.arg: k.value for k in mac.keywords}
    key = mac.args[0] if mac.args else given.get("key")
    message = mac.args[1] if len(mac.args) > 1 else given.get("msg")
    if key is None or not isinstance(message, ast.Name):
        return None
    found = bindings(ev, message.id)
    if found is None or len(found) != 1:
        return None
    with ev.evaluating_in(env):
        return None if ev.eval(key).taint else message
