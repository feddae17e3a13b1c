"""The LSP lifecycle: not initialized → running → shut down → exited, and the client's process.

The spec's rules: before `initialize`, requests get ServerNotInitialized and notifications are
dropped (`exit` excepted); after `shutdown`, requests get InvalidRequest; `exit` ends the process
with 0 after `shutdown`, else 1. A client whose process died (the `processId` it gave) cannot
send `exit`: the server polls that process and exits when it is gone.

Owned by the event loop thread.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import os

from lsprotocol import types

log = logging.getLogger(__name__)
PARENT_POLL_S = float(os.environ.get("BASTION_PARENT_POLL_MS", "2000")) / 1000


class State(enum.Enum):
    NEW = "not initialized"
    RUNNING = "running"
    SHUT_DOWN = "shut down"


class Lifecycle:
    def __init__(self) -> None:
        self.state = State.NEW
        self.exit_code: int | None = None
        self._exited: asyncio.Event | None = None
        self._watch: asyncio.Task | None = None

    @property
    def shutting_down(self) -> bool:
        return self.state is State.SHUT_DOWN or self.exit_code is not None

    def refusal(self, method: str) -> tuple[int, str] | None:
        """The error for a request `method` in this state, or None if it may run."""
        if self.state is State.NEW and method != types.INITIALIZE:
            return types.ErrorCodes.ServerNotInitialized, "the server is not initialized yet"
        if self.state is State.RUNNING and method == types.INITIALIZE:
            return types.ErrorCodes.InvalidRequest, "the server is already initialized"
        if self.state is State.SHUT_DOWN:
            return types.ErrorCodes.InvalidRequest, "the server is shutting down"
        return None

    def accepts_notification(self) -> bool:
        return self.state is State.RUNNING

    def initialized(self, process_id: int | None) -> None:
        self.state = State.RUNNING
        if isinstance(process_id, int) and process_id > 0 and os.name == "posix":
            self._watch = asyncio.ensure_future(self._watch_parent(process_id))

    def shut_down(self) -> None:
        self.state = State.SHUT_DOWN

    def exit(self, code: int | None = None, reason: str = "") -> None:
        if self.exit_code is not None:
            return
        self.exit_code = code if code is not None else (
            0 if self.state is State.SHUT_DOWN else 1)
        log.info("exiting with status %d%s", self.exit_code, f": {reason}" if reason else "")
        if self._watch is not None:
            self._watch.cancel()
        self._event().set()

    async def exited(self) -> None:
        await self._event().wait()

    def _event(self) -> asyncio.Event:
        if self._exited is None:
            self._exited = asyncio.Event()
        return self._exited

    async def _watch_parent(self, pid: int) -> None:
        while _alive(pid):
            await asyncio.sleep(PARENT_POLL_S)
        self.exit(1, f"the client's process {pid} is gone")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # POSIX only: on Windows this would terminate the process
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists, under another user
    return True
