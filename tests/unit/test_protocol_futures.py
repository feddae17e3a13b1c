"""The server does not keep a future per notification (pygls 2.1 would: a leak per keystroke)."""

from __future__ import annotations

import asyncio

from bastion.lsp.server import create_server


async def test_notification_futures_are_released():
    server = create_server()
    protocol = server.protocol
    done = []

    async def handler(value):
        await asyncio.sleep(0)
        done.append(value)

    for index in range(50):
        protocol._execute_handler(f"note-{index}", handler, callback=lambda _f: None,
                                  args=(index,))
    while len(done) < 50:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.01)
    assert not protocol._request_futures


async def test_shutdown_while_notifications_run():
    """pygls cancels pending futures at shutdown while iterating over them: releasing them must
    not change the map during that loop."""
    server = create_server()
    protocol = server.protocol
    started = asyncio.Event()

    async def slow(_):
        started.set()
        await asyncio.sleep(10)

    def chained(value):  # like pygls' built-in handlers: a generator that runs ours
        yield slow, (value,), None

    for index in range(5):
        protocol._execute_handler(f"slow-{index}", chained, callback=lambda _f: None,
                                  args=(index,))
    await started.wait()
    for _msg_id, future in protocol._request_futures.items():
        future.cancel()
    await asyncio.sleep(0.01)
    assert not protocol._request_futures
