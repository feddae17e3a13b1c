"""argparse arguments no injection fits in (issue 12): a destination every `add_argument` of
the module gives `type=int` / `type=float`, or a constant `choices=[...]` list, holds a number
or one of those constants once `parse_args()` returned (argparse exits otherwise; so does the
namespace `parse_known_args()` pairs with the remaining arguments), whether the
namespace is read where it is parsed or in a subcommand handler. Sound only for what the
module declares: a destination also declared without a conversion, with a default or a `const`
that is not a constant (argparse checks neither against `choices`), with an `action` other than
storing, or given by a `set_defaults` keyword, is not clean; so is every destination where a
builtin `int` / `float` is rebound. A parser built in another module (a factory of the
workspace, whose summary returns its kind) reads the command line; the destinations its module
proves clean travel on the returned parser, as slots of a function's summary (`carried`), also
to a global holding its parser (`PARSER = build_parser()`, argparse_globals.py). A
module that declares no argument of its own (no `add_argument` / `set_defaults` in its text,
argparse imported or not; the summary store reads its lines) reads them there, or hands them
on with the parser it returns (`def again(): return build_parser()`); one that declares some
uses its own set instead,
as a factory extending a parser it got from another module keeps only those both sets hold
(a destination this module adds is proven clean by its own declarations, or not at all). A
parser built with `parents=[base]` (or any argument holding objects but no untrusted data) is a
parser (`builds_parser`): in one module the parents' declarations are the module's; a parent
of another module's factory proves what that factory carries (`built_parser`). A parser handed
to a function the module does not hold (a library's, `add_common(parser)` of another module)
may be given any argument there: the module then proves no destination clean
(argparse_walk.handed_out), unless each is a helper of the workspace whose summary says what
it declares (argparse_helpers.py).

A parse given its arguments as a list of constants (`parser.parse_args(["--x", "1"])`,
`args=[...]`, or a name holding one: a local bound to a display of constants and not grown
since, a module constant that nothing changes, context.py) reads that list, not the command
line: it is no source. `None` (the default) and any other value (`sys.argv[1:]`, a caller's
`argv`, a list appended to) stay the command line's.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.argparse_walk import CONVERSIONS, ArgparseCalls, argparse_calls, handed_out
from bastion.analyzers.taint.domain import EVERY_CLASS, SAFE, Value

if TYPE_CHECKING:
    from collections.abc import Callable

    from bastion.analyzers.taint.context_record import ModuleContext

_CONSTRUCTOR = "argparse.ArgumentParser"
PARSER_KIND = _CONSTRUCTOR + "()"
# the slot saying a parser carries its factory's clean destinations (the others), even none
_CARRIED = "<argparse>"
# the slot of a global's parser saying its destinations are what every binding of the global
# proves, the module's own declarations counted (argparse_globals.py)
EVERY = "<argparse every binding>"
# the slot of a parser built here with parents of other modules' factories (`parents=[base]`):
# the others are the destinations those parents prove, which its parse proves with the module's
_INHERITED = "<argparse parents>"
_MARKERS = frozenset({_CARRIED, EVERY, _INHERITED})

# Flask-RESTful's and Flask-RESTX's reqparse declares its arguments as argparse does
# (`add_argument("limit", type=int)`, `choices=(...)`, `dest=`, `action="append"`) and answers
# 400 to a value its type or choices refuse: `parse_args()` returns a dict of them
REQPARSE_MODULES = ("flask_restful", "flask_restx")
_PARSERS = frozenset({"argparse.ArgumentParser().parse_args",
                      "argparse.ArgumentParser().parse_intermixed_args",
                      *(f"{m}.reqparse.RequestParser().parse_args" for m in REQPARSE_MODULES),
                      # `ns.parser()`: a Namespace's (or an Api's) RequestParser
                      "flask_restx.Namespace().parser().parse_args", "flask_restx.Api().parser().parse_args"})
# `(namespace, remaining arguments)`: the namespace is first
_PAIRS = frozenset({"argparse.ArgumentParser().parse_known_args",
                    "argparse.ArgumentParser().parse_known_intermixed_args"})
_STORING = frozenset({"store", "append", "extend"})
# the parses whose first parameter, `args`, is the list parsed (the command line when None)
_ARGS_FIRST = _PARSERS | _PAIRS | {"optparse.OptionParser().parse_args"}
# the words of a module that may declare arguments (or handlers) of a parser it is handed
DECLARING = ("add_argument", "set_defaults")


def clean_destinations(calls: ArgparseCalls, out: list[ast.Call] | None = None) -> frozenset[str]:
    """The destinations of the module's `add_argument` calls that hold only validated values.
    `out`: `handed_out(calls)`, when the caller has it."""
    if calls.conversion_rebound:
        return frozenset()  # `int` rebound: a conversion named so may be anything
    validated, unclean = declared(calls)
    if any(k.arg is None for _, node in calls.set_defaults for k in node.keywords):
        return frozenset()  # `set_defaults(**defaults)`: any destination's value, unchecked
    clean = validated - unclean
    # a parser handed to a function the module does not hold may be given any argument there
    return clean if clean and not (handed_out(calls) if out is None else out) else frozenset()


def declared(calls: ArgparseCalls) -> tuple[frozenset[str], frozenset[str | None]]:
    """The destinations some `add_argument` call declares validated, and those declared (or
    given by `set_defaults`) otherwise; a call whose destination is not a constant, or a
    `set_defaults(**defaults)`, declares None among the latter (any destination)."""
    unclean = {k.arg for _, node in calls.set_defaults for k in node.keywords}
    validated: set[str] = set()
    for node in calls.add_argument:
        dest = _destination(node)
        (validated if dest is not None and _validated(node) else unclean).add(dest)
    return frozenset(validated), frozenset(unclean)


def _destination(call: ast.Call) -> str | None:
    """`dest=`, else the first long option (`--dry-run`: dry_run), else the positional name."""
    given = next((k.value for k in call.keywords if k.arg == "dest"), None)
    if given is not None:
        return given.value if isinstance(given, ast.Constant) and isinstance(given.value, str) else None
    names = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if not names or len(names) != len(call.args):
        return None
    longs = [n for n in names if n.startswith("--")]
    if longs:
        return longs[0][2:].replace("-", "_")
    if names[0].startswith("-"):
        return names[0].lstrip("-").replace("-", "_")
    return names[0]


def _validated(call: ast.Call) -> bool:
    keywords = {k.arg: k.value for k in call.keywords}
    if None in keywords:  # `**options`
        return False
    action = keywords.get("action")
    if action is not None and not (isinstance(action, ast.Constant) and action.value in _STORING):
        return False
    if any(keywords.get(k) is not None and not _constant(keywords[k]) for k in ("default", "const")):
        return False
    kind = keywords.get("type")
    if isinstance(kind, ast.Name) and kind.id in CONVERSIONS:
        return True
    choices = keywords.get("choices")
    return kind is None and choices is not None and isinstance(choices, (ast.List, ast.Tuple, ast.Set)) \
        and all(isinstance(e, ast.Constant) for e in choices.elts)


def _constant(node: ast.expr) -> bool:
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(isinstance(e, ast.Constant) for e in node.elts)
    return isinstance(node, ast.Constant)


def declares_arguments(text: str | None, lines: list[str] | None = None,
                       found: Callable[[str], bool] | None = None) -> bool:
    """Whether a module may declare arguments, read in its text or else its lines (the summary
    store's; a module known by neither may). `found`: whether a text holds a word of
    `DECLARING`, when the caller answers it per edit (context_reuse.declaring_words)."""
    if text is None and lines is not None:
        return any(word in line for line in lines for word in DECLARING)
    if text is None:
        return True
    return found(text) if found is not None else any(word in text for word in DECLARING)


def built_parser(parents: Value | None) -> Value:
    """A parser built here, given `parents` (the list's value, or None): the parents that carry
    their factory's clean destinations (of another module) hand those on, in `_INHERITED` slots;
    a parent built in this module is proven by the module's own declarations."""
    parser = Value(clean=EVERY_CLASS, kind=PARSER_KIND)
    elements = parents.items.values() if parents is not None and parents.items else ()
    inherited = [got for e in elements if (got := carried_destinations(e)) is not None]
    if not inherited:
        return parser
    return parser.evolve(items={_INHERITED: SAFE, **dict.fromkeys(frozenset().union(*inherited), SAFE)})


def builds_parser(name: str | None, inputs: list[Value]) -> bool:
    """Whether a call named `name` given `inputs` builds a parser: `argparse.ArgumentParser(...)`
    given no untrusted data, whatever its arguments hold (`parents=[base]`, a list of parsers)."""
    return name == _CONSTRUCTOR and not any(v.tainted for v in inputs)


def carried(returned: Value, module: ModuleContext) -> Value:
    """What a function of `module` returns, as its summary keeps it: a parser with the
    destinations the module proves clean as SAFE slots, those of a parser got from another
    module's factory kept only when `module` proves them too or declares nothing."""
    if returned.kind != PARSER_KIND:
        return returned
    if _inherits(returned):
        return returned.evolve(items={_CARRIED: SAFE, **dict.fromkeys(_with_parents(returned, module), SAFE)})
    got = carried_destinations(returned)
    if not module.argparse_declares:
        # a parser handed on as it came, unless a helper it does not define may add to it
        if got and _handed_on(module):
            got = frozenset()
        return returned if got is None else \
            returned.evolve(items={_CARRIED: SAFE, **dict.fromkeys(got, SAFE)})
    kept = module.argparse_clean if got is None else module.argparse_clean & got
    return returned.evolve(items={_CARRIED: SAFE, **dict.fromkeys(kept, SAFE)})


def _handed_on(module: ModuleContext) -> bool:
    """Whether a function of the module hands a parser (a name it binds to one, calls an
    argparse method on or returns) to a function it does not define: asked only where a parser
    carried from another module (or with parents of one) is parsed or returned, once per module
    (its functions walked then, not at each keystroke's context)."""
    found = module.helper_memo.get(_CARRIED)
    if found is None:
        tree = ast.Module(body=[f.node for f in module.functions], type_ignores=[])
        found = bool(handed_out(argparse_calls(tree, None, False), True))
        module.helper_memo[_CARRIED] = found
    return found


def carried_destinations(parser: Value | None) -> frozenset[str] | None:
    """The clean destinations a parser carries (from a factory, or every binding of a global's),
    or None: one built here, which the module's own declarations prove."""
    items = parser.items if parser is not None else None
    if not items or _CARRIED not in items and EVERY not in items:
        return None
    return frozenset(k for k in items if k not in _MARKERS)


def _inherits(parser: Value | None) -> bool:
    return parser is not None and parser.items is not None and _INHERITED in parser.items


def _with_parents(parser: Value, module: ModuleContext) -> frozenset[str]:
    """What a parse of a parser built here with parents of other modules proves: the module's
    clean destinations and the parents', unless a helper the module does not define may add
    any argument to it (for the module's own, argparse_walk.handed_out already said so)."""
    if _handed_on(module):
        return module.argparse_clean
    return module.argparse_clean | {k for k in parser.items if k not in _MARKERS}


def parsed_namespace(value: Value, name: str | None, call: ast.Call, args: list[Value],
                     keywords: dict[str | None, Value], module: ModuleContext,
                     receiver: Value | None) -> Value:
    """The source value of a `parse_args()` call (`args`, `keywords`: its arguments' values),
    its validated destinations safe (the module's, or those the parser `receiver` carries when
    the module declares none); of a `parse_known_args()` call, the pair of such a namespace
    and the remaining arguments; SAFE when the call parses a list of constants."""
    if _parses_constants(name, call, args, keywords):
        return SAFE
    # a module declaring arguments proves its own, unless every binding of a global's parser
    # told what it proves
    every = receiver is not None and receiver.items is not None and EVERY in receiver.items
    got = None if module.argparse_declares and not every else carried_destinations(receiver)
    if got and not module.argparse_declares and _handed_on(module):
        got = frozenset()
    if _inherits(receiver):
        got = _with_parents(receiver, module)
    clean = module.argparse_clean if got is None else got
    if not clean or name not in _PARSERS and name not in _PAIRS:
        return value
    namespace = value.evolve(items=dict.fromkeys(clean, SAFE))
    return namespace if name in _PARSERS else value.evolve(items={0: namespace, 1: value})


def _parses_constants(name: str | None, call: ast.Call, args: list[Value],
                      keywords: dict[str | None, Value]) -> bool:
    """Whether `call`, a parse named `name`, is given a list (or tuple) of constants as the
    arguments it parses: its value folded to a tuple of them (a display's, a name's bound to
    one), which a `None` among them (argparse's error) or a starred argument is not."""
    if name not in _ARGS_FIRST:
        return False
    if call.args:
        given = None if isinstance(call.args[0], ast.Starred) else args[0]
    else:
        given = keywords.get("args")
    const = given.const if given is not None else None
    return isinstance(const, tuple) and all(
        v is not None and not isinstance(v, (tuple, frozenset)) for v in const)
