"""The Bastion language server: a factory that builds the server and registers its features."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import sys
import threading
from collections.abc import Iterable
from typing import BinaryIO

from lsprotocol import types
from pygls.io_ import StdoutWriter, run_async
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.workspace.position_codec import PositionCodec

from bastion import __version__
from bastion.engine.engine import Engine
from bastion.lsp.scheduler import Scheduler
from bastion.lsp.session import Session
from bastion.lsp.settings import Message

log = logging.getLogger(__name__)


class BastionProtocol(LanguageServerProtocol):
    """Text synchronisation goes to Bastion's document store instead of pygls' workspace."""

    def _execute_handler(self, msg_id, handler, callback, args=None, kwargs=None):
        # pygls 2.1 files the future of every handler it runs under its message id but removes
        # only those of requests: each notification (a keystroke's didChange) would leak two.
        # The release is deferred to the loop: pygls iterates the map while cancelling at
        # shutdown, and a cancelled future runs its callbacks at once.
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is not None:
            loop = asyncio.get_running_loop()
            future.add_done_callback(lambda _done: loop.call_soon_threadsafe(
                self._request_futures.pop, msg_id, None))

    def _user_handler(self, method: str, params):
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_CLOSE, params)


class PipeReader:
    """Messages from a pipe, read on the event loop. pygls' own stdin reader hands every header
    line and every body to a worker thread: three thread hops per keystroke."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self._stream = stream

    async def readline(self) -> bytes:
        return await self._stream.readline()

    async def readexactly(self, n: int) -> bytes:
        try:
            return await self._stream.readexactly(n)
        except asyncio.IncompleteReadError:
            return b""  # the client went away mid-message: pygls' loop ends on an empty body


def _separate_pipe(stdin: BinaryIO, stdout: BinaryIO) -> bool:
    """stdin is a pipe of its own: making it non-blocking cannot affect stdout (as it would for
    a terminal or a socket shared by both)."""
    if os.name != "posix":
        return False  # Windows' event loops read pipes differently: pygls' reader it is
    try:
        info, out = os.fstat(stdin.fileno()), os.fstat(stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(info.st_mode) and (info.st_dev, info.st_ino) != (out.st_dev, out.st_ino)


class BastionServer(LanguageServer):
    def __init__(self, engine: Engine) -> None:
        super().__init__("bastion", __version__, protocol_cls=BastionProtocol, max_workers=2)
        self.engine = engine
        self.session = Session()
        self.scheduler = Scheduler(self)

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        stdin, stdout = stdin or sys.stdin.buffer, stdout or sys.stdout.buffer
        if not _separate_pipe(stdin, stdout):
            super().start_io(stdin, stdout)
            return
        self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout))

        async def serve() -> None:
            stream = asyncio.StreamReader()
            await asyncio.get_running_loop().connect_read_pipe(
                lambda: asyncio.StreamReaderProtocol(stream), stdin)
            await run_async(stop_event=self._stop_event, reader=PipeReader(stream),
                            protocol=self.protocol, logger=log,
                            error_handler=self.report_server_error)

        try:
            asyncio.run(serve())
        except BrokenPipeError:
            log.error("the connection to the client is lost; shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()

    @property
    def codec(self) -> PositionCodec:
        return self.workspace.position_codec

    def show_messages(self, messages: Iterable[Message]) -> None:
        """Show each distinct problem once (and log it), however often it is found again."""
        for message in messages:
            kind = types.MessageType.Error if message.level == "error" else types.MessageType.Warning
            self.window_log_message(types.LogMessageParams(type=kind, message=message.text))
            if message.text in self.session.shown_messages:
                continue
            self.session.shown_messages.add(message.text)
            self.window_show_message(types.ShowMessageParams(type=kind, message=message.text))

    def reanalyse_all(self) -> None:
        """After a settings change: push clients get new diagnostics, pull clients a refresh."""
        if self.session.client.pull_diagnostics:
            self.workspace_diagnostic_refresh(None)
        else:
            self.workspace_scan.settings_changed()
            for uri in list(self.session.documents):
                self.scheduler.schedule(uri)


def create_server(engine: Engine | None = None) -> BastionServer:
    from bastion.engine.registry import create_engine
    from bastion.lsp.features import (
        code_actions,
        configuration,
        diagnostics,
        documents,
        explain,
        hover,
        visible_ranges,
        workspace,
    )

    server = BastionServer(engine or create_engine(disk_cache=True))
    for feature in (configuration, documents, diagnostics, hover, code_actions, explain,
                    visible_ranges, workspace):
        feature.register(server)
    return server
