"""One pin per pygls internal that lsp/pygls_compat.py relies on (pygls 2.1): each test asserts
the internal still exists and behaves as relied on with the installed pygls."""

from __future__ import annotations

import asyncio
import inspect
import json
from concurrent.futures import Future

import cattrs
from lsprotocol import types
from pygls.protocol import LanguageServerProtocol

from bastion.lsp import pygls_compat as compat
from bastion.lsp.server import create_server


class Capture:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    def write(self, data: bytes) -> None:
        self.sent.append(json.loads(data.split(b"\r\n\r\n", 1)[1]))

    def close(self) -> None:
        pass


class Raw:
    """The bytes written, as they are."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.sent.append(data)

    def close(self) -> None:
        pass


def _raw_server():
    protocol, raw = create_server().protocol, Raw()
    protocol.set_writer(raw)
    return protocol, raw.sent


def _server():
    server = create_server()
    capture = Capture()
    server.protocol.set_writer(capture)
    return server, capture


def test_execute_handler_signature_and_leak_fix():
    """`_execute_handler(msg_id, handler, callback, args, kwargs)` files futures in
    `_request_futures`; the override releases those of notifications."""
    params = list(inspect.signature(LanguageServerProtocol._execute_handler).parameters)
    assert params == ["self", "msg_id", "handler", "callback", "args", "kwargs"]

    async def run() -> None:
        protocol = create_server().protocol
        done = []

        async def handler(value):
            await asyncio.sleep(0)
            done.append(value)

        for index in range(50):
            protocol._execute_handler(f"note-{index}", handler, callback=lambda _f: None,
                                      args=(index,))
        assert len(protocol._request_futures) == 50  # what pygls does: the reason for the fix
        while len(done) < 50:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.01)
        assert not protocol._request_futures

    asyncio.run(run())


def test_send_response_is_how_errors_are_answered():
    """A raising request handler is answered through `_send_response`; the override keeps the
    traceback out of the reply."""
    server, capture = _server()

    @server.feature("test/raise")
    def raising(ls, params):
        raise ValueError("first line\nsecond line")

    server.protocol.lifecycle.initialized(None)
    server.protocol.receive({"jsonrpc": "2.0", "id": 7, "method": "test/raise", "params": {}})
    reply = next(m for m in capture.sent if m.get("id") == 7)
    assert reply["error"]["message"] == "ValueError: first line"
    assert "data" not in reply["error"] or reply["error"]["data"] is None


def test_converter_structures_lsp_messages():
    protocol = create_server().protocol
    converter = compat.converter(protocol)
    assert isinstance(converter, cattrs.Converter)
    request = converter.structure({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover",
                                   "params": {"textDocument": {"uri": "file:///a.py"},
                                              "position": {"line": 0, "character": 0}}},
                                  types.HoverRequest)
    assert request.params.position.line == 0


def test_pending_requests_are_filed_by_id():
    server, _capture = _server()
    future = server.protocol.send_request("window/workDoneProgress/create",
                                          types.WorkDoneProgressCreateParams(token="t"),
                                          msg_id="m1")
    assert compat.pending_request(server.protocol, "m1") is future
    compat.forget_request(server.protocol, "m1")
    assert compat.pending_request(server.protocol, "m1") is None


def test_cancel_requests_while_callbacks_change_the_map():
    """pygls' own shutdown walks `_request_futures` while cancelled futures' callbacks (which
    run at once) remove entries: the walk must be over a copy."""
    protocol = create_server().protocol
    futures = protocol._request_futures
    for index in range(5):
        future: Future = Future()
        future.add_done_callback(lambda _f, i=index: futures.pop(f"r{i}", None))
        futures[f"r{index}"] = future
    keep: Future = Future()
    futures["shutdown"] = keep
    compat.cancel_requests(protocol, keep="shutdown")
    assert list(futures) == ["shutdown"] and not keep.done()


def test_progress_tokens_hold_the_cancellation_future():
    server, _capture = _server()
    server.work_done_progress.begin("tok", types.WorkDoneProgressBegin(title="scan"))
    cancel = compat.progress_cancellation(server, "tok")
    assert isinstance(cancel, Future) and not cancel.cancelled()
    handler = server.protocol.fm.builtin_features[types.WINDOW_WORK_DONE_PROGRESS_CANCEL]
    list(handler(types.WorkDoneProgressCancelParams(token="tok")))
    assert cancel.cancelled()
    compat.forget_progress(server, "tok")
    assert compat.progress_cancellation(server, "tok") is None


def test_our_builtin_overrides_are_the_registered_ones():
    """pygls registers `lsp_method`-decorated methods of the protocol by `dir()`: ours replace
    its shutdown (which walked the live map) and its text sync (its workspace is unused)."""
    protocol = create_server().protocol
    for method, name in [(types.SHUTDOWN, "lsp_shutdown"),
                         (types.TEXT_DOCUMENT_DID_OPEN, "lsp_text_document__did_open"),
                         (types.TEXT_DOCUMENT_DID_CHANGE, "lsp_text_document__did_change"),
                         (types.TEXT_DOCUMENT_DID_CLOSE, "lsp_text_document__did_close")]:
        registered = protocol.fm.builtin_features[method]
        assert registered.__func__ is getattr(type(protocol), name)
        assert registered.__func__ is not getattr(LanguageServerProtocol, name)


def test_cancelling_a_command_cancels_the_command_handler():
    """executeCommand is a pygls generator handler: it runs the command as a second future in
    the request's context (`msg_id` is the request's), which the override chains to the
    request's own future."""

    async def run() -> None:
        server, capture = _server()
        cancelled = asyncio.Event()

        @server.command("test.wait")
        async def wait(ls, *args):
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                cancelled.set()
                raise

        protocol = server.protocol
        protocol.lifecycle.initialized(None)
        protocol.receive({"jsonrpc": "2.0", "id": 5, "method": "workspace/executeCommand",
                          "params": {"command": "test.wait"}})
        await asyncio.sleep(0.01)
        protocol.receive({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 5}})
        await asyncio.wait_for(cancelled.wait(), 5)
        assert [m["error"]["code"] for m in capture.sent if m.get("id") == 5] == [-32800]

    asyncio.run(run())


def test_handle_request_and_notification_signatures():
    """`run_request` / `run_notification` call these with checked, structured params."""
    from pygls.protocol import JsonRPCProtocol

    assert list(inspect.signature(JsonRPCProtocol._handle_request).parameters) == [
        "self", "msg_id", "method_name", "params"]
    assert list(inspect.signature(JsonRPCProtocol._handle_notification).parameters) == [
        "self", "method_name", "params"]
    assert list(inspect.signature(JsonRPCProtocol._send_response).parameters) == [
        "self", "msg_id", "result", "error"]


def test_sending_writes_what_pygls_writes():
    """`_send_data` is pygls' own with the framing and writing apart (`send_json`, for messages
    already encoded): `writer`, `_include_headers`, `CONTENT_TYPE`, `CHARSET` and
    `_serialize_message` are used as pygls uses them, so the bytes are pygls'."""
    protocol, written = _raw_server()
    message = types.PublishDiagnosticsNotification(params=types.PublishDiagnosticsParams(
        uri="file:///caf%C3%A9.py", version=4, diagnostics=[types.Diagnostic(
            range=types.Range(start=types.Position(1, 2), end=types.Position(1, 9)),
            message="é 😀 \"quoted\"", severity=types.DiagnosticSeverity.Error,
            data={"version": 4})]))
    LanguageServerProtocol._send_data(protocol, message)  # pygls' own
    protocol._send_data(message)
    protocol.send_json(json.dumps(message, default=protocol._serialize_message))
    assert written[0].startswith(b"Content-Length: ") and written[0] == written[1] == written[2]


def test_spliced_result_is_sent_as_pygls_sends_the_whole_result():
    """A `SplicedResult` is answered with the response type pygls files for the request in
    `_result_types` (DocumentDiagnosticResponse), as pygls would answer the whole result."""
    protocol, written = _raw_server()
    items = [types.Diagnostic(range=types.Range(start=types.Position(1, 2), end=types.Position(1, 9)),
                              message="é \"items\": []", data={"version": 4})]
    for msg_id in (7, 'x "items": []'):
        protocol._result_types[msg_id] = types.DocumentDiagnosticResponse
        protocol._send_response(msg_id, types.RelatedFullDocumentDiagnosticReport(
            items=items, result_id="4:1:1"))
        protocol._result_types[msg_id] = types.DocumentDiagnosticResponse
        protocol._send_response(msg_id, compat.SplicedResult(
            types.RelatedFullDocumentDiagnosticReport(items=[], result_id="4:1:1"), '"items": []',
            '"items": ' + json.dumps([protocol._converter.unstructure(d) for d in items])))
        assert not protocol._result_types
        assert b'"jsonrpc"' in written[-1] and written[-2] == written[-1]
