"""Which URL a host names: the URL expression whose host a field holds (`urlparse(url).netloc`,
`parts.hostname`, or a local assigned one), what a test of that field against constants proves
(`HOST_FIELDS`), and whether a constant is a domain suffix a host may be tested to end with.
The URL-host guards (guards.py) and the walk that records parses and hosts (statements.py) both
read it; kept apart from guards.py, as it reads expressions and refines no state.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

Env = dict
URL_PARSERS = frozenset({"urllib.parse.urlparse", "urllib.parse.urlsplit", "urlparse.urlparse",
                         "httpx.URL", "yarl.URL"})
# What a URL's host field, tested against constants, proves of the URL. The host part of
# `netloc` is all of it. `hostname` (and httpx's and yarl's `host`) come after the user info, which
# a browser may not read as such: it takes `https://evil.com\@good.example` for evil.com's, so
# they check what a request library fetches, not where a redirect goes.
# An empty `netloc` (`if not urlparse(target).netloc:`) names no host: a request has none to reach,
# but a redirect may still leave the site (`///evil.com`, `/\evil.com`, `http:evil.com`:
# redirect_encodings.py), so the guard keeps "ssrf" alone for it.
HOST_FIELDS = {"netloc": frozenset({"redirect", "ssrf"}), "hostname": frozenset({"ssrf"}),
               "host": frozenset({"ssrf"})}


def host_of(ev: Evaluator, node: ast.expr) -> tuple[ast.expr, frozenset[str]] | None:
    """The URL expression whose host `node` holds (`urlparse(url).hostname`, `parts.netloc`, or
    a local assigned one of them), with what testing that field proves (`HOST_FIELDS`)."""
    if isinstance(node, ast.Attribute) and node.attr in HOST_FIELDS:
        url = parsed_url(ev, node.value)
        return None if url is None else (url, HOST_FIELDS[node.attr])
    if isinstance(node, ast.Name):
        return ev.host_from.get(node.id)
    return None


def parsed_local(ev: Evaluator, node: ast.expr) -> ast.Name | None:
    """The local holding the parse whose host field `node` reads (`url` of `url.host`, for
    `url = httpx.URL(text)`): the parsed URL, which a client fetches as it is."""
    if isinstance(node, ast.Attribute) and node.attr in HOST_FIELDS and isinstance(node.value, ast.Name) \
            and node.value.id in ev.parsed_from:
        return node.value
    return None


def domain_suffix(ev: Evaluator, node: ast.expr, env: Env) -> bool:
    """`node` is a constant domain suffix, or a tuple of them, each led by a dot: a host ending
    with `.example.com` is that domain's (one ending with `example.com` may be `evilexample.com`)."""
    with ev.evaluating_in(env):
        suffix = ev.eval(node).const
    suffixes = suffix if isinstance(suffix, tuple) else (suffix,)
    return bool(suffixes) and all(isinstance(s, str) and len(s) > 1 and s.startswith(".")
                                  for s in suffixes)


def parsed_url(ev: Evaluator, node: ast.expr) -> ast.expr | None:
    """The URL expression a `urlparse(...)` result came from (directly or through a local)."""
    if isinstance(node, ast.Call) and ev.qualname(node.func) in URL_PARSERS and node.args:
        return node.args[0]
    if isinstance(node, ast.Name):
        return ev.parsed_from.get(node.id)
    return None
