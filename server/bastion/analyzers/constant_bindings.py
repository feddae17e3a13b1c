"""What a name, a class attribute or a constant subscript of a module stands for, when the module
binds it once to a constant expression: `algo = "md5"` then `hashlib.new(algo)`, `mode =
AES.MODE_ECB if 9 > 1 else AES.MODE_GCM`, `MODES["ecb"]`, `flags[0]`, `self.MODE` of a class
body's `MODE = AES.MODE_ECB`. The `[match]` value conditions of a call pattern marked `constants`
read its arguments through these bindings in TomlRulesAnalyzer's whole-file pass.

A name is resolved only when its scope (a function, a class body, the module; the enclosing
functions' and then the module's for a name a function does not bind) binds it exactly once, in
live code, by a plain assignment: an `if` or a ternary whose test is a comparison of literals
(`if 3 > 5:`) has one live branch. Any other binding (a parameter, a loop or `with` target,
augmented assignment, unpacking, an import, `global`, `del`, `:=`, an item assigned) leaves the
name unresolved, and so does an attribute some statement of the module assigns (`self.MODE =`).
A parameter of a module-level function defined once, undecorated, called once by its name and
referenced nowhere else in the tree (no other call, no name handed on or decorating, no attribute,
string or import of that name as `getattr(m, "make")` or `__all__` hold, no parameter or function
shadowing it; comments do not count) stands for what that call passes it (`make("md5")` then
`hashlib.new(name)` in `make`), read in the caller's scope; its default when the call passes nothing.
Another module may import the function and call it too, so a pass that retracts a finding makes
its `Bindings` with `parameters=False`: a parameter is then never resolved.
A `Bindings` is made for one file's pass and only read after; its `scope` is the pass's to move.
"""

from __future__ import annotations

import ast
import operator
import re

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPARISONS = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt,
                ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}
_STEPS = 8  # bindings followed for one expression: `a = b`, `b = MODES["x"]`, ... end well before
_UNKNOWN = object()
_PARAMETER: list = []  # a parameter's entry among a scope's names (never appended to)
_SCOPES = (*_FUNCTIONS, ast.ClassDef)


class Bindings:
    """Read lazily: a scope's names are collected the first time a name is looked up in it."""

    def __init__(self, tree: ast.Module, text: str, parameters: bool = True) -> None:
        self._text = text
        self._parameters = parameters
        # scope node -> name -> the values it is bound to (None: bound some other way too)
        self._values: dict[ast.AST, dict[str, list[ast.expr] | None]] = {}
        self._class_names: dict[str, ast.ClassDef] = {}  # a module-level class by its name
        self._functions: dict[str, list[ast.AST]] = {}  # module-level undecorated functions by name
        self._assigned: dict[str, bool] = {}  # attribute name -> whether some statement assigns it
        self._named: dict[str, bool] = {}  # name -> whether the text holds `name =` somewhere
        self._module = tree
        # the scopes around the expressions resolved next, innermost first, class bodies included
        self.chain: tuple[ast.AST, ...] = (tree,)
        # (function, parameter) -> (what its one call passes, the caller's chain); made when needed
        self._arguments: dict | None = None
        self._walrus = frozenset(
            n.target.id for n in ast.walk(tree) if type(n) is ast.NamedExpr and type(n.target) is ast.Name
        ) if ":=" in text else frozenset()

    def resolve(self, node: ast.expr) -> ast.expr:
        """The constant expression `node` stands for in `chain`; `node` itself when unknown."""
        chain = self.chain
        for _ in range(_STEPS):
            kind = type(node)
            if kind is ast.Name:
                found = self._bound(node.id, chain)
            elif kind is ast.IfExp:
                truth = literal_truth(node.test)
                found = None if truth is None else (node.body if truth else node.orelse, chain)
            elif kind is ast.Subscript:
                found = self._item(node, chain)
            elif kind is ast.Attribute and type(node.value) is ast.Name:
                found = self._class_attribute(node.value.id, node.attr, chain)
            else:
                return node
            if found is None:
                return node
            node, chain = found
        return node

    # ---- reading ----

    def _bound(self, name: str, chain: tuple[ast.AST, ...]) -> tuple[ast.expr, tuple] | None:
        # a function's body does not see the class body it is in
        for index, outer in enumerate(chain):
            if index and type(outer) is ast.ClassDef:
                continue
            if outer is self._module and not self._assigned_name(name):
                return None  # collecting a long module's names costs more than a search
            names = self._names(outer)
            if name in names:
                values = names[name]
                if values is _PARAMETER:
                    return self._passed_to(outer, name) if self._parameters else None
                return (values[0], chain[index:]) if values is not None and len(values) == 1 else None
        return None

    def _assigned_name(self, name: str) -> bool:
        """Whether the text holds `name =` or `name: T =`: the module binds no other name to
        a constant."""
        assigned = self._named.get(name)
        if assigned is None:
            assigned = self._named[name] = re.search(
                rf"(?<![\w.]){re.escape(name)}\s*(?::[^=\n]*)?=(?!=)", self._text) is not None
        return assigned

    def _item(self, node: ast.Subscript, chain: tuple) -> tuple[ast.expr, tuple] | None:
        saved, self.chain = self.chain, chain
        try:
            container, key = self.resolve(node.value), self.resolve(node.slice)
        finally:
            self.chain = saved
        if type(key) is not ast.Constant:
            return None
        if type(container) is ast.Dict:
            for item_key, value in zip(container.keys, container.values, strict=True):
                if item_key is None:
                    return None  # a `**` spread may hold the key
                if type(item_key) is ast.Constant and item_key.value == key.value \
                        and type(item_key.value) is type(key.value):
                    return value, chain
            return None
        if type(container) in (ast.List, ast.Tuple) and type(key.value) is int \
                and not any(type(e) is ast.Starred for e in container.elts) \
                and -len(container.elts) <= key.value < len(container.elts):
            return container.elts[key.value], chain
        return None

    def _class_attribute(self, owner: str, attribute: str, chain: tuple) -> tuple[ast.expr, tuple] | None:
        assigned = self._assigned.get(attribute)
        if assigned is None:  # `x.MODE = ...`, `x.MODE += ...` anywhere in the text
            assigned = self._assigned[attribute] = re.search(
                rf"\.{re.escape(attribute)}\s*(?:[-+*/%&|^@]|//|>>|<<|\*\*)?=(?!=)", self._text) is not None
        if assigned:
            return None
        function = chain[0]
        if len(chain) > 1 and type(chain[1]) is ast.ClassDef and isinstance(function, _FUNCTIONS) \
                and owner == _first_parameter(function):
            cls, outer = chain[1], chain[1:]
        else:
            self._names(self._module)
            cls = self._class_names.get(owner)
            if cls is None or self._bound(owner, chain) is not None:
                return None
            outer = (cls, self._module)
        values = self._names(cls).get(attribute)
        return (values[0], outer) if values is not None and len(values) == 1 else None

    def _passed_to(self, function: ast.AST, parameter: str) -> tuple[ast.expr, tuple] | None:
        if self._arguments is None:
            self._arguments = self._single_calls()
        return self._arguments.get((function, parameter))

    # ---- collecting ----

    def _single_calls(self) -> dict[tuple[ast.AST, str], tuple[ast.expr, tuple]]:
        """What the one call of each module-level function defined once, called once by its
        name and otherwise never referenced, passes each parameter, with the caller's chain (a
        default: the module's)."""
        self._names(self._module)
        text = self._text
        defined = {name: functions[0] for name, functions in self._functions.items()
                   if len(functions) == 1 and text.find(name, text.index(name) + len(name)) >= 0}
        if not defined:
            return {}
        sites: dict[str, list[tuple[ast.Call, tuple]]] = {}
        referenced: set[str] = set()  # otherwise than by a call: handed on, decorating, rebound
        stack: list[tuple[ast.AST, tuple]] = [(self._module, (self._module,))]
        while stack:
            node, chain = stack.pop()
            kind = type(node)
            if kind is ast.Call and type(node.func) is ast.Name and node.func.id in defined:
                sites.setdefault(node.func.id, []).append((node, chain))
                stack.extend([(child, chain) for child in (*node.args, *node.keywords)])
                continue
            for name in _references(node, kind):
                if name in defined and node is not defined[name]:
                    referenced.add(name)
            inner = (node, *chain) if kind in _SCOPES else chain
            stack.extend([(child, inner) for child in ast.iter_child_nodes(node)])
        found = {}
        for name, calls in sites.items():
            if len(calls) != 1 or name in referenced:
                continue
            function, (call, caller) = defined[name], calls[0]
            defaults = {id(d) for d in (*function.args.defaults, *function.args.kw_defaults)}
            for parameter, value in _passed(function, call).items():
                found[(function, parameter)] = (value, (self._module,) if id(value) in defaults else caller)
        return found

    def _names(self, scope: ast.AST) -> dict[str, list[ast.expr] | None]:
        names = self._values.get(scope)
        if names is not None:
            return names
        names = self._values[scope] = {}
        if isinstance(scope, _FUNCTIONS):
            arguments = scope.args
            for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
                names[arg.arg] = _PARAMETER
            for arg in (arguments.vararg, arguments.kwarg):
                if arg is not None:
                    names[arg.arg] = None
        self._statements(scope, scope.body)
        for name in self._walrus:
            names[name] = None
        if scope is self._module:  # `global NAME` in a function may bind it again
            for declared in re.findall(r"\bglobal\s+(\w+(?:\s*,\s*\w+)*)", self._text):
                names.update(dict.fromkeys(re.split(r"\s*,\s*", declared)))
        return names

    def _statements(self, scope: ast.AST, body: list[ast.stmt]) -> None:
        for statement in body:
            self._statement(scope, statement)

    def _statement(self, scope: ast.AST, node: ast.stmt) -> None:
        kind = type(node)
        names = self._values[scope]  # being collected: _names made it
        if kind is ast.Assign:
            for target in node.targets:
                self._target(names, target, node.value)
        elif kind is ast.AnnAssign:
            if node.value is not None:
                self._target(names, node.target, node.value)
        elif kind is ast.AugAssign:
            self._target(names, node.target, None)
        elif kind in (ast.For, ast.AsyncFor):
            self._target(names, node.target, None)
            self._statements(scope, node.body)
            self._statements(scope, node.orelse)
        elif kind in (ast.With, ast.AsyncWith):
            for item in node.items:
                if item.optional_vars is not None:
                    self._target(names, item.optional_vars, None)
            self._statements(scope, node.body)
        elif kind is ast.If:
            truth = literal_truth(node.test)
            if truth is not False:
                self._statements(scope, node.body)
            if truth is not True:
                self._statements(scope, node.orelse)
        elif kind is ast.While:
            self._statements(scope, node.body)
            self._statements(scope, node.orelse)
        elif kind in (ast.Try, getattr(ast, "TryStar", ast.Try)):
            for handler in node.handlers:
                if handler.name:
                    names[handler.name] = None
                self._statements(scope, handler.body)
            for part in (node.body, node.orelse, node.finalbody):
                self._statements(scope, part)
        elif kind is ast.Match:
            for case in node.cases:
                for sub in ast.walk(case.pattern):
                    for name in (getattr(sub, "name", None), getattr(sub, "rest", None)):
                        if isinstance(name, str):
                            names[name] = None
                self._statements(scope, case.body)
        elif kind in _FUNCTIONS:  # its body is a scope of its own, collected when read
            names[node.name] = None
            if scope is self._module and not node.decorator_list:
                self._functions.setdefault(node.name, []).append(node)
        elif kind is ast.ClassDef:
            names[node.name] = None
            if scope is self._module:
                self._class_names[node.name] = node
        elif kind in (ast.Import, ast.ImportFrom):
            for alias in node.names:
                names[(alias.asname or alias.name).partition(".")[0]] = None
        elif kind in (ast.Global, ast.Nonlocal):
            for name in node.names:
                names[name] = None
        elif kind is ast.Delete:
            for target in node.targets:
                self._target(names, target, None)

    def _target(self, names: dict, target: ast.expr, value: ast.expr | None) -> None:
        kind = type(target)
        if kind is ast.Name:
            current = names.get(target.id, ())
            if value is None or current is None or current is _PARAMETER:
                names[target.id] = None
            else:
                names.setdefault(target.id, []).append(value)
        elif kind is ast.Subscript:
            if type(target.value) is ast.Name:
                names[target.value.id] = None  # an item changed: its constant is not the literal
        elif kind in (ast.Tuple, ast.List):
            for element in target.elts:
                self._target(names, element, None)
        elif kind is ast.Starred:
            self._target(names, target.value, None)


def _references(node: ast.AST, kind: type) -> tuple[str, ...]:
    """The names `node` refers to or binds other than by calling them: a name read, stored,
    deleted or used as a decorator, an attribute, a string (`getattr(m, "make")`, `__all__`), an
    import, a `global`, a parameter, a function or class of that name."""
    if kind is ast.Name:
        return (node.id,)
    if kind is ast.Attribute:
        return (node.attr,)
    if kind is ast.Constant:
        return (node.value,) if type(node.value) is str else ()
    if kind in (*_FUNCTIONS, ast.ClassDef):
        return (node.name,)
    if kind is ast.alias:
        return (node.asname or node.name,)
    if kind in (ast.Global, ast.Nonlocal):
        return tuple(node.names)
    if kind is ast.arg:
        return (node.arg,)
    return ()


def _passed(function: ast.AST, call: ast.Call) -> dict[str, ast.expr]:
    """Each parameter of `function` -> what `call` passes it, or its default; {} when a `*` or
    `**` argument hides which."""
    if any(type(a) is ast.Starred for a in call.args) or any(k.arg is None for k in call.keywords):
        return {}
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    passed = {p.arg: d for p, d in zip(positional[len(positional) - len(arguments.defaults):],
                                       arguments.defaults, strict=True)}
    passed.update((p.arg, d) for p, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
                  if d is not None)
    passed.update((p.arg, a) for p, a in zip(positional, call.args, strict=False))
    named = {p.arg for p in (*arguments.args, *arguments.kwonlyargs)}
    passed.update((k.arg, k.value) for k in call.keywords if k.arg in named)
    return passed


def _first_parameter(function: ast.AST) -> str | None:
    arguments = function.args
    first = (arguments.posonlyargs or arguments.args or [None])[0]
    return None if first is None else first.arg


def literal_truth(test: ast.expr) -> bool | None:
    """The truth of a test made of literals (`3 > 5`, `not True`, `1 and 0`); None otherwise."""
    value = _literal(test)
    return None if value is _UNKNOWN else bool(value)


def _literal(node: ast.expr) -> object:
    kind = type(node)
    if kind is ast.Constant:
        return node.value
    if kind is ast.UnaryOp and type(node.op) is ast.Not:
        value = _literal(node.operand)
        return _UNKNOWN if value is _UNKNOWN else not value
    if kind is ast.BoolOp:
        values = [_literal(v) for v in node.values]
        if _UNKNOWN in values:
            return _UNKNOWN
        return all(values) if type(node.op) is ast.And else any(values)
    if kind is ast.Compare and len(node.ops) == 1 and type(node.ops[0]) in _COMPARISONS:
        left, right = _literal(node.left), _literal(node.comparators[0])
        if _UNKNOWN in (left, right) or type(left) not in (int, float, str) \
                or type(right) not in (int, float, str) or isinstance(left, str) != isinstance(right, str):
            return _UNKNOWN
        return _COMPARISONS[type(node.ops[0])](left, right)
    return _UNKNOWN
