"""Lesson attacks by an observer of SNMP traffic (for tests/unit/test_lesson_attacks.py): the
example polls a device (lesson_snmp_device, a pysnmp agent in a child process) through a
recording relay on the loopback, as its packets would cross a switch or a transit link. A
community string read on the wire lets the observer query the device itself; an SNMPv3 answer
without privacy is readable as it passes. Each attack first checks that the example's own query
was answered, so that a fixed example resists by protecting the traffic, not by failing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

DEVICE = Path(__file__).with_name("lesson_snmp_device.py")
KEYS = {"SNMP_AUTH_KEY": "auth-key-on-the-device", "SNMP_PRIV_KEY": "priv-key-on-the-device"}


def udp_relay(device_port: int, seen: list[tuple[str, bytes]],
           stop: threading.Event) -> tuple[int, threading.Thread]:
    """A loopback UDP port that forwards datagrams to the device and answers back, recording
    both directions ("to" the device, "from" it)."""
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(("127.0.0.1", 0))
    back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    back.connect(("127.0.0.1", device_port))

    def pump() -> None:
        client = None
        with front, back:
            while not stop.is_set():
                for ready in select.select([front, back], [], [], 0.05)[0]:
                    if ready is front:
                        data, client = front.recvfrom(65535)
                        seen.append(("to", data))
                        back.send(data)
                    elif client is not None:
                        data = back.recv(65535)
                        seen.append(("from", data))
                        front.sendto(data, client)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return front.getsockname()[1], thread


@contextlib.contextmanager
def snmp_device(tmp: Path) -> Iterator[dict]:
    """Yields {"port", "seen"}: the relay's port (the sandbox puts it in place of 161) and what
    crossed it. The fixed examples find the device's SNMPv3 keys in the environment."""
    pytest.importorskip("pysnmp.hlapi.v3arch.asyncio")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    device = subprocess.Popen([sys.executable, str(DEVICE), KEYS["SNMP_AUTH_KEY"], KEYS["SNMP_PRIV_KEY"]],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    saved = {key: os.environ.get(key) for key in KEYS}
    stop = threading.Event()
    relay = None
    try:
        port, relay = udp_relay(int(device.stdout.readline()), seen := [], stop)
        os.environ.update(KEYS)
        yield {"port": port, "seen": seen}
    finally:
        stop.set()
        if relay is not None:
            relay.join(5)
        for key in KEYS:
            os.environ.pop(key, None)
        os.environ.update({key: value for key, value in saved.items() if value is not None})
        device.communicate(timeout=10)  # closing its stdin ends it


def _answered(code: dict) -> str:
    answer = asyncio.run(code["sys_descr"]("127.0.0.1"))
    assert answer.startswith("PySNMP engine"), answer  # the device's sysDescr: the query worked
    return answer


def _communities(seen: list[tuple[str, bytes]]) -> set[bytes]:
    """The community strings of the SNMPv1/v2c messages sent to the device."""
    from pyasn1.codec.ber import decoder
    from pysnmp.proto import api
    found = set()
    for direction, data in seen:
        version = int(api.decodeMessageVersion(data))
        if direction == "to" and version in (api.SNMP_VERSION_1, api.SNMP_VERSION_2C):
            module = api.PROTOCOL_MODULES[version]
            message, _ = decoder.decode(data, asn1Spec=module.Message())
            found.add(bytes(module.apiMessage.get_community(message)))
    return found


def community_reused(code: dict, tmp: Path, server: dict) -> bool:
    """The observer takes any community string it saw and asks the device for its name."""
    import pysnmp.hlapi.v3arch.asyncio as hlapi
    _answered(code)

    async def ask(community: str) -> bool:
        target = await hlapi.UdpTransportTarget.create(("127.0.0.1", server["port"]), timeout=1, retries=0)
        query = hlapi.ObjectType(hlapi.ObjectIdentity("SNMPv2-MIB", "sysName", 0))
        error, status, _, binds = await hlapi.get_cmd(hlapi.SnmpEngine(), hlapi.CommunityData(community),
                                                      target, hlapi.ContextData(), query)
        return not error and not status and bool(binds)

    return any(asyncio.run(ask(community.decode())) for community in _communities(server["seen"]))


def answer_read(code: dict, tmp: Path, server: dict) -> bool:
    """The observer reads the device's answer as it passes."""
    answer = _answered(code).encode()
    return any(direction == "from" and answer in data for direction, data in server["seen"])


for _attack in (community_reused, answer_read):
    _attack.around = snmp_device
