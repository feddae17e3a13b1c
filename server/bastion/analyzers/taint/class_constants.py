"""Class attributes that hold a constant: `TABLE = "orders"` in a module-level class body, read
as `Config.TABLE`, or as `self.TABLE` in a method of the class or of a class derived from it
in this module. Such a value lets a pattern finding on `f"SELECT * FROM {self.table} ..."` be
retracted (verdicts.py), as a module-level constant does.

An attribute is a constant only when nothing may rebind it: its class is bound once in the
module, its body holds plain assignments and definitions only and binds the name once, and the
module's text never stores or deletes an attribute of that name (`obj.TABLE = ...`,
`del x.TABLE`, a `for` or `as` target), nor calls `setattr` or touches `__dict__` / `vars`.
Values of immutable types (str, bytes, numbers, bool, None, tuples, frozensets), or a list,
set or dict display (`ALLOWED = {"example.com"}`, read as its items or keys) when the text reads
every `.NAME` and never changes its contents (bindings.attribute_changed_in_text: no `.add`,
`[k] = v`, alias or argument that could). Classes without bases or decorators (or derived
from such classes of the module) only: a base, metaclass or decorator may give attributes
another meaning (an Enum's members are not their values; a dataclass's constructor replaces its
defaults). A framework's request handler class is the exception (`handlers`: a Django `View`,
Flask `MethodView`, DRF `APIView`, an entry model's `class_bases`): the framework builds it per
request and reads its class attributes as configuration (`http_method_names`, `template_name`),
which a route may set only to constants (`as_view(template_name=...)`), never to request data.
`self.NAME` is read as the constant only when no other class of the module binds NAME in its
body (a derived class's own value would be the instance's). Past `MAX_NAMES` names (or
`MAX_OCCURRENCES` of their attributes in the text), none is.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.taint.container_changes import attribute_changed_in_text
from bastion.analyzers.taint.container_changes import changed_in_text as binding_changed
from bastion.analyzers.taint.context_parts import kept_parts
from bastion.analyzers.taint.domain import ANY, UNKNOWN, Value, constant
from bastion.analyzers.taint.nodes import header_nodes, kept_by_node, nodes
from bastion.deferred_patterns import deferred
from bastion.engine.cache import LRU

if TYPE_CHECKING:
    from bastion.analyzers.taint.context_record import ModuleContext

_IMMUTABLE = (str, bytes, int, float, bool, type(None), tuple, frozenset)
# Each name's attributes are looked at in the text at every keystroke: past this many names, or
# this many attributes of them, none is taken as constant.
MAX_NAMES = 32
MAX_OCCURRENCES = 256
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# a list, dict or set display folds to a tuple or frozenset constant, but may change in place
_MUTABLE_DISPLAYS = (ast.List, ast.Dict, ast.Set)
_COPIES = frozenset({"frozenset", "tuple"})  # of a display: immutable
_VARS = re.compile(r"vars\s*\(")


def class_constants(definitions: list[ast.stmt], once: Callable[[str], bool],
                    fold: Callable[[ast.expr], object], text: str | None, tree: ast.Module,
                    memo: LRU | None = None, handlers: frozenset[str] = frozenset()
                    ) -> tuple[dict[str, Value], dict[str, dict[str, Value]]]:
    """(`Class.NAME` -> its constant, class -> {NAME -> the constant `self.NAME` reads}) for the
    module's classes (`definitions`); `once`: whether a module-level name is bound once; `memo`
    keeps each class body's reading by its node (the block parser reuses unedited classes');
    `handlers`: the classes whose every base is a framework's request handler class."""
    def part(node: ast.stmt) -> tuple | None:
        """A class's name, what its body binds, its constants, and the names of its bases (None:
        a keyword, a decorator; a base that is no name, None in them)."""
        if type(node) is not ast.ClassDef:
            return None
        plain = not node.keywords and not node.decorator_list
        return (node.name, *_body(node, fold, memo),
                [base.id if type(base) is ast.Name else None for base in node.bases] if plain else None)
    # an unedited class's part is the last text's (context_parts.py); the order is the join's
    parts = kept_parts(memo, b"class constants", fold, definitions, part)
    values: dict[str, dict[str, object]] = {}
    for each in parts:
        if each is None or each[2] is None or each[3] is None:
            continue
        # a base, metaclass or decorator may give attributes another meaning (an Enum's
        # members, a model's fields, a dataclass's defaults that its constructor's arguments
        # replace): only plain classes, and those derived from them here
        plain = each[0] in handlers or all(base is not None and (base == "object" or base in values)
                                           for base in each[3])
        if plain and once(each[0]):
            values[each[0]] = each[2]
    names = {name for table in values.values() for name in table}
    if not names or len(names) > MAX_NAMES or (text is not None and dynamic_text(text)):
        return {}, {}
    stored = stored_in_text(names, text) if text is not None else stored_in_tree(names, tree)
    containers = {name for table in values.values() for name, value in table.items()
                  if isinstance(value, _Contents)}
    # a container is constant while the text only reads it (a tree alone: its text unparsed)
    read = text if text is not None or not containers - stored else ast.unparse(tree)
    for name in containers - stored:
        if "getattr" in read or attribute_changed_in_text(name, read) or binding_changed(name, read):
            stored.add(name)
    binders: Counter[str] = Counter()  # how many classes bind each name in their bodies
    for each in parts:
        if each is not None:
            binders.update(each[1])
    values = {cls: {name: value.folded if isinstance(value, _Contents) else value
                    for name, value in table.items()} for cls, table in values.items()}
    explicit = {f"{cls}.{name}": constant(value) for cls, table in values.items()
                for name, value in table.items() if name not in stored}
    through_self = {cls: {name: constant(value) for name, value in table.items()
                          if name not in stored and binders[name] == 1}
                    for cls, table in values.items()}
    return explicit, {cls: table for cls, table in through_self.items() if table}


def _body(node: ast.ClassDef, fold: Callable[[ast.expr], object], memo: LRU | None
          ) -> tuple[frozenset[str], dict[str, object] | None]:
    """The names the class body binds, and its constants (None: a body of more than plain
    assignments and definitions, whose names are then every name it stores)."""
    key = ("class constants", id(node))
    kept = memo.get(key) if memo is not None else None
    if kept is not None and kept[0] is node:
        return kept[1]
    bound: Counter[str] = Counter()
    found: dict[str, object] | None = {}
    for item in node.body:
        kind = type(item)
        if kind in _DEFINITIONS:
            # counted without `Counter.__missing__`'s call: a class of 125 methods is read anew
            # at each keystroke in one of them
            name = item.name
            bound[name] = bound[name] + 1 if name in bound else 1
        elif kind is ast.Assign or kind is ast.AnnAssign:
            targets = item.targets if kind is ast.Assign else [item.target]
            names = [t.id if type(t) is ast.Name else "*" for t in targets]
            for name in names:
                bound[name] = bound[name] + 1 if name in bound else 1
            if found is not None and item.value is not None and len(names) == 1 and names[0] != "*":
                folded = fold(item.value)
                if folded is not UNKNOWN and isinstance(folded, _IMMUTABLE):
                    found[names[0]] = folded if _immutable(item.value) else _Contents(folded)
        elif kind is not ast.Pass and kind is not ast.Expr:
            found = None
    if found is None:
        names = frozenset().union(*map(_stored_names, header_nodes(node)),
                                  *(kept_by_node(memo, b"stored names", item, _stored_names, moved=True)
                                    for item in node.body))
        result: tuple[frozenset[str], dict[str, object] | None] = (names | set(bound), None)
    else:
        result = (frozenset(bound), {k: v for k, v in found.items() if bound[k] == 1})
    if memo is not None:
        memo.put(key, (node, result))
    return result


class _Contents:
    """The constant of a container display, taken only while nothing changes its contents."""

    __slots__ = ("folded",)

    def __init__(self, folded: object) -> None:
        self.folded = folded


def _immutable(node: ast.expr) -> bool:
    """Whether the value cannot change in place: constants, tuples of such, a frozenset or tuple
    made of a display of such."""
    if isinstance(node, ast.Tuple):
        return all(_immutable(e) for e in node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _COPIES:
        inner = node.args[0]
        return all(_immutable(e) for e in inner.elts) if isinstance(inner, (ast.List, ast.Set, ast.Tuple)) \
            else _immutable(inner)
    return not isinstance(node, (*_MUTABLE_DISPLAYS, ast.Call))


def _stored_names(node: ast.AST) -> frozenset[str]:
    """The names stored in `node`: of a long class, each member's is kept by node (a new class
    node at each keystroke in one of its methods: blocks.py; the walk of subprocess.py's Popen
    cost ~2 ms a key)."""
    return frozenset(n.id for n in nodes(node) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load))


def dynamic_text(text: str) -> bool:
    """Whether the text may set attributes by name: looked for as substrings (a pattern led by
    no literal would scan the whole module at every keystroke)."""
    return "setattr" in text or "__dict__" in text or _VARS.search(text) is not None


def stored_in_text(names: set[str], text: str) -> set[str]:
    """The names of which some attribute may be stored or deleted in `text`: `.NAME` followed on
    its line by a lone `=` outside the brackets open before it (an assignment, a tuple target,
    an augmented assignment; not a keyword argument), or after `del`, `as` or `for`.
    Occurrences in strings and comments count as well, and brackets in strings may be miscounted
    either way: in doubt a name is taken as stored. Past `MAX_OCCURRENCES` attributes of these
    names, all are (each is looked at in Python, at every keystroke)."""
    pattern = re.compile(r"\.\s*(" + "|".join(map(re.escape, sorted(names))) + r")\b")
    stored: set[str] = set()
    for count, match in enumerate(pattern.finditer(text)):
        if count >= MAX_OCCURRENCES:
            return set(names)
        if match.group(1) not in stored and _stored_at(text, match):
            stored.add(match.group(1))
    return stored


def _stored_at(text: str, match: re.Match) -> bool:
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    before = text[line_start:match.start()]
    after = text[match.end():line_end if line_end >= 0 else len(text)]
    return _assigned_after(after, _open_brackets(before)) or bool(_BINDS_BEFORE().search(before))


_BINDS_BEFORE = deferred(r"\b(?:del|as|for)\b")
_LONE_EQUALS = deferred(r"(?<![=!<>])=(?!=)")


def _open_brackets(text: str) -> int:
    return sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")


def _assigned_after(after: str, depth: int) -> bool:
    """Whether a lone `=` follows at the depth of the statement (not inside a call's brackets
    that were open before the name: `f(Config.SHELL, shell=True)`)."""
    for piece in re.split(r"([()\[\]{}])", after):
        if piece in ("(", "[", "{"):
            depth += 1
        elif piece in (")", "]", "}"):
            depth -= 1
        elif depth <= 0 and _LONE_EQUALS().search(piece):
            return True
    return False


def stored_in_tree(names: set[str], tree: ast.Module) -> set[str]:
    """As `stored_in_text`, from the tree (a module read without its text)."""
    stored: set[str] = set()
    for node in nodes(tree):
        if isinstance(node, ast.Attribute) and (node.attr == "__dict__" or node.attr in names
                                                and not isinstance(node.ctx, ast.Load)):
            stored.add(node.attr)
        elif isinstance(node, ast.Name) and node.id in ("setattr", "vars"):
            return set(names)
    return set(names) if "__dict__" in stored else stored


def class_constant(module: ModuleContext, class_name: str | None, env: dict, path: str
                   ) -> Value | None:
    """`Config.TABLE` or `self.table` read in a function (of class `class_name`), or `box.table`
    of a local instance: the class attribute's constant, unless a local of the function has the
    class's name."""
    owner, _, name = path.partition(".")
    if owner == "self" and class_name is not None and "." not in name:
        return _through_instance(module, class_name, name)
    if owner in env:
        # `box.name` of `box = Box()`: what `self.name` reads in Box's methods, unless the
        # instance holds a field of that name (built with untrusted arguments: instances.py)
        held = env[owner]
        kind = held.kind
        if "." in name or kind is None or not kind.endswith("()") or held.taint \
                or (held.items is not None and (name in held.items or ANY in held.items)):
            return None
        return _through_instance(module, kind[:-2], name)
    return module.class_constants.get(path)


def _through_instance(module: ModuleContext, class_name: str, name: str) -> Value | None:
    for cls in module.lineage(class_name):
        table = module.self_constants.get(cls)
        if table is not None and name in table:
            return table[name]
    return None
