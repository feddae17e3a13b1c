"""`bastion.attrs_classes`: the shared `__repr__` prints what attrs' compiled one prints, and
the `__eq__`/`__hash__` compiled on first use behave as attrs' compiled at import."""

from __future__ import annotations

import importlib
from pathlib import Path

import attrs
import pytest

from bastion import attrs_classes

SERVER = Path(__file__).resolve().parents[2] / "server"
_OURS = next(const for const in attrs_classes._make_repr.__code__.co_consts
             if getattr(const, "co_name", None) == "__repr__")


def _classes_using_it() -> list[type]:
    found = []
    for path in sorted((SERVER / "bastion").rglob("*.py")):
        if "attrs_classes." not in path.read_text(encoding="utf-8"):
            continue
        module = importlib.import_module(".".join(path.relative_to(SERVER).with_suffix("").parts))
        for value in vars(module).values():
            own = isinstance(value, type) and value.__dict__.get("__repr__")
            if own is not None and getattr(own, "__code__", None) is _OURS and value not in found:
                found.append(value)
    return found


def _reference(cls: type) -> type:
    """The same fields in a class whose `__repr__` attrs generates, shown under `cls`'s name."""
    ref = attrs.make_class("Ref", {field.name: attrs.field(default=None, init=field.init, repr=field.repr)
                                   for field in attrs.fields(cls)}, slots=False)
    ref.__qualname__ = cls.__qualname__
    return ref


def _filled(cls: type, values: dict) -> object:
    instance = object.__new__(cls)
    if "_attrs_cached_hash" in getattr(cls, "__slots__", ()):  # cache_hash=True: set by __init__
        object.__setattr__(instance, "_attrs_cached_hash", None)
    for name, value in values.items():
        object.__setattr__(instance, name, value)
    return instance


CLASSES = _classes_using_it()


def test_the_scans_data_classes_use_it():
    names = {cls.__qualname__ for cls in CLASSES}
    assert {"Finding", "EntryModel", "ScanItem", "Config"} <= names
    assert len(CLASSES) > 60


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_repr_is_attrs_repr(cls):
    ref = _reference(cls)
    fields = attrs.fields(cls)
    values = {field.name: (f"v{index}'\"" if index % 3 else (index, [None, "x"], frozenset({1})))
              for index, field in enumerate(fields)}
    # a field `__init__` does not set may be unset: attrs shows NOTHING for it
    unset = [field.name for field in fields if not field.init][:1]
    for name in unset:
        del values[name]
    assert repr(_filled(cls, values)) == repr(_filled(ref, values))


def test_an_instance_met_again_while_printed_is_three_dots():
    @attrs_classes.define
    class Node:
        label: str
        children: list

    @attrs.define
    class RefNode:
        label: str
        children: list

    node, ref = Node("a", []), RefNode("a", [])
    node.children.append(node)
    ref.children.append(ref)
    RefNode.__qualname__ = Node.__qualname__
    expected = f"{Node.__qualname__.rsplit('>.', 1)[-1]}(label='a', children=[...])"
    assert repr(node) == repr(ref) == expected
    assert repr(node) == expected  # the guard is released after printing


def test_a_class_own_repr_and_repr_false_are_kept():
    @attrs_classes.frozen
    class Own:
        x: int

        def __repr__(self) -> str:
            return "own"

    @attrs_classes.frozen(repr=False)
    class Plain:
        x: int

    assert repr(Own(1)) == "own"
    assert repr(Plain(1)).startswith("<")


def test_equality_hashing_and_evolve_are_attrs():
    @attrs_classes.frozen(cache_hash=True)
    class Pair:
        a: int
        b: str = "b"

    assert Pair(1) == Pair(1, "b") and hash(Pair(1)) == hash(Pair(1, "b"))
    assert Pair(1) != Pair(2)
    assert attrs.evolve(Pair(1), b="c") == Pair(1, "c")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Pair(1).a = 2  # type: ignore[misc]
    assert repr(Pair(1)) == f"{Pair.__qualname__.rsplit('>.', 1)[-1]}(a=1, b='b')"


def _frozen(cls: type) -> bool:
    instance = object.__new__(cls)
    try:
        setattr(instance, attrs.fields(cls)[0].name, 1)
    except attrs.exceptions.FrozenInstanceError:
        return True
    return False


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_equality_and_hash_are_attrs(cls):
    fields = attrs.fields(cls)
    ref = attrs.make_class(cls.__name__, {field.name: attrs.field(
        default=None, eq=field.eq_key or field.eq, hash=field.hash) for field in fields},
        frozen=_frozen(cls), slots=False, repr=False)
    assert (cls.__hash__ is None) == (ref.__hash__ is None)
    values = {field.name: (index, "same") for index, field in enumerate(fields)}
    for changed in [None, *fields]:
        other = dict(values)
        if changed is not None:
            other[changed.name] = "changed"
        ours = (_filled(cls, values), _filled(cls, other))
        theirs = (_filled(ref, values), _filled(ref, other))
        assert (ours[0] == ours[1]) == (theirs[0] == theirs[1])
        assert (ours[0] != ours[1]) == (theirs[0] != theirs[1])
        if ref.__hash__ is not None:
            assert (hash(ours[0]) == hash(ours[1])) == (hash(theirs[0]) == hash(theirs[1]))
    assert _filled(cls, values).__eq__(values) is NotImplemented


@pytest.mark.parametrize("first", ["hash", "eq"])
def test_the_first_comparison_compiles_both(first):
    @attrs_classes.frozen
    class Point:
        x: int
        label: str = attrs.field(default="", eq=False)

    a, b = Point(1, "a"), Point(1, "b")
    if first == "hash":
        assert hash(a) == hash(b)
    else:
        assert not Point(1) == Point(2)  # noqa: SIM201 (the first call, on an unequal pair)
    assert a == b and not a != b and Point(1) != Point(2) and a != (1,)
    assert hash(a) == hash(b) and {a: 1}[b] == 1
    assert Point.__eq__.__code__ is not Point.__hash__.__code__


def test_a_mutable_class_compares_by_value_and_is_not_hashable():
    @attrs_classes.define
    class Box:
        items: list

    assert Box([1]) == Box([1]) and Box([1]) != Box([2])
    with pytest.raises(TypeError):
        hash(Box([1]))
