"""The only module that relies on pygls internals (written against pygls 2.1).

Each use below is pinned by a test in tests/unit/test_pygls_compat.py that asserts the internal
still exists and behaves as relied on: a pygls upgrade that changes one fails there, by name,
instead of somewhere in the server at run time. Everything else uses pygls' public API.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import json
import logging
from concurrent.futures import Future
from typing import Any

import attrs
import cattrs
from lsprotocol import types
from pygls.exceptions import JsonRpcInternalError
from pygls.lsp.server import LanguageServer
from pygls.protocol import JsonRPCResponseMessage, LanguageServerProtocol

log = logging.getLogger(__name__)
MAX_ERROR_MESSAGE = 300


class CompatProtocol(LanguageServerProtocol):
    """pygls' protocol with three internals corrected, and a way to send JSON text."""

    def _execute_handler(self, msg_id, handler, callback, args=None, kwargs=None):
        # pygls files the future of every handler it runs under its message id but removes
        # only those of requests: each notification (a keystroke's didChange) would leak two.
        # The release is deferred to the loop: a cancelled future runs its callbacks at once,
        # possibly while the map is being walked. A request's own is gone by then (pygls
        # removes it when it answers), hence the default.
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is None:
            return
        loop = asyncio.get_running_loop()
        future.add_done_callback(lambda _done: _on_loop(loop, self._request_futures.pop, msg_id, None))
        # A built-in generator handler (executeCommand) runs the user's handler as a second
        # future, in the request's context: cancelling the request must cancel that one too,
        # else a cancelled command runs on (and fails on the client's late replies).
        parent_id = self.msg_id
        if parent_id is not None and parent_id != msg_id:
            parent = self._request_futures.get(parent_id)
            if parent is not None:
                parent.add_done_callback(
                    lambda done: future.cancel() if done.cancelled() else None)

    def _send_response(self, msg_id, result=None, error=None):
        # pygls puts a handler's Python traceback in `error.data`: the client gets a short
        # message, the log keeps the traceback (pygls logs it before answering).
        if error is not None:
            error = types.ResponseError(code=error.code, message=short(error.message))
        elif isinstance(result, SplicedResult):
            response = self._result_types.pop(msg_id, JsonRPCResponseMessage)(
                id=msg_id, result=result.result, jsonrpc=self.VERSION)
            text = json.dumps(response, default=self._serialize_message)
            self.send_json(text.replace(result.placeholder, result.text, 1))
            return
        super()._send_response(msg_id, result, error)

    def send_error(self, msg_id, code: int, message: str) -> None:
        self._send_response(msg_id, error=types.ResponseError(code=code, message=message))

    def _send_data(self, data: Any) -> None:
        # pygls' own, with the framing and writing apart (`send_json`) for messages that are
        # already JSON: the diagnostics a keystroke publishes (lsp/encoded.py).
        if not data:
            return
        try:
            body = json.dumps(data, default=self._serialize_message)
        except Exception as error:
            self._send_failed(error)
            return
        self.send_json(body)

    def send_json(self, body: str) -> None:
        """Send a message encoded as pygls encodes (`json.dumps`' defaults: ASCII only)."""
        if self.writer is None:
            log.error("Unable to send data, no available transport!")
            return
        try:
            log.info("Sending data: %s", body)
            if self._include_headers:
                body = (f"Content-Length: {len(body)}\r\n"
                        f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n" + body)
            written = self.writer.write(body.encode(self.CHARSET))
            if inspect.isawaitable(written):
                asyncio.ensure_future(written)
        except BrokenPipeError:
            log.exception("Error sending data. BrokenPipeError", exc_info=True)
            raise
        except Exception as error:
            self._send_failed(error)

    def _send_failed(self, error: Exception) -> None:
        log.exception("Error sending data", exc_info=True)
        self._server._report_server_error(error, JsonRpcInternalError)


@attrs.frozen
class SplicedResult:
    """A request's result sent as the JSON of `result` with its first `placeholder` (JSON text
    that only a field's value can hold, as `"items": []`) replaced by `text`, JSON already
    encoded (lsp/encoded.py)."""

    result: Any
    placeholder: str
    text: str


def _on_loop(loop: asyncio.AbstractEventLoop, func, *args) -> None:
    """Soon, on `loop` (a keystroke's handler completes on the loop itself: no self-pipe write)."""
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        loop.call_soon(func, *args)
    else:
        loop.call_soon_threadsafe(func, *args)


def run_request(protocol: LanguageServerProtocol, msg_id: Any, method: str, params: Any) -> None:
    """Run the handler of a checked request; pygls answers it when it completes (pygls'
    `handle_message` would only repeat the checks, with slow `Protocol` isinstance tests)."""
    contextvars.copy_context().run(protocol._handle_request, msg_id, method, params)


def run_notification(protocol: LanguageServerProtocol, method: str, params: Any) -> None:
    contextvars.copy_context().run(protocol._handle_notification, method, params)


def short(message: str) -> str:
    first = (message or "").strip().splitlines()[:1]
    text = first[0] if first else "error"
    return text if len(text) <= MAX_ERROR_MESSAGE else text[:MAX_ERROR_MESSAGE - 1] + "…"


def converter(protocol: LanguageServerProtocol) -> cattrs.Converter:
    """The converter pygls structures and unstructures LSP types with."""
    return protocol._converter


def pending_request(protocol: LanguageServerProtocol, msg_id: Any) -> Future | None:
    """The future of a request in flight (the client's or the server's own) by message id."""
    return protocol._request_futures.get(msg_id)


def forget_request(protocol: LanguageServerProtocol, msg_id: Any) -> None:
    protocol._request_futures.pop(msg_id, None)


def cancel_requests(protocol: LanguageServerProtocol, keep: Any) -> None:
    """Cancel every request in flight but `keep` (pygls' own shutdown walks the live map while
    cancelled futures' callbacks change it: "dictionary changed size during iteration")."""
    for msg_id, future in list(protocol._request_futures.items()):
        if msg_id != keep and not future.done():
            future.cancel()


def progress_cancellation(server: LanguageServer, token: types.ProgressToken) -> Future | None:
    """The future pygls cancels when the client cancels work-done progress `token`."""
    return server.work_done_progress.tokens.get(token)


def forget_progress(server: LanguageServer, token: types.ProgressToken) -> None:
    server.work_done_progress.tokens.pop(token, None)
