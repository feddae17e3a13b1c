"""`asyncio.start_server(handle, ...)` calls `handle` with the client's stream reader first and
its writer second, whatever their names (issue 12): a handler the module hands it, also inside
`async def main()`, is an entry whose first parameter is network data (`params = "first"`);
before, only `handle(reader, writer)` by those names was. The twins do not report: the peer
address the writer gives, the line quoted, a function of the same parameters the module does
not hand to a server. Through `bastion check` and the editor's store; a line that must report
ends with its rule."""

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

SERVER = '''import asyncio
import shlex
import subprocess


async def handle_client(client_reader, client_writer):
    line = (await client_reader.readline()).decode()
    subprocess.call(line, shell=True)  # BST202
    subprocess.call("echo " + shlex.quote(line), shell=True)
    peer = client_writer.get_extra_info("peername")
    subprocess.call("logger " + str(peer), shell=True)
    client_writer.close()


async def on_local(stream_in, stream_out):
    data = await stream_in.read(100)
    subprocess.call(data.decode(), shell=True)  # BST202


async def relay(source, sink):
    data = await source.read(100)
    subprocess.call(data.decode(), shell=True)


async def main():
    server = await asyncio.start_server(handle_client, "127.0.0.1", 8888)
    local = await asyncio.start_unix_server(on_local, path="/run/app.sock")
    async with server, local:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
'''


def test_a_handler_handed_to_start_server_reads_the_client_first(tmp_path):
    assert_checked_and_stored({"server.py": SERVER}, tmp_path, RULE_CWE)


# A method handed by `self` (issue 12): the server calls the bound method with the reader and
# the writer, so its first parameter after `self` is network data; a method of the same
# parameters the class does not hand to a server, and the quoted line, stay silent.
SERVICE = '''import asyncio
import shlex
import subprocess


class LookupService:
    def __init__(self, port):
        self.port = port

    async def on_client(self, stream_in, stream_out):
        line = (await stream_in.readline()).decode().strip()
        subprocess.run("host " + line, shell=True)  # BST202
        subprocess.run("host " + shlex.quote(line), shell=True)
        stream_out.close()

    async def relay(self, source, sink):
        data = await source.read(100)
        subprocess.run(data.decode(), shell=True)

    async def serve(self):
        server = await asyncio.start_server(self.on_client, "127.0.0.1", self.port)
        async with server:
            await server.serve_forever()
'''


def test_a_method_handed_to_start_server_by_self_reads_the_client(tmp_path):
    assert_checked_and_stored({"service.py": SERVICE}, tmp_path, RULE_CWE)
