"""Fixes that rewrite one call: an argument dropped, added or changed, or the callee renamed."""

from __future__ import annotations

import ast
import re

import libcst as cst

from bastion.fixes.base import REVIEW, Rewrite, recipe
from bastion.fixes.target import (
    Target,
    add_keyword,
    drop_arg,
    expr,
    has_double_star,
    has_star,
    keyword,
    positional,
    set_arg_value,
    set_keyword,
    string_value,
)

HTTP_MODULES = ("requests", "httpx")


def _call(t: Target) -> cst.Call | None:
    node = t.at_finding(cst.Call)
    return node if isinstance(node, cst.Call) else None


def _is_true(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def _is_false(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "False"


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


YAML_NOTE = ("yaml.safe_load builds plain types only. Check the loader it replaces: a SafeLoader "
             "subclass with custom constructors loses its tags (they now raise "
             "ConstructorError), BaseLoader returned every scalar as a string (now ints, bools, "
             "dates), and documents with python/* tags are refused")


@recipe("B506")
def yaml_safe_load(t: Target):
    """`yaml.load(s, Loader=yaml.Loader)` -> `yaml.safe_load(s)`."""
    call = _call(t)
    if call is None or not isinstance(call.func, cst.Attribute) or has_star(call):
        return None
    if call.func.attr.value != "load" or t.qualname(call.func) != "yaml.load":
        return None
    args = positional(call)
    allowed = ("Loader", "stream")
    if not args or any(a.keyword and a.keyword.value not in allowed for a in call.args):
        return None
    stream = keyword(call, "stream") or args[0]
    new = call.with_changes(func=call.func.with_changes(attr=cst.Name("safe_load")),
                            args=[stream.with_changes(comma=cst.MaybeSentinel.DEFAULT)])
    return Rewrite("safe-load", "use yaml.safe_load", REVIEW, t.replace(call, new),
                   note=YAML_NOTE, check="custom tags and the loader's value types")


@recipe("B113")
def request_timeout(t: Target):
    """`requests.get(url)` -> `requests.get(url, timeout=10)`."""
    call = _call(t)
    if call is None or has_double_star(call):
        return None
    name = t.call_qualname(call) or ""
    if name.split(".")[0] not in HTTP_MODULES:
        return None
    existing = keyword(call, "timeout")
    if existing is not None and not _is_none(existing.value):
        return None
    new = set_keyword(call, "timeout", cst.Integer("10"))
    return Rewrite("timeout", "add timeout=10", REVIEW, t.replace(call, new),
                   note="a request that waits more than 10 s for the server now raises "
                        "a Timeout error instead of hanging: check that 10 s suits the slowest "
                        "legitimate response (uploads, reports) and that the error is handled",
                   check="the slowest legitimate response")


@recipe("B501")
def request_verify(t: Target):
    """`requests.get(url, verify=False)` -> `requests.get(url)`."""
    call = _call(t)
    if call is None:
        return None
    name = t.call_qualname(call) or ""
    arg = keyword(call, "verify")
    if name.split(".")[0] not in HTTP_MODULES or arg is None or not _is_false(arg.value):
        return None
    return Rewrite("verify", "verify TLS certificates (remove verify=False)", REVIEW,
                   t.replace(call, drop_arg(call, arg)),
                   note="servers with self-signed or private-CA certificates are now refused: "
                        "check which servers this reaches; for a private CA pass verify= the "
                        "CA bundle's path instead",
                   check="private-CA servers")


@recipe("B201")
def flask_debug(t: Target):
    """`app.run(debug=True)` -> `app.run()`."""
    call = _call(t)
    arg = keyword(call, "debug") if call is not None else None
    if arg is None or not _is_true(arg.value):
        return None
    return Rewrite("debug", "run without the debugger (remove debug=True)", REVIEW,
                   t.replace(call, drop_arg(call, arg)),
                   note="the interactive debugger and the reloader are off: check that this "
                        "entry point is not the one developers use locally (turn debug on "
                        "from an environment variable there instead)",
                   check="local development start-up")


@recipe("B202")
def tarfile_filter(t: Target):
    """`tar.extractall(dest)` -> `tar.extractall(dest, filter="data")`."""
    call = _call(t)
    if call is None or not isinstance(call.func, cst.Attribute) or has_double_star(call):
        return None
    if call.func.attr.value not in ("extractall", "extract") or keyword(call, "filter"):
        return None
    if keyword(call, "members") is not None or len(positional(call)) > 2:
        return None
    new = add_keyword(call, "filter", cst.SimpleString('"data"'))
    return Rewrite("filter", 'extract with filter="data"', REVIEW, t.replace(call, new),
                   note='needs Python 3.12, or a 3.8-3.11 release with the tarfile filters; '
                        'links, devices and unusual permissions are refused or reset: check the '
                        'Python version you deploy on and whether archives need links',
                   check="the Python version and archives with links")


@recipe("B614")
def torch_weights_only(t: Target):
    """`torch.load(f)` -> `torch.load(f, weights_only=True)`."""
    call = _call(t)
    if call is None or has_double_star(call):
        return None
    if t.call_qualname(call) not in ("torch.load", "torch.serialization.load"):
        return None
    new = set_keyword(call, "weights_only", cst.Name("True"))
    return Rewrite("weights-only", "load weights only (weights_only=True)", REVIEW,
                   t.replace(call, new),
                   note="pickled whole models (not state dicts) no longer load: check what "
                        "the files hold (and torch >= 2.6, where earlier weights_only had "
                        "bypasses)",
                   check="that the files hold state dicts")


@recipe("B701")
def jinja_autoescape(t: Target):
    """`jinja2.Environment(...)` -> `jinja2.Environment(..., autoescape=True)`."""
    call = _call(t)
    if call is None or has_double_star(call):
        return None
    name = t.call_qualname(call) or ""
    if not name.startswith("jinja2.") or name.rsplit(".", 1)[-1] != "Environment":
        return None
    arg = keyword(call, "autoescape")
    if arg is not None and not _is_false(arg.value):
        return None
    new = set_keyword(call, "autoescape", cst.Name("True"))
    return Rewrite("autoescape", "escape HTML in templates (autoescape=True)", REVIEW,
                   t.replace(call, new),
                   note="values with markup are now escaped: check templates that insert "
                        "trusted HTML and mark it with |safe or Markup",
                   check="templates that insert trusted HTML")


@recipe("B323")
def default_context(t: Target):
    """`ssl._create_unverified_context()` -> `ssl.create_default_context()`."""
    call = _call(t)
    if call is None or call.args or not isinstance(call.func, cst.Attribute):
        return None
    if t.call_qualname(call) != "ssl._create_unverified_context":
        return None
    new = call.with_changes(func=call.func.with_changes(attr=cst.Name("create_default_context")))
    return Rewrite("default-context", "use ssl.create_default_context()", REVIEW,
                   t.replace(call, new),
                   note="certificates and host names are now checked: check the servers this "
                        "connects to have certificates the system trusts",
                   check="the servers' certificates")


_SECRETS_SAME = {"choice": "choice"}
_SYSTEM_RANDOM = ("random", "uniform", "randint", "randrange", "choices", "sample", "shuffle",
                  "triangular", "betavariate", "expovariate", "gammavariate", "gauss",
                  "lognormvariate", "normalvariate", "vonmisesvariate", "paretovariate",
                  "weibullvariate", "getrandbits", "randbytes")


@recipe("B311")
def random_secrets(t: Target):
    """`random.choice(x)` -> `secrets.choice(x)`; others use `secrets.SystemRandom()`."""
    call = _call(t)
    if call is None:
        return None
    name = t.call_qualname(call) or ""
    module, _, func = name.rpartition(".")
    if module != "random":
        return None
    if func in _SECRETS_SAME:
        new_func = expr(f"secrets.{_SECRETS_SAME[func]}")
    elif func == "randrange" and len(call.args) == 1 and not call.args[0].keyword \
            and not call.args[0].star:
        new_func = expr("secrets.randbelow")
    elif func in _SYSTEM_RANDOM:
        new_func = expr(f"secrets.SystemRandom().{func}")
    else:
        return None
    return Rewrite("secrets", f"use secrets instead of random.{func}", REVIEW,
                   t.replace(call, call.with_changes(func=new_func)), imports=("secrets",),
                   note="values can no longer be reproduced with random.seed(): check that "
                        "no test or simulation relies on a seed",
                   check="code that seeds random")


@recipe("B307")
def literal_eval(t: Target):
    """`eval(text)` -> `ast.literal_eval(text)`."""
    call = _call(t)
    if call is None or not isinstance(call.func, cst.Name) or call.func.value != "eval":
        return None
    if len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
        return None
    if t.aliases.get("eval") or "eval" in t.bound:
        return None
    if not _may_be_literal(call.args[0].value):
        return None  # the code evaluates an expression: literal_eval would refuse every input
    return Rewrite("literal-eval", "use ast.literal_eval", REVIEW,
                   t.replace(call, call.with_changes(func=expr("ast.literal_eval"))),
                   imports=("ast",),
                   note="only Python literals are accepted (numbers, strings, lists, dicts, "
                        "tuples, sets, True/False/None): check that the input is never an "
                        "expression; arithmetic, names and calls now raise ValueError",
                   check="that the input is only ever a literal")


# Names that say the value is code, not data: eval of them is an expression evaluator.
_EXPRESSION_NAME = re.compile(r"(?i)(expr|expression|formula|calc|code|source|src|cmd|command|"
                              r"statement|condition|predicate|rule|lambda|func|script)s?$")


def _may_be_literal(arg: cst.BaseExpression) -> bool:
    """The evaluated value can be a Python literal: a constant string that is one, or a value
    whose name does not say it holds an expression. Strings built in place (`"2*" + x`, an
    f-string, `%`, `.format`) are expressions by construction."""
    value = string_value(arg)
    if value is not None:
        try:
            ast.literal_eval(value)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return False
        return True
    if isinstance(arg, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString,
                        cst.BinaryOperation)):
        return False
    if isinstance(arg, cst.Call) and isinstance(arg.func, cst.Attribute) and \
            arg.func.attr.value in ("format", "join", "replace"):
        return False
    name = _last_name(arg)
    return name is None or not _EXPRESSION_NAME.search(name)


def _last_name(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Subscript):
        index = node.slice[0].slice if len(node.slice) == 1 else None
        key = string_value(index.value) if isinstance(index, cst.Index) else None
        return key or _last_name(node.value)
    if isinstance(node, cst.Call):
        args = [a for a in node.args if not a.keyword]
        key = string_value(args[0].value) if args else None  # request.args.get("expr")
        return key or _last_name(node.func)
    return None


@recipe("B103")
def chmod_owner_only(t: Target):
    """`os.chmod(p, 0o777)` -> `os.chmod(p, 0o700)`: no group or other permissions."""
    call = _call(t)
    if call is None or len(call.args) != 2 or any(a.keyword or a.star for a in call.args):
        return None
    mode_node = call.args[1].value
    if not isinstance(mode_node, cst.Integer):
        return None
    mode = mode_node.evaluated_value
    new_mode = mode & 0o700
    if new_mode == mode:
        return None
    text = mode_node.value
    digits = "0o" + format(new_mode, "o") if text[:2].lower() == "0o" else (
        hex(new_mode) if text[:2].lower() == "0x" else str(new_mode))
    new = set_arg_value(call, call.args[1], cst.Integer(digits))
    return Rewrite("owner-only", f"restrict permissions to the owner ({digits})", REVIEW,
                   t.replace(call, new),
                   note="the group and other users lose access: check which accounts (a web "
                        "server, a deploy user) must read the file",
                   check="which accounts need access")


_KEY_FUNCS = ("generate_private_key",)


@recipe("B505")
def key_size(t: Target):
    """`rsa.generate_private_key(65537, 1024)` -> `... 3072`."""
    call = _call(t)
    if call is None:
        return None
    name = t.call_qualname(call) or ""
    if not name.endswith(_KEY_FUNCS) or not (".rsa." in name or ".dsa." in name):
        return None
    arg = keyword(call, "key_size")
    if arg is None:
        args = positional(call)
        index = 1 if ".rsa." in name else 0
        arg = args[index] if len(args) > index else None
    if arg is None or not isinstance(arg.value, cst.Integer):
        return None
    return Rewrite("key-size", "use a 3072-bit key", REVIEW,
                   t.replace(call, set_arg_value(call, arg, cst.Integer("3072"))),
                   note="keys are larger and slower; peers limited to small keys fail: check "
                        "the peers and hardware that use the key",
                   check="peers limited to small keys")


@recipe("B507")
def reject_unknown_hosts(t: Target):
    """`c.set_missing_host_key_policy(paramiko.AutoAddPolicy())` -> RejectPolicy, after loading
    the system's known hosts."""
    outer = _call(t)
    if outer is None or not isinstance(outer.func, cst.Attribute) or \
            outer.func.attr.value != "set_missing_host_key_policy" or len(outer.args) != 1:
        return None
    policy = outer.args[0].value
    if isinstance(policy, cst.Call):
        named, wrap = policy.func, lambda new: policy.with_changes(func=new)
    else:
        named, wrap = policy, lambda new: new
    if not isinstance(named, cst.Attribute) or named.attr.value not in ("AutoAddPolicy",
                                                                        "WarningPolicy"):
        return None
    new_policy = wrap(named.with_changes(attr=cst.Name("RejectPolicy")))
    line = t.simple_line()
    if line is not None and isinstance(line.body[0], cst.Expr) and line.body[0].value is outer:
        text = t.lines_before(line, f"{t.node_code(outer.func.value)}.load_system_host_keys()\n",
                              policy, new_policy)
    else:
        text = t.replace(policy, new_policy)
    return Rewrite("reject-policy", "reject unknown host keys (RejectPolicy)", REVIEW, text,
                   note="hosts missing from known_hosts are refused: check the host keys are "
                        "in the system's or the user's known_hosts where this runs",
                   check="known_hosts on every machine")


__all__ = ["yaml_safe_load", "request_timeout", "request_verify", "string_value"]
