"""Module-level parser globals (issue 12): a global holding a parser reads the command line at
`PARSER.parse_args()` in every function, as a parser built in the function does.

Bound once to `argparse.ArgumentParser(...)`, its kind says so (context.py) and the module's
clean destinations (argparse_choices.py) apply. Bound once to another module's factory
(`PARSER = build_parser()`), it holds the parser that factory's summary returns, the
destinations it carries with it (`factory_parsers`). Bound more than once (`PARSER = None`,
then `PARSER = argparse.ArgumentParser()`, in an `if` / `try`, or again in a function declaring
`global PARSER`), it is a parser when any binding is one: the parse may follow any of them. A
destination is then clean only where every binding that may be a parser proves it (`bound_parsers`):
one built in this module proves the module's clean destinations, another module's factory what
it carries (the module's own set instead when the module declares arguments, as for a parser
got from a factory in a function), and any binding the analysis cannot see through (a call it
has no summary of, a name, a loop's target, an import) proves nothing. A constant binding
(`None`) is no parser and proves nothing either way.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.argparse_choices import EVERY, PARSER_KIND, carried_destinations
from bastion.analyzers.taint.bindings import Bindings, declared_global
from bastion.analyzers.taint.domain import EVERY_CLASS, SAFE, Value
from bastion.analyzers.taint.results import Summary

if TYPE_CHECKING:
    from bastion.analyzers.taint.context_record import ModuleContext

# a binding that builds a parser in this module; one the analysis cannot see through
BUILT = "<built>"
UNSEEN = "<unseen>"
_CONSTRUCTOR = PARSER_KIND[:-2]
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# `NAME.parse_args(`, `NAME.parse_known_intermixed_args(`: the globals a parse may read, as
# `\b([A-Za-z_]\w*)\s*\.\s*` before this. The name is read backwards from each match of it:
# that whole regex tried a name at every word of the text, ~10 ms of each keystroke's module
# context in _pydecimal.py (whose `_parse_...` helpers pass the "parse_" test).
_PARSE = re.compile(r"\.\s*parse_(?:known_)?(?:intermixed_)?args\b")
_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


def parser_bindings(tree: ast.Module, text: str | None, lines: list[str] | None, env: Env,
                    bindings: Bindings) -> dict[str, frozenset[str | None]]:
    """The globals bound more than once that the module parses with (`NAME.parse_args()`),
    each with what its bindings are: BUILT, UNSEEN, or the qualified name of the call bound (a
    factory of another module, maybe); a global no binding may make a parser is left out.
    Looked for only where the text (or the summary store's lines) names such a parse."""
    if text is None and lines is not None:
        text = "\n".join(line for line in lines if "parse_" in line)
    if text is not None and "parse_" not in text:
        return {}
    named = parsed_names(text) if text is not None else {
        node.func.value.id for node in ast.walk(tree) if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute) and node.func.attr.startswith("parse_")
        and isinstance(node.func.value, ast.Name)}
    wanted = {name for name in named if bindings.counts[name] > 1 or bindings.star and bindings.counts[name]}
    if not wanted:
        return {}
    # a star import may bind any of them to anything
    found: dict[str, set[str | None]] = {name: {UNSEEN} if bindings.star else set() for name in wanted}
    for node in tree.body:
        if isinstance(node, _DEFINITIONS):
            if node.name in wanted:
                found[node.name].add(UNSEEN)
            rebound = declared_global(node) & wanted
            if rebound:  # `global PARSER` in a function (or a method): what it binds there
                _bound_in(node.body, rebound, env, found)
        else:
            _bound_in([node], wanted, env, found)
    return {name: frozenset(held) for name, held in found.items()
            if any(h != UNSEEN for h in held)}


def parsed_names(text: str) -> set[str]:
    """The names the regex in `_PARSE`'s comment finds in `text`: the whole run of word
    characters before the whitespace before each dot (a name starts where a word does), when it
    starts with a letter or `_` and after the match before it."""
    names: set[str] = set()
    done = 0  # where the last match ended: matches do not overlap
    for match in _PARSE.finditer(text):
        end = match.start()
        while end > done and text[end - 1].isspace():
            end -= 1
        start = end
        while start > done and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        if start < end and text[start] in _FIRST:
            names.add(text[start:end])
            done = match.end()
    return names


def _bound_in(body: list[ast.stmt], wanted: set[str], env: Env, found: dict[str, set[str | None]]) -> None:
    """Add what the statements of `body` bind the names of `wanted` to: an assignment's value,
    classified; any other binding of the name (a target in a tuple, of a loop, of `with`, an
    import, a definition, a walrus, even a local of a nested function: in doubt) is UNSEEN."""
    assigned: set[int] = set()
    for node in (n for statement in body for n in ast.walk(statement)):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in wanted:
                    assigned.add(id(target))  # walked after its statement: not UNSEEN
                    found[target.id].add(_binding(node.value, env))
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) \
                and node.id in wanted and id(node) not in assigned:
            found[node.id].add(UNSEEN)
        elif isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) in wanted:
            found[node.asname or node.name.split(".")[0]].add(UNSEEN)
        elif isinstance(node, _DEFINITIONS) and node.name in wanted:
            found[node.name].add(UNSEEN)


def _binding(value: ast.expr, env: Env) -> str | None:
    if isinstance(value, ast.Constant):
        return None  # `PARSER = None`: no parser
    called = env.qualname(value.func) if isinstance(value, ast.Call) else None
    if called is None:
        return UNSEEN
    return BUILT if called == _CONSTRUCTOR else called


def bound_parsers(found: dict[str, frozenset[str | None]], clean: frozenset[str], declares: bool,
                  factory: Callable[[str], Value | None]) -> dict[str, Value]:
    """The parser each global of `parser_bindings` may hold, its slots the destinations every
    binding that may be a parser proves clean (argparse_choices.EVERY: all of them, the module's
    own declarations counted). `clean`, `declares`: the module's clean destinations and whether
    it declares any; `factory`: the parser a call of that qualified name returns, or None."""
    parsers: dict[str, Value] = {}
    for name, held in found.items():
        proofs: list[frozenset[str]] = []
        parser = False
        for binding in held:
            got = factory(binding) if binding is not None and binding not in (BUILT, UNSEEN) else None
            if binding == BUILT or got is not None:
                parser = True
                proofs.append(clean if declares or got is None else carried_destinations(got) or frozenset())
            elif binding is not None:
                proofs.append(frozenset())  # it may hold anything: a parser given any argument
        if parser:
            parsers[name] = Value(clean=EVERY_CLASS, kind=PARSER_KIND,
                                  items={EVERY: SAFE, **dict.fromkeys(frozenset.intersection(*proofs), SAFE)})
    return parsers


def factory_parsers(module: ModuleContext, external: Callable[[str, bool], object] | None,
                    own: Callable[[str], Summary]) -> dict[str, Value]:
    """The parsers of the module's globals: those bound once to a call of another module's
    factory returning a parser (`PARSER = build_parser()`, kept by the call's name in
    `module.kinds`), the factory's returned parser, its carried destinations with it, as a
    parser built in a function gets it (a factory whose result depends on its arguments is left
    out); those bound once to a function of this module returning one (`PARSER = _build()`), a
    parser built in this module, `own` giving that function's summary; and those bound more than
    once (`bound_parsers`)."""
    def returned(qualified: str) -> Value | None:
        # one of this module: its parser's destinations are the module's (bound_parsers
        # proves their clean ones, the module declaring arguments)
        summary = own(qualified) if _own_factory(module, qualified) else \
            external(qualified, False) if external is not None else None
        returns = summary.returns if isinstance(summary, Summary) else None
        return returns if returns is not None and returns.kind == PARSER_KIND and not returns.taint else None

    found: dict[str, Value] = {}
    built: dict[str, frozenset[str | None]] = {}
    for name, kind in module.kinds.items():
        if kind.endswith("()") and kind != PARSER_KIND and (parser := returned(kind[:-2])) is not None:
            if _own_factory(module, kind[:-2]):
                built[name] = frozenset({BUILT})
            else:
                found[name] = parser
    found.update(bound_parsers({**built, **module.parser_bindings}, module.argparse_clean,
                               module.argparse_declares, returned))
    return found


def _own_factory(module: ModuleContext, name: str) -> bool:
    """Whether `name` is a plain function of this module (not a method, not a class) that may
    build a parser its module declares arguments of."""
    function = module.function_named(name)
    return (module.argparse_declares and function is not None and function.class_name is None
            and isinstance(function.node, ast.FunctionDef))
