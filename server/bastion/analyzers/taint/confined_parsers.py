"""Which lxml parsers never leave the function that builds them (BST130's retraction,
verdicts.py): a parser resolving entities is harmless when every document it ever parses is
constant or sanitized text (the program's own, folded or not, or request data no markup fits in:
`str(int(q))`, a digest; not what a download, a file or a caller gives), which can be known only
of a parser no other code can reach.

A parser is confined to the function being run when it is built in the parse call's own
argument (`etree.fromstring(text, etree.XMLParser(...))`), or bound once, by a plain assignment
of the call that builds it, to a local name that every other mention hands as the parser (`parser=`
or the second argument) to a parse of text: lxml's fromstring / XML / fromstringlist and
objectify's fromstring / XML. Anything else may keep it or parse a file with it: a return, a
field, a global, a container, another call, a method of it (`parser.feed(data)`), a nested
function or lambda naming it, a parameter of that name, a second binding, `etree.parse(path,
parser)` (a file's contents are not its constant path). Each parse of a confined parser records
its document's verdict under the building call's position (sink class PARSER_CLASS); the worst
of them is the parser's.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import Value
from bastion.analyzers.taint.signatures import every
from bastion.analyzers.taint.verdicts import PARSER_CLASS, judge, record_at

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

# lxml's calls that parse the text they are given (not a file, a URL or a stream).
TEXT_PARSES = frozenset({"lxml.etree.fromstring", "lxml.etree.XML", "lxml.etree.fromstringlist",
                         "lxml.objectify.fromstring", "lxml.objectify.XML"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def see_parse(ev: Evaluator, node: ast.Call, name: str | None, document: Value) -> None:
    """A parse call that matched an XXE sink, with the document it parses: its verdict is
    recorded for the parser it is handed if that parser is confined to the function."""
    if name not in TEXT_PARSES or ev.function is None:
        return
    built = _confined(ev, ev.function.node, node)
    if built is not None:
        record_at(ev, built, PARSER_CLASS, judge(document, "xxe"))


def _parser_argument(call: ast.Call) -> ast.expr | None:
    keyword = next((k.value for k in call.keywords if k.arg == "parser"), None)
    if keyword is not None:
        return keyword
    if len(call.args) > 1 and not any(isinstance(a, ast.Starred) for a in call.args[:2]):
        return call.args[1]
    return None


def _confined(ev: Evaluator, function: ast.FunctionDef | ast.AsyncFunctionDef,
              parse: ast.Call) -> ast.Call | None:
    """The call building the parser `parse` is handed, if that parser is confined to
    `function` (None: it is not, or the parse is not in it)."""
    parser = _parser_argument(parse)
    if not function.lineno <= parse.lineno <= (function.end_lineno or function.lineno):
        return None
    if isinstance(parser, ast.Call):
        return parser
    if not isinstance(parser, ast.Name):
        return None
    name = parser.id
    if any(p.arg == name for p in every(function.args)):
        return None
    handed: set[int] = set()  # the mentions that hand it as a parser to a parse of text
    built: list[ast.Call] = []
    mentions: list[ast.Name] = []
    for child in _walk(function, name):
        if child is None:
            return None  # a nested scope names it
        if isinstance(child, (ast.Global, ast.Nonlocal)) and name in child.names:
            return None
        if isinstance(child, ast.Assign) and len(child.targets) == 1 \
                and isinstance(child.targets[0], ast.Name) and child.targets[0].id == name:
            if not isinstance(child.value, ast.Call):
                return None
            built.append(child.value)
            handed.add(id(child.targets[0]))
        elif isinstance(child, ast.Call):
            argument = _parser_argument(child)
            if isinstance(argument, ast.Name) and argument.id == name \
                    and ev.qualname(child.func) in TEXT_PARSES:
                handed.add(id(argument))
        elif isinstance(child, ast.Name) and child.id == name:
            mentions.append(child)
    if len(built) != 1 or not any(m is parser for m in mentions) or \
            not all(id(m) in handed for m in mentions):
        return None
    return built[0]


def _walk(function: ast.AST, name: str):
    """`function`'s nodes, None for a nested scope that mentions `name`."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        child = stack.pop()
        if isinstance(child, _SCOPES):
            if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(child)):
                yield None
            continue
        yield child
        stack.extend(ast.iter_child_nodes(child))
