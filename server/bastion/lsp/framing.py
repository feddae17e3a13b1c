"""LSP base-protocol frames (`Content-Length` header, blank line, JSON body) from a byte source.

A wrong frame must never leave the server alive but deaf, as pygls' reader did (it waited
forever after a header it could not use, and died on a header line over 64 KiB). The reader
resynchronises instead: header names are case-insensitive and lines may end in LF alone;
anything that is not a usable header block is skipped, with one logged reason, up to the next
`Content-Length` header; a body whose declared length is wrong but which holds one complete
JSON value is still taken (the value's own end tells where it stops), and a body that stalls
short of its declared length is taken once the bytes already there form a complete value.
Memory stays bounded: a header block over `MAX_HEADER` bytes and a body over `MAX_BODY` are
refused without being kept.

Owns its buffer; used by one coroutine at a time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

MAX_HEADER = 64 * 1024
MAX_BODY = 256 * 1024 * 1024
# A body that gets no more bytes for this long is checked for a complete value already there.
STALL_S = 0.25
CHUNK = 64 * 1024

_HEADER_START = re.compile(rb"content-length[ \t]*:", re.IGNORECASE)
_HEADER_END = re.compile(rb"\r?\n\r?\n")
# Other headers (Content-Type) before Content-Length are not noise.
_HEADER_LINES = re.compile(rb"(?:[!-9;-~]+:[^\r\n]*\r?\n)*[ \t\r\n]*")
_LENGTH = re.compile(rb"[ \t]*([0-9]{1,12})[ \t]*")
_DECODER = json.JSONDecoder()


class FrameReader:
    """`read_message()` returns the next decoded JSON value, or None at the end of the input."""

    def __init__(self, read: Callable[[int], Awaitable[bytes]],
                 on_error: Callable[[str], None] | None = None) -> None:
        self._read = read
        self._on_error = on_error or (lambda _reason: None)
        self._buffer = bytearray()
        self._pending: asyncio.Future | None = None
        self._eof = False
        self._resyncing = False

    def _reject(self, reason: str) -> None:
        log.warning("LSP input: %s", reason)
        self._on_error(reason)

    async def _fill(self, timeout: float | None = None) -> bool:
        """Append the next chunk; False at the end of input or after `timeout` without one.
        The read in flight survives a timeout (a thread may be blocked in it)."""
        if self._eof:
            return False
        if self._pending is None:
            self._pending = asyncio.ensure_future(self._read(CHUNK))
        done, _ = await asyncio.wait({self._pending}, timeout=timeout)
        if not done:
            return False
        chunk, self._pending = self._pending.result(), None
        if not chunk:
            self._eof = True
            return False
        self._buffer += chunk
        return True

    async def read_message(self) -> object | None:
        while True:
            start = await self._header_start()
            if start is None:
                return None
            header = await self._header_block(start)
            if header is None:
                if self._eof:
                    return None
                continue
            length, body_start = header
            message = await self._body(length, body_start)
            if message is not _SKIPPED:
                return message

    async def _header_start(self) -> int | None:
        """Drop the bytes before the next `Content-Length` header; its offset (0), or None at
        the end of input."""
        while True:
            match = _HEADER_START.search(self._buffer)
            if match is not None:
                skipped = bytes(self._buffer[:match.start()])
                del self._buffer[:match.start()]
                self._report_skipped(skipped)
                self._resyncing = False
                return 0
            # Keep a tail that may be the start of a header cut by the read.
            keep = len(b"content-length ") + 16
            if len(self._buffer) > keep:
                self._report_skipped(bytes(self._buffer[:-keep]))
                del self._buffer[:-keep]
            if not await self._fill():
                self._report_skipped(bytes(self._buffer))
                self._buffer.clear()
                return None

    def _report_skipped(self, skipped: bytes) -> None:
        if not self._resyncing and not _HEADER_LINES.fullmatch(skipped):
            self._reject(f"skipped {len(skipped)} bytes that are not an LSP message header")
            self._resyncing = True  # one reason per stretch of noise

    async def _header_block(self, start: int) -> tuple[int, int] | None:
        """(content length, body offset) of the header block at `start`; None if unusable (its
        first header is dropped so that the search for the next one moves on)."""
        while (end := _HEADER_END.search(self._buffer, start)) is None:
            if len(self._buffer) - start > MAX_HEADER:
                return self._drop_header(f"a header block longer than {MAX_HEADER} bytes")
            if not await self._fill():
                return self._drop_header("the input ended inside a header")
        block = bytes(self._buffer[start:end.start()])
        if len(block) > MAX_HEADER:
            return self._drop_header(f"a header block longer than {MAX_HEADER} bytes")
        length = None
        for line in re.split(rb"\r?\n", block):
            name, colon, value = line.partition(b":")
            if not colon:
                return self._drop_header("a header line without a colon")
            if name.strip().lower() == b"content-length":
                match = _LENGTH.fullmatch(value)
                if match is None:
                    return self._drop_header(f"an invalid Content-Length {_shown(value)}")
                length = int(match.group(1))
        if length is None or length == 0:
            return self._drop_header("a Content-Length of 0")
        if length > MAX_BODY:
            return self._drop_header(f"a body of {length} bytes (the limit is {MAX_BODY})")
        return length, end.end()

    def _drop_header(self, reason: str) -> None:
        self._reject(f"ignored {reason}")
        self._resyncing = True  # the bytes up to the next header are this one's: said once
        del self._buffer[:1]  # past this header's first byte: the search goes on after it
        return None

    async def _body(self, length: int, body_start: int) -> object:
        while len(self._buffer) < body_start + length:
            if await self._fill(timeout=STALL_S):
                continue
            if self._eof or self._complete(body_start):
                break  # stalled on a complete value: the declared length is too long
        body = bytes(self._buffer[body_start:body_start + length])
        try:
            message = json.loads(body)
        except RecursionError:
            del self._buffer[:body_start + length]
            self._reject("ignored a message nested too deeply")
            return _SKIPPED
        except ValueError:
            return self._salvage(length, body_start)
        del self._buffer[:body_start + length]
        return message

    def _complete(self, body_start: int) -> bool:
        try:
            text = bytes(self._buffer[body_start:]).decode("utf-8")
            _value, end = _DECODER.raw_decode(text.lstrip())
        except (ValueError, RecursionError):
            return False
        return not text.lstrip()[end:].strip()

    def _salvage(self, length: int, body_start: int) -> object:
        """The declared length is wrong (or the body is not JSON): take one complete value from
        the body's start if there is one, else skip to the next header."""
        try:
            text = bytes(self._buffer[body_start:]).decode("utf-8", errors="surrogateescape")
            stripped = text.lstrip()
            value, end = _DECODER.raw_decode(stripped)
        except (ValueError, RecursionError):
            del self._buffer[:body_start]
            self._resyncing = True
            self._reject(f"ignored a body of {length} declared bytes that is not one JSON value")
            return _SKIPPED
        used = len((text[:len(text) - len(stripped)] + stripped[:end]).encode(
            "utf-8", errors="surrogateescape"))
        del self._buffer[:body_start + used]
        self._reject(f"a Content-Length of {length} does not match its body of {used} bytes")
        return value


def _shown(value: bytes) -> str:
    return repr(value[:40].decode("ascii", errors="backslashreplace"))


_SKIPPED = object()
