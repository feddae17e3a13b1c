"""Tests written as a function of the module: `if not is_safe_url(target): abort(400)`,
`if is_unsafe_url(target): abort(400)`. A module-level function of a few assignments, early
returns and one last return (helper_paths.py) is run on the call's arguments (as closures.py
runs a nested helper), each path through it refined by the tests it passed, and its returned
expression refined as the result's truth, as an `if` would refine it (guards.py). What every
path returning that truth proves of a parameter (a path returning the other constant is none
of them; one returning True without a test proves nothing) holds of the argument the call was
given, on the branch where the call's result has that truth. A parameter the path binds again
proves nothing (`value = value[:20]`: the test is of another string). A method of the module
is run so too (`guard_helper`): a staticmethod or classmethod through its class, a method on
`self` or on a module-level instance, its `self.ALLOWED` read as its class's constant.

The hits and verdicts of those walks are not kept, the function being analysed on its own as well.

A function of another workspace module (or a staticmethod or classmethod of its classes) is not
run at the call: its summary says what its result being true, and false, proves of each
parameter (`Proof`, found when the summary is made, with the parameters' values of a summary,
and again with them as normalized paths), and the call applies it to the arguments it passes.
A method's proofs (its `self.ALLOWED` its class's constant) are for a module-level instance of
exactly its class (`from .policies import policy`, `policy = UrlPolicy()`: workspace.py exports
them under those names only) that the calling module leaves as built (object_uses.py).
Either way, a local holding a parameter's real path (`real = os.path.realpath(path)`, or of
the parameter joined to a folder) proved inside a folder proves the parameter inside it.
"""

from __future__ import annotations

import ast
import functools
from typing import TYPE_CHECKING

import attrs

from bastion.analyzers.taint.closures import MAX_DEPTH
from bastion.analyzers.taint.domain import CLEAN, COMPONENT, NORMALIZERS, join
from bastion.analyzers.taint.helper_paths import HelperPath, module_paths
from bastion.analyzers.taint.nodes import last_name
from bastion.analyzers.taint.results import Proof
from bastion.analyzers.taint.signatures import default_values, positional
from bastion.analyzers.taint.summaries import bind_arguments

if TYPE_CHECKING:
    from collections.abc import Callable

    from bastion.analyzers.taint.context_record import ModuleContext
    from bastion.analyzers.taint.entries import Function
    from bastion.analyzers.taint.expressions import Evaluator

Env = dict
# What a parameter holds when run as a normalized path (`proofs_of`)
_NORMALIZED = "os.path.realpath()"
# Calls that return the same path as another type: `Path(name)`, `str(p)`, `os.fspath(p)`
_SAME_PATH = frozenset({"Path", "PurePath", "str", "fspath"})
_PATH_MODULES = frozenset({"path", "posixpath"})  # `os.path.join`, `posixpath.join`
_BINDERS = frozenset({"staticmethod", "classmethod"})
_STOPS = frozenset({"abort", "exit", "_exit", "quit"})  # the last names of no_return.NO_RETURN
# The tests guards.py proves a normalized path inside a folder with
_CONTAINMENT = frozenset({"startswith", "is_relative_to", "relative_to", "parents", "commonpath"})


def guard_helper(ev: Evaluator, test: ast.Call, name: str | None) -> Function | None:
    """The function or method of the module `test` calls: `is_safe(p)`; a staticmethod or
    classmethod through its class (`Paths.is_safe(p)`); a method on `self` of a class no
    class of the module derived from it overrides (the instance may be of that one); a method
    on an instance of a class of the module (`policy = UrlPolicy()`, bound once: its kind),
    looked up from that class. Other decorators than those two: none (`@property`, a cache)."""
    func, module = test.func, ev.module
    callee = type(func)  # read once, as the owner's: no isinstance call a test (every call statement's)
    if callee is ast.Name:
        return module.function_named(name) if name else None
    if callee is not ast.Attribute or type(func.value) is not ast.Name:
        return None
    owner, method, through_class = func.value.id, func.attr, False
    if owner == "self" and ev.class_name is not None:  # its name is the kind of `self`, if any
        if any(ev.class_name in ancestors and module.function_named(f"{cls}.{method}")
               for cls, ancestors in module.parents.items()):
            return None  # overridden: `self` may be the derived class's
        cls = ev.class_name
    elif name is None:
        return None
    elif name.endswith(f"().{method}"):
        cls = name[:-len(method) - 3]  # an instance's kind: `UrlPolicy()`
    else:
        cls, through_class = name[:-len(method) - 1], True
    found = module.inherited(cls, method) if cls in module.parents else None
    function = module.function_named(found) if found else None
    if function is None or not all(isinstance(d, ast.Name) and d.id in _BINDERS
                                   for d in function.node.decorator_list) \
            or through_class and not function.node.decorator_list:
        return None  # `Paths.check(p)` of an instance method: `p` is its `self`
    return function


def helper_test(ev: Evaluator, function: Function | None, test: ast.Call, env: Env,
                refine: Callable[..., Env | None], truth: bool | None) -> Env:
    """`env` refined by `test`, a call of the module's `function` (`guard_helper`), being
    `truth` (None: having returned, `validate_url(target)` raising unless a test holds)."""
    if function is None or ev.depth >= MAX_DEPTH:
        return env
    paths = module_paths(ev.module, function.node)
    if paths is None or truth is None and not _reads(function.node)[0]:
        return env
    params = positional(function.node.args)[function.implicit_params:]
    with ev.evaluating_in(env):
        args = [ev.eval(a) for a in test.args]
        keywords = {k.arg: ev.eval(k.value) for k in test.keywords}
    bound = bind_arguments(tuple(p.arg for p in params), test, args, keywords)
    defaults = default_values(function.node.args)

    def start() -> Evaluator:
        # a method's `self.ALLOWED` reads its class's constant (class_constants.py)
        inner = type(ev)(ev.module, ev.models, ev.summaries, function.class_name, {})
        inner.share(ev)
        inner.env = {}
        for index, param in enumerate(params):
            value = bound.get(index)
            inner.env[param.arg] = value if value is not None else \
                inner.eval(defaults[param]) if param in defaults else CLEAN
        return inner
    return apply_proofs(test, _proofs(start, paths, params, refine, (truth,))[truth], env, truth)


def imported_test(ev: Evaluator, name: str | None, test: ast.Call, env: Env,
                  truth: bool | None) -> Env:
    """`env` refined by `test`, a call of a function of another workspace module (`from
    .safety import is_safe_url`, `safety.is_safe_url(nxt)`), being `truth`: what its summary
    proves (`Summary.proves`)."""
    external, root = ev.module.external, test.func
    if name is None or external is None:  # no workspace (a file alone): no root looked for
        return env
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name) or root.id in env:
        return env  # a local value's method, not a module's function
    if not any(isinstance(a, ast.Name) and a.id in env and env[a.id].tainted
               for a in [*test.args, *(k.value for k in test.keywords)]):
        return env  # nothing to prove: no summary computed for it
    summary = external(name, True)
    if summary is None:
        return env
    # a method's proofs for an instance of its class (`policy.allows(nxt)`, its summary given
    # for the instance's name): the object as built, its class constants as its module reads them
    built = isinstance(test.func, ast.Attribute) and ast.unparse(test.func.value) in ev.module.built
    return apply_proofs(test, tuple(p for p in summary.proves if built or not p.on_instance), env, truth)


def proofs_of(function: Function, start: Callable[[], Evaluator], refine: Callable[..., Env | None],
              module: ModuleContext) -> tuple[Proof, ...]:
    """For the function's summary, read by calls from other modules (guards.py): what its
    result being true, and being false, proves of each parameter. `start()` makes a walk, its
    `env` holding the parameters' values (origins of kind "param") the summary is made with.
    Run again with the parameters as normalized paths: a containment test
    (`os.path.commonpath([BASE, path]) == BASE`) proves something only of those, which the
    caller may pass (`Proof.normalized`); only a body naming such a test can. `module`: the
    function's (its constants and builtins it binds: helper_paths)."""
    instance = function.class_name is not None and not function.node.decorator_list
    paths = module_paths(module, function.node) \
        if instance or _bound_to_nothing(function) else None
    params = positional(function.node.args)[function.implicit_params:]
    if paths is None or not params:
        return ()
    raises, containment = _reads(function.node)
    truths = (True, False, None) if raises else (True, False)

    def normalized() -> Evaluator:
        walk = start()
        walk.env = {name: value.evolve(kind=_NORMALIZED) if value.tainted else value
                    for name, value in walk.env.items()}
        return walk
    found: list[Proof] = []
    proved = _proofs(start, paths, params, refine, truths)
    again = _proofs(normalized, paths, params, refine, truths) if containment else {}
    for truth in truths:
        plain = {p.param: p for p in proved[truth]}
        found += proved[truth]
        for proof in again.get(truth, ()):
            known = plain.get(proof.param)
            if known is None or known.value is None and proof.value is None \
                    and not proof.clean <= known.clean:
                found.append(attrs.evolve(proof, normalized=True,
                                          clean=proof.clean - known.clean if known else proof.clean))
    return tuple(attrs.evolve(p, on_instance=True) for p in found) if instance else tuple(found)


def _bound_to_nothing(function: Function) -> bool:
    """A function, or a staticmethod or classmethod, which its class alone calls with the same
    arguments: what its summary proves needs no instance (`self.ALLOWED` of which class?)."""
    return function.class_name is None or bool(function.node.decorator_list) and all(
        isinstance(d, ast.Name) and d.id in _BINDERS for d in function.node.decorator_list)


def apply_proofs(test: ast.Call, proofs: tuple[Proof, ...], env: Env, truth: bool | None) -> Env:
    """`env` where the call `test` of the function whose `proofs` they are returned `truth`."""
    for proof in proofs:
        argument = _argument(test, proof.param, proof.name)
        if proof.truth != truth or argument is None or argument.id not in env \
                or not env[argument.id].tainted:
            continue
        value = env[argument.id]
        if proof.normalized and not (value.kind or "").endswith(NORMALIZERS):
            continue
        env = {**env, argument.id: proof.value if proof.value is not None else value.evolve(
            clean=value.clean | proof.clean, prefix=value.prefix and not proof.host_fixed)}
    return env


def _proofs(start: Callable[[], Evaluator], paths: tuple[HelperPath, ...], params: list[ast.arg],
            refine: Callable[..., Env | None],
            truths: tuple[bool | None, ...]) -> dict[bool | None, tuple[Proof, ...]]:
    """What the function's result being each of `truths` proves of each parameter: what every
    path returning it proves (a path returning the other constant is not one of them; one
    returning a test proves what the test being that truth does, after the tests it passed).
    None: what every path that returns proves, whatever it returns. Each path is walked once."""
    found: dict[bool | None, list[dict[int, Proof]]] = {truth: [] for truth in truths}
    for path in paths:
        returned = path.returned
        wanted = [truth for truth in truths if truth is None or not isinstance(returned, ast.Constant)
                  or bool(returned.value) == truth]
        walked = _walked(start(), path, refine) if wanted else None
        for truth in wanted if walked is not None else ():
            proved = _path_proofs(walked, path, params, refine, truth)
            if proved is not None:
                found[truth].append(proved)
    # never that truth (no path): nothing to say of a branch never taken
    return {truth: tuple(_joined([p[index] for p in each]) for index in sorted(each[0])
                         if all(index in p for p in each)) if each else ()
            for truth, each in found.items()}


def _joined(proofs: list[Proof]) -> Proof:
    """What each of the paths' proofs of one parameter proves: a constant of those they
    proved, or clean for what all of them proved it clean for."""
    if all(p.value is not None for p in proofs):
        value = proofs[0].value
        for proof in proofs[1:]:
            value = join(value, proof.value)
        return attrs.evolve(proofs[0], value=value)
    cleans = [p.clean for p in proofs if p.value is None]
    return attrs.evolve(proofs[0], value=None, clean=frozenset.intersection(*cleans),
                        host_fixed=all(p.host_fixed for p in proofs if p.value is None))


def _walked(inner: Evaluator, path: HelperPath,
            refine: Callable[..., Env | None]) -> tuple[Evaluator, Env, Env] | None:
    """`inner` after the path's steps, `inner.env` having held the parameters' values (kept),
    with each local's value as assigned; None when the path never returns."""
    entry, assigned = dict(inner.env), {}
    for step in path.steps:
        if isinstance(step, (ast.Assign, ast.Expr)):
            inner.block([step])
            if inner.env is not None and isinstance(step, ast.Assign):
                assigned.update((t.id, inner.env.get(t.id)) for t in step.targets)
        else:
            inner.env = refine(inner, step[0], inner.env, step[1])
        if inner.env is None:
            return None
    return inner, entry, assigned


def _path_proofs(walked: tuple[Evaluator, Env, Env], path: HelperPath, params: list[ast.arg],
                 refine: Callable[..., Env | None], truth: bool | None) -> dict[int, Proof] | None:
    """What one path returning `truth` proves of each parameter."""
    inner, entry, assigned = walked
    proved = inner.env if truth is None or isinstance(path.returned, ast.Constant) \
        else refine(inner, path.returned, inner.env, truth)
    if proved is None:
        return None
    assignments = path.assignments()
    rebound = {t.id for s in assignments for t in s.targets}
    resolved = _resolved(assignments, assigned, proved, {p.arg for p in params})
    found = {}
    for index, param in enumerate(params):
        before, after = entry[param.arg], proved.get(param.arg)
        if after is None or not before.tainted or param.arg in rebound \
                or (after is before and param.arg not in resolved):
            continue
        # a constant, or what it proved
        found[index] = Proof(index, param.arg, None if after.tainted else after,
                             (after.clean - before.clean) | resolved.get(param.arg, frozenset())
                             if after.tainted else frozenset(), truth=truth,
                             host_fixed=after.tainted and before.prefix and not after.prefix)
    return found


def _resolved(assignments: list[ast.Assign], before: Env, proved: Env,
              params: set[str]) -> dict[str, frozenset[str]]:
    """`real = os.path.realpath(path)` proved inside a folder (`real.startswith(BASE)`): so is
    `path`, which names the file its real path names (`path` and `real` not bound again).
    `before` holds each local's value as assigned."""
    assigned = [t.id for s in assignments for t in s.targets]
    found: dict[str, frozenset[str]] = {}
    for statement in assignments:
        target, (param, joined) = statement.targets[0].id, _real_path_of(statement.value)
        if param not in params or param in assigned or assigned.count(target) != 1:
            continue
        value, was = proved.get(target), before.get(target)
        if value is not None and was is not None and (value.kind or "").endswith(NORMALIZERS) \
                and "path" in value.clean - was.clean:
            # a name joined to the folder: also safe joined to it again (`COMPONENT`), as the
            # caller does (`open(os.path.join(BASE, name))`), an absolute name being inside it
            found[param] = frozenset({"path", COMPONENT} if joined else {"path"})
    return found


def _real_path_of(node: ast.expr) -> tuple[str | None, bool]:
    """`path` of `os.path.realpath(path)`, `Path(path).resolve()`, `os.path.realpath(str(path))`:
    the symbolic links resolved, and nothing else done to the name (not `abspath`, `normpath`:
    `link/..` is not the folder holding the link); or of `os.path.realpath(os.path.join(base,
    path))` (then True: joined)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.keywords \
            and (node.func.attr == "resolve" and not node.args
                 or node.func.attr == "realpath" and len(node.args) == 1):
        node = node.args[0] if node.args else node.func.value
        while isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords \
                and last_name(node.func) in _SAME_PATH:
            node = node.args[0]
        joined = _joined_to(node)
        node = joined or node
        return (node.id if isinstance(node, ast.Name) else None), joined is not None
    return None, False


def _joined_to(node: ast.expr) -> ast.expr | None:
    """`name` of `os.path.join(base, name)`, `base / name`: the name looked up in a folder,
    proved inside it when the real path of the join is (the name neither climbs out of it nor
    replaces it, or replaces it by a path inside)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) \
            and not isinstance(node.left, ast.BinOp):
        return node.right
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Attribute) and func.attr == "join" and len(node.args) == 2 \
            and not node.keywords and last_name(func.value) in _PATH_MODULES:
        return node.args[-1]
    return None  # `os.path.join(BASE, user, name)`: `name` is inside `BASE/user`, not `BASE`


@functools.lru_cache(maxsize=256)
def _reads(node: ast.FunctionDef) -> tuple[bool, bool]:
    """(some path may raise or stop, `abort(400)`: the call having returned proves what the
    paths that return do; it names a path containment test, which may prove something of a
    normalized path). Filters only: what the walks find decides. Kept by node (a node is its
    own key, by identity, and held while kept): each call of a helper asks it, some 13 a
    function in the benchmark's long views, each a walk of the helper."""
    raises = containment = False
    for child in ast.walk(node):
        raises = raises or isinstance(child, ast.Raise) \
            or isinstance(child, ast.Call) and last_name(child.func) in _STOPS
        containment = containment or isinstance(child, ast.Attribute) and child.attr in _CONTAINMENT \
            or isinstance(child, ast.Name) and child.id in _CONTAINMENT
    return raises, containment


def _argument(test: ast.Call, index: int, name: str) -> ast.Name | None:
    """The local name the call passes as parameter `index` (`name`), if it passes one."""
    if index < len(test.args) and not any(isinstance(a, ast.Starred) for a in test.args[:index + 1]):
        given = test.args[index]
    else:
        given = next((k.value for k in test.keywords if k.arg == name), None)
    return given if isinstance(given, ast.Name) else None
