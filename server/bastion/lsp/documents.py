"""Open documents, kept as lines and updated from incremental changes. Owned by the event loop.

pygls' own TextDocument re-splits the whole text with `str.splitlines` on every change, which
costs whole-file work per keystroke and also breaks lines at form feeds and U+2028, which LSP
clients do not. Bastion keeps its own store: lines split where LSP clients split them
(model/text.py), held without a leading BOM and with lone surrogates made U+FFFD, so that the
analysed text is what `bastion check` would read; positions to and from the client still count
the BOM on the first line.

Each `didOpen` makes a new Document with a new `opened` serial: a result is tied to the serial
and the version of the text it was computed from (a document closed and opened again, or opened
twice, at the same version is another text).
"""

from __future__ import annotations

import itertools
from urllib.parse import unquote, urlparse

import attrs
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from bastion.model.text import BOM, newlines_as_python_reads, split_lines, without_surrogates

_SERIALS = itertools.count(1)


def uri_to_path(uri: str) -> str | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return unquote(parsed.path)


@attrs.define
class Document:
    uri: str
    version: int
    lines: list[str]
    language_id: str = "python"
    _text: str | None = None
    # Lines unchanged at the start and end since the last snapshot (None: everything changed).
    _prefix: int | None = None
    _suffix: int | None = None
    _snapshotted: bool = False
    bom: bool = False  # the client's text starts with a BOM, which `lines` do not hold
    opened: int = attrs.field(factory=lambda: next(_SERIALS))

    @classmethod
    def from_text(cls, uri: str, version: int, text: str, language_id: str = "python") -> Document:
        bom = text.startswith(BOM)
        text = newlines_as_python_reads(without_surrogates(text.removeprefix(BOM)))
        return cls(uri, version, split_lines(text), language_id, text, bom=bom)

    @property
    def path(self) -> str | None:
        return uri_to_path(self.uri)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "\n".join(self.lines)
        return self._text

    def line(self, index: int) -> str:
        """A line without its terminator (a trailing "\\r" of CRLF files removed)."""
        if 0 <= index < len(self.lines):
            return self.lines[index].removesuffix("\r")
        return ""

    def _client_line(self, index: int) -> str:
        return BOM + self.line(index) if self.bom and index == 0 else self.line(index)

    def to_code_points(self, position: types.Position, codec: PositionCodec) -> tuple[int, int]:
        line = min(max(position.line, 0), len(self.lines))
        if line >= len(self.lines):
            return len(self.lines) - 1, len(self.lines[-1])
        text = self._client_line(line)
        units, column = 0, 0
        for char in text:
            if units >= position.character:
                break
            units += codec.impl.code_units_for_char(char)
            column += 1
        if self.bom and line == 0:
            column = max(column - 1, 0)
        return line, column

    def to_client(self, line: int, column: int, codec: PositionCodec) -> types.Position:
        return types.Position(line=line, character=self.client_column(line, column, codec))

    def client_column(self, line: int, column: int, codec: PositionCodec) -> int:
        """The client's column (in its position encoding's units) of a code-point column."""
        if self.bom and line == 0:
            column += 1
        before = self._client_line(line)[:column]
        # An ASCII prefix (nearly every line) is one unit per character in every encoding; the
        # codec's count walks it character by character in Python (2,000 diagnostics: 4,000 calls).
        return len(before) if before.isascii() else codec.client_num_units(before)

    def apply_change(self, change, codec: PositionCodec) -> None:
        if not isinstance(change, types.TextDocumentContentChangePartial):
            self.bom = change.text.startswith(BOM)
            text = newlines_as_python_reads(without_surrogates(change.text.removeprefix(BOM)))
            self.lines = split_lines(text)
            self._text = text
            self._prefix = self._suffix = 0
            return
        start_line, start_col = self.to_code_points(change.range.start, codec)
        end_line, end_col = self.to_code_points(change.range.end, codec)
        if (end_line, end_col) < (start_line, start_col):
            start_line, start_col, end_line, end_col = end_line, end_col, start_line, start_col
        unchanged_after = len(self.lines) - 1 - end_line
        self._prefix = start_line if self._prefix is None else min(self._prefix, start_line)
        self._suffix = unchanged_after if self._suffix is None else min(self._suffix, unchanged_after)
        head = self.lines[start_line][:start_col]
        tail = self.lines[end_line][end_col:]
        joined = head + without_surrogates(change.text) + tail
        if unchanged_after:
            # A "\r" at the end is the first half of the "\r\n" that ends this line.
            new = split_lines(joined + "\n")[:-1]
        else:
            new = split_lines(joined)
        self.lines[start_line:end_line + 1] = new
        self._text = None

    @property
    def analysed_before(self) -> bool:
        """Whether a snapshot of this document was taken for an analysis."""
        return self._snapshotted

    def take_changes(self) -> tuple[int | None, int | None]:
        """Unchanged prefix/suffix line counts since the last call (for the incremental splitter)."""
        changes = (self._prefix, self._suffix)
        self._prefix = self._suffix = None
        if not self._snapshotted:
            self._snapshotted = True
            return None, None  # the first analysis of this document
        if changes == (None, None):
            return len(self.lines), 0  # nothing changed since the last snapshot
        return changes
