"""Fixes for Bastion's own rules (rules/bastion/BSTnnn.toml), where a mechanical one exists."""

from __future__ import annotations

import re

import libcst as cst

from bastion.fixes.base import REVIEW, Rewrite, recipe
from bastion.fixes.recipes_calls import YAML_NOTE
from bastion.fixes.target import Target, drop_arg, keyword, positional, set_arg_value


def _call(t: Target) -> cst.Call | None:
    node = t.at_finding(cst.Call)
    return node if isinstance(node, cst.Call) else None


def _name(node: cst.BaseExpression, value: str) -> bool:
    return isinstance(node, cst.Name) and node.value == value


def _drop_keyword(t: Target, name: str, when: str, key: str, title: str, note: str, check: str):
    call = _call(t)
    arg = keyword(call, name) if call is not None else None
    if arg is None or not _name(arg.value, when):
        return None
    return Rewrite(key, title, REVIEW, t.replace(call, drop_arg(call, arg)), note=note,
                   check=check)


def _set_keyword(t: Target, name: str, old: str, new: str, key: str, title: str, note: str,
                 check: str):
    call = _call(t)
    arg = keyword(call, name) if call is not None else None
    if arg is None or not _name(arg.value, old):
        return None
    return Rewrite(key, title, REVIEW, t.replace(call, set_arg_value(call, arg, cst.Name(new))),
                   note=note, check=check)


def _assigned(t: Target) -> cst.Assign | None:
    """The assignment statement the finding is on."""
    node = t.at_finding((cst.Assign,))
    return node if isinstance(node, cst.Assign) else None


def _flip_assignment(t: Target, old: str, new: str, key: str, title: str, note: str,
                     check: str):
    assign = _assigned(t)
    if assign is None or not _name(assign.value, old):
        return None
    return Rewrite(key, title, REVIEW, t.replace(assign.value, cst.Name(new)), note=note,
                   check=check)


@recipe("BST101")
def jwt_verify(t: Target):
    """`jwt.decode(t, key, algorithms=[...], options={"verify_signature": False})`: verify."""
    call = _call(t)
    if call is None or keyword(call, "algorithms") is None or len(positional(call)) < 2:
        return None  # PyJWT needs a key and the algorithms to verify: a person must add them
    verify = keyword(call, "verify")
    if verify is not None and _name(verify.value, "False"):
        return Rewrite("verify", "verify the token signature", REVIEW,
                       t.replace(call, drop_arg(call, verify)), note=_JWT_NOTE,
                       check="the key and algorithms")
    options = keyword(call, "options")
    if options is None or not isinstance(options.value, cst.Dict):
        return None
    items = [e for e in options.value.elements if not (
        isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)
        and e.key.evaluated_value == "verify_signature" and _name(e.value, "False"))]
    if len(items) == len(options.value.elements):
        return None
    if items:
        items[-1] = items[-1].with_changes(comma=options.value.elements[-1].comma)
        new = set_arg_value(call, options, options.value.with_changes(elements=items))
    else:
        new = drop_arg(call, options)
    return Rewrite("verify", "verify the token signature", REVIEW, t.replace(call, new),
                   note=_JWT_NOTE, check="the key and algorithms")


_JWT_NOTE = ("tokens with a bad signature are now rejected (InvalidSignatureError): check that the "
             "key passed is the issuer's verification key and that algorithms lists only what "
             "the issuer signs with")


@recipe("BST102")
def jwt_no_none(t: Target):
    """`algorithms=["HS256", "none"]` -> `algorithms=["HS256"]`."""
    call = _call(t)
    if call is None:
        return None
    for name in ("algorithms", "algorithm"):
        arg = keyword(call, name)
        if arg is None or not isinstance(arg.value, (cst.List, cst.Tuple)):
            continue
        elements = list(arg.value.elements)
        kept = [e for e in elements if not (isinstance(e.value, cst.SimpleString)
                                            and str(e.value.evaluated_value).lower() == "none")]
        if not kept or len(kept) == len(elements):
            return None
        kept[-1] = kept[-1].with_changes(comma=elements[-1].comma)
        new = set_arg_value(call, arg, arg.value.with_changes(elements=kept))
        return Rewrite("no-none", 'refuse unsigned tokens (drop "none")', REVIEW,
                       t.replace(call, new),
                       note='tokens whose header says alg "none" are now refused with '
                            "InvalidAlgorithmError (an InvalidTokenError) where an empty key "
                            "accepted them and other keys raised InvalidKeyError: check that no "
                            "client sends unsigned tokens and what the caller catches",
                       check="clients sending unsigned tokens")
    return None


@recipe("BST105")
def cookie_secure(t: Target):
    note = ("the cookie is no longer sent over plain HTTP: check the site is served over HTTPS "
            "everywhere it runs (local development on http:// loses the cookie)")
    return _flip_assignment(t, "False", "True", "secure", "send the cookie over HTTPS only",
                            note, "HTTP-only environments") or _set_keyword(
        t, "secure", "False", "True", "secure", "send the cookie over HTTPS only", note,
        "HTTP-only environments") or _add_secure(t, note)


def _add_secure(t: Target, note: str):
    """`resp.set_cookie(key, value)` -> `resp.set_cookie(key, value, secure=True)`."""
    from bastion.fixes.target import add_keyword, has_double_star
    call = _call(t)
    if call is None or has_double_star(call) or keyword(call, "secure") is not None:
        return None
    return Rewrite("secure", "send the cookie over HTTPS only", REVIEW,
                   t.replace(call, add_keyword(call, "secure", cst.Name("True"))), note=note,
                   check="HTTP-only environments")


@recipe("BST106")
def cookie_httponly(t: Target):
    return _flip_assignment(t, "False", "True", "httponly", "hide the cookie from JavaScript",
                            "scripts in the page can no longer read the cookie: check no "
                            "front-end code reads it", "scripts that read the cookie")


@recipe("BST111")
def unpack_filter(t: Target):
    from bastion.fixes.target import add_keyword, has_double_star
    call = _call(t)
    if call is None or has_double_star(call) or keyword(call, "filter") is not None:
        return None
    new = add_keyword(call, "filter", cst.SimpleString('"data"'))
    return Rewrite("filter", 'unpack with filter="data"', REVIEW, t.replace(call, new),
                   note="needs Python 3.12 (or a 3.8-3.11 security release); links and special "
                        "files are refused: check the Python version you deploy on and whether "
                        "archives need links", check="the Python version and archives with links")


@recipe("BST112")
def numpy_no_pickle(t: Target):
    return _set_keyword(t, "allow_pickle", "True", "False", "no-pickle", "load without pickle",
                        "arrays of Python objects no longer load: check the files hold numeric "
                        "arrays only", "that the files hold no object arrays")


@recipe("BST114")
def yaml_unsafe(t: Target):
    """`yaml.unsafe_load(s)` -> `yaml.safe_load(s)`; `yaml.load_all(s, Loader=...)` ->
    `yaml.safe_load_all(s)`."""
    call = _call(t)
    if call is None or not isinstance(call.func, cst.Attribute) or any(a.star for a in call.args):
        return None
    name = t.call_qualname(call) or ""
    renames = {"yaml.unsafe_load": "safe_load", "yaml.unsafe_load_all": "safe_load_all",
               "yaml.load_all": "safe_load_all"}
    if name not in renames:
        return None
    args = positional(call)
    if not args or any(a.keyword and a.keyword.value != "Loader" for a in call.args):
        return None
    new = call.with_changes(func=call.func.with_changes(attr=cst.Name(renames[name])),
                            args=[args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)])
    return Rewrite("safe-load", f"use yaml.{renames[name]}", REVIEW, t.replace(call, new),
                   note=YAML_NOTE, check="custom tags and the loader's value types")


@recipe("BST115")
def keras_safe_mode(t: Target):
    return _drop_keyword(t, "safe_mode", "False", "safe-mode", "load in safe mode",
                         "models with Lambda layers or custom code no longer load: check the "
                         "models you load", "models with Lambda layers")


@recipe("BST116")
def no_remote_code(t: Target):
    return _drop_keyword(t, "trust_remote_code", "True", "no-remote-code",
                         "do not run the model repository's code",
                         "models that need their own code no longer load: check the model is "
                         "supported by the installed transformers", "that the model loads")


@recipe("BST121")
def pbkdf2_iterations(t: Target):
    call = _call(t)
    if call is None:
        return None
    arg = keyword(call, "iterations")
    if arg is None:
        args = positional(call)
        arg = args[3] if len(args) > 3 else None
    if arg is None or not isinstance(arg.value, cst.Integer):
        return None
    return Rewrite("iterations", "use 600,000 iterations", REVIEW,
                   t.replace(call, set_arg_value(call, arg, cst.Integer("600_000"))),
                   note="derived keys change: check that stored hashes record their iteration "
                        "count, or upgrade them at next login, or logins fail",
                   check="stored hashes")


@recipe("BST122")
def check_hostname(t: Target):
    return _flip_assignment(t, "False", "True", "check-hostname", "check the host name",
                            "connections to hosts whose certificate names differ fail: check "
                            "the names the code connects with", "the host names used")


@recipe("BST123")
def cert_required(t: Target):
    assign = _assigned(t)
    node = assign.value if assign is not None else None
    if node is None:
        call = _call(t)
        arg = keyword(call, "cert_reqs") if call is not None else None
        node = arg.value if arg is not None else None
    if not (isinstance(node, cst.Attribute) and node.attr.value == "CERT_NONE"):
        return None
    return Rewrite("cert-required", "require a valid certificate (CERT_REQUIRED)", REVIEW,
                   t.replace(node, node.with_changes(attr=cst.Name("CERT_REQUIRED"))),
                   note=_TLS_NOTE, check="private-CA servers")


@recipe("BST124")
def session_verify(t: Target):
    return _flip_assignment(t, "False", "True", "verify", "verify TLS certificates",
                            _TLS_NOTE, "private-CA servers")


@recipe("BST125")
def aiohttp_ssl(t: Target):
    return _drop_keyword(t, "ssl", "False", "ssl", "verify TLS certificates", _TLS_NOTE,
                         "private-CA servers") or \
        _drop_keyword(t, "verify_ssl", "False", "ssl", "verify TLS certificates", _TLS_NOTE,
                      "private-CA servers")


_TLS_NOTE = ("servers with self-signed or private-CA certificates are refused: check which servers "
             "this reaches, and give it the private CA bundle rather than turning checks off")


@recipe("BST130")
def lxml_entities(t: Target):
    return _set_keyword(t, "resolve_entities", "True", "False", "no-entities",
                        "do not resolve external entities",
                        "documents relying on entities change: check the documents you parse "
                        "do not need them", "documents that use entities") or _set_keyword(
        t, "no_network", "False", "True", "no-network", "keep the parser off the network",
        "documents that load DTDs over the network change: check none needs a remote DTD",
        "documents with remote DTDs")


@recipe("BST131")
def constant_time_compare(t: Target):
    """`expected == signature` -> `hmac.compare_digest(expected, signature)`."""
    node = t.at_finding(cst.Comparison)
    if not isinstance(node, cst.Comparison) or len(node.comparisons) != 1:
        return None
    op = node.comparisons[0].operator
    if not isinstance(op, (cst.Equal, cst.NotEqual)):
        return None
    sides = (node.left, node.comparisons[0].comparator)
    if any(_constant_like(side) for side in sides):
        return None  # an enum member or a number: compare_digest only takes str and bytes
    if not any(_SECRET_OPERAND.search(_last_name(side) or "") for side in sides):
        return None  # "token" or "sig" alone is too often a lexer token or a signal
    hmac = t.module_name("hmac")
    call = cst.Call(func=cst.Attribute(cst.Name(hmac), cst.Name("compare_digest")),
                    args=[cst.Arg(node.left,
                                  comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                          cst.Arg(node.comparisons[0].comparator)],
                    lpar=node.lpar, rpar=node.rpar)
    new = call if isinstance(op, cst.Equal) else cst.UnaryOperation(cst.Not(), call)
    return Rewrite("compare-digest", "compare in constant time (hmac.compare_digest)", REVIEW,
                   t.replace(node, new), imports=("hmac",) if hmac == "hmac" else (),
                   note="both values must be str (ASCII only) or bytes, of the same type, or it "
                        "raises TypeError: check the types of both sides",
                   check="both sides are str or bytes")


_SECRET_OPERAND = re.compile(
    r"(?i)(signature|digest|hmac|mac_?tag|secret|api_?key|csrf|(auth|access|api|session|reset|"
    r"refresh|bearer|verification)_?token)$")


def _last_name(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Subscript):
        return _last_name(node.value)
    return None


def _constant_like(node: cst.BaseExpression) -> bool:
    name = node.attr.value if isinstance(node, cst.Attribute) else (
        node.value if isinstance(node, cst.Name) else None)
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
        return True
    return name is not None and name.isupper() and len(name) > 1


_WORLD = ("S_IRWXO", "S_IWOTH")


@recipe("BST133")
def no_world_write(t: Target):
    """`os.chmod(p, stat.S_IRWXU | stat.S_IRWXO)` -> `os.chmod(p, stat.S_IRWXU)`."""
    call = _call(t)
    if call is None:
        return None
    args = positional(call)
    mode = keyword(call, "mode") or (args[1] if len(args) > 1 else None)
    if mode is None and len(args) == 1 and isinstance(call.func, cst.Attribute):
        mode = args[0]  # path.chmod(mode)
    if mode is None:
        return None
    value = mode.value
    if isinstance(value, cst.Integer):
        bits = value.evaluated_value
        if not bits & 0o002:
            return None
        new_bits = bits & ~0o002
        text = "0o" + format(new_bits, "o") if value.value[:2].lower() == "0o" else str(new_bits)
        new_value: cst.BaseExpression = cst.Integer(text)
    else:
        operands = _or_operands(value)
        kept = [o for o in operands if not (isinstance(o, cst.Attribute)
                                            and o.attr.value in _WORLD)]
        if not kept or len(kept) == len(operands):
            return None
        new_value = kept[0]
        for operand in kept[1:]:
            new_value = cst.BinaryOperation(new_value, cst.BitOr(), operand)
    return Rewrite("no-world-write", "remove write access for other users", REVIEW,
                   t.replace(call, set_arg_value(call, mode, new_value)),
                   note="other users can no longer write (or, for S_IRWXO, read) the file: check "
                        "which accounts need access", check="which accounts need access")


def _or_operands(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr) \
            and not node.lpar:
        return _or_operands(node.left) + _or_operands(node.right)
    return [node]
