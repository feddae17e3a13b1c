"""Path guards: what a test proves about a path's text. `name.startswith("/")` or
`os.path.isabs(name)` false: `name` is not absolute (one component, when joined on to a base);
and containment (the `path_containment` guard model): a normalized path (`os.path.realpath`,
`Path.resolve`, ...) with `startswith(BASE)` / `is_relative_to(BASE)`, among whose parents a
directory is, or whose `os.path.commonpath` with a base is that base, stays inside it.

Separate from guards.py because these tests read paths only; guards.py dispatches to them.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import COMPONENT, NORMALIZERS
from bastion.analyzers.taint.item_guards import Env, narrow

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

_ABSOLUTE_TESTS = frozenset({"os.path.isabs", "posixpath.isabs"})
_COMMON_PATH = frozenset({"os.path.commonpath", "posixpath.commonpath", "ntpath.commonpath"})
_TEXT_OF = frozenset({"str", "builtins.str", "os.fspath"})


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
    if isinstance(prefixes, tuple) and "/" in prefixes:
        return narrow(env, func.value, frozenset({COMPONENT}))
    return narrow(env, test.args[0], frozenset({COMPONENT})) if absolute else env


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


def contained(ev: Evaluator, func: ast.Attribute, env: Env) -> Env:
    """`path.startswith(BASE)` / `path.is_relative_to(BASE)` holds of a normalized `path`, also
    of its text (`str(path).startswith(BASE)`, a resolved `Path`'s)."""
    subject = func.value
    if isinstance(subject, ast.Call) and len(subject.args) == 1 and not subject.keywords \
            and ev.qualname(subject.func) in _TEXT_OF:
        subject = subject.args[0]
    key = subject.id if isinstance(subject, ast.Name) else None
    if "path_containment" in ev.models.guard_models and key is not None and key in env \
            and (env[key].kind or "").endswith(NORMALIZERS):
        return narrow(env, subject, frozenset({"path"}))
    return env
