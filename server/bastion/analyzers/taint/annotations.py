"""Parameter annotations a framework validates into data no injection fits in (FastAPI turns
`count: int` into a number, `color: Color` into one of an Enum's members, `Literal["a", "b"]`
into one of its strings): such a parameter of an entry point is safe, and so is such a field of
a request body model."""

from __future__ import annotations

import ast

from bastion.analyzers.matchers import Env, NameSet
from bastion.analyzers.taint.classes import ClassShape
from bastion.analyzers.taint.factories import resolve
from bastion.analyzers.taint.patterns import cleaned_by

# Wrappers whose members are the parameter's types: Optional[X], Union[X, Y], Annotated[X, ...]
_UNIONS = frozenset({"typing.Optional", "typing.Union", "Optional", "Union"})
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated", "Annotated"})
_LITERAL = frozenset({"typing.Literal", "typing_extensions.Literal", "Literal"})
_ENUMS = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"})
_VALIDATORS = ("fastapi.", "pydantic.")  # Query(pattern=...), constr(pattern=...), Field(...)


def validated(annotation: ast.expr, clean: NameSet, env: Env, kinds: dict[str, str],
              classes: dict[str, ClassShape]) -> bool:
    """Whether every type the annotation allows is one the framework validates into data no
    injection fits in (`int`, `int | None`, `Annotated[int, Query()]`, `Literal["a", "b"]`,
    `conint(ge=1)`, an Enum of this module): `clean` names those types (an entry's
    `clean_annotations`, a form's `clean_fields`), a call's with `()` (`pydantic.conint()`)."""
    if isinstance(annotation, ast.Constant):
        return annotation.value is None
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return (validated(annotation.left, clean, env, kinds, classes)
                and validated(annotation.right, clean, env, kinds, classes))
    if isinstance(annotation, ast.Subscript):
        wrapper = resolve(annotation.value, env, kinds)
        members = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) \
            else [annotation.slice]
        if wrapper in _LITERAL:
            return all(isinstance(m, ast.Constant) for m in members)
        if wrapper in ANNOTATED:
            return validated(members[0], clean, env, kinds, classes)
        if wrapper in _UNIONS:
            return all(validated(m, clean, env, kinds, classes) for m in members)
        return False
    if isinstance(annotation, ast.Call):  # `conint(ge=1)`: listed as "pydantic.conint()"
        made = resolve(annotation.func, env, kinds)
        return made is not None and made + "()" in clean
    name = resolve(annotation, env, kinds)
    if name is None:
        return False
    shape = classes.get(name)
    return name in clean or shape is not None and closed_enum(shape)


def annotated_type(annotation: ast.expr | None, env: Env, kinds: dict[str, str]) -> ast.expr | None:
    """The type an `Annotated[T, ...]` annotation declares (FastAPI's `commons: Annotated[Params,
    Depends()]`, `filters: Annotated[Filter, Query()]`), else the annotation itself."""
    if isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple) \
            and annotation.slice.elts and resolve(annotation.value, env, kinds) in ANNOTATED:
        return annotation.slice.elts[0]
    return annotation


def optional_type(annotation: ast.expr | None, env: Env, kinds: dict[str, str]) -> ast.expr | None:
    """The one type an optional annotation allows besides None (`Optional[Item]`, `Item |
    None`, `Union[Item, None]`), else the annotation itself: a body model's fields are
    validated also where the body may be absent."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        members = [annotation.left, annotation.right]
    elif isinstance(annotation, ast.Subscript) and resolve(annotation.value, env, kinds) in _UNIONS:
        members = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
    else:
        return annotation
    others = [m for m in members if not (isinstance(m, ast.Constant) and m.value is None)]
    return others[0] if len(others) == 1 else annotation


def element_type(annotation: ast.expr | None, env: Env, kinds: dict[str, str]) -> ast.expr | None:
    """The type of each element a collection annotation declares, validated one by one as the
    collection is (FastAPI's `items: list[Item]`, `List[Item]`, `dict[str, Item]`: a field of
    an element is the body's field), else None."""
    if not isinstance(annotation, ast.Subscript):
        return None
    members = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
    wrapper = resolve(annotation.value, env, kinds)
    if wrapper in _MAPPINGS and len(members) == 2:
        return members[1]
    if wrapper in _SEQUENCES and len(members) == 1:
        return members[0]
    if wrapper in _TUPLES and len(members) == 2 and isinstance(members[1], ast.Constant) \
            and members[1].value is Ellipsis:
        return members[0]
    return None


_SEQUENCES = frozenset({"list", "set", "frozenset", "typing.List", "typing.Set", "typing.FrozenSet",
                        "typing.Sequence", "collections.abc.Sequence", "List", "Set", "Sequence"})
_MAPPINGS = frozenset({"dict", "typing.Dict", "typing.Mapping", "collections.abc.Mapping", "Dict",
                       "Mapping"})
_TUPLES = frozenset({"tuple", "typing.Tuple", "Tuple"})


def closed_enum(shape: ClassShape) -> bool:
    """An Enum of this module whose values are only its members: it defines no method (a
    `_missing_` could accept any other value)."""
    return shape.constant_body and any(base in _ENUMS for base in shape.bases)


def pattern_cleans(annotation: ast.expr | None, default: ast.expr | None, env: Env,
                   kinds: dict[str, str]) -> frozenset[str]:
    """The sink classes a value is safe for once it matched the pattern its parameter declares
    (`q: str = Query(pattern=r"^[a-z]+$")`, `Annotated[str, Query(pattern=...)]`,
    `constr(pattern=...)`): pydantic searches the text, so only an anchored pattern proves
    anything (patterns.py, with Python's `$`, which also lets a final newline through)."""
    calls = [default] if isinstance(default, ast.Call) else []
    if isinstance(annotation, ast.Call):
        calls.append(annotation)
    elif isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple) \
            and resolve(annotation.value, env, kinds) in ANNOTATED:
        calls += [m for m in annotation.slice.elts[1:] if isinstance(m, ast.Call)]
    cleans: set[str] = set()
    for call in calls:
        made = resolve(call.func, env, kinds) or ""
        given = next((k.value for k in call.keywords if k.arg in ("pattern", "regex")), None)
        if made.startswith(_VALIDATORS) and isinstance(given, ast.Constant) \
                and isinstance(given.value, str):
            cleans |= cleaned_by(given.value, 0, "search")
    return frozenset(cleans)
