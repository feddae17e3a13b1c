"""The Bastion language server: a factory that builds the server and registers its features."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Iterable
from typing import BinaryIO

from lsprotocol import types
from pygls.exceptions import FeatureRequestError, JsonRpcInternalError
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.workspace.position_codec import PositionCodec

from bastion import __version__
from bastion.engine.engine import Engine
from bastion.fixes.service import FixService
from bastion.lsp.features.workspace import WorkspaceScan
from bastion.lsp.lifecycle import Lifecycle
from bastion.lsp.protocol import BastionProtocol
from bastion.lsp.scheduler import Scheduler
from bastion.lsp.session import Session
from bastion.lsp.settings import Message
from bastion.lsp.summaries import SummaryService
from bastion.lsp.templates import OpenTemplates
from bastion.lsp.transport import pipe_reader, separate_pipe, serve, thread_reader

log = logging.getLogger(__name__)


class BastionServer(LanguageServer):
    """The server and the services it owns, built here and shut down with it: the analysis
    scheduler, the fix service (per-document state forgotten at didClose), the workspace scan,
    the workspace summaries (lsp/summaries.py) and the open templates' texts (lsp/templates.py).
    `pending_messages`: settings problems found at `initialize`, shown once `initialized`.
    `rules_missing`: what a broken install lacks of the rule files (catalog/paths.py), found
    once: then no document is analysed, each says why, and the workspace is not scanned."""

    def __init__(self, engine: Engine, rules_missing: str | None = None) -> None:
        super().__init__("bastion", __version__, protocol_cls=BastionProtocol, max_workers=2)
        self.engine = engine
        self.session = Session()
        self.scheduler = Scheduler(self)
        self.fix_service = FixService(engine)
        self.workspace_scan = WorkspaceScan(self)
        self.summaries = SummaryService(self)
        self.templates = OpenTemplates(engine)
        self.rules_missing = rules_missing
        self.pending_messages: list[Message] = []
        self._services_down = False

    @property
    def lifecycle(self) -> Lifecycle:
        return self.protocol.lifecycle

    def document_closed(self, uri: str) -> None:
        """Services forget a closed document's state (the fix service also after the work
        already queued for it, which would otherwise file it again)."""
        self.fix_service.forget(uri)
        self.summaries.forget(uri)
        try:
            self.fix_service.executor.submit(self.fix_service.forget, uri)
        except RuntimeError:
            pass  # shut down: nothing queued

    def shutdown_services(self) -> None:
        """At `shutdown` and again when the process ends (the second call does nothing)."""
        if self._services_down:
            return
        self._services_down = True
        for service in (self.scheduler, self.workspace_scan, self.fix_service, self.summaries,
                        self.templates):
            try:
                service.shutdown()
            except Exception:
                log.exception("shutting down %s failed", type(service).__name__)

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
        stdin, stdout = stdin or sys.stdin.buffer, stdout or sys.stdout.buffer
        self.protocol.set_writer(StdoutWriter(stdout))

        async def main() -> None:
            read = await pipe_reader(stdin) if separate_pipe(stdin, stdout) else thread_reader(stdin)
            await serve(self.protocol, read)

        return self._run(main)

    def start_tcp(self, host: str, port: int) -> int:
        async def main() -> None:
            ended = asyncio.get_running_loop().create_future()

            async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
                self.protocol.set_writer(writer)
                try:
                    await serve(self.protocol, reader.read)
                finally:
                    if not ended.done():
                        ended.set_result(None)

            listener = await asyncio.start_server(connection, host, port)
            log.info("listening on %s:%s", host, port)
            async with listener:
                await ended

        return self._run(main)

    def _run(self, main) -> int:
        try:
            asyncio.run(main())
        except BrokenPipeError:
            self.lifecycle.exit(1, "the connection to the client is lost")
        except KeyboardInterrupt:
            self.lifecycle.exit(1, "interrupted")
        finally:
            self.shutdown_services()
            self.shutdown()
        if self.lifecycle.exit_code is None:  # the input ended without `exit`
            self.lifecycle.exit(None, "the input ended")
        return self.lifecycle.exit_code

    def report_server_error(self, error: Exception, source) -> None:
        """A failed notification handler or send: logged, never a pop-up (pygls would show
        "Error in server" in the editor for each). Failed requests are answered instead."""
        if source is FeatureRequestError:
            return
        if source is JsonRpcInternalError:  # sending failed: telling the client would too
            log.error("sending to the client failed: %s", error)
            return
        self.protocol.log_problem(f"internal error: {error}")

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
    from bastion.catalog.paths import missing_rules
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
        workspace_folders,
    )

    server = BastionServer(engine or create_engine(disk_cache=True), missing_rules())

    @server.feature(types.SHUTDOWN)
    def shutdown(ls, *args) -> None:
        ls.shutdown_services()

    for feature in (configuration, documents, diagnostics, hover, code_actions, explain,
                    visible_ranges, workspace, workspace_folders):
        feature.register(server)
    return server
