"""The paths through a guard helper's body, as people write one: assignments to names, calls,
`if` tests that return early (or raise, or `abort(400)`), one `return` at the end (`if not
name: return False` ... `return full.startswith(base + os.sep)`), a `try` of calls whose
handlers return a constant (`try: int(value) except ValueError: return False`). Each path is
what it runs (an assignment, a call, or a test with the truth it had) and what it returns; a
path ending in `raise` returns nothing and is none, nor one whose call stops (the walk finds).
helper_guards.py runs each path and keeps what every path returning the wanted truth proves.

A `for` over a literal tuple or list of constants, or over a module-level name bound once to
one and never changed (`ModuleContext.constants`), runs its body once per element in order, each
time after an assignment of the element to the loop's name (`for prefix in ALLOWED: if
url.startswith(prefix): return True`): the paths Python takes. Its body holds no other loop, no
`break` or `continue`. A copy of one iterates its elements: `sorted(ALLOWED)` in sorted order
(elements Python cannot order make no guard helper), `tuple(...)` or `list(...)` in the
constant's order (a set's unknown), the builtins unless the function binds the name. A set's
order is not the text's: only a body of one `if` that returns or
raises is read, each element's path having the element's test hold and no other test failed
before it (which ones did depends on the order: a path knowing less proves less), and the path
on having every test failed.

Bounded: at most MAX_STATEMENTS statements (nested ones counted), MAX_ELEMENTS elements a loop
and MAX_PATHS paths; any other loop, a `with` or any other statement, and the function is no
guard helper (None).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion import attrs_classes
from bastion.analyzers.taint.module_level import fold_constant
from bastion.analyzers.taint.nodes import nodes
from bastion.analyzers.taint.signatures import packed

if TYPE_CHECKING:
    from collections.abc import Mapping

    from bastion.analyzers.taint.context_record import ModuleContext
    from bastion.analyzers.taint.domain import Value
    from bastion.engine.cache import LRU

MAX_STATEMENTS = 12
MAX_PATHS = 16
MAX_ELEMENTS = 8
ELEMENTS = (str, bytes, int, float, type(None))  # bool is an int
_COPIES = frozenset({"sorted", "tuple", "list"})
_NONE = ast.Constant(None)  # what falling off the end, or a bare `return`, returns


@attrs_classes.frozen
class HelperPath:
    # in order: an assignment, a call that returned, or (test, the truth it had)
    steps: tuple[ast.Assign | ast.Expr | tuple[ast.expr, bool], ...]
    returned: ast.expr

    def assignments(self) -> list[ast.Assign]:
        return [s for s in self.steps if isinstance(s, ast.Assign)]


def helper_paths(node: ast.FunctionDef | ast.AsyncFunctionDef,
                 constants: Mapping[str, Value] | None = None,
                 shadowed: frozenset[str] = frozenset()) -> tuple[HelperPath, ...] | None:
    """The paths through the function's body, or None when it is not a small guard helper;
    `constants`, the module's (a loop over one of them is unrolled); `shadowed`, the copying
    builtins the module binds (`ModuleContext.shadowed`)."""
    body = _small_body(node)
    if body is None:
        return None
    loops = [n.iter for n in nodes(node) if isinstance(n, ast.For)]  # their order matters not
    if not loops:  # most functions: no constant to unroll, no local to tell from one
        return _paths(body, {})
    return _looping(node, body, loops, constants, shadowed)


def module_paths(module: ModuleContext,
                 node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[HelperPath, ...] | None:
    """`helper_paths` of the module's function by its constants and shadowed builtins, once per
    node: each test calling a helper and each summary asked again (10,062 calls on 3,211
    functions in the stdlib scan). The answer is kept with the constants and shadowed it was
    read by, and read again if the context holds others (its dicts are never changed in place)."""
    kept = module.helper_memo.get(node)
    if kept is not None and kept[0] is module.constants and kept[1] == module.shadowed:
        return kept[2]
    answer = helper_paths(node, module.constants, module.shadowed)
    module.helper_memo[node] = (module.constants, module.shadowed, answer)
    return answer


def kept_paths_found(memo: LRU | None, module: ModuleContext,
                     node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether `module_paths(module, node)` is found, kept in `memo` (the analyzer's, across
    texts; None: not kept) by the node, with the shadowed builtins and the values of the module's
    constants its loops may iterate it was read by. A context's constants are a new dict at each
    keystroke, their values the same objects while the top-level statements are (context_reuse's
    kept_level): argparse.py's looping helpers were read again at every key."""
    key = (b"looping helper", id(node))
    kept = memo.get(key) if memo is not None else None
    constants = module.constants
    if kept is not None and kept[0] is node and kept[1] == module.shadowed \
            and all(constants.get(name) is value for name, value in kept[2]):
        return kept[3]
    found = module_paths(module, node) is not None
    if memo is not None:
        local, iterated = _names(node, [n.iter for n in nodes(node) if isinstance(n, ast.For)])
        memo.put(key, (node, module.shadowed,
                       tuple((name, constants.get(name)) for name in iterated - local), found))
    return found


def may_help(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether `helper_paths` of the function may be found, whatever the module's constants: a
    function too long or of the wrong kind is no guard helper, with a loop or not."""
    return _small_body(node) is not None


def _small_body(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.stmt] | None:
    """The function's statements after its docstring, if it may be a guard helper at all."""
    if isinstance(node, ast.AsyncFunctionDef) or packed(node.args):
        return None
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    # each statement counts one at least: a long function is told without counting its nested
    # ones (a keystroke's new node of a 300-statement view is asked twice, 0.4 ms each)
    return None if not body or len(body) > MAX_STATEMENTS or _count(body) > MAX_STATEMENTS else body


def _looping(node: ast.FunctionDef, body: list[ast.stmt], loops: list[ast.expr],
             constants: Mapping[str, Value] | None,
             shadowed: frozenset[str]) -> tuple[HelperPath, ...] | None:
    """`helper_paths` of a function with a `for` loop (`loops`: what each iterates)."""
    local, iterated = _names(node, loops)
    if any(isinstance(i, ast.Call) and isinstance(i.func, ast.Name) and i.func.id in local | shadowed
           for i in loops):
        return None  # `sorted` of its own or its module's: a copy or not
    if iterated and constants:
        # a module's constant, not a local of that name
        constants = {k: constants[k] for k in iterated - local if k in constants}
    return _paths(body, constants if iterated and constants else {})


def _names(node: ast.FunctionDef | ast.AsyncFunctionDef, loops: list[ast.expr]) -> tuple[set[str], set[str]]:
    """The function's local names, and the names its loops iterate (or a copy of)."""
    local = {a.arg for a in nodes(node.args) if isinstance(a, ast.arg)} | {
        n.id for n in nodes(node) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    return local, {i.id for i in map(_copied, loops) if isinstance(i, ast.Name)}


def _paths(body: list[ast.stmt], constants: Mapping[str, Value]) -> tuple[HelperPath, ...] | None:
    paths: list[HelperPath] = []
    return tuple(paths) if _walk(body, (), paths, constants) else None


def _count(body: list[ast.stmt]) -> int:
    return sum(1 + (_count(s.body) + _count(s.orelse) if isinstance(s, (ast.If, ast.Try, ast.For)) else 0)
               + sum(_count(h.body) for h in getattr(s, "handlers", ())) for s in body)


def _walk(body: list[ast.stmt], steps: tuple, paths: list[HelperPath],
          constants: Mapping[str, Value]) -> bool:
    """Adds the paths through `body` after `steps` to `paths`: False on a statement no guard
    helper has, or too many paths."""
    for index, statement in enumerate(body):
        if isinstance(statement, ast.Return):
            paths.append(HelperPath(steps, statement.value or _NONE))
            return len(paths) <= MAX_PATHS
        if isinstance(statement, ast.Raise):
            return True
        if isinstance(statement, ast.If):
            rest = body[index + 1:]
            return _walk(statement.body + rest, (*steps, (statement.test, True)), paths, constants) \
                and _walk(statement.orelse + rest, (*steps, (statement.test, False)), paths, constants)
        if isinstance(statement, ast.Try):
            return _try(statement, body[index + 1:], steps, paths, constants)
        if isinstance(statement, ast.For):
            rest = [*statement.orelse, *body[index + 1:]]
            unordered = _unordered(statement, constants, steps, paths)
            if unordered is not None:
                return unordered is not False and _walk(rest, unordered, paths, constants)
            unrolled = _unrolled(statement, constants)
            return unrolled is not None and _walk([*unrolled, *rest], steps, paths, constants)
        if isinstance(statement, ast.Assign) and all(isinstance(t, ast.Name) for t in statement.targets) \
                or isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            steps = (*steps, statement)  # a call that does not return (`abort(400)`) ends it
        elif not isinstance(statement, ast.Pass):
            return False
    paths.append(HelperPath(steps, _NONE))
    return len(paths) <= MAX_PATHS


def _copied(iterated: ast.expr) -> ast.expr:
    """What `sorted(...)`, `tuple(...)` or `list(...)` copies, else `iterated`."""
    if isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Name) and len(iterated.args) == 1 \
            and not iterated.keywords and iterated.func.id in _COPIES:
        return iterated.args[0]
    return iterated


def _elements(loop: ast.For, constants: Mapping[str, Value]) -> tuple | frozenset | None:
    """The few scalars the loop iterates (a set's as a frozenset), or None."""
    iterated = _copied(loop.iter)
    elements = constants[iterated.id].const if isinstance(iterated, ast.Name) and iterated.id in constants \
        else fold_constant(iterated) if isinstance(iterated, (ast.Tuple, ast.List, ast.Set)) else None
    if iterated is not loop.iter and loop.iter.func.id == "sorted" \
            and isinstance(elements, (tuple, frozenset)):
        try:
            elements = tuple(sorted(elements))
        except TypeError:  # the loop raises: no guard helper
            return None
    if not isinstance(loop.target, ast.Name) or not isinstance(elements, (tuple, frozenset)) \
            or not 0 < len(elements) <= MAX_ELEMENTS or not all(isinstance(e, ELEMENTS) for e in elements) \
            or any(isinstance(n, (ast.For, ast.AsyncFor, ast.While)) for s in loop.body for n in ast.walk(s)):
        return None
    return elements


def _bound(loop: ast.For, element: object) -> ast.Assign:
    bound = ast.Assign([ast.Name(loop.target.id, ast.Store())], ast.Constant(element))
    return ast.fix_missing_locations(ast.copy_location(bound, loop.target))


def _unrolled(loop: ast.For, constants: Mapping[str, Value]) -> list[ast.stmt] | None:
    """The loop's body once per element of the tuple it iterates, after the element's
    assignment to its name; None when that is not a few constants in a known order."""
    elements = _elements(loop, constants)
    if not isinstance(elements, tuple):
        return None
    return [statement for element in elements for statement in (_bound(loop, element), *loop.body)]


def _unordered(loop: ast.For, constants: Mapping[str, Value], steps: tuple,
               paths: list[HelperPath]) -> tuple | None:
    """A loop over a set whose body is one `if` that returns or raises: adds each element's
    path through it to `paths` and gives the steps of every test having failed (None: not
    such a loop; False: too many paths)."""
    elements = _elements(loop, constants)
    test = loop.body[0] if len(loop.body) == 1 else None
    if not isinstance(elements, frozenset) or not isinstance(test, ast.If) or test.orelse \
            or len(test.body) != 1 or not isinstance(test.body[0], (ast.Return, ast.Raise)):
        return None
    ends, failed = test.body[0], steps
    for element in sorted(elements, key=repr):
        if isinstance(ends, ast.Return):
            paths.append(HelperPath((*steps, _bound(loop, element), (test.test, True)), ends.value or _NONE))
        failed = (*failed, _bound(loop, element), (test.test, False))
    return failed if len(paths) <= MAX_PATHS else False


def _try(statement: ast.Try, rest: list[ast.stmt], steps: tuple, paths: list[HelperPath],
         constants: Mapping[str, Value]) -> bool:
    """`try: int(value) except ValueError: return False`: a path through the body's calls
    and assignments, each returned (guards.checked: what a call that raises unless its argument
    is of a form proves), then on; and one through each handler, returning a constant or
    raising (a handler going on would read what the body may not have assigned)."""
    if statement.finalbody or not all(
            isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
            or isinstance(s, ast.Assign) and all(isinstance(t, ast.Name) for t in s.targets)
            for s in statement.body):
        return False
    for handler in statement.handlers:
        ends = handler.body[0] if len(handler.body) == 1 else None
        if isinstance(ends, ast.Return) and isinstance(ends.value, ast.Constant):
            paths.append(HelperPath(steps, ends.value))
        elif not isinstance(ends, ast.Raise):
            return False
    return _walk(statement.orelse + rest, (*steps, *statement.body), paths, constants)
