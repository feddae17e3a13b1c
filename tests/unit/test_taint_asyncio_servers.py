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
