"""The params of Bastion's own LSP methods, read defensively: pygls hands them over as dicts or
as attribute objects, and a client may send anything."""

from __future__ import annotations

from pygls.exceptions import JsonRpcInvalidParams


class InvalidParams(JsonRpcInvalidParams):
    """Raised by a handler: the request is answered InvalidParams with this message."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message)


def field(params, name: str):
    if isinstance(params, dict):
        return params.get(name)
    return getattr(params, name, None)


def position_line(position) -> int | None:
    """A position's 0-based line; None unless it is a non-negative integer."""
    line = field(position, "line")
    return line if isinstance(line, int) and not isinstance(line, bool) and line >= 0 else None
