"""Fixes that rewrite a whole statement: assert, silent except, secrets in code, temp paths."""

from __future__ import annotations

import os.path
import re

import libcst as cst

from bastion.fixes.base import REVIEW, Rewrite, recipe
from bastion.fixes.target import Target, dotted_name, string_value

_INVERSE = {cst.Equal: cst.NotEqual, cst.NotEqual: cst.Equal, cst.In: cst.NotIn,
            cst.NotIn: cst.In, cst.Is: cst.IsNot, cst.IsNot: cst.Is}


def _only_statement(t: Target, node: cst.CSTNode) -> cst.SimpleStatementLine | None:
    """The simple-statement line whose single statement is `node`."""
    for line in t.nodes(cst.SimpleStatementLine):
        if len(line.body) == 1 and line.body[0] is node:
            return line
    return None


def _negate(test: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not) and \
            not test.lpar:
        inner = test.expression
        return inner
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and not test.lpar:
        target = test.comparisons[0]
        inverse = _INVERSE.get(type(target.operator))
        if inverse is not None:
            old = target.operator
            if inverse in (cst.NotIn, cst.IsNot):
                operator = inverse(whitespace_before=old.whitespace_before,
                                   whitespace_after=old.whitespace_after)
            else:
                operator = inverse(whitespace_before=old.whitespace_before,
                                   whitespace_after=old.whitespace_after)
            return test.with_changes(comparisons=[target.with_changes(operator=operator)])
    if isinstance(test, (cst.BooleanOperation, cst.IfExp, cst.Lambda, cst.NamedExpr)) and \
            not test.lpar:
        test = test.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.UnaryOperation(operator=cst.Not(), expression=test)


@recipe("B101")
def assert_to_raise(t: Target):
    """`assert ok, "msg"` -> `if not ok:\\n    raise AssertionError("msg")`: the check also
    runs under `python -O`."""
    node = t.at_finding(cst.Assert)
    line = _only_statement(t, node) if node is not None else None
    if line is None:
        return None
    message = node.msg
    if message is not None and not isinstance(message, cst.Tuple) and len(message.lpar) == 1:
        message = message.with_changes(lpar=[], rpar=[])  # the call's parentheses suffice
    args = [cst.Arg(message)] if message is not None else []
    raise_stmt = cst.SimpleStatementLine(
        [cst.Raise(exc=cst.Call(func=cst.Name("AssertionError"), args=args))])
    test = node.test
    new = cst.If(test=_negate(test),
                 body=cst.IndentedBlock([raise_stmt], indent=t.statement.indent_unit,
                                        header=line.trailing_whitespace),
                 leading_lines=line.leading_lines)
    return Rewrite("raise", "raise AssertionError explicitly", REVIEW, t.replace(line, new),
                   note="the check now also runs under python -O, where the assert was "
                        "skipped: check that code run with -O passes it, and whether "
                        "AssertionError is the right error (a permission check should raise "
                        "PermissionError or answer 403)",
                   check="python -O runs and the exception type")


def _handler(t: Target) -> cst.ExceptHandler | None:
    node = t.at_finding(cst.ExceptHandler)
    return node if isinstance(node, cst.ExceptHandler) else None


def _log_call(t: Target) -> cst.SimpleStatementLine:
    logging = t.module_name("logging")
    code = f'{logging}.getLogger(__name__).warning("ignored exception", exc_info=True)'
    return cst.SimpleStatementLine([cst.Expr(cst.parse_expression(code))])


# What a one-statement `try` body is expected to raise, by what it does.
_OS_CALLS = ("os.remove", "os.unlink", "os.rmdir", "os.removedirs", "os.mkdir", "os.makedirs",
             "os.rename", "os.replace", "os.chmod", "os.chown", "os.kill", "os.symlink",
             "os.link", "os.close", "os.utime", "shutil.rmtree", "shutil.copy", "shutil.copy2",
             "shutil.copyfile", "shutil.move")


def _expected_error(t: Target, handler: cst.ExceptHandler) -> tuple[str, str] | None:
    """(exception, what raises it) for a `try` whose body is one statement with a known
    failure: an import, a file-system call, int()/float(), a subscript."""
    owner = next((n for n in t.nodes(cst.Try) if any(h is handler for h in n.handlers)), None)
    if owner is None or len(owner.handlers) != 1 or len(owner.body.body) != 1:
        return None
    line = owner.body.body[0]
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    stmt = line.body[0]
    if isinstance(stmt, (cst.Import, cst.ImportFrom)):
        return "ImportError", "the import"
    value = stmt.value if isinstance(stmt, (cst.Expr, cst.Assign)) else None
    if isinstance(value, cst.Call):
        name = t.call_qualname(value) or ""
        if name in _OS_CALLS:
            return "OSError", name
        if name in ("int", "float") and name not in t.bound:
            return "ValueError", f"{name}()"
    if isinstance(value, cst.Subscript):
        return "LookupError", "the lookup"
    return None


@recipe("B110", "B112")
def narrow_ignored_exception(t: Target):
    """`try: os.remove(p)\nexcept Exception: pass` -> `except OSError: pass`."""
    handler = _handler(t)
    expected = _expected_error(t, handler) if handler is not None else None
    if expected is None or (handler.type is not None and not (
            isinstance(handler.type, cst.Name) and handler.type.value in ("Exception",
                                                                          "BaseException"))):
        return None
    error, source = expected
    new = handler.with_changes(type=cst.Name(error),
                               whitespace_after_except=cst.SimpleWhitespace(" "))
    return Rewrite("narrow", f"ignore only {error} (what {source} raises)", REVIEW,
                   t.replace(handler, new),
                   note=f"only {error} is ignored now; any other error propagates to the "
                        "caller: decide whether the code can go on after those (a bare except "
                        "also caught KeyboardInterrupt and SystemExit)",
                   check="that other errors should propagate")


@recipe("B110", "B112")
def log_ignored_exception(t: Target):
    """`except Exception:\n    pass` -> log it at warning level with its traceback."""
    handler = _handler(t)
    if handler is None or not isinstance(handler.body, cst.IndentedBlock):
        return None
    body = list(handler.body.body)
    if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine) or \
            len(body[0].body) != 1:
        return None
    only = body[0]
    kind = only.body[0]
    if isinstance(kind, cst.Pass):
        new_body = [_log_call(t).with_changes(leading_lines=only.leading_lines,
                                              trailing_whitespace=only.trailing_whitespace)]
    elif isinstance(kind, cst.Continue):
        new_body = [_log_call(t).with_changes(leading_lines=only.leading_lines), only.with_changes(
            leading_lines=[])]
    else:
        return None
    new = handler.with_changes(body=handler.body.with_changes(body=new_body))
    imports = ("logging",) if t.module_name("logging") == "logging" else ()
    return Rewrite("log", "log the ignored exception as a warning, with its traceback", REVIEW,
                   t.replace(handler, new), imports=imports,
                   note="the exception is still swallowed, now logged: decide which errors the "
                        "code can go on after, catch only those (e.g. except OSError:) and let "
                        "the others propagate; a handler that runs often now fills the log",
                   check="which errors the code can go on after")


_ENV_NAME = re.compile(r"[^A-Za-z0-9]+")
# The name must end in a secret word (DB_PASSWORD, api_key, self.secret), not merely contain one
# (token_type, password_prompt): bandit's match is wider than what we offer to move.
_SECRET_NAME = re.compile(r"(?i)(^|_)(password|passwd|pwd|pass|passphrase|secret|token|key|"
                          r"apikey|api_key|credentials?)$")


def _secret_like(name: str, value: str | None) -> bool:
    return bool(value) and not value.isspace() and bool(_SECRET_NAME.search(name))


# os.environ[...] raises KeyError naming the variable, at the line that reads it: a missing secret
# stops the program there rather than letting it run with an empty one.
_ENV_NOTE = ("the secret is read from the environment: check that the variable is set wherever "
             "this runs (deployments, CI, tests); when it is not, os.environ raises KeyError "
             "naming it. Rotate the old value: it stays in the history")


def _env_name(name: str) -> str:
    return _ENV_NAME.sub("_", name).strip("_").upper() or "PASSWORD"


def _environ(t: Target, name: str) -> cst.BaseExpression:
    os_name = t.module_name("os")
    return cst.parse_expression(f'{os_name}.environ["{_env_name(name)}"]')


@recipe("B105")
def password_from_environment(t: Target):
    """`DB_PASSWORD = "s3cret"` -> `DB_PASSWORD = os.environ["DB_PASSWORD"]`."""
    node = t.at_finding((cst.SimpleString, cst.ConcatenatedString))
    if node is None or string_value(node) is None:
        return None
    for assign in t.nodes((cst.Assign, cst.AnnAssign)):
        if assign.value is not node:
            continue
        targets = [assign.target] if isinstance(assign, cst.AnnAssign) else \
            [a.target for a in assign.targets]
        if len(targets) != 1:
            return None
        target = targets[0]
        name = target.value if isinstance(target, cst.Name) else (
            target.attr.value if isinstance(target, cst.Attribute) else None)
        if name is None or not _secret_like(name, string_value(node)):
            return None
        return Rewrite("environ", f"read {_env_name(name)} from the environment", REVIEW,
                       t.replace(node, _environ(t, name)), imports=_os_import(t),
                       note=_ENV_NOTE, check=f"{_env_name(name)} is set where it runs")
    return None


@recipe("B106")
def password_argument_from_environment(t: Target):
    """`connect(password="s3cret")` -> `connect(password=os.environ["PASSWORD"])`."""
    call = t.at_finding(cst.Call)
    if not isinstance(call, cst.Call):
        return None
    literal = [a for a in call.args if a.keyword is not None
               and _secret_like(a.keyword.value, string_value(a.value))]
    if len(literal) != 1:
        return None
    arg = literal[0]
    name = _qualified_secret_name(t, call, arg.keyword.value)
    new = call.with_changes(args=[a.with_changes(value=_environ(t, name)) if a is arg else a
                                  for a in call.args])
    return Rewrite("environ", f"read {_env_name(name)} from the environment", REVIEW,
                   t.replace(call, new), imports=_os_import(t),
                   note=_ENV_NOTE, check=f"{_env_name(name)} is set where it runs")


def _qualified_secret_name(t: Target, call: cst.Call, keyword: str) -> str:
    """`db.connect(password=...)` -> `db_password`: the keyword alone names every secret of the
    file alike (PASSWORD), so it is prefixed with what the call is assigned to, else the object
    it is called on, else the function (`smtp.login` -> SMTP_PASSWORD, `conn = connect(...)`
    -> CONN_PASSWORD)."""
    prefix = None
    for assign in t.nodes(cst.Assign):
        if assign.value is call and len(assign.targets) == 1:
            prefix = dotted_name(assign.targets[0].target)
    if prefix is None:
        func = dotted_name(call.func) or (
            call.func.attr.value if isinstance(call.func, cst.Attribute) else "")
        head, _, last = func.rpartition(".")
        head = head.rpartition(".")[2]
        prefix = head if len(head) > 1 and head != "self" else last
    prefix = (prefix or "").rpartition(".")[2].strip("_")
    if len(prefix) < 2 or keyword.lower().startswith(prefix.lower()):
        return keyword
    return f"{prefix}_{keyword}"


def _os_import(t: Target) -> tuple[str, ...]:
    return ("os",) if t.module_name("os") == "os" else ()


def _free_name(t: Target, base: str) -> str | None:
    for name in (base, f"{base}_", f"_{base}"):
        if name not in t.bound and name not in t.aliases:
            return name
    return None


def _assigned_name(t: Target, value: cst.CSTNode) -> tuple[cst.SimpleStatementLine, cst.Assign,
                                                          cst.Name] | None:
    for line in t.nodes(cst.SimpleStatementLine):
        if len(line.body) == 1 and isinstance(line.body[0], cst.Assign):
            assign = line.body[0]
            if assign.value is value and len(assign.targets) == 1 and \
                    isinstance(assign.targets[0].target, cst.Name):
                return line, assign, assign.targets[0].target
    return None


def _mkstemp_lines(t: Target, line: cst.SimpleStatementLine, assign: cst.Assign, name: cst.Name,
                   call_args: list[cst.Arg], first=None) -> str | None:
    """`fd, name = tempfile.mkstemp(...)` and `os.close(fd)` in place of `line` (and then
    `return name` when `first` replaces a return statement)."""
    fd = _free_name(t, "fd")
    if fd is None:
        return None
    tempfile, os_name = t.module_name("tempfile"), t.module_name("os")
    call = cst.Call(func=cst.parse_expression(f"{tempfile}.mkstemp"), args=call_args)
    returns = first is not None
    first = (first or line).with_changes(body=[assign.with_changes(
        targets=[cst.AssignTarget(cst.Tuple([cst.Element(cst.Name(fd)), cst.Element(name)],
                                            lpar=[], rpar=[]))], value=call)])
    close = cst.SimpleStatementLine([cst.Expr(cst.parse_expression(f"{os_name}.close({fd})"))])
    lines = [first, close]
    if returns:
        lines.append(line.with_changes(body=[cst.Return(cst.Name(name.value))], leading_lines=[]))
    return t.replace(line, cst.FlattenSentinel(lines))


def _mkstemp_return(t: Target, call: cst.Call) -> str | None:
    """`return tempfile.mktemp(...)` -> `fd, path = tempfile.mkstemp(...)`, `os.close(fd)`,
    `return path`."""
    for line in t.nodes(cst.SimpleStatementLine):
        if len(line.body) == 1 and isinstance(line.body[0], cst.Return) and \
                line.body[0].value is call:
            name = _free_name(t, "path")
            if name is None:
                return None
            assign = cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=call)
            first = line.with_changes(body=[assign], trailing_whitespace=cst.TrailingWhitespace())
            text = _mkstemp_lines(t, line, assign, cst.Name(name), list(call.args), first=first)
            return text
    return None


def _imports(t: Target, *modules: str) -> tuple[str, ...]:
    return tuple(m for m in modules if t.module_name(m) == m)


@recipe("B306")
def mkstemp_instead_of_mktemp(t: Target):
    """`path = tempfile.mktemp(".csv")` -> `fd, path = tempfile.mkstemp(".csv")` + `os.close(fd)`:
    the file is created at once, with mode 0600, so nobody can take the name first."""
    call = t.at_finding(cst.Call)
    if not isinstance(call, cst.Call) or t.call_qualname(call) != "tempfile.mktemp":
        return None
    if any(a.star for a in call.args) or len(call.args) > 3:
        return None
    found = _assigned_name(t, call)
    if found is not None:
        line, assign, name = found
        text = _mkstemp_lines(t, line, assign, name, list(call.args))
    else:
        text = _mkstemp_return(t, call)
    if text is None:
        return None
    return Rewrite("mkstemp", "create the file securely with tempfile.mkstemp", REVIEW, text,
                   imports=_imports(t, "tempfile", "os"),
                   note="the file now exists (empty, mode 0600) when the next line runs: check "
                        "code that tests whether it exists or expects to create it",
                   check="code that expects the file not to exist")


@recipe("B108")
def tempfile_instead_of_tmp(t: Target):
    """`path = "/tmp/report.csv"` -> a new private file from `tempfile.mkstemp(suffix=".csv")`."""
    node = t.at_finding((cst.SimpleString,))
    value = string_value(node) if node is not None else None
    if value is None or not t.statement.in_function:
        return None  # at module level the file would be created on import
    found = _assigned_name(t, node)
    if found is None:
        return None
    line, assign, name = found
    base = os.path.basename(value.rstrip("/"))
    stem, suffix = os.path.splitext(base)
    if value.endswith("/") or not suffix or not stem or "{" in value or "%" in value:
        return None
    quote = node.value[len(node.prefix):][0]
    args = [cst.Arg(cst.SimpleString(f"{quote}{suffix}{quote}"), keyword=cst.Name("suffix"),
                    equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                          whitespace_after=cst.SimpleWhitespace("")))]
    text = _mkstemp_lines(t, line, assign, name, args)
    if text is None:
        return None
    return Rewrite("mkstemp", "use a private temporary file (tempfile.mkstemp)", REVIEW, text,
                   imports=_imports(t, "tempfile", "os"),
                   note="the file gets a new random name each run, and already exists (empty): "
                        "check that nothing else finds it by its old fixed name, and delete it "
                        "when done",
                   check="other code using the fixed name")
