"""The params of Bastion's own LSP methods, read defensively: they arrive as the JSON value the
client sent (lsp/protocol.py), and a client may send anything."""

from __future__ import annotations

from pygls.exceptions import JsonRpcInvalidParams


class InvalidParams(JsonRpcInvalidParams):
    """Raised by a handler: the request is answered InvalidParams with this message."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message)


def field(params, name: str):
    """`params[name]`, or None when params is not a JSON object."""
    return params.get(name) if isinstance(params, dict) else None


def position_line(position) -> int | None:
    """A position's 0-based line; None unless it is a non-negative integer."""
    line = field(position, "line")
    return line if isinstance(line, int) and not isinstance(line, bool) and line >= 0 else None
