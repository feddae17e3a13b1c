"""Dispatch of the client's messages: every request gets exactly one reply.

pygls builds message objects inside `json.loads`' object hook, where a failure has no message id
left to answer: requests with wrong params, or unknown custom methods without params, were never
answered. Here each decoded message is checked as a whole first: the envelope (InvalidRequest),
the lifecycle (ServerNotInitialized, InvalidRequest after shutdown), the method (MethodNotFound)
and the params against lsprotocol's types (InvalidParams, with a short message naming the field).
Only then does pygls run the handler. Bastion's own methods get their params as plain JSON
values (pygls would build a namedtuple class per JSON object). Bad notifications are logged,
never shown as errors in the editor.

Owned by the event loop thread.
"""

from __future__ import annotations

import logging

import attrs
import cattrs
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.protocol import lsp_method

from bastion.lsp import pygls_compat as compat
from bastion.lsp.lifecycle import Lifecycle

log = logging.getLogger(__name__)


class InvalidMessage(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class BastionProtocol(compat.CompatProtocol):
    """Text synchronisation goes to Bastion's document store instead of pygls' workspace."""

    def __init__(self, server, converter) -> None:
        super().__init__(server, converter)
        self.lifecycle = Lifecycle()

    # ---- receiving -----------------------------------------------------------------------------

    def receive(self, message: object) -> None:
        """One JSON value read from the client."""
        try:
            self._receive(message)
        except InvalidMessage as exc:
            if _expects_reply(message):
                msg_id = message["id"]
                self.send_error(msg_id if _valid_id(msg_id) else None, exc.code, str(exc))
            else:
                self.log_problem(f"ignored a message: {exc}")

    def _receive(self, message: object) -> None:
        if not isinstance(message, dict):
            raise InvalidMessage(types.ErrorCodes.InvalidRequest, "a message is a JSON object")
        if message.get("jsonrpc") != "2.0":
            raise InvalidMessage(types.ErrorCodes.InvalidRequest, 'jsonrpc must be "2.0"')
        if "id" in message and not _valid_id(message["id"]):
            raise InvalidMessage(types.ErrorCodes.InvalidRequest, "id must be a number or string")
        if "method" not in message:
            if "id" in message and ("result" in message or "error" in message):
                self._receive_response(message)
                return
            raise InvalidMessage(types.ErrorCodes.InvalidRequest,
                                 "neither a request, a notification nor a response")
        method = message["method"]
        if not isinstance(method, str):
            raise InvalidMessage(types.ErrorCodes.InvalidRequest, "method must be a string")
        if "id" in message:
            self._receive_request(message, method)
        else:
            self._receive_notification(message, method)

    def _handles(self, method: str) -> bool:
        return method == types.CANCEL_REQUEST or method in self.fm.features \
            or method in self.fm.builtin_features

    def _receive_request(self, message: dict, method: str) -> None:
        refusal = self.lifecycle.refusal(method)
        if refusal is not None:
            raise InvalidMessage(*refusal)
        lsp_types = types.METHOD_TO_TYPES.get(method)
        if lsp_types is not None and not _is_request(lsp_types[0]):
            raise InvalidMessage(types.ErrorCodes.InvalidRequest,
                                 f"{method} is a notification, not a request")
        if not self._handles(method):
            raise InvalidMessage(types.ErrorCodes.MethodNotFound, f"method not found: {method}")
        params = self._params(message, method, lsp_types)
        if method == types.INITIALIZE:
            self.lifecycle.initialized(params.process_id)
        compat.run_request(self, message["id"], method, params)

    def _receive_notification(self, message: dict, method: str) -> None:
        if method == types.EXIT:
            self.lifecycle.exit()
            return
        if not self.lifecycle.accepts_notification():
            log.info("dropped %s: the server is %s", method, self.lifecycle.state.value)
            return
        if not self._handles(method):
            if not method.startswith("$/"):
                log.info("ignored a notification of unknown method %s", method)
            return
        lsp_types = types.METHOD_TO_TYPES.get(method)
        try:
            if lsp_types is not None and _is_request(lsp_types[0]):
                raise InvalidMessage(types.ErrorCodes.InvalidRequest,
                                     "a request sent without an id")
            params = self._params(message, method, lsp_types)
        except InvalidMessage as exc:
            self.log_problem(f"ignored {method}: {exc}")
            return
        compat.run_notification(self, method, params)

    def _params(self, message: dict, method: str, lsp_types):
        if lsp_types is None:  # Bastion's own methods: params as the JSON value they are
            return message.get("params")
        params_type = lsp_types[2]
        if params_type is None:  # shutdown, exit: nothing to read
            return None
        if "params" not in message:
            raise InvalidMessage(types.ErrorCodes.InvalidParams, f"{method} needs params")
        try:
            return compat.converter(self).structure(message["params"], params_type)
        except cattrs.BaseValidationError as exc:
            where = "; ".join(cattrs.transform_error(exc, path="params")[:3])
            raise InvalidMessage(types.ErrorCodes.InvalidParams,
                                 compat.short(f"invalid params for {method}: {where}")) from None
        except Exception as exc:
            raise InvalidMessage(types.ErrorCodes.InvalidParams,
                                 compat.short(f"invalid params for {method}: {exc}")) from None

    def _receive_response(self, message: dict) -> None:
        """A reply to a request of the server's; a reply to one given up (cancelled) is
        dropped, as pygls would fail on it (InvalidStateError)."""
        msg_id = message["id"]
        future = compat.pending_request(self, msg_id)
        if future is None or future.done():
            compat.forget_request(self, msg_id)
            log.info("ignored a reply to request %r, which is no longer pending", msg_id)
            return
        try:
            response = self.structure_message(message)
        except Exception as exc:
            compat.forget_request(self, msg_id)
            future.set_exception(JsonRpcException(f"the client's reply is malformed: {exc}"))
            return
        self.handle_message(response)

    # ---- answering -----------------------------------------------------------------------------

    def log_problem(self, text: str) -> None:
        """A problem with the client's input: in the client's log, never a pop-up."""
        log.warning("%s", text)
        self.notify(types.WINDOW_LOG_MESSAGE, types.LogMessageParams(
            type=types.MessageType.Warning, message=f"Bastion: {compat.short(text)}"))

    # ---- built-in methods ----------------------------------------------------------------------

    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args):
        self.lifecycle.shut_down()
        compat.cancel_requests(self, keep=self.msg_id)
        if (handler := self.fm.features.get(types.SHUTDOWN)) is not None:
            yield handler, args, None
        return None

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


def _valid_id(value: object) -> bool:
    return isinstance(value, str) or isinstance(value, int) and not isinstance(value, bool)


def _expects_reply(message: object) -> bool:
    """A request, however malformed (a reply to a reply would never end)."""
    return isinstance(message, dict) and "id" in message and (
        "method" in message or not ("result" in message or "error" in message))


def _is_request(lsp_type) -> bool:
    return "id" in attrs.fields_dict(lsp_type)
