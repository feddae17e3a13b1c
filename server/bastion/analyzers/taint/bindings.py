"""How often each module-level name is bound, and which are changed in place. A module global
is a constant (or holds an object of a known kind) for the functions that read it only when it
is bound exactly once: a second binding anywhere may run before the function does, and a
pattern finding retracted on a wrong constant is a hidden finding. A list, dict or set is a
constant only when nothing changes it in place either (`COMMANDS[name] = cmd` in `register`).

Every binding counts: assignment targets (tuples, lists, starred), augmented and annotated
assignments, `type X = ...` statements, `for` / `with` / `except` targets, imports, definitions,
`del`, also inside module-level `if` / `for` / `while` / `with` / `try` / `match` blocks; a
`global` declaration in any function or method (it may rebind the name); `from m import *` may
bind any name.

Whether a container is changed in place is container_changes.py's.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Callable, Iterable

from bastion.analyzers.taint.container_changes import changed_in_text, changed_in_tree
from bastion.analyzers.taint.nodes import LastCall, kept_by_node, nodes
from bastion.engine.cache import LRU

_DEFINITIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")
# Ways to bind a module global by name, without naming it as a target. Importing a module
# binds nothing here unless it is this one (`setattr(import_module(__name__), ...)`): a plugin
# loader's `import_module(name)` left every allow-list of its module unknown.
BY_NAME = ("globals", "__dict__", "sys.modules", "vars(")
IMPORTS = ("import_module", "__import__")  # count only when they import this module
_TYPE_ALIAS = getattr(ast, "TypeAlias", None)  # Python 3.12+


class Bindings:
    """The counts of one module's text. `star`: a star import may bind any name."""

    def __init__(self, body: list[ast.stmt], memo: LRU | None = None,
                 text: str | None = None, words: Callable[[str], tuple[bool, bool, bool]] | None = None
                 ) -> None:
        """`words`: whether `text` names `global`, a word of `BY_NAME` and one of `IMPORTS`
        (the searches of the whole text, per edit: context_reuse.text_words)."""
        self.counts: Counter[str] = Counter()
        self.star = False
        self._body = body
        self._by_name: bool | None = None  # `_binds_by_name`, looked for when first asked
        self._memo = memo
        self._text = text
        # only a text naming `global` can declare one
        if text is not None and words is not None:
            self._globals, by_word, imports = words(text)
            # an import binds by name only when it imports this module: the trees tell
            self._by_name = True if by_word else None if imports else False
        else:
            self._globals = text is None or "global" in text
        self._changed: frozenset[str] | None = None  # without the text: from the trees
        # each definition's and each member's `global` declarations, the last text's read from
        # one dict (not the LRU's look-up, which moves each entry it finds: ~40 a keystroke in
        # argparse.py, a long class's members when the keystroke made it anew)
        kept = memo if self._globals else None  # asked only in a text naming `global`
        self._declared = LastCall(kept, b"_declared_in", moved=True)
        self._members = LastCall(kept, b"declared_global", moved=True)
        counts = self.counts
        if self._globals:  # the top-level definitions' declarations in one pass, no call each
            for names in self._declared.each([n for n in body if n.__class__ in _DEFINITIONS],
                                             self._declared_in):
                for name in names:
                    counts[name] += 1
        self._count(body, True)

    def once(self, name: str) -> bool:
        return not self.star and self.counts[name] == 1

    def constant(self, name: str) -> bool:
        """Whether `name` keeps the one value it is bound to: bound once, and the module binds
        no global by name (`globals()["CMD"] = ...`, `setattr(sys.modules[__name__], ...)`),
        where a pattern finding retracted on the constant would be hidden. (What a global
        holds an object of, its kind, is read with `once` alone: it finds views.)"""
        if not self.once(name):
            return False
        if self._by_name is None:
            self._by_name = _binds_by_name(self._text, self._body)
        return not self._by_name

    def changed(self, name: str, body: list[ast.stmt]) -> bool:
        """Whether anything in the module may change the container `name` in place."""
        if self._text is not None:
            return changed_in_text(name, self._text)
        return self.changed_in_trees(name, body)

    def changed_in_trees(self, name: str, body: list[ast.stmt]) -> bool:
        """`changed` read from the statements' trees, also with the text: a call the text search
        cannot tell from one handing the container on (module_level.fixed). Each statement's
        answer is kept by its node (a keystroke walks the statements it changed)."""
        if self._changed is None:
            self._changed = frozenset().union(*(self._kept(node, changed_in_tree) for node in body))
        return name in self._changed

    def _count(self, body: Iterable[ast.stmt], top: bool = False) -> None:
        """`top`: `body` is the module's, whose definitions' declarations are counted."""
        # each statement told by its class, its blocks read from its fields (no isinstance /
        # getattr call: every module-level statement is counted at each keystroke); a name
        # counted once without `Counter.__missing__`'s call
        counts = self.counts
        for node in body:
            kind = node.__class__
            if kind in _DEFINITIONS:
                name = node.name
                counts[name] = counts[name] + 1 if name in counts else 1
                if self._globals and not top:
                    for name in self._declared.get(node, self._declared_in):
                        counts[name] += 1
                continue
            if kind is ast.Assign:
                for target in node.targets:
                    if target.__class__ is ast.Name:
                        name = target.id
                        counts[name] = counts[name] + 1 if name in counts else 1
                    else:
                        self._target(target)
            elif kind is ast.AnnAssign or kind is ast.AugAssign or kind is ast.For or kind is ast.AsyncFor:
                self._target(node.target)
            elif kind is ast.With or kind is ast.AsyncWith:
                for item in node.items:
                    if item.optional_vars is not None:
                        self._target(item.optional_vars)
            elif kind is ast.Import or kind is ast.ImportFrom:
                for alias in node.names:
                    if alias.name == "*":
                        self.star = True
                    else:
                        self.counts[alias.asname or alias.name.split(".")[0]] += 1
            elif kind is ast.Delete:
                for target in node.targets:
                    self._target(target)
            elif kind is _TYPE_ALIAS:  # `type X = ...` (None below 3.12: no class is)
                self.counts[node.name.id] += 1
            elif kind is ast.ExceptHandler and node.name:
                self.counts[node.name] += 1
            elif kind is ast.match_case:
                for child in ast.walk(node.pattern):
                    name = getattr(child, "name", None) or getattr(child, "rest", None)
                    if isinstance(name, str):
                        self.counts[name] += 1
            fields = node.__dict__
            for block in _BLOCKS:
                if block in fields and fields[block]:
                    self._count(fields[block])

    def _target(self, target: ast.expr) -> None:
        kind = target.__class__
        if kind is ast.Name:
            self.counts[target.id] += 1
        elif kind is ast.Tuple or kind is ast.List:
            for element in target.elts:
                self._target(element)
        elif kind is ast.Starred:
            self._target(target.value)

    def _declared_in(self, definition: ast.stmt) -> frozenset[str]:
        """`declared_global(definition)`, a class's from each of its members' kept: the block
        parser makes a new node of a long class at each keystroke in one of its methods, whose
        walk cost 1.6 ms in _pydecimal.py's Decimal (a text naming `global`)."""
        if not isinstance(definition, ast.ClassDef):
            return declared_global(definition)
        return frozenset().union(*self._members.each(definition.body, declared_global))

    def _kept(self, node: ast.AST, compute) -> frozenset[str]:
        """`compute(node)`, kept by node for the next text of a document whose parser reuses
        the node (a keystroke looks only into the statements it changed), or parsed the same
        text at other lines (names only: block_twins.py)."""
        return kept_by_node(self._memo, compute.__name__.encode(), node, compute, moved=True)


def _binds_by_name(text: str | None, body: list[ast.stmt]) -> bool:
    """Whether the module may bind globals by name (a word of `BY_NAME` anywhere in its text,
    in doubt: a comment counts too). Without the text, from the trees."""
    if text is not None:
        if any(word in text for word in BY_NAME):
            return True
        if not any(word in text for word in IMPORTS):
            return False
    for node in (n for statement in body for n in nodes(statement)):
        if isinstance(node, ast.Call) and _imports_itself(node):
            return True
        if text is None and (isinstance(node, ast.Name) and node.id in ("globals", "vars")
                             or isinstance(node, ast.Attribute) and node.attr in ("__dict__", "modules")):
            return True
    return False


def _imports_itself(call: ast.Call) -> bool:
    """`import_module(__name__)`, `__import__(name=__name__)`: the module itself."""
    func = call.func
    called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) \
        else None
    named = [*call.args[:1], *(k.value for k in call.keywords if k.arg == "name")]
    return called in IMPORTS and any(isinstance(n, ast.Name) and n.id == "__name__" for n in named)


def declared_global(definition: ast.stmt) -> frozenset[str]:
    """The names `global` declarations inside a definition (its methods, nested functions)
    rebind: a declaration is a statement, so only statements are looked at."""
    return frozenset(name for statement in statements_in(definition) if isinstance(statement, ast.Global)
                     for name in statement.names)


def statements_in(definition: ast.AST) -> list[ast.AST]:
    """The definition and the statements inside it, nested definitions' too (the expressions
    between them are not walked)."""
    found = [definition]
    for current in found:  # grows while it is read
        # its blocks read from its fields, no `getattr` call: a keystroke walks the function it
        # edited (global_stores.py), ten calls a statement without blocks were ~200 a key
        fields = current.__dict__
        for block in _BLOCKS:
            if block in fields:
                found.extend(fields[block])
    return found
