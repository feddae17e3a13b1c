"""bastion/visibleRanges: the lines the user sees, so that a first analysis reports them first.

LSP has no standard notification for this; Bastion's VS Code extension sends one whenever an
editor's visible ranges change: `{"textDocument": {"uri": ...}, "ranges": [LSP Range, ...]}`.
Documents of other clients are analysed top to bottom. Malformed params are ignored: the hint
only orders work, it never changes a result.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

VISIBLE_RANGES = "bastion/visibleRanges"
_MAX_RANGES = 64
_MAX_DOCUMENTS = 256


def _get(value, name: str):
    return value.get(name) if isinstance(value, dict) else getattr(value, name, None)


def _line(position) -> int | None:
    line = _get(position, "line")
    return line if isinstance(line, int) and not isinstance(line, bool) and line >= 0 else None


def parse_ranges(params) -> tuple[str, tuple[tuple[int, int], ...]] | None:
    uri = _get(_get(params, "textDocument"), "uri")
    ranges = _get(params, "ranges")
    if not isinstance(uri, str) or not isinstance(ranges, (list, tuple)):
        return None
    lines = []
    for item in list(ranges)[:_MAX_RANGES]:
        first, last = _line(_get(item, "start")), _line(_get(item, "end"))
        if first is None or last is None:
            return None
        lines.append((min(first, last), max(first, last)))
    return uri, tuple(lines)


def register(server) -> None:
    @server.feature(VISIBLE_RANGES)
    def visible_ranges(ls, params) -> None:
        parsed = parse_ranges(params)
        if parsed is None:
            log.warning("ignored a malformed %s notification", VISIBLE_RANGES)
            return
        uri, lines = parsed
        visible = ls.session.visible
        visible.pop(uri, None)
        visible[uri] = lines  # kept even before didOpen: the client may send it first
        while len(visible) > _MAX_DOCUMENTS:
            visible.pop(next(iter(visible)))  # the longest unchanged: closed without didClose
