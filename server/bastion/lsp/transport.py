"""Where the server's bytes come from (a pipe, any other stdin, TCP) and the loop that reads them.

Every source goes through the same frame reader (lsp/framing.py) and the same dispatch
(lsp/protocol.py). The loop ends on `exit`, at the end of the input, or when the client's
process is gone; the server then returns the exit status the lifecycle decided.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import stat
import threading
from collections.abc import Awaitable, Callable
from typing import BinaryIO

from bastion.lsp.framing import CHUNK, FrameReader

log = logging.getLogger(__name__)

Read = Callable[[int], Awaitable[bytes]]


def separate_pipe(stdin: BinaryIO, stdout: BinaryIO) -> bool:
    """stdin is a pipe of its own: making it non-blocking cannot affect stdout (as it would for
    a terminal or a socket shared by both)."""
    if os.name != "posix":
        return False  # Windows' event loops read pipes differently: a reading thread it is
    try:
        info, out = os.fstat(stdin.fileno()), os.fstat(stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(info.st_mode) and (info.st_dev, info.st_ino) != (out.st_dev, out.st_ino)


async def pipe_reader(stdin: BinaryIO) -> Read:
    """Read on the event loop: no thread hop per message."""
    stream = asyncio.StreamReader(limit=CHUNK)
    await asyncio.get_running_loop().connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(stream), stdin)
    return stream.read


def thread_reader(stdin: BinaryIO) -> Read:
    """Read on a daemon thread (a blocked read must not keep the process from exiting), a few
    chunks ahead of the loop at most."""
    loop = asyncio.get_running_loop()
    chunks: asyncio.Queue[bytes] = asyncio.Queue(maxsize=4)
    read = _unlocked_read(stdin)

    def pump() -> None:
        while True:
            try:
                chunk = read(CHUNK)
            except (OSError, ValueError) as exc:
                log.error("reading stdin failed: %s", exc)
                chunk = b""
            try:
                asyncio.run_coroutine_threadsafe(chunks.put(chunk), loop).result()
            except RuntimeError:
                return  # the loop is closed: the server is exiting
            if not chunk:
                return

    threading.Thread(target=pump, name="bastion-stdin", daemon=True).start()

    async def next_chunk(_size: int) -> bytes:
        return await chunks.get()

    return next_chunk


def _unlocked_read(stdin: BinaryIO) -> Callable[[int], bytes]:
    """Reads of the descriptor itself: a thread blocked in a buffered reader's read holds the
    reader's lock, and at exit the interpreter aborts when it cannot take that lock to close
    sys.stdin ("could not acquire lock ... possibly due to daemon threads", SIGABRT). Neovim
    and VS Code (libuv) give the server a socket, which this thread reads."""
    try:
        fd = stdin.fileno()
    except (OSError, ValueError, AttributeError):
        return getattr(stdin, "read1", stdin.read)
    return functools.partial(os.read, fd)


async def serve(protocol, read: Read) -> None:
    """Read and dispatch messages until `exit` or the end of the input."""
    frames = FrameReader(read, on_error=protocol.log_problem)

    async def pump() -> None:
        while (message := await frames.read_message()) is not None:
            try:
                protocol.receive(message)
            except BrokenPipeError:
                raise
            except Exception:  # a bug in one handler must not end the server
                log.exception("handling a message failed")
        log.info("the client closed the connection")

    reading = asyncio.ensure_future(pump())
    exited = asyncio.ensure_future(protocol.lifecycle.exited())
    done, _ = await asyncio.wait({reading, exited}, return_when=asyncio.FIRST_COMPLETED)
    for task in (reading, exited):
        if task not in done:
            task.cancel()
    if reading in done:
        reading.result()  # a lost connection (BrokenPipeError) is the caller's to report
