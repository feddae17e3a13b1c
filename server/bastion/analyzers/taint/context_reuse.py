"""What a module context (context.py) takes from the last context it built for a document,
instead of building it again: a keystroke changes one block of the module, and the block parser
(blocks.py) hands back the very nodes of the blocks it did not change.

`KeptFunctions`: the functions and methods `entries.functions_of` classified, by their node.
A node met again (the same object: its text and place are unchanged) under the same
generation (the module's digest, the entry models that apply, the classes that type
parameters), with the same facts from around it (its class's name, resolved bases, marks and
kind of `self`; whether the module calls it; its registrations), is classified as it was:
its `Function` is handed back, reset to what `functions_of` makes before `hand_requests` sets
the requests handed to it. _pydecimal.py's ~240 methods cost 0.9 ms a keystroke built anew.
It also keeps the entry owning a class of given bases for the generation (`owner`).

`kept_module_body`: the function standing for the module's top-level code (wrappers.py), the
last one while its statements are the same nodes: the caches by node (the calls it hands the
request, its callees) find it; a new one each keystroke cost views.py 0.5 ms in `hand_requests`.

`last_shapes`: the class shapes (classes.py) of the last context when it had the same import
aliases and global kinds, which with its node decide what a class alone contributes to its
shape (its own bases resolved, fields, constant body, `__init__` parameters).

`kept_wrapper`: the function a module-level lambda or partial stands for (wrappers.py), the
last one made for the same value node, name and place: a new one each keystroke was
classified again, and missed every cache by node.

`kept_level`: what the module's top-level statements but its definitions bind
(module_level.py), while they are the very nodes at the same places: a keystroke in a function
or class binds nothing there; their scan cost _pydecimal.py 0.12 ms a keystroke.

`applying_entries`: the entry models that apply to the module (those of the frameworks it
imports, or its classes derive from, or its classes and factories take the parameters of), the
last context's for the same import table and such names: ~300 calls a keystroke asked anew.

`keep_inherited`: which class's method `Class.method` runs (`ModuleContext.inherited`), the last
context's answers while the functions' names and the classes' parents are the same: a keystroke
in a method changes neither, and argparse.py's ~25 classes' ancestry was asked anew at each
(some 100 calls a key).

`text_words`: whether the text names `global` and a word that binds globals by name
(bindings.py), per edit (gate.py): five searches of a 230 KB text cost 0.3 ms a keystroke.
`declaring_words`, whether it names `add_argument` or `set_defaults`, likewise (0.15 ms).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.argparse_choices import DECLARING
from bastion.analyzers.taint.bindings import BY_NAME, IMPORTS
from bastion.analyzers.taint.context_parts import forget_parts
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.entry_models import EntryModel
from bastion.analyzers.taint.gate import words_gate
from bastion.analyzers.taint.mixins import owner_of
from bastion.analyzers.taint.specs import Models
from bastion.analyzers.taint.wrappers import as_function, module_body
from bastion.engine.cache import LRU

if TYPE_CHECKING:
    from bastion.analyzers.taint.context_record import ModuleContext

_KEY = (b"kept functions",)
_WORDS = (b"text words",)
_BODY = (b"module body",)
_SHAPES = (b"class shapes",)
_WRAPPERS = (b"wrappers",)
_LEVEL = (b"module level",)
_DECLARING = (b"declaring words",)
_ENTRIES = (b"entries that apply",)
_INHERITED = (b"inherited methods",)
WRAPPERS_KEPT = 1024  # module-level lambdas and partials remembered, across documents


class KeptFunctions:
    """The functions of one context, by node, for the next context of the same generation."""

    def __init__(self, generation: tuple) -> None:
        self.generation = generation
        # by the node itself (equal to itself alone): a look-up without an `id` or `get` call, a
        # method of the class a keystroke edits (Decimal's 125) at each key
        self._last: dict[ast.AST, tuple[ast.AST, tuple, Function]] = {}
        self._next: dict[ast.AST, tuple[ast.AST, tuple, Function]] = {}
        # the entry owning the methods of a class of these bases (mixins.owner_of): the entries
        # are the generation's; asked of each class at each keystroke, 0.7 ms in _pydecimal.py
        self._owners: dict[tuple[str | None, ...], EntryModel | None] = {}
        # each class's resolved decorators (entries._class_marks), by its node: the import
        # aliases and global kinds resolving them are in the generation (the module's digest)
        self._last_marks: dict[int, tuple[ast.AST, tuple[str, ...]]] = {}
        self._next_marks: dict[int, tuple[ast.AST, tuple[str, ...]]] = {}
        # each class's methods, by its node: (node, around, methods, their entries for `_next`);
        # an unedited class is taken whole: taking its methods one by one cost argparse.py
        # ~600 calls a keystroke
        self._last_classes: dict[int, tuple] = {}
        self._next_classes: dict[int, tuple] = {}

    def owner(self, entries: list[EntryModel], bases: list[str | None]) -> EntryModel | None:
        key = tuple(bases)
        if key not in self._owners:
            self._owners[key] = owner_of(entries, bases)
        return self._owners[key]

    def marks(self, node: ast.ClassDef, compute: Callable[[ast.ClassDef], tuple[str, ...]]
              ) -> tuple[str, ...]:
        """`compute(node)`, the last context's when it was asked of this node."""
        kept = self._last_marks.get(id(node))
        found = kept[1] if kept is not None and kept[0] is node else compute(node)
        self._next_marks[id(node)] = (node, found)
        return found

    def take(self, nodes: list, around: tuple, class_node: ast.ClassDef | None
             ) -> list[Function | None]:
        """The function of each of `nodes` classified with the facts `around` them, or None;
        each function returned or made after is given to `keep`."""
        last = self._last
        found = [kept[2] if node in last and (kept := last[node])[1] == around else None for node in nodes]
        for function in found:
            if function is not None:
                function.class_node = class_node  # a long class's node is new whenever one member is
                function.request_kinds = ()
        return found

    def take_functions(self, nodes: list, arounds: list[tuple]) -> list[Function | None]:
        """`take` of module-level functions, each with the facts around it, in one call for
        them all; each function returned or made after is given to `keep_functions`."""
        last = self._last
        found = [kept[2] if node in last and (kept := last[node])[1] == around else None
                 for node, around in zip(nodes, arounds, strict=True)]
        for function in found:
            if function is not None:
                function.class_node = None
                function.request_kinds = ()
        return found

    def keep_functions(self, functions: list[Function], arounds: list[tuple]) -> None:
        self._next.update({function.node: (function.node, around, function)
                           for function, around in zip(functions, arounds, strict=True)})

    def take_class(self, node: ast.ClassDef, around: tuple) -> list[Function] | None:
        """The methods of the class `node` (the same object: its members are the same nodes)
        classified with the facts `around` it, reset as by `take`, or None."""
        kept = self._last_classes.get(id(node))
        if kept is None or kept[0] is not node or kept[1] != around:
            return None
        for function in kept[2]:
            function.request_kinds = ()
        self._next.update(kept[3])
        self._next_classes[id(node)] = kept
        return kept[2]

    def keep(self, functions: list[Function], around: tuple, class_node: ast.ClassDef | None = None) -> None:
        """`class_node`: the class of `functions`, all its methods."""
        if class_node is None:
            for function in functions:
                self._next[function.node] = (function.node, around, function)
            return
        kept = {function.node: (function.node, around, function) for function in functions}
        self._next.update(kept)
        self._next_classes[id(class_node)] = (class_node, around, functions, kept)

    def done(self) -> None:
        """The functions kept since the last call are those the next context may take."""
        self._last, self._next = self._next, {}
        self._last_marks, self._next_marks = self._next_marks, {}
        self._last_classes, self._next_classes = self._next_classes, {}


def kept_functions(memo: LRU | None, generation: tuple) -> KeptFunctions | None:
    """The last context's functions when it had this generation, else an empty store (None
    without a memo: a one-off context keeps nothing)."""
    if memo is None:
        return None
    kept = memo.get(_KEY)
    if kept is None or kept.generation != generation:
        kept = KeptFunctions(generation)
        memo.put(_KEY, kept)
    return kept


def last_shapes(memo: LRU | None, env: Env, kinds: dict[str, str]) -> dict | None:
    """The last context's class shapes by node, when its import aliases and global kinds are
    these (what resolves a base: factories.resolve), else None."""
    kept = memo.get(_SHAPES) if memo is not None else None
    if kept is None or kept[0] != env.aliases or kept[1] != kinds:
        return None
    return kept[2]


def keep_shapes(memo: LRU | None, env: Env, kinds: dict[str, str], shapes: dict) -> None:
    if memo is not None:
        memo.put(_SHAPES, (dict(env.aliases), dict(kinds), shapes))


def kept_wrapper(memo: LRU | None, name: str, value: ast.expr, env: Env) -> ast.FunctionDef | None:
    """`wrappers.as_function(name, value, env)`, the last one when made for this value node
    with the same name at the same place (the definition is located at the value)."""
    if memo is None:
        return as_function(name, value, env)
    kept_by_value = memo.get(_WRAPPERS)
    if kept_by_value is None:
        kept_by_value = LRU(WRAPPERS_KEPT)
        memo.put(_WRAPPERS, kept_by_value)
    # the definition's own nodes are placed at the value: kept only while it has not moved
    # (the block parser does not move a kept module-level statement today)
    place = (name, value.lineno, value.col_offset, value.end_lineno, value.end_col_offset)
    kept = kept_by_value.get(id(value))
    last = kept[2] if kept is not None and kept[0] is value and kept[1] == place else None
    function = as_function(name, value, env, last)
    if function is not None and function is not last:
        kept_by_value.put(id(value), (value, place, function))
    return function


def kept_level(memo: LRU | None, statements: list[ast.stmt]) -> object | None:
    """What `module_level` kept of these top-level statements (a module's, but its
    definitions) when the last were the very same nodes at the same places, else None."""
    kept = memo.get(_LEVEL) if memo is not None else None
    # the lists compared item by item by identity (a node defines no equality), no call each
    if kept is None or kept[0] != statements or kept[1] != _places(statements):
        return None
    return kept[2]


def keep_level(memo: LRU | None, statements: list[ast.stmt], bound: object) -> None:
    if memo is not None:
        memo.put(_LEVEL, (statements, _places(statements), bound))


def _places(statements: list[ast.stmt]) -> list[tuple]:
    """Where each statement is: the block parser keeps a node only at its lines today (its
    trees are kept by first line), and a wrapper is located at its value."""
    return [(node.lineno, node.col_offset, node.end_lineno, node.end_col_offset) for node in statements]


def applying_entries(memo: LRU | None, models: Models, env: Env, inherited: set[str],
                     inside: frozenset[str], made: set[str], made_by: set[str]) -> list[EntryModel]:
    """`models.entries` that apply: `inherited`, the first names of the module's classes'
    resolved bases; `inside`, the frameworks only its functions import; `made`, the parameters
    of its classes' `__init__`; `made_by`, those of the factories of its nested views."""
    kept = memo.get(_ENTRIES) if memo is not None else None
    around = (inherited, inside, made, made_by)
    if kept is not None and kept[0] is models and kept[1] == env.imports and kept[2] == around:
        return kept[3]
    entries = [e for e in models.entries if not e.imported or env.imported(e.imported)
               or any(name.split(".")[0] in inherited or name in inside for name in e.imported)
               or not e.init_params.isdisjoint(made) or not e.factory_params.isdisjoint(made_by)]
    if memo is not None:
        memo.put(_ENTRIES, (models, set(env.imports), around, entries))
    return entries


def text_words(memo: LRU | None) -> Callable[[str], tuple[bool, bool, bool]] | None:
    """Whether a text names `global`, a word of `BY_NAME` and one of `IMPORTS`, answered from
    the last text's answer where the edit allows (None without a memo: a one-off context
    searches its text)."""
    if memo is None:
        return None
    gates = memo.get(_WORDS)
    if gates is None:
        gates = (words_gate(("global",)), words_gate(BY_NAME), words_gate(IMPORTS))
        memo.put(_WORDS, gates)
    return lambda text: (gates[0].match(text), gates[1].match(text), gates[2].match(text))


def declaring_words(memo: LRU | None) -> Callable[[str], bool] | None:
    """Whether a text names a word of `DECLARING` (argparse_choices.declares_arguments), per
    edit (None without a memo: a one-off context searches its text)."""
    if memo is None:
        return None
    gate = memo.get(_DECLARING)
    if gate is None:
        gate = words_gate(DECLARING)
        memo.put(_DECLARING, gate)
    return gate.match


def forget_document(memo: LRU) -> None:
    """The last document's text and nodes go (its document closed): `text_words`' gates' last
    text, the functions kept by node, the last module body, class shapes, wrappers, what the
    top-level statements bind, the declaring words' gate, the answers of `inherited` and the
    passes' parts by definition (context_parts.py); the next context builds them."""
    for gate in memo.get(_WORDS) or ():
        gate.forget_text()
    memo.pop(_DECLARING)
    memo.pop(_KEY)
    memo.pop(_BODY)
    memo.pop(_SHAPES)
    memo.pop(_WRAPPERS)
    memo.pop(_LEVEL)
    memo.pop(_ENTRIES)
    memo.pop(_INHERITED)
    forget_parts(memo)


def keep_inherited(memo: LRU | None, module: ModuleContext) -> None:
    """The module's answers of `inherited` are the last context's, when it had the same function
    names and parents (`ModuleContext.take_inherited`); the next context may take them."""
    if memo is not None:
        memo.put(_INHERITED, module.take_inherited(memo.get(_INHERITED)))


def kept_module_body(tree: ast.Module, memo: LRU | None) -> ast.FunctionDef | None:
    """`wrappers.module_body(tree)`, the last one's node when it holds the same statements."""
    if memo is None:
        return module_body(tree)
    body = module_body(tree, memo.get(_BODY))
    if body is not None:
        memo.put(_BODY, body)
    return body
