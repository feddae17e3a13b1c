"""SSRF guards on the address a URL names: `ipaddress.ip_address(host).is_private` false, or
`.is_global` true, of the host a URL holds (`host = urlparse(url).hostname`, url_hosts.py), or
of a name holding a host itself (`f"http://{host}/status"` after the test).
`ip_address` raises for anything but an address literal (`localhost`, `metadata`, a decimal
`2130706433`), so past the test the URL names a public address and no name to resolve (to
another address by the time it is fetched). Private covers loopback, link-local (the cloud
metadata address) and the private networks; `is_loopback` or `is_link_local` alone leaves the
others, so they prove nothing. The address of a name resolved first (`gethostbyname(host)`)
is not the host the fetch resolves again, so it proves nothing either."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.item_guards import Env, narrow
from bastion.analyzers.taint.local_bindings import bindings
from bastion.analyzers.taint.url_hosts import host_of

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

_ADDRESSES = frozenset({"ipaddress.ip_address", "ipaddress.IPv4Address", "ipaddress.IPv6Address"})
# The property, and its value for a public address
_PUBLIC = {"is_private": False, "is_global": True}


def public_address(ev: Evaluator, test: ast.Attribute, env: Env, truth: bool) -> Env:
    """`env` where `test` (`ip_address(host).is_private`) is `truth`."""
    if "url_allowlist" not in ev.models.guard_models or _PUBLIC.get(test.attr) is not truth:
        return env
    address = test.value
    if isinstance(address, ast.Name):  # `ip = ipaddress.ip_address(host)` ... `ip.is_private`
        bound = bindings(ev, address.id)
        address = bound[0] if bound is not None and len(bound) == 1 else None
    if not (isinstance(address, ast.Call) and len(address.args) == 1 and not address.keywords):
        return env
    with ev.evaluating_in(env):
        if ev.qualname(address.func) not in _ADDRESSES:
            return env
        found = host_of(ev, address.args[0])
    if found is None and isinstance(address.args[0], ast.Name):
        # `ip_address(host)` of a name holding no URL's host: the name is that public address
        return narrow(env, address.args[0], frozenset({"ssrf"}))
    return narrow(env, found[0], frozenset({"ssrf"})) if found and "ssrf" in found[1] else env
