"""Globals a script binds at top level to what a source gives (issue 12: CLI scripts): `args =
parser.parse_args()`, `DATA = sys.argv[1]`, `NAME = input()`, `HOME = os.environ["HOME"]`, and a
name bound at top level from one of those (`CMD = "ls " + DATA`) or through a function of the
module (`ARGS = parse()`, `CONFIG = load_config(sys.argv[1])`: what its summary gives; a reader
calls it, callees.py). A function reading such a global
(`def run(): os.system(args.cmd)`), without binding it itself, reads that value: the binding's
expression is evaluated where it is read, in no local scope, so its names are the module's, its
source reads keep their models' confidence, a parser's clean destinations (`type=int`,
`choices`) stay clean, and the path starts at the top-level line.

Bindings are taken in the module's order (`module_level.module_statements`: into `if` / `try`):
one not inside an `if` / `try` replaces those before it, so a constant bound after the source
(`DATA = "ls"`) leaves the name clean; one inside adds to them (a branch may bind it), as one
reading the name does (`DATA = shlex.quote(DATA)` quotes what was bound before). A binding
of a name already folded to a constant never reaches here (`e_Name` reads constants first).

Another module of the workspace importing such a global (`from settings import TARGET`) reads
what a function returning it would (`global_readers`, its summary made with the module's
others by the summary store, `imported_global`), so that `bastion check` and the editor's
store agree.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.domain import CLEAN, UNREACHED, Value, join
from bastion.analyzers.taint.nodes import LastCall
from bastion.analyzers.taint.scoped import names_source
from bastion.analyzers.taint.summaries import apply_summary
from bastion.analyzers.taint.wrappers import MODULE_BODY
from bastion.engine.cache import LRU

if TYPE_CHECKING:
    from bastion.analyzers.taint.entries import Function
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.specs import Models

Chain = tuple[tuple[ast.expr, bool], ...]  # a global's bindings, each with whether it replaces
_READ = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.If, ast.Try, ast.For, ast.With)  # may bind one
_UNPACKED = (ast.Tuple, ast.List)
_ANY_INDEX = "__index__"  # a name no module binds: an index whose value is not known
_WHOLE = (b"top level sources",)  # the memo's: the last answer, by what it depends on
AS_READ = ":read"  # a global's name with it: its reader's, no function's (`global_readers`)


def top_level_sources(body: list[ast.stmt], env: Env, kinds: dict[str, str], models: Models,
                      defined: frozenset[str], functions: frozenset[str], memo: LRU | None = None
                      ) -> tuple[dict[str, Chain], dict[str, frozenset[str]]]:
    """Global name -> its top-level bindings that may carry a source's value when a function
    runs, in the module's order, each with whether it replaces those before it. `kinds`: the
    globals' (a parser's `parse_args` is a source by it). Each top-level statement's assignments
    are read once, kept by its node in `memo` (the block parser hands back an unedited one's; a
    keystroke in a function reads none: pickletools.py's tables cost 3 ms a walk), the last
    text's read through `LastCall` (a dict look-up a statement, not the LRU's). `defined`:
    the module's functions and classes: a binding naming one other than as a call of one of
    `functions` (`handler = run`, `obj = Helper()`) is left out. A call of one of the module's
    functions (`CONFIG = load_config(sys.argv[1])`, `ARGS = parse()`) gives what its summary
    says, found where a function reads the global; also returned: global -> the functions its
    bindings call, which a function reading it calls (callees.py), so that their summaries are
    made first and their fingerprints are in its key."""
    resolving = (tuple(sorted(env.aliases.items())), tuple(sorted(kinds.items())))
    tag = b"top level sources %d" % hash(resolving)
    # and the globals holding an object of one of its classes (`obj = Helper()`: `obj.run(q)` is
    # its method's)
    classes = defined - functions
    defined = defined | {k for k, v in kinds.items() if v.split("(", 1)[0].split(".", 1)[0] in classes}
    # and a method called on what one of its functions made (`OUT = obj.run(path)`, `obj =
    # make_helper()`): the method's summary is no reader's callee (`top_level_value`)
    made = {k for k, v in kinds.items() if v.split("(", 1)[0].split(".", 1)[0] in functions}
    statements = [statement for statement in body if type(statement) in _READ]
    # the whole answer, the last text's while its statements are the very nodes and the names
    # around them the same: a keystroke in a function or class changes none of them
    around = (resolving, frozenset(env.imports), defined, functions)
    whole = memo.get(_WHOLE) if memo is not None else None
    if whole is not None and whole[0] is models and whole[1] == around and whole[2] == statements:
        return dict(whole[3]), dict(whole[4])  # copies: the kept ones serve the next text too
    found: dict[str, Chain] = {}
    calls: dict[str, frozenset[str]] = {}
    for bindings in LastCall(memo, tag).each(statements, lambda n: _bindings(n, env, kinds, models)):
        for names, value, replaces, sourced, read, called, receivers in bindings:
            direct = called & functions
            for name in names:
                # an empty set is disjoint from any: not asked (a call each constant)
                if (sourced or direct or read and not read.isdisjoint(found)) and read & defined <= direct \
                        and (not receivers or receivers.isdisjoint(made)):
                    # one reading the name (`DATA = shlex.quote(DATA)`) reads the bindings before
                    kept = not replaces or name in read
                    # `CMD = "ls " + CONFIG`: a reading of CMD evaluates CONFIG's bindings too
                    helpers = direct.union(*(calls[n] for n in read if n in calls))
                    found[name] = (*found.get(name, ()), (value, replaces)) if kept else ((value, True),)
                    calls[name] = calls.get(name, frozenset()) | helpers if kept else helpers
                elif replaces and name in found:  # bound again to what names no source: clean from here
                    del found[name]
                    if name in calls:
                        del calls[name]
    called_by = {name: helpers for name, helpers in calls.items() if helpers}
    if memo is not None:
        memo.put(_WHOLE, (models, around, statements, dict(found), dict(called_by)))
    return found, called_by


def _bindings(statement: ast.stmt, env: Env, kinds: dict[str, str], models: Models) -> tuple[tuple[
        tuple[str, ...], ast.expr, bool, bool, frozenset[str], frozenset[str], frozenset[str]], ...]:
    """The statement's assignments to names: (the names, the value, whether it replaces what
    the names held, whether it names a source, the names it reads, the names it calls, the
    names it calls a method of)."""
    found = []
    for node, nested in _assignments([statement], False):
        for name, value, replaces in _bound(node, nested):
            walked = list(ast.walk(value))
            sourced = names_source(value, env, models) or any(
                type(n) is ast.Call and _kind_source(n.func, kinds, models) for n in walked)
            found.append(((name,), value, replaces, sourced,
                          frozenset(n.id for n in walked if type(n) is ast.Name),
                          frozenset(n.func.id for n in walked if type(n) is ast.Call
                                    and type(n.func) is ast.Name),
                          frozenset(n.func.value.id for n in walked if type(n) is ast.Call
                                    and type(n.func) is ast.Attribute and type(n.func.value) is ast.Name)))
    return tuple(found)


def _bound(node: ast.stmt, nested: bool) -> list[tuple[str, ast.expr, bool]]:
    """The names a top-level statement binds, each with what it is bound to and whether that
    replaces what it held: a `with` target its context manager (as `s_With` binds it), a `for`
    target any element of what it iterates (read at an index not known), never
    replacing (the loop may not run)."""
    if type(node) is ast.For:
        element = ast.copy_location(ast.Subscript(value=node.iter, slice=ast.copy_location(
            ast.Name(id=_ANY_INDEX, ctx=ast.Load()), node.iter), ctx=ast.Load()), node.iter)
        return [(name, value, False) for name, value in _named(node.target, element)]
    if type(node) is ast.With:
        return [(name, value, not nested) for item in node.items if item.optional_vars is not None
                for name, value in _named(item.optional_vars, item.context_expr)]
    if node.value is None:
        return []
    targets = node.targets if type(node) is ast.Assign else [node.target]
    return [(name, value, not nested and type(node) is not ast.AugAssign)
            for target in targets for name, value in _named(target, node.value)]


def _named(target: ast.expr, value: ast.expr) -> list[tuple[str, ast.expr]]:
    if type(target) is ast.Name:
        return [(target.id, value)]
    return _unpacked(target, value) if type(target) in _UNPACKED else []


def _unpacked(target: ast.Tuple | ast.List, value: ast.expr) -> list[tuple[str, ast.expr]]:
    """Each name a tuple target binds with what it is bound to: the value's own element
    (`HOST, PORT = os.environ["H"], 80`), or the value indexed (`a, b = sys.argv[1:3]`: `a` is
    `sys.argv[1:3][0]`, made at the value's place); a name after a starred one, or starred, the
    whole value (its index from the start is not known)."""
    found: list[tuple[str, ast.expr]] = []
    spread = type(value) in _UNPACKED and len(value.elts) == len(target.elts) \
        and not any(type(e) is ast.Starred for e in (*value.elts, *target.elts))
    starred = False
    for index, element in enumerate(target.elts):
        starred = starred or type(element) is ast.Starred
        part = value.elts[index] if spread else value if starred else ast.copy_location(
            ast.Subscript(value=value, slice=ast.copy_location(ast.Constant(index), value),
                          ctx=ast.Load()), value)
        inner = element.value if type(element) is ast.Starred else element
        if type(inner) is ast.Name:
            found.append((inner.id, part))
        elif type(inner) in _UNPACKED:
            found.extend(_unpacked(inner, part))
    return found


def _kind_source(func: ast.expr, kinds: dict[str, str], models: Models) -> bool:
    """`parser.parse_args()`, `parser` a global bound to `argparse.ArgumentParser()`."""
    return type(func) is ast.Attribute and type(func.value) is ast.Name and func.value.id in kinds \
        and bool(models.sources.by_name(f"{kinds[func.value.id]}.{func.attr}"))


def _assignments(body: list[ast.stmt], nested: bool):
    """The module's top-level assignments, with whether each is inside an `if` / `try`."""
    for node in body:
        kind = type(node)
        if kind in (ast.Assign, ast.AnnAssign, ast.AugAssign):
            yield node, nested
        elif kind is ast.If:
            yield from _assignments(node.body, True)
            yield from _assignments(node.orelse, True)
        elif kind in (ast.For, ast.With):
            yield node, nested
            yield from _assignments(node.body, nested or kind is ast.For)  # a loop may not run
            yield from _assignments(node.orelse if kind is ast.For else [], True)
        elif kind is ast.Try:
            yield from _assignments(node.body, True)
            for handler in node.handlers:
                yield from _assignments(handler.body, True)
            yield from _assignments(node.orelse, True)
            yield from _assignments(node.finalbody, nested)


def top_level_callees(calls: dict[str, frozenset[str]], function: Function,
                      found_in: Callable[[list[Function], re.Pattern], set | None]) -> set[str]:
    """The module's functions the top-level bindings of the globals `function` names call
    (`calls`, from `top_level_sources`): its callees. Its text searched for their names, kept by
    its node (`found_in`: callees.py's), else its tree's names (a name in a string or a comment
    only adds a callee)."""
    named = found_in([function], _words(tuple(sorted(calls))))
    if named is None:
        named = {n.id for n in ast.walk(function.node) if type(n) is ast.Name and n.id in calls}
    return {helper for name in named for helper in calls[name]}


@functools.lru_cache(maxsize=8)
def _words(names: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")


def top_level_value(ev: Evaluator, node: ast.Name) -> Value | None:
    """What a function's read of a global bound at top level from a source holds: its bindings'
    values in order, evaluated in no local scope (a binding's read of the name itself, what
    those before it gave); the findings of sinks among them are the top-level code's, not the
    function's (dropped here). None, to be read as any global, for an object a function of the
    module made (`obj = make_helper()`, `PARSER = build_parser()`): its methods' summaries are
    not the reader's callees, so a call of one would read what an earlier text's gave."""
    name = node.id
    if name in ev.reading_top:
        return ev.reading_top[name] if ev.reading_top[name] is not UNREACHED else CLEAN
    if ev.function is not None and ev.function.name == MODULE_BODY:  # its own bindings are its env
        return CLEAN
    chain = ev.module.top_sources[name]
    ev.reading_top[name] = UNREACHED
    hits = len(ev.hits)
    try:
        with ev.evaluating_in({}):
            for value, replaces in chain:  # `join` keeps a namespace's clean items
                got = ev.eval(value)
                ev.reading_top[name] = got if replaces else join(ev.reading_top[name], got)
        found = ev.reading_top[name]
    finally:
        del ev.reading_top[name]
        del ev.hits[hits:]
    if name in ev.module.top_calls and (name in ev.module.factory_parsers or found.kind is not None
                                        and found.kind.endswith("()") and not found.taint):
        return None
    lines = ", ".join(str(value.lineno) for value, _ in chain)
    return found.with_step(ev.step(node, f"`{name}`, bound at top level on line {lines}"))


def global_readers(sources: dict[str, Chain]) -> dict[str, ast.FunctionDef]:
    """A function reading each global of `sources` (`def TARGET(): return TARGET`, at its first
    binding), by the global's name with `AS_READ`: the summary another module that imports the
    global reads (workspace_summarise.py, `imported_global`), made by the module's analysis as
    its functions' are, its path in the module's file."""
    readers = {}
    for name, chain in sources.items():
        at = chain[0][0]
        read = ast.copy_location(ast.Name(id=name, ctx=ast.Load()), at)
        parameters = ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[])
        readers[name + AS_READ] = ast.copy_location(ast.FunctionDef(
            name=name, args=parameters, body=[ast.copy_location(ast.Return(value=read), at)],
            decorator_list=[], returns=None, type_params=[]), at)
    return readers


def built_readers(body: list[ast.stmt], instances: dict[str, str]) -> dict[str, ast.FunctionDef]:
    """A function returning, anew, each module-level instance of `instances` (the module's
    exported ones, bound once) built with arguments (`user_service =
    UserService(UserRepository())`), by the global's name with `AS_READ`: the instances its
    fields hold, which a method called on it in another module runs (held_calls.py), are
    those of that building, read as another module reads a global bound to a source
    (`imported_global`). Built without arguments, its fields are its `__init__`'s alone: the
    class's summary already says them."""
    readers = {}
    for node in body:
        if type(node) is ast.Assign and type(node.targets[0]) is ast.Name \
                and node.targets[0].id in instances and type(node.value) is ast.Call \
                and (node.value.args or node.value.keywords):
            parameters = ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[])
            readers[node.targets[0].id + AS_READ] = ast.copy_location(ast.FunctionDef(
                name=node.targets[0].id, args=parameters,
                body=[ast.copy_location(ast.Return(value=node.value), node)],
                decorator_list=[], returns=None, type_params=[]), node)
    return readers


def imported_global(ev: Evaluator, node: ast.Name | ast.Attribute, name: str) -> Value | None:
    """`TARGET` of `from settings import TARGET`, or `settings.TARGET`, read in a function
    (`name`: its qualified name): what the reader of that global in its workspace module returns
    (`global_readers`), None where it has none."""
    summary = ev.module.external(name + AS_READ, False)
    if summary is None:
        return None
    return apply_summary(ev, ast.copy_location(ast.Call(func=node, args=[], keywords=[]), node),
                         summary, [], {})


def top_level_places(sources: dict[str, Chain]) -> tuple[tuple[int, ...], ...]:
    """Where the bindings of `sources` are: a path through one holds their places."""
    return tuple((v.lineno, v.col_offset, v.end_lineno or 0, v.end_col_offset or 0)
                 for chain in sources.values() for v, _ in chain)
