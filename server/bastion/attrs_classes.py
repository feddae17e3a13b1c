"""The attrs class decorators of the data classes a scan builds at start-up, without a compiled repr.

attrs writes each class's `__repr__` as source text and compiles it when the class is defined:
about half of the ~45 ms a cold `bastion check` spends compiling attrs' methods before any file
is read, for a method a scan hardly ever calls. `frozen` and `define` are attrs' own decorators
with `repr=False`, and give the class instead one shared `__repr__` that prints what attrs' would:
`Name(field=value!r, ...)` over the fields attrs would show, `...` for an instance met again
while it is printed. A class that writes its own `__repr__` or asks for `repr=False` is left
to attrs. `__init__`, `__eq__` and `__hash__` are still attrs'.
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


def _decorate(attrs_decorator, maybe_cls, kwargs):
    def wrap(cls: type) -> type:
        if "__repr__" in cls.__dict__ or "repr" in kwargs:
            return attrs_decorator(cls, **kwargs)
        built = attrs_decorator(cls, repr=False, **kwargs)
        built.__repr__ = _make_repr(built)
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
