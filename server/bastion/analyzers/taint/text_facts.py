"""What a function's text holds, whatever the module around it (`TextFacts`: the same-file
names it may call, the `self` fields it reads and stores), found by walking its node once, a
long function's statement by statement, each kept by its lines (a keystroke in it walks the
statement it edited: the whole function's walk was ~1 ms a key in a 300-statement view);
callees.py keeps them across texts.
"""

from __future__ import annotations

import ast
import re

from bastion import attrs_classes
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.nodes import kept_by_statements, long_function, nodes
from bastion.analyzers.taint.sequences import MUTATORS
from bastion.analyzers.taint.verdicts import TRIGGER, find_sql_text
from bastion.engine.cache import LRU


@attrs_classes.frozen
class TextFacts:
    """What a function's text holds, whatever the module around it: the same-file names it may
    call, whether it may hold a call or SQL text a judged pattern rule flags (verdicts.py)."""

    plain: frozenset[str]  # `name(...)`
    methods: frozenset[str]  # `self.name(...)`, `cls.name(...)`
    attributes: frozenset[str]  # every `x.name(...)`
    judged: bool
    sql: bool
    receivers: frozenset[str] = frozenset()  # the `x` of every `x.name(...)`
    supers: frozenset[str] = frozenset()  # `super().name(...)`
    reads: frozenset[str] = frozenset()  # `self.name` read
    stores: frozenset[str] = frozenset()  # `self.name = ...`
    # names handed to a call (`executor.submit(run, x)`): a callback model may call them
    passed: frozenset[str] = frozenset()



# `for self.x in ...` in a comprehension stores from inside an expression: such a text is walked
COMPREHENSION_STORE = re.compile(r"\bfor\s*[(\[]?\s*self\.")
_NESTED = ("body", "orelse", "finalbody", "handlers", "cases")
_ONE_TARGET = frozenset({ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor})
# the node classes holding statements (a statement, an `except` clause, a `case`), with those fields
_NESTED_OF = {kind: fields for kind in vars(ast).values()
              if isinstance(kind, type) and issubclass(kind, ast.AST)
              and (fields := tuple(f for f in _NESTED if f in kind._fields))}


def is_factory(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id in ("classmethod", "staticmethod")
               for d in node.decorator_list)


def stored_fields(node: ast.FunctionDef | ast.AsyncFunctionDef, holder: str | None = "self"
                  ) -> frozenset[str]:
    """The `self` fields the function stores or deletes (`TextFacts.stores`), from its
    statements' targets: a field is stored only as a target, or in a comprehension (whose text
    is walked whole). `holder` None: the fields it stores on any name (a factory's instance).
    Each statement told by its class, and its nested statements read only of a compound one
    (no call a simple statement: the first key making a method of `_pydecimal`'s `Decimal`
    relevant asks this of its 116 methods, 26,000 calls with a test and a look-up each)."""
    stores: set[str] = set()
    statements: list[ast.AST] = node.body[:]
    while statements:
        statement = statements[-1]
        del statements[-1]  # `pop()` but without a call
        kind = statement.__class__
        if kind is ast.Assign or kind is ast.Delete:
            targets = statement.targets[:]
        elif kind in _ONE_TARGET:
            targets = [statement.target]
        elif kind is ast.With or kind is ast.AsyncWith:
            targets = [item.optional_vars for item in statement.items if item.optional_vars]
        elif kind is ast.Expr and statement.value.__class__ is ast.Call \
                and statement.value.func.__class__ is ast.Attribute \
                and statement.value.func.attr in MUTATORS and _mutated_field(statement.value):
            targets = [statement.value.func.value]
        else:
            targets = None
        while targets:
            target = targets[-1]
            del targets[-1]
            kind_of = target.__class__
            if kind_of is ast.Tuple or kind_of is ast.List:
                targets += target.elts
            elif kind_of is ast.Starred:
                targets.append(target.value)
            elif kind_of is ast.Attribute and target.value.__class__ is ast.Name \
                    and (holder is None or target.value.id == holder):
                stores.add(target.attr)
        if kind in _NESTED_OF:
            for field in _NESTED_OF[kind]:
                statements += getattr(statement, field, ())  # a node built by hand may lack one
    return frozenset(stores)


def _mutated_field(node: ast.expr) -> bool:
    """`self.parts.append(x)` (a statement): the call stores into the field as `self.parts = ...`
    would (calls.py keeps what it holds as the method's field)."""
    func = node.func if isinstance(node, ast.Call) else None
    return isinstance(func, ast.Attribute) and func.attr in MUTATORS \
        and isinstance(func.value, ast.Attribute) and isinstance(func.value.value, ast.Name) \
        and func.value.value.id == "self"


# (plain, methods, attributes, receivers, supers, reads, stores, passed): `TextFacts`' names
_Names = tuple[frozenset[str], ...]


def text_facts(function: Function, text: str | None, memo: LRU | None = None,
               lines: list[str] | None = None) -> TextFacts:
    """The facts of the function's text. `memo` and `lines` (the module's lines, as Python
    counts them): a long function's statements are kept by their lines across texts."""
    node = function.node
    if memo is not None and lines is not None and long_function(node):
        parts = kept_by_statements(memo, (b"facts lines", function.name), node, _walked,
                                   lambda: lambda first, last: "\n".join(lines[first - 1:last]))
        plain, methods, attributes, receivers, supers, reads, stores, passed = (
            frozenset().union(*names) for names in zip(*parts, strict=True))
    else:
        plain, methods, attributes, receivers, supers, reads, stores, passed = _walked(node)
    # Without the text (a summary for another module: every function is interpreted, none is
    # chosen by its text), what it may hold is not looked for: it may hold anything.
    judged = text is None or TRIGGER.search(text) is not None
    sql = text is None or find_sql_text(text) is not None
    return TextFacts(plain, methods, attributes, judged, sql, receivers, supers, reads, stores, passed)


def _walked(root: ast.AST) -> _Names:
    plain: set[str] = set()
    methods: set[str] = set()
    attributes: set[str] = set()
    receivers: set[str] = set()
    supers: set[str] = set()
    reads: set[str] = set()
    stores: set[str] = set()
    passed: set[str] = set()
    # each node told by its class (no call: the function a keystroke edits is walked at each key)
    for node in nodes(root):
        kind = node.__class__
        if kind is ast.Expr and node.value.__class__ is ast.Call \
                and node.value.func.__class__ is ast.Attribute and node.value.func.attr in MUTATORS \
                and _mutated_field(node.value):
            stores.add(node.value.func.value.attr)  # as `stored_fields` finds
        elif kind is ast.Attribute and node.value.__class__ is ast.Name and node.value.id == "self":
            (reads if node.ctx.__class__ is ast.Load else stores).add(node.attr)
        elif kind is ast.Call:
            func = node.func
            for handed in [*node.args, *[k.value for k in node.keywords]] if node.keywords else node.args:
                handed_kind = handed.__class__
                if handed_kind is ast.Name:
                    passed.add(handed.id)
                elif handed_kind is ast.Attribute and handed.value.__class__ is ast.Name \
                        and handed.value.id in ("self", "cls"):
                    methods.add(handed.attr)  # `executor.submit(self.run, x)`
            func_kind = func.__class__
            if func_kind is ast.Name:
                plain.add(func.id)
            elif func_kind is ast.Attribute:
                attributes.add(func.attr)
                owner = func.value
                if owner.__class__ is ast.Call and owner.func.__class__ is ast.Name \
                        and owner.func.id == "super":
                    supers.add(func.attr)
                if owner.__class__ is ast.Name:
                    receivers.add(owner.id)
                    if owner.id in ("self", "cls"):
                        methods.add(func.attr)
    return (frozenset(plain), frozenset(methods), frozenset(attributes), frozenset(receivers),
            frozenset(supers), frozenset(reads), frozenset(stores), frozenset(passed))
