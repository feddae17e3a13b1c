"""The attrs class decorators of the data classes a scan builds at start-up, without compiling at
import the methods a scan seldom calls.

attrs writes each class's `__repr__`, `__eq__` and `__hash__` as source text and compiles it when
the class is defined: most of the ~45 ms a cold `bastion check` spent compiling attrs' methods
before any file is read, for methods that a cold scan of 20 modules calls on two of 88 classes
(`__eq__` and `__hash__`; `__repr__` on none).
`frozen` and `define` are attrs' own decorators with `repr=False` and `eq=False`, and give the
class instead one shared `__repr__` printing what attrs' would (`Name(field=value!r, ...)` over
the fields attrs would show, `...` for an instance met again while it is printed), and an
`__eq__` and `__hash__` that attrs compiles on the first comparison (a mutable class, as with
attrs, cannot be hashed). A class that writes its own `__repr__`, `__eq__` or `__hash__`, or
passes `repr`, `eq`, `order`, `hash`, `unsafe_hash` or `cache_hash`, has those from attrs.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import attrs

_printing = threading.local()


def _fields_repr(cls: type) -> tuple[tuple[str, bool, object], ...]:
    """(name, set by `__init__`, the field's own repr function or None) of the fields attrs' repr
    of `cls` shows, in its order."""
    return tuple((field.name, field.init, None if field.repr is True else field.repr)
                 for field in attrs.fields(cls) if field.repr is not False)


def _make_repr(cls: type):
    shown: tuple[tuple[str, bool, object], ...] | None = None

    def __repr__(self) -> str:
        nonlocal shown
        if shown is None:
            shown = _fields_repr(cls)
        seen = getattr(_printing, "seen", None)
        if seen is None:
            seen = _printing.seen = set()
        if id(self) in seen:
            return "..."
        seen.add(id(self))
        try:
            parts = []
            for name, init, own in shown:
                value = getattr(self, name) if init else getattr(self, name, attrs.NOTHING)
                parts.append(f"{name}={value!r}" if own is None else f"{name}={own(value)}")
            return f'{self.__class__.__qualname__.rsplit(">.", 1)[-1]}({", ".join(parts)})'
        finally:
            seen.discard(id(self))

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    return __repr__


def _compare_on_first_use(cls: type, hashable: bool) -> None:
    """Gives `cls` the `__eq__` (and, if `hashable`, `__hash__`) attrs would, compiled on the
    first comparison: attrs compiles them for a twin class with the same fields, which they read
    from `self` and `other` only, and `cls` takes them over."""

    def compiled() -> None:
        fields = {field.name: attrs.field(default=None, init=False, eq=field.eq_key or field.eq,
                                          hash=field.hash) for field in attrs.fields(cls)}
        twin = attrs.make_class(cls.__name__, fields, repr=False, init=False, slots=False,
                                eq=True, unsafe_hash=hashable)
        cls.__eq__ = twin.__eq__
        if hashable:
            cls.__hash__ = twin.__hash__

    def __eq__(self, other):
        compiled()
        return cls.__eq__(self, other)

    def __hash__(self):
        compiled()
        return cls.__hash__(self)

    cls.__eq__ = __eq__
    # as attrs: a mutable class that compares by value cannot be hashed
    cls.__hash__ = __hash__ if hashable else None


def _decorate(attrs_decorator, maybe_cls, kwargs):
    def wrap(cls: type) -> type:
        if "__repr__" in cls.__dict__ or "repr" in kwargs:
            return attrs_decorator(cls, **kwargs)
        own = {"eq", "order", "hash", "unsafe_hash", "cache_hash"} & kwargs.keys() or {
            "__eq__", "__hash__"} & cls.__dict__.keys()
        built = attrs_decorator(cls, repr=False, **kwargs, **({} if own else {"eq": False}))
        built.__repr__ = _make_repr(built)
        if not own:
            _compare_on_first_use(built, attrs_decorator is attrs.frozen or kwargs.get("frozen", False))
        return built

    return wrap if maybe_cls is None else wrap(maybe_cls)


if TYPE_CHECKING:
    from attrs import define, frozen
else:
    def frozen(maybe_cls=None, **kwargs):
        """`attrs.frozen`, with the shared `__repr__` (see the module's comment)."""
        return _decorate(attrs.frozen, maybe_cls, kwargs)

    def define(maybe_cls=None, **kwargs):
        """`attrs.define`, with the shared `__repr__` (see the module's comment)."""
        return _decorate(attrs.define, maybe_cls, kwargs)
