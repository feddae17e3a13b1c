"""Module-level classes with their bases resolved once, for the entry models (a handler whose
base handler is a class of this file), `self.method` look-ups, and request body models (a
pydantic model's fields, also those of its base models of this file).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion import attrs_classes
from bastion.analyzers.matchers import Env, NameSet
from bastion.analyzers.taint.context_parts import kept_parts
from bastion.analyzers.taint.factories import resolve
from bastion.analyzers.taint.signatures import named

if TYPE_CHECKING:
    from bastion.analyzers.taint.specs import Models
    from bastion.engine.cache import LRU


@attrs_classes.frozen
class ClassShape:
    """A module-level class with its bases resolved once, for both of their users: the entry
    models (a Tornado handler whose base handler is a class of this file) with `self.method`
    look-ups (`lineage`), and request body models (a pydantic model's fields, also those of its
    base models of this file)."""

    own: tuple[str | None, ...]  # its bases, resolved
    bases: tuple[str | None, ...]  # `own`, then the `bases` of its bases of this file
    ancestors: tuple[str, ...]  # its ancestors of this file, nearest first
    fields: tuple[tuple[str, ast.expr], ...]  # (name, annotation) of `name: annotation`
    constant_body: bool = False  # only assignments of constants (and a docstring) in its body
    # (name, annotation) of its own `__init__`'s parameters after `self`: what FastAPI fills from
    # the request for a parameter declared `params: Class = Depends()`
    init_params: tuple[tuple[str, ast.expr | None], ...] = ()
    # (name, call) of a field whose value is a call: pydantic's `name: str = Field(pattern=...)`
    # declares what `Annotated[str, Field(pattern=...)]` does
    defaults: tuple[tuple[str, ast.expr], ...] = ()
    # its decorators, resolved: Strawberry's `@strawberry.input` makes a body model as a base does
    decorators: tuple[str | None, ...] = ()

    def key(self) -> str:
        """What a body model's classification depends on, for the module's digest (computed
        only in modules that may define body models)."""
        return repr((self.own, [(name, ast.dump(annotation)) for name, annotation in self.fields],
                     [(name, annotation and ast.dump(annotation)) for name, annotation in self.init_params],
                     [(name, ast.dump(value)) for name, value in self.defaults], self.decorators))


def class_shapes(definitions: list[ast.stmt], env: Env, kinds: dict[str, str],
                 bases_of: Callable[[str], tuple[str, ...]] | None = None,
                 last: dict[ast.ClassDef, ClassShape] | None = None
                 ) -> dict[ast.ClassDef, ClassShape]:
    """Each class's shape, by its node, in the module's order: a base of this file is the
    class of that name defined before it (as at run time); `bases_of` gives the bases of a
    class of another workspace module (`handlers.base.BaseHandler`, a Tornado handler).
    `last`: the shapes of a context built with the same import aliases and global kinds
    (context_reuse.py); a node met again keeps what it alone decides (its own bases resolved,
    fields, constant body, `__init__` parameters), and its inherited bases are looked up anew:
    those depend on the classes before it and on other modules."""
    shapes: dict[ast.ClassDef, ClassShape] = {}
    seen: dict[str, ClassShape] = {}
    # node types read by type() (the parser makes no subclass of them), not an isinstance call a
    # definition and a member: the class a keystroke edits (Decimal's 125 members) is read anew
    for node in definitions:
        if type(node) is not ast.ClassDef:
            continue
        before = last.get(node) if last is not None else None
        own = before.own if before is not None else tuple(resolve(base, env, kinds) for base in node.bases)
        bases = list(own)
        ancestors: list[str] = []
        for base, name in zip(node.bases, own, strict=True):
            if type(base) is ast.Name and base.id in seen and base.id != node.name:
                # `class Page(BaseHandler)`, `BaseHandler` of this file
                bases.extend(seen[base.id].bases)
                ancestors.extend([base.id, *seen[base.id].ancestors])
            elif bases_of is not None and name is not None:
                bases.extend(bases_of(name))
        if before is not None:
            if before.bases == tuple(bases) and before.ancestors == tuple(dict.fromkeys(ancestors)):
                shapes[node] = seen[node.name] = before  # all of it as it was: no new shape
                continue
            local = before.fields, before.constant_body, before.init_params, before.defaults
        else:
            annotated = [item for item in node.body
                         if type(item) is ast.AnnAssign and type(item.target) is ast.Name]
            local = (tuple([(item.target.id, item.annotation) for item in annotated]),
                     all(_constant_statement(item) for item in node.body), _init_params(node),
                     tuple([(item.target.id, item.value) for item in annotated
                            if type(item.value) is ast.Call]))
        decorators = before.decorators if before is not None else \
            tuple(resolve(d, env, kinds) for d in node.decorator_list)
        shape = ClassShape(own, tuple(bases), tuple(dict.fromkeys(ancestors)), *local, decorators)
        shapes[node] = seen[node.name] = shape
    return shapes


def handler_classes(shapes: dict[ast.ClassDef, ClassShape], models: Models) -> frozenset[str]:
    """The classes every base of which is a framework's request handler class or such a class
    of this file (`class Search(View)`; class_constants.py reads their constants)."""
    found: set[str] = set()
    handlers = models.handler_bases()
    for node, shape in shapes.items():
        # a set's test first: most modules' classes derive from no handler, asked at each key
        if shape.own and (handlers.issuperset(shape.own) or (found and all(
                (isinstance(base, ast.Name) and base.id in found) or name in handlers
                for base, name in zip(node.bases, shape.own, strict=True)))):
            found.add(node.name)
    return frozenset(found)


def _init_params(node: ast.ClassDef) -> tuple[tuple[str, ast.expr | None], ...]:
    inits = [item for item in node.body if type(item) is ast.FunctionDef and item.name == "__init__"]
    if not inits:
        return ()
    params = named(inits[0].args)[1:]
    return tuple((param.arg, param.annotation) for param in params)


def _constant_statement(node: ast.stmt) -> bool:
    if isinstance(node, ast.Expr | ast.Pass):
        return isinstance(node, ast.Pass) or isinstance(node.value, ast.Constant)
    value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
    return value is None and isinstance(node, ast.AnnAssign) or isinstance(value, ast.Constant) \
        or isinstance(value, ast.Tuple) and all(isinstance(e, ast.Constant) for e in value.elts)


def model_fields(name: str | None, classes: dict[str, ClassShape], models: NameSet,
                  seen: frozenset[str] = frozenset(), defaults: bool = False) -> dict[str, ast.expr] | None:
    """The annotated fields of the module's class `name` and of its bases in the module, when
    it derives from one of `models` (pydantic's BaseModel) or is decorated with one
    (`@strawberry.input`); else None. `defaults`: their values that are calls (`Field(...)`)
    instead of their annotations."""
    shape = classes.get(name) if name is not None and name not in seen else None
    if shape is None:
        return None
    fields: dict[str, ast.expr] = {}
    derives = any(d is not None and d in models for d in shape.decorators)
    for base in shape.own:
        if base is not None and base in models:
            derives = True
            continue
        inherited = model_fields(base, classes, models, seen | {name}, defaults)
        if inherited is not None:
            derives = True
            fields.update(inherited)
    fields.update(shape.defaults if defaults else shape.fields)
    return fields if derives else None


# Classes whose generated constructor stores its arguments as the fields they name, in the
# order of the annotated fields (positionally, or by keyword)
_RECORD_DECORATORS = frozenset({
    "dataclasses.dataclass", "pydantic.dataclasses.dataclass", "attr.s", "attr.attrs",
    "attr.define", "attr.frozen", "attr.mutable", "attrs.define", "attrs.frozen", "attrs.mutable"})
_RECORD_BASES = frozenset({"typing.NamedTuple", "pydantic.BaseModel", "msgspec.Struct"})


def record_fields(definitions: list[ast.stmt], shapes: dict[ast.ClassDef, ClassShape],
                  env: Env, memo: LRU | None = None) -> dict[str, tuple[str, ...]]:
    """Class name -> its fields, in the constructor's order (a base record's first), for the
    module's dataclasses, attrs classes, named tuples and pydantic models that do not define
    `__init__` themselves: `Job(name="x", cmd=request.args["c"])` holds each argument in its
    field (instances.construct). `memo`: keeps what each class's node says (context_parts.py)."""
    def part(node: ast.stmt) -> tuple[bool, list[str], bool] | None:
        """Whether a record decorator makes the class one, its bases that are names, and
        whether it defines `__init__`: what the join reads of its node but the shape."""
        if type(node) is not ast.ClassDef:
            return None
        return (any(env.qualname(d.func if isinstance(d, ast.Call) else d) in _RECORD_DECORATORS
                    for d in node.decorator_list) if node.decorator_list else False,
                [base.id for base in node.bases if type(base) is ast.Name],
                # one comprehension, no call a member (the class a keystroke edits is asked anew)
                "__init__" in [item.name for item in node.body
                               if type(item) is ast.FunctionDef or type(item) is ast.AsyncFunctionDef])
    # the decorators resolve by the import aliases alone
    parts = kept_parts(memo, b"record fields", dict(env.aliases), definitions, part)
    records: dict[str, tuple[str, ...]] = {}
    for node, each in zip(definitions, parts, strict=True):
        if each is None or node not in shapes:
            continue
        decorated, names, has_init = each
        own = shapes[node]
        inherited = [records[name] for name in names if name in records]
        # `own.own` holds None for a base it cannot resolve: in no set of names
        if not (decorated or inherited or not _RECORD_BASES.isdisjoint(own.own)):
            continue
        if has_init:
            records.pop(node.name, None)
            continue
        fields = [name for base in inherited for name in base]
        fields += [name for name, _annotation in own.fields if name not in fields]
        records[node.name] = tuple(fields)
    return records



_TUPLE_FACTORIES = frozenset({"collections.namedtuple", "typing.NamedTuple"})


def named_tuples(body: list[ast.stmt], env: Env, once: Callable[[str], bool]) -> dict[str, tuple[str, ...]]:
    """Name -> its fields, for the module's records made by a call bound once at module level:
    `Point = collections.namedtuple("Point", ["cmd", "mode"])` (or `"cmd mode"`, `"cmd, mode"`),
    `typing.NamedTuple("Point", [("cmd", str), ...])`, built as `record_fields`' are."""
    records: dict[str, tuple[str, ...]] = {}
    for node in body:
        if type(node) is not ast.Assign or len(node.targets) != 1 or type(node.targets[0]) is not ast.Name \
                or type(node.value) is not ast.Call or len(node.value.args) != 2 \
                or env.qualname(node.value.func) not in _TUPLE_FACTORIES or not once(node.targets[0].id):
            continue
        fields = node.value.args[1]
        if type(fields) is ast.Constant and type(fields.value) is str:
            names = fields.value.replace(",", " ").split()
        elif type(fields) in (ast.List, ast.Tuple):
            names = [e.elts[0].value if type(e) is ast.Tuple and e.elts and type(e.elts[0]) is ast.Constant
                     else e.value if type(e) is ast.Constant else None for e in fields.elts]
        else:
            continue
        if names and all(type(n) is str and n.isidentifier() for n in names):
            records[node.targets[0].id] = tuple(names)
    return records
