"""A server's management controller (BMC) speaking IPMI 2.0 on the loopback, run as a child
process by lesson_ipmi_attacks (pyghmi's session loop is global to a process, and the client under
attack uses it too). It knows the user `admin` with the password given, and reports the power on.

It offers only cipher suite 3 (RAKP-HMAC-SHA1), as many BMCs do. pyghmi's own server answers a
proposal of SHA-256 with SHA-1 data anyway, which pyghmi's client cannot read (`struct.error` in
RAKP 2), so this one refuses the proposal and the client falls back to SHA-1, as it does with real
BMCs. Usage: python lesson_ipmi_device.py PASSWORD; prints its port; runs until terminated.
"""

import socket
import sys

import pyghmi.ipmi.bmc as bmc
from pyghmi.ipmi.private import serversession

HMAC_SHA1 = 1
NO_MATCHING_AUTHENTICATION_PAYLOAD = 0x11
_suite3 = serversession.ServerSession.create_open_session_response


def _suite3_only(session, request: bytearray) -> bytearray:
    if request[12] != HMAC_SHA1:  # the authentication algorithm the client proposes
        return bytearray([request[0], NO_MATCHING_AUTHENTICATION_PAYLOAD, 0, 0]) + request[4:8]
    return _suite3(session, request)


class PoweredOn(bmc.Bmc):
    def get_power_state(self) -> str:
        return "on"


if __name__ == "__main__":
    serversession.ServerSession.create_open_session_response = _suite3_only
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = PoweredOn({"admin": sys.argv[1]}, port, address="127.0.0.1")
    print(port, flush=True)
    server.listen()
