"""Weak hashes and old TLS: SHA-256 instead of MD5/SHA-1, modern protocol constants, and the
default SSL context instead of `ssl.wrap_socket`."""

from __future__ import annotations

import ast
import re

import libcst as cst

from bastion.fixes.base import REVIEW, Rewrite, recipe
from bastion.fixes.target import Target, add_keyword, expr, has_double_star, keyword, positional

WEAK = ("md4", "md5", "sha", "sha1")
BAD_TLS = ("PROTOCOL_SSLv2", "SSLv2_METHOD", "SSLv23_METHOD", "PROTOCOL_SSLv3", "PROTOCOL_TLSv1",
           "SSLv3_METHOD", "TLSv1_METHOD", "PROTOCOL_TLSv1_1", "TLSv1_1_METHOD")


def _call(t: Target) -> cst.Call | None:
    node = t.at_finding(cst.Call)
    return node if isinstance(node, cst.Call) else None


@recipe("B324")
def weak_hashlib(t: Target):
    """`hashlib.md5(d)` -> `hashlib.sha256(d)`, or `hashlib.md5(d, usedforsecurity=False)`."""
    call = _call(t)
    if call is None or not isinstance(call.func, cst.Attribute) or has_double_star(call):
        return None
    name = t.call_qualname(call) or ""
    if not name.startswith("hashlib."):
        return None
    func = call.func.attr.value
    rewrites = []
    if func in WEAK:
        stronger = call.with_changes(func=call.func.with_changes(attr=cst.Name("sha256")))
        label = func.upper()
    elif func == "new":
        args = positional(call)
        name_arg = args[0] if args else keyword(call, "name")
        if name_arg is None or not isinstance(name_arg.value, cst.SimpleString):
            return None
        value = name_arg.value.evaluated_value
        if not isinstance(value, str) or value.lower() not in WEAK:
            return None
        quote = name_arg.value.value[-1]
        stronger = call.with_changes(args=[
            a.with_changes(value=cst.SimpleString(f"{quote}sha256{quote}")) if a is name_arg else a
            for a in call.args])
        label = value.upper()
    else:
        return None
    if _credential(t, call):
        # SHA-256 is as fast to brute-force and usedforsecurity=False only hides the finding.
        return _password_kdf(t, call)
    existing = keyword(call, "usedforsecurity")
    if existing is None:
        rewrites.append(Rewrite("sha256", f"use SHA-256 instead of {label}", REVIEW,
                                t.replace(call, stronger),
                                note=_DIGEST_NOTE, check="stored or exchanged digests"))
        marked = add_keyword(call, "usedforsecurity", cst.Name("False"))
        rewrites.append(Rewrite("not-for-security", f"mark {label} as not used for security",
                                REVIEW, t.replace(call, marked),
                                note="only right when the hash protects nothing (a cache key, "
                                     "a checksum against accidents): check what it hashes",
                                check="that the hash protects nothing"))
    return rewrites


_CREDENTIAL = re.compile(r"(?i)(passw|passwd|pwd|passphrase|secret|token|credential)")


def _names(node: cst.CSTNode) -> list[str]:
    found: list[str] = []

    class Names(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name.value)

    node.visit(Names())
    return found


def _credential(t: Target, call: cst.Call) -> bool:
    """The hashed value is a credential: a name in the hashed expression or in what the digest
    is stored to says password, secret, token ..."""
    names = [n for a in call.args for n in _names(a.value)]
    for assign in t.nodes((cst.Assign, cst.AnnAssign, cst.AugAssign)):
        targets = [assign.target] if not isinstance(assign, cst.Assign) else \
            [a.target for a in assign.targets]
        for target in targets:
            names += _names(target)
            if isinstance(target, cst.Name):
                names += _updated_with(t, target.value)
    for arg in t.nodes(cst.Arg):
        if arg.keyword is not None:
            names.append(arg.keyword.value)  # User(password_hash=md5(...))
    return any(_CREDENTIAL.search(name) for name in names)


def _updated_with(t: Target, variable: str) -> list[str]:
    """Names fed to `variable.update(...)` in the unit: `m = md5(); m.update(password)`."""
    found: list[str] = []
    for node in ast.walk(t.unit_tree) if t.unit_tree is not None else ():
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "update" and isinstance(node.func.value, ast.Name) and \
                node.func.value.id == variable:
            found += [n.id for a in node.args for n in ast.walk(a) if isinstance(n, ast.Name)]
            found += [n.attr for a in node.args for n in ast.walk(a)
                      if isinstance(n, ast.Attribute)]
    return found


def _password_kdf(t: Target, call: cst.Call):
    """`h = hashlib.md5(pw).hexdigest()` -> a salted PBKDF2 hash stored with its salt:
    `salt = os.urandom(16)` and `h = salt.hex() + "$" + hashlib.pbkdf2_hmac(...).hex()`."""
    outer = next((n for n in t.nodes(cst.Call) if isinstance(n.func, cst.Attribute)
                  and n.func.value is call and n.func.attr.value in ("hexdigest", "digest")
                  and not n.args), None)
    args = positional(call)
    if outer is None or len(args) != 1 or len(call.args) != 1:
        return None
    line = t.simple_line()
    salt = t.unused_name(("salt", "salt_", "_salt"))
    if line is None or not _contains(line, outer) or salt is None:
        return None
    hashlib, os_name = t.module_name("hashlib"), t.module_name("os")
    hex_out = outer.func.attr.value == "hexdigest"
    kdf = f'{hashlib}.pbkdf2_hmac("sha256", VALUE, {salt}, 600_000)'
    code = f'{salt}.hex() + "$" + {kdf}.hex()' if hex_out else f"{salt} + {kdf}"
    new_value = cst.parse_expression(code)
    new_value = new_value.deep_replace(
        next(n for n in _walk(new_value) if isinstance(n, cst.Name) and n.value == "VALUE"),
        args[0].value)
    text = t.lines_before(line, f"{salt} = {os_name}.urandom(16)\n", outer, new_value)
    stored = "salt_hex$hash_hex" if hex_out else "16 salt bytes + 32 hash bytes"
    return Rewrite("password-kdf", "hash the password with salted PBKDF2 (600,000 iterations)",
                   REVIEW, text,
                   imports=tuple(m for m in ("hashlib", "os") if t.module_name(m) == m),
                   note=f"passwords are now hashed with PBKDF2-HMAC-SHA256, 600,000 iterations "
                        f"and a random salt, stored as {stored}: check the code that verifies "
                        "a password (it must take the salt from the stored value, recompute "
                        "and compare with hmac.compare_digest) and the column's size, and "
                        "rehash existing MD5 hashes at the next login",
                   check="the code that verifies stored hashes")


def _walk(node: cst.CSTNode) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []

    class All(cst.CSTVisitor):
        def on_visit(self, child: cst.CSTNode) -> bool:
            found.append(child)
            return True

    node.visit(All())
    return found


def _contains(outer: cst.CSTNode, inner: cst.CSTNode) -> bool:
    return any(n is inner for n in _walk(outer))


_CRYPTOGRAPHY_WEAK = ("cryptography.hazmat.primitives.hashes.MD5",
                      "cryptography.hazmat.primitives.hashes.SHA1")


@recipe("B303")
def weak_hash_class(t: Target):
    """`hashes.MD5()` -> `hashes.SHA256()` (cryptography)."""
    call = _call(t)
    if call is None or call.args:
        return None
    name = t.call_qualname(call) or ""
    if name not in _CRYPTOGRAPHY_WEAK:
        return None
    func = call.func
    new_func = func.with_changes(attr=cst.Name("SHA256")) if isinstance(func, cst.Attribute) \
        else None
    if new_func is None:
        return None
    return Rewrite("sha256", "use SHA-256", REVIEW, t.replace(call, call.with_changes(
        func=new_func)), note=_DIGEST_NOTE, check="stored or exchanged digests")


def _modern(node: cst.BaseExpression, protocol: str = "PROTOCOL_TLS") -> cst.BaseExpression | None:
    """`ssl.PROTOCOL_TLSv1` -> `ssl.<protocol>`; `SSL.TLSv1_METHOD` -> `SSL.TLS_METHOD`."""
    last = node.attr.value if isinstance(node, cst.Attribute) else (
        node.value if isinstance(node, cst.Name) else None)
    if last not in BAD_TLS:
        return None
    new = "TLS_METHOD" if last.endswith("_METHOD") else protocol
    if isinstance(node, cst.Attribute):
        return node.with_changes(attr=cst.Name(new))
    return None  # a bare imported name: the modern one may not be imported


def _hostname(t: Target, sock: cst.BaseExpression) -> str | None:
    """The host a socket variable was connected to in this unit: `sock =
    socket.create_connection((host, port))` or `with socket.create_connection(...) as sock`."""
    if not isinstance(sock, cst.Name) or t.unit_tree is None:
        return None
    found = None
    for node in ast.walk(t.unit_tree):
        pairs = []
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            pairs.append((node.targets[0], node.value))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            pairs.extend((i.optional_vars, i.context_expr) for i in node.items)
        for name, value in pairs:
            if not (isinstance(name, ast.Name) and name.id == sock.value):
                continue
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and \
                    value.func.attr == "create_connection" and value.args and \
                    isinstance(value.args[0], ast.Tuple) and value.args[0].elts:
                host = value.args[0].elts[0]
                if isinstance(host, ast.Name) or (isinstance(host, ast.Constant)
                                                   and isinstance(host.value, str)):
                    text = ast.unparse(host)
                    if found not in (None, text):
                        return None
                    found = text
    return found


def _default_context(t: Target, call: cst.Call) -> Rewrite | None:
    """`ssl.wrap_socket(sock[, ssl_version=...])` ->
    `ssl.create_default_context().wrap_socket(sock, server_hostname=host)`."""
    if t.call_qualname(call) != "ssl.wrap_socket" or not isinstance(call.func, cst.Attribute):
        return None
    args = positional(call)
    others = [a for a in call.args if a.keyword and a.keyword.value != "ssl_version"]
    if len(args) != 1 or others or any(a.star for a in call.args):
        return None
    host = _hostname(t, args[0].value)
    if host is None:
        return None
    func = cst.Attribute(value=cst.Call(func=call.func.with_changes(
        attr=cst.Name("create_default_context"))), attr=cst.Name("wrap_socket"))
    new = cst.Call(func=func, args=[args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)])
    new = add_keyword(new, "server_hostname", expr(host))
    new = new.with_changes(lpar=call.lpar, rpar=call.rpar)
    return Rewrite("default-context", "use ssl.create_default_context()", REVIEW,
                   t.replace(call, new),
                   note="the server's certificate and host name are now checked: check the "
                        "server's certificate is trusted by the system",
                   check="the server's certificate")


@recipe("B502")
def bad_tls_version(t: Target):
    call = _call(t)
    if call is None:
        return None
    rewrites = [_default_context(t, call)]
    for name in ("ssl_version", "method"):
        arg = keyword(call, name)
        new_value = _modern(arg.value) if arg is not None else None
        if new_value is not None:
            new = call.with_changes(args=[a.with_changes(value=new_value) if a is arg else a
                                          for a in call.args])
            rewrites.append(Rewrite("tls-version", "negotiate a modern TLS version", REVIEW,
                                    t.replace(call, new),
                                    note=_TLS_NOTE, check="old peers"))
    return rewrites


@recipe("B504")
def no_tls_version(t: Target):
    call = _call(t)
    return _default_context(t, call) if call is not None else None


@recipe("B503")
def bad_tls_default(t: Target):
    """`def f(p=ssl.PROTOCOL_TLSv1)` -> `def f(p=ssl.PROTOCOL_TLS_CLIENT)` (`_SERVER` in a function
    that wraps server-side sockets). Unlike `PROTOCOL_TLS`, the client protocol also turns on
    certificate and host-name checks, as the lesson teaches."""
    func = next((f for f in t.nodes(cst.FunctionDef)
                 if t.doc_position(f.name)[0] == t.finding.span.start_line), None)
    if func is None:
        return None
    server = _SERVER_SIDE.search(cst.Module(body=[]).code_for_node(func.body)) is not None
    protocol = "PROTOCOL_TLS_SERVER" if server else "PROTOCOL_TLS_CLIENT"
    params = func.params
    replacements = {}
    for param in [*params.params, *params.kwonly_params]:
        if param.default is not None:
            new = _modern(param.default, protocol)
            if new is not None:
                replacements[param] = param.with_changes(default=new)
    if not replacements:
        return None
    new_params = params.with_changes(
        params=[replacements.get(p, p) for p in params.params],
        kwonly_params=[replacements.get(p, p) for p in params.kwonly_params])
    if server:
        return Rewrite("tls-version", "default to ssl.PROTOCOL_TLS_SERVER", REVIEW,
                       t.replace(params, new_params), check="old clients",
                       note="clients that only speak SSLv3/TLS 1.0/1.1 are refused: check the "
                            "clients that connect to this server")
    return Rewrite("tls-version", "default to ssl.PROTOCOL_TLS_CLIENT", REVIEW,
                   t.replace(params, new_params), check="the server's certificate and old peers",
                   note="the client protocol checks the server's certificate and host name: pass "
                        "server_hostname when wrapping, make sure the server's certificate is "
                        "trusted (load your CA bundle if it is internal), and check no peer only "
                        "speaks SSLv3/TLS 1.0/1.1; if this context is used server-side, use "
                        "PROTOCOL_TLS_SERVER instead")


# A function that builds a server-side context wraps with server_side=True or names the protocol.
_SERVER_SIDE = re.compile(r"server_side\s*=\s*True|PROTOCOL_TLS_SERVER|Purpose\.CLIENT_AUTH")


_TLS_NOTE = ("peers that only speak SSLv3/TLS 1.0/1.1 are refused: check the peers this talks to; "
             "PROTOCOL_TLS alone still checks no certificate, so prefer "
             "ssl.create_default_context()")
_DIGEST_NOTE = ("digests change: check where they are stored or exchanged (files, databases, other "
                "services), which no longer match")
