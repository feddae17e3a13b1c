"""bastion/visibleRanges: the lines the user sees, so that a first analysis reports them first.

LSP has no standard notification for this; Bastion's VS Code extension sends one whenever an
editor's visible ranges change: `{"textDocument": {"uri": ...}, "ranges": [LSP Range, ...]}`.
Documents of other clients are analysed top to bottom. Malformed params are ignored: the hint
only orders work, it never changes a result.
"""

from __future__ import annotations

import logging

from bastion.lsp.params import field, position_line

log = logging.getLogger(__name__)

VISIBLE_RANGES = "bastion/visibleRanges"
_MAX_RANGES = 64
_MAX_DOCUMENTS = 256


def parse_ranges(params) -> tuple[str, tuple[tuple[int, int], ...]] | None:
    uri = field(field(params, "textDocument"), "uri")
    ranges = field(params, "ranges")
    if not isinstance(uri, str) or not isinstance(ranges, list):
        return None
    lines = []
    for item in ranges[:_MAX_RANGES]:
        first, last = position_line(field(item, "start")), position_line(field(item, "end"))
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
