"""A network device's SNMP agent on the loopback, run as a child process by lesson_snmp_attacks
(pysnmp's engine owns an event loop; a process of its own keeps it out of the test's).

It answers the `monitoring` community (SNMPv2c) and the SNMPv3 user `monitor`, at authNoPriv or
authPriv, as a device configured `rouser monitor auth` does. pysnmp's agent refuses a level other
than the user's own, so two engines sharing one engine ID and the user's keys serve the two
levels, and a front socket sends each message to the one for its level (the privacy flag travels
in clear). Usage: python lesson_snmp_device.py AUTH_KEY PRIV_KEY; prints the front port.
"""

import asyncio
import socket
import sys

from pyasn1.codec.ber import decoder
from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import cmdrsp, context
from pysnmp.proto import api
from pysnmp.proto.mpmod.rfc3412 import SNMPv3Message
from pysnmp.proto.rfc1902 import OctetString

ENGINE_ID = OctetString(hexValue="8000000001020304")
PRIV_FLAG = 0x02


def _agent(auth_key: str, priv_key: str | None) -> int:
    port = _free_port()
    eng = engine.SnmpEngine(snmpEngineID=ENGINE_ID)
    config.add_transport(eng, udp.DOMAIN_NAME, udp.UdpTransport().open_server_mode(("127.0.0.1", port)))
    config.add_v1_system(eng, "area", "monitoring")
    config.add_vacm_user(eng, 2, "area", "noAuthNoPriv", (1, 3, 6, 1, 2, 1))
    if priv_key is None:
        config.add_v3_user(eng, "monitor", config.USM_AUTH_HMAC192_SHA256, auth_key)
    else:
        config.add_v3_user(eng, "monitor", config.USM_AUTH_HMAC192_SHA256, auth_key,
                           config.USM_PRIV_CFB128_AES, priv_key)
    config.add_vacm_user(eng, 3, "monitor", "authNoPriv", (1, 3, 6, 1, 2, 1))
    cmdrsp.GetCommandResponder(eng, context.SnmpContext(eng))
    return port


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _private(message: bytes) -> bool:
    if int(api.decodeMessageVersion(message)) != 3:
        return False
    decoded, _ = decoder.decode(message, asn1Spec=SNMPv3Message())
    return bool(decoded["msgGlobalData"]["msgFlags"].asNumbers()[0] & PRIV_FLAG)


class _Front(asyncio.DatagramProtocol):
    """Relays each client datagram to the engine for its level, and the answer back."""

    def __init__(self, ports: dict[bool, int]) -> None:
        self.ports = ports

    def connection_made(self, transport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, client) -> None:
        asyncio.ensure_future(self._relay(data, client))

    async def _relay(self, data: bytes, client) -> None:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future = loop.create_future()

        class Back(asyncio.DatagramProtocol):
            def datagram_received(self, reply: bytes, _addr) -> None:
                if not answer.done():
                    answer.set_result(reply)

        back, _ = await loop.create_datagram_endpoint(
            Back, remote_addr=("127.0.0.1", self.ports[_private(data)]))
        back.sendto(data)
        try:
            self.transport.sendto(await asyncio.wait_for(answer, 5), client)
        except asyncio.TimeoutError:
            pass  # the engine dropped it (a wrong community): so does the device
        finally:
            back.close()


async def main(auth_key: str, priv_key: str) -> None:
    ports = {False: _agent(auth_key, None), True: _agent(auth_key, priv_key)}
    loop = asyncio.get_running_loop()
    front, _ = await loop.create_datagram_endpoint(lambda: _Front(ports), local_addr=("127.0.0.1", 0))
    print(front.get_extra_info("sockname")[1], flush=True)
    await loop.run_in_executor(None, sys.stdin.read)  # until the test closes our stdin


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
