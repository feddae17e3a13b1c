"""Path guards: what a test proves about a path's text. `name.startswith("/")` or
`os.path.isabs(name)` false: `name` is not absolute (one component, when joined on to a base;
`name.startswith("-")` false, the same leading-character test: no option of a program's either);
and containment (the `path_containment` guard model): a normalized path (`os.path.realpath`,
`Path.resolve`, ...) with `startswith(BASE)` / `is_relative_to(BASE)`, among whose parents a
directory is, or whose `os.path.commonpath` with a base is that base, stays inside it; so does
the path whose normal form is tested so (`os.path.realpath(full).startswith(...)`); and a name
equal to its own `os.path.basename` has no directory.

Separate from guards.py because these tests read paths only; guards.py dispatches to them.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.arguments import ARGUMENT
from bastion.analyzers.taint.domain import APPENDED, COMPONENT, NORMALIZERS
from bastion.analyzers.taint.item_guards import Env, narrow
from bastion.analyzers.taint.local_bindings import bindings

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

_ABSOLUTE_TESTS = frozenset({"os.path.isabs", "posixpath.isabs"})
_COMMON_PATH = frozenset({"os.path.commonpath", "posixpath.commonpath", "ntpath.commonpath"})
_TEXT_OF = frozenset({"str", "builtins.str", "os.fspath"})
_SEPARATORS = ("/", "\\")
_SEPARATOR_NAMES = frozenset({"os.sep", "os.path.sep", "posixpath.sep", "ntpath.sep", "os.altsep"})
_DIRECTORIES = frozenset({"os.path.dirname", "posixpath.dirname", "ntpath.dirname"})
_JOINS = frozenset({"os.path.join", "posixpath.join", "ntpath.join"})
_NORMPATHS = frozenset({"os.path.normpath", "posixpath.normpath"})
_PATHS = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"})
# What one test proves toward one component, kept as marks in a value's `clean` (one_component)
_NO_SLASH, _NOT_DOT_LED = "path_no_slash", "path_not_dot_led"
_MARKS = frozenset({_NO_SLASH, _NOT_DOT_LED})
_BASENAMES = frozenset({"os.path.basename", "posixpath.basename", "ntpath.basename"})


def not_absolute(ev: Evaluator, test: ast.Call, env: Env) -> Env:
    """`name.startswith("/")` or `os.path.isabs(name)` is false: `name` is not absolute (with
    `".." in name` false too, it stays under the directory it is joined to)."""
    func = test.func
    if len(test.args) != 1:
        return env
    with ev.evaluating_in(env):
        absolute = ev.qualname(func) in _ABSOLUTE_TESTS
        prefixes = ev.eval(test.args[0]).const if isinstance(func, ast.Attribute) \
            and func.attr == "startswith" else None
    prefixes = (prefixes,) if isinstance(prefixes, str) else prefixes
    if isinstance(prefixes, tuple):
        # a normalized name's `..` can only lead it: not starting so, it has none
        cleans = {COMPONENT} if "/" in prefixes else set()
        if "-" in prefixes:  # a program reads no option in it (`git show REF`)
            cleans.add(ARGUMENT)
        if ".." in prefixes and _normalized_name(ev, func.value):
            cleans.add(APPENDED)
        return narrow(env, func.value, frozenset(cleans)) if cleans else env
    return narrow(env, test.args[0], frozenset({COMPONENT})) if absolute else env


def one_component(ev: Evaluator, tests: list[ast.expr], env: Env, truth: bool) -> Env:
    """Each of `tests` evaluated to `truth` (`"/" in name or name.startswith(".")` false, or
    `"/" not in name and not name.startswith(".")` true, or each in a condition of its own): a
    name with no separator that no dot leads is one component, neither `.` nor `..`, so it stays
    in the directory it is appended or joined to (neither test alone proves so: `..` has no
    separator, `a/../..` no leading dot). What one test proves of a local is kept in its value's
    `clean` as a mark (`_MARKS`) until the other does."""
    if "dotdot" not in ev.models.guard_models:
        return env
    facts: dict[str, tuple[ast.expr, set[str]]] = {}
    for test in tests:
        for name, mark in ((_slash_free(test, truth), _NO_SLASH), (_not_dot_led(test, truth), _NOT_DOT_LED)):
            if name is not None:
                facts.setdefault(ast.dump(name), (name, set()))[1].add(mark)
    for name, found in facts.values():
        held_before = env.get(name.id) if isinstance(name, ast.Name) else None
        marks = found | (held_before.clean if held_before is not None else set())
        if marks >= _MARKS:
            env = narrow(env, name, frozenset({APPENDED, COMPONENT}))
        elif held_before is not None and not found <= held_before.clean:
            env = narrow(env, name, frozenset(found))
    return env


def held(test: ast.expr, truth: bool) -> tuple[ast.expr, bool]:
    """`test` without its `not`s, and the truth it then has."""
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, truth = test.operand, not truth
    return test, truth


def without(test: ast.expr, truth: bool, part: str) -> ast.expr | None:
    """The value `test` (`part in value`, `part not in value`), evaluated to `truth`, proves
    does not hold `part`."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Constant) \
            and test.left.value == part and truth == isinstance(test.ops[0], ast.NotIn):
        return test.comparators[0]
    return None


def may_prove_facts(test: ast.expr) -> bool:
    """Whether `test`, no `not` around it, has a shape one_component or site_paths learns from
    (`"/" in name`, `"\\" in url`, `name.startswith(...)`, `parts.scheme`): a guard's other tests
    (~3 in 4 of a long view's) skip both, which found nothing in them (~20 calls a test)."""
    kind = type(test)
    if kind is ast.Attribute:
        return test.attr == "scheme" or test.attr == "netloc"
    if kind is ast.Compare:
        part = test.left.value if type(test.left) is ast.Constant else None
        return part == "/" or part == "\\"
    return kind is ast.Call and type(test.func) is ast.Attribute \
        and (test.func.attr == "startswith" or test.func.attr == "isprintable")


def prefix_test(test: ast.expr) -> tuple[ast.expr, object] | None:
    """(value, prefix) of `value.startswith(CONSTANT)`."""
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) \
            and test.func.attr == "startswith" and len(test.args) == 1 and not test.keywords \
            and isinstance(test.args[0], ast.Constant):
        return test.func.value, test.args[0].value
    return None


def _slash_free(test: ast.expr, truth: bool) -> ast.expr | None:
    """The name `test` (`"/" in name`) proves holds no `/`, evaluated to `truth`."""
    return without(*held(test, truth), "/")


def _not_dot_led(test: ast.expr, truth: bool) -> ast.expr | None:
    """The name `test` (`name.startswith(".")`) proves no dot leads, evaluated to `truth`."""
    test, truth = held(test, truth)
    prefixed = prefix_test(test) if not truth else None
    return prefixed[0] if prefixed is not None and prefixed[1] == "." else None


def _normalized_name(ev: Evaluator, node: ast.expr) -> bool:
    """`node` is a local bound only to `os.path.normpath(name)` of a name alone, not of a path
    joined to a base first (`normpath(join(BASE, name))` is the whole path: a test of its
    start says nothing of a name appended to it)."""
    bound = bindings(ev, node.id) if isinstance(node, ast.Name) else None
    return bool(bound) and all(
        isinstance(value, ast.Call) and ev.qualname(value.func) in _NORMPATHS
        and len(value.args) == 1 and not value.keywords
        and not isinstance(value.args[0], (ast.Call, ast.BinOp, ast.JoinedStr)) for value in bound)


def parent_of(env: Env, path: ast.expr) -> Env:
    """A directory is among a normalized `path`'s parents: `path` is inside it."""
    if isinstance(path, ast.Name) and path.id in env \
            and (env[path.id].kind or "").endswith(NORMALIZERS):
        return narrow(env, path, frozenset({"path"}))
    return env


def common_path(ev: Evaluator, env: Env, node: ast.expr) -> Env | None:
    """`os.path.commonpath([path, BASE]) == BASE` holds: a normalized `path` is inside BASE."""
    if "path_containment" not in ev.models.guard_models or not isinstance(node, ast.Call) \
            or ev.qualname(node.func) not in _COMMON_PATH or len(node.args) != 1 \
            or not isinstance(node.args[0], (ast.List, ast.Tuple)):
        return None
    for element in node.args[0].elts:
        if isinstance(element, ast.Name) and element.id in env \
                and (env[element.id].kind or "").endswith(NORMALIZERS):
            env = narrow(env, element, frozenset({"path"}))
    return env


def own_name(ev: Evaluator, env: Env, node: ast.expr, other: ast.expr) -> Env | None:
    """`os.path.basename(name) == name` holds: `name` is what `basename` gives, a name without a
    directory (one component inside the folder it is joined to)."""
    if "dotdot" not in ev.models.guard_models or not isinstance(node, ast.Call) \
            or len(node.args) != 1 or node.keywords or ev.qualname(node.func) not in _BASENAMES \
            or ast.dump(node.args[0]) != ast.dump(other):
        return None
    return narrow(env, other, frozenset({"path", COMPONENT}))


def contained(ev: Evaluator, test: ast.Call, env: Env) -> Env:
    """`path.startswith(BASE)` / `path.is_relative_to(BASE)` holds of a normalized `path`, also
    of its text (`str(path).startswith(BASE)`, a resolved `Path`'s). Text ends where its base
    does only at a separator: `startswith("/srv/files")` also passes `/srv/files2/x`, a sibling,
    so a base known to end without one (a constant, or a normalized path, which never ends with
    one) proves nothing; `BASE + os.sep`, `os.path.join(BASE, "")` do. Nor does a base the
    request gives."""
    func = test.func
    if not isinstance(func, ast.Attribute):
        return env
    subject = _text_of(ev, func.value)
    formed = _normal_form_of(ev, subject)
    subject = formed or subject
    key = subject.id if isinstance(subject, ast.Name) else None
    if "path_containment" in ev.models.guard_models and key is not None and key in env \
            and (formed is not None or (env[key].kind or "").endswith(NORMALIZERS)) \
            and not _chosen_base(ev, test, env) \
            and (func.attr != "startswith" or not _sibling_prefix(ev, test, env)):
        return narrow(env, subject, frozenset({"path"}))
    return env


def _normal_form_of(ev: Evaluator, node: ast.expr) -> ast.Name | None:
    """The name `node` is the normal form of (`os.path.realpath(full)`, `Path(full).resolve()`):
    inside a base as that form is, since the file `full` opens is the one the form names."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "resolve" and not node.args:
        node = node.func.value  # `Path(full)` of `Path(full).resolve()`
        normal = isinstance(node, ast.Call) and ev.qualname(node.func) in _PATHS
    else:
        normal = isinstance(node, ast.Call) and f"{ev.qualname(node.func)}()".endswith(NORMALIZERS)
    if normal and isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords \
            and isinstance(node.args[0], ast.Name):
        return node.args[0]
    return None


def _chosen_base(ev: Evaluator, test: ast.Call, env: Env) -> bool:
    """Whether the base is untrusted data: the sender picks the directory the path is in. A
    helper's own parameter (`check(base, name)`) is its callers' base, trusted as before."""
    with ev.evaluating_in(env):
        return any(origin.kind != "param" for arg in test.args for origin in ev.eval(arg).deep_taint())


def _text_of(ev: Evaluator, node: ast.expr) -> ast.expr:
    """The path whose text `node` is (`str(path)`), or `node`."""
    if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords \
            and ev.qualname(node.func) in _TEXT_OF:
        return node.args[0]
    return node


def _sibling_prefix(ev: Evaluator, test: ast.Call, env: Env) -> bool:
    """Whether the prefix `test` (a `startswith`) is given is known to end without a separator
    (one of them, for a tuple): a sibling directory starts with it too."""
    if len(test.args) != 1 or test.keywords:
        return False
    with ev.evaluating_in(env):
        return _without_separator(ev, test.args[0])


def _without_separator(ev: Evaluator, node: ast.expr, seen: frozenset[str] = frozenset()) -> bool:
    """Whether the text `node` gives ends without a separator (`seen`: the names whose bindings
    are being read, each read once)."""
    if isinstance(node, ast.Tuple):
        return any(_without_separator(ev, element, seen) for element in node.elts)
    if _with_separator(ev, node):
        return False
    const = ev.eval(node).const
    if isinstance(const, (str, tuple)):
        texts = (const,) if isinstance(const, str) else const
        return any(isinstance(t, str) and not t.endswith(_SEPARATORS) for t in texts)
    node = _text_of(ev, node)
    if (ev.eval(node).kind or "").endswith(NORMALIZERS) or _normalized(ev, node):
        return True
    if not isinstance(node, ast.Name) or node.id in seen:
        return False
    # `base = os.path.realpath(BASE)` in the function, or a global the module binds so
    bound = bindings(ev, node.id)
    if bound:
        return all(_without_separator(ev, value, seen | {node.id}) for value in bound)
    return bound is not None and (ev.module.kinds.get(node.id) or "").endswith(NORMALIZERS)


def _normalized(ev: Evaluator, node: ast.expr) -> bool:
    """A normalized path, or a directory's (`os.path.dirname`): text ending without a separator
    (but the root's)."""
    return isinstance(node, ast.Call) and (
        isinstance(node.func, ast.Attribute) and node.func.attr == "resolve"
        or f"{ev.qualname(node.func)}()".endswith(NORMALIZERS)
        or ev.qualname(node.func) in _DIRECTORIES)


def _with_separator(ev: Evaluator, node: ast.expr) -> bool:
    """`BASE + os.sep`, `f"{BASE}/"`, `os.path.join(BASE, "")`: text ending with a separator."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _with_separator(ev, node.right)
    if isinstance(node, ast.JoinedStr):
        return bool(node.values) and _with_separator(ev, node.values[-1])
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value.endswith(_SEPARATORS)
    if isinstance(node, ast.Call):
        return ev.qualname(node.func) in _JOINS and bool(node.args) \
            and isinstance(last := node.args[-1], ast.Constant) and last.value == ""
    return isinstance(node, (ast.Name, ast.Attribute)) and ev.qualname(node) in _SEPARATOR_NAMES
